"""小原帮办 through its HTTP API, as a resident asks: every base, the production settings.

    python bench/bench_assistant_api.py [--bases unseen_kb2,unseen_kb3] [--encoder auto|none]

For each base (bench/bench_kb_dense.py's list): a fresh SQLite database in a temporary folder,
migrated and seeded (`seed_demo`, for a resident's account), the base imported with
`import_kb --replace` (the vectors and the bars made by the jobs, run at once here), then
gunicorn with DEBUG off and each question POSTed to /api/v1/assistant/ask by a resident's Bearer
token, each in a conversation of its own. What the resident is shown (the `matched` item, the
`choices`) is scored as wangge/assistant/evaluation.py scores it: strict hit@1 (an answer, and
the right one), hit@3 over the answer and the choices, must-not-answer abstention, wrong
answers over all replies; with the client's latency per question (median, p95).

The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._pg import free_port, gunicorn, manage, wait_healthy
from bench.bench_kb_dense import BASES, jsonl
from wangge.assistant.evaluation import ALL, Tally, expected_of
from wangge.assistant.retrieval import Candidate, Reply


def env_for(var_dir: str, encoder: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": "",
        "WANGGE_VAR_DIR": var_dir,
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "AXES_ENABLED": "false",
        "RATELIMIT_ENABLE": "false",
        # The import's jobs (vectors, then bars) run before the server starts.
        "HUEY_IMMEDIATE": "true",
        "ASSISTANT_ENCODER": encoder,
        "DJANGO_SETTINGS_MODULE": "wangge.settings",
    }


def post(url: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - the bench's own server
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        result: dict[str, Any] = json.loads(response.read())
        return result


def as_reply(data: dict[str, Any]) -> Reply:
    matched = data.get("matched")
    choices = tuple(Candidate(c["id"], c["question"], 0.0) for c in data.get("choices") or ())
    if matched:
        answer = Candidate(matched["id"], matched["question"], float(data["confidence"]))
        return Reply(answer.id, (), answer.score, data["handoff"], False, (answer,))
    return Reply(None, choices, float(data["confidence"]), data["handoff"], False, choices)


def run_base(name: str, kb: Path, queries: list[Path], encoder: str) -> dict[str, Any]:
    rows = [row for f in queries for row in jsonl(f)]
    with tempfile.TemporaryDirectory(prefix="wangge-kb-") as var_dir:
        env = env_for(var_dir, encoder)
        manage(env, "migrate", "-v0")
        manage(env, "seed_demo", capture=True)
        started = time.perf_counter()
        manage(env, "import_kb", str(kb), "--replace", capture=True)
        imported_s = time.perf_counter() - started
        token = manage(env, "create_api_token", "13800000014", "--name", "bench", capture=True)
        token = token.strip().split()[-1]
        port = free_port()
        server = gunicorn(env, port, workers=1, threads=1)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_healthy(base)
            post(f"{base}/api/v1/assistant/ask", token, {"question": "你好"})  # the index is built
            by_kind: dict[str, Tally] = {ALL: Tally()}
            times: list[float] = []
            for row in rows:
                tick = time.perf_counter()
                data = post(f"{base}/api/v1/assistant/ask", token, {"question": row["query"]})
                times.append((time.perf_counter() - tick) * 1000)
                reply = as_reply(data)
                expected = expected_of(row)
                by_kind[ALL].add(expected, reply)
                by_kind.setdefault(row.get("kind") or "?", Tally()).add(expected, reply)
        finally:
            server.terminate()
            server.wait(timeout=30)
    times.sort()
    result: dict[str, Any] = {
        "questions": len(rows),
        "import_s": round(imported_s, 1),
        "latency_ms_p50": round(statistics.median(times), 1),
        "latency_ms_p95": round(times[int(0.95 * (len(times) - 1))], 1),
    }
    for kind, tally in by_kind.items():
        m = tally.metrics()
        result[kind] = {
            "hit@1": round(m["hit@1"], 3),
            "hit@3": round(m["hit@3"], 3),
            "abstain_R": round(m["abstain_recall"], 3),
            "wrong": round(m["wrong_rate"], 3),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", default="", help="comma-separated base names (default all)")
    parser.add_argument("--encoder", default="auto", help="ASSISTANT_ENCODER for the server")
    args = parser.parse_args()
    wanted = [b for b in args.bases.split(",") if b]
    summary: dict[str, Any] = {"encoder": args.encoder}
    for name, kb, queries in BASES:
        if wanted and name not in wanted:
            continue
        result = run_base(name, kb, list(queries), args.encoder)
        summary[name] = result
        m = result[ALL]
        print(
            f"{name:<11} hit@1 {m['hit@1']:.3f}  hit@3 {m['hit@3']:.3f}  "
            f"abstain {m['abstain_R']:.3f}  wrong {m['wrong']:.3f}  "
            f"p50 {result['latency_ms_p50']} ms  p95 {result['latency_ms_p95']} ms",
            flush=True,
        )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
