from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0005_encrypt_organisation_contact_phones"),
    ]

    operations = [
        # Reversible: going back re-creates the column empty and 0005 refills it.
        migrations.RemoveField(model_name="organisation", name="contact_phone"),
    ]
