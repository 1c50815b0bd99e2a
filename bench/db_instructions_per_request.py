"""Instructions the PostgreSQL server spends per request, counted exactly by callgrind: the
database's half of `instructions_per_request.py` (which counts the Django process only).

    python bench/db_instructions_per_request.py --dumps DIR [--scenarios intake,post] [-n 20]

Needs a PostgreSQL server running under callgrind, each backend writing its counters to DIR
when it ends, and holding a copy of the bench database, for example (as the postgres user):

    valgrind --tool=callgrind --trace-children=yes --callgrind-out-file=DIR/pg.%p \\
        postgres -D DATADIR -p 5499

with BENCH_DATABASE_URL pointing at that copy (postgres://postgres@127.0.0.1:5499/NAME). This
process runs natively (`profile_requests.py`'s set-up). For each scenario it opens a fresh
connection, sends 10 requests to warm the backend's caches and then `n` more, and closes it;
then the same requests again, from the first, with 10 + 2n in all. The first backend's total
is subtracted from the second's, so what a backend costs to start and warm cancels out, and
the difference divided by `n` is the server's instructions (Ir) per request: parse, plan,
execution, triggers, constraint checks and commit. The WAL writer, checkpointer and
autovacuum are other processes and not counted. (Switching instrumentation on and off in a
backend with callgrind_control, as `instructions_per_request.py` does for Python, goes
through vgdb, which interrupts the backend in its socket read and made it end.)
"""

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _dump_total(dumps: Path, pid: int) -> int:
    path = dumps / f"pg.{pid}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text(errors="replace")
            found = re.search(r"^totals:\s*(\d+)", text, re.M)
            if found:
                return int(found.group(1))
        time.sleep(0.5)
    raise SystemExit(f"no dump of backend {pid} in {dumps}")


def _one_backend(send: Callable[[], int], requests: int, dumps: Path) -> int:
    from django.db import connection

    connection.close()
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = int(cur.fetchone()[0])
    # Both backends send the same requests from the first: the cost of routing one depends on
    # where it is (how many open cases the candidate handlers hold).
    send.restart()  # type: ignore[attr-defined]
    for _ in range(requests):
        status = send()
        assert status in (200, 201), status
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        assert int(cur.fetchone()[0]) == pid, "the connection changed during the measurement"
    connection.close()
    return _dump_total(dumps, pid)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default="intake,post")
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--dumps", type=Path, required=True, help="the server's callgrind dump folder")
    args = ap.parse_args()
    # One backend per measurement: under callgrind a request lasts long enough for Django to
    # close an older connection at the end of one.
    os.environ["DB_CONN_MAX_AGE"] = "3600"
    sys.path.insert(0, str(HERE))
    from profile_requests import requests_by_scenario

    scenarios = requests_by_scenario()
    for name in [s for s in args.scenarios.split(",") if s]:
        send = scenarios[name]
        short = _one_backend(send, 10 + args.n, args.dumps)
        long = _one_backend(send, 10 + 2 * args.n, args.dumps)
        print(
            f"{name}: {(long - short) / args.n / 1e6:.3f} M server instructions per request "
            f"({args.n} requests, load {os.getloadavg()[0]:.2f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
