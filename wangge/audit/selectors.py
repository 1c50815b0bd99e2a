"""What an auditor may read: the personal-data access audit, the change log, and the audit's
own trail, each limited to the auditor's subtree of the grid tree.

"In the subtree" means the people involved: an access row is in scope when the person who looked,
or the person looked at, holds any role on a node of the subtree; a change when the person who
made it does. An auditor granted on the district (or a superuser) sees everything, including
changes made by the system itself.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from auditlog.models import LogEntry
from django.db.models import CharField, Q, QuerySet, Value
from django.utils.translation import gettext as _

from wangge.accounts.models import PersonalDataAccess, Role, RoleGrant, User
from wangge.audit import history as registers
from wangge.audit.models import AuditQuery
from wangge.core.calendar import midnight
from wangge.core.errors import PermissionDenied
from wangge.core.scope import minimal_paths, scope_q
from wangge.grids.indexes import node_table


def is_auditor(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.AUDITOR))


def auditor_paths(user: User) -> tuple[str, ...] | None:
    """The grid paths an auditor audits; None = all."""
    if user.is_superuser:
        return None
    # Like staff, an auditor audits the subtree they hold: a district's auditor reads nothing
    # of another district's in the same instance.
    return minimal_paths(user.grants.filter(role=Role.AUDITOR).values_list("node__path", flat=True))


def audits_whole_tree(user: User) -> bool:
    """Whether the auditor audits everything there is: a superuser, or one holding every top
    of the imported tree (the district, or the city above several)."""
    paths = auditor_paths(user)
    if paths is None:
        return True
    tops = {n.path for n in node_table().roots}
    return bool(tops) and tops <= set(paths)


def access_auditor(user: User) -> tuple[str, ...] | None:
    if not is_auditor(user):
        raise PermissionDenied(_("仅审计员可以查看审计记录"))
    return auditor_paths(user)


def _people_in(paths: tuple[str, ...]) -> QuerySet[RoleGrant, Any]:
    q = scope_q(paths, "node__path")
    assert q is not None
    return RoleGrant.objects.filter(q).values("user_id")


@dataclass(frozen=True)
class AuditFilter:
    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    subject: str = ""
    field: str = ""
    purpose: str = ""
    model: str = ""  # "app_label.model" of a content type
    action: int | None = None
    register: str = ""  # "app_label.model" of a register with history (audit.history)
    record: str = ""  # the 对象: its number, or text in its name
    history_type: str = ""  # "+", "~" or "-"


def _period(qs: QuerySet, f: AuditFilter, column: str) -> QuerySet:
    if f.date_from:
        qs = qs.filter(**{f"{column}__gte": midnight(f.date_from)})
    if f.date_to:
        qs = qs.filter(**{f"{column}__lt": midnight(f.date_to + timedelta(days=1))})
    return qs


def _person_q(prefix: str, text: str) -> Q:
    """A person by name (contains) or by the full phone number an auditor was told."""
    text = text.strip()
    q = Q(**{f"{prefix}__name__icontains": text})
    if text.isdigit() and len(text) == 11:
        q |= Q(**{f"{prefix}__phone": text})
    return q


def accesses(user: User, f: AuditFilter) -> QuerySet[PersonalDataAccess]:
    paths = access_auditor(user)
    qs = PersonalDataAccess.objects.select_related("actor", "subject")
    if paths is not None:
        people = _people_in(paths)
        qs = qs.filter(Q(actor_id__in=people) | Q(subject_id__in=people))
    qs = _period(qs, f, "created_at")
    if f.actor:
        qs = qs.filter(_person_q("actor", f.actor))
    if f.subject:
        qs = qs.filter(
            Q(subject_label__icontains=f.subject.strip()) | _person_q("subject", f.subject)
        )
    if f.field:
        qs = qs.filter(field=f.field)
    if f.purpose:
        qs = qs.filter(purpose__icontains=f.purpose.strip())
    return qs.order_by("-created_at", "-pk")


def changes(user: User, f: AuditFilter) -> QuerySet[LogEntry]:
    paths = access_auditor(user)
    qs = LogEntry.objects.select_related("actor", "content_type")
    if paths is not None:
        qs = qs.filter(actor_id__in=_people_in(paths))
    qs = _period(qs, f, "timestamp")
    if f.actor:
        qs = qs.filter(_person_q("actor", f.actor))
    if f.model:
        app_label, _dot, model = f.model.partition(".")
        qs = qs.filter(content_type__app_label=app_label, content_type__model=model)
    if f.action is not None:
        qs = qs.filter(action=f.action)
    return qs.order_by("-timestamp", "-pk")


def audit_queries(user: User, f: AuditFilter) -> QuerySet[AuditQuery]:
    """Auditors are audited too: who looked at the audit, with which filters."""
    paths = access_auditor(user)
    qs = AuditQuery.objects.select_related("actor")
    if paths is not None:
        qs = qs.filter(actor_id__in=_people_in(paths))
    qs = _period(qs, f, "created_at")
    if f.actor:
        qs = qs.filter(_person_q("actor", f.actor))
    return qs.order_by("-created_at", "-pk")


def history(user: User, f: AuditFilter) -> QuerySet[Any]:
    """The versions of the sensitive registers, newest first, as one union of rows
    {register, history_id, history_date}; `audit.history.rows` renders a page of them.

    Scoped by where the data was (each row's grid path), not by who changed it: a district
    administrator's change of a street's person is that street's auditor's business."""
    paths = access_auditor(user)
    parts = []
    for register in registers.registers_for(user):
        if f.register and f.register != register.key:
            continue
        qs = register.history._default_manager.all()
        q = registers.scope(register, paths)
        if q is not None:
            qs = qs.filter(q)
        qs = _period(qs, f, "history_date")
        if f.actor:
            qs = qs.filter(_person_q("history_user", f.actor))
        if f.history_type:
            qs = qs.filter(history_type=f.history_type)
        if f.record:
            text = f.record.strip()
            match = Q(pk__in=[])
            for lookup in register.names:
                match |= Q(**{f"{lookup}__icontains": text})
            if text.isdigit():
                match |= Q(id=int(text))
            qs = qs.filter(match)
        parts.append(
            qs.annotate(register=Value(register.key, output_field=CharField()))
            .values("register", "history_id", "history_date")
            .order_by()
        )
    if not parts:
        return registers.REGISTERS[0].history._default_manager.none().values("history_id")
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return union.order_by("-history_date", "-history_id")
