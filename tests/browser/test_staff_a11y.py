"""Staff pages on a phone (Chromium, 390 × 844, zh-CN): the grid worker's form with the address
picker (a person added to the register), the 台账 index, a visit form and a checklist with their
outbox lists, the 组织, 议事厅 and 民意调查 registers, and the dispatcher's desk (a grid worker is
refused it). axe-core finds nothing critical or serious, none of them scrolls sideways, and
nothing behind them fails to load."""

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import ARTIFACTS, sign_in, watch
from tests.browser.resident_pages import LINKS, MEASURE
from tests.conftest import PASSWORD
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.ledgers.checklists import checklists_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_field_pages_of_a_grid_worker_pass_axe(
    live_server: Any,
    people: dict[str, Any],
    report: Any,
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    report("单元门口的路灯不亮了，晚上看不清台阶")
    checklists_load()
    elder = register["elder"]
    paths = [
        ("dispatcher", "/cases/desk/"),
        ("worker_a", "/residents/persons/new/"),
        ("worker_a", "/ledgers/"),
        ("worker_a", f"/residents/persons/{elder.pk}/visit/"),
        ("worker_a", "/ledgers/hazards/new/?template=ebike"),
        # The register pages whose inputs now say a refusal under themselves.
        ("worker_a", "/ledgers/organisations/"),
        ("worker_a", "/ledgers/topics/"),
        ("worker_a", "/ledgers/surveys/"),
        # A person's page with its 查看 buttons, and the patrol page a worker starts from.
        ("worker_a", f"/residents/persons/{elder.pk}/"),
        ("worker_a", "/patrols/"),
    ]
    base = live_server.url
    problems: list[str] = []
    pages: dict[str, Any] = {}
    findings: dict[str, list[str]] = {}
    for who, path in paths:
        if who not in pages:
            pages[who] = new_page(
                phone=True, geolocation={"longitude": 113.6008, "latitude": 34.7508}
            )
            problems += watch(pages[who])
            sign_in(pages[who], base, people[who].phone, PASSWORD)
        page = pages[who]
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
        findings[path] = axe_serious(page)
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            findings[path].append(f"scrolls sideways by {wide} px")
    # The visit form again with no signal: the visit waits in the outbox, its list showing.
    page = pages["worker_a"]
    page.goto(f"{base}/residents/persons/{elder.pk}/visit/")
    page.wait_for_selector("text=已记录位置")
    page.context.set_offline(True)
    page.get_by_label("走访情况").fill("老人精神尚好，能自己做饭")
    page.get_by_role("button", name="保存走访").click()
    expect(page.locator("#outbox-list li")).to_have_count(1)
    findings["visit with the outbox list"] = axe_serious(page)
    page.context.set_offline(False)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "staff-a11y.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    assert {p: f for p, f in findings.items() if f} == {}
    assert problems == [], problems


# The grid worker's part of the site: what the field shell's tabs lead to (core.offline).
FIELD_PARTS = ("/cases/", "/patrols/", "/residents/", "/ledgers/", "/inbox/")
NOT_FIELD_PAGES = re.compile(
    r"(\.(xlsx|pdf|csv|js|webmanifest)$)|^/media/|/export|/download|/desk|/act/|/phone/"
)


def field_kind(url: str) -> str | None:
    """One key per kind of field page (ids folded, the query's keys kept), or None for a link
    out of the grid worker's part of the site."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return None
    if parts.path != "/" and not parts.path.startswith(FIELD_PARTS):
        return None
    if NOT_FIELD_PAGES.search(parts.path):
        return None
    path = re.sub(r"/[0-9A-Za-z_-]*\d[0-9A-Za-z_-]*/", "/N/", parts.path)
    keys = sorted({k for k, _v in parse_qsl(parts.query) if k not in ("next", "page")})
    return path + ("?" + "&".join(keys) if keys else "")


def test_every_field_page_a_grid_worker_reaches_passes_axe_and_has_thumb_sized_controls(
    live_server: Any,
    people: dict[str, Any],
    report: Any,
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    """From the five tabs and a case, every kind of page their links lead to, at 390 × 844:
    axe-core finds nothing critical or serious, no control is under 44 × 44 outside running
    text, nothing scrolls sideways."""
    case = report("单元门口的路灯不亮了，晚上看不清台阶")
    checklists_load()
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": 113.6008, "latitude": 34.7508})
    problems = watch(page)
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    start = [
        "/cases/queue/",
        "/patrols/",
        "/residents/visits/overdue/",
        "/ledgers/",
        "/",
        f"/cases/{case.pk}/",
        f"/residents/persons/{register['elder'].pk}/",
    ]
    queue = list(start)
    seen = {field_kind(p) for p in start}
    findings: dict[str, dict[str, Any]] = {}
    while queue:
        path = queue.pop(0)
        response = page.goto(f"{base}{path}")
        if path not in start and (response is None or response.status != 200):
            continue  # a link this worker may not open
        page.wait_for_load_state("networkidle")
        # Controls only: the size of staff text is not held to the residents' 14 px.
        findings[path] = {"axe": axe_serious(page), **page.evaluate(MEASURE, [0, 44])}
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        findings[path]["wide"] = wide if wide > 0 else 0
        for href in page.evaluate(LINKS):
            url = urljoin(f"{base}{path}", href)
            kind = field_kind(url)
            if url.startswith(base) and kind is not None and kind not in seen:
                seen.add(kind)
                queue.append(url[len(base) :])
    assert len(findings) >= 30, sorted(findings)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "field-a11y.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    bad = {
        path: {k: f[k] for k in ("axe", "taps", "wide") if f[k]}
        for path, f in findings.items()
        if f["axe"] or f["taps"] or f["wide"]
    }
    assert bad == {}, json.dumps(bad, ensure_ascii=False, indent=1)
    assert problems == [], problems
