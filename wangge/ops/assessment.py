"""The annual assessment of communities (年度考核): each community's year of KPIs (from
cases.selectors.kpis) weighed by the year's AssessmentWeights into a score out of 100, ranked,
and printed as PDF and Excel like the weekly circular."""

import io
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from wangge.accounts.models import User
from wangge.cases.selectors import Kpi, kpis
from wangge.core import xlsx
from wangge.core.calendar import midnight, year_bounds
from wangge.core.pdf import cjk_font, pdf_table
from wangge.grids.models import GridLevel, GridNode
from wangge.ops.models import ASSESSMENT_KPIS, DEFAULT_ASSESSMENT_WEIGHTS, AssessmentWeights
from wangge.ops.render import build_document, document_foot, document_head, pct, title_of


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
            measured = bool(k.due or k.followups)
            rows.append(
                {
                    **k.as_dict(),
                    "street": street.name,
                    "score": score_of(k, weights),
                    "measured": measured,
                }
            )
    # A community with no case due and none followed up in the year has nothing to be scored
    # on: it is listed last, without a place, and a year with no data names no 第一名.
    rows.sort(key=lambda r: (not r["measured"], -r["score"], r["code"]))
    place = 0
    for r in rows:
        if r["measured"]:
            place += 1
        r["rank"] = place if r["measured"] else None
    measured_scores = [r["score"] for r in rows if r["measured"]]
    return {
        "node": {"code": node.code, "name": node.name, "level": node.level},
        "kind": "annual",
        "year": year,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "last_day": date(year, 12, 31).isoformat(),
        "weights": weights,
        "rows": rows,
        "average": (
            round(sum(measured_scores) / len(measured_scores), 2) if measured_scores else None
        ),
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
    measured = r.get("measured", True)
    return [
        r["rank"] or "—",
        r["name"],
        r["street"],
        r["due"],
        r["closed"],
        *[pct(r[field]) for _key, field, _label in ASSESSMENT_KPIS],
        f"{r['score']:.2f}" if measured else _("暂无数据"),
    ]


def weights_line(fig: dict[str, Any]) -> str:
    parts = [f"{label} {fig['weights'][key]}" for key, _field, label in ASSESSMENT_KPIS]
    return _("考核权重（合计100分）：%(w)s。") % {"w": "，".join(parts)}


def summary_line(fig: dict[str, Any]) -> str:
    if not fig["rows"]:
        return _("本年度没有参加考核的社区。")
    ranked = [r for r in fig["rows"] if r.get("rank")]
    if not ranked:
        return _("暂无数据：本年度各社区没有到期或回访的事件，不排名次。")
    first = ranked[0]
    return _("参加考核社区 %(n)s 个，平均得分 %(avg).2f；第一名 %(name)s，%(score).2f 分。") % {
        "n": len(ranked),
        "avg": fig["average"],
        "name": first["name"],
        "score": first["score"],
    }


def assessment_pdf(fig: dict[str, Any]) -> bytes:
    font = cjk_font()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    table = pdf_table(
        header(),
        [cells(r) for r in fig["rows"]],
        [10, 30, 28, 12, 12, 16, 18, 16, 16, 16, 18],
    )
    story: list[Any] = [
        *document_head(fig),
        Paragraph(_("考核期：%(s)s 至 %(e)s。") % {"s": fig["start"], "e": fig["last_day"]}, body),
        Paragraph(weights_line(fig), body),
        Paragraph(summary_line(fig), body),
        table,
        *document_foot(fig),
    ]
    return build_document(story, fig, side_margin=10)


def assessment_xlsx(fig: dict[str, Any]) -> bytes:
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("年度考核")
    ws.append([title_of(fig)])
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append([weights_line(fig)])
    ws.append([summary_line(fig)])
    ws.append([])
    ws.append(header())
    for c in ws[ws.max_row]:
        c.font = xlsx.font(bold=True)
    for r in fig["rows"]:
        ws.append([*cells(r)[:-1], r["score"] if r.get("measured", True) else _("暂无数据")])
    ws.column_dimensions["B"].width = 18
    ws.column_dimensions["C"].width = 16
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
