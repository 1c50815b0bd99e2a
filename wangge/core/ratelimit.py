"""Rate limits on writes a script could flood: residents' reports, questions to 小原.

django-ratelimit keeps the counters in Django's cache (Redis in production, so every web node
counts together); the limits themselves are settings (`RATE_LIMITS`). A refusal is a domain
error, so the API answers 429 `{"detail": …}` and a page shows the message on its form.

Who is counted: the person wherever one is known, the address only for anonymous requests.
An Open311 app or the 12345 hotline posts for many residents from one server, and a courtyard
shares one NAT address, so counting by address would let one client or one neighbour use up
everybody's allowance.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from wangge.core.errors import DomainError

# Set on the request by whoever authenticated a bearer key (the JSON API's BearerToken, Open311's
# api_key): the token row's id. core imports no app, so this attribute is the contract.
API_TOKEN_ATTR = "api_token_id"  # noqa: S105 (an attribute name, not a secret)


class RateLimited(DomainError):
    status_code = 429


def mark_api_token(request: HttpRequest, token_id: int) -> None:
    setattr(request, API_TOKEN_ATTR, token_id)


def requester_key(request: HttpRequest) -> str | None:
    """Whom this request counts against: its API token, else its signed-in person; None for an
    anonymous request (counted by address). Never the raw key: counters live in Redis."""
    token_id = getattr(request, API_TOKEN_ATTR, None)
    if token_id is not None:
        return f"token:{token_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def rate_limit(request: HttpRequest, group: str) -> None:
    """Count this request against `group`'s limit; raise RateLimited once it is used up."""
    rate = settings.RATE_LIMITS.get(group, "")
    if not rate:
        return
    person = requester_key(request)
    # django-ratelimit's own "ip" key for anonymous requests: it honours RATELIMIT_IP_META_KEY
    # (the address nginx forwards) and groups IPv6 clients by their /64.
    key: str | Callable[[str, HttpRequest], str] = (
        "ip" if person is None else (lambda _group, _request: person)
    )
    if is_ratelimited(request, group=f"wangge.{group}", key=key, rate=rate, increment=True):
        raise RateLimited(_("操作过于频繁，请稍后再试"))
