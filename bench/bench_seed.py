"""Seeding the 中原区 demo district on a fresh SQLite database, timed end to end.

    python bench/bench_seed.py

Runs migrate + seed_demo in a temporary WANGGE_VAR_DIR so the developer's database is untouched,
and prints the counts and seconds as JSON.
"""

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "WANGGE_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/bench.sqlite3",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "manage.py", "seed_demo"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seconds = time.perf_counter() - started
    summary = {
        "benchmark": "seed_demo",
        "database": "sqlite",
        "seconds": round(seconds, 2),
        "target_seconds": 60,
        "report": out.splitlines()[0] if out else "",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
