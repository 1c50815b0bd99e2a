"""The rules of the 五星支部 rating: what each criterion measures of a branch's year, the reason
given for it in Chinese, and the stars the points earn.

The criteria (`StarCriterion`) and the bands from points to stars (`StarBand`) are data the
党工委 edits in the admin; the defaults below are what a fresh installation starts with (loaded
by a migration, never changed once there). A branch's year is measured from what the platform
already records: the tasks and activities it held (志愿服务), its members' certified 双报到 hours
(`hours.py`), the cases closed in its grids (cases), and the materials party staff attach.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from wangge.cases.selectors import closed_count
from wangge.core.calendar import midnight
from wangge.grids.models import GridLevel
from wangge.grids.selectors import ancestor
from wangge.party import hours
from wangge.party.models import (
    EvidenceKind,
    OrgKind,
    PartyOrg,
    StarBand,
    StarCriterion,
    StarEvidence,
)
from wangge.party.selectors import members_of
from wangge.volunteering.selectors import party_activities_held

# name, kind, target, points, description
DEFAULT_CRITERIA = [
    ("组织建设", EvidenceKind.MATERIALS, 1, 1, "三会一课、组织生活会、换届等记录齐全"),
    ("党员教育与活动开展", EvidenceKind.ACTIVITIES, 6, 1, "支部以本支部名义组织的活动"),
    ("双报到服务", EvidenceKind.MEMBER_HOURS, 12, 1, "党员经组织者确认的志愿服务时长"),
    ("为民办事", EvidenceKind.CASES_CLOSED, 20, 1, "支部所在网格全年结案的事件"),
    ("作用发挥", EvidenceKind.MATERIALS, 1, 1, "先进事迹、表彰、群众评价等材料"),
]
DEFAULT_BANDS = [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
MAX_STARS = 5


def default_criteria_load(criterion_model: Any = None, band_model: Any = None) -> int:
    """Create the default criteria and bands that are missing (an existing one is never
    changed); returns how many criteria were created. The models are the migration's historical
    ones when called from it."""
    criterion_model = criterion_model or StarCriterion
    band_model = band_model or StarBand
    created = 0
    for order, (name, kind, target, points, description) in enumerate(DEFAULT_CRITERIA):
        _row, made = criterion_model.objects.get_or_create(
            name=name,
            defaults={
                "kind": str(kind),
                "target": Decimal(target),
                "points": points,
                "description": description,
                "order": order + 1,
            },
        )
        created += made
    if not band_model.objects.exists():
        for stars, min_points in DEFAULT_BANDS:
            band_model.objects.create(stars=stars, min_points=min_points)
    return created


def is_rated(org: PartyOrg) -> bool:
    """Which organisations are rated: the community side's 党支部, whose grids the cases and
    activities are counted in (a unit's branch stands on the district node)."""
    return org.kind == OrgKind.BRANCH and not org.is_unit


def stars_for(points: int, bands: list[tuple[int, int]] | None = None) -> int:
    """The most stars whose band the points reach. Without bands in the data, one star per
    point."""
    if bands is None:
        bands = list(StarBand.objects.values_list("stars", "min_points"))
    if not bands:
        return max(0, min(points, MAX_STARS))
    return max((stars for stars, least in bands if points >= least), default=0)


def number(value: Decimal) -> str:
    """412, 9.5: a figure as people write it."""
    text = f"{value.quantize(Decimal('0.1')):f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class Measure:
    value: Decimal
    met: bool
    reason: str


def _year_window(year: int) -> tuple[Any, Any]:
    return midnight(date(year, 1, 1)), midnight(date(year + 1, 1, 1))


def _community_path(org: PartyOrg) -> str:
    community = ancestor(org.grid_node, GridLevel.COMMUNITY)
    return (community or org.grid_node).path


def _reason(kind: str, value: Decimal, target: Decimal, met: bool, extra: str = "") -> str:
    labels = {
        EvidenceKind.ACTIVITIES: (_("开展活动"), _("场")),
        EvidenceKind.SERVICE_HOURS: (_("双报到服务时长"), _("小时")),
        EvidenceKind.MEMBER_HOURS: (_("党员人均双报到服务时长"), _("小时")),
        EvidenceKind.CASES_CLOSED: (_("所在网格结案事件"), _("件")),
        EvidenceKind.MATERIALS: (_("佐证材料"), _("份")),
    }
    what, unit = labels[EvidenceKind(kind)]
    args = {
        "what": what,
        "value": number(value),
        "target": number(target),
        "unit": unit,
        "extra": extra,
        "gap": number(target - value),
    }
    if met:
        return _("%(what)s %(value)s %(unit)s%(extra)s，达到 %(target)s %(unit)s的标准") % args
    return (
        _(
            "%(what)s %(value)s %(unit)s%(extra)s，"
            "未达到 %(target)s %(unit)s的标准（差 %(gap)s %(unit)s）"
        )
        % args
    )


class YearOfBranch:
    """The figures of one branch's year, each read once however many criteria use it."""

    def __init__(self, org: PartyOrg, year: int) -> None:
        self.org = org
        self.year = year
        self.start, self.end = _year_window(year)
        self._hours: tuple[Decimal, int] | None = None

    def member_hours(self) -> tuple[Decimal, int]:
        """(certified hours of the branch's verified members, how many members)."""
        if self._hours is None:
            ids = list(members_of(self.org).values_list("user_id", flat=True))
            found = hours.confirmed_hours(start=self.start, end=self.end, user_ids=ids)
            self._hours = (sum(found.values(), Decimal(0)), len(ids))
        return self._hours

    def measure(self, criterion: StarCriterion) -> Measure:
        kind, target, extra = criterion.kind, Decimal(criterion.target), ""
        if kind == EvidenceKind.ACTIVITIES:
            value = Decimal(
                party_activities_held(
                    publisher_name=self.org.name,
                    path_prefix=_community_path(self.org),
                    start=self.start,
                    end=self.end,
                )
            )
        elif kind == EvidenceKind.SERVICE_HOURS:
            value, members = self.member_hours()
            extra = _("（%(n)s 名党员）") % {"n": members}
        elif kind == EvidenceKind.MEMBER_HOURS:
            total, members = self.member_hours()
            value = (total / members) if members else Decimal(0)
            extra = _("（%(n)s 名党员共 %(total)s 小时）") % {"n": members, "total": number(total)}
        elif kind == EvidenceKind.CASES_CLOSED:
            value = Decimal(
                closed_count(path_prefix=self.org.grid_node.path, start=self.start, end=self.end)
            )
        else:
            value = Decimal(
                StarEvidence.objects.filter(
                    org=self.org, year=self.year, criterion=criterion
                ).count()
            )
        value = value.quantize(Decimal("0.1"))
        met = value >= target
        return Measure(value=value, met=met, reason=_reason(kind, value, target, met, extra))
