"""The staff outbox on a page: `{% outbox_panel %}` once (the list of what waits and what has
gone, and the script), and `{% outbox_form … %}` for each form whose submissions go through it.

A bound form is posted by the outbox to a JSON endpoint that honours `Idempotency-Key`, with a
key made on the phone, so work done without signal is kept on the phone and delivered once.
The page's own form handling stays as it is for a browser without the script.
"""

from typing import Any

from django import template
from django.template.context import Context
from django.templatetags.static import static
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("outbox/_panel.html", takes_context=True)
def outbox_panel(context: Context) -> dict[str, Any]:
    user = context.get("user")
    config = {
        "user": getattr(user, "pk", None),
        "sw": "/sw.js",
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
