"""Sign-in from the 原点在线 mini-program, binding, and what a resident granted, over JSON.

POST /api/v1/auth/sms-code            {"phone"}             → {"sent", "demo_code"?}
POST /api/v1/auth/wechat/mini-login   {"code"}              → {"token", "bound"}
POST /api/v1/auth/wechat/bind         {"phone", "sms_code"} → {"bound", "token"}
GET  /api/v1/me/wechat/templates                            → {"accepted": id, …}
POST /api/v1/me/wechat/subscriptions  {"<template id>": "accept" | "reject" | "ban"}
PUT  /api/v1/me/wechat/fallback       {"fallback": "inbox" | "sms"}
DELETE /api/v1/me/wechat                                    (unbind)
"""

from typing import Any, Literal
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Body, Field, Router, Schema
from ninja import Status as Reply
from ninja.security import HttpBearer

from wangge.accounts.login_throttle import protected_login
from wangge.accounts.registration import sms_code_request
from wangge.core import pii
from wangge.core.errors import ValidationFailed
from wangge.core.ratelimit import RateLimited, rate_limit
from wangge.core.web import AuthedRequest
from wangge.wechat import services
from wangge.wechat.models import WechatApp, WechatIdentity

auth_router = Router(tags=["登录"])
me_router = Router(tags=["微信"])


class Detail(Schema):
    detail: str


class SmsCodeIn(Schema):
    phone: str = Field(..., max_length=20)


class SmsCodeOut(Schema):
    sent: bool
    demo_code: str | None = Field(None, description="演示模式下直接给出验证码")


class MiniLoginIn(Schema):
    code: str = Field(..., max_length=128, description="wx.login 返回的 code")


class TokenOut(Schema):
    token: str
    bound: bool


class BindIn(Schema):
    phone: str = Field(..., max_length=20)
    sms_code: str = Field(..., max_length=10)


class BindToken(HttpBearer):
    """The short-lived token a new openid gets: good for binding, nothing else."""

    openapi_description = "Authorization: Bearer wxb.…（小程序登录返回的绑定令牌）"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        identity = services.bind_identity(token)
        if identity is not None:
            request.wechat_identity = identity  # type: ignore[attr-defined]
        return identity


def _limit_login(request: HttpRequest, group: str, who: str, message: str = "") -> None:
    """Count a sign-in against `group`'s limit for `who` (a WeChat identity, a phone), and
    refuse it (429) once that is used up. The cache key is a keyed hash: the counters live in
    the shared cache (Redis), where no openid or phone belongs."""
    rate = settings.RATE_LIMITS.get(group, "")
    if not rate or not who:
        return
    key = pii.lookup_hash(f"{group}:{who}")
    if is_ratelimited(
        request, group=f"wangge.{group}", key=lambda _g, _r: key, rate=rate, increment=True
    ):
        raise RateLimited(message or _("登录尝试过于频繁，请稍后再试"))


@auth_router.post(
    "/sms-code",
    auth=None,
    response={200: SmsCodeOut, 422: Detail, 429: Detail},
    summary="获取短信验证码",
)
def sms_code(request: HttpRequest, body: SmsCodeIn) -> SmsCodeOut:
    code = sms_code_request(phone=body.phone, ip=request.META.get("REMOTE_ADDR"))
    return SmsCodeOut(sent=True, demo_code=code if settings.DEMO_MODE else None)


@auth_router.post(
    "/wechat/mini-login",
    auth=None,
    response={200: TokenOut, 422: Detail, 429: Detail, 501: Detail, 502: Detail},
    summary="小程序登录（wx.login 的 code 换取令牌）",
)
def mini_login(request: HttpRequest, body: MiniLoginIn) -> Any:
    rate_limit(request, "wechat_login")
    # The same code again is a replay (WeChat's codes work once); the same openid many times
    # an hour is a script, not a person.
    _limit_login(request, "wechat_login_identity", f"code:{body.code}")
    try:
        token, bound = services.mini_login(
            code=body.code,
            admit=lambda openid: _limit_login(request, "wechat_login_identity", f"mini:{openid}"),
        )
    except services.ChannelOff:
        return Reply(501, Detail(detail=_("本平台尚未开通微信小程序登录")))
    except services.client.Unreachable:
        return Reply(502, Detail(detail=_("暂时无法连接微信，请稍后重试")))
    except services.client.Unknown:
        return Reply(502, Detail(detail=_("微信未应答，请稍后重试")))
    return TokenOut(token=token, bound=bound)


