"""Whose content WeChat's checks may judge: msgSecCheck and mediaCheckAsync take only the openid
of someone who used the mini-program in the last two hours (else 61010). Everyone else's goes
through the local check."""

from datetime import timedelta
from typing import Final

from django.db.models import Q
from django.utils import timezone

from wangge.accounts.models import ApiToken, User
from wangge.wechat import client
from wangge.wechat.models import WechatApp, WechatIdentity
from wangge.wechat.services import MINI_TOKEN_NAME

# WeChat's own window, less a margin for the time a check waits in the queue.
RECENT: Final = timedelta(hours=1, minutes=45)


def mini_openid(user: User) -> str | None:
    """The user's mini-program openid if they used the mini-program recently (signed in, or
    used its token: its pages and web-views call the API), else None."""
    if not client.configured(client.MINI):
        return None
    identity = (
        WechatIdentity.objects.filter(app=WechatApp.MINI, user=user)
        .only("openid", "last_login_at")
        .first()
    )
    if identity is None:
        return None
    since = timezone.now() - RECENT
    if identity.last_login_at and identity.last_login_at >= since:
        return identity.openid
    used = ApiToken.objects.filter(
        Q(last_used_at__gte=since) | Q(created_at__gte=since),
        user=user,
        name=MINI_TOKEN_NAME,
        revoked_at__isnull=True,
    ).exists()
    return identity.openid if used else None
