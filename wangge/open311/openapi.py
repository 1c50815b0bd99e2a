"""An OpenAPI 3 description of our GeoReport v2 endpoints.

GeoReport v2 predates OpenAPI and has no machine-readable description of its own; this one
states what /open311/v2/ promises (paths, parameters, status codes, JSON bodies), so clients can
generate code and tests/open311/test_fuzz.py can hold the server to it with schemathesis.
"""

from typing import Any

ERROR = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "required": ["code", "description"],
    },
}
# No field is ever null: one without a value is left out (GeoReport v2's descriptions type each
# field as a string or a number, and clients generated from them refuse null).
STRING = {"type": "string"}
SERVICE = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "service_name": {"type": "string"},
        "description": {"type": "string"},
        "metadata": {"type": "boolean"},
        "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"},
        "group": STRING,
    },
    "required": ["service_code", "service_name", "metadata", "type"],
}
DEFINITION = {
    "type": "object",
    "properties": {
        "service_code": {"type": "string"},
        "attributes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "variable": {"type": "boolean"},
                    "code": {"type": "string"},
                    "datatype": {"type": "string"},
                    "required": {"type": "boolean"},
                    "order": {"type": "integer"},
                    "description": {"type": "string"},
                    "values": {"type": "array"},
                },
                "required": ["code", "datatype", "required", "order"],
            },
        },
    },
    "required": ["service_code", "attributes"],
}
REQUEST = {
    "type": "object",
    "properties": {
        "service_request_id": {"type": "string"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": STRING,
        "service_name": STRING,
        "service_code": STRING,
        "description": {"type": "string"},
        "agency_responsible": STRING,
        "service_notice": STRING,
        "requested_datetime": {"type": "string"},
        "updated_datetime": {"type": "string"},
        "expected_datetime": STRING,
        "address": STRING,
        "address_id": STRING,
        "zipcode": STRING,
        "lat": {"type": "number"},
        "long": {"type": "number"},
        "media_url": STRING,
    },
    "required": ["service_request_id", "status", "requested_datetime"],
}
CREATED = {
    "type": "object",
    "properties": {
        "service_request_id": {"type": "string"},
        "token": {"type": "string"},
        "service_notice": {"type": "string"},
    },
    "required": ["service_request_id", "token"],
}
TOKEN = {
    "type": "object",
    "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"}},
    "required": ["service_request_id", "token"],
}
DISCOVERY = {
    "type": "object",
    "properties": {
        "changeset": {"type": "string"},
        "contact": {"type": "string"},
        "key_service": {"type": "string"},
        "endpoints": {"type": "array"},
    },
    "required": ["changeset", "contact", "endpoints"],
}

FMT = {
    "name": "fmt",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "enum": ["json", "xml"]},
    "description": "格式：json 或 xml",
}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "schema": {"type": "string"}}
API_KEY = {"name": "api_key", "in": "query", "schema": {"type": "string"}}

ERRORS = {
    # Also a request the server cannot read (NUL characters, not UTF-8, a broken multipart body).
    "400": "请求参数不正确或请求格式无法解析",
    "403": "缺少 api_key 或 api_key 无效",
    "404": "不存在、无权查看或不支持的格式",
    "413": "提交的内容过大",
    "429": "上报过于频繁",
    "503": "数据库暂时不可用",
}


def _ok(schema: dict[str, Any], description: str = "成功") -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": schema},
            "text/xml": {"schema": {"type": "string"}},
        },
    }


def _responses(ok: dict[str, Any], *codes: str) -> dict[str, Any]:
    out: dict[str, Any] = {"200": ok}
    for code in codes:
        out[code] = {
            "description": ERRORS[code],
            "content": {
                "application/json": {"schema": ERROR},
                "text/xml": {"schema": {"type": "string"}},
            },
        }
    return out


def _list_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


CREATE_FORM = {
    "type": "object",
    "properties": {
        "api_key": {"type": "string"},
        "jurisdiction_id": {"type": "string"},
        "service_code": {"type": "string"},
        "lat": {"type": "string"},
        "long": {"type": "string"},
        "address_string": {"type": "string"},
        "address_id": {"type": "string"},
        "email": {"type": "string"},
        "device_id": {"type": "string"},
        "account_id": {"type": "string"},
        "first_name": {"type": "string"},
        "last_name": {"type": "string"},
        "phone": {"type": "string"},
        "description": {"type": "string"},
        "media_url": {"type": "string"},
        "attribute[urgency]": {"type": "string"},
        "attribute[request_type]": {"type": "string"},
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Open311 GeoReport v2（网格）", "version": "2"},
    "paths": {
        "/open311/v2/discovery.{fmt}": {
            "get": {
                "operationId": "discovery",
                "parameters": [FMT, JURISDICTION],
                "responses": _responses(_ok(DISCOVERY), "400", "404", "503"),
            }
        },
        "/open311/v2/services.{fmt}": {
            "get": {
                "operationId": "services",
                "parameters": [FMT, JURISDICTION],
                "responses": _responses(_ok(_list_of(SERVICE)), "400", "404", "503"),
            }
        },
        "/open311/v2/services/{service_code}.{fmt}": {
            "get": {
                "operationId": "service_definition",
                "parameters": [
                    {
                        "name": "service_code",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    FMT,
                    JURISDICTION,
                ],
                "responses": _responses(_ok(DEFINITION), "400", "404", "503"),
            }
        },
        "/open311/v2/requests.{fmt}": {
            "get": {
                "operationId": "requests",
                "parameters": [
                    FMT,
                    JURISDICTION,
                    API_KEY,
                    {"name": "service_request_id", "in": "query", "schema": {"type": "string"}},
                    {"name": "service_code", "in": "query", "schema": {"type": "string"}},
                    {"name": "start_date", "in": "query", "schema": {"type": "string"}},
                    {"name": "end_date", "in": "query", "schema": {"type": "string"}},
                    {"name": "status", "in": "query", "schema": {"type": "string"}},
                    {
                        "name": "page",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "default": 1},
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "default": 100},
                    },
                ],
                "responses": _responses(_ok(_list_of(REQUEST)), "400", "403", "404", "503"),
            },
            "post": {
                "operationId": "create_request",
                "parameters": [FMT],
                "requestBody": {
                    "required": True,
                    "content": {"application/x-www-form-urlencoded": {"schema": CREATE_FORM}},
                },
                "responses": _responses(
                    _ok(_list_of(CREATED), "已受理"), "400", "403", "404", "413", "429", "503"
                ),
            },
        },
        "/open311/v2/requests/{service_request_id}.{fmt}": {
            "get": {
                "operationId": "request",
                "parameters": [
                    {
                        "name": "service_request_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    FMT,
                    JURISDICTION,
                    API_KEY,
                ],
                "responses": _responses(_ok(_list_of(REQUEST)), "400", "403", "404", "503"),
            }
        },
        "/open311/v2/tokens/{token}.{fmt}": {
            "get": {
                "operationId": "token",
                "parameters": [
                    {"name": "token", "in": "path", "required": True, "schema": {"type": "string"}},
                    FMT,
                    JURISDICTION,
                    API_KEY,
                ],
                "responses": _responses(_ok(_list_of(TOKEN)), "400", "403", "404", "503"),
            }
        },
    },
}
