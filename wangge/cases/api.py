from datetime import datetime
from typing import Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BaseModel

from wangge.accounts.models import User
from wangge.cases import selectors, services
from wangge.cases.listing import CaseListFilter
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Channel, Status
from wangge.cases.workflow import allowed_actions
from wangge.core import media
from wangge.core.errors import NotFound, ValidationFailed
from wangge.core.idempotency import request_key, run_once
from wangge.core.images import clean_images
from wangge.core.paging import COUNT_CAP, capped_count
from wangge.core.ratelimit import rate_limit
from wangge.core.schemas import ApiDateTime, BodyIn, body_doc, read_body, validate_body
from wangge.core.web import AuthedRequest
from wangge.grids.api import NodeRef
from wangge.grids.indexes import node_table
from wangge.grids.positions import CrsName, Latitude, Longitude

router = Router(tags=["事件"])


class Detail(Schema):
    detail: str


class ActionRefused(Schema):
    detail: str
    allowed: list[str]


class LocationIn(BodyIn):
    lon: Longitude
    lat: Latitude
    crs: CrsName = "wgs84"


class CaseIn(BodyIn):
    description: str = Field(..., min_length=1, max_length=4000, description="诉求内容")
    title: str = Field("", max_length=120)
    category: str = Field("", max_length=30, description="分类编码；不填则由系统推荐")
    location: LocationIn | None = None
    address: str = Field("", max_length=200)
    reporter_name: str = Field("", max_length=50)
    reporter_phone: str = Field("", max_length=20)
    channel: str = Field(Channel.RESIDENT, description="来源")
    external_id: str = Field("", max_length=64, description="外部系统编号，重复提交返回同一事件")
    urgency: Literal["", "normal", "urgent", "emergency"] = ""
    public_anonymous: bool = True
    public: bool = Field(False, description="公开到身边事（不含联系方式）")


# A case's answer and its parts (with grids.api.NodeRef) are plain pydantic models, built by
# pydantic's compiled validator from plain values (`case_out`). A ninja Schema's validation
# wraps each value in a getter made for reading model instances: built that way, or each part
# put together with model_construct (a Python loop over its fields), an intake's answer took
# longer than the compiled validator takes (docs/benchmarks.md).
class Named(BaseModel):
    code: str
    name: str


class CaseOut(BaseModel):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    status_text: str = Field(description="面向群众的状态说明")
    channel: str
    category: Named | None
    tier: str
    urgency: str
    grid_path: list[NodeRef]
    handling_node: NodeRef | None
    assignee: str | None
    due_at: datetime | None
    # True when the deadlines reach a year whose holiday arrangement is not loaded yet: they are
    # counted on plain weekdays and will be recounted when the year is imported.
    deadline_provisional: bool
    card: str
    supervised: bool
    routing_reason: str
    created_at: datetime


class PhotoOut(Schema):
    kind: str
    # Both links go through /media/, which checks the caller may see the case (session, or the
    # same Bearer key this answer was fetched with).
    url: str
    thumb_url: str
    width: int
    height: int


class AssistanceOut(Schema):
    department: str
    role: str
    state: str
    report: str


class CategorySuggestionOut(Schema):
    code: str
    name: str
    probability: float = Field(description="分类模型给出的概率（0–1）")


class CaseDetailOut(CaseOut):
    category_suggestions: list[CategorySuggestionOut] = Field(
        description="分类模型的前三个建议（按概率从高到低）；模型未评分的事件为空"
    )
    external_category: str = Field(description="来件方（如12345平台）自己的分类编码和名称")
    description: str
    address: str
    lon: float | None
    lat: float | None
    place_phrase: str = Field(
        description="位置推定依据：未给坐标、也未匹配到楼栋时，从地址或诉求内容中读出位置的原文"
        "（如“建设路与桐柏路交叉口东北角”）。非空时 lon/lat 是按这段文字推定的点，"
        "不是上报人所在或标出的位置；坐标由上报人给出或匹配到楼栋时为空"
    )
    reporter_name: str
    reporter_phone: str = Field(description="脱敏手机号")
    sign_due_at: datetime | None
    contact_due_at: datetime | None
    resolution: str
    satisfaction: str
    photos: list[PhotoOut]
    assistances: list[AssistanceOut]
    allowed_actions: list[str]
    parent_number: str | None


