"""Filing and reading service requests: POST requests, GET requests (filters, scope, status),
GET requests/{id} and GET tokens/{token}, in JSON and XML."""

import io
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from tests.cases.conftest import IN_A1, IN_B1, crossing_roads
from tests.open311.conftest import BASE, Open311, json_error, xml_error, xml_of
from wangge.accounts.models import ApiToken
from wangge.accounts.services import api_token_revoke
from wangge.cases.models import Case, Channel, Status
from wangge.cases.services import CaseInput, case_act, case_intake, plain_status
from wangge.core.images import clean_images

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
]  # fmt: skip


def file_request(
    o311: Open311,
    key: str,
    at: tuple[float, float] | None = IN_A1,
    code: str = "CSGL-01",
    **form: Any,
) -> Case:
    if at is not None:
        form.setdefault("long", str(at[0]))
        form.setdefault("lat", str(at[1]))
    form.setdefault("description", "小区门口有人摆摊占道，堵住出入口")
    resp = o311.post(api_key=key, service_code=code, **form)
    assert resp.status_code == 200, resp.content.decode()
    return Case.objects.get(number=resp.json()[0]["service_request_id"])


def w3c(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


# --- POST ----------------------------------------------------------------------------------


def test_post_with_lat_long_files_a_dispatched_case(o311: Open311, keys: dict[str, str]) -> None:
    resp = o311.post(
        api_key=keys["dispatcher"], jurisdiction_id="410102", service_code="CSGL-01",
        lat=str(IN_A1[1]), long=str(IN_A1[0]), description="伊河路口有人摆摊，占了盲道",
        first_name="秀兰", last_name="王", phone="139 1234 5678", email="wxl@example.com",
        device_id="dev-1", **{"attribute[urgency]": "urgent", "attribute[request_type]": "投诉"},
    )  # fmt: skip
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    [answer] = resp.json()
    case = Case.objects.get(number=answer["service_request_id"])
    assert answer["token"] == f"t{case.number}"
    assert "account_id" not in answer  # never null: left out (no account is opened)
    assert answer["service_notice"].startswith(f"已受理，编号 {case.number}。办理时限：")
    assert case.channel == Channel.OPEN311 and case.category is not None
    assert case.category.code == "CSGL-01"
    assert (case.lon, case.lat, case.crs_given) == (IN_A1[0], IN_A1[1], "wgs84")
    assert case.micro_grid is not None and case.micro_grid.name == "A1 微网格"
    assert case.status == Status.DISPATCHED and case.due_at is not None
    assert case.reporter_name == "王秀兰" and case.reporter_phone == "13912345678"
    assert (case.urgency, case.request_type) == ("urgent", "投诉")
    assert case.reporter is None  # the token is the integration's, not the resident's


def test_post_with_address_string_in_xml(o311: Open311, keys: dict[str, str]) -> None:
    resp = o311.post(
        "xml", api_key=keys["dispatcher"], service_code="WJ-01",
        address_string="中原区桐柏路123号院5号楼", description="楼顶加盖彩钢房",
        first_name="Lei", last_name="Wu",
    )  # fmt: skip
    assert resp.status_code == 200
    root = xml_of(resp)
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    number = request.findtext("service_request_id")
    case = Case.objects.get(number=number)
    assert request.findtext("token") == f"t{number}"
    assert request.find("account_id") is None
    assert f"编号 {number}" in (request.findtext("service_notice") or "")
    assert case.address == "中原区桐柏路123号院5号楼"
    assert case.building is not None and case.building.code == "TB5"
    assert case.micro_grid is not None and case.micro_grid.name == "B1 微网格"
    assert case.reporter_name == "Lei Wu"


def test_post_with_address_id_uses_the_building(o311: Open311, keys: dict[str, str]) -> None:
    case = file_request(o311, keys["dispatcher"], at=None, address_id="BH3")
    assert case.address == "中原区伊河路百花里3号楼"
    assert case.building is not None and case.building.code == "BH3"


def test_post_without_description_uses_the_service_name(
    o311: Open311, keys: dict[str, str]
) -> None:
    case = file_request(o311, keys["dispatcher"], description="")
    assert case.description == "占道经营（上报时未填写描述）"


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"service_code": ""}, "service_code"),
        ({"service_code": "NOPE-1"}, "NOPE-1"),
        ({"service_code": "CSGL"}, "CSGL"),  # a parent category takes no requests
        ({"lat": "", "long": ""}, "address_string"),
        ({"long": ""}, "lat 与 long"),
        ({"lat": "北纬三十四度"}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"long": "1e400"}, "long"),
        ({"lat": "95"}, "lat"),
        ({"address_id": "NO-SUCH", "lat": "", "long": ""}, "NO-SUCH"),
        ({"phone": "12345"}, "电话号码"),
        ({"attribute[urgency]": "asap"}, "urgency"),
        ({"attribute[request_type]": "抱怨"}, "request_type"),
        ({"description": "长" * 4001}, "4000"),
    ],
)
def test_bad_posts_are_400_in_the_spec_format_and_file_nothing(
    o311: Open311, keys: dict[str, str], form: dict[str, str], words: str
) -> None:
    base = {"api_key": keys["dispatcher"], "service_code": "CSGL-01", "description": "有人摆摊",
            "lat": str(IN_A1[1]), "long": str(IN_A1[0])}  # fmt: skip
    before = Case.objects.count()
    assert words in json_error(o311.post(**{**base, **form}), 400)
    assert words in xml_error(o311.post("xml", **{**base, **form}), 400)
    assert Case.objects.count() == before


