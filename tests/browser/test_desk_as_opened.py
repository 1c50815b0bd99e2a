"""The dispatcher's desk at 1440 × 900, as a dispatcher first sees it: no filter submitted, the
address bar holding only /cases/desk/. Paging and sorting must work from there (its links once
began with "??", so they reopened the first page in the first order)."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import AXE
from tests.browser.conftest import close_contexts, shot, sign_in
from tests.cases.test_desk import seed
from tests.conftest import PASSWORD
from wangge.cases.models import Card, Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk_page(browser: Any) -> Iterator[Any]:
    """A dispatcher's screen: 1440 × 900, Chinese, Beijing time."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
    )
    pg = context.new_page()
    yield pg
    close_contexts([context])


def numbers_shown(page: Any) -> list[str]:
    """The case numbers of the table's rows, as the dispatcher reads them."""
    return page.locator("#desk-table tbody td.col-number").all_inner_texts()


def test_the_desk_pages_and_sorts_from_the_page_as_it_opens(
    live_server: Any, people: dict[str, Any], desk_page: Any
) -> None:
    cases = seed(60)  # oldest first; the desk's first order, 50 a page
    numbers = [c.number for c in cases]
    base = live_server.url
    page = desk_page
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    expect(page.locator("#desk-page")).to_have_text("第 1 / 2 页")
    assert numbers_shown(page) == numbers[:50]

    page.get_by_role("link", name="下一页").click()
    expect(page.locator("#desk-page")).to_have_text("第 2 / 2 页")
    assert numbers_shown(page) == numbers[50:]
    shot(page, "desk-opened-page-2")

    # 时间 is the current order (oldest first): its heading turns it round, back on page 1.
    page.locator("#desk-table th.col-created a").click()
    expect(page.locator("#desk-table th.col-created")).to_have_attribute("aria-sort", "descending")
    expect(page.locator("#desk-page")).to_have_text("第 1 / 2 页")
    assert numbers_shown(page) == numbers[::-1][:50]

    # And by 编号, whichever order came before.
    page.locator("#desk-table th.col-number a").click()
    expect(page.locator("#desk-table th.col-number")).to_have_attribute("aria-sort", "ascending")
    assert numbers_shown(page) == numbers[:50]
    page.locator("#desk-table th.col-number a").click()
    expect(page.locator("#desk-table th.col-number")).to_have_attribute("aria-sort", "descending")
    assert numbers_shown(page) == numbers[::-1][:50]
    page.get_by_role("link", name="下一页").click()
    expect(page.locator("#desk-page")).to_have_text("第 2 / 2 页")
    assert numbers_shown(page) == numbers[::-1][50:]
    page.get_by_role("link", name="上一页").click()
    expect(page.locator("#desk-page")).to_have_text("第 1 / 2 页")
    assert numbers_shown(page)[0] == numbers[-1]


def test_the_yellow_and_red_cards_deadlines_are_readable(
    live_server: Any, people: dict[str, Any], desk_page: Any
) -> None:
    """axe's colour-contrast rule on the desk's table with a case of each card (WCAG AA:
    4.5 : 1 for text of this size)."""
    yellow, red, plain = seed(3)
    soon = timezone.now() + timedelta(hours=4)
    Case.objects.filter(pk=yellow.pk).update(card=Card.YELLOW, due_at=soon)
    Case.objects.filter(pk=red.pk).update(card=Card.RED, due_at=soon - timedelta(days=2))
    Case.objects.filter(pk=plain.pk).update(due_at=soon + timedelta(days=2))
    base = live_server.url
    page = desk_page
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    expect(page.locator("#desk-table td.card-yellow .due")).to_have_count(1)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        """async () => {
            const r = await window.axe.run(document.getElementById("desk-table"),
                {runOnly: ["color-contrast"], resultTypes: ["violations"]});
            return r.violations.flatMap(v => v.nodes.map(n => n.target.join(" ") + " " +
                n.failureSummary));
        }"""
    )
    assert found == []


def test_merge_shows_both_cases_and_merges_only_after_yes(
    live_server: Any, people: dict[str, Any], desk_page: Any
) -> None:
    kept, other = seed(2)
    base = live_server.url
    page = desk_page
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    page.locator("#desk-table tbody tr[data-case] input[name=ids]").nth(0).check()
    page.locator("#desk-table tbody tr[data-case] input[name=ids]").nth(1).check()
    page.get_by_label("批量操作").select_option(label="合并")
    page.get_by_role("button", name="执行").click()

    expect(page.get_by_role("heading", name="确认合并", level=1)).to_be_visible()
    pair = page.locator(f"section.merge-pair[data-case='{other.pk}']")
    expect(pair.get_by_role("heading")).to_have_text(f"{other.number} → {kept.number}")
    expect(pair.locator("tr.merge-what td").nth(0)).to_contain_text(other.title)
    expect(pair.locator("tr.merge-what td").nth(1)).to_contain_text(kept.title)
    # Side by side: the two columns start at the same height, one beside the other.
    left, right = (pair.locator("tr.merge-what td").nth(i).bounding_box() for i in (0, 1))
    assert left and right and left["y"] == right["y"] and right["x"] > left["x"] + 200
    shot(page, "desk-merge-confirm")
    other.refresh_from_db()
    assert other.status != "merged"

    page.get_by_role("button", name="确认合并这 1 件").click()
    expect(page.locator("#desk-results")).to_contain_text(f"已合并到 {kept.number}")
    other.refresh_from_db()
    assert other.status == "merged" and other.parent_id == kept.pk
