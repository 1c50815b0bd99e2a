"""What 小原 shows besides an answer: 您是不是想问 under every answer, choices instead of a guess,
the nearest items beside every abstention and hand-off, and a tap that answers with its item
and stays in the log as what the question meant."""

from dataclasses import replace
from typing import Any

import numpy as np
from django.test import Client

from tests.assistant.test_api import ASK, client_for, post
from wangge.assistant import selectors
from wangge.assistant.evaluation import Tally
from wangge.assistant.models import Conversation, Outcome, Turn
from wangge.assistant.retrieval import Candidate, Doc, Reply, Retriever

CHOOSE = "/api/v1/assistant/choose"


def test_every_reply_has_a_way_on(kb: Any, cast: dict[str, Any]) -> None:
    c = client_for(cast["resident"])
    answered = post(c, ASK, {"question": "外地人在中原区租房怎么办居住证"}).json()
    assert answered["matched"]["id"] == "HJ001" and answered["choices"] == []
    # The next two items, each as id and standard question, never the answer itself.
    alternatives = answered["alternatives"]
    assert len(alternatives) == 2
    assert all(set(a) == {"id", "question"} for a in alternatives)
    assert "HJ001" not in {a["id"] for a in alternatives}
    assert {"id": "HJ002", "question": "居住证到期了怎么续签？"} in alternatives

    # Choices instead of a guess: no answer, no matched item; the choices are the options.
    offered = post(c, ASK, {"question": "公积金"}).json()
    assert offered["answer"] is None and offered["matched"] is None
    assert len(offered["choices"]) == 3 and offered["alternatives"] == []
    assert offered["handoff"] is False and offered["complaint"] is False

    # A question the base lacks: nothing answered or offered, a person, and the nearest items.
    missing = post(c, ASK, {"question": "外国人永久居留证怎么申请"}).json()
    assert (missing["answer"], missing["matched"], missing["choices"]) == (None, None, [])
    assert missing["handoff"] is True and missing["complaint"] is False
    assert [a["id"] for a in missing["alternatives"]][:1] == ["HJ001"]
    assert 1 <= len(missing["alternatives"]) <= 3

    # A problem to fix: handed off, with the nearest guides beneath for one who asked after all.
    problem = post(c, ASK, {"question": "小区门口有人占道摆摊，堵住出入口"}).json()
    assert problem["handoff"] is True and problem["complaint"] is True
    assert problem["answer"] is None
    assert problem["choices"] == [] and problem["alternatives"]


def test_a_tap_on_an_alternative_answers_with_it_and_is_logged_as_what_was_meant(
    kb: Any, cast: dict[str, Any]
) -> None:
    c = client_for(cast["resident"])
    question = "外地人在中原区租房怎么办居住证"
    first = post(c, ASK, {"question": question}).json()
    meant = next(a for a in first["alternatives"] if a["id"] == "HJ002")
    tapped = post(c, CHOOSE, {"session_id": first["session_id"], "id": meant["id"]}).json()
    assert tapped["matched"] == meant and "居住证" in tapped["answer"]
    assert tapped["alternatives"] == [] and tapped["handoff"] is False

    conversation = Conversation.objects.get(session_id=first["session_id"])
    chosen = Turn.objects.get(conversation=conversation, outcome=Outcome.CHOSEN)
    assert chosen.item is not None and chosen.item.code == "HJ002"
    assert selectors.taps(conversation) == [selectors.Tap(question, "HJ001", "HJ002")]


def test_a_tap_on_a_choice_is_logged_against_the_question_that_offered_it(
    kb: Any, cast: dict[str, Any]
) -> None:
    c = client_for(cast["resident"])
    offered = post(c, ASK, {"question": "公积金"}).json()
    session = offered["session_id"]
    pick = offered["choices"][1]
    assert post(c, CHOOSE, {"session_id": session, "id": pick["id"]}).json()["matched"] == pick
    conversation = Conversation.objects.get(session_id=session)
    assert selectors.taps(conversation) == [selectors.Tap("公积金", None, pick["id"])]


def test_a_tap_needs_the_residents_own_session(kb: Any, cast: dict[str, Any]) -> None:
    mine = post(client_for(cast["resident"]), ASK, {"question": "外地人租房办居住证"}).json()
    body = {"session_id": mine["session_id"], "id": mine["alternatives"][0]["id"]}
    assert post(client_for(cast["outsider"]), CHOOSE, body).status_code == 404
    assert post(Client(), CHOOSE, body).status_code == 401


