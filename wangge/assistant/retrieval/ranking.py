"""The index over a base's items, the score of a question against each, and the decision
(answer, choices or hand-off)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import bm25s
import numpy as np
from rapidfuzz import fuzz

from wangge.assistant.retrieval import hybrid
from wangge.assistant.retrieval.calibration import Calibration, calibrate, lead
from wangge.assistant.retrieval.complaints import (
    COMPLAINT_WORDS,
    asks_how,
    ends_in_wish,
    mentions_complaint,
    names_service,
)
from wangge.assistant.retrieval.dense import DenseIndex
from wangge.assistant.retrieval.examples import Examples
from wangge.assistant.retrieval.replies import ALTERNATIVES, MAX_CHOICES, Candidate, Doc, Reply
from wangge.assistant.retrieval.text import (
    DIALECT_TABLE,
    SoundFixer,
    Synonyms,
    clauses,
    content_words,
    digits,
    kind_weight,
    normalize,
    tokens,
)

# Items recalled by BM25 for scoring: plenty for a 10,000-item base, cheap to score.
_RECALL: Final = 30
# Characters of the answer indexed beside the questions: its opening names the subject,
# the rest is procedure that every item shares.
_ANSWER_CHARS: Final = 40
# The weight of a character or sound pair that no item has (see Retriever._weights).
_UNSEEN_PAIR_WEIGHT: Final = 0.3
# A question clause shorter than this says too little to be scored on its own.
_MIN_CLAUSE: Final = 3


@dataclass
class _Scored:
    index: int
    score: float


class Retriever:
    def __init__(
        self,
        docs: Iterable[Doc],
        synonyms: Mapping[str, str] | None = None,
        calibration: Calibration | None = None,
        dense: DenseIndex | None = None,
        examples: Examples | None = None,
    ) -> None:
        self.synonyms = Synonyms(synonyms or {})
        self.docs: list[Doc] = list(docs)
        # The meaning signal beside the words (None: words alone). Set before calibrating:
        # the dense bars are learnt with it.
        self.dense = dense
        # Reports of problems and questions about services, as vectors of the dense index's
        # encoder (None: complaints are told by their words alone).
        self.examples = examples
        # Per item: its phrasings (normalised), their token sets, the answer head's tokens.
        self._phrasings: list[list[str]] = []
        # Per item: each phrasing's position among the item's own (question, *similar), which
        # is its row in the item's passage vectors (a phrasing that normalises to nothing is
        # dropped from _phrasings, not from the vectors).
        self._phrasing_source: list[list[int]] = []
        self._phrasing_tokens: list[list[frozenset[str]]] = []
        self._item_tokens: list[frozenset[str]] = []
        self._head_tokens: list[frozenset[str]] = []
        rows: list[list[str]] = []
        row_item: list[int] = []
        row_phrasing: list[int] = []
        doc_freq: dict[str, int] = {}
        for i, doc in enumerate(self.docs):
            prepared = [(n, self._prepare(q)) for n, q in enumerate((doc.question, *doc.similar))]
            phrasings = [p for _n, p in prepared if p]
            self._phrasings.append(phrasings)
            self._phrasing_source.append([n for n, p in prepared if p])
            sets = []
            for j, p in enumerate(phrasings):
                toks = tokens(p)
                sets.append(frozenset(toks))
                rows.append(toks or ["w:∅"])
                row_item.append(i)
                row_phrasing.append(j)
            head = tokens(self._prepare(doc.answer[:_ANSWER_CHARS]))
            if head:
                rows.append(head)
                row_item.append(i)
                row_phrasing.append(-1)
            self._phrasing_tokens.append(sets)
            self._head_tokens.append(frozenset(head))
            item_set = frozenset().union(*sets, head)
            self._item_tokens.append(item_set)
            for t in item_set:
                doc_freq[t] = doc_freq.get(t, 0) + 1
        self._df = doc_freq
        # The words the base spells its services with: what a sound-alike typo is spelt as.
        self._sound_fixer = SoundFixer(
            w for phrasings in self._phrasings for p in phrasings for w in content_words(p)
        )
        # Complaint words this base's own questions use to name a service (维修 in 公租房维修
        # 怎么申请): in a terse keyword string they name that service.
        said = "".join(p for phrasings in self._phrasings for p in phrasings)
        self._service_words = frozenset(w for w in COMPLAINT_WORDS if w in said)
        self._n = max(len(self.docs), 1)
        self._position = {doc.id: i for i, doc in enumerate(self.docs)}
        self._row_item = np.array(row_item, dtype=np.int64)
        self._row_phrasing = np.array(row_phrasing, dtype=np.int64)
        self._bm25 = bm25s.BM25()
        if rows:
            self._bm25.index(rows, show_progress=False)
        # Each phrasing's tokens with their weights, for how much of it a question says.
        self._phrasing_weights: list[list[tuple[dict[str, float], float]]] = []
        for phrasing_sets in self._phrasing_tokens:
            weighted = []
            for phrasing_toks in phrasing_sets:
                w = {t: self._idf(self._df[t]) * kind_weight(t) for t in phrasing_toks}
                weighted.append((w, sum(w.values()) or 1.0))
            self._phrasing_weights.append(weighted)
        self.calibration = calibration or calibrate(self)

    # -- scoring -------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        return self.synonyms.apply(digits(DIALECT_TABLE.apply(normalize(text))))

    def _prepare_question(self, text: str) -> str:
        """A resident's text: prepared as the base's phrasings are, then its sound-alike
        typos spelt as the base spells them."""
        return self._sound_fixer.apply(self._prepare(text))

    def position(self, item_id: str) -> int:
        """The item's index in `docs` (and in the dense index's rows)."""
        return self._position[item_id]

    def __len__(self) -> int:
        return len(self.docs)

    def _idf(self, df: int) -> float:
        # Smoothed, floored at a small positive value so a token in every item still counts
        # a little. A token no item has (df 0) weighs as the rarest: it is information the
        # base does not cover, which is what tells a question about a missing service.
        return max(math.log((self._n + 1) / (max(df, 1) - 0.5)), 0.05)

    def _weights(
        self, query: Sequence[str], left_out: tuple[int, int | None] | None
    ) -> list[float]:
        out = []
        for t in query:
            df = self._df.get(t, 0)
            if left_out is not None and df:
                i, j = left_out
                if t in self._item_tokens[i] and (j is None or t not in self._kept(i, j)):
                    df -= 1
            if df == 0 and not t.startswith("w:"):
                # A character pair or sound pair no item has is mostly two words meeting
                # (金认 in 养老金认证): a word the base lacks says the service is missing,
                # such a pair says little.
                out.append(_UNSEEN_PAIR_WEIGHT)
                continue
            out.append(self._idf(df) * kind_weight(t))
        return out

    def _kept(self, i: int, j: int) -> frozenset[str]:
        """Item i's tokens with its phrasing j left out (calibration's probe)."""
        sets = [s for k, s in enumerate(self._phrasing_tokens[i]) if k != j]
        return frozenset().union(*sets, self._head_tokens[i])

    def _recall(
        self, query: list[str], left_out: tuple[int, int | None] | None, k: int
    ) -> tuple[list[int], dict[int, float]]:
        scores = self._bm25.get_scores(query)
        if left_out is not None:
            i, j = left_out
            mask = self._row_item == i
            if j is not None:
                mask &= self._row_phrasing == j
            scores = np.where(mask, 0.0, scores)
        take = min(len(scores), k * 4)
        rows = np.argpartition(-scores, take - 1)[:take]
        rows = rows[scores[rows] > 0]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        best: dict[int, float] = {}
        for r in rows:
            item = int(self._row_item[r])
            if item not in best:
                best[item] = float(scores[r])
                if len(best) >= k:
                    break
        return list(best), best

    def _score_items(
        self,
        text: str,
        items: list[int],
        bm25: Mapping[int, float],
        left_out: tuple[int, int | None] | None,
    ) -> dict[int, float]:
        query = list(dict.fromkeys(tokens(text)))
        if not query:
            return {}
        weights = self._weights(query, left_out)
        total = sum(weights) or 1.0
        top_bm25 = max(bm25.values()) or 1.0
        out = {}
        # Set intersections (done in C) rather than a loop over every token of every
        # candidate: this is most of the time a question takes on a large base.
        query_weight = dict(zip(query, weights, strict=True))
        query_set = query_weight.keys()
        for i in items:
            kept: list[int] = list(range(len(self._phrasings[i])))
            present = self._item_tokens[i]
            if left_out is not None and left_out[0] == i:
                if left_out[1] is None:
                    continue
                kept = [k for k in kept if k != left_out[1]]
                present = self._kept(i, left_out[1])
            if not kept:
                continue
            q_cover = sum(query_weight[t] for t in query_set & present) / total
            d_cover = 0.0
            for k in kept:
                d_weights, d_total = self._phrasing_weights[i][k]
                covered = sum(d_weights[t] for t in query_set & d_weights.keys())
                d_cover = max(d_cover, covered / d_total)
            phr = [(self._phrasings[i][k], None) for k in kept]
            closeness = max(fuzz.ratio(text, p) for p, _s in phr) / 100.0
            out[i] = (
                _Q_WEIGHT * q_cover
                + _D_WEIGHT * d_cover
                + _BM25_WEIGHT * bm25.get(i, 0.0) / top_bm25
                + _FUZZY_WEIGHT * closeness
            )
        return out

    def _rank(
        self,
        question: str,
        left_out: tuple[int, int | None] | None = None,
        k: int = _RECALL,
        prepared: str | None = None,
    ) -> list[_Scored]:
        text = self._prepare_question(question) if prepared is None else prepared
        query = tokens(text)
        if not text or not query or not self.docs:
            return []
        items, bm25 = self._recall(query, left_out, k)
        if not items:
            return []
        best = self._score_items(text, items, bm25, left_out)
        # A long question is scored clause by clause too: the clause that asks, alone or with
        # its neighbour, is not drowned by the context around it. When some clause asks
        # (怎么, 能不能, 在哪, 申请 …), only it and its neighbours are windows: a clause of
        # context alone (我在厂里干了八年) scoring high for some item is not what was asked.
        parts = [self._prepare_question(c) for c in clauses(question)]
        parts = [p for p in parts if len(p) >= _MIN_CLAUSE]
        for window in _windows(parts):
            for i, s in self._score_items(window, items, bm25, left_out).items():
                if s > best.get(i, 0.0):
                    best[i] = s
        ranked = [_Scored(i, s) for i, s in best.items()]
        ranked.sort(key=lambda c: (-c.score, self.docs[c.index].id))
        return ranked

    def rank(self, question: str, k: int = _RECALL, prepared: str | None = None) -> list[Candidate]:
        """Candidates best first, each with its score in 0..1 (`prepared`: the question as
        `_prepare_question` spells it, when the caller has it already)."""
        return [
            Candidate(self.docs[c.index].id, self.docs[c.index].question, round(c.score, 4))
            for c in self._rank(question, None, k, prepared)
        ]

    # -- deciding ------------------------------------------------------------------------

    def with_calibration(self, calibration: Calibration) -> Retriever:
        """The same index deciding with other bars."""
        clone = object.__new__(Retriever)
        clone.__dict__.update(self.__dict__)
        clone.calibration = calibration
        return clone

    def _cover(self, query: dict[str, float], item: int) -> float:
        """The share of the question's information item `item` has anywhere."""
        total = sum(query.values()) or 1.0
        return sum(query[t] for t in query.keys() & self._item_tokens[item]) / total

    def undecided(self, normalized: str, ranked: Sequence[Candidate]) -> bool:
        """A bare topic (公积金 alone, with 提取, 贷款 and 查询 all about it) that the next two
        have as fully as the best, scoring close to it: whatever puts one first is how the items are
        phrased, not what the resident asked, so the resident chooses."""
        query_tokens = list(dict.fromkeys(tokens(normalized)))
        if len(ranked) < 3 or sum(t.startswith("w:") for t in query_tokens) > 1:
            # More than one word says something beyond the topic; only a bare topic is read
            # as undecided (on a base with many phrasings an item has most words somewhere).
            return False
        query = dict(zip(query_tokens, self._weights(query_tokens, None), strict=True))
        if ranked[2].score < ranked[0].score * (1 - 2 * self.calibration.margin):
            return False  # the best is clearly ahead of the rest: the topic's main item
        first, *others = (self._cover(query, self._position[c.id]) for c in ranked[:3])
        return all(other >= first - 1e-9 for other in others)

    def twins_in_doubt(
        self,
        query_tokens: Sequence[str],
        first: int,
        second: int,
        leads_by: float,
        left_out: tuple[int, int | None] | None = None,
    ) -> bool:
        """The best two are twins the score cannot tell apart: the runner-up is within
        `_TWIN_LEAD` of the best, and more of the question is said only by the runner-up
        than only by the best (人才公寓退房: both say 人才公寓, only 退租 says 退). The best
        then leads on what they share (often a shorter phrasing said in full), which is not
        what the resident asked; so the resident chooses, the runner-up first."""
        if leads_by >= _TWIN_LEAD:
            return False
        query = list(dict.fromkeys(query_tokens))
        weight = dict(zip(query, self._weights(query, left_out), strict=True))
        a, b = self._present(first, left_out), self._present(second, left_out)
        keys = weight.keys()
        only_first = sum(weight[t] for t in (keys & a) - b)
        only_second = sum(weight[t] for t in (keys & b) - a)
        return only_second > only_first

    def _present(self, item: int, left_out: tuple[int, int | None] | None) -> frozenset[str]:
        if left_out is not None and left_out[0] == item and left_out[1] is not None:
            return self._kept(item, left_out[1])
        return self._item_tokens[item]

    def ask(self, question: str) -> Reply:
        """Answer, choices or hand-off for a resident's question."""
        normalized = self._prepare_question(question)
        mentioned = mentions_complaint(normalized)
        if (
            mentioned
            and not asks_how(normalized)
            and not names_service(normalized, self._service_words)
            and not ends_in_wish(clauses(question))
        ):
            # A problem to fix, not a question about a service guide: a person is needed first;
            # the nearest guides are only shown beneath, for a resident who asked after all.
            return Reply(None, (), 0.0, True, True, (), alternatives=self._nearest(question))
        ranked = self.rank(question, prepared=normalized)
        dense = self.dense
        if dense is None or not self.calibration.knows(dense.encoder.key):
            return self._decide(normalized, ranked, mentioned)
        if self._decisive(normalized, ranked):
            # The words settle it: the question is not encoded (the cheap path).
            return self._decide(normalized, ranked, mentioned)
        vector = dense.query(question)
        cosines = dense.scores(vector)
        if self.examples is not None and self.examples.is_complaint(
            vector, float(cosines.max(initial=-1.0))
        ):
            # A problem told in words the complaint rules do not know (楼道里一股燃气味),
            # or ending as a question does (这个归哪个管): a person is needed, as above.
            nearest = hybrid.fused_candidates(self, ranked, cosines)[:MAX_CHOICES]
            return Reply(None, (), 0.0, True, True, (), alternatives=tuple(nearest))
        return self.decide_hybrid(normalized, ranked, cosines, mentioned)

    def _nearest(self, question: str) -> tuple[Candidate, ...]:
        """The items nearest a question that is not answered (by its words: a hand-off is
        not worth encoding the question for)."""
        return tuple(self.rank(question)[:MAX_CHOICES])

    def _decisive(self, normalized: str, ranked: Sequence[Candidate]) -> bool:
        """The lexical answer is beyond doubt: above the bars at which the base's own probes
        were never answered wrongly (`Calibration.decisive`), and no twin or bare topic."""
        bars = self.calibration
        if not ranked or ranked[0].score < bars.decisive or lead(ranked) < bars.decisive_margin:
            return False
        if len(ranked) > 1 and self.twins_in_doubt(
            tokens(normalized),
            self._position[ranked[0].id],
            self._position[ranked[1].id],
            lead(ranked),
        ):
            return False
        return not self.undecided(normalized, ranked)

    def _decide(self, normalized: str, ranked: list[Candidate], mentioned: bool) -> Reply:
        """Words alone: answer, choices or hand-off by the lexical bars."""
        best = ranked[0].score if ranked else 0.0
        bars = self.calibration
        if len(ranked) > 1 and self.twins_in_doubt(
            tokens(normalized),
            self._position[ranked[0].id],
            self._position[ranked[1].id],
            lead(ranked),
        ):
            # No answer: the two are offered, the one that says what the other lacks first.
            ranked = [ranked[1], ranked[0], *ranked[2:]]
            best = ranked[0].score
        elif (
            best >= bars.answer
            and lead(ranked) >= bars.margin
            and not self.undecided(normalized, ranked)
        ):
            return Reply(
                ranked[0].id,
                (),
                best,
                mentioned,
                mentioned,
                (ranked[0],),
                alternatives=tuple(ranked[1 : 1 + ALTERNATIVES]),
            )
        if best >= bars.choice:
            # Choices within reach of the best: a distant third is noise, not an option.
            floor = max(bars.choice, best * 0.75)
            choices = tuple(c for c in ranked[:MAX_CHOICES] if c.score >= floor)
            return Reply(None, choices, best, mentioned, mentioned, choices, unsure=True)
        # Nothing fits: a person can still help, so the hand-off is offered here too.
        nearest = ranked[0].id if ranked else None
        return Reply(
            None,
            (),
            best,
            True,
            mentioned,
            (),
            nearest=nearest,
            alternatives=tuple(ranked[:MAX_CHOICES]),
        )

    def decide_hybrid(
        self,
        normalized: str,
        ranked: list[Candidate],
        cosines: np.ndarray,
        mentioned: bool,
    ) -> Reply:
        """Words and meaning together (see `hybrid.decide`)."""
        return hybrid.decide(self, normalized, ranked, cosines, mentioned)


def _windows(parts: Sequence[str]) -> list[str]:
    """The clauses of a long question to score on their own, and each with its neighbour;
    only the asking clauses and their neighbours when some clause asks."""
    if len(parts) < 2:
        return []
    asking = [n for n, part in enumerate(parts) if asks_how(part)]
    if not asking:
        return [*parts, *("".join(pair) for pair in itertools.pairwise(parts))]
    out: dict[str, None] = {}
    for n in asking:
        out[parts[n]] = None
        if n > 0:
            out[parts[n - 1] + parts[n]] = None
        if n + 1 < len(parts):
            out[parts[n] + parts[n + 1]] = None
    return list(out)


# Twins whose scores are within this share of each other are told apart by what only one of
# them says (see Retriever.twins_in_doubt).
_TWIN_LEAD: Final = 0.2

# How the four signals make a score (shares in 0..1, so the score is too).
_Q_WEIGHT: Final = 0.4
_D_WEIGHT: Final = 0.3
_BM25_WEIGHT: Final = 0.15
_FUZZY_WEIGHT: Final = 0.15
