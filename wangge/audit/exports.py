"""The audit as Excel. Values are shown as the page shows them: phones and ID numbers masked."""

import io
from collections.abc import Iterable
from datetime import datetime

from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess
from wangge.audit.models import AuditQuery
from wangge.core import xlsx
from wangge.core.logging import redact

MAX_EXPORT_ROWS = 50_000


def when(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def person(user: object | None) -> str:
    return str(user) if user is not None else _("系统")


def change_text(entry: LogEntry) -> str:
    """Field: old → new, with any phone or ID number in the values masked."""
    parts = []
    for field, values in entry.changes_display_dict.items():
        old, new = ([*list(values), "", ""])[:2]
        parts.append(f"{field}: {old} → {new}")
    return redact("；".join(parts))


def access_row(a: PersonalDataAccess) -> list[str]:
    return [
        when(a.created_at),
        person(a.actor),
        a.subject_label or person(a.subject),
        a.get_field_display(),
        a.purpose,
        a.ip_address or "",
    ]


def change_row(e: LogEntry) -> list[str]:
    return [
        when(e.timestamp),
        person(e.actor),
        str(e.content_type.name) if e.content_type else "",
        redact(e.object_repr),
        e.get_action_display(),
        change_text(e),
        e.remote_addr or "",
    ]


def query_row(q: AuditQuery) -> list[str]:
    filters = "；".join(f"{k}={v}" for k, v in sorted(q.filters.items()))
    return [
        when(q.created_at),
        person(q.actor),
        q.get_kind_display(),
        q.get_topic_display(),
        filters,
        str(q.rows),
        q.ip_address or "",
    ]


def headers(topic: str) -> list[str]:
    if topic == AuditQuery.Topic.ACCESS:
        return [_("时间"), _("查看人"), _("被查看人"), _("字段"), _("用途"), _("IP 地址")]
    if topic == AuditQuery.Topic.HISTORY:
        return [_("时间"), _("操作人"), _("数据类型"), _("对象"), _("操作"), _("变更内容")]
    if topic == AuditQuery.Topic.CHANGES:
        return [
            _("时间"),
            _("操作人"),
            _("数据类型"),
            _("对象"),
            _("操作"),
            _("变更内容"),
            _("IP 地址"),
        ]
    return [
        _("时间"),
        _("审计人"),
        _("方式"),
        _("内容"),
        _("筛选条件"),
        _("结果条数"),
        _("IP 地址"),
    ]


def workbook(topic: str, rows: Iterable[list[str]]) -> bytes:
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(str(AuditQuery.Topic(topic).label))
    ws.append([_cell_bold(ws, h) for h in headers(topic)])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_bold(ws: object, value: str) -> object:
    cell = xlsx.write_only_cell(ws, value)
    cell.font = xlsx.font(bold=True)
    return cell
