"""The official 放假调休 arrangement as data, one year at a time.

The State Council publishes each year's arrangement in November of the year before. It reaches
the calendar in one of two ways, and no year is written in code:

* the `chinese-calendar` package (an optional dependency, kept current by its maintainers),
  whose covered years are whatever the installed version knows; or
* a yearly file the administrator imports (`wangge load_calendar --file`, or the admin's
  节假日年度安排 page), for a year the package does not have yet.

A file is CSV (`date,kind,name`) or JSON (a list of `{"date", "kind", "name"}`); `kind` is
`holiday`/`休` or `workday`/`班`. Loading a year replaces that year's rows: the notice is the
whole truth for its year. Weekend days inside a holiday span may be listed (the notice lists
them) and change nothing.
"""

import csv
import io
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from wangge.cases import sla
from wangge.cases.models import CalendarDay, CalendarYear, WorkingHours
from wangge.core.errors import ValidationFailed

logger = logging.getLogger(__name__)

# Red on the dashboard this long before the last day of the covered years.
WARN_DAYS = 60

HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY
_KINDS = {
    "holiday": HOLIDAY,
    "休": HOLIDAY,
    "假": HOLIDAY,
    "workday": WORKDAY,
    "班": WORKDAY,
    "上班": WORKDAY,
}
# The package names its holidays in English; people read them in Chinese.
_PACKAGE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass(frozen=True)
class Day:
    date: date
    kind: str
    name: str


@dataclass(frozen=True)
class Arrangement:
    """One year's holidays and make-up workdays, as the notice lists them."""

    year: int
    days: tuple[Day, ...]
    source: str

    @property
    def holidays(self) -> int:
        return sum(d.kind == HOLIDAY for d in self.days)

    @property
    def workdays(self) -> int:
        return sum(d.kind == WORKDAY for d in self.days)


# ------------------------------------------------------------------ sources


def _package() -> Any | None:
    try:
        # Imported here: the package may be missing, and then a yearly file is imported instead.
        import chinese_calendar
    except ImportError:
        return None
    return chinese_calendar


def package_years() -> list[int]:
    """The years the installed `chinese-calendar` knows (empty when it is not installed)."""
    cc = _package()
    if cc is None:
        return []
    return sorted({d.year for d in cc.constants.holidays})


def from_package(year: int) -> Arrangement | None:
    """The year's arrangement from `chinese-calendar`, or None when it does not know the year."""
    cc = _package()
    if cc is None or year not in package_years():
        return None
    days = [
        Day(d, HOLIDAY, _PACKAGE_NAMES.get(name, name))
        for d, name in cc.constants.holidays.items()
        if d.year == year
    ]
    days += [
        Day(d, WORKDAY, _("%(h)s调休上班") % {"h": _PACKAGE_NAMES.get(name, name)})
        for d, name in cc.constants.workdays.items()
        if d.year == year
    ]
    version = getattr(cc, "__version__", "")
    return Arrangement(
        year, tuple(sorted(days, key=lambda d: d.date)), f"chinese-calendar {version}".strip()
    )


def _rows(content: str, filename: str) -> list[dict[str, Any]]:
    text = content.lstrip("\ufeff")  # Excel saves CSV with a BOM
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(_("JSON 格式有误：%(e)s") % {"e": exc.msg}) from None
        if isinstance(data, dict):
            data = data.get("days")
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise ValidationFailed(_('JSON 文件应为日期列表：[{"date", "kind", "name"}, …]'))
        return data
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"date", "kind"} <= {f.strip() for f in reader.fieldnames}:
        raise ValidationFailed(_("CSV 文件第一行应为列名：date,kind,name"))
    return [{(k or "").strip(): v for k, v in row.items()} for row in reader]


