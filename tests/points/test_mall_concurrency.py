"""Real parallel HTTP requests on PostgreSQL against the mall's API (DOMAIN.md §6)."""

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.concurrency import POSTGRES_ONLY
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.points.mall import item_restock
from wangge.points.models import Entry, Hold, Item, StockMovement, Transfer, Voucher
from wangge.points.services import wallet_for

pytestmark = [pytest.mark.django_db(transaction=True), POSTGRES_ONLY]


def parallel(n: int, call: Any) -> list[httpx.Response]:
    start = threading.Barrier(n)

    def go(i: int) -> httpx.Response:
        start.wait()  # all leave together
        return call(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(go, range(n)))


def post(url: str, **kwargs: Any) -> httpx.Response:
    """A client that retries a dropped connection with the same body, as a phone app does: 50
    connections at once overflow the test server's accept queue, and the idempotency key is
    what makes the retry safe."""
    for _attempt in range(5):
        try:
            return httpx.post(url, timeout=120, **kwargs)
        except httpx.TransportError:
            continue
    return httpx.post(url, timeout=120, **kwargs)


def bearer(user: User) -> dict[str, str]:
    _token, key = api_token_create(user=user, name="测试")
    return {"Authorization": f"Bearer {key}"}


def test_fifty_redemptions_on_a_balance_for_three_make_three_vouchers(
    mall: dict[str, Any], live_server: Any
) -> None:
    soap: Item = mall["soap"]
    item_restock(item=soap, quantity=90, actor=None)  # stock is not the limit: the balance is
    headers = bearer(mall["resident"])
    url = f"{live_server.url}/api/v1/points/redemptions"
    responses = parallel(
        50,
        lambda n: post(
            url, json={"item_id": soap.pk, "idempotency_key": f"tap-{n}"}, headers=headers
        ),
    )
    won = [r for r in responses if r.status_code in (200, 201)]
    assert len({r.json()["code"] for r in won}) == 3
    assert sum(r.status_code == 409 for r in responses) == 50 - len(won)
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {"活力值不足"}
    assert Voucher.objects.count() == 3
    wallet = wallet_for(mall["resident"])
    assert (wallet.balance, wallet.held) == (300, 300)
    soap.refresh_from_db()
    assert (soap.stock, soap.reserved) == (97, 3)


def test_twenty_repeats_of_one_key_make_one_voucher_and_one_hold(
    mall: dict[str, Any], live_server: Any
) -> None:
    headers = bearer(mall["resident"])
    url = f"{live_server.url}/api/v1/points/redemptions"
    body = {"item_id": mall["soap"].pk, "idempotency_key": "same-tap"}
    responses = parallel(20, lambda _n: httpx.post(url, json=body, headers=headers, timeout=120))
    assert sorted(r.status_code for r in responses) == [200] * 19 + [201]
    assert len({r.json()["code"] for r in responses}) == 1
    assert Voucher.objects.count() == 1 and Hold.objects.count() == 1
    assert Transfer.objects.filter(kind="hold").count() == 1
    assert Entry.objects.filter(transfer__kind="hold").count() == 1
    assert StockMovement.objects.filter(kind="reserve").count() == 1
    assert wallet_for(mall["resident"]).held == 100


def test_twenty_parallel_captures_of_one_voucher_capture_it_once(
    mall: dict[str, Any], live_server: Any
) -> None:
    created = httpx.post(
        f"{live_server.url}/api/v1/points/redemptions",
        json={"item_id": mall["haircut"].pk, "idempotency_key": "haircut"},
        headers=bearer(mall["resident"]),
        timeout=60,
    )
    code = created.json()["code"]
    headers = bearer(mall["clerk"])
    url = f"{live_server.url}/api/v1/points/vouchers/{code}/capture"
    responses = parallel(20, lambda _n: httpx.post(url, headers=headers, timeout=120))
    assert sorted(r.status_code for r in responses) == [200] + [409] * 19
    assert {r.json()["detail"] for r in responses if r.status_code == 409} == {"该兑换券已使用"}
    assert Transfer.objects.filter(kind="capture").count() == 1
    assert StockMovement.objects.filter(kind="handover").count() == 1
    wallet = wallet_for(mall["resident"])
    assert (wallet.balance, wallet.held) == (250, 0)
    mall["barber"].account.refresh_from_db()
    assert mall["barber"].account.balance == 50
