"""Fault: kill -9 of the web and worker processes under load, then restart.

    python bench/faults/kill9.py [--seconds 90] [--kills 3]

Runs gunicorn + the huey worker on the PostgreSQL database named by FAULTS_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/reliability_faults; on the shared cluster, which is
only used, never restarted), drives the load client, and every few seconds kills the whole
gunicorn process group and the worker with SIGKILL, waits, and starts them again. Afterwards the
checker compares what the client was acknowledged with the database: nothing missing, nothing
twice. Prints a JSON result.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import LoadClient, Server, check, environment, prepare
from _pg import ensure_database

DB = "postgres://postgres@127.0.0.1:5432/reliability_faults"


def main() -> None:
    import os

    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=90)
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--port", type=int, default=8631)
    args = ap.parse_args()
    url = os.environ.get("FAULTS_DATABASE_URL", DB)
    ensure_database(url)
    var = Path(tempfile.mkdtemp(prefix="wangge-kill9-"))
    env = environment(var, url)
    config = prepare(env)
    server = Server(env, args.port)
    server.start()
    log = var / "acknowledged.jsonl"
    client = LoadClient(server.url, config, log)
    started = time.time()
    threads = client.run_for(args.seconds)
    timeline = []
    every = args.seconds / (args.kills + 1)
    for k in range(args.kills):
        time.sleep(max(started + every * (k + 1) - time.time(), 0))
        server.kill9()
        killed = time.time()
        timeline.append(f"{killed - started:.1f}s kill -9 web and worker")
        time.sleep(2)
        server.start()
        timeline.append(f"{time.time() - started:.1f}s healthy again")
    for t in threads:
        t.join()
    server.stop()
    result = check(env, log)
    result["timeline"] = timeline
    result["log"] = str(log)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
