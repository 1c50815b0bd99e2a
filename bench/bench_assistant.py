"""Benchmark 小原帮办's retrieval (no Django needed).

    python bench/bench_assistant.py [--items 10000]

Reports, per kind and overall (see wangge/assistant/evaluation.py for what each figure counts):

* on the seed base: the held-out set (tests/assistant/data/heldout.jsonl) and the dev set
  (wangge/assistant/data/dev.jsonl);
* on the development bases (bench/data/dev_kb/, dev_kb2/ and dev_kb3/, written to tune on
  while the unseen set stays held out; the second weighted to long questions and near twins,
  the third to questions in the resident's own words): their queries.jsonl;
* on the unseen base (bench/data/unseen_kb/kb.jsonl, written with its queries before the
  retriever was changed for it): bench/data/unseen_kb/queries.jsonl;
* the same sets for a **plain BM25 baseline**: bm25s over jieba's default words of each item's
  questions, no synonyms, bigrams, sounds or calibration; it answers its top hit and abstains
  only when no word matches at all;
* the bars each base learnt for itself (retrieval.calibrate) and how long that took;
* per-question latency (median, p95, max; wall clock and the thread's CPU time) over a base
  grown to ``--items`` items by recombining the seed's phrasings (the first half of one
  item's question with the second half of another's), with the held-out queries, and the
  time to build and calibrate it.

The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bm25s
import jieba

from wangge.assistant.evaluation import ALL, evaluate_by_kind, format_table
from wangge.assistant.retrieval import Candidate, Doc, Reply, Retriever

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "wangge" / "assistant" / "data" / "kb.jsonl"
SYNONYMS = ROOT / "wangge" / "assistant" / "data" / "synonyms.json"
HELDOUT = ROOT / "tests" / "assistant" / "data" / "heldout.jsonl"
DEV = ROOT / "wangge" / "assistant" / "data" / "dev.jsonl"
DEV_KB = ROOT / "bench" / "data" / "dev_kb" / "kb.jsonl"
DEV_QUERIES = ROOT / "bench" / "data" / "dev_kb" / "queries.jsonl"
DEV_KB2 = ROOT / "bench" / "data" / "dev_kb2" / "kb.jsonl"
DEV2_QUERIES = ROOT / "bench" / "data" / "dev_kb2" / "queries.jsonl"
DEV_KB3 = ROOT / "bench" / "data" / "dev_kb3" / "kb.jsonl"
DEV3_QUERIES = ROOT / "bench" / "data" / "dev_kb3" / "queries.jsonl"
UNSEEN_KB = ROOT / "bench" / "data" / "unseen_kb" / "kb.jsonl"
UNSEEN_QUERIES = ROOT / "bench" / "data" / "unseen_kb" / "queries.jsonl"


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def kb_docs(path: Path) -> list[Doc]:
    return [Doc(r["id"], r["question"], tuple(r["similar"]), r["answer"]) for r in jsonl(path)]


class PlainBM25:
    """The baseline: what one gets from bm25s and jieba with no further work."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        corpus = [self._tokens(" ".join((d.question, *d.similar))) for d in docs]
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return [w for w in jieba.lcut(text) if w.strip()] or ["∅"]

    def ask(self, question: str) -> Reply:
        scores = self.bm25.get_scores(self._tokens(question))
        order = sorted(range(len(self.docs)), key=lambda i: -scores[i])[:3]
        ranked = tuple(Candidate(self.docs[i].id, "", float(scores[i])) for i in order if scores[i])
        if not ranked:
            return Reply(None, (), 0.0, True, False, ())
        return Reply(ranked[0].id, (), 1.0, False, False, ranked)


