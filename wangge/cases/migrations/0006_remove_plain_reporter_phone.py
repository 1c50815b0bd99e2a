from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_encrypt_reporter_phones"),
    ]

    operations = [
        # Reversible: going back re-creates the column empty and 0005 refills it.
        migrations.RemoveField(model_name="case", name="reporter_phone"),
    ]
