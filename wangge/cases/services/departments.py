"""吹哨报到: summoning departments to a case, their reporting in and back, and who answers
for a department."""

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, RoleGrant, User
from wangge.accounts.services import role_grant
from wangge.cases.models import (
    Assistance,
    Department,
    DepartmentMember,
)
from wangge.cases.services.context import Ctx, Step, note_required
from wangge.cases.services.notices import case_link, tell_dispatchers
from wangge.cases.workflow import Action
from wangge.core.errors import Conflict, ValidationFailed
from wangge.grids.models import GridNode
from wangge.notifications import channels
from wangge.notifications.services import notify


def _do_whistle(ctx: Ctx) -> None:
    lead_code = str(ctx.params.get("lead") or "").strip()
    assist_codes = [str(c).strip() for c in (ctx.params.get("assist") or []) if str(c).strip()]
    if not lead_code:
        raise ValidationFailed(_("请选择主办部门"), field="lead")
    if ctx.case.assistances.exists():
        raise ValidationFailed(_("该事件已吹哨"))
    codes = [lead_code, *[c for c in assist_codes if c != lead_code]]
    # The case's own district's departments (and its city's, and the shared ones): another
    # district's 城管局 of the same code is not summoned.
    serving = Department.objects.serving(ctx.case.grid_path)
    found = {c: d for c in codes if (d := serving.pick(c)) is not None}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ValidationFailed(_("未知部门：%(c)s") % {"c": "、".join(missing)})
    for code in codes:
        dept = found[code]
        Assistance.objects.create(
            case=ctx.case,
            department=dept,
            role=Assistance.Role.LEAD if code == lead_code else Assistance.Role.ASSIST,
        )
        notify(
            recipients=dept.members.all(),
            title=_("吹哨报到：%(t)s") % {"t": ctx.case.title},
            body=ctx.note or ctx.case.title,
            link=case_link(ctx.case),
            topic=f"case:{ctx.case.pk}",
            event=channels.CASE_WHISTLE,
        )
    ctx.data["lead"] = found[lead_code].name
    ctx.data["assist"] = [found[c].name for c in codes[1:]]


def _my_assistance(ctx: Ctx) -> Assistance:
    dept_code = str(ctx.params.get("department") or "").strip()
    # Only the assistance row: the join to the department and its members is a filter.
    qs = Assistance.objects.select_for_update(of=("self",)).filter(
        case=ctx.case, department__members=ctx.actor
    )
    if dept_code:
        qs = qs.filter(department__code=dept_code)
    assistance = qs.select_related("department").first()
    if assistance is None:
        raise ValidationFailed(_("您的部门未被召集到该事件"))
    ctx.data["department"] = assistance.department.name
    return assistance


def _do_dept_sign(ctx: Ctx) -> None:
    a = _my_assistance(ctx)
    if a.state != Assistance.State.SUMMONED:
        raise Conflict(_("%(d)s已报到") % {"d": a.department.name})
    a.state, a.signed_at = Assistance.State.SIGNED, ctx.now
    a.save(update_fields=["state", "signed_at"])


def _do_dept_report(ctx: Ctx) -> None:
    a = _my_assistance(ctx)
    if a.state == Assistance.State.SUMMONED:
        raise Conflict(_("请先报到再反馈"))
    a.state, a.reported_at, a.report = (
        Assistance.State.REPORTED,
        ctx.now,
        note_required(ctx, _("反馈内容")),
    )
    a.save(update_fields=["state", "reported_at", "report"])
    tell_dispatchers(
        ctx.case, _("%(d)s已反馈：%(t)s") % {"d": a.department.name, "t": ctx.case.title}
    )


# The steps of 吹哨 and the departments' 报到 and 反馈:
# `case_act` runs the one its action names.
DEPARTMENT_STEPS: dict[str, Step] = {
    Action.WHISTLE: _do_whistle,
    Action.DEPT_SIGN: _do_dept_sign,
    Action.DEPT_REPORT: _do_dept_report,
}


# --- departments: who answers the whistle ---------------------------------------------------


def _department_grant_node(department: Department) -> GridNode:
    """Departments (区城管局, 区住建局…) serve the whole district: their 承办人 role is held on
    the district (or city) they belong to, a shared one's on the top of the grid tree. It opens
    no piece of the map (not a staff role); what they see is what their department is summoned
    to."""
    if department.unit_id is not None:
        return GridNode.objects.get(pk=department.unit_id)
    root = GridNode.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        raise ValidationFailed(_("请先导入网格，再添加部门承办人"))
    return root


@transaction.atomic
def department_member_add(
    *, department: Department, user: User, actor: User | None = None
) -> DepartmentMember:
    """Make `user` a 承办人 of `department`: whistles to it reach their inbox and 部门待办, and
    they may report in and back. Grants the 职能部门承办人 role (once, however many
    departments they answer for). Adding someone twice changes nothing."""
    if not user.is_active:
        raise ValidationFailed(_("该账号已停用，不能加入部门"))
    member = DepartmentMember.objects.filter(department=department, user=user).first()
    if member is None:
        member = DepartmentMember(department=department, user=user, added_by=actor)
    if member.grant_id is None:
        member.grant = role_grant(
            user=user,
            role=Role.DEPARTMENT_HANDLER,
            node=_department_grant_node(department),
            granted_by=actor,
        )
    member.save()
    user.__dict__.pop("_role_codes", None)
    return member


@transaction.atomic
def department_member_remove(*, department: Department, user: User) -> bool:
    """`user` no longer answers for `department`: its cases leave their queue and case pages.
    The 承办人 role goes with their last department. Returns whether they were a member."""
    member = (
        DepartmentMember.objects.select_for_update()
        .filter(department=department, user=user)
        .first()
    )
    if member is None:
        return False
    grant_id = member.grant_id
    member.delete()
    if grant_id is not None and not DepartmentMember.objects.filter(grant_id=grant_id).exists():
        RoleGrant.objects.filter(pk=grant_id).delete()
    user.__dict__.pop("_role_codes", None)
    return True