def grown(docs: list[Doc], n: int, rng: random.Random) -> list[Doc]:
    out = list(docs)
    phrasings = [p for d in docs for p in (d.question, *d.similar)]
    answers = [d.answer for d in docs]

    def mix() -> str:
        a, b = rng.choice(phrasings), rng.choice(phrasings)
        return a[: max(1, len(a) // 2)] + b[len(b) // 2 :]

    for i in range(n - len(docs)):
        out.append(Doc(f"GEN{i:05d}", mix(), (mix(), mix(), mix()), rng.choice(answers)))
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fmt(m: dict[str, float]) -> str:
    return (
        f"hit@1 {m['hit@1']:.3f}  hit@3 {m['hit@3']:.3f}  MRR {m['mrr']:.3f}  "
        f"abstain P {m['abstain_precision']:.3f}  R {m['abstain_recall']:.3f}  "
        f"wrong {m['wrong_rate']:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)

    synonyms = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    bases = (
        ("seed", kb_docs(SEED), (("heldout", jsonl(HELDOUT)), ("dev", jsonl(DEV)))),
        ("dev_kb", kb_docs(DEV_KB), (("dev_kb", jsonl(DEV_QUERIES)),)),
        ("dev_kb2", kb_docs(DEV_KB2), (("dev_kb2", jsonl(DEV2_QUERIES)),)),
        ("dev_kb3", kb_docs(DEV_KB3), (("dev_kb3", jsonl(DEV3_QUERIES)),)),
        ("unseen", kb_docs(UNSEEN_KB), (("unseen", jsonl(UNSEEN_QUERIES)),)),
    )
    for base_name, docs, sets in bases:
        started = time.perf_counter()
        retriever = Retriever(docs, synonyms)
        took = time.perf_counter() - started
        print(f"{base_name} base: {len(docs)} items, built and calibrated in {took:.1f} s")
        print(f"  bars: {retriever.calibration}")
        results[f"{base_name}_calibration"] = retriever.calibration.as_dict()
        for name, rows in sets:
            by_kind, _misses = evaluate_by_kind(retriever, rows)
            base, _m = evaluate_by_kind(PlainBM25(docs), rows)  # type: ignore[arg-type]
            results[name] = {"ours": by_kind, "bm25": base[ALL]}
            print(f"{name} ({len(rows)} queries)")
            print("  " + format_table(by_kind).replace("\n", "\n  "))
            print(f"  plain BM25 overall: {fmt(base[ALL])}")

    docs = kb_docs(SEED)
    heldout = jsonl(HELDOUT)
    rng = random.Random(20261121)
    big_docs = grown(docs, args.items, rng)
    started = time.perf_counter()
    big = Retriever(big_docs, synonyms)
    build_s = time.perf_counter() - started
    big.ask("预热")
    timings = []
    # CPU time of the asking thread beside the wall clock: on a shared machine the wall clock
    # also counts the time other processes held the core.
    cpu_timings = []
    for _round in range(3):
        for row in heldout:
            t0, c0 = time.perf_counter(), time.thread_time()
            big.ask(row["query"])
            timings.append((time.perf_counter() - t0) * 1000)
            cpu_timings.append((time.thread_time() - c0) * 1000)
    big_metrics = evaluate_by_kind(big, heldout)[0][ALL]
    latency = {
        "median_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 0.95),
        "max_ms": max(timings),
        "cpu_median_ms": statistics.median(cpu_timings),
        "cpu_p95_ms": percentile(cpu_timings, 0.95),
        "load_average": os.getloadavg()[0],
    }
    print(f"{len(big_docs)} items: index built and calibrated in {build_s:.1f} s")
    print(
        f"  per question: median {latency['median_ms']:.2f} ms, p95 {latency['p95_ms']:.2f} ms, "
        f"max {latency['max_ms']:.2f} ms ({len(timings)} questions); CPU time median "
        f"{latency['cpu_median_ms']:.2f} ms, p95 {latency['cpu_p95_ms']:.2f} ms; "
        f"load average {latency['load_average']:.1f}"
    )
    print(f"  heldout on the grown base: {fmt(big_metrics)}")
    results["grown"] = {"items": len(big_docs), "build_s": build_s, **latency, **big_metrics}
    print(json.dumps(results, ensure_ascii=False, default=float))


if __name__ == "__main__":
    main()
