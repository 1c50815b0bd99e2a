"""Malformed input never answers 5xx: every endpoint family × every kind of malformation.

Each row sends one malformed request and expects a 4xx in the caller's own format — JSON
`{"detail": <Chinese>}` under /api/v1/, GeoReport's error list (JSON or XML, by the request's
format) under /open311/v2/, a Chinese page elsewhere — and nothing stored: the row counts of
every wangge table are the same before and after. NUL characters only break PostgreSQL (text
cannot hold them), so run this file on both databases (on PostgreSQL with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name>).
"""

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.http import HttpResponse
from django.test import Client, override_settings
from PIL import Image

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (fixtures)
from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case
from wangge.cases.services import case_act

NUL = "\x00"
ADDRESS = "中原区伊河路百花里3号楼"
# Dates a tester (or a broken upstream system) sends: the first two and the last two parse in
# Python and overflowed later; the middle two never parse.
OUT_OF_WINDOW = [
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-12:00",
]
UNPARSEABLE = ["10000-01-01", "2026-13-45", "garbage"]
WINDOW_TEXT = "2000 年至 2100 年"
SMALL_LIMIT = 4096  # DATA_UPLOAD_MAX_MEMORY_SIZE for the oversized rows


@dataclass
class World:
    case_id: int
    key: str  # a district admin's API token: the 12345 integration, Open311 client, scripts
    resident: User
    dispatcher: User
    settings: Any

    def api(self, method: str, path: str, body: bytes = b"", content_type: str = "") -> Any:
        # A real client: CSRF enforced, authenticated by its token alone.
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}
        if method == "GET":
            return client.get(path, **headers)
        return client.generic(method, path, body, content_type=content_type, **headers)

    def page(
        self, who: User | None, method: str, path: str, body: bytes = b"", ct: str = ""
    ) -> Any:
        client = Client(raise_request_exception=False)
        if who is not None:
            client.force_login(who)
        if method == "GET":
            return client.get(path)
        return client.generic(method, path, body, content_type=ct)


@dataclass(frozen=True)
class Row:
    id: str
    send: Callable[[World], HttpResponse]
    answer: str  # "api", "open311:json", "open311:xml" or "page"
    status: int | tuple[int, ...] = 400
    says: str = ""  # a fragment the Chinese explanation must hold
    small_limit: bool = False  # lower DATA_UPLOAD_MAX_MEMORY_SIZE for this row


# --- bodies ----------------------------------------------------------------------------------


def as_json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def form(data: dict[str, str]) -> bytes:
    return "&".join(f"{quote(k)}={quote(v)}" for k, v in data.items()).encode()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 10)).save(out, format="PNG")
    return out.getvalue()


def multipart(
    fields: dict[str, bytes],
    *,
    files: tuple[tuple[str, bytes, bytes], ...] = (),
    boundary: bytes = b"wgBoundary",
    close: bool = True,
) -> bytes:
    parts = [
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n'
        % (boundary, name.encode(), value)
        for name, value in fields.items()
    ]
    parts += [
        b'--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
        b"Content-Type: image/png\r\n\r\n%s\r\n" % (boundary, name.encode(), filename, content)
        for name, filename, content in files
    ]
    return b"".join(parts) + (b"--%s--\r\n" % boundary if close else b"")


MP = "multipart/form-data; boundary=wgBoundary"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def utf8(fields: dict[str, str]) -> dict[str, bytes]:
    return {k: v.encode() for k, v in fields.items()}


def with_first_text(data: dict[str, Any], change: Callable[[str], str]) -> dict[str, Any]:
    """`data` with its first string value changed (the field a person types into), or with a
    note added when it has none at the top."""
    out = dict(data)
    for k, v in out.items():
        if isinstance(v, str):
            out[k] = change(v)
            return out
    return {**out, "note": change("")}


def too_many_fields() -> bytes:
    return "&".join(f"f{i}=1" for i in range(1200)).encode()


