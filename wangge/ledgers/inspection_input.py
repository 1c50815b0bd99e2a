"""A filled checklist as the phone's form sends it (`item-<id>` 合格/不合格, `note-<id>`,
`report-<id>`, the building or place, the position), read by `forms.InspectionForm` the same
way for the page and for the API the offline outbox posts to, and made an inspection here."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound, ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.scope import in_scope
from wangge.grids.coords import distance_m
from wangge.grids.models import Building
from wangge.grids.selectors import BuildingNotFound, building_for_input, locate, resolve_address
from wangge.ledgers import services
from wangge.ledgers.forms import InspectionForm
from wangge.ledgers.models import ChecklistTemplate, Inspection


def building_from(
    user: User, data: Mapping[str, Any], fix: tuple[float, float] | None = None
) -> Building | None:
    """The building of the form's address picker (its code, else the typed address resolved),
    or None when it was left blank; BuildingNotFound names what was wrong at the field.

    A typed address that names several buildings is settled by the position the phone took at
    the door, when it has one: the candidate in the micro-grid the fix falls in (the nearest
    of them if there are several). A checklist filled offline cannot ask the worker to pick from
    the candidates; the fix it carried says which building they stood at."""
    try:
        return building_for_input(
            user, code=data.get("building", ""), address=data.get("building_address", "")
        )
    except BuildingNotFound:
        chosen = None
        if fix is not None and not data.get("building"):
            chosen = _candidate_at(user, data.get("building_address", ""), fix)
        if chosen is None:
            raise
        return chosen


def _candidate_at(user: User, address: str, fix: tuple[float, float]) -> Building | None:
    match = resolve_address(q=address.strip())
    ids = [c.building_id for c in match.resolution.candidates]
    if match.building is not None or not ids:
        return None  # not ambiguous: out of scope or unknown, which the fix does not change
    try:
        micro_grid = locate(lon=fix[0], lat=fix[1]).micro_grid
    except NotFound:
        return None
    if micro_grid is None:
        return None
    here = in_scope(
        user, Building.objects.filter(pk__in=ids, micro_grid=micro_grid), "micro_grid__path"
    )
    return min(here, key=lambda b: distance_m(fix[0], fix[1], b.lon, b.lat), default=None)


def inspection_from_form(
    *,
    actor: User,
    template: ChecklistTemplate,
    form: InspectionForm,
    photos: Sequence[CleanImage],
) -> Inspection:
    data = form.values()
    fix = form.point()
    building = building_from(actor, data, fix)
    if fix is None:
        if building is None:
            raise ValidationFailed(_("未获取到位置，请选择楼栋或允许定位"))
        fix = building.lon, building.lat
    lon, lat = fix
    checks = []
    for item in form.items:
        answer = data[f"item-{item.pk}"]
        if answer not in ("pass", "fail"):
            raise ValidationFailed(_("请逐项选择合格或不合格：%(i)s") % {"i": item.text})
        checks.append(
            services.ItemCheck(
                item_id=item.pk,
                passed=answer == "pass",
                note=data[f"note-{item.pk}"],
                report=data[f"report-{item.pk}"],
            )
        )
    return services.inspection_submit(
        actor=actor,
        template=template,
        checks=checks,
        lon=lon,
        lat=lat,
        building=building,
        place=data["place"],
        note=data["note"],
        photos=photos,
    )
