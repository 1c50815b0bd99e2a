"""Error pages in Chinese (API paths get JSON {"detail": …} instead of HTML), and the one view
every uploaded file is fetched through."""

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wangge.core import media


def _error(
    request: HttpRequest,
    status: int,
    detail: str,
    title: str,
    message: str,
    *,
    with_request: bool = True,
) -> HttpResponse:
    if request.path.startswith("/open311/"):
        # GeoReport's own error list, even for a path its URL patterns could not match (a
        # format with a newline in it).
        from wangge.open311.render import error

        return error("xml" if request.path.endswith(".xml") else "json", status, detail)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    context = {"title": title, "message": message}
    if with_request:
        return render(request, "error.html", context, status=status)
    # Without the request: its context processors would ask the database again.
    return HttpResponse(render_to_string("error.html", {**context, "user": None}), status=status)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("未找到"), _("页面不存在"), _("您访问的页面不存在或已被移除。"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("无权访问"), _("无权访问"), _("您的角色无权查看此页面。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("请求来源校验失败，请刷新页面后重试"),
        _("无法提交"),
        _("页面已过期或来源校验失败，请刷新页面后重试。"),
    )


def refusal(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    """A request refused for its form rather than its content (NUL characters, not UTF-8, too
    large, a broken multipart body): the reason in Chinese, as JSON, GeoReport or a page.
    Rendered without the request: this may run before the session and user are loaded."""
    return _error(
        request,
        status,
        detail,
        _("无法处理该请求"),
        _("%(detail)s。请返回上一页检查后重新提交。") % {"detail": detail.rstrip("。")},
        with_request=False,
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """handler400: what Django refuses itself (a body too large or with too many fields, a
    broken multipart body, a disallowed host) — in Chinese, 413 for a body too large."""
    from wangge.core.malformed import problem

    status, detail = problem(exception) if isinstance(exception, Exception) else (400, "")
    return refusal(request, status, detail or _("请求格式不正确"))


def database_unavailable(exc: BaseException | None) -> bool:
    """The database could not be reached or dropped the connection (restart, failover, network):
    a passing outage, not a bug. Each write is one transaction, so nothing was half-written."""
    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    detail = _("数据库暂时不可用，请稍后重试；本次操作未保存")
    response = _error(request, 503, detail, _("系统繁忙"), detail, with_request=False)
    response["Retry-After"] = "5"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except` block, so the exception is still at hand.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return _error(
        request,
        500,
        _("服务器内部错误，请稍后重试"),
        _("服务器错误"),
        _("系统出现问题，请稍后重试。"),
    )


@require_safe
def protected_media(request: HttpRequest, name: str) -> HttpResponseBase:
    """/media/<name>: the file, if the app it belongs to lets this viewer see its row. Anyone
    else, signed in or not, gets the same 404 as for a name that was never stored."""
    user: Any = request.user
    if not user.is_authenticated:
        # API and Open311 clients follow photo links with the key they called us with.
        user = media.bearer_user(request.headers.get("Authorization", "")) or user
    if not media.may_view(user, name):
        raise Http404(_("文件不存在或无权查看"))
    try:
        return media.serve(name)
    except FileNotFoundError as exc:  # the row is there, the file was lost: still not found
        raise Http404(_("文件不存在或无权查看")) from exc
