"""What tests of content security share: a person who uses the mini-program, and an operator
passing what waits for review."""

from django.utils import timezone

from wangge.accounts.models import User
from wangge.moderation.models import ContentCheck
from wangge.moderation.services import check_decide
from wangge.wechat.models import WechatApp, WechatIdentity


def use_mini_program(user: User, openid: str) -> User:
    """The person signed in to the mini-program a moment ago."""
    WechatIdentity.objects.create(
        app=WechatApp.MINI, openid=openid, user=user, bound_at=timezone.now(),
        last_login_at=timezone.now(),
    )  # fmt: skip
    return user


def pass_held(actor: User, kind: str, object_id: int) -> None:
    """An operator passes what waits for review of one piece of content."""
    for check in ContentCheck.objects.filter(
        kind=kind, object_id=object_id, status=ContentCheck.Status.REVIEW
    ):
        check_decide(actor=actor, check_id=check.pk, passed=True)
