"""Open311 tests use the case loop's cast and catalogue, plus API keys for some of them."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import catalogue, people, report  # noqa: F401
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create

BASE = "/open311/v2"


@pytest.fixture
def keys(people: dict[str, User]) -> dict[str, str]:  # noqa: F811 (the re-exported fixture)
    """An API key per person who integrates: the street desk, and one worker of each grid."""
    return {
        who: api_token_create(user=people[who], name=f"Open311 {who}")[1]
        for who in ("dispatcher", "worker_a", "worker_b", "admin")
    }


class Open311:
    """A thin test client: GET or POST a resource in a format, parse the answer."""

    def __init__(self) -> None:
        self.client = Client()

    def get(self, resource: str, fmt: str = "json", **params: Any) -> Any:
        return self.client.get(f"{BASE}/{resource}.{fmt}", params)

    def post(self, fmt: str = "json", **form: Any) -> Any:
        return self.client.post(f"{BASE}/requests.{fmt}", form)


@pytest.fixture
def o311() -> Open311:
    return Open311()


def xml_of(resp: Any) -> ET.Element:
    assert resp["Content-Type"] == "text/xml; charset=utf-8"
    assert resp.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(resp.content)  # noqa: S314 (our own server's answer)


def json_error(resp: Any, status: int) -> str:
    assert resp.status_code == status, resp.content.decode()
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    body = resp.json()
    assert isinstance(body, list) and len(body) == 1
    assert body[0]["code"] == status
    assert isinstance(body[0]["description"], str) and body[0]["description"]
    return str(body[0]["description"])


def xml_error(resp: Any, status: int) -> str:
    assert resp.status_code == status, resp.content.decode()
    root = xml_of(resp)
    assert root.tag == "errors"
    error = root.find("error")
    assert error is not None
    assert error.findtext("code") == str(status)
    return error.findtext("description") or ""
