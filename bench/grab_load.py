"""抢任务 under load: 200 residents grab one 10-slot task at the same instant, round after round,
through gunicorn on PostgreSQL.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        python bench/grab_load.py [--rounds 15] [--residents 200] [--workers <cores>]
            [--threads 2] [--port 8617] [--fresh-connections]

The defaults are shown; --workers defaults to os.cpu_count(). gunicorn always gets
--backlog 2048 --keep-alive 75 --reuse-port. --fresh-connections opens each connection at the
instant of the burst instead of beforehand. docs/benchmarks.md's runs are --rounds 40, and
--rounds 40 --fresh-connections.

Seeds the demo district into the database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/wangge_bench), makes the residents (each with an API token)
and one 10-slot task per round at its own hour, starts gunicorn, and per round opens all the
connections first, then sends every POST /api/v1/volunteering/tasks/{id}/grab at once. Each
request's latency is measured on the client from sending to the full answer, so it includes
the time spent queued behind the other 199. Checks that every round made exactly 10 sign-ups
and 190 clean 409s, then prints the percentiles and a JSON summary.
"""

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import bench_env, gunicorn, manage, prepare, wait_healthy

SLOTS = 10

SETUP = """
import json
from datetime import timedelta
from django.utils import timezone
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.grids.models import GridNode
from wangge.volunteering.models import Task
organiser = User.objects.get(phone="13800000003")
# An earlier run's tasks would clash in time with this run's and turn grabs into other 409s.
from wangge.volunteering.models import SignUp
old = Task.objects.filter(title__startswith="压测任务")
SignUp.objects.filter(task__in=old).delete()
old.delete()
micros = GridNode.objects.filter(level="micro", is_sample=True).exclude(centroid_lon=None)
micro = micros.order_by("code").first()
keys = []
for i in range({residents}):
    person, _ = User.objects.get_or_create(
        phone=f"1372{{i:07d}}", defaults={{"name": f"压测居民{{i}}"}}
    )
    keys.append(api_token_create(user=person, name="grab-bench")[1])
base = timezone.now() + timedelta(days=30)
tasks = []
for r in range({rounds}):
    start = base + timedelta(hours=2 * r)
    t = Task.objects.create(
        kind="task", publisher_kind="party_org", publisher_name="压测党支部", organiser=organiser,
        grid=micro, grid_path=micro.path, title=f"压测任务{{r}}", place="压测地点",
        lon=micro.centroid_lon, lat=micro.centroid_lat, starts_at=start,
        ends_at=start + timedelta(hours=1), slots={slots}, status="published", qr_secret="bench",
    )
    tasks.append(t.pk)
print(json.dumps({{"keys": keys, "tasks": tasks}}))
"""


