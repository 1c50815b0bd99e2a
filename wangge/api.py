"""The JSON API at /api/v1/: one NinjaAPI, routers from each app, errors as {"detail": …}."""

import copy
from collections.abc import Callable
from functools import wraps
from typing import Any

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth
from ninja.utils import check_csrf

from wangge.accounts.services import api_token_identify
from wangge.assistant.api import router as assistant_router
from wangge.cases.api import router as cases_router
from wangge.consent.api import router as consent_router
from wangge.core.errors import DomainError
from wangge.core.ratelimit import mark_api_token
from wangge.core.schemas import JSON, input_problems
from wangge.enterprises.api import router as enterprises_router
from wangge.grids.api import router as grids_router
from wangge.hotline.api import router as hotline_router
from wangge.kitchen.api import router as kitchen_router
from wangge.ledgers.api import router as ledgers_router
from wangge.notifications.api import router as me_router
from wangge.ops.api import router as ops_router
from wangge.partners.api import router as partners_router
from wangge.party.api import router as party_router
from wangge.patrols.api import router as patrols_router
from wangge.points.api import router as points_router
from wangge.rankings.api import router as rankings_router
from wangge.residents.api import router as residents_router
from wangge.video.api import router as video_router
from wangge.volunteering.api import router as volunteering_router
from wangge.wechat.api import auth_router as wechat_auth_router
from wangge.wechat.api import me_router as wechat_me_router


class BearerToken(HttpBearer):
    openapi_description = "Authorization: Bearer wg_…（由 `wangge create_api_token` 生成）"

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = api_token_identify(token)
        if found is None:
            return None
        token_id, user = found
        request.user = user
        # Limits count this client by its token, not by the server it posts from.
        mark_api_token(request, token_id)
        return user


class CsrfRefused(Exception):
    """A signed-in browser's call without a valid CSRF token."""


class BrowserSession(SessionAuth):
    """The signed-in browser (the 原点在线 pages call the API with their session cookie).

    django-ninja's own session auth checks CSRF before asking whether anyone is signed in, so a
    script with no token at all was told "CSRF check Failed" instead of "not signed in". Here a
    request without a session user is simply unauthenticated (401); CSRF is checked only for a
    real session — the only case where a cross-site form could borrow someone's authority. A
    call with a valid Bearer token never gets here (it is tried first) and needs no CSRF token.
    """

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfRefused
        return request.user


class ChineseJSONRenderer(JSONRenderer):
    """Readable UTF-8 rather than \\uXXXX escapes (people read these bodies in logs and tools),
    written by orjson. What orjson has no type of its own for, and every date and time, is
    handed to ninja's encoder, so a time reads as before (milliseconds, Z for UTC), as do lazy
    translations, decimals and nested schemas."""

    _encoder = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(
            data,
            default=self._default,
            option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
        )

    def _default(self, value: Any) -> Any:
        # A float of a subclass (numpy's float64) is a float to the json module; orjson hands
        # it here.
        if isinstance(value, float):
            return float(value)
        return self._encoder.default(value)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "中文错误说明"}},
    "required": ["detail"],
}
# Answers any operation may give, whatever it declares itself: documented once, here, so a
# client (and schemathesis) is never surprised by a status code.
COMMON_ERRORS = {
    "400": "请求无法解析（含空字符、非 UTF-8 编码、multipart 格式错误等）",
    "401": "未登录或令牌无效",
    "403": "无权执行此操作，或登录会话缺少 CSRF 令牌",
    "413": "请求体过大",
    "422": "请求参数不正确",
}


# The database unreachable, or a transaction it aborted (`core.error_pages.service_unavailable`).
# Every operation authenticates first, and a key or a session is looked up in the database, so
# every operation here can answer it; an operation without authentication would declare it only
# if its own work reads the database.
UNAVAILABLE = {
    "description": "数据库暂时不可用，本次操作未保存；请按 Retry-After 秒数后重试",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "建议重试等待秒数"}},
    "content": {"application/json": {"schema": ERROR_SCHEMA}},
}
DEFS_PREFIX = "#/$defs/"
COMPONENTS_PREFIX = "#/components/schemas/"


def _hoist_defs(node: Any, components: dict[str, Any]) -> None:
    """A schema written by pydantic's `model_json_schema()` (a request body documented by hand
    in `openapi_extra`) carries its nested models in its own `$defs`, and its references point
    there (`#/$defs/LocationIn`); embedded in the document, they point at nothing, and a
    generated client drops the field. The nested models move to components/schemas and the
    references follow them."""
    if isinstance(node, list):
        for item in node:
            _hoist_defs(item, components)
        return
    if not isinstance(node, dict):
        return
    for name, definition in (node.pop("$defs", None) or {}).items():
        _hoist_defs(definition, components)
        if components.setdefault(name, definition) != definition:
            raise ValueError(f"two different schemas are both named {name}")
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith(DEFS_PREFIX):
        node["$ref"] = COMPONENTS_PREFIX + ref[len(DEFS_PREFIX) :]
    for key, value in node.items():
        if key != "$ref":
            _hoist_defs(value, components)


WRITES = ("post", "put", "patch", "delete")
UNSUPPORTED_BODY = {
    "description": (
        "请求体类型不受支持：请以 application/json 提交（个别接口另收 multipart/form-data）"
    ),
    "content": {"application/json": {"schema": ERROR_SCHEMA}},
}


