"""`import_history` on N synthetic 12345 orders: how long a district's history takes to import.

    python bench/bench_import_history.py [--rows 100000] [--db sqlite|postgres] [--tree]
                                         [--format csv|xlsx] [--no-place]

Makes a scratch database (SQLite in a temporary directory, or a PostgreSQL database of its own
named by BENCH_HISTORY_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/wangge_history_bench,
dropped and created again), loads the catalogue (`load_catalogue`), or with `--tree` the whole
demo district (`seed_demo`: 4,906 micro-grids, ~49,000 buildings, so placing by address has
something to find), writes N orders as a platform exports them (GBK CSV, unpadded times, a
tenth without an address, a third with 满意度, phones), and times `manage.py import_history`
on them, then the same file again (everything skipped). The texts are synthetic: this measures
time, not the category model. Prints each run's wall time and a JSON summary.
"""

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get(
    "BENCH_HISTORY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_history_bench"
)
HEADER = [
    "工单编号",
    "受理时间",
    "诉求人",
    "来电号码",
    "诉求类型",
    "工单标题",
    "诉求内容",
    "事发地址",
    "分类",
    "承办单位",
    "办结时间",
    "满意度",
]
PROBLEMS = [
    "门口有人摆摊占道，早晚高峰堵得走不动",
    "楼下烧烤店油烟太大，窗户都不敢开",
    "路灯坏了好几天，晚上出门很不安全",
    "小区垃圾好几天没人清运，味道很大",
    "楼道里堆满了杂物，消防通道被堵",
    "暖气一直不热，家里只有十几度",
    "夜里工地施工噪音太大，影响休息",
    "有人在楼下飞线给电动车充电",
    "井盖缺了一块，怕有人掉下去",
    "物业不修电梯，老人上下楼困难",
]
SATISFACTION = ["满意", "基本满意", "不满意"]


def run(env: dict[str, str], *args: str) -> tuple[float, float, str]:
    """Wall seconds, the command's own CPU seconds (user + system: what a busy machine's other
    work does not inflate), and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    took = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return took, cpu, done.stdout + done.stderr


def shell(env: dict[str, str], code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def recreate_pg(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def rows(n: int, codes: list[str], addresses: list[str], seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    start = datetime(2019, 1, 1)
    span = (datetime(2025, 12, 31) - start).total_seconds()
    out = []
    for i in range(n):
        received = start + timedelta(seconds=rng.random() * span)
        closed = received + timedelta(hours=rng.uniform(0.5, 24 * 20))
        address = "" if rng.random() < 0.1 else rng.choice(addresses)
        if address and rng.random() < 0.6:
            # Callers give their door: most addresses of a real export are written once.
            address += f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}"
        text = f"{rng.choice(PROBLEMS)}，麻烦尽快处理（第{i}号来电）"
        if address and rng.random() < 0.5:
            text = f"{address}{text}"
        out.append(
            [
                f"ZZ{received:%Y%m%d}{i:07d}",
                # Unpadded, as many platforms write them.
                f"{received.year}-{received.month}-{received.day} "
                f"{received.hour}:{received.minute:02d}:{received.second:02d}",
                rng.choice(["李桂兰", "王建国", "张敏", ""]),
                f"139{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
                rng.choice(["投诉", "求助", "咨询", "建议"]),
                "",
                text,
                address,
                rng.choice(codes),
                "林山寨街道",
                f"{closed:%Y/%m/%d %H:%M}",
                rng.choice(SATISFACTION) if rng.random() < 0.35 else "",
            ]
        )
    return out


def write_file(path: Path, data: list[list[str]], fmt: str) -> None:
    if fmt == "xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(HEADER)
        for r in data:
            sheet.append(r)
        book.save(path)
        return
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(data)
    path.write_bytes(buf.getvalue().encode("gbk"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("--tree", action="store_true", help="seed the demo district to place cases")
    ap.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    ap.add_argument("--no-place", action="store_true")
    args = ap.parse_args()
    var = Path(tempfile.mkdtemp(prefix="wangge-history-bench-"))
    env = {
        **os.environ,
        "WANGGE_VAR_DIR": str(var),
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
    }
    if args.db == "postgres":
        recreate_pg(PG_URL)
        env["DATABASE_URL"] = PG_URL
    else:
        env.pop("DATABASE_URL", None)
    try:
        run(env, "migrate", "-v0")
        if args.tree:
            run(env, "seed_demo")
        else:
            run(env, "load_catalogue")
        codes = json.loads(
            shell(
                env,
                "import json; from wangge.cases.models import Category; print(json.dumps(list("
                "Category.objects.filter(is_active=True, children__isnull=True)"
                ".values_list('code', flat=True))))",
            )
        )
        if args.tree:
            addresses = json.loads(
                shell(
                    env,
                    "import json; from wangge.grids.models import Building; print(json.dumps("
                    "list(Building.objects.order_by('?').values_list('address', flat=True)"
                    "[:3000])))",
                )
            )
            # Some no building can be found for, as callers say them.
            addresses += [f"中原区某某路{i}号附近" for i in range(300)]
        else:
            addresses = [f"中原区建设路{i}号院{i % 9 + 1}号楼" for i in range(3000)]
        data = rows(args.rows, codes, addresses)
        path = var / f"history.{args.format}"
        write_file(path, data, args.format)
        command = ["import_history", str(path), "-v0"]
        if args.no_place:
            command.append("--no-place")
        first, first_cpu, output = run(env, *command)
        again, again_cpu, output_again = run(env, *command)
        count = shell(
            env,
            "from wangge.cases.models import Case; print(Case.objects.filter(is_history=True)"
            ".count())",
        )
        print(output.strip())
        print(output_again.strip().splitlines()[-1])
        summary = {
            "rows": args.rows,
            "db": args.db,
            "tree": args.tree,
            "format": args.format,
            "place": not args.no_place,
            "import_seconds": round(first, 1),
            "import_cpu_seconds": round(first_cpu, 1),
            "rows_per_second": round(args.rows / first),
            "again_seconds": round(again, 1),
            "again_cpu_seconds": round(again_cpu, 1),
            "load_average": os.getloadavg()[0],
            "history_cases": int(count),
            "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
            "python": platform.python_version(),
        }
        print(json.dumps(summary, ensure_ascii=False))
    finally:
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
