"""The decision bars a base sets for itself by leaving out what it knows (see `calibrate`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
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
    for i, j in pairs:
        question = retriever._phrasings[i][j]
        ranked = retriever._rank(question, (i, j))
        if ranked:
            known.append(
                (ranked[0].score, _lead(retriever, question, ranked, (i, j)), ranked[0].index == i)
            )
        else:
            known.append((0.0, 0.0, False))
        ranked = retriever._rank(question, (i, None))
        if ranked:
            absent.append((ranked[0].score, _lead(retriever, question, ranked, (i, None))))
        else:
            absent.append((0.0, 0.0))
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
    return Calibration(
        answer=answer,
        margin=margin,
        choice=choice,
        probes=len(pairs),
        known_median=_quantile([s for s, _m, r in known if r], 0.5),
        absent_p90=_quantile(absent_scores, 0.9),
        learnt=True,
    )
