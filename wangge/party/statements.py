"""Each unit's quarterly statement of its members' service (Excel and PDF).

A unit sends its members to serve where they live; once a quarter it receives, per member, where
they registered, the posts they hold and the service hours their organisers confirmed.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wangge.core import xlsx
from wangge.core.calendar import midnight
from wangge.core.errors import ValidationFailed
from wangge.core.pdf import cjk_font, pdf_table
from wangge.party import hours
from wangge.party.models import PartyOrg, PostClaim, Registration
from wangge.party.selectors import members_of


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, value: str) -> "Quarter":
        """'2026Q3' → Quarter(2026, 3)."""
        try:
            year, number = value.upper().split("Q")
            q = cls(int(year), int(number))
        except ValueError:
            raise ValidationFailed(_("季度格式应为 2026Q3")) from None
        if not (1 <= q.number <= 4 and 2000 <= q.year <= 2100):
            raise ValidationFailed(_("季度格式应为 2026Q3"))
        return q

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    @property
    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next.first_day.toordinal() - 1)

    def bounds(self) -> tuple[datetime, datetime]:
        return midnight(self.first_day), midnight(self.next.first_day)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return _("%(y)s年第%(q)s季度") % {"y": self.year, "q": self.number}


@dataclass(frozen=True)
class StatementRow:
    number: int
    name: str
    branch: str
    residence: str
    workplace: str
    posts: str
    hours: Decimal


@dataclass(frozen=True)
class Statement:
    unit: PartyOrg
    quarter: Quarter
    rows: list[StatementRow]

    @property
    def total_hours(self) -> Decimal:
        return sum((r.hours for r in self.rows), Decimal(0))

    @property
    def registered_residence(self) -> int:
        return sum(1 for r in self.rows if r.residence)

    @property
    def title(self) -> str:
        return _("%(unit)s党员双报到服务情况（%(q)s）") % {
            "unit": self.unit.name,
            "q": self.quarter.label,
        }


def unit_statement(unit: PartyOrg, quarter: Quarter) -> Statement:
    """Every verified member of the unit's organisations, with the posts they held at some time
    in the quarter and their confirmed hours in it."""
    start, end = quarter.bounds()
    members = list(members_of(unit))
    regs: dict[tuple[int, str], Registration] = {
        (r.member_id, r.kind): r
        for r in Registration.objects.filter(member__in=members).select_related("community", "unit")
    }
    posts: dict[int, list[str]] = {}
    claims = (
        PostClaim.objects.filter(member__in=members, claimed_at__lt=end)
        .exclude(released_at__lt=start)
        .select_related("post")
        .order_by("claimed_at")
    )
    for claim in claims:
        posts.setdefault(claim.member_id, []).append(claim.post.title)
    served = hours.confirmed_hours(start=start, end=end, user_ids=[m.user_id for m in members])
    rows = []
    for i, m in enumerate(members, start=1):
        residence = regs.get((m.pk, Registration.Kind.RESIDENCE))
        workplace = regs.get((m.pk, Registration.Kind.WORKPLACE))
        rows.append(
            StatementRow(
                number=i,
                name=m.user.name,
                branch=m.org.name,
                residence=residence.target_name if residence else "",
                workplace=workplace.target_name if workplace else "",
                posts="、".join(posts.get(m.pk, [])),
                hours=served.get(m.user_id, Decimal(0)).quantize(Decimal("0.1")),
            )
        )
    return Statement(unit=unit, quarter=quarter, rows=rows)


def header() -> list[str]:
    return [
        _("序号"),
        _("姓名"),
        _("所在支部"),
        _("居住地报到社区"),
        _("单位报到"),
        _("认领岗位"),
        _("服务时长（小时）"),
    ]


def cells(r: StatementRow) -> list[object]:
    return [
        r.number,
        r.name,
        r.branch,
        r.residence or _("未报到"),
        r.workplace or _("未报到"),
        r.posts or "—",
        float(r.hours),
    ]


def summary(s: Statement) -> str:
    return _(
        "统计期间 %(start)s 至 %(end)s：党员 %(n)s 名，已向居住地社区报到 %(r)s 名，"
        "服务时长合计 %(h)s 小时。"
    ) % {
        "start": s.quarter.first_day.isoformat(),
        "end": s.quarter.last_day.isoformat(),
        "n": len(s.rows),
        "r": s.registered_residence,
        "h": s.total_hours,
    }


def statement_xlsx(s: Statement) -> bytes:
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("服务情况")
    ws.append([s.title])
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append([summary(s)])
    ws.append([])
    ws.append(header())
    for c in ws[ws.max_row]:
        c.font = xlsx.font(bold=True)
    for r in s.rows:
        ws.append(cells(r))
    ws.append(["", _("合计"), "", "", "", "", float(s.total_hours)])
    for col, width in zip("ABCDEFG", (6, 10, 24, 20, 24, 30, 16), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def statement_pdf(s: Statement) -> bytes:
    font = cjk_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=15, leading=21, spaceAfter=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14, wordWrap="CJK")
    rows = [cells(r) for r in s.rows] + [["", _("合计"), "", "", "", "", str(s.total_hours)]]
    table = pdf_table(list(header()), rows, [10, 18, 34, 30, 34, 40, 20])
    story: list[object] = [Paragraph(s.title, h1), Paragraph(summary(s), body)]
    if not s.rows:
        story.append(Paragraph(_("本单位暂无已核实的党员。"), body))
    else:
        story.append(table)
    story.append(
        Paragraph(
            _("服务时长以志愿服务签到、组织方确认的记录为准（谁组织谁记录，谁记录谁证明）。"), body
        )
    )
    buf = io.BytesIO()
    SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=s.title,
        author=s.unit.name,
    ).build(story)
    return buf.getvalue()
