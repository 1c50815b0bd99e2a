"""Error answers in Chinese for every kind of client: JSON `{"detail": …}` on API paths, a page
elsewhere, and whatever an app registered for its own paths (Open311 answers in GeoReport's own
error format). Below the views and the request middlewares, which all answer through here."""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# path prefix → (request, status, detail) → response; filled in AppConfig.ready by apps that
# speak a protocol with an error format of its own.
ErrorRenderer = Callable[[HttpRequest, int, str], HttpResponse]
_renderers: dict[str, ErrorRenderer] = {}


def register(prefix: str, renderer: ErrorRenderer) -> None:
    _renderers[prefix] = renderer


def error(
    request: HttpRequest,
    status: int,
    detail: str,
    title: str,
    message: str,
    *,
    with_request: bool = True,
) -> HttpResponse:
    for prefix, renderer in _renderers.items():
        if request.path.startswith(prefix):
            # Even for a path the app's URL patterns could not match.
            return renderer(request, status, detail)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    context = {"title": title, "message": message}
    if with_request:
        return render(request, "error.html", context, status=status)
    # Without the request: its context processors would ask the database again.
    return HttpResponse(render_to_string("error.html", {**context, "user": None}), status=status)


def refusal(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """A request refused for its form rather than its content (NUL characters, not UTF-8, too
    large, a broken multipart body): the reason in Chinese, as JSON, GeoReport or a page.
    Rendered without the request: this may run before the session and user are loaded."""
    return error(
        request,
        status,
        detail,
        _("无法处理该请求"),
        _("%(detail)s。请返回上一页检查后重新提交。") % {"detail": detail.rstrip("。")},
        with_request=False,
    )


def database_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (restart, failover, network):
    a passing outage, not a bug. Each write is one transaction, so nothing was half-written."""
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    detail = _("数据库暂时不可用，请稍后重试；本次操作未保存")
    response = error(request, 503, detail, _("系统繁忙"), detail, with_request=False)
    response["Retry-After"] = "5"
    return response
