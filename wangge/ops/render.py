"""A circular's figures as PDF (reportlab) and Excel (openpyxl).

The PDF embeds the CJK font of `core.pdf` so it reads the same on any machine.
"""

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Flowable, HRFlowable, Paragraph, SimpleDocTemplate

from wangge.core import xlsx
from wangge.core.pdf import ChineseParagraph, cjk_font, pdf_table


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


def rank_label(k: dict[str, Any]) -> Any:
    """The place in the table, or "—" for a unit with nothing to measure (ranked nowhere)."""
    return k.get("rank") or "—"


def ranking_basis(fig: dict[str, Any]) -> list[str]:
    """What the ranking rests on, printed under it: the formula with its weights, the period,
    the tie rule; and, when no unit is placed, why."""
    lines = []
    weights = fig.get("weights")
    if weights:
        lines.append(
            _(
                "排名依据：综合成绩 =（响应率 × %(r)s%% + 解决率 × %(s)s%% + 满意率 × %(f)s%%）"
                "× 办结率，满分 100；统计期 %(start)s 至 %(last)s，计办理时限在本期内的事件和"
                "本期完成的回访；综合成绩相同的单位名次并列，没有到期或回访事件的单位不排名次。"
            )
            % {
                "r": f"{weights['response'] * 100:g}",
                "s": f"{weights['resolution'] * 100:g}",
                "f": f"{weights['satisfaction'] * 100:g}",
                "start": fig["start"],
                "last": fig["last_day"],
            }
        )
    if fig.get("unranked_reason"):
        lines.append(fig["unranked_reason"])
    elif not any(k.get("rank") for k in fig["rows"]):
        lines.append(_("暂无数据：本期没有到期或回访的事件，不排名次。"))
    return lines


# 编号 and 办理时限 of the case tables: printed whole on one line.
CASE_NOWRAP = (0, 4)


def unit_names(fig: dict[str, Any]) -> list[str]:
    """The names of the units a circular speaks of, kept whole on a line where they fit."""
    names = {fig["node"]["name"], *(k["name"] for k in fig["rows"])}
    for r in (*fig.get("overdue", ()), *fig.get("reopened", ())):
        names.update((r.get("unit") or "", r.get("community") or ""))
    doc = fig.get("document") or {}
    names.add(doc.get("issuer") or "")
    return sorted(n for n in names if n)


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


# --- the 公文 frame: 发文单位 and 文号 at the head, 落款 and date at the end, page numbers ---


def document_info(*, unit: str, seq: int, when: date) -> dict[str, str]:
    """The head and foot of a circular as the settings word them (CIRCULAR_ISSUER,
    CIRCULAR_NUMBER): who issues it, its 文号, and its date."""
    values = {"unit": unit, "year": when.year, "seq": seq}
    return {
        "issuer": settings.CIRCULAR_ISSUER.format(**values),
        "number": settings.CIRCULAR_NUMBER.format(**values),
        "date": when.isoformat(),
    }


def chinese_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}


def document_head(fig: dict[str, Any]) -> list[Flowable]:
    """红头: the issuing unit in red, the 文号 under it, a red rule; then the title."""
    font = cjk_font()
    doc = fig.get("document")
    title = ParagraphStyle(
        "title",
        fontName=font,
        fontSize=16,
        leading=24,
        alignment=1,
        spaceBefore=8,
        spaceAfter=8,
        wordWrap="CJK",
    )
    names = unit_names(fig)
    if not doc:
        return [ChineseParagraph(title_of(fig), title, keep=names)]
    red = colors.HexColor("#c00000")
    issuer = ParagraphStyle(
        "issuer", fontName=font, fontSize=22, leading=30, alignment=1, textColor=red, wordWrap="CJK"
    )
    number = ParagraphStyle("number", fontName=font, fontSize=10.5, leading=16, alignment=1)
    return [
        ChineseParagraph(doc["issuer"], issuer, keep=names),
        Paragraph(doc["number"], number),
        HRFlowable(width="100%", thickness=1.5, color=red, spaceBefore=2, spaceAfter=6),
        ChineseParagraph(title_of(fig), title, keep=names),
    ]


def document_foot(fig: dict[str, Any]) -> list[Flowable]:
    """落款: the issuing unit and the date, at the right under the text."""
    doc = fig.get("document")
    if not doc:
        return []
    font = cjk_font()
    sign = ParagraphStyle(
        "sign", fontName=font, fontSize=10.5, leading=18, alignment=2, rightIndent=12
    )
    return [
        Paragraph("", ParagraphStyle("gap", fontName=font, spaceBefore=18)),
        Paragraph(doc["issuer"], sign),
        Paragraph(chinese_date(doc["date"]), sign),
    ]


