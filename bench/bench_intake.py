"""Case intake with routing under gunicorn on PostgreSQL, driven by wrk.

    python bench/bench_intake.py [--seconds 60] [--connections 16] [--workers 2] [--threads 2]

Seeds the demo district into the database named by BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/wangge_bench), starts gunicorn, and has wrk POST
/api/v1/cases as a resident with a token: random points over the district (a few outside it,
which go to triage), half with a category and half left to the classifier. Prints wrk's
throughput and latency percentiles, the cases written, and a JSON summary.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _pg import INTAKE_TEXTS, bench_env, gunicorn, manage, prepare, wait_healthy


def lua_script(token: str, points: list[tuple[float, float]]) -> str:
    bodies = []
    rng = random.Random(7)
    for i in range(400):
        lon, lat = points[i % len(points)]
        text, category = INTAKE_TEXTS[i % len(INTAKE_TEXTS)]
        body = {"description": f"{text}（压测 {i}）", "location": {"lon": lon, "lat": lat}}
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
local non2xx = 0
response = function(status, headers, body)
  if status ~= 201 then non2xx = non2xx + 1 end
end
done = function(summary, latency, requests)
  local p = {{50, 90, 99, 99.9}}
  for _, q in ipairs(p) do
    io.write(string.format("pct %s %.2f\\n", q, latency:percentile(q) / 1000))
  end
  io.write(string.format("errors %d %d %d %d %d\\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=60)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    # docs/deploy.md's layout: 2 threads a worker, each worker on a socket of its own.
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8611)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    var = tempfile.mkdtemp(prefix="wangge-bench-")
    env = bench_env(var)
    # One resident's token files every report here: the 20-an-hour limit would answer 429.
    env["RATELIMIT_ENABLE"] = "false"
    prepare(env)
    token = manage(env, "create_api_token", "13800000014", "--name", "bench", capture=True).strip()
    points_json = manage(
        env,
        "shell",
        "-c",
        (
            "import json,random;from wangge.grids.models import Building;"
            "r=random.Random(1);rows=list(Building.objects.values_list('lon','lat')[:20000]);"
            "pts=r.sample(rows,380)+[(116.4,39.9)]*20;print(json.dumps(pts))"
        ),
        capture=True,
    )
    points = [tuple(p) for p in json.loads(points_json.strip().splitlines()[-1])]
    script = Path(var) / "intake.lua"
    script.write_text(lua_script(token, points), encoding="utf-8")  # type: ignore[arg-type]

    count_sql = "from wangge.cases.models import Case; print(Case.objects.count())"
    before = int(manage(env, "shell", "-c", count_sql, capture=True).strip().splitlines()[-1])
    server = gunicorn(
        env, args.port, workers=args.workers, threads=args.threads, extra=("--reuse-port",)
    )
    try:
        url = f"http://127.0.0.1:{args.port}"
        wait_healthy(url, 30)
        # Warm up: each worker builds its locate/address indexes and trains the classifier once.
        subprocess.run(
            ["wrk", "-t1", "-c4", "-d10s", "-s", str(script), url], capture_output=True, check=True
        )
        mid = int(manage(env, "shell", "-c", count_sql, capture=True).strip().splitlines()[-1])
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.seconds}s",
                "--timeout",
                "5s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        server.terminate()
        server.wait(timeout=30)
    after = int(manage(env, "shell", "-c", count_sql, capture=True).strip().splitlines()[-1])
    print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    pct = {m.group(1): float(m.group(2)) for m in re.finditer(r"pct ([\d.]+) ([\d.]+)", out)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    summary = {
        "benchmark": "case intake (POST /api/v1/cases, routing, deadlines, notifications)",
        "database": "postgresql",
        "gunicorn_workers": args.workers,
        "threads": args.threads,
        "connections": args.connections,
        "seconds": args.seconds,
        "requests": total,
        "cases_per_s": rps,
        "p50_ms": pct.get("50"),
        "p90_ms": pct.get("90"),
        "p99_ms": pct.get("99"),
        "p99_9_ms": pct.get("99.9"),
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "cases_written": after - mid,
        "warmup_cases": mid - before,
        "target": ">= 200 cases/s, p99 < 200 ms",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    print(json.dumps(summary, ensure_ascii=False))
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
