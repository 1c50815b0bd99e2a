"""The rows every write leaves: a timeline entry, its photos, the clock a dispatch starts."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from wangge.accounts.models import User
from wangge.cases import routing, sla
from wangge.cases.models import (
    Card,
    Case,
    CaseAttachment,
    CaseEvent,
    Status,
)
from wangge.core.images import CleanImage, store_image


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
