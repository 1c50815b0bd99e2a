"""gunicorn's threaded worker, with two things its stock one does not do for us.

1. **A request body the application did not read is read before the answer, or the connection
   is closed and the answer says so.** When the application answers without reading the whole
   body (a 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, a 400 for a broken one, a 401
   before a large upload is read), the stock worker still writes `Connection: keep-alive`, then
   skips at most 64 KB of what is left and closes the socket: the client, told it may reuse the
   connection, sends its next request into a closed socket; and nginx, still sending the body
   it buffered, gets a broken pipe and answers 502 instead of our 413. Here the rest of the body
   is read and dropped first, up to WEB_DRAIN_MAX_BYTES (48 MiB, above nginx's
   client_max_body_size of 40 MB in deploy/nginx.conf) and for at most WEB_DRAIN_SECONDS (5 s),
   so the connection stays usable; a body larger or slower than that gets `Connection: close`
   and the socket closed. (A WSGI application may not send a `Connection` header itself: it is
   hop-by-hop, and gunicorn drops it.)

2. **Requests refused before the application sees them are answered in Chinese.** A request line
   over `limit_request_line` (414) and too many or too large header fields (431) are answered
   by gunicorn itself with an English HTML page. Here the reason is `{"detail": …}` (the API's
   error shape) where the path is under /api/ or /open311/ or could not be read, and the
   project's Chinese error page elsewhere.

Named in wangge/gunicorn_conf.py as `worker_class`.
"""

import json
import os
import socket
import time
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker as _GunicornThreadWorker

# Paths whose clients are programs: they get JSON, never a page.
PROGRAM_PATHS = ("/api/", "/open311/")
DRAIN_MAX_BYTES = int(os.environ.get("WEB_DRAIN_MAX_BYTES") or 48 * 1024 * 1024)
DRAIN_SECONDS = float(os.environ.get("WEB_DRAIN_SECONDS") or 5)


class CountingInput:
    """`wsgi.input`, passed through, counting the bytes the application read."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.consumed = 0
        self.exhausted = False

    def _count(self, data: bytes, size: int | None) -> bytes:
        self.consumed += len(data)
        if not data and size != 0:
            self.exhausted = True
        return data

    def read(self, size: int | None = None) -> bytes:
        return self._count(self.stream.read(size), size)

    def readline(self, size: int | None = None) -> bytes:
        return self._count(self.stream.readline(size), size)

    def readlines(self, hint: int | None = None) -> list[bytes]:
        lines: list[bytes] = self.stream.readlines(hint)
        self.consumed += sum(len(line) for line in lines)
        return lines

    def __iter__(self) -> Any:
        return iter(self.readline, b"")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def body_left_unread(environ: dict[str, Any], counted: CountingInput) -> bool:
    """Whether bytes of the request body are still on the connection."""
    if counted.exhausted:
        return False
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    if length:
        return counted.consumed < length
    # No length: a chunked body not read to its end (or no body at all, which gunicorn knows).
    return environ.get("HTTP_TRANSFER_ENCODING", "").lower() == "chunked"


def drain(environ: dict[str, Any], counted: CountingInput) -> bool:
    """Read and drop the rest of the body, within DRAIN_MAX_BYTES and DRAIN_SECONDS. True when
    all of it was read: the connection can then serve the next request."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if length and length - counted.consumed > DRAIN_MAX_BYTES:
        return False
    sock = environ.get("gunicorn.socket")
    before = sock.gettimeout() if isinstance(sock, socket.socket) else None
    deadline = time.monotonic() + DRAIN_SECONDS
    drained = 0
    try:
        while body_left_unread(environ, counted):
            left = deadline - time.monotonic()
            if left <= 0 or drained > DRAIN_MAX_BYTES:
                return False
            if isinstance(sock, socket.socket):
                sock.settimeout(left)
            drained += len(counted.read(64 * 1024))
        return True
    except OSError:  # the deadline passed in a read, or the client went away
        return False
    finally:
        if isinstance(sock, socket.socket):
            sock.settimeout(before)


def closing_unread_bodies(app: Any) -> Any:
    def application(environ: dict[str, Any], start_response: Any) -> Any:
        counted = CountingInput(environ["wsgi.input"])
        environ["wsgi.input"] = counted
        result = app(environ, start_response)
        # Before the first byte of the answer is written, so its headers can still say close.
        # gunicorn's start_response is its Response's method; force_close makes it answer
        # `Connection: close` and close the socket after the body.
        response = getattr(start_response, "__self__", None)
        if (
            response is not None
            and body_left_unread(environ, counted)
            and not drain(environ, counted)
        ):
            response.force_close()
        return result

    return application


def _refusal(status: int, path: str | None) -> tuple[str, bytes]:
    if status == 414:
        detail = _("请求地址过长，请缩短后重试")
    elif status == 431:
        detail = _("请求头过大，请清除本站 Cookie 后重试")
    else:
        detail = _("请求格式不正确")
    if path is None or path.startswith(PROGRAM_PATHS):
        return "application/json", json.dumps({"detail": detail}, ensure_ascii=False).encode()
    page = render_to_string(
        "error.html",
        {
            "title": _("无法处理该请求"),
            "message": _("%(detail)s。请返回上一页检查后重新提交。") % {"detail": detail},
            "user": None,
        },
    )
    return "text/html; charset=utf-8", page.encode()


def _path_of(req: Any, exc: BaseException) -> str | None:
    """The request's path where gunicorn got that far: the request object, or the one being
    parsed when the header limit was hit (its frame's `self`)."""
    for candidate in (req, getattr(exc, "req", None)):
        path = getattr(candidate, "path", None)
        if isinstance(path, str):
            return path
    tb = exc.__traceback__
    while tb is not None:
        path = getattr(tb.tb_frame.f_locals.get("self"), "path", None)
        if isinstance(path, str):
            return path
        tb = tb.tb_next
    return None


class ThreadWorker(_GunicornThreadWorker):
    wsgi: Any

    def load_wsgi(self) -> None:
        super().load_wsgi()
        self.wsgi = closing_unread_bodies(self.wsgi)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, LimitRequestLine):
            status, reason = 414, "URI Too Long"
        elif isinstance(exc, LimitRequestHeaders):
            status, reason = 431, "Request Header Fields Too Large"
        else:
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        content_type, body = _refusal(status, _path_of(req, exc))
        head = (
            f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n"
            f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        try:
            write_nonblock(client, head.encode("latin-1") + body)
        except Exception:
            self.log.debug("Failed to send error message.")