@pytest.mark.parametrize("key", [None, "", "wg_not_a_key", "secret"])
def test_post_without_a_valid_api_key_is_403(
    o311: Open311, keys: dict[str, str], key: str | None
) -> None:
    form = {"service_code": "CSGL-01", "lat": str(IN_A1[1]), "long": str(IN_A1[0])}
    if key is not None:
        form["api_key"] = key
    json_error(o311.post(**form), 403)
    xml_error(o311.post("xml", **form), 403)
    assert not Case.objects.exists()


def test_a_revoked_key_is_403(o311: Open311, keys: dict[str, str]) -> None:
    api_token_revoke(token=ApiToken.objects.get(name="Open311 dispatcher"))
    json_error(o311.post(api_key=keys["dispatcher"], service_code="CSGL-01", lat="34.75",
                         long="113.6"), 403)  # fmt: skip
    json_error(o311.get("requests", api_key=keys["dispatcher"]), 403)


def test_post_needs_no_csrf_token(keys: dict[str, str]) -> None:
    client = Client(enforce_csrf_checks=True)
    resp = client.post(f"{BASE}/requests.json", {
        "api_key": keys["dispatcher"], "service_code": "CSGL-01",
        "lat": str(IN_A1[1]), "long": str(IN_A1[0]), "description": "有人摆摊"})  # fmt: skip
    assert resp.status_code == 200


def test_wrong_jurisdiction_is_404(o311: Open311, keys: dict[str, str]) -> None:
    json_error(o311.post(api_key=keys["dispatcher"], jurisdiction_id="sf.gov",
                         service_code="CSGL-01", lat="34.75", long="113.6"), 404)  # fmt: skip
    assert not Case.objects.exists()


# --- GET requests --------------------------------------------------------------------------


def test_a_request_reads_back_with_every_spec_field(o311: Open311, keys: dict[str, str]) -> None:
    case = file_request(o311, keys["dispatcher"], first_name="秀兰", last_name="王",
                        phone="13912345678")  # fmt: skip
    resp = o311.get(f"requests/{case.number}", api_key=keys["dispatcher"])
    assert resp.status_code == 200
    [row] = resp.json()
    # A field without a value is left out, never null: no address, building, zipcode or photo.
    absent = {"address", "address_id", "zipcode", "media_url"}
    assert list(row) == [f for f in FIELDS if f not in absent]
    case.refresh_from_db()
    assert row == {
        "service_request_id": case.number,
        "status": "open",
        "status_notes": plain_status(case),
        "service_name": "占道经营",
        "service_code": "CSGL-01",
        "description": "小区门口有人摆摊占道，堵住出入口",
        "agency_responsible": "碧沙岗第1网格",
        "service_notice": f"办理时限：{timezone.localtime(case.due_at):%Y-%m-%d %H:%M} 前",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.due_at),
        "lat": IN_A1[1],
        "long": IN_A1[0],
    }
    assert row["status_notes"] == "已派给碧沙岗第1网格办理"
    # expected_datetime is the case's resolve deadline, to the second, with the +08:00 offset.
    assert case.due_at is not None
    expected = datetime.fromisoformat(row["expected_datetime"])
    assert expected.utcoffset() == timedelta(hours=8)
    assert expected == case.due_at.replace(microsecond=0)
    # No personal data of the reporter, in any format.
    for fmt in ("json", "xml"):
        body = o311.get(f"requests/{case.number}", fmt, api_key=keys["dispatcher"]).content
        assert "王秀兰".encode() not in body and b"13912345678" not in body


