"""The cast every test can use: a small grid tree and named people on it.

Tree (WGS-84 squares near 中原区; each micro-grid is 0.002° on a side):

    410102 中原区
    └─ 410102001 林山寨街道
       └─ 410102001002 碧沙岗社区            lon 113.600–113.608, lat 34.750–34.754
          ├─ …002001 第1网格 (grid A)        lon 113.600–113.604
          │   ├─ …001001 A1                  lon 113.600–113.602
          │   └─ …001002 A2                  lon 113.602–113.604
          ├─ …002002 第2网格 (grid B)        lon 113.604–113.608
          │   └─ …002001 B1                  lon 113.604–113.608
          └─ …002901 碧沙岗商圈 (exclusive)  lon 113.6015–113.6025, lat 34.7515–34.7525
"""

import os
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from auditlog.context import disable_auditlog
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test import Client
from django.test.testcases import LiveServerThread
from hypothesis import HealthCheck, settings
from xdist.scheduler import LoadFileScheduling

from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant, user_create
from wangge.cases import categories, sla
from wangge.grids import indexes
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.points.rules import default_rules_load
from wangge.video import services as video_services

# Packages whose tests share a package-scoped fixture that takes most of a minute to make (the
# seeded demo district): run on one worker, one file after another. With each file sent on its
# own (`--dist loadfile`), the files went to both workers between other packages' files, and
# the fixture, torn down each time its package was left, was made four times a run.
_ONE_WORK_UNIT = ("tests/demo/",)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    if config.getoption("dist") != "loadfile":
        return None

    class _Scheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return next((unit for unit in _ONE_WORK_UNIT if path.startswith(unit)), path)

    return _Scheduling(config, log)


_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server", "django_db_setup"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # CI's PostgreSQL run leaves out the tests marked `no_database` (they ran on SQLite, and
    # the database is all that differs): the mark must never hide a test that uses one.
    for item in items:
        if item.get_closest_marker("no_database") is None:
            continue
        uses = _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        if uses or item.get_closest_marker("django_db") is not None:
            raise pytest.UsageError(f"{item.nodeid} is marked no_database but uses a database")


