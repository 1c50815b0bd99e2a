"""吹哨报到 reaches a real person, in Chromium: an administrator adds someone to 城管局 in the
admin, the street desk whistles a case to it, that person finds it in 部门待办, reports in and
back from the case page, and the dashboard's department table counts it."""

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in, watch
from tests.browser.test_case_journeys import do
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD, STREET
from wangge.accounts.models import Role, RoleGrant, User
from wangge.cases.models import Assistance, Department, DepartmentMember

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_adds_member_desk_whistles_member_reports_dashboard_counts(
    live_server: Any, people: dict[str, Any], make_user: Any, new_page: Any
) -> None:
    from wangge.cases.services import CaseInput, case_act, case_intake

    cache.clear()  # the dashboard caches figures per user id, and ids repeat between tests
    base = live_server.url
    User.objects.create_superuser("13900008888", PASSWORD, name="赵建国")
    newcomer = make_user(name="黄建平")
    cgj = Department.objects.get(code="CGJ")

    # 1. The administrator adds 黄建平 to 城管局 in the admin.
    admin = new_page()
    sign_in(admin, base, "13900008888", PASSWORD)
    admin.goto(f"{base}/admin/cases/department/")
    admin.get_by_role("link", name="CGJ", exact=True).click()
    expect(admin.locator("h2", has_text="加入后即获得“职能部门承办人”角色")).to_be_visible()
    empty_row = admin.locator("tr.form-row:not(.has_original):not(.empty-form)").first
    empty_row.locator(".select2-selection").click()
    admin.locator(".select2-search__field").fill("黄建平")
    admin.locator(".select2-results__option", has_text="黄建平").click()
    admin.get_by_role("button", name="保存", exact=True).click()
    expect(admin.locator(".messagelist .success")).to_be_visible()
    shot(admin, "department-admin-member-added")
    assert DepartmentMember.objects.filter(department=cgj, user=newcomer).exists()
    assert RoleGrant.objects.filter(user=newcomer, role=Role.DEPARTMENT_HANDLER).exists()

    # 2. A difficult case at the street desk: the dispatcher signs it and whistles 城管局.
    case, _ = case_intake(
        data=CaseInput(
            description="小区门口有人摆摊占道，堵住出入口",
            category_code="CSGL-01",
            lon=IN_A1[0],
            lat=IN_A1[1],
        ),
        actor=people["resident"],
    )
    case_act(
        case_id=case.pk,
        actor=people["dispatcher"],
        action="transfer",
        note="占道严重，需城管执法",
        params={"node": STREET},
    )
    dispatcher = new_page()
    sign_in(dispatcher, base, people["dispatcher"].phone, PASSWORD)
    dispatcher.goto(f"{base}/cases/{case.pk}/")
    do(dispatcher, "签收")
    panel = dispatcher.locator("details[data-action=whistle]")
    panel.locator("summary").click()
    panel.locator("select[name=lead]").select_option("CGJ")
    panel.locator("[name=note]").fill("请城管局到场执法")
    panel.get_by_role("button", name="吹哨").click()
    expect(dispatcher.locator(".messages li", has_text="已吹哨")).to_be_visible()

    # 3. 黄建平 sees it in his inbox and his 部门待办, reports in and back.
    member = new_page()
    # The case page's map included: nothing behind it is refused to a department's handler.
    problems = watch(member)
    sign_in(member, base, newcomer.phone, PASSWORD)
    member.goto(f"{base}/inbox/")
    expect(member.locator("#inbox")).to_contain_text("吹哨报到：")
    member.get_by_role("link", name="事件").click()
    member.wait_for_url(f"{base}/cases/department/")
    card = member.locator(f"#dept-queue li[data-case='{case.pk}']")
    expect(card).to_contain_text("城管局（主办）：待报到")
    shot(member, "department-queue")
    card.get_by_role("link").click()
    member.wait_for_url(f"{base}/cases/{case.pk}/")
    do(member, "部门报到")
    do(member, "部门反馈", {"note": "已到场执法，摊贩已撤离"})
    a = Assistance.objects.get(case=case)
    assert a.state == Assistance.State.REPORTED and a.report == "已到场执法，摊贩已撤离"
    member.goto(f"{base}/cases/department/?done=1")
    expect(member.locator(f"#dept-queue li[data-case='{case.pk}']")).to_contain_text("已反馈")
    assert problems == [], problems

    # 4. The dashboard's department table counts it: whistled once, in and back on time.
    dispatcher.get_by_role("link", name="城运中心").click()
    dispatcher.wait_for_url(f"{base}/ops/unit/{STREET}/")
    row = dispatcher.locator(".ops-dept tr[data-code='CGJ'] td")
    expect(row.first).to_have_text("城管局")
    cells = row.all_inner_texts()
    assert cells[:4] == ["城管局", "1", "1", "1"] and cells[5] == "0", cells
    dispatcher.locator(".ops-departments").scroll_into_view_if_needed()
    shot(dispatcher, "department-dashboard-counted")