# 公文 page numbers (GB/T 9704-2012 §7.5): "— 1 —" in 4号 (14 pt) under the text, odd pages
# at the right and even pages at the left, one character in from the edge of the text.
PAGE_NUMBER_SIZE = 14


def page_label(number: int) -> str:
    return f"— {number} —"


class NumberedCanvas(pdf_canvas.Canvas):
    """Prints the 公文 page number at the foot of every page. Pages are kept and drawn at the
    end, once the layout is done (the margins are read from the document then)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        left, right = getattr(self, "margins", (0.0, 0.0))
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.setFont(cjk_font(), PAGE_NUMBER_SIZE)
            indent = PAGE_NUMBER_SIZE  # 空一字
            y = 6 * mm
            if number % 2:
                self.drawRightString(self._pagesize[0] - right - indent, y, page_label(number))
            else:
                self.drawString(left + indent, y, page_label(number))
            super().showPage()
        super().save()


def build_document(story: list[Any], fig: dict[str, Any], *, side_margin: float) -> bytes:
    """Lay out a circular or an assessment on A4 with page numbers."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=side_margin * mm,
        rightMargin=side_margin * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title_of(fig),
        author=(fig.get("document") or {}).get("issuer") or _("城运中心"),
    )
    margins = (doc.leftMargin, doc.rightMargin)

    def canvas(*args: Any, **kwargs: Any) -> NumberedCanvas:
        made = NumberedCanvas(*args, **kwargs)
        made.margins = margins
        return made

    doc.build(story, canvasmaker=canvas)
    return buf.getvalue()


def circular_pdf(fig: dict[str, Any]) -> bytes:
    font = cjk_font()
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    h3 = ParagraphStyle("h3", fontName=font, fontSize=10.5, leading=16, spaceBefore=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    names = unit_names(fig)

    def text(line: str) -> ChineseParagraph:
        return ChineseParagraph(line, body, keep=names)

    story: list[Any] = document_head(fig)
    story += [text(line) for line in summary_lines(fig)]
    story.append(Paragraph(_("一、考核排名"), h2))
    rows = [ranking_cells(k, rank_label(k)) for k in fig["rows"]]
    rows.append(ranking_cells(fig["total"], _("合计")))
    story.append(
        pdf_table(ranking_header(), rows, [10, 30, 12, 12, 14, 16, 18, 16, 16, 16, 16], keep=names)
    )
    story += [text(line) for line in ranking_basis(fig)]
    story.append(Paragraph(_("二、超期事件"), h2))
    overdue_header = [*case_header(), _("超期工作日")]
    widths: list[float] = [24, 44, 24, 24, 26, 16, 18]
    if not fig["overdue"]:
        story.append(text(_("本期无超期事件。")))
    if fig["overdue_count"] > len(fig["overdue"]):
        story.append(
            text(
                _("共 %(n)s 件，以下列出超期最久的 %(m)s 件。")
                % {"n": fig["overdue_count"], "m": len(fig["overdue"])}
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
                    nowrap=CASE_NOWRAP,
                    keep=names,
                )
            )
    story.append(Paragraph(_("三、重办事件"), h2))
    if fig["reopened"]:
        story.append(
            pdf_table(
                [*case_header(), _("重办次数")],
                [[*case_cells(r), r["reopen_count"]] for r in fig["reopened"]],
                [24, 44, 24, 24, 26, 16, 18],
                nowrap=CASE_NOWRAP,
                keep=names,
            )
        )
    else:
        story.append(text(_("本期无重办事件。")))
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
    story += document_foot(fig)
    return build_document(story, fig, side_margin=12)


def circular_xlsx(fig: dict[str, Any]) -> bytes:
    wb = xlsx.workbook()
    bold = xlsx.font(bold=True)
    ws = wb.active
    assert ws is not None
    ws.title = _("考核排名")
    ws.append([title_of(fig)])
    ws["A1"].font = xlsx.font(bold=True, size=14)
    for line in summary_lines(fig):
        ws.append([line])
    ws.append([])
    ws.append(ranking_header())
    for c in ws[ws.max_row]:
        c.font = bold
    for k in fig["rows"]:
        ws.append(ranking_cells(k, rank_label(k)))
    ws.append(ranking_cells(fig["total"], _("合计")))
    for line in ranking_basis(fig):
        ws.append([line])
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
