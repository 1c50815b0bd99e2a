"""Excel in (checked row by row, all or nothing) and out (masked unless the role may, audited)."""

import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from tests.residents.conftest import make_id
from wangge.accounts.models import PersonalDataAccess
from wangge.core.errors import PermissionDenied
from wangge.residents.models import Household, Move, Person
from wangge.residents.services import IMPORT_COLUMNS, persons_export, persons_import

HEADER = [str(label) for _key, label in IMPORT_COLUMNS]


def sheet(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = [
    [
        "BH3",
        "5-502",
        "常住",
        "是",
        "陈建华",
        make_id("19720808", "031"),
        "13511112222",
        "户主",
        "常住",
    ],
    ["BH3", "5-502", "常住", "是", "陈小雨", make_id("20120101", "042"), "", "子女", "常住"],
    [
        "BH3",
        "6-101",
        "流动",
        "",
        "马强",
        make_id("19950606", "051"),
        "0371 6789 1234",
        "户主",
        "流动",
    ],
]


def test_good_rows_are_imported_with_households_and_history(people: Any) -> None:
    report = persons_import(actor=people["worker_a"], data=sheet(GOOD))
    assert report.ok and report.rows == 3
    assert (report.households_created, report.persons_created) == (2, 3)
    home = Household.objects.get(room="5-502")
    assert home.is_rental and not home.is_owner and home.kind == "changzhu"
    ma = Person.objects.get(name="马强")
    assert ma.phone == "037167891234" and ma.residence == "liudong" and ma.gender == "M"
    assert Move.objects.filter(kind="in").count() == 3


def test_bad_rows_are_reported_by_row_and_nothing_is_written(people: Any) -> None:
    bad = [
        *GOOD,
        ["BH3", "7-1", "常住", "", "错号", "410102194003120027", "", "户主", "常住"],  # row 5
        ["BH3", "7-2", "常住", "", "错电话", make_id("19600101", "062"), "12345", "户主", "常住"],
        ["NOPE", "1", "常住", "", "无楼", make_id("19600101", "073"), "", "户主", "常住"],  # row 7
        ["TB5", "1", "常住", "", "越界", make_id("19600101", "084"), "", "户主", "常住"],  # row 8
        ["BH3", "7-3", "租住", "", "怪类型", make_id("19600101", "095"), "", "表哥", "常住"],
        ["BH3", "7-4", "常住", "", "重复", make_id("19720808", "031"), "", "户主", "常住"],
    ]
    report = persons_import(actor=people["worker_a"], data=sheet(bad))
    assert not report.ok and report.rows == 9
    by_row: dict[int, list[str]] = {}
    for row, msg in report.errors:
        by_row.setdefault(row, []).append(msg)
    assert sorted(by_row) == [5, 6, 7, 8, 9, 10]
    assert "校验位" in by_row[5][0]
    assert "手机或固定电话" in by_row[6][0]
    assert "NOPE" in by_row[7][0]
    assert "TB5" in by_row[8][0]  # grid B's building is unknown to grid A's worker
    assert any("户类型" in m for m in by_row[9]) and any("关系" in m for m in by_row[9])
    assert "第 2 行重复" in by_row[10][0]
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert Move.objects.count() == 0


def test_a_number_already_on_the_register_is_a_row_error(
    people: Any, register: dict[str, Any]
) -> None:
    row = ["BH3", "9-9", "常住", "", "又一次", make_id("19400312", "002"), "", "户主", "常住"]
    report = persons_import(actor=people["community"], data=sheet([row]))
    assert report.errors == [(2, "身份证号码已登记")]


def test_import_page_shows_the_report(people: Any) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    bad = [["NOPE", "1", "常住", "", "无楼", make_id("19600101", "073"), "", "户主", "常住"]]
    resp = client.post("/residents/import/", {"file": io.BytesIO(sheet(bad))}, format="multipart")
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "未导入任何数据" in body and "NOPE" in body
    resp = client.post("/residents/import/", {"file": io.BytesIO(b"not excel")})
    assert resp.status_code == 422 and ".xlsx" in resp.content.decode()
    upload = io.BytesIO(sheet(GOOD))
    upload.name = "persons.xlsx"
    resp = client.post("/residents/import/", {"file": upload})
    assert resp.status_code == 200 and "已导入 3 人" in resp.content.decode()


def _rows(data: bytes) -> list[list[Any]]:
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_is_masked_unless_the_role_may_and_then_audited(
    people: Any, register: dict[str, Any]
) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    resp = client.get("/residents/export/")
    assert resp.status_code == 200
    rows = _rows(resp.content)
    assert [r[2] for r in rows[1:]] == ["张桂芳"]  # grid A only
    assert rows[1][5] == "410102********0028" and rows[1][6] == "136****5678"
    assert rows[1][9] == "独居老人"
    assert client.get("/residents/export/?full=1").status_code == 403
    assert PersonalDataAccess.objects.count() == 0

    community = Client()
    community.force_login(people["community"])
    rows = _rows(community.get("/residents/export/?full=1").content)
    assert {r[5] for r in rows[1:]} == {make_id("19400312", "002"), make_id("19800515", "013")}
    audit = PersonalDataAccess.objects.filter(actor=people["community"])
    assert audit.count() == 4  # two persons × (ID number, phone)
    assert set(audit.values_list("field", flat=True)) == {"id_number", "phone"}


def test_export_service_refuses_full_data_to_a_worker(people: Any, register: Any) -> None:
    with pytest.raises(PermissionDenied):
        persons_export(actor=people["worker_a"], persons=[register["elder"]], unmasked=True)


def test_export_refuses_more_than_the_limit(
    people: Any, register: dict[str, Any], monkeypatch: Any
) -> None:
    from wangge.residents import views

    monkeypatch.setattr(views, "EXPORT_LIMIT", 1)
    client = Client()
    client.force_login(people["community"])
    resp = client.get("/residents/export/?residence=huji")
    assert resp.status_code == 302 and resp["Location"] == "/residents/?residence=huji"
    assert client.get("/residents/export/?grid=410102001002002").status_code == 200


def test_unknown_reveal_field_is_a_404(people: Any, register: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["community"])
    assert client.post(f"/residents/persons/{register['elder'].pk}/reveal/name/").status_code == 404
    assert PersonalDataAccess.objects.count() == 0
