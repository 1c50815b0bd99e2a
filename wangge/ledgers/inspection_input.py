"""A filled checklist as the phone's form sends it (`item-<id>` 合格/不合格, `note-<id>`,
`report-<id>`, the building or place, the position), read the same way for the page and for
the API the offline outbox posts to."""

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import ValidationFailed
from wangge.core.images import CleanImage
from wangge.grids.models import Building
from wangge.grids.selectors import building_for_input
from wangge.ledgers import services
from wangge.ledgers.models import ChecklistItem, ChecklistTemplate, Inspection


def building_from(user: User, data: Mapping[str, str]) -> Building | None:
    """The building of the form's address picker (its code, else the typed address resolved),
    or None when it was left blank; BuildingNotFound names what was wrong at the field."""
    return building_for_input(
        user, code=data.get("building", ""), address=data.get("building_address", "")
    )


def inspection_from_form(
    *,
    actor: User,
    template: ChecklistTemplate,
    items: Sequence[ChecklistItem],
    data: Mapping[str, str],
    photos: Sequence[CleanImage],
) -> Inspection:
    building = building_from(actor, data)
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
