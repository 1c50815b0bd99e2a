"""Instructions per request, counted exactly by callgrind: a figure the neighbours on a shared
machine cannot move, where CPU time moves with their load by a factor of two.

    python bench/instructions_per_request.py [--scenarios post,intake,get] [-n 30]

For each scenario, runs `profile_requests.py`'s set-up (Django on the bench database that
`bench_open311.py` prepares, warmed) inside `valgrind --tool=callgrind` with instrumentation
off, so the set-up runs at a few times native speed; sends 10 requests to warm that scenario;
then turns instrumentation on, zeroes the counters, sends `n` requests and dumps the counters.
Prints the instructions per request (Ir) of this process only: the database server's work is
not in it. Needs valgrind (callgrind_control comes with it).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def inner(scenario: str, n: int, sync: Path) -> None:
    sys.path.insert(0, str(HERE))
    from profile_requests import requests_by_scenario

    send = requests_by_scenario()[scenario]
    for _ in range(10):
        status = send()
    assert status in (200, 201), (scenario, status)
    _signal_and_wait(sync, "ready", "go")
    for _ in range(n):
        send()
    _signal_and_wait(sync, "done", "quit")


def _signal_and_wait(sync: Path, mine: str, theirs: str) -> None:
    (sync / mine).touch()
    # A short sleep, not a blocking wait: callgrind reads its control commands while the
    # program runs.
    while not (sync / theirs).exists():
        time.sleep(0.02)


def _wait_for(path: Path, proc: subprocess.Popen[bytes]) -> None:
    while not path.exists():
        if proc.poll() is not None:
            raise SystemExit(f"the measured process ended early ({proc.returncode})")
        time.sleep(0.1)


def measure(scenario: str, n: int) -> int:
    sync = Path(tempfile.mkdtemp(prefix="wangge-callgrind-"))
    out = sync / "callgrind.out"
    proc = subprocess.Popen(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--inner",
            scenario,
            "-n",
            str(n),
            "--sync",
            str(sync),
        ],
        stderr=subprocess.DEVNULL,
    )
    control = ["callgrind_control"]
    _wait_for(sync / "ready", proc)
    subprocess.run([*control, "-i", "on", str(proc.pid)], check=True, capture_output=True)
    subprocess.run([*control, "-z", str(proc.pid)], check=True, capture_output=True)
    (sync / "go").touch()
    _wait_for(sync / "done", proc)
    subprocess.run([*control, "-d", str(proc.pid)], check=True, capture_output=True)
    (sync / "quit").touch()
    proc.wait()
    # The dump taken at "done" is the one numbered .1 (the final one at exit has no number).
    dumps = sorted(sync.glob("callgrind.out.*"))
    text = dumps[0].read_text(errors="replace") if dumps else ""
    found = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
    shutil.rmtree(sync, ignore_errors=True)
    if not found:
        raise SystemExit(f"no counters in {dumps}")
    return int(found.group(1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenarios", default="post,intake,get")
    ap.add_argument("-n", type=int, default=30)
    ap.add_argument("--inner", default="")
    ap.add_argument("--sync", type=Path, default=None)
    args = ap.parse_args()
    if args.inner:
        assert args.sync is not None
        inner(args.inner, args.n, args.sync)
        return
    for scenario in [s for s in args.scenarios.split(",") if s]:
        total = measure(scenario, args.n)
        print(
            f"{scenario}: {total / args.n / 1e6:.2f} M instructions per request "
            f"({args.n} requests, load {os.getloadavg()[0]:.2f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
