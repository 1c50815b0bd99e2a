"""矛盾纠纷: registered, mediated, escalated to a case, and cleared one by one."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import (
    User,
)
from wangge.cases.models import Channel, Status
from wangge.cases.services import CaseInput, case_intake
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building
from wangge.residents.models import (
    Dispute,
    DisputeKind,
    DisputeStatus,
    EscalationUnit,
    Mediation,
    RiskLevel,
)
from wangge.residents.services._shared import _check_building


def _dispute_for(actor: User, dispute: Dispute) -> Dispute:
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not actor.is_grid_staff or not path_in_scope(actor, dispute.grid_path):
        raise PermissionDenied(_("该纠纷不在您负责的网格内"))
    return dispute


def _next_step(next_step: str, next_step_on: date | None) -> tuple[str, date]:
    # 逐件梳理: an open dispute without a next step and a date is what the screening flags.
    next_step = next_step.strip()
    if not next_step or next_step_on is None:
        raise ValidationFailed(_("请填写下一步工作及日期"))
    return next_step, next_step_on


@transaction.atomic
def dispute_register(
    *,
    actor: User,
    building: Building,
    kind: str,
    risk: str,
    summary: str,
    parties: str,
    next_step: str,
    next_step_on: date | None,
) -> Dispute:
    if not actor.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以登记纠纷"))
    _check_building(actor, building)
    if kind not in DisputeKind.values:
        raise ValidationFailed(_("未知纠纷类型“%(k)s”") % {"k": kind})
    if risk not in RiskLevel.values:
        raise ValidationFailed(_("未知风险等级“%(r)s”") % {"r": risk})
    if not summary.strip() or not parties.strip():
        raise ValidationFailed(_("请填写纠纷概况和当事人"))
    step, step_on = _next_step(next_step, next_step_on)
    return Dispute.objects.create(
        building=building,
        kind=kind,
        risk=risk,
        summary=summary.strip(),
        parties=parties.strip(),
        next_step=step,
        next_step_on=step_on,
        registered_by=actor,
        grid_path=building.micro_grid.path,
    )


@transaction.atomic
def dispute_mediate(
    *,
    actor: User,
    dispute: Dispute,
    notes: str,
    agreement: str = "",
    held_on: date | None = None,
    resolved: bool = False,
    next_step: str = "",
    next_step_on: date | None = None,
) -> Mediation:
    """One session. With `resolved` the agreement settles it (调解成功); otherwise the next
    step and its date must be given."""
    dispute = _dispute_for(actor, dispute)
    if dispute.status not in (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING):
        raise ValidationFailed(_("该纠纷已不在调解阶段"))
    if not notes.strip():
        raise ValidationFailed(_("请填写调解情况"))
    if resolved and not agreement.strip():
        raise ValidationFailed(_("调解成功请填写达成的协议"))
    session = Mediation.objects.create(
        dispute=dispute,
        mediator=actor,
        held_on=held_on or timezone.localdate(),
        notes=notes.strip(),
        agreement=agreement.strip(),
    )
    if resolved:
        dispute.status = DisputeStatus.RESOLVED
        dispute.outcome = agreement.strip()
        # A settled dispute is followed up once before it is cleared.
        dispute.next_step = next_step.strip() or str(_("回访协议履行情况"))
        dispute.next_step_on = next_step_on or timezone.localdate() + timedelta(days=7)
    else:
        dispute.status = DisputeStatus.MEDIATING
        dispute.next_step, dispute.next_step_on = _next_step(next_step, next_step_on)
    dispute.save()
    return session


@transaction.atomic
def dispute_escalate(*, actor: User, dispute: Dispute, unit: str, reason: str) -> Dispute:
    """Beyond the grid: a case for the 司法所, 派出所 or 信访, routed like any other patrol case.
    The parties' names stay in the ledger; the case carries the kind, unit and reason."""
    dispute = _dispute_for(actor, dispute)
    if dispute.status not in (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING):
        raise ValidationFailed(_("该纠纷已不在调解阶段"))
    if unit not in EscalationUnit.values:
        raise ValidationFailed(_("请选择移交单位"))
    if not reason.strip():
        raise ValidationFailed(_("请填写移交原因"))
    unit_label = str(EscalationUnit(unit).label)
    b = dispute.building
    case, _created = case_intake(
        data=CaseInput(
            title=_("矛盾纠纷移交%(unit)s") % {"unit": unit_label},
            description=_("【%(kind)s，风险%(risk)s】%(reason)s（移交%(unit)s）")
            % {
                "kind": dispute.get_kind_display(),
                "risk": dispute.get_risk_display(),
                "reason": reason.strip(),
                "unit": unit_label,
            },
            lon=b.lon,
            lat=b.lat,
            address=b.address,
            channel=Channel.PATROL,
            extra={"dispute_id": dispute.pk, "escalated_to": unit},
        ),
        actor=actor,
    )
    dispute.status = DisputeStatus.ESCALATED
    dispute.escalated_to = unit
    dispute.case = case
    dispute.next_step = str(_("跟踪移交事件办理"))
    dispute.next_step_on = timezone.localdate() + timedelta(days=7)
    dispute.save()
    return dispute


@transaction.atomic
def dispute_clear(*, actor: User, dispute: Dispute, outcome: str = "") -> Dispute:
    """逐个清零: a settled dispute once followed up, or an escalated one whose case is closed."""
    dispute = _dispute_for(actor, dispute)
    if dispute.status == DisputeStatus.ESCALATED:
        assert dispute.case is not None
        if dispute.case.status != Status.CLOSED:
            raise ValidationFailed(_("移交的事件尚未结案，不能清零"))
    elif dispute.status != DisputeStatus.RESOLVED:
        raise ValidationFailed(_("调解成功或移交事件结案后才能清零"))
    dispute.status = DisputeStatus.CLEARED
    if outcome.strip():
        dispute.outcome = (dispute.outcome + "\n" + outcome.strip()).strip()
    dispute.next_step, dispute.next_step_on = "", None
    dispute.cleared_at = timezone.now()
    dispute.save()
    return dispute
