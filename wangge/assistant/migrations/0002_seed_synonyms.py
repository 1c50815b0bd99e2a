"""The seed synonym table (data/synonyms.json): editors change it afterwards in the admin."""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "synonyms.json"


def seed(apps: Any, schema_editor: Any) -> None:
    Synonym = apps.get_model("assistant", "Synonym")
    for term, canonical in json.loads(SEED.read_text(encoding="utf-8")).items():
        Synonym.objects.get_or_create(term=term, defaults={"canonical": canonical})


def unseed(apps: Any, schema_editor: Any) -> None:
    Synonym = apps.get_model("assistant", "Synonym")
    Synonym.objects.filter(term__in=json.loads(SEED.read_text(encoding="utf-8"))).delete()


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
