"""Every resident page of the quality bar on a phone (Chromium, 390 × 844, zh-CN), in the
standard mode and in 长辈版: axe-core finds nothing critical or serious, no text is smaller and
no control is smaller than the mode allows (standard: 14 px text, 44 × 44 px targets; 长辈版:
18 px text, 60 × 60 px targets)."""

import json
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, sign_in
from tests.browser.resident_pages import MEASURE, axe_serious, resident_pages
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
    for path in paths:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        assert page.locator("nav.m-tabs").count() == 1, path
        findings[path] = {"axe": axe_serious(page), **page.evaluate(MEASURE, [min_text, min_tap])}
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        if path == "/m/":
            # What the phone shows on opening the app (the README's picture): one screen.
            page.screenshot(path=str(ARTIFACTS / f"resident-home-{mode}.png"))

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
