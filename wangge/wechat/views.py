"""Pages reached from WeChat and 企业微信: the mini-program's web-view entering signed in, the
公众号's web authorisation for /m/, 企业微信's authorisation signing staff in (or binding a
signed-in account), and the domain check files WeChat asks a site to serve at its root."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import DomainError
from wangge.core.web import cleaned
from wangge.wechat import client, oauth, services
from wangge.wechat.forms import CallbackForm

BACKEND = "wangge.accounts.backends.PhoneBackend"


def _asked(request: HttpRequest) -> dict[str, str]:
    return cleaned(CallbackForm(request.GET))


def _next(request: HttpRequest, asked: dict[str, str], default: str = "/m/") -> str:
    nxt = asked["next"]
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def _refused(
    request: HttpRequest,
    message: str,
    status: int = 403,
    *,
    back: str = "",
    staff: bool = False,
) -> HttpResponse:
    return render(
        request,
        "wechat/refused.html",
        {"message": message, "back": back, "frame": "base.html" if staff else ""},
        status=status,
    )


def _login_url(nxt: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': nxt})}"


def enter(request: HttpRequest) -> HttpResponse:
    """The mini-program's web-view opens /m/wx/enter/?ticket=…&next=/volunteering/ signed in."""
    asked = _asked(request)
    user = services.web_ticket_user(asked["ticket"])
    if user is None:
        return _refused(request, _("链接已失效，请返回小程序重新打开"))
    login(request, user, backend=BACKEND)
    return redirect(_next(request, asked))


def _state_refused(request: HttpRequest, nxt: str, *, staff: bool) -> HttpResponse:
    # A callback whose state this session did not issue: someone else's link (a forged
    # sign-in), one opened twice, or one left too long.
    return _refused(
        request,
        _(
            "这个微信登录链接不是本次打开页面时发起的，或已使用、已过期。为保护您的账号，未予登录，请重新打开页面。"
        ),
        back=nxt,
        staff=staff,
    )


def mp_oauth(request: HttpRequest) -> HttpResponse:
    """The 公众号's authorisation came back: signed in when the openid (or its unionid) is
    bound; otherwise to the text-message sign-in, after which the openid is bound. Only with
    the state this session was given, checked before the code is exchanged."""
    asked = _asked(request)
    nxt = _next(request, asked)
    if not oauth.take_state(request.session, oauth.MP, asked["state"]):
        # Not marked as tried: 重新打开 goes through the authorisation again, with a state of
        # this session's own (a click away, never a loop).
        return _state_refused(request, nxt, staff=False)
    request.session[oauth.TRIED] = True
    try:
        identity, user = services.mp_sign_in(code=asked["code"])
    except (client.WechatError, client.Unreachable, client.Unknown, client.NotConfigured):
        return HttpResponseRedirect(f"{reverse('mobile:login')}?{urlencode({'next': nxt})}")
    if user is not None:
        login(request, user, backend=BACKEND)
        return redirect(nxt)
    request.session[oauth.PENDING] = identity.pk
    return HttpResponseRedirect(f"{reverse('mobile:login')}?{urlencode({'next': nxt})}")


def wecom_oauth(request: HttpRequest) -> HttpResponse:
    """Opened inside 企业微信 (with the state this session was given). Signed in: the account
    is bound to the member's userid. Signed out: the account bound to the userid is signed in;
    a userid bound to none is asked for one password sign-in, which binds it."""
    asked = _asked(request)
    nxt = _next(request, asked, "/cases/")
    if not oauth.take_state(request.session, oauth.WECOM, asked["state"]):
        # Not marked as tried: 重新打开 goes through the authorisation again, with a state of
        # this session's own (a click away, never a loop).
        return _state_refused(request, nxt, staff=True)
    request.session[oauth.TRIED] = True
    current = request.user if isinstance(request.user, User) else None
    try:
        userid = client.wecom_userid(asked["code"])
    except (client.WechatError, client.Unreachable, client.Unknown, client.NotConfigured):
        return redirect(nxt if current is not None else _login_url(nxt))
    if current is not None:
        if userid:
            try:
                services.wecom_bind(user=current, userid=userid, how=_("企业微信内首次打开"))
            except DomainError as e:
                return _refused(request, e.message, e.status_code, back=nxt, staff=True)
        return redirect(nxt)
    user = services.wecom_user(userid)
    if user is not None:
        login(request, user, backend=BACKEND)
        return redirect(nxt)
    if userid:
        # Bound at the password sign-in that follows (wangge.wechat.oauth.bind_pending_on_login).
        request.session[oauth.WECOM_PENDING] = userid
    return render(
        request,
        "wechat/wecom_unbound.html",
        {"login_url": _login_url(nxt), "member": bool(userid)},
    )


def domain_check(request: HttpRequest, name: str) -> HttpResponse:
    """WeChat's check files (MP_verify_….txt, the 业务域名 file, 企业微信's WW_verify_….txt):
    the district sets WECHAT_DOMAIN_CHECK_FILES, and each is served at the site root."""
    content = settings.WECHAT_DOMAIN_CHECK_FILES.get(name)
    if content is None:
        raise Http404
    return HttpResponse(content, content_type="text/plain; charset=utf-8")
