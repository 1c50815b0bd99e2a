"""周报告 and 月汇总 of patrols: figures assembled from the data (patrols, track, findings and the
state of their cases, micro-grid coverage), and the same figures as Excel and PDF."""

import io
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wangge.cases.models import OPEN_STATUSES, Status
from wangge.core import xlsx
from wangge.core.calendar import midnight, month_bounds, week_bounds
from wangge.core.pdf import cjk_font
from wangge.core.pdf import pdf_table as table
from wangge.grids import indexes
from wangge.grids.coords import distance_m
from wangge.grids.models import GridLevel, GridNode
from wangge.patrols.models import Finding, Hazard, Patrol, PatrolReport, TrackPoint

MAX_LISTED_FINDINGS = 200


def period(kind: str, day: date) -> tuple[date, date]:
    """[start, end) of the Monday–Sunday week or the calendar month holding `day`."""
    return week_bounds(day) if kind == PatrolReport.Kind.WEEKLY else month_bounds(day)


def _blank() -> dict[str, Any]:
    return {
        "patrols": 0,
        "km": 0.0,
        "hours": 0.0,
        "findings": 0,
        "reported": 0,
        "fixed": 0,
        "cases_open": 0,
        "cases_closed": 0,
    }


def _rounded(row: dict[str, Any]) -> dict[str, Any]:
    row["km"] = round(row["km"], 2)
    row["hours"] = round(row["hours"], 1)
    return row


def report_figures(node: GridNode, kind: str, day: date) -> dict[str, Any]:
    """Everything a report shows, JSON-serialisable. Reads all patrols in the node's subtree
    (the caller has checked the node is theirs)."""
    start, end = period(kind, day)
    since, until = midnight(start), midnight(end)
    patrols: QuerySet[Patrol] = Patrol.objects.filter(
        grid_path__startswith=node.path, started_at__gte=since, started_at__lt=until
    ).select_related("worker")
    patrol_list = list(patrols)
    by_id = {p.pk: p for p in patrol_list}
    workers: dict[int, dict[str, Any]] = {}
    grids: dict[str, dict[str, Any]] = {}
    totals = _blank()

    def rows_for(p: Patrol) -> list[dict[str, Any]]:
        w = workers.setdefault(p.worker_id, {"name": p.worker.name, **_blank()})
        g = grids.setdefault(p.grid_path, {"name": p.grid_name, **_blank()})
        return [totals, w, g]

    for p in patrol_list:
        hours = ((p.ended_at - p.started_at).total_seconds() / 3600) if p.ended_at else 0.0
        for row in rows_for(p):
            row["patrols"] += 1
            row["hours"] += hours

    # Distance and coverage from the track, one pass in time order per patrol.
    covered: set[int] = set()
    index = indexes.grid_index()
    last: dict[int, tuple[float, float]] = {}
    points = list(
        TrackPoint.objects.filter(patrol__in=patrols)
        .order_by("patrol_id", "at", "pk")
        .values_list("patrol_id", "lon", "lat")
    )
    # One call for the whole track (the database engine answers in batches, not a query a
    # point); the coverage is the set of micro-grids any point fell in.
    hits = index.locate_many([lon for _p, lon, _l in points], [lat for _p, _o, lat in points])
    covered.update(h.micro_id for h in hits if h.micro_id is not None)
    for pid, lon, lat in points:
        if pid in last:
            km = distance_m(*last[pid], lon, lat) / 1000
            for row in rows_for(by_id[pid]):
                row["km"] += km
        last[pid] = (lon, lat)

    # Labels as plain text: the figures are stored as JSON and written to Excel.
    hazard_labels = {k: str(v) for k, v in Hazard.choices}
    kind_labels = {k: str(v) for k, v in Finding.Kind.choices}
    status_labels = {k: str(v) for k, v in Status.choices}
    hazards: dict[str, int] = defaultdict(int)
    statuses: dict[str, int] = defaultdict(int)
    listed: list[dict[str, Any]] = []
    findings = (
        Finding.objects.filter(patrol__in=patrols)
        .select_related("case", "patrol__worker")
        .order_by("created_at", "pk")
    )
    for f in findings:
        case = f.case
        if case.micro_grid_id is not None:
            covered.add(case.micro_grid_id)
        is_open = case.status in OPEN_STATUSES
        for row in rows_for(by_id[f.patrol_id]):
            row["findings"] += 1
            row["reported" if f.kind == Finding.Kind.REPORTED else "fixed"] += 1
            row["cases_open" if is_open else "cases_closed"] += 1
        hazards[f.hazard] += 1
        statuses[case.status] += 1
        if len(listed) < MAX_LISTED_FINDINGS:
            listed.append(
                {
                    "number": case.number,
                    "case_id": case.pk,
                    "hazard": hazard_labels.get(f.hazard, f.hazard),
                    "kind": kind_labels.get(f.kind, f.kind),
                    "status": status_labels.get(case.status, case.status),
                    "title": case.title,
                    "worker": f.patrol.worker.name,
                    "at": timezone.localtime(f.created_at).strftime("%m-%d %H:%M"),
                }
            )

    micros = list(
        GridNode.objects.filter(path__startswith=node.path, level=GridLevel.MICRO)
        .order_by("path")
        .values_list("pk", "name")
    )
    missing = [name for pk, name in micros if pk not in covered]
    title = _("%(name)s巡查%(kind)s（%(start)s 至 %(last)s）") % {
        "name": node.name,
        "kind": str(PatrolReport.Kind(kind).label),
        "start": start.isoformat(),
        "last": (end - timedelta(days=1)).isoformat(),
    }
    return {
        "title": title,
        "kind": kind,
        "node": {"code": node.code, "name": node.name},
        "start": start.isoformat(),
        "end": end.isoformat(),
        "last_day": (end - timedelta(days=1)).isoformat(),
        "totals": _rounded(totals),
        "workers": sorted(
            (_rounded(w) for w in workers.values()), key=lambda r: (-r["patrols"], r["name"])
        ),
        "grids": sorted((_rounded(g) for g in grids.values()), key=lambda r: r["name"]),
        "hazards": sorted(
            ([hazard_labels.get(h, h), n] for h, n in hazards.items()), key=lambda r: -r[1]
        ),
        "statuses": sorted(
            ([status_labels.get(s, s), n] for s, n in statuses.items()), key=lambda r: -r[1]
        ),
        "coverage": {
            "covered": len(micros) - len(missing),
            "total": len(micros),
            "missing": missing,
        },
        "findings": listed,
        "findings_count": totals["findings"],
        "summaries": [
            {
                "worker": p.worker.name,
                "day": f"{timezone.localtime(p.started_at):%m-%d}",
                "text": p.summary,
            }
            for p in patrol_list
            if p.summary
        ][:50],
    }


