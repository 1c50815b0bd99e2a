"""The database engine's schema (GRID_ENGINE=database): PostGIS shapes and a trigram index.

Only where the setting asks for the engine: its triggers and generated column cost every grid
and building write, for nothing where the memory engine answers. PostgreSQL only, and only what
the server offers: without PostGIS (or the right to create it) this leaves the database as it
was and `manage.py grid_engine_rebuild` installs it later (also when the setting changes after
the migration ran). On SQLite it does nothing. The SQL lives in `wangge.grids.dbengine`, which the rebuild command
runs too, so the two never drift apart.
"""

from typing import Any

from django.conf import settings
from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    if settings.GRID_ENGINE == "database":
        dbengine.install(schema_editor.connection, fill=True)


def backwards(apps: Any, schema_editor: Any) -> None:
    dbengine.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0004_city_level"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
