"""Behind nginx, limits, lockouts and the audit log see the resident's address, not nginx's."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from wangge.core.proxy import RealClientAddressMiddleware


def _seen_address(remote: str, real: str | None) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    extra = {"HTTP_X_REAL_IP": real} if real is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **extra)
    RealClientAddressMiddleware(view)(request)
    return seen["addr"]


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_trusted_proxy_passes_the_clients_address() -> None:
    assert _seen_address("127.0.0.1", "203.0.113.7") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.parametrize("header", ["", "not-an-address", "1.2.3.4, 5.6.7.8"])
def test_a_missing_or_garbled_header_keeps_the_proxys_address(header: str) -> None:
    assert _seen_address("127.0.0.1", header) == "127.0.0.1"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_client_cannot_choose_its_own_address() -> None:
    assert _seen_address("198.51.100.2", "203.0.113.7") == "198.51.100.2"


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert _seen_address("127.0.0.1", "203.0.113.7") == "127.0.0.1"
