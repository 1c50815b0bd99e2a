"""The resident follows their report to the end and rates it on the phone."""

from typing import Any

import pytest

from tests.browser.conftest import IN_FLIGHT, shot, sign_in
from tests.conftest import PASSWORD
from wangge.cases.models import Case
from wangge.cases.services import case_act

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_sees_progress_and_rates(
    live_server: Any, people: dict[str, Any], report: Any, new_page: Any
) -> None:
    case = report("单元门禁坏了，老人进不去")
    page = new_page(phone=True)
    sign_in(page, live_server.url, people["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert "已派给碧沙岗第1网格办理" in page.locator("#case-status").inner_text()

    # The staff act from this thread while the page is idle: on SQLite the live server shares
    # the test's connection, and a write beside its last request finds the table locked.
    page.wait_for_load_state("networkidle")
    IN_FLIGHT.wait_idle()
    case_act(case_id=case.pk, actor=people["worker_a"], action="sign")
    page.reload()
    assert "碧沙岗第1网格已签收，正在处理" in page.locator("#case-status").inner_text()
    page.wait_for_load_state("networkidle")
    IN_FLIGHT.wait_idle()
    case_act(
        case_id=case.pk,
        actor=people["worker_a"],
        action="resolve",
        params={"result": "已更换门禁读卡器"},
    )
    case_act(case_id=case.pk, actor=people["dispatcher"], action="verify_pass")
    page.reload()
    assert "已核查，稍后将回访您" in page.locator("#case-status").inner_text()
    assert "已更换门禁读卡器" in page.content()

    panel = page.locator("details[data-action=rate]")
    panel.locator("summary").click()
    panel.locator("input[name=contacted][value='1']").check()
    panel.get_by_label("已解决").check()
    panel.get_by_label("满意", exact=True).check()
    panel.locator("[name=note]").fill("修得很快，谢谢网格员")
    panel.get_by_role("button", name="评价").click()
    page.wait_for_selector(".messages li")
    assert "已结案" in page.locator("#case-status").inner_text()
    shot(page, "resident-rated")
    case.refresh_from_db()
    assert (case.status, case.satisfaction, case.followup_note) == (
        "closed",
        "satisfied",
        "修得很快，谢谢网格员",
    )
    assert Case.objects.count() == 1
