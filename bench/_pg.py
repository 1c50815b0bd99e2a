"""Shared set-up for benchmarks that need a seeded PostgreSQL database."""

import os
import subprocess
import sys
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


def ensure_database() -> None:
    import psycopg

    base, name = BENCH_DB.rsplit("/", 1)
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


def prepare(env: dict[str, str]) -> None:
    """Migrate, and seed the demo district and the catalogue unless already there."""
    ensure_database()
    manage(env, "migrate", "-v0")
    manage(env, "seed_demo", "--if-empty", capture=True)
    manage(env, "load_catalogue", capture=True)
