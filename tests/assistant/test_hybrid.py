"""The decision on both signals (retrieval.hybrid.decide), on scores set by hand: when the
words and the meaning agree on their first item but neither score reaches its bar, the lead
the meaning gives that item decides between choices and a hand-off."""

from dataclasses import replace

import numpy as np
import pytest

from wangge.assistant.retrieval import Doc, Examples, Reply, Retriever
from wangge.assistant.retrieval.calibration import Calibration
from wangge.assistant.retrieval.hybrid import decide

DOCS = [
    Doc("BY", "适龄男青年怎么进行兵役登记？", ("到了18岁要去登记当兵吗",)),
    Doc("YB", "医保关系换城市后怎么转？", ("职工医保转移接续",)),
    Doc("CJ", "驾驶证丢了怎么补领？", ("驾照找不到了能补吗",)),
    Doc("SF", "撕坏的纸币怎么兑换？", ("残缺人民币去哪换",)),
]
# No score reaches a bar: only the agreement and the dense lead can offer anything.
UNREACHABLE = Calibration(
    answer=0.99,
    margin=0.5,
    choice=0.99,
    learnt=True,
    dense_key="test",
    dense_answer=0.99,
    dense_margin=0.5,
    dense_choice=0.99,
    dense_choice_lead=0.03,
)
QUESTION = "当兵登记"


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever(DOCS)


def cosines(**by_id: float) -> np.ndarray:
    return np.array([by_id.get(d.id, 0.84) for d in DOCS], dtype=np.float32)


def ask(retriever: Retriever, bars: Calibration, cos: np.ndarray) -> Reply:
    retriever.calibration = bars
    normalized = retriever._prepare_question(QUESTION)
    ranked = retriever.rank(QUESTION, prepared=normalized)
    assert ranked[0].id == "BY"  # the words' first
    return decide(retriever, normalized, ranked, cos, False)


def test_agreement_with_a_clear_dense_lead_offers_choices(retriever: Retriever) -> None:
    reply = ask(retriever, UNREACHABLE, cosines(BY=0.88))
    assert reply.answer_id is None
    assert [c.id for c in reply.choices][:1] == ["BY"]
    assert reply.unsure and not reply.handoff


def test_a_lead_below_the_bases_bar_hands_off(retriever: Retriever) -> None:
    reply = ask(retriever, replace(UNREACHABLE, dense_choice_lead=0.05), cosines(BY=0.88))
    assert reply.answer_id is None and not reply.choices and reply.handoff


def test_without_agreement_the_lead_is_not_enough(retriever: Retriever) -> None:
    reply = ask(retriever, UNREACHABLE, cosines(SF=0.88))
    assert reply.answer_id is None and not reply.choices and reply.handoff


def test_an_item_that_reaches_a_bar_is_offered_behind_three_that_do_not(
    retriever: Retriever,
) -> None:
    # The meaning puts the three others first, none near its bar, and has no vector for the
    # words' first (-1), which the fusion then ranks fourth; the words' score reaches its bar.
    cos = cosines(YB=0.90, CJ=0.89, SF=0.88, BY=-1.0)
    normalized = retriever._prepare_question(QUESTION)
    ranked = retriever.rank(QUESTION, prepared=normalized)
    best = ranked[0].score
    assert ranked[0].id == "BY" and all(c.score < best for c in ranked[1:])
    reply = ask(retriever, replace(UNREACHABLE, choice=best), cos)
    assert reply.answer_id is None
    assert [c.id for c in reply.choices] == ["BY"]
    assert reply.unsure and not reply.handoff


def _unit(*values: float) -> np.ndarray:
    vector = np.asarray(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


# Three directions: what a report of a problem says, what a question about a service says, and
# how a dialect says anything (shared by a dialect's reports and its questions).
TOLD = Examples(
    complaints=np.stack([_unit(1, 0, 0), _unit(1, 0, 0.2), _unit(0.7, 0, 1)]),
    questions=np.stack([_unit(0, 1, 0), _unit(0, 1, 0.2), _unit(0, 0.7, 1)]),
    margin=0.025,
)


def test_a_question_nearer_the_reports_than_any_item_and_the_questions_is_a_complaint() -> None:
    report = _unit(1, 0.1, 0)
    assert TOLD.is_complaint(report, best_item=0.5)
    # An item of the base nearer than the reports: it is about that item, not a complaint.
    assert not TOLD.is_complaint(report, best_item=0.9)


def test_a_dialect_question_is_not_taken_for_a_complaint_for_its_dialect() -> None:
    # Nearer the dialect's reports than the base's written items, but as near the dialect's
    # questions: the nearness is the dialect's, not the problem's.
    asked = _unit(0.3, 0.3, 1)
    assert not TOLD.is_complaint(asked, best_item=0.2)
    # Against the base's items alone, the same question would have been handed off.
    items_only = Examples(TOLD.complaints, np.zeros((0, 3), np.float32), 0.025)
    assert items_only.is_complaint(asked, best_item=0.2)