def test_a_request_in_xml(o311: Open311, keys: dict[str, str]) -> None:
    case = file_request(o311, keys["dispatcher"], at=None, address_id="BH3")
    root = xml_of(o311.get(f"requests/{case.number}", "xml", api_key=keys["dispatcher"]))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert [child.tag for child in request] == [
        f for f in FIELDS if f not in ("zipcode", "media_url")
    ]
    case.refresh_from_db()
    assert request.findtext("service_request_id") == case.number
    assert request.findtext("status") == "open"
    assert request.findtext("service_code") == "CSGL-01"
    assert request.findtext("address") == "中原区伊河路百花里3号楼"
    assert request.findtext("address_id") == "BH3"
    assert request.find("zipcode") is None and request.find("media_url") is None
    assert request.findtext("expected_datetime") == w3c(case.due_at)
    assert request.findtext("requested_datetime") == w3c(case.created_at)
    assert case.lat is not None and case.lon is not None
    assert float(request.findtext("lat") or 0) == pytest.approx(case.lat)
    assert float(request.findtext("long") or 0) == pytest.approx(case.lon)


def test_xml_escapes_what_residents_write(o311: Open311, keys: dict[str, str]) -> None:
    text = '井盖<缺失> & "危险"\x0b，请尽快处理]]>'
    case = file_request(o311, keys["dispatcher"], description=text)
    root = xml_of(o311.get(f"requests/{case.number}", "xml", api_key=keys["dispatcher"]))
    assert root.findtext("request/description") == '井盖<缺失> & "危险"，请尽快处理]]>'


def _photo_case(people: dict[str, Any], *, public: bool) -> Case:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 10)).save(out, format="JPEG")
    photo = SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")
    case, _ = case_intake(
        data=CaseInput(description="路灯不亮", category_code="CSGL-01", lon=IN_A1[0], lat=IN_A1[1],
                       public=public),
        actor=people["resident"], photos=clean_images([photo]),
    )  # fmt: skip
    return case


