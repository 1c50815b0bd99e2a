"""The written-out INSERTs prepare a row's values with shortcuts (None, a str or a bool written
as is for Django's plain fields): every value must be the one each field's own preparation
gives (`get_db_prep_save(pre_save(obj))`), for every field of the models written this way."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from wangge.cases.models import Case, CaseEvent, Status
from wangge.core import inserts
from wangge.notifications.models import Notification

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _comparable(value: Any) -> Any:
    # psycopg's JSON wrapper (a JSONField's value on PostgreSQL) has no equality of its own.
    if type(value).__module__ == "psycopg.types.json":
        return (type(value), value.obj)
    return (type(value), value)


def _same(obj: Any, without: tuple[str, ...] = ()) -> None:
    cols = inserts.columns(type(obj), without)
    fast = cols.values(obj, connection)
    # What the INSERT compiler prepares, field by field, without values()'s shortcuts.
    slow = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in cols.fields]
    assert [(f.name, _comparable(v)) for f, v in zip(cols.fields, fast, strict=True)] == [
        (f.name, _comparable(v)) for f, v in zip(cols.fields, slow, strict=True)
    ]


@pytest.mark.parametrize(
    ("description", "kw"),
    [
        ("小区门口有人摆摊占道，堵住出入口", {"reporter_phone": "13912345678"}),
        ("楼道里有人飞线充电", {"category": "XF-01"}),
        ("有人乱扔垃圾", {"at": None, "category": ""}),
    ],
)
def test_the_values_of_an_intakes_rows(
    report: Callable[..., Case], time_machine: Any, description: str, kw: dict[str, Any]
) -> None:
    time_machine.move_to(NOW, tick=False)
    case = report(description, **kw)
    _same(Case.objects.get(pk=case.pk), ("number",))
    _same(case, ("number",))
    for event in CaseEvent.objects.filter(case=case):
        _same(event)
    for row in Notification.objects.filter(topic=f"case:{case.pk}"):
        _same(row)


def test_the_values_of_rows_with_every_kind_of_value(time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)
    # Unsaved, with defaults, with lazy and enum values and with values of other types than
    # the field's own (ints for booleans, a str for a float): the slow way each time.
    _same(Case(description="x", status=Status.PENDING), ("number",))
    _same(Case(description="x", status="pending", lon=1, is_public=1, supervised=0), ("number",))
    _same(Case(description="x", title=Status.CLOSED.label, lat="34.7"), ("number",))
    _same(CaseEvent(action="intake", data={"a": 1}, note=""))
    _same(Notification(title="t", body="b", link="/", topic="x"))
    # Floats and aware datetimes (in any zone) go as they are on PostgreSQL; a naive datetime
    # is made aware by the field, with its warning, on both sides.
    utc = NOW.astimezone(ZoneInfo("UTC"))
    _same(Case(description="x", lon=113.62, lat=34.75, due_at=NOW, warn_at=utc), ("number",))
    with pytest.warns(RuntimeWarning, match="naive datetime"):
        _same(Case(description="x", due_at=datetime(2026, 11, 23, 9, 30)), ("number",))


def _state(obj: Any) -> dict[str, Any]:
    """The instance's field values and its cached related objects, by name."""
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    return {**values, "cached": dict(obj._state.fields_cache)}


@pytest.mark.django_db
def test_new_makes_the_instance_the_keyword_constructor_makes(
    report: Callable[..., Case], time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    case = report("楼道里有人飞线充电", category="XF-01")
    category, reporter = case.category, case.reporter
    examples: list[tuple[type[Any], dict[str, Any]]] = [
        (Case, {"description": "x"}),
        # Related objects by name (set through their field), ids by attname, None for either.
        (Case, {"description": "x", "category": category, "reporter": reporter, "lon": 1.5}),
        (Case, {"description": "x", "category": None, "reporter_id": reporter.pk}),
        (Case, {"title": Status.CLOSED.label, "status": Status.PENDING, "is_public": True}),
        (CaseEvent, {"case": case, "action": "intake", "actor": None, "data": {"a": 1}}),
        (Notification, {"recipient": reporter, "title": "t", "body": "b", "topic": "x"}),
    ]
    for model, values in examples:
        slow, fast = model(**values), inserts.new(model, **values)
        assert type(fast) is model
        assert _state(fast) == _state(slow), (model, values)
        assert (fast._state.adding, fast._state.db) == (slow._state.adding, slow._state.db)
    with pytest.raises(TypeError, match="no field named colour"):
        inserts.new(Case, description="x", colour="red")