def broken_bodies(fields: dict[str, str]) -> dict[str, tuple[bytes, str, int, str]]:
    """The body-level malformations every POST endpoint gets: name → (body, content type,
    status, what the answer says). `fields` is a valid request of that endpoint."""
    first = next(iter(fields))
    return {
        "form-nul": (form({**fields, first: fields[first] + NUL}), FORM, 400, "空字符"),
        "form-not-utf8": (form(fields) + b"&note=%FF%FE", FORM, 400, "UTF-8"),
        "form-too-many-fields": (too_many_fields(), FORM, 400, "字段过多"),
        "multipart-nul-field": (
            multipart({**utf8(fields), first: fields[first].encode() + b"\x00"}),
            MP,
            400,
            "空字符",
        ),
        "multipart-not-utf8": (
            multipart({**utf8(fields), first: b"\xff\xfe\xfd"}),
            MP,
            400,
            "UTF-8",
        ),
        "multipart-nul-filename": (
            multipart(utf8(fields), files=(("photos", b"photo\x00.png", png()),)),
            MP,
            400,
            "空字符",
        ),
        "multipart-no-boundary": (multipart(utf8(fields)), "multipart/form-data", 400, "边界"),
        "multipart-empty-boundary": (
            multipart(utf8(fields)),
            "multipart/form-data; boundary=",
            400,
            "边界",
        ),
        "multipart-truncated": (multipart(utf8(fields), close=False), MP, 400, "不完整"),
        "multipart-truncated-in-photo": (
            multipart(utf8(fields), files=(("photos", b"a.png", png()),), close=False)[:-40],
            MP,
            400,
            "不完整",
        ),
    }


# --- the JSON API -----------------------------------------------------------------------------

JSON_POSTS: dict[str, tuple[str, dict[str, Any]]] = {
    "cases.create": ("/api/v1/cases", {"description": "路灯不亮", "address": ADDRESS}),
    "cases.act": ("/api/v1/cases/{case}/actions", {"note": "请尽快处理", "action": "urge"}),
    "hotline.order": (
        "/api/v1/hotline/orders",
        {"content": "伊河路有人占道经营", "order_no": "ZZ20261123000999", "address": ADDRESS},
    ),
    "residents.visit": ("/api/v1/residents/persons/{person}/visits", {"findings": "独居老人"}),
    "patrols.track": (
        "/api/v1/patrols/{patrol}/track",
        {"points": [{"at": "2026-11-20T09:00:00+08:00", "lon": 113.6005, "lat": 34.7505}]},
    ),
    "assistant.ask": ("/api/v1/assistant/ask", {"question": "居住证怎么办理"}),
    "volunteering.grab": ("/api/v1/volunteering/tasks/{task}/grab", {}),
}


def _path(template: str, w: World) -> str:
    # Rows refused before any lookup need no real person, patrol or task.
    return template.format(case=w.case_id, person=999999, patrol=999999, task=999999)


def json_rows() -> list[Row]:
    rows = []
    for name, (template, data) in JSON_POSTS.items():

        def post(body: bytes, ct: str = JSON, t: str = template) -> Callable[[World], Any]:
            return lambda w: w.api("POST", _path(t, w), body, ct)

        value_nul = as_json(with_first_text(data, lambda v: v + NUL))
        rows += [
            Row(f"{name}/json-nul-escaped", post(value_nul), "api", says="空字符"),
            Row(f"{name}/json-nul-in-key", post(b'{"a\\u0000": "x"}'), "api", says="空字符"),
            Row(f"{name}/json-nul-raw-byte", post(b'{"x": "a\x00b"}'), "api", says="空字符"),
            Row(f"{name}/json-not-utf8", post(b'{"x": "\xff\xfe"}'), "api", says="UTF-8"),
            Row(
                f"{name}/json-oversized",
                post(as_json({**data, "pad": "字" * SMALL_LIMIT})),
                "api",
                status=413,
                says="过大",
                small_limit=True,
            ),
            Row(
                f"{name}/wrong-content-type-xml",
                post(b"<order><content>x</content></order>", "application/xml"),
                "api",
                status=415,  # only JSON (or the documented multipart form) is read
            ),
        ]
        text_fields = {k: v for k, v in data.items() if isinstance(v, str)} or {"note": "x"}
        for kind, (body, ct, status, says) in broken_bodies(text_fields).items():
            rows.append(Row(f"{name}/{kind}", post(body, ct), "api", status=status, says=says))
    return rows


API_GETS = {
    "cases.list": "/api/v1/cases?q={v}",
    "cases.list-grid": "/api/v1/cases?grid={v}",
    "residents.persons": "/api/v1/residents/persons?q={v}",
    "grids.resolve": "/api/v1/grids/resolve-address?q={v}",
    "rankings": "/api/v1/rankings?grid={v}",
    "volunteering.tasks": "/api/v1/volunteering/tasks?kind={v}",
    "enterprises.policies": "/api/v1/enterprises/policies?q={v}",
}


