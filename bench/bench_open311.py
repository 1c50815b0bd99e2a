"""The application's CPU time per request, beside throughput and latency, under wrk on PostgreSQL.

    python bench/bench_open311.py [--seconds 30] [--connections 16] [--fill 30000]
                                  [--scenarios post,get,intake] [--rounds 1] [--profile DIR]
                                  [--open-per-handler 20]
                                  [--peer MASTER_PID,BASE_URL,SERVICE_CODE,API_KEY]

Seeds the demo district into BENCH_DATABASE_URL (default: its own database, wangge_bench_open311),
gives every street, community and grid boundary the vertex count of a surveyed one (the same
shapes, densified: the demo's rectangles hide what loading a real polygon costs), fills the
table to `--fill` cases over the last 90 days, and starts gunicorn with the production settings
of `wangge.gunicorn_conf` (2 workers x 2 threads, reuse_port, preloaded). Then, for each
scenario, a 5 s warm-up, the district's steady state (each handler keeps its newest
`--open-per-handler` open cases, 20 by default, the rest closed; VACUUM ANALYZE, as autovacuum
would) and a wrk run (2 threads x `--connections`):

    post    POST /open311/v2/requests.json, form-encoded, a point inside the district
    get     GET  /open311/v2/requests.json, the default page, as a district-wide account
    get1000 the same with page_size=1000, the largest page (not run unless named)
    intake  POST /api/v1/cases (JSON), as bench_intake.py sends it

The CPU figure is what a profiler on a shared machine can trust: the user + system time of the
gunicorn worker processes (/proc/PID/stat) over the run, divided by the requests answered. The
same is given for the whole PostgreSQL server (its processes and those that ended during the
run, from the postmaster's /proc entry: keep other databases idle meanwhile). Requests per
second move with whatever else runs on the machine; CPU per request does not.

`--profile DIR` also records each run with py-spy (if installed) into DIR/<scenario>-<pid>.txt,
sampling only the thread that holds the interpreter (`--gil`): Python's own CPU, not the waits
for PostgreSQL.

`--peer` names another Open311 server already running on this machine (a gunicorn master's pid,
the base URL of its GeoReport v2 API, a service code and an api_key it accepts; started by its
own recipe, such as ../shared/peer311/run_peer.sh, on the same PostgreSQL server). Right after
wangge's `post` and `get` runs of each round it gets the same run: the same form bodies with its
own service code and key, and its own default page. Its CPU is read the same way, so the two
are compared in alternating turns under the same background load.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

os.environ.setdefault(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_bench_open311"
)
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import BENCH_DB, INTAKE_TEXTS, ROOT, bench_env, manage, prepare, wait_healthy

TICKS = os.sysconf("SC_CLK_TCK")
# Vertex counts of surveyed boundaries in the demo district's source data are in these ranges
# (a street 2,000-6,000, a community 500-2,000, a grid a few hundred).
VERTICES = {"street": 4000, "community": 1200, "grid": 300}

# Each wrk thread has a Lua state of its own: the 201s and 200s are counted per thread and
# summed in `done` through the thread objects `setup` kept.
REPORT_LUA = r"""
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
response = function(status, headers, body)
  if status == 201 then created = (created or 0) + 1 end
  if status == 200 then ok = (ok or 0) + 1 end
