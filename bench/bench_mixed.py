"""A mixed load (bench/load/locustfile.py) against gunicorn + the huey worker, on SQLite or
PostgreSQL.

    python bench/bench_mixed.py --db sqlite|postgres [--users 40] [--seconds 120]
                                [--workers 2] [--threads 4]

Seeds the demo district into a fresh SQLite file, or into the PostgreSQL database named by
BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/reliability_bench), makes API
tokens for demo residents, a grid worker, the street dispatcher and the hotline, starts gunicorn
and `manage.py run_huey` as separate processes (the production layout), warms up, runs locust
headless, and prints throughput and p50/p95/p99 per request type as a Markdown table plus a JSON
summary. Rate limits are switched off: a handful of accounts stand in for thousands of people.
"""

import argparse
import csv
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, ensure_database, gunicorn, manage, wait_healthy

PG_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/reliability_bench"
)
RESIDENTS = ["13800000014", "13800000013", "13800000007", "13800000010"]
WORKER, DISPATCHER, HOTLINE = "13800000005", "13800000002", "13800000001"

CONFIG_SQL = """
import json, random
from wangge.grids.models import Building
from wangge.demo.cast import _demo_nodes, DEMO_PASSWORD
nodes = _demo_nodes()
r = random.Random(1)
rows = list(Building.objects.values_list("lon", "lat", "address")[:20000])
pick = r.sample(rows, 300)
in_a = list(Building.objects.filter(micro_grid__path__startswith=nodes["grid_a"].path)
            .values_list("lon", "lat")[:200])
print(json.dumps({
    "points": [[lon, lat] for lon, lat, _a in pick],
    "points_a": [list(p) for p in in_a] or [[lon, lat] for lon, lat, _a in pick[:20]],
    "addresses": [a for _lon, _lat, a in pick],
    "grid_a": nodes["grid_a"].code,
    "street": nodes["street"].code,
    "password": DEMO_PASSWORD,
}))
"""


def locust(config: Path, url: str, users: int, seconds: int, csv_prefix: Path, env: dict) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(max(users // 5, 1)),
            "-t",
            f"{seconds}s",
            "--host",
            url,
            "--csv",
            str(csv_prefix),
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env={**env, "WANGGE_LOAD_CONFIG": str(config)},
        check=False,
        capture_output=True,
        text=True,
    )
    # locust ends non-zero when some requests failed, and still writes its figures: those
    # failures are in the table. No figures at all means locust itself did not run.
    if not Path(f"{csv_prefix}_stats.csv").exists():
        sys.exit(f"locust wrote no figures (exit {done.returncode}):\n{done.stderr[-3000:]}")


def read_stats(csv_prefix: Path) -> list[dict[str, str]]:
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--seconds", type=int, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--port", type=int, default=8621)
    args = ap.parse_args()
    if importlib.util.find_spec("locust") is None:
        # Said before the minute of seeding, not as a missing CSV after it.
        sys.exit("locust is not installed: run `make load`, or pip install -e '.[load]'")

    var = Path(tempfile.mkdtemp(prefix="wangge-mixed-"))
    env = bench_env(str(var))
    env["RATELIMIT_ENABLE"] = "false"
    if args.db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{var / 'bench.sqlite3'}"
    else:
        env["DATABASE_URL"] = PG_URL
        # The production layout: huey's queue and the cache on Redis (a database of its own).
        env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
        ensure_database(PG_URL)
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--if-empty", capture=True)
    manage(env, "load_catalogue", capture=True)
    config = json.loads(manage(env, "shell", "-c", CONFIG_SQL, capture=True).splitlines()[-1])

    def token(phone: str) -> str:
        return manage(env, "create_api_token", phone, "--name", "load", capture=True).strip()

    config.update(
        resident_tokens=[token(p) for p in RESIDENTS],
        worker_token=token(WORKER),
        dispatcher_token=token(DISPATCHER),
        hotline_token=token(HOTLINE),
        dispatcher_phone=DISPATCHER,
    )
    config_file = var / "load.json"
    config_file.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    env["WANGGE_LOAD_RUN"] = str(int(time.time()))

    url = f"http://127.0.0.1:{args.port}"
    web = gunicorn(
        env, args.port, workers=args.workers, threads=args.threads, extra=("--keep-alive", "75")
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(url, 90)
        locust(config_file, url, max(args.users // 4, 4), 20, var / "warmup", env)
        locust(config_file, url, args.users, args.seconds, var / "run", env)
    finally:
        for proc in (web, worker):
            proc.terminate()
        for proc in (web, worker):
            proc.wait(timeout=30)
    rows = read_stats(var / "run")
    print(
        f"\n{args.db}: {args.users} users, {args.seconds} s, gunicorn {args.workers}×{args.threads}"
    )
    print("| request type | requests | failures | req/s | p50 ms | p95 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    summary = []
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
        print(
            f"| {name} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} | {row['99%']} |"
        )
        summary.append(
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": row["50%"],
                "p95": row["95%"],
                "p99": row["99%"],
            }
        )
    failures = var / "run_failures.csv"
    if failures.exists():
        print(failures.read_text(encoding="utf-8")[:2000])
    print(
        json.dumps(
            {
                "benchmark": "mixed load",
                "database": args.db,
                "users": args.users,
                "seconds": args.seconds,
                "gunicorn": f"{args.workers}x{args.threads}",
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "rows": summary,
            },
            ensure_ascii=False,
        )
    )
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
