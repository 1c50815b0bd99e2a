"""The holiday calendar as data: years loaded from chinese-calendar or a yearly file, deadlines
past the loaded years counted on weekdays and flagged provisional, and the warning that asks an
administrator for the next year."""

import json
from collections.abc import Callable
from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from tests.cases.conftest import CALENDAR_2026, CALENDAR_2027, load_calendar
from tests.conftest import STREET
from wangge.cases import holidays, sla
from wangge.cases.models import CalendarDay, CalendarYear, Case, CaseEvent
from wangge.core.errors import ValidationFailed

TZ = ZoneInfo("Asia/Shanghai")
SPRING_2027 = datetime(2027, 2, 10, 10, 0, tzinfo=TZ)  # a Wednesday in the 2027 春节 break


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture(autouse=True)
def fresh_calendar() -> None:
    sla.invalidate_calendar()


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ------------------------------------------------------------------ the quality bar


def test_in_the_2027_spring_festival_with_2027_loaded_the_deadline_skips_the_break(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    load_calendar(CALENDAR_2026, CALENDAR_2027)
    with time_machine.travel(SPRING_2027, tick=False):
        case = report()
        # Off from 02-05 to 02-13; work resumes Monday 02-15, and Saturday 02-20 is a make-up
        # workday: 15, 16, 17, 18, 19, 20, 22 are the seven working days.
        assert case.due_at == at(2027, 2, 22, 17, 0)
        assert case.sign_due_at == at(2027, 2, 15, 11, 0)
        assert case.deadline_provisional is False
        page = client_for(people["worker_a"]).get(f"/cases/{case.pk}/").content.decode()
        api = client_for(people["worker_a"]).get(f"/api/v1/cases/{case.pk}").json()
    assert "2027-02-22 17:00" in page
    assert "暂定" not in page
    assert api["deadline_provisional"] is False


def test_without_2027_the_deadline_is_counted_on_weekdays_and_flagged_provisional(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    load_calendar(CALENDAR_2026)
    with time_machine.travel(SPRING_2027, tick=False):
        case = report()
        # Plain weekdays: 6 h left on Wednesday, then 11, 12, 15, 16, 17, 18 and 1 h on the 19th.
        assert case.due_at == at(2027, 2, 19, 10, 0)
        assert case.deadline_provisional is True
        page = client_for(people["worker_a"]).get(f"/cases/{case.pk}/").content.decode()
        api = client_for(people["worker_a"]).get(f"/api/v1/cases/{case.pk}").json()
        listed = client_for(people["worker_a"]).get("/api/v1/cases").json()
        dashboard = client_for(people["admin"]).get(f"/ops/unit/{STREET}/").content.decode()
    assert "2027-02-19 10:00" in page
    assert 'id="deadline-provisional"' in page and "暂定" in page
    assert api["deadline_provisional"] is True
    assert [c["deadline_provisional"] for c in listed["results"]] == [True]
    # The administrator is told in red which year to load.
    assert 'id="calendar-warning"' in dashboard
    assert "尚未导入 2027 年的放假调休安排" in dashboard


def test_loading_the_year_recounts_the_provisional_deadlines(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    load_calendar(CALENDAR_2026)
    with time_machine.travel(SPRING_2027, tick=False):
        case = report()
    assert case.deadline_provisional
    with time_machine.travel(at(2027, 2, 11, 9, 0), tick=False):
        load_calendar(CALENDAR_2027)
    case.refresh_from_db()
    assert case.due_at == at(2027, 2, 22, 17, 0)
    assert case.sign_due_at == at(2027, 2, 15, 11, 0)
    assert case.deadline_provisional is False
    recount = CaseEvent.objects.get(case=case, action="recount")
    assert "2027-02-22 17:00" in recount.note and recount.label == "时限重算"


def test_a_deadline_inside_the_loaded_years_is_not_provisional(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    load_calendar(CALENDAR_2026)
    with time_machine.travel(at(2026, 11, 20, 16, 30), tick=False):
        case = report()
    assert case.due_at == at(2026, 12, 1, 16, 30)
    assert case.deadline_provisional is False
    # …but one that runs into the next, unloaded year is.
    with time_machine.travel(at(2026, 12, 28, 10, 0), tick=False):
        late = report()
    assert late.due_at.astimezone(TZ).year == 2027 and late.deadline_provisional is True


# ------------------------------------------------------------------ the warning


@pytest.mark.parametrize(
    ("today", "warn", "days_left"),
    [
        (date(2026, 10, 31), False, 61),
        (date(2026, 11, 1), True, 60),  # 60 days before the last covered day
        (date(2026, 12, 31), True, 0),
    ],
)
def test_administrators_are_warned_sixty_days_before_the_last_covered_day(
    db: Any, today: date, warn: bool, days_left: int
) -> None:
    load_calendar(CALENDAR_2026)
    cover = holidays.coverage(today)
    assert (cover.years, cover.last_day, cover.days_left, cover.warn, cover.needed) == (
        [2026],
        date(2026, 12, 31),
        days_left,
        warn,
        2027,
    )


def test_the_dashboard_shows_the_years_and_only_administrators_get_the_warning(
    people: dict[str, Any],
) -> None:
    load_calendar(CALENDAR_2026, CALENDAR_2027)
    with time_machine.travel(at(2027, 11, 15, 10, 0), tick=False):
        admin = client_for(people["admin"]).get(f"/ops/unit/{STREET}/").content.decode()
        dispatcher = client_for(people["dispatcher"]).get(f"/ops/unit/{STREET}/").content.decode()
    assert "节假日安排已导入年份：2026、2027" in admin
    assert "节假日安排只导入到 2027-12-31（还有 46 天）" in admin
    assert "请导入 2028 年的放假调休安排" in admin
    assert "节假日安排已导入年份：2026、2027" in dispatcher
    assert 'id="calendar-warning"' not in dispatcher
    with time_machine.travel(at(2027, 6, 1, 10, 0), tick=False):
        calm = client_for(people["admin"]).get(f"/ops/unit/{STREET}/").content.decode()
    assert 'id="calendar-warning"' not in calm


# ------------------------------------------------------------------ the sources


def test_chinese_calendar_gives_the_2026_notice_with_chinese_names(db: Any) -> None:
    pytest.importorskip("chinese_calendar")
    assert 2026 in holidays.package_years()
    from_package = holidays.from_package(2026)
    (from_notice,) = holidays.parse_file(CALENDAR_2026.read_bytes(), CALENDAR_2026.name)
    assert from_package is not None
    assert [(d.date, d.kind) for d in from_package.days] == [
        (d.date, d.kind) for d in from_notice.days
    ]
    assert {d.name for d in from_package.days if d.kind == "holiday"} == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
    }
    assert from_package.source.startswith("chinese-calendar ")
    assert holidays.from_package(max(holidays.package_years()) + 1) is None


def test_the_command_loads_the_package_years_and_says_what_is_missing(db: Any) -> None:
    pytest.importorskip("chinese_calendar")
    out, err = StringIO(), StringIO()
    with time_machine.travel(at(2026, 11, 22, 10, 0), tick=False):
        call_command("load_calendar", stdout=out, stderr=err)
    last = max(holidays.package_years())
    assert CalendarYear.objects.filter(year=2026).get().holidays == 33
    assert CalendarDay.objects.get(date=date(2026, 2, 28)).name == "春节调休上班"
    # Only from last year on: the older years the package knows are not needed.
    assert set(CalendarYear.objects.values_list("year", flat=True)) == set(range(2025, last + 1))
    assert "2026 年：节假日 33 天，调休上班 6 天" in out.getvalue()
    if last == 2026:
        assert "请尽快导入 2027 年的节假日安排" in err.getvalue()


def test_the_command_imports_a_yearly_file(db: Any) -> None:
    out = StringIO()
    call_command("load_calendar", "--file", str(CALENDAR_2027), stdout=out, stderr=StringIO())
    year = CalendarYear.objects.get(year=2027)
    assert (year.holidays, year.workdays) == (27, 6)
    assert CalendarDay.objects.get(date=date(2027, 2, 6)).name == "春节"
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).kind == CalendarDay.Kind.WORKDAY
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_calendar", "--file", "/nonexistent.csv")


def test_a_reimported_year_replaces_its_rows_and_leaves_the_others(db: Any) -> None:
    load_calendar(CALENDAR_2026, CALENDAR_2027)
    holidays.calendar_file_load(
        content="date,kind,name\n2027-01-01,休,元旦\n2027-02-06,休,春节\n", filename="fix.csv"
    )
    assert CalendarDay.objects.filter(date__year=2027).count() == 2
    assert CalendarDay.objects.filter(date__year=2026).count() == 39


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,kind,name\n2027-02-30,holiday,春节\n", "第 2 行：日期“2027-02-30”应为 YYYY-MM-DD"),
        (
            "date,kind,name\n2027-02-06,rest,春节\n",
            "第 2 行：类型“rest”应为 holiday/休 或 workday/班",
        ),
        ("date,kind\n2027-02-06,休\n2027-02-06,班\n", "2027-02-06 既是节假日又是调休上班日"),
        ("日期,类型\n2027-02-06,休\n", "CSV 文件第一行应为列名：date,kind,name"),
        ("date,kind,name\n2027-02-20,班,调休\n", "2027 年没有任何节假日"),
        ('{"days": 3}', "JSON 文件应为日期列表"),
        ("[{", "JSON 格式有误"),
        ("date,kind,name\n", "文件中没有任何日期"),
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(
    db: Any, content: str, message: str
) -> None:
    load_calendar(CALENDAR_2026)
    with pytest.raises(ValidationFailed, match=message):
        holidays.calendar_file_load(content=content.encode(), filename="x.csv")
    assert CalendarDay.objects.count() == 39
    assert list(CalendarYear.objects.values_list("year", flat=True)) == [2026]


# ------------------------------------------------------------------ the admin


def test_the_admin_imports_a_year_and_shows_the_coverage(superuser_client: Client) -> None:
    with time_machine.travel(at(2026, 11, 22, 10, 0), tick=False):
        page = superuser_client.get("/admin/cases/calendaryear/").content.decode()
        assert "尚未导入任何年份的节假日安排" in page and "导入节假日安排" in page
        days = json.loads(CALENDAR_2027.read_text(encoding="utf-8"))["days"]
        csv_text = "date,kind,name\n" + "".join(
            f"{d['date']},{d['kind']},{d['name']}\n" for d in days
        )
        done = superuser_client.post(
            "/admin/cases/calendaryear/import/",
            {"file": SimpleUploadedFile("2027.csv", csv_text.encode("utf-8-sig"))},
            follow=True,
        ).content.decode()
        assert "已导入：2027（导入文件 2027.csv）" in done
        bad = superuser_client.post(
            "/admin/cases/calendaryear/import/",
            {"file": SimpleUploadedFile("bad.csv", b"date,kind\n2027-13-01,holiday\n")},
        ).content.decode()
    assert "第 2 行：日期“2027-13-01”应为 YYYY-MM-DD" in bad
    assert CalendarYear.objects.get(year=2027).holidays == 27


def test_the_admin_loads_the_package_years_from_its_button(superuser_client: Client) -> None:
    pytest.importorskip("chinese_calendar")
    with time_machine.travel(at(2026, 11, 22, 10, 0), tick=False):
        done = superuser_client.post(
            "/admin/cases/calendaryear/import/", {"source": "package"}, follow=True
        ).content.decode()
    assert "已导入：2025（chinese-calendar " in done
    assert CalendarYear.objects.get(year=2026).holidays == 33


def test_the_catalogue_and_calendar_have_chinese_admin_pages(
    superuser_client: Client, catalogue: Any
) -> None:
    load_calendar(CALENDAR_2026)
    categories = superuser_client.get("/admin/cases/category/").content.decode()
    assert (
        "事件分类（派单目录）" in categories and "占道经营" in categories and "城管局" in categories
    )
    change = superuser_client.get(
        f"/admin/cases/category/{catalogue['street_vendor'].pk}/change/"
    ).content.decode()
    assert "办理时限单位" in change and "责任部门" in change and "默认层级" in change
    days = superuser_client.get("/admin/cases/calendarday/?date__year=2026").content.decode()
    assert "春节调休上班" in days and "调休上班" in days
    hours = superuser_client.get("/admin/cases/workinghours/").content.decode()
    assert "09:00–12:00，13:00–17:00" in hours


def test_office_hours_changed_in_the_admin_apply_to_new_deadlines(
    superuser_client: Client, people: dict[str, Any], report: Callable[..., Case]
) -> None:
    load_calendar(CALENDAR_2026)
    from wangge.cases.models import WorkingHours

    row = WorkingHours.objects.get()
    resp = superuser_client.post(
        f"/admin/cases/workinghours/{row.pk}/change/",
        {
            "morning_start": "08:30",
            "morning_end": "12:00",
            "afternoon_start": "14:00",
            "afternoon_end": "17:30",
        },
    )
    assert resp.status_code == 302
    with time_machine.travel(at(2026, 11, 20, 16, 30), tick=False):  # Friday
        case = report()
    # 1 h on Friday (to 17:30), then 1 h from Monday 08:30.
    assert case.sign_due_at == at(2026, 11, 23, 9, 30)
