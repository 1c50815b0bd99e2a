# Existing enterprises: encrypt, hash and mask the contact phone; the plain column goes next.
# Batches by primary key, not one long cursor: SQLite does not promise a cursor over a table
# that the same connection is updating.

from django.db import migrations

from wangge.core import pii

BATCH = 500
PROTECTED = ["contact_phone_encrypted", "contact_phone_hash", "contact_phone_masked"]


def protect(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    pks = list(
        Enterprise.objects.exclude(contact_phone="").order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        rows = list(Enterprise.objects.filter(pk__in=pks[start : start + BATCH]))
        for e in rows:
            for name, value in zip(PROTECTED, pii.protect_phone(e.contact_phone), strict=True):
                setattr(e, name, value)
            e.contact_phone = ""
        Enterprise.objects.bulk_update(rows, ["contact_phone", *PROTECTED])


def unprotect(apps, schema_editor):
    Enterprise = apps.get_model("enterprises", "Enterprise")
    pks = list(
        Enterprise.objects.exclude(contact_phone_encrypted="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        rows = list(Enterprise.objects.filter(pk__in=pks[start : start + BATCH]))
        for e in rows:
            e.contact_phone = pii.decrypt(e.contact_phone_encrypted)
        Enterprise.objects.bulk_update(rows, ["contact_phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0002_contact_phone_protected_columns"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
