"""Which frame a page is drawn in: the 原点在线 app for residents, the desk for staff.

Pages that both audiences reach (a case, 小原, the inbox, 微心愿, the error pages, signing in)
extend `FRAME`, so one template serves both and a resident never lands in the staff header.
"""

from typing import Any

from django.http import HttpRequest

from wangge.core.web import cleaned
from wangge.mobile.forms import NextForm
from wangge.mobile.modules import OFFLINE_SCOPES
from wangge.mobile.wording import PLAIN, STANDARD

RESIDENT_FRAME = "mobile/base.html"
STAFF_FRAME = "base.html"


def wants_resident_frame(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(user.uses_resident_app)
    # Signed out: the sign-in and error pages follow where the visitor came from (the app's
    # links send `next=/m/…`; the app's own pages live under /m/).
    nxt = cleaned(NextForm(request.GET))["next"] or cleaned(NextForm(request.POST))["next"]
    return request.path.startswith("/m/") or nxt.startswith("/m/")


def frame(request: HttpRequest) -> dict[str, Any]:
    resident = wants_resident_frame(request)
    user = getattr(request, "user", None)
    elderly = bool(resident and user is not None and getattr(user, "elderly_mode", False))
    return {
        "FRAME": RESIDENT_FRAME if resident else STAFF_FRAME,
        "RESIDENT_APP": resident,
        "ELDERLY": elderly,
        # 长辈版 in plain words (wangge.mobile.wording): `{{ WORDS.report_heading }}`.
        "WORDS": PLAIN if elderly else STANDARD,
        "OFFLINE_SCOPES": OFFLINE_SCOPES if resident else (),
    }
