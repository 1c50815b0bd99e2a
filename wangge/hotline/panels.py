"""What the adapter adds to the case page (cases.panels): the order's call recordings."""

from django.template.loader import render_to_string

from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.core.media import media_url
from wangge.hotline.selectors import recordings_audible


def recordings_panel(case: Case, user: User) -> str:
    """通话录音, each in the browser's own player; nothing for a case without any, or for a
    viewer who may not hear them (a 保密件's recordings are the desk's)."""
    rows = recordings_audible(user, case)
    if not rows:
        return ""
    return render_to_string(
        "hotline/_recordings.html",
        {"recordings": [(r, media_url(r.file)) for r in rows]},
    )
