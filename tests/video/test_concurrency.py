"""Real parallel requests on PostgreSQL: twenty cameras at once, and one camera's sightings
racing each other, through the live server as the platform sends them."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from django.db import connection

from tests.video.conftest import EVENTS, event, signed
from wangge.cases.models import Case
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera, VideoAlert, VideoEvent, VideoEventType

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory shared-cache test database takes table locks; "
        "proven on PostgreSQL",
    ),
]


def _send(live_server: Any, bodies: list[dict[str, Any]]) -> list[httpx.Response]:
    start = threading.Barrier(len(bodies))

    def one(body: dict[str, Any]) -> httpx.Response:
        request = signed(body)
        start.wait()
        return httpx.post(
            f"{live_server.url}{EVENTS}",
            content=request["data"],
            headers={**request["headers"], "Content-Type": "application/json"},
            timeout=60,
        )

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(one, bodies))


def _auto_type() -> None:
    # Made here: a transactional test's flush empties the types the migration loaded.
    VideoEventType.objects.update_or_create(
        code="fire_lane",
        defaults={"name": "消防通道堵塞", "category_code": "CSGL-01", "mode": "auto"},
    )


def _twenty_cameras() -> None:
    rows = ["编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址"]
    for n in range(20):
        lon = 113.6003 + n * 0.00038  # across A1, A2 and B1
        rows.append(f"C{n:02d},,摄像头{n},{lon:.5f},34.7505,枪机,道路,")
    cameras_import("\n".join(rows) + "\n")


def test_twenty_cameras_at_once_each_case_in_its_cameras_grid(
    people: dict, live_server: Any
) -> None:
    _twenty_cameras()
    _auto_type()
    bodies = [event(n, camera=f"C{n:02d}", type="fire_lane", confidence=0.95) for n in range(20)]
    replies = _send(live_server, bodies)
    assert [r.status_code for r in replies] == [201] * 20, [r.text for r in replies]
    assert Case.objects.count() == 20
    for camera in Camera.objects.select_related("facility"):
        alert = VideoAlert.objects.get(camera=camera)
        assert alert.case.micro_grid_id == camera.facility.micro_grid_id
    assert len(set(Case.objects.values_list("micro_grid_id", flat=True))) == 3


def test_one_cameras_racing_sightings_make_one_case_with_every_count(
    people: dict, live_server: Any
) -> None:
    _twenty_cameras()
    _auto_type()
    bodies = [event(n, camera="C00", type="fire_lane", confidence=0.95) for n in range(16)]
    bodies += [bodies[0]] * 4  # the platform's retries of one of them, at the same moment
    replies = _send(live_server, bodies)
    assert sorted(r.status_code for r in replies) == [200] * 4 + [201] * 16
    assert Case.objects.count() == 1
    alert = VideoAlert.objects.get()
    assert alert.count == 16
    assert VideoEvent.objects.filter(alert=alert).count() == 16
    assert {json.loads(r.text)["case_number"] for r in replies} == {Case.objects.get().number}
