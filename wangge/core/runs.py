"""Scheduled runs over many units (a report per community, a circular per street): one unit's
failure is logged and the run goes on, so it does not cost the others their report; the run
then ends in RunIncomplete naming the failed units, and the worker records the task as failed.
Each unit's work is its own transaction (the callers' services are atomic), and running again
regenerates in place."""

import logging
from collections.abc import Callable, Iterable

from wangge.grids.models import GridNode

logger = logging.getLogger(__name__)


class RunIncomplete(Exception):
    """Some units of a scheduled run failed; the rest were made."""


def for_each_unit(what: str, units: Iterable[GridNode], make: Callable[[GridNode], object]) -> int:
    """`make(unit)` for every unit; how many were made. Raises RunIncomplete at the end when
    any failed."""
    made, failed = 0, []
    for unit in units:
        try:
            make(unit)
        except Exception:
            logger.exception("%s failed for %s", what, unit.code)
            failed.append(unit.code)
        else:
            made += 1
    if failed:
        raise RunIncomplete(f"{what}: {made} made, failed: {', '.join(failed)}")
    return made