@auth_router.post(
    "/wechat/bind",
    auth=BindToken(),
    response={200: TokenOut, 409: Detail, 422: Detail, 403: Detail, 429: Detail},
    summary="绑定手机号（短信验证码）",
)
def bind(request: HttpRequest, body: BindIn) -> TokenOut:
    identity: WechatIdentity = request.wechat_identity  # type: ignore[attr-defined]
    # Guessing a phone's text-message code: limited per address, per WeChat and per phone, so
    # neither many WeChat accounts against one phone nor one WeChat against many phones get far.
    rate_limit(request, "wechat_login")
    _limit_login(request, "wechat_login_identity", f"mini:{identity.openid}")
    _limit_login(
        request,
        "wechat_login_phone",
        protected_login(body.phone) or "",
        _("该手机号的绑定尝试过于频繁，请稍后再试"),
    )
    token = services.mini_bind(identity=identity, phone=body.phone, sms_code=body.sms_code)
    return TokenOut(token=token, bound=True)


@me_router.get("/templates", response=dict[str, str], summary="订阅消息模板（按事件）")
def templates(request: AuthedRequest) -> dict[str, str]:
    return {event: t.template_id for event, t in services.templates().items()}


class RecordedOut(Schema):
    recorded: int


@me_router.post(
    "/subscriptions",
    response={200: RecordedOut, 422: Detail},
    summary="记录 wx.requestSubscribeMessage 的结果",
)
def subscriptions(request: AuthedRequest, body: dict[str, Any] = Body(...)) -> RecordedOut:  # noqa: B008
    if len(body) > 50:
        raise ValidationFailed(_("订阅结果过多"))
    return RecordedOut(recorded=services.subscriptions_record(user=request.user, answers=body))


class FallbackIn(Schema):
    fallback: Literal["inbox", "sms"]


class FallbackOut(Schema):
    fallback: str


@me_router.put("/fallback", response={200: FallbackOut, 404: Detail}, summary="未授权时的提醒方式")
def fallback(request: AuthedRequest, body: FallbackIn) -> Any:
    changed = WechatIdentity.objects.filter(app=WechatApp.MINI, user=request.user).update(
        fallback=body.fallback
    )
    if not changed:
        return Reply(404, Detail(detail=_("尚未绑定微信")))
    return FallbackOut(fallback=body.fallback)


class UnboundOut(Schema):
    unbound: int


@me_router.delete("", response=UnboundOut, summary="解除微信绑定")
def unbind(request: AuthedRequest) -> UnboundOut:
    return UnboundOut(unbound=services.unbind(user=request.user))


class TicketIn(Schema):
    next: str = Field("/m/", max_length=300, description="要打开的本站页面路径，如 /volunteering/")


class TicketOut(Schema):
    url: str


@me_router.post(
    "/web-ticket", response={200: TicketOut, 422: Detail}, summary="小程序 web-view 免登录链接"
)
def web_ticket(request: AuthedRequest, body: TicketIn) -> TicketOut:
    """A link the mini-program's web-view opens signed in as the caller, once, within two
    minutes; `next` must be one of this site's own paths."""
    nxt = body.next
    if not nxt.startswith("/") or nxt.startswith("//") or "\\" in nxt:
        raise ValidationFailed(_("只能打开本平台的页面"), field="next")
    ticket = services.web_ticket(user=request.user)
    base = settings.SITE_URL or request.build_absolute_uri("/").rstrip("/")
    query = urlencode({"ticket": ticket, "next": nxt})
    return TicketOut(url=f"{base}{reverse('wechat:enter')}?{query}")
