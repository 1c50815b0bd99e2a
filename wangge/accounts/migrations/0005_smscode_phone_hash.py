# Text-message codes keep the phone's keyed hash only. Three steps (add, convert, drop) so
# each runs in its own transaction on PostgreSQL.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_privacy"),
    ]

    operations = [
        migrations.AddField(
            model_name="smscode",
            name="phone_hash",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                max_length=64,
                verbose_name="手机号摘要",
            ),
            preserve_default=False,
        ),
    ]
