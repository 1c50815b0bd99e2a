"""A volunteer's whole journey in one browser session: an organiser publishes a task, a resident
grabs it from the app, checks in and out with the organiser's rotating QR code, the organiser
confirms the hours, and the resident sees the 活力值 and their place on the honour list."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.browser.conftest import shot, sign_in
from tests.conftest import MICRO_A1, PASSWORD
from tests.volunteering.conftest import PLACE_LAT, PLACE_LON
from wangge.accounts.models import Role
from wangge.points.models import Account
from wangge.points.rules import default_rules_load
from wangge.points.services import points_award, points_budget, system_account, wallet_for
from wangge.rankings.aggregates import refresh
from wangge.volunteering.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_from_a_published_task_to_the_honour_list(
    live_server: Any, cast: dict[str, Any], tree: Any, make_user: Any, new_page: Any
) -> None:
    # What an administrator set up beforehand (a transactional test starts empty): the seeded
    # earning rules, and the budget of the party committee that will publish the task.
    default_rules_load()
    committee = system_account(Account.Kind.ISSUER, "碧沙岗社区党委")
    points_budget(issuer=committee, amount=500, key="committee-budget-2026")
    resident = make_user(Role.RESIDENT, tree[MICRO_A1], name="张阿姨")
    neighbour = make_user(Role.RESIDENT, tree[MICRO_A1], name="李国强")
    base = live_server.url

    # A Wednesday morning ahead: the three-hour task, the check-out two hours in and the
    # week's board all fall inside one day and one week, whenever the suite runs (run late
    # on a Sunday evening, "now" would put the confirmed hours into next week's board).
    today = timezone.localdate()
    wednesday = today + timedelta(days=(2 - today.weekday()) % 7 or 7)
    morning = timezone.make_aware(datetime.combine(wednesday, time(9, 0)))
    with time_machine.travel(morning, tick=True) as clock:
        # The organiser (community staff) publishes a three-hour task that has just begun.
        organiser = new_page()
        sign_in(organiser, base, cast["community"].phone, PASSWORD)
        organiser.goto(f"{base}/volunteering/manage/new/")
        start = timezone.localtime() - timedelta(minutes=5)
        organiser.get_by_label("发布方类型").select_option("party_org")
        organiser.get_by_label("发布方名称").fill("碧沙岗社区党委")
        organiser.get_by_label("标题", exact=True).fill("碧沙岗公园周边环境整治")
        organiser.get_by_label("内容").fill("清理绿化带垃圾，劝导不文明养犬。请自备手套。")
        organiser.get_by_label("服务类别").select_option("environment")
        organiser.get_by_label("地点", exact=True).fill("碧沙岗公园北门")
        organiser.get_by_label("经度").fill(str(PLACE_LON))
        organiser.get_by_label("纬度").fill(str(PLACE_LAT))
        organiser.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
        organiser.get_by_label("结束时间").fill(
            (start + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
        )
        organiser.get_by_label("名额").fill("10")
        organiser.get_by_role("button", name="保存").click()
        organiser.get_by_role("button", name="发布").click()
        organiser.wait_for_selector("text=已发布")
        assert organiser.locator("#task-status").inner_text() == "报名中"
        task = Task.objects.get()
        assert task.issuer == committee  # the committee's budget will pay

        # The resident finds it in the app and grabs a place; not on the honour list yet.
        phone = new_page(phone=True)
        sign_in(phone, base, resident.phone, PASSWORD)
        phone.goto(f"{base}/m/")
        phone.locator("[data-module=volunteer]").click()
        phone.get_by_role("link", name="碧沙岗公园周边环境整治").click()
        phone.get_by_role("button", name="抢任务").click()
        phone.wait_for_selector("#my-state")
        assert "您已报名" in phone.locator("#my-state").inner_text()
        shot(phone, "volunteering-grabbed")
        refresh()  # the per-minute job that keeps the boards up with the ledger
        phone.goto(f"{base}/m/")
        phone.locator('a[data-module="honours"]').click()
        assert "还没有计分记录" in phone.locator("#my-rank").inner_text()
        assert "张阿姨" not in phone.locator("#board").inner_text()

        def scan() -> None:
            """The organiser shows the QR; the resident's camera opens what it encodes."""
            organiser.goto(f"{base}/volunteering/manage/{task.pk}/")
            organiser.get_by_role("link", name="出示签到二维码").click()
            organiser.wait_for_selector("#qr-code svg")
            phone.goto(organiser.locator("#qr-code").get_attribute("data-url") or "")

        scan()
        shot(organiser, "volunteering-qr")
        phone.get_by_role("button", name="扫码签到").click()
        phone.wait_for_selector("text=签到成功")
        clock.shift(timedelta(hours=2))  # two hours of work
        # Meanwhile a neighbour earned 15 (now, so in the same week whatever the day).
        points_award(
            issuer=committee, wallet=wallet_for(neighbour), amount=15, key="n1", reason="楼道清洁"
        )
        scan()
        phone.get_by_role("button", name="扫码签退").click()
        phone.wait_for_selector("text=签退成功")

        # The organiser confirms what the check-in and check-out recorded.
        organiser.goto(f"{base}/volunteering/manage/{task.pk}/")
        roster = organiser.locator("#roster")
        assert "张阿姨" in roster.inner_text() and "签到时长 2.0" in roster.inner_text()
        roster.get_by_role("button", name="确认时长").click()
        organiser.wait_for_selector("text=已认定 张阿姨，发放活力值 20")
        shot(organiser, "volunteering-confirmed")

        # The resident sees the points: on the task list, at home and in the history.
        phone.goto(f"{base}/volunteering/mine/")
        mine = phone.locator("#my-tasks").inner_text()
        assert "已确认：2.0" in mine and "活力值 +20" in mine
        phone.goto(f"{base}/m/me/")
        assert "20 可用" in phone.locator("#my-points").inner_text()
        shot(phone, "volunteering-points")
        phone.goto(f"{base}/points/history/")
        history = phone.locator("#history").inner_text()
        assert "志愿服务：碧沙岗公园周边环境整治" in history and "+20" in history

        # …and, once the boards have caught up, their place on this week's honour list: first,
        # ahead of the neighbour's 15, with the two hours the organiser confirmed.
        refresh()
        phone.goto(f"{base}/m/")
        phone.locator('a[data-module="honours"]').click()
        assert "您本期得分 20，排第 1 名" in phone.locator("#my-rank").inner_text()
        rows = phone.locator("#board tbody tr")
        assert [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())] == [
            ["1", "张阿姨（我）", "20", "2"],
            ["2", "李*强", "15", "0"],
        ]
        phone.locator("#my-rank summary").click()
        assert "志愿服务：碧沙岗公园周边环境整治" in phone.locator("#my-rank").inner_text()
        shot(phone, "journey-volunteer-rank")
