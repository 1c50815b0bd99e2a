"""The annual assessment of communities (年度考核): each community's year of KPIs (from
cases.selectors.kpis) weighed by the year's AssessmentWeights into a score out of 100, ranked,
and printed as PDF and Excel like the weekly circular."""

import io
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wangge.accounts.models import User
from wangge.cases.selectors import Kpi, kpis
from wangge.core.calendar import midnight, year_bounds
from wangge.core.pdf import cjk_font
from wangge.grids.models import GridLevel, GridNode
from wangge.ops.models import ASSESSMENT_KPIS, DEFAULT_ASSESSMENT_WEIGHTS, AssessmentWeights
from wangge.ops.render import pct, pdf_table, title_of


def weights_for(year: int) -> dict[str, int]:
    """The year's weights as set in the admin; else the latest earlier year's; else defaults."""
    row = AssessmentWeights.objects.filter(year__lte=year).order_by("-year").first()
    return row.as_dict() if row is not None else dict(DEFAULT_ASSESSMENT_WEIGHTS)


def score_of(k: Kpi, weights: dict[str, int]) -> float:
    """Σ weight × rate, out of 100. A rate with nothing to measure (no case due, no follow-up)
    earns nothing: a community is assessed on work it did."""
    total = 0.0
    for key, field, _label in ASSESSMENT_KPIS:
        total += weights[key] * (getattr(k, field) or 0.0)
    return round(total, 2)


def assessment_figures(
    *, user: User, node: GridNode, year: int, now: datetime | None = None
) -> dict[str, Any]:
    """The communities under a street (or every community of the district) over the calendar
    year, with their KPIs, weighted scores and rank; ties rank by code."""
    start, end = year_bounds(date(year, 1, 1))
    s, e = midnight(start), midnight(end)
    now = min(now or timezone.now(), e)
    weights = weights_for(year)
    if node.level == GridLevel.STREET:
        streets = [node]
    else:
        streets = list(
            GridNode.objects.filter(path__startswith=node.path, level=GridLevel.STREET).order_by(
                "code"
            )
        )
    rows: list[dict[str, Any]] = []
    for street in streets:
        _total, communities = kpis(user=user, parent=street, start=s, end=e, now=now)
        for k in communities:
            rows.append({**k.as_dict(), "street": street.name, "score": score_of(k, weights)})
    rows.sort(key=lambda r: (-r["score"], r["code"]))
    for i, r in enumerate(rows, 1):
        r["rank"] = i
    return {
        "node": {"code": node.code, "name": node.name, "level": node.level},
        "kind": "annual",
        "year": year,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "last_day": date(year, 12, 31).isoformat(),
        "weights": weights,
        "rows": rows,
        "average": round(sum(r["score"] for r in rows) / len(rows), 2) if rows else None,
    }


def header() -> list[str]:
    return [
        _("排名"),
        _("社区"),
        _("所属街道"),
        _("到期"),
        _("办结"),
        *[str(label) for _key, _field, label in ASSESSMENT_KPIS],
        _("考核得分"),
    ]


def cells(r: dict[str, Any]) -> list[Any]:
    return [
        r["rank"],
        r["name"],
        r["street"],
        r["due"],
        r["closed"],
        *[pct(r[field]) for _key, field, _label in ASSESSMENT_KPIS],
        f"{r['score']:.2f}",
    ]


def weights_line(fig: dict[str, Any]) -> str:
    parts = [f"{label} {fig['weights'][key]}" for key, _field, label in ASSESSMENT_KPIS]
    return _("考核权重（合计100分）：%(w)s。") % {"w": "，".join(parts)}


def summary_line(fig: dict[str, Any]) -> str:
    if not fig["rows"]:
        return _("本年度没有参加考核的社区。")
    first = fig["rows"][0]
    return _("参加考核社区 %(n)s 个，平均得分 %(avg).2f；第一名 %(name)s，%(score).2f 分。") % {
        "n": len(fig["rows"]),
        "avg": fig["average"],
        "name": first["name"],
        "score": first["score"],
    }


def assessment_pdf(fig: dict[str, Any]) -> bytes:
    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    table = pdf_table(
        header(),
        [cells(r) for r in fig["rows"]],
        [10, 30, 28, 12, 12, 16, 18, 16, 16, 16, 18],
    )
    story: list[Any] = [
        Paragraph(title_of(fig), h1),
        Paragraph(_("考核期：%(s)s 至 %(e)s。") % {"s": fig["start"], "e": fig["last_day"]}, body),
        Paragraph(weights_line(fig), body),
        Paragraph(summary_line(fig), body),
        table,
    ]
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=10 * mm,
        rightMargin=10 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title_of(fig),
        author=_("城运中心"),
    ).build(story)
    return buf.getvalue()


def assessment_xlsx(fig: dict[str, Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("年度考核")
    ws.append([title_of(fig)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([weights_line(fig)])
    ws.append([summary_line(fig)])
    ws.append([])
    ws.append(header())
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for r in fig["rows"]:
        ws.append([*cells(r)[:-1], r["score"]])
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
