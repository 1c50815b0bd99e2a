"""A small client of the WeChat and 企业微信 server APIs this product uses, over httpx.

The calls: the mini-program's jscode2session, the 公众号's web authorisation, the access
tokens (WeChat's stable token for the mini-program and the 公众号, 企业微信's gettoken for the
app and for 客户联系), the subscription message, 企业微信's application message, its OAuth
user lookup, the customer-group mass message, and the group robot's webhook. The base URLs are
settings, so a district's gateway or the tests' stand-in can answer in WeChat's place.

What a failure means decides what a job may do next:
* `WechatError` — WeChat answered with an errcode: nothing was sent.
* `Unreachable` — the request never reached WeChat (no connection): safe to try again.
* `Unknown` — sent, but no answer came back (a read timeout, a broken reply): WeChat may have
  delivered it, so a message is never sent again after this.
No call logs its URL, its parameters or its answer: they carry secrets, tokens and openids.
"""

from datetime import timedelta
from typing import Any, Final

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wangge.wechat.models import AccessToken

# errcodes that mean the access token used is no longer valid (expired, or replaced by a
# fetch elsewhere): refreshed once and the call made again.
TOKEN_INVALID: Final = frozenset({40001, 40014, 42001})
# A token within this of its expiry is refreshed before use.
_EARLY: Final = timedelta(minutes=5)
# WeChat allows a forced refresh of a stable token once per 30 seconds (and 20 a day).
_FORCE_INTERVAL: Final = timedelta(seconds=30)

# 企业微信 gives 客户联系 (customer groups) its own secret, hence a token of its own.
MINI, MP, WECOM, CONTACT = "mini", "mp", "wecom", "contact"


class WechatError(Exception):
    def __init__(self, errcode: int, errmsg: str = "") -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class Unreachable(Exception):
    """Nothing reached WeChat."""


class Unknown(Exception):
    """The request may have reached WeChat; its outcome is not known."""


class NotConfigured(Exception):
    """The app id or secret is not set."""


