# An enterprise contact's phone gets a resident's treatment: encrypted, keyed hash, masked
# copy. Three steps (add, convert, drop) so each runs in its own transaction on PostgreSQL.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enterprise",
            name="contact_phone_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="联系电话（加密）"),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="contact_phone_hash",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="联系电话摘要",
            ),
        ),
        migrations.AddField(
            model_name="enterprise",
            name="contact_phone_masked",
            field=models.CharField(
                blank=True, editable=False, max_length=12, verbose_name="联系电话"
            ),
        ),
    ]
