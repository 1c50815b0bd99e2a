"""The rows every write leaves: a timeline entry, its photos, the clock a dispatch starts."""

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from django.db import connections, router
from django.db.models.signals import post_save, pre_save
from django.utils import timezone

from wangge.accounts.models import User
from wangge.cases import routing, sla
from wangge.cases.models import (
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Status,
)
from wangge.core import inserts
from wangge.core.images import CleanImage, store_image


def case_number(now: datetime, pk: int) -> str:
    """编号: the day of filing and the id, at least six digits (20261122000042)."""
    return f"{timezone.localdate(now):%Y%m%d}{pk:06d}"


def insert_case(case: Case, now: datetime) -> None:
    """Write a new case with its number, which is made of its id. On PostgreSQL one statement:
    the id is drawn from the table's sequence inside it and the number built from that id, so
    the row is written once (an INSERT and then an UPDATE of the number wrote it twice, the
    second time with the unique index on the number). Elsewhere, the INSERT and the UPDATE."""
    if not inserts.available(Case):
        case.save()
        case.number = case_number(now, case.pk)
        Case.objects.filter(pk=case.pk).update(number=case.number)
        return
    alias = router.db_for_write(Case)
    connection = connections[alias]
    cols = inserts.columns(Case, ("number",))
    case._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    pre_save.send(sender=Case, instance=case, raw=False, using=alias, update_fields=None)
    params = [Case._meta.db_table, cols.pk.column, f"{timezone.localdate(now):%Y%m%d}"]
    params += cols.values(case, connection)
    ((pk, number),) = inserts.fetch_all(connection, _numbered_insert_sql(), params)
    case.number = number
    inserts.saved(case, pk, alias)
    post_save.send(
        sender=Case, instance=case, created=True, update_fields=None, raw=False, using=alias
    )


@cache
def _numbered_insert_sql() -> str:
    cols = inserts.columns(Case, ("number",))
    number = connections[router.db_for_write(Case)].ops.quote_name(
        str(Case._meta.get_field("number").column)
    )
    # A volatile WITH query (nextval) is evaluated once, however often it is read. Only
    # placeholders and names from the model go into the text.
    return (
        "WITH n AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id)"  # noqa: S608
        f" INSERT INTO {cols.table} ({cols.pk_column}, {number}, {cols.names})"
        " VALUES ((SELECT id FROM n),"
        " %s || lpad((SELECT id FROM n)::text, greatest(6, length((SELECT id FROM n)::text)), '0'),"
        f" {cols.row_placeholders[1:]}"
        f" RETURNING {cols.pk_column}, {number}"
    )


def _event(
    case: Case,
    *,
    action: str,
    actor: User | None,
    from_status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    actor_label: str = "",
    to_status: str | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        from_status=from_status,
        to_status=to_status or case.status,
        note=note,
        data=data or {},
        actor_label=actor_label or (actor.name if actor else ""),
    )


def _attach(case: Case, event: CaseEvent | None, kind: str, photos: Sequence[CleanImage]) -> None:
    for p in photos:
        store_image(CaseAttachment(case=case, event=event, kind=kind), p)


def _apply_route(
    case: Case, route: routing.Route, now: datetime, due_override: datetime | None
) -> None:
    case.routing_reason = route.reason
    case.status = route.status
    if route.status != Status.DISPATCHED:
        return
    case.handling_level = route.level
    case.handling_node = route.node
    case.assignee = route.assignee
    _start_clock(case, now, due_override)


def _start_clock(case: Case, now: datetime, due_override: datetime | None = None) -> None:
    deadlines = sla.compute(now, case.category, case.urgency)
    case.dispatched_at = now
    case.sign_due_at = deadlines.sign_due_at
    case.contact_due_at = deadlines.contact_due_at
    case.due_at, case.warn_at = deadlines.due_at, deadlines.warn_at
    case.deadline_provisional = deadlines.provisional
    if due_override is not None and due_override > now:
        # The sender's deadline rules; warn at 75 % of the time it leaves.
        case.due_at = due_override
        case.warn_at = now + (due_override - now) * sla.YELLOW_FRACTION
    case.card = Card.NONE
