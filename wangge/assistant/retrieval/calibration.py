"""The decision bars a base sets for itself by leaving out what it knows (see `calibrate`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Final, Protocol

import numpy as np

from wangge.assistant.retrieval.text import tokens

if TYPE_CHECKING:
    from wangge.assistant.retrieval.ranking import Retriever, _Scored


class _HasScore(Protocol):
    @property
    def score(self) -> float: ...


@dataclass(frozen=True)
class Calibration:
    """The decision bars a base sets for itself (see `calibrate`), with what they rest on."""

    answer: float
    margin: float
    choice: float
    probes: int = 0
    known_median: float = 0.0
    absent_p90: float = 0.0
    learnt: bool = False
    # The lexical bars above which the base's probes were never answered wrongly: there the
    # question is not encoded at all (above 1: never, the default without dense bars).
    decisive: float = 1.01
    decisive_margin: float = 1.0
    # The dense bars (cosine, its lead over the runner-up, the choice bar) and the encoder
    # they were learnt with: bars of another encoder or version are never applied.
    dense_key: str = ""
    dense_answer: float = 1.01
    dense_margin: float = 1.0
    dense_choice: float = 1.01
    dense_known_median: float = 0.0
    dense_absent_p90: float = 0.0
    # The dense lead (first cosine minus second) that all but `_LEAD_LEAK` of the
    # absent-service probes stay below: with both lists agreeing on their first it is enough
    # for choices when neither score reaches its bar (see hybrid.decide).
    dense_choice_lead: float = 1.0
    # The confident band of an answer the words and the meaning agree on (see
    # calibration._confident_band): below both bars it is offered among choices instead.
    # 0 (bars stored before the band was learnt): every agreed answer is given.
    agreed_answer: float = 0.0
    agreed_dense: float = 0.0

    def knows(self, encoder_key: str) -> bool:
        """Bars learnt with this encoder (model and version) are stored here."""
        return bool(self.dense_key) and self.dense_key == encoder_key

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


# Bars for a base too small to learn from (fewer probes than _MIN_PROBES): the scores are
# shares in 0..1, and these ask for most of the question to be covered. Any real base
# (dozens of items with similar questions) replaces them with its own.
PRIOR: Final = Calibration(answer=0.5, margin=0.15, choice=0.35)
_MIN_PROBES: Final = 40
# Probes per base: every phrasing of a small base, an even sample of a large one.
_MAX_PROBES: Final = 600
# A wrong answer costs this many right ones when the answer bar is set: a resident misled
# is worse off than one offered a person.
_WRONG_COST: Final = 1.0
# A known-service probe handed off costs this share of a right answer: less than a wrong
# answer (the resident still reaches a person) but not nothing (they did not get the answer
# the base has). Without it the bars buy the last few wrong answers away with many hand-offs.
_HANDOFF_COST: Final = 0.5
# How much an absent-service probe counts beside a known-service one. Every item gives one
# of each, but residents ask about services the base has far more often than about a
# sibling of one it lacks; complaints, chit-chat and questions off the subject are kept out
# by other means (complaint detection, their low scores).
_ABSENT_SHARE: Final = 0.5
# Leads tried for the answer (as a share of the best score). None is zero: when the best two
# are within a twentieth of each other (公积金 → 提取? 贷款? 离职?) the resident chooses.
_MARGINS: Final = (0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4)
_BARS: Final = tuple(np.round(np.arange(0.2, 0.9, 0.01), 2))
# The share of absent-service probes allowed to reach the choice bar.
_CHOICE_LEAK: Final = 0.25
# The share of absent-service probes allowed to reach the dense choice lead. Smaller than
# _CHOICE_LEAK: the lead alone (no score bar) lets a question through.
_LEAD_LEAK: Final = 0.1
# The share of wrong answers among the probes passing the decisive bars (see _decisive_bars).
_DECISIVE_ERRORS: Final = 0.01
# The share of wrong answers allowed among the probes the words and the meaning agree on and
# answer within the confident band (see _confident_band). On the development bases the shares
# around this one set nearly the same bands (the answer bars are the floor
# that binds); this one kept wrong replies to residents' own words under the issue's bar
# (docs/benchmarks).
_CONFIDENT_ERRORS: Final = 0.05
# Cosine bars and leads tried for the dense answer: sentence encoders' cosines sit in a narrow
# band (e5's between 0.8 and 1), so the steps are fine. No lead below a hundredth: a 4-bit
# model's cosines move by about that much with a rephrasing that changes nothing, and the
# editors' phrasings the probes are made of are cleaner than residents' questions (on the
# development bases a lead of 0 answered near twins wrongly, 医保报销 as 异地就医).
_DENSE_BARS: Final = tuple(np.round(np.arange(0.5, 1.0, 0.005), 3))
_DENSE_MARGINS: Final = (0.01, 0.015, 0.02, 0.03, 0.04, 0.05, 0.07, 0.1, 0.15)


def lead(ranked: Sequence[_HasScore]) -> float:
    """How far the best leads the runner-up, as a share of the best's score: a lead of 0.1
    means something different at 0.3 than at 0.9, and bases differ in where their scores sit."""
    if not ranked or ranked[0].score <= 0:
        return 0.0
    second = ranked[1].score if len(ranked) > 1 else 0.0
    return (ranked[0].score - second) / ranked[0].score


def _lead(
    retriever: Retriever,
    question: str,
    ranked: Sequence[_Scored],
    left_out: tuple[int, int | None],
) -> float:
    """The best's lead as `Retriever.ask` sees it: twins in doubt are offered as choices,
    never answered, whatever the bars (a lead below every margin)."""
    leads_by = lead(ranked)
    if len(ranked) > 1 and retriever.twins_in_doubt(
        tokens(retriever._prepare_question(question)),
        ranked[0].index,
        ranked[1].index,
        leads_by,
        left_out,
    ):
        return -1.0
    return leads_by


def _probes(retriever: Retriever) -> list[tuple[int, int]]:
    """(item, phrasing) pairs to leave out: items with at least two phrasings, every phrasing
    of a small base, an even spread over a large one."""
    pairs = [
        (i, j)
        for i, phrasings in enumerate(retriever._phrasings)
        if len(phrasings) >= 2
        for j in range(len(phrasings))
    ]
    if len(pairs) > _MAX_PROBES:
        step = len(pairs) / _MAX_PROBES
        pairs = [pairs[int(k * step)] for k in range(_MAX_PROBES)]
    return pairs


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def calibrate(retriever: Retriever) -> Calibration:
    """Bars learnt from the base itself, by leaving out what is known.

    Each probe is one phrasing of an item, asked twice: with that phrasing left out of the
    index (a question about a service the base has, in words it has not seen) and with its
    whole item left out (a question about a service the base lacks). The answer bar and
    margin are the pair that answers the most known-service probes rightly while wrong
    answers (another item, or any answer to an absent-service probe) each cost
    `_WRONG_COST` right ones and known-service probes not answered `_HANDOFF_COST`; the
    choice bar is the score that all but `_CHOICE_LEAK` of
    absent-service probes stay below. Recomputed whenever the base changes."""
    pairs = _probes(retriever)
    if len(pairs) < _MIN_PROBES:
        return PRIOR
    known: list[tuple[float, float, bool]] = []  # best, margin, best is the right item
    absent: list[tuple[float, float]] = []
    # The words' first item of each probe (-1: none), known then absent: where the words and
    # the meaning agree is what the confident band is learnt on (`_confident_band`).
    firsts: tuple[list[int], list[int]] = ([], [])
    for i, j in pairs:
        question = retriever._phrasings[i][j]
        ranked = retriever._rank(question, (i, j))
        if ranked:
            known.append(
                (ranked[0].score, _lead(retriever, question, ranked, (i, j)), ranked[0].index == i)
            )
        else:
            known.append((0.0, 0.0, False))
        firsts[0].append(ranked[0].index if ranked else -1)
        ranked = retriever._rank(question, (i, None))
        if ranked:
            absent.append((ranked[0].score, _lead(retriever, question, ranked, (i, None))))
        else:
            absent.append((0.0, 0.0))
        firsts[1].append(ranked[0].index if ranked else -1)
    ks, km, kr = (np.array(col, dtype=float) for col in zip(*known, strict=True))
    as_, am = (np.array(col, dtype=float) for col in zip(*absent, strict=True))
    best: tuple[float, float, float] | None = None
    for margin in _MARGINS:
        for bar in _BARS:
            k_pass = (ks >= bar) & (km >= margin)
            right = float((k_pass & (kr > 0)).sum())
            wrong = float(
                (k_pass & (kr == 0)).sum() + _ABSENT_SHARE * ((as_ >= bar) & (am >= margin)).sum()
            )
            handed_off = float((~k_pass).sum())
            value = right - _WRONG_COST * wrong - _HANDOFF_COST * handed_off
            if best is None or value > best[0] + 1e-9:
                best = (value, float(bar), margin)
    assert best is not None
    _value, answer, margin = best
    absent_scores = [s for s, _m in absent]
    choice = min(answer, _quantile(absent_scores, 1 - _CHOICE_LEAK))
    decisive, decisive_margin = _decisive_bars(ks, km, kr, as_, am, answer, margin)
    lexical = Calibration(
        answer=answer,
        margin=margin,
        choice=choice,
        probes=len(pairs),
        known_median=_quantile([s for s, _m, r in known if r], 0.5),
        absent_p90=_quantile(absent_scores, 0.9),
        learnt=True,
        decisive=decisive,
        decisive_margin=decisive_margin,
    )
    if retriever.dense is None:
        return lexical
    return calibrate_dense(retriever, pairs, lexical, (ks, as_), firsts)


def _decisive_bars(
    ks: np.ndarray,
    km: np.ndarray,
    kr: np.ndarray,
    as_: np.ndarray,
    am: np.ndarray,
    answer: float,
    margin: float,
) -> tuple[float, float]:
    """The loosest (bar, margin), at or above the answer bars, at which at most
    `_DECISIVE_ERRORS` of the probes passing were answered wrongly (another item, or an
    absent service): above them the words settle it and the question is not encoded."""
    best: tuple[float, float, float] | None = None
    for m in _MARGINS:
        if m < margin:
            continue
        for bar in _BARS:
            if bar < answer:
                continue
            k_pass = (ks >= bar) & (km >= m)
            passes = float(k_pass.sum())
            if not passes:
                continue
            errors = float((k_pass & (kr == 0)).sum() + ((as_ >= bar) & (am >= m)).sum())
            if errors <= _DECISIVE_ERRORS * passes and (best is None or passes > best[0]):
                best = (passes, float(bar), m)
    if best is None:
        return 1.01, 1.0
    return best[1], best[2]


def calibrate_dense(
    retriever: Retriever,
    pairs: Sequence[tuple[int, int]],
    lexical: Calibration,
    lexical_scores: tuple[np.ndarray, np.ndarray] | None = None,
    firsts: tuple[Sequence[int], Sequence[int]] | None = None,
) -> Calibration:
    """The dense bars, learnt as the lexical ones are: each probe phrasing is encoded as a
    question and compared with the items' vectors, once with that phrasing hidden (a known
    service in new words) and once with its whole item hidden (a service the base lacks). The
    answer bar and lead are the pair of best value at the same costs; the choice bar the
    cosine all but `_CHOICE_LEAK` of absent-service probes stay below."""
    dense = retriever.dense
    assert dense is not None
    texts = []
    sources = []
    for i, j in pairs:
        source = retriever._phrasing_source[i][j]
        doc = retriever.docs[i]
        texts.append((doc.question, *doc.similar)[source])
        sources.append(source)
    vectors = dense.encoder.queries(texts)
    known: list[tuple[float, float, bool]] = []
    absent: list[float] = []
    absent_lead: list[float] = []
    dense_firsts: tuple[list[int], list[int]] = ([], [])
    for (i, _j), source, vector in zip(pairs, sources, vectors, strict=True):
        cos = dense.scores(vector, (i, source))
        top, gap = _top_and_lead(cos)
        known.append((float(cos[top]) if top >= 0 else -1.0, gap, top == i))
        dense_firsts[0].append(top)
        cos = dense.scores(vector, (i, None))
        top, gap = _top_and_lead(cos)
        absent.append(float(cos[top]) if top >= 0 else -1.0)
        absent_lead.append(gap)
        dense_firsts[1].append(top)
    ks, km, kr = (np.array(col, dtype=float) for col in zip(*known, strict=True))
    as_, am = np.array(absent, dtype=float), np.array(absent_lead, dtype=float)
    best: tuple[float, float, float] | None = None
    for margin in _DENSE_MARGINS:
        for bar in _DENSE_BARS:
            k_pass = (ks >= bar) & (km >= margin)
            right = float((k_pass & (kr > 0)).sum())
            wrong = float(
                (k_pass & (kr == 0)).sum() + _ABSENT_SHARE * ((as_ >= bar) & (am >= margin)).sum()
            )
            value = right - _WRONG_COST * wrong - _HANDOFF_COST * float((~k_pass).sum())
            if best is None or value > best[0] + 1e-9:
                best = (value, float(bar), margin)
    assert best is not None
    _value, answer, margin = best
    dense_choice = min(answer, _quantile(absent, 1 - _CHOICE_LEAK))
    confident = (1.01, 1.01)
    if lexical_scores is not None and firsts is not None:
        items = np.array([i for i, _j in pairs])
        lex_known, lex_absent = lexical_scores
        agree_known = np.array(firsts[0]) == np.array(dense_firsts[0])
        agree_absent = (np.array(firsts[1]) == np.array(dense_firsts[1])) & (
            np.array(firsts[1]) >= 0
        )
        reach_known = (lex_known >= lexical.choice) | (ks >= dense_choice)
        reach_absent = (lex_absent >= lexical.choice) | (as_ >= dense_choice)
        confident = _confident_band(
            (lex_known, ks, agree_known & reach_known, np.array(firsts[0]) == items),
            (lex_absent, as_, agree_absent & reach_absent),
            (lexical.answer, answer),
        )
    return replace(
        lexical,
        dense_key=dense.encoder.key,
        dense_answer=answer,
        dense_margin=margin,
        dense_choice=dense_choice,
        agreed_answer=confident[0],
        agreed_dense=confident[1],
        dense_known_median=_quantile([s for s, _m, r in known if r], 0.5),
        dense_absent_p90=_quantile(absent, 0.9),
        dense_choice_lead=_quantile(absent_lead, 1 - _LEAD_LEAK),
    )


def _confident_band(
    known: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    absent: tuple[np.ndarray, np.ndarray, np.ndarray],
    floors: tuple[float, float],
) -> tuple[float, float]:
    """The confident band of an answer the words and the meaning agree on: the loosest
    (lexical bar, cosine bar), at or above the answer bars, such that of the probes on which
    both put the same item first, those reaching either bar were answered wrongly (another
    item, or any item for an absent service, counted at `_ABSENT_SHARE`) at most
    `_CONFIDENT_ERRORS` of the time. Below it, 小原 offers the three nearest as choices rather
    than guess: a wrong answer looks as sure as a right one (cosines of 0.90–0.95 both), and
    a choice still puts the right item one tap away."""
    lex_k, cos_k, agreed_k, right_k = known
    lex_a, cos_a, agreed_a = absent
    best: tuple[float, float, float] | None = None
    for bar in _BARS:
        if bar < floors[0]:
            continue
        for dense_bar in _DENSE_BARS:
            if dense_bar < floors[1]:
                continue
            k_pass = agreed_k & ((lex_k >= bar) | (cos_k >= dense_bar))
            a_pass = agreed_a & ((lex_a >= bar) | (cos_a >= dense_bar))
            passes = float(k_pass.sum())
            if not passes:
                continue
            errors = float((k_pass & ~right_k).sum()) + _ABSENT_SHARE * float(a_pass.sum())
            if errors <= _CONFIDENT_ERRORS * passes and (best is None or passes > best[0]):
                best = (passes, float(bar), float(dense_bar))
    if best is None:
        return 1.01, 1.01
    return best[1], best[2]


def _top_and_lead(cos: np.ndarray) -> tuple[int, float]:
    """The best item (-1 when none has vectors) and its cosine lead over the second."""
    if not len(cos):
        return -1, 0.0
    order = np.argsort(-cos)[:2]
    top = int(order[0])
    if cos[top] <= -1.0:
        return -1, 0.0
    second = float(cos[order[1]]) if len(order) > 1 and cos[order[1]] > -1.0 else 0.0
    return top, float(cos[top]) - second
