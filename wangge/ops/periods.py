"""The weeks of the 城运中心's trend chart (the calendar itself is core.calendar)."""

from datetime import date, timedelta

from wangge.core.calendar import week_bounds

# The trend chart: this week and the seven before it.
TREND_WEEKS = 8


def trend_mondays(day: date) -> list[date]:
    """The Mondays of the trend chart's weeks, oldest first, the week holding `day` last."""
    monday, _end = week_bounds(day)
    return [monday - timedelta(weeks=i) for i in range(TREND_WEEKS - 1, -1, -1)]
