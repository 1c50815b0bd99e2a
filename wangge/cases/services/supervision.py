"""Deadlines and pressure: extensions, suspending and resuming the clock, 督办 and 催办, and the
阶段性回复 a handler gives while the work goes on."""

from django.utils.translation import gettext as _

from wangge.cases import deadlines
from wangge.cases.models import (
    Card,
)
from wangge.cases.services.context import Ctx, Step, deadline_param, note_required
from wangge.cases.services.notices import tell_dispatchers, tell_handlers, tell_reporter
from wangge.cases.workflow import (
    Action,
)
from wangge.core.errors import ValidationFailed
from wangge.notifications import channels


def _do_request_extension(ctx: Ctx) -> None:
    case = ctx.case
    until = deadline_param(ctx.params.get("until"))
    note_required(ctx, _("延期理由"))
    if case.due_at is None or ctx.now >= case.due_at:
        raise ValidationFailed(_("已超过办理时限，不能申请延期"))
    if until <= case.due_at:
        raise ValidationFailed(_("延期时间须晚于当前办理时限"), field="until")
    case.extension_requested_until = until
    ctx.data["until"] = until.isoformat()
    tell_dispatchers(case, _("延期申请：%(t)s") % {"t": case.title}, ctx.note)


def _do_approve_extension(ctx: Ctx) -> None:
    case = ctx.case
    until = case.extension_requested_until
    assert until is not None
    if ctx.params.get("until"):
        # The approver grants another date than asked (a 12345 platform's 批复 names its own).
        until = deadline_param(ctx.params["until"])
        if until <= ctx.now:
            raise ValidationFailed(_("批准的延期时间须晚于现在"), field="until")
    case.due_at = until
    left = deadlines.calendar().working_seconds_between(ctx.now, until)
    _due, case.warn_at = deadlines.shifted_deadlines(case, ctx.now, left, working=True)
    case.deadline_provisional = False  # a date a person approved, not a count of days
    case.card = Card.NONE
    case.extension_requested_until = None
    case.extension_count += 1
    ctx.data["until"] = until.isoformat()
    tell_handlers(case, _("延期已批准：%(t)s") % {"t": case.title})


def _do_reject_extension(ctx: Ctx) -> None:
    note_required(ctx, _("驳回理由"))
    ctx.case.extension_requested_until = None
    tell_handlers(ctx.case, _("延期被驳回：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_suspend(ctx: Ctx) -> None:
    note_required(ctx, _("挂账原因"))
    left, working = deadlines.remaining(ctx.case, ctx.now)
    ctx.case.suspended_at = ctx.now
    ctx.data.update(remaining_seconds=left, working=working)


def _do_resume(ctx: Ctx) -> None:
    case = ctx.case
    last = case.events.filter(action=Action.SUSPEND).order_by("-created_at", "-id").first()
    left = float((last.data if last else {}).get("remaining_seconds", 0.0))
    working = bool((last.data if last else {}).get("working", True))
    case.due_at, case.warn_at = deadlines.shifted_deadlines(case, ctx.now, left, working)
    case.deadline_provisional = working and deadlines.provisional(ctx.now, case.due_at)
    case.suspended_at = None
    case.card = Card.NONE
    ctx.data["due_at"] = case.due_at.isoformat()


def _do_supervise(ctx: Ctx) -> None:
    note_required(ctx, _("督办意见"))
    ctx.case.supervised = True
    tell_handlers(
        ctx.case,
        _("督办：%(t)s") % {"t": ctx.case.title},
        ctx.note,
        sms=True,
        event=channels.CASE_SUPERVISE,
    )


def _do_urge(ctx: Ctx) -> None:
    note_required(ctx, _("催办内容"))
    tell_handlers(ctx.case, _("催办：%(t)s") % {"t": ctx.case.title}, ctx.note)


def _do_progress(ctx: Ctx) -> None:
    """阶段性回复: what has been done so far, for the sender waiting for the answer (a 12345
    platform hears it through its adapter, which listens to every action)."""
    note_required(ctx, _("阶段性回复内容"))
    tell_reporter(ctx.case, _("办理进展：%(n)s") % {"n": ctx.note[:60]})


# The steps of extensions, suspending and resuming, 督办, 催办 and 阶段性回复:
# `case_act` runs the one its action names.
SUPERVISION_STEPS: dict[str, Step] = {
    Action.REQUEST_EXTENSION: _do_request_extension,
    Action.APPROVE_EXTENSION: _do_approve_extension,
    Action.REJECT_EXTENSION: _do_reject_extension,
    Action.SUSPEND: _do_suspend,
    Action.RESUME: _do_resume,
    Action.SUPERVISE: _do_supervise,
    Action.URGE: _do_urge,
    Action.PROGRESS: _do_progress,
}
