"""`core.raw`: a written-out SELECT gives the same instances the ORM loads, converters and all."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.core import raw


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_rows_are_the_instances_the_orm_loads(make_user: Callable[..., User]) -> None:
    seen = datetime(2026, 11, 23, 9, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    one, two = make_user(name="周敏"), make_user(name="李志强")
    User.objects.filter(pk=one.pk).update(guide_seen_at=seen)
    User.objects.filter(pk=two.pk).update(is_active=False)
    users = raw.reader(User)
    sql = f"SELECT {users.select_list('u')} FROM {User._meta.db_table} u WHERE u.id IN (%s, %s)"  # noqa: S608
    rows = users.rows(sql + " ORDER BY u.id", [one.pk, two.pk])
    loaded = list(User.objects.filter(pk__in=[one.pk, two.pk]).order_by("id"))
    assert [_fields(r) for r in rows] == [_fields(u) for u in loaded]
    assert rows[0].guide_seen_at == seen and rows[1].is_active is False
    assert not rows[0]._state.adding and rows[0]._state.db == "default"
    # Saved again, nothing changes: the instance is a whole one, no field deferred.
    assert rows[0].get_deferred_fields() == set()


def test_a_model_with_float_boolean_and_nullable_columns(report: Callable[..., Case]) -> None:
    case = report()
    cases = raw.reader(Case)
    sql = f"SELECT {cases.select_list('c')} FROM {Case._meta.db_table} c WHERE c.id = %s"  # noqa: S608
    (row,) = cases.rows(sql, [case.pk])
    assert _fields(row) == _fields(Case.objects.get(pk=case.pk))
    assert row.lon is not None and row.is_public is False and row.parent_id is None
