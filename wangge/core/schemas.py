"""Types for API input that every database accepts."""

import contextlib
import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils.translation import gettext as _
from pydantic import AfterValidator, BaseModel, Field
from pydantic import ValidationError as PydanticError

from wangge.core.dates import check_date, check_datetime
from wangge.core.errors import ValidationFailed

# Times and dates inside the platform's window (wangge.core.dates); a time comes back in UTC.
# Out of the window is a 422 naming the field, never an overflow further down.
ApiDateTime = Annotated[datetime, AfterValidator(check_datetime)]
ApiDate = Annotated[date, AfterValidator(check_date)]


SchemaT = TypeVar("SchemaT", bound=BaseModel)


class BodyIn(BaseModel):
    """A JSON body read by `validate_body`: a plain pydantic model. django-ninja's Schema
    passes every input through its Django getter, made for reading model instances (their
    related managers and `resolve_*` methods); for a dict that is the same answer at ten times
    the cost (for a case's intake body, docs/benchmarks.md)."""


# Where django-ninja says an input came from, ahead of the field's own path in an error's `loc`.
_NINJA_SOURCES = {"query", "path", "header", "cookie", "form", "file"}


def _field_path(loc: Iterable[Any], *, from_ninja: bool) -> tuple[str, ...]:
    parts = tuple(str(p) for p in loc)
    if from_ninja and parts:
        # ("query", "lon") → ("lon",); ("body", "payload", "title") → ("title",)
        if parts[0] == "body":
            parts = parts[2:] or parts[1:]
        elif parts[0] in _NINJA_SOURCES:
            parts = parts[1:]
    return parts


def input_problems(
    errors: Iterable[Mapping[str, Any]],
    *,
    labels: Mapping[str, Any] | None = None,
    reasons_only: bool = False,
    from_ninja: bool = False,
) -> str:
    """The one wording of schema errors for people: each wrong field by its name (or its label,
    by the field's key), followed by our own validators' Chinese reason where there is one (a
    date outside the accepted window, an unknown street code), joined by 、, each once.
    `reasons_only` leaves out the fields that have no reason of ours (the API's own parameters,
    whose status says enough)."""
    said: list[str] = []
    for error in errors:
        path = _field_path(error.get("loc") or (), from_ninja=from_ninja)
        key = path[0] if path else ""
        name = str(labels[key]) if labels and key in labels else ".".join(path)
        reason = ""
        if error.get("type") == "value_error":
            reason = str(error.get("msg") or "").removeprefix("Value error, ")
        if reasons_only and not reason:
            continue
        said.append(f"{name}：{reason}" if name and reason else name or reason)
    return "、".join(dict.fromkeys(said))


def validate_body(
    schema: type[SchemaT],
    data: dict[str, Any],
    *,
    labels: Mapping[str, Any] | None = None,
    lead: str | None = None,
) -> SchemaT:
    """A JSON body read into its schema, or ValidationFailed naming each wrong field (with our
    own validators' Chinese reason, e.g. a date outside the accepted window). `lead` replaces
    the opening words, `labels` the fields' names (the hotline's own vocabulary)."""
    try:
        return schema.model_validate(data)
    except PydanticError as exc:
        fields = input_problems(exc.errors(), labels=labels)
        raise ValidationFailed((lead or _("请求参数不正确")) + "：" + fields) from exc


def read_body(
    request: HttpRequest, *, nested: bool = True, blank_is_absent: bool = False
) -> tuple[dict[str, Any], list[UploadedFile]]:
    """A body an endpoint reads by hand before `validate_body`: JSON, or multipart form fields
    plus `photos` files (a field sent several times is a list). With `nested`, a form field may
    be JSON text (the case intake's place); without it, text is text, whatever it starts with.
    With `blank_is_absent`, a form field sent empty is left out: a phone's form sends every
    input, filled or not, where JSON leaves out what it does not say. A body that is not a JSON
    object is refused in Chinese."""
    if request.content_type == "multipart/form-data":
        data: dict[str, Any] = {}
        for key in request.POST:
            values = request.POST.getlist(key)
            if blank_is_absent:
                values = [v for v in values if v != ""]
                if not values:
                    continue
            value: Any = values if len(values) > 1 else values[0]
            if nested and isinstance(value, str) and value[:1] in "{[":
                with contextlib.suppress(json.JSONDecodeError):
                    value = json.loads(value)
            data[key] = value
        return data, request.FILES.getlist("photos")
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("请求体不是有效的 JSON")) from exc
    if not isinstance(body, dict):
        raise ValidationFailed(_("请求体须为 JSON 对象"))
    return body, []


# ---------------------------------------------------------------- pages of an API list

# A page of an API list holds at most this many rows: a client asking for more gets a 422
# naming the field rather than a slow answer (the cases and persons lists keep their own caps).
API_PAGE_SIZE_MAX = 100


class PageQuery(BaseModel):
    """`?page=2&page_size=50` of an API list; the first page of 20 rows without them."""

    page: int = Field(1, ge=1, le=100_000, description="页码，从 1 开始")
    page_size: int = Field(20, ge=1, le=API_PAGE_SIZE_MAX, description="每页条数")


class PageInfo(BaseModel):
    """What an API list's answer says besides its rows: the total, this page, and the links to
    the pages before and after (null at either end), with the request's other parameters."""

    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


# ---------------------------------------------------------------- bodies a view reads itself

JSON = "application/json"
MULTIPART = "multipart/form-data"


def body_doc(
    json_schema: type[BaseModel] | None = None,
    *,
    form: Mapping[str, str] | None = None,
    files: Iterable[str] = ("photos",),
    form_required: Iterable[str] = (),
) -> dict[str, Any]:
    """`openapi_extra` of an operation that reads its body itself: the media types it takes.
    JSON (`json_schema`) and/or a phone's multipart form (`form`: field → description, plus the
    photo `files`). wangge.api answers 415 to any other body, so this is also what is accepted.
    Nested models of the JSON schema are moved to components by wangge.api."""
    content: dict[str, Any] = {}
    if json_schema is not None:
        content[JSON] = {"schema": json_schema.model_json_schema()}
    if form is not None:
        properties: dict[str, Any] = {
            name: {"type": "string", "description": text} for name, text in form.items()
        }
        for name in files:
            properties[name] = {"type": "array", "items": {"type": "string", "format": "binary"}}
        multipart: dict[str, Any] = {"type": "object", "properties": properties}
        if form_required:
            multipart["required"] = list(form_required)
        content[MULTIPART] = {"schema": multipart}
    return {"requestBody": {"content": content, "required": True}}
