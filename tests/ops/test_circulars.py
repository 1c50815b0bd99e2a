"""The weekly circular: figures equal the KPI selector's, the PDF and Excel say the same."""

import io
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import COMMUNITY, DISTRICT, OTHER_COMMUNITY, STREET, box, feature
from wangge.accounts.models import Role
from wangge.cases.selectors import kpis
from wangge.core.runs import RunIncomplete
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.notifications.models import Notification
from wangge.ops import services as ops_services
from wangge.ops.models import Circular
from wangge.ops.services import circular_generate

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 11, 9)
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=TZ)


def at(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=TZ)


@pytest.fixture
def circular(cast: dict[str, Any], week_cases: Any) -> Circular:
    street = GridNode.objects.get(code=STREET)
    return circular_generate(node=street, kind="weekly", start=date(2026, 11, 12), now=NOW)


def test_figures_equal_the_kpi_selector_and_the_hand_count(
    cast: dict[str, Any], circular: Circular
) -> None:
    fig = circular.figures
    assert (circular.period_start, circular.period_end) == (MONDAY, date(2026, 11, 16))
    street = GridNode.objects.get(code=STREET)
    total, rows = kpis(
        user=cast["dispatcher"],
        parent=street,
        start=at(MONDAY),
        end=at(date(2026, 11, 16)),
        now=at(date(2026, 11, 16)),
    )
    assert fig["total"] == total.as_dict()
    assert (
        [r["code"] for r in fig["rows"]] == [r.code for r in rows] == [COMMUNITY, OTHER_COMMUNITY]
    )
    assert [{k: v for k, v in r.items() if k != "rank"} for r in fig["rows"]] == [
        r.as_dict() for r in rows
    ]
    # By hand: due in the week are the cases due 11-10 (on time) and 11-15 (late), both
    # resolved; one follow-up (11-12), reached, solved, satisfied.
    t = fig["total"]
    assert (t["due"], t["closed"], t["closed_on_time"]) == (2, 2, 1)
    assert (t["completion_rate"], t["on_time_rate"], t["composite"]) == (1.0, 0.5, 1.0)
    # The week before: 互助路's case due 11-05 on time; follow-ups 11-02 (not reached, solved,
    # dissatisfied) and 11-06 (reached, solved, satisfied) → 0.1×0.5 + 0.5×1 + 0.4×0.5 = 0.75.
    p = fig["previous"]
    assert (p["due"], p["on_time_rate"], p["composite"]) == (1, 1.0, 0.75)
    assert fig["deltas"] == {
        "due": 1,
        "completion_rate": 0.0,
        "on_time_rate": -0.5,
        "response_rate": 0.5,
        "resolution_rate": 0.0,
        "satisfaction_rate": 0.5,
        "composite": 0.25,
    }
    overdue = {r["title"]: r for r in fig["overdue"]}
    assert set(overdue) == {"噪音扰民", "t"}
    assert overdue["噪音扰民"]["working_days_over"] == 14.6
    assert overdue["噪音扰民"]["unit"] == "碧沙岗社区"
    assert overdue["t"]["working_days_over"] == 0.0  # due Sunday noon, resolved Monday
    assert [r["title"] for r in fig["serious_overdue"]] == ["噪音扰民"]
    assert (fig["overdue_count"], fig["serious_overdue_count"], fig["reopened_count"]) == (2, 1, 1)
    assert [r["title"] for r in fig["reopened"]] == ["楼道堆物"]
    assert fig["hotline"] == {
        "count": 1,
        "closed": 0,
        "on_time": 0,
        "closed_rate": 0.0,
        "on_time_rate": 0.0,
    }


