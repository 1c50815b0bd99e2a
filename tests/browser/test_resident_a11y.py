"""Every resident page on a phone (Chromium, 390 × 844, zh-CN), in the standard mode and in
长辈版: axe-core finds nothing critical or serious, no text is smaller and no control is smaller
than the mode allows (standard: 14 px text, 44 × 44 px targets; 长辈版: 18 px text, 60 × 60 px
targets). "Every" is found, not listed: from the app's pages the test follows each link that stays
in the resident's part of the site and judges one page of each kind (a post, a listing, a task, a
notice, page 2 of a list …), in one browser page for all of them."""

import json
from typing import Any
from urllib.parse import urljoin

import pytest

from tests.browser.axe import axe_serious
from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.resident_pages import (
    LINKS,
    MEASURE,
    neighbourhood,
    page_kind,
    resident_pages,
)
from tests.conftest import PASSWORD
from tests.points.conftest import mall  # noqa: F401  (the mall's cast)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIMITS = {"standard": (14, 44), "elderly": (18, 60)}


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_resident_pages_are_accessible_and_large_enough(
    live_server: Any,
    people: dict[str, Any],
    report: Any,
    mall: dict[str, Any],  # noqa: F811  (the fixture imported above)
    new_page: Any,
    mode: str,
) -> None:
    resident = people["resident"]
    resident.elderly_mode = mode == "elderly"
    resident.save(update_fields=["elderly_mode"])
    case = report("单元门口的路灯不亮了，晚上看不清台阶")
    neighbourhood(resident=resident, worker=people["worker_a"])
    paths = resident_pages(
        resident=resident,
        organiser=people["community"],
        case=case,
        haircut_id=mall["haircut"].pk,
    )
    min_text, min_tap = LIMITS[mode]
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    signed_out = new_page(phone=True)
    signed_out.goto(f"{base}/m/login/")
    findings: dict[str, dict[str, Any]] = {
        "/m/login/": {"axe": axe_serious(signed_out), **signed_out.evaluate(MEASURE, [14, 44])}
    }

    page = new_page(phone=True)
    sign_in(page, base, resident.phone, PASSWORD)
    assert page.url == f"{base}/m/"
    if mode == "elderly":
        assert page.evaluate("document.documentElement.classList.contains('elderly')")
    queue = list(paths)
    seen = {page_kind(p) for p in paths}
    while queue:
        path = queue.pop(0)
        response = page.goto(f"{base}{path}")
        if path not in paths and (response is None or response.status != 200):
            continue  # a link to something this resident may not open (a staff page, say)
        page.wait_for_load_state("networkidle")
        assert page.locator("nav.m-tabs").count() == 1, path
        findings[path] = {"axe": axe_serious(page), **page.evaluate(MEASURE, [min_text, min_tap])}
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        if path == "/m/":
            # What the phone shows on opening the app (the README's picture): one screen.
            page.screenshot(path=str(ARTIFACTS / f"resident-home-{mode}.png"))
            if mode == "elderly":
                # One tap calls one's own grid worker, on the first screen.
                call = page.locator("#m-call-worker")
                assert call.get_attribute("href") == f"tel:{people['worker_a'].phone}"
                assert people["worker_a"].name in call.inner_text()
                box = call.bounding_box()
                assert box is not None and box["y"] + box["height"] <= 844, box
        for href in page.evaluate(LINKS):
            url = urljoin(f"{base}{path}", href)
            kind = page_kind(url)
            if url.startswith(base) and kind is not None and kind not in seen:
                seen.add(kind)
                queue.append(url[len(base) :])
    assert len(findings) >= 40, sorted(findings)

    (ARTIFACTS / f"resident-a11y-{mode}.json").write_text(
        json.dumps(findings, ensure_ascii=False, indent=1)
    )
    problems = {
        path: {k: f[k] for k in ("axe", "text", "taps") if f[k]}
        for path, f in findings.items()
        if f["axe"] or f["text"] or f["taps"]
    }
    assert problems == {}, json.dumps(problems, ensure_ascii=False, indent=1)
    assert all(f["texts"] > 0 and f["controls"] > 0 for f in findings.values())