end
done = function(summary, latency, requests)
  for _, q in ipairs({50, 90, 99}) do
    io.write(string.format("pct %s %.2f\n", q, latency:percentile(q) / 1000))
  end
  io.write(string.format("errors %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
  local n, m = 0, 0
  for _, thread in ipairs(threads) do
    n = n + (thread:get("created") or 0)
    m = m + (thread:get("ok") or 0)
  end
  io.write(string.format("created %d\nok %d\n", n, m))
end
"""


def lua_post_open311(
    api_key: str,
    service_code: str,
    points: list[tuple[float, float]],
    path: str = "/open311/v2/requests.json",
) -> str:
    bodies = []
    for i in range(200):
        lon, lat = points[i % len(points)]
        form = {
            "service_code": service_code,
            "lat": f"{lat:.6f}",
            "long": f"{lon:.6f}",
            "description": f"路面坑洼，电动车容易摔倒（压测 {i}）",
            "api_key": api_key,
        }
        bodies.append(urllib.parse.urlencode(form))
    lua_bodies = ",\n".join("[==[" + b + "]==]" for b in bodies)
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local bodies = {{
{lua_bodies}
}}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "{path}", nil, bodies[(n % #bodies) + 1])
end
{REPORT_LUA}
"""


def lua_get_open311(path: str, token: str = "") -> str:
    """GET `path`, as the holder of `token` (the peer's requests are public: no token)."""
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    return f"""
wrk.method = "GET"
{auth}
request = function()
  return wrk.format(nil, "{path}")
end
{REPORT_LUA}
"""


def lua_intake(token: str, points: list[tuple[float, float]]) -> str:
    texts = INTAKE_TEXTS
    rng = random.Random(7)
    bodies = []
    for i in range(400):
        lon, lat = points[i % len(points)]
        text, category = texts[i % len(texts)]
        body: dict[str, object] = {
            "description": f"{text}（压测 {i}）",
            "location": {"lon": lon, "lat": lat},
        }
        if category and rng.random() < 0.5:
            body["category"] = category
        bodies.append(json.dumps(body, ensure_ascii=False))
    lua_bodies = ",\n".join("[==[" + b + "]==]" for b in bodies)
    return f"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
local bodies = {{
{lua_bodies}
}}
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/cases", nil, bodies[(n % #bodies) + 1])
end
{REPORT_LUA}
"""


# --- set-up --------------------------------------------------------------------------------

DENSIFY = """
import json
from shapely.geometry import mapping, shape
from wangge.grids.models import GridNode
targets = json.loads(%r)
changed = 0
for level, want in targets.items():
    for node in GridNode.objects.filter(level=level).exclude(boundary=None):
        geom = shape(node.boundary)
        have = len(geom.exterior.coords) if geom.geom_type == "Polygon" else 0
        if not have or have >= want:
            continue
        dense = geom.segmentize(geom.exterior.length / want)
        GridNode.objects.filter(pk=node.pk).update(boundary=mapping(dense))
        changed += 1
print(changed)
"""

FILL = """
from django.db import connection, transaction
from wangge.cases.models import Case
from wangge.cases.retention import PURGE_SETTING
want = %d
have = Case.objects.count()
if have > want:
    # Earlier invocations' intakes: back to the size asked for, so that figures from separate
    # invocations are on tables of the same size. The newest go, with their timeline rows,
    # photos and inbox messages. Written out: a case is voided, never deleted, except the
    # generated district's, which is all the bench database holds, in a transaction that says
    # so as case_purge_sample's does; the foreign keys are checked at commit.
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config(%%s, 'on', true)", [PURGE_SETTING])
        cur.execute("SELECT id FROM cases_case ORDER BY id DESC LIMIT %%s", [have - want])
        doomed = [row[0] for row in cur.fetchall()]
        cur.execute("DELETE FROM cases_caseattachment WHERE case_id = ANY(%%s)", [doomed])
        cur.execute("DELETE FROM cases_caseevent WHERE case_id = ANY(%%s)", [doomed])
        cur.execute(
            "DELETE FROM notifications_notification WHERE topic = ANY(%%s)",
            [[f"case:{pk}" for pk in doomed]],
        )
        cur.execute("DELETE FROM cases_case WHERE id = ANY(%%s)", [doomed])
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE cases_case")
elif have < want:
    seeds = list(Case.objects.exclude(number=None).order_by("pk")[:200])
    rows = []
    for i in range(want - have):
        c = seeds[i %% len(seeds)]
        c.pk = None
        c.number = None
        c.external_id = None
        rows.append(Case(**{f.attname: getattr(c, f.attname) for f in Case._meta.concrete_fields}))
    Case.objects.bulk_create(rows, batch_size=2000)
    with connection.cursor() as cur:
        # created_at is set on insert (auto_now_add): spread the copies over the 90-day window
        # GET requests reads by default.
        cur.execute(
            "UPDATE cases_case SET number = 'B' || lpad(id::text, 9, '0'),"
            " created_at = now() - random() * interval '89 days' - interval '1 hour'"
            " WHERE number IS NULL"
        )
        cur.execute("ANALYZE cases_case")
print(Case.objects.count())
"""


# A district's handlers close cases about as fast as they come in, so each has a handful open,
# not the hundreds that copying the demo's open cases into the fill and piling every run's
# intakes onto the demo's few handlers leave behind: the least-loaded handler's count of open
# cases read them all, so the database's CPU per intake grew with every run. Before each run
# every handler (and the desks' unassigned queue) keeps its newest `--open-per-handler` open
# cases and the older ones are closed; then VACUUM (ANALYZE), as autovacuum does on a production
# server (on in Debian's PostgreSQL, off on this machine kind's).
OPEN_STATUSES = ("pending", "dispatched", "signed", "suspended", "resolved", "returned")
STEADY_STATE = """
UPDATE cases_case c SET status = 'closed', closed_at = COALESCE(c.closed_at, now())
FROM (SELECT id, row_number() OVER (PARTITION BY assignee_id ORDER BY created_at DESC, id DESC) AS n
      FROM cases_case WHERE status = ANY(%s)) o
WHERE c.id = o.id AND o.n > %s
"""


def steady_state(open_per_handler: int) -> int:
    """Close what a district would have closed by now (see STEADY_STATE); answer how many."""
    import psycopg

    if open_per_handler < 0:
        return 0
    with psycopg.connect(BENCH_DB, autocommit=True) as conn:
        closed = conn.execute(STEADY_STATE, [list(OPEN_STATUSES), open_per_handler]).rowcount
        conn.execute("VACUUM (ANALYZE) cases_case, cases_caseevent, notifications_notification")
    return closed


def case_count() -> int:
    import psycopg

    with psycopg.connect(BENCH_DB, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM cases_case").fetchone()
        assert row is not None
        return int(row[0])


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1]


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(p) for p in children]


def all_workers(master: int, count: int, seconds: float = 60) -> list[int]:
    """The master's `count` workers, once it has forked them all. The first worker can answer
    the health check before the master has forked the next: a run measured on the pids read
    then would count one worker's CPU and charge it to every request."""
    deadline = time.monotonic() + seconds
    while True:
        pids = worker_pids(master)
        if len(pids) == count:
            return pids
        if time.monotonic() > deadline:
            sys.exit(f"gunicorn {master} has {len(pids)} workers, not {count}")
        time.sleep(0.2)


def cpu_seconds(pids: list[int], kernel_only: bool = False) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        # utime, stime (fields 14 and 15)
        total += int(fields[12]) if kernel_only else int(fields[11]) + int(fields[12])
    return total / TICKS


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy so far, over all cores (/proc/stat: every column
    but idle and iowait): app, database, wrk and the kernel's network work together. Two cores
    answering r requests a second have 2000 / r ms of it per request."""
    cols = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(cols[:8]) - cols[3] - cols[4]) / TICKS


def postmaster_pid() -> int:
    import psycopg

    with psycopg.connect(BENCH_DB, autocommit=True) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
        assert row is not None
        # A backend's parent is the postmaster (read while the backend is still there).
        return int(Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()[1])


def postgres_cpu_seconds(postmaster: int) -> float:
    """CPU used so far by the whole PostgreSQL server: the processes it runs now, and those that
    have ended, which the postmaster has waited for (its cutime + cstime). Sampling the bench
    database's backends instead lost the work of any backend that started or ended during a
    run (a worker's connection reaching DB_CONN_MAX_AGE is replaced), and read 0 when the
    serving backends were all new. WAL writer, checkpointer and autovacuum are counted too:
    the load causes their work."""
    fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
    ended = int(fields[13]) + int(fields[14])  # cutime, cstime (fields 16 and 17)
    return ended / TICKS + cpu_seconds([postmaster, *worker_pids(postmaster)])


def memory_mb(pids: list[int]) -> list[dict[str, int]]:
    """RSS, and PSS (pages shared with the master and the other worker counted by share: what
    each worker really adds), from /proc/PID/smaps_rollup."""
    out = []
    for pid in pids:
        fields = {}
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                fields[name.lower() + "_mb"] = round(int(rest.split()[0]) / 1024)
        out.append(fields)
    return out


def wait_idle(pids: list[int], seconds: float = 120) -> None:
    """Until the workers have finished what an earlier run left queued (wrk stops sending,
    not the server working): a run must not be charged for its predecessor's requests."""
    deadline = time.monotonic() + seconds
    before = cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(pids)
        if now - before < 0.05:
            return
        before = now


def run_wrk(
    url: str, script: Path, seconds: int, connections: int, profile: Path | None, pids: list[int]
) -> dict[str, object]:
    spies = []
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if profile is not None and Path(spy).exists():
        for pid in pids:
            spies.append(
                subprocess.Popen(
                    [
                        spy,
                        "record",
                        "--gil",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(seconds),
                        "--format",
                        "raw",
                        "--nonblocking",
                        "-o",
                        str(profile / f"{script.stem}-{pid}.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
    wait_idle(pids)
    load = os.getloadavg()[0]
    app0, wall0 = cpu_seconds(pids), time.monotonic()
    kernel0 = cpu_seconds(pids, kernel_only=True)
    busy0 = machine_busy_seconds()
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    wall1 = time.monotonic()
    busy1 = machine_busy_seconds()
    # Requests wrk gave up on are still answered: their CPU counts, and so do they if they
    # finish (a timeout is counted as an error, not hidden).
    wait_idle(pids)
    app1 = cpu_seconds(pids)
    kernel1 = cpu_seconds(pids, kernel_only=True)
    for proc in spies:
        proc.wait()
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    pct = {m.group(1): float(m.group(2)) for m in re.finditer(r"pct ([\d.]+) ([\d.]+)", out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = [int(x) for x in re.search(r"errors ([\d ]+)", out).group(1).split()]  # type: ignore[union-attr]
    created = re.search(r"^created (\d+)$", out, re.MULTILINE)
    ok = re.search(r"^ok (\d+)$", out, re.MULTILINE)
    return {
        "requests": total,
        "rps": round(total / (wall1 - wall0), 1),
        "p50_ms": pct.get("50"),
        "p90_ms": pct.get("90"),
        "p99_ms": pct.get("99"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "socket_errors": sum(errors[:3]) + errors[4],
        "answered_201": int(created.group(1)) if created else None,
        "answered_200": int(ok.group(1)) if ok else None,
        "app_cpu_ms_per_request": round(1000 * (app1 - app0) / max(total, 1), 2),
        # Of which in the kernel on the workers' behalf (sockets, epoll, the threads' hand-offs).
        "app_system_ms_per_request": round(1000 * (kernel1 - kernel0) / max(total, 1), 2),
        # Everything the machine did during the run (wrk too), per request answered.
        "machine_cpu_ms_per_request": round(1000 * (busy1 - busy0) / max(total, 1), 2),
        "load_average_before": round(load, 2),
    }


def warm_up(url: str, script: Path) -> None:
    subprocess.run(
        ["wrk", "-t2", "-c4", "-d5s", "-s", str(script), url], capture_output=True, check=True
    )


def measured_run(
    url: str,
    script: Path,
    args: argparse.Namespace,
    pids: list[int],
    postmaster: int,
    profile: Path | None = None,
) -> dict[str, object]:
    """`run_wrk` with the PostgreSQL server's CPU per request beside the workers'."""
    pg0 = postgres_cpu_seconds(postmaster)
    row = run_wrk(url, script, args.seconds, args.connections, profile, pids)
    used = postgres_cpu_seconds(postmaster) - pg0
    row["db_cpu_ms_per_request"] = round(1000 * used / max(int(row["requests"]), 1), 2)  # type: ignore[call-overload]
    return row


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8631)
    ap.add_argument("--fill", type=int, default=30000, help="cases in the table before the runs")
    ap.add_argument("--scenarios", default="post,get,intake")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the scenarios, interleaved")
    ap.add_argument("--profile", type=Path, default=None, help="py-spy output folder")
    ap.add_argument("--no-densify", action="store_true", help="keep the demo's small polygons")
    ap.add_argument(
        "--peer",
        default="",
        help="another Open311 server to load in turns: MASTER_PID,BASE_URL,SERVICE_CODE,API_KEY",
    )
    ap.add_argument(
        "--open-per-handler",
        type=int,
        default=20,
        help="open cases each handler keeps before a run (older ones closed); -1 closes none",
    )
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    var = tempfile.mkdtemp(prefix="wangge-bench-")
    env = bench_env(var)
    env["RATELIMIT_ENABLE"] = "false"  # one api_key posts thousands of reports a minute here
    prepare(env)
    if not args.no_densify:
        print("boundaries densified:", shell(env, DENSIFY % json.dumps(VERTICES)))
    print("cases in the table:", shell(env, FILL % args.fill))
    resident = manage(env, "create_api_token", "13800000014", "--name", "bench", capture=True)
    admin = manage(env, "create_api_token", "13800000001", "--name", "bench", capture=True)
    resident, admin = resident.strip(), admin.strip()
    points_json = shell(
        env,
        "import json,random;from wangge.grids.models import Building;"
        "r=random.Random(1);rows=list(Building.objects.values_list('lon','lat')[:20000]);"
        "print(json.dumps(r.sample(rows,200)))",
    )
    points = [tuple(p) for p in json.loads(points_json)]
    service_code = shell(
        env,
        "from wangge.open311.selectors import leaf_services;"
        "print(leaf_services().filter(code='CSGL-01').first().code)",
    )
    scripts = {
        "post": lua_post_open311(resident, service_code, points),  # type: ignore[arg-type]
        "get": lua_get_open311("/open311/v2/requests.json", admin),
        "get1000": lua_get_open311("/open311/v2/requests.json?page_size=1000", admin),
        "intake": lua_intake(resident, points),  # type: ignore[arg-type]
    }
    chosen = [s for s in args.scenarios.split(",") if s]
    for name in chosen:
        (Path(var) / f"{name}.lua").write_text(scripts[name], encoding="utf-8")
    peer: tuple[int, str] | None = None
    if args.peer:
        master, base, peer_service, peer_key = args.peer.split(",", 3)
        peer = (int(master), base.rstrip("/"))
        path = urllib.parse.urlsplit(peer[1]).path + "/requests.json"
        peer_scripts = {
            "post": lua_post_open311(peer_key, peer_service, points, path),  # type: ignore[arg-type]
            "get": lua_get_open311(path),
        }
        for name, text in peer_scripts.items():
            (Path(var) / f"peer-{name}.lua").write_text(text, encoding="utf-8")
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)

    genv = {
        **env,
        "WEB_BIND": f"127.0.0.1:{args.port}",
        "WEB_WORKERS": str(args.workers),
        "WEB_THREADS": str(args.threads),
        # docs/deploy.md's layout (no access log from gunicorn behind nginx) unless asked.
        "WEB_ACCESS_LOG": os.environ.get("WEB_ACCESS_LOG", "off"),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi"],
        cwd=ROOT,
        env=genv,
    )
    results: list[dict[str, object]] = []
    url = f"http://127.0.0.1:{args.port}"
    try:
        wait_healthy(url, 300)
        pids = all_workers(server.pid, args.workers)
        postmaster = postmaster_pid()
        for round_ in range(args.rounds):
            for name in chosen:
                script = Path(var) / f"{name}.lua"
                warm_up(url, script)
                steady_state(args.open_per_handler)
                cases0 = case_count()
                # Read again, so a worker replaced since the last run is the one counted.
                pids = all_workers(server.pid, args.workers)
                measured = measured_run(url, script, args, pids, postmaster, args.profile)
                row = {"scenario": name, "round": round_ + 1, **measured}
                if not name.startswith("get"):
                    # Every case written was answered as created (201 from the JSON API; 200
                    # from Open311, whose POST answers 200 with the new request), and every such
                    # answer is a case. wrk stops reading at its deadline: the requests then in
                    # flight (at most one per connection) are still served and written, never
                    # answered to it.
                    answered = row["answered_201" if name == "intake" else "answered_200"]
                    written = case_count() - cases0
                    row["cases_written"] = written
                    row["written_not_seen_answered"] = written - int(answered or 0)  # type: ignore[call-overload]
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                if peer is not None and name in ("post", "get"):
                    peer_script, peer_url = Path(var) / f"peer-{name}.lua", f"{peer[1]}/"
                    warm_up(peer_url, peer_script)
                    peer_pids = worker_pids(peer[0])
                    measured = measured_run(peer_url, peer_script, args, peer_pids, postmaster)
                    row = {"scenario": f"peer {name}", "round": round_ + 1, **measured}
                    results.append(row)
                    print(json.dumps(row, ensure_ascii=False), flush=True)
        page = urllib.request.Request(  # noqa: S310 (our own server)
            f"{url}/open311/v2/requests.json", headers={"Authorization": f"Bearer {admin}"}
        )
        with urllib.request.urlopen(page) as r:  # noqa: S310 (our own server)
            body = r.read()
        page_items = len(json.loads(body))
        worker_memory = memory_mb(pids)
        peer_memory = memory_mb(worker_pids(peer[0])) if peer is not None else None
    finally:
        server.terminate()
        server.wait(timeout=60)
    summary = {
        "benchmark": "Open311 POST/GET and JSON intake: app CPU per request",
        "database": "postgresql",
        "gunicorn": f"{args.workers} workers x {args.threads} threads (wangge.gunicorn_conf)",
        "wrk": f"2 threads x {args.connections} connections, {args.seconds} s",
        "boundaries": "demo rectangles" if args.no_densify else f"densified to {VERTICES}",
        "open_per_handler_before_each_run": args.open_per_handler,
        "cases_in_table": shell(
            env, "from wangge.cases.models import Case;print(Case.objects.count())"
        ),
        "get_page_items": page_items,
        "get_page_bytes": len(body),
        "worker_memory_after": worker_memory,
        **({"peer_worker_memory_after": peer_memory} if peer is not None else {}),
        "machine": f"{os.cpu_count()} cores {platform.machine()}, {platform.python_version()}",
        "runs": results,
    }
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
