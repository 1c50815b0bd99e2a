"""A dispatcher's Monday at the desk in Chromium (zh-CN, Beijing time), from the pages as they
open:

- a 12345 caller rings back: the search box finds their case by number, by the last digits of
  their phone, by an estate's name or by their name, whatever status it is in and whichever
  status tab is open, and each hit says its status (390 px and 1440 px);
- the top bar holds one row at 1280 px and 1440 px;
- the map of 127 cases clusters them and fits them in view;
- the circulars page makes last week's 周通报 with a clear message."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import close_contexts, shot, sign_in, watch
from tests.cases.test_desk import seed
from tests.conftest import PASSWORD
from wangge.cases.models import Case, Status
from wangge.ops.models import Circular

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": (390, 844), "desk": (1440, 900)}


@pytest.fixture
def screen(browser: Any) -> Iterator[Any]:
    """A page at a given width, Chinese, Beijing time; closed after the test."""
    contexts: list[Any] = []

    def make(width: int, height: int = 900) -> Any:
        options: dict[str, Any] = {
            "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai",
            "viewport": {"width": width, "height": height},
        }
        if width < 700:
            options.update(is_mobile=True, has_touch=True)
        ctx = browser.new_context(**options)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    close_contexts(contexts)


@pytest.fixture
def ringing_back(people: dict[str, Any], report: Any) -> dict[str, Case]:
    """A caller's case already dispatched (not on the desk's opening queue), a closed one at
    an estate, and the queue of the morning."""
    seed(12)
    desk = people["dispatcher"]
    dispatched = report(
        "楼道灯坏了好几天",
        address="桐柏路春晓花园5号楼",
        reporter_name="李女士",
        reporter_phone="13987654321",
        actor=desk,
        channel="hotline",
    )
    closed = report(
        "垃圾桶满了没人清", address="建设路文化苑7号楼", reporter_name="王大爷", actor=desk
    )
    Case.objects.filter(pk=dispatched.pk).update(status=Status.DISPATCHED)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    dispatched.refresh_from_db()
    closed.refresh_from_db()
    return {"dispatched": dispatched, "closed": closed}


def search(page: Any, words: str) -> None:
    box = page.get_by_role("searchbox", name="搜索")
    box.fill(words)
    box.press("Enter")
    page.wait_for_load_state("domcontentloaded")


def shown(page: Any) -> list[str]:
    return page.locator("#desk-table tbody td.col-number a").all_inner_texts()


@pytest.mark.parametrize("size", SCREENS)
def test_a_caller_ringing_back_is_found_whatever_status_their_case_is_in(
    live_server: Any, people: dict[str, Any], ringing_back: dict[str, Case], screen: Any, size: str
) -> None:
    base = live_server.url
    page = screen(*SCREENS[size])
    problems = watch(page)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    dispatched, closed = ringing_back["dispatched"], ringing_back["closed"]
    expect(page.locator("#desk-total")).to_have_text("共 12 件")  # the queue the desk opens on
    assert dispatched.number not in shown(page)

    assert dispatched.number
    for words in (dispatched.number, "4321", "春晓花园", "李女士"):
        search(page, words)
        expect(page.locator("#desk-total")).to_have_text("共 1 件")
        assert shown(page) == [dispatched.number], words
        row = page.locator(f"#desk-table tr[data-case='{dispatched.pk}']")
        expect(row.locator(".status-tag")).to_have_text("待签收")
        expect(page.locator("#desk-search")).to_contain_text("全部状态")
        expect(page.locator("#desk-search")).to_contain_text("待签收 1 件")
    shot(page, f"desk-search-rings-back-{size}")
    assert axe_serious(page) == []

    # The estate's closed case too, and the line says which statuses the hits are in.
    search(page, "文化苑")
    expect(page.locator("#desk-search")).to_contain_text("已结案 1 件")
    assert shown(page) == [closed.number]
    # Nothing found: the line says what the box searches.
    search(page, "不存在的小区")
    expect(page.locator("#desk-total")).to_have_text("共 0 件")
    expect(page.locator("#desk-search")).to_contain_text("可输入事件编号")
    if size == "phone":
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the desk scrolls sideways by {wide} px"
    assert problems == [], problems


@pytest.mark.parametrize("width", [1280, 1440])
def test_the_dispatchers_top_bar_holds_one_row(
    live_server: Any, people: dict[str, Any], screen: Any, width: int
) -> None:
    base = live_server.url
    page = screen(width)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    bar = page.evaluate(
        """() => {
            const bar = document.querySelector(".topbar");
            const items = [...bar.querySelectorAll(
                ".brand, .topnav > a, .topnav > form, .topnav > .nav-more > summary")];
            const boxes = items.map(e => e.getBoundingClientRect());
            return {
                height: bar.getBoundingClientRect().height,
                // One row: a horizontal line crosses every item.
                one_row: Math.max(...boxes.map(b => b.top)) < Math.min(...boxes.map(b => b.bottom)),
                right: Math.max(...boxes.map(b => b.right)) - window.innerWidth,
                scroll: bar.scrollWidth - bar.clientWidth,
                count: items.length,
            };
        }"""
    )
    shot(page, f"desk-topbar-{width}")
    assert bar["count"] >= 10, bar  # the daily pages, 更多, the name and 退出
    assert bar["one_row"], bar
    assert bar["height"] <= 64, bar
    assert bar["scroll"] <= 0 and bar["right"] <= 0, bar
    # Every other page of the menu is one click away, under 更多.
    nav = page.get_by_role("navigation", name="主导航")
    nav.locator(".nav-more > summary").click()
    for name in ("红色厨房", "实有人口", "十分钟服务圈"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    nav.get_by_role("link", name="红色厨房").click()
    page.wait_for_url(f"{base}/kitchen/")
    expect(page.locator(".nav-more > summary")).to_have_class("has-current")
    assert axe_serious(page) == []


def test_the_map_clusters_the_cases_and_fits_them(
    live_server: Any, people: dict[str, Any], screen: Any
) -> None:
    cases = seed(127)
    # Spread over the street's grid A1 (tests/conftest.py), a few metres apart.
    for i, case in enumerate(cases):
        Case.objects.filter(pk=case.pk).update(
            lon=113.6002 + (i % 13) * 0.00012, lat=34.7502 + (i // 13) * 0.00035
        )
    base = live_server.url
    page = screen(1440)
    problems = watch(page)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/desk/")
    page.locator("#desk-map-box summary").click()
    expect(page.locator("#desk-map .marker-cluster").first).to_be_visible()
    clusters = page.locator("#desk-map .marker-cluster")
    counts = [int(t) for t in clusters.all_inner_texts()]
    singles = page.locator("#desk-map .desk-case").count()
    # Every case is in a cluster or on its own, and far fewer marks than cases.
    assert sum(counts) + singles == 127, (counts, singles)
    assert 0 < len(counts) + singles < 60
    # Fitted: every mark inside the map's box.
    inside = page.evaluate(
        """() => {
            const box = document.getElementById("desk-map").getBoundingClientRect();
            return [...document.querySelectorAll("#desk-map .marker-cluster, #desk-map .desk-case")]
              .every(m => { const r = m.getBoundingClientRect();
                 const x = r.left + r.width / 2, y = r.top + r.height / 2;
                 return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom; });
        }"""
    )
    assert inside
    # A cluster opens into its cases when clicked.
    before = len(counts) + singles
    clusters.first.click()
    page.wait_for_timeout(600)
    after = (
        page.locator("#desk-map .marker-cluster").count()
        + page.locator("#desk-map .desk-case").count()
    )
    assert after > before
    shot(page, "desk-map-clusters")
    assert problems == [], problems


def test_the_dispatcher_makes_last_weeks_circular_from_the_page(
    live_server: Any, people: dict[str, Any], screen: Any
) -> None:
    base = live_server.url
    page = screen(1440)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/ops/circulars/")
    expect(page.get_by_text("暂无通报。")).to_be_visible()
    form = page.locator("#circular-form")
    expect(form.get_by_label("统计期内任一天")).to_have_value(
        (timezone.localdate() - timedelta(days=7)).isoformat()
    )
    form.get_by_role("button", name="生成通报").click()
    expect(page.locator(".messages li")).to_contain_text("已生成：林山寨街道周通报")
    expect(page.locator("table.ops-circulars tbody tr")).to_have_count(1)
    assert Circular.objects.filter(kind="weekly").count() == 1
    assert axe_serious(page) == []
    shot(page, "circulars-made")
