"""审计查询: an auditor searches the personal-data access audit and the change log of their own
subtree, exports it to Excel, and is audited doing so. Nobody else may open it."""

import io
from collections.abc import Callable

import pytest
from auditlog.context import set_actor
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import DISTRICT, GRID_A, MICRO_B1
from wangge.accounts.models import PersonalDataAccess, Role, User
from wangge.accounts.services import reveal_phone
from wangge.audit.models import AuditQuery
from wangge.grids.models import GridNode


@pytest.fixture
def audit(
    cast: dict[str, User], tree: dict[str, GridNode], make_user: Callable[..., User]
) -> dict[str, User]:
    people = dict(cast)
    people["resident_b"] = make_user(
        Role.RESIDENT, tree[MICRO_B1], name="郑桂英", phone="13712345678"
    )
    people["auditor_a"] = make_user(Role.AUDITOR, tree[GRID_A], name="审计甲")
    people["auditor"] = make_user(Role.AUDITOR, tree[DISTRICT], name="区审计")
    reveal_phone(actor=cast["worker_a"], subject=cast["resident"], purpose="回访诉求人")
    reveal_phone(actor=people["worker_b"], subject=people["resident_b"], purpose="上门核实")
    with set_actor(cast["worker_a"]):
        worker = cast["worker_a"]
        worker.name = "周敏华"
        worker.save()
    with set_actor(cast["admin"]):
        resident_b = people["resident_b"]
        resident_b.phone = "13798765432"
        resident_b.save()
    return people


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_only_auditors_may_open_it(audit: dict[str, User]) -> None:
    for who in ("resident", "worker_a", "community", "dispatcher", "admin", "outsider"):
        c = client_for(audit[who])
        assert c.get("/audit/").status_code == 403, who
        assert c.get("/audit/export.xlsx").status_code == 403, who
    assert Client().get("/audit/").status_code == 302  # to the login page
    assert AuditQuery.objects.count() == 0


def test_a_grid_auditor_sees_who_revealed_what_in_their_grid_only(
    audit: dict[str, User],
) -> None:
    page = client_for(audit["auditor_a"]).get("/audit/").content.decode()
    assert "回访诉求人" in page and "周敏华" in page and "王秀兰" in page
    assert "上门核实" not in page and "郑桂英" not in page  # grid B's
    assert "共 1 条" in page
    # Phones appear masked, as everywhere else.
    assert audit["worker_a"].phone not in page and audit["worker_a"].masked_phone in page


def test_a_district_auditor_sees_everything_and_filters(audit: dict[str, User]) -> None:
    c = client_for(audit["auditor"])
    page = c.get("/audit/").content.decode()
    assert "回访诉求人" in page and "上门核实" in page and "共 2 条" in page
    narrowed = c.get("/audit/", {"topic": "access", "subject": "郑桂英"}).content.decode()
    assert "上门核实" in narrowed and "回访诉求人" not in narrowed
    assert "共 0 条" in c.get("/audit/", {"field": "id_number"}).content.decode()
    by_purpose = c.get("/audit/", {"purpose": "回访"}).content.decode()
    assert "回访诉求人" in by_purpose and "上门核实" not in by_purpose


def test_bad_filters_are_refused_in_chinese_and_kept(audit: dict[str, User]) -> None:
    c = client_for(audit["auditor"])
    page = c.get("/audit/", {"date_from": "2026-13-40", "actor": "周敏华"}).content.decode()
    assert "输入一个有效的日期" in page
    assert 'value="周敏华"' in page and 'value="2026-13-40"' in page
    reversed_period = c.get(
        "/audit/", {"date_from": "2026-11-20", "date_to": "2026-11-01"}
    ).content.decode()
    assert "开始日期不能晚于结束日期" in reversed_period
    refused = c.get("/audit/export.xlsx", {"date_from": "昨天"})
    assert refused.status_code == 400
    # The refusal is the audit page with the error on its form, telling the district's auditor
    # what they audit like the page itself does.
    text = refused.content.decode()
    assert "输入一个有效的日期" in text and 'value="昨天"' in text and "范围：全区。" in text
    assert AuditQuery.objects.count() == 0  # nothing was queried


def test_changes_are_scoped_by_who_made_them_and_mask_phones(audit: dict[str, User]) -> None:
    own = client_for(audit["auditor_a"]).get("/audit/", {"topic": "changes"}).content.decode()
    assert "周敏 → 周敏华" in own
    assert "1379" not in own  # the admin's change of grid B's resident is not grid A's
    everything = client_for(audit["auditor"]).get("/audit/", {"topic": "changes"})
    text = everything.content.decode()
    assert "137****5678 → 137****5432" in text
    assert "13712345678" not in text and "13798765432" not in text


def test_export_to_excel_holds_the_rows_and_is_itself_audited(audit: dict[str, User]) -> None:
    c = client_for(audit["auditor"])
    resp = c.get("/audit/export.xlsx", {"topic": "access", "purpose": "上门"})
    assert resp.status_code == 200
    assert resp["Content-Disposition"].startswith('attachment; filename="audit-access-')
    sheet = load_workbook(io.BytesIO(resp.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["时间", "查看人", "被查看人", "字段", "用途", "IP 地址"]
    assert [r[2:5] for r in rows[1:]] == [["郑桂英", "手机号", "上门核实"]]

    recorded = AuditQuery.objects.get()
    assert (recorded.actor, recorded.kind, recorded.topic, recorded.rows) == (
        audit["auditor"],
        "export",
        "access",
        1,
    )
    assert recorded.filters == {"purpose": "上门"}
    # The auditors' trail is a tab of its own, and the grid auditor's scope covers only theirs.
    c.get("/audit/")
    trail = c.get("/audit/", {"topic": "queries"}).content.decode()
    assert "导出" in trail and "purpose=上门" in trail and "区审计" in trail
    assert (
        "区审计"
        not in client_for(audit["auditor_a"])
        .get("/audit/", {"topic": "queries"})
        .content.decode()
        .split("<tbody>")[1]
    )
    assert PersonalDataAccess.objects.count() == 2  # looking at the audit reveals nothing new


def test_an_unknown_topic_is_said_and_not_exported(audit: dict[str, User]) -> None:
    c = client_for(audit["auditor"])
    page = c.get("/audit/", {"topic": "gossip"})
    assert page.status_code == 422
    text = page.content.decode()
    assert "没有“gossip”这类审计记录，已显示个人信息查看" in text and "回访诉求人" in text
    refused = c.get("/audit/export.xlsx", {"topic": "gossip"})
    assert refused.status_code == 400 and "没有“gossip”这类审计记录" in refused.content.decode()
    assert not AuditQuery.objects.filter(kind=AuditQuery.Kind.EXPORT).exists()