class EventOut(Schema):
    action: str
    action_label: str
    actor: str
    from_status: str
    to_status: str
    note: str
    data: dict[str, Any]
    photos: list[PhotoOut]
    created_at: datetime


class CasePage(Schema):
    count: int = Field(
        description=f"符合条件的事件数；超过 {COUNT_CAP} 条时为 {COUNT_CAP}，count_capped 为 true"
    )
    count_capped: bool = Field(
        False, description=f"为 true 时符合条件的事件多于 count（只计到 {COUNT_CAP} 条为止）"
    )
    page: int
    page_size: int
    results: list[CaseOut]


def _path(case: Case) -> list[dict[str, Any]]:
    by_code = node_table().by_code
    codes = [c for c in case.grid_path.split("/") if c]
    return [by_code[c].as_ref() for c in codes if c in by_code]


def case_out(case: Case, cls: type[CaseOut] = CaseOut, **extra: Any) -> Any:
    return cls.model_validate(
        {
            "id": case.pk,
            "number": case.number or "",
            "title": case.title,
            "status": case.status,
            "status_label": str(Status(case.status).label),
            "status_text": services.plain_status(case),
            "channel": case.channel,
            "category": (
                {"code": case.category.code, "name": case.category.name} if case.category else None
            ),
            "tier": case.tier,
            "urgency": case.urgency,
            "grid_path": _path(case),
            "handling_node": case.handling_node.as_ref() if case.handling_node else None,
            "assignee": case.assignee.name if case.assignee else None,
            "due_at": case.due_at,
            "deadline_provisional": case.deadline_provisional,
            "card": case.card,
            "supervised": case.supervised,
            "routing_reason": case.routing_reason,
            "created_at": case.created_at,
            **extra,
        }
    )


def _photo(a: CaseAttachment) -> PhotoOut:
    return PhotoOut(
        kind=a.kind,
        url=media.media_url(a.image),
        thumb_url=media.thumb_url(a),
        width=a.width,
        height=a.height,
    )


def detail_out(case: Case, user: User) -> CaseDetailOut:
    result: CaseDetailOut = case_out(
        case,
        CaseDetailOut,
        category_suggestions=[
            CategorySuggestionOut(
                code=s["code"], name=s["name"], probability=float(s["probability"])
            )
            for s in (case.category_suggestions or [])[:3]
        ],
        external_category=case.external_category,
        description=case.description,
        address=case.address,
        lon=case.lon,
        lat=case.lat,
        place_phrase=case.place_phrase,
        reporter_name=case.reporter_name,
        reporter_phone=case.reporter_phone_masked,
        sign_due_at=case.sign_due_at,
        contact_due_at=case.contact_due_at,
        resolution=case.resolution,
        satisfaction=case.satisfaction,
        photos=[_photo(a) for a in case.attachments.all()],
        assistances=[
            AssistanceOut(department=a.department.name, role=a.role, state=a.state, report=a.report)
            for a in case.assistances.select_related("department")
        ],
        allowed_actions=allowed_actions(case, user),
        parent_number=case.parent.number if case.parent_id and case.parent else None,
    )
    return result


STAFF_CHANNELS = {
    Channel.PATROL,
    Channel.HIGHER,
    Channel.VIDEO,
    Channel.RESIDENT,
    Channel.SNAPSHOT,
    Channel.ENTERPRISE,
    Channel.ASSISTANT,
}
PUBLIC_CHANNELS = {Channel.RESIDENT, Channel.SNAPSHOT, Channel.ENTERPRISE}

MULTIPART_DOC = {
    "requestBody": {
        "content": {
            "application/json": {"schema": CaseIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **{k: {"type": "string"} for k in CaseIn.model_fields},
                        "photos": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        },
                    },
                    "required": ["description"],
                }
            },
        },
        "required": True,
    }
}


