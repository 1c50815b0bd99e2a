"""Redis is a cache and a queue here, never a single point of failure.

With `REDIS_URL` set, Redis holds the cache (the people behind API tokens, rate-limit counters,
dashboard figures) and the job queue. When it stops answering, a request must still be served:

* the cache (`FailSoftRedisCache`) answers as an empty cache that forgets what it is told, so a
  token is looked up in the database, a rate limit lets the request through uncounted
  (`RATELIMIT_FAIL_OPEN`), a figure is computed again;
* the queue (`SpoolingRedisStorage`) keeps each job it cannot hand to Redis in the database
  (`core.SpooledJob`), and the worker moves them onto the queue, oldest first, once Redis
  answers again (`spool_drain`, every minute): a report's text message is late, not lost.

After a failure Redis is left alone for `RETRY_SECONDS`, so a host that does not answer at all
costs one connect timeout now and then rather than one per call. The outage is logged once a
minute per process, not once per request.

Sessions are in the database (Django's default engine) and never depended on Redis.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from huey.api import Huey
from huey.storage import RedisStorage
from redis import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What "Redis does not answer" raises: refused, reset, unreachable (a timeout), still loading
# its data after a restart (BusyLoadingError is a ConnectionError).
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

RETRY_SECONDS = 2.0
LOG_EVERY_SECONDS = 60.0

T = TypeVar("T")


class _Outage:
    """Whether Redis is being left alone after a failure, and when the outage was last logged.
    One per process: every cache and the queue share it, as they share the server."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until = 0.0
        self._logged = 0.0

    def skipping(self) -> bool:
        return time.monotonic() < self._until

    def failed(self, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            self._until = now + RETRY_SECONDS
            if now - self._logged < LOG_EVERY_SECONDS and self._logged:
                return
            self._logged = now
        logger.warning("redis unavailable (%s: %s); %s", type(exc).__name__, exc, what)

    def retry_now(self) -> None:
        """Ask Redis on the next call, as once RETRY_SECONDS have passed."""
        with self._lock:
            self._until = 0.0

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0
            self._logged = 0.0


outage = _Outage()


def _soft(default: Callable[..., Any], what: str) -> Callable[[Callable[..., T]], Callable[..., T]]:
    def wrap(method: Callable[..., T]) -> Callable[..., T]:
        def call(self: Any, *args: Any, **kwargs: Any) -> T:
            if outage.skipping():
                return default(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                outage.failed(what, exc)
                return default(*args, **kwargs)

        call.__name__ = method.__name__
        call.__doc__ = method.__doc__
        return call

    return wrap


_CACHE = "the cache answers as empty"


def _get_default(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _failed_keys(data: dict[Any, Any], *args: Any, **kwargs: Any) -> list[Any]:
    return list(data)


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache that behaves as an empty, forgetful cache while Redis is away.

    `add` answers False (nothing was added: a one-time ticket is refused rather than accepted
    twice), `incr` answers None (django-ratelimit then fails open), a write is dropped. A
    delete that could not reach Redis leaves the old entry to expire by itself: every entry
    that must not outlive a change (an API token's person) is kept only seconds.
    """

    get = _soft(_get_default, _CACHE)(RedisCache.get)
    get_many = _soft(lambda *a, **k: {}, _CACHE)(RedisCache.get_many)
    has_key = _soft(lambda *a, **k: False, _CACHE)(RedisCache.has_key)
    add = _soft(lambda *a, **k: False, _CACHE)(RedisCache.add)
    set = _soft(lambda *a, **k: None, _CACHE)(RedisCache.set)
    set_many = _soft(_failed_keys, _CACHE)(RedisCache.set_many)
    touch = _soft(lambda *a, **k: False, _CACHE)(RedisCache.touch)
    incr = _soft(lambda *a, **k: None, _CACHE)(RedisCache.incr)
    delete = _soft(lambda *a, **k: False, _CACHE)(RedisCache.delete)
    delete_many = _soft(lambda *a, **k: None, _CACHE)(RedisCache.delete_many)
    clear = _soft(lambda *a, **k: None, _CACHE)(RedisCache.clear)


# How long the queue waits for Redis (the cache's own limits are in settings.CACHES). The
# worker blocks reading for a second (`read_timeout`), so its socket waits longer than that.
CONNECT_TIMEOUT = 0.5
QUEUE_SOCKET_TIMEOUT = 5.0


class SpoolingRedisStorage(RedisStorage):
    """Huey's Redis storage that keeps a job in the database when Redis cannot take it.

    Found by what it does, never imported by the code that asks (health, the drain job): an
    install without Redis has no `redis` package."""

    spools_when_away = True

    def __init__(self, name: str = "huey", url: str | None = None, **kwargs: Any) -> None:
        if url:
            kwargs["connection_pool"] = ConnectionPool.from_url(
                url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=QUEUE_SOCKET_TIMEOUT
            )
        super().__init__(name=name, **kwargs)

    def drain_spool(self) -> int:
        return spool_drain(self)

    def enqueue(self, data: bytes, priority: int | None = None) -> None:
        if not outage.skipping():
            try:
                super().enqueue(data, priority=priority)
                return
            except UNREACHABLE as exc:
                outage.failed("jobs are kept in the database until it is back", exc)
        _spool(data, priority)


def _spooled_jobs() -> Any:
    # By name: the queue's class is loaded with huey's app, before the models are.
    return apps.get_model("core", "SpooledJob")


def _spool(data: bytes, priority: int | None) -> None:
    _spooled_jobs().objects.create(message=data, priority=priority)


class SpoolingRedisHuey(Huey):
    storage_class = SpoolingRedisStorage


# At most this many jobs per transaction: a long outage's backlog moves in bounded steps.
DRAIN_BATCH = 200


def spool_drain(storage: Any) -> int:
    """Move the jobs kept while Redis was away onto the queue, oldest first; the number moved.

    Each job leaves the database in the transaction that saw it pushed, so a job is moved once
    (rows another worker is moving are skipped). Stops at the first push that fails.
    """
    spooled = _spooled_jobs()
    if not isinstance(storage, SpoolingRedisStorage):
        return 0
    moved = 0
    while True:
        with transaction.atomic():
            rows = list(
                spooled.objects.select_for_update(skip_locked=True).order_by("id")[:DRAIN_BATCH]
            )
            if not rows:
                return moved
            pushed: list[int] = []
            try:
                for row in rows:
                    RedisStorage.enqueue(storage, bytes(row.message), priority=row.priority)
                    pushed.append(row.pk)
            except UNREACHABLE as exc:
                outage.failed("spooled jobs stay in the database", exc)
            spooled.objects.filter(pk__in=pushed).delete()
            moved += len(pushed)
            if len(pushed) < len(rows):
                return moved
