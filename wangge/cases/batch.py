"""Batch actions of the dispatcher's desk: the same action on many cases, each case on its own.

Every case goes through `services.case_act` in its own savepoint, so the workflow's rules (state,
scope, the action's own checks) apply to each one, a refusal rolls back only that case, and the
dispatcher gets one line per case saying what happened or why not.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import selectors, services
from wangge.cases.models import Case, Department, Status
from wangge.cases.workflow import Action, allowed_actions
from wangge.core.errors import DomainError, ValidationFailed, error_text
from wangge.core.masking import mask_name
from wangge.grids.coords import distance_m
from wangge.grids.models import GridNode


@dataclass(frozen=True)
class BatchResult:
    case_id: int
    number: str
    title: str
    ok: bool
    message: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _to_department(case: Case, actor: User, department: Department, note: str) -> str:
    """派给职能部门: the case comes to the street's desk, the dispatcher signs it there and
    whistles the department as the lead (吹哨报到) — the steps a person takes on the case page,
    each one the workflow's."""
    if Action.DISPATCH in allowed_actions(case, actor):
        if case.street is None:
            raise ValidationFailed(_("位置未确定，无法派到街道"))
        case = services.case_act(
            case_id=case.pk,
            actor=actor,
            action=Action.DISPATCH,
            note=note,
            params={"node": case.street.code},
        )
    if Action.SIGN in allowed_actions(case, actor):
        case = services.case_act(case_id=case.pk, actor=actor, action=Action.SIGN)
    services.case_act(
        case_id=case.pk,
        actor=actor,
        action=Action.WHISTLE,
        note=note,
        params={"lead": department.code},
    )
    return _("已吹哨，主办部门：%(d)s") % {"d": department.name}


def _parent_for(cases: Sequence[Case], ref: str) -> str:
    """The case the others merge into: the one named, else the earliest of the selection."""
    if ref:
        return ref
    first = min(cases, key=lambda c: (c.created_at, c.pk))
    return first.number or str(first.pk)


@dataclass(frozen=True)
class MergeCandidate:
    """One ticked case beside the case it would merge into, and why it may be another matter."""

    case: Case
    reporter: str
    distance_m: float | None
    days_apart: float
    similarity: int
    doubts: tuple[str, ...]


@dataclass(frozen=True)
class MergePreview:
    parent: Case | None
    parent_ref: str
    parent_reporter: str
    others: list[MergeCandidate]

    @property
    def doubtful(self) -> list[MergeCandidate]:
        return [c for c in self.others if c.doubts]


def _reporter(case: Case) -> str:
    """Who reported it, masked as lists show people: 王** 138****5678."""
    shown = [mask_name(case.reporter_name), case.reporter_phone_masked]
    return " ".join(p for p in shown if p) or _("未留姓名电话")


def _doubts(case: Case, parent: Case) -> tuple[tuple[str, ...], float | None, float, int]:
    """What says two cases are not one problem told twice: the duplicate check's own bounds
    (the same micro-grid or within NEARBY_METRES, within DUPLICATE_WINDOW, similar words)
    and the category."""
    doubts: list[str] = []
    if case.category_id and parent.category_id and case.category_id != parent.category_id:
        doubts.append(
            _("分类不同（%(a)s／%(b)s）") % {"a": case.category.name, "b": parent.category.name}  # type: ignore[union-attr]
        )
    metres = None
    if None not in (case.lon, case.lat, parent.lon, parent.lat):
        metres = distance_m(case.lon, case.lat, parent.lon, parent.lat)  # type: ignore[arg-type]
        if metres > selectors.NEARBY_METRES:
            doubts.append(_("地点相距约 %(m)s 米") % {"m": f"{metres:,.0f}"})
    elif case.micro_grid_id and parent.micro_grid_id and case.micro_grid_id != parent.micro_grid_id:
        doubts.append(_("不在同一微网格"))
    apart = abs(case.created_at - parent.created_at)
    days = apart.total_seconds() / 86400
    if apart > selectors.DUPLICATE_WINDOW:
        doubts.append(_("受理时间相隔 %(d)s 天") % {"d": f"{days:.0f}"})
    similarity = int(
        selectors.text_similarity(
            f"{case.title} {case.description}", f"{parent.title} {parent.description}"
        )
    )
    if similarity < selectors.SIMILARITY_THRESHOLD:
        doubts.append(_("描述不相似（相似度 %(s)s%%）") % {"s": similarity})
    return tuple(doubts), metres, days, similarity