def row_header() -> list[str]:
    return [
        _("巡查次数"),
        _("里程（公里）"),
        _("时长（小时）"),
        _("发现问题"),
        _("上报事件"),
        _("自行处置"),
        _("事件未办结"),
        _("事件已办结"),
    ]


def row_cells(r: dict[str, Any]) -> list[Any]:
    return [
        r["patrols"],
        r["km"],
        r["hours"],
        r["findings"],
        r["reported"],
        r["fixed"],
        r["cases_open"],
        r["cases_closed"],
    ]


def report_xlsx(fig: dict[str, Any]) -> bytes:
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("汇总")
    ws.append([fig["title"]])
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append([])
    ws.append([_("对象"), *row_header()])
    ws.append([_("合计"), *row_cells(fig["totals"])])
    ws.append([])
    ws.append([_("网格员"), *row_header()])
    for w in fig["workers"]:
        ws.append([w["name"], *row_cells(w)])
    ws.append([])
    ws.append([_("网格"), *row_header()])
    for g in fig["grids"]:
        ws.append([g["name"], *row_cells(g)])
    ws.append([])
    cov = fig["coverage"]
    ws.append([_("微网格覆盖"), f"{cov['covered']}/{cov['total']}"])
    if cov["missing"]:
        ws.append([_("未巡查到的微网格"), "、".join(cov["missing"])])
    for row in ws.iter_rows():
        for cell in row:
            if cell.value in (_("对象"), _("网格员"), _("网格")):
                for c in row:
                    c.font = xlsx.font(bold=True)
    detail = wb.create_sheet(_("发现明细"))
    detail.append(
        [_("事件编号"), _("隐患类型"), _("方式"), _("事件状态"), _("标题"), _("网格员"), _("时间")]
    )
    for c in detail[1]:
        c.font = xlsx.font(bold=True)
    for f in fig["findings"]:
        detail.append(
            [f["number"], f["hazard"], f["kind"], f["status"], f["title"], f["worker"], f["at"]]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(fig: dict[str, Any]) -> bytes:
    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    widths = [40.0] + [24.0] * 8
    t = fig["totals"]
    cov = fig["coverage"]
    story: list[Any] = [Paragraph(fig["title"], h1)]
    story.append(
        Paragraph(
            _(
                "本期巡查 %(p)s 次，里程 %(km)s 公里，时长 %(h)s 小时；发现问题 %(f)s 个，"
                "其中上报事件 %(r)s 个、自行处置 %(x)s 个，事件未办结 %(o)s 个；"
                "微网格覆盖 %(c)s/%(n)s。"
            )
            % {
                "p": t["patrols"],
                "km": t["km"],
                "h": t["hours"],
                "f": t["findings"],
                "r": t["reported"],
                "x": t["fixed"],
                "o": t["cases_open"],
                "c": cov["covered"],
                "n": cov["total"],
            },
            body,
        )
    )
    story.append(Paragraph(_("一、网格员"), h2))
    story.append(
        table(
            [_("网格员"), *row_header()],
            [[w["name"], *row_cells(w)] for w in fig["workers"]] or [[_("本期无巡查")] + [""] * 8],
            widths,
        )
    )
    story.append(Paragraph(_("二、网格"), h2))
    story.append(
        table(
            [_("网格"), *row_header()],
            [[g["name"], *row_cells(g)] for g in fig["grids"]] or [[_("本期无巡查")] + [""] * 8],
            widths,
        )
    )
    story.append(Paragraph(_("三、微网格覆盖"), h2))
    story.append(
        Paragraph(
            _("已覆盖 %(c)s/%(n)s。") % {"c": cov["covered"], "n": cov["total"]}
            + (_("未巡查到：%(m)s") % {"m": "、".join(cov["missing"])} if cov["missing"] else ""),
            body,
        )
    )
    story.append(Paragraph(_("四、发现明细"), h2))
    if fig["findings"]:
        story.append(
            table(
                [
                    _("事件编号"),
                    _("隐患类型"),
                    _("方式"),
                    _("事件状态"),
                    _("标题"),
                    _("网格员"),
                    _("时间"),
                ],
                [
                    [
                        f["number"],
                        f["hazard"],
                        f["kind"],
                        f["status"],
                        f["title"],
                        f["worker"],
                        f["at"],
                    ]
                    for f in fig["findings"]
                ],
                [34, 22, 20, 22, 100, 26, 22],
            )
        )
    else:
        story.append(Paragraph(_("本期无发现。"), body))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=fig["title"],
    )
    doc.build(story)
    return out.getvalue()
