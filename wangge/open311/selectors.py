"""Reads behind the Open311 endpoints: the services (leaf categories of the 派单目录) and the
service requests a token user may see (`cases_visible`, the one scope rule of the case loop,
plus the requests that user filed)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from wangge.accounts.models import User
from wangge.cases.actions import Event
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Category, Status
from wangge.cases.selectors import OFF_BOARD_STATUSES, cases_visible
from wangge.core.db import planned_for_its_values, walked_in_index_order

# What Open311 calls "closed": the loop is over, one way or another.
CLOSED_STATUSES = (Status.CLOSED, Status.VOIDED, Status.MERGED)

# The columns a service request is written from (serializers.service_request), read as plain
# rows: a page of requests builds no model instances, and of a case's related rows it reads
# only the names it prints.
ROW_FIELDS = (
    "id",
    "number",
    "status",
    "description",
    "address",
    "lon",
    "lat",
    "created_at",
    "updated_at",
    "due_at",
    "is_public",
    "parent_id",
    "handling_node_id",
    "category__code",
    "category__name",
    "category__resolve_amount",
    "category__resolve_unit",
    "handling_node__name",
    "street__name",
    "building__code",
)
Row = dict[str, Any]


def leaf_services() -> QuerySet[Category]:
    """Categories a request can be filed under: active, with no sub-categories (intake refuses
    a category that has children)."""
    return (
        Category.objects.filter(is_active=True, children__isnull=True)
        .select_related("parent", "department")
        .order_by("code")
    )


def service_by_code(code: str) -> Category | None:
    return leaf_services().filter(code=code).first()


def requests_visible(user: User) -> QuerySet[Case]:
    """`cases_visible`, and the requests this user filed: an app's api_key reads back what it
    posted (an Open311 report names its own reporter, so it is not the key's user's case)."""
    filed = CaseEvent.objects.filter(action=Event.INTAKE, actor=user).values("case_id")
    return cases_visible(user) | Case.objects.filter(pk__in=filed)


def _with_photos(rows: list[Row]) -> list[Row]:
    """The first photo is printed only for a case on 身边事 (`on_public_board`): only those are
    asked for, so a page with none of them costs no query. Sets row["photo"] (a stored name or
    None) on every row."""
    public = [
        r["id"]
        for r in rows
        if r["is_public"] and r["parent_id"] is None and r["status"] not in OFF_BOARD_STATUSES
    ]
    first: dict[int, str] = {}
    if public:
        photos = (
            CaseAttachment.objects.filter(case_id__in=public)
            .order_by("case_id", "created_at", "id")
            .values_list("case_id", "image")
        )
        for case_id, image in photos:
            first.setdefault(case_id, image)
    for r in rows:
        r["photo"] = first.get(r["id"])
    return rows


@dataclass
class Page:
    rows: list[Row]
    has_next: bool


def requests_for(
    user: User,
    *,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
    page: int = 1,
    page_size: int = 100,
    within: str = "",
) -> Page:
    """One page of the cases for GET requests, newest first. Scope is the token user's: a
    worker of grid B gets nothing of grid A, whatever the filters say. `within`: the path of
    the jurisdiction asked for (a district's requests only)."""
    qs = requests_visible(user).exclude(number__isnull=True)
    if within:
        qs = qs.filter(grid_path__startswith=within)
    if ids:
        qs = qs.filter(number__in=ids)
    else:
        if service_codes:
            qs = qs.filter(category__code__in=service_codes)
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        wanted = set(statuses or ())
        if wanted == {"open"}:
            qs = qs.exclude(status__in=CLOSED_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.filter(status__in=CLOSED_STATUSES)
    offset = (page - 1) * page_size
    # One row more than the page says whether another page follows, without a COUNT(*). The
    # page is read by walking the newest-first index (case_newest_first) and stops at its
    # last row: never a sort of the window, which PostgreSQL chose whenever the statistics
    # were behind the table's growth. The statement is planned with its values each time,
    # never prepared with a guess.
    with planned_for_its_values(), walked_in_index_order():
        rows = list(
            qs.values(*ROW_FIELDS).order_by("-created_at", "-id")[offset : offset + page_size + 1]
        )
    return Page(rows=_with_photos(rows[:page_size]), has_next=len(rows) > page_size)


def request_by_number(user: User, number: str) -> Row | None:
    """One case by its number, or None when it does not exist or is out of the user's scope
    (the two look the same to the client)."""
    if not number:
        return None
    rows = list(requests_visible(user).filter(number=number).values(*ROW_FIELDS)[:1])
    return _with_photos(rows)[0] if rows else None
