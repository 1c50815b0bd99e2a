"""Weeks (Monday to Sunday), months and years on the Asia/Shanghai calendar."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.calendar import midnight, month_bounds, week_bounds, year_bounds
from wangge.core.errors import ValidationFailed
from wangge.rankings.models import PeriodKind

_BOUNDS: dict[str, Callable[[date], tuple[date, date]]] = {
    PeriodKind.WEEK: week_bounds,
    PeriodKind.MONTH: month_bounds,
    PeriodKind.YEAR: year_bounds,
}


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind not in PeriodKind.values:
            raise ValidationFailed(_("榜单周期只能是 week、month 或 year"))
        return cls(kind, _BOUNDS[kind](day)[0])

    @property
    def end(self) -> date:
        """The first day after the period."""
        return _BOUNDS[self.kind](self.start)[1]

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def bounds(self) -> tuple[datetime, datetime]:
        return midnight(self.start), midnight(self.end)

    def is_closed(self, today: date | None = None) -> bool:
        return self.end <= (today or timezone.localdate())

    def days(self) -> Iterator[date]:
        day = self.start
        while day < self.end:
            yield day
            day += timedelta(days=1)

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.WEEK:
            return _("%(a)s 至 %(b)s") % {
                "a": self.start.isoformat(),
                "b": self.last_day.isoformat(),
            }
        if self.kind == PeriodKind.MONTH:
            return _("%(y)s年%(m)s月") % {"y": self.start.year, "m": self.start.month}
        return _("%(y)s年") % {"y": self.start.year}

    def previous(self) -> "Period":
        return Period.containing(self.kind, self.start - timedelta(days=1))


def periods_touching(days: set[date]) -> set[Period]:
    return {Period.containing(kind, d) for d in days for kind in PeriodKind.values}
