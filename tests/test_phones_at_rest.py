"""After the everyday flows that take a phone number, no table holds one in clear except the
login itself (accounts.User.phone), and no log line holds a phone or an API key.

The flows: signing up by text-message code, a resident reporting with a call-back number, an
Open311 app filing for a caller (api_key in the URL, as many clients send it), a wrong
password, a grid worker registering a person with a phone, and an admin changing someone's
login phone (a change-log entry). Every request is also written to the access logs the two
servers keep (runserver's django.server, gunicorn's RedactingGunicornLogger) exactly as they
would write it, and the configured handlers' output is what is searched.
"""

import io
import logging
import re
import types
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import models
from django.test import Client

from tests.cases.conftest import IN_A1, catalogue, people  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from tests.residents.conftest import make_id
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case
from wangge.notifications.sms import MemoryBackend
from wangge.residents.models import Person

# gunicorn's access log is searched too: gunicorn comes with the prod extra (the bare build,
# .ci/run, runs without it and skips this module; the whole suites run it).
Config = pytest.importorskip("gunicorn.config", reason="the prod extra is not installed").Config

# An 11-digit mainland mobile standing alone: not part of a longer run of letters and digits, so
# hex digests and base64 ciphertexts (which may hold digit runs) are not mistaken for one.
MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

SIGNUP = "13912340001"  # signs up by text message, then fails a password login
CALLBACK = "13712340002"  # the call-back number on a resident's report
CALLER = "13612340003"  # the caller an Open311 app files for
REGISTERED = "13512340004"  # a person put on the register by a grid worker
NEW_LOGIN = "13812340005"  # a login phone changed by an admin
EVERY_PHONE = (SIGNUP, CALLBACK, CALLER, REGISTERED, NEW_LOGIN)


class ServedClient(Client):
    """The test client, plus the access-log lines runserver and gunicorn write per request."""

    def __init__(self, gunicorn: Any, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.gunicorn = gunicorn

    def request(self, **request: Any) -> Any:
        response = super().request(**request)
        environ = {**self._base_environ(**request)}
        query = environ.get("QUERY_STRING", "")
        environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
        line = f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} HTTP/1.1"
        server = types.SimpleNamespace(request=None, log_date_time_string=lambda: "now")
        WSGIRequestHandler.log_message(
            server,  # type: ignore[arg-type]
            '"%s" %s %s',
            line,
            str(response.status_code),
            str(len(response.content)),
        )
        headers = [(k[5:].replace("_", "-"), v) for k, v in environ.items() if k[:5] == "HTTP_"]
        self.gunicorn.access(
            types.SimpleNamespace(status=f"{response.status_code} X", sent=1, headers=[]),
            types.SimpleNamespace(headers=headers),
            environ,
            timedelta(milliseconds=5),
        )
        return response


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Everything the configured handlers write while the flows run, at DEBUG."""
    root = logging.getLogger()
    console = next(h for h in root.handlers if h.get_name() == "console")
    server = logging.getLogger("django.server").handlers[0]
    streams = {"console": io.StringIO(), "server": io.StringIO()}
    old_console = console.setStream(streams["console"])  # type: ignore[attr-defined]
    old_server = server.setStream(streams["server"])  # type: ignore[attr-defined]
    old_level = root.level
    root.setLevel(logging.DEBUG)
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    cfg.set("logger_class", "wangge.core.logging.RedactingGunicornLogger")
    gunicorn = cfg.logger_class(cfg)
    try:
        yield {"gunicorn": gunicorn, "streams": streams, "dir": tmp_path}
    finally:
        root.setLevel(old_level)
        console.setStream(old_console)  # type: ignore[attr-defined]
        server.setStream(old_server)  # type: ignore[attr-defined]


@pytest.fixture
def texts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Texts go out after commit, which never comes inside a test's transaction: send at once."""
    from django.db import transaction

    shim = types.SimpleNamespace(atomic=transaction.atomic, on_commit=lambda f, **kw: f())
    monkeypatch.setattr("wangge.notifications.services.transaction", shim)
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


