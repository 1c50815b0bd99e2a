"""A carrier deleted or renamed away is replaced by as many buildings as its name lacks, of
those not kept for it already (`dbengine/sql/carrier_sync.sql`); the refill of before could add
up to CARRIERS more besides those left. Only where the engine's keys are installed; the extra
carriers the old refill left are let go."""

from typing import Any

from django.db import migrations

from wangge.grids import dbengine


def forwards(apps: Any, schema_editor: Any) -> None:
    dbengine.carrier_function(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0012_database_engine_keyed_buildings_once"),
    ]

    # Back: the function as made now answers what the code of before asks; the old refill's
    # only difference was its extra carriers, which nothing needs.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
