"""API keys, Authorization values and phones never reach a log line: not runserver's access log
(django.server), not django.request, not gunicorn's access log (RedactingGunicornLogger)."""

import io
import logging
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from hypothesis import given, settings
from hypothesis import strategies as st

from wangge.core.logging import redact

KEY = "wg_1a2b3c4d_" + "Zx9" * 14  # the shape accounts.services.api_token_create gives
SECRET_PART = KEY.removeprefix("wg_1a2b3c4d_")
PHONE = "13912345678"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /open311/v2/requests.json?api_key={KEY}&jurisdiction_id=410102",
         "GET /open311/v2/requests.json?api_key=***&jurisdiction_id=410102"),
        ("/x?token=abc&page=2&access_token=def", "/x?token=***&page=2&access_token=***"),
        ("/x?csrftoken_hint=1&mytoken=keep", "/x?csrftoken_hint=1&mytoken=keep"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: ***"),
        ("{'HTTP_AUTHORIZATION': 'Basic dXNlcjpwYXNz', 'PATH_INFO': '/'}",
         "{'HTTP_AUTHORIZATION': '***', 'PATH_INFO': '/'}"),
        (f"token row {KEY} used", "token row wg_1a2b3c4d_*** used"),
        (f"caller {PHONE}", "caller 139****5678"),
    ],
)  # fmt: skip
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_runserver_access_lines_carry_no_key_and_no_phone() -> None:
    handler = logging.getLogger("django.server").handlers[0]
    out = io.StringIO()
    previous = handler.setStream(out)  # type: ignore[attr-defined]
    try:
        # Exactly what `manage.py runserver` (make run) calls for every request.
        server = SimpleNamespace(request=None, log_date_time_string=lambda: "01/Jan/2025 10:00:00")
        WSGIRequestHandler.log_message(
            server,  # type: ignore[arg-type]
            '"%s" %s %s',
            f"GET /open311/v2/requests.json?api_key={KEY}&phone={PHONE} HTTP/1.1",
            "200",
            "512",
        )
    finally:
        handler.setStream(previous)  # type: ignore[attr-defined]
    line = out.getvalue()
    assert "/open311/v2/requests.json?api_key=***&phone=139****5678 HTTP/1.1" in line
    assert SECRET_PART not in line and PHONE not in line
    assert line.startswith("[01/Jan/2025 10:00:00]")


