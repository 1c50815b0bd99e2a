"""Scheduled runs over many units (a report per community, a circular per street): one unit's
failure is logged and the run goes on, so it does not cost the others their report; the run
then ends in RunIncomplete naming the failed units, and the worker records the task as failed.
Each unit's work is its own transaction (the callers' services are atomic), and running again
regenerates in place."""

import logging
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

logger = logging.getLogger(__name__)


class Unit(Protocol):
    """A grid node, as far as a run needs one (core depends on no other app)."""

    @property
    def code(self) -> str: ...


U = TypeVar("U", bound=Unit)


class RunIncomplete(Exception):
    """Some units of a scheduled run failed; the rest were made."""


def for_each_unit(what: str, units: Iterable[U], make: Callable[[U], object]) -> int:
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
