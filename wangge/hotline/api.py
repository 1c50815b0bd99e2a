"""The 12345 platform's side of the exchange (token auth; docs/hotline.md for integrators).

POST /api/v1/hotline/orders hands over a work order; the other endpoints carry the platform's
messages about an order after it (催办/督办, 回访结果, 撤单, 补充诉求, 附件, 延期批复). Each is
idempotent: an order on its number, a message on the order's number and its own id. With
HOTLINE_INBOUND_SECRET set, every body must also be signed as our 回传 are (X-Wangge-Signature).
"""

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import BeforeValidator, PrivateAttr, field_validator, model_validator

from wangge.cases.models import Case, Status
from wangge.core.errors import DomainError
from wangge.core.schemas import ApiDateTime, BodyIn, read_body, validate_body
from wangge.core.web import AuthedRequest
from wangge.hotline import attachments, callback, messages, services

router = Router(tags=["12345热线"])


class Detail(Schema):
    detail: str


class SignatureInvalid(DomainError):
    status_code = 401


def _platform_bool(value: Any) -> Any:
    """Platforms write yes and no in words or digits: 是/否, 1/0, true/false."""
    words = {"是": True, "否": False, "1": True, "0": False}
    if isinstance(value, str) and value.strip() in words:
        return words[value.strip()]
    return value


PlatformBool = Annotated[bool, BeforeValidator(_platform_bool)]
ORDER_NO_PATTERN = r"^\s*[0-9A-Za-z_-]+\s*$"
MESSAGE_ID_PATTERN = r"^\s*[0-9A-Za-z_.:-]+\s*$"


class AttachmentIn(BodyIn):
    file_name: str = Field(..., min_length=1, max_length=120, description="文件名")
    mime_type: str = Field(
        ...,
        min_length=1,
        max_length=60,
        description="MIME 类型：image/jpeg、image/png、image/webp、image/gif（照片）；"
        "audio/mpeg、audio/wav、audio/ogg、audio/mp4（录音）",
    )
    content: str = Field(..., min_length=1, description="文件内容，Base64 编码")
    _file: attachments.PlatformFile | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _decoded(self) -> "AttachmentIn":
        self._file = attachments.decode_file(
            file_name=self.file_name, mime_type=self.mime_type, content=self.content
        )
        return self

    @property
    def file(self) -> attachments.PlatformFile:
        assert self._file is not None
        return self._file


def _files(items: list[AttachmentIn]) -> list[attachments.PlatformFile]:
    return [a.file for a in items]


def _counted(items: list[AttachmentIn]) -> list[AttachmentIn]:
    attachments.check_counts(_files(items))
    return items


