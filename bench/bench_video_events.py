"""The video platform's AI events under the production layout: signed JSON with 200 KB snapshots.

    python bench/bench_video_events.py [--seconds 20] [--clients 8] [--cameras 20]
                                       [--snapshot-kb 200] [--workers 2] [--threads 2]

Seeds the demo district into BENCH_DATABASE_URL (its own database, wangge_bench_video), imports
`--cameras` cameras at buildings of the district, makes the event type 占道经营 自动派单, and
starts the production layout: gunicorn with `wangge.gunicorn_conf` (2 workers x 2 threads), huey's
queue on Redis and its consumer making the thumbnails as it would in production. Then
`--clients` threads post events for `--seconds`: each body a camera (in turn), a new event_id,
the time now, and a JPEG of `--snapshot-kb` KB in Base64, signed as docs/video.md says with a
timestamp and HMAC-SHA256 over it and the body. Every camera's events fall within one alert,
so each camera makes one case and every later event is grouped: the steady state of a box
that keeps seeing the same thing.

The load generator runs on the same machine, in this process: its CPU is given beside the
server's (gunicorn workers, huey consumer, PostgreSQL), so the share the server had is known.
Prints throughput, latency percentiles, cases, alerts, events and snapshots stored, and a JSON
summary line.
"""

import argparse
import base64
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wangge_bench_video")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from _pg import ROOT, bench_env, manage, prepare, wait_healthy
from bench_open311 import all_workers, cpu_seconds, postgres_cpu_seconds, postmaster_pid, shell

from wangge.video.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_of

SECRET = "bench-video-platform-key"  # noqa: S105  (the bench's own server, gone after)
SETUP = """
import json, random
from wangge.grids.models import Building
from wangge.video.models import VideoEventType
VideoEventType.objects.update_or_create(code="occupy_road", defaults={
    "name": "占道经营", "category_code": "CSGL-01", "mode": "auto", "min_confidence": 0.5,
    "window_minutes": 1440, "is_active": True})
rows = list(Building.objects.exclude(micro_grid=None).values_list("lon", "lat")[:20000])
print(json.dumps(random.Random(3).sample(rows, %d)))
"""
COUNTS = """
import json
from wangge.cases.models import Case
from wangge.video.models import VideoAlert, VideoEvent
print(json.dumps({"cases": Case.objects.filter(channel="video").count(),
    "alerts": VideoAlert.objects.count(), "events": VideoEvent.objects.count(),
    "snapshots": VideoEvent.objects.exclude(snapshot="").count(),
    "thumbs": VideoEvent.objects.exclude(thumb="").count()}))
"""


def snapshot(kb: int) -> bytes:
    """A JPEG of about `kb` KB: noise compresses badly, as a street scene does."""
    from PIL import Image

    rng = random.Random(5)
    side = 200
    while True:
        img = Image.frombytes(
            "RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3))
        )
        out = io.BytesIO()
        img.save(out, "JPEG", quality=85)
        if out.tell() >= kb * 1024:
            return out.getvalue()
        side += 40


def client(
    port: int,
    snap: str,
    cameras: list[str],
    stop: float,
    lock: threading.Lock,
    counter: list[int],
    latencies: list[float],
    statuses: dict[int, int],
    tag: str,
) -> None:
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    n = 0
    while time.monotonic() < stop:
        with lock:
            counter[0] += 1
            seq = counter[0]
        body = json.dumps(
            {
                "event_id": f"B{tag}-{seq:08d}",
                "camera": cameras[seq % len(cameras)],
                "type": "occupy_road",
                "occurred_at": datetime.now(UTC).isoformat(),
                "confidence": 0.9,
                "box": [10, 10, 100, 80],
                "snapshot": snap,
            }
        ).encode()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: signature_of(body, stamp, SECRET),
        }
        start = time.perf_counter()
        conn.request("POST", "/api/v1/video/events", body=body, headers=headers)
        reply = conn.getresponse()
        reply.read()
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)
            statuses[reply.status] = statuses.get(reply.status, 0) + 1
        n += 1
    conn.close()


