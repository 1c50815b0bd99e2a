"""A grid worker's phone (390 × 844) on a bad day: in a lift the phone says online but nothing
comes back, in a basement there is no signal at all, and the session runs out before the signal
returns. Nothing typed is lost, everything arrives once and in order, and nothing is written under
another person's name.
"""

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from PIL import Image
from playwright.sync_api import expect

from tests.browser.axe import axe_serious
from tests.browser.conftest import IN_FLIGHT, shot, sign_in
from tests.browser.resident_pages import MEASURE
from tests.browser.test_staff_shell import PAGES
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Status
from wangge.cases.services import case_act
from wangge.grids.services import buildings_import
from wangge.ledgers.checklists import checklists_load
from wangge.ledgers.models import Inspection
from wangge.residents.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 110, 70)).save(out, format="JPEG", quality=85)
    path.write_bytes(out.getvalue())
    return str(path)


def wait_cached(page: Any) -> None:
    """The staff service worker controls the page and has kept a copy of it."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller")
    page.wait_for_function(
        "caches.match(location.href, {ignoreVary: true}).then(Boolean)", polling=100
    )


def small_controls(page: Any, scope: str) -> list[Any]:
    """Buttons and links under 44 × 44 in `scope` (none outside running text on field pages)."""
    return list(
        page.evaluate(
            """(scope) => [...document.querySelectorAll(scope)].flatMap(root =>
                [...root.querySelectorAll('button, a, summary')])
                .filter(e => e.offsetParent && !e.closest('p.hint, dd, li > .why'))
                .map(e => [e.textContent.trim(), e.getBoundingClientRect().width,
                           e.getBoundingClientRect().height])
                .filter(([_t, w, h]) => w < 44 || h < 44)""",
            scope,
        )
    )


def test_a_visit_whose_answer_never_comes_is_kept_and_arrives_once(
    settings: Any,
    live_server: Any,
    people: dict[str, Any],
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
    tmp_path: Path,
) -> None:
    settings.OUTBOX_SEND_TIMEOUT_SECONDS = 2  # a short wait, for the test's sake
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": 113.6008, "latitude": 34.7508})
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/residents/visits/overdue/")
    page.locator(".case-card", has_text="张桂芳").get_by_role("link", name="记录走访").click()
    page.wait_for_selector("text=已记录位置")
    page.get_by_label("走访情况").fill("老人在家，血压正常；电梯里信号时有时无")
    page.get_by_label("照片").set_input_files(photo(tmp_path, "door.jpg"))

    # In the lift: the phone says online, the server writes the visit, and its answer never
    # comes (held, not refused): the outbox gives up after its time limit and keeps the item.
    lost: list[int] = []
    held: list[Any] = []

    def hold_the_answer(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        lost.append(route.fetch().status)
        held.append(route)  # never fulfilled

    def refuse_the_page(route: Any) -> None:
        if route.request.method == "POST":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/v1/residents/persons/*/visits", hold_the_answer)
    # (The page's own address answers no POST in the lift either.)
    page.route("**/residents/persons/*/visit/", refuse_the_page)
    form_url = page.url
    page.get_by_role("button", name="保存走访").click()
    status = page.locator("#visit-form .outbox-status")
    expect(status).to_contain_text("网络无应答")
    expect(status).to_contain_text("不会重复提交")
    assert lost == [201] and page.url == form_url  # the form's page, not the browser's error
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")
    assert "走访 张桂芳" in page.locator("#outbox-list").inner_text()
    IN_FLIGHT.wait_idle()
    assert Visit.objects.count() == 1  # written by the first attempt
    assert axe_serious(page) == []
    assert small_controls(page, "#visit-form, #outbox") == []
    shot(page, "field-visit-no-answer-phone")

    # Out of the lift: the same item again with its key is the first answer, not a second visit.
    page.unroute("**/api/v1/residents/persons/*/visits")
    page.unroute("**/residents/persons/*/visit/")
    assert len(held) == 1
    page.evaluate("WanggeOutbox.flush()")
    page.wait_for_url(f"{base}/residents/persons/{register['elder'].pk}/")
    expect(page.locator(".messages li")).to_contain_text("走访已记录")
    IN_FLIGHT.wait_idle()
    visit = Visit.objects.get()
    assert visit.findings == "老人在家，血压正常；电梯里信号时有时无"
    assert visit.photos.count() == 1
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1)


def test_every_field_tab_opens_offline_from_what_was_last_seen(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    seen = {}
    for name, path in PAGES.items():
        page.goto(base + path)
        wait_cached(page)
        seen[name] = page.locator("main h1").first.inner_text()
        # The outbox is on every tab (empty and quiet while there is signal).
        expect(page.locator("#outbox-config")).to_be_attached()

    page.context.set_offline(True)
    findings = {}
    for name, path in PAGES.items():
        page.goto(base + path)
        expect(page.locator("main h1").first).to_have_text(seen[name])
        expect(page.locator('nav.tabbar a[aria-current="page"]')).to_have_text(name)
        # Without signal the list says so wherever the worker is.
        expect(page.locator("#outbox-net")).to_contain_text("当前无网络")
        assert "这个页面还没有在本机保存过" not in page.content(), name
        # Each tab as it reads without signal, the list's notice included.
        findings[name] = axe_serious(page) + page.evaluate(MEASURE, [0, 44])["taps"]
    assert {name: found for name, found in findings.items() if found} == {}
    shot(page, "field-me-offline-phone")


def test_sign_then_close_in_one_offline_visit_arrives_in_order(
    live_server: Any, people: dict[str, Any], report: Any, new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    worker = people["worker_a"]
    case = report("3号楼楼道堆放纸箱，堵住消防通道", at=IN_A1)
    page = new_page(phone=True)
    sign_in(page, base, worker.phone, PASSWORD)
    page.goto(f"{base}/cases/queue/")
    page.get_by_role("link", name=case.title).first.click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    wait_cached(page)

    # The basement: 签收, and the page shows the case as signed, with 办结 to take next.
    page.context.set_offline(True)
    page.get_by_role("button", name="签收", exact=True).click()
    expect(page.locator("#case-status")).to_have_text("碧沙岗第1网格已签收，正在处理（待发送）")
    expect(page.get_by_role("button", name="签收", exact=True)).to_have_count(0)
    resolve = page.locator("details[data-action=resolve]")
    resolve.locator("summary").click()
    resolve.locator("[name=result]").fill("纸箱已清走，通道畅通")
    # Two photos taken; the blurred one removed before sending.
    files = resolve.locator("input[type=file]")
    expect(files).to_have_attribute("capture", "environment")
    files.set_input_files([photo(tmp_path, "a.jpg"), photo(tmp_path, "b.jpg")])
    previews = resolve.locator(".photo-previews li")
    expect(previews).to_have_count(2)
    previews.nth(1).get_by_role("button", name="移除第 2 张照片").click()
    expect(previews).to_have_count(1)
    resolve.get_by_role("button", name="办结").click()
    expect(page.locator("#case-status")).to_contain_text("（待发送）")
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 2")
    expect(page.locator("#case-actions .outbox-status")).to_contain_text("联网后自动发送")
    assert Case.objects.get(pk=case.pk).status == Status.DISPATCHED
    assert axe_serious(page) == []
    assert small_controls(page, "#case-actions, #outbox") == []
    shot(page, "field-sign-then-close-offline-phone")

    # Back up: 签收 first, then 办结, each once, and the page as the server now has it.
    page.context.set_offline(False)
    expect(page.locator(".messages li", has_text="已办结")).to_be_visible(timeout=15000)
    IN_FLIGHT.wait_idle()
    actions = list(
        CaseEvent.objects.filter(case=case, action__in=("sign", "resolve"))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["sign", "resolve"]
    case.refresh_from_db()
    assert case.status == Status.RESOLVED and case.resolution == "纸箱已清走，通道畅通"
    assert CaseAttachment.objects.filter(case=case, kind="after").count() == 1
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(2)


def test_an_item_that_meets_an_expired_session_waits_for_its_owner(
    live_server: Any, people: dict[str, Any], report: Any, new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    # The grid's leader could act on this case: only the owner's name keeps the item from them.
    worker, other = people["worker_a"], people["grid_leader_a"]
    case = report("小区东门路灯不亮")
    case_act(case_id=case.pk, actor=worker, action="sign")
    page = new_page(phone=True)
    sign_in(page, base, worker.phone, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    wait_cached(page)

    # Progress with a photo, noted without signal.
    page.context.set_offline(True)
    contact = page.locator("details[data-action=contact]")
    contact.locator("summary").click()
    contact.locator("[name=note]").fill("已联系物业，明早更换灯泡")
    contact.locator("input[type=file]").set_input_files(photo(tmp_path, "lamp.jpg"))
    contact.get_by_role("button", name="联系诉求人").click()
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")

    # The session ran out meanwhile: the item stays, and the worker is asked to sign in.
    Session.objects.all().delete()
    page.context.set_offline(False)
    page.evaluate("WanggeOutbox.flush()")
    item = page.locator("#outbox-list li").first
    expect(item).to_have_attribute("data-state", "waiting")
    expect(item.locator(".why")).to_have_text("登录已过期，请重新登录后自动发送")
    expect(page.locator("#outbox-login a")).to_be_visible()
    # Someone else signs in on the same phone: the item is still not sent, not under their name.
    tab = page.context.new_page()
    sign_in(tab, base, other.phone, PASSWORD)
    page.evaluate("WanggeOutbox.flush()")
    expect(item).to_have_attribute("data-state", "waiting")
    IN_FLIGHT.wait_idle()
    assert not CaseEvent.objects.filter(case=case, action="contact").exists()
    tab.get_by_role("button", name="退出登录").click()
    tab.wait_for_url("**/accounts/login/**")
    tab.close()

    # Its owner signs in again and lands back on the case: delivered once, with its photo.
    page.locator("#outbox-login a").click()
    page.get_by_label("手机号").fill(worker.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/cases/{case.pk}/")
    expect(page.locator("#outbox-list li[data-state=sent]")).to_have_count(1, timeout=15000)
    IN_FLIGHT.wait_idle()
    event = CaseEvent.objects.get(case=case, action="contact")
    assert event.actor == worker and event.attachments.count() == 1


def test_a_refused_checklist_is_put_right_and_sent_again(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    checklists_load()  # the transactional flush removed the migration's rows
    buildings_import("address,lon,lat,code\n中原区伊河路百花里5号楼,113.6009,34.7509,BH5\n")
    base = live_server.url
    page = new_page(phone=True)  # no position: the phone's location is off
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/patrols/")
    page.get_by_role("link", name="安全隐患排查").click()
    page.get_by_role("link", name="排查：电动车飞线充电排查").click()
    wait_cached(page)

    # In the bicycle shed without signal: "百花里" is typed, which names two buildings.
    page.context.set_offline(True)
    page.get_by_label("楼栋地址").fill("百花里")
    page.get_by_label("场所（商铺、单元、车棚等）").fill("东侧车棚")
    items = page.locator(".check-item")
    for i in range(items.count()):
        items.nth(i).get_by_label("合格", exact=True).check()
    items.nth(0).get_by_label("不合格", exact=True).check()
    items.nth(0).get_by_label("问题说明").fill("车棚内私拉电线充电")
    page.get_by_role("button", name="提交排查").click()
    expect(page.locator("#outbox-waiting")).to_have_text("待发送 1")

    page.context.set_offline(False)
    refused = page.locator("#outbox-list li[data-state=failed]")
    expect(refused.locator(".why")).to_contain_text("对应多栋楼", timeout=15000)
    assert not Inspection.objects.exists()

    # Not only 移除: back into the form, every answer as it was, to pick the building and resend.
    assert axe_serious(page) == []
    assert small_controls(page, "#checklist-form, #outbox") == []
    refused.get_by_role("button", name="修改后重发").click()
    expect(page.get_by_label("楼栋地址")).to_have_value("百花里")
    expect(page.get_by_label("场所（商铺、单元、车棚等）")).to_have_value("东侧车棚")
    expect(items.nth(0).get_by_label("不合格", exact=True)).to_be_checked()
    expect(items.nth(0).get_by_label("问题说明")).to_have_value("车棚内私拉电线充电")
    expect(items.nth(1).get_by_label("合格", exact=True)).to_be_checked()
    expect(page.locator("#checklist-form .outbox-status")).to_contain_text("对应多栋楼")
    page.get_by_label("楼栋地址").fill("百花里5号楼")
    page.get_by_role("option", name="中原区伊河路百花里5号楼").click()
    page.get_by_role("button", name="提交排查").click()
    page.wait_for_url(f"{base}/ledgers/hazards/*/")
    expect(page.locator(".messages li")).to_contain_text("排查已提交")
    IN_FLIGHT.wait_idle()
    inspection = Inspection.objects.get()
    assert inspection.building is not None and inspection.building.code == "BH5"
    assert inspection.results.filter(passed=False).count() == 1
    expect(page.locator("#outbox-failed")).to_have_text("未成功 0")
