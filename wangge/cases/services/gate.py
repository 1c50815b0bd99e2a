"""`case_act`, the one gate for actions: it locks the row, asks the state machine whether the
actor may take the action now, applies the step, and writes the timeline row. Also the other
writes to an existing case (revealing the reporter's number, taking it off 身边事)."""

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess, User
from wangge.accounts.services import personal_data_reveal, reveal_phone
from wangge.cases.actions import Event
from wangge.cases.models import (
    Case,
    CaseAttachment,
    Status,
)
from wangge.cases.selectors import access_case
from wangge.cases.services.closing import (
    _do_follow_up,
    _do_rate,
    _do_reopen,
    _do_resolve,
    _do_verify_fail,
    _do_verify_pass,
)
from wangge.cases.services.context import Ctx
from wangge.cases.services.departments import _do_dept_report, _do_dept_sign, _do_whistle
from wangge.cases.services.dispatch import (
    _do_accept,
    _do_contact,
    _do_dispatch,
    _do_escalate,
    _do_merge,
    _do_return,
    _do_sign,
    _do_transfer,
    _do_void,
)
from wangge.cases.services.notices import _tell_handlers, _tell_reporter, plain_status
from wangge.cases.services.records import _attach
from wangge.cases.services.supervision import (
    _do_approve_extension,
    _do_reject_extension,
    _do_request_extension,
    _do_resume,
    _do_supervise,
    _do_suspend,
    _do_urge,
)
from wangge.cases.signals import case_changed
from wangge.cases.timeline import event_write
from wangge.cases.workflow import (
    ACTION_LABELS,
    ACTORS,
    TRANSITIONS,
    Action,
    Actor,
    actor_kinds,
    allowed_actions,
    can_view,
)
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.scope import path_in_scope
from wangge.notifications import channels


class ActionNotAllowed(Conflict):
    def __init__(self, action: str, allowed: list[str], reason: str = "") -> None:
        label = ACTION_LABELS.get(action, action)
        super().__init__(reason or _("当前状态下不能执行“%(action)s”") % {"action": label})
        self.allowed = allowed


# States a case has left the handler's hands in: an action queued on a phone before it got
# there is told so in words, not with the generic refusal.
_MOVED_ON = (
    Status.RESOLVED,
    Status.VERIFIED,
    Status.CLOSED,
    Status.RETURNED,
    Status.VOIDED,
    Status.MERGED,
)


def refusal_reason(case: Case, actor: User, action: str) -> str:
    """Why `action` is refused, when the case moved on since the actor last saw it (closed by
    someone else, transferred to another unit); "" when the generic refusal says it all."""
    label = ACTION_LABELS.get(action, action)
    if action not in TRANSITIONS:
        return ""
    needs = ACTORS[action]
    if (
        needs == frozenset({Actor.HANDLER})
        and case.handling_node is not None
        and Actor.HANDLER not in actor_kinds(case, actor)
    ):
        return _("该事件现由%(unit)s办理，您不能再%(action)s") % {
            "unit": case.handling_node.name,
            "action": label,
        }
    if case.status in _MOVED_ON and case.status not in TRANSITIONS[action][0]:
        return _("该事件已是“%(status)s”，不能再%(action)s") % {
            "status": case.get_status_display(),
            "action": label,
        }
    return ""


