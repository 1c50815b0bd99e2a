"""A grid worker's visit to an elderly resident living alone, recorded on a 390×844 phone; the
wish it raises is published, a party member of the community claims and fulfils it, and the
grid's thanks pays them 活力值, which they find on the wish and in their points history."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.conftest import COMMUNITY, MICRO_A2, PASSWORD
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.accounts.models import Role
from wangge.cases.models import Case
from wangge.points.rules import default_rules_load
from wangge.points.services import community_issuer, points_budget
from wangge.residents.models import Visit, Wish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_visits_an_elder_living_alone_on_the_phone(
    live_server: Any,
    people: dict[str, Any],
    make_user: Any,
    tree: Any,
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
    tmp_path: Path,
) -> None:
    photo = tmp_path / "kitchen.jpg"
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 180, 150)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())

    # The database was flushed by an earlier transactional test: the seeded earning rules go
    # back, and the community gets a budget to pay its wishes from.
    default_rules_load()
    points_budget(issuer=community_issuer(tree[COMMUNITY]), amount=1_000, key="visit-budget")
    page = new_page(phone=True, geolocation={"longitude": 113.6008, "latitude": 34.7508})
    base = live_server.url
    sign_in(page, base, people["worker_a"].phone, PASSWORD)
    page.goto(f"{base}/residents/visits/overdue/")
    card = page.locator(".case-card", has_text="张桂芳")
    assert "独居老人" in card.inner_text() and "从未走访" in card.inner_text()
    shot(page, "residents-overdue-phone")
    card.get_by_role("link", name="记录走访").click()
    page.wait_for_selector("text=已记录位置")
    page.get_by_label("走访情况").fill("老人精神尚好，能自己做饭；反映楼道灯坏了，晚上不敢下楼")
    page.get_by_label("需跟进事项").fill("百花里3号楼2单元楼道灯损坏，需物业维修")
    page.get_by_label("转为事件上报").check()
    page.get_by_label("微心愿（公开发布时只显示这一句，不含姓名住址）").fill("想要一台收音机听戏")
    page.get_by_label("心愿详情（仅网格工作人员可见）").fill("老人耳背，音量要大")
    page.get_by_label("照片").set_input_files(str(photo))
    shot(page, "residents-visit-form-phone")
    page.get_by_role("button", name="保存走访").click()
    page.wait_for_selector(".messages li")
    assert "走访已记录" in page.locator(".messages").inner_text()
    assert "老人精神尚好" in page.locator(".timeline").first.inner_text()
    # The masked ID number is on the page; the clear one only after 查看, and a worker may not.
    assert "410102********0028" in page.content()
    shot(page, "residents-person-after-visit-phone")

    visit = Visit.objects.get()
    assert (visit.lon, visit.lat) == (113.6008, 34.7508)
    assert visit.photos.count() == 1
    case = Case.objects.get(pk=visit.case_id)
    assert case.channel == "patrol" and "楼道灯" in case.description
    page.goto(f"{base}/residents/visits/overdue/")
    assert "没有逾期的走访" in page.content()
    # The grid's 六要素 on the same phone now counts the follow-up and the case it raised.
    page.goto(f"{base}/residents/grid/410102001002001/")
    assert "1" in page.locator("#six-situation").inner_text()
    assert "楼道灯" in page.locator("#six-events").inner_text()
    shot(page, "residents-six-elements-phone")

    # The worker publishes the wish; only its one public line goes to the community.
    page.goto(f"{base}/residents/persons/{register['elder'].pk}/")
    page.get_by_role("link", name="想要一台收音机听戏").click()
    page.get_by_role("button", name="发布心愿").click()
    page.wait_for_selector(".messages li")
    assert "待认领" in page.content()

    member = make_user(Role.PARTY_MEMBER, tree[MICRO_A2], name="韩卫国")
    vpage = new_page(phone=True)
    sign_in(vpage, base, member.phone, PASSWORD)
    vpage.goto(f"{base}/residents/wishes/")
    board = vpage.content()
    assert "想要一台收音机听戏" in board and "张桂芳" not in board and "2-301" not in board
    vpage.get_by_role("link", name="想要一台收音机听戏").click()
    vpage.wait_for_url(f"**/residents/wishes/{Wish.objects.get().pk}/")
    assert "耳背" not in vpage.content() and "张桂芳" not in vpage.content()
    vpage.get_by_role("button", name="认领心愿").click()
    vpage.wait_for_selector(".messages li")
    vpage.get_by_label("实现情况").fill("送去收音机一台，教会了调台")
    vpage.get_by_label("凭证照片").set_input_files(str(photo))
    vpage.get_by_role("button", name="登记实现").click()
    # Claiming said 已保存 too: wait for the wish's new status, not the old page's message.
    expect(vpage.get_by_text("已实现", exact=True)).to_be_visible()
    assert "已实现" in vpage.content()
    shot(vpage, "residents-wish-fulfilled-volunteer-phone")

    page.reload()
    page.get_by_label("致谢").fill("张奶奶托我们谢谢韩师傅")
    page.get_by_role("button", name="致谢").click()
    page.wait_for_selector(".messages li")
    assert "已致谢，韩卫国 获得活力值 20" in page.locator(".messages").inner_text()
    assert "韩卫国 获得活力值 20" in page.locator("#wish-points").inner_text()
    shot(page, "residents-wish-thanked-phone")
    wish = Wish.objects.get()
    assert (wish.status, wish.claimed_by, wish.photos.count()) == ("thanked", member, 1)

    # The volunteer sees the points on the wish, and the entry in their 活力值 history.
    vpage.reload()
    assert "已致谢" in vpage.content()
    assert "获得活力值 20" in vpage.locator("#wish-points").inner_text()
    vpage.locator("#wish-points").get_by_role("link", name="活力值明细").click()
    vpage.wait_for_url("**/points/history/")
    history = vpage.locator("#history").inner_text()
    assert "微心愿：想要一台收音机听戏" in history and "+20" in history
    assert "余额 20" in vpage.content()
    shot(vpage, "residents-wish-points-volunteer-phone")


def test_community_staff_desk_register_and_disputes(
    live_server: Any,
    people: dict[str, Any],
    register: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    """Community staff at a desktop: the masked list, a full ID number on request (audited), a
    dispute registered and the month's screening."""
    from wangge.accounts.models import PersonalDataAccess

    base = live_server.url
    page = new_page()
    sign_in(page, base, people["community"].phone, PASSWORD)
    page.goto(f"{base}/residents/")
    table = page.locator(".person-table").inner_text()
    assert "张桂芳" in table and "刘德胜" in table and "410102********0028" in table
    shot(page, "residents-list-desktop")
    page.get_by_role("link", name="张桂芳").click()
    page.locator("button.reveal[data-field=id_number]").click()
    page.wait_for_function(
        "document.getElementById('reveal-id_number').textContent.indexOf('*') < 0"
    )
    assert PersonalDataAccess.objects.filter(actor=people["community"]).count() == 1
    page.goto(f"{base}/residents/disputes/")
    page.get_by_label("楼栋地址").fill("伊河路百花里3号")
    page.get_by_role("option", name="中原区伊河路百花里3号楼").click()
    page.get_by_label("类型").select_option(label="邻里纠纷")
    page.get_by_label("纠纷概况").fill("楼上装修噪音扰民")
    page.get_by_label("当事人（每行一人）").fill("周某\n吴某")
    page.get_by_label("下一步工作").fill("上门了解情况")
    page.get_by_label("下一步日期").fill("2030-01-01")
    page.get_by_role("button", name="登记").click()
    page.wait_for_selector(".messages li")
    page.goto(f"{base}/residents/disputes/screening/410102001002/")
    assert "楼上装修" not in page.content()  # the screening lists by kind and place, not text
    assert "邻里纠纷" in page.locator(".person-table").inner_text()
    shot(page, "residents-dispute-screening-desktop")
