from collections.abc import Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridNode
from wangge.notices.models import Notice, NoticeRead, Offer, ServicePlace
from wangge.notices.selectors import HOME_ROLES
from wangge.notifications import channels


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
    notice = Notice.objects.create(
        node=node,
        grid_path=node.path,
        kind=kind,
        title=title[:80],
        body=body,
        pinned=pinned,
        expires_at=expires_at,
        published_by=actor,
    )
    _announce(notice, actor)
    return notice


def _announce(notice: Notice, actor: User) -> None:
    """Hand the notice to the channels beyond the 公告 page (WeChat, where a district has it):
    one push per resident of the subtree (sent as a subscription message to those who
    subscribed to notices), and one for the residents' groups of its micro-grids, to the
    publisher, with the topic `notice:<id>:groups:<node id>`. Each is sent once per notice
    however often it is handed over. Nothing is written to the inbox: the 公告 page is the
    record."""
    link = reverse("mobile:notice", args=[notice.pk])
    body = notice.body[:500]
    residents = (
        User.objects.filter(
            is_active=True,
            grants__role__in=HOME_ROLES,
            grants__node__path__startswith=notice.grid_path,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    topic = f"notice:{notice.pk}"
    pushes = [
        channels.Push(pk, channels.GRID_NOTICE, notice.title, body, link, topic) for pk in residents
    ]
    pushes.append(
        channels.Push(
            actor.pk,
            channels.GRID_NOTICE,
            notice.title,
            body,
            link,
            f"{topic}:groups:{notice.node_id}",
        )
    )
    channels.hand_over(pushes)


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


@transaction.atomic
def service_place_add(
    *,
    node: GridNode,
    kind: str,
    name: str,
    address: str,
    lon: float,
    lat: float,
    hours: str = "",
    phone: str = "",
    services: Sequence[str] | None = None,
) -> ServicePlace:
    """Put a place on the 附近 map (the admin's form does the same checks). `services` are among
    the 八可 of a 网格家园; anything else is refused rather than shown to residents."""
    name, address = name.strip(), address.strip()
    if not name or not address:
        raise ValidationFailed(_("请填写名称和地址"))
    if kind not in ServicePlace.Kind.values:
        raise ValidationFailed(_("未知服务点类型"))
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("位置无效"))
    offered = list(dict.fromkeys(services or []))
    unknown = [s for s in offered if s not in Offer.values]
    if unknown:
        raise ValidationFailed(_("未知服务项目：%(s)s") % {"s": "、".join(unknown)})
    return ServicePlace.objects.create(
        node=node,
        kind=kind,
        name=name[:80],
        address=address[:200],
        lon=lon,
        lat=lat,
        hours=hours.strip(),
        phone=phone.strip(),
        services=offered,
    )
