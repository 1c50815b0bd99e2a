# Existing persons: encrypt, hash and mask the phone; the plain column is dropped next.
# Batches by primary key, not one long cursor: SQLite does not promise a cursor over a table
# that the same connection is updating.

from django.db import migrations

from wangge.core import pii

BATCH = 500
PROTECTED = ["phone_encrypted", "phone_hash", "phone_masked"]


def protect(apps, schema_editor):
    Person = apps.get_model("residents", "Person")
    pks = list(Person.objects.exclude(phone="").order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        persons = list(Person.objects.filter(pk__in=pks[start : start + BATCH]))
        for person in persons:
            protected = pii.protect_phone(person.phone)
            for name, value in zip(PROTECTED, protected, strict=True):
                setattr(person, name, value)
            person.phone = ""
        Person.objects.bulk_update(persons, ["phone", *PROTECTED])


def unprotect(apps, schema_editor):
    Person = apps.get_model("residents", "Person")
    pks = list(
        Person.objects.exclude(phone_encrypted="").order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(pks), BATCH):
        persons = list(Person.objects.filter(pk__in=pks[start : start + BATCH]))
        for person in persons:
            person.phone = pii.decrypt(person.phone_encrypted)
        Person.objects.bulk_update(persons, ["phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0005_person_phone_protected_columns"),
    ]

    operations = [migrations.RunPython(protect, unprotect)]
