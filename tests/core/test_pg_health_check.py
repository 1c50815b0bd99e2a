"""The PostgreSQL health check asks the socket, not the server (wangge.core.postgresql)."""

import time
from typing import Any

import pytest
from django.db import connection, connections

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tests the PostgreSQL backend"
)


def _unusable_within(wrapper: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not wrapper.is_usable():
            return True
        time.sleep(0.02)
    return False


def test_a_connection_the_server_dropped_is_replaced_without_failing_a_request(db: Any) -> None:
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        assert type(other).__module__ == "wangge.core.postgresql.base"
        assert other.is_usable()  # idle and alive: nothing to read
        pid = other.connection.info.backend_pid
        with connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cur.fetchone() == (True,)
        # PostgreSQL tells the client it is terminating the connection: seen without a query.
        assert _unusable_within(other, 5)
        # What Django does at the start of a request with CONN_HEALTH_CHECKS: the dead
        # connection is closed and a new one opened, and the first query succeeds.
        other.health_check_done = False
        other.close_if_health_check_failed()
        with other.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            (new_pid,) = cur.fetchone()
        assert new_pid != pid
    finally:
        other.close()


def test_a_healthy_idle_connection_is_kept(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    other = connections.create_connection("default")
    try:
        with other.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            (pid,) = cur.fetchone()
        time.sleep(0.2)

        def no_round_trip(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("the health check must not ask the server")

        # Django's own check sends SELECT 1 through the connection; this one must not.
        monkeypatch.setattr(other.connection, "execute", no_round_trip)
        monkeypatch.setattr(other.connection, "cursor", no_round_trip)
        assert other.is_usable()
        monkeypatch.undo()
        other.health_check_done = False
        other.close_if_health_check_failed()
        with other.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            assert cur.fetchone() == (pid,)
    finally:
        other.close()
