"""What every worker asks the database of the tree and the buildings to tell whether its
indexes are still current (`indexes`): their newest `updated_at` and the rows written, read
from an index page and the server's statistics rather than from the rows."""

from datetime import UTC, datetime
from typing import Any

from django.db import connection

from wangge.grids.dbengine.statements import statement

# Before any building was written: a read of the buildings written since then reads them all.
EVER = datetime(1, 1, 1, tzinfo=UTC)

_CHANGES_SQL = statement("changes")
_NODE_CHANGES_SQL = _CHANGES_SQL.format(table="grids_gridnode")
_BUILDING_CHANGES_SQL = _CHANGES_SQL.format(table="grids_building")
_REWRITES_SQL = statement("rewrites")


def node_changes() -> tuple[Any, ...]:
    """The tree's newest `updated_at` and rows inserted and deleted, as `indexes` compares
    them."""
    with connection.cursor() as cursor:
        cursor.execute(_NODE_CHANGES_SQL)
        return tuple(cursor.fetchone() or ())


def building_changes() -> tuple[Any, ...]:
    """The buildings' newest `updated_at` and rows inserted and deleted, as `indexes`
    compares them."""
    with connection.cursor() as cursor:
        cursor.execute(_BUILDING_CHANGES_SQL)
        return tuple(cursor.fetchone() or ())


def building_rewrites() -> int | None:
    """How many building rows were ever updated or deleted (None where the server keeps no
    such counts): while it stands still, the buildings have only been added to."""
    with connection.cursor() as cursor:
        cursor.execute(_REWRITES_SQL)
        row = cursor.fetchone()
    return None if row is None or row[0] is None else int(row[0])