def test_media_url_of_a_public_case_is_its_first_photo_behind_the_checking_view(
    o311: Open311, keys: dict[str, str], people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = _photo_case(people, public=True)
    [row] = o311.get(f"requests/{case.number}", api_key=keys["dispatcher"]).json()
    first = case.attachments.order_by("created_at", "id").first()
    assert first is not None
    assert row["media_url"] == f"http://testserver/media/{first.image.name}"
    # The link is no key to the photo: without credentials it does not exist; with the same
    # api_key as a Bearer header (or a session of someone who may see the case) it opens.
    path = row["media_url"].removeprefix("http://testserver")
    assert Client().get(path).status_code == 404
    resp = Client().get(path, HTTP_AUTHORIZATION=f"Bearer {keys['dispatcher']}")
    assert resp.status_code == 200 and resp["Content-Type"] == "image/jpeg"
    assert b"".join(resp.streaming_content).startswith(b"\xff\xd8")
    assert Client().get(path, HTTP_AUTHORIZATION=f"Bearer {keys['worker_b']}").status_code == 404


def test_media_url_is_withheld_unless_the_reporter_made_the_case_public(
    o311: Open311, keys: dict[str, str], people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    case = _photo_case(people, public=False)
    [row] = o311.get(f"requests/{case.number}", api_key=keys["dispatcher"]).json()
    assert case.attachments.count() == 1 and "media_url" not in row


def _close_through_the_loop(case: Case, people: dict[str, Any]) -> Case:
    for who, action, params in (
        ("worker_a", "sign", {}),
        ("worker_a", "resolve", {"result": "已劝离摊贩"}),
        ("dispatcher", "verify_pass", {}),  # nobody to call back: verification closes it
    ):
        case = case_act(case_id=case.pk, actor=people[who], action=action, params=params)
    return case


def test_status_is_closed_once_the_loop_closes(
    o311: Open311, keys: dict[str, str], people: dict[str, Any]
) -> None:
    case = file_request(o311, keys["dispatcher"])
    key = keys["dispatcher"]
    assert o311.get(f"requests/{case.number}", api_key=key).json()[0]["status"] == "open"
    case = _close_through_the_loop(case, people)
    assert case.status == Status.CLOSED
    [row] = o311.get(f"requests/{case.number}", api_key=key).json()
    assert (row["status"], row["status_notes"]) == ("closed", "已结案")
    root = xml_of(o311.get(f"requests/{case.number}", "xml", api_key=key))
    assert root.findtext("request/status") == "closed"


def test_voided_cases_are_closed_too(
    o311: Open311, keys: dict[str, str], people: dict[str, Any]
) -> None:
    # An address nobody can place waits at the district desk, where the admin voids it.
    case = file_request(o311, keys["admin"], at=None, address_string="火星北路九十九号")
    assert case.status == Status.PENDING
    key = keys["admin"]
    assert o311.get(f"requests/{case.number}", api_key=key).json()[0]["status"] == "open"
    case_act(case_id=case.pk, actor=people["admin"], action="void", note="地址不在本区")
    [row] = o311.get(f"requests/{case.number}", api_key=key).json()
    assert (row["status"], row["status_notes"]) == ("closed", "已作废")


def test_filter_by_status(o311: Open311, keys: dict[str, str], people: dict[str, Any]) -> None:
    key = keys["dispatcher"]
    open_case = file_request(o311, key)
    closed_case = _close_through_the_loop(file_request(o311, key), people)

    def ids(**params: str) -> list[str]:
        return [r["service_request_id"] for r in o311.get("requests", api_key=key, **params).json()]

    assert ids(status="open") == [open_case.number]
    assert ids(status="closed") == [closed_case.number]
    assert ids(status="open,closed") == [closed_case.number, open_case.number]
    assert ids() == [closed_case.number, open_case.number]  # newest first
    assert "pending" in json_error(o311.get("requests", api_key=key, status="pending"), 400)


def test_filter_by_service_code(o311: Open311, keys: dict[str, str]) -> None:
    key = keys["dispatcher"]
    vendor = file_request(o311, key, code="CSGL-01")
    heating = file_request(o311, key, code="GN-01")
    wire = file_request(o311, key, code="XF-01")

    def ids(**params: str) -> set[str]:
        return {r["service_request_id"] for r in o311.get("requests", api_key=key, **params).json()}

    assert ids(service_code="GN-01") == {heating.number}
    assert ids(service_code="CSGL-01,XF-01") == {vendor.number, wire.number}
    assert ids(service_code="NOPE") == set()


def test_filter_by_date_range_and_the_90_day_default(o311: Open311, keys: dict[str, str]) -> None:
    key = keys["dispatcher"]
    now = timezone.now()
    recent = file_request(o311, key)
    month_ago = file_request(o311, key)
    old = file_request(o311, key)
    Case.objects.filter(pk=month_ago.pk).update(created_at=now - timedelta(days=30))
    Case.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=120))

    def ids(fmt: str = "json", **params: str) -> list[str]:
        resp = o311.get("requests", fmt, api_key=key, **params)
        assert resp.status_code == 200, resp.content.decode()
        if fmt == "xml":
            return [r.findtext("service_request_id") or "" for r in xml_of(resp)]
        return [r["service_request_id"] for r in resp.json()]

    # No dates: the most recent 90 days.
    assert ids() == [recent.number, month_ago.number]
    local = timezone.localtime(now)
    start = (local - timedelta(days=40)).isoformat(timespec="seconds")
    end = (local - timedelta(days=20)).isoformat(timespec="seconds")
    assert ids(start_date=start, end_date=end) == [month_ago.number]
    assert ids("xml", start_date=start, end_date=end) == [month_ago.number]
    # UTC with Z works the same; so does a "+08:00" that lost its "+" to form decoding.
    start_z = (now - timedelta(days=130)).astimezone(ZoneInfo("UTC"))
    assert ids(start_date=start_z.strftime("%Y-%m-%dT%H:%M:%SZ")) == [old.number]
    assert ids(start_date=start.replace("+", " "), end_date=end.replace("+", " ")) == [
        month_ago.number
    ]
    # A start alone opens a 90-day window from it; an end alone, the 90 days before it.
    assert ids(start_date=(local - timedelta(days=35)).isoformat()) == [
        recent.number, month_ago.number
    ]  # fmt: skip
    assert ids(end_date=end) == [month_ago.number]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45T00:00:00Z"}, "end_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "早于"),
    ],
)
def test_bad_dates_are_400_not_500(
    o311: Open311, keys: dict[str, str], params: dict[str, str], words: str
) -> None:
    assert words in json_error(o311.get("requests", api_key=keys["dispatcher"], **params), 400)
    assert words in xml_error(
        o311.get("requests", "xml", api_key=keys["dispatcher"], **params), 400
    )


