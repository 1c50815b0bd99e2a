"""The staff navigation: one table of (label, url name, who may open it), evaluated per user.

A link is shown only to people its page lets in, so the predicates here are the same questions
the pages ask (each names the page's own check). tests/test_nav.py walks every link of every
role and expects the page to open.

The project package holds it (like urls.py) because it names pages of every app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wangge.accounts.models import FIELD_ROLES, User
from wangge.audit.selectors import is_auditor
from wangge.cases.selectors import may_view_kpis
from wangge.hotline.selectors import is_hotline_operator
from wangge.partners.services import may_read
from wangge.party.selectors import is_party_staff
from wangge.residents.selectors import may_see_wishes


def signed_in(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_grid_staff(user: User) -> bool:
    return signed_in(user) and user.is_grid_staff


def works_in_the_field(user: User) -> bool:
    """网格员, 网格长, 微网格长, 社区工作者, 专属网格长: their pages are laid out for a phone, with
    the five tabs at the bottom."""
    return signed_in(user) and user.has_role(*FIELD_ROLES)


def not_in_the_field(user: User) -> bool:
    # 事件 leads the others to their own list (分拨台, 部门待办, 我的上报); field staff have 待办.
    return signed_in(user) and not user.has_role(*FIELD_ROLES)


def opens_admin(user: User) -> bool:
    return signed_in(user) and user.is_staff


@dataclass(frozen=True)
class NavItem:
    key: str
    label: Any  # a lazy translation
    url_name: str
    may_open: Callable[[User], bool]
    # One of the five bottom tabs of a field worker's phone (and a top link on a desk).
    tab: bool = False


NAV: tuple[NavItem, ...] = (
    NavItem("queue", _("待办"), "cases:queue", is_grid_staff, tab=True),
    NavItem("patrols", _("巡查"), "patrols:index", is_grid_staff, tab=True),
    NavItem("visits", _("走访"), "residents:overdue", is_grid_staff, tab=True),
    NavItem("ledgers", _("台账"), "ledgers:home", is_grid_staff, tab=True),
    NavItem("me", _("我的"), "home", signed_in, tab=True),
    NavItem("cases", _("事件"), "cases:index", not_in_the_field),
    NavItem("report", _("上报"), "cases:report", signed_in),
    NavItem("assistant", _("小原帮办"), "assistant:chat", signed_in),
    NavItem("hotline", _("热线受理"), "hotline:desk", is_hotline_operator),
    NavItem("supervision", _("督办"), "cases:supervision", is_grid_staff),
    NavItem("kpi", _("考核"), "cases:kpi", may_view_kpis),
    NavItem("ops", _("城运中心"), "ops:index", may_view_kpis),
    NavItem("circulars", _("通报"), "ops:circulars", is_grid_staff),
    NavItem("map", _("网格地图"), "grid-map", is_grid_staff),
    NavItem("residents", _("实有人口"), "residents:list", is_grid_staff),
    NavItem("reach", _("认证率"), "ops:reach-home", is_grid_staff),
    NavItem("kitchen", _("红色厨房"), "kitchen:home", is_grid_staff),
    NavItem("partners", _("共建单位"), "partners:home", may_read),
    NavItem("circle", _("十分钟服务圈"), "ops:circle-home", is_grid_staff),
    NavItem("enterprises", _("企业服务"), "enterprises:registry", is_grid_staff),
    NavItem("wishes", _("微心愿"), "residents:wishes", may_see_wishes),
    NavItem("party", _("党组织"), "party:staff", is_party_staff),
    NavItem("stars", _("五星支部"), "party:staff-stars", is_party_staff),
    NavItem("inbox", _("消息"), "notifications:inbox", signed_in),
    NavItem("audit", _("审计查询"), "audit:index", is_auditor),
    NavItem("admin", _("管理后台"), "admin:index", opens_admin),
)
# A field worker's 待办 only: the others who may open the queue reach their work through 事件.
_FIELD_ONLY = {"queue"}


@dataclass(frozen=True)
class NavLink:
    key: str
    label: Any
    url: str
    tab: bool


@dataclass(frozen=True)
class StaffNav:
    field: bool  # the phone shell: bottom tabs and a compact header
    links: list[NavLink]  # every link this person may open, in table order
    current: str  # the key of the link whose page (or a page under it) is open; "" if none

    @property
    def tabs(self) -> list[NavLink]:
        return [link for link in self.links if link.tab] if self.field else []

    @property
    def top(self) -> list[NavLink]:
        """The desk's top bar; 我的 is the person's name at its end."""
        return [link for link in self.links if link.key != "me"]

    @property
    def more(self) -> list[NavLink]:
        """What 我的 lists beyond the tabs (on a phone there is no top bar)."""
        return [
            link for link in self.links if link.key != "me" and (not link.tab or not self.field)
        ]


def _current(links: list[NavLink], path: str) -> str:
    """The link the open page belongs to: the longest link URL the path starts with ("/" only
    for itself, or every page would belong to 我的)."""
    best = ""
    best_len = 0
    for link in links:
        under = path == link.url if link.url == "/" else path.startswith(link.url)
        if under and len(link.url) > best_len:
            best, best_len = link.key, len(link.url)
    return best


def nav_for(user: User, path: str = "") -> StaffNav:
    field = works_in_the_field(user)
    links = [
        NavLink(item.key, item.label, reverse(item.url_name), item.tab)
        for item in NAV
        if item.may_open(user) and (field or item.key not in _FIELD_ONLY)
    ]
    return StaffNav(field=field, links=links, current=_current(links, path))


def staff_nav(request: HttpRequest) -> dict[str, Any]:
    """Context processor: NAV for the signed-in person, worked out only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"NAV": SimpleLazyObject(lambda: nav_for(user, request.path))}
