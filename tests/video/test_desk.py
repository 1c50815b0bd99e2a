"""What staff see and do: the live view (audited), frames taken from it, the alerts that wait
for a person, the 复核 picture verification waits for; and who sees none of it."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import MICRO_A1
from tests.video.conftest import event, jpeg
from wangge.accounts.models import PersonalDataAccess, User
from wangge.cases.models import Case
from wangge.cases.services import case_act
from wangge.video.models import Camera, VideoAlert, VideoEvent
from wangge.video.tasks import thumb_make

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_live_view_shows_the_stream_to_the_grids_staff_and_audits_it(
    cameras: dict[str, Camera], people: dict[str, User]
) -> None:
    north = cameras["SXT-001"]
    page = signed_in(people["worker_a"]).get(f"/video/cameras/{north.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-src="http://127.0.0.1:9/live/1.m3u8"' in html
    assert "vendor/hls.js/hls.light.min.js" in html
    seen = PersonalDataAccess.objects.get()
    assert (seen.actor, seen.field) == (people["worker_a"], "video")
    assert "SXT-001" in seen.subject_label
    flv = signed_in(people["dispatcher"]).get(f"/video/cameras/{cameras['SXT-002'].pk}/")
    assert "vendor/mpegts.js/mpegts.js" in flv.content.decode()
    assert PersonalDataAccess.objects.count() == 2


@pytest.mark.parametrize("who", ["resident", "worker_b", "outsider"])
def test_others_see_no_camera_stream_or_snapshot(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any, who: str
) -> None:
    post_event(event())
    snapshot = VideoEvent.objects.get().snapshot.name
    north = cameras["SXT-001"]
    c = signed_in(people[who])
    assert c.get(f"/video/cameras/{north.pk}/").status_code in (403, 404)
    assert c.get(f"/media/{snapshot}").status_code == 404
    layer = c.get("/api/v1/video/cameras.geojson").json()
    assert all(f["properties"]["code"] != "SXT-001" for f in layer["features"])
    assert "stream" not in str(layer) and "m3u8" not in str(layer)
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_callers_get_nothing(cameras: dict[str, Camera], post_event: Any) -> None:
    post_event(event())
    snapshot = VideoEvent.objects.get().snapshot.name
    anon = Client()
    assert anon.get(f"/video/cameras/{cameras['SXT-001'].pk}/").status_code == 302
    assert anon.get(f"/media/{snapshot}").status_code in (302, 404)
    assert anon.get("/api/v1/video/cameras.geojson").status_code == 401


def test_the_grids_worker_sees_the_snapshot_and_the_map_layer(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    post_event(event())
    snapshot = VideoEvent.objects.get().snapshot.name
    c = signed_in(people["worker_a"])
    assert c.get(f"/media/{snapshot}").status_code == 200
    layer = c.get("/api/v1/video/cameras.geojson").json()
    codes = {f["properties"]["code"]: f["properties"] for f in layer["features"]}
    assert set(codes) == {"SXT-001", "SXT-002"}  # the cameras of 第1网格
    assert codes["SXT-001"]["online"] is True  # it just sent an event
    assert codes["SXT-002"]["online"] is False
    roads = c.get("/api/v1/video/cameras.geojson?unit=road").json()["features"]
    assert [f["properties"]["code"] for f in roads] == ["SXT-002"]
    assert c.get("/api/v1/video/cameras.geojson?unit=mall").status_code == 422


def test_the_case_page_shows_the_alert_with_its_snapshots(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    for n in range(3):
        post_event(event(n, occurred_at=f"2026-11-27T09:0{n}:00+08:00"))
    case = Case.objects.get()
    html = signed_in(people["dispatcher"]).get(f"/cases/{case.pk}/").content.decode()
    assert "视频告警" in html and "3 次" in html and "百花里北门球机" in html
    assert html.count('alt="11-27 09:0') == 3
    assert "核查通过前须从该摄像头截图复核" in html


def test_a_pending_alert_is_confirmed_into_a_case_or_dismissed(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    post_event(event(1, type="crowd", confidence=0.9))
    alert = VideoAlert.objects.get()
    desk = signed_in(people["dispatcher"])
    listing = desk.get("/video/alerts/").content.decode()
    assert "人员聚集" in listing
    # No category on the type: the dispatcher must choose one.
    refused = desk.post(f"/video/alerts/{alert.pk}/decide/", {"decision": "confirm"}, follow=True)
    assert "请选择事项分类" in refused.content.decode()
    assert not Case.objects.exists()
    done = desk.post(
        f"/video/alerts/{alert.pk}/decide/",
        {"decision": "confirm", "category": "CSGL-01", "note": "现场核实有人摆摊聚集"},
    )
    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/cases/{case.pk}/"
    assert case.micro_grid.code == MICRO_A1
    assert case.description.startswith("现场核实有人摆摊聚集")
    assert VideoEvent.objects.get().outcome == "grouped"

    post_event(event(2, type="crowd", camera="SXT-002", confidence=0.9))
    other = VideoAlert.objects.get(camera__code="SXT-002")
    desk.post(f"/video/alerts/{other.pk}/decide/", {"decision": "dismiss"})
    later = post_event(event(3, type="crowd", camera="SXT-002", confidence=0.9)).json()
    assert later["outcome"] == "dismissed"
    assert Case.objects.count() == 1


def test_verification_waits_for_a_review_picture_from_the_same_camera(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    number = post_event(event(1, occurred_at="2026-11-27T09:00:00+08:00")).json()["case_number"]
    case = Case.objects.get(number=number)
    Case.objects.filter(pk=case.pk).update(status="resolved", resolution="已劝离")
    with pytest.raises(Exception, match="复核截图"):
        case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    # A frame from another camera is not a review of this one.
    desk = signed_in(people["dispatcher"])
    frame = {"purpose": "review", "case": case.pk}
    wrong = desk.post(
        f"/video/cameras/{cameras['SXT-002'].pk}/snapshot/",
        {**frame, "image": SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")},
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "复核截图须取自发现该问题的摄像头"
    right = desk.post(
        f"/video/cameras/{cameras['SXT-001'].pk}/snapshot/",
        {**frame, "image": SimpleUploadedFile("f.jpg", jpeg(), "image/jpeg")},
    )
    assert right.status_code == 201
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    assert Case.objects.get(pk=case.pk).status == "closed"  # no caller to follow up


def test_the_platform_may_send_the_review_picture(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    number = post_event(event(1, occurred_at="2026-11-27T09:00:00+08:00")).json()["case_number"]
    Case.objects.filter(number=number).update(status="resolved", resolution="已清理")
    review = post_event(event(2, occurred_at="2026-11-27T11:00:00+08:00", purpose="review"))
    assert review.json()["outcome"] == "review"
    case = Case.objects.get(number=number)
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    assert Case.objects.get(pk=case.pk).status == "closed"  # no caller to follow up


def test_a_frame_from_the_player_starts_a_case_in_the_cameras_grid(
    cameras: dict[str, Camera], people: dict[str, User]
) -> None:
    worker = signed_in(people["worker_a"])
    reply = worker.post(
        f"/video/cameras/{cameras['SXT-002'].pk}/snapshot/",
        {
            "purpose": "case",
            "description": "路口井盖缺失，已设置围挡",
            "category": "CSGL-01",
            "image": SimpleUploadedFile("frame.jpg", jpeg((320, 180)), "image/jpeg"),
        },
    )
    assert reply.status_code == 201, reply.content
    case = Case.objects.get(number=reply.json()["case_number"])
    assert case.micro_grid == cameras["SXT-002"].facility.micro_grid
    assert case.description == "路口井盖缺失，已设置围挡"
    assert case.attachments.count() == 1
    empty = worker.post(
        f"/video/cameras/{cameras['SXT-002'].pk}/snapshot/",
        {"purpose": "case", "description": "x", "category": "CSGL-01"},
    )
    assert (empty.status_code, empty.json()["detail"]) == (422, "没有收到截图")
    not_picture = worker.post(
        f"/video/cameras/{cameras['SXT-002'].pk}/snapshot/",
        {
            "purpose": "case",
            "description": "x",
            "category": "CSGL-01",
            "image": SimpleUploadedFile("f.jpg", b"not an image", "image/jpeg"),
        },
    )
    assert not_picture.status_code == 422
    assert Case.objects.count() == 1


def test_the_thumbnail_is_made_by_the_job(cameras: dict[str, Camera], post_event: Any) -> None:
    post_event(event(1))
    row = VideoEvent.objects.get()
    assert not row.thumb
    assert thumb_make(row.pk) == "made"
    row.refresh_from_db()
    assert row.thumb.name.endswith(".thumb.jpg")
    with row.thumb.open("rb") as fh:
        assert Image.open(io.BytesIO(fh.read())).size[0] <= 320


def test_a_residents_case_lists_the_cameras_near_it(
    cameras: dict[str, Camera], people: dict[str, User], report: Any
) -> None:
    case = report()  # at (113.6005, 34.7505): the north gate's camera 43 m away, the road's 283 m
    html = signed_in(people["worker_a"]).get(f"/cases/{case.pk}/").content.decode()
    assert "附近摄像头" in html
    assert f'href="/video/cameras/{cameras["SXT-001"].pk}/"' in html
    assert html.index("球机，约 43 米") < html.index("枪机，约 283 米")  # nearest first
    # A camera without a stream, or one of another grid, is not offered.
    assert "碧沙岗小学鹰眼" not in html
    assert (
        "附近摄像头" not in signed_in(people["resident"]).get(f"/cases/{case.pk}/").content.decode()
    )


def test_a_held_camera_waives_the_review(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    number = post_event(event(1)).json()["case_number"]
    case = Case.objects.get(number=number)
    Case.objects.filter(pk=case.pk).update(status="resolved", resolution="已劝离")
    Camera.objects.filter(code="SXT-001").update(hold="blocked")
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_staff_mark_a_camera_blocked_and_its_events_are_held(
    cameras: dict[str, Camera], people: dict[str, User], post_event: Any
) -> None:
    north = cameras["SXT-001"]
    worker = signed_in(people["worker_a"])
    page = worker.post(f"/video/cameras/{north.pk}/hold/", {"hold": "blocked"}, follow=True)
    assert "已标为遮挡" in page.content.decode()
    assert post_event(event(1)).json()["outcome"] == "held"
    worker.post(f"/video/cameras/{north.pk}/hold/", {"hold": ""})
    assert post_event(event(2)).json()["outcome"] == "cased"
    other = signed_in(people["worker_b"]).post(
        f"/video/cameras/{north.pk}/hold/", {"hold": "repair"}
    )
    assert other.status_code == 404
    assert Camera.objects.get(pk=north.pk).hold == ""


def test_a_frame_sent_again_after_a_lost_reply_is_one_case(
    cameras: dict[str, Camera], people: dict[str, User]
) -> None:
    worker = signed_in(people["worker_a"])

    def send() -> Any:
        return worker.post(
            f"/video/cameras/{cameras['SXT-002'].pk}/snapshot/",
            {
                "purpose": "case",
                "description": "路口有人占道摆摊",
                "category": "CSGL-01",
                "image": SimpleUploadedFile("frame.jpg", jpeg(), "image/jpeg"),
            },
            headers={"Idempotency-Key": "frame-0001"},
        )

    first, again = send(), send()
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Case.objects.count() == 1
