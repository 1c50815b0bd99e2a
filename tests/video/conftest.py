"""鹰眼 on the test tree: three cameras (A1, A2, B1) imported as a district would, the event
types the tests need, and a client that signs as the video platform does."""

import base64
import io
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera, VideoEventType
from wangge.video.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_of

SECRET = "video-platform-test-key"
EVENTS = "/api/v1/video/events"
CAMERAS_CSV = (
    "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
    "SXT-001,41010200001320000001,百花里北门球机,113.6008,34.7508,球机,楼院,http://127.0.0.1:9/live/1.m3u8\n"
    "SXT-002,41010200001320000002,伊河路口枪机,113.6030,34.7520,枪机,道路,http://127.0.0.1:9/live/2.flv\n"
    "SXT-003,41010200001320000003,碧沙岗小学鹰眼,113.6060,34.7520,鹰眼,学校,\n"
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.VIDEO_PLATFORM_SECRET = SECRET
    return tmp_path


def jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (90, 90, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def cameras(people: dict[str, Any]) -> dict[str, Camera]:  # noqa: F811
    cameras_import(CAMERAS_CSV)
    VideoEventType.objects.update_or_create(
        code="occupy_road",
        defaults={
            "name": "占道经营",
            "category_code": "CSGL-01",
            "min_confidence": 0.6,
            "mode": "auto",
            "window_minutes": 30,
        },
    )
    VideoEventType.objects.update_or_create(
        code="crowd",
        defaults={
            "name": "人员聚集",
            "category_code": "",
            "min_confidence": 0.8,
            "mode": "confirm",
            "window_minutes": 30,
        },
    )
    return {c.code: c for c in Camera.objects.select_related("facility__micro_grid")}


def event(n: int = 1, **over: Any) -> dict[str, Any]:
    body = {
        "event_id": f"EV-{n:05d}",
        "camera": "SXT-001",
        "type": "occupy_road",
        "occurred_at": "2026-11-27T09:00:00+08:00",
        "confidence": 0.91,
        "box": [10, 12, 30, 20],
        "snapshot": base64.b64encode(jpeg()).decode(),
    }
    body.update(over)
    return body


def signed(
    body: dict[str, Any] | bytes, *, secret: str = SECRET, stamp: int | None = None
) -> dict[str, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    ts = str(int(time.time()) if stamp is None else stamp)
    return {
        "data": raw,
        "content_type": "application/json",
        "headers": {TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: signature_of(raw, ts, secret)},
    }


@pytest.fixture
def post_event(client: Client) -> Callable[..., Any]:
    def post(body: dict[str, Any], **kw: Any) -> Any:
        return client.post(EVENTS, **signed(body, **kw))

    return post
