"""The cases API: intake with photos, scoped lists, detail, timeline, actions and their errors."""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.conftest import CORNER, IN_A1, IN_B1, crossing_roads
from wangge.accounts.models import PersonalDataAccess
from wangge.cases.models import Case, CaseAttachment

URL = "/api/v1/cases"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def jpeg_with_gps(size: tuple[int, int] = (640, 480)) -> bytes:
    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 45.0, 0.0)}  # a GPS block
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def test_resident_reports_by_json_and_gets_the_route(people: dict[str, Any]) -> None:
    resp = client_for(people["resident"]).post(
        URL,
        {
            "description": "小区门口有人摆摊，堵住了出入口",
            "category": "CSGL-01",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
        },
        content_type="application/json",
    )
    assert resp.status_code == 201
    body = resp.json()
    assert body["status"] == "dispatched"
    assert body["status_text"] == "已派给碧沙岗第1网格办理"
    assert body["category"] == {"code": "CSGL-01", "name": "占道经营"}
    assert body["tier"] == "general"
    assert [n["level"] for n in body["grid_path"]] == [
        "district",
        "street",
        "community",
        "grid",
        "micro",
    ]
    assert body["assignee"] == "周敏"
    assert body["due_at"] is not None and "派碧沙岗第1网格网格员周敏办理" in body["routing_reason"]
    assert body["number"]


def test_multipart_report_with_a_photo_strips_exif(people: dict[str, Any]) -> None:
    photo = SimpleUploadedFile("../../etc/passwd.jpg", jpeg_with_gps(), content_type="image/jpeg")
    resp = client_for(people["resident"]).post(
        URL,
        {
            "description": "路灯不亮",
            "category": "CSGL-01",
            "location": '{"lon": 113.6005, "lat": 34.7505}',
            "photos": [photo],
        },
    )
    assert resp.status_code == 201, resp.content
    att = CaseAttachment.objects.get()
    assert att.kind == "report"
    assert "passwd" not in att.image.name and att.image.name.endswith(".jpg")
    with Image.open(att.image.path) as stored:
        assert not stored.getexif()  # no GPS, no device
        assert stored.size == (640, 480)


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({}, "description"),
        ({"description": ""}, "description"),
        ({"description": "x", "location": {"lon": 500, "lat": 1}}, "location"),
        ({"description": "x", "category": "NOPE"}, "未知或不可派单的分类"),
        ({"description": "x", "category": "CSGL"}, "未知或不可派单的分类"),
        ({"description": "x", "channel": "hotline"}, "不能以“hotline”渠道上报"),
        ({"description": "x", "reporter_phone": "12345"}, "请输入有效的手机或固定电话号码"),
    ],
    ids=[
        "missing",
        "empty",
        "bad-lon",
        "unknown-category",
        "parent-category",
        "hotline",
        "bad-phone",
    ],
)
def test_bad_input_is_422_with_a_chinese_detail(
    people: dict[str, Any], payload: dict[str, Any], fragment: str
) -> None:
    resp = client_for(people["resident"]).post(URL, payload, content_type="application/json")
    assert resp.status_code == 422
    assert fragment in resp.json()["detail"]
    assert not Case.objects.exists()


def test_malformed_json_and_fake_images_are_4xx(people: dict[str, Any]) -> None:
    c = client_for(people["resident"])
    resp = c.post(URL, "{not json", content_type="application/json")
    assert resp.status_code == 422 and resp.json()["detail"] == "请求体不是有效的 JSON"
    fake = SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    resp = c.post(URL, {"description": "x", "category": "CSGL-01", "photos": [fake]})
    assert resp.status_code == 422 and resp.json()["detail"] == "文件不是有效的图片"
    assert not Case.objects.exists()


