"""Excel exports: the case list masked unless asked and allowed, every unmasked export audited;
the KPI table equal to the selector's."""

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.cases.test_kpis import d
from tests.conftest import COMMUNITY, STREET
from wangge.accounts.models import PersonalDataAccess
from wangge.cases.models import Case
from wangge.grids.models import GridNode

PHONE = "13912345678"


@pytest.fixture
def hotline_case(cast: dict[str, Any]) -> Case:
    bsg = GridNode.objects.get(code=COMMUNITY)
    return Case.objects.create(
        number="ZY202611000001",
        title="噪音扰民",
        description="夜间施工",
        channel="hotline",
        reporter_name="张三",
        reporter_phone=PHONE,
        grid_path=bsg.path,
        community=bsg,
        street=bsg.parent,
        status="signed",
    )


def rows(resp: Any) -> list[list[Any]]:
    assert resp.status_code == 200, resp.content[:300]
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_masked_by_default_and_nothing_audited(cast: dict[str, Any], hotline_case: Case) -> None:
    got = rows(client(cast["dispatcher"]).get("/ops/export/cases.xlsx"))
    header, *body = got
    assert header[:2] == ["编号", "标题"] and header[8] == "联系电话"
    assert body == [[*body[0][:8], "139****5678", *body[0][9:]]]
    assert body[0][:8] == [
        "ZY202611000001",
        "噪音扰民",
        "12345热线",
        None,  # no category: an empty cell
        "处理中",
        "碧沙岗社区",
        None,  # not yet dispatched to a unit
        "张三",
    ]
    # Ticking the box on a GET does nothing: an unmasked export takes a form POST.
    got = rows(client(cast["dispatcher"]).get("/ops/export/cases.xlsx?full_phone=1"))
    assert got[1][8] == "139****5678"
    got = rows(client(cast["dispatcher"]).post("/ops/export/cases.xlsx", {"grid": STREET}))
    assert got[1][8] == "139****5678"
    assert not PersonalDataAccess.objects.exists()


def test_full_phones_are_audited(cast: dict[str, Any], hotline_case: Case) -> None:
    got = rows(
        client(cast["dispatcher"]).post(
            "/ops/export/cases.xlsx", {"full_phone": "1", "channel": "hotline"}
        )
    )
    assert [r[8] for r in got[1:]] == [PHONE]
    access = PersonalDataAccess.objects.get()
    assert access.actor == cast["dispatcher"] and access.field == "phone"
    assert "1 条" in access.purpose and "含完整电话 1 个" in access.purpose
    assert "channel=hotline" in access.subject_label


def test_a_role_that_may_not_see_phones_is_refused(
    cast: dict[str, Any], hotline_case: Case
) -> None:
    # The district admin is not among PHONE_REVEAL_ROLES.
    resp = client(cast["admin"]).post("/ops/export/cases.xlsx", {"full_phone": "1"})
    assert resp.status_code == 403 and PHONE.encode() not in resp.content
    assert not PersonalDataAccess.objects.exists()
    assert rows(client(cast["admin"]).get("/ops/export/cases.xlsx"))[1][8] == "139****5678"


def test_filters_and_scope(cast: dict[str, Any], hotline_case: Case, week_cases: Any) -> None:
    c = client(cast["dispatcher"])
    everything = rows(c.get("/ops/export/cases.xlsx"))
    assert len(everything) - 1 == Case.objects.count()  # the street sees all of them
    assert [r[1] for r in rows(c.get("/ops/export/cases.xlsx?channel=hotline"))[1:]] == [
        "噪音扰民",
        "噪音扰民",
    ]
    signed = rows(c.get("/ops/export/cases.xlsx?status=signed&q=楼道"))
    assert [r[1] for r in signed[1:]] == ["楼道堆物"]
    # A grid worker's scope holds none of these community-level cases.
    assert rows(client(cast["worker_a"]).get("/ops/export/cases.xlsx"))[1:] == []
    assert client(cast["resident"]).get("/ops/export/cases.xlsx").status_code == 403


def test_kpi_table_equals_the_selector(cast: dict[str, Any], fixture_cases: None) -> None:
    from wangge.cases.selectors import kpis

    url = f"/ops/export/kpi.xlsx?code={STREET}&start=2026-11-01&end=2026-12-01"
    got = rows(client(cast["dispatcher"]).get(url))
    assert got[0] == ["林山寨街道 考核指标（2026-11-01 至 2026-11-30）", *[None] * 17]
    header, body = got[1], got[2:]
    assert header[:3] == ["排名", "单位", "到期"]
    total, ranked = kpis(
        user=cast["dispatcher"],
        parent=GridNode.objects.get(code=STREET),
        start=d(11, 1).replace(hour=0),
        end=d(12, 1).replace(hour=0),
    )
    assert [r[1] for r in body] == [k.name for k in ranked] + ["林山寨街道"]
    # By hand (tests/cases/test_kpis.py): 碧沙岗 4 due, 75% closed, 50% on time, score
    # 65.33 × 75% = 49.00.
    bsg = body[1]
    assert bsg[:7] == [2, "碧沙岗社区", 4, 3, 2, "75.0%", "50.0%"] and bsg[10] == "49.00"
    assert body[-1][:3] == ["合计", "林山寨街道", total.due]
    assert client(cast["worker_a"]).get(url).status_code == 404
    assert client(cast["worker_a"]).get("/ops/export/kpi.xlsx").status_code == 403


def test_an_export_period_that_does_not_read_is_refused(cast: dict[str, Any]) -> None:
    """A file of this month for a period typed wrong would read as the period asked for."""
    c = client(cast["dispatcher"])
    for query, said in (
        ("start=2026-11-31", "日期格式不正确"),
        ("end=1899-12-01", "日期须在"),
    ):
        for kind in ("kpi", "departments"):
            resp = c.get(f"/ops/export/{kind}.xlsx?code={STREET}&{query}")
            assert resp.status_code == 422, (kind, query)
            assert said in resp.content.decode()
    assert c.get(f"/ops/export/kpi.xlsx?code={STREET}&start=2026-11-01").status_code == 200
