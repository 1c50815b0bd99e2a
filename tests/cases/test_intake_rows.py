"""An intake's rows on PostgreSQL are written by a statement of its own (the case, its number
drawn inside it, with its timeline and inbox rows): they must be the rows the ORM writes."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.forms.models import model_to_dict

from wangge.accounts.models import User
from wangge.cases.models import Case, CaseEvent, Status
from wangge.core.errors import ValidationFailed
from wangge.notifications.models import Notification

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

# What differs between two cases filed alike: the id, what is made of it, and the phone's
# ciphertext (a fresh nonce each time; its hash and masked form are compared).
CASE_OWN = {"id", "number", "reporter_phone_encrypted"}


def _rows(case: Case) -> dict[str, Any]:
    row = model_to_dict(Case.objects.get(pk=case.pk))
    row.update(
        created_at=case.created_at,
        updated_at=case.updated_at,
        content_hash=case.content_hash,
        reporter_phone_hash=case.reporter_phone_hash,
        reporter_phone_masked=case.reporter_phone_masked,
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.number == f"{NOW:%Y%m%d}{case.pk:06d}" == case.number
    events = [
        {k: getattr(e, k) for k in ("action", "actor_id", "actor_label", "from_status")}
        | {k: getattr(e, k) for k in ("to_status", "note", "data", "created_at")}
        for e in CaseEvent.objects.filter(case=case).order_by("id")
    ]
    inbox = [
        (n.recipient_id, n.title.replace(case.number or "?", "#"), n.body, n.created_at, n.read_at)
        for n in Notification.objects.filter(topic=f"case:{case.pk}").order_by("id")
    ]
    assert all(
        n.link == f"/cases/{case.pk}/" for n in Notification.objects.filter(topic=f"case:{case.pk}")
    )
    return {"case": {k: v for k, v in row.items() if k not in CASE_OWN}, "events": events} | {
        "inbox": inbox
    }


@pytest.mark.parametrize(
    ("description", "kw"),
    [
        # 一般: the grid worker, the reporter told; a phone given.
        ("小区门口有人摆摊占道，堵住出入口", {"reporter_phone": "13912345678"}),
        # 疑难: the street's desk, whose handlers are found by a query of their own.
        ("楼道里有人飞线充电", {"category": "XF-01"}),
        # Nowhere: pending at the district's triage queue, not dispatched.
        ("有人乱扔垃圾", {"at": None}),
    ],
)
def test_the_intake_statements_write_the_rows_the_orm_writes(
    report: Callable[..., Case],
    people: dict[str, User],
    monkeypatch: pytest.MonkeyPatch,
    time_machine: Any,
    description: str,
    kw: dict[str, Any],
) -> None:
    time_machine.move_to(NOW, tick=False)
    written = report(description, **kw)
    # The same report through Model.save(), the UPDATE of the number and bulk_create().
    monkeypatch.setattr("wangge.core.inserts.available", lambda model: False)
    saved = report(description, **kw)
    assert saved.pk != written.pk
    mine, orms = _rows(written), _rows(saved)
    assert mine == orms
    assert mine["events"] and mine["events"][0]["action"] == "intake"
    if written.status == Status.DISPATCHED:
        assert len(mine["inbox"]) >= 2  # the handler(s) and the reporter


def test_the_objects_are_left_as_save_leaves_them(report: Callable[..., Case]) -> None:
    case = report()
    assert case.pk and not case._state.adding and case._state.db == "default"
    assert case.number == Case.objects.get(pk=case.pk).number
    # The intake event the signal receivers were given is a saved row of this case.
    assert CaseEvent.objects.filter(case=case, action="intake").count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the number's SQL is PostgreSQL's")
def test_a_number_keeps_every_digit_of_an_id_past_six(report: Callable[..., Case]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), 1234566)")
    case = report()
    assert case.pk == 1234567
    assert Case.objects.get(pk=case.pk).number.endswith("1234567")
    assert len(Case.objects.get(pk=case.pk).number) == 8 + 7


@pytest.mark.parametrize("field", ["description", "title", "address", "reporter_name"])
def test_a_nul_from_outside_a_request_is_refused_and_nothing_is_written(
    report: Callable[..., Case], field: str
) -> None:
    """A request with a NUL never reaches a view; an order read from a file or given to a
    command does. Written as given it would turn a crafted text into the case's number."""
    text = "门口占道 " + "\x00id\x00"
    kw = {"description": text} if field == "description" else {field: text}
    with pytest.raises(ValidationFailed, match="空字符"):
        report(**kw)
    assert not Case.objects.exists()
    assert not Notification.objects.exists()
