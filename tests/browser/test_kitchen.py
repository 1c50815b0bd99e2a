"""红色厨房 in Chromium (zh-CN): the deliverer's round on a 390 × 844 phone and the staff's day.

The deliverer signs in and opens 今日送餐 as a person first sees it: axe-core finds nothing
critical or serious and the three buttons at the door (已送达 / 不在家 / 拒收) are at least
44 × 44. With no signal in the stairwell, 不在家 for 张桂芳 is kept on the phone and the page
says so; back online it arrives exactly once (one 不在家, one alert, sent again with its key
still one). The community's staff then find the alert on 红色厨房's home, on a desk and on a
phone, and axe-core finds nothing critical or serious there either.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import IN_FLIGHT, shot, sign_in, watch
from tests.browser.resident_pages import MEASURE
from tests.conftest import PASSWORD
from tests.kitchen.conftest import kitchen, lunch  # noqa: F401  (shared fixtures)
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.core.models import IdempotencyKey
from wangge.kitchen.models import Alert, Delivery, Outcome

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTONS = ("已送达", "不在家", "拒收")


def test_a_not_home_kept_offline_arrives_once_and_the_staff_see_its_alert(
    live_server: Any,
    people: dict[str, Any],
    lunch: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    base = live_server.url
    delivery = lunch["delivery"]
    elder = lunch["elder"].name

    # The deliverer's round as first opened on the phone.
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, lunch["deliverer"].phone, PASSWORD)
    response = page.goto(f"{base}/kitchen/rounds/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    card = page.locator(f"li.meal[data-delivery='{delivery.pk}']")
    expect(card.locator("h3")).to_have_text(elder)
    assert axe_serious(page) == []
    sizes = {
        name: card.get_by_role("button", name=name, exact=True).bounding_box() for name in BUTTONS
    }
    small = {
        name: (round(box["width"]), round(box["height"]))
        for name, box in sizes.items()
        if box is None or box["width"] < 44 or box["height"] < 44
    }
    assert small == {}, small
    measured = page.evaluate(MEASURE, [0, 44])
    assert measured["taps"] == [], measured["taps"]
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"scrolls sideways by {wide} px"
    shot(page, "kitchen-round-phone")
    assert problems == [], problems

    # No signal at the door: 不在家 is kept on the phone and the page says so.
    page.context.set_offline(True)
    card.get_by_role("button", name="不在家", exact=True).click()
    expect(card.locator(".outbox-status")).to_contain_text("当前无网络：已保存在手机上")
    expect(page.locator("#outbox-net")).to_contain_text("当前无网络")
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_contain_text(
        f"送餐 {elder} · 不在家"
    )
    assert axe_serious(page) == []
    shot(page, "kitchen-round-offline-phone")
    delivery.refresh_from_db()
    assert delivery.outcome == Outcome.PENDING
    assert not Alert.objects.exists()

    # Back online: the record goes by itself and the outbox says it went.
    page.context.set_offline(False)
    expect(page.locator(".messages li", has_text="已发送")).to_be_visible(timeout=15000)
    expect(page.locator("#outbox-list li[data-state=sent]")).to_contain_text(
        f"送餐 {elder} · 不在家"
    )
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 0")
    expect(page.locator("#outbox-sent")).to_have_text("已发送 1")
    IN_FLIGHT.wait_idle()
    # Opened again, the round says what was recorded at the door.
    page.reload()
    expect(card.locator(".status")).to_contain_text("不在家")
    delivery.refresh_from_db()
    assert delivery.outcome == Outcome.NOT_HOME
    assert delivery.recorded_by == lunch["deliverer"]
    alert = Alert.objects.get()
    assert alert.delivery == delivery and alert.reason == Outcome.NOT_HOME
    shot(page, "kitchen-round-sent-phone")

    # The same record sent again with its key (an answer lost on the way) is still one.
    key = IdempotencyKey.objects.get(scope=f"meal:{delivery.pk}").key
    again = page.evaluate(
        """async ([url, key]) => {
            const body = new FormData();
            body.append("outcome", "not_home");
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: "POST", body,
                headers: {"X-CSRFToken": csrf, "Idempotency-Key": key}});
            return [r.status, (await r.json()).outcome];
        }""",
        [f"/api/v1/kitchen/deliveries/{delivery.pk}", key],
    )
    assert again == [200, "not_home"]
    IN_FLIGHT.wait_idle()
    assert Alert.objects.count() == 1
    assert Delivery.objects.get(pk=delivery.pk).outcome == Outcome.NOT_HOME

    # The community's staff find the open alert on 红色厨房's home, on a desk and on a phone.
    findings: dict[str, list[str]] = {}
    for phone in (False, True):
        staff = new_page(phone=phone)
        seen = watch(staff)
        sign_in(staff, base, people["community"].phone, PASSWORD)
        response = staff.goto(f"{base}/kitchen/")
        assert response is not None and response.status == 200
        staff.wait_for_load_state("networkidle")
        listed = staff.locator(f".kitchen-alerts li[data-alert='{alert.pk}']")
        expect(listed).to_contain_text(elder)
        expect(listed).to_contain_text("不在家")
        expect(listed.get_by_role("link")).to_have_attribute("href", f"/kitchen/alerts/{alert.pk}/")
        where = "phone" if phone else "desk"
        findings[where] = axe_serious(staff)
        wide = staff.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 0:
            findings[where].append(f"scrolls sideways by {wide} px")
        shot(staff, f"kitchen-home-{where}")
        assert seen == [], seen
    assert {w: f for w, f in findings.items() if f} == {}
