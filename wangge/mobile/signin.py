"""How a signed-out visitor meets the app: the text-message sign-in / sign-up of /m/login/ (the
guide's first step), with the password sign-in as a secondary link from it."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from wangge.core.web import cleaned
from wangge.mobile.forms import NextForm

# The app's pages send a signed-out visitor to /m/login/?next=…, not to the staff password form.
resident_login_required: Callable[[Callable[..., Any]], Callable[..., Any]] = login_required(
    login_url="mobile:login"
)


def safe_next(request: HttpRequest) -> str:
    """Where to go after signing in, if it is one of our own addresses."""
    nxt = cleaned(NextForm(request.POST))["next"] or cleaned(NextForm(request.GET))["next"]
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""