def test_pdf_text_holds_names_and_figures(circular: Circular) -> None:
    with circular.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = "".join(page.extract_text() for page in reader.pages).replace(" ", "")
    assert "林山寨街道周通报（2026-11-09至2026-11-15）" in text
    assert "碧沙岗社区" in text and "互助路社区" in text
    assert "噪音扰民" in text and "楼道堆物" in text and "14.6" in text
    assert "办结率100.0%（+0.0个百分点）" in text
    assert "按期办结率50.0%（-50.0）" in text
    assert "综合成绩100.00（+25.0）" in text
    assert "12345热线工单1件" in text
    fonts = {
        str(f.get_object().get("/BaseFont"))
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    # The embedded serif CJK face (fonts-arphic-uming's AR PL UMing CN), not a CID name.
    assert any("UMingCN" in f for f in fonts), fonts


def test_excel_holds_the_same_rows(circular: Circular) -> None:
    with circular.xlsx.open("rb") as fh:
        wb = load_workbook(io.BytesIO(fh.read()))
    ws = wb["考核排名"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values.index(
        [
            "排名",
            "单位",
            "到期",
            "办结",
            "按期办结",
            "办结率",
            "按期办结率",
            "响应率",
            "解决率",
            "满意率",
            "综合成绩",
        ]
    )
    ranking = values[header + 1 :]
    # One unit measured, the other with nothing due or followed up: nothing to compare, so
    # no place for either (the reason is printed under the table).
    assert ranking[0] == [
        "—",
        "碧沙岗社区",
        2,
        2,
        1,
        "100.0%",
        "50.0%",
        "100.0%",
        "100.0%",
        "100.0%",
        "100.00",
    ]
    # Nothing due or followed up there: listed without a place.
    assert ranking[1][:3] == ["—", "互助路社区", 0] and ranking[1][-1] == "—"
    assert ranking[2][:3] == ["合计", "林山寨街道", 2]
    assert [ranking[3][0][:5], ranking[4][0]] == [
        "排名依据：",
        "本期只有一个单位有到期或回访的事件，无从比较，不排名次。",
    ]
    overdue = [[c.value for c in row] for row in wb["超期事件"].iter_rows(min_row=2)]
    assert [(r[1], r[-1]) for r in overdue] == [("噪音扰民", 14.6), ("t", 0.0)]
    assert [r[1] for r in wb["重办事件"].iter_rows(min_row=2, values_only=True)] == ["楼道堆物"]
    assert list(wb["12345热线"].iter_rows(min_row=2, values_only=True)) == [
        (1, 0, 0, "0.0%", "0.0%")
    ]


def test_announced_to_the_street_dispatcher(cast: dict[str, Any], circular: Circular) -> None:
    notes = Notification.objects.filter(topic="circular")
    assert [n.recipient for n in notes] == [cast["dispatcher"]]
    assert notes[0].title.startswith("林山寨街道周通报") and notes[0].link == "/ops/circulars/"


def test_regenerating_replaces_the_same_period(cast: dict[str, Any], circular: Circular) -> None:
    again = circular_generate(node=circular.node, kind="weekly", start=MONDAY, now=NOW)
    assert again.pk == circular.pk and Circular.objects.count() == 1


def test_archive_and_downloads_are_scoped(
    cast: dict[str, Any], make_user: Any, circular: Circular
) -> None:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    "410102002", "三官庙街道", "street", DISTRICT, box(113.62, 34.74, 113.64, 34.76)
                )
            ],
        }
    )
    other = make_user(Role.STREET_DISPATCHER, GridNode.objects.get(code="410102002"), name="郑平")
    own = Client()
    own.force_login(cast["dispatcher"])
    page = own.get("/ops/circulars/").content.decode()
    assert "林山寨街道周通报" in page
    resp = own.get(f"/ops/circulars/{circular.pk}.pdf")
    assert resp.status_code == 200 and b"".join(resp.streaming_content).startswith(b"%PDF")
    assert own.get(f"/ops/circulars/{circular.pk}.xlsx").status_code == 200
    stranger = Client()
    stranger.force_login(other)
    assert "林山寨街道" not in stranger.get("/ops/circulars/").content.decode()
    assert stranger.get(f"/ops/circulars/{circular.pk}.pdf").status_code == 404
    assert stranger.get(f"/ops/circulars/{circular.pk}.xlsx").status_code == 404
    worker = Client()
    worker.force_login(cast["worker_a"])
    assert worker.get("/ops/circulars/").status_code == 200  # staff, but sees nothing above
    assert worker.get(f"/ops/circulars/{circular.pk}.pdf").status_code == 404
    resident = Client()
    resident.force_login(cast["resident"])
    assert resident.get("/ops/circulars/").status_code == 403