def run_the_flows(people: dict[str, User], logs: dict[str, Any], texts: Any) -> dict[str, Any]:  # noqa: F811
    gunicorn = logs["gunicorn"]

    # 1. Sign up by text-message code on 原点在线.
    newcomer = ServedClient(gunicorn)
    newcomer.post("/m/login/", {"agree": "1", "phone": SIGNUP, "action": "send"})
    code = re.search(r"验证码 (\d{6})", texts[-1][1])
    assert code is not None
    signed_up = newcomer.post("/m/login/", {"agree": "1", "phone": SIGNUP, "code": code.group(1)})
    assert signed_up.status_code == 302
    assert User.objects.filter(phone=SIGNUP).exists()

    # 2. A resident reports, giving a call-back number.
    resident = ServedClient(gunicorn)
    resident.force_login(people["resident"])
    filed = resident.post(
        "/api/v1/cases",
        {
            "description": "楼道灯坏了，晚上看不见路",
            "location": {"lon": IN_A1[0], "lat": IN_A1[1], "crs": "wgs84"},
            "reporter_phone": CALLBACK,
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content

    # 3. An Open311 app files for a caller, its key in the URL; and reads with a bearer header.
    _token, key = api_token_create(user=people["dispatcher"], name="随手拍 App")
    app = ServedClient(gunicorn)
    posted = app.post(
        f"/open311/v2/requests.json?api_key={key}",
        {
            "service_code": "CSGL-01",
            "long": str(IN_A1[0]),
            "lat": str(IN_A1[1]),
            "description": "小区门口有人摆摊占道",
            "first_name": "秀兰",
            "last_name": "王",
            "phone": CALLER,
        },
    )
    assert posted.status_code == 200, posted.content
    assert app.get(f"/open311/v2/requests.json?api_key={key}").status_code == 200
    bearer = ServedClient(gunicorn, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get("/api/v1/cases").status_code == 200
    assert ServedClient(gunicorn).get(f"/api/v1/cases?token={key}").status_code == 401

    # 4. A wrong password for the new account.
    failed = ServedClient(gunicorn).post(
        "/accounts/login/", {"username": SIGNUP, "password": "not-the-password"}
    )
    assert failed.status_code == 200

    # 5. A grid worker registers a person with a phone.
    worker = ServedClient(gunicorn)
    worker.force_login(people["community"])
    registered = worker.post(
        "/residents/persons/new/",
        {
            "building": "BH3",
            "room": "2-302",
            "household_kind": "huji",
            "name": "赵淑珍",
            "id_number": make_id("19520101", "024"),
            "phone": REGISTERED,
            "relation": "head",
            "residence": "huji",
        },
    )
    assert registered.status_code == 302, registered.content.decode()

    # 6. An admin changes someone's login phone: a change-log entry with a phone diff.
    moved = people["outsider"]
    moved.phone = NEW_LOGIN
    moved.save()

    assert (
        ServedClient(gunicorn)
        .post("/accounts/login/", {"username": NEW_LOGIN, "password": PASSWORD})
        .status_code
        == 302
    )
    return {"key": key}


def phones_at_rest() -> dict[str, set[str]]:
    """Every mobile number in every text column of every model, by "app.Model.field"."""
    found: dict[str, set[str]] = {}
    for model in apps.get_models():
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField))
        ]
        for column in columns:
            for value in model._base_manager.values_list(column, flat=True):
                for phone in MOBILE.findall(str(value) if value is not None else ""):
                    label = f"{model._meta.label}.{column}"
                    found.setdefault(label, set()).add(phone)
    return found


def test_no_table_holds_a_phone_except_the_login(
    people: dict[str, User],  # noqa: F811
    logs: dict[str, Any],
    texts: Any,
) -> None:
    run_the_flows(people, logs, texts)

    found = phones_at_rest()
    logins = found.pop("accounts.User.phone")
    assert {SIGNUP, NEW_LOGIN} <= logins  # the scan sees phones where they are
    assert found == {}

    # And the numbers are all still there for those allowed to use them.
    case = Case.objects.get(description__startswith="楼道灯")
    assert case.reporter_phone == CALLBACK and case.reporter_phone_masked == "137****0002"
    open311 = Case.objects.get(channel="open311")
    assert open311.reporter_phone == CALLER
    assert Person.objects.get(name="赵淑珍").phone == REGISTERED


def test_no_log_line_holds_a_phone_or_a_key(
    people: dict[str, User],  # noqa: F811
    logs: dict[str, Any],
    texts: Any,
) -> None:
    key = run_the_flows(people, logs, texts)["key"]
    for handler in logs["gunicorn"].access_log.handlers + logs["gunicorn"].error_log.handlers:
        handler.flush()
    written = {
        "console": logs["streams"]["console"].getvalue(),
        "runserver": logs["streams"]["server"].getvalue(),
        "gunicorn access": (logs["dir"] / "access.log").read_text(),
        "gunicorn error": (logs["dir"] / "error.log").read_text(),
    }
    # The lines are there (the search below is not over empty logs) ...
    assert "/open311/v2/requests.json?api_key=*** HTTP/1.1" in written["runserver"]
    assert "/open311/v2/requests.json?api_key=*** HTTP/1.1" in written["gunicorn access"]
    assert "/api/v1/cases?token=***" in written["gunicorn access"]
    assert "/m/login/" in written["runserver"] and written["console"]
    # ... and hold no phone and no part of the key.
    secret = key.split("_", 2)[2]
    for name, text in written.items():
        assert secret not in text, name
        assert not any(phone in text for phone in EVERY_PHONE), (name, MOBILE.findall(text))
