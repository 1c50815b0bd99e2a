"""Scoring 小原 on a set of questions whose right item (or none) is known.

Pure Python like the retrieval package: the eval command, the bench and the tests share it.

What counts is what the resident is shown:

* **hit@1** counts only answers: a list of choices is not an answer, however good its first line;
* **hit@3** counts the right item among what the resident can tap at once, at most three: the
  answer and its alternatives (您是不是想问), the offered choices, or, when nothing was answered
  or offered, the nearest items shown beside the way to a person;
* **MRR** is the reciprocal rank of the right item among what was shown (0 when not shown);
* **abstain** — 小原 answered nothing and offered no choice (it hands off or says it cannot
  help). Precision: the share of abstentions that were on must-not-answer questions; recall:
  the share of must-not-answer questions it abstained on;
* **wrong** — an answer with the wrong item, or any answer to a must-not-answer question;
  the rate is over all questions of the set (or of the kind).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from wangge.assistant.retrieval import Reply

ALL = "overall"


class Asks(Protocol):
    def ask(self, question: str) -> Reply: ...


def expected_of(row: Mapping[str, Any]) -> str | None:
    """The right item of a line: `expected` (this format) or `expected_id` (the older one)."""
    value = row["expected"] if "expected" in row else row.get("expected_id")
    return None if value in (None, "") else str(value)


@dataclass
class Tally:
    queries: int = 0
    answerable: int = 0
    must_not: int = 0
    hits1: int = 0
    hits3: int = 0
    rr: float = 0.0
    abstained: int = 0
    abstained_right: int = 0
    answered: int = 0
    wrong: int = 0
    offered: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, expected: str | None, reply: Reply) -> bool:
        """Count one question; True when the outcome was right (for listing misses)."""
        self.queries += 1
        shown = [c.id for c in (*reply.ranked, *reply.alternatives)][:3]
        gave_up = reply.answer_id is None and not reply.choices
        self.abstained += gave_up
        self.offered += bool(reply.choices)
        if reply.answer_id is not None:
            self.answered += 1
            self.wrong += reply.answer_id != expected
        if expected is None:
            self.must_not += 1
            self.abstained_right += gave_up
            return gave_up
        self.answerable += 1
        self.hits1 += reply.answer_id == expected
        if expected in shown:
            self.hits3 += 1
            self.rr += 1.0 / (shown.index(expected) + 1)
        return reply.answer_id == expected

    def metrics(self) -> dict[str, float]:
        def ratio(a: float, b: int) -> float:
            return a / b if b else 0.0

        return {
            "queries": float(self.queries),
            "answerable": float(self.answerable),
            "must_not": float(self.must_not),
            "hit@1": ratio(self.hits1, self.answerable),
            "hit@3": ratio(self.hits3, self.answerable),
            "mrr": ratio(self.rr, self.answerable),
            "abstain_precision": ratio(self.abstained_right, self.abstained),
            "abstain_recall": ratio(self.abstained_right, self.must_not),
            "wrong_rate": ratio(self.wrong, self.queries),
            "wrong_of_answers": ratio(self.wrong, self.answered),
            "choices_rate": ratio(self.offered, self.queries),
        }


def evaluate_by_kind(
    retriever: Asks, rows: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Metrics per `kind` (lines without one count only overall) and overall, with the lines
    that went wrong (what was expected, what was answered or offered)."""
    tallies: dict[str, Tally] = {ALL: Tally()}
    misses: list[dict[str, Any]] = []
    for row in rows:
        question = str(row["query"])
        expected = expected_of(row)
        reply = retriever.ask(question)
        right = tallies[ALL].add(expected, reply)
        kind = row.get("kind")
        if kind:
            tallies.setdefault(str(kind), Tally()).add(expected, reply)
        if not right:
            misses.append(
                {
                    "query": question,
                    "kind": kind or "",
                    "expected": expected,
                    "answer": reply.answer_id,
                    "choices": [c.id for c in reply.choices],
                    "alternatives": [c.id for c in reply.alternatives],
                    "confidence": round(reply.confidence, 3),
                }
            )
    kinds = sorted(k for k in tallies if k != ALL)
    return {k: tallies[k].metrics() for k in (*kinds, ALL)}, misses


def evaluate(retriever: Asks, rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """The overall metrics of `evaluate_by_kind`."""
    return evaluate_by_kind(retriever, rows)[0][ALL]


def format_table(by_kind: Mapping[str, Mapping[str, float]]) -> str:
    """One line per kind: answerable kinds show hit@1/hit@3/MRR, must-not-answer kinds the
    abstain recall; every kind its wrong-answer rate."""
    head = (
        f"{'kind':<14}{'n':>5}{'hit@1':>8}{'hit@3':>8}{'MRR':>8}"
        f"{'abst.P':>8}{'abst.R':>8}{'wrong':>8}"
    )
    lines = [head]

    def cell(value: float, present: bool) -> str:
        return f"{value:>8.3f}" if present else f"{'—':>8}"

    for kind, m in by_kind.items():
        pos, neg = m["answerable"] > 0, m["must_not"] > 0
        lines.append(
            f"{kind:<14}{int(m['queries']):>5}"
            + cell(m["hit@1"], pos)
            + cell(m["hit@3"], pos)
            + cell(m["mrr"], pos)
            + cell(m["abstain_precision"], neg)
            + cell(m["abstain_recall"], neg)
            + cell(m["wrong_rate"], True)
        )
    return "\n".join(lines)
