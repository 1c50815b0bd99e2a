"""有事找支部 end to end on a phone: a pin on the map and a photo → 提交中 → the confirmation page
with the number, who handles it and by when → the case page as the handler acts → rating. The
map behind it draws our own grid and buildings and asks the server for nothing that is missing."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in, watch
from tests.conftest import PASSWORD
from wangge.cases.models import Case
from wangge.cases.services import case_act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def photo(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> str:
    path = tmp_path / name
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), colour).save(out, format="JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return str(path)


def test_report_with_pin_and_photo_to_confirmation_case_page_and_rating(
    live_server: Any, people: dict[str, Any], new_page: Any, tmp_path: Path
) -> None:
    base = live_server.url
    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    # The offline base: the micro-grid's outline and its label, drawn from our own data.
    expect(page.locator(".m-map-label", has_text="A1 微网格")).to_be_visible()
    page.get_by_label("问题描述").fill("百花里3号楼门口路灯不亮，晚上看不清台阶")

    # Typing an address: the resolver's suggestion names the building and its grid.
    page.get_by_label("地址", exact=True).fill("百花里3号楼")
    suggestion = page.locator("#m-suggest .m-suggestion").first
    expect(suggestion).to_contain_text("百花里3号楼")
    expect(suggestion).to_contain_text("A1 微网格")
    # …but the resident drops the pin on the map instead, where the lamp is.
    page.locator("#m-map").click(position={"x": 200, "y": 120})
    expect(page.locator("#m-where")).to_contain_text("网格：碧沙岗第1网格 A1 微网格")

    # Two photos chosen, one removed: one is sent, shrunk on the phone.
    page.locator("#m-photos").set_input_files(
        [photo(tmp_path, "a.jpg", (200, 90, 60)), photo(tmp_path, "b.jpg", (60, 90, 200))]
    )
    expect(page.locator("#m-previews img")).to_have_count(2)
    page.get_by_role("button", name="删除这张照片（2）").click()
    expect(page.locator("#m-previews img")).to_have_count(1)
    shot(page, "report-form")

    # 提交中 while it goes (recorded across the navigation), then the confirmation page.
    page.evaluate(
        """() => { const b = document.getElementById("m-submit");
        new MutationObserver(() => sessionStorage.setItem("seen",
            (sessionStorage.getItem("seen") || "") + `|${b.textContent}:${b.disabled}`))
          .observe(b, { childList: true, subtree: true, characterData: true }); }"""
    )
    # Nothing chosen on the form makes the page wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/m/report/done/\d+/$"))
    assert "|提交中…:true" in page.evaluate("sessionStorage.getItem('seen')")
    case = Case.objects.get()
    assert case.micro_grid is not None and case.micro_grid.name == "A1 微网格"
    assert case.attachments.count() == 1
    assert max(case.attachments.get().width, case.attachments.get().height) <= 1600
    expect(page.locator("#done-number")).to_have_text(case.number)
    expect(page.locator("#done-handler")).to_contain_text(
        case.assignee.name if case.assignee else case.handling_node.name
    )
    if case.due_at:
        expect(page.locator("#done-due")).to_be_visible()
    shot(page, "report-confirmation")

    # The case page as the handler acts: plain steps, the handler, never cards or scores.
    page.get_by_role("link", name="查看办理进度").click()
    expect(page.locator("#case-number")).to_have_text(case.number)
    expect(page.locator("#case-steps [aria-current=step]")).to_have_text("已派给办理人")
    case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    page.reload()
    expect(page.locator("#case-steps [aria-current=step]")).to_have_text("正在处理")
    expect(page.locator("#case-handler")).to_be_visible()
    case_act(
        case_id=case.pk,
        actor=people["worker_a"],
        action="resolve",
        params={"result": "已更换路灯灯泡"},
    )
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    page.reload()
    expect(page.locator("#case-resolution")).to_have_text("已更换路灯灯泡")
    body = page.locator("main").inner_text()
    for internal in ("置信度", "派单依据", "黄牌", "红牌", "模型"):
        assert internal not in body
    expect(page.locator("#photos-before img")).to_have_count(1)

    panel = page.locator("details[data-action=rate]")
    panel.locator("summary").click()
    panel.locator("input[name=contacted][value='1']").check()
    panel.get_by_label("已解决").check()
    panel.get_by_label("满意", exact=True).check()
    panel.get_by_role("button", name="评价").click()
    expect(page.locator("#case-status")).to_have_text("已结案")
    expect(page.locator("#case-steps [aria-current=step]")).to_have_text("已回访结案")
    shot(page, "report-case-rated")
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == ("closed", "satisfied")
    assert problems == [], problems


def test_offline_report_shows_it_is_queued_and_is_delivered_once(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": 113.6005, "latitude": 34.7505})
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    page.get_by_label("问题描述").fill("楼道扶手松了，老人上楼不安全")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("#m-where")).to_contain_text("A1 微网格")
    page.context.set_offline(True)
    page.get_by_role("button", name="提交").click()
    # The confirmation says it waits on the phone, not that it was sent.
    expect(page.locator("#m-offline-done")).to_be_visible()
    expect(page.locator("#m-offline-done")).to_contain_text("联网后会自动提交")
    expect(page.locator("#m-queued")).to_have_text("有 1 条反映等待联网提交。")
    assert Case.objects.count() == 0
    shot(page, "report-queued")
    page.context.set_offline(False)
    # A busy machine takes a while to notice the network is back.
    page.wait_for_selector("#m-report-status[data-state=sent]", timeout=45000)
    case = Case.objects.get()
    expect(page.locator("#m-report-status")).to_contain_text(case.number)
    expect(page.locator("#m-queued")).to_be_hidden()
    page.reload()  # the page's own retry on load finds nothing left to send
    page.wait_for_load_state("networkidle")
    assert Case.objects.count() == 1


def test_moving_the_pin_after_choosing_an_address_reports_the_place_at_the_pin(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/report/")
    page.get_by_label("问题描述").fill("井盖松动，踩上去会响")
    address = page.get_by_label("地址", exact=True)
    address.fill("百花里3号楼")
    page.locator("#m-suggest .m-suggestion", has_text="百花里3号楼").first.click()
    expect(address).to_have_value("中原区伊河路百花里3号楼")
    # The pin moved away from the chosen building (the top right of the map, east of A1).
    box = page.locator("#m-map").bounding_box()
    assert box is not None
    page.locator("#m-map").click(position={"x": box["width"] - 30, "y": 30})
    expect(page.locator("#m-where .m-where-note")).to_contain_text("图钉已移动")
    expect(address).not_to_have_value("中原区伊河路百花里3号楼")
    shown = address.input_value()
    grid_said = page.locator("#m-where").inner_text()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/m/report/done/\d+/$"))
    case = Case.objects.get()
    # What the case shows is what the resident saw, and it is where the case was routed.
    assert case.address == shown
    assert "百花里" not in case.address
    assert case.micro_grid is not None and case.micro_grid.name in grid_said
    assert case.micro_grid.name != "A1 微网格" or case.building_id is None


def test_an_address_typed_right_after_the_description_gets_its_suggestions_on_a_slow_network(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    # The description is read for a place 600 ms after it is typed, the address 300 ms after.
    # On a slow network the address's answer came back after the description's question had
    # gone out, was dropped as stale, and the resident never saw a suggestion.
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    # The address's lookup answers 900 ms late (held in the page, so nothing else waits).
    page.add_init_script(
        """(() => {
          const real = window.fetch;
          window.fetch = (url, options) => String(url).includes("address.json?q=")
            ? new Promise((done) => setTimeout(() => done(real(url, options)), 900))
            : real(url, options);
        })();"""
    )
    page.goto(f"{base}/m/report/")
    page.get_by_label("问题描述").fill("井盖松动，踩上去会响")
    page.get_by_label("地址", exact=True).fill("百花里3号楼")
    expect(page.locator("#m-suggest .m-suggestion", has_text="百花里3号楼").first).to_be_visible()
