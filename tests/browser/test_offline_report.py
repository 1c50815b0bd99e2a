"""A report made with no signal is kept on the phone and delivered once the network is back —
exactly once, even when the page sends it again."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.conftest import PASSWORD
from wangge.cases.models import Case
from wangge.mobile.modules import OFFLINE_SCOPES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def big_photo(tmp_path: Path) -> str:
    path = tmp_path / "phone.jpg"
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 120, 160)).save(out, format="JPEG", quality=95)
    path.write_bytes(out.getvalue())
    return str(path)


def test_offline_report_is_delivered_once_when_back_online(
    live_server: Any, people: dict[str, Any], new_page: Any, tmp_path: Path
) -> None:
    page = new_page(phone=True, geolocation={"longitude": 113.6005, "latitude": 34.7505})
    sign_in(page, live_server.url, people["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/m/report/")
    page.context.set_offline(True)
    page.get_by_label("问题描述").fill("楼道灯坏了，晚上老人上下楼看不见")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_selector("text=已获取位置")
    page.locator("#m-photos").set_input_files(big_photo(tmp_path))
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#m-report-status[data-state=queued]")
    assert "联网后自动提交" in page.locator("#m-report-status").inner_text()
    assert Case.objects.count() == 0
    shot(page, "offline-queued")

    page.context.set_offline(False)
    page.wait_for_selector("#m-report-status[data-state=sent]", timeout=15000)
    case = Case.objects.get()
    assert case.description == "楼道灯坏了，晚上老人上下楼看不见"
    assert case.reporter == people["resident"] and case.micro_grid is not None
    photo = case.attachments.get()
    assert max(photo.width, photo.height) <= 1600  # shrunk on the phone before upload
    shot(page, "offline-sent")

    # The same report sent again (a flaky network retrying) is still one case.
    outbox_id = case.external_id.split(":", 1)[1]
    again = page.evaluate(
        """async (id) => {
            const body = new FormData();
            body.append("description", "楼道灯坏了，晚上老人上下楼看不见");
            body.append("location", JSON.stringify({lon: 113.6005, lat: 34.7505}));
            body.append("channel", "snapshot");
            body.append("external_id", id);
            const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
            const r = await fetch("/api/v1/cases",
                                  {method: "POST", body, headers: {"X-CSRFToken": csrf}});
            return r.status;
        }""",
        outbox_id,
    )
    assert again == 200
    assert Case.objects.count() == 1
    page.reload()
    assert page.locator("#m-queued").is_hidden()


def workers_ready(page: Any) -> None:
    """Wait until the app's service worker is active for every one of its scopes."""
    ready = page.evaluate(
        """async (n) => {
            for (let i = 0; i < 300; i += 1) {
                const regs = await navigator.serviceWorker.getRegistrations();
                if (regs.filter((r) => r.active).length >= n) return true;
                await new Promise((r) => setTimeout(r, 100));
            }
            return false;
        }""",
        len(OFFLINE_SCOPES),
    )
    assert ready, "the app's service worker did not start for every scope"


def test_a_report_queued_on_the_report_page_is_delivered_from_another_page_once(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": 113.6005, "latitude": 34.7505})
    sign_in(page, base, people["resident"].phone, PASSWORD)
    workers_ready(page)
    page.goto(f"{base}/m/report/")
    page.context.set_offline(True)
    page.get_by_label("问题描述").fill("小区东门的垃圾桶满了，三天没人清")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_selector("text=已获取位置")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#m-offline-done")).to_be_visible()
    assert Case.objects.count() == 0

    # Still without signal, the home page says the report waits and that any page sends it.
    page.goto(f"{base}/m/")
    expect(page.locator("#m-outbox-waiting")).to_contain_text("有 1 条反映保存在手机上")
    expect(page.locator("#m-outbox-waiting")).to_contain_text("打开本应用的任何一页都可以")
    assert Case.objects.count() == 0
    shot(page, "offline-home-waiting")

    # The resident leaves the app; later, with signal, opens 我的 (not 有事找支部).
    context = page.context
    page.close()
    context.set_offline(False)
    other = context.new_page()
    other.goto(f"{base}/m/me/")
    expect(other.locator("#m-outbox-number")).to_be_visible(timeout=20000)
    case = Case.objects.get()
    assert case.description == "小区东门的垃圾桶满了，三天没人清"
    expect(other.locator("#m-outbox-number")).to_have_text(case.number)
    handler = case.assignee.name if case.assignee else case.handling_node.name
    expect(other.locator("#m-outbox-handler")).to_have_text(handler)
    if case.due_at:
        expect(other.locator("#m-outbox-due")).to_contain_text("前")
    expect(other.locator("#m-outbox")).not_to_contain_text("没有网络")
    shot(other, "offline-delivered-elsewhere")

    # Shown once, sent once: the next pages neither repeat it nor send it again.
    other.goto(f"{base}/circles/")
    other.goto(f"{base}/m/")
    expect(other.locator("#m-outbox")).to_be_hidden()
    assert Case.objects.count() == 1


def test_resident_pages_outside_m_open_offline_and_a_page_never_opened_says_so(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    workers_ready(page)
    seen = {"/cases/mine/": "我的诉求", "/circles/": "圈子", "/assistant/": "小原"}
    for path in seen:
        page.goto(f"{base}{path}")
    page.context.set_offline(True)
    for path, words in seen.items():
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", name=words).first).to_be_visible()
        expect(page.locator("#m-not-saved")).to_have_count(0)
        expect(page.locator("nav.m-tabs")).to_be_visible()
    # Never opened: said so plainly, with the way home (never the home page in its place).
    for never in ("/m/notices/", "/circles/?page=2", "/market/"):
        page.goto(f"{base}{never}")
        expect(page.locator("#m-not-saved")).to_contain_text("这一页没有保存在手机上")
    shot(page, "offline-not-saved")
    page.get_by_role("link", name="回到首页").click()
    expect(page.locator("#modules")).to_be_visible()


def test_background_sync_delivers_a_queued_report_with_no_page_of_the_app_open(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": 113.6005, "latitude": 34.7505})
    sign_in(page, base, people["resident"].phone, PASSWORD)
    workers_ready(page)
    page.goto(f"{base}/m/report/")
    page.context.set_offline(True)
    page.get_by_label("问题描述").fill("路口的井盖丢了，晚上很危险")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_selector("text=已获取位置")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#m-offline-done")).to_be_visible()
    context = page.context
    page.close()
    context.set_offline(False)
    # Only a page outside the app is open; the browser fires the sync the report page asked for.
    outside = context.new_page()
    outside.goto(f"{base}/healthz")
    cdp = context.new_cdp_session(outside)
    registrations: list[dict[str, Any]] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    outside.wait_for_timeout(500)
    app = next(r for r in registrations if r["scopeURL"] == f"{base}/m/" and not r["isDeleted"])
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": base,
            "registrationId": app["registrationId"],
            "tag": "wangge-reports",
            "lastChance": False,
        },
    )
    for _ in range(100):
        if Case.objects.exists():
            break
        outside.wait_for_timeout(200)
    case = Case.objects.get()
    assert case.description == "路口的井盖丢了，晚上很危险"
    # The next page of the app shows what became of it, and sends nothing again.
    other = context.new_page()
    other.goto(f"{base}/m/")
    expect(other.locator("#m-outbox-number")).to_have_text(case.number)
    assert Case.objects.count() == 1
