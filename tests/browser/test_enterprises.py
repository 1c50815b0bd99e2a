"""企业服务 in a browser: an enterprise user opens the module from the resident app, reads why a
policy does not fit, answers a question, files a request; the grid worker finds it routed."""

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, sign_in
from tests.cases.conftest import IN_A1
from tests.conftest import MICRO_A1, PASSWORD
from tests.enterprises.conftest import enterprise_input
from wangge.accounts.models import Role
from wangge.cases.models import Case
from wangge.enterprises.services import PolicyInput, enterprise_create, policy_save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enterprise_user_reads_reasons_and_files_a_request(
    live_server: Any,
    people: dict[str, Any],
    tree: Any,
    make_user: Any,
    new_page: Any,
) -> None:
    owner = make_user(Role.ENTERPRISE, tree[MICRO_A1], name="陈志远")
    firm = enterprise_create(
        actor=people["admin"],
        data=enterprise_input(at=IN_A1, founded_on=date(2024, 3, 1), headcount=30),
    )
    firm.members.add(owner)
    policy_save(
        actor=people["admin"],
        data=PolicyInput(
            title="老企业技改补助",
            issuer="中原区科技和工业信息化局",
            benefit="成立满两年的制造业企业技术改造补助。",
            criteria={"industries": ["C"], "founded_before": "2023-12-31"},
            is_published=True,
        ),
    )
    policy_save(
        actor=people["admin"],
        data=PolicyInput(
            title="研发费用后补助",
            issuer="中原区科技和工业信息化局",
            benefit="按研发费用增量的 10% 后补助。",
            criteria={"questions": [{"text": "上年度是否有研发费用支出", "expect": True}]},
            is_published=True,
        ),
    )

    page = new_page(phone=True)
    sign_in(page, live_server.url, owner.phone, PASSWORD)
    page.goto(f"{live_server.url}/m/")
    page.locator("a[data-module=enterprise]").click()
    page.wait_for_selector("#policies")
    old = page.locator(".policy-list li", has_text="老企业技改补助")
    assert "不符合条件" in old.inner_text()
    assert "成立日期 2024-03-01 晚于要求的 2023-12-31 之前" in old.inner_text()
    research = page.locator(".policy-list li", has_text="研发费用后补助")
    assert "待确认" in research.inner_text()
    shot(page, "enterprises-policies")

    # Answering the question settles the 待确认 verdict.
    page.locator("#questions").get_by_label("是", exact=True).check()
    page.get_by_role("button", name="保存回答").click()
    # The page before the answers had #policies too: wait for the one that saved them.
    expect(page.locator(".messages")).to_contain_text("回答已保存，匹配结果已更新")
    research = page.locator(".policy-list li", has_text="研发费用后补助")
    assert "符合条件" in research.inner_text() and "不符合" not in research.inner_text()

    page.get_by_role("link", name="提交诉求").click()
    page.get_by_label("类型").select_option("help")
    page.get_by_label("诉求内容").fill("厂区门口的下水井盖破损，货车进出很危险，请尽快更换")
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#requests")
    mine = page.locator("#requests + a + ul").inner_text()
    assert "下水井盖破损" in mine and "待签收" in mine
    shot(page, "enterprises-request-filed")

    worker = new_page()
    sign_in(worker, live_server.url, people["worker_a"].phone, PASSWORD)
    worker.goto(f"{live_server.url}/cases/queue/")
    row = worker.locator("text=下水井盖破损").first
    row.click()
    worker.wait_for_url(f"**/cases/{Case.objects.get().pk}/")
    body = worker.locator("main").inner_text()
    assert "企业服务" in body
    assert "派碧沙岗第1网格网格员周敏办理" in body
    shot(worker, "enterprises-case-for-worker")
