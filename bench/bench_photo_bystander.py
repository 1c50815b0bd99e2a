"""A bystander's latency while large photo reports are cleaned, in the production layout.

    python bench/bench_photo_bystander.py [--rounds 5] [--reports 4] [--photos 9]
                                          [--progressive | --baseline] [--port 8631]

Seeds the demo district into BENCH_DATABASE_URL (as the other gunicorn benches), starts gunicorn
with `wangge.gunicorn_conf` itself (2 workers x 2 threads, reuse_port, preloaded: the layout
docs/deploy.md ships), and in each round has `--reports` residents' apps POST /api/v1/cases at
the same moment, each with `--photos` 49-megapixel JPEGs (8064x6048, the issue's 575 KB: a
smooth picture saved at quality 85, progressive by default, `--baseline` as a camera writes it).

The job worker runs beside it as docs/deploy.md ships it (`run_huey`, two threads, at the
lower priority of wangge-worker.service's `Nice=`), on the Redis of BENCH_REDIS_URL (default
redis://127.0.0.1:6379/14), and cleans the photos the requests kept as sent; each round also
reports how long after the reports were sent the last photo was clean.

Meanwhile bystanders ask GET /api/v1/grids/locate, one every 25 ms on a schedule that does not
wait for the answers (each on a connection of its own, as separate people's are), for as long as
any report is in flight or any of its photos is still to be cleaned. A bystander's latency
counts from the moment it was due, so one stuck behind a report is counted for the whole of its
wait however many others it held up.

Prints a JSON summary: each report's wall time and status, the gunicorn workers' CPU per report
(/proc), the job worker's CPU and how long the photos took to be clean, the bystanders'
p50/p99/max. Target: bystander p99 < 200 ms.
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import ROOT, bench_env, manage, prepare, wait_healthy


def big_jpeg(progressive: bool) -> bytes:
    """8064x6048 (48.8 MP, a 48 MP sensor's full output) of smooth gradients: at quality 85,
    progressive, about 550 KB, what the issue's reports carried."""
    from PIL import Image

    size = (8064, 6048)
    gx = Image.linear_gradient("L").rotate(90).resize(size)
    gy = Image.linear_gradient("L").resize(size)
    gr = Image.radial_gradient("L").resize(size)
    out = io.BytesIO()
    Image.merge("RGB", (gx, gy, gr)).save(out, format="JPEG", quality=85, progressive=progressive)
    return out.getvalue()


def multipart(fields: dict[str, str], photos: list[bytes]) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for i, data in enumerate(photos):
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; '
                f'filename="IMG_{i:04d}.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


def worker_nice() -> int:
    """The `Nice=` of deploy/wangge-worker.service: the bench runs the worker as shipped."""
    unit = (ROOT / "deploy" / "wangge-worker.service").read_text(encoding="utf-8")
    for line in unit.splitlines():
        if line.startswith("Nice="):
            return int(line.split("=", 1)[1])
    return 0


def process_cpu(pid: int) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    stat = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / tick


def pending_photos(database_url: str) -> int:
    import psycopg

    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as conn:
        row = conn.execute(
            "SELECT count(*) FROM cases_caseattachment WHERE image LIKE 'pending/%%'"
        ).fetchone()
    return int(row[0]) if row else 0


def workers_cpu(master: int) -> float:
    """User + system seconds of the gunicorn workers (children of the master)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            stat = (pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == master:
            total += (int(stat[11]) + int(stat[12])) / tick
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--reports", type=int, default=4)
    ap.add_argument("--photos", type=int, default=9)
    ap.add_argument("--port", type=int, default=8631)
    kind = ap.add_mutually_exclusive_group()
    kind.add_argument("--progressive", dest="progressive", action="store_true", default=True)
    kind.add_argument("--baseline", dest="progressive", action="store_false")
    args = ap.parse_args()

    var = tempfile.mkdtemp(prefix="wangge-bench-photos-")
    env = bench_env(var)
    env.update(RATELIMIT_ENABLE="false", WEB_WORKERS="2", WEB_THREADS="2")
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    env["WEB_BIND"] = f"127.0.0.1:{args.port}"
    prepare(env)
    token = manage(env, "create_api_token", "13800000014", "--name", "bench", capture=True)
    token = token.strip().split()[-1]
    where = manage(
        env,
        "shell",
        "-c",
        "from wangge.grids.models import Building;"
        "b=Building.objects.order_by('pk').first();print(b.lon,b.lat)",
        capture=True,
    )
    lon, lat = (float(v) for v in where.strip().splitlines()[-1].split())
    photo = big_jpeg(args.progressive)
    content_type, body = multipart(
        {
            "description": "路边井盖破损，有人差点踩空（压测）",
            "location": json.dumps({"lon": lon, "lat": lat}),
        },
        [photo] * args.photos,
    )

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi"],
        cwd=ROOT,
        env=env,
    )
    nice = worker_nice()
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "run_huey",
            "--workers",
            "2",
            "--worker-type",
            "thread",
        ],
        cwd=ROOT,
        env=env,
        preexec_fn=lambda: os.nice(nice),
    )
    auth = {"Authorization": f"Bearer {token}"}
    cleaned_after: list[float] = []
    worker_cpu_per_round: list[float] = []
    report_times: list[float] = []
    statuses: list[int] = []
    bystander: list[float] = []
    bystander_errors: list[int] = []
    cpu_per_round: list[float] = []
    try:
        wait_healthy(f"http://127.0.0.1:{args.port}", 60)

        def report() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            started = time.perf_counter()
            conn.request("POST", "/api/v1/cases", body, {**auth, "Content-Type": content_type})
            resp = conn.getresponse()
            resp.read()
            report_times.append(time.perf_counter() - started)
            statuses.append(resp.status)
            conn.close()

        def ask(due: float) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
            conn.request("GET", f"/api/v1/grids/locate?lon={lon}&lat={lat}", headers=auth)
            resp = conn.getresponse()
            resp.read()
            conn.close()
            bystander.append(time.perf_counter() - due)
            if resp.status != 200:
                bystander_errors.append(resp.status)

        # Warm up: both workers answer a report and the bystander's question.
        for _ in range(2):
            report()
        for _ in range(20):
            ask(time.perf_counter())
        while pending_photos(env["DATABASE_URL"]):
            time.sleep(0.1)
        report_times.clear()
        statuses.clear()
        bystander.clear()

        with ThreadPoolExecutor(max_workers=256) as pool:
            for _ in range(args.rounds):
                cpu_before = workers_cpu(server.pid)
                job_cpu_before = process_cpu(worker.pid)
                sent = time.perf_counter()
                threads = [threading.Thread(target=report) for _ in range(args.reports)]
                for t in threads:
                    t.start()
                due = time.perf_counter()
                # Bystanders ask until the reports are answered and their photos are clean:
                # the job worker's cleaning shares the node's cores with their requests.
                busy, asked = True, 0
                while busy:
                    pool.submit(ask, due)
                    asked += 1
                    due += 0.025
                    time.sleep(max(0.0, due - time.perf_counter()))
                    if asked % 4 == 0:
                        busy = any(t.is_alive() for t in threads) or bool(
                            pending_photos(env["DATABASE_URL"])
                        )
                cleaned_after.append(time.perf_counter() - sent)
                for t in threads:
                    t.join()
                cpu_per_round.append(workers_cpu(server.pid) - cpu_before)
                worker_cpu_per_round.append(process_cpu(worker.pid) - job_cpu_before)
                time.sleep(2)
    finally:
        server.terminate()
        worker.terminate()
        server.wait(timeout=30)
        worker.wait(timeout=60)
        shutil.rmtree(var, ignore_errors=True)

    ms = sorted(1000 * b for b in bystander)
    p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
    summary = {
        "benchmark": "bystander latency while photo reports are cleaned (gunicorn_conf, 2x2)",
        "photo": f"8064x6048 {'progressive' if args.progressive else 'baseline'} JPEG, "
        f"{len(photo) // 1024} KB",
        "reports_at_once": args.reports,
        "photos_per_report": args.photos,
        "rounds": args.rounds,
        "statuses": sorted(set(statuses)),
        "report_wall_s_median": round(statistics.median(report_times), 2),
        "report_wall_s_max": round(max(report_times), 2),
        "worker_cpu_s_per_report": round(sum(cpu_per_round) / (args.rounds * args.reports), 2),
        "job_worker_cpu_s_per_report": round(
            sum(worker_cpu_per_round) / (args.rounds * args.reports), 2
        ),
        "photos_clean_after_s_median": round(statistics.median(cleaned_after), 2),
        "photos_clean_after_s_max": round(max(cleaned_after), 2),
        "job_worker_nice": nice,
        "bystander_requests": len(ms),
        "bystander_errors": sorted(set(bystander_errors)),
        "bystander_p50_ms": round(statistics.median(ms), 1),
        "bystander_p99_ms": round(p99, 1),
        "bystander_max_ms": round(ms[-1], 1),
        "target": "bystander p99 < 200 ms",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
