"""A city above two districts, in Chromium (zh-CN).

The city's officer opens the city's 考核 table and dashboard on a desk and on a phone as first
seen: both districts' rows, axe-core finds nothing serious, nothing under 44 × 44 on the phone.
A street dispatcher of 中原区 opens a case that belongs to 二七区 and 转办 it there from the
case page; 二七区's desk finds it in its inbox, with the timeline, and 中原区's no longer opens it.
"""

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import opened, shot, sign_in, watch
from tests.city.conftest import (  # noqa: F401 (fixtures)
    CITY,
    FIRST_POINT,
    OTHER,
    OTHER_MICRO,
    city,
    two_districts,
)
from tests.conftest import PASSWORD, STREET
from wangge.accounts.models import Role
from wangge.cases.models import Case
from wangge.cases.services import CaseInput, case_act, case_intake
from wangge.grids.models import GridNode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_city_compares_its_districts_on_desk_and_phone(
    live_server: Any,
    city: dict[str, GridNode],  # noqa: F811 (the fixture imported above)
    people: dict[str, Any],
    make_user: Any,
    new_page: Any,
) -> None:
    base = live_server.url
    for text in ("伊河路井盖松动", "路灯不亮"):
        case_intake(
            data=CaseInput(description=text, lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
            actor=people["resident"],
        )
    officer = make_user(Role.ADMIN, city[CITY], name="郑市运", is_staff=True)
    for phone in (False, True):
        page = new_page(phone=phone)
        problems = watch(page)
        sign_in(page, base, officer.phone, PASSWORD)
        for path in (f"/cases/kpi/{CITY}/", f"/ops/unit/{CITY}/"):
            found = opened(page, base, path, phone=phone, name="city")
            assert found == {}, (path, found)
        page.goto(f"{base}/cases/kpi/{CITY}/")
        expect(page.locator("main")).to_contain_text("中原区")
        expect(page.locator("main")).to_contain_text("二七区")
        assert problems == [], problems


def test_a_case_of_the_wrong_district_is_sent_to_the_right_one_from_its_page(
    live_server: Any,
    city: dict[str, GridNode],  # noqa: F811 (the fixture imported above)
    people: dict[str, Any],
    make_user: Any,
    new_page: Any,
) -> None:
    base = live_server.url
    desk = make_user(Role.STREET_DISPATCHER, city[OTHER], name="二七区城运中心")
    case, _created = case_intake(
        data=CaseInput(description="陇海路下水道堵了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=people["resident"],
    )
    case_act(
        case_id=case.pk,
        actor=people["dispatcher"],
        action="transfer",
        note="街道核实",
        params={"node": STREET},
    )
    sender = new_page()
    problems = watch(sender)
    sign_in(sender, base, people["dispatcher"].phone, PASSWORD)
    sender.goto(f"{base}/cases/{case.pk}/")
    panel = sender.locator("details[data-action=transfer]")
    panel.locator("summary").click()
    panel.locator("select[name=node]").select_option(OTHER)
    panel.locator("[name=note]").fill("地址在二七区陇海路，转二七区")
    panel.get_by_role("button", name="转办").click()
    sender.wait_for_load_state("networkidle")
    shot(sender, "city-transfer-sent")
    case = Case.objects.get(pk=case.pk)
    assert case.grid_path == city[OTHER].path
    assert problems == [], problems

    receiver = new_page(phone=True)
    sign_in(receiver, base, desk.phone, PASSWORD)
    receiver.goto(f"{base}/inbox/")
    expect(receiver.locator("#inbox")).to_contain_text("中原区转来事件")
    found = opened(receiver, base, f"/cases/{case.pk}/", phone=True, name="city-transfer")
    assert found == {}, found
    expect(receiver.locator("main")).to_contain_text("地址在二七区陇海路，转二七区")
    # The sender no longer opens it: they are told where it went (their desk, not the case).
    sender.goto(f"{base}/cases/{case.pk}/")
    expect(sender.locator("body")).to_contain_text(f"事件 #{case.pk} 已转办至二七区，现由对方办理")
    assert sender.url.endswith("/cases/desk/")
    expect(sender.locator("main")).not_to_contain_text("地址在二七区陇海路，转二七区")


def test_a_transfer_whose_reply_is_lost_is_done_once_and_the_sender_is_told_where_it_went(
    live_server: Any,
    city: dict[str, GridNode],  # noqa: F811 (the fixture imported above)
    people: dict[str, Any],
    new_page: Any,
) -> None:
    """On a phone with a weak signal: the 转办 reaches the server, its answer does not. Opening
    the case again does not say 事件不存在: it says the transfer went through and where."""
    base = live_server.url
    case, _created = case_intake(
        data=CaseInput(description="陇海路下水道堵了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=people["resident"],
    )
    case_act(
        case_id=case.pk,
        actor=people["dispatcher"],
        action="transfer",
        note="街道核实",
        params={"node": STREET},
    )
    page = new_page(phone=True)
    sign_in(page, base, people["dispatcher"].phone, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    written: list[int] = []

    def lose_the_reply(route: Any) -> None:
        written.append(route.fetch(max_redirects=0).status)  # the server does the transfer
        route.abort("connectionreset")  # and its answer never arrives

    page.route(f"**/cases/{case.pk}/act/", lose_the_reply)
    panel = page.locator("details[data-action=transfer]")
    panel.locator("summary").click()
    panel.locator("select[name=node]").select_option(OTHER)
    panel.locator("[name=note]").fill("地址在二七区陇海路，转二七区")
    panel.get_by_role("button", name="转办").click(no_wait_after=True)
    for _ in range(100):
        if written:
            break
        page.wait_for_timeout(100)
    assert written == [302]
    page.unroute(f"**/cases/{case.pk}/act/")
    events = Case.objects.get(pk=case.pk).events.count()

    page.goto(f"{base}/cases/{case.pk}/")
    expect(page.locator("main, body").first).to_contain_text(
        f"事件 #{case.pk} 已转办至二七区，现由对方办理"
    )
    shot(page, "city-transfer-reply-lost-phone")
    case = Case.objects.get(pk=case.pk)
    assert case.grid_path == city[OTHER].path and case.events.count() == events


def test_a_resident_who_moves_district_starts_from_their_page_and_keeps_what_they_had(
    live_server: Any,
    city: dict[str, GridNode],  # noqa: F811 (the fixture imported above)
    people: dict[str, Any],
    make_user: Any,
    new_page: Any,
) -> None:
    """On a phone: 我的 → 搬家了？更换住址, the new building in 二七区, the worker there
    confirms on their phone; the resident's 首页 is the new micro-grid, and 我的诉求 and
    活力值 are what they were."""
    from wangge.grids.services import buildings_import
    from wangge.notices.selectors import home_node
    from wangge.points.services import community_issuer, points_award, points_budget, wallet_for

    base = live_server.url
    resident = people["resident"]
    resident.real_name_verified_at = resident.date_joined
    resident.save(update_fields=["real_name_verified_at"])
    case_intake(
        data=CaseInput(description="楼道灯坏了", lon=FIRST_POINT[0], lat=FIRST_POINT[1]),
        actor=resident,
    )
    home = home_node(resident)
    assert home is not None
    issuer = community_issuer(home)
    points_budget(issuer=issuer, amount=100, key="move-budget")
    points_award(
        issuer=issuer, wallet=wallet_for(resident), amount=30, key="move-award", reason="志愿服务"
    )
    buildings_import("address,lon,lat,code\n二七区陇海路8号院2号楼,113.503,34.752,LH8B2\n")
    worker = make_user(Role.GRID_WORKER, city[OTHER_MICRO].parent, name="冯志强")

    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, resident.phone, PASSWORD)
    page.goto(f"{base}/m/me/")
    page.get_by_role("link", name="搬家了？更换住址").click()
    expect(page.locator("main")).to_contain_text("诉求记录和活力值都保留")
    page.get_by_label("住址（小区、楼栋）").fill("陇海路8号院2号楼")
    page.get_by_role("button", name="查找楼栋").click()
    page.get_by_label("二七区陇海路8号院2号楼").check()  # nothing is ticked for the resident
    page.get_by_label("单元和房号").fill("1单元302")
    page.get_by_role("button", name="提交给网格员确认").click()
    page.wait_for_url(f"{base}/m/me/")
    expect(page.locator("main")).to_contain_text("待确认")

    theirs = new_page(phone=True)
    sign_in(theirs, base, worker.phone, PASSWORD)
    found = opened(theirs, base, "/m/claims/", phone=True, name="city-move-claims")
    assert found == {}, found
    theirs.get_by_role("button", name="确认").click()
    expect(theirs.locator("body")).to_contain_text("已处理")

    page.goto(f"{base}/m/")
    expect(page.locator("body")).to_contain_text("陇海C1 微网格")
    page.goto(f"{base}/m/me/")
    expect(page.locator("#my-points")).to_contain_text("30")
    page.goto(f"{base}/cases/mine/")
    expect(page.locator("main")).to_contain_text("楼道灯坏了")
    shot(page, "city-moved-resident-phone")
    assert problems == [], problems
