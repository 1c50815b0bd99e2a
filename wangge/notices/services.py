from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridNode
from wangge.notices.models import Notice, NoticeRead


@transaction.atomic
def notice_publish(
    *,
    actor: User,
    node: GridNode,
    title: str,
    body: str,
    kind: str = Notice.Kind.POLICY,
    pinned: bool = False,
    expires_at: datetime | None = None,
) -> Notice:
    if not (actor.is_grid_staff and path_in_scope(actor, node.path)):
        raise PermissionDenied(_("只能向自己负责的网格发布公告"))
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise ValidationFailed(_("请填写标题和内容"))
    if kind not in Notice.Kind.values:
        raise ValidationFailed(_("未知公告类型"))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("过期时间须晚于现在"))
    return Notice.objects.create(
        node=node,
        grid_path=node.path,
        kind=kind,
        title=title[:80],
        body=body,
        pinned=pinned,
        expires_at=expires_at,
        published_by=actor,
    )


def notice_mark_read(*, user: User, notice: Notice) -> None:
    """Idempotent: the unique constraint keeps one row per reader even if two tabs race."""
    try:
        with transaction.atomic():
            NoticeRead.objects.get_or_create(notice=notice, user=user)
    except IntegrityError:
        pass


@transaction.atomic
def notice_withdraw(*, actor: User, notice: Notice) -> None:
    if not path_in_scope(actor, notice.grid_path) or not actor.is_grid_staff:
        raise PermissionDenied(_("无权撤回该公告"))
    Notice.objects.filter(pk=notice.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
