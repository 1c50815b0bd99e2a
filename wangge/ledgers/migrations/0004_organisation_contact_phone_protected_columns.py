# An organisation contact's phone gets a register person's treatment: encrypted, keyed hash,
# masked copy. Three steps (add, convert, drop) so each runs in its own transaction on PostgreSQL.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0003_surveys"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="contact_phone_encrypted",
            field=models.TextField(blank=True, editable=False, verbose_name="联系电话（加密）"),
        ),
        migrations.AddField(
            model_name="organisation",
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
            model_name="organisation",
            name="contact_phone_masked",
            field=models.CharField(
                blank=True, editable=False, max_length=20, verbose_name="联系电话"
            ),
        ),
    ]
