"""The video platform's events: signed, idempotent, grouped into one case per thing seen."""

import base64
import importlib
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.utils import timezone

from tests.conftest import MICRO_A1, MICRO_A2, MICRO_B1, STREET
from tests.video.conftest import EVENTS, event, signed
from wangge.cases import categories
from wangge.cases.models import Case, Category, Channel
from wangge.cases.selectors import kpis
from wangge.grids.models import GridNode
from wangge.video.models import Camera, CameraHold, VideoAlert, VideoEvent, VideoEventType

pytestmark = pytest.mark.django_db


def _stored(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


def test_the_default_types_are_there_to_edit() -> None:
    # From the data file, by the migration: the operator starts with a table, not a blank.
    # (Loaded again here: a transactional test before this one may have flushed them.)
    defaults = importlib.import_module("wangge.video.migrations.0002_event_types")
    defaults.load(django_apps, None)
    assert VideoEventType.objects.count() == 12
    wire = VideoEventType.objects.get(code="flying_wire")
    assert (wire.name, wire.category_code, wire.mode) == ("飞线充电", "XFAQ-04", "auto")
    assert VideoEventType.objects.get(code="crowd").mode == "confirm"


def test_an_event_becomes_a_case_in_its_cameras_micro_grid(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    reply = post_event(event())
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["outcome"], body["outcome_label"], body["count"]) == ("cased", "已立案", 1)
    case = Case.objects.get(number=body["case_number"])
    assert case.channel == Channel.VIDEO
    assert case.micro_grid.code == MICRO_A1
    assert case.category.code == "CSGL-01"
    assert "百花里北门球机" in case.description and "占道经营" in case.title
    assert case.attachments.count() == 1  # the snapshot, for the phone that handles it


def test_two_hundred_sightings_are_one_case_counted_once(
    cameras: dict[str, Camera], post_event: Any, media: Path, people: dict[str, Any]
) -> None:
    start = datetime.fromisoformat("2026-11-27T09:00:00+08:00")
    for n in range(200):
        when = (start + timedelta(seconds=15 * n)).isoformat()  # 50 minutes, each within 30
        reply = post_event(event(n, occurred_at=when, confidence=0.7 + (n % 20) / 100))
        assert reply.status_code == 201
    assert reply.json()["count"] == 200
    assert Case.objects.count() == 1
    alert = VideoAlert.objects.get()
    assert (alert.count, alert.case_id) == (200, Case.objects.get().pk)
    assert alert.last_at - alert.first_at == timedelta(seconds=15 * 199)
    assert alert.max_confidence == pytest.approx(0.89)
    assert VideoEvent.objects.filter(alert=alert).exclude(snapshot="").count() == 200
    snapshots = [p for p in _stored(media) if p.parts[-4] == "video"]
    assert len(snapshots) == 200
    # The timeline: the intake, then one row per 10 minutes of sightings, not 200 rows.
    sightings = Case.objects.get().events.filter(action="supplement")
    assert sightings.count() == 4  # 09:10, 09:20, 09:30, 09:40
    assert "第 41 次" in sightings.order_by("pk").first().note
    # The KPIs count the one case: one open case of the street, one of its community.
    now = timezone.now()
    street = GridNode.objects.get(code=STREET)
    total, units = kpis(
        user=people["dispatcher"], parent=street, start=now - timedelta(days=1), end=now
    )
    assert total.open_cases == 1
    assert [u.open_cases for u in units] == [1]


def test_outside_the_window_is_a_new_alert_and_another_type_too(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    post_event(event(1, occurred_at="2026-11-27T09:00:00+08:00"))
    post_event(event(2, occurred_at="2026-11-27T09:31:00+08:00"))
    post_event(event(3, occurred_at="2026-11-27T09:32:00+08:00", type="crowd", confidence=0.9))
    assert VideoAlert.objects.count() == 3
    assert Case.objects.count() == 2  # crowd waits on the desk


def test_the_case_closed_the_next_sighting_is_a_new_case(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    first = post_event(event(1)).json()
    Case.objects.filter(number=first["case_number"]).update(status="closed")
    second = post_event(event(2, occurred_at="2026-11-27T09:05:00+08:00")).json()
    assert second["case_number"] != first["case_number"]


def test_each_camera_routes_to_its_own_micro_grid(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    for n, code in enumerate(("SXT-001", "SXT-002", "41010200001320000003")):
        assert post_event(event(n, camera=code)).status_code == 201
    grids = sorted(Case.objects.values_list("micro_grid__code", flat=True))
    assert grids == sorted([MICRO_A1, MICRO_A2, MICRO_B1])


def test_below_the_floor_a_held_camera_and_an_off_type_are_kept_not_cased(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    assert post_event(event(1, confidence=0.5)).json()["outcome"] == "below_floor"
    Camera.objects.filter(code="SXT-002").update(hold=CameraHold.REPAIR)
    assert post_event(event(2, camera="SXT-002")).json()["outcome"] == "held"
    kind = VideoEventType.objects.get(code="occupy_road")
    kind.is_active = False
    kind.save()  # read again at once (the table is kept in memory)
    assert post_event(event(3)).json()["outcome"] == "inactive"
    assert not Case.objects.exists() and not VideoAlert.objects.exists()
    assert VideoEvent.objects.count() == 3


def test_an_unknown_type_waits_on_the_desk(cameras: dict[str, Camera], post_event: Any) -> None:
    body = post_event(event(1, type="smoke_fire")).json()
    assert (body["outcome"], body["case_number"]) == ("pending", None)
    assert VideoAlert.objects.get().state == "pending"


# --- refusals: nothing stored --------------------------------------------------------------


def _nothing_stored(media: Path) -> None:
    assert not VideoEvent.objects.exists()
    assert not Case.objects.exists()
    assert _stored(media) == []


def test_unsigned_or_wrongly_signed_or_stale_is_401(
    cameras: dict[str, Camera], client: Client, media: Path
) -> None:
    plain = client.post(EVENTS, data=event(), content_type="application/json")
    assert plain.status_code == 401
    assert "X-Wangge-Signature" in plain.json()["detail"]
    forged = client.post(EVENTS, **signed(event(), secret="guessed"))
    assert forged.status_code == 401
    assert "签名校验失败" in forged.json()["detail"]
    stale = client.post(EVENTS, **signed(event(), stamp=int(time.time()) - 3600))
    assert stale.status_code == 401
    assert "拒绝重放" in stale.json()["detail"]
    _nothing_stored(media)


def test_the_signature_covers_the_body(
    cameras: dict[str, Camera], client: Client, media: Path
) -> None:
    good = signed(event())
    good["data"] = good["data"].replace(b"SXT-001", b"SXT-002")
    assert client.post(EVENTS, **good).status_code == 401
    _nothing_stored(media)


def test_no_key_configured_refuses_everything(
    cameras: dict[str, Camera], client: Client, settings: Any
) -> None:
    settings.VIDEO_PLATFORM_SECRET = ""
    reply = client.post(EVENTS, **signed(event()))
    assert reply.status_code == 401
    assert "VIDEO_PLATFORM_SECRET" in reply.json()["detail"]


def test_unknown_camera_is_refused(
    cameras: dict[str, Camera], post_event: Any, media: Path
) -> None:
    reply = post_event(event(camera="SXT-999"))
    assert reply.status_code == 422
    assert reply.json()["detail"] == "未知摄像头“SXT-999”：请先导入摄像头清单"
    _nothing_stored(media)


def test_a_huge_snapshot_is_refused_before_it_is_read(
    cameras: dict[str, Camera], post_event: Any, media: Path, settings: Any
) -> None:
    settings.VIDEO_SNAPSHOT_MAX_BYTES = 100 * 1024
    big = base64.b64encode(b"\xff\xd8\xff" + b"0" * 200 * 1024).decode()
    reply = post_event(event(snapshot=big))
    assert reply.status_code == 413
    assert reply.json()["detail"] == "请求体过大：截图不超过 100 KB"
    _nothing_stored(media)


@pytest.mark.parametrize(
    ("snapshot", "reason"),
    [
        ("not base64!", "截图不是有效的 Base64"),
        (base64.b64encode(b"GIF89a" + b"0" * 40).decode(), "截图不是可识别的 JPEG 或 PNG 图片"),
        ("", "告警事件须带截图"),
    ],
)
def test_a_snapshot_that_is_not_a_picture_is_refused(
    cameras: dict[str, Camera], post_event: Any, media: Path, snapshot: str, reason: str
) -> None:
    reply = post_event(event(snapshot=snapshot))
    assert reply.status_code == 422
    assert reply.json()["detail"] == reason
    _nothing_stored(media)


def test_bad_fields_are_named(cameras: dict[str, Camera], post_event: Any, media: Path) -> None:
    reply = post_event(event(confidence=1.7, occurred_at="昨天"))
    assert reply.status_code == 422
    detail = reply.json()["detail"]
    assert detail.startswith("事件参数不正确")
    assert "置信度 confidence（0–1）" in detail and "发生时间 occurred_at" in detail
    _nothing_stored(media)


def test_a_replay_answers_as_the_first_time_and_stores_nothing_more(
    cameras: dict[str, Camera], post_event: Any, media: Path
) -> None:
    first = post_event(event(7))
    files = len(_stored(media))
    again = post_event(event(7))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert VideoEvent.objects.count() == 1 and VideoAlert.objects.get().count == 1
    assert len(_stored(media)) == files
    other = post_event(event(7, confidence=0.99))
    assert other.status_code == 409
    assert other.json()["detail"] == "事件编号“EV-00007”已存在且内容不同"


def test_a_city_management_code_names_its_catalogue_leaf(
    cameras: dict[str, Camera], post_event: Any
) -> None:
    # 数字城管 sends GB/T 30428.2 codes; the catalogue lists them (data), so no type row is needed.
    Category.objects.filter(code="CSGL-01").update(external_codes={"GB/T 30428.2": ["事件0501"]})
    categories.invalidate_leaves()
    body = post_event(event(1, type="事件0501")).json()
    assert body["outcome"] == "cased"
    case = Case.objects.get(number=body["case_number"])
    assert (case.category.code, case.title) == ("CSGL-01", "占道经营（百花里北门球机）")
    again = post_event(event(2, type="事件0501", occurred_at="2026-11-27T09:10:00+08:00")).json()
    assert (again["outcome"], again["count"]) == ("grouped", 2)
    unknown = post_event(event(3, type="部件9999")).json()
    assert unknown["outcome"] == "pending"
