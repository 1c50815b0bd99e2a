"""Cases are never hard-deleted. A case that should not be handled is 作废 (Action.VOID): it
keeps its number, its timeline and its photos, and every report still counts it.

Four locks, so no path removes one by accident:
- `Case.delete()` and `Case.objects.….delete()` raise `CaseNotDeletable`;
- a `pre_delete` receiver refuses the deletions Django makes on its own (a cascade from another
  row, the admin's bulk action) — nothing on `Case` cascades today, and tests/cases check that
  every foreign key on it stays PROTECT or SET_NULL;
- the admin offers no deletion (`CaseAdmin.has_delete_permission`);
- on PostgreSQL a BEFORE DELETE trigger refuses raw SQL too (migration 0008). SQLite has none:
  Django's `flush` (run between transactional tests) empties tables there with DELETE, which a
  trigger would refuse; PostgreSQL's flush is TRUNCATE, which row triggers do not see.

The one exception is sample data: `case_purge_sample` removes the cases of the generated demo
district (grids marked 示例数据) when `seed_demo --reset` rebuilds it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, transaction
from django.db.models.deletion import Collector

from wangge.cases.models import Case, CaseNotDeletable
from wangge.core.scope import minimal_paths, scope_q
from wangge.grids.models import GridNode

_purging_sample: ContextVar[bool] = ContextVar("purging_sample_cases", default=False)

# The PostgreSQL trigger lets a deletion through only inside case_purge_sample's transaction.
PURGE_SETTING = "wangge.purge_sample_cases"


def refuse_case_deletion(sender: type, instance: Any, **kwargs: object) -> None:
    """pre_delete receiver for Case."""
    if not _purging_sample.get():
        raise CaseNotDeletable


@contextmanager
def _purge_allowed() -> Iterator[None]:
    token = _purging_sample.set(True)
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        yield
    finally:
        _purging_sample.reset(token)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [PURGE_SETTING])


@transaction.atomic
def case_purge_sample() -> int:
    """Delete the cases filed in sample grids (the generated demo district), with their
    timelines; real grids' cases are never touched. Returns how many cases went."""
    paths = minimal_paths(GridNode.objects.filter(is_sample=True).values_list("path", flat=True))
    q = scope_q(paths, "grid_path")
    assert q is not None
    cases = Case.objects.filter(q)
    cases.update(parent=None)  # merged cases protect their parents
    doomed = list(cases)
    with _purge_allowed():
        collector = Collector(using=Case.objects.db)
        collector.collect(doomed)
        collector.delete()
    return len(doomed)
