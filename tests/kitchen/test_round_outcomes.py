"""红色厨房's round when an outcome is already recorded: one tap must not overwrite it.

A 不在家 has already told the grid worker to visit and texted the family. Changing it is a rule
of the server, not only of the page: without `confirm` the change is refused (409 over the API,
a message on the page) and nothing is undone; with it the change is made, the history keeps
both records for the grid worker to read, the alert is withdrawn and those it reached are told.
The households still waiting are listed first on the round."""

import re
import uuid
from typing import Any

import pytest
from django.test import Client

from tests.kitchen.conftest import two_more_households
from wangge.accounts.models import User
from wangge.kitchen.models import Alert, Delivery, DeliveryEvent, Outcome
from wangge.kitchen.services import (
    OutcomeChangeUnconfirmed,
    delivery_record,
)
from wangge.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _not_home(lunch: dict[str, Any]) -> Delivery:
    return delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.NOT_HOME
    )


def test_a_recorded_not_home_is_not_overwritten_without_confirming(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    delivery = _not_home(lunch)
    with pytest.raises(OutcomeChangeUnconfirmed) as refused:
        delivery_record(
            actor=lunch["deliverer"], delivery_id=delivery.pk, outcome=Outcome.DELIVERED
        )
    # The refusal says what the change would undo.
    assert "网格员已收到上门提醒" in str(refused.value.message)
    assert "更改结果" in str(refused.value.message)
    delivery.refresh_from_db()
    assert delivery.outcome == Outcome.NOT_HOME
    assert Alert.objects.get().withdrawn_at is None
    assert len(texts) == 1


def test_the_same_outcome_again_is_the_record_already_kept(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    delivery = _not_home(lunch)
    recorded_at = delivery.recorded_at
    again = _not_home(lunch)
    assert again.recorded_at == recorded_at
    assert DeliveryEvent.objects.count() == 1 and Alert.objects.count() == 1 and len(texts) == 1


def test_a_confirmed_change_keeps_the_history_and_tells_who_the_alert_reached(
    lunch: dict[str, Any], people: dict[str, User], texts: list[tuple[str, str]]
) -> None:
    delivery = _not_home(lunch)
    delivery_record(
        actor=lunch["deliverer"],
        delivery_id=delivery.pk,
        outcome=Outcome.DELIVERED,
        confirm=True,
    )
    delivery.refresh_from_db()
    assert delivery.outcome == Outcome.DELIVERED
    history = list(
        DeliveryEvent.objects.filter(delivery=delivery).values_list("replaced", "outcome")
    )
    assert history == [("", Outcome.NOT_HOME), (Outcome.NOT_HOME, Outcome.DELIVERED)]
    alert = Alert.objects.get()
    assert alert.withdrawn_at is not None
    # The grid worker is told not to go; the family, texted before, is told it arrived.
    told = Notification.objects.filter(recipient=people["worker_a"]).values_list("title", flat=True)
    assert any("后来已送达" in t for t in told), list(told)
    assert len(texts) == 2 and "后来已送到" in texts[1][1]

    # The grid worker reads both records on the alert's page.
    page = _client(people["worker_a"]).get(f"/kitchen/alerts/{alert.pk}/").content.decode()
    history_html = re.search(r'<ol class="meal-history alert-history">(.*?)</ol>', page, re.S)
    assert history_html is not None
    items = re.findall(r"<li>(.*?)</li>", history_html.group(1), re.S)
    assert len(items) == 2
    assert "不在家" in items[0] and "由“不在家”改为“已送达”" in items[1]
    # And on the plan's page.
    plan_page = _client(people["worker_a"]).get(f"/kitchen/plans/{lunch['plan'].pk}/")
    assert "由“不在家”改为“已送达”" in plan_page.content.decode()


def test_changed_back_to_not_home_the_alert_stands_again(
    lunch: dict[str, Any], people: dict[str, User], texts: list[tuple[str, str]]
) -> None:
    delivery = _not_home(lunch)
    for outcome in (Outcome.DELIVERED, Outcome.REFUSED):
        delivery_record(
            actor=lunch["deliverer"], delivery_id=delivery.pk, outcome=outcome, confirm=True
        )
    alert = Alert.objects.get()
    assert alert.withdrawn_at is None and alert.reason == Outcome.REFUSED
    assert DeliveryEvent.objects.filter(delivery=delivery).count() == 3


def test_over_the_api_a_change_needs_confirm(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    c = _client(lunch["deliverer"])
    url = f"/api/v1/kitchen/deliveries/{lunch['delivery'].pk}"
    owner = {"X-Outbox-Owner": str(lunch["deliverer"].pk)}
    first = c.post(
        url, {"outcome": "not_home"}, headers={"Idempotency-Key": str(uuid.uuid4()), **owner}
    )
    assert first.status_code == 200
    # The phone's form as the round sends it from the three buttons: refused, and said why.
    tap = c.post(
        url, {"outcome": "delivered"}, headers={"Idempotency-Key": str(uuid.uuid4()), **owner}
    )
    assert tap.status_code == 409 and "更改结果" in tap.json()["detail"]
    assert Delivery.objects.get().outcome == Outcome.NOT_HOME
    # From 更改结果: the form carries confirm.
    meant = c.post(
        url,
        {"outcome": "delivered", "confirm": "1"},
        headers={"Idempotency-Key": str(uuid.uuid4()), **owner},
    )
    assert meant.status_code == 200 and meant.json()["outcome"] == "delivered"


def test_the_page_without_script_refuses_an_unconfirmed_change(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    _not_home(lunch)
    c = _client(lunch["deliverer"])
    url = f"/kitchen/deliveries/{lunch['delivery'].pk}/"
    page = c.post(url, {"outcome": "delivered"}, follow=True).content.decode()
    assert "更改结果" in page
    assert Delivery.objects.get().outcome == Outcome.NOT_HOME
    c.post(url, {"outcome": "delivered", "confirm": "1"})
    assert Delivery.objects.get().outcome == Outcome.DELIVERED


def test_the_round_lists_the_households_still_waiting_first(
    lunch: dict[str, Any],
    people: dict[str, User],
    kitchen: Any,
    register: dict[str, Any],
    texts: list[tuple[str, str]],
) -> None:
    """Three households of the round, two recorded: the one still waiting (which the old order
    by address put last) is at the top, and a recorded one offers 更改结果, not three buttons."""
    first, second, last = two_more_households(people, register, kitchen, lunch)
    _not_home(lunch)
    delivery_record(actor=lunch["deliverer"], delivery_id=second.pk, outcome=Outcome.DELIVERED)
    rounds = _client(lunch["deliverer"]).get("/kitchen/rounds/").content.decode()
    cards = re.findall(
        r'<li class="case-card meal" data-delivery="(\d+)" data-outcome="(\w+)"', rounds
    )
    assert cards[0] == (str(last.pk), "pending")
    assert {pk for pk, _outcome in cards[1:]} == {str(first.pk), str(second.pk)}
    card = re.search(rf'data-delivery="{first.pk}".*?</li>', rounds, re.S)
    assert card is not None
    assert "更改结果" in card.group(0) and "确认改为已送达" in card.group(0)
    assert ">不在家</button>" not in card.group(0)  # no one-tap button on a recorded meal
    waiting = re.search(rf'data-delivery="{last.pk}".*?</li>', rounds, re.S)
    assert waiting is not None and ">不在家</button>" in waiting.group(0)
