"""`wangge import_history FILE`: a 12345 platform's export of past orders becomes closed history
cases — filed in their own days and months, placed but never dispatched, told to nobody, and
refused whole, with every problem by line, when anything in the file is wrong."""

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.conftest import DISTRICT, MICRO_A1, STREET
from wangge.cases.models import (
    CalendarYear,
    Case,
    CaseEvent,
    CategorySource,
    Channel,
    KpiMonth,
    Status,
)
from wangge.cases.selectors import dispatch_queue, followup_queue, kpis, worker_queue
from wangge.cases.services import CaseInput, case_intake
from wangge.grids.models import GridNode
from wangge.hotline.models import Delivery, HotlineOrder
from wangge.notifications.models import Notification, SmsMessage
from wangge.points.models import Entry
from wangge.wechat.models import Outbound

SH = ZoneInfo("Asia/Shanghai")
HEADER = [
    "工单编号",
    "受理时间",
    "诉求人",
    "来电号码",
    "诉求类型",
    "工单标题",
    "诉求内容",
    "事发地址",
    "分类",
    "承办单位",
    "办结时间",
    "满意度",
]


def order(no: str, **cells: str) -> dict[str, str]:
    """One order as the platform exports it; `cells` overrides by column name."""
    row = {
        "工单编号": no,
        "受理时间": "2020-1-6 7:13:58",
        "诉求人": "李桂兰",
        "来电号码": "13937112345",
        "诉求类型": "投诉",
        "工单标题": "",
        "诉求内容": "伊河路百花里3号楼门口有人摆摊占道。堵住了小区出入口",
        "事发地址": "中原区伊河路百花里3号楼",
        "分类": "CSGL-01",
        "承办单位": "林山寨街道",
        "办结时间": "2020/1/8 16:05",
        "满意度": "满意",
    }
    row.update(cells)
    return row


def write_csv(
    path: Path, rows: list[dict[str, str]], *, encoding: str = "utf-8", header: list[str] = HEADER
) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_history", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(path: Path, *args: str) -> tuple[str, list[str]]:
    err = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_history", str(path), *args, stdout=io.StringIO(), stderr=err)
    return str(exc.value), err.getvalue().splitlines()


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SH)  # type: ignore[misc]


