"""Property-based testing of /open311/v2/ against its OpenAPI description (wangge.open311.openapi).

No generated request — malformed coordinates, dates, codes, odd path segments, random keys —
may cause a server error, and every answer must use a documented status code, content type and
(for JSON) body shape. Authenticated with a street dispatcher's key as a Bearer header, so the
generated api_key parameter (when present) exercises the refusal path too.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from wangge.open311.openapi import OPENAPI
from wangge.wsgi import application

schema = schemathesis.openapi.from_dict(OPENAPI)
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_test_connection() -> Any:
    """As in tests/test_api_fuzz.py: requests go straight to the WSGI app, whose end-of-request
    handler would otherwise close the test's connection."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(people: dict[str, Any], report: Any) -> str:
    from wangge.accounts.services import api_token_create

    report()  # one case in scope, so reads have something to find
    _row, value = api_token_create(user=people["dispatcher"], name="fuzz")
    return value


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_open311_never_errors_and_keeps_its_promises(case: Any, key: str) -> None:
    case.call_and_validate(
        app=application, headers={"Authorization": f"Bearer {key}"}, checks=CHECKS
    )


def test_a_post_to_an_unknown_resource_is_the_specs_404_not_a_csrf_page(db: Any) -> None:
    from django.test import Client

    resp = Client(enforce_csrf_checks=True).post("/open311/v2/requests.null,null", {"x": "1"})
    assert resp.status_code == 404
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    assert resp.json()[0]["code"] == 404


def test_a_path_no_pattern_matches_still_answers_in_the_specs_format(db: Any) -> None:
    from django.test import Client

    resp = Client().get("/open311/v2/%0Aservices.json")
    assert resp.status_code == 404
    assert resp.json() == [{"code": 404, "description": "未找到"}]