def test_filter_by_a_list_of_ids_overrides_the_rest(o311: Open311, keys: dict[str, str]) -> None:
    key = keys["dispatcher"]
    first, second, third = (file_request(o311, key) for _ in range(3))
    Case.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=400))
    resp = o311.get("requests", api_key=key, service_request_id=f"{first.number},{third.number}",
                    status="closed", service_code="GN-01")  # fmt: skip
    assert [r["service_request_id"] for r in resp.json()] == [third.number, first.number]
    assert second.number not in resp.content.decode()


def test_get_requests_needs_an_api_key(o311: Open311, keys: dict[str, str]) -> None:
    file_request(o311, keys["dispatcher"])
    assert "api_key" in json_error(o311.get("requests"), 403)
    xml_error(o311.get("requests", "xml", api_key="wg_forged"), 403)
    number = Case.objects.get().number
    json_error(o311.get(f"requests/{number}"), 403)
    json_error(o311.get(f"tokens/t{number}"), 403)


def test_the_key_may_come_as_a_bearer_header(o311: Open311, keys: dict[str, str]) -> None:
    case = file_request(o311, keys["dispatcher"])
    resp = o311.client.get(f"{BASE}/requests/{case.number}.json",
                           headers={"Authorization": f"Bearer {keys['dispatcher']}"})  # fmt: skip
    assert resp.status_code == 200 and resp.json()[0]["service_request_id"] == case.number


def test_a_worker_of_grid_b_sees_nothing_of_grid_a(o311: Open311, keys: dict[str, str]) -> None:
    in_a = file_request(o311, keys["dispatcher"], at=IN_A1, description="A网格：周敏负责")
    in_b = file_request(o311, keys["dispatcher"], at=IN_B1, description="B网格：吴磊负责")
    assert in_a.number and in_b.number

    def listed(who: str, fmt: str = "json") -> str:
        resp = o311.get("requests", fmt, api_key=keys[who])
        assert resp.status_code == 200
        return resp.content.decode()

    assert in_b.number in listed("worker_b") and in_a.number not in listed("worker_b")
    assert "A网格" not in listed("worker_b") and "A网格" not in listed("worker_b", "xml")
    assert in_a.number in listed("worker_a") and in_b.number not in listed("worker_a")
    # Asking for it by number, in a list, or by token: as if it did not exist.
    key_b = keys["worker_b"]
    assert o311.get("requests", api_key=key_b, service_request_id=in_a.number).json() == []
    json_error(o311.get(f"requests/{in_a.number}", api_key=key_b), 404)
    xml_error(o311.get(f"requests/{in_a.number}", "xml", api_key=key_b), 404)
    json_error(o311.get(f"tokens/t{in_a.number}", api_key=key_b), 404)
    # The street desk sees both.
    assert in_a.number in listed("dispatcher") and in_b.number in listed("dispatcher")


def test_unknown_request_is_404(o311: Open311, keys: dict[str, str]) -> None:
    json_error(o311.get("requests/20990101000001", api_key=keys["dispatcher"]), 404)
    xml_error(o311.get("requests/20990101000001", "xml", api_key=keys["dispatcher"]), 404)


