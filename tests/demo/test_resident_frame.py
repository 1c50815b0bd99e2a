"""Every page a resident reaches from the app is drawn in the app: walking the links of the
seeded demo as its resident, party member, enterprise and merchant, no page falls back to the
staff desk (no bottom tabs, no back control)."""

import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from wangge.accounts.models import User

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
# Not pages: files, the API, the admin, uploads and signing out.
SKIP = ("/static/", "/media/", "/api/", "/admin/", "/accounts/logout/", "/m/sw.js", "/m/manifest")
FILES = (".xlsx", ".pdf", ".csv", ".png", ".jpg", ".js", ".json", ".webmanifest")
PER_ROUTE = 3  # a few cases, tasks or listings of each kind say as much as all of them


def _route(path: str) -> str:
    try:
        return resolve(path).route
    except Resolver404:
        return path


def walk(client: Client, start: str = "/m/", limit: int = 400) -> tuple[list[str], list[str]]:
    """(pages seen, pages not in the resident frame)."""
    queue: deque[str] = deque([start])
    seen: set[str] = {start}
    per_route: dict[str, int] = {}
    pages: list[str] = []
    wrong: list[str] = []
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url, follow=True)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        html = response.content.decode()
        pages.append(url)
        framed = 'class="m-tabs"' in html and "原点在线" in html
        backed = final == "/m/" or "data-back" in html
        if not (framed and backed):
            wrong.append(f"{url} → {final} ({response.status_code})")
        for href in HREF.findall(html):
            href = href.replace("&amp;", "&")
            if href.startswith(("tel:", "mailto:", "#", "javascript:", "http")):
                continue
            target = urljoin(final, href)
            parts = urlsplit(target)
            if parts.path.startswith(SKIP) or parts.path.endswith(FILES) or target in seen:
                continue
            route = (
                _route(parts.path)
                + "?"
                + "&".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
            )
            if per_route.get(route, 0) >= PER_ROUTE:
                continue
            per_route[route] = per_route.get(route, 0) + 1
            seen.add(target)
            queue.append(target)
    return pages, wrong


@pytest.mark.parametrize(
    "phone",
    [
        "13800000014",  # 王秀兰, resident
        "13800000013",  # 蒋文博, party member
        "13800000010",  # 陈志远, enterprise
        "13800000011",  # 褚明, alliance merchant
    ],
)
def test_every_page_a_resident_reaches_is_in_the_app_frame(seeded: Any, phone: str) -> None:
    client = Client()
    client.force_login(User.objects.get(phone=phone))
    pages, wrong = walk(client)
    assert len(pages) >= 40, pages  # the walk really went through the app
    assert wrong == [], "\n".join(wrong)


def test_password_sign_in_lands_in_the_app(seeded: Any) -> None:
    from wangge.demo.seed import DEMO_PASSWORD  # the demo accounts' shared password

    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "13800000014", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/m/"
    # A grid worker keeps the desk.
    staff = Client()
    response = staff.post(
        "/accounts/login/", {"username": "13800000005", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/"
