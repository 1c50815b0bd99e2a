from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_hash_sms_code_phones"),
    ]

    operations = [
        migrations.RemoveField(model_name="smscode", name="phone"),
    ]