def test_django_request_records_are_redacted_before_any_handler(caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        logging.getLogger("django.request").warning(
            "Bad Request: %s (Authorization: Bearer %s)", f"/api/v1/cases?token={KEY}", KEY
        )
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Bad Request: /api/v1/cases?token=*** (Authorization: ***)"
    assert SECRET_PART not in caplog.text


def test_gunicorn_access_log_lines_are_redacted(tmp_path: Path) -> None:
    pytest.importorskip("gunicorn", reason="the prod extra is not installed")
    from gunicorn.config import Config

    from wangge.core.logging import RedactingGunicornLogger

    log_file = tmp_path / "access.log"
    cfg = Config()
    cfg.set("accesslog", str(log_file))
    cfg.set("logger_class", "wangge.core.logging.RedactingGunicornLogger")
    cfg.set(
        "access_log_format",
        '%(h)s "%(r)s" %(s)s q=%(q)s U=%(U)s auth=%({Authorization}i)s raw=%({raw_uri}e)s',
    )
    assert cfg.logger_class is RedactingGunicornLogger  # what gunicorn will instantiate
    logger = cfg.logger_class(cfg)
    query = f"api_key={KEY}&jurisdiction_id=410102&phone={PHONE}"
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/open311/v2/requests.json?{query}",
        "PATH_INFO": "/open311/v2/requests.json",
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_AUTHORIZATION": f"Bearer {KEY}",
    }
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {KEY}")])
    response = SimpleNamespace(status="200 OK", sent=321, headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    line = log_file.read_text()
    safe_query = "api_key=***&jurisdiction_id=410102&phone=139****5678"
    assert line == (
        f'10.0.0.7 "POST /open311/v2/requests.json?{safe_query} HTTP/1.1" 200 '
        f"q={safe_query} U=/open311/v2/requests.json auth=*** "
        f"raw=/open311/v2/requests.json?{safe_query}\n"
    )
    assert SECRET_PART not in line and PHONE not in line


def test_gunicorn_error_log_is_redacted(tmp_path: Path) -> None:
    pytest.importorskip("gunicorn", reason="the prod extra is not installed")
    from gunicorn.config import Config

    from wangge.core.logging import RedactingGunicornLogger

    log_file = tmp_path / "error.log"
    cfg = Config()
    cfg.set("errorlog", str(log_file))
    logger = RedactingGunicornLogger(cfg)
    logger.error("Error handling request /open311/v2/requests.json?api_key=%s", KEY)
    for handler in logger.error_log.handlers:
        handler.flush()
    text = log_file.read_text()
    assert "requests.json?api_key=***" in text and SECRET_PART not in text


def _every_substitution(text: str, personal: bool = True) -> str:
    """redact() (redact_secrets() with personal=False) without its first search: the
    substitutions, always."""
    from wangge.core import logging as wl

    substitutions = [
        (wl._SECRET_PARAM, r"\1***"),
        (wl._AUTHORIZATION, r"\1***"),
        (wl._WG_KEY, r"\1***"),
    ]
    if personal:
        substitutions += [
            (wl._ID, r"\1********\2"),
            (wl._MOBILE, r"\1****\2"),
            (wl._LANDLINE, r"\1****\2"),
        ]
    for pattern, replacement in substitutions:
        text = pattern.sub(replacement, text)
    return text


# Pieces of every kind the patterns look for, so random joins of them hit the edges: numbers of
# each length around the patterns' (6, 7, 10, 11, 17, 18 digits), area codes, hyphens, the
# credential words in both cases and percent-encoded, the key format, quotes and separators.
_PIECES = [
    "0",
    "1",
    "9",
    "X",
    "x",
    "-",
    "0371",
    "010",
    "138",
    "65",
    "1234",
    "12345",
    "123456",
    "1234567",
    "4101020",
    "19900101",
    "0371-",
    "010-",
    "6512345",
    "api_key=",
    "API%5FKEY=",
    "token=",
    "Access_Token=",
    "Authorization: ",
    "'HTTP_AUTHORIZATION': '",
    "Bearer ",
    "wg_",
    "0123abcd_",
    "AbCdEfGhIjKlMnOpQrSt",
    "?",
    "&",
    ";",
    " ",
    '"',
    "'",
    "/api/v1/cases",
    "张",
    "：",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_redaction_answers_as_every_substitution_would(text: str) -> None:
    from wangge.core.logging import redact, redact_secrets

    assert redact(text) == _every_substitution(text)
    assert redact_secrets(text) == _every_substitution(text, personal=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each the shortest of its kind, alone in its text: the first search must let it by.
        ("电话 0371-6512345", "电话 0371****2345"),
        ("010-1234567 转", "010****4567 转"),
        ("手机 13912345678", "手机 139****5678"),
        ("身份证 41010219900101123X", "身份证 410102********123X"),
        ("GET /open311?API%5FKEY=abc HTTP/1.1", "GET /open311?API%5FKEY=*** HTTP/1.1"),
        ("/x?access_token=abc", "/x?access_token=***"),
        ("Authorization: Basic abc", "Authorization: ***"),
        (f"key {KEY} here", "key wg_1a2b3c4d_*** here"),
        ("POST /api/v1/cases HTTP/1.1", "POST /api/v1/cases HTTP/1.1"),
    ],
)
def test_the_first_search_lets_every_kind_through(text: str, expected: str) -> None:
    assert redact(text) == expected
