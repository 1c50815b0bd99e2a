"""A circular's figures as PDF (reportlab) and Excel (openpyxl).

The PDF embeds the CJK font of `core.pdf` so it reads the same on any machine.
"""

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wangge.core.pdf import cjk_font, pdf_table


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def score(value: float | None) -> str:
    """综合成绩 on a 100-point scale, as the district prints it."""
    return "—" if value is None else f"{value * 100:.2f}"


def delta(value: float | None, *, rate: bool = True) -> str:
    if value is None:
        return "—"
    if not rate:
        return f"{value:+d}" if isinstance(value, int) else f"{value:+g}"
    return f"{value * 100:+.1f}"


def title_of(fig: dict[str, Any]) -> str:
    if fig["kind"] == "annual":
        return _("%(name)s%(year)s年度社区考核") % {
            "name": fig["node"]["name"],
            "year": fig["year"],
        }
    kind = _("周通报") if fig["kind"] == "weekly" else _("月通报")
    return f"{fig['node']['name']}{kind}（{fig['start']} 至 {fig['last_day']}）"


def ranking_header() -> list[str]:
    return [
        _("排名"),
        _("单位"),
        _("到期"),
        _("办结"),
        _("按期办结"),
        _("办结率"),
        _("按期办结率"),
        _("响应率"),
        _("解决率"),
        _("满意率"),
        _("综合成绩"),
    ]


def ranking_cells(k: dict[str, Any], rank: Any) -> list[Any]:
    return [
        rank,
        k["name"],
        k["due"],
        k["closed"],
        k["closed_on_time"],
        pct(k["completion_rate"]),
        pct(k["on_time_rate"]),
        pct(k["response_rate"]),
        pct(k["resolution_rate"]),
        pct(k["satisfaction_rate"]),
        score(k["composite"]),
    ]


def case_header() -> list[str]:
    return [_("编号"), _("事件"), _("所属社区"), _("承办单位"), _("办理时限"), _("状态")]


def case_cells(r: dict[str, Any]) -> list[Any]:
    return [r["number"], r["title"], r["community"], r["unit"], r["due_at"], r["status"]]


def summary_lines(fig: dict[str, Any]) -> list[str]:
    t, d, h = fig["total"], fig["deltas"], fig["hotline"]
    return [
        _(
            "本期到期事件 %(due)s 件（较上期 %(d_due)s），"
            "办结率 %(cr)s（%(d_cr)s 个百分点），按期办结率 %(ot)s（%(d_ot)s），"
            "满意率 %(sr)s（%(d_sr)s），综合成绩 %(cs)s（%(d_cs)s）。"
        )
        % {
            "due": t["due"],
            "d_due": delta(d["due"], rate=False),
            "cr": pct(t["completion_rate"]),
            "d_cr": delta(d["completion_rate"]),
            "ot": pct(t["on_time_rate"]),
            "d_ot": delta(d["on_time_rate"]),
            "sr": pct(t["satisfaction_rate"]),
            "d_sr": delta(d["satisfaction_rate"]),
            "cs": score(t["composite"]),
            "d_cs": delta(d["composite"]),
        },
        _("超期事件 %(n)s 件，其中超期 %(days)s 个工作日以上 %(s)s 件；重办事件 %(r)s 件。")
        % {
            "n": fig["overdue_count"],
            "days": fig["serious_days"],
            "s": fig["serious_overdue_count"],
            "r": fig["reopened_count"],
        },
        _("12345热线工单 %(n)s 件，办结 %(c)s 件，按期办结 %(o)s 件（按期率 %(r)s）。")
        % {"n": h["count"], "c": h["closed"], "o": h["on_time"], "r": pct(h["on_time_rate"])},
    ]


