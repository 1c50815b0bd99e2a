"""吹哨报到 reaches real people: departments and their 承办人 in the admin, the role granted and
revoked through membership, the whistle in members' inbox and 部门待办, their report-in and
report-back from the case page, and the dashboard's department table."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from tests.conftest import DISTRICT, STREET
from wangge.accounts.models import Role, RoleGrant, User
from wangge.cases.models import Assistance, Case, Department, DepartmentMember
from wangge.cases.services import case_act, department_member_add, department_member_remove
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification
from wangge.ops import panels

pytestmark = pytest.mark.django_db


def act(case: Case, who: Any, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def at_street(case: Case, people: dict[str, Any]) -> Case:
    """The desk takes the case over and signs it: only the street whistles."""
    act(case, people["dispatcher"], "transfer", "需部门联合处置", node=STREET)
    return act(case, people["dispatcher"], "sign")


def handler_grants(user: User) -> list[tuple[str, str]]:
    return list(
        RoleGrant.objects.filter(user=user, role=Role.DEPARTMENT_HANDLER).values_list(
            "role", "node__code"
        )
    )


def inline_post(dept: Department, rows: list[dict[str, str]], initial: int) -> dict[str, str]:
    data = {
        "name": dept.name,
        "memberships-TOTAL_FORMS": str(len(rows)),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for k, v in row.items():
            data[f"memberships-{i}-{k}"] = v
    return data


def test_admin_adds_and_removes_a_member_with_the_role(
    superuser_client: Client, people: dict[str, Any], make_user: Callable[..., User]
) -> None:
    dept = Department.objects.get(code="ZJJ")
    newcomer = make_user(name="黄建平")
    assert handler_grants(newcomer) == []
    listing = superuser_client.get("/admin/cases/department/").content.decode()
    assert "职能部门" in listing and "承办人数" in listing and "住建局" in listing
    url = f"/admin/cases/department/{dept.pk}/change/"
    page = superuser_client.get(url).content.decode()
    assert "刘建" in page and "加入后即获得“职能部门承办人”角色" in page
    existing = DepartmentMember.objects.get(department=dept)

    resp = superuser_client.post(
        url,
        inline_post(
            dept,
            [
                {"id": str(existing.pk), "department": str(dept.pk), "user": str(existing.user_id)},
                {"department": str(dept.pk), "user": str(newcomer.pk)},
            ],
            initial=1,
        ),
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    member = DepartmentMember.objects.get(department=dept, user=newcomer)
    assert member.added_by is not None and member.added_by.is_superuser
    # The role, held on the top of the tree, linked to the membership that gave it.
    assert handler_grants(newcomer) == [(Role.DEPARTMENT_HANDLER, DISTRICT)]
    assert member.grant is not None and member.grant.role == Role.DEPARTMENT_HANDLER

    resp = superuser_client.post(
        url,
        inline_post(
            dept,
            [
                {"id": str(existing.pk), "department": str(dept.pk), "user": str(existing.user_id)},
                {
                    "id": str(member.pk),
                    "department": str(dept.pk),
                    "user": str(newcomer.pk),
                    "DELETE": "on",
                },
            ],
            initial=2,
        ),
    )
    assert resp.status_code == 302
    assert not DepartmentMember.objects.filter(user=newcomer).exists()
    assert handler_grants(newcomer) == []
    # The other member was left as they were.
    assert DepartmentMember.objects.filter(pk=existing.pk).exists()
    # Both changes are in the change log, with who made them.
    log = LogEntry.objects.get_for_model(DepartmentMember).filter(object_pk=str(member.pk))
    assert sorted(log.values_list("action", flat=True)) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]
    assert all(e.actor is not None and e.actor.is_superuser for e in log)


def test_adding_twice_is_one_membership(
    superuser_client: Client, people: dict[str, Any], make_user: Callable[..., User]
) -> None:
    dept = Department.objects.get(code="XF")
    someone = make_user(name="马超")
    department_member_add(department=dept, user=someone)
    url = f"/admin/cases/department/{dept.pk}/change/"
    member = DepartmentMember.objects.get(department=dept, user=someone)
    resp = superuser_client.post(
        url,
        inline_post(
            dept,
            [
                {"id": str(member.pk), "department": str(dept.pk), "user": str(someone.pk)},
                {"department": str(dept.pk), "user": str(someone.pk)},
            ],
            initial=1,
        ),
    )
    assert resp.status_code == 200  # the form comes back with the error, nothing saved
    assert DepartmentMember.objects.filter(department=dept, user=someone).count() == 1


def test_the_role_goes_with_the_last_department(
    people: dict[str, Any], make_user: Callable[..., User]
) -> None:
    cgj, xf = Department.objects.get(code="CGJ"), Department.objects.get(code="XF")
    someone = make_user(name="马超")
    department_member_add(department=cgj, user=someone)
    department_member_add(department=xf, user=someone)
    assert handler_grants(someone) == [(Role.DEPARTMENT_HANDLER, DISTRICT)]
    assert department_member_remove(department=cgj, user=someone) is True
    assert handler_grants(someone) == [(Role.DEPARTMENT_HANDLER, DISTRICT)]
    assert department_member_remove(department=xf, user=someone) is True
    assert handler_grants(someone) == []
    assert department_member_remove(department=xf, user=someone) is False


def test_whistle_reaches_members_inbox_queue_and_case_page(
    people: dict[str, Any], report: Callable[..., Case], make_user: Callable[..., User]
) -> None:
    cgj = Department.objects.get(code="CGJ")
    newcomer = make_user(name="黄建平")
    department_member_add(department=cgj, user=newcomer)
    case = at_street(report("楼顶加盖彩钢房，影响楼体安全"), people)
    act(case, people["dispatcher"], "whistle", "请城管局牵头", lead="CGJ")

    # Both members of 城管局 are told, once each; 住建局 (not summoned) is not.
    for who in (people["cgj"], newcomer):
        assert Notification.objects.filter(recipient=who, title__startswith="吹哨报到").count() == 1
    assert not Notification.objects.filter(recipient=people["zjj"]).exists()

    c = Client()
    c.force_login(newcomer)
    assert c.get("/cases/").url == "/cases/department/"
    queue = c.get("/cases/department/").content.decode()
    assert case.title in queue and "城管局（主办）：待报到" in queue
    assert 'id="dept-total">1<' in queue
    detail = c.get(f"/cases/{case.pk}/").content.decode()
    assert "部门报到" in detail

    # Report in and back through the case page's actions.
    resp = c.post(f"/cases/{case.pk}/act/", {"action": "dept_sign"})
    assert resp.status_code == 302
    queue = c.get("/cases/department/").content.decode()
    assert "城管局（主办）：已报到" in queue
    resp = c.post(f"/cases/{case.pk}/act/", {"action": "dept_report", "note": "已拆除彩钢房"})
    assert resp.status_code == 302
    a = Assistance.objects.get(case=case)
    assert a.state == Assistance.State.REPORTED and a.report == "已拆除彩钢房"
    assert "没有待报到或待反馈的事件" in c.get("/cases/department/").content.decode()
    done = c.get("/cases/department/?done=1").content.decode()
    assert case.title in done and "已反馈" in done
    # The desk hears of the report back.
    assert Notification.objects.filter(
        recipient=people["dispatcher"], title__startswith="城管局已反馈"
    ).exists()

    # The dashboard's department table counts it.
    now = timezone.now()
    rows = panels.department_performance(
        user=people["dispatcher"],
        node=GridNode.objects.get(code=STREET),
        start=now - timedelta(days=1),
        end=now + timedelta(days=1),
    )
    row = next(r for r in rows if r["code"] == "CGJ")
    assert (row["whistled"], row["lead"], row["reported"], row["overdue"]) == (1, 1, 1, 0)
    assert row["signed_on_time"] == 1 and row["reported_on_time"] == 1


def test_removed_member_loses_the_case_and_others_never_had_it(
    people: dict[str, Any], report: Callable[..., Case], make_user: Callable[..., User]
) -> None:
    cgj = Department.objects.get(code="CGJ")
    newcomer = make_user(name="黄建平")
    department_member_add(department=cgj, user=newcomer)
    case = at_street(report(), people)
    act(case, people["dispatcher"], "whistle", lead="CGJ")
    c = Client()
    c.force_login(newcomer)
    assert c.get(f"/cases/{case.pk}/").status_code == 200

    # 住建局's handler was not summoned: the case does not exist for them.
    other = Client()
    other.force_login(people["zjj"])
    assert other.get(f"/cases/{case.pk}/").status_code == 404
    assert case.title not in other.get("/cases/department/").content.decode()

    department_member_remove(department=cgj, user=newcomer)
    assert c.get(f"/cases/{case.pk}/").status_code == 404
    assert c.get("/cases/department/").status_code == 403
    resp = c.post(f"/cases/{case.pk}/act/", {"action": "dept_sign"})
    assert resp.status_code == 404
    assert Assistance.objects.get(case=case).state == Assistance.State.SUMMONED


def test_department_queue_pages(people: dict[str, Any], report: Callable[..., Case]) -> None:
    cases = [at_street(report(f"占道经营第{i}处，堵住出入口"), people) for i in range(23)]
    for case in cases:
        act(case, people["dispatcher"], "whistle", lead="CGJ")
    c = Client()
    c.force_login(people["cgj"])
    first = c.get("/cases/department/").content.decode()
    second = c.get("/cases/department/?page=2").content.decode()
    assert 'id="dept-total">23<' in first
    assert first.count('data-case="') == 20 and second.count('data-case="') == 3
    shown = {int(x.split('"')[0]) for x in (first + second).split('data-case="')[1:]}
    assert shown == {case.pk for case in cases}


def test_a_stranger_has_no_department_queue(people: dict[str, Any]) -> None:
    c = Client()
    c.force_login(people["resident"])
    resp = c.get("/cases/department/")
    assert resp.status_code == 403 and "您不是职能部门承办人" in resp.content.decode()


def test_a_deactivated_account_cannot_join(
    superuser_client: Client, people: dict[str, Any], make_user: Callable[..., User]
) -> None:
    dept = Department.objects.get(code="XF")
    gone = make_user(name="离职人员")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    resp = superuser_client.post(
        f"/admin/cases/department/{dept.pk}/change/",
        inline_post(dept, [{"department": str(dept.pk), "user": str(gone.pk)}], initial=0),
    )
    assert resp.status_code == 200
    assert "该账号已停用，不能加入部门" in resp.content.decode()
    assert not DepartmentMember.objects.filter(user=gone).exists()
    assert handler_grants(gone) == []
