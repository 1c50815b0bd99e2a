"""Case search (selectors.search_cases): by number, by the reporter's phone through its keyed
hash, by words of the address, title or description; and, on PostgreSQL, through the trigram
indexes rather than a scan of the table."""

import random
from typing import Any

import pytest
from django.db import connection

from tests.cases.conftest import IN_A1
from wangge.cases.models import Case, Channel
from wangge.cases.selectors import CaseFilter, case_list, search_cases
from wangge.core import pii


@pytest.fixture
def three(report: Any) -> dict[str, Case]:
    return {
        "vendor": report(
            "小区门口有人摆摊占道，堵住出入口",
            address="伊河路百花里3号楼",
            reporter_phone="13812345678",
        ),
        "heating": report(
            "家里暖气不热，室温只有十二度",
            category="GN-01",
            address="桐柏路123号院5号楼",
            reporter_phone="0371-6789 1234",
        ),
        "wire": report("楼道里有人飞线充电，很危险", category="XF-01", address="伊河路百花里3号楼"),
    }


def found(q: str) -> set[int]:
    return set(search_cases(Case.objects.all(), q).values_list("pk", flat=True))


def test_a_case_number_finds_that_case_exactly_and_by_its_beginning(three: dict[str, Case]) -> None:
    heating = three["heating"]
    assert heating.number
    assert found(heating.number) == {heating.pk}
    # The dispatcher reads the first digits off a slip: the prefix finds all of that day's cases.
    day = heating.number[:8]
    assert found(day) == {c.pk for c in three.values()}


def test_a_phone_finds_the_reporters_cases_through_the_hash_without_decrypting(
    three: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decrypt(token: str) -> str:
        raise AssertionError("search must not decrypt rows")

    monkeypatch.setattr(pii, "decrypt", no_decrypt)
    assert found("138 1234 5678") == {three["vendor"].pk}
    # A landline as a caller says it, with the area code and a dash.
    assert found("0371-67891234") == {three["heating"].pk}
    assert found("13900000000") == set()


def test_address_words_find_every_case_at_that_place(three: dict[str, Case]) -> None:
    assert found("百花里3号楼") == {three["vendor"].pk, three["wire"].pk}
    assert found("桐柏路") == {three["heating"].pk}


def test_words_of_the_text_must_all_appear(three: dict[str, Case]) -> None:
    assert found("飞线充电") == {three["wire"].pk}
    assert found("百花里 摆摊") == {three["vendor"].pk}
    assert found("暖气") == {three["heating"].pk}


def test_no_match_is_an_empty_list_and_a_blank_query_is_no_filter(three: dict[str, Case]) -> None:
    assert found("井盖丢失") == set()
    assert found("   ") == {c.pk for c in three.values()}


def test_the_case_list_filter_searches_the_same_way(
    three: dict[str, Case], people: dict[str, Any]
) -> None:
    rows = case_list(people["dispatcher"], CaseFilter(q="13812345678"))
    assert [c.pk for c in rows] == [three["vendor"].pk]


WORDS = [
    "小区",
    "门口",
    "垃圾",
    "噪音",
    "路灯",
    "停车",
    "漏水",
    "绿化",
    "下水道",
    "电梯",
    "物业",
    "施工",
    "油烟",
    "占道",
    "积水",
    "破损",
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_searches_text_through_the_trigram_indexes(db: Any) -> None:
    """20 000 cases, statistics gathered: the planner itself picks the trigram index for a
    word that few cases contain (no `enable_seqscan=off`). Searches of one or two characters
    have no trigram and are scanned; the desk's searches are usually longer."""
    rnd = random.Random(7)
    rows = []
    for i in range(20_000):
        words = "，".join(rnd.choice(WORDS) for _ in range(8))
        rare = "井盖丢失需要更换" if i % 2_000 == 0 else ""
        rows.append(
            Case(
                number=f"20260101{i:06d}",
                title=words[:30],
                description=f"{words}{rare}",
                address=f"建设路{rnd.randint(1, 400)}号院{rnd.randint(1, 20)}号楼",
                channel=Channel.HOTLINE,
                lon=IN_A1[0],
                lat=IN_A1[1],
            )
        )
    Case.objects.bulk_create(rows, batch_size=2_000)
    with connection.cursor() as cursor:
        # What autovacuum does on a live table: fold the GIN indexes' pending lists (a bulk
        # insert leaves every new row there) and gather statistics.
        for column in ("title", "description", "address"):
            cursor.execute(
                "SELECT gin_clean_pending_list(%s::regclass)", [f"cases_case_{column}_trgm"]
            )
        cursor.execute("ANALYZE cases_case")

    qs = search_cases(Case.objects.all(), "井盖丢失")
    plan = qs.explain()
    assert "cases_case_description_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert qs.count() == 10

    plan = search_cases(Case.objects.all(), "建设路17号院").explain()
    assert "cases_case_address_trgm" in plan, plan