def _accepted_media(operation: Any) -> frozenset[str]:
    """The media types an operation reads its body as: those its `openapi_extra` documents (a
    view that reads the body itself, see core.schemas.body_doc), else JSON."""
    documented = (operation.openapi_extra or {}).get("requestBody", {}).get("content")
    return frozenset(documented or (JSON,))


def _is_json(media: str) -> bool:
    return media == JSON or (media.startswith("application/") and media.endswith("+json"))


def _carries_body(request: HttpRequest) -> bool:
    """Whether the request carries anything to read. A form with no field and no file (what a
    bodiless POST from some clients is sent as) carries nothing."""
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return bool(request.POST or request.FILES)
    return bool(request.body)


def refuse_unsupported_media(run: Callable[..., Any]) -> Callable[..., Any]:
    """A write's body is read only as what the operation documents: JSON, or the multipart form
    of the few that take photos. Anything else is 415, before authentication: a cross-site
    `text/plain` form carrying JSON is never read as JSON, whoever is signed in."""
    accepted = _accepted_media(run.__self__)  # type: ignore[attr-defined]
    takes_json = JSON in accepted

    @wraps(run)
    def checked(request: HttpRequest, **kw: Any) -> Any:
        if request.method and request.method.lower() in WRITES and _carries_body(request):
            media = request.content_type or ""
            if media not in accepted and not (takes_json and _is_json(media)):
                return api.create_response(
                    request,
                    {
                        "detail": _("不支持的请求体类型“%(got)s”：请以 %(ok)s 提交")
                        % {"got": media or _("未声明"), "ok": "、".join(sorted(accepted))}
                    },
                    status=415,
                )
        return run(request, **kw)

    return checked


class WanggeAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        # A copy: the hand-written parts are the views' own module-level dicts.
        schema["paths"] = copy.deepcopy(schema.get("paths", {}))
        _hoist_defs(schema["paths"], components)
        for path_item in schema.get("paths", {}).values():
            for method, operation in path_item.items():
                responses = operation.setdefault("responses", {})
                # Every write records something (a sign-in without a caller too: its code).
                if operation.get("security") or method in WRITES:
                    responses.setdefault("503", UNAVAILABLE)
                if method in WRITES:
                    responses.setdefault("415", UNSUPPORTED_BODY)
                for code, text in COMMON_ERRORS.items():
                    responses.setdefault(
                        code,
                        {
                            "description": text,
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                    )
                if "{" in str(operation.get("operationId", "")) or any(
                    p.get("in") == "path" for p in operation.get("parameters", [])
                ):
                    responses.setdefault(
                        "404",
                        {
                            "description": "不存在或无权查看",
                            "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        },
                    )
        return schema


api = WanggeAPI(
    renderer=ChineseJSONRenderer(),
    title="网格 API",
    version="1",
    description='党建引领网格化基层治理平台接口。所有错误以 JSON `{"detail": …}` 返回。',
    auth=[BearerToken(), BrowserSession()],
    urls_namespace="api",
)
api.add_decorator(refuse_unsupported_media, mode="view")


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"detail": exc.message}
    for extra in ("problems", "allowed"):
        value = getattr(exc, extra, None)
        if value is not None:
            body[extra] = value
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(DjangoValidationError)
def _django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": "；".join(exc.messages)}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": _("未登录或令牌无效")}, status=401)


@api.exception_handler(CsrfRefused)
def _csrf_refused(request: HttpRequest, exc: CsrfRefused) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": _(
                "缺少或无效的 CSRF 令牌：使用登录会话调用接口时须携带 X-CSRFToken 请求头，"
                "请刷新页面后重试；接口客户端请改用 API 令牌认证"
                "（Authorization: Bearer <令牌>），无需 CSRF 令牌"
            )
        },
        status=403,
    )


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # Only our own validators' reasons (a date outside the window, …): the status and the
    # `errors` list say the rest.
    reasons = input_problems(exc.errors, reasons_only=True, from_ninja=True)
    detail = _("请求参数不正确") + (f"：{reasons}" if reasons else "")
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc.message)
    if detail.startswith("Cannot parse request body"):
        # django-ninja's own words for a body that is not JSON (XML, a form, …).
        detail = _("请求体不是有效的 JSON，请以 Content-Type: application/json 提交 JSON 对象")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


def _register_routers() -> None:
    api.add_router("/grids", grids_router)
    api.add_router("/cases", cases_router)
    api.add_router("/hotline", hotline_router)
    api.add_router("/residents", residents_router)
    api.add_router("/patrols", patrols_router)
    api.add_router("/assistant", assistant_router)
    api.add_router("/ops", ops_router)
    api.add_router("/points", points_router)
    api.add_router("/volunteering", volunteering_router)
    api.add_router("/enterprises", enterprises_router)
    api.add_router("/rankings", rankings_router)
    api.add_router("/ledgers", ledgers_router)
    api.add_router("/kitchen", kitchen_router)
    api.add_router("/partners", partners_router)
    api.add_router("/video", video_router)
    api.add_router("/party", party_router)
    api.add_router("/auth", wechat_auth_router)
    api.add_router("/me/wechat", wechat_me_router)
    api.add_router("/consent", consent_router)
    api.add_router("/me", me_router)


_register_routers()
