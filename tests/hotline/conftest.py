"""The hotline's cast: the case fixtures, a second street, a token, and a 12345 receiver.

The receiver is a real HTTP server on 127.0.0.1 (random port) in a thread: it records every
POST and can be told to fail the next N, so tests see retries, order and signatures on the wire.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (fixtures)
from tests.conftest import DISTRICT, box, feature
from tests.hotline.fake_platform import FakePlatform, running
from wangge.accounts.models import Role, User
from wangge.accounts.services import api_token_create
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import

OTHER_STREET, OTHER_COMMUNITY = "410102002", "410102002001"
OTHER_GRID, OTHER_MICRO = f"{OTHER_COMMUNITY}001", f"{OTHER_COMMUNITY}001001"
SECRET = "test-hotline-secret"
ORDERS = "/api/v1/hotline/orders"


@pytest.fixture
def other_street(people: dict[str, User], make_user: Callable[..., User]) -> dict[str, Any]:  # noqa: F811
    """A second street east of 林山寨, with its own dispatcher and a building."""
    from wangge.grids.services import buildings_import

    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    OTHER_STREET,
                    "三官庙街道",
                    "street",
                    DISTRICT,
                    box(113.63, 34.74, 113.66, 34.76),
                ),
                feature(
                    OTHER_COMMUNITY,
                    "大学路社区",
                    "community",
                    OTHER_STREET,
                    box(113.63, 34.74, 113.64, 34.75),
                ),
                feature(
                    OTHER_GRID,
                    "大学路第1网格",
                    "grid",
                    OTHER_COMMUNITY,
                    box(113.63, 34.74, 113.64, 34.75),
                ),
                feature(
                    OTHER_MICRO, "大学路 M1", "micro", OTHER_GRID, box(113.63, 34.74, 113.64, 34.75)
                ),
            ],
        }
    )
    buildings_import("address,lon,lat,code\n中原区大学路88号院2号楼,113.635,34.745,DX2\n")
    nodes = {n.code: n for n in GridNode.objects.filter(code__startswith=OTHER_STREET)}
    return {
        "nodes": nodes,
        "dispatcher": make_user(Role.STREET_DISPATCHER, nodes[OTHER_STREET], name="褚红"),
        "worker": make_user(Role.GRID_WORKER, nodes[OTHER_GRID], name="韩梅"),
    }


@pytest.fixture
def token(people: dict[str, User]) -> str:  # noqa: F811 (the re-exported fixture)
    """The 12345 integration's token: a district-level admin account, as deployed."""
    _token, key = api_token_create(user=people["admin"], name="12345 热线")
    return key


def order(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "order_no": "ZZ20261123000123",
        "received_at": "2026-11-23T09:15:00+08:00",
        "caller_name": "李桂兰",
        "caller_phone": "13937112345",
        "content": "伊河路百花里3号楼门口有人摆摊占道，堵住了小区出入口",
        "address": "中原区伊河路百花里3号楼",
        "category": "CSGL-01",
        "order_type": "投诉",
        "urgency": "一般",
    }
    body.update(overrides)
    return body


def post_order(body: dict[str, Any] | str, key: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    data = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
    return Client().post(ORDERS, data, content_type="application/json", **headers)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


@dataclass
class Receiver:
    """The 12345 side of 回传, as far as the tests need it."""

    url: str
    requests: list[Received] = field(default_factory=list)
    fail_next: int = 0
    fail_status: int = 503
    delay: float = 0.0  # seconds before answering: a slow hotline
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def kinds(self) -> list[str]:
        return [r.json["kind"] for r in self.requests]


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        receiver = self.server.receiver
        with receiver.lock:
            receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            failing = receiver.fail_next > 0
            if failing:
                receiver.fail_next -= 1
        if receiver.delay:
            time.sleep(receiver.delay)
        status = receiver.fail_status if failing else 200
        answer = b'{"error":"busy"}' if failing else b'{"ok":true}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output clean


class _Server(ThreadingHTTPServer):
    receiver: Receiver


@pytest.fixture
def receiver(settings: Any) -> Iterator[Receiver]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    server.receiver = Receiver(url=f"http://127.0.0.1:{port}/12345/callback")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.HOTLINE_CALLBACK_URL = server.receiver.url
    settings.HOTLINE_CALLBACK_SECRET = SECRET
    try:
        yield server.receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def platform(settings: Any, token: str) -> Iterator[FakePlatform]:
    """The city's 12345 platform (tests/hotline/fake_platform.py), sharing its key with us both
    ways and holding the integration's token."""
    with running(FakePlatform(key=SECRET, token=token)) as fake:
        settings.HOTLINE_CALLBACK_URL = fake.url
        settings.HOTLINE_CALLBACK_SECRET = SECRET
        settings.HOTLINE_INBOUND_SECRET = SECRET
        yield fake
