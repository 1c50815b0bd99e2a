"""Each building's parsed forms stored beside it, read by the resolver instead of parsed in
every query (the worker fills them). Only where the engine's schema is installed."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.install_forms(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0009_database_engine_keyed_rows"),
    ]

    # Back to 0009 leaves the table: nothing of before reads or minds it.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
