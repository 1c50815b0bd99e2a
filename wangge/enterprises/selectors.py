"""Reads: which enterprises a person may see, their policy matches, previews and lists.

Enterprise users see the enterprises they are members of; grid staff see those whose micro-grid
or exclusive grid lies in their subtree (an enterprise inside a mall belongs to the mall's
exclusive grid leader and to the grid worker of the micro-grid under it alike).
"""

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.core.errors import NotFound
from wangge.core.scope import path_in_scope, scope_q
from wangge.enterprises import criteria as crit
from wangge.enterprises.models import (
    Enterprise,
    EnterpriseRequest,
    EnterpriseVisit,
    Industry,
    Policy,
    Size,
)
from wangge.grids.models import GridNode

POLICY_EDITOR_ROLES = (Role.ADMIN, Role.STREET_DISPATCHER)


def _staff_q(user: User, grid_field: str, exclusive_field: str) -> Q | None:
    paths = user.scope_paths()
    if paths is None:
        return None
    staff = scope_q(paths, grid_field)
    exclusive = scope_q(paths, exclusive_field)
    assert staff is not None and exclusive is not None
    return staff | (exclusive & ~Q(**{exclusive_field: ""}))


def enterprises_visible(user: User) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    if user.is_grid_staff:
        q = _staff_q(user, "grid_path", "exclusive_path")
        if q is None:
            return Enterprise.objects.all()
        return Enterprise.objects.filter(q | Q(members=user)).distinct()
    return Enterprise.objects.filter(members=user)


def enterprise_in_scope(user: User, enterprise: Enterprise) -> bool:
    """Staff scope only (not membership): may this person act for the grid on it?"""
    if not user.is_authenticated or not user.is_grid_staff:
        return False
    own = (p for p in (enterprise.grid_path, enterprise.exclusive_path) if p)
    return any(path_in_scope(user, path) for path in own)


def is_member(user: User, enterprise: Enterprise) -> bool:
    return user.is_authenticated and enterprise.members.filter(pk=user.pk).exists()


def access_enterprise(user: User, enterprise_id: int) -> Enterprise:
    e = (
        enterprises_visible(user)
        .select_related("micro_grid", "exclusive_grid")
        .filter(pk=enterprise_id)
        .first()
    )
    if e is None:
        raise NotFound(_not_found())
    return e


def _not_found() -> str:
    return _("企业不存在或无权查看")


def my_enterprises(user: User) -> QuerySet[Enterprise]:
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(members=user).select_related("micro_grid", "exclusive_grid")


@dataclass
class EnterpriseFilter:
    q: str = ""
    industry: str = ""
    size: str = ""
    grid: str = ""
    tag: str = ""


def enterprise_list(user: User, f: EnterpriseFilter) -> QuerySet[Enterprise]:
    qs = enterprises_visible(user).select_related("micro_grid", "exclusive_grid")
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(uscc__iexact=f.q) | Q(address__icontains=f.q))
    if f.industry in Industry.values:
        qs = qs.filter(industry=f.industry)
    if f.size in Size.values:
        qs = qs.filter(size=f.size)
    if f.grid:
        node = GridNode.objects.filter(code=f.grid).first()
        qs = (
            qs.filter(Q(grid_path__startswith=node.path) | Q(exclusive_path__startswith=node.path))
            if node
            else qs.none()
        )
    if f.tag:
        # Tags are a short JSON list, searched as its serialised text: PostgreSQL shows the tag
        # as written, SQLite stores it with \u escapes (json.dumps), so look for either form.
        qs = qs.filter(Q(tags__icontains=f'"{f.tag}"') | Q(tags__icontains=json.dumps(f.tag)))
    return qs.order_by("name", "pk")


def profile_of(e: Enterprise) -> crit.Profile:
    return crit.Profile(
        industry=e.industry,
        size=e.size,
        founded_on=e.founded_on,
        revenue_band=e.revenue_band,
        headcount=e.headcount,
        tags=frozenset(e.tags or ()),
        paths=tuple(p for p in (e.grid_path, e.exclusive_path) if p),
        answers={str(k): bool(v) for k, v in (e.answers or {}).items()},
    )


