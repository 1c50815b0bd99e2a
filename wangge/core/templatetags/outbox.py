"""The staff outbox on a page: `{% outbox_panel %}` once (the list of what waits and what has
gone, and the script), and `{% outbox_form … %}` for each form whose submissions go through it.

A bound form is posted by the outbox to a JSON endpoint that honours `Idempotency-Key`, with a
key made on the phone, so work done without signal is kept on the phone and delivered once.
The page's own form handling stays as it is for a browser without the script.
"""

from typing import Any

from django import template
from django.conf import settings
from django.template.context import Context
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def outbox_panel(context: Context) -> SafeString:
    """The list and the script, once a page: the field shell's base puts it on every page, and
    a page that binds forms (or a desk page of staff) puts it where it wants it."""
    request = context.get("request")
    if request is not None:
        if getattr(request, "_outbox_panel_shown", False):
            return mark_safe("")
        request._outbox_panel_shown = True
    return render_to_string("outbox/_panel.html", _panel_context(context))


def _panel_context(context: Context) -> dict[str, Any]:
    user = context.get("user")
    config = {
        "user": getattr(user, "pk", None),
        "sw": "/sw.js",
        "timeout": settings.OUTBOX_SEND_TIMEOUT_SECONDS * 1000,
        "text": {
            "waiting": _("待发送 %(n)s"),
            "sent": _("已发送 %(n)s"),
            "failed": _("未成功 %(n)s"),
            "stateWaiting": _("待发送"),
            "stateSending": _("发送中"),
            "stateSent": _("已发送"),
            "stateFailed": _("未成功"),
            "saved": _("已保存在手机上，联网后自动发送"),
            "savedOffline": _("当前无网络：已保存在手机上，联网后自动发送"),
            "offline": _("当前无网络，记录会保存在手机上，联网后自动发送"),
            "retrying": _("网络不稳定，稍后自动重试"),
            "relogin": _("登录已过期，请重新登录后自动发送"),
            "noAnswer": _("网络无应答，稍后自动重发"),
            "noAnswerSaved": _("网络无应答：已保存在手机上，稍后自动重发，不会重复提交"),
            "queuedState": _("%(state)s（待发送）"),
            "photoN": _("第 %(n)s 张照片"),
            "removePhoto": _("移除第 %(n)s 张照片"),
            "edit": _("修改后重发"),
            "remove": _("移除"),
            "track": _("巡查轨迹点 %(n)s 个"),
            "trackFailed": _("巡查轨迹点 %(n)s 个未能保存"),
            "sentOk": _("已发送"),
        },
    }
    return {
        "config": json_script(config, "outbox-config"),
        "script": static("js/outbox.js"),
        "css": static("css/outbox.css"),
        "login": reverse("login"),
    }


@register.simple_tag
def outbox_form(
    selector: str,
    url: str,
    label: str,
    *,
    sent: str = "",
    after: str = "reload",
    detail: str = "",
    only_field: str = "",
    only: str = "",
    stamp: str = "",
    rename: str = "",
    pk: object = None,
) -> SafeString:
    """Bind the forms matching `selector` to the outbox.

    url: the JSON endpoint; label: how the item reads in the list; sent: the message once it
    has gone (`%(field)s` from the answer); after: "reload", "stay", or a URL (`%(field)s`) to go
    to when it went at once; detail: a field whose chosen text, or "submit" for the button's,
    is added to the label; only_field/only: bind only forms whose `only_field` is one of the
    comma-separated `only` values (other forms post as before); stamp: a field to fill with the
    time the worker pressed the button (the time at the door, not when the signal came back);
    rename: "form_name:api_name,…"; pk: put in place of "{pk}" in the url.
    """
    binding = {
        "selector": selector,
        "url": url.replace("{pk}", str(pk)) if pk is not None else url,
        "label": label,
        "sent": sent or _("已发送"),
        "after": after,
        "detail": detail,
        "onlyField": only_field,
        "only": [v for v in only.split(",") if v],
        "stamp": stamp,
        "rename": dict(pair.split(":", 1) for pair in rename.split(",") if ":" in pair),
    }
    # One script element per binding; the outbox reads them all.
    # json_script escapes the data itself; adding the class keeps it safe.
    return mark_safe(  # noqa: S308
        json_script(binding).replace("<script ", '<script class="outbox-form" ', 1)
    )