def test_command_makes_street_and_district_circulars(cast: dict[str, Any], week_cases: Any) -> None:
    out = io.StringIO()
    call_command("make_circular", week="2026-11-15", street=STREET, stdout=out)
    assert Circular.objects.get().period_start == MONDAY
    call_command("make_circular", week="2026-11-15", stdout=out)
    district = Circular.objects.get(node__code=DISTRICT)
    assert [r["name"] for r in district.figures["rows"]] == ["林山寨街道"]
    assert district.figures["total"]["due"] == 2


def test_monthly_summary(cast: dict[str, Any], week_cases: Any) -> None:
    street = GridNode.objects.get(code=STREET)
    c = circular_generate(node=street, kind="monthly", start=date(2026, 11, 20), now=NOW)
    assert (c.period_start, c.period_end) == (date(2026, 11, 1), date(2026, 12, 1))
    assert c.figures["total"]["due"] == 5  # as tests/cases/test_kpis.py's month
    assert c.figures["previous"]["start"] == "2026-10-01"


def test_the_worker_makes_last_weeks_circulars_on_monday_morning(
    cast: dict[str, Any], week_cases: Any
) -> None:
    import time_machine
    from huey.contrib.djhuey import HUEY

    from wangge.ops.tasks import weekly_circulars

    # Huey schedules in UTC: Monday 07:00 in Zhengzhou is Sunday 23:00 UTC.
    def due(moment: datetime) -> bool:
        return "weekly_circulars" in {t.name for t in HUEY.read_periodic(moment)}

    assert due(datetime(2026, 11, 15, 23, 0))
    assert not due(datetime(2026, 11, 16, 7, 0))
    with time_machine.travel(NOW, tick=False):
        weekly_circulars.call_local()
    made = Circular.objects.order_by("node__path")
    assert [(c.node.code, c.period_start) for c in made] == [(DISTRICT, MONDAY), (STREET, MONDAY)]


def test_long_lists_are_cut_but_counted(
    cast: dict[str, Any], week_cases: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wangge.ops import selectors

    monkeypatch.setattr(selectors, "MAX_LISTED", 1)
    street = GridNode.objects.get(code=STREET)
    c = circular_generate(node=street, kind="weekly", start=MONDAY, now=NOW)
    assert [r["title"] for r in c.figures["overdue"]] == ["噪音扰民"]  # the most overdue
    assert c.figures["overdue_count"] == 2
    with c.pdf.open("rb") as fh:
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "共 2 件，以下列出超期最久的 1 件" in text
    assert "超期事件 2 件" in text.replace("\n", "")


def test_a_street_whose_circular_fails_does_not_hold_back_the_others(
    cast: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ops_services.circular_generate

    def generate(*, node: GridNode, **kw: Any) -> Circular:
        if node.code == DISTRICT:  # the first unit in tree order
            raise RuntimeError("render broke")
        return real(node=node, **kw)

    monkeypatch.setattr(ops_services, "circular_generate", generate)
    with pytest.raises(RunIncomplete, match=f"1 made, failed: {DISTRICT}"):
        ops_services.circulars_generate_all(
            kind=Circular.Kind.WEEKLY, start=date(2026, 11, 16), now=at(date(2026, 11, 23))
        )
    assert list(Circular.objects.values_list("node__code", flat=True)) == [STREET]
    # From the command line: the failed unit named in one line, not a traceback.
    with pytest.raises(CommandError, match=f"1 made, failed: {DISTRICT}"):
        call_command("make_circular", week="2026-11-16", stdout=io.StringIO())


def test_the_stored_files_are_as_scoped_through_media_and_nginx_may_send_them(
    cast: dict[str, Any], circular: Circular, settings: Any
) -> None:
    own = Client()
    own.force_login(cast["dispatcher"])
    worker = Client()
    worker.force_login(cast["worker_a"])
    for field in (circular.pdf, circular.xlsx):
        assert own.get(f"/media/{field.name}").status_code == 200
        assert worker.get(f"/media/{field.name}").status_code == 404
        assert Client().get(f"/media/{field.name}").status_code == 404
    settings.MEDIA_ACCEL_REDIRECT = "/_protected_media/"
    resp = own.get(f"/ops/circulars/{circular.pk}.pdf")
    assert resp.status_code == 200 and resp.content == b""
    assert resp["X-Accel-Redirect"] == f"/_protected_media/{circular.pdf.name}"
    assert resp["Content-Type"] == "application/pdf"
    assert resp["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
