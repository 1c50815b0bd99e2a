"""党员双报到 and 荣誉榜单 in a browser: a resident declares they are a party member, the branch
verifies, the member registers with their community, claims a post, and — once their service
has earned points — finds themself on the honour list."""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.conftest import COMMUNITY, GRID_A, MICRO_A1, PASSWORD
from wangge.accounts.models import Role
from wangge.party.models import OrgKind
from wangge.party.services import org_create, post_create
from wangge.points.models import Account
from wangge.points.services import points_award, points_budget, system_account, wallet_for
from wangge.rankings.aggregates import refresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_registers_claims_a_post_and_is_on_the_board(
    live_server: Any, cast: dict[str, Any], tree: Any, make_user: Any, new_page: Any
) -> None:
    street = org_create(
        name="林山寨街道党工委", kind=OrgKind.WORKING_COMMITTEE, grid_node=tree["410102001"]
    )
    community = org_create(
        name="碧沙岗社区党委", kind=OrgKind.COMMITTEE, grid_node=tree[COMMUNITY], parent=street
    )
    org_create(
        name="碧沙岗第1网格党支部", kind=OrgKind.BRANCH, grid_node=tree[GRID_A], parent=community
    )
    post_create(
        actor=cast["community"],
        community=tree[COMMUNITY],
        category="care",
        title="独居老人结对帮扶",
    )
    neighbour = make_user(Role.RESIDENT, tree[MICRO_A1], name="李国强")
    member = make_user(Role.RESIDENT, tree[MICRO_A1], name="张建华")

    phone = new_page(phone=True)
    sign_in(phone, live_server.url, member.phone, PASSWORD)
    phone.goto(f"{live_server.url}/m/")
    phone.locator('a[data-module="party"]').click()
    phone.get_by_label("所在党支部").select_option(label="碧沙岗社区党委 · 碧沙岗第1网格党支部")
    phone.get_by_label("入党日期").fill("2008-07-01")
    phone.get_by_label("我的承诺").fill("每周探望一次结对老人")
    phone.get_by_role("button", name="提交核实").click()
    assert "等待碧沙岗第1网格党支部核实" in phone.locator("#member-status").inner_text()

    desk = new_page()
    sign_in(desk, live_server.url, cast["community"].phone, PASSWORD)
    desk.goto(f"{live_server.url}/party/staff/members/")
    row = desk.locator("tr", has_text="张建华")
    row.get_by_role("button", name="核实通过").click()
    expect(desk.locator(".messages")).to_contain_text("已核实")
    assert "没有待核实的党员" in desk.locator("table").inner_text()

    phone.goto(f"{live_server.url}/party/")
    phone.get_by_label("向居住地社区报到").select_option(label="林山寨街道 · 碧沙岗社区")
    phone.get_by_role("button", name="社区报到").click()
    expect(phone.locator(".messages")).to_contain_text("报到成功")
    assert "碧沙岗社区" in phone.locator("#residence").inner_text()
    phone.locator("#posts li", has_text="独居老人结对帮扶").get_by_role(
        "button", name="认领"
    ).click()
    expect(phone.locator(".messages")).to_contain_text("认领成功")
    assert "独居老人结对帮扶" in phone.locator("#my-posts").inner_text()
    shot(phone, "party-member-home")
    phone.goto(f"{live_server.url}/party/me/")
    assert "每周探望一次结对老人" in phone.locator("#show-commitment").inner_text()

    # The organiser confirmed the member's visits; the points were awarded through the ledger.
    issuer = system_account(Account.Kind.ISSUER, "碧沙岗社区党委")
    points_budget(issuer=issuer, amount=1000, key="budget")
    points_award(
        issuer=issuer, wallet=wallet_for(member), amount=40, key="a1", reason="探望独居老人"
    )
    points_award(
        issuer=issuer, wallet=wallet_for(neighbour), amount=25, key="a2", reason="楼道清洁"
    )
    refresh()

    phone.goto(f"{live_server.url}/m/")
    phone.locator('a[data-module="honours"]').click()
    board = phone.locator("#board").inner_text()
    assert "张建华（我）" in board and "李*强" in board
    assert board.index("张建华") < board.index("李*强")
    assert "排第 1 名" in phone.locator("#my-rank").inner_text()
    assert "先达到该得分者排名靠前" in phone.locator("#tie-rule").inner_text()
    phone.get_by_label("周期").select_option("year")
    phone.get_by_role("button", name="查看").click()
    phone.wait_for_url("**/rankings/?*period=year*")
    assert "张建华（我）" in phone.locator("#board").inner_text()
    shot(phone, "rankings-board")
