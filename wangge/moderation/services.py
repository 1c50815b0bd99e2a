"""Every write of content security: submitting what a resident wrote or uploaded, an operator's
decision, a pushed verdict, and the holds on names and public reports."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.grids.models import GridNode
from wangge.moderation import checking, registry
from wangge.moderation.identity import mini_openid
from wangge.moderation.models import ContentCheck, Kind, NameHold, Scene
from wangge.moderation.selectors import may_review
from wangge.moderation.tasks import check_task
from wangge.moderation.verdicts import record, settle
from wangge.notices.selectors import home_node

logger = logging.getLogger(__name__)

Status, Via = ContentCheck.Status, ContentCheck.Via

# What the content's own app answers about it, after `content_submit`.
PASSED, PENDING, HIDDEN = "passed", "pending", "hidden"


@dataclass(frozen=True)
class Photo:
    """A photo row (model label, id) whose `image` is checked."""

    model: str
    pk: int


def content_submit(
    *,
    kind: str,
    object_id: int,
    author: User,
    grid_path: str,
    scene: int,
    text: str = "",
    photos: Sequence[Photo] = (),
) -> str:
    """Check what `author` just submitted, inside the transaction that stored it (held). What
    the local check can decide is decided here (a web user's text); what WeChat must judge is
    queued for after the commit. Answers the content's state: PASSED (published now), PENDING
    (审核中) or HIDDEN."""
    now = timezone.now()
    openid = mini_openid(author)
    common: dict[str, Any] = {
        "kind": kind,
        "object_id": object_id,
        "author": author,
        "grid_path": grid_path,
        "scene": scene,
    }
    rows = [ContentCheck(text=text.strip(), **common)] if text.strip() else []
    rows += [ContentCheck(photo_model=p.model, photo_id=p.pk, **common) for p in photos]
    for row in rows:
        local = checking.decide_locally(row, openid)
        if local is None:
            row.next_try_at = now + checking.QUEUE_GRACE
            continue
        row.status, row.reason, row.via = local[0], local[1], Via.LOCAL
        if row.status in (Status.PASSED, Status.HIDDEN):
            row.decided_at = now
    ContentCheck.objects.bulk_create(rows)
    if not rows:
        owner = registry.owner(kind)
        if owner is not None:
            owner.publish(object_id)
        return PASSED
    settle(kind, object_id)
    queued = [row.pk for row in rows if row.status == Status.PENDING]
    if queued:
        transaction.on_commit(lambda: _queue(queued))
    statuses = {row.status for row in rows}
    if Status.HIDDEN in statuses:
        return HIDDEN
    return PASSED if statuses == {Status.PASSED} else PENDING


def _queue(check_ids: list[int]) -> None:
    for pk in check_ids:
        try:
            check_task(pk)
        except Exception:
            # The queue is away: the check keeps its due time and the sweep takes it.
            logger.warning("content check %s not queued; the sweep will take it", pk)


@transaction.atomic
def check_decide(*, actor: User, check_id: int, passed: bool, reason: str = "") -> ContentCheck:
    """An operator passes held content or hides it, with the reason its author is shown."""
    check = ContentCheck.objects.select_for_update().filter(pk=check_id).first()
    if check is None or not may_review(actor, check):
        raise PermissionDenied(_("无权审核该内容"))
    if not check.is_open:
        raise Conflict(_("该内容已审核"))
    reason = reason.strip()
    if not passed and not reason:
        raise ValidationFailed(_("请填写不通过的原因（作者会看到）"), field="reason")
    record(
        check.pk,
        status=Status.PASSED if passed else Status.HIDDEN,
        via=Via.STAFF,
        reason=reason,
        by=actor,
    )
    check.refresh_from_db()
    return check


def content_decided(*, kind: str, object_id: int, actor: User, passed: bool, note: str) -> None:
    """Staff decided the content itself on its own page (a held post published or hidden): its
    open checks are closed with that decision, so a late verdict does not undo it."""
    for check in ContentCheck.objects.filter(
        kind=kind, object_id=object_id, status__in=[Status.PENDING, Status.REVIEW]
    ):
        ContentCheck.objects.filter(pk=check.pk).update(
            status=Status.PASSED if passed else Status.HIDDEN,
            via=Via.STAFF,
            reason=note[:200],
            decided_by=actor,
            decided_at=timezone.now(),
            next_try_at=None,
            trace_id=None,
        )


def sample_content_cleared(*, kind: str, object_id: int) -> None:
    """Sample content the demo writes is the operator's own, not a resident's: its open checks
    pass as a staff decision would, and it is published."""
    ContentCheck.objects.filter(
        kind=kind, object_id=object_id, status__in=[Status.PENDING, Status.REVIEW]
    ).update(
        status=Status.PASSED,
        via=Via.STAFF,
        reason=_("示例数据"),
        decided_at=timezone.now(),
        next_try_at=None,
        trace_id=None,
    )
    settle(kind, object_id)


def media_pushed(*, trace_id: str, result: dict[str, Any] | None, errcode: int) -> bool:
    return checking.media_verdict(trace_id=trace_id, result=result, errcode=errcode)


# --- names ----------------------------------------------------------------------------------


def _name_path(user: User) -> str:
    """Whose staff review a name: those of the person's home, or of the whole tree while they
    have none yet (a name is given before the address)."""
    home = home_node(user)
    if home is not None:
        return home.path
    roots = list(GridNode.objects.filter(parent__isnull=True).values_list("path", flat=True)[:2])
    return roots[0] if len(roots) == 1 else ""


@transaction.atomic
def name_submit(*, user: User, name: str) -> str:
    """The name neighbours would see (圈子 with 显示全名): held until it passes."""
    name = name.strip()
    if not name:
        NameHold.objects.filter(user=user).delete()
        return PASSED
    NameHold.objects.update_or_create(user=user, defaults={"name": name[:50], "reason": ""})
    return content_submit(
        kind=Kind.NAME,
        object_id=user.pk,
        author=user,
        grid_path=_name_path(user),
        scene=Scene.PROFILE,
        text=name,
    )


# --- reports made public (身边事) -------------------------------------------------------------


def case_public_submit(case: Case) -> str:
    """A report its resident made public: off the board (审核中) until its words pass."""
    if not case.is_public or case.reporter is None:
        return PASSED
    with transaction.atomic():
        Case.objects.filter(pk=case.pk).update(public_hold=Case.PublicHold.PENDING)
        text = case.description
        if case.title and not case.description.startswith(case.title):
            text = f"{case.title}\n{case.description}"
        state = content_submit(
            kind=Kind.PUBLIC_CASE,
            object_id=case.pk,
            author=case.reporter,
            grid_path=case.grid_path,
            scene=Scene.FORUM,
            text=text,
        )
    case.refresh_from_db(fields=["public_hold", "public_hold_reason"])
    return state


def case_public_publish(case_id: int) -> None:
    Case.objects.filter(pk=case_id, public_hold=Case.PublicHold.PENDING).update(
        public_hold=Case.PublicHold.NONE, public_hold_reason=""
    )


def case_public_hide(case_id: int, reason: str) -> None:
    Case.objects.filter(pk=case_id).exclude(public_hold=Case.PublicHold.HIDDEN).update(
        public_hold=Case.PublicHold.HIDDEN, public_hold_reason=reason[:200]
    )