HANDLERS: dict[str, Callable[[Ctx], None]] = {
    Action.ACCEPT: _do_accept,
    Action.DISPATCH: _do_dispatch,
    Action.VOID: _do_void,
    Action.MERGE: _do_merge,
    Action.SIGN: _do_sign,
    Action.CONTACT: _do_contact,
    Action.RETURN: _do_return,
    Action.TRANSFER: _do_transfer,
    Action.ESCALATE: _do_escalate,
    Action.WHISTLE: _do_whistle,
    Action.DEPT_SIGN: _do_dept_sign,
    Action.DEPT_REPORT: _do_dept_report,
    Action.REQUEST_EXTENSION: _do_request_extension,
    Action.APPROVE_EXTENSION: _do_approve_extension,
    Action.REJECT_EXTENSION: _do_reject_extension,
    Action.SUSPEND: _do_suspend,
    Action.RESUME: _do_resume,
    Action.RESOLVE: _do_resolve,
    Action.VERIFY_PASS: _do_verify_pass,
    Action.VERIFY_FAIL: _do_verify_fail,
    Action.FOLLOW_UP: _do_follow_up,
    Action.RATE: _do_rate,
    Action.REOPEN: _do_reopen,
    Action.SUPERVISE: _do_supervise,
    Action.URGE: _do_urge,
}
PHOTO_KIND: dict[str, str] = {
    Action.RESOLVE: CaseAttachment.Kind.AFTER,
    Action.SIGN: CaseAttachment.Kind.BEFORE,
}


def can_view_now(case: Case, user: User) -> bool:
    """After an action (a transfer, say) the actor may no longer see the case."""
    return can_view(case, user)


@transaction.atomic
def case_act(
    *,
    case_id: int,
    actor: User,
    action: str,
    note: str = "",
    params: dict[str, Any] | None = None,
    photos: Sequence[CleanImage] = (),
) -> Case:
    case = access_case(actor, case_id, lock=True)
    allowed = allowed_actions(case, actor)
    if action not in allowed:
        raise ActionNotAllowed(action, allowed, refusal_reason(case, actor, action))
    ctx = Ctx(
        case=case,
        actor=actor,
        params=dict(params or {}),
        photos=photos,
        now=timezone.now(),
        note=(note or "").strip()[:2000],
    )
    from_status = case.status
    HANDLERS[action](ctx)
    target = TRANSITIONS[action][1]
    new_status = ctx.status or target or case.status
    if action == Action.ACCEPT:
        new_status = case.status  # routing decided (dispatched, or still pending)
    case.status = new_status
    case.save()
    event = event_write(
        case,
        action=Action(action),
        actor=actor,
        from_status=from_status,
        note=ctx.note,
        data=ctx.data,
    )
    _attach(case, event, PHOTO_KIND.get(action, CaseAttachment.Kind.EVIDENCE), photos)
    case_changed.send(sender=Case, case=case, action=action, from_status=from_status, event=event)
    if case.status != from_status:
        _tell_reporter(case, plain_status(case))
        if case.status == Status.DISPATCHED and action != Action.REOPEN:
            _tell_handlers(
                case, _("新派单：%(t)s") % {"t": case.title}, event=channels.CASE_ASSIGNED
            )
    return case


@transaction.atomic
def reveal_reporter_phone(*, case: Case, actor: User, purpose: str, ip: str | None) -> str:
    """The reporter's full number for someone who must call them, audited: through the
    reporter's account when they have one, else as the case's caller (a 12345 caller)."""
    if case.reporter is not None:
        return reveal_phone(actor=actor, subject=case.reporter, purpose=purpose, ip=ip)
    return personal_data_reveal(
        actor=actor,
        field=PersonalDataAccess.Field.PHONE,
        value=case.reporter_phone,
        label=_("事件 %(n)s 诉求人 %(name)s") % {"n": case.number, "name": case.reporter_name},
        purpose=purpose,
        ip=ip,
    )


@transaction.atomic
def case_unpublish(*, case_id: int, actor: User, note: str) -> Case:
    """Staff take a case off 身边事 (its text names a person, say); the timeline keeps why."""
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写撤下公开的原因"))
    case = access_case(actor, case_id, lock=True)
    if not (actor.is_grid_staff and case.grid_path and path_in_scope(actor, case.grid_path)):
        raise NotFound(_("事件不存在或无权查看"))
    if not case.is_public:
        raise Conflict(_("该事件未公开"))
    case.is_public = False
    case.save(update_fields=["is_public", "updated_at"])
    event_write(case, action=Event.UNPUBLISH, actor=actor, note=note)
    return case