def test_tokens_resolve_to_the_request(o311: Open311, keys: dict[str, str]) -> None:
    key = keys["dispatcher"]
    resp = o311.post(api_key=key, service_code="CSGL-01", lat=str(IN_A1[1]), long=str(IN_A1[0]),
                     description="有人摆摊")  # fmt: skip
    [answer] = resp.json()
    token, number = answer["token"], answer["service_request_id"]
    assert o311.get(f"tokens/{token}", api_key=key).json() == [
        {"service_request_id": number, "token": token}
    ]
    root = xml_of(o311.get(f"tokens/{token}", "xml", api_key=key))
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == number
    assert root.findtext("request/token") == token
    for unknown in ("t20990101000001", number, "x" + number):
        json_error(o311.get(f"tokens/{unknown}", api_key=key), 404)
    xml_error(o311.get("tokens/t1", "xml", api_key=key), 404)


def test_the_list_costs_the_same_queries_for_1_or_20_requests(
    o311: Open311, keys: dict[str, str]
) -> None:
    key = keys["dispatcher"]

    def queries_for_list(expected: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert len(o311.get("requests", api_key=key).json()) == expected
        return len(ctx.captured_queries)

    file_request(o311, key)
    one = queries_for_list(1)
    for _ in range(19):
        file_request(o311, key)
    assert queries_for_list(20) == one <= 8


def _copies(case: Case, n: int) -> None:
    fields = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields
              if f.attname not in ("id", "number", "external_id")}  # fmt: skip
    Case.objects.bulk_create(Case(**fields, number=f"29990101{i:06d}") for i in range(n))


def test_pages_of_100_and_at_most_1000_results(
    o311: Open311, keys: dict[str, str], people: dict[str, Any]
) -> None:
    key = keys["dispatcher"]
    _copies(file_request(o311, key), 1001)  # 1,002 requests
    first = o311.get("requests", api_key=key)
    assert len(first.json()) == 100
    assert first["Link"].endswith('?page=2>; rel="next"') and "api_key" not in first["Link"]
    assert len(o311.get("requests", api_key=key, page_size="1000").json()) == 1000
    # More than the spec's cap is the cap.
    assert len(o311.get("requests", api_key=key, page_size="5000").json()) == 1000
    last = o311.get("requests", api_key=key, page_size="1000", page="2")
    assert len(last.json()) == 2 and not last.has_header("Link")
    assert o311.get("requests", api_key=key, page="99").json() == []


def test_pages_follow_each_other_without_gaps_or_repeats(
    o311: Open311, keys: dict[str, str]
) -> None:
    key = keys["dispatcher"]
    _copies(file_request(o311, key), 24)  # 25 requests, many with the same created_at
    seen: list[str] = []
    for page in range(1, 5):
        rows = o311.get("requests", api_key=key, page_size="7", page=str(page)).json()
        seen += [r["service_request_id"] for r in rows]
    assert len(seen) == len(set(seen)) == 25
    everything = o311.get("requests", api_key=key, page_size="1000").json()
    assert seen == [r["service_request_id"] for r in everything]
    root = xml_of(o311.get("requests", "xml", api_key=key, page_size="7", page="4"))
    assert len(root.findall("request")) == 4


@pytest.mark.parametrize("bad", ["0", "-1", "x", "1.5"])
def test_bad_paging_is_400(o311: Open311, keys: dict[str, str], bad: str) -> None:
    assert "page" in json_error(o311.get("requests", api_key=keys["dispatcher"], page=bad), 400)
    json_error(o311.get("requests", api_key=keys["dispatcher"], page_size=bad), 400)


def test_a_key_reads_back_the_requests_it_filed(
    o311: Open311, keys: dict[str, str], people: dict[str, Any]
) -> None:
    from wangge.accounts.services import api_token_create

    # A resident's app: its key's user is nobody's staff and not the report's named reporter.
    _, key = api_token_create(user=people["resident"], name="app")
    mine = file_request(o311, key, first_name="秀兰", last_name="王")
    assert mine.reporter_id is None
    other = file_request(o311, keys["worker_a"])
    assert [r["service_request_id"] for r in o311.get("requests", api_key=key).json()] == [
        mine.number
    ]
    [row] = o311.get(f"requests/{mine.number}", api_key=key).json()
    assert row["service_request_id"] == mine.number and row["status"] == "open"
    [tok] = o311.get(f"tokens/t{mine.number}", api_key=key).json()
    assert tok == {"service_request_id": mine.number, "token": f"t{mine.number}"}
    # What someone else filed stays out of its reach.
    json_error(o311.get(f"requests/{other.number}", api_key=key), 404)
    json_error(o311.get(f"tokens/t{other.number}", api_key=key), 404)


