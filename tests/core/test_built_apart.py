"""Indexes built in a forked child for the warm start: the parent gets the same structure,
without the memory the build freed, and builds it itself whenever a child cannot."""

import io
import os
import pickle
import threading
from typing import Any

import pytest
from django.test import Client

from tests.concurrency import POSTGRES_ONLY
from tests.conftest import MICRO_A1, MICRO_A2, MICRO_B1
from tests.grids.test_places import URL as PLACES_URL
from tests.grids.test_places import district  # noqa: F401 (a fixture)
from wangge.core import warmup
from wangge.grids import indexes
from wangge.grids.models import Building, GridNode

BIG = 1_000_003


def _made_where() -> dict[str, Any]:
    ids = [BIG + n for n in range(3)]
    return {"pid": os.getpid(), "ids": ids, "again": tuple(ids), "flag": True, "small": 7}


def test_a_build_runs_in_a_child_and_equal_ints_come_back_as_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warmup, "_can_build_apart", lambda: True)
    got = warmup.built_apart(_made_where)
    assert got["pid"] != os.getpid()
    assert got["ids"] == [BIG, BIG + 1, BIG + 2]
    assert all(a is b for a, b in zip(got["ids"], got["again"], strict=True))
    assert got["flag"] is True
    assert got["small"] == 7


def test_a_child_that_fails_leaves_the_build_to_the_parent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warmup, "_can_build_apart", lambda: True)
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child cannot reach the database")
        return os.getpid()

    assert warmup.built_apart(only_here) == parent


def test_beside_another_thread_it_builds_here() -> None:
    # A child forked while another thread holds a lock would wait for it forever.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert warmup.built_apart(os.getpid) == os.getpid()
    finally:
        stop.set()
        other.join()


@pytest.mark.django_db
def test_inside_a_transaction_it_builds_here() -> None:
    # A child's own connection would not see the transaction's rows.
    assert warmup.built_apart(os.getpid) == os.getpid()


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_the_warm_indexes_answer_as_the_ones_built_here(
    tree: dict[str, GridNode], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test runner's own threads (xdist's) are idle and hold no database lock.
    monkeypatch.setattr(warmup, "_single_threaded", lambda: True)
    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())
    for n, (code, lon) in enumerate(
        ((MICRO_A1, 113.601), (MICRO_A2, 113.603), (MICRO_B1, 113.606))
    ):
        for m in range(1, 4):
            Building.objects.create(
                code=f"B{n}{m}",
                address=f"中原区建设路{n + 1}号碧沙岗小区{m}号楼",
                lon=lon,
                lat=34.751 + m * 0.0005,
                micro_grid=tree[code],
            )
    here_points, here_addresses = indexes._build_grid_index(), indexes._build_address_index()
    warm_points, warm_addresses = indexes.warm_grid_index(), indexes.warm_address_index()
    warm_places = indexes.warm_place_index()
    assert len(forks) == 3  # all three built apart
    assert warm_points is indexes.grid_index() and warm_addresses is indexes.address_index()
    assert warm_places is indexes.place_index()
    assert Building.objects.get(code="B11").pk in warm_places.building_xy
    assert len(warm_points) == len(here_points) == 4
    for step in range(200):
        lon, lat = 113.599 + step * 0.00005, 34.7505 + (step % 40) * 0.0001
        assert warm_points.locate(lon, lat) == here_points.locate(lon, lat)
    assert warm_points.locate(113.602, 34.752).exclusive_id is not None
    for query in (
        "建设路2号碧沙岗小区3号楼",
        "碧沙岗小区1号楼",
        "建设路3号碧沙岗3号楼",
        "不存在的路9号",
    ):
        assert repr(warm_addresses.resolve(query)) == repr(here_addresses.resolve(query))
    assert warm_addresses.resolve("建设路2号碧沙岗小区3号楼").building_id is not None


def _round_trip(value: Any) -> Any:
    out = io.BytesIO()
    warmup._Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
    out.seek(0)
    return warmup._Unpickler(out).load()


@pytest.mark.usefixtures("district")
def test_the_place_index_sent_back_from_the_child_reads_places_as_the_one_built_here(
    superuser_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the warm start's child sends (`_Cached.warm`): no copy of the gazetteer comes with
    # it, and crossings, corners, offsets, lanes and landmarks read the same from it.
    queries = (
        "建设路与桐柏路交叉口东北角",
        "市第一人民医院向东100米",
        "百花里北巷路灯坏了好几天",
        "东方超市旁边",
        "伊河路与秦岭路交叉口",
        "幸福小区2号楼",
    )
    here = [superuser_client.get(PLACES_URL, {"q": q}).json() for q in queries]
    built = indexes.place_index()
    copy = _round_trip(built)
    assert copy is not built
    assert copy._strip is indexes._stored_rest
    monkeypatch.setattr(indexes, "place_index", lambda: copy)
    assert [superuser_client.get(PLACES_URL, {"q": q}).json() for q in queries] == here
    assert [answer["kind"] for answer in here] == [
        "place",
        "place",
        "place",
        "candidates",  # 桐柏路2号 lies on the micro-grids' border
        "refused",
        "building",
    ]
