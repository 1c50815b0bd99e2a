"""Weeks (Monday to Sunday), months and years on the Asia/Shanghai calendar."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.errors import ValidationFailed
from wangge.rankings.models import PeriodKind


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    start: date

    @classmethod
    def containing(cls, kind: str, day: date) -> "Period":
        if kind == PeriodKind.WEEK:
            return cls(kind, day - timedelta(days=day.weekday()))
        if kind == PeriodKind.MONTH:
            return cls(kind, day.replace(day=1))
        if kind == PeriodKind.YEAR:
            return cls(kind, date(day.year, 1, 1))
        raise ValidationFailed(_("榜单周期只能是 week、month 或 year"))

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.kind == PeriodKind.WEEK:
            return self.start + timedelta(days=7)
        if self.kind == PeriodKind.MONTH:
            y, m = self.start.year, self.start.month
            return date(y + 1, 1, 1) if m == 12 else date(y, m + 1, 1)
        return date(self.start.year + 1, 1, 1)

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end, time.min, tzinfo=tz),
        )

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


def day_start(day: date) -> datetime:
    """Midnight in Beijing at the start of `day`."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def periods_touching(days: set[date]) -> set[Period]:
    return {Period.containing(kind, d) for d in days for kind in PeriodKind.values}
