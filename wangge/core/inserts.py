"""Written-out INSERTs for the hottest write path (a case's intake) on PostgreSQL.

Django's INSERT compiler works out, on every save, which columns a model has, how each is quoted
and how the statement is assembled; for the case's 60 columns that was one of the largest parts
of an intake's CPU (docs/benchmarks.md), and the timeline and inbox rows each took a round trip
of their own. Here the column list of a model is worked out once per process, each value is
still prepared by its own field (`pre_save` for the timestamps, `get_db_prep_save` for
encoding), so the row written is the one `Model.save()` or `bulk_create()` writes, and several
tables' rows go in one statement (data-modifying WITH), with, where asked, a new row they point
at whose id is drawn inside it (`Head`, `NEW_ID`, `NEW_TAG`). Only PostgreSQL has that
statement: `available()` says whether a caller may write its own; `insert_together` falls back
on `bulk_create` elsewhere (SQLite in development and in tests).
"""

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def new(model: type[M], **values: Any) -> M:
    """`model(**values)`: the same unsaved instance, made through `Model.__init__`'s positional
    path (the one the ORM takes for rows it reads), with the defaults filled in here.

    Given by keyword, `Model.__init__` looks every one of the model's fields up among the
    keywords, one by one, which for a case's 64 fields costs far more than giving them in order
    (docs/benchmarks.md). A related object given by name is set afterwards through its field,
    as the keyword path sets it (its id and the cached object)."""
    args: list[Any] = []
    related: list[tuple[str, Any]] = []
    for name, attname, is_relation, default in _init_fields(model):
        if name in values:
            value = values.pop(name)
            if is_relation:
                related.append((name, value))
                value = None if value is None else value.pk
            args.append(value)
        elif attname in values:
            args.append(values.pop(attname))
        else:
            args.append(default())
    if values:
        raise TypeError(f"{model.__name__} has no field named {', '.join(values)}")
    obj = model(*args)
    for name, value in related:
        setattr(obj, name, value)
    return obj


@cache
def _init_fields(model: type[Model]) -> tuple[tuple[str, str, bool, Any], ...]:
    """Per concrete field, in the model's order: name, attname, whether it holds a related
    object, and the function making its default (Field.get_default)."""
    return tuple(
        (f.name, f.attname, f.is_relation, f.get_default) for f in model._meta.concrete_fields
    )


def available(model: type[Model]) -> bool:
    return connections[router.db_for_write(model)].vendor == "postgresql"


# Django's own field classes whose preparation for the database (`get_db_prep_save`) answers
# None for None, checked against their code (Django 5.2): to_python, get_prep_value and the
# backend's adapt_*_value all pass None through. Only these exact classes: a subclass may
# prepare its values otherwise.
_NONE_AS_IS: frozenset[type[Field[Any, Any]]] = frozenset(
    {
        models.CharField,
        models.TextField,
        models.BooleanField,
        models.FloatField,
        models.DateField,
        models.DateTimeField,
        models.IntegerField,
        models.SmallIntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.PositiveBigIntegerField,
        models.ForeignKey,
    }
)
# ... and the value itself for a value of exactly this type (CharField.to_python keeps a str,
# BooleanField.to_python turns True into True).
_SAME_VALUE: dict[type[Field[Any, Any]], type] = {
    models.CharField: str,
    models.TextField: str,
    models.BooleanField: bool,
    models.FloatField: float,  # float(value); no adaptation by any backend
}


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
        # Per field: the attribute to read when its pre_save is Field's own (a plain read),
        # whether None is written as is, the type of value written as is, and whether an
        # aware datetime is: DateTimeField's to_python keeps a datetime, only a naive one is
        # made aware, and PostgreSQL's adapt_datetimefield_value gives the value back (SQLite's
        # makes a string of it).
        aware_as_is = connection.vendor == "postgresql"
        self._plan = [
            (
                f,
                f.attname if type(f).pre_save is Field.pre_save else None,
                type(f) in _NONE_AS_IS,
                _SAME_VALUE.get(type(f)),
                aware_as_is and type(f) is models.DateTimeField,
            )
            for f in self.fields
        ]

    def values(self, obj: Model, connection: Any) -> list[Any]:
        """The row's values as the INSERT compiler prepares them (auto_now fields set on `obj`):
        `get_db_prep_save(pre_save(obj))` of each field, except where that is known to give back
        the value read (None, a str, bool or float, or on PostgreSQL an aware datetime, as is,
        for Django's plain fields). Run for each of the case's 60 columns, that pipeline was a
        visible share of an intake's profile (docs/benchmarks.md), and
        tests/cases/test_insert_values.py compares the two on every field of the models written
        this way."""
        row = []
        for f, attname, none_as_is, same_type, aware_as_is in self._plan:
            value = getattr(obj, attname) if attname else f.pre_save(obj, add=True)
            if (
                (value is None and none_as_is)
                or (same_type and type(value) is same_type)
                or (aware_as_is and type(value) is datetime and value.utcoffset() is not None)
            ):
                row.append(value)
            elif _holds_stand_in(value):
                # A stand-in for what a statement draws (NEW_ID, NEW_TAG); see insert_together.
                row.append(value)
            else:
                row.append(f.get_db_prep_save(value, connection))
        return row


