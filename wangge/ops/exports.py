"""Case lists and KPI tables as Excel workbooks. Rendering only: who may export what, and the
audit of unmasked exports, are in views.py and services.py."""

import io
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases.models import Case
from wangge.cases.selectors import Kpi, kpi_places
from wangge.core import xlsx
from wangge.ops import render

# Excel holds a million rows, but a download that large times out the browser first; the case
# list page filters down long before this.
MAX_EXPORT_ROWS = 50_000


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def has_reporter_phone(case: Case) -> bool:
    return case.has_reporter_phone or case.reporter is not None


def reporter_phone(case: Case, *, full: bool) -> str:
    """The case's number, else its reporter's login; decrypted only for an audited full export."""
    if case.has_reporter_phone:
        return case.reporter_phone if full else case.reporter_phone_masked
    if case.reporter is not None:
        return case.reporter.phone if full else case.reporter.masked_phone
    return ""


def case_header() -> list[str]:
    return [
        _("编号"),
        _("标题"),
        _("来源"),
        _("分类"),
        _("状态"),
        _("社区"),
        _("承办单位"),
        _("诉求人"),
        _("联系电话"),
        _("诉求地址"),
        _("受理时间"),
        _("办理时限"),
        _("办结时间"),
        _("按期办结"),
        _("预警"),
    ]


def case_cells(case: Case, *, full_phone: bool, caller_shown: bool = True) -> list[Any]:
    # A 保密件's caller is the desk's alone: blank in anyone else's export.
    phone = reporter_phone(case, full=full_phone) if caller_shown else ""
    caller = case.reporter_name or (case.reporter.name if case.reporter else "")
    on_time = {True: _("是"), False: _("否"), None: ""}[case.closed_on_time]
    return [
        case.number or f"#{case.pk}",
        case.title,
        case.get_channel_display(),
        case.category.name if case.category else "",
        case.get_status_display(),
        case.community.name if case.community else "",
        case.handling_node.name if case.handling_node else "",
        caller if caller_shown else _("保密"),
        phone,
        case.address,
        _when(case.created_at),
        _when(case.due_at),
        _when(case.resolved_at),
        on_time,
        case.get_card_display() if case.card else "",
    ]


def cases_xlsx(
    cases: Iterable[Case],
    *,
    full_phone: bool,
    caller_shown: Callable[[Case], bool] = lambda case: True,
) -> bytes:
    # write_only streams rows instead of holding a cell object per value.
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(_("事件清单"))
    ws.append(case_header())
    for case in cases:
        ws.append(case_cells(case, full_phone=full_phone, caller_shown=caller_shown(case)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def kpi_header() -> list[str]:
    return [
        *render.ranking_header(),
        _("返工率"),
        _("延期率"),
        _("超期率"),
        _("自办率"),
        _("有效回访"),
        _("在办"),
        _("在办超期"),
    ]


def kpi_cells(k: Kpi, rank: Any) -> list[Any]:
    d = k.as_dict()
    return [
        *render.ranking_cells(d, rank),
        render.pct(k.rework_rate),
        render.pct(k.extension_rate),
        render.pct(k.overdue_rate),
        render.pct(k.self_handled_rate),
        k.followups,
        k.open_cases,
        k.overdue_open,
    ]


def kpi_xlsx(*, name: str, start: date, last_day: date, total: Kpi, rows: list[Kpi]) -> bytes:
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("考核指标")
    ws.append(
        [_("%(name)s 考核指标（%(s)s 至 %(e)s）") % {"name": name, "s": start, "e": last_day}]
    )
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append(kpi_header())
    for cell in ws[2]:
        cell.font = xlsx.font(bold=True)
    # A unit with nothing to measure is listed without a place (kpi_places).
    for k, place in zip(rows, kpi_places(rows), strict=True):
        ws.append(kpi_cells(k, place or "—"))
    ws.append(kpi_cells(total, _("合计")))
    ws.column_dimensions["B"].width = 18
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def department_header() -> list[str]:
    return [
        _("部门"),
        _("吹哨次数"),
        _("其中主办"),
        _("按时报到"),
        _("已反馈"),
        _("按时反馈"),
        _("平均反馈用时（小时）"),
        _("超期未反馈"),
    ]


def department_cells(d: dict[str, Any]) -> list[Any]:
    return [
        d["name"],
        d["whistled"],
        d["lead"],
        d["signed_on_time"],
        d["reported"],
        d["reported_on_time"],
        d["avg_report_hours"] if d["avg_report_hours"] is not None else "",
        d["overdue"],
    ]


def departments_xlsx(
    *, name: str, start: date, last_day: date, rows: list[dict[str, Any]]
) -> bytes:
    """吹哨报到 department performance of a unit over a period (panels.department_performance)."""
    wb = xlsx.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("部门履职")
    ws.append(
        [
            _("%(name)s 吹哨报到部门履职（%(s)s 至 %(e)s）")
            % {"name": name, "s": start, "e": last_day}
        ]
    )
    ws["A1"].font = xlsx.font(bold=True, size=14)
    ws.append(department_header())
    for cell in ws[2]:
        cell.font = xlsx.font(bold=True)
    for d in rows:
        ws.append(department_cells(d))
    ws.column_dimensions["A"].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
