"""Error pages in Chinese; API paths get JSON {"detail": …} instead of HTML."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _error(
    request: HttpRequest, status: int, detail: str, title: str, message: str
) -> HttpResponse:
    if request.path.startswith(("/api/", "/open311/")):
        return JsonResponse(
            {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, _("未找到"), _("页面不存在"), _("您访问的页面不存在或已被移除。"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, _("无权访问"), _("无权访问"), _("您的角色无权查看此页面。"))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("服务器内部错误，请稍后重试"),
        _("服务器错误"),
        _("系统出现问题，请稍后重试。"),
    )