def parse_file(content: bytes | str, filename: str = "", source: str = "") -> list[Arrangement]:
    """Arrangements by year from a CSV or JSON file; a clear Chinese error for bad input."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationFailed(_("文件须为 UTF-8 编码")) from None
    by_year: dict[int, dict[date, Day]] = defaultdict(dict)
    for line, row in enumerate(_rows(content, filename), start=2):
        raw_date = str(row.get("date") or "").strip()
        raw_kind = str(row.get("kind") or "").strip()
        if not raw_date and not raw_kind:
            continue
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise ValidationFailed(
                _("第 %(n)d 行：日期“%(d)s”应为 YYYY-MM-DD") % {"n": line, "d": raw_date}
            ) from None
        kind = _KINDS.get(raw_kind.lower())
        if kind is None:
            raise ValidationFailed(
                _("第 %(n)d 行：类型“%(k)s”应为 holiday/休 或 workday/班")
                % {"n": line, "k": raw_kind}
            )
        known = by_year[day.year].get(day)
        if known is not None and known.kind != kind:
            raise ValidationFailed(_("%(d)s 既是节假日又是调休上班日") % {"d": day.isoformat()})
        by_year[day.year][day] = Day(day, kind, str(row.get("name") or "").strip()[:30])
    if not by_year:
        raise ValidationFailed(_("文件中没有任何日期"))
    result = []
    for year, days in sorted(by_year.items()):
        if not any(d.kind == HOLIDAY for d in days.values()):
            raise ValidationFailed(_("%(y)d 年没有任何节假日，请检查文件") % {"y": year})
        result.append(Arrangement(year, tuple(sorted(days.values(), key=lambda d: d.date)), source))
    return result


# ------------------------------------------------------------------ writes


@transaction.atomic
def calendar_year_load(*, arrangement: Arrangement) -> CalendarYear:
    """Replace the year's rows with the arrangement and mark the year covered; deadlines that
    were provisional for want of this year are then recounted on it."""
    year = arrangement.year
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d.date, kind=d.kind, name=d.name) for d in arrangement.days
    )
    row, _created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={
            "source": (arrangement.source or _("导入文件"))[:120],
            "holidays": arrangement.holidays,
            "workdays": arrangement.workdays,
        },
    )
    if not WorkingHours.objects.exists():
        WorkingHours.objects.create()
    # bulk_create and delete() on a queryset send no per-row signals: refresh the cache here.
    sla.invalidate_calendar()
    transaction.on_commit(sla.invalidate_calendar)
    recounted = sla.provisional_recount()
    logger.info("calendar %s loaded from %s; %d deadlines recounted", year, row.source, recounted)
    return row


def calendar_load_package(*, since: int) -> list[CalendarYear]:
    """Every year from `since` on that the installed package knows, each in its own
    transaction (a year is all or nothing)."""
    loaded = []
    for year in package_years():
        if year >= since:
            arrangement = from_package(year)
            if arrangement is not None:
                loaded.append(calendar_year_load(arrangement=arrangement))
    return loaded


@transaction.atomic
def calendar_file_load(
    *, content: bytes | str, filename: str = "", source: str = ""
) -> list[CalendarYear]:
    """Every year in an administrator's file, all or nothing."""
    label = source or _("导入文件 %(f)s") % {"f": filename or "-"}
    return [
        calendar_year_load(arrangement=a)
        for a in parse_file(content, filename=filename, source=label)
    ]


# ------------------------------------------------------------------ reads


@dataclass(frozen=True)
class Coverage:
    years: list[int]
    last_day: date | None  # the last day of the unbroken run of covered years from today
    days_left: int | None
    warn: bool  # red: the run ends within WARN_DAYS, or today's year is not covered
    needed: int  # the first year not covered from today on: the one to load next


def coverage(today: date) -> Coverage:
    """Which years the calendar knows, and whether an administrator must load the next one."""
    years = sorted(CalendarYear.objects.values_list("year", flat=True))
    known = set(years)
    if today.year not in known:
        return Coverage(years, None, None, True, today.year)
    last = today.year
    while last + 1 in known:
        last += 1
    last_day = date(last, 12, 31)
    days_left = (last_day - today).days
    warn = today >= last_day - timedelta(days=WARN_DAYS)
    return Coverage(years, last_day, days_left, warn, last + 1)
