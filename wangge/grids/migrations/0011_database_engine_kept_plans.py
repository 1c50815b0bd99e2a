"""The resolver's round trip and a point's lookup become functions that keep their plans for
the session: planned anew for every query, they cost the server more to plan than to run. Only
where the engine's keys and shapes are installed."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.keyed_function(schema_editor.connection)
    dbengine.locate_function(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0010_database_engine_stored_forms"),
    ]

    # Back to 0010 leaves the functions: nothing of before calls or minds them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
