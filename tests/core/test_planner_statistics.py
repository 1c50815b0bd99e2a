"""Bulk commands leave the planner fresh statistics: each ends with `core.db.analyze` over the
tables it filled, on PostgreSQL and on SQLite alike (docs/architecture.md)."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import tree_features
from wangge.cases.models import CalendarDay
from wangge.core.db import analyze
from wangge.demo import seed
from wangge.grids.models import Building, GridNode

pytestmark = pytest.mark.django_db

# What the bulk commands send is read from the statements they run: ANALYZE is PostgreSQL's
# alone (core.db.analyze says why SQLite is left without statistics).
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ANALYZE runs on PostgreSQL only"
)
ROOT = Path(__file__).resolve().parents[2]
KB = ROOT / "bench" / "data" / "unseen_kb" / "kb.jsonl"
# Commands that write rows by the thousand: each names its tables to `analyze`.
BULK = re.compile(r"^(import|load|seed)_")


def _analyzed(queries: list[dict[str, str]]) -> set[str]:
    """The tables the captured statements analysed ("*" for the whole database)."""
    tables: set[str] = set()
    for q in queries:
        sql = q["sql"].strip()
        if sql.upper().startswith("ANALYZE"):
            named = sql[len("ANALYZE") :].strip()
            tables |= {t.strip().strip('"') for t in named.split(",")} if named else {"*"}
    return tables


def test_analyze_refreshes_the_statistics_of_the_tables_named(tree: Any) -> None:
    analyze(GridNode)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT reltuples FROM pg_class WHERE relname = 'grids_gridnode'")
            assert cur.fetchone()[0] == GridNode.objects.count()
        else:
            # SQLite keeps planning without statistics (core.db.analyze says why).
            cur.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'")
            assert cur.fetchone()[0] == 0
    analyze()  # the whole database: also fine on both


def test_every_bulk_command_ends_with_analyze() -> None:
    commands = [
        p for p in (ROOT / "wangge").glob("*/management/commands/*.py") if BULK.match(p.stem)
    ]
    assert {p.stem for p in commands} >= {
        "import_grids", "import_buildings", "import_kb", "seed_demo", "load_catalogue",
        "load_calendar",
    }  # fmt: skip
    missing = [p.stem for p in commands if "analyze(" not in p.read_text()]
    assert missing == []


@postgres_only
def test_import_grids_and_buildings_analyse_the_grid_tables(tmp_path: Path) -> None:
    grids = tmp_path / "grids.geojson"
    grids.write_text(json.dumps({"type": "FeatureCollection", "features": tree_features()}))
    buildings = tmp_path / "buildings.csv"
    buildings.write_text("address,lon,lat\n中原区伊河路百花里1号楼,113.6010,34.7510\n")
    # Each analyses what it wrote: the tree and its history, then the buildings (sampling the
    # tree again after every buildings file cost a city's import for nothing).
    wrote = {
        "import_grids": {GridNode._meta.db_table, GridNode.history.model._meta.db_table},
        "import_buildings": {Building._meta.db_table},
    }
    for command, path in (("import_grids", grids), ("import_buildings", buildings)):
        with CaptureQueriesContext(connection) as queries:
            call_command(command, str(path), stdout=None)
        assert _analyzed(queries.captured_queries) == wrote[command], command


@postgres_only
def test_import_kb_analyses_the_knowledge_base() -> None:
    with CaptureQueriesContext(connection) as queries:
        call_command("import_kb", str(KB), "--replace", stdout=None)
    assert "assistant_knowledgeitem" in _analyzed(queries.captured_queries)


@postgres_only
def test_the_calendar_and_catalogue_loads_analyse_their_tables() -> None:
    for command in ("load_calendar", "load_catalogue"):
        with CaptureQueriesContext(connection) as queries:
            call_command(command, stdout=None)
        assert CalendarDay._meta.db_table in _analyzed(queries.captured_queries), command


@postgres_only
def test_seed_demo_analyses_the_whole_database(monkeypatch: pytest.MonkeyPatch) -> None:
    class Report:
        nodes: dict[str, int] = {}
        buildings = cases = 0

    # The district itself takes most of a minute (tests/demo); here only what follows it.
    monkeypatch.setattr(seed, "seed", lambda seed_value: Report())
    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", stdout=None)
    assert _analyzed(queries.captured_queries) == {"*"}
