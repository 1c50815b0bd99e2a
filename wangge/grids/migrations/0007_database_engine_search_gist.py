"""The database engine's trigram index over the buildings' search words becomes a GiST index,
and the change checks get an index on `updated_at` of the buildings and of the tree.

The GIN index answered "which buildings are similar enough", and a query shares its 市/区/路/号
words with nearly every address: every building was kept, its similarity computed and the
lot sorted (1.9 s a query at 100,000 buildings). The GiST index hands out the nearest first,
and the query stops at its limit. Every worker's check for changed tables (every 2 s) read
every row of both; with the indexes, a page for the newest and an index-only count. Only
where the engine's schema is installed; the indexes are made as `dbengine.install` makes
them, so the two never drift apart.
"""

from typing import Any

from django.conf import settings
from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    if settings.GRID_ENGINE == "database":
        dbengine.reindex(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0006_database_engine_follows_setting"),
    ]

    # Back to 0006 keeps the GiST index: the queries of before read it as well.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
