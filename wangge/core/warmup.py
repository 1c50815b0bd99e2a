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
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)

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
    # socket corrupt the protocol): every worker opens its own.
    connections.close_all()
    release_freed_memory()
    logger.info("warm start: %s", timings)
    return timings


def release_freed_memory() -> None:
    """Hand the C heap's free pages back to the system.

    Building the indexes allocates far more than they keep: the point index classifies its
    cells against hundreds of thousands of temporary GEOS boxes (about 40 MB at the demo
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


def steps() -> list[str]:
    return list(_steps)
