"""Our categories and cases in GeoReport v2 terms: one function per resource, each returning the
fields the spec lists, in its order. Rendering to JSON or XML is `render`'s job.

Personal data: a service request carries no reporter name, phone or account (see the privacy
note in `wangge.open311.views`), and a `media_url` only for a case its reporter made public on
身边事. Even then the link goes through /media/, which serves the photo only to someone allowed
to see the case (a session, or the same api_key as a Bearer header): a request body copied
anywhere cannot open residents' photos to whoever reads it.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases.models import Case, Category, DurationUnit, Urgency
from wangge.cases.services import status_words
from wangge.core.media import media_url
from wangge.grids.indexes import node_table
from wangge.open311.params import REQUEST_TYPES
from wangge.open311.selectors import CLOSED_STATUSES, Row

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MEDIA_TYPES = ["text/xml", "application/json"]
# When this endpoint's description (services, attributes, rules) last changed; clients may
# cache discovery until it moves.
CHANGESET = datetime(2026, 11, 21, tzinfo=ZoneInfo("Asia/Shanghai"))
TOKEN_PREFIX = "t"  # noqa: S105 (a label, not a secret)


def discovery(endpoint_url: str) -> dict[str, Any]:
    # Named from the imported tree unless the operator sets it: 中原区网格化服务管理中心 …
    units = "、".join(n.name for n in node_table().roots)
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "%(units)s网格化服务管理中心（街道城运中心转办）"
    ) % {"units": units}
    key_service = getattr(settings, "OPEN311_KEY_SERVICE", "") or _(
        "api_key 为本平台的 API 令牌（wg_ 开头），请向区网格化服务管理中心申请。"
        "与规范不同：查询服务请求（GET requests、GET tokens）同样需要 api_key，"
        "且只返回令牌所属账号管辖范围内的事件，不含诉求人姓名和电话。"
    )
    return {
        "changeset": CHANGESET,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": endpoint_url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": MEDIA_TYPES,
            }
        ],
    }


def time_limit(category: Category) -> str:
    return _limit_text(category.resolve_amount, category.resolve_unit)


def _limit_text(amount: float, unit: str) -> str:
    return _("%(amount)s个%(unit)s") % {"amount": f"{amount:g}", "unit": DurationUnit(unit).label}


def service(category: Category) -> dict[str, Any]:
    department = category.department.name if category.department else _("属地网格")
    description = _("%(name)s。责任部门：%(dept)s。办理时限：%(limit)s。") % {
        "name": category.name,
        "dept": department,
        "limit": time_limit(category),
    }
    answer = {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(str(k) for k in category.keywords or []),
    }
    if category.parent:
        answer["group"] = category.parent.name
    return answer


def _attribute(
    code: str, order: int, description: str, values: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "order": order,
        "description": description,
        "values": [{"key": key, "name": name} for key, name in values],
    }


def service_definition(category: Category) -> dict[str, Any]:
    default = Urgency(category.urgency).label
    return {
        "service_code": category.code,
        "attributes": [
            _attribute(
                "urgency",
                1,
                _("紧急程度（不填按本类事件默认：%(d)s）") % {"d": default},
                [(str(value), str(label)) for value, label in Urgency.choices],
            ),
            _attribute("request_type", 2, _("诉求类型"), [(word, word) for word in REQUEST_TYPES]),
        ],
    }


def open311_status(case: Case) -> str:
    return "closed" if case.status in CLOSED_STATUSES else "open"


def service_notice(case: Case) -> str:
    category = case.category
    return _notice(
        case.due_at,
        (category.resolve_amount, category.resolve_unit) if category is not None else None,
    )


def _notice(due_at: datetime | None, limit: tuple[float, str] | None) -> str:
    if due_at is not None:
        due = timezone.localtime(due_at)
        return _("办理时限：%(due)s 前") % {"due": f"{due:%Y-%m-%d %H:%M}"}
    if limit is not None:
        return _("办理时限：派单后%(limit)s") % {"limit": _limit_text(*limit)}
    return _("待街道城运中心分派")


def token_for(case: Case) -> str:
    # Deterministic, so a client that lost the POST answer can ask again; resolving it goes
    # through the same scope check as the request itself.
    return f"{TOKEN_PREFIX}{case.number}"


def number_from_token(token: str) -> str:
    return token[len(TOKEN_PREFIX) :] if token.startswith(TOKEN_PREFIX) else ""


def created(case: Case) -> dict[str, Any]:
    notice = _("已受理，编号 %(n)s。") % {"n": case.number} + service_notice(case)
    # No account_id: a request filed here opens no account for the resident.
    return {"service_request_id": case.number, "token": token_for(case), "service_notice": notice}


def token(row: Row) -> dict[str, Any]:
    number = row["number"]
    return {"service_request_id": number, "token": f"{TOKEN_PREFIX}{number}"}


class Words:
    """The translated phrases of one answer: a page of 100 requests has a handful of distinct
    statuses, units and deadlines, each translated and formatted once, not once per row."""

    def __init__(self) -> None:
        self.tz = timezone.get_current_timezone()
        self._status: dict[str, str] = {}
        self._no_unit = _("相关单位")
        self._due = _("办理时限：%(due)s 前")
        self._limit: dict[tuple[float, str], str] = {}

    def status(self, status: str, unit: str | None) -> str:
        """`plain_status_of`, its words translated once per status."""
        words = self._status.get(status)
        if words is None:
            words = self._status[status] = status_words(status)
        return words % {"unit": unit if unit is not None else self._no_unit}

    def notice(self, row: Row) -> str:
        due_at = row["due_at"]
        if due_at is not None:
            return self._due % {"due": f"{due_at.astimezone(self.tz):%Y-%m-%d %H:%M}"}
        if row["category__code"] is None:
            return _notice(None, None)
        key = (row["category__resolve_amount"], row["category__resolve_unit"])
        text = self._limit.get(key)
        if text is None:
            text = self._limit[key] = _notice(None, key)
        return text


def service_request(row: Row, absolute_url: Callable[[str], str], words: Words) -> dict[str, Any]:
    """A request from a row of `selectors.ROW_FIELDS` (photo set by `selectors`), in the spec's
    order. A field with no value is left out, never null: GeoReport v2's descriptions (the
    SocietyWorks OpenAPI most clients are generated from) type each as a string or a number,
    and a generated client refuses null. There is never a zipcode."""
    unit = row["handling_node__name"] if row["handling_node_id"] is not None else None
    photo = row["photo"]
    answer: dict[str, Any] = {
        "service_request_id": row["number"],
        "status": "closed" if row["status"] in CLOSED_STATUSES else "open",
        "status_notes": words.status(row["status"], unit),
    }
    if row["category__code"] is not None:
        answer["service_name"] = row["category__name"]
        answer["service_code"] = row["category__code"]
    answer["description"] = row["description"]
    agency = unit if unit is not None else row["street__name"]
    if agency is not None:
        answer["agency_responsible"] = agency
    answer["service_notice"] = words.notice(row)
    answer["requested_datetime"] = row["created_at"]
    answer["updated_datetime"] = row["updated_at"]
    if row["due_at"] is not None:
        answer["expected_datetime"] = row["due_at"]
    if row["address"]:
        answer["address"] = row["address"]
    if row["building__code"]:
        answer["address_id"] = row["building__code"]
    if row["lat"] is not None and row["lon"] is not None:
        answer["lat"], answer["long"] = row["lat"], row["lon"]
    if photo:
        answer["media_url"] = absolute_url(media_url(photo))
    return answer
