"""The desk's search box (/cases/desk/?q=…) looks through every status of the dispatcher's own
area, whichever status tab is open, and says which status each hit is in: a 12345 caller ringing
back about a case already dispatched or closed, read out by number, phone tail, address, estate
or name, was 共 0 件 from the queue the desk opens on."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.cases.test_desk import client_for, numbers_on, seed
from wangge.cases.models import Case, Status
from wangge.core import pii


@pytest.fixture
def callers(people: dict[str, Any], report: Any) -> dict[str, Case]:
    """Three cases of one street at three stages, and one of another street."""
    desk = people["dispatcher"]
    waiting = report(
        "小区门口有人摆摊占道",
        address="伊河路文化苑3号楼",
        reporter_name="张先生",
        reporter_phone="13912345678",
        actor=desk,
        channel="hotline",
    )
    dispatched = report(
        "楼道灯坏了好几天",
        address="桐柏路春晓花园5号楼",
        reporter_name="李女士",
        reporter_phone="13987654321",
        actor=desk,
        channel="hotline",
    )
    closed = report(
        "垃圾桶满了没人清",
        address="建设路文化苑7号楼",
        reporter_name="王大爷",
        actor=desk,
        channel="hotline",
    )
    # Whatever intake's routing made of them: one waits at the desk, one is out, one closed.
    Case.objects.filter(pk=waiting.pk).update(status=Status.PENDING)
    Case.objects.filter(pk=dispatched.pk).update(status=Status.DISPATCHED)
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    (elsewhere,) = seed(1, address="伊河路文化苑9号楼", reporter_name="张先生")
    Case.objects.filter(pk=elsewhere.pk).update(grid_path="410102999/", street=None)
    return {"waiting": waiting, "dispatched": dispatched, "closed": closed, "elsewhere": elsewhere}


def desk(c: Client, **params: Any) -> str:
    return c.get("/cases/desk/", params).content.decode()


def test_every_way_a_caller_names_a_case_finds_it_from_the_queue_tab(
    people: dict[str, Any], callers: dict[str, Case]
) -> None:
    c = client_for(people["dispatcher"])
    dispatched, closed = callers["dispatched"], callers["closed"]
    assert dispatched.number and closed.number
    # The desk as it opens lists the queue only: neither is on it.
    opening = numbers_on(desk(c))
    assert dispatched.number not in opening and closed.number not in opening
    # No status parameter at all: the box as the desk opens.
    assert numbers_on(desk(c, q=dispatched.number)) == [dispatched.number]
    assert numbers_on(desk(c, q=dispatched.number[-5:])) == [dispatched.number]
    assert numbers_on(desk(c, q="4321")) == [dispatched.number]  # 尾号
    assert numbers_on(desk(c, q="139 8765 4321")) == [dispatched.number]
    assert numbers_on(desk(c, q="春晓花园")) == [dispatched.number]  # an estate's name
    assert numbers_on(desk(c, q="王大爷")) == [closed.number]  # the caller's name
    # A tab chosen on purpose is looked past too.
    assert numbers_on(desk(c, q="王大爷", status="pending")) == [closed.number]


def test_the_search_stays_in_the_dispatchers_own_area(
    people: dict[str, Any], callers: dict[str, Case]
) -> None:
    c = client_for(people["dispatcher"])
    found = set(numbers_on(desk(c, q="文化苑")))
    assert found == {callers["waiting"].number, callers["closed"].number}
    assert callers["elsewhere"].number not in set(numbers_on(desk(c, q="张先生")))


def test_each_hit_says_its_status_and_the_line_above_counts_them(
    people: dict[str, Any], callers: dict[str, Case]
) -> None:
    page = desk(client_for(people["dispatcher"]), q="文化苑")
    line = re.search(r'<p class="desk-search hint" id="desk-search"[^>]*>(.*?)</p>', page, re.S)
    assert line is not None
    text = re.sub(r"<[^>]+>", "", line.group(1))
    assert "全部状态" in text and "不限于“待分拨（待受理、已退单）”" in text
    assert "待受理 1 件" in text and "已结案 1 件" in text
    closed = callers["closed"]
    row = re.search(rf'<tr data-case="{closed.pk}".*?</tr>', page, re.S)
    assert row is not None
    assert '<div class="status-tag">已结案</div>' in row.group(0)


def test_no_hit_says_what_the_box_searches(
    people: dict[str, Any], callers: dict[str, Case]
) -> None:
    page = desk(client_for(people["dispatcher"]), q="不存在的小区")
    assert "共 0 件" in page
    assert "没有找到。可输入事件编号" in page


def test_the_phone_search_never_decrypts_a_row(
    people: dict[str, Any], callers: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decrypt(token: str) -> str:
        raise AssertionError("the desk's search must not decrypt rows")

    monkeypatch.setattr(pii, "decrypt", no_decrypt)
    page = desk(client_for(people["dispatcher"]), q="5678")
    assert numbers_on(page) == [callers["waiting"].number]


def test_a_search_costs_a_fixed_number_of_queries(
    people: dict[str, Any], callers: dict[str, Case], django_assert_max_num_queries: Any
) -> None:
    seed(40)
    c = client_for(people["dispatcher"])
    desk(c, q="热线")  # warm the session and the caches
    with django_assert_max_num_queries(20):
        page = desk(c, q="热线")
    assert len(numbers_on(page)) == 40


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_finds_a_name_through_its_trigram_index(db: Any) -> None:
    """The caller's name is searched as the title, description and address are: through a
    trigram index on UPPER(reporter_name), not a scan (migration 0026)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_case_reporter_name_trgm'"
        )
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0] and "upper" in row[0].lower()
