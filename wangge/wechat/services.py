"""Signing in from WeChat, binding an openid to an account, what residents granted, and
binding staff to 企业微信."""

import json
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Final

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.identity import normalize_phone
from wangge.accounts.models import ApiToken, Role, User
from wangge.accounts.registration import sms_code_login
from wangge.accounts.services import api_token_create, api_token_revoke
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.wechat import client
from wangge.wechat.models import (
    SubscribeTemplate,
    SubscriptionGrant,
    WechatApp,
    WechatIdentity,
    WecomIdentity,
)

# The token a new openid gets: good only for binding, for this long.
BIND_TOKEN_AGE: Final = timedelta(minutes=15)
_BIND_SALT: Final = "wangge.wechat.bind"
BIND_PREFIX: Final = "wxb."
# The name of the API tokens the mini-program signs in with (one live token per account).
MINI_TOKEN_NAME: Final = "微信小程序"  # noqa: S105 - a label, not a secret


class ChannelOff(Exception):
    """The district has not configured this WeChat app."""


def bind_token_for(identity: WechatIdentity) -> str:
    return BIND_PREFIX + signing.dumps({"wx": identity.pk}, salt=_BIND_SALT, compress=True)


def bind_identity(token: str) -> WechatIdentity | None:
    """The unbound identity a bind token names, or None (malformed, expired, or already bound)."""
    if not token.startswith(BIND_PREFIX):
        return None
    try:
        data = signing.loads(
            token[len(BIND_PREFIX) :],
            salt=_BIND_SALT,
            max_age=BIND_TOKEN_AGE,
        )
    except signing.BadSignature:
        return None
    identity = WechatIdentity.objects.filter(pk=data.get("wx")).first()
    if identity is None or identity.user_id is not None:
        return None
    return identity