def test_a_page_of_100_costs_at_most_5_queries(
    o311: Open311, keys: dict[str, str], people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    key = keys["dispatcher"]
    _copies(file_request(o311, key), 150)
    public = file_request(o311, key)
    Case.objects.filter(pk=public.pk).update(is_public=True)
    o311.get("requests", api_key=key)  # the key's user is cached from here on, as in use
    with django_assert_max_num_queries(5):
        rows = o311.get("requests", api_key=key).json()
    assert len(rows) == 100
    for fmt in ("json", "xml"):
        with django_assert_max_num_queries(5):
            assert o311.get(f"requests/{public.number}", fmt, api_key=key).status_code == 200


def test_naive_dates_are_read_as_beijing_time(o311: Open311, keys: dict[str, str]) -> None:
    case = file_request(o311, keys["dispatcher"])
    created = datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI)
    Case.objects.filter(pk=case.pk).update(created_at=created)
    resp = o311.get("requests", api_key=keys["dispatcher"], start_date="2026-03-01",
                    end_date="2026-03-01T09:00:00")  # fmt: skip
    assert resp.json() == []  # midnight to 09:00 Beijing time, before 09:30
    resp = o311.get("requests", api_key=keys["dispatcher"], start_date="2026-03-01T09:00:00",
                    end_date="2026-03-01T10:00:00")  # fmt: skip
    assert [r["service_request_id"] for r in resp.json()] == [case.number]
    assert resp.json()[0]["requested_datetime"] == "2026-03-01T09:30:00+08:00"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_page_is_planned_for_its_dates_and_is_never_a_prepared_statement(
    o311: Open311, keys: dict[str, str]
) -> None:
    """A prepared statement may be run with a generic plan that ignores the date window; the
    list runs unprepared, however often a connection serves it, and leaves preparing on for
    everything else."""
    key = keys["dispatcher"]
    file_request(o311, key)
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 3):
        assert len(o311.get("requests", api_key=key, page_size=1000).json()) == 1
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cur.fetchall()]
    pages = [s for s in prepared if '"cases_case"."created_at" >= $' in s and "LIMIT" in s]
    assert pages == []
    assert connection.connection.prepare_threshold == threshold
    # Preparing still works for the rest: the statements run as often were prepared.
    assert prepared


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan cache")
@pytest.mark.django_db(transaction=True)
def test_a_write_keeps_prepared_plans_and_a_read_plans_for_its_values(
    o311: Open311, keys: dict[str, str]
) -> None:
    """Re-planning each prepared INSERT and foreign-key check was a third of the database's CPU
    per POST; a generic plan cannot read a street's LIKE prefix. So a write request runs the
    connection with `auto` and the next read puts it back to plans made for the values."""

    def plan_cache_mode() -> str:
        with connection.cursor() as cur:
            cur.execute("SHOW plan_cache_mode")
            return str(cur.fetchone()[0])

    key = keys["dispatcher"]
    assert o311.get("requests", api_key=key).json() == []
    assert plan_cache_mode() == "force_custom_plan"
    case = file_request(o311, key)
    assert plan_cache_mode() == "auto"
    assert [r["service_request_id"] for r in o311.get("requests", api_key=key).json()] == [
        case.number
    ]
    assert plan_cache_mode() == "force_custom_plan"


def test_an_address_string_describing_a_crossings_corner_is_placed_there(
    o311: Open311, keys: dict[str, str]
) -> None:
    crossing_roads()
    case = file_request(
        o311, keys["dispatcher"], at=None, address_string="建设路与桐柏路交叉口东北角"
    )
    assert case.micro_grid is not None and case.micro_grid.name == "B1 微网格"
    assert case.place_phrase == "建设路与桐柏路交叉口东北角"
    [request] = o311.get(f"requests/{case.number}", api_key=keys["dispatcher"]).json()
    assert 113.604 < float(request["long"]) < 113.6045
    assert 34.7525 < float(request["lat"]) < 34.753
