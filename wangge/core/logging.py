"""Logging that is safe to ship: personal data and credentials redacted, JSON lines in production.

Resident ID numbers, phone numbers and API keys must never reach a log in clear, whatever a
developer happens to log (an exception message quoting a form value, a third-party library's
debug line, an access-log line with `?api_key=` in it). `RedactPersonalData` rewrites them in
every record before any handler formats it; settings.LOGGING puts it on the root handler and on
Django's own `django.server` (runserver's access log) and `django.request` loggers, which do not
pass through the root. gunicorn's access log is written by `RedactingGunicornLogger` below.
"""

import functools
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

# 18-digit resident ID (last may be X), 11-digit mainland mobile, landline with area code.
_ID = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})-?\d{3,4}(\d{4})(?!\d)")


# Query parameters that carry a credential: Open311's api_key (clients put it in the URL), and
# the usual names for bearer tokens. Matched as a parameter only (start, ?, &, ; or space before).
_SECRET_PARAM = re.compile(
    r"(?i)((?:^|[?&;\s])(?:api_key|api%5fkey|token|access_token|access%5ftoken)=)[^&;\s\"'#]*"
)
# Any Authorization value, as a header line ("Authorization: Bearer …"), a WSGI environ dump
# ('HTTP_AUTHORIZATION': '…') or a dict ("authorization": "…").
_AUTHORIZATION = re.compile(r"""(?i)(authorization['"]?\s*[:=]\s*['"]?)[^'"\r\n,;)\]}]+""")
# Our own key format (accounts.services.api_token_create), wherever it turns up: the prefix
# stays, since it names the token in the admin, the secret part goes.
_WG_KEY = re.compile(r"(?<![A-Za-z0-9])(wg_[0-9a-f]{8}_)[A-Za-z0-9_-]{16,}")

REDACTED = "***"

# Text none of the patterns above can match in has none of these: each personal-data pattern
# needs seven digits in a row (an ID number 17, a mobile 11, a landline 7 after its area code)
# and each credential pattern one of these words. One search answers for most texts (an access
# line's request, status, address and agent), where the six substitutions ran 36 times for one
# access line.
_CREDENTIAL_HINTS = r"api(?:_|%5f)key|token|authorization|wg_"
_MAYBE_SECRET = re.compile(_CREDENTIAL_HINTS, re.IGNORECASE)
_MAYBE_PERSONAL = re.compile(r"\d{7}|" + _CREDENTIAL_HINTS, re.IGNORECASE)


def redact_secrets(text: str) -> str:
    if not _MAYBE_SECRET.search(text):
        return text
    text = _SECRET_PARAM.sub(r"\1" + REDACTED, text)
    text = _AUTHORIZATION.sub(r"\1" + REDACTED, text)
    return _WG_KEY.sub(r"\1" + REDACTED, text)


def redact(text: str) -> str:
    if not _MAYBE_PERSONAL.search(text):
        return text
    text = redact_secrets(text)
    text = _ID.sub(r"\1********\2", text)
    text = _MOBILE.sub(r"\1****\2", text)
    return _LANDLINE.sub(r"\1****\2", text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            # Format the traceback now so it can be redacted too.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


class NoLibraryDebug(logging.Filter):
    """Debug lines are wangge's own only. LOG_LEVEL=DEBUG opens them; a library's debug lines
    (SQL with its values, request bodies, URLs with keys) never reach the log, even from a
    library that sets its own logger to DEBUG when imported (bm25s does)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO or record.name.split(".", 1)[0] == "wangge"


class ClientErrorsAtInfo(logging.Filter):
    """Django logs every 4xx answer as a warning ("Not Found: …", "Forbidden: …"): a resident
    mistyping, a phone sending its offline queue again, a crawler. They were nearly all of the
    web log and hid the warnings an operator must act on. They are information: logged at INFO,
    which the default level still writes, so a burst of 401 / 403 stays visible. 5xx stay
    errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.levelno == logging.WARNING:
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: what log collectors (Loki, ELK) read without parsing rules."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "status_code", "path", "method"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn comes with the prod/load extras; development runs without it
    _GunicornLogger = None

# Request headers and environ entries whose whole value is a credential.
_SECRET_ATOMS = frozenset(
    {"{authorization}i", "{proxy-authorization}i", "{http_authorization}e", "{cookie}i"}
)

if _GunicornLogger is not None:

    class RedactingGunicornLogger(_GunicornLogger):
        """gunicorn's logger with credentials and personal data taken out of every line.

        Named as `logger_class` in the gunicorn configuration. The access line is built from
        atoms (`%(r)s` the request line, `%(q)s` the query, `%(U)s` the path, headers as
        `%({name}i)s`, environ as `%({name}e)s`), so each atom is redacted before formatting,
        whatever access_log_format a deployment chooses; the error log gets the same filter.
        """

        def setup(self, cfg: Any) -> None:
            super().setup(cfg)
            for log in (self.error_log, self.access_log):
                if not any(isinstance(f, RedactPersonalData) for f in log.filters):
                    log.addFilter(RedactPersonalData())

        def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
            atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
            # Only the atoms the line prints: the dict holds every header and environ entry
            # (dozens), and six expressions over each were a visible share of a request's CPU.
            for name in _named_atoms(self.cfg.access_log_format) & atoms.keys():
                if name in _SECRET_ATOMS:
                    atoms[name] = REDACTED
                elif isinstance(value := atoms[name], str):
                    atoms[name] = redact(value)
            return atoms


@functools.cache
def _named_atoms(access_log_format: str) -> frozenset[str]:
    """The atoms a gunicorn access-log format names, as gunicorn looks them up (a header's or
    an environ entry's name in lower case)."""
    return frozenset(
        name.lower() if name.startswith("{") else name
        for name in re.findall(r"%\(([^)]*)\)", access_log_format)
    )