def merge_preview(*, actor: User, case_ids: Sequence[int], parent: str = "") -> MergePreview:
    """What 合并 would do, for the dispatcher to confirm: the case kept and each ticked case
    beside it (what, where, when, who reported it, masked), with the reasons it may be another
    matter. The parent is resolved here once, so the confirmed merge goes where was shown."""
    visible = selectors.cases_visible(actor).select_related(
        "category", "micro_grid", "community", "handling_node"
    )
    ticked = list(visible.filter(pk__in=case_ids).order_by("created_at", "id"))
    ref = parent.strip() or (_parent_for(ticked, "") if ticked else "")
    kept = None
    if ref:
        by_ref = Q(number=ref) | (Q(pk=int(ref)) if ref.isdigit() and len(ref) < 12 else Q())
        kept = next((c for c in ticked if ref in (c.number, str(c.pk))), None) or (
            visible.filter(by_ref).first()
        )
    others = []
    for case in ticked:
        if kept is not None and case.pk == kept.pk:
            continue
        if kept is None:
            others.append(MergeCandidate(case, _reporter(case), None, 0.0, 0, ()))
            continue
        doubts, metres, days, similarity = _doubts(case, kept)
        others.append(MergeCandidate(case, _reporter(case), metres, days, similarity, doubts))
    return MergePreview(
        parent=kept,
        parent_ref=(kept.number or str(kept.pk)) if kept else ref,
        parent_reporter=_reporter(kept) if kept else "",
        others=others,
    )


def case_batch_act(
    *,
    actor: User,
    case_ids: Sequence[int],
    action: str,
    node: str = "",
    department: str = "",
    parent: str = "",
    note: str = "",
) -> list[BatchResult]:
    """Apply one desk action to each case; one result per case, in the order given."""
    cases = {
        c.pk: c
        for c in Case.objects.filter(pk__in=case_ids).select_related(
            "street", "handling_node", "category"
        )
    }
    target = GridNode.objects.filter(code=node).first() if node else None
    merge_into = _parent_for(list(cases.values()), parent.strip()) if action == Action.MERGE else ""
    results: list[BatchResult] = []
    for case_id in case_ids:
        case = cases.get(case_id)
        if case is None:
            results.append(BatchResult(case_id, "", "", False, _("事件不存在或无权查看")))
            continue
        try:
            with transaction.atomic():
                # Each case summons its own district's department of that code.
                dept = (
                    Department.objects.serving(case.grid_path).pick(department)
                    if department
                    else None
                )
                message = _apply(case, actor, action, target, dept, merge_into, note)
        except (DomainError, ValidationError) as exc:
            results.append(
                BatchResult(case.pk, case.number or "", case.title, False, error_text(exc))
            )
        else:
            results.append(BatchResult(case.pk, case.number or "", case.title, True, message))
    return results


def _apply(
    case: Case,
    actor: User,
    action: str,
    target: GridNode | None,
    dept: Department | None,
    merge_into: str,
    note: str,
) -> str:
    if action == Action.ACCEPT:
        done = services.case_act(case_id=case.pk, actor=actor, action=Action.ACCEPT, note=note)
        if done.status != Status.DISPATCHED or done.handling_node is None:
            # Rolled back with the savepoint: the case stays as it was, for a person to place.
            raise ValidationFailed(
                _("未能按推荐派出（%(why)s），请人工派单") % {"why": done.routing_reason}
            )
        return _("已派给%(n)s") % {"n": done.handling_node.name}
    if action == Action.DISPATCH:
        if target is None:
            raise ValidationFailed(_("请选择承办网格"))
        services.case_act(
            case_id=case.pk,
            actor=actor,
            action=Action.DISPATCH,
            note=note,
            params={"node": target.code},
        )
        return _("已派给%(n)s") % {"n": target.name}
    if action == "department":
        if dept is None:
            raise ValidationFailed(_("请选择职能部门"))
        return _to_department(case, actor, dept, note)
    if action == Action.MERGE:
        if merge_into in (case.number, str(case.pk)):
            return _("作为合并的主事件保留")
        services.case_act(
            case_id=case.pk,
            actor=actor,
            action=Action.MERGE,
            note=note,
            params={"parent": merge_into},
        )
        return _("已合并到 %(n)s") % {"n": merge_into}
    if action == Action.URGE:
        services.case_act(case_id=case.pk, actor=actor, action=Action.URGE, note=note)
        return _("已催办")
    raise ValidationFailed(_("未知的批量操作"))
