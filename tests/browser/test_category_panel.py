"""The desk's category choice in Chromium: a 12345 order the model was unsure of waits with its
three suggestions; the dispatcher says 不是这类 with N, picks the right leaf, and the case is
filed there and counts as a training example. Then 1 takes a suggestion on the next one."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in, watch
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD
from wangge.cases import categories, learning
from wangge.cases.models import Case, CategorySource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _waiting(people: dict[str, Any], text: str) -> Case:
    from wangge.cases.services import CaseInput, case_intake

    case, _ = case_intake(
        data=CaseInput(description=text, lon=IN_A1[0], lat=IN_A1[1], channel="hotline"),
        actor=people["dispatcher"],
        auto_dispatch=False,
    )
    return case


def test_the_desk_corrects_and_accepts_the_models_suggestions(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    categories.invalidate_leaves()
    learning.forget()
    base = live_server.url
    case = _waiting(people, "请问一下家门口暖气管道的事情归谁管，还有违建的问题")
    # Both orders are in before the browser opens: a write from the test's own thread while a
    # page is loading finds SQLite's shared-cache tables locked (the live server answers 503).
    other = _waiting(people, "小区门口有人摆摊占道，堵住出入口")
    assert case.category_suggestions, "the model scores every order"
    page = new_page()
    problems = watch(page)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    panel = page.locator("#category-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("button")).to_have_count(len(case.category_suggestions))
    assert axe_serious(page) == []
    shot(page, "category-panel")

    # N: 不是这类 opens the catalogue with the list in focus.
    page.locator("body").press("n")
    select = page.get_by_label("正确的分类")
    expect(select).to_be_focused()
    select.select_option("XF-01")
    page.get_by_role("button", name="改为此分类").click()
    expect(page.locator(".messages, .messagelist, [role=status]").first).to_contain_text(
        "已确认分类"
    )
    case.refresh_from_db()
    assert case.category is not None and case.category.code == "XF-01"
    assert case.category_source == CategorySource.STAFF

    # 1 takes the first suggestion of the next order.
    first = other.category_suggestions[0]["code"]
    page.goto(f"{base}/cases/{other.pk}/")
    page.locator("body").press("1")
    page.wait_for_url(f"{base}/cases/{other.pk}/")
    expect(page.locator("#category-heading")).to_contain_text(other.category_suggestions[0]["name"])
    other.refresh_from_db()
    assert other.category is not None and other.category.code == first
    assert other.category_source == CategorySource.STAFF
    assert problems == []
