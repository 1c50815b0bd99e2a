"""No Open311 answer carries null. GeoReport v2's machine description most clients are
generated from (SocietyWorks' OpenAPI) types address_id, zipcode, media_url, service_code,
lat/long, expected_datetime, account_id … as a string or a number: a generated client refuses
null, so a field without a value is left out — in JSON, and in XML as no element rather than
an empty one."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db.models import Q

from tests.open311.conftest import Open311, xml_of
from tests.open311.test_requests import file_request
from wangge.cases.models import Case

pytestmark = pytest.mark.django_db


def _nulls(value: Any, where: str = "") -> Iterator[str]:
    if value is None:
        yield where
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _nulls(child, f"{where}.{key}")
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from _nulls(child, f"{where}[{i}]")


def _empty_elements(root: Any) -> list[str]:
    return [e.tag for e in root.iter() if len(e) == 0 and not (e.text or "").strip()]


@pytest.fixture
def sparse_cases(o311: Open311, keys: dict[str, str], report: Any) -> list[Case]:
    """Cases with as little as a case can have: no place or building, no category, no deadline
    yet (waiting for the desk), no photo, besides an ordinary one filed through Open311."""
    ordinary = file_request(o311, keys["dispatcher"])
    bare = report("有人反映情况，地点不详", at=None, category="")
    Case.objects.filter(pk=bare.pk).update(category=None, due_at=None, address="")
    return [ordinary, Case.objects.get(pk=bare.pk)]


def test_a_case_without_place_category_or_deadline_is_answered_without_nulls(
    o311: Open311, keys: dict[str, str], sparse_cases: list[Case]
) -> None:
    bare = sparse_cases[1]
    assert bare.lat is None and bare.category_id is None and bare.due_at is None
    key = keys["admin"]  # the district sees the case nobody has placed yet
    listed = o311.get("requests", api_key=key).json()
    [one] = o311.get(f"requests/{bare.number}", api_key=key).json()
    assert len(listed) == 2 and list(_nulls(listed)) == [] and list(_nulls(one)) == []
    absent = {"service_code", "service_name", "lat", "long", "expected_datetime", "address",
              "address_id", "zipcode", "media_url"}  # fmt: skip
    assert absent.isdisjoint(one)
    assert {"service_request_id", "status", "requested_datetime", "description"} <= set(one)

    for path in ("requests", f"requests/{bare.number}"):
        root = xml_of(o311.get(path, "xml", api_key=key))
        assert _empty_elements(root) == []
    [request] = xml_of(o311.get(f"requests/{bare.number}", "xml", api_key=key)).findall("request")
    assert absent.isdisjoint(child.tag for child in request)


def test_no_answer_of_any_resource_carries_null(
    o311: Open311, keys: dict[str, str], sparse_cases: list[Case]
) -> None:
    key = keys["dispatcher"]
    created = o311.post(
        api_key=key, service_code="CSGL-01", lat="34.752", long="113.601", description="路灯不亮"
    )
    number = created.json()[0]["service_request_id"]
    answers = {
        "discovery": o311.get("discovery"),
        "services": o311.get("services"),
        "definition": o311.get("services/CSGL-01"),
        "created": created,
        "token": o311.get(f"tokens/t{number}", api_key=key),
        "requests": o311.get("requests", api_key=key),
    }
    for name, resp in answers.items():
        assert resp.status_code == 200, (name, resp.content)
        assert list(_nulls(resp.json())) == [], name
    assert "account_id" not in created.json()[0]
    for resource in ("discovery", "services", "services/CSGL-01", f"tokens/t{number}", "requests"):
        root = xml_of(o311.get(resource, "xml", api_key=key))
        assert _empty_elements(root) == [], resource
    assert Case.objects.filter(Q(number=number)).exists()
