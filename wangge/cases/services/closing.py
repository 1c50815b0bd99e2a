"""The end of the loop: resolving, verification, the follow-up call or the reporter's rating,
and reopening."""

from django.utils.translation import gettext as _

from wangge.cases.models import (
    Assistance,
    Satisfaction,
    Status,
)
from wangge.cases.services.context import Ctx, _require_note, _yes_no
from wangge.cases.services.notices import _tell_dispatchers, _tell_handlers
from wangge.cases.services.records import _start_clock
from wangge.core.errors import ValidationFailed


def _do_resolve(ctx: Ctx) -> None:
    case = ctx.case
    result = str(ctx.params.get("result") or ctx.note or "").strip()
    if not result:
        raise ValidationFailed(_("请填写办理结果"), field="result")
    lead = case.assistances.filter(role=Assistance.Role.LEAD).first()
    if lead is not None and lead.state != Assistance.State.REPORTED:
        raise ValidationFailed(_("主办部门%(d)s尚未反馈") % {"d": lead.department.name})
    case.resolution = result
    case.resolved_at = ctx.now
    case.closed_on_time = case.due_at is None or ctx.now <= case.due_at
    _tell_dispatchers(case, _("待核查：%(t)s") % {"t": case.title})


def _do_verify_pass(ctx: Ctx) -> None:
    case = ctx.case
    case.verified_at = ctx.now
    if not (case.reporter_id or case.has_reporter_phone):
        # Nobody to ask: a patrol finding or an anonymous push closes at verification.
        ctx.status = Status.CLOSED
        case.closed_at = ctx.now
        ctx.data["closed_without_followup"] = True


def _do_verify_fail(ctx: Ctx) -> None:
    _require_note(ctx, _("核查不通过的原因"))
    ctx.case.rework_count += 1
    ctx.case.resolved_at = None
    _tell_handlers(ctx.case, _("核查未通过，请返工：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_follow_up(ctx: Ctx) -> None:
    case = ctx.case
    reached = _yes_no(ctx, "reached", _("是否联系上诉求人"))
    if not reached:
        ctx.status = case.status  # try again later; an unanswered call is not a follow-up
        ctx.data["reached"] = False
        return
    satisfaction = str(ctx.params.get("satisfaction") or "")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("请选择满意度"), field="satisfaction")
    case.followup_contacted = _yes_no(ctx, "contacted", _("承办人是否联系过诉求人"))
    case.followup_solved = _yes_no(ctx, "solved", _("问题是否解决"))
    case.satisfaction = satisfaction
    case.followup_at = ctx.now
    case.followup_note = ctx.note
    case.closed_at = ctx.now
    ctx.data.update(
        contacted=case.followup_contacted, solved=case.followup_solved, satisfaction=satisfaction
    )


def _do_rate(ctx: Ctx) -> None:
    """The reporter answers the follow-up questions in the app: an effective follow-up that
    counts in the KPIs exactly like the dispatcher's call would."""
    ctx.params["reached"] = True
    _do_follow_up(ctx)


def _do_reopen(ctx: Ctx) -> None:
    _require_note(ctx, _("重办原因"))
    case = ctx.case
    case.reopen_count += 1
    for name in (
        "signed_at",
        "resolved_at",
        "verified_at",
        "closed_at",
        "closed_on_time",
        "followup_at",
        "followup_contacted",
        "followup_solved",
    ):
        setattr(case, name, None)
    case.satisfaction = ""
    _start_clock(case, ctx.now)
    _tell_handlers(case, _("重办：%(t)s") % {"t": case.title}, ctx.note)
