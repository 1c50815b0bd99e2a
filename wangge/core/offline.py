"""The staff service worker at /sw.js (scope /): field pages readable without signal."""

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from wangge import __version__

# The pages a grid worker opens in the field; only these (and static files) are cached: every
# tab of the field shell (待办, 巡查, 走访, 台账 and its registers, 我的), the inbox, and
# 红色厨房's pages (a deliverer's round is read at doors in stairwells).
FIELD_PAGES = ("/", "/cases/", "/patrols/", "/residents/", "/ledgers/", "/inbox/", "/kitchen/")


def service_worker(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "outbox/sw.js",
        {
            "version": __version__,
            "css": static("css/wangge.css"),
            "outbox_css": static("css/outbox.css"),
            "outbox_js": static("js/outbox.js"),
            "prefixes": json.dumps(list(FIELD_PAGES)),
            "logout": reverse("logout"),
            "offline_title": _("当前无网络"),
            "offline_text": _(
                "这个页面还没有在本机保存过。联网后打开一次，之后没有信号时也能查看；"
                "已填写的记录保存在手机上，联网后自动发送。"
            ),
        },
        content_type="text/javascript",
    )
    # Browsers check for a new worker on every visit; never serve them a stale one.
    response["Cache-Control"] = "no-cache"
    return response
