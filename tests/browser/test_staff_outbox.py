"""Field work without signal on a 390×844 phone, delivered exactly once when the signal returns.

A grid worker's patrol keeps its track and a finding on the phone while offline; back online the
track has every point and the finding is one case, even when the first answer is lost on the
way. A case closed in a basement is closed once; one transferred meanwhile is refused in words
and stays in the outbox as 未成功.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import IN_FLIGHT, shot, sign_in
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Status
from wangge.cases.services import case_act
from wangge.core.models import IdempotencyKey
from wangge.patrols.models import Finding, Patrol, TrackPoint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(tmp_path: Path, name: str = "scene.jpg") -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), (70, 90, 120)).save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return str(path)


def wait_cached(page: Any) -> None:
    """The staff service worker controls the page and keeps a copy of it for offline use."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    for _ in range(150):
        if page.evaluate("caches.match(location.href, {ignoreVary: true}).then(Boolean)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page was not kept for offline use")


def pending_points(page: Any, url: str) -> int:
    return int(page.evaluate("(u) => WanggeOutbox.pendingPoints(u)", url))


def test_offline_patrol_keeps_every_point_and_the_finding_is_one_case(
    live_server: Any, people: dict[str, Any], new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": IN_A1[0], "latitude": IN_A1[1]})
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/patrols/")
    page.get_by_role("button", name="开始巡查").click()
    page.wait_for_selector("text=已定位")
    page.wait_for_function("document.getElementById('point-count').textContent !== '0'")
    patrol = Patrol.objects.get()
    track_url = f"/api/v1/patrols/{patrol.pk}/track"
    wait_cached(page)
    online = TrackPoint.objects.filter(patrol=patrol).count()
    assert online >= 1 and pending_points(page, track_url) == 0

    # Into the basement: twenty positions and a finding with a photo, all kept on the phone.
    page.context.set_offline(True)
    walk = [(IN_A1[0] + 0.00002 * i, IN_A1[1] + 0.00001 * i) for i in range(1, 21)]
    for n, (lon, lat) in enumerate(walk, start=1):
        page.context.set_geolocation({"longitude": lon, "latitude": lat})
        page.wait_for_function(
            "([u, n]) => WanggeOutbox.pendingPoints(u).then((k) => k >= n)", arg=[track_url, n]
        )
    assert pending_points(page, track_url) == 20
    page.get_by_label("隐患类型").select_option(label="飞线充电")
    page.get_by_label("问题描述").fill("3号楼车棚内电动车飞线充电")
    page.get_by_label("现场照片").set_input_files(photo(tmp_path))
    page.get_by_role("button", name="提交发现").click()
    expect(page.locator("#finding-form .outbox-status")).to_contain_text("联网后自动发送")
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 2")
    expect(page.locator("#outbox-net")).to_contain_text("当前无网络")
    assert "巡查发现 · 飞线充电" in page.locator("#outbox-list").inner_text()
    assert TrackPoint.objects.filter(patrol=patrol).count() == online
    assert not Finding.objects.exists()
    shot(page, "outbox-patrol-offline-phone")

    # Back up the stairs: the first answer for the track is lost on the way (the server has
    # written the batch, the phone hears nothing), so the points must stay on the phone.
    lost: list[int] = []

    def lose_first_answer(route: Any) -> None:
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)
        route.abort()

    page.route("**/api/v1/patrols/*/track", lose_first_answer)
    back_online = timezone.now()
    page.context.set_offline(False)
    page.wait_for_function("() => document.querySelector('#outbox-net').hidden")
    page.wait_for_timeout(500)
    assert lost == [200]
    assert TrackPoint.objects.filter(patrol=patrol).count() == online + 20
    assert pending_points(page, track_url) == 20  # not acknowledged, so not dropped
    assert not Finding.objects.exists()  # the outbox waits for the track before the rest

    # The next attempt sends the same batch under the same key: acknowledged, not doubled.
    page.evaluate("WanggeOutbox.flush()")
    page.wait_for_selector(".messages li")
    assert "已生成事件" in page.locator(".messages").inner_text()
    # (The reloaded page goes on recording; what was taken before coming back is counted.) On
    # SQLite a read while the live server's thread writes a track batch finds the table locked:
    # read once the server is quiet.
    IN_FLIGHT.wait_idle()
    taken = TrackPoint.objects.filter(patrol=patrol, at__lt=back_online)
    assert taken.count() == online + 20
    stored = set(taken.values_list("lon", "lat"))
    assert {(round(lon, 6), round(lat, 6)) for lon, lat in walk} <= stored
    finding = Finding.objects.get()
    case = finding.case
    assert case.channel == "patrol" and case.attachments.count() == 1
    assert max(case.attachments.get().width, case.attachments.get().height) <= 1600
    assert Case.objects.count() == 1
    expect(page.locator(".case-list")).to_contain_text("飞线充电")
    page.evaluate("WanggeOutbox.flush()")
    assert pending_points(page, track_url) == 0
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 0")
    expect(page.locator("#outbox-list li[data-state=sent]")).to_contain_text(case.number or "")
    shot(page, "outbox-patrol-sent-phone")

    # The finding sent again with its key (a flaky network retrying) is still one case.
    key = IdempotencyKey.objects.get(scope=f"patrol_finding:{patrol.pk}").key
    again = page.evaluate(
        """async ([url, key]) => {
            const body = new FormData();
            body.append("hazard", "flying_wire");
            body.append("description", "3号楼车棚内电动车飞线充电");
            body.append("lon", "113.6005");
            body.append("lat", "34.7505");
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: "POST", body,
                headers: {"X-CSRFToken": csrf, "Idempotency-Key": key}});
            return [r.status, (await r.json()).case_number];
        }""",
        [f"/api/v1/patrols/{patrol.pk}/findings", key],
    )
    assert again == [201, case.number]
    assert Finding.objects.count() == 1 and Case.objects.count() == 1


