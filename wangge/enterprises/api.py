"""企业服务 over JSON: an enterprise's profile, its policy matches with reasons, its requests."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from wangge.accounts.models import User
from wangge.core.paging import api_page
from wangge.core.schemas import PageInfo, PageQuery
from wangge.core.web import AuthedRequest
from wangge.enterprises import selectors, services
from wangge.enterprises.models import Enterprise, EnterpriseRequest

router = Router(tags=["企业服务"])


class Detail(Schema):
    detail: str


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    industry: str
    size: str
    founded_on: date | None
    revenue_band: str
    headcount: int | None
    tags: list[str]
    address: str
    micro_grid: str | None = Field(None, description="微网格编码")
    exclusive_grid: str | None = Field(None, description="专属网格编码")
    contact_name: str
    contact_phone: str = Field(..., description="脱敏联系电话")


def enterprise_out(e: Enterprise) -> EnterpriseOut:
    return EnterpriseOut(
        id=e.pk,
        name=e.name,
        uscc=e.uscc,
        industry=e.industry,
        size=e.size,
        founded_on=e.founded_on,
        revenue_band=e.revenue_band,
        headcount=e.headcount,
        tags=list(e.tags or []),
        address=e.address,
        micro_grid=e.micro_grid.code if e.micro_grid else None,
        exclusive_grid=e.exclusive_grid.code if e.exclusive_grid else None,
        contact_name=e.contact_name,
        contact_phone=e.masked_phone,
    )


@router.get("/{int:enterprise_id}", response={200: EnterpriseOut, 404: Detail}, summary="企业档案")
def get_enterprise(request: AuthedRequest, enterprise_id: int) -> EnterpriseOut:
    user: User = request.user
    return enterprise_out(selectors.access_enterprise(user, enterprise_id))


class PolicyRef(Schema):
    id: int
    title: str
    issuer: str
    benefit: str
    deadline: date | None
    apply_url: str
    auto_grant: bool = Field(..., description="免申即享")
    version: int


class CheckOut(Schema):
    key: str = Field(..., description="条件类型")
    label: str
    status: Literal["pass", "fail", "unknown"]
    reason: str = Field(..., description="中文说明；unknown 为“待确认”")


class MatchOut(Schema):
    policy: PolicyRef
    status: Literal["qualified", "not_qualified", "pending"]
    status_label: str
    checks: list[CheckOut]


@router.get(
    "/{int:enterprise_id}/policies",
    response={200: list[MatchOut], 404: Detail},
    summary="惠企政策匹配结果（逐条说明原因）",
)
def list_policies(request: AuthedRequest, enterprise_id: int) -> list[MatchOut]:
    user: User = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    return [
        MatchOut(
            policy=PolicyRef(
                id=p.pk,
                title=p.title,
                issuer=p.issuer,
                benefit=p.benefit,
                deadline=p.deadline,
                apply_url=p.apply_url,
                auto_grant=p.auto_grant,
                version=p.version,
            ),
            status=m.status,  # type: ignore[arg-type]
            status_label=m.status_label,
            checks=[
                CheckOut(key=c.key, label=c.label, status=c.status, reason=c.reason)  # type: ignore[arg-type]
                for c in m.checks
            ],
        )
        for p, m in selectors.policy_matches(e)
    ]


class RequestIn(Schema):
    kind: Literal["help", "consult", "complaint", "suggestion"] = "help"
    description: str = Field(..., min_length=1, max_length=services.MAX_REQUEST)


class RequestOut(Schema):
    id: int
    kind: str
    case_id: int
    case_number: str
    status: str
    routing_reason: str
    created_at: datetime


class RequestPage(PageInfo):
    results: list[RequestOut]


def request_out(r: EnterpriseRequest) -> RequestOut:
    return RequestOut(
        id=r.pk,
        kind=r.kind,
        case_id=r.case_id,
        case_number=r.case.number or "",
        status=r.case.status,
        routing_reason=r.case.routing_reason,
        created_at=r.created_at,
    )


@router.post(
    "/{int:enterprise_id}/requests",
    response={201: RequestOut, 403: Detail, 404: Detail, 422: Detail},
    summary="提交企业诉求（生成事件并派单）",
)
def create_request(
    request: AuthedRequest, enterprise_id: int, body: RequestIn
) -> Reply[RequestOut]:
    user: User = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    r = services.enterprise_request_submit(
        actor=user, enterprise=e, kind=body.kind, description=body.description
    )
    return Reply(201, request_out(r))


@router.get(
    "/{int:enterprise_id}/requests",
    response={200: RequestPage, 404: Detail},
    summary="企业诉求及办理状态（分页）",
)
def list_requests(
    request: AuthedRequest, enterprise_id: int, query: Query[PageQuery]
) -> RequestPage:
    user: User = request.user
    e = selectors.access_enterprise(user, enterprise_id)
    info, rows = api_page(request, selectors.requests_of(e), query.page, query.page_size)
    return RequestPage(**info, results=[request_out(r) for r in rows])
