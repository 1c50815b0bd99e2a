"""A filled checklist as the phone's form sends it (`item-<id>` 合格/不合格, `note-<id>`,
`report-<id>`, the building or place, the position), read the same way for the page and for
the API the offline outbox posts to."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import ValidationFailed
from wangge.core.images import CleanImage
from wangge.core.scope import in_scope
from wangge.grids.models import Building
from wangge.ledgers import services
from wangge.ledgers.models import ChecklistItem, ChecklistTemplate, Inspection


def building_from(user: User, value: str) -> Building | None:
    if not value:
        return None
    building = (
        in_scope(user, Building.objects.all(), "micro_grid__path")
        .select_related("micro_grid")
        .filter(pk=value if value.isdigit() else 0)
        .first()
    )
    if building is None:
        raise ValidationFailed(_("请选择您管辖范围内的楼栋"))
    return building


def inspection_from_form(
    *,
    actor: User,
    template: ChecklistTemplate,
    items: Sequence[ChecklistItem],
    data: Mapping[str, str],
    photos: Sequence[CleanImage],
) -> Inspection:
    building = building_from(actor, data.get("building", ""))
    try:
        lon, lat = float(data.get("lon", "")), float(data.get("lat", ""))
    except ValueError:
        if building is None:
            raise ValidationFailed(_("未获取到位置，请选择楼栋或允许定位")) from None
        lon, lat = building.lon, building.lat
    checks = []
    for item in items:
        answer = data.get(f"item-{item.pk}", "")
        if answer not in ("pass", "fail"):
            raise ValidationFailed(_("请逐项选择合格或不合格：%(i)s") % {"i": item.text})
        checks.append(
            services.ItemCheck(
                item_id=item.pk,
                passed=answer == "pass",
                note=data.get(f"note-{item.pk}", ""),
                report=data.get(f"report-{item.pk}") == "1",
            )
        )
    return services.inspection_submit(
        actor=actor,
        template=template,
        checks=checks,
        lon=lon,
        lat=lat,
        building=building,
        place=data.get("place", ""),
        note=data.get("note", ""),
        photos=photos,
    )