DOCS = [
    Doc("HZ", "护照怎么办理？", ("第一次办护照",)),
    Doc("HX", "护照过期了怎么换发？", ("护照到期换新",)),
    Doc("GA", "港澳通行证怎么办？", ("去香港办什么证",)),
    Doc("SB", "社保卡丢了怎么补办？", ("社保卡补卡",)),
    Doc("JZ", "居住证怎么办理？", ("外地人办居住证",)),
]


def test_the_retriever_puts_the_runners_up_under_an_answer_and_the_nearest_beside_nothing() -> None:
    retriever = Retriever(DOCS)
    answer = retriever.ask("护照丢了挂失")
    assert answer.answer_id == "HZ"
    # The next two of the ranking, the nearer twin first; never the answer itself.
    assert [c.id for c in answer.alternatives] == ["HX", "SB"]
    nothing = retriever.ask("驾驶证年审")
    assert (nothing.answer_id, nothing.choices, nothing.handoff) == (None, (), True)
    assert [c.id for c in nothing.alternatives] == ["GA", "JZ"]


def test_hit_at_3_counts_the_alternatives_shown_under_a_wrong_answer() -> None:
    right, wrong = Candidate("A", "a", 0.9), Candidate("B", "b", 0.8)
    tally = Tally()
    tally.add("B", Reply("A", (), 0.9, False, False, (right,), alternatives=(wrong,)))
    tally.add("C", Reply("A", (), 0.9, False, False, (right,), alternatives=(wrong,)))
    m = tally.metrics()
    assert (m["hit@1"], m["hit@3"], m["wrong_rate"]) == (0.0, 0.5, 1.0)


def test_an_agreed_answer_below_the_confident_band_becomes_three_choices() -> None:
    """The words and the meaning put 兵役登记 first; it reaches the choice bars. Within the
    band the base learnt it is answered, with the next two beneath; below it (a wrong answer
    looks as sure as a right one) the resident chooses among the nearest three instead."""
    from tests.assistant.test_hybrid import DOCS as TWO_SIGNALS
    from tests.assistant.test_hybrid import QUESTION, UNREACHABLE, ask, cosines

    retriever = Retriever(TWO_SIGNALS)
    normalized = retriever._prepare_question(QUESTION)
    best = retriever.rank(QUESTION, prepared=normalized)[0].score
    cos = cosines(BY=0.92, YB=0.86, CJ=0.85)
    reaching = replace(UNREACHABLE, choice=best, dense_choice=0.84)

    within = ask(retriever, replace(reaching, agreed_answer=best, agreed_dense=0.99), cos)
    assert within.answer_id == "BY" and not within.choices
    assert [c.id for c in within.alternatives] == ["YB", "CJ"]

    below = ask(retriever, replace(reaching, agreed_answer=0.99, agreed_dense=0.95), cos)
    assert below.answer_id is None and not below.handoff
    assert [c.id for c in below.choices] == ["BY", "YB", "CJ"]
    assert below.unsure  # the editors see it


def test_the_calibration_learns_a_confident_band_at_or_above_the_answer_bars() -> None:
    from wangge.assistant.retrieval.calibration import _confident_band

    # Four agreed probes: two right above 0.6 / 0.93, one wrong at 0.55 / 0.91, one absent
    # service the two agree on at 0.5 / 0.90 (counted at half).
    lex = np.array([0.7, 0.65, 0.55, 0.2])
    cos = np.array([0.95, 0.94, 0.91, 0.5])
    agreed = np.array([True, True, True, False])
    right = np.array([True, True, False, False])
    absent = (np.array([0.5]), np.array([0.90]), np.array([True]))
    bar, dense_bar = _confident_band((lex, cos, agreed, right), absent, (0.4, 0.85))
    # The loosest bars that leave the wrong one and the absent one out, none below the floors.
    assert 0.55 < bar <= 0.65 and 0.91 < dense_bar <= 0.94
    # Nothing to be learnt (every agreed probe wrong): no agreed answer without the meaning's
    # own bars.
    assert _confident_band((lex, cos, agreed, ~right), absent, (0.4, 0.85)) == (1.01, 1.01)
