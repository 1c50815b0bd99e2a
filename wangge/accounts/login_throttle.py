"""django-axes without phone numbers: what it stores as `username` is a protected login name.

axes keeps failed attempts (AccessAttempt, AccessFailureLog) and sign-ins (AccessLog) with the
username typed, which for us is a mobile number. It stores instead `138****5678#<16 hex>`: the
masked number, so a person reading the admin recognises whose attempts they are, and a keyed
hash, so two phones with the same mask are still counted apart. The number is normalised first,
so "+86 138 1234 5678" and "13812345678" are one login and spacing cannot dodge a lockout.
Anything that is not a valid mobile (a typo, or a password typed into the wrong box) is kept
as its hash only.
"""

import re
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from wangge.accounts.identity import normalize_phone
from wangge.core import pii
from wangge.core.masking import mask_phone

_PROTECTED = re.compile(r"^(?:\d{3}\*{4}\d{4})?#[0-9a-f]{16}$")


def protected_login(typed: str | None) -> str | None:
    """The name axes stores and counts by for what was typed as the phone; None for nothing."""
    text = (typed or "").strip()
    if not text:
        return None
    if _PROTECTED.match(text):
        # Already protected: axes passes our own value back in (after a sign-in, below).
        return text
    try:
        phone = normalize_phone(text)
    except ValidationError:
        return "#" + pii.lookup_hash(f"login:{text}")[:16]
    return f"{mask_phone(phone)}#{pii.phone_hash(phone)[:16]}"


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the protected name for the credentials or the posted form."""
    if credentials:
        typed = credentials.get("username")
    elif request is not None:
        typed = getattr(request, "data", request.POST).get("username")
    else:
        typed = None
    return protected_login(typed)


class _SignedIn:
    """What axes reads of a person on sign-in and sign-out: only get_username()."""

    def __init__(self, username: str | None) -> None:
        self._username = username

    def get_username(self) -> str | None:
        return self._username


class ProtectedLoginHandler(AxesDatabaseHandler):
    """axes' database handler, with sign-ins and sign-outs recorded under the protected name.

    axes writes AccessLog.username from `user.get_username()` (the login phone) rather than
    through AXES_USERNAME_CALLABLE, and resets the person's failed attempts with it; handing
    it the protected name keeps the number out of AccessLog and resets the right attempts.
    """

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(
            sender, request, _SignedIn(protected_login(user.get_username())), **kwargs
        )

    def user_logged_out(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        signed_in = _SignedIn(protected_login(user.get_username())) if user else None
        super().user_logged_out(sender, request, signed_in, **kwargs)
