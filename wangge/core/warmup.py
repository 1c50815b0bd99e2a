"""Warm start: the per-process indexes are built before a web process takes its first request.

Locating a point, resolving an address, suggesting a category and answering 小原 each rest on an
in-memory structure built from the tables on first use (seconds for a district). Built lazily,
that cost fell on the first residents after every restart or crash. Each app registers what it
builds in its `AppConfig.ready()`; `wangge.wsgi` runs them all once the application is loaded,
and under gunicorn's `preload_app` that happens once in the master, before any worker forks, so
a worker that replaces a crashed one starts warm.
"""

import ctypes
import ctypes.util
import gc
import io
import logging
import os
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)
T = TypeVar("T")

_steps: dict[str, Callable[[], object]] = {}


def register(name: str, build: Callable[[], object]) -> None:
    """Add a step: `build` makes the structure ready, reading what it needs from the database."""
    _steps[name] = build


def warm_up() -> dict[str, float]:
    """Run every step; return the seconds each took. A failing step is logged, never fatal: a
    process that cannot warm an index still serves, and builds it on first use as before."""
    timings: dict[str, float] = {}
    # The translation catalogues are read on first use too (every app's .mo file), and so is
    # the URLconf, which imports every app's views and the API's routers (about a second).
    translation.activate(settings.LANGUAGE_CODE)
    resolver = get_resolver()
    resolver.resolve("/")
    resolver.reverse_dict  # noqa: B018  (builds the reverse lookup tables)
    for name, build in _steps.items():
        started = time.perf_counter()
        try:
            build()
        except Exception:
            logger.exception("warm-up step %s failed; it will be built on first use", name)
            continue
        timings[name] = round(time.perf_counter() - started, 3)
    # A connection opened here must not be inherited by forked workers (two processes on one
    # socket corrupt the protocol): every worker opens its own. Inside a transaction (a test's)
    # nothing forks, and closing would end the transaction under its owner.
    if not _in_a_transaction():
        connections.close_all()
    release_freed_memory()
    logger.info("warm start: %s", timings)
    return timings


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system.

    Building the indexes allocates far more than they keep: the point index classifies its
    cells against hundreds of thousands of temporary GEOS boxes (tens of MB at the demo
    district's size), and reading the tables makes rows that are dropped once indexed. glibc
    keeps what was freed inside its heap for reuse, so without this the master, and every
    worker forked from it, counts those pages in its RSS for good. Elsewhere (another C
    library) it does nothing."""
    gc.collect()
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)


def _in_a_transaction() -> bool:
    return any(c.in_atomic_block for c in connections.all())


def _single_threaded() -> bool:
    # A child forked while another thread holds a lock (SQLite's, libpq's, the allocator's)
    # waits for it forever: `manage.py serve` runs the job worker's threads beside the web
    # process. The gunicorn master that preloads the application has no other thread.
    return threading.active_count() == 1


def _can_build_apart() -> bool:
    return (
        hasattr(os, "fork")
        and _single_threaded()
        and not _in_a_transaction()
        and not any(
            c.vendor == "sqlite" and c.is_in_memory_db()  # type: ignore[attr-defined]
            for c in connections.all()
        )
    )


def built_apart(build: Callable[[], T]) -> T:
    """`build()` run in a forked child and its result unpickled here.

    Building an index allocates several times what it keeps (the rows read, the parses, the
    GEOS boxes), and what it keeps ends up scattered among the freed blocks: CPython returns
    its small-object memory only in whole arenas, so the process, and every worker forked from
    it, keeps tens of MB it does not use. Unpickled, the same objects are laid out together.
    The child opens its own database connection (the parent's are closed first: two processes
    must never share one).

    Built in this process instead when there is no fork, when another thread runs, when a
    transaction is open (a child's
    connection could not see its rows: the tests' transactions), on an in-memory SQLite
    database, or when the child fails."""
    if not _can_build_apart():
        return build()
    connections.close_all()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: build, send, and leave without running the parent's exit code
        status = 1
        try:
            os.close(reader)
            with os.fdopen(writer, "wb") as out:
                _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(build())
            status = 0
        except BaseException:
            logger.exception("building apart failed; the parent builds it itself")
        finally:
            connections.close_all()
            os._exit(status)
    os.close(writer)
    with os.fdopen(reader, "rb") as received:
        data = received.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return build()
    result: T = _Unpickler(io.BytesIO(data)).load()
    return result


class _Pickler(pickle.Pickler):
    """Writes each int as a reference by its value, so that the reading side makes one object
    per value. A built index refers to each building or place id through one int object (the
    one its row brought); plain pickle writes ints by value, and the unpickled address index of
    the demo district held 319,000 int objects for its 56,000 ids (several MB more)."""

    def persistent_id(self, obj: Any) -> int | None:
        # The int is its own reference (written by value, not memoized, not asked about again).
        # Small ints are one object per value in CPython already; bools are not ints here.
        return obj if type(obj) is int and not -5 <= obj <= 256 else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any) -> None:
        super().__init__(file)
        self._ints: dict[int, int] = {}

    def persistent_load(self, pid: Any) -> int:
        return self._ints.setdefault(pid, pid)


def steps() -> list[str]:
    return list(_steps)
