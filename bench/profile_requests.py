"""Where the CPU of one request goes: cProfile (process-time clock) of requests sent through
Django's full handler (every middleware) in this process, against the PostgreSQL database
`bench_open311.py` prepares (run that once first; BENCH_DATABASE_URL as there).

    python bench/profile_requests.py [--scenarios post,get,intake] [-n 200] [--top 40]
                                     [--dump DIR] [--no-profile]

For each scenario: a warm-up, then `n` requests timed by the process-time clock (so other
processes on a shared machine do not count), then the same `n` under cProfile. Prints the CPU
per request, the statements per request with the database's share of the wall time, and the
functions with the most cumulative time. `--dump DIR` writes DIR/<scenario>.prof for snakeviz or
pstats.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_bench_open311"
)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import INTAKE_TEXTS, ROOT, bench_env

sys.path.insert(0, str(ROOT))


def requests_by_scenario() -> dict[str, Callable[[], int]]:
    """Set up Django on the bench database, warm it, and return one function per scenario
    that sends one request through the whole handler and answers its status code."""
    env = bench_env(tempfile.mkdtemp(prefix="wangge-profile-"))
    env["RATELIMIT_ENABLE"] = "false"
    env["ALLOWED_HOSTS"] = "testserver"  # Django's test client
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from wangge.core.warmup import warm_up
    from wangge.grids.models import Building

    warm_up()
    # The per-process caches (grid and address indexes every 2 s, leaf categories and the
    # calendar every 30 s) ask the database whether their tables changed: the clock's work, not
    # a request's, and under callgrind, where one request lasts seconds, it would land in
    # almost every request. They are not asked during a measurement.
    from wangge.cases import categories, sla
    from wangge.grids import indexes

    indexes.RECHECK_SECONDS = categories._LEAF_TTL = sla._RECHECK_SECONDS = 1e9
    out = io.StringIO()
    call_command("create_api_token", "13800000014", "--name", "profile", stdout=out)
    resident = out.getvalue().strip()
    out = io.StringIO()
    call_command("create_api_token", "13800000001", "--name", "profile", stdout=out)
    admin = out.getvalue().strip()
    rng = random.Random(1)
    points = rng.sample(list(Building.objects.values_list("lon", "lat")[:20000]), 200)
    texts = INTAKE_TEXTS
    client = Client()
    counter = [0]

    def post() -> int:
        i = counter[0] = counter[0] + 1
        lon, lat = points[i % len(points)]
        r = client.post(
            "/open311/v2/requests.json",
            {
                "service_code": "CSGL-01",
                "lat": f"{lat:.6f}",
                "long": f"{lon:.6f}",
                "description": f"路面坑洼，电动车容易摔倒（剖析 {i}）",
                "api_key": resident,
            },
        )
        return r.status_code

    def get() -> int:
        r = client.get("/open311/v2/requests.json", HTTP_AUTHORIZATION=f"Bearer {admin}")
        return r.status_code

    def intake() -> int:
        i = counter[0] = counter[0] + 1
        lon, lat = points[i % len(points)]
        text, category = texts[i % len(texts)]
        body: dict[str, object] = {
            "description": f"{text}（剖析 {i}）",
            "location": {"lon": lon, "lat": lat},
        }
        if category and i % 2:
            body["category"] = category
        r = client.post(
            "/api/v1/cases",
            json.dumps(body, ensure_ascii=False),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {resident}",
        )
        return r.status_code

    def restart() -> None:
        # The next request is the first again: the same points and texts in the same order.
        counter[0] = 0

    for send in (post, get, intake):
        send.restart = restart  # type: ignore[attr-defined]
    return {"post": post, "get": get, "intake": intake}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default="post,get,intake")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--no-profile", action="store_true", help="time and count only")
    args = ap.parse_args()
    scenarios = requests_by_scenario()
    from django.db import connection

    for name in [s for s in args.scenarios.split(",") if s]:
        send = scenarios[name]
        for _ in range(10):
            status = send()
        assert status in (200, 201), (name, status)
        sql_time = [0.0]
        sql_count = [0]

        def timed(execute, sql, params, many, context, spent=sql_time, count=sql_count):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += time.perf_counter() - t
                count[0] += 1

        with connection.execute_wrapper(timed):
            c0, w0 = time.process_time(), time.perf_counter()
            for _ in range(args.n):
                send()
            c1, w1 = time.process_time(), time.perf_counter()
        print(
            f"\n=== {name}: {1000 * (c1 - c0) / args.n:.2f} ms CPU per request "
            f"(wall {1000 * (w1 - w0) / args.n:.2f} ms, of which waiting on the database "
            f"{1000 * sql_time[0] / args.n:.2f} ms), {sql_count[0] / args.n:.1f} statements, "
            f"load {os.getloadavg()[0]:.2f}"
        )
        if args.no_profile:
            continue
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.n):
            send()
        prof.disable()
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            prof.dump_stats(str(args.dump / f"{name}.prof"))
        s = io.StringIO()
        pstats.Stats(prof, stream=s).sort_stats(args.sort).print_stats(args.top)
        print(s.getvalue())


if __name__ == "__main__":
    main()
