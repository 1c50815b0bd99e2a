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
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases import services
from wangge.cases.models import Case, Department, Status
from wangge.cases.workflow import Action, allowed_actions
from wangge.core.errors import DomainError, ValidationFailed, error_text
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
    dept = Department.objects.filter(code=department).first() if department else None
    target = GridNode.objects.filter(code=node).first() if node else None
    merge_into = _parent_for(list(cases.values()), parent.strip()) if action == "merge" else ""
    results: list[BatchResult] = []
    for case_id in case_ids:
        case = cases.get(case_id)
        if case is None:
            results.append(BatchResult(case_id, "", "", False, _("事件不存在或无权查看")))
            continue
        try:
            with transaction.atomic():
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
    if action == "accept":
        done = services.case_act(case_id=case.pk, actor=actor, action=Action.ACCEPT, note=note)
        if done.status != Status.DISPATCHED or done.handling_node is None:
            # Rolled back with the savepoint: the case stays as it was, for a person to place.
            raise ValidationFailed(
                _("未能按推荐派出（%(why)s），请人工派单") % {"why": done.routing_reason}
            )
        return _("已派给%(n)s") % {"n": done.handling_node.name}
    if action == "dispatch":
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
    if action == "merge":
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
    if action == "urge":
        services.case_act(case_id=case.pk, actor=actor, action=Action.URGE, note=note)
        return _("已催办")
    raise ValidationFailed(_("未知的批量操作"))
