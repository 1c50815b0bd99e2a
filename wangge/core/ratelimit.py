"""Rate limits on writes a script could flood: residents' reports, questions to 小原.

django-ratelimit keeps the counters in Django's cache (Redis in production, so every web node
counts together); the limits themselves are settings (`RATE_LIMITS`). A refusal is a domain
error, so the API answers 429 `{"detail": …}` and a page shows the message on its form.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from wangge.core.errors import DomainError


class RateLimited(DomainError):
    status_code = 429


def rate_limit(request: HttpRequest, group: str) -> None:
    """Count this request against `group`'s limit; raise RateLimited once it is used up.

    The key is the signed-in user, or the client address for anyone else ("user_or_ip"), so
    neighbours behind one NAT address do not share one resident's allowance.
    """
    rate = settings.RATE_LIMITS.get(group, "")
    if not rate:
        return
    if is_ratelimited(
        request, group=f"wangge.{group}", key="user_or_ip", rate=rate, increment=True
    ):
        raise RateLimited(_("操作过于频繁，请稍后再试"))
