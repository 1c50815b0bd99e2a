"""Shared set-up for benchmarks that need a seeded PostgreSQL database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_bench")


def bench_env(var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": BENCH_DB,
        "WANGGE_VAR_DIR": var_dir,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "false",
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
    }


def ensure_database(url: str = BENCH_DB) -> None:
    """Create the PostgreSQL database named by `url` unless it exists."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def api_token(env: dict[str, str], phone: str = "13800000005") -> str:
    """A fresh API token of a demo account (the grid worker 周敏 by default)."""
    out = manage(env, "create_api_token", phone, "--name", "bench", capture=True)
    return out.strip().split()[-1]


def gunicorn(
    env: dict[str, str],
    port: int,
    *,
    workers: int = 2,
    threads: int = 4,
    extra: tuple[str, ...] = (),
    own_session: bool = False,
) -> subprocess.Popen[bytes]:
    """gunicorn on 127.0.0.1:`port` as the benchmarks run it (production settings from `env`).
    `own_session` puts it in a process group of its own, so that one signal reaches master and
    workers."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wangge.wsgi",
            "-w",
            str(workers),
            "--threads",
            str(threads),
            *extra,
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=own_session,
    )


def wait_healthy(url: str, seconds: float = 180) -> None:
    """Until `url`/healthz answers 200; exits the benchmark if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not become healthy")


def prepare(env: dict[str, str]) -> None:
    """Migrate, and seed the demo district and the catalogue unless already there."""
    ensure_database()
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--if-empty", capture=True)
    manage(env, "load_catalogue", capture=True)


# What residents report in the intake benches (text, category code; "" = the system suggests one).
INTAKE_TEXTS = [
    ("小区门口有人摆摊卖菜，堵住出入口", "CSGL-01"),
    ("楼道里有人飞线给电动车充电，很危险", ""),
    ("暖气片不热，家里只有十几度，老人受不了", ""),
    ("路灯坏了好几天，晚上出门看不见", ""),
    ("楼上装修噪音太大，中午也不停", ""),
    ("垃圾桶满了没人清运，味道很大", ""),
]
