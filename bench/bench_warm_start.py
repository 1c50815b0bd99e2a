"""Warm start: how long the first address lookup and the first locate take after gunicorn
starts, and after a worker is killed and replaced, with and without the warm-up.

Runs on the demo district `make run` builds (SQLite under var/, ~49,000 buildings; seeded here
first if it is not there yet) with the production gunicorn settings (wangge.gunicorn_conf:
2 workers × 2 threads, preloaded app).

    .venv/bin/python bench/bench_warm_start.py [--rounds 3]
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from _pg import ROOT, api_token, free_port, manage, wait_healthy

QUERY = "中原区伊河路百花里3号楼"  # any address; the lookup's cost, not its answer, is measured


def timed_get(port: int, path: str, key: str) -> tuple[float, int]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {key}"}
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status


def children(pid: int) -> set[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def one_round(env: dict[str, str], key: str, warm: bool) -> dict[str, float]:
    port = free_port()
    run_env = {**env, "WARM_START": "true" if warm else "false", "WEB_BIND": f"127.0.0.1:{port}"}
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "python:wangge.gunicorn_conf",
        "--access-logfile",
        "/dev/null",
        "wangge.wsgi",
    ]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=run_env, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", seconds=120)
        ready = time.perf_counter() - started
        path = "/api/v1/grids/resolve-address?q=" + urllib.parse.quote(QUERY)
        first_resolve, _ = timed_get(port, path, key)
        first_locate, _ = timed_get(port, "/api/v1/grids/locate?lon=113.62&lat=34.75", key)
        later = [timed_get(port, path, key)[0] for _ in range(100)]

        # A worker dies; its replacement forks from the master. Every new connection is
        # spread by the kernel over the workers' sockets, so ten connections reach it.
        before = children(proc.pid)
        os.kill(min(before), signal.SIGKILL)
        while len(children(proc.pid) - before) < 1:
            time.sleep(0.02)
        time.sleep(0.3)
        after_kill = max(timed_get(port, path, key)[0] for _ in range(10))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    return {
        "ready_s": ready,
        "first_resolve_ms": first_resolve,
        "first_locate_ms": first_locate,
        "hundredth_resolve_ms": statistics.median(later),
        "worst_after_kill_ms": after_kill,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
        "RATELIMIT_ENABLE": "false",
    }
    # The database `make run` uses (var/ by default): built here too if `make run` never ran.
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--if-empty", capture=True)
    key = api_token(env)
    for warm in (False, True):
        rows = [one_round(env, key, warm) for _ in range(args.rounds)]
        print(f"WARM_START={'true' if warm else 'false'} ({args.rounds} rounds, median)")
        for name in rows[0]:
            print(f"  {name:22} {statistics.median(r[name] for r in rows):8.1f}")


if __name__ == "__main__":
    main()
