"""The one write of the audit pages: recording that an auditor looked."""

from typing import Any

from wangge.accounts.models import User
from wangge.audit.models import AuditQuery


def audit_query_record(
    *, actor: User, kind: str, topic: str, filters: dict[str, Any], rows: int, ip: str | None
) -> AuditQuery:
    return AuditQuery.objects.create(
        actor=actor,
        kind=kind,
        topic=topic,
        filters={k: v for k, v in filters.items() if v not in ("", None)},
        rows=rows,
        ip_address=ip,
    )
