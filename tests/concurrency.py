"""Real parallel calls for concurrency proofs: N threads released at once, each on its own
database connection. Results come back in call order, each a return value or the exception."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

# SQLite's shared in-memory test database locks whole tables, so parallel writers there test
# the test database, not our code: these proofs run on PostgreSQL (CI runs both).
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's in-memory test database locks whole tables; proven on PostgreSQL",
)


def run_parallel(n: int, call: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def worker(i: int) -> None:
        try:
            barrier.wait()
            results[i] = call(i)
        except Exception as exc:  # returned, so the test can assert on refusals
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
