"""The street KPI page over 1,000,000 cases on PostgreSQL.

    python bench/bench_kpi.py [--cases 1000000] [--repeat 5]

Fills the benchmark database (BENCH_DATABASE_URL, default .../wangge_bench) with generated
cases spread over the demo district's communities and over 2026 — deadlines, closures,
follow-ups, reworks, extensions, open and overdue cases — with one INSERT … SELECT, then times
the KPI selector and the KPI page (server side, through Django's test client) for one street
over a month and over the year. Reports the median and the worst of --repeat runs.
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
from _pg import ROOT, bench_env, prepare

FILL_SQL = """
INSERT INTO cases_case (created_at, updated_at, number, title, description, channel, content_hash,
    request_type, tier, urgency, reporter_name, reporter_phone_encrypted, reporter_phone_hash,
    reporter_phone_masked, is_anonymous_public, is_public, deadline_provisional, crs_given,
    address, grid_path, community_id, street_id, routing_reason, status, handling_level, card,
    supervised, extension_count, rework_count, reopen_count, was_overdue, self_handled,
    resolution, satisfaction, followup_note, due_at, resolved_at, closed_on_time, followup_at,
    followup_contacted, followup_solved, closed_at)
SELECT
    c.created, c.created, 'B' || lpad(g::text, 9, '0'), '压测事件', '压测', 'hotline', '', '',
    'general', 'normal', '', '', '', '', true, false, false, '', '', m.path, m.community_id,
    m.street_id, '',
    CASE WHEN g %% 10 < 7 THEN 'closed' WHEN g %% 10 = 7 THEN 'signed'
         WHEN g %% 10 = 8 THEN 'verified' ELSE 'dispatched' END,
    'grid', '', false, (g %% 17 = 0)::int, (g %% 13 = 0)::int, 0, false, (g %% 19 = 0), '',
    CASE WHEN g %% 10 < 7 THEN (ARRAY['satisfied','satisfied','basic','dissatisfied'])[1 + g %% 4]
         ELSE '' END, '',
    c.created + interval '7 days',
    CASE WHEN g %% 10 < 9 AND g %% 10 <> 7 THEN c.created + (g %% 9) * interval '1 day' END,
    CASE WHEN g %% 10 < 9 AND g %% 10 <> 7 THEN (g %% 9) <= 7 END,
    CASE WHEN g %% 10 < 7 THEN c.created + interval '10 days' END,
    CASE WHEN g %% 10 < 7 THEN g %% 5 <> 0 END,
    CASE WHEN g %% 10 < 7 THEN g %% 6 <> 0 END,
    CASE WHEN g %% 10 < 7 THEN c.created + interval '10 days' END
FROM generate_series(1::bigint, %(n)s::bigint) AS g
CROSS JOIN LATERAL (
    SELECT timestamptz '2026-01-01 00:00+08'
           + ((g * 7919) %% 31536000) * interval '1 second' AS created
) c
JOIN (
    SELECT row_number() OVER (ORDER BY mg.id) - 1 AS k, mg.path, comm.id AS community_id,
           st.id AS street_id, count(*) OVER () AS total
    FROM grids_gridnode mg
    JOIN grids_gridnode comm ON comm.level = 'community' AND mg.path LIKE comm.path || '%%'
    JOIN grids_gridnode st ON st.level = 'street' AND mg.path LIKE st.path || '%%'
    WHERE mg.level = 'micro'
) m ON m.k = (g * 104729) %% m.total
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    env = bench_env(tempfile.mkdtemp(prefix="wangge-kpi-"))
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    prepare(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from wangge.accounts.models import User
    from wangge.cases.selectors import kpis
    from wangge.grids.models import GridNode

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case WHERE number LIKE 'B%%'")
        have = cur.fetchone()[0]
        if have < args.cases:
            started = time.perf_counter()
            cur.execute("DELETE FROM cases_case WHERE number LIKE 'B%%'")
            cur.execute(FILL_SQL, {"n": args.cases})
            cur.execute("ANALYZE cases_case")
            print(f"filled {args.cases} cases in {time.perf_counter() - started:.1f}s")
        cur.execute("SELECT count(*) FROM cases_case")
        total_cases = cur.fetchone()[0]
    street = GridNode.objects.get(code="410102001")
    dispatcher = User.objects.get(phone="13800000002")
    client = Client()
    client.force_login(dispatcher)
    tz = "+08:00"
    from datetime import datetime

    periods = {
        "month": (
            datetime.fromisoformat(f"2026-06-01T00:00{tz}"),
            datetime.fromisoformat(f"2026-07-01T00:00{tz}"),
            "?start=2026-06-01&end=2026-07-01",
        ),
        "year": (
            datetime.fromisoformat(f"2026-01-01T00:00{tz}"),
            datetime.fromisoformat(f"2027-01-01T00:00{tz}"),
            "?start=2026-01-01&end=2027-01-01",
        ),
    }
    results = {}
    for name, (start, end, query) in periods.items():
        selector_times, page_times = [], []
        total, rows = kpis(user=dispatcher, parent=street, start=start, end=end)  # warm caches
        for _ in range(args.repeat):
            t = time.perf_counter()
            total, rows = kpis(user=dispatcher, parent=street, start=start, end=end)
            selector_times.append(time.perf_counter() - t)
            t = time.perf_counter()
            resp = client.get(f"/cases/kpi/{street.code}/{query}")
            page_times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        results[name] = {
            "street_cases_due": total.due,
            "communities": len(rows),
            "selector_median_ms": round(statistics.median(selector_times) * 1000, 1),
            "selector_max_ms": round(max(selector_times) * 1000, 1),
            "page_median_ms": round(statistics.median(page_times) * 1000, 1),
            "page_max_ms": round(max(page_times) * 1000, 1),
        }
        print(name, results[name])
    print(
        json.dumps(
            {
                "benchmark": "street KPI page",
                "database": "postgresql",
                "cases_in_db": total_cases,
                "target_ms": 1000,
                **results,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
