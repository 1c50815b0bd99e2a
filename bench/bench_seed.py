"""Seeding the 中原区 demo district on a fresh SQLite database, timed end to end.

    python bench/bench_seed.py [--src CHECKOUT]

Runs migrate + seed_demo in a temporary WANGGE_VAR_DIR so the developer's database is untouched,
and prints the counts, the wall-clock seconds and the CPU seconds of the seed as JSON. On a
shared machine the CPU seconds are the figure to compare: the wall clock grows with everyone
else's load. `--src` seeds with the code of another checkout (the "before" of a comparison).
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout whose code seeds")
    root = parser.parse_args().src.resolve()
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "WANGGE_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/bench.sqlite3",
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=root, env=env, check=True
        )
        cpu_before = _children_cpu()
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "manage.py", "seed_demo"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
    summary = {
        "benchmark": "seed_demo",
        "database": "sqlite",
        "src": str(root),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "target_seconds": 60,
        "report": out.splitlines()[0] if out else "",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
