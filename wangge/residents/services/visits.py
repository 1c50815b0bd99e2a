"""特殊人群 tags and 走访: what a grid worker records about the people they look after."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import (
    User,
)
from wangge.cases.models import Channel
from wangge.cases.services import CaseInput, case_intake
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.core.scope import path_in_scope
from wangge.residents.models import (
    GroupTag,
    Person,
    SpecialGroup,
    Visit,
    VisitPhoto,
)


@transaction.atomic
def group_tag_set(
    *,
    actor: User,
    person: Person,
    group: str,
    care_plan: str = "",
    visit_every_days: int = 30,
    is_active: bool = True,
) -> GroupTag:
    """Put a person in a special group (or update the plan and frequency of one they are in)."""
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    if group not in SpecialGroup.values:
        raise ValidationFailed(_("未知特殊人群类别“%(g)s”") % {"g": group})
    if not 1 <= visit_every_days <= 366:
        raise ValidationFailed(_("走访周期应在 1 到 366 天之间"))
    tag, _created = GroupTag.objects.update_or_create(
        person=person,
        group=group,
        defaults={
            "care_plan": care_plan.strip(),
            "visit_every_days": visit_every_days,
            "is_active": is_active,
            "grid_path": person.grid_path,
        },
    )
    return tag


@transaction.atomic
def visit_record(
    *,
    actor: User,
    person: Person,
    findings: str,
    visited_at: datetime | None = None,
    lon: float | None = None,
    lat: float | None = None,
    follow_up: str = "",
    follow_up_as_case: bool = False,
    photos: Sequence[CleanImage] = (),
) -> Visit:
    """入户走访. A follow-up the worker cannot settle becomes a case (channel 巡查上报)."""
    if not path_in_scope(actor, person.grid_path) or not actor.is_grid_staff:
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    findings = findings.strip()
    if not findings:
        raise ValidationFailed(_("请填写走访情况"))
    if (lon is None) != (lat is None):
        raise ValidationFailed(_("位置不完整"))
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("位置无效"))
    follow_up = follow_up.strip()
    if follow_up_as_case and not follow_up:
        raise ValidationFailed(_("转为事件时请填写需跟进事项"))
    case = None
    if follow_up_as_case:
        building = person.household.building
        # The building's point routes the case to the person's own micro-grid; the visitor is
        # the reporter, so the person's name and number stay out of the case.
        case, _created = case_intake(
            data=CaseInput(
                description=follow_up,
                lon=building.lon,
                lat=building.lat,
                address=f"{building.address} {person.household.room}",
                channel=Channel.PATROL,
                extra={"visit_of": "resident"},
            ),
            actor=actor,
        )
    visit = Visit.objects.create(
        person=person,
        visitor=actor,
        visited_at=visited_at or timezone.now(),
        lon=lon,
        lat=lat,
        findings=findings,
        follow_up=follow_up,
        case=case,
        grid_path=person.grid_path,
    )
    for p in photos:
        store_image(VisitPhoto(visit=visit), p)
    return visit
