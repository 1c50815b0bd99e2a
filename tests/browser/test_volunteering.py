"""志愿服务 in a browser: an organiser publishes a task, a resident grabs it from the app, checks
in and out by opening the URL the organiser's rotating QR encodes, the organiser confirms the
hours, and the resident sees the 活力值."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.browser.conftest import shot, sign_in
from tests.conftest import MICRO_A1, PASSWORD
from tests.volunteering.conftest import PLACE_LAT, PLACE_LON
from wangge.accounts.models import Role
from wangge.points.models import EarningRule
from wangge.points.services import points_budget
from wangge.volunteering.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_publish_grab_check_in_with_the_qr_confirm_and_see_points(
    live_server: Any, cast: dict[str, Any], tree: Any, make_user: Any, new_page: Any
) -> None:
    # Transactional tests start empty: the earning rule and the budget an admin would set up.
    EarningRule.objects.update_or_create(
        code="volunteer_hour",
        defaults={"name": "志愿服务每小时", "kind": "per_hour", "points": 10, "daily_cap": 80},
    )
    resident = make_user(Role.RESIDENT, tree[MICRO_A1], name="张阿姨")
    base = live_server.url
    with time_machine.travel(timezone.now(), tick=True) as clock:
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
        assert task.issuer is not None
        points_budget(issuer=task.issuer, amount=500, key="budget-2026")

        phone = new_page(phone=True)
        sign_in(phone, base, resident.phone, PASSWORD)
        phone.goto(f"{base}/m/")
        phone.locator("[data-module=volunteer]").click()
        phone.get_by_role("link", name="碧沙岗公园周边环境整治").click()
        phone.get_by_role("button", name="抢任务").click()
        phone.wait_for_selector("#my-state")
        assert "您已报名" in phone.locator("#my-state").inner_text()
        shot(phone, "volunteering-grabbed")

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

        clock.shift(timedelta(hours=1))  # an hour of work (and the seconds the clicks take)
        scan()
        phone.get_by_role("button", name="扫码签退").click()
        phone.wait_for_selector("text=签退成功")

        organiser.goto(f"{base}/volunteering/manage/{task.pk}/")
        roster = organiser.locator("#roster")
        assert "张阿姨" in roster.inner_text() and "签到时长 1.0" in roster.inner_text()
        roster.get_by_role("button", name="确认时长").click()
        organiser.wait_for_selector("text=已认定 张阿姨，发放活力值 10")
        shot(organiser, "volunteering-confirmed")

        phone.goto(f"{base}/volunteering/mine/")
        mine = phone.locator("#my-tasks").inner_text()
        assert "已确认：1.0" in mine and "活力值 +10" in mine
        phone.goto(f"{base}/m/me/")
        assert "10 可用" in phone.locator("#my-points").inner_text()
        shot(phone, "volunteering-points")
