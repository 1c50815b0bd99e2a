"""Inside WeChat or 企业微信, a page sends the person through the app's authorisation once:
* a signed-out resident opening /m/ in WeChat (公众号 configured) → signed in by their openid,
  or, the first time, by one text-message sign-in that binds it;
* a signed-in staff member opening a page in 企业微信 (configured) without a binding → bound.
Only GET pages, once per session (a refusal or an error does not loop), and nothing else pays
more than a look at the User-Agent."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from wangge.wechat import client, oauth


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
            and "MicroMessenger" in agent
            and not request.path.startswith(("/api/", "/m/wx/", "/static/", "/media/"))
        ):
            found = self._redirect(request, agent)
            if found is not None:
                return found
        return self.get_response(request)

    def _redirect(self, request: HttpRequest, agent: str) -> HttpResponse | None:
        if request.session.get(oauth.TRIED):
            return None
        user = request.user
        if (
            _in_wechat(agent)
            and not user.is_authenticated
            and request.path.startswith("/m/")
            and request.path != "/m/login/"
            and client.configured(client.MP)
        ):
            return HttpResponseRedirect(oauth.authorize_url(request, wecom=False))
        if (
            _in_wecom(agent)
            and user.is_authenticated
            and user.is_grid_staff
            and client.configured(client.WECOM)
            and not hasattr(user, "wecom_identity")
        ):
            return HttpResponseRedirect(oauth.authorize_url(request, wecom=True))
        return None
