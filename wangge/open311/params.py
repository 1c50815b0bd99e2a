"""Reading GeoReport v2 parameters: the api_key, jurisdiction_id, a new request's form fields and
the filters of GET requests. Anything a client can get wrong becomes a `BadRequest` here, so a
bad date or a bad float is a 400 in the spec's format, never a 500."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Literal

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.accounts.services import api_token_identify
from wangge.cases import categories
from wangge.cases.models import Channel, Urgency
from wangge.cases.services import CaseInput
from wangge.core.dates import check_datetime, in_window, window_message
from wangge.core.ratelimit import mark_api_token
from wangge.grids.indexes import node_table
from wangge.grids.models import Building, GridLevel, GridNode
from wangge.grids.positions import PositionError, read_degrees
from wangge.grids.selectors import resolve_address
from wangge.open311.errors import BadApiKey, BadRequest, NotFound
from wangge.open311.forms import ApiKeyForm, JurisdictionForm, RequestListForm, ServiceRequestForm

WINDOW = timedelta(days=90)  # the spec's default and widest date range for GET requests
MAX_RESULTS = 1000  # the spec's suggested cap on one GET requests answer
# A page of GET requests, as the GeoReport servers in the field answer by default: a client
# walks `page` until an answer comes back short (the Link header names the next page).
PAGE_SIZE = 100

# attribute[request_type]: the 诉求类型 of 12345 practice, stored as the word itself.
REQUEST_TYPES = ("咨询", "求助", "投诉", "建议", "举报", "表扬")
STATUSES = ("open", "closed")


# A jurisdiction is a district of the imported tree, or the city above several: a request to
# the city (or to no jurisdiction) is routed by its place to the district it lies in.
JURISDICTION_LEVELS = (GridLevel.CITY, GridLevel.DISTRICT)


def jurisdictions() -> list[GridNode]:
    """What this endpoint serves, from the imported tree: each district (and city), by its
    code."""
    return [n for n in node_table().by_code.values() if n.level in JURISDICTION_LEVELS]


def _sent(form: forms.Form) -> dict[str, Any]:
    """The parameters a form read, each as sent; one that does not read as text is a 400."""
    if not form.is_valid():
        name, errors = next(iter(form.errors.items()))
        raise BadRequest(f"{name}：{errors[0]}")
    return form.cleaned_data


def check_jurisdiction(form: JurisdictionForm) -> GridNode | None:
    """The jurisdiction a request names, or None when it names none."""
    value = _sent(form)["jurisdiction_id"].strip()
    if not value:
        return None
    node = node_table().by_code.get(value)
    if node is None or node.level not in JURISDICTION_LEVELS:
        served = "、".join(
            f"{n.name}（{n.code}）" for n in sorted(jurisdictions(), key=lambda n: n.code)
        )
        raise NotFound(
            _("jurisdiction_id“%(j)s”不存在，本接口服务的辖区：%(served)s")
            % {"j": value, "served": served or _("无（尚未导入网格）")}
        )
    return node


def authenticate(request: HttpRequest) -> User:
    """The token user of the request's api_key (form field, query parameter or, to keep keys out
    of access logs, an `Authorization: Bearer` header as on /api/v1/)."""
    sent = [ApiKeyForm(request.POST).key(), ApiKeyForm(request.GET).key()]
    if None in sent:
        raise BadApiKey(_("api_key 无效或已吊销"))
    key = next((k for k in sent if k), "")
    header = request.headers.get("Authorization", "")
    if not key and header.lower().startswith("bearer "):
        key = header[7:]
    key = key.strip()
    if not key:
        raise BadApiKey(_("缺少 api_key"))
    found = api_token_identify(key)
    if found is None:
        raise BadApiKey(_("api_key 无效或已吊销"))
    token_id, user = found
    # An app posting for many residents from one server: its reports count against its key.
    mark_api_token(request, token_id)
    return user


# --- POST requests -------------------------------------------------------------------------


def _degrees(params: Mapping[str, Any], name: str, axis: Literal["lon", "lat"]) -> float | None:
    try:
        return read_degrees(params.get(name, ""), axis)
    except PositionError as refused:
        if refused.why == "unreadable":
            raise BadRequest(_("%(name)s 不是有效的数字") % {"name": name}) from None
        raise BadRequest(
            _("%(name)s 须在 %(low)s 到 %(high)s 之间")
            % {"name": name, "low": int(refused.low), "high": int(refused.high)}
        ) from None


def _choice(params: Mapping[str, Any], code: str, allowed: tuple[str, ...]) -> str:
    value = params.get(f"attribute[{code}]", "").strip()
    if value and value not in allowed:
        raise BadRequest(
            _("attribute[%(code)s] 的取值“%(v)s”无效，可选：%(allowed)s")
            % {"code": code, "v": value, "allowed": "、".join(allowed)}
        )
    return value


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def reporter_name(first: str, last: str) -> str:
    """A Chinese name is family name first with no space (王 + 秀兰 = 王秀兰); others keep the
    order of the form, "first last"."""
    first, last = first.strip(), last.strip()
    if _has_cjk(first + last):
        return f"{last}{first}"
    return " ".join(p for p in (first, last) if p)


def _refuse_across_districts(address: str) -> None:
    """An address that could be in more than one district is refused with its candidates, so
    the client asks its resident which one and sends it again with `address_id` (one whose
    candidates all lie in one district waits at that district's desk, as before). With no
    point to settle it, routing it anywhere would hand another district's staff the case."""
    match = resolve_address(q=address)
    if match.building is not None or not match.resolution.candidates:
        return
    candidates = list(
        Building.objects.filter(
            pk__in=[c.building_id for c in match.resolution.candidates]
        ).select_related("micro_grid")
    )
    table = node_table()
    district_of = {b.pk: table.ancestor(b.micro_grid, GridLevel.DISTRICT) for b in candidates}
    if len({d.pk for d in district_of.values() if d is not None}) < 2:
        return
    order = {c.building_id: i for i, c in enumerate(match.resolution.candidates)}
    listed = "；".join(
        f"{d.name} {b.address}（address_id={b.code}）"
        for b in sorted(candidates, key=lambda b: order[b.pk])
        if (d := district_of[b.pk]) is not None
    )
    raise BadRequest(
        _("地址“%(a)s”在多个区都有，请选择后用 address_id 重新提交。候选：%(c)s")
        % {"a": address[:60], "c": listed}
    )


def create_input(form: ServiceRequestForm) -> CaseInput:
    """The form of POST requests as the input of `case_intake`."""
    params = _sent(form)
    code = params.get("service_code", "").strip()
    if not code:
        raise BadRequest(_("缺少 service_code"))
    # The per-process table of leaf categories every intake reads (categories.leaf), not a
    # query per request; services.json lists the same active leaves.
    category = categories.leaf(code)
    if category is None:
        raise BadRequest(_("service_code“%(c)s”不存在或不可受理") % {"c": code})
    lat = _degrees(params, "lat", "lat")
    lon = _degrees(params, "long", "lon")
    if (lat is None) != (lon is None):
        raise BadRequest(_("lat 与 long 须同时提供"))
    address = params.get("address_string", "").strip()
    address_id = params.get("address_id", "").strip()
    if address_id:
        building = Building.objects.filter(code=address_id).first()
        if building is None:
            raise BadRequest(_("address_id“%(a)s”不存在") % {"a": address_id})
        # The id is authoritative: intake resolves the building's own address to the building.
        address = building.address
    if lat is None and not address:
        raise BadRequest(_("须提供位置：lat 和 long，或 address_string，或 address_id"))
    if lat is None and not address_id:
        _refuse_across_districts(address)
    description = params.get("description", "").strip()
    # The spec lets a client send only a service and a place; a case needs words, so the
    # service's own name stands in for them.
    description = description or _("%(name)s（上报时未填写描述）") % {"name": category.name}
    extra = {
        name: params.get(name, "").strip()
        for name in ("email", "device_id", "account_id", "media_url")
        if params.get(name, "").strip()
    }
    return CaseInput(
        description=description,
        category_code=category.code,
        lon=lon,
        lat=lat,
        crs="wgs84",
        address=address,
        reporter_name=reporter_name(params.get("first_name", ""), params.get("last_name", "")),
        reporter_phone=params.get("phone", "").strip(),
        channel=Channel.OPEN311,
        urgency=_choice(params, "urgency", tuple(Urgency.values)),
        request_type=_choice(params, "request_type", REQUEST_TYPES),
        extra=extra,
    )


# --- GET requests --------------------------------------------------------------------------

_SPACED_OFFSET = re.compile(r"(\d) (\d\d:?\d\d)$")


def _datetime(params: Mapping[str, Any], name: str) -> datetime | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    # An unencoded "+08:00" in a query string arrives as " 08:00".
    raw = _SPACED_OFFSET.sub(r"\1+\2", raw)
    try:
        value = parse_datetime(raw)
        if value is None:
            day = parse_date(raw)
            value = datetime.combine(day, time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise BadRequest(
            _("%(name)s 须为 W3C 日期时间，例如 2026-01-01T00:00:00+08:00") % {"name": name}
        )
    if not in_window(value):
        raise BadRequest(f"{name}：{window_message()}")
    return check_datetime(value)


def _list(params: Mapping[str, Any], name: str) -> list[str]:
    return [v.strip() for raw in params.get(name, []) for v in raw.split(",") if v.strip()]


@dataclass
class ListQuery:
    ids: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = PAGE_SIZE


def _positive(params: Mapping[str, Any], name: str, default: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise BadRequest(_("%(name)s 须为正整数") % {"name": name})
    return int(raw)


def _paging(params: Mapping[str, Any]) -> tuple[int, int]:
    page = _positive(params, "page", 1)
    # Larger than the spec's cap is read as the cap, as paging APIs commonly do.
    page_size = min(_positive(params, "page_size", PAGE_SIZE), MAX_RESULTS)
    if page > 100_000:
        raise BadRequest(_("page 过大"))
    return page, page_size


def list_query(form: RequestListForm, now: datetime | None = None) -> ListQuery:
    """Filters of GET requests. service_request_id overrides every other filter (spec); without
    it the window is at most 90 days, the most recent 90 when no date is given."""
    params = _sent(form)
    page, page_size = _paging(params)
    ids = _list(params, "service_request_id")
    if ids:
        return ListQuery(ids=ids[:MAX_RESULTS], page=page, page_size=page_size)
    statuses = _list(params, "status")
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise BadRequest(_("status 只能是 open 或 closed：%(s)s") % {"s": ",".join(unknown)})
    start, end = _datetime(params, "start_date"), _datetime(params, "end_date")
    if start is None and end is None:
        end = now or timezone.now()
    if start is None:
        assert end is not None
        start = end - WINDOW
    if end is None:
        end = start + WINDOW
    if end < start:
        raise BadRequest(_("end_date 不能早于 start_date"))
    if end - start > WINDOW:
        raise BadRequest(_("start_date 与 end_date 相隔不能超过 90 天"))
    return ListQuery(
        service_codes=_list(params, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
        page=page,
        page_size=page_size,
    )
