"""A unit's quarterly statement of its members' service, as the unit's staff download it."""

import io
from collections.abc import Callable

import time_machine
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import COMMUNITY, MICRO_A1, MICRO_B1
from tests.party.conftest import shanghai
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.party.models import PartyMember, PartyOrg
from wangge.party.services import post_claim, post_create, registration_register
from wangge.party.statements import Quarter, statement_pdf, statement_xlsx, unit_statement
from wangge.volunteering.models import SignUp


def _setup(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., SignUp],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> tuple[PartyMember, PartyMember]:
    zhang = make_member("张建华", orgs["unit_branch"], tree[MICRO_A1])
    liu = make_member("刘芳", orgs["unit_branch"], tree[MICRO_B1], register=False)
    make_member("陈刚", orgs["branch_a"], tree[MICRO_A1])  # not of the unit
    registration_register(user=zhang.user, kind="workplace", unit_id=orgs["unit"].pk)
    post = post_create(
        actor=cast["community"], community=tree[COMMUNITY], category="mediation", title="调解员"
    )
    with time_machine.travel(shanghai(2026, 8, 1, 10, 0)):
        post_claim(user=zhang.user, post_id=post.pk)
    serve(zhang.user, "2.50", shanghai(2026, 7, 1, 0, 0))  # first moment of Q3: counts
    serve(zhang.user, "1.00", shanghai(2026, 9, 30, 20, 0))
    serve(zhang.user, "4.00", shanghai(2026, 10, 1, 0, 0))  # Q4: not in this statement
    serve(liu.user, "3.00", shanghai(2026, 6, 30, 23, 59))  # Q2: not in it either
    return zhang, liu


def test_statement_rows_and_totals(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., SignUp],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    _setup(cast, make_member, serve, tree, orgs)
    s = unit_statement(orgs["unit"], Quarter(2026, 3))
    wb = load_workbook(io.BytesIO(statement_xlsx(s)))
    ws = wb.active
    assert ws is not None
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "中原区市场监管局机关党委党员双报到服务情况（2026年第3季度）"
    assert "2026-07-01 至 2026-09-30" in rows[1][0] and "党员 2 名" in rows[1][0]
    assert "已向居住地社区报到 1 名" in rows[1][0] and "合计 3.5 小时" in rows[1][0]
    assert rows[3] == [
        "序号",
        "姓名",
        "所在支部",
        "居住地报到社区",
        "单位报到",
        "认领岗位",
        "服务时长（小时）",
    ]
    assert rows[4:6] == [
        [1, "刘芳", "市场监管局第一党支部", "未报到", "未报到", "—", 0],
        [
            2,
            "张建华",
            "市场监管局第一党支部",
            "碧沙岗社区",
            "中原区市场监管局机关党委",
            "调解员",
            3.5,
        ],
    ]
    assert rows[6] == [None, "合计", None, None, None, None, 3.5]


def test_statement_pdf_reads_back(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., SignUp],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    _setup(cast, make_member, serve, tree, orgs)
    s = unit_statement(orgs["unit"], Quarter(2026, 3))
    reader = PdfReader(io.BytesIO(statement_pdf(s)))
    text = "".join(p.extract_text() for p in reader.pages)
    for expected in (
        "中原区市场监管局机关党委党员双报到服务情况",
        "2026年第3季度",
        "张建华",
        "刘芳",
        "碧沙岗社区",
        "调解员",
        "3.5",
        "服务时长合计 3.5 小时",
        "谁组织谁记录",
    ):
        assert expected in text, expected
    assert "陈刚" not in text


def test_unit_staff_download_the_statement(
    cast: dict[str, User],
    make_user: Callable[..., User],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., SignUp],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    _setup(cast, make_member, serve, tree, orgs)
    unit_admin = make_user(Role.ORG_ADMIN, tree["410102"], name="卫红梅")
    c = Client()
    c.force_login(unit_admin)
    page = c.get(f"/party/staff/orgs/{orgs['unit'].pk}/").content.decode()
    assert "张建华" in page and "碧沙岗社区" in page and "未报到" in page
    resp = c.get(f"/party/staff/orgs/{orgs['unit'].pk}/statement/2026Q3.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert "张建华" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.content)).pages)
    resp = c.get(f"/party/staff/orgs/{orgs['unit'].pk}/statement/2026Q3.xlsx")
    assert resp.status_code == 200
    assert c.get(f"/party/staff/orgs/{orgs['unit'].pk}/statement/2026Q9.xlsx").status_code == 404
    # The community's own organisation sees who registered with it, not the unit's statement.
    community = Client()
    community.force_login(cast["community"])
    incoming = community.get(f"/party/staff/orgs/{orgs['community'].pk}/").content.decode()
    assert "张建华" in incoming and "刘芳" not in incoming
    assert (
        community.get(f"/party/staff/orgs/{orgs['unit'].pk}/statement/2026Q3.pdf").status_code
        == 404
    )


def test_quarters() -> None:
    q = Quarter.parse("2026q4")
    assert (q.first_day.isoformat(), q.last_day.isoformat(), str(q.next)) == (
        "2026-10-01",
        "2026-12-31",
        "2027Q1",
    )
    start, end = Quarter(2026, 1).bounds()
    assert start.isoformat() == "2026-01-01T00:00:00+08:00"
    assert end.isoformat() == "2026-04-01T00:00:00+08:00"
