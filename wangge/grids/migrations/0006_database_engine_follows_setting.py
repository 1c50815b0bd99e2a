"""The database engine's schema leaves a database the memory engine serves.

`0005_database_engine` once installed the schema wherever the server offered PostGIS and
pg_trgm, whatever GRID_ENGINE said. There its triggers and the buildings' generated search
column cost every import and every write of a grid or a building and answered nothing. Where
GRID_ENGINE=memory this drops them (the extensions stay); where the database engine runs it
leaves the schema as it is. Switching to the database engine later: `manage.py
grid_engine_rebuild`.
"""

from typing import Any

from django.conf import settings
from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    if settings.GRID_ENGINE != "database":
        dbengine.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0005_database_engine"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
