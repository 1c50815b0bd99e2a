"""Every write of a patrol: start, track, findings (as cases), end."""

from collections.abc import Sequence
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import Role, User
from wangge.cases.models import Channel
from wangge.cases.services import CaseInput, case_intake, patrol_self_handle
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.runs import for_each_unit
from wangge.grids.models import GridLevel, GridNode
from wangge.patrols.models import Finding, Hazard, Patrol, PatrolReport, TrackPoint
from wangge.patrols.reports import period, report_figures

PATROL_ROLES = (Role.GRID_WORKER, Role.MICRO_GRID_LEADER, Role.GRID_LEADER)
MAX_POINTS_PER_CALL = 500


def patrol_node(actor: User) -> GridNode:
    """The grid a worker patrols: the (first) node of their patrol role's grant."""
    grant = (
        actor.grants.filter(role__in=PATROL_ROLES).select_related("node").order_by("node__path")
    ).first()
    if grant is None:
        raise PermissionDenied(_("只有网格员和网格长可以巡查"))
    return grant.node


@transaction.atomic
def patrol_start(*, actor: User) -> Patrol:
    node = patrol_node(actor)
    try:
        with transaction.atomic():
            return Patrol.objects.create(
                worker=actor, grid_path=node.path, grid_name=node.name, started_at=timezone.now()
            )
    except IntegrityError as exc:
        raise Conflict(_("您有一次巡查尚未结束")) from exc


def _own_open(actor: User, patrol: Patrol) -> Patrol:
    patrol = Patrol.objects.select_for_update().get(pk=patrol.pk)
    if patrol.worker_id != actor.pk:
        raise PermissionDenied(_("这不是您的巡查"))
    if not patrol.is_open:
        raise ValidationFailed(_("该巡查已结束"))
    return patrol


@transaction.atomic
def patrol_track(
    *, actor: User, patrol: Patrol, points: Sequence[tuple[datetime, float, float]]
) -> int:
    """Append the phone's track points (time, lon, lat in WGS-84); returns how many were kept."""
    patrol = _own_open(actor, patrol)
    if len(points) > MAX_POINTS_PER_CALL:
        raise ValidationFailed(_("一次最多上传 %(n)d 个轨迹点") % {"n": MAX_POINTS_PER_CALL})
    rows = []
    for at, lon, lat in points:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationFailed(_("轨迹点坐标无效"))
        if at < patrol.started_at:
            continue  # a point from before the patrol began is not part of it
        rows.append(TrackPoint(patrol=patrol, at=at, lon=lon, lat=lat))
    TrackPoint.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def patrol_end(*, actor: User, patrol: Patrol, summary: str = "") -> Patrol:
    patrol = _own_open(actor, patrol)
    patrol.ended_at = timezone.now()
    patrol.summary = summary.strip()
    patrol.save(update_fields=["ended_at", "summary", "updated_at"])
    return patrol


def _finding_input(hazard: str, description: str, lon: float, lat: float) -> CaseInput:
    if hazard not in Hazard.values:
        raise ValidationFailed(_("未知隐患类型“%(h)s”") % {"h": hazard})
    description = description.strip()
    if not description:
        raise ValidationFailed(_("请描述发现的问题"))
    label = str(Hazard(hazard).label)
    text = description if hazard == Hazard.OTHER else f"【{label}】{description}"
    return CaseInput(description=text, lon=lon, lat=lat, channel=Channel.PATROL)


@transaction.atomic
def patrol_finding_report(
    *,
    actor: User,
    patrol: Patrol,
    hazard: str,
    description: str,
    lon: float,
    lat: float,
    photos: Sequence[CleanImage] = (),
) -> Finding:
    """A finding someone else must handle: a patrol case routed like any other."""
    patrol = _own_open(actor, patrol)
    case, _created = case_intake(
        data=_finding_input(hazard, description, lon, lat), actor=actor, photos=photos
    )
    return Finding.objects.create(
        patrol=patrol, case=case, kind=Finding.Kind.REPORTED, hazard=hazard
    )


@transaction.atomic
def patrol_finding_fix(
    *,
    actor: User,
    patrol: Patrol,
    hazard: str,
    description: str,
    lon: float,
    lat: float,
    result: str,
    photos_before: Sequence[CleanImage] = (),
    photos_after: Sequence[CleanImage] = (),
) -> Finding:
    """A finding fixed on the spot: a case closed at once, with before and after photos."""
    patrol = _own_open(actor, patrol)
    if not photos_after:
        raise ValidationFailed(_("自行处置请上传处置后的照片"))
    case = patrol_self_handle(
        data=_finding_input(hazard, description, lon, lat),
        actor=actor,
        result=result,
        photos_before=photos_before,
        photos_after=photos_after,
    )
    return Finding.objects.create(patrol=patrol, case=case, kind=Finding.Kind.FIXED, hazard=hazard)


@transaction.atomic
def patrol_report_generate(*, kind: str, node: GridNode, day: date) -> PatrolReport:
    """Assemble (or re-assemble) the report of the period holding `day` and archive it."""
    if kind not in PatrolReport.Kind.values:
        raise ValidationFailed(_("未知报告类型"))
    start, end = period(kind, day)
    report, _created = PatrolReport.objects.update_or_create(
        kind=kind,
        node=node,
        period_start=start,
        defaults={
            "grid_path": node.path,
            "period_end": end,
            "generated_at": timezone.now(),
            "figures": report_figures(node, kind, day),
        },
    )
    return report


def patrol_reports_generate_all(*, kind: str, day: date) -> int:
    """The scheduled run: one report per community (the 月汇总 and 周报告 of every community),
    each in its own transaction; a failing community is skipped and named (core.runs)."""
    return for_each_unit(
        f"patrol report {kind} {day}",
        GridNode.objects.filter(level=GridLevel.COMMUNITY).order_by("path"),
        lambda node: patrol_report_generate(kind=kind, node=node, day=day),
    )
