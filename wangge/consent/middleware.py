"""A resident whose consent names an older 用户协议 or 隐私政策 is asked again before a page that
collects personal data (where they live, a report with its place and photos, a post or a
listing): sent to 再次同意 and brought back to the page afterwards."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from wangge.consent.selectors import needs_renewal

# The pages by URL name. Sign-in and real-name verification are not here: they carry the
# consent checkbox themselves and ask every time.
COLLECTING_PAGES = frozenset(
    {
        "mobile:address",
        "mobile:report",
        "circles:feed",
        "market:post",
    }
)


class ConsentRenewalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # Only as a page is opened: a form posted from a page opened under the consent of the
        # time goes through, so nothing the resident typed is lost to the new version.
        if request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in COLLECTING_PAGES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.uses_resident_app:
            return None
        if not needs_renewal(user):
            return None
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse('consent:agree')}?{query}")
