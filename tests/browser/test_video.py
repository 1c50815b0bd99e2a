"""鹰眼 at the desk, 1440 px wide: the stream of a camera plays (its time advances) from a local
gateway serving ffmpeg's H.264; a frame taken from it starts a case in the camera's grid; the
platform's AI events are one case whose page shows their snapshots."""

import io
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import close_contexts, opened, shot, sign_in
from tests.conftest import PASSWORD
from tests.video.conftest import event
from tests.video.fake_platform import gateway, make_flv, make_hls, post_event
from wangge.accounts.models import PersonalDataAccess
from wangge.cases.models import Case
from wangge.video.cameras import cameras_import
from wangge.video.models import Camera, VideoEventType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "browser-video-key"


def test_the_stream_plays_and_a_frame_from_it_becomes_a_case(
    live_server: Any, people: dict[str, Any], browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_PLATFORM_SECRET = SECRET
    make_hls(tmp_path / "gateway")
    VideoEventType.objects.update_or_create(
        code="occupy_road",
        defaults={"name": "占道经营", "category_code": "CSGL-01", "mode": "auto"},
    )
    with gateway(tmp_path / "gateway") as gw:
        cameras_import(
            "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
            f"SXT-001,41010200001320000001,百花里北门球机,113.6008,34.7508,球机,楼院,{gw}/live.m3u8\n"
        )
        camera = Camera.objects.get()
        for n in range(3):
            sent = post_event(
                live_server.url, SECRET, event(n, occurred_at=f"2026-11-27T09:0{n}:00+08:00")
            )
            assert sent.status_code == 201, sent.text
        ai_case = Case.objects.get()

        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        try:
            sign_in(page, live_server.url, people["worker_a"].phone, PASSWORD)
            page.goto(f"{live_server.url}/video/cameras/{camera.pk}/")
            expect(page.locator("#live-status")).to_have_text("实时画面播放中", timeout=15_000)
            first = page.evaluate("document.getElementById('live').currentTime")
            time.sleep(1.5)
            later = page.evaluate("document.getElementById('live').currentTime")
            assert later > first + 0.5, (first, later)
            assert page.evaluate("document.getElementById('live').videoWidth") == 320
            assert axe_serious(page) == []
            shot(page, "video-live-desk")
            # A grid worker opens the same camera on a phone, as first seen: axe, taps, width.
            phone = browser.new_context(
                locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True
            )
            try:
                on_phone = phone.new_page()
                sign_in(on_phone, live_server.url, people["worker_a"].phone, PASSWORD)
                found = opened(
                    on_phone, live_server.url, f"/video/cameras/{camera.pk}/", phone=True,
                    name="video-live",
                )  # fmt: skip
                assert found == {}, found
            finally:
                close_contexts([phone])
            views = PersonalDataAccess.objects.all()
            assert views.count() == 2  # the desk's view and the phone's, each audited
            assert {(v.actor_id, v.field) for v in views} == {(people["worker_a"].pk, "video")}

            page.get_by_label("问题描述").fill("北门外有流动摊贩占道")
            page.get_by_label("事项分类").select_option("CSGL-01")
            page.get_by_role("button", name="截取当前画面并立案").click()
            expect(page.locator("#snapshot-result")).to_contain_text("已立案", timeout=15_000)
            taken = Case.objects.exclude(pk=ai_case.pk).get()
            assert taken.micro_grid_id == camera.facility.micro_grid_id
            assert taken.description == "北门外有流动摊贩占道"
            photo = taken.attachments.get()
            with photo.image.open("rb") as fh:
                assert Image.open(io.BytesIO(fh.read())).size == (320, 240)

            page.goto(f"{live_server.url}/cases/{ai_case.pk}/")
            panel = page.locator("section.video-alert")
            expect(panel).to_contain_text("3 次")
            images = panel.locator("img")
            expect(images).to_have_count(3)
            for i in range(3):
                # The thumbnails load lazily: bring each into view and wait for its pixels.
                image = images.nth(i)
                image.scroll_into_view_if_needed()
                page.wait_for_function(
                    "img => img.complete && img.naturalWidth > 0",
                    arg=image.element_handle(),
                    timeout=10_000,
                )
            shot(page, "video-case-panel-desk")
        finally:
            close_contexts([context])


def test_the_ops_map_shows_the_cameras_by_unit_and_state(
    live_server: Any, people: dict[str, Any], browser: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VIDEO_PLATFORM_SECRET = SECRET
    cameras_import(
        "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
        "SXT-001,,百花里北门球机,113.6008,34.7508,球机,楼院,http://127.0.0.1:9/1.m3u8\n"
        "SXT-002,,伊河路口枪机,113.6030,34.7520,枪机,道路,http://127.0.0.1:9/2.flv\n"
        "SXT-003,,碧沙岗小学鹰眼,113.6060,34.7520,鹰眼,学校,\n"
    )
    Camera.objects.filter(code="SXT-003").update(hold="blocked")
    VideoEventType.objects.update_or_create(
        code="crowd", defaults={"name": "人员聚集", "mode": "confirm", "min_confidence": 0.5}
    )
    sent = post_event(live_server.url, SECRET, event(1, type="crowd"))  # SXT-001 heard from
    assert sent.json()["outcome"] == "pending"
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, people["dispatcher"].phone, PASSWORD)
        page.goto(f"{live_server.url}/ops/")
        page.wait_for_selector("#ops-map[data-polygons]")
        page.get_by_label("显示摄像头").check()
        page.wait_for_selector("#ops-map[data-cameras='3']")
        expect(page.locator("#ops-camera-count")).to_have_text("3 路摄像头")
        assert page.locator("path.ops-camera-online").count() == 1
        assert page.locator("path.ops-camera-offline").count() == 1
        assert page.locator("path.ops-camera-hold").count() == 1
        page.get_by_label("所属单位").select_option(label="道路")
        page.wait_for_selector("#ops-map[data-cameras='1']")
        page.locator("path.ops-camera").first.click(force=True)
        popup = page.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("伊河路口枪机（枪机 · 道路）")
        expect(popup.get_by_role("link", name="查看实时画面")).to_be_visible()
        page.get_by_role("link", name="视频告警待确认 1 条").click()
        expect(page.locator("table.list")).to_contain_text("百花里北门球机")
        shot(page, "video-alerts-desk")
    finally:
        close_contexts([context])


def test_an_http_flv_stream_plays_through_mpegts(
    live_server: Any, people: dict[str, Any], browser: Any, tmp_path: Path
) -> None:
    make_flv(tmp_path / "gateway")
    with gateway(tmp_path / "gateway") as gw:
        cameras_import(
            "编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址\n"
            f"SXT-002,,伊河路口枪机,113.6030,34.7520,枪机,道路,{gw}/live.flv\n"
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
        page = context.new_page()
        try:
            sign_in(page, live_server.url, people["dispatcher"].phone, PASSWORD)
            page.goto(f"{live_server.url}/video/cameras/{Camera.objects.get().pk}/")
            expect(page.locator("#live-status")).to_have_text("实时画面播放中", timeout=15_000)
            first = page.evaluate("document.getElementById('live').currentTime")
            time.sleep(1.5)
            later = page.evaluate("document.getElementById('live').currentTime")
            assert later > first + 0.5, (first, later)
            assert page.evaluate("document.getElementById('live').videoWidth") == 320
        finally:
            close_contexts([context])
