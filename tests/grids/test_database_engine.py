"""The database engine (GRID_ENGINE=database): PostGIS locates and pg_trgm finds address
candidates behind the memory engine's interfaces, with the memory engine's answers.

PostgreSQL only (the make target `postgis-deps` installs PostGIS before the suite migrates its
database); on SQLite the engine is refused at start and its migration does nothing.
"""

import copy
import importlib
import io
import itertools
import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction
from shapely.geometry import shape

from tests.conftest import GRID_A, MICRO_A1, MICRO_A2, box, feature, tree_features
from tests.grids.test_spatial import CASES, SHAPES, lat, lon
from wangge.grids import address_eval, dbengine, indexes, selectors
from wangge.grids.addresses import AddressIndex
from wangge.grids.addresses import forms as forms_module
from wangge.grids.addresses.places import Gazetteer
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.services import buildings_import, grids_import, grids_import_file
from wangge.grids.spatial import GridIndex, GridShape, Hit

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
ROOT = Path(__file__).resolve().parents[2]

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database engine runs on PostgreSQL only"
)


@pytest.fixture(scope="module")
def engine_schema(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The engine's schema for this module's tests, as `grid_engine_rebuild` installs it: the
    suite's database is migrated with the memory engine, which leaves it out. Dropped after,
    so the tests of other modules run without its triggers, as the memory engine's instances
    do."""
    if connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        call_command("grid_engine_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
        dbengine.schema._checked.clear()
        yield
        call_command("grid_engine_rebuild", "--remove", stdout=open(os.devnull, "w"))  # noqa: SIM115
        dbengine.schema._checked.clear()


@pytest.fixture
def database_engine(engine_schema: None, db: Any, settings: Any) -> Iterator[None]:
    """GRID_ENGINE=database for one test, with the engine's schema checked first: on
    PostgreSQL without PostGIS this fails, telling what to install, rather than skipping."""
    dbengine.require_installed()
    settings.GRID_ENGINE = "database"
    indexes.invalidate()
    indexes._forms_stored_for.clear()  # what a test before stored is rolled back
    yield
    indexes.invalidate()
    indexes._forms_stored_for.clear()


def _memory_index() -> GridIndex:
    rows = GridNode.objects.filter(
        level__in=(GridLevel.MICRO, GridLevel.EXCLUSIVE), boundary__isnull=False
    ).values_list("id", "code", "level", "boundary")
    return GridIndex(GridShape(id=i, code=c, level=lv, geometry=g) for i, c, lv, g in rows)


def _points_over(shapes: list[dict[str, Any]], count: int, seed: int) -> list[tuple[float, float]]:
    """Random points over the shapes' extent and a margin around it, and every vertex and
    edge midpoint of every shape: borders, shared corners and the outer edge, where the tie
    rule decides."""
    rng = random.Random(seed)
    geoms = [shape(g) for g in shapes]
    xs = [b for g in geoms for b in (g.bounds[0], g.bounds[2])]
    ys = [b for g in geoms for b in (g.bounds[1], g.bounds[3])]
    w, e, s, n = min(xs), max(xs), min(ys), max(ys)
    dx, dy = (e - w) * 0.05, (n - s) * 0.05
    points = [(rng.uniform(w - dx, e + dx), rng.uniform(s - dy, n + dy)) for _ in range(count)]
    for g in shapes:
        polygons = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                for (x0, y0), (x1, y1) in itertools.pairwise(ring):
                    points += [(x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2)]
    return points


def _save_shapes(shapes: list[GridShape]) -> dict[int, int]:
    """The spatial tests' layout as grid nodes (codes out of id order on purpose); the layout's
    ids → the nodes' ids."""
    ids = {}
    for s in shapes:
        code = f"9{s.code}"  # beside the test tree's codes, in the same order among themselves
        node = GridNode.objects.create(
            code=code, name=code, level=s.level, path=f"{code}/", boundary=s.geometry
        )
        ids[s.id] = node.pk
    return ids


# --------------------------------------------------------------------------- settings


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "GRID_ENGINE"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "wangge.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_database_engine_is_refused_at_start_without_postgresql(tmp_path: Path) -> None:
    started = _start(GRID_ENGINE="database", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert started.returncode != 0
    assert "GRID_ENGINE=database needs PostgreSQL" in started.stderr


def test_an_unknown_engine_is_refused_at_start() -> None:
    started = _start(GRID_ENGINE="postgis")
    assert started.returncode != 0
    assert "GRID_ENGINE must be 'memory' or 'database'" in started.stderr


def test_the_memory_engine_is_the_default(settings: Any) -> None:
    assert _start().returncode == 0
    assert django_settings.GRID_ENGINE in {"memory", "database"}


def test_with_the_memory_engine_the_migrations_leave_nothing_behind(db: Any) -> None:
    """The suite's database is migrated as a memory-engine instance is (on PostgreSQL with
    PostGIS offered, too): no shapes table, no trigger, no search column on the buildings."""
    assert django_settings.GRID_ENGINE == "memory"
    tables = connection.introspection.table_names()
    assert dbengine.SHAPE_TABLE not in tables
    assert dbengine.installed() == {"postgis": False, "pg_trgm": False}
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "grids_building"
        )
    ]
    assert "search_words" not in columns
    assert "search_keys" not in columns
    assert "grids_name_carrier" not in tables


@on_postgresql
def test_migrating_a_memory_engine_instance_drops_a_schema_installed_before(db: Any) -> None:
    """An instance migrated when the schema came with PostGIS whatever the setting: the next
    migration takes its triggers and search column away."""
    follows = importlib.import_module(
        "wangge.grids.migrations.0006_database_engine_follows_setting"
    )
    dbengine.install(connection, fill=True)
    assert dbengine.installed() == {"postgis": True, "pg_trgm": True}
    follows.forwards(None, SimpleNamespace(connection=connection))
    assert dbengine.installed() == {"postgis": False, "pg_trgm": False}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'grids_gridnode'::regclass "
            "AND tgname LIKE 'grids_shape%%'"
        )
        assert cursor.fetchone() == (0,)


