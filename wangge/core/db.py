"""Database aliases: writes and ordinary reads on the primary; heavy reports on a replica.

Dashboards, KPI pages and rankings tolerate a second of replication lag and are the heaviest
reads, so they ask `report_alias()` and read there. Everything else — and everything that must
see its own writes — stays on "default". Without DATABASE_REPLICA_URL the two are the same.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Model

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
    all 30,000 cases of the window and sorted them, at many times the database CPU that
    walking the newest-first index takes. Planning each time costs a list a fraction of a
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


@contextmanager
def walked_in_index_order(using: str = "default") -> Iterator[None]:
    """Queries inside are planned without a sort step, so a newest-first page is read by
    walking the index that holds that order and stops at the page's last row.

    Whether PostgreSQL walks the index or collects the whole date window and sorts it depends
    on how many rows it thinks the window holds, read from the table's statistics. Dates are
    the column whose statistics are always behind: every new row is newer than any that was
    sampled. After the table grew from 200 to 73,000 cases with no ANALYZE since, a 90-day
    window was thought to hold 90 rows, and each page of 100 sorted all 73,000 (11,000 buffers
    read). With sorting priced out, the only plans left read the rows in the index's order,
    whatever the statistics say. On a table where the window is small anyway, the walk costs
    what the window holds."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    # Inside the caller's transaction the setting is put back at once; otherwise it ends with
    # this one. No savepoint: an error inside fails the enclosing transaction anyway.
    nested = connection.in_atomic_block
    with transaction.atomic(using=using, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")
        yield
        if nested:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort TO DEFAULT")


def analyze(*models: type[Model], using: str = "default") -> None:
    """Refresh the planner's statistics of `models`' tables (of the whole database when none is
    named). Bulk commands end with this: a table that grew from 200 rows to 73,000 with no
    ANALYZE since (autovacuum off, or behind on a busy cluster) keeps the statistics of its 200,
    and PostgreSQL planned the Open311 page as a sort of the whole 90-day window (far more of
    its CPU per request than the index, which gives the page in a fraction of a millisecond).
    Only on PostgreSQL. SQLite plans without statistics until it is given some, and the
    SQLite that Debian 12 ships (3.40.1) answered a query wrongly once it had them: after the
    demo's seed was analysed, the 12345 sweep's "pending, with no earlier outstanding result
    of the same case" (a NOT EXISTS over the (case, state) index with a range on the id)
    returned no row for a lone pending result, so nothing was ever sent back."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy]
    quote = connection.ops.quote_name
    if models and not tables:
        return
    with connection.cursor() as cursor:
        if not models:
            cursor.execute("ANALYZE")
        else:
            cursor.execute("ANALYZE " + ", ".join(quote(t) for t in dict.fromkeys(tables)))


class PlansForTheRequestMiddleware:
    """A write request keeps PostgreSQL's prepared plans; a read plans each query for its values.

    The connections start with `plan_cache_mode=force_custom_plan` (settings): a generic plan
    cannot read a grid path's LIKE prefix as an index range, and a street's case list over ten
    million cases went from 42 to 342 ms with one. But planning every run also re-plans each
    prepared INSERT and every foreign-key check of a write: on the Open311 bench that was a
    third of the database's CPU per POST (docs/benchmarks.md). A write runs the same few
    statements over and over with plans whose shape does not depend on the values, so a write
    request turns the connection to `auto`, and the next read turns it back. The `SET` is sent
    only when the mode changes, before the view opens a transaction. Jobs and commands keep
    the connection's own setting."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        connection = connections["default"]
        use_plan_mode = getattr(connection, "use_plan_mode", None)
        if use_plan_mode is not None:
            writes = request.method not in {"GET", "HEAD", "OPTIONS"}
            use_plan_mode("auto" if writes else "force_custom_plan")
        return self.get_response(request)
