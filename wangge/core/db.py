"""Database aliases: writes and ordinary reads on the primary; heavy reports on a replica.

Dashboards, KPI pages and rankings tolerate a second of replication lag and are the heaviest
reads, so they ask `report_alias()` and read there. Everything else — and everything that must
see its own writes — stays on "default". Without DATABASE_REPLICA_URL the two are the same.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"


def report_alias() -> str:
    enabled = getattr(settings, "REPORT_REPLICA_ENABLED", False)
    return REPLICA if enabled and REPLICA in settings.DATABASES else "default"


class PrimaryReplicaRouter:
    """Never writes or migrates through the replica alias; relations across aliases are fine
    because both hold the same data."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        return None  # the default unless a query asks for the replica with .using()

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


@contextmanager
def planned_for_its_values(using: str = "default") -> Iterator[None]:
    """Queries inside run unprepared, so PostgreSQL plans each for the values it is given.

    A statement a connection has run `prepare_threshold` times (settings, 5 by default) is
    prepared, and PostgreSQL may then run it with one generic plan guessed without its values.
    For a date window that guess is 150 rows: Open311's default 90-day page of 1,000 then read
    all 30,000 cases of the window and sorted them (56 ms of the database's CPU) instead of
    walking the newest-first index (3 ms). Planning each time costs a list a fraction of a
    millisecond; an intake's INSERT keeps its prepared plan, where replanning doubled the
    database's share."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = raw.prepare_threshold
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = saved