@router.post(
    "",
    response={201: CaseOut, 200: CaseOut, 409: Detail, 422: Detail, 429: Detail},
    openapi_extra=MULTIPART_DOC,
    summary="上报事件（任一渠道）",
)
def create_case(request: AuthedRequest) -> Reply[CaseOut]:
    user = request.user
    payload, files = read_body(request)
    data: CaseIn = validate_body(CaseIn, payload)
    # Public channels need no role check (and no query): only staff channels ask who this is.
    if data.channel not in PUBLIC_CHANNELS and not (
        data.channel in STAFF_CHANNELS and user.is_grid_staff
    ):
        raise ValidationFailed(_("您不能以“%(c)s”渠道上报") % {"c": data.channel})
    if data.channel in PUBLIC_CHANNELS:
        rate_limit(request, "case_intake")
    photos = clean_images(files)
    external_id = data.external_id
    if external_id and data.channel in PUBLIC_CHANNELS:
        # A resident's app sends its own id so a report queued offline and retried is one case;
        # namespaced per person so nobody can collide with (or probe) someone else's report.
        external_id = f"u{user.pk}:{external_id}"[:64]
    case, created = services.case_intake(
        data=services.CaseInput(
            description=data.description,
            title=data.title,
            category_code=data.category,
            lon=data.location.lon if data.location else None,
            lat=data.location.lat if data.location else None,
            crs=data.location.crs if data.location else "wgs84",
            address=data.address,
            reporter_name=data.reporter_name,
            reporter_phone=data.reporter_phone,
            channel=data.channel,
            external_id=external_id,
            urgency=data.urgency,
            public_anonymous=data.public_anonymous,
            public=data.public,
        ),
        actor=user,
        photos=photos,
    )
    return Reply(201 if created else 200, case_out(case))


class PhotoKeyIn(BodyIn):
    key: str = Field(..., min_length=1, max_length=64, description="客户端为这张照片生成的编号")


@router.post(
    "/{int:case_id}/attachments",
    response={201: PhotoOut, 200: PhotoOut, 404: Detail, 409: Detail, 422: Detail},
    openapi_extra=body_doc(
        form={"key": "客户端为这张照片生成的编号"}, files=("photo",), form_required=("key",)
    ),
    summary="补传上报照片（上报人，上报后 1 小时内，每次一张）",
)
def add_report_photo(request: AuthedRequest, case_id: int) -> Reply[PhotoOut]:
    """The mini-program sends a report's photos after it, one a request (wx.uploadFile); a
    retried upload with the same key answers the photo stored first."""
    if not selectors.is_own_report(request.user, case_id):
        raise NotFound(_("事件不存在或无权查看"))
    fields, _photos = read_body(request, nested=False)
    data: PhotoKeyIn = validate_body(PhotoKeyIn, fields)
    uploads = request.FILES.getlist("photo")
    if len(uploads) != 1:
        raise ValidationFailed(_("请上传一张照片（字段 photo）"), field="photo")
    [clean] = clean_images(uploads)
    row, created = services.report_photo_add(
        case_id=case_id, actor=request.user, photo=clean, client_key=data.key
    )
    return Reply(201 if created else 200, _photo(row))


class ListQuery(Schema):
    """The list's parameters as the document shows them; they are read, as on the desk and in
    the export, by `cases.listing.CaseListFilter`."""

    status: str = Field("", description="状态，多个以逗号分隔；open 为全部在办，all 为全部")
    grid: str = Field("", description="网格编码（含下级）")
    category: str = Field("", description="分类编码（含下级）")
    channel: str = Field("", description="来源")
    overdue: str = Field("", description="1 / true：红牌超期；0 / false：未超期")
    created_from: str = Field("", description="受理时间自：日期（含当天）或时间")
    created_to: str = Field(
        "", description="受理时间至：日期（含当天，2026-11-01 含 11 月 1 日）或时间"
    )
    q: str = Field("", max_length=100, description="编号、电话尾号、地址、小区或姓名")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


@router.get("", response=CasePage, summary="事件列表（按管辖范围）")
def list_cases(request: AuthedRequest, query: Query[ListQuery]) -> CasePage:
    listed = CaseListFilter(request.GET)
    if not listed.is_valid():
        raise ValidationFailed(listed.first_error())
    qs = selectors.case_list(request.user, listed.case_filter())
    # Counted up to the cap: a city administrator's list is every case of the city, and an
    # exact COUNT of ten million rows for each page cost 1.5 s.
    count, capped = capped_count(qs)
    start = (query.page - 1) * query.page_size
    rows = list(qs[start : start + query.page_size])
    return CasePage(
        count=count,
        count_capped=capped,
        page=query.page,
        page_size=query.page_size,
        results=[case_out(c) for c in rows],
    )


