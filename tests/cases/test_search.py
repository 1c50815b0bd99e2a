"""Case search (selectors.search_cases): by number, by the reporter's phone through its keyed
hash, by words of the address, title or description; and, on PostgreSQL, through the trigram
indexes rather than a scan of the table."""

import random
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
            # Pinned where that building stands: a pin elsewhere would show the place at the pin.
            at=(113.6060, 34.7520),
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


# --- numbers read out on the phone: the end of a case number or of a phone -------------------


def test_the_last_digits_of_a_case_number_find_that_case(three: dict[str, Case]) -> None:
    heating = three["heating"]
    assert heating.number
    for digits in (4, 5, 6):
        assert found(heating.number[-digits:]) == {heating.pk}
    # Read out with a pause: "0 0 0 2".
    assert found(" ".join(heating.number[-4:])) == {heating.pk}
    # Three digits are too few to mean one case (they match no tail).
    assert heating.pk not in found(heating.number[-3:])


def test_the_last_four_digits_of_a_phone_find_the_reporter_without_decrypting(
    three: dict[str, Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_decrypt(token: str) -> str:
        raise AssertionError("search must not decrypt rows")

    monkeypatch.setattr(pii, "decrypt", no_decrypt)
    assert found("5678") == {three["vendor"].pk}  # 138****5678, as the desk shows it
    assert found("1234") == {three["heating"].pk}  # a landline's 037*****1234
    assert found("9999") == set()


def test_the_phone_tail_is_stored_as_a_keyed_hash_of_its_own(three: dict[str, Case]) -> None:
    vendor = Case.objects.get(pk=three["vendor"].pk)
    assert vendor.reporter_phone_masked == "138****5678"
    tail = vendor.reporter_phone_tail_hash
    assert len(tail) == 64 and "5678" not in tail
    # Apart from the full numbers' hashes: the tail's hash is no hash of "5678" as a phone.
    assert tail == pii.phone_tail_hash("5678") != pii.phone_hash("5678")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_tail_hash_of_cases_already_stored(
    people: dict[str, Any],
) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("cases", "0012_case_indexes_led_by_composites")])
    old = executor.loader.project_state([("cases", "0012_case_indexes_led_by_composites")]).apps
    OldCase = old.get_model("cases", "Case")
    caller = OldCase.objects.create(
        number="20260101004321",
        title="来电",
        description="路灯坏了",
        reporter_phone_encrypted=pii.encrypt("13912345678"),
        reporter_phone_hash=pii.phone_hash("13912345678"),
        reporter_phone_masked="139****5678",
    )
    silent = OldCase.objects.create(number="20260101004322", title="巡查", description="井盖")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Case.objects.get(pk=caller.pk).reporter_phone_tail_hash == pii.phone_tail_hash("5678")
    assert Case.objects.get(pk=silent.pk).reporter_phone_tail_hash == ""
    assert found("5678") == {caller.pk}
    assert found("4321") == {caller.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_finds_tails_through_indexes(db: Any) -> None:
    """20 000 cases, statistics gathered: a number's tail is looked up in its trigram index
    and a phone's tail in its hash index, not by reading the table."""
    rows = [
        Case(
            number=f"20260101{i:06d}",
            title="来电",
            description="路灯不亮",
            channel=Channel.HOTLINE,
            reporter_phone_masked=f"138****{i % 10_000:04d}",
            reporter_phone_tail_hash=pii.phone_tail_hash(f"{i % 10_000:04d}"),
        )
        for i in range(20_000)
    ]
    Case.objects.bulk_create(rows, batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('cases_case_number_trgm'::regclass)")
        cursor.execute("ANALYZE cases_case")

    qs = search_cases(Case.objects.all(), "012345")
    plan = qs.explain()
    assert "cases_case_number_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan
    assert [c.number for c in qs] == ["20260101012345"]

    qs = search_cases(Case.objects.all(), "7321")
    plan = qs.explain()
    assert "Seq Scan" not in plan, plan
    # Phone …7321 twice (7321, 17321); case numbers ending 7321 are the same two rows.
    assert sorted(c.number for c in qs) == ["20260101007321", "20260101017321"]
