"""Redis away: every request is still served, every job is kept.

The cache and the queue point at a port where nothing listens (Redis stopped, or a node started
while Redis is unreachable); a real Redis, when this machine runs one, shows that the jobs kept
meanwhile reach the queue once it is back.
"""

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from huey import RedisHuey

from tests.conftest import free_port
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.core import health
from wangge.core.models import SpooledJob

# The redis extra's: an install without Redis has neither the package nor this module's use.
redis = pytest.importorskip("redis", reason="the redis extra is not installed")
redis_outage = pytest.importorskip("wangge.core.redis_outage")
FailSoftRedisCache = redis_outage.FailSoftRedisCache
SpoolingRedisHuey = redis_outage.SpoolingRedisHuey
outage = redis_outage.outage
spool_drain = redis_outage.spool_drain

LIVE_REDIS = "redis://127.0.0.1:6379/5"


def _dead_url() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"


def _live_redis() -> bool:
    try:
        return bool(redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture(autouse=True)
def _fresh_outage() -> Iterator[None]:
    outage.reset()
    yield
    outage.reset()


@pytest.fixture
def redis_down(settings: Any) -> str:
    url = _dead_url()
    settings.CACHES = {
        "default": {
            "BACKEND": "wangge.core.redis_outage.FailSoftRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
    return url


def test_the_cache_answers_as_empty_and_says_so_once(
    redis_down: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="wangge.core.redis_outage")
    assert cache.get("k", "fallback") == "fallback"
    assert cache.add("ticket", 1) is False  # a one-time ticket is refused, not accepted twice
    assert cache.incr("counter") is None  # django-ratelimit lets the request through
    cache.set("k", 1)
    assert cache.get_many(["a", "b"]) == {}
    assert cache.get_or_set("figure", lambda: 42) == 42
    cache.delete_many(["a"])
    outage.retry_now()  # past the pause after a failure: Redis is asked again, and fails again
    assert cache.get("k") is None
    warnings = [r for r in caplog.records if r.name == "wangge.core.redis_outage"]
    assert len(warnings) == 1, "the outage is logged once a minute, not once per call"
    assert "redis unavailable" in warnings[0].getMessage()


def test_token_requests_are_served_by_the_database(redis_down: str, db: Any, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = True
    person = User.objects.create_user("13800009101", "pw-123456789", name="刘桂兰")
    _row, key = api_token_create(user=person, name="app")
    client = Client()
    answers = [
        client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code for _ in range(3)
    ]
    assert answers == [200, 200, 200]
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer wg_nonsense").status_code == 401


@pytest.mark.django_db
def test_a_job_redis_cannot_take_is_kept_in_the_database() -> None:
    huey = SpoolingRedisHuey(f"wangge-test-{uuid.uuid4().hex}", url=_dead_url())

    @huey.task()
    def remind(who: str) -> str:
        return who

    remind("刘桂兰")
    remind("王建国")
    kept = list(SpooledJob.objects.order_by("id"))
    assert len(kept) == 2
    assert [huey.deserialize_task(bytes(j.message)).args for j in kept] == [
        ("刘桂兰",),
        ("王建国",),
    ]
    assert spool_drain(huey.storage) == 0, "still down: nothing moves, nothing is dropped"
    assert SpooledJob.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.skipif(not _live_redis(), reason="no Redis on 127.0.0.1:6379")
def test_kept_jobs_reach_the_queue_once_redis_is_back() -> None:
    name = f"wangge-test-{uuid.uuid4().hex}"
    down = SpoolingRedisHuey(name, url=_dead_url())

    @down.task()
    def remind(who: str) -> str:
        return who

    for who in ("刘桂兰", "王建国", "张秀英"):
        remind(who)
    assert SpooledJob.objects.count() == 3
    outage.retry_now()
    back = SpoolingRedisHuey(name, url=LIVE_REDIS)
    back.task()(remind.func)  # the worker knows the job as the web node does
    try:
        assert spool_drain(back.storage) == 3
        assert SpooledJob.objects.count() == 0
        assert back.pending_count() == 3
        # Oldest first, each once.
        assert [back.dequeue().args for _ in range(3)] == [("刘桂兰",), ("王建国",), ("张秀英",)]
        assert back.dequeue() is None
    finally:
        back.storage.flush_queue()


@pytest.mark.django_db
def test_a_plain_redis_queue_is_not_drained() -> None:
    assert spool_drain(RedisHuey("x", url=_dead_url()).storage) == 0


@pytest.mark.django_db
def test_ready_stays_200_while_redis_is_away_and_live_answers(
    redis_down: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "HUEY", SpoolingRedisHuey("health", url=redis_down))
    client = Client()
    ready = client.get("/healthz/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["queue"] == {"ok": False, "spooling": True}
    assert client.get("/healthz").json()["status"] == "degraded"
    assert client.get("/healthz/live").status_code == 200


@pytest.mark.django_db
def test_ready_is_503_when_the_database_is_away(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def __getitem__(self, name: str) -> Any:
            raise RuntimeError("database away")

    monkeypatch.setattr(health, "connections", Broken())
    client = Client()
    assert client.get("/healthz/ready").status_code == 503
    assert client.get("/healthz/live").status_code == 200


NODE_STARTS = """
import json
from django.test import Client
from django.test.utils import setup_test_environment
from wangge.accounts.services import api_token_create
from wangge.core.models import SpooledJob
from wangge.core.redis_outage import FailSoftRedisCache, SpoolingRedisHuey
from huey.contrib.djhuey import HUEY
from django.core.cache import caches

resident = user_create(phone="13800009102", password="pw-123456789", name="刘桂兰")
_row, key = api_token_create(user=resident, name="app")
import wangge.wsgi  # the node starts: indexes warmed, Redis unreachable

client = Client(HTTP_HOST="wangge.example.cn", HTTP_X_FORWARDED_PROTO="https")
auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
me = [client.get("/api/v1/me", **auth).status_code for _ in range(3)]
report = client.post(
    "/api/v1/cases",
    {"description": "楼道灯坏了，晚上看不见", "location": {"lon": 113.605, "lat": 34.755}},
    content_type="application/json",
    **auth,
)
ready = client.get("/healthz/ready")
print(json.dumps({
    "cache": type(caches["default"]).__name__,
    "queue": type(HUEY).__name__,
    "me": me,
    "report": report.status_code,
    "ready": [ready.status_code, ready.json()["status"]],
    "live": client.get("/healthz/live").status_code,
    "kept": SpooledJob.objects.count(),
}))
"""


def test_a_node_started_while_redis_is_unreachable_serves(tmp_path: Any) -> None:
    import json
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    from tests.core.test_production import production_env
    from tests.test_receivers_in_production import PREAMBLE

    root = Path(__file__).resolve().parent.parent.parent
    env = production_env(
        tmp_path,
        DJANGO_SETTINGS_MODULE="wangge.settings",
        DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL=_dead_url(),
        WARM_START="true",
        RATELIMIT_ENABLE="true",
        PYTHONPATH=str(root),
    )
    env.pop("PYTEST_XDIST_WORKER", None)
    result = subprocess.run(
        [sys.executable, "-c", PREAMBLE + textwrap.dedent(NODE_STARTS)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["cache"] == FailSoftRedisCache.__name__
    assert seen["queue"] == SpoolingRedisHuey.__name__
    assert seen["me"] == [200, 200, 200]
    assert seen["report"] == 201
    assert seen["ready"] == [200, "degraded"]
    assert seen["live"] == 200
    assert seen["kept"] >= 1, "the report's job waits in the database for Redis"
