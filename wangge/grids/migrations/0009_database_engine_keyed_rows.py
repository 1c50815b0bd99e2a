"""The keys' lookup tells the planner how few buildings it returns (ROWS 10, not the default
1,000): the resolver's join to the buildings read a district's whole table in id order instead
of looking its few buildings up. Only where the engine's keys are installed."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.keyed_function(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0008_database_engine_keys"),
    ]

    # Back to 0008 keeps the estimate: nothing of before minds it.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
