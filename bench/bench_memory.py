"""Memory of a warm web process, step by step: what `django.setup()`, the URLconf and each
structure of the warm start (`wangge.core.warmup`) add, in one process, on the database
DATABASE_URL names (the demo district `manage.py seed_demo` builds, or a bench database).

    DATABASE_URL=postgres://… .venv/bin/python bench/bench_memory.py [--trace] [--imports]
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_memory.py --gunicorn [--maps 12]
    DATABASE_URL=…/wangge_city GRID_ENGINE=database .venv/bin/python bench/bench_memory.py \
        --gunicorn --phone 139… --address 巩义区嵩山路257号1号楼 --point 113.97,34.76

`--gunicorn` instead starts gunicorn as production does (`wangge.gunicorn_conf`: 2 workers ×
2 threads, the application and its indexes loaded in the master before the workers fork),
sends each worker's socket address lookups, locates and questions to 小原 on new connections
(one the words settle, one encoded when the `dense` extra is installed: ASSISTANT_ENCODER=none
measures without it),
and prints the RSS and PSS of the master and of each worker (PSS counts a page shared by n
processes as 1/n: what one more worker really costs); `--maps N` then lists a worker's N largest
mappings by PSS (anonymous memory, the heap, each library and mapped file), with the private
part of each: what the worker copied or made after the fork. On another database than the demo's (a
city of bench/bench_city.py) name a user of it, an address and a point there.

RSS and PSS come from /proc/self/smaps_rollup after a full garbage collection. `--trace` also
runs tracemalloc (it slows every allocation and adds its own memory to RSS, so its run is not
the RSS run): the Python heap each step keeps, and what `django.setup()` keeps per package
(each allocation charged to the innermost frame that is neither the standard library nor the
import machinery). `--imports` prints the modules loaded by the end of each step that a web
worker may not need (see HEAVY).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import sysconfig
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Asked of 小原 in --gunicorn: long, in a resident's words, not settled by the words alone.
LONG_QUESTION = (
    "我家老人八十多了腿脚不方便，听说政府对高龄老人每个月有点补贴，要去哪里申请，需要带什么"
)

# Packages whose import costs megabytes; the report says which of them each step has loaded.
HEAVY = (
    "pypinyin.phrases_dict",
    "jieba",
    "numpy",
    "shapely",
    "huey.consumer",
    "boto3",
    "botocore",
    "openpyxl",
    "httpx",
    "reportlab",
    "PIL",
    "bm25s",
    "rapidfuzz",
    "scipy",
    "pandas",
)
_STDLIB = sysconfig.get_paths()["stdlib"]


def memory_kb() -> dict[str, int]:
    fields: dict[str, int] = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            fields[name.lower()] = int(rest.split()[0])
    return fields


def _owner(trace: tracemalloc.Traceback) -> str:
    for frame in reversed(trace):  # innermost first
        name = frame.filename
        if name.startswith("<frozen") or (name.startswith(_STDLIB) and "site-packages" not in name):
            continue
        if "site-packages/" in name:
            return name.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".py")
        if "/wangge/" in name:
            return "wangge." + name.split("/wangge/", 1)[1].split("/", 1)[0].removesuffix(".py")
        return Path(name).name
    return "(standard library)"


def _pid_memory_mb(pid: int) -> str:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            fields[name] = int(rest.split()[0])
    return f"RSS {fields['Rss'] / 1024:6.1f} MB  PSS {fields['Pss'] / 1024:6.1f} MB"


def _pid_maps(pid: int, top: int) -> list[str]:
    """The mappings holding most of a process's PSS: anonymous memory (the heap, the
    arenas of each thread), each shared library and each mapped file (a model's weights)."""
    by_name: Counter[str] = Counter()
    private: Counter[str] = Counter()
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and not head[0].endswith(":"):
            name = head[5] if len(head) > 5 else "[anonymous]"
            name = Path(name).name if name.startswith("/") else name
        elif head and head[0] == "Pss:":
            by_name[name] += int(head[1])
        elif head and head[0] in ("Private_Clean:", "Private_Dirty:"):
            private[name] += int(head[1])
    return [
        f"{kb / 1024:6.1f} MB PSS ({private[name] / 1024:5.1f} private)  {name}"
        for name, kb in by_name.most_common(top)
    ]


def gunicorn_run(
    rounds: int, phone: str, address: str, point: tuple[float, float], maps: int = 0
) -> None:
    import json
    import signal
    import subprocess
    import urllib.parse
    import urllib.request

    sys.path.insert(0, str(ROOT / "bench"))
    from _pg import api_token, free_port, wait_healthy

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "AXES_ENABLED": "false",
        "RATELIMIT_ENABLE": "false",
        "WEB_ACCESS_LOG": "/dev/null",
    }
    key = api_token(env, phone)
    port = free_port()
    env["WEB_BIND"] = f"127.0.0.1:{port}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def call(path: str, body: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 (loopback)
            base + path,
            data=data,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
            response.read()

    try:
        wait_healthy(base, seconds=180)
        expected = int(env.get("WEB_WORKERS") or os.cpu_count() or 2)
        deadline = time.monotonic() + 30
        while True:  # /healthz answers as soon as one worker has forked
            workers = sorted(
                int(p)
                for p in subprocess.run(
                    ["pgrep", "-P", str(proc.pid)], capture_output=True, text=True
                ).stdout.split()
            )
            if len(workers) >= expected or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        time.sleep(1)
        print(f"after start   master {_pid_memory_mb(proc.pid)}")
        for pid in workers:
            print(f"              worker {_pid_memory_mb(pid)}")
        quoted = urllib.parse.quote(address)
        for _ in range(rounds):  # new connections: the kernel spreads them over the workers
            call(f"/api/v1/grids/resolve-address?q={quoted}")
            call(f"/api/v1/grids/locate?lon={point[0]}&lat={point[1]}")
            call("/api/v1/assistant/ask", {"question": "居住证怎么办理"})
            # A question the words do not settle: with the `dense` extra it is encoded, so the
            # model's pages and the items' matrix are part of what the worker holds.
            call("/api/v1/assistant/ask", {"question": LONG_QUESTION})
        time.sleep(1)
        print(f"after {rounds * 4} requests  master {_pid_memory_mb(proc.pid)}")
        for pid in workers:
            print(f"              worker {_pid_memory_mb(pid)}")
        if maps:
            print(f"the largest mappings of worker {workers[0]}:")
            for row in _pid_maps(workers[0], maps):
                print(f"              {row}")
        print(f"load average {os.getloadavg()[0]:.1f}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trace", action="store_true", help="also measure with tracemalloc")
    parser.add_argument("--imports", action="store_true", help="heavy modules loaded per step")
    parser.add_argument("--gunicorn", action="store_true", help="a gunicorn master and workers")
    parser.add_argument("--rounds", type=int, default=100, help="--gunicorn: request rounds")
    parser.add_argument(
        "--maps", type=int, default=0, help="--gunicorn: list a worker's N largest mappings"
    )
    # Another database than the demo district's (bench/bench_city.py's city): its own user,
    # an address and a point of its own.
    parser.add_argument("--phone", default="13800000005", help="--gunicorn: whose API token")
    parser.add_argument("--address", default="中原区伊河路百花里3号楼", help="--gunicorn: resolved")
    parser.add_argument("--point", default="113.62,34.75", help="--gunicorn: located (lon,lat)")
    args = parser.parse_args()
    if args.gunicorn:
        lon, lat = (float(v) for v in args.point.split(","))
        gunicorn_run(args.rounds, args.phone, args.address, (lon, lat), args.maps)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    # What the warm start does is measured step by step here, not by wangge.wsgi.
    os.environ["WARM_START"] = "false"
    if args.trace:
        tracemalloc.start(12)

    rows: list[tuple[str, dict[str, int], int, float]] = []
    last = {"rss": 0, "pss": 0}

    def step(name: str, work: Callable[[], object]) -> None:
        started = time.perf_counter()
        work()
        seconds = time.perf_counter() - started
        gc.collect()
        mem = memory_kb()
        traced = tracemalloc.get_traced_memory()[0] if args.trace else 0
        rows.append((name, mem, traced, seconds))
        print(
            f"{name:44} RSS {mem['rss'] / 1024:7.1f} MB (+{(mem['rss'] - last['rss']) / 1024:6.1f})"
            f"  PSS {mem['pss'] / 1024:7.1f} MB"
            + (f"  traced {traced / 2**20:7.1f} MB" if args.trace else "")
            + f"  {seconds:6.2f} s",
            flush=True,
        )
        last.update(mem)
        if args.imports:
            loaded = [m for m in HEAVY if m in sys.modules]
            print(f"{'':44} loaded: {', '.join(loaded) or '-'}")

    step("Python, before Django", lambda: None)

    import django

    setup_snapshot: list[tracemalloc.Snapshot] = []

    def setup() -> None:
        django.setup()
        if args.trace:
            setup_snapshot.append(tracemalloc.take_snapshot())

    step("django.setup() (every app imported)", setup)

    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    def urlconf() -> None:
        translation.activate(settings.LANGUAGE_CODE)
        resolver = get_resolver()
        resolver.resolve("/")
        resolver.reverse_dict  # noqa: B018

    step("translations + URLconf (every view imported)", urlconf)

    from wangge.assistant.index import retriever
    from wangge.cases import categories, sla
    from wangge.core.warmup import release_freed_memory
    from wangge.grids import indexes
    from wangge.grids.warmup import first_lookups

    if indexes.in_database():
        # GRID_ENGINE=database: no point or address index; the place names instead.
        step("node table", indexes.node_table)
        step("place names (database engine)", indexes.warm)
    else:
        step("point index (built apart)", indexes.warm_grid_index)
        step("node table", indexes.node_table)
        step("address index (built apart)", indexes.warm_address_index)
        step("place index (built apart)", indexes.warm_place_index)
    step("first resolve and locate", first_lookups)
    step("calendar", sla.calendar)
    step("category model", lambda: categories.suggest("楼道里堆满了杂物，影响通行"))
    step("小原's retrieval index", retriever)
    step("freed C heap returned (end of warm_up)", release_freed_memory)
    step("gc.freeze() (as gunicorn's pre_fork)", gc.freeze)

    grid = indexes.grid_index()
    print(
        f"\npoint index: {grid.stats() if hasattr(grid, 'stats') else 'in the database'};"
        f" address index: {len(indexes.address_index())} buildings;"
        f" node table: {len(indexes.node_table().by_id)} nodes"
    )
    if setup_snapshot:
        by_owner: Counter[str] = Counter()
        for stat in setup_snapshot[0].statistics("traceback"):
            by_owner[_owner(stat.traceback)] += stat.size
        print("\nPython heap kept by django.setup(), by package (tracemalloc):")
        for owner, size in by_owner.most_common(25):
            print(f"  {owner:32} {size / 2**20:6.1f} MB")


if __name__ == "__main__":
    main()
