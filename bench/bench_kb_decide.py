"""小原's decision (answer, choices or nothing) on the development bases, in one process, fast.

    python bench/bench_kb_decide.py [--bases dev_kb,dev_kb3] [--misses] [--cache PATH]
                                    [--complaint-margin M]

What `ask` shows, scored as wangge/assistant/evaluation.py scores it (strict hit@1, hit@3 over
the answer and the choices, must-not-answer abstention, wrong answers over all replies), per
kind and overall, with the bars each base learns for itself (`calibrate`, dense bars too). The
same code the HTTP API runs (bench/bench_assistant_api.py), without a database or a server:
for trying a change to the decision in seconds rather than minutes. Complaints are told by
meaning too (retrieval.examples, the package's two lists of examples) at the margin of the
setting, or `--complaint-margin` (2 turns it off: the words alone).

Every text's vector is kept in a cache file (by encoder key and text), so a second run encodes
nothing: changing the decision does not change a vector. `--misses` lists what went wrong, and
only on the development bases: the held-out ones (the seed's held-out set, unseen_kb…) are
measured, never studied, so that what they say about a change stays true.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba
import numpy as np

from bench.bench_kb_dense import BASES, SEED, SYNONYMS, jsonl, kb_docs
from wangge.assistant.evaluation import ALL, evaluate_by_kind, format_table
from wangge.assistant.retrieval import (
    DenseIndex,
    Encoder,
    Examples,
    Retriever,
    passage_texts,
    read_examples,
)
from wangge.assistant.retrieval import encoder as dense_encoder

# The development bases: tuned on, their misses may be read. Everything else is held out.
DEVELOPMENT = ("seed_dev", "dev_kb", "dev_kb2", "dev_kb3", "dev_kb4", "dev_kb5")
EXTRA = (("seed_dev", SEED / "kb.jsonl", (SEED / "dev.jsonl",)),)


class CachedEncoder:
    """An encoder whose vectors are remembered by text (queries and passages apart)."""

    def __init__(self, inner: Encoder, path: Path) -> None:
        self.inner = inner
        self.key = inner.key
        self.dim = inner.dim
        self.path = path
        self.store: dict[tuple[str, str, str], np.ndarray] = {}
        if path.exists():
            self.store = pickle.loads(path.read_bytes())  # noqa: S301 - our own cache file
        self.dirty = False

    def _get(self, side: str, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if (self.key, side, t) not in self.store]
        if todo:
            made = self.inner.queries(todo) if side == "q" else self.inner.passages(todo)
            for text, row in zip(todo, made, strict=True):
                self.store[(self.key, side, text)] = row
            self.dirty = True
        return np.stack([self.store[(self.key, side, t)] for t in texts])

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("q", texts)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._get("p", texts)

    def save(self) -> None:
        if self.dirty:
            self.path.write_bytes(pickle.dumps(self.store))
            self.dirty = False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", default=",".join(DEVELOPMENT))
    parser.add_argument("--misses", action="store_true", help="list the development misses")
    parser.add_argument("--kinds", action="store_true", help="a table per kind")
    parser.add_argument(
        "--cache", default=str(Path(tempfile.gettempdir()) / "wangge-kb-vectors.pkl")
    )
    parser.add_argument(
        "--complaint-margin",
        type=float,
        default=None,
        help="the examples' margin (default: the setting ASSISTANT_COMPLAINT_MARGIN); "
        "above 1, complaints by their words alone",
    )
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    inner = dense_encoder("auto")
    assert inner is not None, "the dense extra is not installed"
    model = CachedEncoder(inner, Path(args.cache))
    synonyms = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    if args.complaint_margin is None:
        from wangge import settings  # the product's default, read without starting Django

        args.complaint_margin = settings.ASSISTANT_COMPLAINT_MARGIN
    told = Examples(
        complaints=model.queries(read_examples("complaint")),
        questions=model.queries(read_examples("question")),
        margin=args.complaint_margin,
    )
    known = {name: (kb, queries) for name, kb, queries in (*BASES, *EXTRA)}
    summary: dict[str, Any] = {"encoder": model.key, "complaint_margin": args.complaint_margin}
    for name in [b for b in args.bases.split(",") if b]:
        kb, query_files = known[name]
        docs = kb_docs(kb)
        rows = [row for f in query_files for row in jsonl(f)]
        blocks = [model.passages(passage_texts(d.question, d.similar, d.answer)) for d in docs]
        retriever = Retriever(docs, synonyms, dense=DenseIndex.build(model, blocks), examples=told)
        by_kind, misses = evaluate_by_kind(retriever, rows)
        model.save()
        m = by_kind[ALL]
        shown = ("hit@1", "hit@3", "abstain_recall", "wrong_rate")
        summary[name] = {k: round(m[k], 3) for k in shown}
        print(
            f"{name:<11} n {int(m['queries']):>4}  hit@1 {m['hit@1']:.3f}  hit@3 {m['hit@3']:.3f}"
            f"  abstain {m['abstain_recall']:.3f}  wrong {m['wrong_rate']:.3f}",
            flush=True,
        )
        if name not in DEVELOPMENT:
            continue
        if args.kinds:
            print(format_table(by_kind))
        if args.misses:
            for miss in misses:
                print("   ", json.dumps(miss, ensure_ascii=False))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
