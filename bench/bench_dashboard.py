"""A street's 城运中心 dashboard over 1,000,000 cases on PostgreSQL.

    python bench/bench_kpi.py          # first, once: fills the 1,000,000 generated cases
    python bench/bench_dashboard.py [--repeat 7]

Times the per-minute refresh of the dashboard's pre-aggregated counters (wangge/ops/aggregates.py):
a full pass over every case, an incremental pass after changes in one street, and a pass with
nothing changed. Then times, server side through Django's test client, the dashboard of 林山寨街道
as its street dispatcher opens it (live counts, this month's KPI cards against last month, eight
weeks of trend, top categories, the communities' open and overdue cases, the heat layer, the
departments summoned by the whistle, the six elements, points, wish and volunteer activity), the
large screen, and the 60-second live partial; the dashboard also with an empty cache. Reports the
median and the worst of --repeat runs after a warm-up.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
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
    # The cases, grids and demo people come from bench_kpi.py's run; the migrations bring the
    # counters' tables and the updated_at index the refresh uses.
    manage(env, "migrate", "-v0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from wangge.accounts.models import User
    from wangge.cases.models import Case
    from wangge.grids.models import GridNode
    from wangge.ops import aggregates, selectors

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
    results: dict[str, dict[str, float]] = {}
    refresh: dict[str, list[float]] = {"full": [], "one street": [], "nothing changed": []}
    for _ in range(3):
        t = time.perf_counter()
        aggregates.refresh(full=True)
        refresh["full"].append(time.perf_counter() - t)
        # Cases handled in one street since the last run: their street is counted again.
        ids = list(
            Case.objects.filter(street=street).order_by("-id").values_list("id", flat=True)[:50]
        )
        Case.objects.filter(pk__in=ids).update(updated_at=timezone.now())
        t = time.perf_counter()
        ran = aggregates.refresh(timezone.now() + timedelta(seconds=31))
        refresh["one street"].append(time.perf_counter() - t)
        # An open case elsewhere may pass its deadline in the same half minute.
        assert street.path in ran["streets"], ran
        t = time.perf_counter()
        ran = aggregates.refresh(timezone.now() + timedelta(seconds=62))
        refresh["nothing changed"].append(time.perf_counter() - t)
        print("nothing changed here; recounted elsewhere:", ran["streets"])
    for name, times in refresh.items():
        results[f"refresh, {name}"] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            "max_ms": round(max(times) * 1000, 1),
        }
        print(f"refresh, {name}", results[f"refresh, {name}"])
    aggregates.refresh(full=True)
    client = Client()
    client.force_login(dispatcher)
    pages = {
        "dashboard": f"/ops/unit/{STREET}/",
        "large screen": f"/ops/screen/{STREET}/",
        "live partial": f"/ops/unit/{STREET}/live/",
    }
    data = selectors.dashboard(user=dispatcher, node=street)  # warm caches
    assert data["as_of"] is not None, "the dashboard should read the counters"
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
