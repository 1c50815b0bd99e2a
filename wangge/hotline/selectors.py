"""Reads of the 12345 adapter: who may use it, deliveries needing attention, the desk's lookups."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.cases import routing
from wangge.cases.models import Case, Channel
from wangge.cases.selectors import SimilarCase, cases_visible, similar_open_cases_near
from wangge.cases.workflow import caller_visible, can_view
from wangge.core import pii
from wangge.core.errors import NotFound, PermissionDenied
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import nodes_in_scope
from wangge.hotline.models import Delivery, HotlineOrder, Recording


def is_hotline_operator(user: User) -> bool:
    """The street operations centre and administrators take 12345 orders and watch 回传."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.has_role(Role.STREET_DISPATCHER, Role.ADMIN)


def _require_operator(user: User) -> None:
    if not is_hotline_operator(user):
        raise PermissionDenied(_("只有街道城运中心派单员和系统管理员可以使用12345热线功能"))


def deliveries_visible(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(case__in=cases_visible(user).values("pk"))


def access_delivery(user: User, delivery_id: int) -> Delivery:
    _require_operator(user)
    delivery = deliveries_visible(user).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound(_("回传记录不存在或无权查看"))
    return delivery


def deliveries_needing_attention(user: User) -> QuerySet[Delivery]:
    """Failed deliveries first (a person must push them again), then pending ones, each marked
    when it is only waiting for an earlier delivery of the same case."""
    _require_operator(user)
    earlier = Delivery.objects.filter(
        case_id=OuterRef("case_id"),
        pk__lt=OuterRef("pk"),
        state__in=(Delivery.State.PENDING, Delivery.State.FAILED),
    )
    return (
        deliveries_visible(user)
        .filter(state__in=(Delivery.State.FAILED, Delivery.State.PENDING))
        .annotate(held_back=Exists(earlier))
        .select_related("case")
        .order_by("state", "created_at", "id")  # "failed" sorts before "pending"
    )


def caller_history(user: User, phone: str, limit: int = 20) -> list[Case]:
    """The caller's earlier cases, from any channel, as far as the user may see."""
    _require_operator(user)
    return list(
        cases_visible(user)
        .filter(reporter_phone_hash=pii.phone_hash(phone))
        .select_related("category", "handling_node")
        .order_by("-created_at", "-id")[:limit]
    )


def desk_streets(user: User) -> list[GridNode]:
    """Streets the user may name as 承办单位 on the desk form."""
    return list(nodes_in_scope(user, [GridLevel.STREET]))


@dataclass
class SimilarCases:
    located: bool
    where: str
    cases: list[SimilarCase] = field(default_factory=list)


def similar_open_cases(user: User, *, address: str, content: str, limit: int = 10) -> SimilarCases:
    """Open cases near the typed address (same micro-grid, or within 300 m) that tell the same
    problem, so a repeated call is merged instead of dispatched twice."""
    _require_operator(user)
    place = routing.locate_place(lon=None, lat=None, crs="wgs84", address=address)
    where = "；".join(place.reasons)
    if place.micro_grid is None and place.lon is None:
        return SimilarCases(located=False, where=where)
    found = similar_open_cases_near(
        user,
        text=content,
        micro_grid_id=place.micro_grid.pk if place.micro_grid else None,
        lon=place.lon,
        lat=place.lat,
        limit=limit,
    )
    return SimilarCases(located=True, where=where, cases=found)


def desk_place(user: User, *, address: str, content: str) -> str:
    """Where the intake will put a call whose address or 诉求内容 describes a place without a
    building, as the operator types: "由“建设路与桐柏路交叉口东北角”推定：B1 微网格". Read as
    the intake reads them (the address first, else the text); empty for anything else, so the
    desk never shows a guess the case would not make."""
    _require_operator(user)
    if not (address.strip() or content.strip()):
        return ""
    place = routing.locate_place(lon=None, lat=None, crs="wgs84", address=address, text=content)
    if not place.phrase or place.micro_grid is None:
        return ""
    return _("由“%(phrase)s”推定：%(where)s") % {
        "phrase": place.phrase,
        "where": place.micro_grid.name,
    }


def recordings_audible(user: User, case: Case) -> list[Recording]:
    """The case's call recordings, for those who may see the case; a 保密件's for the desk
    alone, since a caller's voice and the number read out name them as surely as the form."""
    if not (can_view(case, user) and caller_visible(case, user)):
        return []
    return list(Recording.objects.filter(case=case).order_by("created_at", "id"))


def recording_visible(user: User, name: str) -> bool:
    """The protected media view's question for a stored recording (hotline/<case>/<token>…)."""
    parts = name.split("/")
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    row = Recording.objects.filter(case_id=int(parts[1]), file=name).select_related("case").first()
    return row is not None and can_view(row.case, user) and caller_visible(row.case, user)


def followup_waived(case: Case) -> str:
    """The case loop's question at verification: did the platform say no 回访 is wanted?"""
    if case.channel != Channel.HOTLINE:
        return ""
    if HotlineOrder.objects.filter(case=case, needs_reply=False).exists():
        return _("12345工单无需回访")
    return ""
