"""A street's 城运中心 dashboard over 1,000,000 cases on PostgreSQL.

    python bench/bench_kpi.py          # first, once: fills the 1,000,000 generated cases
    python bench/bench_dashboard.py [--repeat 7]

Times, server side through Django's test client, the dashboard of 林山寨街道 as its street
dispatcher opens it (live counts, this month's KPI cards against last month, eight weeks of
trend, top categories, the communities' open and overdue cases), the large screen, and the
60-second live partial; the dashboard also with an empty cache (last month's KPIs, which it
keeps for a minute, read again). Reports the median and the worst of --repeat runs after a warm-up.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, ensure_database, manage

STREET = "410102001"
DISPATCHER = "13800000002"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    env = bench_env(tempfile.mkdtemp(prefix="wangge-ops-"))
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    ensure_database()
    # Only the ops tables: the cases, grids and demo people come from bench_kpi.py's run.
    manage(env, "migrate", "ops", "-v0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from wangge.accounts.models import User
    from wangge.grids.models import GridNode
    from wangge.ops import selectors

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        total_cases = cur.fetchone()[0]
    if total_cases < 1_000_000:
        sys.exit(f"only {total_cases} cases: run bench/bench_kpi.py first")
    street = GridNode.objects.get(code=STREET)
    dispatcher = User.objects.get(phone=DISPATCHER)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case WHERE street_id = %s", [street.pk])
        street_cases = cur.fetchone()[0]
    client = Client()
    client.force_login(dispatcher)
    pages = {
        "dashboard": f"/ops/unit/{STREET}/",
        "large screen": f"/ops/screen/{STREET}/",
        "live partial": f"/ops/unit/{STREET}/live/",
    }
    results: dict[str, dict[str, float]] = {}
    data = selectors.dashboard(user=dispatcher, node=street)  # warm caches
    sel = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        data = selectors.dashboard(user=dispatcher, node=street)
        sel.append(time.perf_counter() - t)
    results["selectors"] = {
        "median_ms": round(statistics.median(sel) * 1000, 1),
        "max_ms": round(max(sel) * 1000, 1),
    }
    pages["dashboard, cold cache"] = pages["dashboard"]
    for name, url in pages.items():
        assert client.get(url).status_code == 200
        times = []
        for _ in range(args.repeat):
            if "cold" in name:
                cache.clear()  # last month's KPIs read again, as on the first load a minute
            t = time.perf_counter()
            resp = client.get(url)
            times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        results[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
        }
        print(name, results[name])
    print(
        json.dumps(
            {
                "benchmark": "street ops dashboard",
                "database": "postgresql",
                "cases_in_db": total_cases,
                "street_cases": street_cases,
                "month_cases_due": data["kpi"]["total"].due,
                "open_overdue_now": data["live"]["overdue"],
                "target_ms": 1000,
                **results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
