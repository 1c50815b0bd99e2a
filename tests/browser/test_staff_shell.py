"""A grid worker's phone (390 × 844, zh-CN): the staff shell's pages pass axe-core with no
critical or serious violation, the five tabs sit in one row, and the case page's actions,
tap targets, text size and refused-action message are where a thumb and an eye expect them."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD

# The pages of the shell a grid worker opens from the tabs, and the case page.
PAGES = {
    "待办": "/cases/queue/",
    "巡查": "/patrols/",
    "走访": "/residents/visits/overdue/",
    "台账": "/ledgers/",
    "我的": "/",
}


@pytest.fixture
def worker_phone(live_server: Any, people: dict[str, Any], new_page: Any) -> Any:
    phone = new_page(phone=True)
    sign_in(phone, live_server.url, people["worker_a"].phone, PASSWORD)
    return phone


def test_shell_pages_pass_axe(
    live_server: Any, people: dict[str, Any], report: Any, worker_phone: Any
) -> None:
    case = report()
    base = live_server.url
    problems = {}
    for name, path in {**PAGES, "事件": f"/cases/{case.pk}/"}.items():
        worker_phone.goto(base + path)
        expect(worker_phone.locator("main")).to_be_visible()
        found = axe_serious(worker_phone)
        if found:
            problems[name] = found
    # A refused 办结 brings its form open, with the message at the field: checked too.
    worker_phone.goto(f"{base}/cases/{case.pk}/")
    worker_phone.get_by_role("button", name="签收", exact=True).click()
    worker_phone.locator("details[data-action=resolve] summary").click()
    worker_phone.locator("details[data-action=resolve]").get_by_role("button", name="办结").click()
    expect(worker_phone.locator("#resolve-result-error")).to_be_visible()
    found = axe_serious(worker_phone)
    if found:
        problems["办结未通过"] = found
    assert problems == {}


def test_tabs_fit_one_row_and_mark_the_open_page(
    live_server: Any, worker_phone: Any, people: dict[str, Any]
) -> None:
    base = live_server.url
    worker_phone.goto(f"{base}/patrols/")
    tabs = worker_phone.locator("nav.tabbar a")
    expect(tabs).to_have_text(["待办", "巡查", "走访", "台账", "我的"])
    boxes = [tabs.nth(i).bounding_box() for i in range(5)]
    assert all(b is not None for b in boxes)
    assert len({round(b["y"]) for b in boxes}) == 1, boxes  # one row
    assert boxes[0]["x"] >= 0 and boxes[-1]["x"] + boxes[-1]["width"] <= 390
    assert all(b["height"] >= 44 for b in boxes)
    bar = worker_phone.locator("nav.tabbar").bounding_box()
    assert bar is not None and bar["y"] + bar["height"] == pytest.approx(844, abs=1)
    assert bar["height"] < 80
    # The desk's top bar is folded away; the compact header is one line.
    expect(worker_phone.locator("nav.topnav")).to_be_hidden()
    header = worker_phone.locator("header.topbar").bounding_box()
    assert header is not None and header["height"] <= 64
    expect(worker_phone.locator('nav.tabbar a[aria-current="page"]')).to_have_text("巡查")
    # Every tab opens its page.
    for i, (name, path) in enumerate(PAGES.items()):
        worker_phone.goto(f"{base}/patrols/")
        worker_phone.locator("nav.tabbar a").nth(i).click()
        worker_phone.wait_for_url(base + path)
        expect(worker_phone.locator('nav.tabbar a[aria-current="page"]')).to_have_text(name)
    shot(worker_phone, "staff-shell-me")


def test_case_page_on_a_phone(
    live_server: Any, people: dict[str, Any], report: Any, worker_phone: Any, tmp_path: Path
) -> None:
    case = report()
    base = live_server.url
    worker_phone.goto(f"{base}/cases/{case.pk}/")
    sign = worker_phone.get_by_role("button", name="签收", exact=True)
    # The next step is in view without scrolling.
    box = sign.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 and box["height"] >= 44
    sign.click()
    expect(worker_phone.locator(".messages li", has_text="已签收")).to_be_visible()
    resolve = worker_phone.locator("details[data-action=resolve]")
    summary = resolve.locator("summary")
    box = summary.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844 and box["height"] >= 44
    summary.click()
    photo = resolve.locator("input[type=file]")
    expect(photo).to_have_attribute("accept", "image/*")
    expect(photo).to_have_attribute("capture", "environment")
    # Body text at 16 px or more; every control of the actions at least 44 px tall.
    sizes = worker_phone.evaluate(
        """() => [...document.querySelectorAll('main p, main dd, main li, main label')]
            .filter(e => e.offsetParent && e.textContent.trim())
            .map(e => parseFloat(getComputedStyle(e).fontSize))"""
    )
    assert sizes and min(sizes) >= 16, sorted(set(sizes))
    heights = worker_phone.evaluate(
        """() => [...document.querySelectorAll(
                '#case-actions button, #case-actions summary, #case-actions textarea,'
                + ' #case-actions input:not([type=hidden]), #case-actions .radio-row label')]
            .filter(e => e.offsetParent)
            .map(e => [e.tagName + (e.name ? '[' + e.name + ']' : ''),
                       e.getBoundingClientRect().height])"""
    )
    assert heights and all(h >= 44 for _name, h in heights), heights
    # 办结 without a result: the page comes back with the message at the result field, in view.
    resolve.get_by_role("button", name="办结").click()
    error = worker_phone.locator("#resolve-result-error")
    expect(error).to_have_text("请填写办理结果")
    expect(error).to_be_in_viewport()
    field = worker_phone.locator("#resolve-result")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    shot(worker_phone, "staff-case-refused")