@cache
def columns(model: type[Model], without: tuple[str, ...] = ()) -> Columns:
    return Columns(model, without=without)


def saved(obj: Model, pk: int, alias: str) -> None:
    """Mark `obj` as `save()` leaves it: its primary key set, no longer being added."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = alias


@lru_cache(maxsize=64)
def _numbered(sql: str) -> str:
    """`sql` with psycopg's `%s` placeholders written as PostgreSQL's own `$1`, `$2` …"""
    pieces = sql.split("%s")
    if any("%" in piece for piece in pieces):
        raise ValueError("only %s placeholders, and no other %, in a written-out statement")
    out = [pieces[0]]
    for i, piece in enumerate(pieces[1:], 1):
        out.append(f"${i}{piece}")
    return "".join(out)


def fetch_all(connection: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run a written-out statement (`%s` placeholders) and answer its rows.

    psycopg finds the placeholders of every statement with a Python loop over its text and
    keeps the result only for statements of at most 50 parameters, so the case's INSERT (65)
    and the timeline and inbox rows together were parsed again on every intake. With
    server-side binding the statement is sent here with PostgreSQL's own `$n` placeholders
    through psycopg's raw cursor, which parses nothing; the numbered text is made once per
    statement and process. The parameters are adapted as by the ordinary cursor, and Django's
    cursor wrapper still runs the connection's execute wrappers and turns psycopg's errors into
    Django's. With the parameters quoted client-side the ordinary cursor runs the statement."""
    if not connection.features.uses_server_side_binding:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    numbered = _numbered(sql)
    # Django's `connection.cursor()` with psycopg's raw cursor in place of its own.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    # Optional: psycopg is the `postgres` extra, and only a PostgreSQL connection binds on
    # the server; the default build (SQLite) never reaches this line.
    import psycopg

    with connection.wrap_database_errors:
        raw = psycopg.RawCursor(connection.connection)
    start = time.monotonic()
    try:
        with connection.make_cursor(raw) as cursor:
            cursor.execute(numbered, params)
            return list(cursor.fetchall())
    finally:
        if connection.queries_logged:
            # Recorded here rather than by Django's debug cursor, which renders each statement
            # with psycopg's client-side quoting and finds no `%s` in a numbered one; like it,
            # also when the statement fails. So a test that counts queries (assertNumQueries)
            # runs the same path as production does.
            took = f"{time.monotonic() - start:.3f}"
            connection.queries_log.append({"sql": numbered, "time": took})


# Stand-ins, in the values of rows written in one statement with a new row (a case), for that
# row's id and for a text made of it (the case's number): the statement draws both, so neither is
# known when the rows are made. PostgreSQL refuses NUL in text, so no value it would store holds
# one by chance; where a value holds a stand-in, the statement writes an expression in its place.
NEW_ID = "\x00id\x00"
NEW_TAG = "\x00tag\x00"
_STAND_INS = re.compile(f"({NEW_ID}|{NEW_TAG})")


