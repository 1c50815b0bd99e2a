"""A generated city in one instance on PostgreSQL (not the demo, not CI): import, cases, pages.

    python bench/bench_city.py import [--tenth] [--profile]      # ≤ 15 min for the whole city
    python bench/bench_city.py cases --cases 1000000              # COPY, then ANALYZE
    python bench/bench_city.py pages [--repeat 20]                # p50/p95 of the pages
    python bench/bench_city.py locate [--buildings 300] [--seconds 20] [--rate 200 …] [--cpu]

Database: BENCH_CITY_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wangge_city),
its own database so no other bench is disturbed. `import` drops and re-creates it.

`import` writes the city with bench/city/make_city.py (16 districts, 200 streets, 2,500
communities, 20,000 grids, 100,000 micro-grids, 1,000,000 buildings; --tenth: 10,000
micro-grids and 100,000 buildings) and times the documented commands on a migrated empty
database: `import_grids city.geojson`, `import_grids` of each district's file,
`import_buildings` of each district's CSV. --profile runs each command under cProfile and
prints where the time goes. Run it with GRID_ENGINE=database, as the city's figures are: the
migrations then install the database engine's schema and every import keeps it (its keys,
trigram words and shapes); without it the same import writes the memory engine's tables alone
(269 s against 374 s on one guest).

`cases` (bench/city/cases.py) writes N cases over three years (2024-01-01 … 2026-12-31) with
COPY in one process, its foreign keys checked after it, then ANALYZE; prints the database's
size.

`pages` times, server side through Django's test client with DEBUG off: the city's KPI page
and 城运中心 dashboard (as the city's administrator), a district's KPI page (as its
administrator), and the first page of the case lists (/cases/, /cases/desk/, /api/v1/cases)
as a street dispatcher and as the city's administrator. The dashboard's counters and the KPI
pages' monthly counters are recounted in full first (timed) and refreshed before each of those
pages, as the worker keeps them; `--live-kpis` marks the monthly counters stale instead, so the
KPI pages count the cases live (the figures before the counters).

`locate` times the engine GRID_ENGINE selects over the imported city, through the selectors
the API calls: locating random points and resolving addresses drawn from the buildings (as
stored, with a typo, without the district, by alias, with a door number no building has,
inside a resident's sentence), by one caller and by 16 at once, each a process with its own
connection; p50/p95, answers right per variation, and the warm process's PSS (see
`locate_bench`; a gunicorn worker's PSS: bench/bench_memory.py --gunicorn).
"""

import argparse
import io
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, ensure_database

CITY_DB = os.environ.get(
    "BENCH_CITY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_city"
)
CITY = "410100"
DISTRICT = "410101"
# CPU seconds of each command run (its own process; PostgreSQL's work is not in it).
CPU: list[float] = []
STREET = "410101001"


def city_env() -> dict[str, str]:
    env = bench_env(tempfile.mkdtemp(prefix="wangge-city-"))
    env["DATABASE_URL"] = CITY_DB
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    return env


def run(env: dict[str, str], *args: str, profile: Path | None = None) -> float:
    """One manage.py command; its wall time in seconds (with its own start-up)."""
    cmd = [sys.executable]
    if profile is not None:
        cmd += ["-m", "cProfile", "-o", str(profile)]
    cmd += ["manage.py", *args]
    t = time.perf_counter()
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime)
    return time.perf_counter() - t


