"""The database engine's exact keys of each building (its names, each name with the number
after it, and those pairs with one character left out), under a GIN index: the resolver looks
a query's keys up first and computes trigram similarity only when they do not decide. Only
where the engine's schema is installed, as `dbengine.install` makes them."""

from typing import Any

from django.conf import settings
from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    if settings.GRID_ENGINE == "database":
        dbengine.install_keys(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0007_database_engine_search_gist"),
    ]

    # Back to 0007 keeps the keys: nothing of before reads or minds them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
