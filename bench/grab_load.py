"""抢任务 under load: 200 residents grab one 10-slot task at the same instant, round after round,
through gunicorn on PostgreSQL.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> \\
        python bench/grab_load.py [--rounds 15] [--residents 200] [--workers 2] [--threads 8]

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
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, manage, prepare

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


async def one_round(url: str, task_id: int, keys: list[str]) -> list[tuple[int, float]]:
    limits = httpx.Limits(max_connections=len(keys), max_keepalive_connections=len(keys))
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        # Open every connection first, so the round measures grabs, not TCP handshakes.
        await asyncio.gather(*(client.get("/healthz") for _ in keys))
        go = asyncio.Event()

        async def grab(key: str) -> tuple[int, float]:
            await go.wait()
            t0 = time.perf_counter()
            r = await client.post(
                f"/api/v1/volunteering/tasks/{task_id}/grab",
                headers={"Authorization": f"Bearer {key}"},
            )
            return r.status_code, (time.perf_counter() - t0) * 1000

        pending = [asyncio.create_task(grab(k)) for k in keys]
        await asyncio.sleep(0.2)
        go.set()
        return await asyncio.gather(*pending)


async def control_round(url: str, n: int) -> list[float]:
    """The same burst against /healthz: what the machine and server give any request."""
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await asyncio.gather(*(client.get("/healthz") for _ in range(n)))
        go = asyncio.Event()

        async def ping() -> float:
            await go.wait()
            t0 = time.perf_counter()
            await client.get("/healthz")
            return (time.perf_counter() - t0) * 1000

        pending = [asyncio.create_task(ping()) for _ in range(n)]
        await asyncio.sleep(0.2)
        go.set()
        return await asyncio.gather(*pending)


async def solo(url: str, task_id: int, keys: list[str]) -> list[float]:
    """One grab at a time: the service time of a single request, without any queue."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        out = []
        for key in keys:
            t0 = time.perf_counter()
            await client.post(
                f"/api/v1/volunteering/tasks/{task_id}/grab",
                headers={"Authorization": f"Bearer {key}"},
            )
            out.append((time.perf_counter() - t0) * 1000)
        return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]  # nearest rank


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--residents", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--port", type=int, default=8617)
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
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wangge.wsgi",
            "-w",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
            "-b",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        asyncio.run(one_round(url, tasks[0], keys))  # warm-up: every worker and thread
        control: list[float] = []
        for _ in range(3):
            control.extend(asyncio.run(control_round(url, len(keys))))
        single = asyncio.run(solo(url, tasks[-1], keys[:50]))
        results: list[tuple[int, float]] = []
        for task_id in tasks[1:-1]:
            got = asyncio.run(one_round(url, task_id, keys))
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