def api_get_rows() -> list[Row]:
    rows = []
    for name, template in API_GETS.items():
        for kind, value, says in (("nul", "a%00b", "空字符"), ("not-utf8", "%FF%FE", "UTF-8")):
            url = template.format(v=value)
            rows.append(
                Row(f"{name}/query-{kind}", lambda w, u=url: w.api("GET", u), "api", says=says)
            )
        many = template.format(v="x") + "&" + "&".join(f"f{i}=1" for i in range(1200))
        rows.append(
            Row(f"{name}/query-too-many", lambda w, u=many: w.api("GET", u), "api", says="过多")
        )
    return rows


def api_date_rows() -> list[Row]:
    hotline = JSON_POSTS["hotline.order"][1]
    senders: dict[str, Callable[[str], Callable[[World], Any]]] = {
        "cases.list-created_from": lambda d: (
            lambda w: w.api("GET", f"/api/v1/cases?created_from={quote(d)}")
        ),
        "cases.list-created_to": lambda d: (
            lambda w: w.api("GET", f"/api/v1/cases?created_to={quote(d)}")
        ),
        "cases.act-until": lambda d: (
            lambda w: w.api(
                "POST",
                f"/api/v1/cases/{w.case_id}/actions",
                as_json({"action": "request_extension", "note": "需协调", "until": d}),
                JSON,
            )
        ),
        "hotline.received_at": lambda d: (
            lambda w: w.api(
                "POST", "/api/v1/hotline/orders", as_json({**hotline, "received_at": d}), JSON
            )
        ),
        "hotline.deadline": lambda d: (
            lambda w: w.api(
                "POST", "/api/v1/hotline/orders", as_json({**hotline, "deadline": d}), JSON
            )
        ),
        "residents.visited_at": lambda d: (
            lambda w: w.api(
                "POST",
                "/api/v1/residents/persons/999999/visits",
                as_json({"findings": "独居老人", "visited_at": d}),
                JSON,
            )
        ),
        "patrols.track-at": lambda d: (
            lambda w: w.api(
                "POST",
                "/api/v1/patrols/999999/track",
                as_json({"points": [{"at": d, "lon": 113.6, "lat": 34.75}]}),
                JSON,
            )
        ),
        "rankings.date": lambda d: lambda w: w.api("GET", f"/api/v1/rankings?date={quote(d)}"),
    }
    rows = []
    for name, send in senders.items():
        for d in OUT_OF_WINDOW + UNPARSEABLE:
            says = WINDOW_TEXT if d in OUT_OF_WINDOW and not name.startswith("rankings") else ""
            if name == "rankings.date" and d in OUT_OF_WINDOW and "T" not in d:
                says = WINDOW_TEXT
            rows.append(Row(f"{name}={d}", send(d), "api", status=422, says=says))
    return rows


# --- Open311 ------------------------------------------------------------------------------------

O311 = "/open311/v2"
O311_FIELDS = {"description": "路灯不亮", "service_code": "CSGL-01", "address_string": ADDRESS}


def open311_rows() -> list[Row]:
    rows = []
    for fmt in ("json", "xml"):
        answer = f"open311:{fmt}"

        def get(query: str, resource: str = "requests", f: str = fmt) -> Callable[[World], Any]:
            return lambda w: w.api("GET", f"{O311}/{resource}.{f}?{query}")

        for name in ("start_date", "end_date"):
            for d in OUT_OF_WINDOW:
                rows.append(
                    Row(f"{fmt}/{name}={d}", get(f"{name}={quote(d)}"), answer, says=WINDOW_TEXT)
                )
            for d in UNPARSEABLE:
                rows.append(Row(f"{fmt}/{name}={d}", get(f"{name}={quote(d)}"), answer))
        for param in ("service_code", "service_request_id", "status", "api_key"):
            rows.append(Row(f"{fmt}/{param}-nul", get(f"{param}=a%00"), answer, says="空字符"))
            rows.append(Row(f"{fmt}/{param}-not-utf8", get(f"{param}=%FF"), answer, says="UTF-8"))
        rows.append(Row(f"{fmt}/service-code-path-nul", get("", "services/a%00b"), answer))
        rows.append(Row(f"{fmt}/request-id-path-nul", get("", "requests/1%00"), answer))

        def post(body: bytes, ct: str, f: str = fmt) -> Callable[[World], Any]:
            # The key in the query string, so a body the server cannot read still names it.
            return lambda w: w.api("POST", f"{O311}/requests.{f}?api_key={w.key}", body, ct)

        for kind, (body, ct, status, says) in broken_bodies(O311_FIELDS).items():
            rows.append(Row(f"{fmt}/post-{kind}", post(body, ct), answer, status=status, says=says))
        oversized = form({**O311_FIELDS, "description": "字" * SMALL_LIMIT})
        rows.append(Row(f"{fmt}/post-oversized", post(oversized, FORM), answer, 413, "过大", True))
        rows.append(
            Row(
                f"{fmt}/post-json-body",
                post(as_json(O311_FIELDS), JSON),
                answer,
                says="service_code",
            )
        )
        rows.append(Row(f"{fmt}/post-json-nul", post(b'{"description": "\\u0000"}', JSON), answer))
    return rows


