"""Fault: Redis stopped under load; every request is still served, nothing is lost.

    python bench/faults/redis_outage.py [--seconds 90] [--down 60]

Runs a Redis server of its own (never the shared one on 6379) on a free port, and gunicorn +
the worker on PostgreSQL (FAULTS_DATABASE_URL, default the shared cluster's
`reliability_redis`) with the cache and the queue on that Redis and the rate limits on. The
load client reports cases, posts 12345 orders, redeems points and signs cases with API tokens;
a second client asks `/healthz/live` and `/healthz/ready` twice a second. A third of the way
in, Redis is stopped for --down seconds and started again, empty. The checker proves: no 5xx
at all, `/healthz/live` always 200, every acknowledged write in the database exactly once, and
every job kept in the database while Redis was away moved onto the queue after it came back.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, LoadClient, Server, check, environment, prepare
from _pg import ensure_database, free_port, manage

DB = "postgres://postgres@127.0.0.1:5432/reliability_redis"


class Redis:
    def __init__(self, port: int, var: Path) -> None:
        self.port, self.var = port, var
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        # No persistence: a restarted Redis is empty, the harder case for "nothing lost".
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.var),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None


def watch_health(url: str, until: list[float], log: list[dict[str, object]]) -> None:
    with httpx.Client(timeout=5) as client:
        while time.time() < until[0]:
            for path in ("/healthz/live", "/healthz/ready"):
                try:
                    r = client.get(url + path)
                    log.append({"t": time.time(), "path": path, "status": r.status_code})
                except httpx.HTTPError as exc:
                    log.append({"t": time.time(), "path": path, "status": type(exc).__name__})
            time.sleep(0.5)


SPOOL_SQL = "from wangge.core.models import SpooledJob; print(SpooledJob.objects.count())"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--down", type=float, default=60)
    ap.add_argument("--port", type=int, default=8643)
    args = ap.parse_args()
    url = os.environ.get("FAULTS_DATABASE_URL", DB)
    ensure_database(url)
    var = Path(tempfile.mkdtemp(prefix="wangge-redis-"))
    redis = Redis(free_port(), var)
    redis.start()
    os.environ["FAULTS_REDIS_URL"] = f"redis://127.0.0.1:{redis.port}/0"
    env = environment(var, url)
    # The limits count in Redis: on, and generous enough for the load client's one resident,
    # so a 429 would be a limit and not the outage.
    env.update(
        RATELIMIT_ENABLE="true",
        RATE_LIMIT_CASE_INTAKE="1000000/h",
    )
    config = prepare(env)
    server = Server(env, args.port)
    server.start()
    log = var / "acknowledged.jsonl"
    client = LoadClient(server.url, config, log)
    started = time.time()
    threads = client.run_for(args.seconds)
    health: list[dict[str, object]] = []
    until = [started + args.seconds]
    watcher = threading.Thread(target=watch_health, args=(server.url, until, health))
    watcher.start()
    time.sleep(args.seconds / 3)
    redis.stop()
    stopped = time.time()
    time.sleep(args.down)
    kept_at_restart = int(
        manage(env, "shell", "-c", SPOOL_SQL, capture=True).strip().splitlines()[-1]
    )
    redis.start()
    restarted = time.time()
    for t in threads:
        t.join()
    watcher.join()
    # The worker moves the kept jobs every minute: wait for one pass, at most two.
    kept = -1
    for _ in range(30):
        kept = int(manage(env, "shell", "-c", SPOOL_SQL, capture=True).strip().splitlines()[-1])
        if kept == 0:
            break
        time.sleep(5)
    server.stop()
    redis.stop()
    result = check(env, log)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    during = [r for r in rows if stopped <= r["t"] <= restarted]
    result["acknowledged_while_redis_was_down"] = sum(
        1 for r in during if r["kind"] in ("case", "order", "sign", "redemption")
    )
    result["server_errors"] = sum(1 for r in rows if r["kind"] == "refused")
    result["no_answer"] = sum(1 for r in rows if r["kind"] == "no_answer")
    live = [h for h in health if h["path"] == "/healthz/live"]
    ready = [h for h in health if h["path"] == "/healthz/ready"]
    result["live_not_200"] = sum(1 for h in live if h["status"] != 200)
    result["live_checks"] = len(live)
    result["ready_not_200"] = sum(1 for h in ready if h["status"] != 200)
    result["jobs_kept_while_down"] = kept_at_restart
    result["jobs_still_kept_after"] = kept
    result["timeline"] = [
        f"{stopped - started:.1f}s Redis stopped",
        f"{restarted - started:.1f}s Redis started (empty)",
    ]
    result["log"] = str(log)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    failed = (
        result["server_errors"]
        or result["live_not_200"]
        or kept != 0
        or any(v for k, v in result.items() if k.endswith(("_missing", "_twice")))
    )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
