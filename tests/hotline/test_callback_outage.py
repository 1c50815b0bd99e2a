"""Fault: the hotline's callback endpoint is down for 10 minutes while cases move on.

Every result must reach the hotline once it is back, exactly once each, and in order per case.
The retry schedule is driven by the clock (`next_attempt_at` against `timezone.now()`), so the
outage runs in simulated time: time-machine moves the clock a minute at a time and the minutely
sweep (`deliveries_sweep`, the periodic task) runs after each step, as the worker would. The
endpoint is really down — its port refuses connections — not mocked.
"""

import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import time_machine

from tests.hotline.conftest import SECRET
from tests.hotline.test_deliveries import T0, act, hotline_case
from wangge.accounts.models import User
from wangge.cases.models import Case
from wangge.hotline import callback
from wangge.hotline.models import Delivery
from wangge.hotline.tasks import deliveries_sweep


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run what a real commit would run (the send task, in huey's immediate mode)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def resolve_and_close(case: Case, people: dict[str, User]) -> None:
    act(case, people["worker_a"], "resolve", result="已劝离摊贩，出入口已畅通")
    act(case, people["dispatcher"], "verify_pass")
    act(
        case,
        people["dispatcher"],
        "follow_up",
        reached=True,
        contacted=True,
        solved=True,
        satisfaction="satisfied",
        note="群众表示满意",
    )


class Hotline:
    """A callback endpoint on a fixed port that can go down (port closed) and come back."""

    def __init__(self) -> None:
        self.received: list[tuple[int, dict[str, Any]]] = []  # (delivery id, body)
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None
        self.port = 0
        self.up()

    def up(self) -> None:
        hotline = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                assert callback.verify(body, SECRET, self.headers[callback.SIGNATURE_HEADER])
                hotline.received.append(
                    (int(self.headers[callback.DELIVERY_HEADER]), json.loads(body))
                )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self.port = server.server_address[1]
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)
        self.thread.start()

    def down(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/12345/callback"


@pytest.fixture
def hotline(settings: Any) -> Iterator[Hotline]:
    endpoint = Hotline()
    settings.HOTLINE_CALLBACK_URL = endpoint.url
    settings.HOTLINE_CALLBACK_SECRET = SECRET
    yield endpoint
    if endpoint.server is not None:
        endpoint.down()


def test_ten_minutes_down_then_every_result_arrives_once_in_order(
    people: dict[str, User],
    hotline: Hotline,
    committing: Callable[[], Any],
    clock: Any,
) -> None:
    cases = []
    with committing():
        for n in range(4):
            case = hotline_case(people, order_no=f"ZZ2026112300010{n}")
            act(case, people["worker_a"], "sign")
            cases.append(case)
    assert len(hotline.received) == 4  # 受理 of each, before the outage

    hotline.down()
    outage_started = T0
    # During the outage the cases move on: each is resolved, verified and followed up.
    with committing():
        for case in cases:
            resolve_and_close(case, people)
    for _minute in range(10):
        clock.shift(timedelta(minutes=1))
        with committing():
            deliveries_sweep()
    assert len(hotline.received) == 4
    waiting = Delivery.objects.filter(state=Delivery.State.PENDING)
    assert waiting.count() == 8 and not Delivery.objects.filter(state="failed").exists()

    hotline.up()  # the same address, back after 10 minutes
    recovered_at = outage_started + timedelta(minutes=10)
    minutes = 0
    while Delivery.objects.filter(state=Delivery.State.PENDING).exists():
        minutes += 1
        assert minutes <= 60, "deliveries still pending an hour after the endpoint came back"
        clock.shift(timedelta(minutes=1))
        with committing():
            deliveries_sweep()

    assert set(Delivery.objects.values_list("state", flat=True)) == {"sent"}
    ids = [delivery_id for delivery_id, _body in hotline.received]
    assert len(ids) == len(set(ids)) == 12  # each result exactly once
    per_case: dict[str, list[str]] = defaultdict(list)
    for _id, body in hotline.received:
        per_case[body["order_no"]].append(body["kind"])
    assert all(kinds == ["accepted", "resolved", "closed"] for kinds in per_case.values())
    last_sent = max(Delivery.objects.values_list("sent_at", flat=True))
    # The longest wait after recovery is one back-off step (≤ 30 min by design); with a
    # 10-minute outage the schedule 30 s, 1, 2, 4, 8 min puts the next attempt ≈ 5.5 min later.
    assert last_sent - recovered_at <= callback.MAX_BACKOFF
    print(f"\ncallback outage 10 min: all 12 results delivered {last_sent - recovered_at} after")


def test_a_result_made_during_the_outage_waits_behind_the_one_before_it(
    people: dict[str, User],
    hotline: Hotline,
    committing: Callable[[], Any],
    clock: Any,
) -> None:
    hotline.down()
    with committing():
        case = hotline_case(people)
        act(case, people["worker_a"], "sign")
        clock.shift(timedelta(minutes=3))
        act(case, people["worker_a"], "resolve", result="已劝离摊贩")
    accepted, resolved = Delivery.objects.order_by("pk")
    accepted_attempts = accepted.attempts
    for _minute in range(7):
        clock.shift(timedelta(minutes=1))
        with committing():
            deliveries_sweep()
    resolved.refresh_from_db()
    assert resolved.attempts == 0  # never tried while the 受理 before it was undelivered
    accepted.refresh_from_db()
    assert accepted.attempts > accepted_attempts
    hotline.up()
    for _minute in range(20):
        clock.shift(timedelta(minutes=1))
        with committing():
            deliveries_sweep()
    assert [body["kind"] for _id, body in hotline.received] == ["accepted", "resolved"]
