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
from wangge.cases.selectors import on_public_board
from wangge.cases.services import plain_status
from wangge.core.media import media_url
from wangge.open311.params import REQUEST_TYPES
from wangge.open311.selectors import CLOSED_STATUSES

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MEDIA_TYPES = ["text/xml", "application/json"]
# When this endpoint's description (services, attributes, rules) last changed; clients may
# cache discovery until it moves.
CHANGESET = datetime(2026, 11, 21, tzinfo=ZoneInfo("Asia/Shanghai"))
TOKEN_PREFIX = "t"  # noqa: S105 (a label, not a secret)


def discovery(endpoint_url: str) -> dict[str, Any]:
    contact = getattr(settings, "OPEN311_CONTACT", "") or _(
        "郑州市中原区网格化服务管理中心（街道城运中心转办）"
    )
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
    unit = DurationUnit(category.resolve_unit).label
    return _("%(amount)s个%(unit)s") % {"amount": f"{category.resolve_amount:g}", "unit": unit}


def service(category: Category) -> dict[str, Any]:
    department = category.department.name if category.department else _("属地网格")
    description = _("%(name)s。责任部门：%(dept)s。办理时限：%(limit)s。") % {
        "name": category.name,
        "dept": department,
        "limit": time_limit(category),
    }
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(str(k) for k in category.keywords or []),
        "group": category.parent.name if category.parent else None,
    }


def _attribute(
    code: str, order: int, description: str, values: list[tuple[str, str]]
) -> dict[str, Any]:
    return {
        "variable": True,
        "code": code,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": None,
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
    if case.due_at is not None:
        due = timezone.localtime(case.due_at)
        return _("办理时限：%(due)s 前") % {"due": f"{due:%Y-%m-%d %H:%M}"}
    if case.category is not None:
        return _("办理时限：派单后%(limit)s") % {"limit": time_limit(case.category)}
    return _("待街道城运中心分派")


def token_for(case: Case) -> str:
    # Deterministic, so a client that lost the POST answer can ask again; resolving it goes
    # through the same scope check as the request itself.
    return f"{TOKEN_PREFIX}{case.number}"


def number_from_token(token: str) -> str:
    return token[len(TOKEN_PREFIX) :] if token.startswith(TOKEN_PREFIX) else ""


def created(case: Case) -> dict[str, Any]:
    notice = _("已受理，编号 %(n)s。") % {"n": case.number} + service_notice(case)
    return {
        "service_request_id": case.number,
        "token": token_for(case),
        "service_notice": notice,
        "account_id": None,
    }


def token(case: Case) -> dict[str, Any]:
    return {"service_request_id": case.number, "token": token_for(case)}


def first_photo_url(case: Case, absolute_url: Callable[[str], str]) -> str | None:
    """The spec's `media_url`: the first photo of a case on 身边事, nothing for any other."""
    if not on_public_board(case):
        return None
    photos = list(case.attachments.all())
    return absolute_url(media_url(photos[0].image)) if photos else None


def service_request(case: Case, absolute_url: Callable[[str], str]) -> dict[str, Any]:
    agency = case.handling_node or case.street
    return {
        "service_request_id": case.number,
        "status": open311_status(case),
        "status_notes": plain_status(case),
        "service_name": case.category.name if case.category else None,
        "service_code": case.category.code if case.category else None,
        "description": case.description,
        "agency_responsible": agency.name if agency else None,
        "service_notice": service_notice(case),
        "requested_datetime": case.created_at,
        "updated_datetime": case.updated_at,
        "expected_datetime": case.due_at,
        "address": case.address or None,
        "address_id": case.building.code if case.building else None,
        "zipcode": None,
        "lat": case.lat,
        "long": case.lon,
        "media_url": first_photo_url(case, absolute_url),
    }