class OrderIn(BodyIn):
    order_no: str = Field(
        ..., min_length=1, max_length=64, pattern=ORDER_NO_PATTERN, description="工单编号"
    )
    received_at: ApiDateTime | None = Field(None, description="来电/受理时间（无时区按北京时间）")
    caller_name: str = Field("", max_length=50, description="诉求人")
    caller_phone: str = Field("", max_length=20, description="诉求人手机号")
    content: str = Field(..., min_length=1, max_length=4000, description="诉求内容")
    address: str = Field("", max_length=200, description="诉求地址")
    category: str = Field("", max_length=60, description="分类编码或分类名称；无法识别时由系统推荐")
    category_name: str = Field("", max_length=120, description="平台问题分类名称（questionName）")
    title: str = Field("", max_length=120, description="工单标题；不填取诉求内容开头")
    order_type: Literal["", "咨询", "求助", "投诉", "建议", "举报", "表扬"] = Field(
        "", description="诉求类型"
    )
    urgency: Literal["", "一般", "紧急", "特急", "normal", "urgent", "emergency"] = Field(
        "", description="紧急程度"
    )
    deadline: ApiDateTime | None = Field(
        None, description="办理截止时间，作为事件的办理期限（优先于 handle_days）"
    )
    handle_days: float | None = Field(
        None, gt=0, le=services.MAX_HANDLE_DAYS, description="办理时限天数（无 deadline 时）"
    )
    handle_unit: Literal["", "工作日", "自然日"] = Field(
        "", description="办理时限单位：工作日（默认）或自然日"
    )
    street: str = Field(
        "", pattern=r"^(\d{9})?$", description="承办单位：9 位街道编码，地址无法定位时据此分拨"
    )
    is_secret: PlatformBool = Field(False, description="是否保密：诉求人信息仅街道分拨台可见")
    needs_reply: PlatformBool = Field(True, description="是否需要回复/回访；否则核查通过即结案")
    dispatch_advice: str = Field("", max_length=2000, description="派单意见/备注")
    attachments: list[AttachmentIn] = Field(
        [], max_length=12, description="附件：照片（最多 9 张）与通话录音（最多 3 段）"
    )

    _counts = field_validator("attachments")(_counted)


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
    "category_name": gettext_lazy("平台分类名称（category_name，最长 120 字）"),
    "title": gettext_lazy("工单标题（title，最长 120 字）"),
    "handle_days": gettext_lazy("办理时限天数（handle_days，大于 0、不超过 365 天）"),
    "handle_unit": gettext_lazy("办理时限单位（handle_unit：工作日/自然日）"),
    "is_secret": gettext_lazy("是否保密（is_secret：true/false 或 是/否）"),
    "needs_reply": gettext_lazy("是否需要回复（needs_reply：true/false 或 是/否）"),
    "dispatch_advice": gettext_lazy("派单意见（dispatch_advice，最长 2000 字）"),
    "attachments": gettext_lazy("附件（attachments：file_name、mime_type、Base64 的 content）"),
    "message_id": gettext_lazy("消息编号（message_id，字母、数字或 . _ : -，最长 64 位）"),
    "sent_at": gettext_lazy("发送时间（sent_at，ISO 8601 时间）"),
    "text": gettext_lazy("内容（text）"),
    "is_supervise": gettext_lazy("是否督办（is_supervise：true/false 或 是/否）"),
    "urge_order_num": gettext_lazy("催办单号（urge_order_num，最长 64 位）"),
    "issuer": gettext_lazy("催办单位（issuer，最长 60 字）"),
    "contacted": gettext_lazy("是否联系上诉求人（contacted：true/false 或 是/否）"),
    "visit_is_solved": gettext_lazy("问题是否解决（visit_is_solved：true/false 或 是/否）"),
    "satisfaction": gettext_lazy("满意度（satisfaction：满意/基本满意/不满意）"),
    "handler_contacted": gettext_lazy("承办人是否联系过诉求人（handler_contacted）"),
    "is_rehandle": gettext_lazy("是否重办（is_rehandle：true/false 或 是/否）"),
    "reason": gettext_lazy("撤单原因（reason，1–2000 字）"),
    "duplicate_order_no": gettext_lazy("重复件工单编号（duplicate_order_no）"),
    "result": gettext_lazy("批复结果（result：批准/不批准）"),
    "opinion": gettext_lazy("批复意见（opinion，最长 2000 字）"),
    "delivery_id": gettext_lazy("延期申请的回传编号（delivery_id）"),
}

OPENAPI_BODY = {
    "requestBody": {
        "content": {"application/json": {"schema": OrderIn.model_json_schema()}},
        "required": True,
    }
}


SchemaT = TypeVar("SchemaT", bound=BodyIn)


def _check_signature(request: HttpRequest) -> None:
    """With a shared secret set, the platform signs each body as we sign ours: HMAC-SHA256 of
    the exact bytes, hex, in X-Wangge-Signature as `sha256=<hex>`."""
    secret = settings.HOTLINE_INBOUND_SECRET
    if not secret:
        return
    signature = request.headers.get(callback.SIGNATURE_HEADER, "")
    if not signature or not callback.verify(request.body, secret, signature):
        raise SignatureInvalid(
            _("签名校验失败：请求头 %(h)s 须为请求体的 HMAC-SHA256 签名")
            % {"h": callback.SIGNATURE_HEADER}
        )


def _read(request: HttpRequest, schema: type[SchemaT], lead: str) -> tuple[SchemaT, dict[str, Any]]:
    _check_signature(request)
    body, _files = read_body(request)
    # Hotline systems send null for an empty field; treat it as absent.
    present = {k: v for k, v in body.items() if v is not None}
    return validate_body(schema, present, labels=FIELD_HINTS, lead=lead), body