def test_a_case_closed_offline_is_closed_once_and_a_transferred_one_is_refused_in_words(
    live_server: Any,
    people: dict[str, Any],
    new_page: Any,
    report: Callable[..., Case],
    tmp_path: Path,
) -> None:
    base = live_server.url
    worker = people["worker_a"]
    case = report("楼道里堆满纸箱，消防通道被堵")
    case_act(case_id=case.pk, actor=worker, action="sign")
    page = new_page(phone=True)
    sign_in(page, base, worker.phone, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    wait_cached(page)

    # No signal: the page last seen opens from the phone, and 办结 waits in the outbox.
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("h1")).to_have_text(case.title)
    panel = page.locator("details", has=page.locator("summary:text-is('办结')"))
    panel.locator("summary").click()
    panel.locator("[name=result]").fill("纸箱已清走，通道畅通")
    panel.locator("input[type=file]").set_input_files(photo(tmp_path, "after.jpg"))
    panel.get_by_role("button", name="办结").click()
    # The page shows the state the queued 办结 leads to, and says where the work is.
    expect(page.locator("#case-actions .outbox-status")).to_contain_text("联网后自动发送")
    expect(page.locator("#case-status")).to_contain_text("（待发送）")
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")
    assert f"事件 {case.number} · 办结" in page.locator("#outbox-list").inner_text()
    case.refresh_from_db()
    assert case.status == Status.SIGNED
    shot(page, "outbox-case-offline-phone")

    page.context.set_offline(False)
    expect(page.locator(".messages li", has_text="已办结")).to_be_visible(timeout=15000)
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.resolution == "纸箱已清走，通道畅通"
    assert CaseEvent.objects.filter(case=case, action="resolve").count() == 1
    assert CaseAttachment.objects.filter(case=case, kind="after").count() == 1
    expect(page.locator("#outbox-list li[data-state=sent]")).to_contain_text("办结")

    # The same item delivered again (its answer lost) is the first answer, not a second 办结.
    key = IdempotencyKey.objects.get(scope=f"case_act:{case.pk}:resolve").key
    again = page.evaluate(
        """async ([url, key]) => {
            const body = new FormData();
            body.append("action", "resolve");
            body.append("result", "纸箱已清走，通道畅通");
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const r = await fetch(url, {method: "POST", body,
                headers: {"X-CSRFToken": csrf, "Idempotency-Key": key}});
            return [r.status, (await r.json()).status];
        }""",
        [f"/api/v1/cases/{case.pk}/actions", key],
    )
    assert again == [200, "resolved"]
    assert CaseEvent.objects.filter(case=case, action="resolve").count() == 1

    # A second case: closed offline while the dispatcher hands it to the community.
    other = report("小区东门路灯不亮，晚上看不清路")
    case_act(case_id=other.pk, actor=worker, action="sign")
    page.goto(f"{base}/cases/{other.pk}/")
    page.context.set_offline(True)
    panel = page.locator("details", has=page.locator("summary:text-is('办结')"))
    panel.locator("summary").click()
    panel.locator("[name=result]").fill("已报修")
    panel.get_by_role("button", name="办结").click()
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")
    community = people["community"].grants.get().node
    case_act(
        case_id=other.pk,
        actor=people["dispatcher"],
        action="transfer",
        note="路灯归社区统一报修",
        params={"node": community.code},
    )
    page.context.set_offline(False)
    refused = page.locator("#outbox-list li[data-state=failed]")
    expect(refused).to_contain_text(f"该事件现由{community.name}办理，您不能再办结", timeout=15000)
    expect(refused.locator(".state")).to_have_text("未成功")
    expect(page.locator("#outbox-failed")).to_have_text("未成功 1")
    expect(panel.locator(".outbox-status[role=alert]")).to_contain_text("该事件现由")
    other.refresh_from_db()
    assert other.status == Status.DISPATCHED
    assert not CaseEvent.objects.filter(case=other, action="resolve").exists()
    shot(page, "outbox-case-refused-phone")
    # The worker has read it and clears it from the list.
    refused.get_by_role("button", name="移除").click()
    expect(page.locator("#outbox-failed")).to_have_text("未成功 0")
