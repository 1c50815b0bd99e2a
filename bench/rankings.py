"""A year's volunteers' board over 100,000 residents and 5,000,000 ledger entries, on PostgreSQL.

    python bench/rankings.py [--residents 100000] [--awards 2500000] [--repeat 7]

Uses its own database (BENCH_DATABASE_URL, default .../party_bench): migrates, seeds the demo
district, then — once — fills it with SQL: residents living on the district's micro-grids, a
wallet each, one issuing account with its budget, and award transfers of two entries each
spread over 2026 up to mid-November (2,500,000 awards = 5,000,000 entries). It then
  1. rebuilds the aggregates from the entries (`rankings.aggregates.rebuild_all`), timed
     (every run: the fill is done once);
  2. proves them equal to the entries, month by month (`aggregates.verify`), and the year's
     rows equal to a recomputation straight from the entries;
  3. writes 1,000 more awards "today" and times the per-minute `refresh()`;
  4. times `GET /api/v1/rankings?board=volunteers&period=year…` through Django's test client,
     as a resident on the board, for the district, one street and one community: median and
     worst of --repeat after a warm-up. Server time only.
Prints one JSON line.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/party_bench")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, prepare

USERS_SQL = """
INSERT INTO accounts_user (password, is_superuser, phone, name, id_number_encrypted,
    is_active, is_staff, is_demo, date_joined, circle_name_display, board_name_display,
    report_public_default, elderly_mode, photo)
SELECT '!', false, '197' || lpad(g::text, 8, '0'),
       (ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴'])[1 + g %% 10]
       || (ARRAY['秀兰','建国','丽','伟','敏','志强','海燕','磊','红梅','国华'])
          [1 + (g / 10) %% 10],
       '', true, false, false, now(), 'masked', 'masked', false, false, ''
FROM generate_series(1, %(n)s) AS g
"""
GRANTS_SQL = """
INSERT INTO accounts_rolegrant (user_id, role, node_id, created_at)
SELECT u.id, 'resident', m.id, now()
FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM accounts_user
      WHERE phone LIKE '197%') u
JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
      FROM grids_gridnode WHERE level = 'micro') m
  ON m.k = (u.k * 7919) % (SELECT count(*) FROM grids_gridnode WHERE level = 'micro')
"""
WALLETS_SQL = """
INSERT INTO points_account (kind, owner_id, name, balance, held, created_at)
SELECT 'wallet', id, name, 0, 0, now() FROM accounts_user WHERE phone LIKE '197%'
"""
# Awards: amounts 5–50, times spread over 2026-01-01 .. mid-November (Beijing), residents picked
# with a skew so scores spread and ties still happen. Each side of a join is numbered by a
# constant count, so the planner can hash it (a per-row count would make it a nested loop).
AWARDS_SQL = """
WITH w AS (
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k
    FROM points_account WHERE kind = 'wallet' AND name <> '' AND owner_id IN
        (SELECT id FROM accounts_user WHERE phone LIKE '197%%')
), t AS (
    INSERT INTO points_transfer (kind, idempotency_key, reason, created_at)
    SELECT 'award', 'bench-' || g, '志愿服务（压测）',
           timestamptz '2026-01-01 00:00+08' + ((g * 7919) %% 27648000) * interval '1 second'
    FROM generate_series(1::bigint, %(n)s::bigint) AS g
    RETURNING id, created_at, idempotency_key
)
INSERT INTO points_entry (transfer_id, account_id, amount, held_delta, created_at)
SELECT t.id, x.account_id, x.amount, 0, t.created_at
FROM t
CROSS JOIN LATERAL (SELECT substr(t.idempotency_key, 7)::bigint AS g) gg
JOIN w ON w.k = ((gg.g * gg.g) %% 104729) %% (SELECT count(*) FROM w)
CROSS JOIN LATERAL (VALUES (%(issuer)s, -(5 + (gg.g %% 10) * 5)), (w.id, 5 + (gg.g %% 10) * 5))
    AS x(account_id, amount)
