"""An independent Open311 client against a real server: `georeport` (PyPI, GeoReport v2 wrapper).

georeport 0.3 reads services, service definitions and requests, in JSON or XML (parsed with
xmltodict). It cannot create requests, so the POST is a plain form-encoded `requests.post`, as
the spec describes it; and, written for the spec's public reads, it sends no api_key on GETs,
which our privacy rule requires: the test shows the 403 a stock client meets, then supplies the
key the way our discovery document tells integrators to.
"""

import gc
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.utils import timezone
from georeport import GeoReport

from tests.cases.conftest import IN_A1, IN_B1
from wangge.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(live_server: Any, keys: dict[str, str]) -> Iterator[str]:
    yield f"{live_server.url}/open311/v2"
    # A response still referenced (an HTTPError keeps one) holds its keep-alive socket open; its
    # server thread would then outlive the session's live server and trip Django's SQLite
    # thread-sharing check at exit. Collecting closes those sockets now.
    gc.collect()


def status_of(refused: pytest.ExceptionInfo[requests.HTTPError]) -> int:
    assert refused.value.response is not None
    return refused.value.response.status_code


def _as_list(value: Any) -> list[Any]:
    # xmltodict gives a dict for one <request>, a list for several.
    return value if isinstance(value, list) else [value]


@pytest.fixture
def with_api_key(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make georeport's GETs carry api_key=…; nothing else about its traffic changes."""

    real_get = requests.get

    def use(key: str) -> None:
        def get(url: str, params: dict[str, str] | None = None, **kw: Any) -> Any:
            return real_get(url, params={**(params or {}), "api_key": key}, **kw)

        monkeypatch.setattr("georeport.georeport.requests.get", get)

    return use


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_lists_services_and_reads_a_definition(server: str, fmt: str) -> None:
    client = GeoReport(server, jurisdiction="410102", output_format=fmt)
    services = client.get_service_list()
    codes = [s["service_code"] for s in services]
    assert codes == ["CSGL-01", "GN-01", "WJ-01", "XF-01"]
    vendor = services[0]
    assert vendor["service_name"] == "占道经营"
    assert vendor["group"] == "城市管理"
    assert str(vendor["metadata"]).lower() == "true"
    assert vendor["type"] == "realtime"

    definition = client.get_service_definition("CSGL-01")
    assert definition["service_code"] == "CSGL-01"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["urgency", "request_type"]
    values = attributes[0]["values"]
    values = values["value"] if fmt == "xml" else values
    assert [(v["key"], v["name"]) for v in values] == [
        ("normal", "一般"), ("urgent", "紧急"), ("emergency", "特急")
    ]  # fmt: skip

    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_definition("NOPE-1")
    assert status_of(refused) == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_back_a_request_it_filed(
    server: str, keys: dict[str, str], with_api_key: Any, fmt: str
) -> None:
    # File one in grid A and one in grid B, form-encoded as the spec describes.
    filed = {}
    for name, (lon, lat) in (("a", IN_A1), ("b", IN_B1)):
        resp = requests.post(
            f"{server}/requests.{fmt}",
            data={"api_key": keys["dispatcher"], "jurisdiction_id": "410102",
                  "service_code": "CSGL-01", "lat": lat, "long": lon,
                  "description": f"{name} 处有人摆摊占道", "attribute[urgency]": "urgent"},
            timeout=10,
        )  # fmt: skip
        assert resp.status_code == 200, resp.text
        filed[name] = Case.objects.get(description=f"{name} 处有人摆摊占道")
    case = filed["a"]

    client = GeoReport(server, jurisdiction="410102", output_format=fmt)
    # As written for the spec's public reads, the client sends no key: our privacy rule says no.
    with pytest.raises(requests.HTTPError) as refused:
        client.get_service_request(case.number)
    assert status_of(refused) == 403

    with_api_key(keys["dispatcher"])
    got = client.get_service_request(case.number)
    assert got["service_request_id"] == case.number
    assert got["status"] == "open"
    assert got["service_code"] == "CSGL-01" and got["service_name"] == "占道经营"
    assert got["description"] == "a 处有人摆摊占道"
    assert float(got["lat"]) == pytest.approx(IN_A1[1])
    assert float(got["long"]) == pytest.approx(IN_A1[0])
    assert case.due_at is not None
    assert got["expected_datetime"] == timezone.localtime(case.due_at).isoformat(timespec="seconds")
    assert got["agency_responsible"] == "碧沙岗第1网格"

    listed = _as_list(client.get_service_requests(service_code="CSGL-01", status="open"))
    assert {r["service_request_id"] for r in listed} == {case.number, filed["b"].number}
    by_id = _as_list(client.get_service_requests(service_request_id=case.number))
    assert [r["service_request_id"] for r in by_id] == [case.number]

    # Grid B's worker, through the same client, sees only grid B's request.
    with_api_key(keys["worker_b"])
    only_b = _as_list(client.get_service_requests())
    assert [r["service_request_id"] for r in only_b] == [filed["b"].number]
    with pytest.raises(requests.HTTPError) as hidden:
        client.get_service_request(case.number)
    assert status_of(hidden) == 404