# --- pages --------------------------------------------------------------------------------------

REPORT_FIELDS = {"description": "楼道灯坏了", "address": ADDRESS, "urgency": "normal"}
LOGIN_FIELDS = {"username": "13900000001", "password": "correct-horse-battery"}
DESK_FIELDS = {"content": "门口有人占道", "caller_phone": "13937112345", "action": "create"}


def page_rows() -> list[Row]:
    rows = []
    forms_: dict[str, tuple[str, str, dict[str, str]]] = {
        "login": ("", "/accounts/login/", LOGIN_FIELDS),
        "cases.report": ("resident", "/cases/new/", REPORT_FIELDS),
        "cases.act": ("dispatcher", "/cases/{case}/act/", {"note": "请尽快", "action": "urge"}),
        "hotline.desk": ("dispatcher", "/hotline/desk/", DESK_FIELDS),
        "ledgers.facilities": (
            "dispatcher",
            "/ledgers/facilities/",
            {"name": "消防栓", "kind": "hydrant", "checked_on": "2026-11-01"},
        ),
        "mobile.login": ("", "/m/login/", {"phone": "13900000001"}),
    }
    for name, (who, template, fields) in forms_.items():

        def post(body: bytes, ct: str, p: str = template, u: str = who) -> Callable[[World], Any]:
            def send(w: World) -> Any:
                user = getattr(w, u) if u else None
                return w.page(user, "POST", p.format(case=w.case_id), body, ct)

            return send

        for kind, (body, ct, status, says) in broken_bodies(fields).items():
            rows.append(Row(f"{name}/{kind}", post(body, ct), "page", status=status, says=says))
        oversized = form({**fields, "pad": "字" * SMALL_LIMIT})
        rows.append(Row(f"{name}/oversized", post(oversized, FORM), "page", 413, "过大", True))
    for name, url in {
        "residents.list": "/residents/?q=a%00",
        "cases.kpi": "/cases/kpi/410102001/?start=a%00",
        "audit": "/audit/?actor=%00",
        "login-next": "/accounts/login/?next=%00",
        "open-page-not-utf8": "/residents/?q=%FF",
    }.items():
        says = "UTF-8" if "%FF" in url else "空字符"
        rows.append(
            Row(f"{name}/query", lambda w, u=url: w.page(w.dispatcher, "GET", u), "page", says=says)
        )
    return rows


ROWS = json_rows() + api_get_rows() + api_date_rows() + open311_rows() + page_rows()


# --- the checks ---------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m.__module__.startswith("wangge.") and not m._meta.proxy
    }


def explanation(resp: Any, answer: str, status: int) -> str:
    """The Chinese explanation, checked to come in the caller's own format."""
    content_type = resp["Content-Type"]
    if answer == "api":
        assert content_type.startswith("application/json"), content_type
        body = resp.json()
        assert isinstance(body, dict) and isinstance(body.get("detail"), str), body
        return str(body["detail"])
    if answer == "open311:json":
        assert content_type == "application/json; charset=utf-8", content_type
        body = resp.json()
        assert isinstance(body, list) and body[0]["code"] == status, body
        return str(body[0]["description"])
    if answer == "open311:xml":
        assert content_type == "text/xml; charset=utf-8", content_type
        root = ET.fromstring(resp.content)  # noqa: S314 (our own server's answer)
        assert root.tag == "errors" and root.findtext("error/code") == str(status)
        return root.findtext("error/description") or ""
    assert content_type.startswith("text/html"), content_type
    page = resp.content.decode()
    assert 'lang="zh-Hans"' in page
    return page


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def world(people: dict[str, User], report: Any, settings: Any) -> World:  # noqa: F811
    case = report()
    _token, key = api_token_create(user=people["admin"], name="malformed-input")
    return World(
        case_id=case.pk,
        key=key,
        resident=people["resident"],
        dispatcher=people["dispatcher"],
        settings=settings,
    )