"""
BALANCES_SQL = """
UPDATE points_account a SET balance = s.total
FROM (SELECT account_id, sum(amount) AS total FROM points_entry GROUP BY account_id) s
WHERE a.id = s.account_id AND a.kind IN ('wallet', 'issuer', 'source')
"""


def timed(fn, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t) * 1000)
    return round(statistics.median(runs), 1), round(max(runs), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--residents", type=int, default=100_000)
    ap.add_argument("--awards", type=int, default=2_500_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    env = bench_env(tempfile.mkdtemp(prefix="wangge-rankings-"))
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    prepare(env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from wangge.accounts.models import User
    from wangge.grids.models import GridLevel, GridNode
    from wangge.points.models import Account, Entry
    from wangge.points.services import points_award, points_budget, system_account
    from wangge.rankings import aggregates
    from wangge.rankings.models import PeriodScore
    from wangge.rankings.periods import Period

    result: dict[str, object] = {"benchmark": "rankings year board", "database": "postgresql"}
    issuer = system_account(Account.Kind.ISSUER, "压测发放账户")
    if not User.objects.filter(phone__startswith="197").exists():
        started = time.perf_counter()
        points_budget(issuer=issuer, amount=10**12, key="bench-budget")
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(USERS_SQL, {"n": args.residents})
            cur.execute(GRANTS_SQL)  # no parameters: a single % is the operator
            cur.execute(WALLETS_SQL)
            cur.execute(AWARDS_SQL, {"n": args.awards, "issuer": issuer.pk})
            cur.execute(BALANCES_SQL)
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE points_entry")
            cur.execute("VACUUM ANALYZE points_transfer")
            cur.execute("VACUUM ANALYZE accounts_user")
        result["fill_seconds"] = round(time.perf_counter() - started, 1)
    # The aggregates from nothing: every day of entries, every period (the job's slow path).
    started = time.perf_counter()
    result["days_rebuilt"] = aggregates.rebuild_all()
    result["rebuild_all_seconds"] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE rankings_dailypoints")
        cur.execute("VACUUM ANALYZE rankings_periodscore")
    result["ledger_entries"] = Entry.objects.count()
    result["residents"] = User.objects.filter(phone__startswith="197").count()
    year = Period.containing("year", date(2026, 11, 20))
    result["year_board_rows"] = PeriodScore.objects.filter(period="year", start=year.start).count()

    # The aggregates equal the entries: every month of the year, and the year's ranked list.
    started = time.perf_counter()
    problems = []
    for month in range(1, 13):
        p = Period.containing("month", date(2026, month, 1))
        problems += aggregates.verify(p.start, p.end)
    result["verify_problems"] = len(problems)
    result["year_rows_equal_recomputation"] = aggregates.stored_volunteers(
        year
    ) == aggregates.recompute_volunteers(year)
    result["verify_seconds"] = round(time.perf_counter() - started, 1)

    # The per-minute job after 1,000 awards written today.
    wallets = list(
        Account.objects.filter(kind="wallet", owner__phone__startswith="197").values_list(
            "pk", flat=True
        )[:1000]
    )
    stamp = int(time.time())
    for i, wallet_id in enumerate(wallets):
        points_award(
            issuer=issuer,
            wallet=Account.objects.get(pk=wallet_id),
            amount=10,
            key=f"bench-today-{stamp}-{i}",
            reason="今日服务（压测）",
        )
    started = time.perf_counter()
    aggregates.refresh()
    result["refresh_after_1000_awards_ms"] = round((time.perf_counter() - started) * 1000, 1)

    # A resident in the middle of the board asks for the year's board and their own rank.
    row = (
        PeriodScore.objects.filter(period="year", start=year.start)
        .order_by("-points", "reached_at", "user_id")
        .values_list("user_id", flat=True)[result["year_board_rows"] // 2]  # type: ignore[operator]
    )
    me = User.objects.get(pk=row)
    street = GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()
    community = GridNode.objects.filter(level=GridLevel.COMMUNITY).order_by("code").first()
    assert street and community
    client = Client()
    client.force_login(me)
    today = timezone.localdate().isoformat()
    for label, grid in (("district", ""), ("street", street.code), ("community", community.code)):
        url = f"/api/v1/rankings?board=volunteers&period=year&date={today}"
        url += f"&grid={grid}" if grid else ""

        def call(url: str = url) -> None:
            resp = client.get(url)
            assert resp.status_code == 200, resp.content

        median, worst = timed(call, args.repeat)
        body = client.get(url).json()
        result[f"api_year_{label}_ms"] = {"median": median, "worst": worst}
        result[f"api_year_{label}_my_rank"] = body["me"]["rank"]
        result[f"api_year_{label}_total"] = body["total"]
    result["target_ms"] = 300
    result["python"] = platform.python_version()
    result["cpus"] = os.cpu_count()
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        result["postgresql"] = cur.fetchone()[0]  # type: ignore[index]
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
