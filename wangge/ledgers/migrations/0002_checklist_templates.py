"""Load the standard hazard checklists (wangge/ledgers/checklists.py)."""

from typing import Any

from django.db import migrations

from wangge.ledgers.checklists import TEMPLATES, checklists_load


def load(apps: Any, schema_editor: Any) -> None:
    checklists_load(
        apps.get_model("ledgers", "ChecklistTemplate"), apps.get_model("ledgers", "ChecklistItem")
    )


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("ledgers", "ChecklistTemplate").objects.filter(
        code__in=[t[0] for t in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ledgers", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
