"""Two web nodes behind nginx, as docs/deploy.md's "Several machines" sets them up (run by
.ci/two-node-smoke with the nodes' environment loaded, in their virtualenv).

Through nginx and at each node's own address: requests answered by both nodes in turn, a
session made on one valid on the other, a photo reported through node 1 served through node 2
from the shared object store, the periodic jobs enqueued by one worker only, once a minute, and
50 reports sent while node 2 is killed with SIGKILL, each sent again until answered, stored once
each, and with the database engine a building imported while they run found through either
and its forms stored by the worker. `--poll STOPFILE` instead asks nginx for /healthz until STOPFILE exists (during the
rolling restart) and fails on any answer but 200.
"""

import io
import itertools
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import django
import httpx
from PIL import Image

SITE = "https://127.0.0.1"
HOST = "wangge.example.cn"
NODES = {"127.0.0.1:8001": "node 1", "127.0.0.1:8002": "node 2"}  # docs/deploy.md, step 4
NODE_1, NODE_2 = (f"http://{address}" for address in NODES)
PASSWORD = "smoke-Test-2026-pw"
MICRO = "410302001001001001"
STATE = Path("/run/wangge-smoke")  # the systemctl stand-in's pid files and logs (.ci/shim)
ACCESS_LOG = Path("/var/log/nginx/wangge.access.log")
REPORTS, REPORTERS = 50, 10  # ten residents, five reports each: within RATE_LIMIT_CASE_INTAKE
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        failures.append(what)


def through_nginx() -> httpx.Client:
    return httpx.Client(
        base_url=SITE,
        headers={"Host": HOST, "Referer": f"https://{HOST}/"},
        verify=False,  # the smoke node's self-signed certificate
        timeout=30,
    )


def at_node(base: str, session: httpx.Client | None = None) -> httpx.Client:
    """A node's own address, as nginx reaches it: plain HTTP, the scheme in X-Forwarded-Proto.
    The session's cookies are Secure, so they are passed by hand rather than by the jar."""
    headers = {"Host": HOST, "Referer": f"https://{HOST}/", "X-Forwarded-Proto": "https"}
    if session is not None:
        cookies = {name: session.cookies.get(name) or "" for name in ("sessionid", "csrftoken")}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers["X-CSRFToken"] = cookies["csrftoken"]
    return httpx.Client(base_url=base, headers=headers, timeout=30)