# Property tests judge correctness, not speed: on a busy CI machine example generation and
# each example run slower, which is no reason to fail.
settings.register_profile("wangge", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("wangge")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop


class _Answered:
    """A response's body that lets the next request in once the server has closed it (sent,
    or cut short by the client)."""

    def __init__(self, body: Iterable[bytes], lock: threading.Lock) -> None:
        self.body = body
        self.lock = lock
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()  # Django's request_finished receivers run here, on the connection too
        finally:
            if not self.closed:
                self.closed = True
                self.lock.release()


class _OneRequestAtATime(ThreadedWSGIServer):
    """The live server, answering one request at a time on SQLite.

    The test database is in memory, in SQLite's shared cache: each request thread opens its own
    connection to it, and shared-cache connections lock whole tables and never wait for one
    another. A page that sends two requests at once (a report's POST while the service
    worker's or the location lookup's request is still running) had one fail at once, with
    "database table is locked" or "cannot open savepoint - SQL statements in progress": a 503
    a person would never see from the file database `make run` uses, where connections wait.
    On PostgreSQL requests run side by side, as in production.
    """

    def set_app(self, application: Any) -> None:
        if connections["default"].vendor != "sqlite":
            super().set_app(application)
            return
        lock = threading.Lock()

        def one_at_a_time(environ: dict[str, Any], start_response: Any) -> _Answered:
            lock.acquire()
            try:
                body = application(environ, start_response)
            except BaseException:
                lock.release()
                raise
            return _Answered(body, lock)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = _OneRequestAtATime

DISTRICT, STREET, COMMUNITY = "410102", "410102001", "410102001002"
GRID_A, GRID_B = f"{COMMUNITY}001", f"{COMMUNITY}002"
MICRO_A1, MICRO_A2, MICRO_B1 = f"{GRID_A}001", f"{GRID_A}002", f"{GRID_B}001"
EXCLUSIVE = f"{COMMUNITY}901"
# A second community of the street, west of 碧沙岗 (lon 113.59–113.60, lat 34.74–34.75).
OTHER_COMMUNITY = "410102001003"
PASSWORD = "correct-horse-battery"


def free_port() -> int:
    """A port nothing on 127.0.0.1 listens on now, for a server a test starts itself."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def feature(
    code: str, name: str, level: str, parent: str | None, geometry: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
        "geometry": geometry,
    }


def tree_features() -> list[dict[str, Any]]:
    return [
        feature(DISTRICT, "中原区", "district", None, box(113.55, 34.70, 113.68, 34.80)),
        feature(STREET, "林山寨街道", "street", DISTRICT, box(113.59, 34.74, 113.62, 34.76)),
        feature(
            COMMUNITY, "碧沙岗社区", "community", STREET, box(113.600, 34.750, 113.608, 34.754)
        ),
        feature(GRID_A, "碧沙岗第1网格", "grid", COMMUNITY, box(113.600, 34.750, 113.604, 34.754)),
        feature(GRID_B, "碧沙岗第2网格", "grid", COMMUNITY, box(113.604, 34.750, 113.608, 34.754)),
        feature(MICRO_A1, "A1 微网格", "micro", GRID_A, box(113.600, 34.750, 113.602, 34.754)),
        feature(MICRO_A2, "A2 微网格", "micro", GRID_A, box(113.602, 34.750, 113.604, 34.754)),
        feature(MICRO_B1, "B1 微网格", "micro", GRID_B, box(113.604, 34.750, 113.608, 34.754)),
        feature(
            EXCLUSIVE,
            "碧沙岗商圈",
            "exclusive",
            COMMUNITY,
            box(113.6015, 34.7515, 113.6025, 34.7525),
        ),
    ]


@pytest.fixture(autouse=True)
def _no_rows_of_the_last_test() -> None:
    """The per-process caches of the leaf categories and the holiday calendar are emptied when a
    row is saved or deleted, which a test's rollback does not announce: without this, a test that
    loads no catalogue could file a case under a category of the test before it (an id that is
    not in its database). The grid indexes likewise: a table of the last test's nodes."""
    categories.invalidate_leaves()
    sla.invalidate_calendar()
    indexes.invalidate()
    video_services.invalidate_event_types()


@pytest.fixture
def tree(db: Any) -> dict[str, GridNode]:
    grids_import({"type": "FeatureCollection", "features": tree_features()})
    return {n.code: n for n in GridNode.objects.all()}


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(
        role: str | None = None,
        node: GridNode | None = None,
        *,
        name: str = "测试用户",
        phone: str | None = None,
        **extra: Any,
    ) -> User:
        # The cast is the scenery of a test, not its subject: writing an audit entry for each of
        # its people costs half their making and no test reads those entries.
        with disable_auditlog():
            user = user_create(
                phone=phone or f"1390000{next(counter):04d}", name=name, password=PASSWORD, **extra
            )
            if role:
                assert node is not None
                role_grant(user=user, role=role, node=node)
        return user

    return make


@pytest.fixture
def cast(tree: dict[str, GridNode], make_user: Callable[..., User]) -> dict[str, User]:
    return {
        "resident": make_user(Role.RESIDENT, tree[MICRO_A1], name="王秀兰"),
        "worker_a": make_user(Role.GRID_WORKER, tree[GRID_A], name="周敏"),
        "worker_b": make_user(Role.GRID_WORKER, tree[GRID_B], name="吴磊"),
        "community": make_user(Role.COMMUNITY_STAFF, tree[COMMUNITY], name="孙丽华"),
        "dispatcher": make_user(Role.STREET_DISPATCHER, tree[STREET], name="钱卫东"),
        "admin": make_user(Role.ADMIN, tree[DISTRICT], name="赵建国", is_staff=True),
        "outsider": make_user(name="路人"),
    }


def add_other_community() -> GridNode:
    """互助路社区, beside 碧沙岗 in the same street (not part of `tree`: the tests that need a
    second community add it)."""
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    OTHER_COMMUNITY,
                    "互助路社区",
                    "community",
                    STREET,
                    box(113.59, 34.74, 113.60, 34.75),
                )
            ],
        }
    )
    return GridNode.objects.get(code=OTHER_COMMUNITY)


@pytest.fixture
def earning_rules(db: Any) -> None:
    """The seeded earning rules (微心愿完成: 20 points, at most 40 a day, …), also after a
    transactional test in this worker flushed them. The modules that pay by them use it for
    every test (tests/points/conftest.py, tests/residents/test_wishes.py)."""
    default_rules_load()


@pytest.fixture
def superuser_client(db: Any) -> Client:
    """The Django admin, signed in as a superuser."""
    su = User.objects.create_superuser("13900009999", "pw", name="赵建国")
    c = Client()
    c.force_login(su)
    return c
