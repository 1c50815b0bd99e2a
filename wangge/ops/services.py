"""Writes of the 城运中心: generating and announcing circulars; audited exports."""

from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess, Role, User
from wangge.accounts.services import audit_reveal
from wangge.cases.models import Case
from wangge.cases.selectors import KPI_LEVELS, CaseFilter, case_list
from wangge.cases.workflow import caller_visible
from wangge.core import calendar
from wangge.core.runs import for_each_unit
from wangge.grids.models import GridNode
from wangge.notifications.services import notify
from wangge.ops import assessment, exports, render, selectors
from wangge.ops.models import Circular

# Who hears of a new circular: the unit's dispatch desk and, for the district, its admins.
ANNOUNCE_ROLES = (Role.STREET_DISPATCHER, Role.ADMIN)


@transaction.atomic
def circular_generate(
    *, node: GridNode, kind: str, start: date, now: datetime | None = None
) -> Circular:
    """Compute, render and archive one circular (replacing an earlier run for the same period)
    and announce it in the inbox of the unit's dispatchers."""
    if kind == Circular.Kind.MONTHLY:
        start, end = calendar.month_bounds(start)
    else:
        start, end = calendar.week_bounds(start)
    now = now or timezone.now()
    fig = selectors.circular_figures(
        user=selectors.system_reader(), node=node, kind=kind, start=start, end=end, now=now
    )
    fig["document"] = _document(node=node, kind=kind, start=start, now=now)
    return _archive(
        kind=kind,
        node=node,
        period=(start, end),
        now=now,
        fig=fig,
        stem=f"{kind}-{node.code}-{start:%Y%m%d}",
        pdf=render.circular_pdf(fig),
        xlsx=render.circular_xlsx(fig),
        summary=render.summary_lines(fig)[0],
    )


@transaction.atomic
def assessment_generate(*, node: GridNode, year: int, now: datetime | None = None) -> Circular:
    """Score, render and archive the year's assessment of the communities under a street (or
    the whole district), replacing an earlier run, and announce it like a circular."""
    now = now or timezone.now()
    fig = assessment.assessment_figures(
        user=selectors.system_reader(), node=node, year=year, now=now
    )
    fig["document"] = _document(
        node=node, kind=Circular.Kind.ANNUAL, start=date(year, 1, 1), now=now
    )
    return _archive(
        kind=Circular.Kind.ANNUAL,
        node=node,
        period=calendar.year_bounds(date(year, 1, 1)),
        now=now,
        fig=fig,
        stem=f"annual-{node.code}-{year}",
        pdf=assessment.assessment_pdf(fig),
        xlsx=assessment.assessment_xlsx(fig),
        summary=assessment.summary_line(fig),
    )


def assessments_generate_all(*, year: int, now: datetime | None = None) -> int:
    """One assessment per street and one for each district, each in its own transaction; a
    failing unit is skipped and named (core.runs)."""
    return for_each_unit(
        f"annual assessment {year}",
        _units(),
        lambda node: assessment_generate(node=node, year=year, now=now),
    )


def _document(*, node: GridNode, kind: str, start: date, now: datetime) -> dict[str, str]:
    """The 公文 head of a unit's circular: its 文号 numbers the unit's documents of the year in
    the order they were first issued; a run again for the same period keeps its number."""
    issued = timezone.localdate(now)
    earlier = Circular.objects.filter(kind=kind, node=node, period_start=start).first()
    if earlier is not None and earlier.figures.get("document"):
        seq = int(earlier.figures["document"]["seq"])
    else:
        year_start = calendar.midnight(date(issued.year, 1, 1))
        seq = Circular.objects.filter(node=node, generated_at__gte=year_start).count() + 1
    return {**render.document_info(unit=node.name, seq=seq, when=issued), "seq": str(seq)}


def _units() -> QuerySet[GridNode]:
    """What circulars and assessments are made for: every street and district."""
    return GridNode.objects.filter(level__in=KPI_LEVELS).order_by("path")


def _archive(
    *,
    kind: str,
    node: GridNode,
    period: tuple[date, date],
    now: datetime,
    fig: dict[str, Any],
    stem: str,
    pdf: bytes,
    xlsx: bytes,
    summary: str,
) -> Circular:
    """Store a rendered circular (or assessment) in the archive, replacing an earlier run for
    the same unit and period along with its files, and announce it in the inbox of the unit's
    dispatchers (and, for the district, its admins)."""
    start, end = period
    circular = Circular.objects.filter(kind=kind, node=node, period_start=start).first()
    if circular is None:
        circular = Circular(kind=kind, node=node, period_start=start)
    else:
        circular.pdf.delete(save=False)
        circular.xlsx.delete(save=False)
    circular.period_end = end
    circular.generated_at = now
    circular.figures = fig
    circular.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
    circular.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
    circular.save()
    notify(
        recipients=User.objects.filter(
            grants__node=node, grants__role__in=ANNOUNCE_ROLES, is_active=True
        ).distinct(),
        title=render.title_of(fig),
        body=summary,
        link=reverse("ops:circulars"),
        topic="circular",
    )
    return circular


def circulars_generate_all(*, kind: str, start: date, now: datetime | None = None) -> int:
    """One circular per street and one for each district; each in its own transaction, and a
    failing street is skipped and named (core.runs), so it does not hold back the others'."""
    return for_each_unit(
        f"{kind} circular {start}",
        _units(),
        lambda node: circular_generate(node=node, kind=kind, start=start, now=now),
    )


@transaction.atomic
def case_export(*, actor: User, filters: CaseFilter, full_phone: bool, ip: str | None) -> bytes:
    """The filtered case list the actor may see, as Excel. Phones are masked unless asked for
    in full, which only a role that may call reporters can, and which is audited: one
    PersonalDataAccess row per export, naming the filters and the number of rows."""
    cases = list(case_list(actor, filters).select_related("reporter")[: exports.MAX_EXPORT_ROWS])

    def caller_shown(case: Case) -> bool:
        return caller_visible(case, actor)

    if full_phone:
        shown = sum(1 for c in cases if caller_shown(c) and exports.has_reporter_phone(c))
        audit_reveal(
            actor=actor,
            subject=None,
            field=PersonalDataAccess.Field.PHONE,
            purpose=_("导出事件清单（%(n)s 条，含完整电话 %(p)s 个）")
            % {"n": len(cases), "p": shown},
            ip=ip,
            label=_("事件清单导出：%(f)s") % {"f": _describe(filters)},
        )
    return exports.cases_xlsx(cases, full_phone=full_phone, caller_shown=caller_shown)


def _describe(f: CaseFilter) -> str:
    parts = [f"{k}={v}" for k, v in f.__dict__.items() if v not in (None, "", [])]
    return "; ".join(parts)[:200] or _("全部")
