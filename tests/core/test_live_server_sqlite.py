"""The live server the browser tests drive opens a connection a request thread to the test's
in-memory SQLite database, in its shared cache, where connections lock whole tables without
waiting: it must answer one request at a time (tests/conftest.py), or two requests of one page
collide and a person's report fails with a 503."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

PARALLEL = 6


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite shares the connection")
def test_parallel_requests_share_the_connection_one_at_a_time(live_server: Any) -> None:
    inside = 0
    most = 0
    guard = threading.Lock()

    def started(**_: Any) -> None:
        nonlocal inside, most
        if threading.current_thread() is threading.main_thread():
            return
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)  # long enough for the others to arrive while this one is inside

    def finished(**_: Any) -> None:
        nonlocal inside
        if threading.current_thread() is threading.main_thread():
            return
        with guard:
            inside -= 1

    request_started.connect(started, dispatch_uid="one-at-a-time-start")
    request_finished.connect(finished, dispatch_uid="one-at-a-time-finish")
    start = threading.Barrier(PARALLEL)

    def ask(_n: int) -> int:
        start.wait()
        return httpx.get(f"{live_server.url}/healthz", timeout=30).status_code

    try:
        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            codes = list(pool.map(ask, range(PARALLEL)))
    finally:
        request_started.disconnect(dispatch_uid="one-at-a-time-start")
        request_finished.disconnect(dispatch_uid="one-at-a-time-finish")
    assert codes == [200] * PARALLEL
    assert most == 1