def test_a_gbk_export_with_unpadded_times_becomes_closed_history_cases(
    people: dict[str, Any], tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "中原区12345工单.csv",
        [
            order("ZZ2020010600001"),
            # No address, none in the text either; its category given by name; closed the day
            # it was taken (a date alone: no earlier than the acceptance).
            order(
                "ZZ2020010600002",
                **{
                    "受理时间": "2020/01/06 09:30",
                    "诉求人": "",
                    "来电号码": "",
                    "诉求类型": "求助",
                    "工单标题": "暖气不热",
                    "诉求内容": "家里暖气一直不热，只有十几度",
                    "事发地址": "",
                    "分类": "暖气不热",
                    "办结时间": "2020-01-06",
                    "满意度": "",
                },
            ),
        ],
        encoding="gbk",
    )
    out, _err = run(path)

    assert "文件 中原区12345工单.csv（GBK）：2 行工单" in out
    assert "定位到微网格（或专属网格）1 条，未能定位 1 条" in out
    assert "CSGL-01 占道经营：1" in out and "GN-01 暖气不热：1" in out
    assert "导入完成：新增 2 条历史工单，跳过已存在 0 条，跳过文件内重复 0 条" in out
    placed = Case.objects.get(external_id="ZZ2020010600001")
    assert (placed.channel, placed.status, placed.is_history) == (
        Channel.HOTLINE,
        Status.CLOSED,
        True,
    )
    assert placed.category is not None and placed.category.code == "CSGL-01"
    assert placed.category_source == CategorySource.HISTORY
    # Filed the day and the moment the hotline took the call, and numbered by that day.
    assert placed.created_at == local(2020, 1, 6, 7, 13, 58)
    assert placed.number == f"20200106{placed.pk:06d}"
    assert placed.resolved_at == placed.closed_at == local(2020, 1, 8, 16, 5)
    # 7 working days from a call before office hours: Monday 09:00 to the next Tuesday's close.
    assert placed.due_at == local(2020, 1, 14, 17, 0)
    assert placed.closed_on_time is True and placed.deadline_provisional is False
    assert placed.title == "伊河路百花里3号楼门口有人摆摊占道"
    assert (placed.request_type, placed.reporter_name) == ("投诉", "李桂兰")
    assert (placed.satisfaction, placed.followup_contacted) == ("satisfied", True)
    assert placed.followup_at == placed.closed_at
    # Placed as intake places a case, and never dispatched.
    assert placed.micro_grid is not None and placed.micro_grid.code == MICRO_A1
    assert placed.street is not None and placed.street.code == STREET
    assert placed.building_id is not None
    assert (placed.handling_node, placed.assignee, placed.handling_level) == (None, None, "")
    assert "历史工单导入，不派单" in placed.routing_reason

    unplaced = Case.objects.get(external_id="ZZ2020010600002")
    assert unplaced.micro_grid is None and unplaced.street is None
    assert unplaced.grid_path == GridNode.objects.get(code=DISTRICT).path
    assert unplaced.category is not None and unplaced.category.code == "GN-01"
    assert unplaced.closed_at == unplaced.created_at == local(2020, 1, 6, 9, 30)
    assert unplaced.title == "暖气不热" and unplaced.reporter_phone_masked == ""
    assert unplaced.followup_at is None and unplaced.satisfaction == ""

    # One timeline row saying who imported it from which file, and the order kept beside it.
    (event,) = placed.events.all()
    assert (event.from_status, event.to_status, event.actor) == ("", Status.CLOSED, None)
    assert "历史工单导入" in event.note and "中原区12345工单.csv 第 2 行" in event.note
    assert event.data["history_import"]["file"] == "中原区12345工单.csv"
    assert event.actor_label.startswith("命令行导入")
    recorded = HotlineOrder.objects.get(order_no="ZZ2020010600001")
    assert recorded.case == placed and recorded.source == HotlineOrder.Source.HISTORY
    assert recorded.reply_expected is False
    assert recorded.received_at == placed.created_at
    # The year's official arrangement was loaded from the package to count the deadlines on.
    assert CalendarYear.objects.filter(year=2020).exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8"])
def test_utf8_with_or_without_a_bom(
    catalogue: dict[str, Any], tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "h.csv", [order("ZZ1"), order("ZZ2")], encoding=encoding)
    out, _err = run(path)
    assert "（UTF-8）" in out
    assert sorted(Case.objects.values_list("external_id", flat=True)) == ["ZZ1", "ZZ2"]


