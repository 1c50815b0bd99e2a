"""What residents see of cases: 身边事, the board of the reports their reporters chose to show,
and a reporter's own case in plain steps. Neither shows a name, a phone or an internal note."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _lazy

from wangge.cases.models import Case, CaseAttachment, Status
from wangge.grids.models import GridNode

# Cases neighbours are not shown on 身边事 even when the reporter made them public.
OFF_BOARD_STATUSES = (Status.VOIDED, Status.MERGED)


def on_public_board(case: Case) -> bool:
    """The case is on 身边事: its reporter chose to show it, and it is news (the rule of
    `public_board`, for one case already in hand)."""
    return (
        case.is_public
        and case.public_hold == Case.PublicHold.NONE
        and not case.is_confidential
        and case.parent_id is None
        and case.status not in OFF_BOARD_STATUSES
    )


def public_board(node: GridNode | None) -> QuerySet[Case]:
    """身边事: what residents chose to show their neighbours, newest first.

    Voided or merged cases are not news, and a 保密件 is never shown; the reporter's name and
    phone never leave the server through this list (the page prints only
    `is_anonymous_public`'s choice of label).
    """
    # A report whose words content security has not passed (审核中, or hidden) is not shown.
    qs = Case.objects.filter(
        is_public=True,
        public_hold=Case.PublicHold.NONE,
        is_confidential=False,
        parent__isnull=True,
    ).exclude(status__in=OFF_BOARD_STATUSES)
    if node is not None:
        qs = qs.filter(grid_path__startswith=node.path)
    return qs.select_related("category", "micro_grid", "reporter").order_by("-created_at")


# The steps a resident follows, in plain words; a status counts as having reached the step.
RESIDENT_STEPS: tuple[tuple[Promise, tuple[str, ...]], ...] = (
    (
        _lazy("已受理"),
        (
            "pending",
            "dispatched",
            "signed",
            "suspended",
            "resolved",
            "verified",
            "closed",
            "returned",
        ),
    ),
    (
        _lazy("已派给办理人"),
        ("dispatched", "signed", "suspended", "resolved", "verified", "closed"),
    ),
    (_lazy("正在处理"), ("signed", "suspended", "resolved", "verified", "closed")),
    (_lazy("已办好"), ("resolved", "verified", "closed")),
    (_lazy("已回访结案"), ("closed",)),
)
# Timeline rows a reporter is shown (the rest is internal: routing, cards, recounts, 吹哨).
RESIDENT_EVENTS: dict[str, Promise] = {
    "intake": _lazy("收到您的反映"),
    "accept": _lazy("已受理"),
    "dispatch": _lazy("已派单"),
    "route": _lazy("已派单"),
    "transfer": _lazy("已转给更合适的单位"),
    "sign": _lazy("办理人已签收"),
    "contact": _lazy("办理人已联系您"),
    "resolve": _lazy("已办好"),
    "verify_pass": _lazy("已核查"),
    "verify_fail": _lazy("核查未通过，重新办理"),
    "rate": _lazy("您已评价"),
    "follow_up": _lazy("已回访"),
    "reopen": _lazy("重新办理"),
}


@dataclass(frozen=True)
class ResidentCaseView:
    steps: list[tuple[str, str]]  # (words, "done" | "current" | "todo")
    handler: str  # the person (or unit) handling it, by name
    due_at: datetime | None
    before: list[Any]  # photos of the problem (the report's and the handler's 处置前)
    after: list[Any]  # 处置后
    events: list[tuple[datetime, str]]


def resident_case_view(case: Case) -> ResidentCaseView:
    """What the reporter sees of their case: plain steps, who and by when, before and after —
    never routing scores, card colours or internal notes."""
    reached = [case.status in statuses for _words, statuses in RESIDENT_STEPS]
    last = max((i for i, r in enumerate(reached) if r), default=-1)
    steps = [
        (str(words), "done" if i < last else "current" if i == last else "todo")
        for i, (words, _statuses) in enumerate(RESIDENT_STEPS)
    ]
    handler = ""
    if case.assignee_id and case.assignee:
        handler = case.assignee.name
    elif case.handling_node_id and case.handling_node:
        handler = case.handling_node.name
    photos = list(case.attachments.all())
    before = [
        p for p in photos if p.kind in (CaseAttachment.Kind.REPORT, CaseAttachment.Kind.BEFORE)
    ]
    after = [p for p in photos if p.kind == CaseAttachment.Kind.AFTER]
    events = [
        (e.created_at, str(RESIDENT_EVENTS[e.action]))
        for e in case.events.order_by("created_at", "pk")
        if e.action in RESIDENT_EVENTS
    ]
    return ResidentCaseView(steps, handler, case.due_at, before, after, events)
