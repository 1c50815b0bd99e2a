"""有事找支部 with a place in the words (建设路与桐柏路交叉口东北角): on a 390 px phone the inferred
point is a hollow pin to confirm or drag, with the words it came from; a report sent without
confirming carries no position of it (the server reads the words, as without script), and a
confirmed one carries the point like a pin the resident put down. A failed lookup says nothing."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in, watch
from tests.browser.resident_pages import MEASURE
from tests.cases.conftest import CORNER, CROSSING, crossing_roads
from tests.conftest import PASSWORD
from wangge.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = f"{CORNER}井盖缺失，晚上很危险"


def _open_report(page: Any, base: str, resident: Any) -> None:
    sign_in(page, base, resident.phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    page.wait_for_load_state("networkidle")


def _sent_bodies(page: Any) -> list[str]:
    """The bodies of the reports the page sends (multipart, through the app's outbox)."""
    bodies: list[str] = []
    page.on(
        "request",
        lambda r: (
            bodies.append(r.post_data or "")
            if r.method == "POST" and r.url.endswith("/api/v1/cases")
            else None
        ),
    )
    return bodies


def _submit(page: Any, label: str = "提交") -> None:
    page.get_by_role("button", name=label).click()
    page.wait_for_url(re.compile(r"/m/report/done/\d+/$"))
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_a_described_place_is_a_pin_to_confirm_and_never_sent_unconfirmed(
    live_server: Any, people: dict[str, Any], new_page: Any, mode: str
) -> None:
    # Before any page asks: the live server shares this database.
    crossing_roads()
    resident = people["resident"]
    resident.elderly_mode = mode == "elderly"
    resident.save(update_fields=["elderly_mode"])
    base = live_server.url
    # 长辈版 words the form more plainly; the pin and its question are the same.
    describe, send = ("问题描述", "提交") if mode == "standard" else ("说一说", "发出去")
    page = new_page(phone=True)
    problems = watch(page)
    bodies = _sent_bodies(page)
    _open_report(page, base, resident)
    if mode == "elderly":
        expect(page.locator("html.elderly")).to_have_count(1)

    page.get_by_label(describe).fill(DESCRIPTION)
    offer = page.locator("#m-suggested-text")
    expect(offer).to_contain_text(f"由“{CORNER}”推定，请确认或拖动图钉")
    expect(offer).to_contain_text("B1 微网格")
    expect(page.locator(".m-pin-suggested")).to_be_visible()
    confirm = page.get_by_role("button", name="确认位置")
    expect(confirm).to_be_visible()
    # Nothing is set for the form to send: the hidden position stays empty.
    assert page.locator("input[name=lon]").input_value() == ""
    assert axe_serious(page) == []
    measured = page.evaluate(MEASURE, [0, 44])
    assert not [t for t in measured["taps"] if "确认位置" in str(t)], measured["taps"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"report-place-suggested-phone-{mode}")

    # Sent without confirming: no position from it goes with the report; the server reads the
    # words, and the case shows its point as inferred from them.
    _submit(page, send)
    assert bodies and 'name="location"' not in bodies[0]
    first = Case.objects.get()
    assert first.place_phrase == CORNER
    assert first.micro_grid is not None and first.micro_grid.name == "B1 微网格"

    # Confirmed: the point is the report's own, sent like a pin the resident put down.
    page.goto(f"{base}/m/report/")
    page.wait_for_load_state("networkidle")
    page.get_by_label(describe).fill(DESCRIPTION)
    expect(page.locator(".m-pin-suggested")).to_be_visible()
    page.get_by_role("button", name="确认位置").click()
    expect(page.locator(".m-pin-suggested")).to_have_count(0)
    expect(page.locator(".m-pin")).to_be_visible()
    expect(page.get_by_role("button", name="确认位置")).to_be_hidden()
    expect(page.locator("#m-where")).to_contain_text("B1 微网格")
    # Words typed after that change nothing: the pin is theirs now.
    page.get_by_label(describe).fill(f"{CROSSING}西南角也有一个")
    page.wait_for_timeout(900)
    expect(page.locator(".m-pin-suggested")).to_have_count(0)
    assert axe_serious(page) == []
    _submit(page, send)
    assert len(bodies) == 2 and 'name="location"' in bodies[1]
    second = Case.objects.exclude(pk=first.pk).get()
    assert second.place_phrase == ""  # a position the resident gave, not one inferred
    assert second.lon == pytest.approx(first.lon, abs=1e-6)
    assert second.lat == pytest.approx(first.lat, abs=1e-6)
    assert second.micro_grid is not None and second.micro_grid.name == "B1 微网格"
    assert problems == [], problems


def test_a_place_on_a_border_asks_for_the_pin_and_a_failed_lookup_says_nothing(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    crossing_roads()
    base = live_server.url
    page = new_page(phone=True)
    _open_report(page, base, people["resident"])
    # The crossing itself lies on two grids: no pin is offered, the resident is asked for one.
    page.get_by_label("地址", exact=True).fill(CROSSING)
    offer = page.locator("#m-suggested-text")
    expect(offer).to_contain_text("这个位置可能在几个网格")
    expect(offer).to_contain_text("A2 微网格")
    expect(offer).to_contain_text("请在地图上点一下标出位置")
    expect(page.locator(".m-pin-suggested")).to_have_count(0)
    expect(page.get_by_role("button", name="确认位置")).to_be_hidden()
    assert axe_serious(page) == []

    # On a bad network the lookup fails: the form stays as it is, says nothing, and sends.
    # (On the context: the app's service worker makes the request the page asks for.)
    lost: list[str] = []

    def lose(route: Any) -> None:
        lost.append(route.request.url)
        route.abort()

    page.context.route(re.compile(r"/m/report/address\.json"), lose)
    page.get_by_label("地址", exact=True).fill("")
    page.get_by_label("问题描述").fill(DESCRIPTION)
    page.wait_for_timeout(1200)
    assert any("text=" in url for url in lost), lost
    expect(page.locator(".m-pin-suggested")).to_have_count(0)
    expect(offer).to_have_text("")
    expect(page.locator("#m-where")).to_have_text("")
    _submit(page)
    case = Case.objects.get()
    assert case.place_phrase == CORNER  # routed by the words on the server, as without script


def test_the_desk_and_the_case_page_draw_an_inferred_point_apart(
    live_server: Any, people: dict[str, Any], report: Any, new_page: Any
) -> None:
    crossing_roads()
    case = report(DESCRIPTION, at=None)
    assert case.place_phrase == CORNER
    base = live_server.url
    page = new_page()
    problems = watch(page)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("#case-place-inferred")).to_contain_text(f"由“{CORNER}”推定")
    expect(page.locator("#case-map path.case-point-inferred")).to_have_count(1)
    expect(page.locator("#case-map path.case-point")).to_have_count(0)
    page.goto(f"{base}/cases/desk/?status=all")
    page.locator("#desk-map-box summary").click()
    ring = page.locator("#desk-map path.desk-case-inferred")
    expect(ring).to_have_count(1)
    ring.click(force=True)
    expect(page.locator(".leaflet-popup")).to_contain_text(f"由“{CORNER}”推定")
    page.wait_for_load_state("networkidle")
    assert problems == [], problems


def test_the_hotline_desk_says_the_inferred_place_as_the_operator_types(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    crossing_roads()
    base = live_server.url
    page = new_page()
    problems = watch(page)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/hotline/desk/")
    page.get_by_label("诉求内容").fill(f"市民来电反映{DESCRIPTION}")
    expect(page.locator("#desk-place")).to_have_text(f"由“{CORNER}”推定：B1 微网格")
    page.get_by_label("诉求地址").fill(CROSSING)  # on two grids: no guess is shown
    expect(page.locator("#desk-place")).to_have_text("")
    assert axe_serious(page) == []
    assert problems == [], problems