def test_an_xlsx_export_with_datetime_cells(catalogue: dict[str, Any], tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    row = order("ZZ3", **{"来电号码": ""})
    # Excel keeps times as datetime cells and long numbers as numbers.
    cells: list[Any] = [row[c] for c in HEADER]
    cells[0] = 202103010001
    cells[1] = datetime(2021, 3, 1, 8, 5)
    cells[10] = datetime(2021, 3, 3, 15, 0)
    sheet.append(cells)
    path = tmp_path / "export.xlsx"
    book.save(path)

    out, _err = run(path)

    assert "（XLSX）" in out and "新增 1 条" in out
    case = Case.objects.get()
    assert case.external_id == "202103010001"
    assert case.created_at == local(2021, 3, 1, 8, 5)
    assert case.closed_at == local(2021, 3, 3, 15, 0)


def test_a_bad_file_is_refused_whole_with_every_problem_by_line(
    catalogue: dict[str, Any], tmp_path: Path
) -> None:
    noisy = "楼下工地夜间施工\n晚上十点以后还在打桩"
    path = write_csv(
        tmp_path / "bad.csv",
        [
            order("ZZ1", **{"受理时间": "2021-3-1 9:00", "办结时间": "2021-3-2 10:00"}),  # 2
            order("", **{"受理时间": "2021-3-1 9:00", "办结时间": "2021-3-2"}),  # 3
            # Lines 4–5: a text with a line break, as 诉求内容 often has.
            order("ZZ3", **{"诉求内容": noisy, "分类": "CSGL-01"}),  # 4–5
            order("ZZ4", **{"受理时间": "2021-13-45 9:00"}),  # 6
            order("ZZ5", **{"受理时间": "2021-3-5 10:00", "办结时间": "2021-3-4 10:00"}),  # 7
            order("ZZ6", **{"分类": "不存在的分类"}),  # 8
            order("ZZ7", **{"满意度": "很满意"}),  # 9
            order("ZZ8", **{"诉求内容": ""}),  # 10
            order("ZZ1", **{"诉求内容": "另一件事：路灯不亮"}),  # 11
            # The same order again, word for word: no problem, counted once.
            order("ZZ3", **{"诉求内容": noisy, "分类": "CSGL-01"}),  # 12–13
            order("ZZ9", **{"受理时间": "1999-12-31 10:00", "办结时间": "2000-1-3 9:00"}),  # 14
        ],
    )

    message, problems = refused(path)

    assert problems == [
        "第 3 行：工单编号为空",
        "第 6 行：受理时间“2021-13-45 9:00”无法识别"
        "（如 2020-1-6 7:13:58、2020/01/06 07:13 或 2020-01-06）",
        "第 7 行：办结时间早于受理时间",
        "第 8 行：未知分类“不存在的分类”（须为派单目录中启用的末级分类的编码或名称）",
        "第 9 行：未知满意度“很满意”（须为满意、基本满意、不满意或留空）",
        "第 10 行：诉求内容为空",
        "第 11 行：工单编号“ZZ1”与第 2 行重复且内容不同",
        "第 14 行：受理时间“1999-12-31 10:00”：日期须在 2000 年至 2100 年之间",
    ]
    assert message == "导入被拒绝，共 8 个问题，未写入任何数据"
    # Nothing at all: no case, no timeline, no order, not even the holiday years.
    assert Case.objects.count() == CaseEvent.objects.count() == HotlineOrder.objects.count() == 0
    assert CalendarYear.objects.count() == 0 and KpiMonth.objects.count() == 0


def test_missing_columns_are_named_on_line_1(catalogue: dict[str, Any], tmp_path: Path) -> None:
    header = [c for c in HEADER if c not in ("分类", "办结时间")]
    path = write_csv(tmp_path / "h.csv", [order("ZZ1")], header=header)
    _message, problems = refused(path)
    assert problems == ["第 1 行：缺少列：分类、办结时间"]


def test_importing_the_same_file_twice_changes_nothing(
    people: dict[str, Any], tmp_path: Path
) -> None:
    rows = [order("ZZ1"), order("ZZ2", **{"事发地址": ""}), order("ZZ3", **{"满意度": ""})]
    path = write_csv(tmp_path / "h.csv", rows)
    run(path)
    before = list(Case.objects.order_by("pk").values_list("pk", "number", "updated_at"))

    out, _err = run(path)

    assert "导入完成：新增 0 条历史工单，跳过已存在 3 条，跳过文件内重复 0 条" in out
    assert list(Case.objects.order_by("pk").values_list("pk", "number", "updated_at")) == before
    assert (CaseEvent.objects.count(), HotlineOrder.objects.count()) == (3, 3)

    # The same number with other content is listed, and the whole file refused again.
    rows[1] = order("ZZ2", **{"事发地址": "", "满意度": "不满意"})
    _message, problems = refused(write_csv(tmp_path / "h2.csv", rows))
    assert problems == ["第 3 行：工单编号“ZZ2”已存在且内容不同"]
    assert Case.objects.count() == 3


def test_an_order_already_received_live_is_skipped(people: dict[str, Any], tmp_path: Path) -> None:
    text = order("ZZ9")["诉求内容"]
    live, _created = case_intake(
        data=CaseInput(description=text, channel=Channel.HOTLINE, external_id="ZZ9"),
        actor=people["admin"],
    )
    out, _err = run(write_csv(tmp_path / "h.csv", [order("ZZ9"), order("ZZ10")]))
    assert "新增 1 条历史工单，跳过已存在 1 条" in out
    live.refresh_from_db()
    assert live.is_history is False


def test_history_makes_no_message_no_callback_and_no_points(
    people: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    # 回传 switched on: still nothing is queued for an order the platform closed long ago.
    settings.HOTLINE_CALLBACK_URL = "http://127.0.0.1:9/12345/callback"
    settings.HOTLINE_CALLBACK_SECRET = "s"
    counts = [m.objects.count() for m in (Notification, SmsMessage, Outbound, Entry, Delivery)]

    run(write_csv(tmp_path / "h.csv", [order("ZZ1"), order("ZZ2", **{"满意度": "不满意"})]))

    assert Case.objects.filter(is_history=True).count() == 2
    assert [
        m.objects.count() for m in (Notification, SmsMessage, Outbound, Entry, Delivery)
    ] == counts


def test_history_is_in_no_queue_and_not_on_the_desk(people: dict[str, Any], tmp_path: Path) -> None:
    run(write_csv(tmp_path / "h.csv", [order("ZZ1", **{"工单标题": "历史工单甲"})]))
    case = Case.objects.get()
    assert case.micro_grid is not None  # in the dispatcher's and the worker's grid

    assert case not in dispatch_queue(people["dispatcher"])
    assert case not in worker_queue(people["worker_a"])
    assert case not in followup_queue(people["dispatcher"])
    desk = Client()
    desk.force_login(people["dispatcher"])
    page = desk.get("/cases/desk/")
    assert page.status_code == 200
    assert "历史工单甲" not in page.content.decode()


def test_history_counts_in_its_own_months_kpis(people: dict[str, Any], tmp_path: Path) -> None:
    march = {"受理时间": "2021-3-1 9:00", "办结时间": "2021-3-3 10:00"}
    run(
        write_csv(
            tmp_path / "h.csv",
            [
                order("ZZ1", **march),
                order("ZZ2", **march, **{"满意度": "基本满意"}),
                # Closed after its deadline (9 March, 17:00).
                order("ZZ3", **{**march, "办结时间": "2021-3-15 10:00", "满意度": ""}),
            ],
        )
    )
    district = GridNode.objects.get(code=DISTRICT)

    # The import refreshed the monthly counters, which the district's KPI table reads.
    total, _streets = kpis(
        user=people["admin"], parent=district, start=local(2021, 3, 1), end=local(2021, 4, 1)
    )
    assert (total.due, total.closed, total.closed_on_time) == (3, 3, 2)
    assert (total.followups, total.satisfied, total.basic) == (2, 1, 1)
    assert KpiMonth.objects.filter(month="2021-03-01", due=3).exists()
    # ... and in no other month.
    other, _ = kpis(
        user=people["admin"], parent=district, start=local(2021, 4, 1), end=local(2021, 5, 1)
    )
    assert (other.due, other.followups) == (0, 0)


def test_a_callers_phone_is_stored_encrypted_and_shown_masked(
    people: dict[str, Any], tmp_path: Path
) -> None:
    run(
        write_csv(
            tmp_path / "h.csv",
            [order("ZZ1"), order("ZZ2", **{"来电号码": "138****5678"})],
        )
    )
    case = Case.objects.get(external_id="ZZ1")
    assert case.reporter_phone_masked == "139****2345"
    assert "13937112345" not in case.reporter_phone_encrypted
    assert case.reporter_phone == "13937112345"  # what the audited reveal decrypts
    assert case.has_reporter_phone
    assert HotlineOrder.objects.get(order_no="ZZ1").payload["caller_phone"] == "139****2345"
    assert "13937112345" not in case.events.get().note
    # A platform that exported the number masked: only the masked form exists to keep.
    masked = Case.objects.get(external_id="ZZ2")
    assert masked.reporter_phone_masked == "138****5678" and not masked.has_reporter_phone


def test_it_works_without_a_grid_tree(catalogue: dict[str, Any], tmp_path: Path) -> None:
    assert not GridNode.objects.exists()
    out, _err = run(write_csv(tmp_path / "h.csv", [order("ZZ1"), order("ZZ2", **{"事发地址": ""})]))
    assert "未定位" in out and "新增 2 条" in out
    case = Case.objects.get(external_id="ZZ1")
    assert (case.micro_grid, case.street, case.grid_path) == (None, None, "")
    assert case.address == "中原区伊河路百花里3号楼" and case.status == Status.CLOSED


def test_deadlines_on_the_official_calendar_or_provisional_without_it(
    catalogue: dict[str, Any], tmp_path: Path
) -> None:
    # Accepted Monday 2020-09-28, before 国庆 and 中秋 (1–8 October off, Saturday 10 October
    # worked): 7 working days end on 14 October. On plain weekdays they end on the 7th.
    rows = [order("ZZ1", **{"受理时间": "2020-9-28 10:00", "办结时间": "2020-10-12 11:00"})]
    run(write_csv(tmp_path / "h.csv", rows))
    case = Case.objects.get()
    assert case.due_at == local(2020, 10, 14, 10, 0)
    assert case.closed_on_time is True and case.deadline_provisional is False

    rows = [order("ZZ2", **{"受理时间": "2003-9-29 10:00", "办结时间": "2003-10-10 11:00"})]
    _out, err = run(write_csv(tmp_path / "h2.csv", rows))
    # No arrangement is known for 2003: counted on Monday to Friday, and marked so.
    provisional = Case.objects.get(external_id="ZZ2")
    assert provisional.due_at == local(2003, 10, 8, 10, 0)
    assert provisional.deadline_provisional is True and provisional.closed_on_time is False
    assert "1 条工单的时限按周一至周五计算（2003 年无节假日安排）" in err


def test_no_calendar_leaves_the_years_unloaded(catalogue: dict[str, Any], tmp_path: Path) -> None:
    rows = [order("ZZ1", **{"受理时间": "2020-9-28 10:00", "办结时间": "2020-10-12 11:00"})]
    run(write_csv(tmp_path / "h.csv", rows), "--no-calendar", "--no-place")
    case = Case.objects.get()
    assert not CalendarYear.objects.exists()
    assert case.due_at == local(2020, 10, 7, 10, 0) and case.deadline_provisional is True


def test_a_dry_run_checks_and_writes_nothing(catalogue: dict[str, Any], tmp_path: Path) -> None:
    out, _err = run(write_csv(tmp_path / "h.csv", [order("ZZ1"), order("ZZ1")]), "--dry-run")
    assert "检查通过（未写入）：可导入 1 条，已存在 0 条，文件内重复 1 条" in out
    assert not Case.objects.exists() and not CalendarYear.objects.exists()


def test_the_person_who_imports_is_named_on_the_timeline(
    people: dict[str, Any], tmp_path: Path
) -> None:
    run(write_csv(tmp_path / "h.csv", [order("ZZ1")]), "--by", people["admin"].phone)
    event = Case.objects.get().events.get()
    assert event.actor_label == "赵建国（历史工单导入）"
    # Named, not the actor: nobody's own reports (Open311's "mine") gain a history case.
    assert event.actor is None
