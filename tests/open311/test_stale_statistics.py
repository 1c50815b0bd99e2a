"""The Open311 page's plan does not depend on fresh planner statistics.

A district's case table grows from a few hundred rows to tens of thousands between two
ANALYZEs (autovacuum off, or behind on a busy cluster). Its statistics then describe the old
rows only: a 90-day window of new cases is thought to hold a handful, and PostgreSQL read the
whole window and sorted it for every page of 100 (180 ms of its CPU). The page must walk the
newest-first index and stop at its last row, whatever the statistics say."""

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection

from tests.open311.conftest import Open311
from tests.open311.test_requests import _copies, file_request
from wangge.cases.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]
ANALYZED_AT = 200
GROWN_BY = 73_000
# A page of 100 from the index reads about 120 shared buffers here (the index's leaf pages
# and the rows' heap pages); the sorted window read 11,000.
BUFFERS_BOUND = 500


@pytest.fixture
def page_plans() -> Iterator[list[dict[str, Any]]]:
    """EXPLAIN (ANALYZE, BUFFERS) of each page statement, run where the request runs it (with
    the request's settings), just before the statement itself."""
    plans: list[dict[str, Any]] = []

    def explain(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        if sql.startswith("SELECT") and '"cases_case"."created_at" >= ' in sql and "LIMIT" in sql:
            cursor = context["cursor"]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
            plans.append(plan[0] if isinstance(plan, list) else json.loads(plan)[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain):
        yield plans


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _grow_without_analyze(n: int) -> None:
    """`n` cases filed over the last 60 days, written as one INSERT … SELECT from a case."""
    columns = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    values = {
        "number": "'S' || lpad(g::text, 9, '0')",
        "external_id": "NULL",
        "created_at": "now() - interval '1 minute' * (g %% 86400)",  # 60 days, evenly
    }
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    chosen = ", ".join(values.get(c, f"c.{connection.ops.quote_name(c)}") for c in columns)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO cases_case ({quoted}) SELECT {chosen}"  # noqa: S608 (column names)
            " FROM (SELECT * FROM cases_case ORDER BY id LIMIT 1) c, generate_series(1, %s) g",
            [n],
        )


@pytest.mark.parametrize("who", ["admin", "dispatcher"])
def test_a_page_walks_the_newest_first_index_after_the_table_grew_unanalysed(
    o311: Open311, keys: dict[str, str], who: str, page_plans: list[dict[str, Any]]
) -> None:
    with connection.cursor() as cur:
        cur.execute("ALTER TABLE cases_case SET (autovacuum_enabled = false)")
    # The district's first 200 cases, from before the window; analysed then.
    _copies(file_request(o311, keys["dispatcher"]), ANALYZED_AT - 1)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE cases_case SET created_at = now() - interval '100 days'"
            " - interval '36 hours' * (id % 200)"  # 100 to 400 days ago, evenly
        )
        cur.execute("ANALYZE cases_case")
    _grow_without_analyze(GROWN_BY)
    with connection.cursor() as cur:
        cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'cases_case'")
        assert cur.fetchone()[0] <= ANALYZED_AT  # the statistics still describe 200 rows

    resp = o311.get("requests", api_key=keys[who])

    assert resp.status_code == 200 and len(resp.json()) == 100
    [plan] = page_plans
    nodes = list(_nodes(plan["Plan"]))
    scans = [n for n in nodes if n.get("Relation Name") == "cases_case"]
    assert [(n["Node Type"], n.get("Index Name")) for n in scans] == [
        ("Index Scan", "case_newest_first")
    ], json.dumps(plan, indent=1)
    assert not [n for n in nodes if n["Node Type"] == "Sort"]
    assert scans[0]["Actual Rows"] <= 101  # stopped at the page's end, never read the window
    top = plan["Plan"]
    read = top["Shared Hit Blocks"] + top["Shared Read Blocks"]
    assert read <= BUFFERS_BOUND, read
