"""Reads behind the Open311 endpoints: the services (leaf categories of the 派单目录) and the
service requests a token user may see (`cases_visible`, the one scope rule of the case loop)."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from wangge.accounts.models import User
from wangge.cases.models import Case, CaseAttachment, Category, Status
from wangge.cases.selectors import cases_visible

# What Open311 calls "closed": the loop is over, one way or another.
CLOSED_STATUSES = (Status.CLOSED, Status.VOIDED, Status.MERGED)


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


def _with_output_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    photos = CaseAttachment.objects.order_by("created_at", "id")
    return qs.select_related("category", "handling_node", "street", "building").prefetch_related(
        Prefetch("attachments", queryset=photos)
    )


def requests_for(
    user: User,
    *,
    ids: list[str] | None = None,
    service_codes: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    statuses: list[str] | None = None,
    limit: int = 1000,
) -> list[Case]:
    """Cases for GET requests, newest first. Scope is the token user's: a worker of grid B gets
    nothing of grid A, whatever the filters say."""
    qs = cases_visible(user).exclude(number__isnull=True)
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
    return list(_with_output_relations(qs).order_by("-created_at", "-id")[:limit])


def request_by_number(user: User, number: str) -> Case | None:
    """One case by its number, or None when it does not exist or is out of the user's scope
    (the two look the same to the client)."""
    if not number:
        return None
    return _with_output_relations(cases_visible(user).filter(number=number)).first()