def _request(method: str, url: str, **kwargs: Any) -> dict[str, Any]:
    try:
        response = httpx.request(method, url, timeout=settings.WECHAT_TIMEOUT_SECONDS, **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as e:
        raise Unreachable(type(e).__name__) from None
    except httpx.HTTPError as e:
        raise Unknown(type(e).__name__) from None
    if response.status_code >= 500:
        raise Unknown(f"HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        raise Unknown("not JSON") from None
    if not isinstance(data, dict):
        raise Unknown("not an object")
    errcode = int(data.get("errcode") or 0)
    if errcode:
        raise WechatError(errcode, str(data.get("errmsg") or ""))
    return data


def _credentials(app: str) -> tuple[str, str]:
    pairs = {
        MINI: (settings.WECHAT_MINI_APPID, settings.WECHAT_MINI_SECRET),
        MP: (settings.WECHAT_MP_APPID, settings.WECHAT_MP_SECRET),
        WECOM: (settings.WECOM_CORPID, settings.WECOM_SECRET),
        CONTACT: (settings.WECOM_CORPID, settings.WECOM_CONTACT_SECRET),
    }
    appid, secret = pairs[app]
    if not appid or not secret:
        raise NotConfigured(app)
    return appid, secret


def configured(app: str) -> bool:
    try:
        _credentials(app)
    except NotConfigured:
        return False
    return app != WECOM or bool(settings.WECOM_AGENTID)


def _fetch_token(app: str, *, force: bool = False) -> tuple[str, int]:
    appid, secret = _credentials(app)
    if app in (WECOM, CONTACT):
        data = _request(
            "GET",
            f"{settings.WECOM_API_BASE}/cgi-bin/gettoken",
            params={"corpid": appid, "corpsecret": secret},
        )
    else:
        # The stable token: another system on the same AppID fetching one does not invalidate
        # ours (as /cgi-bin/token would), and within its life WeChat answers the same token.
        data = _request(
            "POST",
            f"{settings.WECHAT_API_BASE}/cgi-bin/stable_token",
            json={
                "grant_type": "client_credential",
                "appid": appid,
                "secret": secret,
                "force_refresh": force,
            },
        )
    return str(data["access_token"]), int(data.get("expires_in") or 7200)


def access_token(app: str) -> str:
    """The app's valid access token, fetched only when the stored one is missing or near
    its end."""
    row = AccessToken.objects.filter(app=app).first()
    if (
        row is not None
        and row.token
        and row.expires_at
        and row.expires_at > timezone.now() + _EARLY
    ):
        return row.token
    return refresh_token(app, stale=row.token if row is not None else "")


def refresh_token(app: str, *, stale: str, invalid: bool = False) -> str:
    """A new token in place of `stale`, fetched once across workers: under the row's lock, a
    worker that finds the token already replaced by another uses that one.

    `invalid`: WeChat refused `stale`. A stable token fetched normally may be that same token
    (WeChat still counts it valid, or it was reset on WeChat's side), so then, and only then,
    the refresh is forced, at most once per 30 seconds as WeChat allows; sooner, the caller is
    told to try later (nothing was sent)."""
    AccessToken.objects.get_or_create(app=app)
    with transaction.atomic():
        row = AccessToken.objects.select_for_update().get(app=app)
        now = timezone.now()
        if row.token and row.token != stale and row.expires_at and row.expires_at > now + _EARLY:
            return row.token
        token, expires_in = _fetch_token(app)
        fields = ["token", "expires_at", "refreshed"]
        if invalid and token == stale and app in (MINI, MP):
            if row.forced_at and row.forced_at > now - _FORCE_INTERVAL:
                raise Unreachable("stable token forced refresh too soon")
            token, expires_in = _fetch_token(app, force=True)
            row.forced_at = now
            fields.append("forced_at")
        row.token = token
        row.expires_at = now + timedelta(seconds=expires_in)
        row.refreshed += 1
        row.save(update_fields=fields)
        return token


def _with_token(
    app: str, method: str, url: str, params: dict[str, str] | None = None, **kwargs: Any
) -> dict[str, Any]:
    """A call authorised by the app's access token; an invalid token is refreshed once."""
    token = access_token(app)
    try:
        return _request(method, url, params={**(params or {}), "access_token": token}, **kwargs)
    except WechatError as e:
        if e.errcode not in TOKEN_INVALID:
            raise
    token = refresh_token(app, stale=token, invalid=True)
    return _request(method, url, params={**(params or {}), "access_token": token}, **kwargs)


def mini_session(code: str) -> tuple[str, str]:
    """The mini-program's `wx.login` code → (openid, unionid or ""). The session key WeChat
    also answers is not kept."""
    appid, secret = _credentials(MINI)
    data = _request(
        "GET",
        f"{settings.WECHAT_API_BASE}/sns/jscode2session",
        params={
            "appid": appid,
            "secret": secret,
            "js_code": code,
            "grant_type": "authorization_code",
        },
    )
    return str(data["openid"]), str(data.get("unionid") or "")


def mp_oauth(code: str) -> tuple[str, str]:
    """The 公众号's web authorisation code → (openid, unionid or "")."""
    appid, secret = _credentials(MP)
    data = _request(
        "GET",
        f"{settings.WECHAT_API_BASE}/sns/oauth2/access_token",
        params={"appid": appid, "secret": secret, "code": code, "grant_type": "authorization_code"},
    )
    return str(data["openid"]), str(data.get("unionid") or "")


def subscribe_send(*, openid: str, template_id: str, page: str, data: dict[str, str]) -> None:
    _with_token(
        MINI,
        "POST",
        f"{settings.WECHAT_API_BASE}/cgi-bin/message/subscribe/send",
        json={
            "touser": openid,
            "template_id": template_id,
            "page": page,
            "data": {name: {"value": value} for name, value in data.items()},
        },
    )


def group_mass_message(*, sender: str, content: str, title: str, description: str, url: str) -> str:
    """A 企业微信 customer-group mass message (客户联系 → 企业群发) from `sender` to their customer
    groups, with a link: 企业微信 creates a task the member confirms in 群发助手. Returns its
    msgid. Needs the 客户联系 secret's token."""
    data = _with_token(
        CONTACT,
        "POST",
        f"{settings.WECOM_API_BASE}/cgi-bin/externalcontact/add_msg_template",
        json={
            "chat_type": "group",
            "sender": sender,
            "text": {"content": content[:4000]},
            "attachments": [
                {
                    "msgtype": "link",
                    "link": {"title": title[:128], "desc": description[:512], "url": url},
                }
            ],
        },
    )
    return str(data.get("msgid") or "")


def robot_send(*, key: str, title: str, description: str, url: str) -> None:
    """A news message (title, summary, link) through a group robot's webhook. The key is the
    robot's only credential: it travels in the query string and is never logged."""
    _request(
        "POST",
        f"{settings.WECOM_WEBHOOK_BASE}/cgi-bin/webhook/send",
        params={"key": key},
        json={
            "msgtype": "news",
            "news": {
                "articles": [{"title": title[:128], "description": description[:512], "url": url}]
            },
        },
    )


class WecomUserInvalid(WechatError):
    """企业微信 accepted the call but not the recipient (not a member, or not in the app's
    visible range)."""


def wecom_send(*, userid: str, title: str, description: str, url: str) -> None:
    data = _with_token(
        WECOM,
        "POST",
        f"{settings.WECOM_API_BASE}/cgi-bin/message/send",
        json={
            "touser": userid,
            "msgtype": "textcard",
            "agentid": int(settings.WECOM_AGENTID),
            "textcard": {
                "title": title[:128],
                "description": description[:512],
                "url": url,
                "btntxt": "查看",
            },
        },
    )
    if data.get("invaliduser"):
        raise WecomUserInvalid(81013, "invaliduser")


def wecom_userid(code: str) -> str:
    """企业微信's OAuth code (a page opened inside 企业微信) → the member's userid ("" for a
    visitor who is not a member)."""
    data = _with_token(
        WECOM, "GET", f"{settings.WECOM_API_BASE}/cgi-bin/auth/getuserinfo", {"code": code}
    )
    return str(data.get("userid") or data.get("UserId") or "")


def msg_sec_check(*, openid: str, content: str, scene: int) -> dict[str, Any]:
    """msgSecCheck v2 on text a mini-program user wrote: WeChat's `result` (`suggest`: pass,
    review or risky; `label`). The openid must be of someone who used the mini-program in the
    last two hours (else 61010)."""
    data = _with_token(
        MINI,
        "POST",
        f"{settings.WECHAT_API_BASE}/wxa/msg_sec_check",
        json={"content": content, "version": 2, "scene": scene, "openid": openid},
    )
    result = data.get("result")
    if not isinstance(result, dict) or result.get("suggest") not in ("pass", "review", "risky"):
        raise Unknown("no verdict")
    return result


def media_check_async(*, openid: str, media_url: str, scene: int) -> str:
    """mediaCheckAsync v2 on a photo WeChat fetches from `media_url`: the trace_id its verdict
    is later pushed with (event `wxa_media_check`)."""
    data = _with_token(
        MINI,
        "POST",
        f"{settings.WECHAT_API_BASE}/wxa/media_check_async",
        json={
            "media_url": media_url,
            "media_type": 2,
            "version": 2,
            "scene": scene,
            "openid": openid,
        },
    )
    trace_id = str(data.get("trace_id") or "")
    if not trace_id:
        raise Unknown("no trace_id")
    return trace_id
