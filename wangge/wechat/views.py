"""Pages reached from WeChat and 企业微信: the mini-program's web-view entering signed in, the
公众号's web authorisation for /m/, 企业微信's first open binding a staff account, and the
domain check files WeChat asks a site to serve at its root."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from wangge.core.errors import DomainError
from wangge.wechat import client, oauth, services

BACKEND = "wangge.accounts.backends.PhoneBackend"


def _next(request: HttpRequest, default: str = "/m/") -> str:
    nxt = request.GET.get("next") or ""
    if nxt.startswith("/") and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "wechat/refused.html", {"message": message}, status=status)


def enter(request: HttpRequest) -> HttpResponse:
    """The mini-program's web-view opens /m/wx/enter/?ticket=…&next=/volunteering/ signed in."""
    user = services.web_ticket_user(request.GET.get("ticket", ""))
    if user is None:
        return _refused(request, _("链接已失效，请返回小程序重新打开"))
    login(request, user, backend=BACKEND)
    return redirect(_next(request))


def mp_oauth(request: HttpRequest) -> HttpResponse:
    """The 公众号's authorisation came back: signed in when the openid (or its unionid) is
    bound; otherwise to the text-message sign-in, after which the openid is bound."""
    nxt = _next(request)
    request.session[oauth.TRIED] = True
    try:
        identity, user = services.mp_sign_in(code=request.GET.get("code", ""))
    except (client.WechatError, client.Unreachable, client.Unknown, client.NotConfigured):
        return HttpResponseRedirect(f"{reverse('mobile:login')}?{urlencode({'next': nxt})}")
    if user is not None:
        login(request, user, backend=BACKEND)
        return redirect(nxt)
    request.session[oauth.PENDING] = identity.pk
    return HttpResponseRedirect(f"{reverse('mobile:login')}?{urlencode({'next': nxt})}")


def wecom_oauth(request: HttpRequest) -> HttpResponse:
    """Opened inside 企业微信 by a signed-in staff member not yet bound: bound now."""
    nxt = _next(request, "/cases/")
    request.session[oauth.TRIED] = True
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': nxt})}")
    try:
        userid = client.wecom_userid(request.GET.get("code", ""))
    except (client.WechatError, client.Unreachable, client.Unknown, client.NotConfigured):
        return redirect(nxt)
    if userid:
        try:
            services.wecom_bind(user=request.user, userid=userid, how=_("企业微信内首次打开"))
        except DomainError as e:
            return _refused(request, e.message, e.status_code)
    return redirect(nxt)


def domain_check(request: HttpRequest, name: str) -> HttpResponse:
    """WeChat's check files (MP_verify_….txt, the 业务域名 file, 企业微信's WW_verify_….txt):
    the district sets WECHAT_DOMAIN_CHECK_FILES, and each is served at the site root."""
    content = settings.WECHAT_DOMAIN_CHECK_FILES.get(name)
    if content is None:
        raise Http404
    return HttpResponse(content, content_type="text/plain; charset=utf-8")
