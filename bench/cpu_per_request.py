"""App CPU per request of servers already running, measured in interleaved turns.

    python bench/cpu_per_request.py --target NAME=MASTER_PID,URL,LUA [--target …]
                                    [--rounds 2] [--seconds 30] [--connections 16]

Each target is a gunicorn master (its workers are its children), the URL wrk loads and the
wrk script to load it with. Every round runs each target once, in the given order (A, B, A,
B, …), after a 5 s warm-up: on a shared machine two servers are compared only when they take
turns under the same background load. Printed per run: requests answered, rate, p50/p99, the
load average before it, and the user + system time of the workers (/proc/PID/stat) divided by
the requests answered, which stays put where rates and latencies move with the neighbours.

The script is `bench_open311.py`'s measurement without its set-up, for comparing wangge with
another Open311 server started by its own recipe (see docs/benchmarks.md).
"""

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_open311 import REPORT_LUA, run_wrk, warm_up, worker_pids


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", action="append", required=True, help="NAME=MASTER_PID,URL,LUA")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=16)
    args = ap.parse_args()
    targets = []
    for spec in args.target:
        name, _, rest = spec.partition("=")
        master, url, lua = rest.split(",", 2)
        script = Path(lua)
        lines = script.read_text(encoding="utf-8").splitlines()
        # The script's own report hook, if any, gives way to the one run_wrk reads.
        kept = [line for line in lines if "report.lua" not in line]
        script = Path(tempfile.mkdtemp(prefix="cpu-per-request-")) / script.name
        script.write_text("\n".join(kept) + "\n" + REPORT_LUA, encoding="utf-8")
        targets.append((name, int(master), url, script))
    for round_ in range(args.rounds):
        for name, master, url, script in targets:
            pids = worker_pids(master)
            warm_up(url, script)
            row = run_wrk(url, script, args.seconds, args.connections, None, pids)
            print(json.dumps({"target": name, "round": round_ + 1, **row}), flush=True)


if __name__ == "__main__":
    main()
