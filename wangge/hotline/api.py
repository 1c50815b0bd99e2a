"""POST /api/v1/hotline/orders: the 12345 hotline hands over a work order (token auth)."""

import json
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja import Status as Reply

from wangge.cases.models import Case, Status
from wangge.core.errors import ValidationFailed
from wangge.core.schemas import ApiDateTime, BodyIn, validate_body
from wangge.core.web import AuthedRequest
from wangge.hotline import services

router = Router(tags=["12345热线"])


class Detail(Schema):
    detail: str


class OrderIn(BodyIn):
    order_no: str = Field(
        ..., min_length=1, max_length=64, pattern=r"^\s*[0-9A-Za-z_-]+\s*$", description="工单编号"
    )
    received_at: ApiDateTime | None = Field(None, description="来电/受理时间（无时区按北京时间）")
    caller_name: str = Field("", max_length=50, description="诉求人")
    caller_phone: str = Field("", max_length=20, description="诉求人手机号")
    content: str = Field(..., min_length=1, max_length=4000, description="诉求内容")
    address: str = Field("", max_length=200, description="诉求地址")
    category: str = Field("", max_length=60, description="分类编码或分类名称；无法识别时由系统推荐")
    order_type: Literal["", "咨询", "求助", "投诉", "建议", "举报", "表扬"] = Field(
        "", description="诉求类型"
    )
    urgency: Literal["", "一般", "紧急", "特急", "normal", "urgent", "emergency"] = Field(
        "", description="紧急程度"
    )
    deadline: ApiDateTime | None = Field(None, description="办理时限，作为事件的办理期限")
    street: str = Field(
        "", pattern=r"^(\d{9})?$", description="承办单位：9 位街道编码，地址无法定位时据此分拨"
    )


class OrderOut(Schema):
    case_id: int
    case_number: str
    order_no: str
    status: str
    status_label: str
    handling_unit: str | None = Field(description="承办单位：已派遣时为承办网格，待分拨时为街道")
    due_at: datetime | None
    routing_reason: str


# Chinese names for the fields a 422 names, with what a valid value looks like.
FIELD_HINTS = {
    "order_no": gettext_lazy("工单编号（order_no，字母、数字、“-”或“_”，最长 64 位）"),
    "received_at": gettext_lazy("来电时间（received_at，ISO 8601 时间）"),
    "caller_name": gettext_lazy("诉求人（caller_name，最长 50 字）"),
    "caller_phone": gettext_lazy("诉求人电话（caller_phone）"),
    "content": gettext_lazy("诉求内容（content，1–4000 字）"),
    "address": gettext_lazy("诉求地址（address，最长 200 字）"),
    "category": gettext_lazy("分类（category）"),
    "order_type": gettext_lazy("诉求类型（order_type：咨询/求助/投诉/建议/举报/表扬）"),
    "urgency": gettext_lazy("紧急程度（urgency：一般/紧急/特急）"),
    "deadline": gettext_lazy("办理时限（deadline，ISO 8601 时间）"),
    "street": gettext_lazy("承办单位（street，9 位街道编码）"),
}

OPENAPI_BODY = {
    "requestBody": {
        "content": {"application/json": {"schema": OrderIn.model_json_schema()}},
        "required": True,
    }
}


def _parse(request: HttpRequest) -> tuple[OrderIn, dict[str, Any]]:
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(_("请求体不是有效的 JSON")) from exc
    if not isinstance(body, dict):
        raise ValidationFailed(_("请求体须为 JSON 对象"))
    # Hotline systems send null for an empty field; treat it as absent.
    present = {k: v for k, v in body.items() if v is not None}
    order = validate_body(OrderIn, present, labels=FIELD_HINTS, lead=_("工单参数不正确"))
    return order, body


def _unit(case: Case) -> str | None:
    if case.handling_node_id and case.handling_node:
        return case.handling_node.name
    return case.street.name if case.street_id and case.street else None


@router.post(
    "/orders",
    response={201: OrderOut, 200: OrderOut, 403: Detail, 409: Detail, 422: Detail},
    openapi_extra=OPENAPI_BODY,
    summary="接收12345工单（重复推送返回同一事件）",
)
def receive_order(request: AuthedRequest) -> Reply[OrderOut]:
    user = request.user
    data, raw = _parse(request)
    receipt = services.hotline_order_receive(
        order=services.HotlineOrderInput(**data.model_dump()), actor=user, raw=raw
    )
    case = Case.objects.select_related("handling_node", "street").get(pk=receipt.case.pk)
    return Reply(
        201 if receipt.created else 200,
        OrderOut(
            case_id=case.pk,
            case_number=case.number or "",
            order_no=receipt.order.order_no,
            status=case.status,
            status_label=str(Status(case.status).label),
            handling_unit=_unit(case),
            # Beijing time, as the hotline writes its own deadlines.
            due_at=timezone.localtime(case.due_at) if case.due_at else None,
            routing_reason=case.routing_reason,
        ),
    )
