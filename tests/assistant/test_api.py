"""POST /api/v1/assistant/*: ask, choose, feedback and a hand-off that becomes a routed case."""

from typing import Any

import pytest
from django.test import Client

from wangge.assistant.models import MissedQuestion, MissReason, Turn
from wangge.cases.models import Case, Channel, Status

ASK = "/api/v1/assistant/ask"


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, body, content_type="application/json")


def test_anonymous_gets_401(db: Any) -> None:
    for url in (ASK, "/api/v1/assistant/feedback", "/api/v1/assistant/handoff"):
        assert post(Client(), url, {"question": "居住证"}).status_code == 401


def test_a_session_asks_chooses_and_rates(kb: Any, cast: dict[str, Any]) -> None:
    c = client_for(cast["resident"])
    first = post(c, ASK, {"question": "外地人在中原区租房怎么办居住证"}).json()
    assert first["matched"] == {"id": "HJ001", "question": "居住证怎么办理？"}
    assert "派出所" in first["answer"]
    assert {"label": "办理地点", "value": "居住地派出所户籍窗口"} in first["guide"]
    assert first["choices"] == [] and first["handoff"] is False and first["case_id"] is None
    session = first["session_id"]

    second = post(c, ASK, {"question": "公积金", "session_id": session}).json()
    assert second["session_id"] == session
    assert second["answer"] is None and 2 <= len(second["choices"]) <= 3
    picked = second["choices"][0]
    chosen = post(c, "/api/v1/assistant/choose", {"session_id": session, "id": picked["id"]})
    assert chosen.json()["matched"] == picked

    assert post(c, "/api/v1/assistant/feedback", {"session_id": session, "helpful": False}).json()
    miss = MissedQuestion.objects.get(reason=MissReason.DISLIKED)
    assert miss.text == "公积金"  # the resident's words, not the chosen standard question
    assert Turn.objects.filter(conversation__session_id=session).count() == 3


def test_an_unanswerable_question_is_logged(kb: Any, cast: dict[str, Any]) -> None:
    reply = post(client_for(cast["resident"]), ASK, {"question": "推荐一部电影"}).json()
    assert (reply["answer"], reply["choices"], reply["handoff"]) == (None, [], True)
    assert MissedQuestion.objects.get().reason == MissReason.UNANSWERED


def test_someone_elses_session_is_not_found(kb: Any, cast: dict[str, Any]) -> None:
    mine = post(client_for(cast["resident"]), ASK, {"question": "低保怎么申请"}).json()
    other = client_for(cast["outsider"])
    body = {"session_id": mine["session_id"], "helpful": True}
    assert post(other, "/api/v1/assistant/feedback", body).status_code == 404
    hijack = post(other, ASK, {"question": "低保", "session_id": mine["session_id"]}).json()
    assert hijack["session_id"] != mine["session_id"]


def test_a_handoff_needs_consent(kb: Any, people: dict[str, Any]) -> None:
    c = client_for(people["resident"])
    session = post(c, ASK, {"question": "小区门口有人占道摆摊"}).json()["session_id"]
    refused = post(c, "/api/v1/assistant/handoff", {"session_id": session, "consent": False})
    assert refused.status_code == 422
    assert "同意" in refused.json()["detail"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("where", ["address", "point"])
def test_a_complaint_is_handed_off_as_a_routed_case(
    kb: Any, people: dict[str, Any], where: str
) -> None:
    c = client_for(people["resident"])
    reply = post(c, ASK, {"question": "小区门口有人占道摆摊，堵住出入口"}).json()
    assert reply["handoff"] is True and reply["answer"] is None
    body: dict[str, Any] = {"session_id": reply["session_id"], "consent": True}
    if where == "address":
        body["address"] = "中原区伊河路百花里3号楼"
    else:
        body.update(lon=113.6005, lat=34.7505)
    done = post(c, "/api/v1/assistant/handoff", body)
    assert done.status_code == 200, done.content
    case = Case.objects.get(pk=done.json()["case_id"])
    assert case.channel == Channel.ASSISTANT
    assert "居民：小区门口有人占道摆摊，堵住出入口" in case.description
    assert case.reporter == people["resident"]
    assert case.category is not None and case.category.code == "CSGL-01"
    assert case.status == Status.DISPATCHED and case.assignee == people["worker_a"]
    # A second press does not make a second case.
    again = post(c, "/api/v1/assistant/handoff", body).json()
    assert again["case_id"] == case.pk and Case.objects.count() == 1


def test_an_empty_question_is_refused(kb: Any, cast: dict[str, Any]) -> None:
    resp = post(client_for(cast["resident"]), ASK, {"question": "   "})
    assert resp.status_code == 422
    assert resp.json()["detail"] == "请输入您的问题"
