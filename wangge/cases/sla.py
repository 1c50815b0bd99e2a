"""The sweep that watches the deadlines (cases.deadlines holds how they are counted), and the
recount of provisional deadlines when a year's holidays arrive.

Deadlines are stored on the case (`sign_due_at`, `contact_due_at`, `due_at`, `warn_at`) and
indexed, so the sweep is a range scan. It changes each row with a conditional UPDATE
(`… WHERE card <> 'red'`) and acts only when its own UPDATE changed the row: two workers
sweeping at once escalate each case exactly once. A card given is announced by
`services.notices.card_announce` in the same savepoint.

The deadline names stay importable from here (`sla.compute`, `sla.calendar` …), where the
apps above the case loop read them.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases.actions import Action, Event
from wangge.cases.deadlines import (
    DEFAULT_CONTACT,
    DEFAULT_RESOLVE,
    DEFAULT_SIGN,
    EMERGENCY_RESOLVE,
    EMERGENCY_SIGN,
    YELLOW_FRACTION,
    Deadlines,
    allowances,
    calendar,
    compute,
    invalidate_calendar,
    provisional,
    remaining,
    shifted_deadlines,
)
from wangge.cases.models import CLOCK_STATUSES, Card, Case
from wangge.cases.services.notices import card_announce
from wangge.cases.timeline import event_write

__all__ = [
    "DEFAULT_CONTACT",
    "DEFAULT_RESOLVE",
    "DEFAULT_SIGN",
    "EMERGENCY_RESOLVE",
    "EMERGENCY_SIGN",
    "YELLOW_FRACTION",
    "Deadlines",
    "SweepResult",
    "allowances",
    "calendar",
    "compute",
    "invalidate_calendar",
    "provisional",
    "provisional_recount",
    "remaining",
    "shifted_deadlines",
    "sweep",
]

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    yellow: int = 0
    red: int = 0
    failed: list[str] = field(default_factory=list)  # case numbers whose card could not be set


def _card_one(pk: int, card: str, now: datetime, result: SweepResult) -> None:
    """One case's card, in its own savepoint: a case whose notification raises keeps no card
    (the next sweep tries it again) and costs the other cases nothing."""
    try:
        with transaction.atomic():
            qs = Case.objects.filter(pk=pk, status__in=CLOCK_STATUSES)
            if card == Card.YELLOW:
                changed = qs.filter(card=Card.NONE).update(card=Card.YELLOW, updated_at=now)
            else:
                changed = qs.exclude(card=Card.RED).update(
                    card=Card.RED, supervised=True, was_overdue=True, updated_at=now
                )
            if changed:
                # The timeline row and who is told, in this savepoint: if telling fails, the
                # card is rolled back with it and the next sweep gives it again.
                card_announce(case_id=pk, card=card)
    except Exception:
        number = Case.objects.filter(pk=pk).values_list("number", flat=True).first() or f"#{pk}"
        logger.exception("SLA sweep: %s card for case %s failed", card, number)
        result.failed.append(number)
    else:
        if changed:
            if card == Card.YELLOW:
                result.yellow += 1
            else:
                result.red += 1


def sweep(now: datetime | None = None, batch: int = 500) -> SweepResult:
    """Mark yellow and red cards; put overdue cases under supervision and tell people once.

    A case that fails is logged with its number and skipped; the result names the failures
    (the periodic task then ends in RunIncomplete, so the worker records the run as failed)."""
    now = now or timezone.now()
    result = SweepResult()
    yellow_ids = list(
        Case.objects.filter(
            status__in=CLOCK_STATUSES, card=Card.NONE, warn_at__lte=now, due_at__gt=now
        ).values_list("pk", flat=True)[:batch]
    )
    for pk in yellow_ids:
        _card_one(pk, Card.YELLOW, now, result)
    red_ids = list(
        Case.objects.filter(status__in=CLOCK_STATUSES, due_at__lte=now)
        .exclude(card=Card.RED)
        .values_list("pk", flat=True)[:batch]
    )
    for pk in red_ids:
        _card_one(pk, Card.RED, now, result)
    if result.failed:
        logger.error(
            "SLA sweep: %d yellow, %d red; failed: %s",
            result.yellow,
            result.red,
            ", ".join(result.failed),
        )
    return result


def provisional_recount() -> int:
    """Recount the deadlines of open cases that were provisional, on the calendar as it now is
    (a year's arrangement was just loaded); each gets a timeline row when its deadline moves.
    Returns how many were recounted."""
    count = 0
    cases = Case.objects.select_related("category").filter(
        deadline_provisional=True, status__in=CLOCK_STATUSES, dispatched_at__isnull=False
    )
    for case in cases:
        with transaction.atomic():
            before = case.due_at
            resumed = (
                case.events.filter(action=Action.RESUME, created_at__gte=case.dispatched_at)
                .order_by("-created_at", "-id")
                .first()
            )
            if resumed is not None:
                # The clock restarted with what was left when it stopped: count that again.
                left = float(resumed.data.get("remaining_seconds", 0.0))
                working = bool(resumed.data.get("working", True))
                due, warn = shifted_deadlines(case, resumed.created_at, left, working)
                case.due_at, case.warn_at = due, warn
                case.deadline_provisional = working and provisional(resumed.created_at, due)
            else:
                assert case.dispatched_at is not None
                d = compute(case.dispatched_at, case.category, case.urgency)
                case.sign_due_at, case.contact_due_at = d.sign_due_at, d.contact_due_at
                # A sender's own deadline (12345) stands, as it did when the clock started;
                # a reopened case started again without it.
                sender_due = (
                    case.reopen_count == 0
                    and case.requested_due_at is not None
                    and case.requested_due_at > case.dispatched_at
                )
                if not sender_due:
                    case.due_at, case.warn_at = d.due_at, d.warn_at
                case.deadline_provisional = d.provisional
            case.save(
                update_fields=[
                    "sign_due_at",
                    "contact_due_at",
                    "due_at",
                    "warn_at",
                    "deadline_provisional",
                    "updated_at",
                ]
            )
            if before != case.due_at and case.due_at is not None:
                event_write(
                    case,
                    action=Event.RECOUNT,
                    actor=None,
                    actor_label=_("系统"),
                    note=_("节假日安排已导入，办理时限重新计算为 %(d)s")
                    % {"d": timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M")},
                )
            count += 1
    return count