@dataclass(frozen=True)
class Head:
    """The new row the others refer to, a `model`'s: `ctes`, the WITH queries (%s placeholders,
    `params`) that draw its id and tag and insert it; `id_sql` and `tag_sql`, expressions
    reading them."""

    model: type[Model]
    ctes: str
    params: list[Any]
    id_sql: str
    tag_sql: str


def _holds_stand_in(value: Any) -> bool:
    return type(value) is str and "\x00" in value


def fill_in(obj: Model, new_id: int, new_tag: str) -> None:
    """Put the drawn id and tag where `obj`'s values hold their stand-ins."""
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname)
        if type(value) is not str or "\x00" not in value:
            continue
        if value == NEW_ID:
            setattr(obj, field.attname, new_id)
        else:
            value = value.replace(NEW_ID, str(new_id)).replace(NEW_TAG, new_tag)
            setattr(obj, field.attname, value)


def _row_sql(values: Sequence[Any], head: Head | None, params: list[Any]) -> str:
    """One VALUES row: a placeholder per value, or, where a value holds a stand-in of the
    head's, an expression reading what the statement drew."""
    out = []
    for value in values:
        if head is None or type(value) is not str or "\x00" not in value:
            params.append(value)
            out.append("%s")
        elif value == NEW_ID:
            out.append(head.id_sql)
        else:
            parts = []
            for piece in _STAND_INS.split(value):
                if piece == NEW_ID:
                    parts.append(f"{head.id_sql}::text")
                elif piece == NEW_TAG:
                    parts.append(f"{head.tag_sql}::text")
                elif "\x00" in piece:
                    raise ValueError("a value holds a NUL that is no whole stand-in (cut short?)")
                elif piece:
                    params.append(piece)
                    parts.append("%s")
            out.append("(" + " || ".join(parts) + ")")
    return "(" + ", ".join(out) + ")"


def insert_together(*groups: Sequence[Model], head: Head | None = None) -> tuple[Any, ...]:
    """INSERT every row of every group in one statement and set each row's primary key, as one
    `bulk_create` per group would (no signals, as there). Each group holds rows of one model;
    empty groups are skipped.

    With a `head` (PostgreSQL only), its row is written by the same statement, and the rows'
    values may hold NEW_ID and NEW_TAG for its id and tag: a foreign key that is NEW_ID, or a
    text such as "case:" + NEW_ID. They are written as the drawn values and, once written, set
    so on the objects too (`fill_in`). Answers the head's (id, tag); () without one."""
    groups = tuple(g for g in groups if g)
    if head is None and not groups:
        return ()
    model = head.model if head else type(groups[0][0])
    if not available(model):
        if head is not None:
            raise ValueError("a head row is drawn inside a PostgreSQL statement only")
        for rows in groups:
            type(rows[0])._default_manager.bulk_create(rows)
        return ()
    alias = router.db_for_write(model)
    connection = connections[alias]
    ctes = [head.ctes] if head else []
    params: list[Any] = list(head.params) if head else []
    for i, rows in enumerate(groups):
        cols = columns(type(rows[0]))
        values = ", ".join(_row_sql(cols.values(obj, connection), head, params) for obj in rows)
        # Only placeholders, names from the models and the head's own expressions go into the
        # text.
        ctes.append(
            f"g{i} AS (INSERT INTO {cols.table} ({cols.names}) VALUES {values}"  # noqa: S608
            f" RETURNING {cols.pk_column} AS id)"
        )
    # Ids come from each table's sequence in the order of the VALUES rows, so a group's ids
    # sorted are its rows' in order.
    answers = [head.id_sql, head.tag_sql] if head else []
    answers += [f"ARRAY(SELECT id FROM g{i} ORDER BY id)" for i in range(len(groups))]  # noqa: S608
    ((*answered,),) = fetch_all(
        connection, f"WITH {', '.join(ctes)} SELECT {', '.join(answers)}", params
    )
    drawn = tuple(answered[:2]) if head else ()
    for rows, pks in zip(groups, answered[len(drawn) :], strict=True):
        for obj, pk in zip(rows, pks, strict=True):
            if head is not None:
                fill_in(obj, *drawn)
            saved(obj, pk, alias)
    return drawn
