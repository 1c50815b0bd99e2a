"""gunicorn as deployed (wangge.gunicorn_conf, its worker class), driven over a raw socket.

A request whose body the application refuses without reading it (a 413 past
DATA_UPLOAD_MAX_MEMORY_SIZE) never gets `keep-alive` followed by a closed socket, which made the
client's next request on it fail (and nginx, still sending the body, answer 502): a body that
arrives in time is read and dropped and the connection serves the next request; one that does
not (too large, or stalled) is answered `Connection: close` and the socket closed. Request
lines and headers gunicorn refuses itself are answered in Chinese, as {"detail": …} on /api/.
"""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    pytest.importorskip("gunicorn")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("PYTEST_XDIST_WORKER", None)
    env.update(
        DJANGO_SETTINGS_MODULE="wangge.settings",
        WANGGE_VAR_DIR=str(tmp_path_factory.mktemp("gunicorn")),
        DEBUG="false",
        WARM_START="false",
        WEB_BIND=f"127.0.0.1:{port}",
        WEB_WORKERS="1",
        WEB_DRAIN_SECONDS="1",
        PYTHONPATH=str(ROOT),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:wangge.gunicorn_conf", "wangge.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def read_response(sock: socket.socket) -> tuple[str, dict[str, str], bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"closed before an answer: {data!r}"
        data += chunk
    head, _sep, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _c, v in (h.partition(":") for h in lines[1:])}
    if "content-length" in headers:
        while len(body) < int(headers["content-length"]):
            body += sock.recv(65536)
    elif headers.get("transfer-encoding") == "chunked":
        while not body.endswith(b"0\r\n\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        decoded, rest = b"", body
        while rest:
            size_line, _crlf, rest = rest.partition(b"\r\n")
            size = int(size_line, 16)
            if not size:
                break
            decoded, rest = decoded + rest[:size], rest[size + 2 :]
        body = decoded
    return lines[0], headers, body


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


TOO_LARGE = {"detail": "提交的内容过大，请减少内容或照片后重试"}
SIZE = 11 * 1024 * 1024  # past DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB)


def post_head(size: int) -> bytes:
    return (
        b"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {size}\r\n\r\n".encode()
    )


def test_a_refused_body_sent_in_full_leaves_the_connection_usable(server: int) -> None:
    # What nginx does: it has the whole body and sends it at once.
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(post_head(SIZE) + b"{" + b" " * (SIZE - 2) + b"}")
        status, headers, body = read_response(sock)
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        assert json.loads(body) == TOO_LARGE
        assert headers["connection"] == "keep-alive"
        sock.sendall(b"GET /api/v1/nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _headers, _body = read_response(sock)
        assert status.startswith("HTTP/1.1 404")


def test_a_refused_body_that_stalls_is_answered_connection_close(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        # A first part of the body; the rest never comes.
        sock.sendall(post_head(SIZE) + b"{" + b" " * (256 * 1024))
        status, headers, body = read_response(sock)
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        assert json.loads(body) == TOO_LARGE
        assert headers["connection"] == "close"
        assert closed_by_server(sock)


def test_a_refused_body_past_what_is_drained_is_answered_connection_close(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(post_head(200 * 1024 * 1024) + b"{")
        status, headers, body = read_response(sock)
        assert status == "HTTP/1.1 413 Request Entity Too Large"
        assert json.loads(body) == TOO_LARGE
        assert headers["connection"] == "close"
        assert closed_by_server(sock)


def test_a_body_read_in_full_keeps_the_connection(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        body = b'{"description": "x"}'
        sock.sendall(
            b"POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        status, headers, _body = read_response(sock)
        assert status.startswith("HTTP/1.1 401")
        assert headers["connection"] == "keep-alive"
        # The same socket answers the next request.
        sock.sendall(b"GET /api/v1/nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, _headers, _body = read_response(sock)
        assert status.startswith("HTTP/1.1 404")


@pytest.mark.parametrize(
    ("request_head", "status", "detail"),
    [
        (
            b"GET /api/v1/cases?q=" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
            "HTTP/1.1 414 URI Too Long",
            "请求地址过长，请缩短后重试",
        ),
        (
            b"GET /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: x="
            + b"a" * 9000
            + b"\r\n\r\n",
            "HTTP/1.1 431 Request Header Fields Too Large",
            "请求头过大，请清除本站 Cookie 后重试",
        ),
        (
            b"GET /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"".join(b"X-Field-%d: a\r\n" % i for i in range(120))
            + b"\r\n",
            "HTTP/1.1 431 Request Header Fields Too Large",
            "请求头过大，请清除本站 Cookie 后重试",
        ),
    ],
)
def test_what_gunicorn_refuses_itself_is_answered_in_chinese(
    server: int, request_head: bytes, status: str, detail: str
) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(request_head)
        got_status, headers, body = read_response(sock)
        assert got_status == status
        assert headers["content-type"] == "application/json"
        assert json.loads(body) == {"detail": detail}
        assert headers["connection"] == "close"
        assert closed_by_server(sock)


def test_a_page_refused_by_gunicorn_is_a_chinese_page(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=30) as sock:
        sock.sendall(
            b"GET /cases/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: x=" + b"a" * 9000 + b"\r\n\r\n"
        )
        status, headers, body = read_response(sock)
        assert status == "HTTP/1.1 431 Request Header Fields Too Large"
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert "请求头过大，请清除本站 Cookie 后重试" in body.decode()
