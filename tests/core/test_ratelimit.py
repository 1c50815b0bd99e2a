"""Whom a limit counts: the API token, else the signed-in person, else (only for anonymous
requests) the address. Exercised through wangge.core.ratelimit and the JSON API."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client, RequestFactory

from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.core.ratelimit import RateLimited, rate_limit, requester_key


@pytest.fixture
def limited(settings: Any) -> Iterator[None]:
    settings.RATELIMIT_ENABLE = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "case_intake": "2/h"}
    cache.clear()
    yield
    cache.clear()


def anonymous(address: str) -> Any:
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


def allowed(request: Any) -> bool:
    try:
        rate_limit(request, "case_intake")
    except RateLimited:
        return False
    return True


def test_anonymous_requests_are_counted_per_address(limited: None) -> None:
    assert requester_key(anonymous("10.0.0.1")) is None
    assert [allowed(anonymous("10.0.0.1")) for _ in range(3)] == [True, True, False]
    assert allowed(anonymous("10.0.0.2"))  # another address has its own allowance


@pytest.mark.django_db
def test_a_signed_in_person_is_counted_wherever_they_are(limited: None) -> None:
    person = User.objects.create_user("13800009001", "pw-123456789")
    requests = []
    for address in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        request = RequestFactory().post("/", REMOTE_ADDR=address)
        request.user = person
        requests.append(request)
    assert requester_key(requests[0]) == f"user:{person.pk}"
    assert [allowed(r) for r in requests] == [True, True, False]
    # A neighbour behind the same address is not refused for it.
    neighbour = RequestFactory().post("/", REMOTE_ADDR="10.0.0.3")
    neighbour.user = User.objects.create_user("13800009002", "pw-123456789")
    assert allowed(neighbour)


@pytest.mark.django_db
def test_api_tokens_are_counted_per_token_by_the_row_id_not_the_key(limited: None) -> None:
    from wangge.api import BearerToken

    owner = User.objects.create_user("13800009003", "pw-123456789")
    token, key = api_token_create(user=owner, name="App")
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    assert BearerToken().authenticate(request, key) == owner
    assert requester_key(request) == f"token:{token.pk}"
    rate_limit(request, "case_intake")
    # The counters (Redis in production) never hold the key itself.
    stored = repr(list(cache._cache.items()))  # type: ignore[attr-defined]
    assert key.removeprefix(f"wg_{token.prefix}_") not in stored


@pytest.mark.django_db
def test_the_json_api_counts_two_tokens_of_one_server_apart(limited: None) -> None:
    owner = User.objects.create_user("13800009004", "pw-123456789")
    _a, first = api_token_create(user=owner, name="App A")
    _b, second = api_token_create(user=owner, name="App B")
    body = {"description": "楼道灯坏了"}

    def post(key: str) -> int:
        client = Client(REMOTE_ADDR="10.0.0.9", HTTP_AUTHORIZATION=f"Bearer {key}")
        return client.post("/api/v1/cases", body, content_type="application/json").status_code

    assert [post(first) for _ in range(3)] == [201, 201, 429]
    assert post(second) == 201