def recreate_database() -> None:
    import psycopg

    base, name = CITY_DB.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def print_profile(paths: list[Path], top: int = 25) -> None:
    stats = pstats.Stats(str(paths[0]))
    for p in paths[1:]:
        stats.add(str(p))
    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def cmd_import(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench" / "city"))
    import make_city

    out = Path(args.files or tempfile.mkdtemp(prefix="wangge-city-files-"))
    gpc, mpg = (2, 2) if args.tenth else (8, 5)
    t = time.perf_counter()
    sizes = make_city.write(out, gpc, mpg, 10)
    print(f"generated {sizes} in {time.perf_counter() - t:.1f}s into {out}", flush=True)
    env = city_env()
    if not args.buildings_only:
        recreate_database()
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        subprocess.run(
            [sys.executable, "manage.py", "load_catalogue"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"migrated in {time.perf_counter() - t:.1f}s (not counted)", flush=True)
    prof_dir = Path(tempfile.mkdtemp(prefix="wangge-city-prof-"))
    profiles: dict[str, list[Path]] = {"grids": [], "buildings": []}

    def step(kind: str, *cmd: str) -> float:
        prof = prof_dir / f"{len(profiles[kind])}-{kind}.prof" if args.profile else None
        if prof:
            profiles[kind].append(prof)
        return run(env, *cmd, profile=prof)

    grids: list[float] = []
    buildings: list[float] = []
    times = {"city": 0.0}
    for d in [] if args.buildings_only else make_city.district_codes():
        if not grids:
            times["city"] = step("grids", "import_grids", str(out / "city.geojson"))
            print(f"city and districts: {times['city']:.1f}s", flush=True)
        grids.append(step("grids", "import_grids", str(out / f"grids-{d}.geojson")))
        print(f"grids of {d}: {grids[-1]:.1f}s", flush=True)
    for d in make_city.district_codes():
        for part in (1, 2):
            buildings.append(
                step("buildings", "import_buildings", str(out / f"buildings-{d}-{part}.csv"))
            )
            print(f"buildings of {d}, part {part}: {buildings[-1]:.1f}s", flush=True)
    total = times["city"] + sum(grids) + sum(buildings)
    result = {
        "benchmark": "city import",
        "variant": "tenth" if args.tenth else "full",
        **sizes,
        "city_s": round(times["city"], 1),
        "grids_s": round(sum(grids), 1),
        "grids_per_district_s": round(statistics.median(grids), 1) if grids else None,
        "buildings_s": round(sum(buildings), 1),
        "buildings_per_district_s": round(statistics.median(buildings), 1),
        "total_s": round(total, 1),
        "commands_cpu_s": round(sum(CPU), 1),
        "load_average": os.getloadavg()[0],
        "target_s": 900,
        "database_mb": database_mb(),
    }
    print(json.dumps(result, ensure_ascii=False), flush=True)
    if args.profile:
        for kind, paths in profiles.items():
            print(f"===== cProfile, import_{kind} (all districts) =====")
            print_profile(paths)


def database_mb() -> int:
    import psycopg

    with psycopg.connect(CITY_DB) as conn:
        return int(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] >> 20)


def setup_django() -> None:
    os.environ.update(city_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def cmd_cases(args: argparse.Namespace) -> None:
    setup_django()
    sys.path.insert(0, str(ROOT / "bench" / "city"))
    import cases

    cases.fill(args.cases, seed=args.seed)
    print(
        json.dumps({"benchmark": "city cases", "cases": args.cases, "database_mb": database_mb()})
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("import")
    p.add_argument("--tenth", action="store_true")
    p.add_argument("--profile", action="store_true")
    p.add_argument(
        "--buildings-only", action="store_true", help="the grids are in already: time the rest"
    )
    p.add_argument("--files", help="where to write the generated files (default: a temp dir)")
    p = sub.add_parser("cases")
    p.add_argument("--cases", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    p = sub.add_parser("pages")
    p.add_argument("--repeat", type=int, default=20)
    p.add_argument("--explain", action="store_true")
    p.add_argument("--budget", type=float, default=60, help="seconds a page is timed at most")
    p.add_argument("--min-runs", type=int, default=5, help="runs of a page however slow")
    p.add_argument("--skip", action="append", default=[], help="skip pages whose name has this")
    p.add_argument("--live-kpis", action="store_true", help="KPI pages without their counters")
    p = sub.add_parser("locate")
    p.add_argument("--buildings", type=int, default=300, help="buildings drawn for resolving")
    p.add_argument("--seconds", type=float, default=20, help="each concurrent run's length")
    p.add_argument(
        "--rate",
        type=float,
        action="append",
        default=[],
        help="also resolve at this many calls a second, all clients together (open loop)",
    )
    p.add_argument(
        "--cpu",
        action="store_true",
        help="the CPU a resolve takes, the process's and PostgreSQL's, by variation",
    )
    args = ap.parse_args()
    ensure_database(CITY_DB)
    {"import": cmd_import, "cases": cmd_cases, "pages": cmd_pages, "locate": cmd_locate}[args.what](
        args
    )


def people() -> dict[str, object]:
    """The city's administrator, a district's administrator and a street dispatcher."""
    from wangge.accounts.models import Role, RoleGrant, User
    from wangge.grids.models import GridNode

    cast = {
        "city admin": ("13900000001", Role.ADMIN, CITY, True),
        "district admin": ("13900000002", Role.ADMIN, DISTRICT, True),
        "street dispatcher": ("13900000003", Role.STREET_DISPATCHER, STREET, False),
    }
    out = {}
    for label, (phone, role, code, staff) in cast.items():
        user = User.objects.filter(phone=phone).first() or User.objects.create_user(
            phone, None, name=label, is_staff=staff
        )
        RoleGrant.objects.get_or_create(user=user, role=role, node=GridNode.objects.get(code=code))
        out[label] = user
    return out


def pct(times: list[float], q: float) -> float:
    s = sorted(times)
    return round(s[min(len(s) - 1, round(q * (len(s) - 1)))] * 1000, 1)


def cmd_pages(args: argparse.Namespace) -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wangge.cases import kpi_counts
    from wangge.cases.models import KpiMonthsRefresh
    from wangge.ops import aggregates

    cast = people()
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        n_cases = cur.fetchone()[0]
    t = time.perf_counter()
    aggregates.refresh(full=True)
    refresh_s = time.perf_counter() - t
    print(f"{n_cases} cases; counters' full refresh {refresh_s:.1f}s", flush=True)
    t = time.perf_counter()
    kpi_counts.refresh(full=True)
    kpi_refresh_s = time.perf_counter() - t
    print(f"KPI monthly counters' full refresh {kpi_refresh_s:.1f}s", flush=True)
    year = "?start=2026-01-01&end=2027-01-01"
    pages = [
        ("city KPI page (this month)", "city admin", f"/cases/kpi/{CITY}/"),
        ("city KPI page (2026)", "city admin", f"/cases/kpi/{CITY}/{year}"),
        ("city dashboard", "city admin", f"/ops/unit/{CITY}/"),
        ("district KPI page (this month)", "district admin", f"/cases/kpi/{DISTRICT}/"),
        ("district KPI page (2026)", "district admin", f"/cases/kpi/{DISTRICT}/{year}"),
        ("district dashboard", "district admin", f"/ops/unit/{DISTRICT}/"),
        ("desk, street dispatcher", "street dispatcher", "/cases/desk/"),
        ("desk all, street dispatcher", "street dispatcher", "/cases/desk/?status=all"),
        ("api cases, street dispatcher", "street dispatcher", "/api/v1/cases"),
        ("desk, city admin", "city admin", "/cases/desk/"),
        ("desk all, city admin", "city admin", "/cases/desk/?status=all"),
        ("api cases, city admin", "city admin", "/api/v1/cases"),
    ]
    clients = {}
    for label, user in cast.items():
        clients[label] = Client()
        clients[label].force_login(user)
    results = {}
    slow_queries = []
    for name, who, url in pages:
        if any(word in name for word in args.skip):
            continue
        client = clients[who]
        if "dashboard" in name:
            # The worker refreshes the counters every minute; slow pages before this one may
            # have let them age past what the dashboard reads (it then counts live).
            aggregates.refresh(full=True)
        if "KPI" in name:
            if args.live_kpis:
                KpiMonthsRefresh.objects.update(refreshed_at=None)  # stale: counted live
            else:
                kpi_counts.refresh()  # what the worker does every minute
        with CaptureQueriesContext(connection) as ctx:
            resp = client.get(url)  # warm-up, and its queries
        assert resp.status_code == 200, (url, resp.status_code)
        captured = list(ctx.captured_queries)  # read now: the next request clears the log
        worst = sorted(captured, key=lambda q: -float(q["time"]))[:2]
        for q in worst:
            slow_queries.append((float(q["time"]), name, q["sql"]))
        times: list[float] = []
        began = time.perf_counter()
        for _ in range(args.repeat):
            if len(times) >= args.min_runs and time.perf_counter() - began > args.budget:
                break  # a slow page: fewer runs, said in "runs"
            t = time.perf_counter()
            resp = client.get(url)
            times.append(time.perf_counter() - t)
            assert resp.status_code == 200
        results[name] = {
            "p50_ms": pct(times, 0.5),
            "p95_ms": pct(times, 0.95),
            "runs": len(times),
            "queries": len(captured),
            "queries_ms": round(sum(float(q["time"]) for q in captured) * 1000, 1),
            "slowest_query_ms": round(float(worst[0]["time"]) * 1000, 1) if worst else 0,
        }
        print(name, url, results[name], flush=True)
    print(
        json.dumps(
            {
                "benchmark": "city pages",
                "cases_in_db": n_cases,
                "database_mb": database_mb(),
                "counters_full_refresh_s": round(refresh_s, 1),
                "kpi_counters_full_refresh_s": round(kpi_refresh_s, 1),
                "live_kpis": args.live_kpis,
                "repeat": args.repeat,
                **results,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
    slow_queries.sort(reverse=True)
    for secs, name, sql in slow_queries[:6]:
        print(f"--- {secs * 1000:.0f} ms in {name}:\n{sql[:1500]}")
        if args.explain and secs > 0.05:
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join(r[0] for r in cur.fetchall()))


# Clients of the engines' bench: as many callers at once as a city's web tier serves, each a
# process with its own database connection (threads would queue on one interpreter's lock
# instead of on the database).
CLIENTS = 16
# A resident's message with the address inside, as the hotline and the mini-program send it.
SENTENCE = "您好，我家住在{}，楼道里的灯坏了好几天了，晚上上下楼很不方便，麻烦尽快派人来修一下。"
# Characters a typo puts into a road's name: none is a direction word (中州东路 for 中州西路 is
# another road, never a typo).
TYPO_CHARS = "华兴安平明光新福康宁文和"


def pss_mb() -> float:
    """This process's proportional set size (a page shared by n processes counts 1/n)."""
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def backend_cpu_s() -> float | None:
    """The CPU the server process of this connection has taken, user and system, in seconds;
    None where PostgreSQL runs on another machine (its /proc is not ours)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_per_call(call: Callable[[Any], object], items: list[Any]) -> dict[str, float | None]:
    """The CPU one call takes, this process's and its database server process's, in ms: what
    bounds how many calls a second the machine's cores can give (its `ceiling_per_s`, with
    nothing else running) when clients and PostgreSQL share them, as here."""
    server = backend_cpu_s()
    started = time.process_time()
    for item in items:
        call(item)
    process_ms = (time.process_time() - started) / len(items) * 1000
    after = backend_cpu_s()
    server_ms = None if server is None or after is None else (after - server) / len(items) * 1000
    out: dict[str, float | None] = {
        "process_ms": round(process_ms, 3),
        "postgresql_ms": None if server_ms is None else round(server_ms, 3),
    }
    if server_ms is not None:
        out["ceiling_per_s"] = round((os.cpu_count() or 1) * 1000 / (process_ms + server_ms))
    return out


def resolve_queries(buildings: int, seed: int) -> list[tuple[str, str, int | None]]:
    """(variation, query, the building meant or None) for buildings drawn from the imported
    city: as stored, with a typo in the road's name, without the district in front, by its
    alias, with a door number no building has, and inside a resident's sentence. An alias or a
    district-less address that names several buildings means none of them (a refusal is the
    right answer); one that names one must resolve to it."""
    import re

    from django.db.models import Max, Min

    from wangge.grids.models import Building

    rng = random.Random(seed)
    bounds = Building.objects.aggregate(lo=Min("id"), hi=Max("id"))
    drawn = rng.sample(range(bounds["lo"], bounds["hi"] + 1), buildings)
    rows = Building.objects.filter(pk__in=drawn).values_list("id", "address", "aliases")
    parts = re.compile(
        r"^(?P<front>.*?[市区县])?(?P<road>[^0-9]+?路)(?P<door>[0-9]+号)(?P<rest>.*)$"
    )
    queries: list[tuple[str, str, int | None]] = []
    for pk, address, aliases in sorted(rows):
        queries.append(("as stored", address, pk))
        queries.append(("in a sentence", SENTENCE.format(address), pk))
        if aliases:
            # An alias several buildings of the city carry (the same 小区 name in four
            # districts) names none of them: its right answer is a refusal.
            shared = _carriers_of_alias(aliases[0]) > 1
            queries.append(
                ("alias, shared", aliases[0], None) if shared else ("alias, unique", aliases[0], pk)
            )
        m = parts.match(address)
        if m is None:
            continue
        front, road, rest = m["front"] or "", m["road"], m["rest"]
        at = rng.randrange(len(road) - 1)
        typo = road[:at] + rng.choice(TYPO_CHARS.replace(road[at], "")) + road[at + 1 :]
        queries.append(("typo in the road", f"{front}{typo}{m['door']}{rest}", pk))
        if front:
            # Without its district an address may name the same door of several districts'
            # roads of that name: then a refusal is right, and it must resolve only when unique.
            bare = f"{road}{m['door']}{rest}"
            shared = Building.objects.filter(address__endswith=bare).count() > 1
            queries.append(
                ("no district, shared", bare, None) if shared else ("no district, unique", bare, pk)
            )
        queries.append(("no such door number", f"{front}{road}99999号{rest}", None))
    rng.shuffle(queries)
    return queries


def _carriers_of_alias(alias: str) -> int:
    """How many buildings of the city carry this alias (the city runs on PostgreSQL, whose
    JSON containment answers it from the row's list)."""
    from wangge.grids.models import Building

    return Building.objects.filter(aliases__contains=[alias]).count()


def _resolve(query: tuple[str, str, int | None]) -> int | None:
    from wangge.grids.selectors import resolve_address

    match = resolve_address(q=query[1])
    return match.building.pk if match.building is not None else None


def _locate(point: tuple[float, float]) -> int | None:
    from wangge.core.errors import NotFound
    from wangge.grids.selectors import locate

    try:
        found = locate(lon=point[0], lat=point[1]).micro_grid
    except NotFound:
        return None
    return found.pk if found is not None else None


def timed(call: Callable[[Any], object], items: list[Any]) -> tuple[list[float], list[object]]:
    times, answers = [], []
    for item in items:
        t = time.perf_counter()
        answers.append(call(item))
        times.append(time.perf_counter() - t)
    return times, answers


def concurrently(
    call: Callable[[Any], object],
    items: list[Any],
    clients: int,
    seconds: float,
    rate: float | None = None,
) -> list[float]:
    """`clients` forked processes call `call` over their share of `items`, round and round,
    all starting together and stopping after `seconds`: every call's latency. Each opens its
    own connection (the parent's are closed first: two processes on one socket corrupt it)
    and keeps the parent's warm indexes, as gunicorn's workers do.

    Without `rate` each client calls again as soon as it has its answer (closed loop: the
    machine saturated). With `rate` (calls a second, all clients together) each client's calls
    fall due at random (exponential) intervals, and a call's latency counts from when it was
    due, not from when the client got round to it: a late call is charged its wait (open loop,
    as people asking at their own pace)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(clients)
    results = ctx.Queue()

    def client(share: list[Any], seed: int) -> None:
        for item in share[:3]:  # its connection opened, its first calls not counted
            call(item)
        start.wait()
        times = []
        stop = time.monotonic() + seconds
        pace = random.Random(seed) if rate else None
        each = (rate or 0.0) / clients  # this client's calls a second
        due = time.perf_counter()
        i = 0
        while time.monotonic() < stop:
            if pace is not None:
                due += pace.expovariate(each)
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                t = due
            else:
                t = time.perf_counter()
            call(share[i % len(share)])
            times.append(time.perf_counter() - t)
            i += 1
        results.put(times)

    procs = [ctx.Process(target=client, args=(items[k::clients], k)) for k in range(clients)]
    for p in procs:
        p.start()
    times = [t for _ in procs for t in results.get()]
    for p in procs:
        p.join()
    return times


def summary(times: list[float], seconds: float | None = None) -> dict[str, float]:
    out = {"calls": len(times), "p50_ms": pct(times, 0.5), "p95_ms": pct(times, 0.95)}
    if seconds:
        out["per_s"] = round(len(times) / seconds)
    return out


def locate_bench(
    points: int = 5_000,
    buildings: int = 300,
    seconds: float = 20,
    seed: int = 1,
    rates: Sequence[float] = (),
    cpu: bool = False,
) -> dict[str, Any]:
    """Locating and resolving over the imported city with whatever engine GRID_ENGINE selects,
    through the selectors the API calls: the warm start's time, one caller's p50/p95, then
    p50/p95 and calls per second of CLIENTS callers at once, and the warm process's PSS (a
    gunicorn worker's: bench/bench_memory.py --gunicorn). Each of `rates`: resolving again by
    the same clients at that many calls a second in all, open loop (see `concurrently`). With
    `cpu`: the CPU a resolve takes, this process's and PostgreSQL's, over all the queries and
    for each variation (`cpu_per_call`), one caller, before the concurrent runs."""
    from wangge.grids import indexes
    from wangge.grids.models import Building, GridLevel, GridNode

    t = time.perf_counter()
    indexes.warm()
    warm_s = time.perf_counter() - t
    rng = random.Random(seed)
    spots = [(rng.uniform(113.30, 114.10), rng.uniform(34.50, 35.00)) for _ in range(points)]
    queries = resolve_queries(buildings, seed)
    _locate(spots[0])
    _resolve(queries[0])
    out: dict[str, Any] = {
        "engine": os.environ.get("GRID_ENGINE", "(default)"),
        "micro_grids": GridNode.objects.filter(level=GridLevel.MICRO).count(),
        "buildings": Building.objects.count(),
        "warm_s": round(warm_s, 2),
        "pss_mb_warm": pss_mb(),
        "load_before": [round(v, 2) for v in os.getloadavg()],
    }
    times, hits = timed(_locate, spots)
    out["locate_1_client"] = {**summary(times), "hits": sum(h is not None for h in hits)}
    times, answers = timed(_resolve, queries)
    out["resolve_1_client"] = summary(times)
    kinds: dict[str, dict[str, Any]] = {}
    for (kind, _q, meant), answer, took in zip(queries, answers, times, strict=True):
        row = kinds.setdefault(kind, {"queries": 0, "right": 0, "times": []})
        row["queries"] += 1
        row["right"] += answer == meant
        row["times"].append(took)
    out["resolve_by_variation"] = {
        kind: {"queries": r["queries"], "right": r["right"], "p95_ms": pct(r["times"], 0.95)}
        for kind, r in kinds.items()
    }
    out["pss_mb_after"] = pss_mb()
    if cpu:
        by_kind: dict[str, list[Any]] = {}
        for query in queries:
            by_kind.setdefault(query[0], []).append(query)
        out["resolve_cpu"] = {"all": cpu_per_call(_resolve, queries)} | {
            kind: cpu_per_call(_resolve, items) for kind, items in sorted(by_kind.items())
        }
    out["clients"] = CLIENTS
    out["locate_16_clients"] = summary(concurrently(_locate, spots, CLIENTS, seconds), seconds)
    out["resolve_16_clients"] = summary(concurrently(_resolve, queries, CLIENTS, seconds), seconds)
    for rate in rates:
        out[f"resolve_16_clients_at_{rate:g}_per_s"] = summary(
            concurrently(_resolve, queries, CLIENTS, seconds, rate), seconds
        )
    out["load_after"] = [round(v, 2) for v in os.getloadavg()]
    return out


def cmd_locate(args: argparse.Namespace) -> None:
    setup_django()
    result = locate_bench(
        buildings=args.buildings, seconds=args.seconds, rates=args.rate, cpu=args.cpu
    )
    print(json.dumps({"benchmark": "city locate and resolve", **result}, ensure_ascii=False))


if __name__ == "__main__":
    main()