@on_postgresql
def test_the_rebuild_command_refuses_to_remove_the_engine_it_serves(
    database_engine: None,
) -> None:
    with pytest.raises(CommandError, match="仍在使用数据库引擎"):
        call_command("grid_engine_rebuild", "--remove", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert dbengine.installed() == {"postgis": True, "pg_trgm": True}


# --------------------------------------------------------------------------- locating


@on_postgresql
@pytest.mark.parametrize(("xy", "expected"), [pytest.param(xy, h, id=n) for n, xy, h in CASES])
def test_postgis_answers_each_case_of_the_memory_index(
    database_engine: None, xy: tuple[float, float], expected: Hit
) -> None:
    ids = _save_shapes(SHAPES)
    hit = dbengine.SHAPE_LOCATOR.locate(lon(xy[0]), lat(xy[1]))
    assert hit == Hit(
        ids.get(expected.micro_id) if expected.micro_id else None,
        ids.get(expected.exclusive_id) if expected.exclusive_id else None,
    )


@on_postgresql
def test_both_engines_agree_on_random_and_border_points_of_the_test_tree(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _save_shapes(SHAPES)  # overlaps, a hole, two parts, codes out of id order
    shapes = [f["geometry"] for f in tree_features()] + [s.geometry for s in SHAPES]
    points = _points_over(shapes, 4000, seed=7)
    memory = _memory_index()
    assert [dbengine.SHAPE_LOCATOR.locate(x, y) for x, y in points] == [
        memory.locate(x, y) for x, y in points
    ]
    xs, ys = zip(*points, strict=True)
    assert dbengine.SHAPE_LOCATOR.locate_many(xs, ys) == memory.locate_many(xs, ys)
    monkeypatch.setattr(
        dbengine.locator, "_BATCH", 333
    )  # batches ending anywhere, a last one short
    assert dbengine.SHAPE_LOCATOR.locate_many(xs, ys) == memory.locate_many(xs, ys)


@on_postgresql
def test_both_engines_agree_over_the_lane_city(database_engine: None) -> None:
    text = (DATA / "lane_city" / "grids.geojson").read_text(encoding="utf-8")
    grids_import_file(text)
    buildings_import((DATA / "lane_city" / "buildings.csv").read_text(encoding="utf-8"))
    shapes = [
        g for g in GridNode.objects.filter(level="micro").values_list("boundary", flat=True) if g
    ]
    points = _points_over(shapes, 3000, seed=11)
    points += list(Building.objects.values_list("lon", "lat"))
    memory = _memory_index()
    assert len(dbengine.SHAPE_LOCATOR) == len(memory) > 30
    assert [dbengine.SHAPE_LOCATOR.locate(x, y) for x, y in points] == [
        memory.locate(x, y) for x, y in points
    ]
    # And through the selector every caller uses: each building's point in its micro-grid.
    for b in Building.objects.all():
        assert selectors.locate(lon=b.lon, lat=b.lat).micro_grid == b.micro_grid


@on_postgresql
def test_non_finite_points_are_refused_as_by_the_memory_index(database_engine: None) -> None:
    with pytest.raises(ValueError, match="有限数值"):
        dbengine.SHAPE_LOCATOR.locate(float("nan"), 34.75)
    with pytest.raises(ValueError, match="有限数值"):
        dbengine.SHAPE_LOCATOR.locate_many([113.6], [float("inf")])


@on_postgresql
def test_shapes_follow_every_write_of_the_tree(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    inside_a1 = (113.601, 34.752)
    assert selectors.locate(lon=inside_a1[0], lat=inside_a1[1]).micro_grid.code == MICRO_A1
    # Imported again with A2 grown over A1's half: the smaller code wins where they overlap.
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    MICRO_A2, "A2 微网格", "micro", GRID_A, box(113.600, 34.750, 113.604, 34.754)
                )
            ],
        }
    )
    assert selectors.locate(lon=113.6005, lat=34.752).micro_grid.code == min(MICRO_A1, MICRO_A2)
    # A boundary cleared, then a node deleted: their shapes go with them.
    a1 = GridNode.objects.get(code=MICRO_A1)
    a1.boundary = None
    a1.save()
    assert selectors.locate(lon=113.6005, lat=34.752).micro_grid.code == MICRO_A2
    Building.objects.filter(micro_grid__code=MICRO_A2).delete()
    GridNode.objects.filter(code=MICRO_A2).delete()
    with pytest.raises(Exception, match="不在任何网格内"):
        selectors.locate(lon=113.6005, lat=34.752)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM grids_shape WHERE code IN (%s, %s)", [MICRO_A1, MICRO_A2]
        )
        assert cursor.fetchone() == (0,)