def test_malformed_input_is_refused_in_the_callers_format_and_stores_nothing(
    world: World, subtests: Any
) -> None:
    # One world for every row: each row checks that it stored nothing, so the next starts from
    # the same rows (a world per row was most of this file's time). Each row is its own subtest.
    for row in ROWS:
        with subtests.test(msg=row.id):
            refused(row, world)


def refused(row: Row, world: World) -> None:
    limit = SMALL_LIMIT if row.small_limit else world.settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=limit):
        before = row_counts()
        resp = row.send(world)
    statuses = row.status if isinstance(row.status, tuple) else (row.status,)
    assert resp.status_code in statuses, (resp.status_code, resp.content[:300])
    text = explanation(resp, row.answer, resp.status_code)
    assert has_chinese(text), text
    assert row.says in text, text
    assert row_counts() == before


# --- the controls: the same endpoints take well-formed input ------------------------------------


def test_well_formed_requests_of_the_same_shapes_are_accepted(world: World) -> None:
    """Without these the rows above could pass for a reason other than the malformation."""
    created = world.api("POST", "/api/v1/cases", as_json(JSON_POSTS["cases.create"][1]), JSON)
    assert created.status_code == 201, created.content
    photo = multipart(
        utf8({"description": "井盖松动", "address": ADDRESS}),
        files=(("photos", "井盖.png".encode(), png()),),
    )
    with_photo = world.api("POST", "/api/v1/cases", photo, MP)
    assert with_photo.status_code == 201, with_photo.content
    assert len(Case.objects.get(pk=with_photo.json()["id"]).attachments.all()) == 1
    order = world.api(
        "POST",
        "/api/v1/hotline/orders",
        as_json({**JSON_POSTS["hotline.order"][1], "received_at": "2026-11-23T09:15:00+08:00"}),
        JSON,
    )
    assert order.status_code == 201, order.content
    o311 = world.api("POST", f"{O311}/requests.json?api_key={world.key}", form(O311_FIELDS), FORM)
    assert o311.status_code == 200, o311.content
    listed = world.api("GET", "/api/v1/cases?q=%E8%B7%AF%E7%81%AF&created_from=2000-01-01")
    assert listed.status_code == 200 and listed.json()["count"] >= 1
    page = world.page(world.resident, "POST", "/cases/new/", form(REPORT_FIELDS), FORM)
    assert page.status_code == 302
    assert Case.objects.filter(description="楼道灯坏了").count() == 1


def test_a_bad_date_on_a_page_form_keeps_what_was_typed(
    world: World,
    people: dict[str, User],  # noqa: F811
) -> None:
    worker = people["worker_a"]
    case_act(case_id=world.case_id, actor=worker, action="sign", note="", params={}, photos=[])
    resp = world.page(
        worker,
        "POST",
        f"/cases/{world.case_id}/act/",
        form(
            {"action": "request_extension", "note": "需要协调住建局", "until": "0001-01-01T09:00"}
        ),
        FORM,
    )
    assert resp.status_code == 422
    page = resp.content.decode()
    assert WINDOW_TEXT in page
    assert "需要协调住建局" in page  # the reason the person typed is still there


def test_a_kpi_range_outside_the_window_says_so_and_shows_the_default_period(
    world: World,
) -> None:
    resp = world.page(
        world.dispatcher, "GET", "/cases/kpi/410102001/?start=0001-01-01&end=2026-01-01"
    )
    assert resp.status_code == 200
    assert WINDOW_TEXT in resp.content.decode()


def test_a_disallowed_host_is_refused_in_chinese(db: Any) -> None:
    """handler400: what Django itself refuses, in the caller's format."""
    client = Client(HTTP_HOST="evil.example", raise_request_exception=False)
    api = client.get("/api/v1/cases")
    assert api.status_code == 400 and has_chinese(api.json()["detail"])
    page = client.get("/cases/")
    assert page.status_code == 400 and "无法处理该请求" in page.content.decode()
