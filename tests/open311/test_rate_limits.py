"""Open311 reports count against the client's api_key, not the address it posts from: an app
posting for many residents from one server must not share one allowance with every other app
on that server, and moving between addresses must not buy a key a fresh allowance."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from tests.cases.conftest import IN_A1
from tests.open311.conftest import BASE
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case


@pytest.fixture
def limited(settings: Any) -> Iterator[None]:
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "case_intake": "2/h"}
    cache.clear()
    yield
    cache.clear()


def post(key: str, address: str, n: int) -> Any:
    return Client(REMOTE_ADDR=address).post(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "service_code": "CSGL-01",
            "long": str(IN_A1[0]),
            "lat": str(IN_A1[1]),
            "description": f"小区门口有人摆摊占道，第{n}次反映",
        },
    )


def test_two_keys_from_one_address_each_get_their_own_allowance(
    people: dict[str, User], catalogue: Any, limited: None
) -> None:
    # Two apps of the same street desk, run from one server.
    _t1, first = api_token_create(user=people["dispatcher"], name="随手拍 App")
    _t2, second = api_token_create(user=people["dispatcher"], name="社区公众号")
    assert [post(first, "10.1.1.1", n).status_code for n in range(3)] == [200, 200, 429]
    refused = post(first, "10.1.1.1", 4)
    assert refused.json() == [{"code": 429, "description": "操作过于频繁，请稍后再试"}]
    assert [post(second, "10.1.1.1", n).status_code for n in range(2)] == [200, 200]
    assert Case.objects.count() == 4


def test_one_key_from_two_addresses_shares_one_allowance(
    people: dict[str, User], catalogue: Any, limited: None
) -> None:
    _token, key = api_token_create(user=people["dispatcher"], name="随手拍 App")
    assert post(key, "10.1.1.1", 1).status_code == 200
    assert post(key, "10.2.2.2", 2).status_code == 200
    assert post(key, "10.3.3.3", 3).status_code == 429
    assert Case.objects.count() == 2


def test_a_key_in_the_authorization_header_counts_the_same(
    people: dict[str, User], catalogue: Any, limited: None
) -> None:
    _token, key = api_token_create(user=people["dispatcher"], name="随手拍 App")
    form = {"service_code": "CSGL-01", "long": str(IN_A1[0]), "lat": str(IN_A1[1])}
    header = Client(REMOTE_ADDR="10.9.9.9", HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"{BASE}/requests.json"
    assert header.post(url, {**form, "description": "占道一"}).status_code == 200
    assert post(key, "10.1.1.1", 2).status_code == 200
    assert header.post(url, {**form, "description": "占道三"}).status_code == 429
