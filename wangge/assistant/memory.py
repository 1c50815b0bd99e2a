"""The memory of resolved questions: what residents asked that 小原 missed, and the item the
staff answered it with.

A resolved question is kept beside the base, never added to its item's similar questions:
added there it moved the item's vectors and words, and other items lost questions they had
answered (bench/bench_kb_learning.py, docs/benchmarks.md). Here it is its own row, with its own
words and its own query vector, and it speaks only when a new question is close to it: then the
item it was resolved with is the answer, whatever the ranking said.

"Close" is strict on purpose, so a remembered question does not take over its neighbours. A
remembered question is encoded as the items' phrasings are (a passage), so its cosine with a
new question is measured on the same scale as theirs: it answers when it is nearer the new
question than every phrasing of every item by `MARGIN`, and at least `FLOOR` near. Nearest
neighbour alone was tried and rejected: the encoder puts two different residents' questions
about 0.9 apart whatever they ask, and a bare bar broke far more answers than it made
(docs/benchmarks.md). Without vectors, or beside them, the same question in nearly the same
words (`WORDS` of their weighted tokens shared) answers too.

Pure Python like the retrieval package: the bench builds a memory from plain pairs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import numpy as np

from wangge.assistant.retrieval import Candidate, Reply, Retriever, digits, normalize, tokens
from wangge.assistant.retrieval.text import DIALECT_TABLE, kind_weight

# How much nearer a remembered question must be than the nearest item phrasing, and how near
# at least (cosines of the encoder's query and passage vectors): no development base lost an
# answer at these (bench/bench_kb_learning.py --sweep).
MARGIN: Final = 0.05
FLOOR: Final = 0.85
# Weighted share of tokens two questions must have in common (weighted Dice) without vectors.
WORDS: Final = 0.8
# Where 小原 would not answer, a remembered question sharing this much of its words, resolved
# to one of the two items the ranking put nearest, answers with that item: the staff's answer
# and the ranking agree. Over eight development bases with 20 misses resolved each, this made
# five held-out questions right and none wrong (bench/bench_kb_learning.py); the vectors alone
# made as many wrong as right at any bar.
AGREE_WORDS: Final = 0.4
# Share of a new question's weighted words a remembered one must hold for the words alone to
# answer with its item: a word or two of its own (当 for 来做) pass, a qualifier that changes
# the need (在国外, 0.72 of 养老金认证怎么做) does not.
COVERED: Final = 0.85
AGREE_RANK: Final = 2


@dataclass(frozen=True)
class Recollection:
    """The remembered question nearest a new one, and how near."""

    text: str
    item: str
    cosine: float
    words: float


class Memory:
    """Resolved questions (`entries`: text, item code) and, when an encoder is installed, their
    passage vectors as one matrix (`vectors`, rows in the entries' order, of encoder `key`)."""

    def __init__(
        self,
        entries: Sequence[tuple[str, str]],
        key: str = "",
        vectors: np.ndarray | None = None,
    ) -> None:
        self.entries = list(entries)
        self.key = key if vectors is not None and len(vectors) == len(self.entries) else ""
        self.vectors = vectors if self.key else None
        self._tokens = [_weighted(text) for text, _item in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def recall(
        self, question: str, vector: np.ndarray | None = None, items_best: float = 1.0
    ) -> Recollection | None:
        """The remembered question close enough to `question` to answer with its item, or
        None. `vector`: the question's query vector by the memory's encoder, if any;
        `items_best`: its best cosine with any item's phrasing."""
        if not self.entries:
            return None
        asked = _weighted(question)
        words = np.array([_dice(asked, known) for known in self._tokens])
        cosines = np.full(len(self.entries), -1.0)
        if vector is not None and self.vectors is not None:
            cosines = self.vectors @ vector
        near = (cosines >= FLOOR) & (cosines >= items_best + MARGIN)
        # Nearly the same words, and none of the new question's own left out: 在国外养老金认证
        # says more than the 养老金认证 remembered, and may be another item's.
        said = np.array([_covered(asked, known) for known in self._tokens])
        close = near | ((words >= WORDS) & (said >= COVERED))
        if not close.any():
            return None
        # The nearest by meaning when vectors are there, by words otherwise.
        order = np.lexsort((-words, -cosines))
        best = int(next(i for i in order if close[i]))
        text, item = self.entries[best]
        return Recollection(text, item, float(cosines[best]), float(words[best]))

    def agreeing(self, question: str, nearest: Sequence[str]) -> Recollection | None:
        """The remembered question sharing the most words with `question` when it shares
        `AGREE_WORDS` of them and was resolved to one of the `nearest` items."""
        if not self.entries or not nearest:
            return None
        asked = _weighted(question)
        words = [_dice(asked, known) for known in self._tokens]
        best = max(range(len(words)), key=words.__getitem__)
        text, item = self.entries[best]
        if words[best] < AGREE_WORDS or item not in nearest:
            return None
        return Recollection(text, item, -1.0, words[best])


def consult(memory: Memory, retriever: Retriever, question: str, reply: Reply) -> Reply:
    """The retriever's `reply`, or the answer the memory holds for a question close to one the
    staff resolved. The question is encoded only when the memory has vectors to compare."""
    if not len(memory):
        return reply
    vector = None
    items_best = 1.0
    dense = retriever.dense
    if memory.vectors is not None and dense is not None and dense.encoder.key == memory.key:
        vector = dense.query(question)
        items_best = float(dense.scores(vector).max(initial=-1.0))
    found = memory.recall(question, vector, items_best)
    if found is None and reply.answer_id is None and not (reply.complaint or reply.handoff):
        found = memory.agreeing(question, _nearest_items(reply))
    if found is None or found.item == reply.answer_id:
        return reply
    try:
        doc = retriever.docs[retriever.position(found.item)]
    except KeyError:
        return reply  # the item has left the base (deleted, or not valid today)
    answer = Candidate(doc.id, doc.question, round(max(found.cosine, found.words), 4))
    # What the retriever would have shown stays in reach, as the runners-up (您是不是想问).
    behind = {c.id: c for c in (*reply.ranked, *reply.alternatives) if c.id != doc.id}
    return replace(
        reply,
        answer_id=doc.id,
        choices=(),
        confidence=answer.score,
        handoff=False,
        complaint=False,
        ranked=(answer,),
        unsure=False,
        nearest=doc.id,
        alternatives=tuple(behind.values())[: len(reply.alternatives) or 2],
    )


def _nearest_items(reply: Reply) -> list[str]:
    """The items the ranking put nearest the question, nearest first."""
    ids = [reply.nearest] if reply.nearest else []
    ids += [c.id for c in (*reply.ranked, *reply.choices, *reply.alternatives)]
    return list(dict.fromkeys(ids))[:AGREE_RANK]


def _weighted(text: str) -> dict[str, float]:
    prepared = digits(DIALECT_TABLE.apply(normalize(text)))
    return {t: kind_weight(t) for t in dict.fromkeys(tokens(prepared))}


def _covered(asked: dict[str, float], known: dict[str, float]) -> float:
    total = sum(asked.values())
    return sum(w for t, w in asked.items() if t in known) / total if total else 0.0


def _dice(a: dict[str, float], b: dict[str, float]) -> float:
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 0.0
    return 2 * sum(a[t] for t in a.keys() & b.keys()) / total
