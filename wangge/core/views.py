"""Error pages in Chinese (API paths get JSON {"detail": …} instead of HTML), and the one view
every uploaded file is fetched through."""

import sys
from typing import Any

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponsePermanentRedirect,
)
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from wangge.core import media
from wangge.core.error_pages import database_unavailable, error, refusal, service_unavailable
from wangge.core.malformed import problem


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error(request, 404, _("未找到"), _("页面不存在"), _("您访问的页面不存在或已被移除。"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return error(request, 403, _("无权访问"), _("无权访问"), _("您的角色无权查看此页面。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error(
        request,
        403,
        _("请求来源校验失败，请刷新页面后重试"),
        _("无法提交"),
        _("页面已过期或来源校验失败，请刷新页面后重试。"),
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """handler400: what Django refuses itself (a body too large or with too many fields, a
    broken multipart body, a disallowed host) — in Chinese, 413 for a body too large."""
    status, detail = problem(exception) if isinstance(exception, Exception) else (400, "")
    return refusal(request, status, detail or _("请求格式不正确"))


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this handler inside its `except` block, so the exception is still at hand.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return error(
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


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico: every browser asks for it on pages that name no icon (the admin, the API's
    docs), and a 404 there is a red line in the console of every such page. Our pages name the
    same icon in their <head>."""
    return HttpResponsePermanentRedirect(static("icon.svg"))
