"""What `import wangge.core.pinyin` costs a fresh process, and how fast 小原's sound tokens are.

    PYTHONPATH=. .venv/bin/python bench/bench_pinyin.py [--calls 10000] [--repeat 3] [--tree DIR]

Each figure comes from a new interpreter: the RSS the import adds (/proc/self/status,
after a full garbage collection), its peak (VmHWM) and what is left once the C heap's free pages
are handed back (`malloc_trim`, as `release_freed_memory` does at the end of the warm start), the
Python heap it keeps (tracemalloc, in a run of its own since tracing slows and swells every
allocation), the wall time of the import, and the time of `--calls`
`lazy_pinyin(question, style=NORMAL, errors="ignore")` calls on the queries of the development
and unseen knowledge bases (小原 reads every question so).
`--tree` imports wangge from another checkout (another branch's, to compare), with this one's
questions.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted((ROOT / "bench" / "data").glob("*kb*/queries.jsonl"))

_CHILD = r"""
import ctypes, ctypes.util, gc, json, sys, time, tracemalloc
from pathlib import Path

def rss():
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(rest.split()[0])
    return fields

mode, calls, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
questions = [json.loads(l)["query"] for f in files for l in open(f, encoding="utf-8") if l.strip()]
if mode == "trace":
    tracemalloc.start()
gc.collect()
before = rss()
start = time.perf_counter()
from wangge.core.pinyin import Style, lazy_pinyin
took = time.perf_counter() - start
gc.collect()
after = rss()
out = {"import_s": took, "rss_kb": after["VmRSS"] - before["VmRSS"]}
out["hwm_kb"] = after["VmHWM"] - before["VmRSS"]
ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)  # as the warm start ends
out["trimmed_kb"] = rss()["VmRSS"] - before["VmRSS"]
if mode == "trace":
    out["traced_kb"] = tracemalloc.get_traced_memory()[0] // 1024
else:
    lazy_pinyin("预热", style=Style.NORMAL, errors="ignore")
    start, cpu = time.perf_counter(), time.process_time()
    n = 0
    while n < calls:
        for q in questions:
            lazy_pinyin(q, style=Style.NORMAL, errors="ignore")
            n += 1
            if n == calls:
                break
    out["calls_s"] = time.perf_counter() - start
    out["calls_cpu_s"] = time.process_time() - cpu
    out["questions"] = len(questions)
print(json.dumps(out))
"""


def run(mode: str, calls: int, tree: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(calls), *map(str, QUERY_FILES)],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=ROOT)
    args = parser.parse_args()
    print(f"load {Path('/proc/loadavg').read_text().split()[:3]}")
    plain = [run("plain", args.calls, args.tree) for _ in range(args.repeat)]
    traced = run("trace", 0, args.tree)
    med = {
        k: statistics.median(r[k] for r in plain)
        for k in ("import_s", "rss_kb", "hwm_kb", "trimmed_kb", "calls_s", "calls_cpu_s")
    }
    print(f"questions: {int(plain[0]['questions'])}, runs: {args.repeat} (medians)")
    print(f"import wangge.core.pinyin: {med['import_s'] * 1000:.0f} ms")
    print(
        f"  RSS added {med['rss_kb'] / 1024:.1f} MB,"
        f" peak over the start {med['hwm_kb'] / 1024:.1f} MB"
    )
    print(f"  RSS added once the freed C heap is returned {med['trimmed_kb'] / 1024:.1f} MB")
    print(f"  tracemalloc kept {traced['traced_kb'] / 1024:.1f} MB")
    per = med["calls_s"] / args.calls * 1e6
    cpu = med["calls_cpu_s"] / args.calls * 1e6
    print(
        f"{args.calls} lazy_pinyin calls: {med['calls_s']:.2f} s ({per:.0f} µs a question),"
        f" CPU {med['calls_cpu_s']:.2f} s ({cpu:.0f} µs)"
    )
    print(f"load {Path('/proc/loadavg').read_text().split()[:3]}")


if __name__ == "__main__":
    main()
