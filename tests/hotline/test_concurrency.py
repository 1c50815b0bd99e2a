"""Real parallel requests on PostgreSQL: the hotline's retries race, and so do the workers."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from tests.hotline.conftest import ORDERS, Receiver, order
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case
from wangge.hotline.models import Delivery, HotlineOrder
from wangge.hotline.services import HotlineOrderInput, delivery_send, hotline_order_receive

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory shared-cache test database takes table locks; "
        "proven on PostgreSQL",
    ),
]
PARALLEL = 20


def test_twenty_parallel_deliveries_of_one_order_make_one_case(
    people: dict[str, User], live_server: Any
) -> None:
    _token, key = api_token_create(user=people["admin"], name="12345 热线")
    body = json.dumps(order(), ensure_ascii=False).encode()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    start = threading.Barrier(PARALLEL)

    def deliver(_n: int) -> httpx.Response:
        start.wait()  # all twenty leave together
        return httpx.post(f"{live_server.url}{ORDERS}", content=body, headers=headers, timeout=60)

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        responses = list(pool.map(deliver, range(PARALLEL)))
    assert sorted(r.status_code for r in responses) == [200] * (PARALLEL - 1) + [201]
    assert len({r.json()["case_id"] for r in responses}) == 1
    assert Case.objects.count() == 1
    assert Case.objects.get().events.filter(action="intake").count() == 1
    assert HotlineOrder.objects.get().deliveries_count == PARALLEL


def test_workers_sending_the_same_delivery_at_once_send_it_once(
    people: dict[str, User], receiver: Receiver
) -> None:
    case = hotline_order_receive(
        order=HotlineOrderInput(
            order_no="ZZ1",
            content="百花里3号楼门口占道经营",
            address="中原区伊河路百花里3号楼",
            category="CSGL-01",
        ),
        actor=people["admin"],
    ).case
    delivery = Delivery.objects.create(
        case=case,
        order_no="ZZ1",
        kind="accepted",
        payload={"kind": "accepted"},
        state="pending",
        next_attempt_at=timezone.now(),
    )
    receiver.delay = 0.3  # the first sender is still waiting for an answer when the rest arrive
    workers = 8
    start = threading.Barrier(workers)
    results: list[str | None] = []

    def work() -> None:
        try:
            start.wait()
            results.append(delivery_send(delivery_id=delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("sent") == 1 and results.count(None) == workers - 1
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 1)