def test_external_id_makes_one_case(people: dict[str, Any]) -> None:
    c = client_for(people["dispatcher"])
    body = {
        "description": "井盖丢失",
        "category": "CSGL-01",
        "channel": "video",
        "external_id": "V-1",
        "location": {"lon": IN_A1[0], "lat": IN_A1[1]},
    }
    first = c.post(URL, body, content_type="application/json")
    again = c.post(URL, body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    changed = c.post(
        URL, {**body, "description": "完全不同的内容"}, content_type="application/json"
    )
    assert changed.status_code == 409
    assert "已存在且内容不同" in changed.json()["detail"]


def test_list_is_scoped_and_filterable(people: dict[str, Any], report: Callable[..., Case]) -> None:
    a = report()
    b = report(at=IN_B1)
    worker_a = client_for(people["worker_a"]).get(URL).json()
    assert [r["id"] for r in worker_a["results"]] == [a.pk]
    dispatcher = client_for(people["dispatcher"]).get(URL, {"grid": "410102001002002"}).json()
    assert [r["id"] for r in dispatcher["results"]] == [b.pk]
    resident = client_for(people["resident"]).get(URL).json()
    assert {r["id"] for r in resident["results"]} == {a.pk, b.pk}  # both reported by them
    assert client_for(people["outsider"]).get(URL).json()["count"] == 0
    resp = client_for(people["dispatcher"]).get(URL, {"status": "dispatched,nonsense"})
    assert resp.status_code == 422


@pytest.mark.parametrize("who", ["dispatcher", "worker_a"])
def test_a_staff_members_own_reports_outside_their_subtree_are_in_their_list(
    people: dict[str, Any], report: Callable[..., Case], who: str
) -> None:
    # A street's list is read by its street, a grid's by its path; beside either, the reports
    # the person made elsewhere (here: in Beijing, outside every grid) are theirs to see, and
    # another person's report there is not.
    inside = report()
    own_elsewhere = report(at=(116.4, 39.9), actor=people[who])
    someone_elses = report(at=(116.4, 39.9))
    listed = client_for(people[who]).get(URL).json()
    ids = {r["id"] for r in listed["results"]}
    assert {inside.pk, own_elsewhere.pk} <= ids and someone_elses.pk not in ids
    assert listed["count"] == len(ids)


def test_a_list_past_the_cap_says_so_and_still_pages(
    people: dict[str, Any], report: Callable[..., Case], monkeypatch: Any
) -> None:
    """A city's list is counted up to the cap, not to its millions: the count stops there and
    says it stopped, and the pages past it still come."""
    from wangge.core import paging

    made = [report() for _ in range(4)]
    c = client_for(people["worker_a"])
    assert c.get(URL).json()["count_capped"] is False
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    body = c.get(URL, {"page_size": 1, "page": 4}).json()
    assert (body["count"], body["count_capped"]) == (2, True)
    assert [r["id"] for r in body["results"]] == [made[0].pk]  # newest first: the fourth page


def test_detail_shows_only_actions_the_viewer_may_take(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    worker = client_for(people["worker_a"]).get(f"{URL}/{case.pk}").json()
    assert set(worker["allowed_actions"]) == {"sign", "return", "escalate", "request_extension"}
    assert worker["reporter_phone"] == people["resident"].masked_phone
    dispatcher = client_for(people["dispatcher"]).get(f"{URL}/{case.pk}").json()
    assert {"merge", "transfer", "supervise", "urge"} <= set(dispatcher["allowed_actions"])
    assert client_for(people["worker_b"]).get(f"{URL}/{case.pk}").status_code == 404


def test_disallowed_action_is_409_with_the_allowed_ones(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    resp = client_for(people["worker_a"]).post(
        f"{URL}/{case.pk}/actions", {"action": "resolve"}, content_type="application/json"
    )
    assert resp.status_code == 409
    assert resp.json() == {
        "detail": "当前状态下不能执行“办结”",
        "allowed": ["sign", "return", "escalate", "request_extension"],
    }


def test_resolve_with_after_photo_and_timeline(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report()
    c = client_for(people["worker_a"])
    assert (
        c.post(
            f"{URL}/{case.pk}/actions", {"action": "sign"}, content_type="application/json"
        ).status_code
        == 200
    )
    photo = SimpleUploadedFile("after.png", jpeg_with_gps((300, 200)), content_type="image/png")
    resp = c.post(
        f"{URL}/{case.pk}/actions", {"action": "resolve", "result": "已清理", "photos": [photo]}
    )
    assert resp.status_code == 200, resp.content
    assert resp.json()["status"] == "resolved"
    timeline = c.get(f"{URL}/{case.pk}/timeline").json()
    assert [e["action_label"] for e in timeline] == ["受理", "自动派单", "签收", "办结"]
    assert timeline[-1]["photos"][0]["kind"] == "after"
    assert timeline[-1]["actor"] == "周敏"


def test_reporter_phone_reveal_is_audited(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(
        reporter_phone="13912345678",
        actor=people["dispatcher"],
        channel="higher",
        reporter_name="张先生",
    )
    c = client_for(people["worker_a"])
    resp = c.post(
        f"{URL}/{case.pk}/reporter-phone",
        {"purpose": "联系诉求人"},
        content_type="application/json",
    )
    assert resp.json() == {"phone": "13912345678"}
    row = PersonalDataAccess.objects.get()
    assert (row.actor, row.field, row.purpose) == (people["worker_a"], "phone", "联系诉求人")
    assert "张先生" in row.subject_label
    denied = client_for(people["resident"]).post(
        f"{URL}/{case.pk}/reporter-phone", {"purpose": "好奇"}, content_type="application/json"
    )
    assert denied.status_code in (403, 404)


def test_landline_callers_are_accepted_and_masked(people: dict[str, Any]) -> None:
    resp = client_for(people["dispatcher"]).post(
        URL,
        {
            "description": "路灯不亮",
            "category": "CSGL-01",
            "channel": "higher",
            "reporter_phone": "0371-6789 1234",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1]},
        },
        content_type="application/json",
    )
    assert resp.status_code == 201
    case = Case.objects.get()
    assert case.reporter_phone == "037167891234"
    detail = client_for(people["dispatcher"]).get(f"{URL}/{case.pk}").json()
    assert detail["reporter_phone"] == "037*****1234"


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "fr", "zh-TW", ""])
def test_answers_are_in_chinese_whatever_language_the_client_asks_for(
    people: dict[str, Any], client: Client, accept: str
) -> None:
    """zh-Hans is the one language: no Accept-Language turns an answer into another."""
    resp = client_for(people["resident"]).post(
        URL, {"description": "  "}, content_type="application/json", HTTP_ACCEPT_LANGUAGE=accept
    )
    assert (resp.status_code, resp.json()) == (422, {"detail": "请填写诉求内容"})
    # Django's own words too (the admin's "Log in" is 登录 in its zh-Hans catalogue).
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "登录" in page and "Log in" not in page


def test_the_detail_says_when_its_point_was_read_from_the_words(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    crossing_roads()
    inferred = report(f"市民反映{CORNER}井盖缺失，请尽快处理", at=None)
    body = client_for(people["dispatcher"]).get(f"{URL}/{inferred.pk}").json()
    assert body["place_phrase"] == CORNER
    assert body["lon"] == inferred.lon and body["lat"] == inferred.lat
    # A point someone gave is theirs: nothing was inferred.
    given = report(at=IN_B1)
    assert client_for(people["dispatcher"]).get(f"{URL}/{given.pk}").json()["place_phrase"] == ""
    schema = client_for(people["dispatcher"]).get("/api/v1/openapi.json").json()
    field = schema["components"]["schemas"]["CaseDetailOut"]["properties"]["place_phrase"]
    assert "推定" in field["description"] and field["type"] == "string"