def circular_pdf(fig: dict[str, Any]) -> bytes:
    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=font, fontSize=10.5, leading=16, spaceBefore=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    story: list[Any] = [Paragraph(title_of(fig), h1)]
    story += [Paragraph(line, body) for line in summary_lines(fig)]
    story.append(Paragraph(_("一、考核排名"), h2))
    rows = [ranking_cells(k, k["rank"]) for k in fig["rows"]]
    rows.append(ranking_cells(fig["total"], _("合计")))
    story.append(pdf_table(ranking_header(), rows, [10, 30, 12, 12, 14, 16, 18, 16, 16, 16, 16]))
    story.append(Paragraph(_("二、超期事件"), h2))
    overdue_header = [*case_header(), _("超期工作日")]
    widths: list[float] = [24, 44, 24, 24, 26, 16, 18]
    if not fig["overdue"]:
        story.append(Paragraph(_("本期无超期事件。"), body))
    if fig["overdue_count"] > len(fig["overdue"]):
        story.append(
            Paragraph(
                _("共 %(n)s 件，以下列出超期最久的 %(m)s 件。")
                % {"n": fig["overdue_count"], "m": len(fig["overdue"])},
                body,
            )
        )
    # The call-out first; the rest below it, so no case is printed twice.
    serious = [r for r in fig["overdue"] if r["serious"]]
    others = [r for r in fig["overdue"] if not r["serious"]]
    for heading, listed in (
        (_("（一）超期 %(d)s 个工作日以上（重点通报）") % {"d": fig["serious_days"]}, serious),
        (_("（二）其余超期事件"), others),
    ):
        if listed:
            story.append(Paragraph(heading, h3))
            story.append(
                pdf_table(
                    overdue_header,
                    [[*case_cells(r), r["working_days_over"]] for r in listed],
                    widths,
                )
            )
    story.append(Paragraph(_("三、重办事件"), h2))
    if fig["reopened"]:
        story.append(
            pdf_table(
                [*case_header(), _("重办次数")],
                [[*case_cells(r), r["reopen_count"]] for r in fig["reopened"]],
                [24, 44, 24, 24, 26, 16, 18],
            )
        )
    else:
        story.append(Paragraph(_("本期无重办事件。"), body))
    story.append(Paragraph(_("四、12345热线"), h2))
    h = fig["hotline"]
    story.append(
        pdf_table(
            [_("受理"), _("办结"), _("按期办结"), _("办结率"), _("按期率")],
            [
                [
                    h["count"],
                    h["closed"],
                    h["on_time"],
                    pct(h["closed_rate"]),
                    pct(h["on_time_rate"]),
                ]
            ],
            [30, 30, 30, 30, 30],
        )
    )
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title_of(fig),
        author=_("城运中心"),
    )
    doc.build(story)
    return buf.getvalue()


def circular_xlsx(fig: dict[str, Any]) -> bytes:
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    assert ws is not None
    ws.title = _("考核排名")
    ws.append([title_of(fig)])
    ws["A1"].font = Font(bold=True, size=14)
    for line in summary_lines(fig):
        ws.append([line])
    ws.append([])
    ws.append(ranking_header())
    for c in ws[ws.max_row]:
        c.font = bold
    for k in fig["rows"]:
        ws.append(ranking_cells(k, k["rank"]))
    ws.append(ranking_cells(fig["total"], _("合计")))
    ws.column_dimensions["B"].width = 18

    sheets = (
        (_("超期事件"), _("超期工作日"), "working_days_over", fig["overdue"]),
        (_("重办事件"), _("重办次数"), "reopen_count", fig["reopened"]),
    )
    for name, extra, key, rows in sheets:
        sheet = wb.create_sheet(name)
        sheet.append([*case_header(), extra])
        for c in sheet[1]:
            c.font = bold
        for r in rows:
            sheet.append([*case_cells(r), r[key]])
        sheet.column_dimensions["B"].width = 40
    hot = wb.create_sheet(_("12345热线"))
    h = fig["hotline"]
    hot.append([_("受理"), _("办结"), _("按期办结"), _("办结率"), _("按期率")])
    hot.append(
        [h["count"], h["closed"], h["on_time"], pct(h["closed_rate"]), pct(h["on_time_rate"])]
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
