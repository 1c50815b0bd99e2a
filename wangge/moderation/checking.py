"""Asking for a verdict: the local word list first, then WeChat for a mini-program user's text
(msgSecCheck) or photo (mediaCheckAsync, answered later by a push). An answer without a verdict
leaves the check pending and sets when it is tried again; it never passes by default."""

import logging
from datetime import datetime, timedelta
from typing import Any, Final

from django.apps import apps
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.media import is_pending
from wangge.moderation import registry
from wangge.moderation.identity import mini_openid
from wangge.moderation.medialinks import media_link
from wangge.moderation.models import ContentCheck
from wangge.moderation.verdicts import record, risky_reason, settle
from wangge.wechat import client

logger = logging.getLogger(__name__)

Status, Via = ContentCheck.Status, ContentCheck.Via

# 61010: the person has not used the mini-program in the last two hours; 40003: not an openid
# of this mini-program. WeChat will not judge their content: the local check does.
NOT_JUDGED_BY_WECHAT: Final = frozenset({61010, 40003})
# A photo whose pushed verdict has not come after this is sent again.
MEDIA_WAIT: Final = timedelta(hours=1)
# What a queued check waits before the sweep takes it, should its job be lost.
QUEUE_GRACE: Final = timedelta(minutes=2)
BACKOFF_MAX: Final = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """30 s, 1, 2, 4 … minutes, at most an hour: a WeChat outage is not hammered, and a short
    one delays content by minutes."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def decide_locally(check: ContentCheck, openid: str | None) -> tuple[str, str] | None:
    """(status, reason) reached without WeChat, or None when WeChat must be asked."""
    if check.is_photo:
        if openid:
            return None
        # The word list cannot judge a picture: a person does.
        return Status.REVIEW, _("网页端上传的照片，由工作人员审核")
    blocked, held = registry.local_screen(check.text)
    if blocked:
        return Status.HIDDEN, _("内容含有禁止发布的词：%(w)s") % {"w": "、".join(blocked)}
    if held:
        return Status.REVIEW, _("含有需人工审核的词：%(w)s") % {"w": "、".join(held)}
    if openid:
        return None
    return Status.PASSED, ""


def apply_result(check: ContentCheck, result: dict[str, Any]) -> str:
    """WeChat's `result` (suggest, label) as the check's verdict."""
    suggest, label = str(result.get("suggest")), str(result.get("label") or "")
    if suggest == "pass":
        record(check.pk, status=Status.PASSED, via=Via.WECHAT, label=label)
    elif suggest == "review":
        record(
            check.pk,
            status=Status.REVIEW,
            via=Via.WECHAT,
            label=label,
            reason=_("微信内容安全建议人工复核"),
        )
    else:
        reason = risky_reason(label, photo=check.is_photo)
        record(check.pk, status=Status.HIDDEN, via=Via.WECHAT, label=label, reason=reason)
    return suggest


def check_run(check_id: int) -> str:
    """One try at a pending check; answers what became of it."""
    check = (
        ContentCheck.objects.select_related("author")
        .filter(pk=check_id, status=Status.PENDING, trace_id__isnull=True)
        .first()
    )
    if check is None:
        return "settled"
    now = timezone.now()
    # Claimed by the try count: of two workers that pick it at once, one asks WeChat.
    if not ContentCheck.objects.filter(
        pk=check.pk, status=Status.PENDING, attempts=check.attempts, trace_id__isnull=True
    ).update(attempts=F("attempts") + 1, next_try_at=now + backoff(check.attempts + 1)):
        return "busy"
    openid = mini_openid(check.author)
    local = decide_locally(check, openid)
    if local is not None or openid is None:
        status, reason = local or (Status.REVIEW, "")
        record(check.pk, status=status, via=Via.LOCAL, reason=reason)
        return status
    try:
        if check.is_photo:
            return _submit_photo(check, openid, now)
        result = client.msg_sec_check(openid=openid, content=check.text, scene=check.scene)
    except client.WechatError as e:
        if e.errcode in NOT_JUDGED_BY_WECHAT:
            status, reason = decide_locally(check, None) or (Status.REVIEW, "")
            record(check.pk, status=status, via=Via.LOCAL, reason=reason)
            return status
        logger.warning(
            "content check %s: WeChat answered %s, tried again later", check.pk, e.errcode
        )
        return "retry"
    except (client.Unreachable, client.Unknown, client.NotConfigured) as e:
        logger.warning("content check %s: no verdict (%s), tried again later", check.pk, e)
        return "retry"
    return apply_result(check, result)


def _submit_photo(check: ContentCheck, openid: str, now: datetime) -> str:
    row = apps.get_model(check.photo_model)._default_manager.filter(pk=check.photo_id).first()
    if row is None:
        # The upload was dropped (its cleaning found no picture): nothing is left to show.
        ContentCheck.objects.filter(pk=check.pk, status=Status.PENDING).update(
            status=Status.MOOT, next_try_at=None
        )
        settle(check.kind, check.object_id)
        return "gone"
    if is_pending(row.image.name):
        # Still waiting for its cleaning job: WeChat is sent the clean picture, not the upload.
        ContentCheck.objects.filter(pk=check.pk).update(next_try_at=now + timedelta(seconds=30))
        return "retry"
    if not settings.SITE_URL:
        reason = _("未设置 SITE_URL，微信无法取得照片，由工作人员审核")
        record(check.pk, status=Status.REVIEW, via=Via.LOCAL, reason=reason)
        return Status.REVIEW
    trace_id = client.media_check_async(
        openid=openid, media_url=media_link(check), scene=check.scene
    )
    ContentCheck.objects.filter(pk=check.pk, status=Status.PENDING).update(
        trace_id=trace_id, submitted_at=now, next_try_at=now + MEDIA_WAIT
    )
    return "submitted"


def media_verdict(*, trace_id: str, result: dict[str, Any] | None, errcode: int) -> bool:
    """A pushed mediaCheckAsync verdict; answers whether it settled a waiting check. A push that
    carries no verdict (an errcode: WeChat could not fetch or judge the photo) sends it again."""
    check = ContentCheck.objects.filter(trace_id=trace_id, status=Status.PENDING).first()
    if check is None:
        return False
    if (
        errcode
        or not isinstance(result, dict)
        or result.get("suggest")
        not in (
            "pass",
            "review",
            "risky",
        )
    ):
        logger.warning("content check %s: pushed without a verdict, tried again later", check.pk)
        ContentCheck.objects.filter(pk=check.pk, status=Status.PENDING).update(
            trace_id=None, next_try_at=timezone.now() + backoff(check.attempts)
        )
        return False
    apply_result(check, result)
    return True


def sweep(now: datetime | None = None) -> int:
    """Every pending check that is due: tried again. A photo whose verdict never came is sent
    again. Each in its own try: one that fails is logged and the run goes on."""
    now = now or timezone.now()
    ContentCheck.objects.filter(
        status=Status.PENDING, trace_id__isnull=False, submitted_at__lte=now - MEDIA_WAIT
    ).update(trace_id=None, next_try_at=now)
    due = list(
        ContentCheck.objects.filter(
            status=Status.PENDING, trace_id__isnull=True, next_try_at__lte=now
        )
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:200]
    )
    for pk in due:
        try:
            check_run(pk)
        except Exception:
            logger.exception("content check %s failed, tried again later", pk)
    return len(due)
