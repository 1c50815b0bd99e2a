"""The end of the loop: resolving, verification, the follow-up call or the reporter's rating,
and reopening; and the other ways a case leaves it: referred out (非网格事项) or withdrawn by
its sender (撤单)."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from wangge.cases.models import (
    Assistance,
    Card,
    Case,
    Satisfaction,
    Status,
)
from wangge.cases.services.context import Ctx, Step, deadline_param, note_required, yes_no_param
from wangge.cases.services.notices import tell_dispatchers, tell_handlers
from wangge.cases.services.records import clock_start
from wangge.cases.workflow import Action
from wangge.core.errors import ValidationFailed

# Why a case needs no follow-up call although someone could be called ("" when it does): the
# apps that know register a rule in their AppConfig.ready() (a 12345 order sent as 无需回访),
# since the case loop imports none of them.
FollowupWaiver = Callable[[Case], str]
_followup_waivers: list[FollowupWaiver] = []


def followup_waiver_register(rule: FollowupWaiver) -> None:
    if rule not in _followup_waivers:
        _followup_waivers.append(rule)


def _followup_waived(case: Case) -> str:
    for rule in _followup_waivers:
        reason = rule(case)
        if reason:
            return reason
    return ""


# What a case still lacks before verification may pass ("" when nothing): the apps that know
# register a rule (鹰眼: a case a camera saw needs a picture from that camera after the fix).
CloseRequirement = Callable[[Case], str]
_close_requirements: list[CloseRequirement] = []


def close_requirement_register(rule: CloseRequirement) -> None:
    if rule not in _close_requirements:
        _close_requirements.append(rule)


def _close_refused(case: Case) -> str:
    for rule in _close_requirements:
        reason = rule(case)
        if reason:
            return reason
    return ""


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
    tell_dispatchers(case, _("待核查：%(t)s") % {"t": case.title})


def _do_verify_pass(ctx: Ctx) -> None:
    case = ctx.case
    lacking = _close_refused(case)
    if lacking:
        raise ValidationFailed(lacking)
    case.verified_at = ctx.now
    waived = "" if case.reporter_id else _followup_waived(case)
    if not (case.reporter_id or case.has_reporter_phone) or waived:
        # Nobody to ask: a patrol finding or an anonymous push closes at verification; so does
        # one whose sender said no call back is wanted.
        ctx.status = Status.CLOSED
        case.closed_at = ctx.now
        ctx.data["closed_without_followup"] = True
        if waived:
            ctx.data["followup_waived"] = waived


def _do_verify_fail(ctx: Ctx) -> None:
    note_required(ctx, _("核查不通过的原因"))
    ctx.case.rework_count += 1
    ctx.case.resolved_at = None
    tell_handlers(ctx.case, _("核查未通过，请返工：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_follow_up(ctx: Ctx) -> None:
    case = ctx.case
    reached = yes_no_param(ctx, "reached", _("是否联系上诉求人"))
    if not reached:
        ctx.status = case.status  # try again later; an unanswered call is not a follow-up
        ctx.data["reached"] = False
        return
    satisfaction = str(ctx.params.get("satisfaction") or "")
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(_("请选择满意度"), field="satisfaction")
    # A platform's 回访 questionnaire may not ask whether the handler called: unknown, not a
    # guess (a key only the adapters' code sets; no form or API field carries it).
    unknown = ctx.params.get("contacted") is None and ctx.params.get("contacted_unknown")
    case.followup_contacted = (
        None if unknown else yes_no_param(ctx, "contacted", _("承办人是否联系过诉求人"))
    )
    case.followup_solved = yes_no_param(ctx, "solved", _("问题是否解决"))
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
    note_required(ctx, _("重办原因"))
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
    # The sender of a 重办 (12345) may set its own new deadline; else the catalogue's.
    until = deadline_param(ctx.params["until"]) if ctx.params.get("until") else None
    clock_start(case, ctx.now, until)
    if until is not None:
        ctx.data["until"] = until.isoformat()
    tell_handlers(case, _("重办：%(t)s") % {"t": case.title}, ctx.note)


def _do_refer(ctx: Ctx) -> None:
    """非网格事项: not the grid's to handle (a court's, another city's, a matter of law). It
    leaves with the reason and, if known, the unit it belongs to, and is nobody's work here:
    no handler, no deadline, never on a worker's list."""
    note_required(ctx, _("转出原因"))
    case = ctx.case
    unit = str(ctx.params.get("unit") or "").strip()[:60]
    ctx.data["unit"] = unit
    if case.handling_node_id and case.handling_node:
        ctx.data["returned_by"] = case.handling_node.name
    case.handling_level = ""
    case.handling_node = None
    case.assignee = None
    case.sign_due_at = case.contact_due_at = case.due_at = case.warn_at = None
    case.card = Card.NONE
    case.extension_requested_until = None


def _do_withdraw(ctx: Ctx) -> None:
    """撤单: the sender took the order back (the caller solved it, or called about it in
    error), from whatever open state; whoever handles it is told to stop."""
    note_required(ctx, _("撤单原因"))
    case = ctx.case
    tell_handlers(case, _("已撤单，请停止办理：%(t)s") % {"t": case.title}, ctx.note)
    case.extension_requested_until = None
    case.card = Card.NONE


# The steps of resolving, verifying, the follow-up and rating, reopening, 转出 and 撤单:
# `case_act` runs the one its action names.
CLOSING_STEPS: dict[str, Step] = {
    Action.RESOLVE: _do_resolve,
    Action.VERIFY_PASS: _do_verify_pass,
    Action.VERIFY_FAIL: _do_verify_fail,
    Action.FOLLOW_UP: _do_follow_up,
    Action.RATE: _do_rate,
    Action.REOPEN: _do_reopen,
    Action.REFER: _do_refer,
    Action.WITHDRAW: _do_withdraw,
}
