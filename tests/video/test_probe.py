"""Which cameras are online: an event, or the stream answering the five-minute probe."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.video.conftest import CAMERAS_CSV
from tests.video.fake_platform import gateway
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera
from wangge.video.selectors import is_online
from wangge.video.tasks import cameras_probe

pytestmark = pytest.mark.django_db


def test_a_stream_that_answers_is_online_and_one_that_does_not_is_not(
    people: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    settings.VIDEO_PROBE_TIMEOUT = 2
    (tmp_path / "live.m3u8").write_text("#EXTM3U\n#EXT-X-TARGETDURATION:2\n", encoding="utf-8")
    with gateway(tmp_path) as gw:
        cameras_import(
            CAMERAS_CSV.replace("http://127.0.0.1:9/live/1.m3u8", f"{gw}/live.m3u8").replace(
                "http://127.0.0.1:9/live/2.flv", f"{gw}/missing.flv"
            )
        )
        assert cameras_probe() == 1
    by_code = {c.code: c for c in Camera.objects.all()}
    assert is_online(by_code["SXT-001"])
    assert not is_online(by_code["SXT-002"])  # 404 on the gateway
    assert by_code["SXT-003"].last_seen_at is None  # no stream to probe


def test_a_camera_heard_from_lately_is_not_probed(people: dict[str, Any]) -> None:
    cameras_import(CAMERAS_CSV)  # streams at 127.0.0.1:9, which answers nothing
    Camera.objects.update(last_seen_at=timezone.now())
    assert cameras_probe() == 0
    assert all(is_online(c) for c in Camera.objects.all())
