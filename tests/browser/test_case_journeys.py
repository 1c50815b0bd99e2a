"""The loop in a browser: a resident's report closed with them; a case whistled to departments."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD
from wangge.cases.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (800, 600), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def photos_shown(page: Any, count: int) -> None:
    """The case's photo strip really arrived: each thumbnail, fetched through /media/ with the
    viewer's session, decoded to a picture in the browser. (The timeline's copies load lazily.)"""
    images = page.locator(".photos").first.locator("img")
    expect(images).to_have_count(count)
    images.last.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelector('.photos').querySelectorAll('img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    sources = images.evaluate_all("list => list.map(i => i.getAttribute('src'))")
    assert all(src.startswith("/media/cases/") for src in sources), sources


def do(page: Any, label: str, fill: dict[str, str] | None = None, files: str | None = None) -> None:
    """Open an action's panel on the case page, fill it in, submit, and wait for the page the
    submit opens: the case page still says what the last action did, so wait for this one."""
    # The page may still be loading from the click that opened it: wait until the action is
    # there in either form before asking which form it takes.
    one_tap = page.locator("form.one-tap", has=page.get_by_role("button", name=label, exact=True))
    summary = page.locator(f"details > summary:text-is('{label}')")
    expect(one_tap.or_(summary).first).to_be_visible()
    if one_tap.count():  # an action with nothing to fill in (签收) is one button
        one_tap.get_by_role("button", name=label).click()
        expect(page.locator(".messages li", has_text=f"已{label}")).to_be_visible()
        return
    panel = page.locator("details", has=page.locator(f"summary:text-is('{label}')"))
    panel.locator("summary").click()
    for field, value in (fill or {}).items():
        panel.locator(f"[name={field}]").fill(value)
    if files:
        panel.locator("input[type=file]").set_input_files(files)
    panel.get_by_role("button", name=label).click()
    expect(page.locator(".messages li", has_text=f"已{label}")).to_be_visible()


def test_resident_report_to_closure(
    live_server: Any, people: dict[str, Any], new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    resident = new_page(phone=True, geolocation={"longitude": IN_A1[0], "latitude": IN_A1[1]})
    sign_in(resident, base, people["resident"].phone, PASSWORD)
    resident.goto(f"{base}/cases/new/")
    resident.get_by_label("问题描述").fill("小区门口有人摆摊占道，老人出门要绕到马路上")
    resident.get_by_role("button", name="使用我的位置").click()
    resident.wait_for_function("document.getElementById('id_lon').value !== ''")
    resident.locator("input[type=file]").set_input_files(
        photo(tmp_path, "before.jpg", (160, 40, 40))
    )
    resident.get_by_role("button", name="提交").click()
    resident.wait_for_selector("#case-status")
    assert "已派给碧沙岗第1网格办理" in resident.locator("#case-status").inner_text()
    shot(resident, "journey1-resident-reported")
    case = Case.objects.get()
    assert case.attachments.count() == 1 and case.category is not None  # suggested from the text
    photos_shown(resident, 1)

    worker = new_page(phone=True)
    sign_in(worker, base, people["worker_a"].phone, PASSWORD)
    worker.goto(f"{base}/cases/queue/")
    worker.get_by_role("link", name=case.title).click()
    do(worker, "签收")
    do(
        worker,
        "办结",
        {"result": "已劝离摊贩，清理了占道物品"},
        files=photo(tmp_path, "after.jpg", (40, 160, 40)),
    )
    shot(worker, "journey1-worker-resolved")
    photos_shown(worker, 2)  # the report photo and the one taken after handling

    resident.reload()
    assert "已办结，等待核查" in resident.locator("#case-status").inner_text()

    dispatcher = new_page()
    sign_in(dispatcher, base, people["dispatcher"].phone, PASSWORD)
    dispatcher.goto(f"{base}/cases/{case.pk}/")
    do(dispatcher, "核查通过")
    dispatcher.goto(f"{base}/cases/followups/")
    dispatcher.get_by_role("link", name=case.title).click()
    panel = dispatcher.locator("details[data-action=follow_up]")
    panel.locator("summary").click()
    panel.get_by_label("已联系上").check()
    panel.locator("input[name=contacted][value='1']").check()
    panel.get_by_label("已解决").check()
    panel.get_by_label("满意", exact=True).check()
    panel.get_by_role("button", name="回访").click()
    dispatcher.wait_for_selector(".messages li")
    shot(dispatcher, "journey1-dispatcher-closed")

    resident.goto(f"{base}/cases/mine/")
    assert "已结案" in resident.locator(".case-list").inner_text()
    resident.goto(f"{base}/cases/{case.pk}/")
    timeline = resident.locator("#timeline").inner_text()
    # The resident's page says each step in plain words, not the staff's action names.
    for word in ("收到您的反映", "已派单", "办理人已签收", "已办好", "已核查", "已回访"):
        assert word in timeline, word
    resident.goto(f"{base}/inbox/")
    inbox = resident.locator("#inbox").inner_text()
    assert "已结案" in inbox and "碧沙岗第1网格已签收，正在处理" in inbox
    shot(resident, "journey1-resident-inbox")


def test_escalated_and_whistled_case(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    from wangge.cases.services import CaseInput, case_intake

    base = live_server.url
    case, _ = case_intake(
        data=CaseInput(
            description="楼顶加盖彩钢房，影响楼体安全",
            category_code="CSGL-01",
            lon=IN_A1[0],
            lat=IN_A1[1],
        ),
        actor=people["resident"],
    )
    worker = new_page(phone=True)
    sign_in(worker, base, people["worker_a"].phone, PASSWORD)
    worker.goto(f"{base}/cases/{case.pk}/")
    do(worker, "上报上级", {"note": "涉及违建，网格无法处理"})

    community = new_page()
    sign_in(community, base, people["community"].phone, PASSWORD)
    community.goto(f"{base}/cases/{case.pk}/")
    do(community, "上报上级", {"note": "需要城管、住建联合处置"})

    dispatcher = new_page()
    sign_in(dispatcher, base, people["dispatcher"].phone, PASSWORD)
    dispatcher.goto(f"{base}/cases/{case.pk}/")
    do(dispatcher, "签收")
    panel = dispatcher.locator("details[data-action=whistle]")
    panel.locator("summary").click()
    panel.locator("select[name=lead]").select_option("CGJ")
    panel.get_by_label("住建局").check()
    panel.locator("[name=note]").fill("请城管局牵头，住建局配合")
    panel.get_by_role("button", name="吹哨").click()
    expect(dispatcher.locator(".messages li", has_text="已吹哨")).to_be_visible()
    assert "城管局（主办）：待报到" in dispatcher.content()

    for who, text in (("cgj", "已拆除违建彩钢房"), ("zjj", "已鉴定楼体结构安全")):
        dept = new_page()
        sign_in(dept, base, people[who].phone, PASSWORD)
        dept.goto(f"{base}/cases/{case.pk}/")
        do(dept, "部门报到")
        do(dept, "部门反馈", {"note": text})

    dispatcher.reload()
    do(dispatcher, "办结", {"result": "城管牵头拆除，住建鉴定安全"})
    do(dispatcher, "核查通过")
    panel = dispatcher.locator("details[data-action=follow_up]")
    panel.locator("summary").click()
    panel.get_by_label("已联系上").check()
    panel.locator("input[name=contacted][value='1']").check()
    panel.get_by_label("已解决").check()
    panel.get_by_label("基本满意").check()
    panel.get_by_role("button", name="回访").click()
    expect(dispatcher.locator(".messages li", has_text="已回访")).to_be_visible()
    assert "已结案" in dispatcher.locator("#case-status").inner_text()
    assert "已反馈 — 已拆除违建彩钢房" in dispatcher.content()
    shot(dispatcher, "journey2-whistled-closed")