@router.get("/{int:case_id}", response={200: CaseDetailOut, 404: Detail}, summary="事件详情")
def get_case(request: AuthedRequest, case_id: int) -> CaseDetailOut:
    user = request.user
    return detail_out(selectors.access_case(user, case_id), user)


def _event_out(e: CaseEvent) -> EventOut:
    return EventOut(
        action=e.action,
        action_label=e.label,
        actor=e.actor_label,
        from_status=e.from_status,
        to_status=e.to_status,
        note=e.note,
        data=e.data,
        photos=[_photo(a) for a in e.attachments.all()],
        created_at=e.created_at,
    )


@router.get(
    "/{int:case_id}/timeline", response={200: list[EventOut], 404: Detail}, summary="办理记录"
)
def get_timeline(request: AuthedRequest, case_id: int) -> list[EventOut]:
    case = selectors.access_case(request.user, case_id)
    return [_event_out(e) for e in selectors.timeline(case)]


class ActionIn(BodyIn):
    action: str = Field(..., description="动作，见详情中的 allowed_actions")
    note: str = Field("", max_length=2000)
    node: str = ""
    assignee: int | None = None
    parent: str = ""
    category: str = ""
    tier: str = ""
    lead: str = ""
    assist: list[str] = []
    department: str = ""
    until: ApiDateTime | None = None
    result: str = Field("", max_length=2000)
    reached: bool | None = None
    contacted: bool | None = None
    solved: bool | None = None
    satisfaction: str = ""
    unit: str = Field("", max_length=60, description="非网格事项转出（refer）的接收单位，选填")


@router.post(
    "/{int:case_id}/actions",
    response={
        200: CaseDetailOut,
        403: Detail,
        404: Detail,
        409: ActionRefused,
        422: Detail,
    },
    summary="办理动作（签收、办结、核查、回访……）",
    # JSON, or the field outbox's multipart form (the same fields, `assist` comma-separated,
    # photos): the body `core.schemas.read_body` reads.
    openapi_extra=body_doc(ActionIn, form=dict.fromkeys(ActionIn.model_fields, "同 JSON 字段")),
    description=(
        "带 `Idempotency-Key` 请求头（设备生成的 UUID）时，同一编号只办理一次："
        "重复提交返回第一次的应答（包括 409 等拒绝），不会再写一次。"
    ),
)
def act(request: AuthedRequest, case_id: int) -> Reply[Any]:
    user = request.user
    key = request_key(request)
    payload, files = read_body(request)
    if isinstance(payload.get("assist"), str):
        payload["assist"] = [a for a in payload["assist"].split(",") if a]
    data: ActionIn = validate_body(ActionIn, payload)
    params = data.model_dump(exclude={"action", "note"}, exclude_none=True)
    photos = clean_images(files)

    def work() -> tuple[int, CaseDetailOut]:
        case = services.case_act(
            case_id=case_id,
            actor=user,
            action=data.action,
            note=data.note,
            params=params,
            photos=photos,
        )
        return 200, detail_out(case, user)

    status, body = run_once(
        actor_id=user.pk, key=key, scope=f"case_act:{case_id}:{data.action}", work=work
    )
    return Reply(status, body)


class PhoneOut(Schema):
    phone: str


class RevealIn(Schema):
    purpose: str = Field(..., min_length=2, max_length=200, description="查看用途，记入审计")


@router.post(
    "/{int:case_id}/reporter-phone",
    response={200: PhoneOut, 403: Detail, 404: Detail},
    summary="查看诉求人完整电话（记入审计）",
)
def reporter_phone(request: AuthedRequest, case_id: int, body: RevealIn) -> PhoneOut:
    user = request.user
    case = selectors.access_case(user, case_id)
    return PhoneOut(
        phone=services.reveal_reporter_phone(
            case=case, actor=user, purpose=body.purpose, ip=request.META.get("REMOTE_ADDR")
        )
    )