def wait_until_serving(deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    for base in (NODE_1, NODE_2, SITE):
        client = through_nginx() if base == SITE else at_node(base)
        while True:
            try:
                if client.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                check(False, f"{base} answers /healthz within {deadline_s:.0f} s")
                sys.exit(1)
            time.sleep(0.5)
    check(True, "both nodes and nginx answer /healthz")


def answered_by(probes: list[str]) -> dict[str, str]:
    """The node that answered each probe, from nginx's access log ($upstream_addr ends the
    line, before the user agent)."""
    found: dict[str, str] = {}
    pattern = re.compile(r"[?&]probe=([\w-]+)[ &].* (\S+) \"[^\"]*\"$")
    for line in ACCESS_LOG.read_text(encoding="utf-8", errors="replace").splitlines():
        m = pattern.search(line)
        if m and m.group(1) in probes:
            found[m.group(1)] = NODES.get(m.group(2), m.group(2))
    return found


def requests_alternate(client: httpx.Client, path: str, what: str, count: int = 10) -> bool:
    run = uuid.uuid4().hex[:10]
    probes = [f"{run}-{i}" for i in range(count)]
    statuses = []
    for probe in probes:
        r = client.get(path, params={"probe": probe}, follow_redirects=False)
        statuses.append(r.status_code)
    time.sleep(0.3)  # nginx writes each line as the request ends; let the last one land
    nodes = answered_by(probes)
    per_node = {name: list(nodes.values()).count(name) for name in NODES.values()}
    ok = all(s == 200 for s in statuses) and len(nodes) == count
    ok = ok and all(n >= count // 2 - 2 for n in per_node.values())
    check(ok, f"{what}: {count} requests through nginx → {per_node}, statuses {set(statuses)}")
    return ok


def people() -> list[str]:
    """Ten residents of one micro-grid, made once through the services."""
    from wangge.accounts.models import Role, User
    from wangge.accounts.services import role_grant, user_create
    from wangge.grids.models import GridNode

    micro = GridNode.objects.get(code=MICRO)
    phones = []
    for n in range(REPORTERS):
        phone = f"139222200{n:02d}"
        if not User.objects.filter(phone=phone).exists():
            user = user_create(phone=phone, name=f"居民{n + 1}号", password=PASSWORD)
            role_grant(user=user, role=Role.RESIDENT, node=micro)
        phones.append(phone)
    return phones


def sign_in(phone: str) -> httpx.Client:
    c = through_nginx()
    page = c.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, f"login form without a CSRF token ({page.status_code})"
    r = c.post(
        "/accounts/login/",
        data={"username": phone, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"https://{HOST}/accounts/login/"},
    )
    if r.status_code != 302:
        check(False, f"{phone} signs in through nginx → {r.status_code}")
        sys.exit(1)
    return c


def one_session_on_both(resident: httpx.Client) -> None:
    requests_alternate(resident, "/m/me/", "a signed-in resident's page")
    for base, name in zip((NODE_1, NODE_2), NODES.values(), strict=True):
        r = at_node(base, resident).get("/m/me/", follow_redirects=False)
        check(
            r.status_code == 200,
            f"the session signed in through nginx, at {name} → {r.status_code}",
        )


def jpeg(seed: int = 0, size: tuple[int, int] = (1200, 900)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (180, 90 + seed % 100, 40)).save(out, format="JPEG")
    return out.getvalue()


def photo_across_nodes(resident: httpx.Client) -> None:
    """Reported at node 1, cleaned by whichever worker takes the job, served by node 2 with a
    redirect to the object store."""
    node_1, node_2 = at_node(NODE_1, resident), at_node(NODE_2, resident)
    r = node_1.post(
        "/api/v1/cases",
        data={
            "description": "小区门口路灯不亮（两节点）",
            "address": "中州东路青年宫小区",
            "channel": "resident",
        },
        files=[("photos", ("lamp.jpg", jpeg(), "image/jpeg"))],
    )
    check(r.status_code == 201, f"a report with a photo at node 1 → {r.status_code}")
    if r.status_code != 201:
        return
    case_id = r.json()["id"]
    deadline = time.monotonic() + 60
    url = ""
    while time.monotonic() < deadline:
        photos = node_2.get(f"/api/v1/cases/{case_id}").json().get("photos") or []
        url = str(photos[0]["url"]) if photos else ""
        if url.startswith("/media/"):
            break
        time.sleep(1)
    check(url.startswith("/media/"), f"node 2 shows the case's photo, cleaned by a worker: {url}")
    if not url.startswith("/media/"):
        return
    r = node_2.get(url, follow_redirects=False)
    location = r.headers.get("location", "")
    endpoint = os.environ["S3_ENDPOINT_URL"]
    check(
        r.status_code == 302 and location.startswith(endpoint),
        f"node 2: the photo → {r.status_code} to the object store ({location[:60]}…)",
    )
    if r.status_code == 302:
        got = httpx.get(location, timeout=30)
        ok = got.status_code == 200 and got.content[:2] == b"\xff\xd8" and len(got.content) > 1000
        check(ok, f"the presigned URL → {got.status_code}, {len(got.content)} bytes of JPEG")
    name = url.removeprefix("/media/")
    check(
        not (Path("/srv/wangge/media") / name).exists(),
        "the photo is in the bucket, not on a node's disk",
    )
    r = at_node(NODE_2).get(url, follow_redirects=False)
    check(r.status_code in (302, 404), f"nobody signed in, at node 2: the photo → {r.status_code}")
    if r.status_code == 302:
        check(not r.headers.get("location", "").startswith(endpoint), "…and not to the store")


def kill_node_2() -> None:
    pid_file = STATE / "wangge-web-2.pid"
    os.killpg(int(pid_file.read_text()), signal.SIGKILL)  # gunicorn's master and its workers
    # The stand-in's record of the unit, which systemd would drop with the unit's processes: a
    # killed process nobody has reaped yet still answers `kill -0`.
    pid_file.unlink()


def reports_survive_a_killed_node(residents: list[httpx.Client]) -> None:
    from wangge.cases.models import Case

    run = uuid.uuid4().hex[:8]
    marker = f"〔冒烟{run}〕"
    jobs = [(residents[i % REPORTERS], i) for i in range(REPORTS)]
    answered = 0
    lock = threading.Lock()
    killed = threading.Event()
    tries: list[tuple[int, int]] = []  # (attempts, final status) per report
    failed_attempts: list[str] = []

    def send(job: tuple[httpx.Client, int]) -> int | None:
        nonlocal answered
        client, i = job
        csrf = client.cookies.get("csrftoken") or ""
        for attempt in range(1, 31):
            try:
                r = client.post(
                    "/api/v1/cases",
                    data={
                        "description": f"{marker} 第{i + 1}件：楼道堆放杂物，影响通行",
                        "address": "中州东路青年宫小区3号楼",
                        "channel": "resident",
                        # The app's own id for the report: a resend is the same report.
                        "external_id": f"smoke-{run}-{i}",
                    },
                    files=[("photos", (f"{i}.jpg", jpeg(i, (640, 480)), "image/jpeg"))],
                    headers={"X-CSRFToken": csrf},
                    timeout=15,
                )
                if r.status_code in (200, 201):
                    with lock:
                        answered += 1
                        tries.append((attempt, r.status_code))
                        if answered == REPORTS // 3 and not killed.is_set():
                            kill_node_2()
                            killed.set()
                    return r.json()["id"]
                outcome = f"{r.status_code}"
                if r.status_code not in (502, 503, 504):
                    with lock:
                        failed_attempts.append(f"report {i}: {r.status_code} {r.text[:120]}")
                    return None
            except httpx.HTTPError as exc:
                outcome = type(exc).__name__
            with lock:
                failed_attempts.append(f"report {i}, attempt {attempt}: {outcome}")
            time.sleep(0.3)
        return None

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = list(pool.map(send, jobs))
    took = time.monotonic() - started
    check(killed.is_set(), f"node 2 killed (SIGKILL) after {REPORTS // 3} of {REPORTS} reports")
    resent = sum(1 for attempts, _status in tries if attempts > 1)
    # 200: the report was stored by an attempt whose answer was lost (the node died after
    # committing), and the resend was answered with that case.
    found = sum(1 for _attempts, status in tries if status == 200)
    print(
        f"     {REPORTS} reports in {took:.1f} s; {len(failed_attempts)} attempts failed, "
        f"{resent} reports sent more than once, {found} of them already stored (200)",
        flush=True,
    )
    for line in failed_attempts[:8]:
        print(f"       {line}")
    check(all(ids), f"every report answered 200/201 in the end ({sum(map(bool, ids))}/{REPORTS})")
    stored = Case.objects.filter(description__startswith=marker)
    count = stored.count()
    distinct = stored.values("external_id").distinct().count()
    check(count == REPORTS, f"exactly {REPORTS} cases stored: {count}")
    check(distinct == REPORTS, f"none missing, none twice: {distinct} distinct report ids")
    check(len(set(filter(None, ids))) == REPORTS, "each answer names its own case")
    from wangge.cases.models import CaseAttachment

    photos = CaseAttachment.objects.filter(case__in=stored).count()
    check(photos == REPORTS, f"one photo per case, none doubled: {photos}")


def node_2_back(resident: httpx.Client) -> None:
    # The service manager on PATH: systemd's, or the stand-in of .ci/shim in CI.
    systemctl = shutil.which("systemctl") or "systemctl"
    subprocess.run([systemctl, "start", "wangge-web-2"], check=True)  # noqa: S603 (fixed arguments)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if at_node(NODE_2).get("/healthz").status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    # nginx tries a failed node again after fail_timeout (10 s).
    deadline = time.monotonic() + 30
    while True:
        run = uuid.uuid4().hex[:10]
        probes = [f"{run}-{i}" for i in range(4)]
        for probe in probes:
            resident.get("/healthz", params={"probe": probe})
        time.sleep(0.3)
        if "node 2" in answered_by(probes).values() or time.monotonic() > deadline:
            break
        time.sleep(2)
    requests_alternate(resident, "/healthz", "node 2 restarted")


def log_events(path: Path, pattern: re.Pattern[str]) -> list[tuple[float, str]]:
    """(time, task id) of the worker's JSON log lines whose message matches."""
    events = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.startswith("{"):
            continue  # huey's own copy of each line, in its plain format
        entry = json.loads(line)
        m = pattern.search(entry.get("message", ""))
        if m:
            events.append((datetime.fromisoformat(entry["time"]).timestamp(), m.group(1)))
    return events


# A building added while the nodes run, as an import adds one: found through each node by its
# address, its point located there, and its forms stored by the scheduler's worker.
ADDED_CODE = "410302001001001001B009"
ADDED_ADDRESS = "老城区中州东路青年宫小区9号楼"
ADDED_POINT = (112.4685, 34.6905)


def grid_engine_on_both(resident: httpx.Client) -> None:
    """The database engine (GRID_ENGINE=database, docs/deploy.md step 2): the nodes hold no
    polygon or building index and ask PostgreSQL, so a building imported while they run is
    found through either at once, by its address without the district, and its point is
    located in its micro-grid."""
    from django.conf import settings

    from wangge.grids import dbengine
    from wangge.grids.services import buildings_import

    check(settings.GRID_ENGINE == "database", f"the nodes' GRID_ENGINE: {settings.GRID_ENGINE}")
    check(
        dbengine.installed() == {"postgis": True, "pg_trgm": True},
        f"the database engine's schema installed: {dbengine.installed()}",
    )
    lon, lat = ADDED_POINT
    report = buildings_import(f"address,lon,lat,code\n{ADDED_ADDRESS},{lon},{lat},{ADDED_CODE}\n")
    check(
        report.created + report.updated == 1,
        f"a building imported while the nodes run: {report.created} created, {report.updated} "
        f"updated",
    )
    asked = ADDED_ADDRESS.removeprefix("老城区")
    for base, name in zip((NODE_1, NODE_2), NODES.values(), strict=True):
        node = at_node(base, resident)
        found = None
        for _ in range(10):  # a node's place names are checked for changes every 2 s
            r = node.get("/api/v1/grids/resolve-address", params={"q": asked})
            building = r.json().get("building") if r.status_code == 200 else None
            found = building and building.get("code")
            if found == ADDED_CODE:
                break
            time.sleep(1)
        check(found == ADDED_CODE, f"{asked} resolved at {name} → {found}")
        r = node.get("/api/v1/grids/locate", params={"lon": lon, "lat": lat})
        micro = r.json().get("micro_grid") if r.status_code == 200 else None
        code = micro and micro.get("code")
        check(code == MICRO, f"its point located at {name} → {r.status_code} {code}")


def forms_stored_by_the_worker() -> None:
    """The scheduler's worker stored the forms of every building, the one imported while the
    nodes ran included, each current (its hash of the text it was parsed from, one digest for
    all): the nodes read them instead of parsing (docs/maps.md)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), count(DISTINCT f.parsed_with), count(*) FILTER (WHERE b.code = %s "
            "AND f.source = hashtextextended(b.address || b.aliases::text, 0)), "
            "(SELECT count(*) FROM grids_building) "
            "FROM grids_building_forms f JOIN grids_building b ON b.id = f.building_id",
            [ADDED_CODE],
        )
        stored, digests, added, buildings = cursor.fetchone()
    check(
        stored == buildings and digests == 1 and added == 1,
        f"the worker stored the forms of {stored} of {buildings} buildings, over {digests} "
        f"digest(s), the imported one's current: {added == 1}",
    )


def scheduler_runs_once() -> None:
    """The SLA sweep, due every minute: enqueued by node 1's worker alone, once a minute (huey
    checks the schedule every 60 s from the worker's start), and each run taken from the shared
    queue and run once, by whichever worker took it."""
    logs = {n: STATE / f"wangge-worker-{n}.log" for n in (1, 2)}
    task = re.escape("wangge.cases.tasks.sla_sweep")
    queued_at = re.compile(rf"^Enqueueing periodic task {task}: ([0-9a-f-]{{36}})")
    run_by = re.compile(rf"^Executing {task}: ([0-9a-f-]{{36}})")
    deadline = time.monotonic() + 150
    while True:
        # Runs enqueued long enough ago to have been taken by a worker.
        settled = [e for e in log_events(logs[1], queued_at) if e[0] < time.time() - 10]
        if len(settled) >= 2 or time.monotonic() > deadline:
            break
        time.sleep(2)
    check(
        "Periodic tasks are enabled" in logs[1].read_text(),
        "node 1's worker: periodic tasks enabled",
    )
    check(
        "Periodic tasks are disabled" in logs[2].read_text(),
        "node 2's worker: periodic tasks disabled",
    )
    by_2 = log_events(logs[2], queued_at)
    check(not by_2, f"node 2's worker enqueued no periodic job ({len(by_2)})")
    gaps = [round(b[0] - a[0]) for a, b in itertools.pairwise(settled)]
    check(
        len(settled) >= 2 and all(55 <= g <= 65 for g in gaps),
        f"the SLA sweep enqueued {len(settled)}× by node 1's worker, {gaps} s apart",
    )
    runs = {n: [task_id for _t, task_id in log_events(p, run_by)] for n, p in logs.items()}
    for at, task_id in settled:
        ran = {n: ids.count(task_id) for n, ids in runs.items()}
        when = datetime.fromtimestamp(at).strftime("%H:%M:%S")
        check(
            sum(ran.values()) == 1,
            f"the SLA sweep of {when} run once: by worker 1 {ran[1]}×, by worker 2 {ran[2]}×",
        )


def poll(stop: Path) -> None:
    """/healthz through nginx, ten times a second, until `stop` exists."""
    count, failed = 0, []
    with through_nginx() as client:
        while not stop.exists():
            try:
                r = client.get("/healthz")
                ok = r.status_code == 200
                outcome = str(r.status_code)
            except httpx.HTTPError as exc:
                ok, outcome = False, type(exc).__name__
            count += 1
            if not ok:
                failed.append(outcome)
            time.sleep(0.1)
    check(
        count > 0 and not failed,
        f"{count} requests during the rolling restart, {len(failed)} failed {failed[:5]}",
    )


def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if "--poll" in sys.argv:
        poll(Path(sys.argv[sys.argv.index("--poll") + 1]))
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
        django.setup()
        wait_until_serving()
        with through_nginx() as anonymous:
            requests_alternate(anonymous, "/healthz", "nobody signed in")
        phones = people()
        residents = [sign_in(phone) for phone in phones]
        one_session_on_both(residents[0])
        photo_across_nodes(residents[0])
        reports_survive_a_killed_node(residents)
        node_2_back(residents[0])
        grid_engine_on_both(residents[0])
        scheduler_runs_once()
        forms_stored_by_the_worker()  # the job runs each minute: it has since the import
    if failures:
        print(f"{len(failures)} two-node checks failed:", *failures, sep="\n  ")
        sys.exit(1)
    print("two-node checks: every check passed")


if __name__ == "__main__":
    main()
