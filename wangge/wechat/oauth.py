"""WeChat's and 企业微信's web authorisation: where a page sends the person, and what the session
keeps between the two legs.

The `state` sent to WeChat is random and remembered in this session with its purpose (公众号 or
企业微信) and when it was issued; the callback takes it back once. A callback whose state this
session did not issue (a link someone else made with their own code), one already used, or
one too old is refused before its code is exchanged: otherwise a forged callback could park an
attacker's openid in the victim's session, to be bound to the victim's account at their next
sign-in."""

from contextlib import suppress
from datetime import timedelta
from typing import Final
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _

from wangge.core.errors import DomainError
from wangge.wechat import services

# WeChat's own authorisation page (a fixed address of WeChat's, for 公众号 and 企业微信 alike).
AUTHORIZE = "https://open.weixin.qq.com/connect/oauth2/authorize"
# The session's keys: the 公众号 openid waiting for the text-message sign-in, the 企业微信
# userid waiting for a password sign-in, and that this session went through the authorisation
# once already (so a refusal never loops).
PENDING = "wechat_pending_identity"
WECOM_PENDING = "wechat_pending_wecom_userid"
TRIED = "wechat_oauth_tried"
STATES = "wechat_oauth_states"

MP: Final = "mp"
WECOM: Final = "wecom"
# The silent snsapi_base authorisation comes back within seconds; ten minutes leaves room for
# a slow network without keeping a state worth stealing for long.
STATE_AGE: Final = timedelta(minutes=10)
# Two or three tabs may be on their way at once; older states than this many are dropped.
_KEPT: Final = 4
# WeChat passes `state` back as is, and takes only [A-Za-z0-9], up to 128 bytes.
_STATE_LENGTH: Final = 32


def issue_state(session: SessionBase, purpose: str) -> str:
    now = timezone.now().timestamp()
    kept = {
        s: entry
        for s, entry in (session.get(STATES) or {}).items()
        if now - float(entry.get("t", 0)) < STATE_AGE.total_seconds()
    }
    state = get_random_string(_STATE_LENGTH)
    kept[state] = {"p": purpose, "t": now}
    newest = sorted(kept.items(), key=lambda item: item[1]["t"])[-_KEPT:]
    session[STATES] = dict(newest)
    return state


def take_state(session: SessionBase, purpose: str, state: str) -> bool:
    """Whether `state` is one this session issued for `purpose`, in time; it is used up."""
    kept = dict(session.get(STATES) or {})
    found = None
    for issued in kept:
        if constant_time_compare(issued, state or ""):
            found = issued
    if found is None:
        return False
    entry = kept.pop(found)
    session[STATES] = kept
    fresh = timezone.now().timestamp() - float(entry.get("t", 0)) < STATE_AGE.total_seconds()
    return entry.get("p") == purpose and fresh


def authorize_url(request: HttpRequest, *, wecom: bool) -> str:
    """WeChat's authorisation page for this request, coming back to our callback with a state
    this session will recognise once."""
    back = request.build_absolute_uri(
        reverse("wechat:wecom-oauth" if wecom else "wechat:mp-oauth")
        + "?"
        + urlencode({"next": request.get_full_path()})
    )
    params = {
        "appid": settings.WECOM_CORPID if wecom else settings.WECHAT_MP_APPID,
        "redirect_uri": back,
        "response_type": "code",
        "scope": "snsapi_base",
        "state": issue_state(request.session, WECOM if wecom else MP),
    }
    if wecom:
        params["agentid"] = settings.WECOM_AGENTID
    return f"{AUTHORIZE}?{urlencode(params)}#wechat_redirect"


def bind_pending_on_login(
    sender: type, request: HttpRequest | None, user: object, **kw: object
) -> None:
    """user_logged_in: the sign-in after an authorisation that found no account binds what the
    person came with: the 公众号 openid (after the text-message sign-in), or the 企业微信 userid
    (after the one password sign-in of a staff member or department handler)."""
    if request is None or not hasattr(request, "session"):
        return
    pending = request.session.pop(PENDING, None)
    if pending:
        services.mp_bind_pending(identity_id=int(pending), user=user)  # type: ignore[arg-type]
    userid = request.session.pop(WECOM_PENDING, None)
    if userid:
        # A resident's account, or the userid bound to someone else meanwhile: the sign-in goes
        # on unbound, as it would have without 企业微信.
        with suppress(DomainError, IntegrityError):
            services.wecom_bind(
                user=user,  # type: ignore[arg-type]
                userid=str(userid),
                how=_("企业微信内首次登录"),
            )
