"""The demo community's cameras (鹰眼) and what their AI box saw this morning: a stall blocking
the road outside a compound (待确认, twelve sightings), a fire lane blocked by cars (自动派单: a
case with its count and snapshots), a school's camera under repair whose events are held.

The cameras are imported from a file as a district would; the events go through the same
service the signed API calls. The demo has no video gateway, so the cameras carry no stream:
their pages say so, and everything else (the map layer, the alerts, the case page) is live."""

import io
import random
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from wangge.demo.cast import demo_nodes
from wangge.grids.models import Building, GridNode
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera, CameraHold, VideoAlert, VideoEvent
from wangge.video.services import EventIn, event_receive

CAMERAS = (
    # 编号, name after the building, type, unit
    ("ZY-SXT-001", "北门球机", "球机", "楼院"),
    ("ZY-SXT-002", "消防通道枪机", "枪机", "楼院"),
    ("ZY-SXT-003", "路口鹰眼", "鹰眼", "道路"),
    ("ZY-SXT-004", "学校门口枪机", "枪机", "学校"),
    ("ZY-SXT-005", "工地出入口枪机", "枪机", "工地"),
    ("ZY-SXT-006", "卫生服务站球机", "球机", "医院"),
)


def _snapshot(rng: random.Random, boxes: int) -> bytes:
    """A 640×360 street scene in flat colours with the detected objects boxed: enough for the
    pages to show what a snapshot looks like."""
    img = Image.new("RGB", (640, 360), (176, 190, 197))
    draw = ImageDraw.Draw(img)
    draw.rectangle((0, 230, 640, 360), fill=(96, 100, 104))  # the road
    draw.rectangle((0, 40, 640, 230), fill=(215, 204, 200))  # the buildings' front
    for x in range(20, 640, 90):
        draw.rectangle((x, 70, x + 50, 140), fill=(120, 144, 156))  # windows
    for _ in range(boxes):
        x, y = rng.randint(40, 520), rng.randint(210, 280)
        draw.rectangle((x, y, x + 80, y + 50), fill=(rng.randint(60, 220), 80, 60))
        draw.rectangle((x - 4, y - 4, x + 84, y + 54), outline=(255, 0, 0), width=3)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


def seed_video(*, rng: random.Random) -> int:
    """Returns how many events were received."""
    community = demo_nodes()["community"]
    buildings = list(
        Building.objects.filter(micro_grid__path__startswith=community.path).order_by("code")
    )
    if len(buildings) < len(CAMERAS):
        return 0
    picked = rng.sample(buildings, len(CAMERAS))
    rows = ["编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址"]
    for n, ((code, name, kind, unit), b) in enumerate(zip(CAMERAS, picked, strict=True)):
        gb = f"4101020000132{n + 1:07d}"
        rows.append(f"{code},{gb},{b.address}{name},{b.lon},{b.lat},{kind},{unit},")
    cameras_import("\n".join(rows) + "\n")
    Camera.objects.filter(code="ZY-SXT-004").update(hold=CameraHold.REPAIR)
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
    sightings = (
        ("ZY-SXT-001", "occupy_road", 12, 4),  # 待确认: a stall outside the north gate
        ("ZY-SXT-002", "fire_lane", 5, 9),  # 自动派单: a case
        ("ZY-SXT-004", "bike_parking", 3, 6),  # under repair: held
    )
    received = 0
    for code, type_code, count, every in sightings:
        for i in range(count):
            event_receive(
                EventIn(
                    event_id=f"DEMO-{code}-{i:03d}",
                    camera=code,
                    type=type_code,
                    occurred_at=start + timedelta(minutes=every * i),
                    confidence=round(0.82 + rng.random() * 0.15, 2),
                    box=[40, 210, 80, 50],
                    snapshot=_snapshot(rng, 2),
                )
            )
            received += 1
    return received


def reset_video() -> None:
    """The sample grids' cameras and all they saw (before the cases and the register go)."""
    sample = GridNode.objects.filter(is_sample=True).values_list("path", flat=True)
    cameras = Camera.objects.filter(facility__grid_path__in=list(sample))
    for event in VideoEvent.objects.filter(camera__in=cameras):
        for file in (event.snapshot, event.thumb):
            if file:
                file.delete(save=False)
    VideoEvent.objects.filter(camera__in=cameras).delete()
    VideoAlert.objects.filter(camera__in=cameras).delete()
    cameras.delete()
