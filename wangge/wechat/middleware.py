"""Inside WeChat or 企业微信, a page sends the person through the app's authorisation once:
* a signed-out resident opening /m/ in WeChat (公众号 configured) → signed in by their openid,
  or, the first time, by one text-message sign-in that binds it;
* a signed-out person opening a staff page in 企业微信 (configured) — a grid worker or a
  department's 承办人 tapping a message card — → signed in by their bound userid, or, the first
  time, by one password sign-in that binds it;
* a signed-in staff member or 承办人 opening a page in 企业微信 without a binding → bound.
Only GET pages a person navigates to (not htmx's fragments: WeChat's page cannot answer
those), once per session (a refusal or an error does not loop), and nothing else pays more
than a look at the User-Agent."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from wangge.wechat import client, oauth, services

# Never sent through an authorisation: machine interfaces, files, the callbacks themselves, and
# the sign-in and sign-out pages (a person who signed out stays signed out).
_NEVER = (
    "/api/",
    "/m/wx/",
    "/static/",
    "/media/",
    "/open311/",
    "/accounts/",
    "/admin/",
    "/sw.js",
    "/favicon.ico",
    "/healthz",
)
# The residents' app: 公众号 only; every other page is a staff page.
_RESIDENT_APP = "/m/"


def _in_wecom(agent: str) -> bool:
    return "wxwork" in agent


def _in_wechat(agent: str) -> bool:
    return "MicroMessenger" in agent and not _in_wecom(agent)


class WechatSignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        agent = request.META.get("HTTP_USER_AGENT", "")
        if (
            request.method == "GET"
            and ("MicroMessenger" in agent or _in_wecom(agent))
            and not request.path.startswith(_NEVER)
            and "HX-Request" not in request.headers
        ):
            found = self._redirect(request, agent)
            if found is not None:
                return found
        return self.get_response(request)

    def _redirect(self, request: HttpRequest, agent: str) -> HttpResponse | None:
        if request.session.get(oauth.TRIED):
            return None
        user = request.user
        resident_app = request.path.startswith(_RESIDENT_APP)
        if _in_wechat(agent):
            if (
                not user.is_authenticated
                and resident_app
                and request.path != "/m/login/"
                and client.configured(client.MP)
            ):
                return HttpResponseRedirect(oauth.authorize_url(request, wecom=False))
            return None
        if not client.configured(client.WECOM):
            return None
        if not user.is_authenticated:
            if resident_app:
                return None
            return HttpResponseRedirect(oauth.authorize_url(request, wecom=True))
        if services.wecom_eligible(user) and not hasattr(user, "wecom_identity"):
            return HttpResponseRedirect(oauth.authorize_url(request, wecom=True))
        return None
