from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("residents", "0006_encrypt_person_phones"),
    ]

    operations = [
        # Reversible: going back re-creates the column empty and 0006 refills it.
        migrations.RemoveField(model_name="person", name="phone"),
    ]