def _full_token(user: User) -> str:
    """A new API token for the mini-program; the account's earlier ones are revoked (one
    WeChat, one live token)."""
    for old in ApiToken.objects.filter(user=user, name=MINI_TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(token=old)
    _row, key = api_token_create(user=user, name=MINI_TOKEN_NAME)
    return key


def mini_login(
    *, code: str, admit: Callable[[str], None] = lambda _openid: None
) -> tuple[str, bool]:
    """`wx.login`'s code → (token, bound). A bound openid of an active account gets the
    account's API token; any other gets a short-lived token good only for binding. An openid
    whose unionid is bound through the 公众号 is bound to the same account at once. `admit`
    sees the openid before anything is written (the caller's per-identity limit raises)."""
    if not client.configured(client.MINI):
        raise ChannelOff
    code = (code or "").strip()
    if not code or len(code) > 128:
        raise ValidationFailed(_("登录凭证无效，请重新进入小程序"), field="code")
    try:
        openid, unionid = client.mini_session(code)
    except client.WechatError as e:
        # 40029 invalid code, 40163 code used, 45011 too frequent: the person retries.
        raise ValidationFailed(
            _("微信登录失败（%(c)s），请重新进入小程序") % {"c": e.errcode}
        ) from None
    admit(openid)
    with transaction.atomic():
        identity = _signed_in(WechatApp.MINI, openid, unionid)
        user = identity.user
        if user is not None and user.is_active:
            return _full_token(user), True
    return bind_token_for(identity), False


def _signed_in(app: str, openid: str, unionid: str) -> WechatIdentity:
    """The identity of one app's openid, locked and saved with its sign-in: its unionid kept,
    and, unbound, bound to the account the same person's other app is (one 开放平台 account
    gives both the same unionid). Inside the caller's transaction."""
    now = timezone.now()
    identity, _created = WechatIdentity.objects.select_for_update().get_or_create(
        app=app, openid=openid, defaults={"unionid": unionid}
    )
    if unionid:
        identity.unionid = unionid
    if identity.user_id is None and unionid:
        twin = (
            WechatIdentity.objects.filter(unionid=unionid, user__isnull=False, user__is_active=True)
            .exclude(pk=identity.pk)
            .select_related("user")
            .first()
        )
        if twin is not None and twin.user is not None:
            _attach(identity, twin.user, now)
    identity.last_login_at = now
    identity.save()
    return identity


def _attach(identity: WechatIdentity, user: User, now: object) -> None:
    # A person with a new WeChat account: the old openid of the same app lets go.
    WechatIdentity.objects.filter(app=identity.app, user=user).exclude(pk=identity.pk).update(
        user=None, bound_at=None
    )
    identity.user = user
    identity.bound_at = now  # type: ignore[assignment]


def mini_bind(*, identity: WechatIdentity, phone: str, sms_code: str) -> str:
    """Bind a new openid to the account of a phone proven by its text-message code (a phone
    with no account gets a new resident account, as the text-message sign-up does). Returns
    the account's API token."""
    phone = normalize_phone(phone)
    user, _new = sms_code_login(phone=phone, code=sms_code)
    now = timezone.now()
    try:
        with transaction.atomic():
            fresh = WechatIdentity.objects.select_for_update().get(pk=identity.pk)
            if fresh.user_id is not None:
                raise Conflict(_("该微信已绑定账号，请重新进入小程序"))
            _attach(fresh, user, now)
            fresh.save()
    except IntegrityError:
        raise Conflict(_("绑定未完成，请重试")) from None
    return _full_token(user)


def unbind(*, user: User) -> int:
    """Let go of the account's WeChat openids and revoke the mini-program's tokens; the
    grants go too (a later bind asks again)."""
    with transaction.atomic():
        count = WechatIdentity.objects.filter(user=user).update(user=None, bound_at=None)
        for token in ApiToken.objects.filter(
            user=user, name=MINI_TOKEN_NAME, revoked_at__isnull=True
        ):
            api_token_revoke(token=token)
        SubscriptionGrant.objects.filter(user=user).delete()
    return count


def templates() -> dict[str, SubscribeTemplate]:
    """Event → template: WECHAT_SUBSCRIBE_TEMPLATES, with the admin's rows over it."""
    found: dict[str, SubscribeTemplate] = {}
    raw = settings.WECHAT_SUBSCRIBE_TEMPLATES
    if raw:
        for event, template_id in json.loads(raw).items():
            if event in SubscribeTemplate.Event.values and template_id:
                found[event] = SubscribeTemplate(event=event, template_id=str(template_id))
    for row in SubscribeTemplate.objects.all():
        found[row.event] = row
    return found


_ANSWERS: Final = frozenset(SubscriptionGrant.Answer.values)


def subscriptions_record(*, user: User, answers: dict[str, object]) -> int:
    """WeChat's answer to `wx.requestSubscribeMessage`, per template id: each "accept" of a
    one-time template allows one more message; "ban" stops them until accepted again. Keys that
    are not our templates (WeChat adds errMsg) are left out. Returns how many were recorded."""
    known = {t.template_id: t for t in templates().values()}
    recorded = 0
    for template_id, answer in answers.items():
        if template_id not in known:
            continue
        if answer not in _ANSWERS:
            raise ValidationFailed(
                _("订阅结果只能是 accept、reject 或 ban：%(a)s") % {"a": str(answer)[:20]}
            )
        long_term = known[template_id].long_term
        with transaction.atomic():
            grant, _c = SubscriptionGrant.objects.select_for_update().get_or_create(
                user=user,
                template_id=template_id,
                defaults={"last_answer": answer, "long_term": long_term},
            )
            grant.last_answer = str(answer)
            grant.long_term = long_term
            if answer == SubscriptionGrant.Answer.ACCEPT:
                grant.accepted_total = F("accepted_total") + 1
                grant.available = 1 if long_term else F("available") + 1
            else:
                grant.refused_total = F("refused_total") + 1
                if answer == SubscriptionGrant.Answer.BAN:
                    grant.available = 0
            grant.save()
        recorded += 1
    return recorded


def wecom_eligible(user: User) -> bool:
    """Who works through 企业微信: grid staff, and the departments' 承办人 the street whistles
    (吹哨 reaches them there). Residents, enterprises and merchants use the mini-program."""
    return user.is_grid_staff or user.has_role(Role.DEPARTMENT_HANDLER)


def wecom_bind(*, user: User, userid: str, how: str) -> WecomIdentity:
    """Bind a staff or department account to its 企业微信 userid (replacing its earlier one)."""
    userid = (userid or "").strip()
    if not userid or len(userid) > 64:
        raise ValidationFailed(_("请填写企业微信账号（userid）"), field="userid")
    if not user.is_active:
        raise PermissionDenied(_("该账号已停用"))
    if not wecom_eligible(user):
        raise PermissionDenied(_("只有工作人员和职能部门承办人的账号可以绑定企业微信"))
    taken = WecomIdentity.objects.filter(userid=userid).exclude(user=user).first()
    if taken is not None:
        raise Conflict(_("该企业微信账号已绑定其他账号"))
    identity, _c = WecomIdentity.objects.update_or_create(
        user=user, defaults={"userid": userid, "bound_by": how}
    )
    return identity


def wecom_user(userid: str) -> User | None:
    """The active staff or department account bound to this 企业微信 userid, to sign in."""
    if not userid:
        return None
    identity = (
        WecomIdentity.objects.filter(userid=userid, user__is_active=True)
        .select_related("user")
        .first()
    )
    if identity is None or not wecom_eligible(identity.user):
        return None
    return identity.user


def wecom_bind_by_phone(*, phone: str, userid: str) -> WecomIdentity:
    user = User.objects.filter(phone=normalize_phone(phone)).first()
    if user is None:
        raise NotFound(_("没有这个手机号的账号"))
    return wecom_bind(user=user, userid=userid, how=_("命令行"))


def on_deactivated(user: User) -> None:
    """A deactivated account keeps no WeChat: its openids are let go (a later sign-in from
    them asks to bind, and binding to this phone is refused while it is deactivated), its
    mini-program tokens revoked, its 企业微信 binding removed."""
    unbind(user=user)
    WecomIdentity.objects.filter(user=user).delete()


# A web-view ticket: good once, for this long (the mini-program asks for one as it opens a page).
TICKET_AGE: Final = timedelta(minutes=2)
_TICKET_SALT: Final = "wangge.wechat.ticket"


def web_ticket(*, user: User) -> str:
    """A one-time ticket that signs the mini-program's web-view in as `user`."""
    return signing.dumps({"u": user.pk, "n": secrets.token_urlsafe(12)}, salt=_TICKET_SALT)


def web_ticket_user(ticket: str) -> User | None:
    """The active account a fresh, unused ticket names (None otherwise); the ticket is used up."""
    try:
        data = signing.loads(ticket, salt=_TICKET_SALT, max_age=TICKET_AGE)
    except signing.BadSignature:
        return None
    # Once: the cache is shared by every worker and node (Redis in production).
    if not cache.add(
        f"wechat:ticket:{data.get('n')}", 1, timeout=int(TICKET_AGE.total_seconds()) * 2
    ):
        return None
    return User.objects.filter(pk=data.get("u"), is_active=True).first()


def mp_sign_in(*, code: str) -> tuple[WechatIdentity, User | None]:
    """The 公众号's web authorisation code → the identity, and its account when bound (through
    the unionid the mini-program shares, when the two apps are under one 开放平台 account)."""
    openid, unionid = client.mp_oauth(code)
    with transaction.atomic():
        identity = _signed_in(WechatApp.MP, openid, unionid)
    user = identity.user if identity.user is not None and identity.user.is_active else None
    return identity, user


def mp_bind_pending(*, identity_id: int, user: User) -> bool:
    """After the one text-message sign-in: the 公众号 openid the person came with is bound to
    the account they proved (unless it was bound meanwhile)."""
    with transaction.atomic():
        identity = (
            WechatIdentity.objects.select_for_update()
            .filter(pk=identity_id, app=WechatApp.MP, user__isnull=True)
            .first()
        )
        if identity is None:
            return False
        _attach(identity, user, timezone.now())
        identity.save()
    return True
