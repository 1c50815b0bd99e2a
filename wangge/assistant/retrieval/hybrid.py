"""Words and meaning together: the fused ranking and the decision on both signals.

Reached only when the words alone do not settle a question (`Retriever._decisive`): the
question is then encoded, and each item has two signals, its lexical score (0..1, from
`Retriever.rank`) and its best cosine among its passage vectors (`DenseIndex.scores`).

* **Ranking** is reciprocal rank fusion of the two lists (1 / (k + rank), the dense list
  weighted `DENSE_WEIGHT`): it needs no scale shared by two kinds of score. On the development
  bases (bench/bench_kb_dense.py) equal weights lost to the dense list alone, the lexical
  list's near misses outvoting the dense list's right answer; twice the weight did not.
* **Answering** needs the two to agree, or the meaning to be sure on its own. The best fused
  item is answered when it is first in both lists and at least one signal reaches its choice
  bar (two signals that see different things rarely agree by chance), or when it is the dense
  list's first with a cosine and a lead over the runner-up at the dense bars the base learnt
  for itself (`calibration.calibrate_dense`). A bare topic (公积金) is never answered.
* **Choices instead of a guess**: an agreed answer below the base's confident band
  (`calibration._confident_band`: the bars above which the probes the two lists agree on were
  answered wrongly at most 5 % of the time) is offered among the best three instead.
* **Choices** are the fused best three that reach a choice bar on either signal; when none
  does, 小原 says it cannot help and offers a person.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Final

import numpy as np

from wangge.assistant.retrieval.replies import ALTERNATIVES, MAX_CHOICES, Candidate, Reply

if TYPE_CHECKING:
    from wangge.assistant.retrieval.ranking import Retriever

# Reciprocal rank fusion's k (the usual 60) and the dense list's weight (see above).
RRF_K: Final = 60
DENSE_WEIGHT: Final = 2.0
# Dense candidates taken into the fusion beside the lexical recall.
DENSE_RECALL: Final = 30


def dense_order(cosines: np.ndarray, k: int = DENSE_RECALL) -> list[int]:
    """Item positions by cosine, best first; items without vectors (-1) are left out."""
    take = min(len(cosines), k)
    if not take:
        return []
    top = np.argpartition(-cosines, take - 1)[:take]
    top = top[np.argsort(-cosines[top], kind="stable")]
    return [int(i) for i in top if cosines[i] > -1.0]


def fuse(lexical: list[str], dense: list[str]) -> list[str]:
    """Reciprocal rank fusion of two id lists, best first (ties by id, for a stable order)."""
    score: dict[str, float] = {}
    for rank, item in enumerate(lexical):
        score[item] = score.get(item, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, item in enumerate(dense):
        score[item] = score.get(item, 0.0) + DENSE_WEIGHT / (RRF_K + rank + 1)
    return sorted(score, key=lambda item: (-score[item], item))


def dense_lead(cosines: np.ndarray, order: list[int]) -> float:
    """How far the dense list's first is ahead of its second (cosine difference)."""
    if not order:
        return 0.0
    second = float(cosines[order[1]]) if len(order) > 1 else 0.0
    return float(cosines[order[0]]) - second


def fused_candidates(
    retriever: Retriever, ranked: list[Candidate], cosines: np.ndarray
) -> list[Candidate]:
    """The fused ranking as candidates, each scored by the higher of its two signals."""
    lexical = {c.id: c.score for c in ranked}
    docs, position = retriever.docs, retriever.position
    out = []
    for item in fuse([c.id for c in ranked], [docs[i].id for i in dense_order(cosines)]):
        score = max(lexical.get(item, 0.0), float(cosines[position(item)]))
        out.append(Candidate(item, docs[position(item)].question, round(score, 4)))
    return out


def decide(
    retriever: Retriever,
    normalized: str,
    ranked: list[Candidate],
    cosines: np.ndarray,
    mentioned: bool,
) -> Reply:
    bars = retriever.calibration
    docs, position = retriever.docs, retriever.position
    lexical = {c.id: c.score for c in ranked}
    order = dense_order(cosines)
    dense_ids = [docs[i].id for i in order]
    fused = fuse([c.id for c in ranked], dense_ids)
    if not fused:
        return Reply(None, (), 0.0, True, mentioned, ())

    def cosine(item: str) -> float:
        return float(cosines[position(item)])

    def candidate(item: str) -> Candidate:
        score = max(lexical.get(item, 0.0), cosine(item))
        return Candidate(item, docs[position(item)].question, round(score, 4))

    top = fused[0]
    first_in_both = bool(ranked) and ranked[0].id == top and dense_ids[:1] == [top]
    reaches = lexical.get(top, 0.0) >= bars.choice or cosine(top) >= bars.dense_choice
    sure = (
        dense_ids[:1] == [top]
        and cosine(top) >= bars.dense_answer
        and dense_lead(cosines, order) >= bars.dense_margin
    )
    # Agreement answers only within the confident band the base learnt for itself; below it
    # the resident chooses among the nearest three (a wrong answer looks as sure as a right one).
    confident = lexical.get(top, 0.0) >= bars.agreed_answer or cosine(top) >= bars.agreed_dense
    agreed = first_in_both and reaches and confident
    if (agreed or sure) and not retriever.undecided(normalized, ranked):
        answer = candidate(top)
        # Meaning alone, against the words' first: right more often than not, but an editor
        # should see it.
        unsure = not agreed
        return Reply(
            top,
            (),
            answer.score,
            mentioned,
            mentioned,
            (answer,),
            unsure=unsure,
            alternatives=tuple(candidate(item) for item in fused[1 : 1 + ALTERNATIVES]),
        )
    # The best three that reach a bar, not those of the best three that do: items the meaning
    # ranks high but below its bar (五保户 申请: the words' clear first, 19th by meaning) must
    # not crowd out one that reaches the words' bar.
    reaching = (
        item
        for item in fused
        if lexical.get(item, 0.0) >= bars.choice or cosine(item) >= bars.dense_choice
    )
    choices = tuple(candidate(item) for item in itertools.islice(reaching, MAX_CHOICES))
    if not choices and first_in_both and dense_lead(cosines, order) >= bars.dense_choice_lead:
        # Neither score reaches its bar (residents' words sit further from the base than the
        # editors' phrasings the bars were learnt on), but both lists put the same item first
        # and the meaning puts it clearly ahead: the resident chooses.
        choices = tuple(candidate(item) for item in fused[:MAX_CHOICES])
    if choices:
        return Reply(None, choices, choices[0].score, mentioned, mentioned, choices, unsure=True)
    best = max(ranked[0].score if ranked else 0.0, cosine(top))
    nearest = tuple(candidate(item) for item in fused[:MAX_CHOICES])
    return Reply(None, (), best, True, mentioned, (), nearest=top, alternatives=nearest)
