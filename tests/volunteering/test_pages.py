"""The pages: a resident finds, grabs and checks in; an organiser publishes, shows the code and
certifies hours; other grids' staff see nothing of it."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.volunteering.conftest import PLACE_LAT, PLACE_LON
from wangge.accounts.models import User
from wangge.points.services import points_budget
from wangge.volunteering import services
from wangge.volunteering.models import SignUp, Task


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_tile_of_the_resident_app_is_live(cast: dict[str, User]) -> None:
    home = client_for(cast["resident"]).get("/m/").content.decode()
    assert 'href="/volunteering/" data-module="volunteer"' in home
    me = client_for(cast["resident"]).get("/m/me/").content.decode()
    assert 'href="/volunteering/mine/"' in me


def test_a_resident_finds_and_grabs_a_task(
    cast: dict[str, User], make_task: Callable[..., Task], django_assert_max_num_queries: Any
) -> None:
    start = timezone.now() + timedelta(days=1)
    for i in range(5):
        make_task(cast["community"], title=f"任务{i}", starts_at=start + timedelta(hours=3 * i))
    make_task(cast["community"], title="草稿不显示", status=Task.Status.DRAFT)
    task = Task.objects.get(title="任务0")
    resident = client_for(cast["resident"])
    with django_assert_max_num_queries(12):
        page = resident.get("/volunteering/").content.decode()
    assert page.count('class="case-card"') == 5 and "草稿不显示" not in page
    assert "余 10/10 个名额" in page and "每小时 10 活力值" in page

    detail = resident.get(f"/volunteering/{task.pk}/").content.decode()
    assert "抢任务" in detail and 'id="task-map"' in detail
    r = resident.post(f"/volunteering/{task.pk}/grab/", follow=True)
    assert "报名成功" in r.content.decode() and "您已报名" in r.content.decode()
    mine = resident.get("/volunteering/mine/").content.decode()
    assert "任务0" in mine and "已报名" in mine
    r = resident.post(f"/volunteering/{task.pk}/withdraw/", follow=True)
    assert "已取消报名" in r.content.decode()


def test_the_task_list_costs_the_same_queries_however_many_tasks(
    cast: dict[str, User], make_task: Callable[..., Task], django_assert_max_num_queries: Any
) -> None:
    start = timezone.now() + timedelta(days=1)
    for i, category in enumerate(["environment", "care", "other"] * 10):
        make_task(
            cast["community"],
            title=f"任务{i}",
            category=category,
            starts_at=start + timedelta(hours=3 * i),
        )
    resident = client_for(cast["resident"])
    with django_assert_max_num_queries(12):
        page = resident.get("/volunteering/").content.decode()
    # A page of 20 (the list pages); the pager tells how many there are in all.
    assert page.count('class="case-card"') == 20
    assert "共 30 条" in page
    assert "每小时 10 活力值" in page


def test_the_qr_leads_to_a_check_in(cast: dict[str, User], make_task: Callable[..., Task]) -> None:
    now = timezone.now()
    task = make_task(
        cast["community"], starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=1)
    )
    SignUp.objects.create(task=task, user=cast["resident"])
    organiser = client_for(cast["community"])
    qr = organiser.get(f"/volunteering/manage/{task.pk}/qr/").content.decode()
    assert "<svg" in qr
    url = re.search(r'data-url="([^"]+)"', qr).group(1)  # type: ignore[union-attr]
    assert url.startswith(f"http://testserver/volunteering/{task.pk}/checkin/?t=")
    part = organiser.get(f"/volunteering/manage/{task.pk}/qr/?part=1").content.decode()
    assert part.startswith('<div class="qr-box"')
    assert (
        client_for(cast["resident"]).get(f"/volunteering/manage/{task.pk}/qr/").status_code == 404
    )

    resident = client_for(cast["resident"])
    page = resident.get(url.removeprefix("http://testserver")).content.decode()
    assert "扫码签到" in page
    code = url.split("?t=")[1]
    r = resident.post(f"/volunteering/{task.pk}/checkin/", {"t": code, "fn": "in"}, follow=True)
    assert "签到成功" in r.content.decode() and "扫码签退" in r.content.decode()


def test_organiser_publishes_with_the_form_and_certifies(
    cast: dict[str, User], make_user: Callable[..., User]
) -> None:
    organiser = client_for(cast["community"])
    start = timezone.localtime() - timedelta(minutes=30)
    form = {
        "kind": "task",
        "publisher_kind": "party_org",
        "publisher_name": "碧沙岗社区党委",
        "title": "楼道清理",
        "place": "3号楼",
        "lon": str(PLACE_LON),
        "lat": str(PLACE_LAT),
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "slots": "5",
        "category": "environment",
        "points_rule": "per_hour",
        "checkin_method": "qr",
        "geofence_m": "200",
    }
    bad = organiser.post("/volunteering/manage/new/", {**form, "lon": "abc"})
    assert "请在地图上点选地点" in bad.content.decode()
    assert "楼道清理" in bad.content.decode()  # nothing typed is lost
    r = organiser.post("/volunteering/manage/new/", form, follow=True)
    task = Task.objects.get(title="楼道清理")
    assert task.status == Task.Status.DRAFT and "已保存" in r.content.decode()
    r = organiser.post(f"/volunteering/manage/{task.pk}/publish/", follow=True)
    assert "已发布" in r.content.decode()
    task.refresh_from_db()
    assert task.issuer is not None
    points_budget(issuer=task.issuer, amount=100, key="b")

    person = make_user(name="赵六")
    services.task_grab(task_id=task.pk, user=person)
    r = organiser.post(
        f"/volunteering/manage/{task.pk}/hours/",
        {"signup": SignUp.objects.get().pk, "decision": "confirmed"},
        follow=True,
    )
    assert "没有签到签退记录" in r.content.decode()
    r = organiser.post(
        f"/volunteering/manage/{task.pk}/hours/",
        {
            "signup": SignUp.objects.get().pk,
            "decision": "adjusted",
            "hours": "1.5",
            "note": "忘记签到，现场确认",
        },
        follow=True,
    )
    body = r.content.decode()
    assert "已认定 赵六，发放活力值 15" in body and "忘记签到，现场确认" in body
    assert client_for(cast["worker_b"]).get(f"/volunteering/manage/{task.pk}/").status_code == 404
    assert client_for(person).get(f"/volunteering/manage/{task.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("status", "begins_in_hours", "edit", "cancel", "decide"),
    [
        (Task.Status.PUBLISHED, 24, True, True, False),  # not begun: change or call off
        (Task.Status.ONGOING, -1, False, True, True),  # under way: call off or certify
        (Task.Status.FINISHED, -3, False, False, True),  # over: only certify
    ],
)
def test_the_organisers_page_offers_the_buttons_the_task_status_allows(
    cast: dict[str, User],
    make_task: Callable[..., Task],
    status: str,
    begins_in_hours: int,
    edit: bool,
    cancel: bool,
    decide: bool,
) -> None:
    task = make_task(
        cast["community"],
        status=status,
        starts_at=timezone.now() + timedelta(hours=begins_in_hours),
    )
    SignUp.objects.create(task=task, user=cast["resident"])  # someone whose hours are due
    page = client_for(cast["community"]).get(f"/volunteering/manage/{task.pk}/").content.decode()
    assert (f'href="/volunteering/manage/{task.pk}/edit/">修改</a>' in page) is edit
    assert ("<summary>取消任务</summary>" in page) is cancel
    assert (">确认时长</button>" in page) is decide


def test_an_individuals_task_is_approved_on_the_page(
    cast: dict[str, User], make_user: Callable[..., User]
) -> None:
    start = timezone.now() + timedelta(days=1)
    task = services.task_create(
        organiser=cast["resident"],
        data=services.TaskInput(
            kind="task",
            publisher_kind="individual",
            publisher_name="",
            title="陪老人散步",
            place="A1 楼下",
            lon=PLACE_LON,
            lat=PLACE_LAT,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            slots=2,
            category="care",
        ),
    )
    services.task_publish(task_id=task.pk, actor=cast["resident"])
    staff = client_for(cast["community"])
    assert "陪老人散步" in staff.get("/volunteering/manage/").content.decode()
    assert (
        "陪老人散步"
        not in client_for(cast["worker_b"]).get("/volunteering/manage/").content.decode()
    )
    r = staff.post(f"/volunteering/manage/{task.pk}/approve/", follow=True)
    assert "已审核通过" in r.content.decode()
    task.refresh_from_db()
    assert task.status == Task.Status.PUBLISHED


def test_check_in_by_position_on_the_page(
    cast: dict[str, User], make_task: Callable[..., Task]
) -> None:
    now = timezone.now()
    task = make_task(
        cast["community"],
        checkin_method="geofence",
        geofence_m=100,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=1),
    )
    SignUp.objects.create(task=task, user=cast["resident"])
    resident = client_for(cast["resident"])
    page = resident.get(f"/volunteering/{task.pk}/checkin/").content.decode()
    assert "定位签到" in page and "须在活动地点 100 米以内" in page
    far = resident.post(
        f"/volunteering/{task.pk}/checkin/",
        {"fn": "in", "lon": PLACE_LON + 0.01, "lat": PLACE_LAT},
        follow=True,
    )
    assert "米以内" in far.content.decode()
    near = resident.post(
        f"/volunteering/{task.pk}/checkin/",
        {"fn": "in", "lon": PLACE_LON, "lat": PLACE_LAT},
        follow=True,
    )
    assert "签到成功" in near.content.decode() and "定位签退" in near.content.decode()


def test_editing_keeps_what_people_signed_up_for(
    cast: dict[str, User], make_task: Callable[..., Task], make_user: Callable[..., User]
) -> None:
    task = make_task(cast["community"], slots=3, starts_at=timezone.now() + timedelta(days=1))
    for i in range(2):
        services.task_grab(task_id=task.pk, user=make_user(name=f"居民{i}"))
    organiser = client_for(cast["community"])
    form = organiser.get(f"/volunteering/manage/{task.pk}/edit/").content.decode()
    assert 'value="碧沙岗公园周边环境整治"' in form
    values = services_form(task)
    r = organiser.post(f"/volunteering/manage/{task.pk}/edit/", {**values, "slots": "1"})
    assert "已有 2 人报名，名额不能少于报名人数" in r.content.decode()
    r = organiser.post(
        f"/volunteering/manage/{task.pk}/edit/",
        {**values, "title": "公园环境整治（改）"},
        follow=True,
    )
    task.refresh_from_db()
    assert task.title == "公园环境整治（改）" and "已保存" in r.content.decode()
    assert (
        client_for(cast["worker_b"]).get(f"/volunteering/manage/{task.pk}/edit/").status_code == 404
    )


def services_form(task: Task) -> dict[str, str]:
    from wangge.volunteering.views import _task_values

    return {k: str(v) for k, v in _task_values(task).items()}