def _parse(request: HttpRequest) -> tuple[OrderIn, dict[str, Any]]:
    return _read(request, OrderIn, _("工单参数不正确"))


def _unit(case: Case) -> str | None:
    if case.handling_node_id and case.handling_node:
        return case.handling_node.name
    return case.street.name if case.street_id and case.street else None


@router.post(
    "/orders",
    response={201: OrderOut, 200: OrderOut, 401: Detail, 403: Detail, 409: Detail, 422: Detail},
    openapi_extra=OPENAPI_BODY,
    summary="接收12345工单（重复推送返回同一事件）",
)
def receive_order(request: AuthedRequest) -> Reply[OrderOut]:
    user = request.user
    data, raw = _parse(request)
    fields = data.model_dump(exclude={"attachments"})
    receipt = services.hotline_order_receive(
        order=services.HotlineOrderInput(**fields, attachments=_files(data.attachments)),
        actor=user,
        raw=raw,
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


# --- the platform's messages about an order --------------------------------------------------


class MessageIn(BodyIn):
    order_no: str = Field(
        ..., min_length=1, max_length=64, pattern=ORDER_NO_PATTERN, description="工单编号"
    )
    message_id: str = Field(
        ...,
        min_length=1,
        max_length=64,
        pattern=MESSAGE_ID_PATTERN,
        description="平台为这条消息生成的编号；同一工单下重复推送同一编号只处理一次",
    )
    sent_at: ApiDateTime | None = Field(None, description="平台发出时间（不参与重复判断）")


class UrgeIn(MessageIn):
    text: str = Field(..., min_length=1, max_length=2000, description="催办/督办内容")
    is_supervise: PlatformBool = Field(False, description="true 为督办，false 为催办")
    urge_order_num: str = Field("", max_length=64, description="平台催办单号（或催办次数）")
    issuer: str = Field("", max_length=60, description="催办单位")


class VisitIn(MessageIn):
    contacted: PlatformBool = Field(True, description="回访是否联系上诉求人")
    visit_is_solved: PlatformBool | None = Field(None, description="问题是否解决")
    satisfaction: Literal["", "满意", "基本满意", "不满意"] = Field("", description="满意度")
    handler_contacted: PlatformBool | None = Field(None, description="承办人是否联系过诉求人")
    is_rehandle: PlatformBool = Field(False, description="是否要求重办")
    text: str = Field("", max_length=2000, description="回访记录")
    handle_days: float | None = Field(
        None, gt=0, le=services.MAX_HANDLE_DAYS, description="重办的办理时限天数"
    )
    handle_unit: Literal["", "工作日", "自然日"] = Field("", description="重办时限单位")
    deadline: ApiDateTime | None = Field(None, description="重办的办理截止时间")

    @model_validator(mode="after")
    def _answers(self) -> "VisitIn":
        if self.contacted and (not self.satisfaction or self.visit_is_solved is None):
            raise ValueError(
                _("联系上诉求人时须填写满意度（satisfaction）和问题是否解决（visit_is_solved）")
            )
        return self


class CancelIn(MessageIn):
    reason: str = Field(..., min_length=1, max_length=2000, description="撤单原因")


class SupplementIn(MessageIn):
    text: str = Field("", max_length=4000, description="补充诉求内容")
    duplicate_order_no: str = Field(
        "", max_length=64, pattern=r"^\s*[0-9A-Za-z_-]*\s*$", description="重复件的工单编号"
    )

    @model_validator(mode="after")
    def _something(self) -> "SupplementIn":
        if not self.text.strip() and not self.duplicate_order_no.strip():
            raise ValueError(
                _("补充内容（text）与重复件工单编号（duplicate_order_no）须至少填写一项")
            )
        return self


class AttachmentsIn(MessageIn):
    attachments: list[AttachmentIn] = Field(
        ..., min_length=1, max_length=12, description="照片（最多 9 张）与通话录音（最多 3 段）"
    )
    text: str = Field("", max_length=2000, description="说明")

    _counts = field_validator("attachments")(_counted)


class ExtensionReplyIn(MessageIn):
    result: Literal["批准", "不批准"] = Field(..., description="批复结果")
    deadline: ApiDateTime | None = Field(None, description="批准的办理截止时间（不填按申请）")
    opinion: str = Field("", max_length=2000, description="批复意见")
    delivery_id: int | None = Field(None, ge=1, description="所批复的延期申请的回传编号")


class MessageReceiptOut(Schema):
    order_no: str
    message_id: str
    kind: str
    kind_label: str
    case_id: int
    case_number: str
    outcome: str = Field(description="applied：已办理；recorded：事件状态不允许，已记入办理记录")
    outcome_label: str
    status: str
    status_label: str
    detail: str


MESSAGE_RESPONSES = {
    201: MessageReceiptOut,
    200: MessageReceiptOut,
    401: Detail,
    403: Detail,
    404: Detail,
    409: Detail,
    413: Detail,
    422: Detail,
}


def _openapi(schema: type[BodyIn]) -> dict[str, Any]:
    return {
        "requestBody": {
            "content": {"application/json": {"schema": schema.model_json_schema()}},
            "required": True,
        }
    }


def _answer(request: AuthedRequest, schema: type[SchemaT], build: Any) -> Reply[MessageReceiptOut]:
    data, _raw = _read(request, schema, _("消息参数不正确"))
    receipt = messages.platform_message_receive(message=build(data), actor=request.user)
    return Reply(201 if receipt.created else 200, MessageReceiptOut(**receipt.message.answer))


def _common(data: MessageIn) -> dict[str, Any]:
    return {"order_no": data.order_no, "message_id": data.message_id, "sent_at": data.sent_at}


@router.post(
    "/urges",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(UrgeIn),
    summary="催办 / 督办",
)
def receive_urge(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: UrgeIn) -> messages.Urge:
        return messages.Urge(
            **_common(d),
            text=d.text,
            is_supervise=d.is_supervise,
            urge_order_num=d.urge_order_num.strip(),
            issuer=d.issuer.strip(),
        )

    return _answer(request, UrgeIn, build)


@router.post(
    "/visits",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(VisitIn),
    summary="回访结果（不满意或要求重办时重办）",
)
def receive_visit(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: VisitIn) -> messages.Visit:
        return messages.Visit(
            **_common(d),
            contacted=d.contacted,
            visit_is_solved=d.visit_is_solved,
            satisfaction=d.satisfaction,
            handler_contacted=d.handler_contacted,
            is_rehandle=d.is_rehandle,
            text=d.text,
            handle_days=d.handle_days,
            handle_unit=d.handle_unit,
            deadline=d.deadline,
        )

    return _answer(request, VisitIn, build)


@router.post(
    "/cancellations",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(CancelIn),
    summary="撤单",
)
def receive_cancellation(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: CancelIn) -> messages.Cancel:
        return messages.Cancel(**_common(d), reason=d.reason)

    return _answer(request, CancelIn, build)


@router.post(
    "/supplements",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(SupplementIn),
    summary="补充诉求 / 重复件",
)
def receive_supplement(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: SupplementIn) -> messages.Supplement:
        return messages.Supplement(
            **_common(d), text=d.text, duplicate_order_no=d.duplicate_order_no.strip()
        )

    return _answer(request, SupplementIn, build)


@router.post(
    "/attachments",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(AttachmentsIn),
    summary="补充附件（照片、通话录音）",
)
def receive_attachments(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: AttachmentsIn) -> messages.Attachments:
        return messages.Attachments(**_common(d), attachments=_files(d.attachments), text=d.text)

    return _answer(request, AttachmentsIn, build)


@router.post(
    "/extension-replies",
    response=MESSAGE_RESPONSES,
    openapi_extra=_openapi(ExtensionReplyIn),
    summary="延期申请的批复（批准 / 不批准）",
)
def receive_extension_reply(request: AuthedRequest) -> Reply[MessageReceiptOut]:
    def build(d: ExtensionReplyIn) -> messages.ExtensionReply:
        return messages.ExtensionReply(
            **_common(d),
            approved=d.result == "批准",
            deadline=d.deadline,
            opinion=d.opinion,
            delivery_id=d.delivery_id,
        )

    return _answer(request, ExtensionReplyIn, build)
