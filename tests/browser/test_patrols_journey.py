"""A daily patrol on a 390×844 phone: start, the track, a finding that becomes a case, end."""

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
from wangge.patrols.models import Finding, Patrol

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The phone's first fix handed to the page only after the outbox's flush at page load has run
# (with nothing to send): the order in which a slow phone meets them, and the one in which an
# empty flush could hold the first position back until the outbox's next retry.
FIX_AFTER_THE_FLUSH_AT_LOAD = """
(() => {
  const geo = navigator.geolocation;
  const watch = geo.watchPosition.bind(geo);
  geo.watchPosition = (ok, fail, options) => watch(async (pos) => {
    while (!window.WanggeOutbox) await new Promise((r) => setTimeout(r, 20));
    await window.WanggeOutbox.flush();
    ok(pos);
  }, fail, options);
})();
"""


def test_patrol_finding_becomes_a_case(
    live_server: Any,
    people: dict[str, Any],
    new_page: Any,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "wire.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 60, 90)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": IN_A1[0], "latitude": IN_A1[1]})
    page.add_init_script(FIX_AFTER_THE_FLUSH_AT_LOAD)
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/patrols/")
    page.get_by_role("button", name="开始巡查").click()
    page.wait_for_selector("text=已定位")
    # The first position goes at once, well before the outbox's 30 s retry: the flush the page
    # made on loading, with nothing to send, must not hold it back.
    page.wait_for_function(
        "document.getElementById('point-count').textContent !== '0'", timeout=10_000
    )
    page.get_by_label("隐患类型").select_option(label="飞线充电")
    page.get_by_label("问题描述").fill("百花里3号楼1单元门口电动车飞线充电")
    page.get_by_label("现场照片").set_input_files(str(photo))
    shot(page, "patrols-finding-form-phone")
    page.get_by_role("button", name="提交发现").click()
    page.wait_for_selector(".messages li")
    assert "已生成事件" in page.locator(".messages").inner_text()
    assert "飞线充电" in page.locator(".case-list").inner_text()
    page.get_by_label("巡查小结").fill("发现飞线充电一处，已上报")
    page.get_by_role("button", name="结束巡查").click()
    # The patrol page still shows the finding's message: wait for the one the end brings.
    expect(page.locator(".messages")).to_contain_text("巡查已结束")
    assert "巡查已结束" in page.content()
    shot(page, "patrols-ended-phone")

    patrol = Patrol.objects.get()
    assert not patrol.is_open and patrol.points.count() >= 1
    case = Case.objects.get(pk=Finding.objects.get().case_id)
    assert case.channel == "patrol" and case.attachments.count() == 1
    # The case is on the worker's page of it, with its photo.
    page.get_by_role("link", name=case.title).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert case.number in page.content()
