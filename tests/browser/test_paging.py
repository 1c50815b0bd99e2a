"""The pager on a phone: a thumb reaches its links (44×44 px at least), and the next page of
the 原点在线 messages holds the rest, with the filter of a filtered list kept."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.browser.conftest import shot, sign_in
from tests.conftest import MICRO_A1, PASSWORD
from wangge.notifications.models import Notification
from wangge.volunteering.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_messages_page_on_a_phone(live_server: Any, cast: dict[str, Any], new_page: Any) -> None:
    resident = cast["resident"]
    Notification.objects.bulk_create(
        [Notification(recipient=resident, title=f"第{i:02d}条通知") for i in range(33)]
    )
    page = new_page(phone=True)
    sign_in(page, live_server.url, resident.phone, PASSWORD)
    page.goto(f"{live_server.url}/m/messages/")
    pager = page.get_by_role("navigation", name="分页")
    assert "共 33 条" in pager.inner_text()
    assert "第 1 / 2 页" in pager.inner_text()
    assert page.locator("#inbox li").count() == 30

    following = pager.get_by_role("link", name="下一页")
    box = following.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44
    shot(page, "pager-phone")
    following.click()
    page.wait_for_url("**/m/messages/?page=2")
    assert page.locator("#inbox li").count() == 3
    back = page.get_by_role("navigation", name="分页").get_by_role("link", name="上一页")
    box = back.bounding_box()
    assert box is not None and box["width"] >= 44 and box["height"] >= 44


def test_a_filtered_list_keeps_its_filter(
    live_server: Any, cast: dict[str, Any], tree: Any, new_page: Any
) -> None:
    start = timezone.now() + timedelta(days=1)
    for i in range(22):
        Task.objects.create(
            kind=Task.Kind.TASK,
            publisher_kind=Task.PublisherKind.SOCIAL_ORG,
            publisher_name="志愿者协会",
            organiser=cast["community"],
            grid=tree[MICRO_A1],
            grid_path=tree[MICRO_A1].path,
            title=f"环境整治{i:02d}",
            category="environment",
            place="公园北门",
            lon=113.6005,
            lat=34.7505,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            slots=10,
            status=Task.Status.PUBLISHED,
            qr_secret="s",
        )
    page = new_page(phone=True)
    sign_in(page, live_server.url, cast["resident"].phone, PASSWORD)
    page.goto(f"{live_server.url}/volunteering/?kind=task")
    page.get_by_role("navigation", name="分页").get_by_role("link", name="下一页").click()
    page.wait_for_url("**page=2")
    assert "kind=task" in page.url
    assert page.locator("#tasks li").count() == 2
