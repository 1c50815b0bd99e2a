"""A district's own chat model behind an OpenAI-compatible endpoint: it picks an item by id,
offers choices or abstains, and a resident is shown the item's own text; a dead, slow or
rambling endpoint changes nothing but the path recorded on the turn.

The endpoint is a real HTTP server on this machine that speaks `/v1/chat/completions` as
vLLM, Ollama and Xinference do; what it answers is set by each test."""

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.assistant.test_api import ASK, client_for, post
from wangge.assistant.models import AnswerPath, KnowledgeItem, Outcome, Turn


class FakeChat:
    """What the fake server answers next, and what it was asked."""

    def __init__(self) -> None:
        self.content: str = "{}"
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []
        self.authorization: list[str | None] = []


@pytest.fixture
def chat(settings: Any) -> Iterator[FakeChat]:
    state = FakeChat()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"path": self.path, **body})
            state.authorization.append(self.headers.get("Authorization"))
            time.sleep(state.delay)
            reply = {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": "qwen2.5-7b-instruct",
                "system_fingerprint": "fp_2026-11",
                "choices": [
                    {"index": 0, "message": {"role": "assistant", "content": state.content}}
                ],
            }
            data = json.dumps(reply).encode()
            try:
                self.send_response(state.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the caller gave up waiting: nobody reads this reply

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ASSISTANT_MODEL_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.ASSISTANT_MODEL_KEY = "district-secret"
    settings.ASSISTANT_CHAT_MODEL = "qwen2.5-7b-instruct"
    settings.ASSISTANT_MODEL_TIMEOUT = 1.0
    yield state
    server.shutdown()
    server.server_close()


def _ask(cast: dict[str, Any], question: str) -> dict[str, Any]:
    response = post(client_for(cast["resident"]), ASK, {"question": question})
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_without_a_model_set_nothing_is_asked_and_the_path_is_offline(
    kb: Any, cast: dict[str, Any]
) -> None:
    body = _ask(cast, "外地人在中原区租房怎么办居住证")
    assert body["matched"]["id"] == "HJ001"
    turn = Turn.objects.get()
    assert (turn.path, turn.model) == (AnswerPath.OFFLINE, "")


def test_the_model_picks_an_item_and_the_resident_reads_the_items_own_text(
    kb: Any, cast: dict[str, Any], chat: FakeChat
) -> None:
    # Offline, 公积金 alone is three choices; the model, reading the items, names one.
    chat.content = '{"decision": "answer", "id": "GJJ002"}'
    body = _ask(cast, "公积金")
    assert body["matched"]["id"] == "GJJ002" and body["choices"] == []
    assert body["answer"] == KnowledgeItem.objects.get(code="GJJ002").answer
    assert len(body["alternatives"]) == 2 and "GJJ002" not in {
        a["id"] for a in body["alternatives"]
    }
    # What the model read: the question and five items by id, with its own key.
    (asked,) = chat.requests
    assert asked["path"] == "/v1/chat/completions"
    assert asked["model"] == "qwen2.5-7b-instruct" and asked["temperature"] == 0
    told = asked["messages"][-1]["content"]
    assert "公积金" in told and told.count("[") == 5 and "[GJJ002]" in told
    assert chat.authorization == ["Bearer district-secret"]
    turn = Turn.objects.get()
    assert turn.outcome == Outcome.ANSWERED and turn.item is not None
    assert turn.item.code == "GJJ002"
    assert turn.path == AnswerPath.DISTRICT_MODEL
    # The endpoint, the model's name and version, never the key.
    assert turn.model.startswith("qwen2.5-7b-instruct · fp_2026-11 @ http://127.0.0.1:")
    assert "secret" not in turn.model


def test_the_model_may_offer_choices_or_abstain(
    kb: Any, cast: dict[str, Any], chat: FakeChat
) -> None:
    offline = _ask(cast, "外地人在中原区租房怎么办居住证")  # the model not yet asked to differ
    chat.content = '```json\n{"decision": "choices", "ids": ["HJ002", "HJ001"]}\n```'
    offered = _ask(cast, "外地人在中原区租房怎么办居住证")
    assert offered["answer"] is None and offered["matched"] is None
    assert [c["id"] for c in offered["choices"]] == ["HJ002", "HJ001"]

    chat.content = '{"decision": "abstain"}'
    abstained = _ask(cast, "外地人在中原区租房怎么办居住证")
    assert (abstained["answer"], abstained["choices"]) == (None, [])
    assert abstained["handoff"] is True and abstained["alternatives"]
    assert offline["session_id"]  # each ask above opened its own conversation
    paths = list(Turn.objects.order_by("id").values_list("outcome", "path"))
    assert paths[1:] == [
        (Outcome.CHOICES, AnswerPath.DISTRICT_MODEL),
        (Outcome.HANDOFF, AnswerPath.DISTRICT_MODEL),
    ]


@pytest.mark.parametrize(
    "content",
    [
        "居住证请到派出所办理。",  # free text: never shown
        '{"decision": "answer", "id": "XX999"}',  # an item it was not shown
        '{"decision": "choices", "ids": ["HJ001", "HJ002", "HJ003", "HJ004"]}',  # too many
        '{"decision": "answer"}',
    ],
)
def test_a_reply_that_is_not_a_decision_on_the_items_shown_leaves_the_offline_answer(
    kb: Any, cast: dict[str, Any], chat: FakeChat, content: str
) -> None:
    chat.content = content
    body = _ask(cast, "外地人在中原区租房怎么办居住证")
    assert body["matched"]["id"] == "HJ001"
    assert body["answer"] == KnowledgeItem.objects.get(code="HJ001").answer
    turn = Turn.objects.get()
    assert turn.path == AnswerPath.FALLBACK and turn.item is not None
    assert turn.item.code == "HJ001"


def test_a_slow_or_failing_endpoint_is_waited_for_no_longer_than_its_limit(
    kb: Any, cast: dict[str, Any], chat: FakeChat
) -> None:
    offline = _ask(cast, "公积金")  # warms the index: what follows times the model's call
    Turn.objects.all().delete()
    chat.content = '{"decision": "answer", "id": "GJJ002"}'
    chat.delay = 4.0
    started = time.monotonic()
    slow = _ask(cast, "公积金")
    waited = time.monotonic() - started
    assert waited < 1.0 + 1.5, waited  # the limit (1 s), not the server's 4 s
    assert [c["id"] for c in slow["choices"]] == [c["id"] for c in offline["choices"]]
    assert Turn.objects.get().path == AnswerPath.FALLBACK

    chat.delay, chat.status = 0.0, 500
    failed = _ask(cast, "公积金")
    assert [c["id"] for c in failed["choices"]] == [c["id"] for c in offline["choices"]]


def test_a_dead_endpoint_changes_nothing_but_the_path(
    kb: Any, cast: dict[str, Any], settings: Any
) -> None:
    questions = ["外地人在中原区租房怎么办居住证", "公积金", "外国人永久居留证怎么申请"]
    offline = [_ask(cast, q) for q in questions]
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.ASSISTANT_MODEL_URL = f"http://127.0.0.1:{port}/v1"
    settings.ASSISTANT_CHAT_MODEL = "qwen2.5-7b-instruct"
    settings.ASSISTANT_MODEL_TIMEOUT = 1.0
    dead = [_ask(cast, q) for q in questions]
    keys = ("answer", "matched", "choices", "alternatives", "handoff", "complaint")
    assert [{k: b[k] for k in keys} for b in dead] == [{k: b[k] for k in keys} for b in offline]
    paths = list(Turn.objects.order_by("id").values_list("path", flat=True))
    assert paths == [AnswerPath.OFFLINE] * 3 + [AnswerPath.FALLBACK] * 3


def test_a_misspelt_endpoint_setting_answers_as_offline(
    kb: Any, cast: dict[str, Any], settings: Any
) -> None:
    settings.ASSISTANT_MODEL_URL = "http://[::1/v1"  # httpx.InvalidURL: no HTTPError
    settings.ASSISTANT_CHAT_MODEL = "qwen2.5-7b-instruct"
    body = _ask(cast, "外地人在中原区租房怎么办居住证")
    assert body["matched"]["id"] == "HJ001"
    assert Turn.objects.get().path == AnswerPath.FALLBACK


def test_a_problem_to_fix_is_handed_off_without_asking_the_model(
    kb: Any, cast: dict[str, Any], chat: FakeChat
) -> None:
    chat.content = '{"decision": "answer", "id": "HJ001"}'
    body = _ask(cast, "小区门口有人占道摆摊，堵住出入口")
    assert body["handoff"] is True and body["complaint"] is True and body["answer"] is None
    assert chat.requests == []
    assert Turn.objects.get().path == AnswerPath.OFFLINE
