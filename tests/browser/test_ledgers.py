"""On the phone: a grid worker fills the 电动车飞线充电 checklist and a failed item becomes a case;
a resident finds the 议事厅 from 我的, comments and votes once."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.cases.conftest import IN_A1
from tests.conftest import GRID_A, PASSWORD
from wangge.cases.models import Case
from wangge.grids.models import GridNode
from wangge.ledgers.checklists import checklists_load
from wangge.ledgers.models import Inspection, TopicVote
from wangge.ledgers.services import topic_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_checklist_failed_item_becomes_a_case(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    checklists_load()  # the transactional flush removed the migration's rows
    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": IN_A1[0], "latitude": IN_A1[1]})
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/patrols/")
    page.get_by_role("link", name="安全隐患排查").click()
    page.get_by_role("link", name="排查：电动车飞线充电排查").click()
    page.wait_for_selector("text=已定位")
    # Address in, not codes: the worker types where, and picks the resolver's suggestion.
    page.get_by_label("楼栋地址").fill("百花里3号楼")
    page.get_by_role("option", name="中原区伊河路百花里3号楼").click()
    expect(page.locator("#building-picked")).to_have_text("已选择：中原区伊河路百花里3号楼")
    items = page.locator(".check-item")
    assert items.count() == 5
    for i in range(5):
        items.nth(i).get_by_label("合格", exact=True).check()
    first = items.nth(0)
    first.get_by_label("不合格", exact=True).check()
    first.get_by_label("问题说明").fill("3 楼窗口垂下电线给电动车充电")
    first.get_by_label("上报为事件").check()
    shot(page, "ledgers-checklist-phone")
    page.get_by_role("button", name="提交排查").click()
    page.wait_for_selector(".messages li")
    assert "排查已提交" in page.locator(".messages").inner_text()
    results = page.locator("#results").inner_text()
    assert "不合格" in results and "待整改" in results
    case = Case.objects.get()
    assert case.channel == "patrol" and "3 楼窗口垂下电线" in case.description
    assert Inspection.objects.get().building.code == "BH3"  # type: ignore[union-attr]
    shot(page, "ledgers-inspection-phone")
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert case.number in page.content()


def test_resident_votes_in_the_yishi_hall(
    live_server: Any, people: dict[str, Any], new_page: Any
) -> None:
    topic = topic_create(
        actor=people["worker_a"],
        node=GridNode.objects.get(code=GRID_A),
        title="百花里是否加装电动车充电桩",
        body="拟在 3 号楼北侧空地建 20 口充电桩。",
    )
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.goto(f"{base}/m/me/")
    page.get_by_role("link", name="议事厅").click()
    page.get_by_role("link", name="百花里是否加装电动车充电桩").click()
    page.get_by_label("我的意见").fill("支持，顺便加个雨棚")
    page.get_by_role("button", name="发表意见").click()
    page.wait_for_selector(".messages li")
    page.get_by_label("赞成").check()
    page.get_by_role("button", name="投票").click()
    page.wait_for_selector("#my-vote")
    assert "您已投票：赞成" in page.locator("#my-vote").inner_text()
    assert "表决情况（共 1 票）" in page.locator("#tally").inner_text()
    assert "支持，顺便加个雨棚" in page.locator("#comments").inner_text()
    assert page.locator("#vote-form").count() == 0  # one vote: the form is gone
    shot(page, "ledgers-yishi-voted-phone")
    assert TopicVote.objects.get(topic=topic).choice == "for"
