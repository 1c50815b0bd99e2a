"""Refuse malformed requests before any view sees them, in the caller's own language and format.

What no view can handle sensibly is answered here with a 4xx: NUL characters (PostgreSQL text
cannot hold them, so they would surface as a 500 on the first query or insert), bytes that are
not UTF-8, bodies over DATA_UPLOAD_MAX_MEMORY_SIZE or with more than
DATA_UPLOAD_MAX_NUMBER_FIELDS fields, and multipart bodies without a usable boundary or cut off
before their closing boundary (a photo or a description would be stored half). The answer is
`{"detail": …}` under /api/, GeoReport's error list under /open311/, a Chinese page otherwise
(wangge.core.error_pages.refusal). Bodies are parsed once here; views read the cached result.
"""

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from wangge.core.error_pages import refusal

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What Django's multipart parser puts where it could not decode a byte sequence: a sign the
# part was not UTF-8. Nobody types U+FFFD into a form on purpose.
REPLACEMENT = "\ufffd"
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


class Malformed(Exception):
    def __init__(self, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status


def _nul() -> Malformed:
    return Malformed(_("请求中含有空字符（\\x00），请删除后重试"))


def _not_utf8() -> Malformed:
    return Malformed(_("请求中含有无法识别的字符，请使用 UTF-8 编码"))


def _check_urlencoded(raw: bytes, encoding: str = "utf-8") -> None:
    decoded = unquote_to_bytes(raw.replace(b"+", b" "))
    if b"\x00" in decoded:
        raise _nul()
    try:
        decoded.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise _not_utf8() from None


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


# A NUL in a part's file name, raw or (in RFC 5987's filename*=) percent-encoded. Django's parser
# drops unprintable characters from file names before anything else could see them.
_NUL_FILE_NAME = re.compile(rb'filename="?[^"\r\n]*\x00|filename\*=[^\r\n]*%00', re.IGNORECASE)


class _TailKeeper:
    """The request's input stream, passed through, keeping its last bytes: enough to tell
    whether a multipart body ended with its closing boundary without holding the whole body,
    and to see part headers across read boundaries."""

    KEEP = 1024

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.tail = b""
        self.nul_file_name = False

    def _keep(self, data: bytes) -> bytes:
        window = self.tail + data
        if not self.nul_file_name and _NUL_FILE_NAME.search(window):
            self.nul_file_name = True
        self.tail = window[-self.KEEP :]
        return data

    def read(self, *args: Any, **kwargs: Any) -> bytes:
        return self._keep(self.stream.read(*args, **kwargs))

    def readline(self, *args: Any, **kwargs: Any) -> bytes:
        return self._keep(self.stream.readline(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _check_query(request: HttpRequest) -> None:
    if "\x00" in request.path_info:
        raise _nul()
    query = request.META.get("QUERY_STRING", "")
    if query:
        # WSGI hands the query string over as latin-1 text: these are its bytes.
        try:
            raw = query.encode("latin-1")
        except UnicodeEncodeError:
            raw = query.encode("utf-8")
        _check_urlencoded(raw)
    request.GET  # noqa: B018 (parsed now, so too many fields is answered here)


def _check_multipart(request: HttpRequest) -> None:
    match = _BOUNDARY.search(request.META.get("CONTENT_TYPE", ""))
    keeper = None
    if match and not getattr(request, "_read_started", True):
        keeper = _TailKeeper(request._stream)
        request._stream = keeper  # type: ignore[assignment]
    post, files = request.POST, request.FILES
    if keeper is not None and match:
        if keeper.nul_file_name:
            raise _nul()
        closing = b"--" + match.group(1).encode("latin-1", "replace") + b"--"
        # An empty body is no truncation: there was nothing to cut off.
        if keeper.tail and closing not in keeper.tail:
            raise Malformed(_("上传内容不完整（缺少结束边界），请重新提交"))
    for key in post:
        for value in [key, *post.getlist(key)]:
            if "\x00" in value:
                raise _nul()
            if REPLACEMENT in value:
                raise _not_utf8()
    for key in files:
        for upload in files.getlist(key):
            if "\x00" in key or "\x00" in (upload.name or ""):
                raise _nul()


def _check_body(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type == MULTIPART:
        _check_multipart(request)
        return
    body = request.body  # at most DATA_UPLOAD_MAX_MEMORY_SIZE, else RequestDataTooBig
    if not body:
        return
    if content_type == FORM:
        _check_urlencoded(body, request.encoding or "utf-8")
        request.POST  # noqa: B018 (parsed now, so too many fields is answered here)
        return
    if b"\x00" in body:
        raise _nul()
    textual = not content_type or content_type.startswith("text/") or "json" in content_type
    if textual:
        try:
            body.decode(request.encoding or "utf-8")
        except (UnicodeDecodeError, LookupError):
            raise _not_utf8() from None
    if b"\\u0000" in body:
        # "\u0000" in JSON text is a NUL once parsed (unless the backslash is itself escaped):
        # parse to be sure. A body that is not JSON is the view's to refuse.
        try:
            data = json.loads(body)
        except ValueError:
            return
        if _has_nul(data):
            raise _nul()


class MalformedInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_query(request)
            if request.method in BODY_METHODS:
                _check_body(request)
        except Malformed as exc:
            return refusal(request, exc.status, exc.detail)
        except (SuspiciousOperation, MultiPartParserError) as exc:
            return refusal(request, *problem(exc))
        except UnreadablePostError:
            return refusal(request, 400, _("请求体未能完整接收，请重新提交"))
        return self.get_response(request)


def problem(exc: Exception) -> tuple[int, str]:
    """Status and Chinese text for the body errors Django raises (also used by handler400)."""
    if isinstance(exc, RequestDataTooBig):
        return 413, _("提交的内容过大，请减少内容或照片后重试")
    if isinstance(exc, TooManyFieldsSent):
        return 400, _("提交的字段过多，请检查后重试")
    if isinstance(exc, TooManyFilesSent):
        return 400, _("上传的文件过多，请减少后重试")
    if isinstance(exc, MultiPartParserError):
        return 400, _("上传内容格式不正确（multipart 边界无效），请重新提交")
    return 400, _("请求格式不正确")
