"""周报告 and 月汇总: figures from patrols, track and findings; the page, Excel and PDF; the
scheduled archive; and another grid's report refused."""

import io
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.cases.conftest import IN_A1
from tests.conftest import COMMUNITY, GRID_A, GRID_B, OTHER_COMMUNITY, add_other_community
from wangge.core.runs import RunIncomplete
from wangge.grids.coords import distance_m
from wangge.grids.models import GridNode
from wangge.patrols import services
from wangge.patrols.models import PatrolReport
from wangge.patrols.reports import period, report_figures
from wangge.patrols.services import (
    patrol_end,
    patrol_finding_report,
    patrol_report_generate,
    patrol_reports_generate_all,
    patrol_start,
    patrol_track,
)
from wangge.patrols.tasks import weekly_patrol_reports

# Wednesday 2026-11-18 10:00 in Zhengzhou.
WEDNESDAY = "2026-11-18T02:00:00Z"


def test_periods() -> None:
    assert period("weekly", date(2026, 11, 18)) == (date(2026, 11, 16), date(2026, 11, 23))
    assert period("monthly", date(2026, 12, 31)) == (date(2026, 12, 1), date(2027, 1, 1))
    # 0.001° of latitude is about 111 metres.
    assert distance_m(113.6, 34.75, 113.6, 34.751) / 1000 == pytest.approx(0.1112, abs=0.001)


@pytest.fixture
def week(people: dict[str, Any]) -> dict[str, Any]:
    worker = people["worker_a"]
    with time_machine.travel(WEDNESDAY, tick=False):
        patrol = patrol_start(actor=worker)
    with time_machine.travel("2026-11-18T03:30:00Z", tick=False):
        now = timezone.now()
        patrol_track(
            actor=worker,
            patrol=patrol,
            points=[
                (now - timedelta(minutes=20), 113.6005, 34.7505),  # A1
                (now - timedelta(minutes=10), 113.6005, 34.7525),  # A1, 222 m north
                (now, 113.6030, 34.7525),  # A2
            ],
        )
        finding = patrol_finding_report(
            actor=worker,
            patrol=patrol,
            hazard="flying_wire",
            description="3号楼飞线充电",
            lon=IN_A1[0],
            lat=IN_A1[1],
        )
        patrol_end(actor=worker, patrol=patrol, summary="百花里一带飞线一处")
    return {"patrol": patrol, "finding": finding}


def test_figures_from_the_data(people: Any, week: Any) -> None:
    fig = report_figures(GridNode.objects.get(code=COMMUNITY), "weekly", date(2026, 11, 20))
    t = fig["totals"]
    assert (t["patrols"], t["findings"], t["reported"], t["fixed"]) == (1, 1, 1, 0)
    assert t["hours"] == 1.5
    assert t["km"] == pytest.approx(0.22 + 0.23, abs=0.02)
    assert t["cases_open"] == 1 and t["cases_closed"] == 0
    assert [w["name"] for w in fig["workers"]] == ["周敏"]
    assert fig["hazards"] == [["飞线充电", 1]]
    assert fig["coverage"] == {"covered": 2, "total": 3, "missing": ["B1 微网格"]}
    assert fig["findings"][0]["number"] == week["finding"].case.number
    assert fig["summaries"][0]["text"] == "百花里一带飞线一处"
    # The week before holds nothing.
    before = report_figures(GridNode.objects.get(code=COMMUNITY), "weekly", date(2026, 11, 11))
    assert before["totals"]["patrols"] == 0 and before["coverage"]["covered"] == 0


def test_page_and_downloads(people: Any, week: Any) -> None:
    client = Client()
    client.force_login(people["community"])
    page = client.get(f"/patrols/reports/{COMMUNITY}/?kind=weekly&day=2026-11-18").content.decode()
    assert "碧沙岗社区巡查周报告（2026-11-16 至 2026-11-22）" in page
    assert "周敏" in page and "B1 微网格" in page and week["finding"].case.number in page
    xlsx = client.get(f"/patrols/reports/{COMMUNITY}/report.xlsx?kind=weekly&day=2026-11-18")
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    assert rows[0][0].startswith("碧沙岗社区巡查周报告")
    assert list(rows[6][:2]) == ["周敏", 1]
    assert wb.worksheets[1].cell(2, 1).value == week["finding"].case.number
    pdf = client.get(f"/patrols/reports/{COMMUNITY}/report.pdf?kind=monthly&day=2026-11-18")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(f"/patrols/reports/{COMMUNITY}/report.doc").status_code == 404


