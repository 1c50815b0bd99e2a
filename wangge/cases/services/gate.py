"""`case_act`, the one gate for actions: it locks the row, asks the state machine whether the
actor may take the action now, applies the step, and writes the timeline row. Also the other
writes to an existing case (revealing the reporter's number, taking it off 身边事, what its
sender says or sends later, marking it 保密)."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess, User
from wangge.accounts.services import personal_data_reveal, reveal_phone
from wangge.cases.actions import Event
from wangge.cases.confidential import shown_to
from wangge.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    Status,
)
from wangge.cases.selectors import access_case
from wangge.cases.services.closing import CLOSING_STEPS
from wangge.cases.services.context import Ctx, Step
from wangge.cases.services.departments import DEPARTMENT_STEPS
from wangge.cases.services.dispatch import DISPATCH_STEPS
from wangge.cases.services.notices import (
    plain_status,
    tell_dispatchers,
    tell_handlers,
    tell_reporter,
)
from wangge.cases.services.records import photos_attach
from wangge.cases.services.supervision import SUPERVISION_STEPS
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
    caller_visible,
    can_view,
)
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
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


# Each action's step, from the module of its part of the loop. No action is in two tables.
HANDLERS: dict[str, Step] = {
    **DISPATCH_STEPS,
    **DEPARTMENT_STEPS,
    **SUPERVISION_STEPS,
    **CLOSING_STEPS,
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
    actor_label: str = "",
) -> Case:
    """Take `action` on the case as `actor`. `actor_label` names who the timeline shows when
    the account acts for someone else (a 12345 platform's message, through its token). The
    answer is the case as the actor may see it (a 保密件's caller blank for all but the desk)."""
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
        actor_label=actor_label,
    )
    photos_attach(case, event, PHOTO_KIND.get(action, CaseAttachment.Kind.EVIDENCE), photos)
    case_changed.send(sender=Case, case=case, action=action, from_status=from_status, event=event)
    if case.status != from_status:
        tell_reporter(case, plain_status(case))
        if case.status == Status.DISPATCHED and action != Action.REOPEN:
            tell_handlers(
                case, _("新派单：%(t)s") % {"t": case.title}, event=channels.CASE_ASSIGNED
            )
    return shown_to(case, actor)


@transaction.atomic
def reveal_reporter_phone(*, case: Case, actor: User, purpose: str, ip: str | None) -> str:
    """The reporter's full number for someone who must call them, audited: through the
    reporter's account when they have one, else as the case's caller (a 12345 caller). A
    保密件's caller is called by the desk alone."""
    if not caller_visible(case, actor):
        raise PermissionDenied(_("保密件的诉求人信息仅街道分拨台可查看"))
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


def _locked(case_id: int) -> Case:
    """The row, locked, for what the sender of a case adds to it after intake: whoever received
    the order may add to it, wherever it was routed (out of their street, or to no place yet)."""
    case = (
        Case.objects.select_related("handling_node", "category")
        .select_for_update(of=("self",))
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(_("事件不存在或无权查看"))
    return case


@transaction.atomic
def case_event_record(
    *,
    case_id: int,
    actor: User,
    event: Event,
    note: str,
    actor_label: str = "",
    data: dict[str, Any] | None = None,
    photos: Sequence[tuple[str, CleanImage]] = (),
    photo_kind: str = CaseAttachment.Kind.EVIDENCE,
    tell: str = "",
) -> tuple[Case, CaseEvent]:
    """A row of the case's timeline that changes nothing else: what its sender said later (补充
    诉求, a 重复件, files, a message arriving after the case moved on), with its photos, each
    kept once under its key (a resent file is not stored twice). `tell` is the inbox title:
    for the handlers, or the desk while nobody handles the case. The caller has checked that
    `actor` speaks for the sender (the 12345 adapter: its operator roles)."""
    case = _locked(case_id)
    row = event_write(
        case, action=event, actor=actor, note=note.strip(), data=data, actor_label=actor_label
    )
    _photos_keep(case, row, photo_kind, photos)
    if tell:
        if case.handling_node_id and case.status not in _MOVED_ON:
            tell_handlers(case, tell, note)
        else:
            tell_dispatchers(case, tell, note)
    return shown_to(case, actor), row


def _photos_keep(
    case: Case, event: CaseEvent | None, kind: str, photos: Sequence[tuple[str, CleanImage]]
) -> int:
    keys = [key[:64] for key, _photo in photos]
    kept = set(case.attachments.filter(client_key__in=keys).values_list("client_key", flat=True))
    stored = 0
    for key, photo in photos:
        if key[:64] in kept:
            continue
        store_image(CaseAttachment(case=case, event=event, kind=kind, client_key=key[:64]), photo)
        kept.add(key[:64])
        stored += 1
    return stored


@transaction.atomic
def case_photos_add(
    *,
    case_id: int,
    actor: User,
    photos: Sequence[tuple[str, CleanImage]],
    kind: str = CaseAttachment.Kind.REPORT,
) -> int:
    """Photos that came with the report itself from another system (a 12345 order's 附件),
    put on its intake row, each once under its key. Returns how many were new."""
    case = _locked(case_id)
    intake = case.events.filter(action=Event.INTAKE).first()
    return _photos_keep(case, intake, kind, photos)


@transaction.atomic
def case_confidential_set(*, case_id: int, actor: User, note: str, actor_label: str = "") -> Case:
    """保密件: its sender asked that the caller be known to the desk alone (from now on every
    page, answer and export shows the caller to the desk only)."""
    case = _locked(case_id)
    if not case.is_confidential:
        case.is_confidential = True
        case.is_public = False
        case.save(update_fields=["is_confidential", "is_public", "updated_at"])
        event_write(case, action=Event.SENDER_NOTE, actor=actor, note=note, actor_label=actor_label)
    return case