def regions_for(codes: Iterable[str]) -> dict[str, crit.Region]:
    codes = set(codes)
    if not codes:
        return {}
    return {
        n.code: crit.Region(code=n.code, name=n.name, path=n.path)
        for n in GridNode.objects.filter(code__in=codes).only("code", "name", "path")
    }


def _all_regions(policies: Iterable[Policy]) -> dict[str, crit.Region]:
    return regions_for(code for p in policies for code in p.criteria_dict().get("regions", []))


ORDER = {crit.QUALIFIED: 0, crit.PENDING: 1, crit.NOT_QUALIFIED: 2}


def policy_matches(e: Enterprise) -> list[tuple[Policy, crit.Match]]:
    """Every published policy with this enterprise's verdict: qualified first, then 待确认."""
    policies = list(Policy.objects.filter(is_published=True).order_by("deadline", "pk"))
    regions = _all_regions(policies)
    profile = profile_of(e)
    rows = [(p, crit.evaluate(p.criteria_dict(), profile, regions)) for p in policies]
    rows.sort(key=lambda r: ORDER[r[1].status])
    return rows


def all_questions(matches: Iterable[tuple[Policy, crit.Match]]) -> list[str]:
    seen: list[str] = []
    for p, _m in matches:
        for text in crit.questions_of(p.criteria_dict()):
            if text not in seen:
                seen.append(text)
    return seen


def iter_matches(
    criteria: Mapping[str, Any],
    enterprises: QuerySet[Enterprise],
    chunk: int = 2000,
    *,
    explain: bool = False,
) -> Iterator[tuple[Enterprise, crit.Match]]:
    """Verdicts over a registry; without reasons unless asked (see criteria.evaluate)."""
    regions = regions_for(criteria.get("regions", []))
    for e in enterprises.iterator(chunk_size=chunk):
        yield e, crit.evaluate(criteria, profile_of(e), regions, explain=explain)


@dataclass
class Preview:
    qualified: int
    pending: int
    not_qualified: int
    sample: list[tuple[Enterprise, crit.Match]]


def policy_preview(user: User, criteria: Mapping[str, Any], limit: int = 20) -> Preview:
    """Who would match, among the enterprises the editor may see."""
    counts = {crit.QUALIFIED: 0, crit.PENDING: 0, crit.NOT_QUALIFIED: 0}
    regions = regions_for(criteria.get("regions", []))
    sample: list[tuple[Enterprise, crit.Match]] = []
    for e, m in iter_matches(criteria, enterprises_visible(user).order_by("name", "pk")):
        counts[m.status] += 1
        if m.status != crit.NOT_QUALIFIED and len(sample) < limit:
            sample.append((e, crit.evaluate(criteria, profile_of(e), regions)))
    return Preview(
        qualified=counts[crit.QUALIFIED],
        pending=counts[crit.PENDING],
        not_qualified=counts[crit.NOT_QUALIFIED],
        sample=sample,
    )


def may_edit_policies(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*POLICY_EDITOR_ROLES))


def policies_all() -> QuerySet[Policy]:
    """The editor's list, each policy with how many enterprises it was announced to."""
    return Policy.objects.annotate(push_count=Count("pushes")).order_by(
        "-is_published", "deadline", "-pk"
    )


def access_policy(user: User, policy_id: int) -> Policy:
    p = Policy.objects.filter(pk=policy_id).first() if may_edit_policies(user) else None
    if p is None:
        raise NotFound(_("政策不存在或无权编辑"))
    return p


def requests_of(e: Enterprise) -> QuerySet[EnterpriseRequest]:
    return e.requests.select_related("case").order_by("-created_at", "-pk")


def visits_visible(user: User) -> QuerySet[EnterpriseVisit]:
    if not user.is_authenticated or not user.is_grid_staff:
        return EnterpriseVisit.objects.none()
    q = _staff_q(user, "grid_path", "exclusive_path")
    qs = EnterpriseVisit.objects.select_related("enterprise", "case")
    return qs if q is None else qs.filter(q)
