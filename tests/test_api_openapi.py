"""The JSON API's OpenAPI document holds together: every `$ref` resolves inside it (a client
generated from it loses nothing — the case's location once pointed at `#/$defs/LocationIn`,
which is not in the document), and every write declares the 503 it answers when the database
is unavailable, with the answer it really gives."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from pydantic import BaseModel

from wangge.accounts.models import User
from wangge.accounts.services import api_token_create
from wangge.wechat.models import WechatIdentity
from wangge.wechat.services import bind_token_for

pytestmark = pytest.mark.django_db
WRITES = ("post", "put", "patch", "delete")


@pytest.fixture
def document() -> dict[str, Any]:
    resp = Client().get("/api/v1/openapi.json")
    assert resp.status_code == 200
    return resp.json()


def _refs(node: Any, where: str = "#") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield where, value
            else:
                yield from _refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _refs(value, f"{where}/{i}")


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref  # only references inside the document
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part] if isinstance(node, dict) else node[int(part)]
    return node


def _writes(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in WRITES:
                yield method, path, operation


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    refs = list(_refs(document))
    assert refs  # the walk sees references at all
    dangling = []
    for where, ref in refs:
        try:
            _resolve(document, ref)
        except (AssertionError, KeyError, IndexError, ValueError):
            dangling.append(f"{where}: {ref}")
    assert dangling == []
    assert not [where for where, _ref in _refs(document) if "$defs" in where]


def test_a_case_is_reported_with_its_location_as_the_document_describes_it(
    document: dict[str, Any],
) -> None:
    body = document["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]
    location = body["application/json"]["schema"]["properties"]["location"]
    [model] = [_resolve(document, o["$ref"]) for o in location["anyOf"] if "$ref" in o]
    assert model["required"] == ["lon", "lat"]
    assert set(model["properties"]) == {"lon", "lat", "crs"}


def test_every_write_declares_503_with_retry_after(document: dict[str, Any]) -> None:
    writes = list(_writes(document))
    assert len(writes) >= 20
    undeclared = [f"{m.upper()} {p}" for m, p, op in writes if "503" not in op["responses"]]
    assert undeclared == []
    for _method, _path, operation in writes:
        answer = operation["responses"]["503"]
        assert "Retry-After" in answer["headers"]
        assert answer["content"]["application/json"]["schema"]["required"] == ["detail"]


# Writes that answer before the database is read: the mini-program's sign-in asks WeChat
# first (its answer when WeChat is away or the district has no mini-program: 502, 501).
ASKS_WECHAT_FIRST = {"POST /api/v1/auth/wechat/mini-login"}
# The video platform's events are signed, not sent with a key: unsigned, they are refused (401)
# before the body, or the database, is read (tests/video).
SIGNED_FIRST = {"POST /api/v1/video/events"}
# Sign-in writes take no token: each in a body they accept, so the database is reached.
SIGN_IN_BODIES = {
    "/api/v1/auth/sms-code": '{"phone": "13912345678"}',
    "/api/v1/auth/wechat/bind": '{"phone": "13912345678", "sms_code": "123456"}',
}


def test_every_write_answers_503_when_the_database_is_unavailable(
    document: dict[str, Any], cast: dict[str, User]
) -> None:
    """What the declaration promises: each write, called while every statement fails as when
    the database is down, answers 503 with a Chinese detail and Retry-After. (Each looks up its
    caller's key in the database first, so each can.)"""
    client = Client(raise_request_exception=False)
    answers = {}
    for method, path, operation in _writes(document):
        if f"{method.upper()} {path}" in ASKS_WECHAT_FIRST | SIGNED_FIRST:
            continue
        _row, key = api_token_create(user=cast["dispatcher"], name="outage")  # not yet cached
        if path.endswith("/auth/wechat/bind"):
            key = bind_token_for(WechatIdentity(pk=1))  # looked up before anything is read
        url = re.sub(r"\{[^}]+\}", "1", path)
        # Each in a body it accepts (a form-only write refuses JSON with 415 before any lookup).
        media = operation.get("requestBody", {}).get("content", {"application/json": {}})
        body: Any = "{}" if "application/json" in media else {"note": "x"}
        body = SIGN_IN_BODIES.get(path, body)
        kind = "application/json" if "application/json" in media else MULTIPART_CONTENT

        def down(*args: Any) -> Any:
            raise OperationalError("connection to server lost")

        with connection.execute_wrapper(down):
            resp = getattr(client, method)(
                url, body, content_type=kind, HTTP_AUTHORIZATION=f"Bearer {key}"
            )
        answers[f"{method.upper()} {path}"] = (
            resp.status_code,
            resp.get("Retry-After"),
            resp.json()["detail"] if resp.status_code == 503 else resp.content[:200],
        )
    detail = "数据库暂时不可用，请稍后重试；本次操作未保存"
    assert {k: v for k, v in answers.items() if v != (503, "5", detail)} == {}


def _models(node: Any) -> Iterator[type["BaseModel"]]:
    """Every pydantic model a route answers with or reads, nested ones included."""
    seen: set[type] = set()
    todo = [node]
    while todo:
        model = todo.pop()
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or model in seen:
            continue
        seen.add(model)
        yield model
        for field in model.model_fields.values():
            todo.extend(_inner_types(field.annotation))


def _inner_types(annotation: Any) -> Iterator[Any]:
    from typing import get_args

    yield annotation
    for arg in get_args(annotation):
        yield from _inner_types(arg)


def test_every_schema_name_means_one_shape() -> None:
    """The document names each schema once (`#/components/schemas/<name>`): two different
    models with one name made one of them vanish — `/points/me` was documented as the
    account's profile, and a client generated from it read the wrong fields."""
    from wangge.api import api

    shapes: dict[str, dict[str, Any]] = {}
    clashes: list[str] = []
    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                answered = [
                    m.__annotations__.get("response")
                    for m in (operation.response_models or {}).values()
                    if m is not None
                ]
                # A request's parameters are flattened into the document (query, path); only
                # its body's models become named schemas.
                bodies = [
                    field.annotation
                    for m in getattr(operation, "models", [])
                    if m.__name__ == "BodyParams"
                    for field in m.model_fields.values()
                ]
                for model in _models_all(answered + bodies):
                    shape = model.model_json_schema()
                    shape.pop("$defs", None)
                    known = shapes.setdefault(model.__name__, shape)
                    if known != shape:
                        clashes.append(f"{model.__module__}.{model.__name__}")
    assert not clashes, f"one schema name for different shapes: {sorted(set(clashes))}"


def _models_all(roots: list[Any]) -> Iterator[type["BaseModel"]]:
    for root in roots:
        for annotation in _inner_types(root):
            yield from _models(annotation)


def test_points_me_is_documented_as_the_points_statement(document: dict[str, Any]) -> None:
    answer = document["paths"]["/api/v1/points/me"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["$ref"]
    fields = document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert {"balance", "available", "held", "expiring_soon", "history"} <= set(fields)
    assert "phone_masked" not in fields
