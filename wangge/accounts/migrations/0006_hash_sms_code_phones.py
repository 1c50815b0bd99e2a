# Existing codes: the phone becomes its keyed hash (codes live five minutes, but the rows stay
# as the per-phone daily count and as history).

from django.db import migrations

from wangge.core import pii

BATCH = 1000


def protect(apps, schema_editor):
    SmsCode = apps.get_model("accounts", "SmsCode")
    pks = list(SmsCode.objects.exclude(phone="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        codes = list(SmsCode.objects.filter(pk__in=pks[start : start + BATCH]))
        for code in codes:
            code.phone_hash, code.phone = pii.phone_hash(code.phone), ""
        SmsCode.objects.bulk_update(codes, ["phone", "phone_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_smscode_phone_hash"),
    ]

    # A hash cannot be turned back into a number: going back leaves the old column empty,
    # which only means old codes no longer count towards a phone's daily limit.
    operations = [migrations.RunPython(protect, migrations.RunPython.noop)]