def test_another_grid_is_refused(people: Any, week: Any) -> None:
    other = Client()
    other.force_login(people["worker_b"])
    assert other.get(f"/patrols/reports/{GRID_A}/").status_code == 404
    assert other.get(f"/patrols/reports/{GRID_A}/report.xlsx").status_code == 404
    assert other.get(f"/patrols/reports/{GRID_B}/").status_code == 200
    resident = Client()
    resident.force_login(people["resident"])
    assert resident.get("/patrols/reports/").status_code == 404
    assert resident.get(f"/patrols/reports/{GRID_A}/").status_code == 404


def test_scheduled_reports_are_archived(people: Any, week: Any) -> None:
    # Monday 2026-11-23 07:15 local: last week's report for every community.
    with time_machine.travel("2026-11-22T23:15:00Z", tick=False):
        weekly_patrol_reports.call_local()
    saved = PatrolReport.objects.get()
    assert saved.node.code == COMMUNITY and saved.period_start == date(2026, 11, 16)
    assert saved.figures["totals"]["findings"] == 1
    # Generating again replaces, never duplicates.
    patrol_report_generate(kind="weekly", node=saved.node, day=date(2026, 11, 22))
    assert patrol_reports_generate_all(kind="monthly", day=date(2026, 11, 5)) == 1
    assert PatrolReport.objects.count() == 2
    client = Client()
    client.force_login(people["community"])
    archive = client.get("/patrols/reports/").content.decode()
    assert "碧沙岗社区巡查周报告（2026-11-16 至 2026-11-22）" in archive
    assert "碧沙岗社区巡查月汇总（2026-11-01 至 2026-11-30）" in archive
    pdf = client.get(f"/patrols/reports/saved/{saved.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A grid worker holds a grid, not the community: its archive is not theirs.
    worker = Client()
    worker.force_login(people["worker_a"])
    assert worker.get(f"/patrols/reports/saved/{saved.pk}.xlsx").status_code == 404
    assert "碧沙岗社区巡查周报告" not in worker.get("/patrols/reports/").content.decode()
    assert worker.get(f"/patrols/reports/{GRID_A}/?kind=weekly&day=2026-11-18").status_code == 200


def test_report_form_offers_the_nodes_in_scope(people: Any) -> None:
    worker = Client()
    worker.force_login(people["worker_b"])
    page = worker.get("/patrols/reports/").content.decode()
    assert f'<option value="{GRID_B}">碧沙岗第2网格</option>' in page
    assert "碧沙岗第1网格" not in page and "碧沙岗社区" not in page and "暂无存档报告" in page
    # Choosing a node and a day opens that node's report for the period.
    resp = worker.get("/patrols/reports/", {"node": GRID_B, "kind": "monthly", "day": "2026-11-18"})
    assert resp["Location"] == f"/patrols/reports/{GRID_B}/?kind=monthly&day=2026-11-18"
    report = worker.get(resp["Location"]).content.decode()
    assert "碧沙岗第2网格巡查月汇总（2026-11-01 至 2026-11-30）" in report


def test_a_community_whose_report_fails_does_not_cost_the_others_theirs(
    people: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    add_other_community()
    real = services.report_figures

    def figures(node: GridNode, kind: str, day: date) -> Any:
        if node.code == COMMUNITY:  # the first community in tree order
            raise RuntimeError("figures broke")
        return real(node, kind, day)

    monkeypatch.setattr(services, "report_figures", figures)
    with pytest.raises(RunIncomplete, match=f"1 made, failed: {COMMUNITY}"):
        patrol_reports_generate_all(kind="weekly", day=date(2026, 11, 18))
    assert list(PatrolReport.objects.values_list("node__code", flat=True)) == [OTHER_COMMUNITY]
    assert f"patrol report weekly 2026-11-18 failed for {COMMUNITY}" in caplog.text
