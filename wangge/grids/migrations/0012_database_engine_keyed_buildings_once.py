"""The resolver's round trip reads each building once, with the stages that found it, instead
of once for each stage and name (`dbengine._KEYED_QUERY`). Only where the engine's keys are
installed."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.keyed_function(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0011_database_engine_kept_plans"),
    ]

    # Back to 0011 would need the rows of before: the function is made again as 0011 made it
    # by running that migration's step, which `keyed_function` no longer holds.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