class RawConnection:
    """One keep-alive HTTP/1.1 connection with pre-built request bytes. The load generator
    shares the two cores with the server, so it must cost as little as it can: httpx spends
    about a millisecond of CPU per request, which would be counted as the server's queue."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader
        self.writer: asyncio.StreamWriter

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def raw_request(method: str, path: str, host: str, token: str | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Length: 0"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def burst(
    host: str, port: int, requests: list[bytes], fresh: bool = False
) -> list[tuple[int, float]]:
    """Send every request at the same instant, each on its own connection. Each latency is
    measured from sending to the full answer, so it includes the time queued behind the rest.
    By default the connections are opened (and used once) beforehand, as phones that already
    hold a connection; `fresh` opens each at the instant instead, handshake included."""
    conns = [RawConnection(host, port) for _ in requests]
    if not fresh:
        await asyncio.gather(*(c.open() for c in conns))
        warm = raw_request("GET", "/healthz", f"{host}:{port}")
        await asyncio.gather(*(c.send(warm) for c in conns))
    go = asyncio.Event()

    async def one(conn: RawConnection, request: bytes) -> tuple[int, float]:
        await go.wait()
        t0 = time.perf_counter()
        if fresh:
            await conn.open()
        status = await conn.send(request)
        return status, (time.perf_counter() - t0) * 1000

    pending = [asyncio.create_task(one(c, r)) for c, r in zip(conns, requests, strict=True)]
    await asyncio.sleep(0.2)
    go.set()
    try:
        return await asyncio.gather(*pending)
    finally:
        for c in conns:
            c.close()


def grab_requests(host: str, port: int, task_id: int, keys: list[str]) -> list[bytes]:
    path = f"/api/v1/volunteering/tasks/{task_id}/grab"
    return [raw_request("POST", path, f"{host}:{port}", key) for key in keys]


async def solo(host: str, port: int, task_id: int, keys: list[str]) -> list[float]:
    """One grab at a time: the service time of a single request, without any queue."""
    conn = RawConnection(host, port)
    await conn.open()
    out = []
    for request in grab_requests(host, port, task_id, keys):
        t0 = time.perf_counter()
        status = await conn.send(request)
        if status not in (201, 409):
            sys.exit(f"one-at-a-time grab answered {status}")
        out.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]  # nearest rank


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--residents", type=int, default=200)
    # One worker per core, two threads each, each worker on its own SO_REUSEPORT socket:
    # the layout docs/deploy.md gives for a web node (docs/benchmarks.md has the comparison).
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8617)
    ap.add_argument("--fresh-connections", action="store_true")
    args = ap.parse_args()
    var = tempfile.mkdtemp(prefix="wangge-grab-")
    env = bench_env(var)
    prepare(env)
    out = manage(
        env,
        "shell",
        "-c",
        SETUP.format(residents=args.residents, rounds=args.rounds + 2, slots=SLOTS),
        capture=True,
    )
    setup = json.loads(out.strip().splitlines()[-1])
    keys, tasks = setup["keys"], setup["tasks"]
    server = gunicorn(
        env,
        args.port,
        workers=args.workers,
        threads=args.threads,
        extra=("--backlog", "2048", "--keep-alive", "75", "--reuse-port"),
    )
    try:
        wait_healthy(f"http://127.0.0.1:{args.port}")
        host, port = "127.0.0.1", args.port
        # Warm-up: every worker and thread has served a grab.
        asyncio.run(burst(host, port, grab_requests(host, port, tasks[0], keys)))
        healthz = [raw_request("GET", "/healthz", f"{host}:{port}")] * len(keys)
        control: list[float] = []
        for _ in range(3):
            control.extend(ms for _code, ms in asyncio.run(burst(host, port, healthz)))
        single = asyncio.run(solo(host, port, tasks[-1], keys[:50]))
        results: list[tuple[int, float]] = []
        for task_id in tasks[1:-1]:
            requests = grab_requests(host, port, task_id, keys)
            got = asyncio.run(burst(host, port, requests, fresh=args.fresh_connections))
            counts = Counter(code for code, _ms in got)
            if counts != {201: SLOTS, 409: len(keys) - SLOTS}:
                sys.exit(f"round on task {task_id}: wrong answers {dict(counts)}")
            results.extend(got)
    finally:
        server.terminate()
        server.wait(timeout=30)
    check = manage(
        env,
        "shell",
        "-c",
        (
            "from wangge.volunteering.models import SignUp, Task;"
            f"ids={tasks!r};"
            "print(sorted(set(Task.objects.filter(pk__in=ids).values_list('taken', flat=True))),"
            " SignUp.objects.filter(task_id__in=ids, status='signed').count())"
        ),
        capture=True,
    )
    latencies = [ms for _code, ms in results]
    summary = {
        "benchmark": "抢任务 POST /api/v1/volunteering/tasks/{id}/grab, 200 at once per round",
        "database": "postgresql",
        "gunicorn_workers": args.workers,
        "threads": args.threads,
        "reuse_port": True,
        "concurrent_requests": len(keys),
        "rounds": len(tasks) - 2,
        "requests": len(results),
        "p50_ms": round(statistics.median(latencies), 1),
        "p90_ms": round(pct(latencies, 90), 1),
        "p99_ms": round(pct(latencies, 99), 1),
        "max_ms": round(max(latencies), 1),
        "p99_201_ms": round(pct([ms for c, ms in results if c == 201], 99), 1),
        "taken_and_signed": check.strip().splitlines()[-1],
        "one_at_a_time_p50_ms": round(statistics.median(single), 1),
        "one_at_a_time_p99_ms": round(pct(single, 99), 1),
        "healthz_burst_p50_ms": round(statistics.median(control), 1),
        "healthz_burst_p99_ms": round(pct(control, 99), 1),
        "load_average": os.getloadavg(),
        "target": "p99 < 300 ms",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
