"""What a write on /api/v1/ reads its body as: JSON, or the multipart form the operations that
take photos document. Any other body is refused with 415 and a Chinese detail, before it is
read — a `text/plain` body that happens to hold JSON was once parsed as JSON. Open311 under
/open311/ takes form-encoded bodies by its specification and is not affected."""

import json
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import IN_A1, catalogue, people, report  # noqa: F401  (fixtures)
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case

pytestmark = pytest.mark.django_db
ORDER = {
    "order_no": "ZZ20261123000888",
    "content": "伊河路百花里3号楼门口有人摆摊占道",
    "address": "中原区伊河路百花里3号楼",
}
REPORT = {"description": "路灯不亮", "location": {"lon": IN_A1[0], "lat": IN_A1[1]}}


@pytest.fixture
def bearer(people: dict[str, Any]) -> dict[str, str]:  # noqa: F811
    _row, key = api_token_create(user=people["admin"], name="12345 热线")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _refused(resp: Any, media: str) -> None:
    assert resp.status_code == 415, resp.content
    assert resp["Content-Type"].startswith("application/json")
    detail = resp.json()["detail"]
    assert detail.startswith("不支持的请求体类型") and media in detail
    assert "application/json" in detail


@pytest.mark.parametrize(
    "media",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", "text/json"],
)
def test_a_json_body_sent_as_anything_else_is_refused_unread(
    bearer: dict[str, str], media: str
) -> None:
    body = json.dumps(ORDER, ensure_ascii=False)
    resp = Client().post("/api/v1/hotline/orders", body, content_type=media, **bearer)
    _refused(resp, media)
    assert not Case.objects.exists()


def test_json_with_its_charset_is_json(bearer: dict[str, str]) -> None:
    body = json.dumps(ORDER, ensure_ascii=False)
    resp = Client().post(
        "/api/v1/hotline/orders", body, content_type="application/json; charset=utf-8", **bearer
    )
    assert resp.status_code == 201, resp.content


def test_the_intake_takes_its_documented_multipart_form_and_others_do_not(
    bearer: dict[str, str],
) -> None:
    form = {"description": "路灯不亮", "location": json.dumps(REPORT["location"])}
    created = Client().post("/api/v1/cases", form, **bearer)  # multipart/form-data
    assert created.status_code == 201, created.content
    # The 12345 order is JSON only: the same kind of form is not read as an order.
    _refused(Client().post("/api/v1/hotline/orders", ORDER, **bearer), "multipart/form-data")
    assert Case.objects.count() == 1


def test_a_post_with_nothing_in_it_is_not_refused_for_its_type(
    bearer: dict[str, str],
) -> None:
    """Actions without a body (publish, grab …) are posted bare, or as an empty form."""
    empty_form = Client().post("/api/v1/volunteering/tasks/999999/grab", **bearer)
    bare = Client().generic("POST", "/api/v1/volunteering/tasks/999999/grab", **bearer)
    assert empty_form.status_code == bare.status_code == 404  # no such task: read, not refused


def test_every_write_documents_415() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    writes = [
        (method, path, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes and all("415" in op["responses"] for _m, _p, op in writes)
    # The operations that take a phone's form say so, which is what they accept.
    multipart = sorted(
        path
        for _m, path, op in writes
        if "multipart/form-data" in op.get("requestBody", {}).get("content", {})
    )
    assert multipart == [
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/actions",
        "/api/v1/cases/{case_id}/attachments",
        "/api/v1/kitchen/deliveries/{delivery_id}",
        "/api/v1/ledgers/inspections",
        "/api/v1/patrols/{patrol_id}/findings",
        "/api/v1/residents/persons/{person_id}/visits",
    ]


def test_open311_still_takes_its_form_encoded_reports(people: dict[str, Any]) -> None:  # noqa: F811
    _row, key = api_token_create(user=people["dispatcher"], name="Open311")
    resp = Client().post(
        "/open311/v2/requests.json",
        "api_key=" + key + "&service_code=CSGL-01&long=" + str(IN_A1[0]) + "&lat="
        + str(IN_A1[1]) + "&description=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert resp.status_code == 200, resp.content
    assert Case.objects.count() == 1
