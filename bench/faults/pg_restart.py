"""Fault: PostgreSQL restarted under load; the app must recover by itself.

    python bench/faults/pg_restart.py [--seconds 60] [--down 8]

Uses a PostgreSQL cluster of its own (never the shared one on 5432): `pg_createcluster 15 faults
-p 5433`, trusted on 127.0.0.1, created on first use. gunicorn + the worker run on it under the
load client; mid-run the cluster is stopped for --down seconds and started again, and the app is
not touched. The checker then proves: every 5xx during the outage was a 503 with a Chinese JSON
detail, the app served again after the restart without being restarted, and every acknowledged
write is in the database exactly once with its timeline (none half-written).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import LoadClient, Server, check, environment, prepare
from _pg import ensure_database

VERSION, CLUSTER, PORT = "15", "faults", "5433"
URL = f"postgres://postgres@127.0.0.1:{PORT}/reliability_faults"


def ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", VERSION, CLUSTER, action], check=True
    )


def ensure_cluster() -> None:
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout
    if not any(line.split()[:2] == [VERSION, CLUSTER] for line in listed.splitlines()):
        subprocess.run(["pg_createcluster", VERSION, CLUSTER, "-p", PORT], check=True)
        hba = Path(f"/etc/postgresql/{VERSION}/{CLUSTER}/pg_hba.conf")
        hba.write_text(
            "local all postgres peer\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8"
        )
    status = subprocess.run(
        ["pg_ctlcluster", VERSION, CLUSTER, "status"], capture_output=True
    ).returncode
    if status != 0:
        ctl("start")
    ensure_database(URL)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--down", type=float, default=8)
    ap.add_argument("--port", type=int, default=8641)
    args = ap.parse_args()
    ensure_cluster()
    var = Path(tempfile.mkdtemp(prefix="wangge-pgrestart-"))
    env = environment(var, URL)
    config = prepare(env)
    server = Server(env, args.port)
    server.start()
    log = var / "acknowledged.jsonl"
    client = LoadClient(server.url, config, log)
    started = time.time()
    threads = client.run_for(args.seconds)
    time.sleep(args.seconds / 3)
    ctl("stop")
    stopped = time.time()
    time.sleep(args.down)
    ctl("start")
    restarted = time.time()
    for t in threads:
        t.join()
    server.stop()
    result = check(env, log)
    rows = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    ok_after = [
        r["t"] for r in rows if r["kind"] in ("case", "order", "sign") and r["t"] > restarted
    ]
    result["timeline"] = [
        f"{stopped - started:.1f}s PostgreSQL stopped",
        f"{restarted - started:.1f}s PostgreSQL started",
        f"first acknowledged write after the restart: +{min(ok_after) - restarted:.1f}s"
        if ok_after
        else "no write acknowledged after the restart",
    ]
    result["writes_after_restart"] = len(ok_after)
    result["log"] = str(log)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
