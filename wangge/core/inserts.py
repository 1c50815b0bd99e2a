"""Written-out INSERTs for the hottest write path (a case's intake) on PostgreSQL.

Django's INSERT compiler works out, on every save, which columns a model has, how each is
quoted and how the statement is assembled; for the case's 60 columns that was a fifth of an
intake's CPU, and the timeline and inbox rows each took a round trip of their own. Here the
column list of a model is worked out once per process, each value is still prepared by its own
field (`pre_save` for the timestamps, `get_db_prep_save` for encoding), so the row written is the
one `Model.save()` or `bulk_create()` writes, and several tables' rows go in one statement
(data-modifying WITH). Only PostgreSQL has that statement: `available()` says whether a caller
may write its own; `insert_together` falls back on `bulk_create` elsewhere (SQLite in
development and in tests).
"""

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models import Field, Model


def available(model: type[Model]) -> bool:
    return connections[router.db_for_write(model)].vendor == "postgresql"


class Columns:
    """What one model's INSERT needs, worked out once: its table, the columns a new row fills
    (every concrete field but the primary key and those named in `without`, which the caller
    writes itself) and their quoted names."""

    def __init__(self, model: type[Model], *, without: tuple[str, ...] = ()) -> None:
        meta = model._meta
        self.model = model
        self.pk: Field[Any, Any] = meta.pk
        self.fields: list[Field[Any, Any]] = [
            f for f in meta.concrete_fields if not f.primary_key and f.name not in without
        ]
        connection = connections[router.db_for_write(model)]
        qn = connection.ops.quote_name
        self.table = qn(meta.db_table)
        self.pk_column = qn(str(self.pk.column))
        self.names = ", ".join(qn(str(f.column)) for f in self.fields)
        self.row_placeholders = "(" + ", ".join(["%s"] * len(self.fields)) + ")"

    def values(self, obj: Model, connection: Any) -> list[Any]:
        """The row's values as the INSERT compiler prepares them (auto_now fields set on `obj`)."""
        return [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in self.fields]


@cache
def columns(model: type[Model], without: tuple[str, ...] = ()) -> Columns:
    return Columns(model, without=without)


def saved(obj: Model, pk: int, alias: str) -> None:
    """Mark `obj` as `save()` leaves it: its primary key set, no longer being added."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias


def insert_together(*groups: Sequence[Model]) -> None:
    """INSERT every row of every group in one statement and set each row's primary key, as one
    `bulk_create` per group would (no signals, as there). Each group holds rows of one model;
    empty groups are skipped."""
    groups = tuple(g for g in groups if g)
    if not groups:
        return
    model = type(groups[0][0])
    if not available(model):
        for rows in groups:
            type(rows[0])._default_manager.bulk_create(rows)
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    parts: list[str] = []
    selects: list[str] = []
    params: list[Any] = []
    for i, rows in enumerate(groups):
        cols = columns(type(rows[0]))
        values = ", ".join([cols.row_placeholders] * len(rows))
        for obj in rows:
            params.extend(cols.values(obj, connection))
        # Only placeholders and names from the models go into the text.
        parts.append(
            f"g{i} AS (INSERT INTO {cols.table} ({cols.names}) VALUES {values}"  # noqa: S608
            f" RETURNING {cols.pk_column} AS id)"
        )
        selects.append(f"SELECT {i} AS g, id FROM g{i}")  # noqa: S608
    # Ids come from each table's sequence in the order of the VALUES rows, so sorting a
    # group's ids gives them back in the order of its rows.
    sql = f"WITH {', '.join(parts)} {' UNION ALL '.join(selects)} ORDER BY g, id"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    ids: list[list[int]] = [[] for _ in groups]
    for g, pk in found:
        ids[g].append(pk)
    for rows, pks in zip(groups, ids, strict=True):
        for obj, pk in zip(rows, pks, strict=True):
            saved(obj, pk, alias)
