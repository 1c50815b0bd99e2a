"""红色厨房's round in Chromium, from 今日送餐 as the deliverer opens it on a 390 × 844 phone:
the household still waiting is at the top; a recorded 不在家 (which told the grid worker and
texted the family) has no one-tap buttons any more but 更改结果, which says what the change
undoes and asks to confirm; confirmed, the round and the grid worker's alert page (1440 px)
show both records. axe-core finds nothing serious; every button takes a finger."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import IN_FLIGHT, shot, sign_in, watch
from tests.browser.resident_pages import MEASURE
from tests.conftest import PASSWORD
from tests.kitchen.conftest import kitchen, lunch, two_more_households  # noqa: F401  (shared fixtures)
from tests.residents.conftest import make_id, register  # noqa: F401  (the small register)
from wangge.kitchen.models import Alert, Delivery, DeliveryEvent, Outcome
from wangge.kitchen.services import delivery_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def round_of_three(
    lunch: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
    kitchen: Any,  # noqa: F811
    register: dict[str, Any],  # noqa: F811
) -> dict[str, Any]:
    """张桂芳 recorded 不在家 (alert raised), 李淑芬 delivered, 赵德明 still waiting."""
    not_home, delivered, waiting = two_more_households(people, register, kitchen, lunch)
    deliverer = lunch["deliverer"]
    delivery_record(actor=deliverer, delivery_id=not_home.pk, outcome=Outcome.NOT_HOME)
    delivery_record(actor=deliverer, delivery_id=delivered.pk, outcome=Outcome.DELIVERED)
    return {"not_home": not_home, "delivered": delivered, "waiting": waiting, **lunch}


def test_a_recorded_not_home_changes_only_when_confirmed_and_keeps_its_history(
    live_server: Any, people: dict[str, Any], round_of_three: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    r = round_of_three
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, r["deliverer"].phone, PASSWORD)
    response = page.goto(f"{base}/kitchen/rounds/")
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")

    # The household still waiting leads the round.
    cards = page.locator("li.meal")
    expect(cards).to_have_count(3)
    expect(cards.first).to_have_attribute("data-delivery", str(r["waiting"].pk))
    expect(cards.first.get_by_role("button", name="已送达", exact=True)).to_be_visible()

    # The 不在家: no one-tap button, but 更改结果.
    card = page.locator(f"li.meal[data-delivery='{r['not_home'].pk}']")
    expect(card.locator(".status")).to_contain_text("不在家")
    expect(card.get_by_role("button", name="已送达", exact=True)).to_have_count(0)
    assert axe_serious(page) == []
    measured = page.evaluate(MEASURE, [0, 44])
    assert measured["taps"] == [], measured["taps"]
    shot(page, "kitchen-round-recorded-phone")

    card.get_by_text("更改结果").click()
    expect(card.locator(".meal-change .hint")).to_contain_text("已提醒网格员上门")
    confirm = card.get_by_role("button", name="确认改为已送达")
    expect(confirm).to_be_visible()
    box = confirm.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 44
    assert axe_serious(page) == []
    shot(page, "kitchen-round-change-phone")
    confirm.click()
    expect(page.locator(".messages li", has_text="已发送")).to_be_visible(timeout=15000)
    IN_FLIGHT.wait_idle()
    page.reload()
    card = page.locator(f"li.meal[data-delivery='{r['not_home'].pk}']")
    expect(card.locator(".status")).to_contain_text("已送达")
    expect(card.locator(".meal-history li")).to_have_count(2)
    expect(card.locator(".meal-history li").nth(1)).to_contain_text("由“不在家”改为“已送达”")
    shot(page, "kitchen-round-changed-phone")
    assert problems == [], problems

    delivery = Delivery.objects.get(pk=r["not_home"].pk)
    assert delivery.outcome == Outcome.DELIVERED
    assert DeliveryEvent.objects.filter(delivery=delivery).count() == 2
    alert = Alert.objects.get(delivery=delivery)
    assert alert.withdrawn_at is not None

    # The grid worker reads what happened on the alert's page, at a desk.
    desk = new_page()
    sign_in(desk, base, people["worker_a"].phone, PASSWORD)
    desk.set_viewport_size({"width": 1440, "height": 900})
    desk.goto(f"{base}/kitchen/alerts/{alert.pk}/")
    history = desk.locator("ol.alert-history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("不在家")
    expect(history.nth(1)).to_contain_text("由“不在家”改为“已送达”")
    expect(desk.get_by_text("已撤销：后来送达")).to_be_visible()
    assert axe_serious(desk) == []
    shot(desk, "kitchen-alert-history-desk")