def consumer_started(log: Path, seconds: float) -> None:
    """Until huey's consumer says it has started: its start-up must not be measured as the
    events' cost."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if "Huey consumer started" in log.read_text(encoding="utf-8", errors="replace"):
            return
        time.sleep(0.5)
    sys.exit("the huey consumer did not start")


def queue_drained(url: str, seconds: float) -> None:
    """Until huey's queue on Redis is empty (the consumer started and took what was queued)."""
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(client.llen(k) for k in client.keys("huey.redis.*")):
            return
        time.sleep(0.5)
    sys.exit("the huey consumer did not drain its queue")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--cameras", type=int, default=20)
    ap.add_argument("--snapshot-kb", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8641)
    args = ap.parse_args()

    var = tempfile.mkdtemp(prefix="wangge-bench-video-")
    env = bench_env(var)
    env["VIDEO_PLATFORM_SECRET"] = SECRET
    env["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    prepare(env)
    points = json.loads(shell(env, SETUP % args.cameras))
    rows = ["编号,国标编码,名称,经度,纬度,类型,所属单位,视频地址"]
    rows += [
        f"BV{i:03d},,压测摄像头{i},{lon},{lat},枪机,道路," for i, (lon, lat) in enumerate(points)
    ]
    camera_file = Path(var) / "cameras.csv"
    camera_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    manage(env, "import_cameras", str(camera_file), capture=True)
    cameras = [f"BV{i:03d}" for i in range(len(points))]
    snap = base64.b64encode(snapshot(args.snapshot_kb)).decode()

    genv = {
        **env,
        "WEB_BIND": f"127.0.0.1:{args.port}",
        "WEB_WORKERS": str(args.workers),
        "WEB_THREADS": str(args.threads),
        "WEB_ACCESS_LOG": "off",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi"],
        cwd=ROOT,
        env=genv,
    )
    consumer_log = (Path(var) / "consumer.log").open("w")
    consumer = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--workers", "2", "--worker-type", "thread"],
        cwd=ROOT,
        env={**env, "LOG_LEVEL": "INFO"},
        stdout=consumer_log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{args.port}"
    try:
        wait_healthy(url, 300)
        consumer_started(Path(var) / "consumer.log", 300)
        pids = all_workers(server.pid, args.workers)
        postmaster = postmaster_pid()
        tag = str(int(time.time()))
        lock = threading.Lock()

        def run(seconds: float, label: str) -> tuple[int, list[float], dict[int, int], float]:
            counter, latencies, statuses = [0], [], {}  # type: ignore[var-annotated]
            stop = time.monotonic() + seconds
            threads = [
                threading.Thread(
                    target=client,
                    args=(
                        args.port,
                        snap,
                        cameras,
                        stop,
                        lock,
                        counter,
                        latencies,
                        statuses,
                        f"{tag}{label}",
                    ),
                )
                for _ in range(args.clients)
            ]
            start = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return len(latencies), latencies, statuses, time.monotonic() - start

        run(5, "w")  # warm-up: the first event of each camera makes its case
        queue_drained(env["REDIS_URL"], 120)  # the consumer is up and has caught up
        web0 = cpu_seconds(pids)
        huey0 = cpu_seconds([consumer.pid])
        pg0 = postgres_cpu_seconds(postmaster)
        me0 = time.process_time()
        done, latencies, statuses, elapsed = run(args.seconds, "m")
        web = cpu_seconds(pids) - web0
        huey = cpu_seconds([consumer.pid]) - huey0
        pg = postgres_cpu_seconds(postmaster) - pg0
        me = time.process_time() - me0
        queue_drained(env["REDIS_URL"], 120)  # the consumer finishes the thumbnails queued
        counts = json.loads(shell(env, COUNTS))
    finally:
        for proc in (server, consumer):
            proc.terminate()
        for proc in (server, consumer):
            proc.wait(timeout=30)
    latencies.sort()

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)

    summary = {
        "events_per_second": round(done / elapsed, 1),
        "requests": done,
        "statuses": statuses,
        "p50_ms": pct(0.50),
        "p90_ms": pct(0.90),
        "p99_ms": pct(0.99),
        "snapshot_kb": args.snapshot_kb,
        "body_kb": round(len(snap) / 1024, 1),
        "clients": args.clients,
        "cameras": len(cameras),
        "web_cpu_ms_per_event": round(web / done * 1000, 2),
        "consumer_cpu_ms_per_event": round(huey / done * 1000, 2),
        "postgres_cpu_ms_per_event": round(pg / done * 1000, 2),
        "load_generator_cpu_ms_per_event": round(me / done * 1000, 2),
        "gunicorn": f"{args.workers} workers x {args.threads} threads (wangge.gunicorn_conf)",
        **counts,
        "machine": f"{platform.node()} {os.cpu_count()} CPUs",
        "date": time.strftime("%Y-%m-%d"),
        "database": urllib.parse.urlsplit(env["DATABASE_URL"]).path.lstrip("/"),
    }
    print(json.dumps(summary, ensure_ascii=False))
    if set(statuses) - {200, 201}:
        sys.exit(f"events refused: {statuses}")


if __name__ == "__main__":
    main()
