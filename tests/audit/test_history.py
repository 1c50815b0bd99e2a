"""变更历史: changes to the sensitive registers made through the pages are kept with who and
when, auditors of the subtree read them on the 审计查询 page (their reading recorded too), nobody
else does, and no history row holds a clear phone or ID number."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from tests.conftest import DISTRICT, STREET, box, feature
from tests.residents.conftest import make_id, register  # noqa: F401
from wangge.accounts.models import Role, User
from wangge.audit.history import REGISTERS
from wangge.audit.models import AuditQuery
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.residents.models import GroupTag, Person, SecurityCategory
from wangge.residents.services import person_register, security_tag_set

OTHER_STREET = "410102002"


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def history_page(user: User, **filters: str) -> str:
    resp = client_for(user).get("/audit/", {"topic": "history", **filters})
    assert resp.status_code == 200
    return resp.content.decode()


def body(page: str) -> str:
    """The results table only (the filter form lists the register names too)."""
    return page.split("<tbody>")[1].split("</tbody>")[0]


@pytest.fixture
def setting(
    people: dict[str, User],  # noqa: F811
    register: dict[str, Any],  # noqa: F811
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
) -> dict[str, Any]:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    OTHER_STREET,
                    "棉纺路街道",
                    "street",
                    DISTRICT,
                    box(113.56, 34.71, 113.58, 34.73),
                )
            ],
        }
    )
    return {
        **people,
        **register,
        "auditor": make_user(Role.AUDITOR, tree[STREET], name="街道审计"),
        "other_auditor": make_user(
            Role.AUDITOR, GridNode.objects.get(code=OTHER_STREET), name="棉纺审计"
        ),
    }


def change_care_plan(user: User, person: Person, plan: str) -> None:
    resp = client_for(user).post(
        f"/residents/persons/{person.pk}/groups/",
        {"group": "living_alone", "care_plan": plan, "visit_every_days": "14"},
    )
    assert resp.status_code == 302


def test_a_change_through_the_page_keeps_who_when_and_what(setting: dict[str, Any]) -> None:
    elder, worker = setting["elder"], setting["worker_a"]
    before = timezone.now()
    change_care_plan(worker, elder, "每天电话问候，每周入户两次")

    tag = GroupTag.objects.get(person=elder, group="living_alone")
    latest = tag.history.first()  # type: ignore[attr-defined]
    assert latest.history_type == "~"
    assert latest.history_user == worker
    assert before <= latest.history_date <= timezone.now()
    assert latest.care_plan == "每天电话问候，每周入户两次"
    # The version before it is kept as it was, with who created it.
    first = tag.history.last()  # type: ignore[attr-defined]
    assert (first.history_type, first.care_plan) == ("+", "每周电话问候，每月入户一次")
    assert first.history_user is None  # the fixture called the service outside a request

    page = body(history_page(setting["auditor"]))
    assert "周敏" in page and "张桂芳 · 独居老人" in page
    assert "关爱计划：每周电话问候，每月入户一次 → 每天电话问候，每周入户两次" in page
    assert "走访周期（天）：30 → 14" in page
    recorded = AuditQuery.objects.get()
    assert (recorded.actor, recorded.topic, recorded.kind) == (
        setting["auditor"],
        "history",
        "view",
    )


def test_only_auditors_read_it_and_only_their_own_street(setting: dict[str, Any]) -> None:
    change_care_plan(setting["worker_a"], setting["elder"], "每天电话问候")
    for who in ("worker_a", "community", "dispatcher", "admin", "resident"):
        resp = client_for(setting[who]).get("/audit/", {"topic": "history"})
        assert resp.status_code == 403, who
    other = history_page(setting["other_auditor"])
    # Only their street's own making (its node, their grant); nothing of 林山寨's registers.
    assert "共 2 条" in other and "棉纺路街道（410102002）" in other
    for name in ("张桂芳", "刘德胜", "碧沙岗", "林山寨", "周敏", "2-301"):
        assert name not in body(other), name
    # The other street's change (its name, through the admin) is theirs, not this street's.
    superuser = User.objects.create_superuser("13900009999", "pw", name="系统管理员")
    node = GridNode.objects.get(code=OTHER_STREET)
    resp = client_for(superuser).post(
        f"/admin/grids/gridnode/{node.pk}/change/", {"name": "棉纺路街道办事处", "kind": ""}
    )
    assert resp.status_code == 302
    theirs = body(history_page(setting["other_auditor"], register="grids.gridnode"))
    assert "名称：棉纺路街道 → 棉纺路街道办事处" in theirs and "系统管理员" in theirs
    ours = history_page(setting["auditor"])
    assert "棉纺路" not in ours and "张桂芳" in ours


def test_history_rows_hold_no_clear_phone_or_id_number(setting: dict[str, Any]) -> None:
    id_number = make_id("19520101", "024")
    person = person_register(
        actor=setting["community"],
        household=setting["home_a"],
        name="陈淑珍",
        id_number=id_number,
        phone="13511112222",
        relation="spouse",
    )
    person.phone = "13933334444"
    person.save()
    clear = ("13612345678", "13787654321", "13511112222", "13933334444", id_number)
    for reg in REGISTERS:
        for row in reg.history._default_manager.values():
            text = " ".join(str(v) for v in row.values())
            assert not any(value in text for value in clear), (reg.label, row)
    # The change of phone is there, masked: the masked forms and that the keyed hash changed.
    page = body(history_page(setting["auditor"], record="陈淑珍", history_type="~"))
    assert "联系电话：135****2222 → 139****4444" in page
    assert "联系电话摘要：已更改" in page
    assert "13933334444" not in page and id_number not in page


def test_security_tags_need_the_permission_even_for_auditors(setting: dict[str, Any]) -> None:
    officer = setting["community"]
    officer.user_permissions.add(Permission.objects.get(codename="view_securitytag"))
    officer = User.objects.get(pk=officer.pk)
    security_tag_set(
        actor=officer,
        person=setting["person_b"],
        category=SecurityCategory.COMMUNITY_CORRECTION,
        measures="每月谈话一次",
    )
    auditor = setting["auditor"]
    page = history_page(auditor)
    assert "社区矫正人员" not in page and "综治重点人员标记" not in page
    # Asking for them by name is refused as an unknown choice, and nothing is listed.
    refused = history_page(auditor, register="residents.securitytag")
    assert "选择一个有效的选项" in refused and "<tbody>" not in refused
    auditor.user_permissions.add(Permission.objects.get(codename="view_securitytag"))
    granted = body(history_page(User.objects.get(pk=auditor.pk)))
    assert "刘德胜 · 社区矫正人员" in granted


def test_filters_and_pages(setting: dict[str, Any]) -> None:
    for n in range(55):
        change_care_plan(setting["worker_a"], setting["elder"], f"第 {n} 次调整")
    auditor = setting["auditor"]
    # A page of 50 versions costs the same few queries as a page of 5: each register's rows
    # and the versions before them are read in two queries, not one per row.
    c = client_for(auditor)
    with CaptureQueriesContext(connection) as queries:
        assert c.get("/audit/", {"topic": "history"}).status_code == 200
    print("history page queries:", len(queries))
    assert len(queries) <= 25
    narrowed = {"register": "residents.grouptag", "record": "张桂芳", "actor": "周敏"}
    first = history_page(auditor, **narrowed)
    # Newest first: page 1 holds the 54th change down to the 5th, page 2 the rest.
    assert "共 55 条" in first and "→ 第 54 次调整" in first and "→ 第 4 次调整" not in first
    second = c.get("/audit/", {"topic": "history", **narrowed, "page": "2"}).content.decode()
    assert "→ 第 4 次调整" in second and "→ 第 0 次调整" in second
    assert "→ 第 54 次调整" not in second
    assert body(second).count("<tr>") == 5
    # By number, by action and by period.
    tag = GroupTag.objects.get(person=setting["elder"])
    created = history_page(
        auditor, record=str(tag.pk), history_type="+", register="residents.grouptag"
    )
    assert "共 1 条" in created
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert "共 0 条" in history_page(auditor, date_from=tomorrow)
    assert "共 0 条" in history_page(auditor, actor="吴磊")
    recorded = AuditQuery.objects.filter(topic="history").order_by("created_at")[2]
    assert recorded.filters == {**narrowed, "page": 2}


def test_export_holds_the_history(setting: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    change_care_plan(setting["worker_a"], setting["elder"], "每天电话问候")
    resp = client_for(setting["auditor"]).get(
        "/audit/export.xlsx", {"topic": "history", "register": "residents.grouptag"}
    )
    assert resp.status_code == 200
    rows = [
        [c.value for c in r] for r in load_workbook(io.BytesIO(resp.content)).active.iter_rows()
    ]
    assert rows[0] == ["时间", "操作人", "数据类型", "对象", "操作", "变更内容"]
    assert [r[1:5] for r in rows[1:]] == [
        ["周敏（139****0002）", "特殊人群标记", "张桂芳 · 独居老人", "修改"],
        ["系统", "特殊人群标记", "张桂芳 · 独居老人", "新增"],
    ]
    assert AuditQuery.objects.get().kind == "export"