@on_postgresql
def test_the_rebuild_command_refills_the_shapes(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM grids_shape")
    call_command("grid_engine_rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert len(dbengine.SHAPE_LOCATOR) == 4  # three micro-grids and the exclusive grid
    hit = selectors.locate(lon=113.602, lat=34.752)
    assert hit.exclusive_grid is not None


@on_postgresql
def test_a_warm_database_worker_builds_no_polygon_or_building_index(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As a fresh worker: whatever an earlier test of this process built is forgotten.
    monkeypatch.setattr(indexes._grid_index, "_value", None)
    monkeypatch.setattr(indexes._address_index, "_value", None)
    indexes.warm()
    assert indexes._grid_index._value is None and indexes._address_index._value is None
    assert isinstance(indexes.grid_index(), dbengine.ShapeLocator)
    assert isinstance(indexes.address_index(), dbengine.CandidateResolver)
    assert indexes._grid_index._value is None and indexes._address_index._value is None


# ------------------------------------------------------------------ address candidates

FOREIGN_SETS = ("lane_city", "rural_county", "hutong_town", "river_town", "unseen_district")


@on_postgresql
def test_the_database_engine_resolves_the_foreign_query_sets_as_well_as_the_memory_engine(
    database_engine: None, settings: Any
) -> None:
    """Every foreign district in one database (each other's rivals), each query set asked of
    both engines: the database's candidates must lose no answer the memory engine gives and
    add no misroute."""
    for folder in (*FOREIGN_SETS, "zhongyuan_sample"):
        grids_import_file((DATA / folder / "grids.geojson").read_text(encoding="utf-8"))
        buildings_import((DATA / folder / "buildings.csv").read_text(encoding="utf-8"))
    for folder in FOREIGN_SETS:
        queries = address_eval.read_queries(
            (DATA / folder / "queries.jsonl").read_text(encoding="utf-8")
        )
        assert address_eval.unknown_codes(queries) == []
        measured = {}
        for engine in ("memory", "database"):
            settings.GRID_ENGINE = engine
            indexes.invalidate()
            measured[engine] = address_eval.metrics(address_eval.run(queries))
        memory, database = measured["memory"], measured["database"]
        assert database.accuracy is not None and memory.accuracy is not None
        assert database.accuracy >= memory.accuracy, (folder, memory, database)
        assert database.misroutes <= memory.misroutes, (folder, memory, database)


def _buildings(micro: GridNode, *rows: tuple[str, str]) -> list[Building]:
    """Buildings of (code, address) at one spot of `micro`: these tests ask by address only."""
    return [
        Building.objects.create(
            code=code, address=address, lon=113.601, lat=34.752, micro_grid=micro
        )
        for code, address in rows
    ]


@on_postgresql
def test_the_search_words_follow_every_write_of_a_building(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    micro = GridNode.objects.get(code=MICRO_A1)
    (building,) = _buildings(micro, ("B1", "郑州市中原区桐柏路123号院5号楼"))
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building == building
    building.aliases = ["碧沙岗公园东门"]
    building.save()
    assert selectors.resolve_address(q="碧沙岗公园东门").building == building
    building.delete()
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building is None


@on_postgresql
def test_the_change_checks_see_every_write_of_a_building_and_of_the_tree(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """Other processes learn that the place names and the node table are stale from these
    figures, read through the engine's indexes: every write and delete must move them."""
    micro = GridNode.objects.get(code=MICRO_A1)
    before = indexes._building_signature()
    (building,) = _buildings(micro, ("B1", "郑州市中原区桐柏路123号院5号楼"))
    created = indexes._building_signature()
    assert created != before
    building.address = "郑州市中原区桐柏路123号院6号楼"
    building.save()
    edited = indexes._building_signature()
    assert edited != created
    building.delete()
    assert indexes._building_signature() != edited
    nodes = indexes._all_nodes_signature()
    micro.name = "桐柏路第二微网格"
    micro.save()
    assert indexes._all_nodes_signature() != nodes


@on_postgresql
def test_a_query_is_cut_into_words_and_keys_as_the_stored_addresses_are(
    database_engine: None,
) -> None:
    """The resolver cuts a query in Python, the database cuts each stored address in SQL:
    over every foreign district's addresses and aliases both cut alike, and each building
    holds the keys its own address asks with."""
    for folder in FOREIGN_SETS:
        grids_import_file((DATA / folder / "grids.geojson").read_text(encoding="utf-8"))
        buildings_import((DATA / folder / "buildings.csv").read_text(encoding="utf-8"))
    texts = [
        text
        for address, aliases in Building.objects.values_list("address", "aliases")
        for text in (address, *aliases)
    ]
    assert len(texts) > 500
    with connection.cursor() as cursor:
        cursor.execute("SELECT t, grids_search_words(t) FROM unnest(%s::text[]) AS t", [texts])
        cut = cursor.fetchall()
    assert [dbengine.keys._words(text) for text, _ in cut] == [words.split() for _, words in cut]
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, search_keys FROM grids_building")
        stored = cursor.fetchall()
    asked = 0
    for address, keys in stored:
        own = dbengine.query_keys([address])
        if own.exact:
            assert set(own.exact) & set(keys), address
            asked += 1
    assert asked > 300


def test_the_keys_hold_back_the_short_names_the_resolver_weighs_against_their_like_names() -> None:
    """`SHORT_NAME` is the resolver's own length (`AddressIndex._rival_names`): a name of that
    length one character from two others is refused even where only one has the number, and
    a name one longer is answered by its number. The keys take no near answer for the first."""
    for length, answered in ((dbengine.SHORT_NAME, False), (dbengine.SHORT_NAME + 1, True)):
        middle = "家" * (length - 3)
        index = AddressIndex(
            [(1, f"中原区新丰{middle}村128号", []), (2, f"中原区新峰{middle}村7号", [])]
        )
        found = index.resolve(f"新风{middle}村128号").building_id
        assert found == (1 if answered else None), length
        keys = dbengine.query_keys([f"新风{middle}村128号"])
        assert keys.short_name is not answered, length


def _no_trigram_scan(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the trigram index is asked for; asking it is recorded, not refused."""
    asked: list[str] = []
    scan = dbengine.candidate_rows

    def recorded(text: str, limit: int | None = None, forms: Any = None) -> list[Any]:
        asked.append(text)
        return scan(text, limit, forms)

    monkeypatch.setattr(dbengine.resolver, "candidate_rows", recorded)
    return asked


@on_postgresql
def test_the_keys_decide_what_every_building_would_and_nothing_else(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    micro = GridNode.objects.get(code=MICRO_A1)
    road = _buildings(
        micro, *((f"R{door}", f"郑州市中原区伏牛路{door}号院3号楼") for door in (10, 12, 14))
    )
    villages = _buildings(micro, ("V1", "中原区新丰村128号"), ("V2", "中原区新峰村7号"))
    asked = _no_trigram_scan(monkeypatch)

    # As stored, in a sentence, a long name mistyped: the keys decide, as the index would.
    assert selectors.resolve_address(q="伏牛路12号院3号楼").building == road[1]
    in_a_sentence = "您好，我家住伏牛路14号院3号楼，暖气不热"
    assert selectors.resolve_address(q=in_a_sentence).building == road[2]
    assert selectors.resolve_address(q="伏午路10号院3号楼").building == road[0]
    # A door no building has: refused, the road's buildings listed, still without the scan.
    missing = selectors.resolve_address(q="伏牛路99号院3号楼")
    assert missing.building is None
    assert {c.building_id for c in missing.resolution.candidates} <= {b.pk for b in road}
    # One character from two roads that both have the door: a tie, listed, never a guess.
    rivals = _buildings(micro, ("H1", "中原区华山路3870号"), ("H2", "中原区建设路3870号"))
    tie = selectors.resolve_address(q="华设路3870号")
    assert tie.building is None
    assert {c.building_id for c in tie.resolution.candidates} == {b.pk for b in rivals}
    assert asked == []

    # A short name one character from two others (新风村: 新丰村 or 新峰村?) is a guess, as
    # the index says over every like name: the one that has the number is not the answer.
    assert selectors.resolve_address(q="新风村128号").building is None
    assert selectors.resolve_address(q="新丰村128号").building == villages[0]
    assert selectors.resolve_address(q="新峰村7号").building == villages[1]


@pytest.mark.parametrize("engine", ["memory", "database"])
def test_a_building_number_after_a_road_is_its_door_only_where_no_place_numbers_one_so(
    tree: dict[str, GridNode], engine: str, settings: Any, request: pytest.FixtureRequest
) -> None:
    # 伏牛路80号院 numbers a 12号楼 inside: 伏牛路12号楼 may be it or the door 12, and is
    # refused. No place of the road numbers a 14号楼: 伏牛路14号楼(上漏水) is the door 14. The
    # database's keyed buildings hold the door but not 80号院 (keyed by its own door), so the
    # database engine must not take the door from them alone.
    if engine == "database":
        if connection.vendor != "postgresql":
            pytest.skip("the database engine needs PostgreSQL")
        request.getfixturevalue("database_engine")
    settings.GRID_ENGINE = engine
    micro = GridNode.objects.get(code=MICRO_A1)
    doors = _buildings(micro, ("D12", "中原区伏牛路12号"), ("D14", "中原区伏牛路14号"))
    _buildings(micro, *((f"Y{n}", f"中原区伏牛路80号院{n}号楼") for n in range(9, 13)))
    indexes.invalidate()
    assert selectors.resolve_address(q="伏牛路12号楼").building is None
    assert selectors.resolve_address(q="伏牛路14号楼").building == doors[1]
    assert selectors.resolve_address(q="伏牛路14号楼上漏水好几天了").building == doors[1]


@on_postgresql
def test_the_keys_round_trip_reads_each_building_once_with_every_stage_that_found_it(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """A building found by its road's name, its exact key and its near keys comes back once
    with the three stages marked, and `keyed_rows` lists it in each; one found by its name
    alone is a carrier only."""
    micro = GridNode.objects.get(code=MICRO_A1)
    found, other = _buildings(
        micro, ("R12", "中原区伏牛路12号院3号楼"), ("R14", "中原区伏牛路14号院3号楼")
    )
    resolver = indexes.address_index()
    assert isinstance(resolver, dbengine.CandidateResolver)
    keys = dbengine.query_keys(dbengine.query_parts("伏牛路12号院3号楼"), resolver._places)
    most = dbengine.KEYED_CAP + 1
    with connection.cursor() as cursor:
        cursor.execute(
            dbengine.keys._KEYED_ROWS_SQL,
            [list(keys.names), list(keys.exact), most, list(keys.near), most, ""],
        )
        fetched = cursor.fetchall()
    rows = {row[1]: (row[0], set(row[5] or [])) for row in fetched}
    assert len(fetched) == len(rows) == 2  # one row a building
    assert set(rows) == {found.pk, other.pk}
    assert rows[found.pk][0] == 0b111
    assert rows[other.pk][0] == 0b001
    assert "伏牛路" in rows[found.pk][1] and "伏牛路" in rows[other.pk][1]
    read = dbengine.keyed_rows(keys)
    assert [row[0] for row in read.carriers] == sorted([found.pk, other.pk])
    assert [row[0] for row in read.exact] == [found.pk]
    assert [row[0] for row in read.near] == [found.pk]
    assert "伏牛路" in read.known


@on_postgresql
def test_the_buildings_once_migration_goes_back_to_the_rows_of_before_and_forth_again(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """Back to 0011 the round trip gives one row a stage and a building again, which the code
    of before reads; forward, one row a building, and a resolve answers."""
    (building,) = _buildings(
        GridNode.objects.get(code=MICRO_A1), ("B1", "中原区桐柏路123号院5号楼")
    )
    migration = importlib.import_module(
        "wangge.grids.migrations.0012_database_engine_keyed_buildings_once"
    )
    editor = SimpleNamespace(connection=connection)

    def rows() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                dbengine.keys._KEYED_ROWS_SQL,
                [["桐柏路"], ["桐柏路 123"], 9, ["~桐路 123"], 9, ""],
            )
            return cursor.fetchall()

    migration.backwards(None, editor)
    assert sorted((row[0], row[1]) for row in rows()) == [
        (0, building.pk),
        (1, building.pk),
        (2, building.pk),
    ]
    migration.forwards(None, editor)
    assert [(row[0], row[1]) for row in rows()] == [(0b111, building.pk)]
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building == building


def _carriers(key: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT b.code FROM grids_name_carrier c JOIN grids_building b ON b.id = c.building_id"
            " WHERE c.key = %s",
            [key],
        )
        return {code for (code,) in cursor.fetchall()}


@on_postgresql
def test_each_name_keeps_its_carriers_through_every_write_of_the_buildings(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """The few buildings kept for each name must hold it, and a name some building holds must
    keep them: after inserts one at a time and in bulk, edits, deletes and a truncate."""
    micro = GridNode.objects.get(code=MICRO_A1)

    def building(code: str, address: str) -> Building:
        return Building(code=code, address=address, lon=113.601, lat=34.752, micro_grid=micro)

    Building.objects.bulk_create(
        [building(f"S{n}", f"中原区伏牛路{n}号") for n in range(1, 6)]
        + [building("T1", "中原区桐柏路1号")]
    )
    assert _carriers("伏牛路") == {"S1", "S2", "S3"}
    assert len(_carriers("~伏路")) == dbengine.CARRIERS
    assert _carriers("桐柏路") == {"T1"}

    # A carrier deleted or renamed away from the name: another building that holds it.
    Building.objects.filter(code="S1").delete()
    refilled = _carriers("伏牛路")  # which of the others the index hands out first is its own
    assert len(refilled) == dbengine.CARRIERS and refilled <= {"S2", "S3", "S4", "S5"}
    s2 = Building.objects.get(code="S2")
    s2.address = "中原区桐柏路2号"
    s2.save()
    assert _carriers("伏牛路") == {"S3", "S4", "S5"}
    assert _carriers("桐柏路") == {"T1", "S2"}
    # The last building of a name gone: the name is gone.
    Building.objects.filter(code__in=["T1", "S2"]).delete()
    assert _carriers("桐柏路") == set()
    Building.objects.filter(code__in=["S3", "S4"]).update(aliases=["伏牛小区"])
    assert _carriers("伏牛小区") == {"S3", "S4"}
    assert _carriers("伏牛路") == {"S3", "S4", "S5"}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: TRUNCATE allowed
        cursor.execute("TRUNCATE grids_building CASCADE")
    assert _carriers("伏牛路") == set()


@on_postgresql
def test_the_carriers_migration_lets_go_of_extra_carriers_and_refills_only_what_a_name_lacks(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """An instance whose older refill left a name more carriers than CARRIERS: the migration
    keeps CARRIERS of them, and a carrier deleted after it is replaced by one building."""
    _buildings(
        GridNode.objects.get(code=MICRO_A1),
        *[(f"S{n}", f"中原区伏牛路{n}号") for n in range(1, 7)],
    )
    with connection.cursor() as cursor:  # what the older refill could leave
        cursor.execute(
            "INSERT INTO grids_name_carrier (key, building_id)"
            " SELECT '伏牛路', id FROM grids_building ON CONFLICT DO NOTHING"
        )
    assert len(_carriers("伏牛路")) == 6
    migration = importlib.import_module(
        "wangge.grids.migrations.0013_database_engine_carriers_refill"
    )
    migration.forwards(None, SimpleNamespace(connection=connection))
    assert _carriers("伏牛路") == {"S1", "S2", "S3"}
    Building.objects.filter(code="S1").delete()
    refilled = _carriers("伏牛路")
    assert len(refilled) == dbengine.CARRIERS and {"S2", "S3"} < refilled


def _read_apart(read: Callable[[], Any]) -> Any:
    """`read` on a connection of its own, as another worker process reads."""
    from django.db import connections

    out: list[Any] = []

    def run() -> None:
        try:
            out.append(read())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return out[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_another_process_sees_a_committed_delete_of_a_building(
    engine_schema: None, settings: Any
) -> None:
    """The change check counts deletes from the server's statistics, not the rows: another
    process must see a committed delete within seconds (the statistics arrive when the
    writer goes idle)."""
    settings.GRID_ENGINE = "database"
    grids_import({"type": "FeatureCollection", "features": tree_features()})
    micro = GridNode.objects.get(code=MICRO_A1)
    (building,) = _buildings(micro, ("B1", "郑州市中原区桐柏路123号院5号楼"))
    time.sleep(1.1)  # the insert's figures sent: the writer goes idle a second after
    before = _read_apart(dbengine.building_changes)
    building.delete()
    deadline = time.monotonic() + 15
    while _read_apart(dbengine.building_changes) == before:
        assert time.monotonic() < deadline, "a committed delete was not seen"
        time.sleep(0.2)


@on_postgresql
def test_the_keys_migration_installs_them_over_the_buildings_already_there(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """An instance that ran the engine before the keys existed (migration grids.0008): its
    buildings get their keys and their names' buildings, and resolve by them."""
    micro = GridNode.objects.get(code=MICRO_A1)
    (building,) = _buildings(micro, ("B1", "中原区桐柏路123号院5号楼"))
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: ALTER allowed
        cursor.execute(dbengine.schema._KEYS_DROP_SQL)
    assert "grids_name_carrier" not in connection.introspection.table_names()
    dbengine.install_keys(connection)
    assert _carriers("桐柏路") == {"B1"}
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building == building
    dbengine.install_keys(connection)  # installed already: nothing made twice
    assert _carriers("桐柏路") == {"B1"}


@on_postgresql
def test_the_kept_plans_migration_makes_the_lookups_an_instance_before_it_lacks(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """An instance that ran the engine before the lookups kept their plans (migration
    grids.0011): without the functions a resolve and a locate fail; the migration's steps make
    them, and both answer again."""
    micro = GridNode.objects.get(code=MICRO_A1)
    (building,) = _buildings(micro, ("B1", "中原区桐柏路123号院5号楼"))
    inside = selectors.locate(lon=building.lon, lat=building.lat).micro_grid
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP FUNCTION grids_keyed_rows(text[], text[], integer, text[], integer, text)"
        )
        cursor.execute("DROP FUNCTION grids_locate(float8, float8)")
    with pytest.raises(ProgrammingError, match="grids_keyed_rows"), transaction.atomic():
        selectors.resolve_address(q="桐柏路123号院5号楼")
    with pytest.raises(ProgrammingError, match="grids_locate"), transaction.atomic():
        selectors.locate(lon=building.lon, lat=building.lat)
    migration = importlib.import_module("wangge.grids.migrations.0011_database_engine_kept_plans")
    migration.forwards(None, SimpleNamespace(connection=connection))
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building == building
    assert selectors.locate(lon=building.lon, lat=building.lat).micro_grid == inside


# Each building the keys name read by its primary key, once for each of their rows (the
# lateral subquery under its LIMIT, which the planner cannot turn round).
BY_ID = "Index Scan using grids_building_pkey under Limit"


def _building_reads(query: str) -> list[str]:
    """How the keys' round trip reads the buildings for `query`: each plan node over
    grids_building, with its index and the node it runs under, in the plan `grids_keyed_rows`
    keeps (the generic one, made under the function's settings)."""
    resolver = indexes.address_index()
    assert isinstance(resolver, dbengine.CandidateResolver)
    keys = dbengine.query_keys(dbengine.query_parts(query), resolver._places)
    most = dbengine.KEYED_CAP + 1
    with connection.cursor() as cursor:
        # The function's own settings (its SET clauses, as the catalogue holds them), for the
        # statement explained here only.
        cursor.execute("SELECT unnest(proconfig) FROM pg_proc WHERE proname = 'grids_keyed_rows'")
        settings = [row[0].split("=", 1) for row in cursor.fetchall()]
        assert ["plan_cache_mode", "force_generic_plan"] in settings
        for name, value in settings:
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        cursor.execute(
            "PREPARE keyed_rows (text[], text[], integer, text[], integer, text) AS "
            + dbengine.schema._KEYED_QUERY
        )
        # EXECUTE takes no bound parameters: its values quoted into the text by the client.
        import psycopg  # the postgres extra's, as this test's database is

        quoting = psycopg.ClientCursor(connection.connection)
        try:
            quoting.execute(
                "EXPLAIN (FORMAT JSON) EXECUTE keyed_rows (%s::text[], %s::text[], %s, "
                "%s::text[], %s, %s)",
                [
                    list(keys.names),
                    list(keys.exact),
                    most,
                    list(keys.near),
                    most,
                    resolver._names.digest,
                ],
            )
            row = quoting.fetchone()
        finally:
            quoting.close()
            cursor.execute("DEALLOCATE keyed_rows")
            for name, _value in settings:
                cursor.execute(f"RESET {name}")
    assert row is not None
    plan = row[0] if isinstance(row[0], list) else json.loads(row[0])
    reads: list[str] = []

    def walk(node: dict[str, Any], parent: str) -> None:
        if node.get("Relation Name") == "grids_building":
            using = f" using {node['Index Name']}" if "Index Name" in node else ""
            reads.append(f"{node['Node Type']}{using} under {parent}")
        for child in node.get("Plans", []):
            walk(child, node["Node Type"])

    walk(plan[0]["Plan"], "")
    return reads


def _a_district_s_buildings(micro: GridNode) -> None:
    """20,000 buildings on eight roads, as an import of a district writes them."""
    roads = ["桐柏路", "建设路", "嵩山路", "伏牛路", "棉纺路", "中原路", "淮河路", "汝河路"]
    Building.objects.bulk_create(
        Building(
            code=f"K{i}",
            address=f"中原区{roads[i % len(roads)]}{i // len(roads) + 1}号院{i % 9 + 1}号楼",
            lon=113.601,
            lat=34.752,
            micro_grid=micro,
        )
        for i in range(20_000)
    )


@on_postgresql
def test_the_keys_round_trip_looks_a_district_s_buildings_up_by_id(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """Over a district's buildings, the few the keys find are looked up by id in the plan the
    round trip keeps, whatever the keys' lookup is expected to return: with the default
    estimate of 1,000 rows a call the join once read the whole table in id order (a merge
    join, 38 ms at 100,000 buildings; migration grids.0009 says 10), and the round trip is
    now written so that the buildings can only be read one by one for the keys' rows."""
    micro = GridNode.objects.get(code=MICRO_A1)
    _a_district_s_buildings(micro)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grids_building")
        cursor.execute("ANALYZE grids_name_carrier")
    indexes.invalidate()
    query = "您好，我家住在中原区桐柏路59号院6号楼，楼道里的灯坏了好几天了，麻烦尽快派人来修一下"
    with connection.cursor() as cursor:
        cursor.execute("ALTER FUNCTION grids_keyed(text[], integer) ROWS 1000")
    assert _building_reads(query) == [BY_ID]
    dbengine.keyed_function(connection)
    assert _building_reads(query) == [BY_ID]
    match = selectors.resolve_address(q=query)
    assert match.building is not None and match.building.address == "中原区桐柏路59号院6号楼"


@on_postgresql
def test_a_plan_kept_over_an_empty_district_reads_few_buildings_after_an_import(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """The round trip's plan is made once a session: made while the district had no
    buildings, it still looks the few a query names up by id once 20,000 are imported, before
    the statistics are taken again and after (ANALYZE makes it plan anew)."""
    micro = GridNode.objects.get(code=MICRO_A1)
    query = "您好，我家住在中原区桐柏路59号院6号楼，楼道里的灯坏了好几天了，麻烦尽快派人来修一下"
    # The statistics say the district is empty (an earlier test's ANALYZE outlives its
    # rollback: it writes them in place).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grids_building")
        cursor.execute("ANALYZE grids_name_carrier")
    assert selectors.resolve_address(q=query).building is None  # planned over no building
    _a_district_s_buildings(micro)
    indexes.invalidate()
    selectors.resolve_address(q="中原区建设路1号院2号楼")  # the place names read again first
    for analysed in (False, True):
        if analysed:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE grids_building")
                cursor.execute("ANALYZE grids_name_carrier")
        before = _rows_read("grids_building")
        match = selectors.resolve_address(q=query)
        assert match.building is not None and match.building.address == "中原区桐柏路59号院6号楼"
        assert _rows_read("grids_building") - before < 500, f"analysed={analysed}"


def _rows_read(table: str) -> int:
    """Rows of `table` this transaction has read so far, by any scan."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) "
            "FROM pg_stat_xact_user_tables WHERE relname = %s",
            [table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


@on_postgresql
def test_a_point_s_plan_kept_over_no_shape_reads_few_after_a_tree_is_imported(
    database_engine: None,
) -> None:
    """The point's lookup keeps its plan for the session: made while no grid had a shape (the
    statistics say so: an empty table is cheapest read whole), it still asks the spatial index
    once 3,000 micro-grids are imported."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grids_shape")
    assert dbengine.SHAPE_LOCATOR.locate(120.1005, 30.2005) == Hit(None, None)  # planned now
    GridNode.objects.bulk_create(
        GridNode(
            code=f"9{i:05d}",
            name=f"9{i:05d}",
            level=GridLevel.MICRO,
            path=f"9{i:05d}/",
            boundary=box(
                120 + (i % 60) * 0.01,
                30 + (i // 60) * 0.01,
                120 + (i % 60) * 0.01 + 0.009,
                30 + (i // 60) * 0.01 + 0.009,
            ),
        )
        for i in range(3_000)
    )
    before = _rows_read("grids_shape")
    found = dbengine.SHAPE_LOCATOR.locate(120.1005, 30.2005)
    assert found.micro_id == GridNode.objects.get(code="901210").pk
    assert _rows_read("grids_shape") - before < 10


def _stored_forms() -> dict[str, str]:
    """Each building's stored forms' digest of what they were parsed over, by its code ("gone"
    for a building deleted)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(b.code, 'gone'), f.parsed_with FROM grids_building_forms f "
            "LEFT JOIN grids_building b ON b.id = f.building_id"
        )
        return dict(cursor.fetchall())


def _parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The addresses parsed while resolving (the forms a process keeps emptied first)."""
    parsed: list[str] = []
    parse = forms_module.building_forms

    def recorded(gazetteer: Any, address: str, aliases: Any) -> Any:
        parsed.append(address)
        return parse(gazetteer, address, aliases)

    dbengine.resolver._forms_over.cache_clear()
    monkeypatch.setattr(forms_module, "building_forms", recorded)
    return parsed


@on_postgresql
def test_stored_forms_are_read_instead_of_parsed_and_answer_as_parsing_does(
    database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the worker's job, resolving a foreign district's queries parses no building and
    gives what parsing every building read gives, answer and candidates alike."""
    folder = DATA / "lane_city"
    grids_import_file((folder / "grids.geojson").read_text(encoding="utf-8"))
    buildings_import((folder / "buildings.csv").read_text(encoding="utf-8"))
    queries = address_eval.read_queries((folder / "queries.jsonl").read_text(encoding="utf-8"))
    texts = [q.query for q in queries]
    assert indexes.store_forms() == Building.objects.count() > 100
    assert indexes.store_forms() == 0  # nothing changed: nothing parsed again

    parsed = _parsing(monkeypatch)
    resolver = indexes.address_index()
    assert isinstance(resolver, dbengine.CandidateResolver)
    # Read once before the two passes compared: the buildings earlier tests wrote and rolled
    # back leave dead entries in the trigram index, which the first scans over them mark dead,
    # and that changes which of many equally near buildings the nearest-first scan returns
    # for a query nearly every building ties on (上海市长宁区3号). Both passes then read one
    # index.
    for text in texts:
        resolver.resolve_in_text(text)
    read = [resolver.resolve_in_text(text) for text in texts]
    assert parsed == []
    resolver._names.digest = "parsed over other place names"  # the stored forms are not current
    afresh = [resolver.resolve_in_text(text) for text in texts]
    assert len(parsed) > 100
    assert read == afresh
    assert sum(r.building_id is not None for r in read) > len(texts) // 2


@on_postgresql
def test_a_building_written_after_its_forms_were_stored_is_read_by_its_new_text(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A building edited, added or deleted after the job (through the admin, an import, raw
    SQL) is resolved by what it says now; a later run stores its forms again and drops
    those of a building gone."""
    micro = GridNode.objects.get(code=MICRO_A1)
    (first,) = _buildings(micro, ("B1", "中原区桐柏路123号院5号楼"))
    (other,) = _buildings(micro, ("B2", "中原区伏牛路7号"))
    assert indexes.store_forms() == 2
    stored = _stored_forms()
    assert set(stored) == {"B1", "B2"}

    # Rewritten behind the ORM's back: its stored forms are of the old text.
    Building.objects.filter(pk=first.pk).update(address="中原区嵩山路88号2号楼")
    parsed = _parsing(monkeypatch)
    assert selectors.resolve_address(q="嵩山路88号2号楼").building == first
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building is None
    assert "中原区嵩山路88号2号楼" in parsed
    assert "中原区伏牛路7号" not in parsed  # read, if at all, from what was stored

    # The next run reads the buildings written since the last (by `updated_at`): B3, not B1,
    # which the raw UPDATE left behind; the first run of a process reads them all and drops
    # the row of B2, deleted.
    other.delete()
    (added,) = _buildings(micro, ("B3", "中原区伏牛路9号"))
    assert indexes.store_forms() == 1
    assert set(_stored_forms()) == {"B1", "gone", "B3"}
    added.aliases = ["伏牛小区"]
    added.save()
    assert indexes.store_forms() == 1
    indexes._forms_stored_for.clear()  # another process, or this one restarted
    assert indexes.store_forms() == 1  # B1
    assert set(_stored_forms()) == {"B1", "B3"}
    del parsed[:]
    assert selectors.resolve_address(q="嵩山路88号2号楼").building == first
    assert selectors.resolve_address(q="伏牛小区").building == added
    assert parsed == []


@on_postgresql
def test_forms_parsed_over_other_place_names_are_stored_again(
    tree: dict[str, GridNode], database_engine: None
) -> None:
    """The place names in front of an address decide how it is parsed: renaming a street
    changes the digest the forms are stored against, and every building is parsed again."""
    micro = GridNode.objects.get(code=MICRO_A1)
    _buildings(micro, *[(f"B{n}", f"中原区桐柏路{n}号") for n in (1, 2, 3)])
    assert indexes.store_forms() == 3
    before = set(_stored_forms().values())
    street = GridNode.objects.filter(level=GridLevel.STREET).first()
    assert street is not None
    street.name = "新名称街道"
    street.save()
    indexes.invalidate()  # as the change check does within its interval
    assert indexes.store_forms() == 3
    after = set(_stored_forms().values())
    assert len(before) == len(after) == 1 and before != after


def _forms_table_bytes() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('grids_building_forms')")
        row = cursor.fetchone()
    assert row is not None
    return int(row[0])


def _lane_city_forms_stored() -> tuple[int, Gazetteer]:
    """The lane_city set imported and every building's forms stored: the count, and a copy of
    the place names they were parsed over (a test changes its digest as a parser change
    would)."""
    folder = DATA / "lane_city"
    grids_import_file((folder / "grids.geojson").read_text(encoding="utf-8"))
    buildings_import((folder / "buildings.csv").read_text(encoding="utf-8"))
    count = Building.objects.count()
    names = copy.copy(indexes._place_names.get())
    assert dbengine.fill_forms(names) == count
    return count, names


@on_postgresql
def test_storing_every_building_s_forms_again_does_not_leave_the_old_rows_beside_them(
    database_engine: None,
) -> None:
    """After the parser or the place names changed no stored row is current: the table is
    emptied before the buildings are stored again, instead of each row being updated, which
    leaves the old one dead beside it and the table twice its size until a VACUUM FULL. A
    refill over rows still current (a run cut short) writes over them as before."""
    count, names = _lane_city_forms_stored()
    first = _forms_table_bytes()
    assert first >= 3 * 8192  # several pages: a table twice the size shows

    names.digest = "parsed by another version of the parser"
    assert dbengine.fill_forms(names) == count
    assert set(_stored_forms().values()) == {names.digest}
    assert _forms_table_bytes() <= first

    # One row stale among current ones: only it is written, over its old row.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE grids_building_forms SET parsed_with = 'stale' "
            "WHERE building_id = (SELECT min(building_id) FROM grids_building_forms)"
        )
    assert dbengine.fill_forms(names) == 1
    assert set(_stored_forms().values()) == {names.digest}


@on_postgresql
def test_a_refill_the_table_s_readers_hold_writes_over_the_rows_instead(
    database_engine: None,
) -> None:
    """Emptying the table waits for its readers 2 s at most (TRUNCATE's lock, and the readers
    queued behind it, would stall every resolve): past that, the buildings are stored over
    their rows as before, and the fill still stores every one."""
    count, names = _lane_city_forms_stored()
    reader = connection.get_new_connection(connection.get_connection_params())
    try:
        # Another process's query reading the table, its transaction still open.
        reader.execute("BEGIN")
        reader.execute("LOCK TABLE grids_building_forms IN ACCESS SHARE MODE")
        names.digest = "parsed by another version of the parser"
        started = time.monotonic()
        assert dbengine.fill_forms(names) == count
        waited = time.monotonic() - started
    finally:
        reader.close()
    assert set(_stored_forms().values()) == {names.digest}
    assert 2.0 <= waited < 30


@on_postgresql
def test_the_stored_forms_migration_and_command(
    tree: dict[str, GridNode], database_engine: None, settings: Any
) -> None:
    """An instance that ran the engine before the forms were stored (migration grids.0010)
    gets the table; `grid_engine_rebuild --forms` fills it at once, as the worker would."""
    micro = GridNode.objects.get(code=MICRO_A1)
    _buildings(micro, ("B1", "中原区桐柏路123号院5号楼"))
    with connection.cursor() as cursor:
        cursor.execute(dbengine.schema._FORMS_DROP_SQL)
    with pytest.raises(CommandError, match="尚未安装"):
        call_command("grid_engine_rebuild", "--forms", stdout=open(os.devnull, "w"))  # noqa: SIM115
    dbengine.install_forms(connection)
    out = io.StringIO()
    call_command("grid_engine_rebuild", "--forms", stdout=out)
    assert "已解析并保存 1 栋楼的地址形式" in out.getvalue()
    assert set(_stored_forms()) == {"B1"}
    assert selectors.resolve_address(q="桐柏路123号院5号楼").building is not None
    settings.GRID_ENGINE = "memory"  # nothing would read them
    with pytest.raises(CommandError, match="未启用"):
        call_command("grid_engine_rebuild", "--forms", stdout=open(os.devnull, "w"))  # noqa: SIM115


def test_the_worker_stores_no_forms_with_the_memory_engine(settings: Any) -> None:
    settings.GRID_ENGINE = "memory"
    assert indexes.store_forms() is None


def _fronts_read(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each reading of the addresses' fronts: None for all of them, else since when."""
    read: list[Any] = []
    fronts = dbengine.place_names._fronts

    def recorded(since: Any = None) -> Any:
        read.append(since)
        return fronts(since)

    monkeypatch.setattr(dbengine.place_names, "_fronts", recorded)
    return read


@on_postgresql
def test_the_place_names_grow_by_the_buildings_added_without_reading_every_address(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buildings only added by another process (an import into a city): this one learns the
    names in front of their addresses from theirs alone, and keeps the same place names, and
    the forms kept and stored over them, when they teach nothing new. An update or a delete
    reads every address again, and so does the process that wrote (`invalidate`: what it saw
    may be rolled back)."""
    micro = GridNode.objects.get(code=MICRO_A1)
    monkeypatch.setattr(indexes, "RECHECK_SECONDS", 0.0)  # every use asks what changed

    def added(code: str, address: str) -> None:  # as an import adds them: no signals
        Building.objects.bulk_create(
            [Building(code=code, address=address, lon=113.601, lat=34.752, micro_grid=micro)]
        )

    added("B1", "郑州市中原区桐柏路1号")
    read = _fronts_read(monkeypatch)
    first = indexes._place_names.get()
    assert read == [None] and "郑州市" in first.names()
    assert indexes._place_names.get() is first and len(read) == 1  # nothing changed

    added("B2", "郑州市中原区桐柏路2号")  # names known already
    assert indexes._place_names.get() is first
    assert len(read) == 2 and read[1] is not None

    added("B3", "河南省郑州市中原区伏牛路3号")  # a province no address named
    grown = indexes._place_names.get()
    assert grown is not first and "河南省" in grown.names() and grown.digest != first.digest
    assert len(read) == 3 and read[2] is not None
    assert selectors.resolve_address(q="河南省郑州市中原区伏牛路3号").building is not None

    Building.objects.filter(code="B3").update(address="郑州市中原区伏牛路3号")
    again = indexes._place_names.get()
    assert read[-1] is None  # every address read again: 河南省 is no longer written
    assert "河南省" not in again.names()
    assert again.digest == first.digest

    added("B4", "河南省郑州市中原区伏牛路4号")
    indexes.invalidate()
    assert "河南省" in indexes._place_names.get().names()
    assert read[-1] is None


@on_postgresql
def test_an_address_in_english_finds_a_road_added_since_without_reading_every_address(
    tree: dict[str, GridNode], database_engine: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names an address in English is translated with grow by the buildings added, as the
    place names do: a road another process added is found in English at once, without
    reading every front."""
    micro = GridNode.objects.get(code=MICRO_A1)
    monkeypatch.setattr(indexes, "RECHECK_SECONDS", 0.0)
    _buildings(micro, ("B1", "中原区桐柏路30号"))
    assert selectors.resolve_address(q="30 Tongbai Road").building is not None
    read = _fronts_read(monkeypatch)
    Building.objects.bulk_create(
        [Building(code="B2", address="中原区伏牛路66号", lon=113.601, lat=34.752, micro_grid=micro)]
    )
    found = selectors.resolve_address(q="66 Funiu Road").building
    assert found is not None and found.code == "B2"
    assert read and None not in read  # the new building's fronts only
    assert selectors.resolve_address(q="30 Tongbai Road").building is not None
