"""The buildings' parsed forms stored beside them (`grids_building_forms`): written by the
worker's fill over the gazetteer in use, read back by each query's candidates instead of
parsing the ~20 buildings it reads again."""

import json
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import OperationalError, connection, transaction

from wangge.grids.addresses.index import Form, building_forms
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.dbengine.changes import EVER
from wangge.grids.dbengine.statements import statement

logger = logging.getLogger(__name__)

_FORMS_STALE_SQL = statement("forms_stale")
_FORMS_STORE_SQL = statement("forms_store")
_FORMS_GONE_SQL = statement("forms_gone")
_FORMS_NONE_CURRENT_SQL = statement("forms_none_current")
# How long emptying the table may wait for the queries reading it (TRUNCATE takes its lock
# whole, and readers queue behind a waiting TRUNCATE): past it, the rows are written over.
_FORMS_TRUNCATE_WAIT = "2s"
# Buildings parsed and stored in one transaction by the fill.
_FORMS_BATCH = 2_000


def stored_aliases(value: Any) -> list[str]:
    """A building's aliases as a row hands them over (its jsonb as text or decoded): a list
    of texts, none where the column holds no list."""
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value] if isinstance(value, list) else []


class StoredForms:
    """The stored forms (forms_table.sql) of the buildings one query reads, those current over
    the gazetteer whose digest is ``parsed_with``, by building id."""

    __slots__ = ("by_id", "parsed_with")

    def __init__(self, parsed_with: str) -> None:
        self.parsed_with = parsed_with
        self.by_id: dict[int, tuple[Form, ...]] = {}

    def take(self, read: Iterable[tuple[int, Any]]) -> None:
        """The stored forms of the rows a query read, (building id, forms or None), a
        building's first row kept. Decoded in one pass: Django's psycopg setup hands jsonb
        over as its text, and one `json.loads` of them all costs a third of one per row."""
        pending: dict[int, Any] = {}
        for building_id, stored in read:
            if stored is not None and building_id not in self.by_id:
                pending.setdefault(building_id, stored)
        if not pending:
            return
        texts = list(pending.values())
        if all(isinstance(text, str) for text in texts):
            decoded = json.loads(f"[{','.join(texts)}]")
        else:
            decoded = [json.loads(t) if isinstance(t, str) else t for t in texts]
        for building_id, forms in zip(pending, decoded, strict=True):
            self.by_id[building_id] = _as_forms(forms)


def _as_forms(stored: Sequence[Sequence[Any]]) -> tuple[Form, ...]:
    """Stored forms as `AddressIndex` takes them (JSON has lists for its tuples)."""
    return tuple(
        (road, number, compound, tuple(numbers)) for road, number, compound, numbers in stored
    )


def fill_forms(names: Gazetteer, since: datetime | None = None) -> int:
    """Store the forms over ``names`` of every building whose stored ones are missing or not
    current (the worker's job: `indexes.store_forms`); how many were stored. With ``since``,
    of the buildings written since then only (their `updated_at`, through its index: reading
    every building's hash is ~9 s of the database's time at a million); without it, of all,
    and the rows of buildings gone are dropped. A batch at a time, each its own transaction:
    a building written meanwhile keeps the hash of the text that was parsed, so it reads as
    unparsed until the next fill, never with another text's forms."""
    if not names.digest:
        raise ValueError("forms are stored against the database engine's gazetteer")
    if since is None:
        _empty_forms_if_none_current(names.digest)
    stored = 0
    after = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FORMS_STALE_SQL, [after, since or EVER, names.digest, _FORMS_BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            made = [
                json.dumps(
                    building_forms(names, address, stored_aliases(aliases)), ensure_ascii=False
                )
                for _i, address, aliases, _source in rows
            ]
            cursor.execute(
                _FORMS_STORE_SQL,
                [names.digest, [row[0] for row in rows], [row[3] for row in rows], made],
            )
        stored += len(rows)
        after = rows[-1][0]
    if since is None:
        with connection.cursor() as cursor:
            cursor.execute(_FORMS_GONE_SQL)
    return stored


def _empty_forms_if_none_current(digest: str) -> None:
    """Empty the table when no row is current over ``digest``: every row would be written
    again, and an UPDATE of each leaves the old one dead beside it (a million buildings'
    table doubled in size, until a VACUUM FULL). A row no query reads is lost: the processes
    of the code before, during a deploy, parse those buildings per query again."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_FORMS_NONE_CURRENT_SQL, [digest])
            row = cursor.fetchone()
            if row is None or not row[0]:
                return
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [_FORMS_TRUNCATE_WAIT])
            cursor.execute("TRUNCATE grids_building_forms")
    except OperationalError:  # the readers held on: write over the rows instead
        logger.info("grids_building_forms not emptied: its readers held it", exc_info=True)
