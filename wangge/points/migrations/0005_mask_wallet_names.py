# Wallets opened for a resident without a name were named by their phone number; they are
# renamed to the masked number, as new ones are (points.services.wallet_for).

import re

from django.db import migrations

from wangge.core.masking import mask_phone

MOBILE = re.compile(r"^1[3-9]\d{9}$")


def mask(apps, schema_editor):
    Account = apps.get_model("points", "Account")
    changed = []
    for account in Account.objects.filter(name__regex=r"^1[3-9][0-9]{9}$").only("pk", "name"):
        if MOBILE.match(account.name):
            account.name = mask_phone(account.name)
            changed.append(account)
    Account.objects.bulk_update(changed, ["name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0004_mall"),
    ]

    # Masking cannot be undone; going back leaves the names masked.
    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
