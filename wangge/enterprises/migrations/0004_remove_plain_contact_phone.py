from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_encrypt_contact_phones"),
    ]

    operations = [
        # Reversible: going back re-creates the column empty and 0003 refills it.
        migrations.RemoveField(model_name="enterprise", name="contact_phone"),
    ]
