"""WeChat's and 企业微信's web authorisation: where a page sends the person, and what the session
keeps between the two legs."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wangge.wechat import services

# WeChat's own authorisation page (a fixed address of WeChat's, for 公众号 and 企业微信 alike).
AUTHORIZE = "https://open.weixin.qq.com/connect/oauth2/authorize"
# The session's keys: the 公众号 openid waiting for the text-message sign-in, and that this
# session went through the authorisation once already (so a refusal never loops).
PENDING = "wechat_pending_identity"
TRIED = "wechat_oauth_tried"


def authorize_url(request: HttpRequest, *, wecom: bool) -> str:
    """WeChat's authorisation page for this request, coming back to our callback."""
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
        "state": "wangge",
    }
    if wecom:
        params["agentid"] = settings.WECOM_AGENTID
    return f"{AUTHORIZE}?{urlencode(params)}#wechat_redirect"


def bind_pending_on_login(
    sender: type, request: HttpRequest | None, user: object, **kw: object
) -> None:
    """user_logged_in: the text-message sign-in after the 公众号's authorisation binds the
    openid the person came with."""
    if request is None or not hasattr(request, "session"):
        return
    pending = request.session.pop(PENDING, None)
    if pending:
        services.mp_bind_pending(identity_id=int(pending), user=user)  # type: ignore[arg-type]
