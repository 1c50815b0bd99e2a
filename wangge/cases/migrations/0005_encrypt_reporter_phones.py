# Existing cases: encrypt, hash and mask the reporter's phone; the plain column is dropped next.
# Batches by primary key, not one long cursor: SQLite does not promise a cursor over a table
# that the same connection is updating.

from django.db import migrations

from wangge.core import pii

BATCH = 500
PROTECTED = ["reporter_phone_encrypted", "reporter_phone_hash", "reporter_phone_masked"]


def protect(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    pks = list(Case.objects.exclude(reporter_phone="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        cases = list(Case.objects.filter(pk__in=pks[start : start + BATCH]))
        for case in cases:
            protected = pii.protect_phone(case.reporter_phone)
            for name, value in zip(PROTECTED, protected, strict=True):
                setattr(case, name, value)
            case.reporter_phone = ""
        Case.objects.bulk_update(cases, ["reporter_phone", *PROTECTED])


def unprotect(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    pks = list(
        Case.objects.exclude(reporter_phone_encrypted="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        cases = list(Case.objects.filter(pk__in=pks[start : start + BATCH]))
        for case in cases:
            case.reporter_phone = pii.decrypt(case.reporter_phone_encrypted)
        Case.objects.bulk_update(cases, ["reporter_phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_reporter_phone_protected_columns"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
