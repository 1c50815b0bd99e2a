"""Daily patrols: one open at a time, the track, findings as cases or on-the-spot fixes; each
role sees its own patrols and its grid's, nothing of another grid."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.cases.conftest import IN_A1, IN_B1
from wangge.cases.models import Case
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import clean_images
from wangge.patrols.models import Finding, Patrol, TrackPoint
from wangge.patrols.selectors import patrols_visible
from wangge.patrols.services import (
    patrol_end,
    patrol_finding_fix,
    patrol_finding_report,
    patrol_start,
    patrol_track,
)


def jpeg(colour: tuple[int, int, int] = (90, 90, 90)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def patrol(people: dict[str, Any]) -> Patrol:
    return patrol_start(actor=people["worker_a"])


def test_start_track_end(people: Any, patrol: Patrol) -> None:
    assert patrol.grid_name == "碧沙岗第1网格"
    with pytest.raises(Conflict):
        patrol_start(actor=people["worker_a"])
    with pytest.raises(PermissionDenied):
        patrol_start(actor=people["resident"])
    now = timezone.now()
    kept = patrol_track(
        actor=people["worker_a"],
        patrol=patrol,
        points=[(now - timedelta(hours=1), *IN_A1), (now, *IN_A1), (now, 113.6012, 34.7511)],
    )
    assert kept == 2  # the point from before the start is dropped
    with pytest.raises(PermissionDenied):
        patrol_track(actor=people["worker_b"], patrol=patrol, points=[(now, *IN_A1)])
    with pytest.raises(ValidationFailed):
        patrol_track(actor=people["worker_a"], patrol=patrol, points=[(now, 200.0, 34.0)])
    patrol_end(actor=people["worker_a"], patrol=patrol, summary="百花里一带正常")
    with pytest.raises(ValidationFailed, match="已结束"):
        patrol_track(actor=people["worker_a"], patrol=patrol, points=[(now, *IN_A1)])
    assert TrackPoint.objects.count() == 2
    patrol_start(actor=people["worker_a"])  # the next day's patrol may begin


def test_a_finding_becomes_a_routed_patrol_case(people: Any, patrol: Patrol) -> None:
    f = patrol_finding_report(
        actor=people["worker_a"],
        patrol=patrol,
        hazard="flying_wire",
        description="3号楼楼道有电动车飞线充电",
        lon=IN_A1[0],
        lat=IN_A1[1],
        photos=clean_images([jpeg()]),
    )
    case = Case.objects.get(pk=f.case_id)
    assert case.channel == "patrol" and case.description.startswith("【飞线充电】")
    assert case.status != "closed" and case.attachments.count() == 1
    assert case.grid_path.startswith(patrol.grid_path)


def test_an_on_the_spot_fix_closes_its_case(people: Any, patrol: Patrol) -> None:
    with pytest.raises(ValidationFailed, match="处置后"):
        patrol_finding_fix(
            actor=people["worker_a"],
            patrol=patrol,
            hazard="fire_lane",
            description="消防通道堆放纸箱",
            lon=IN_A1[0],
            lat=IN_A1[1],
            result="已清理",
        )
    f = patrol_finding_fix(
        actor=people["worker_a"],
        patrol=patrol,
        hazard="fire_lane",
        description="消防通道堆放纸箱",
        lon=IN_A1[0],
        lat=IN_A1[1],
        result="已联系住户清理",
        photos_before=clean_images([jpeg((200, 0, 0))]),
        photos_after=clean_images([jpeg((0, 200, 0))]),
    )
    case = Case.objects.get(pk=f.case_id)
    assert case.status == "closed" and case.self_handled
    # Outside the worker's grid there is no fixing it themselves, and nothing is left behind.
    with pytest.raises(ValidationFailed, match="不在您负责的网格"):
        patrol_finding_fix(
            actor=people["worker_a"],
            patrol=patrol,
            hazard="other",
            description="B网格的问题",
            lon=IN_B1[0],
            lat=IN_B1[1],
            result="已处理",
            photos_after=clean_images([jpeg()]),
        )
    assert Finding.objects.count() == 1 and Case.objects.count() == 1


def test_who_sees_which_patrol(people: Any, patrol: Patrol) -> None:
    patrol_b = patrol_start(actor=people["worker_b"])
    seen = {
        role: set(patrols_visible(people[role]))
        for role in (
            "worker_a",
            "worker_b",
            "grid_leader_a",
            "community",
            "resident",
            "outsider",
            "cgj",
        )
    }
    assert seen["worker_a"] == {patrol} and seen["grid_leader_a"] == {patrol}
    assert seen["worker_b"] == {patrol_b} and seen["community"] == {patrol, patrol_b}
    assert seen["resident"] == seen["outsider"] == seen["cgj"] == set()


@pytest.mark.parametrize(
    "role", ["worker_a", "worker_b", "grid_leader_a", "community", "resident", "outsider", "cgj"]
)
def test_pages_and_api_by_role(people: Any, patrol: Patrol, role: str) -> None:
    c = Client()
    c.force_login(people[role])
    sees = role in ("worker_a", "grid_leader_a", "community")
    staff = role in ("worker_a", "worker_b", "grid_leader_a", "community")
    assert c.get("/patrols/").status_code == (200 if staff else 404)
    assert c.get(f"/patrols/{patrol.pk}/").status_code == (200 if sees else 404)
    api = c.get("/api/v1/patrols").json()
    assert [p["id"] for p in api["results"]] == ([patrol.pk] if sees else [])
    now = timezone.now().isoformat()
    track = c.post(
        f"/patrols/{patrol.pk}/track/",
        {"points": [[now, *IN_A1]]},
        content_type="application/json",
    )
    api_track = c.post(
        f"/api/v1/patrols/{patrol.pk}/track",
        {"points": [{"at": now, "lon": IN_A1[0], "lat": IN_A1[1]}]},
        content_type="application/json",
    )
    if role == "worker_a":
        assert track.json() == {"kept": 1} and api_track.json() == {"kept": 1}
    else:
        assert track.status_code == api_track.status_code == (403 if sees else 404)
    for url, data in (
        (f"/patrols/{patrol.pk}/end/", {}),
        (f"/patrols/{patrol.pk}/findings/", {"hazard": "gas", "description": "x", "lon": "1"}),
    ):
        resp = c.post(url, data)
        assert resp.status_code == (302 if sees else 404)
    patrol.refresh_from_db()
    assert patrol.is_open == (role != "worker_a")


def test_finding_page_walks_both_ways(people: Any, patrol: Patrol) -> None:
    c = Client()
    c.force_login(people["worker_a"])
    url = f"/patrols/{patrol.pk}/findings/"
    lon, lat = (str(v) for v in IN_A1)
    c.post(url, {"hazard": "snow", "description": "人行道积雪结冰", "lon": lon, "lat": lat})
    c.post(
        url,
        {
            "hazard": "illegal_building",
            "description": "楼顶私搭彩钢棚",
            "lon": lon,
            "lat": lat,
            "fixed": "1",
            "result": "已劝导拆除",
            "photos": [jpeg()],
            "photos_after": [jpeg((0, 120, 0))],
        },
    )
    kinds = list(Finding.objects.order_by("pk").values_list("hazard", "kind", "case__status"))
    assert kinds[0][:2] == ("snow", "reported") and kinds[0][2] != "closed"
    assert kinds[1] == ("illegal_building", "fixed", "closed")
    page = c.get(f"/patrols/{patrol.pk}/").content.decode()
    assert "积雪" in page and "私搭乱建" in page
    resp = c.post(url, {"hazard": "gas", "description": "燃气味"}, follow=True)
    assert "未获取到位置" in resp.content.decode()
