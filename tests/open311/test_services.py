"""Discovery, the service list and service definitions, in JSON and XML."""

from typing import Any

import pytest

from tests.conftest import STREET, box, feature
from tests.open311.conftest import Open311, json_error, xml_error, xml_of
from wangge.cases.models import Category
from wangge.grids import indexes
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import


def test_discovery_json_names_this_endpoint_and_the_privacy_rule(o311: Open311, db: Any) -> None:
    resp = o311.get("discovery")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    body = resp.json()
    assert set(body) == {"changeset", "contact", "key_service", "endpoints"}
    assert body["changeset"] == "2026-11-21T00:00:00+08:00"
    assert "api_key" in body["key_service"] and "管辖范围" in body["key_service"]
    [endpoint] = body["endpoints"]
    assert endpoint == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2/",
        "changeset": "2026-11-21T00:00:00+08:00",
        "type": "production",
        "formats": ["text/xml", "application/json"],
    }


def test_discovery_xml(o311: Open311, db: Any) -> None:
    root = xml_of(o311.get("discovery", "xml"))
    assert root.tag == "discovery"
    assert root.findtext("changeset") == "2026-11-21T00:00:00+08:00"
    assert root.findtext("contact")
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint.findtext("url") == "http://testserver/open311/v2/"
    assert endpoint.findtext("type") == "production"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_services_are_the_active_leaf_categories(
    o311: Open311, catalogue: dict[str, Category]
) -> None:
    Category.objects.create(code="ZZ-01", name="已停用分类", is_active=False)
    body = o311.get("services").json()
    # 城市管理 (CSGL) has children and 已停用分类 is inactive: neither can take a request.
    assert [s["service_code"] for s in body] == ["CSGL-01", "GN-01", "WJ-01", "XF-01"]
    vendor = body[0]
    assert vendor == {
        "service_code": "CSGL-01",
        "service_name": "占道经营",
        "description": "占道经营。责任部门：城管局。办理时限：7个工作日。",
        "metadata": True,
        "type": "realtime",
        "keywords": "摆摊,占道",
        "group": "城市管理",
    }
    heating = body[1]
    assert heating["description"] == "暖气不热。责任部门：属地网格。办理时限：24个自然小时。"
    assert "group" not in heating  # a top-level category: no group, and never null


def test_services_xml(o311: Open311, catalogue: dict[str, Category]) -> None:
    root = xml_of(o311.get("services", "xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert [s.findtext("service_code") for s in services] == ["CSGL-01", "GN-01", "WJ-01", "XF-01"]
    vendor = services[0]
    assert vendor.findtext("service_name") == "占道经营"
    assert vendor.findtext("metadata") == "true"
    assert vendor.findtext("type") == "realtime"
    assert vendor.findtext("keywords") == "摆摊,占道"
    assert vendor.findtext("group") == "城市管理"
    assert vendor.findtext("description") == "占道经营。责任部门：城管局。办理时限：7个工作日。"
    assert services[1].find("group") is None


URGENCY = [
    {"key": "normal", "name": "一般"},
    {"key": "urgent", "name": "紧急"},
    {"key": "emergency", "name": "特急"},
]
REQUEST_TYPES = ["咨询", "求助", "投诉", "建议", "举报", "表扬"]


def test_service_definition_json(o311: Open311, catalogue: dict[str, Category]) -> None:
    resp = o311.get("services/CSGL-01")
    assert resp.status_code == 200
    body = resp.json()
    assert body["service_code"] == "CSGL-01"
    urgency, request_type = body["attributes"]
    assert urgency == {
        "variable": True,
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": False,
        "order": 1,
        "description": "紧急程度（不填按本类事件默认：一般）",
        "values": URGENCY,
    }
    assert request_type["code"] == "request_type"
    assert request_type["order"] == 2 and request_type["required"] is False
    assert [v["name"] for v in request_type["values"]] == REQUEST_TYPES


def test_service_definition_xml(o311: Open311, catalogue: dict[str, Category]) -> None:
    root = xml_of(o311.get("services/GN-01", "xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "GN-01"
    attrs = root.findall("attributes/attribute")
    assert [a.findtext("code") for a in attrs] == ["urgency", "request_type"]
    urgency = attrs[0]
    assert urgency.findtext("variable") == "true"
    assert urgency.findtext("required") == "false"
    assert urgency.findtext("datatype") == "singlevaluelist"
    assert urgency.findtext("order") == "1"
    values = [(v.findtext("key"), v.findtext("name")) for v in urgency.findall("values/value")]
    assert values == [(v["key"], v["name"]) for v in URGENCY]
    assert [v.findtext("key") for v in attrs[1].findall("values/value")] == REQUEST_TYPES


@pytest.mark.parametrize("code", ["NOPE-99", "CSGL"])  # unknown, and a parent category
def test_unknown_service_code_is_404_in_both_formats(
    o311: Open311, catalogue: dict[str, Category], code: str
) -> None:
    assert code in json_error(o311.get(f"services/{code}"), 404)
    assert code in xml_error(o311.get(f"services/{code}", "xml"), 404)


def test_unknown_format_is_404_in_json(o311: Open311, catalogue: dict[str, Category]) -> None:
    for resource in ("services", "discovery", "services/CSGL-01", "requests", "tokens/t1"):
        assert "csv" in json_error(o311.get(resource, "csv"), 404)


def test_unknown_resources_are_404_in_the_spec_format(o311: Open311, db: Any) -> None:
    json_error(o311.client.get("/open311/v2/"), 404)
    json_error(o311.client.get("/open311/v2/nothing/here.json"), 404)
    xml_error(o311.client.get("/open311/v2/nothing.xml"), 404)


def test_jurisdiction_is_ours_or_absent(
    o311: Open311, catalogue: dict[str, Category], tree: dict[str, GridNode]
) -> None:
    """The jurisdictions are the districts of the imported tree, each by its code."""
    assert o311.get("services").status_code == 200
    assert o311.get("services", jurisdiction_id="410102").status_code == 200
    refused = json_error(o311.get("services", jurisdiction_id="410103"), 404)
    assert "410103" in refused and "中原区（410102）" in refused
    assert "410103" in xml_error(o311.get("services", "xml", jurisdiction_id="410103"), 404)
    # A street is not a jurisdiction.
    json_error(o311.get("services", jurisdiction_id=STREET), 404)
    # A second district imported beside the first is served too, by its own code.
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature("410103", "二七区", "district", None, box(113.55, 34.60, 113.68, 34.70))
            ],
        }
    )
    indexes.invalidate()
    assert o311.get("services", jurisdiction_id="410103").status_code == 200
    refused = json_error(o311.get("services", jurisdiction_id="410105"), 404)
    assert "中原区（410102）、二七区（410103）" in refused


def test_other_methods_are_refused_in_the_spec_format(o311: Open311, db: Any) -> None:
    resp = o311.client.post("/open311/v2/services.xml")
    xml_error(resp, 405)
    assert resp["Allow"] == "GET, HEAD"
    json_error(o311.client.delete("/open311/v2/requests.json"), 405)
