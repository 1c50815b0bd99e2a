"""共建单位 and 民生服务项目 over the JSON API. Money is whole fen (`*_fen`), never a float.

GET  /api/v1/partners/units                     units in scope with their resources (paged)
GET  /api/v1/partners/needs                     needs with their source (paged)
POST /api/v1/partners/needs                     {"source", "source_id"?, "node_id"?, "title"?}
GET  /api/v1/partners/projects                  projects with shares (paged)
POST /api/v1/partners/projects                  立项: {"need_id", "title", "total_fen",
                                                  "shares": [{"unit_id"|"node_id", "amount_fen"}]}
GET  /api/v1/partners/projects/{id}             one project, its shares and progress
PUT  /api/v1/partners/projects/{id}/funding     {"total_fen", "shares"}: replaced whole
POST /api/v1/partners/projects/{id}/advance     {"to_status", "note", "on"?, ...}
GET  /api/v1/partners/property?start=&end=      红色物业: per company, its compounds' case
                                                  figures beside the unit's
"""

from datetime import date, timedelta
from typing import Annotated

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import BaseModel

from wangge.cases.selectors import Kpi
from wangge.core.calendar import midnight
from wangge.core.paging import api_page
from wangge.core.schemas import ApiDate, PageInfo, PageQuery
from wangge.core.web import AuthedRequest
from wangge.partners import selectors, services
from wangge.partners.models import Need, PartnerUnit, Project

router = Router(tags=["共建单位与民生服务项目"])

MAX_FEN = 9_999_999_999
# Row numbers are 64-bit: a larger one is refused as input, never sent to the database.
MAX_ID = 2**63 - 1


class Detail(Schema):
    detail: str


class ResourceOut(Schema):
    id: int
    kind: str = Field(
        ...,
        description="venue 场地 / funds 资金 / volunteers 志愿者 / service 专业服务 / goods 物资",
    )
    description: str
    capacity: str
    active: bool


class UnitOut(Schema):
    id: int
    name: str
    kind: str = Field(
        ...,
        description="school 学校 / enterprise 企业 / institution 机关事业单位"
        " / property 物业服务企业 / social 社会组织 / other 其他",
    )
    node: str = Field(..., description="共建的街道或社区编码")
    contact_name: str
    contact_phone: str = Field(..., description="已脱敏")
    resources: list[ResourceOut]


class UnitPage(PageInfo):
    results: list[UnitOut]


def _unit(u: PartnerUnit) -> UnitOut:
    return UnitOut(
        id=u.pk,
        name=u.name,
        kind=u.kind,
        node=u.node.code,
        contact_name=u.contact_name,
        contact_phone=u.contact_phone_masked,
        resources=[
            ResourceOut(
                id=r.pk,
                kind=r.kind,
                description=r.description,
                capacity=r.capacity,
                active=r.is_active,
            )
            for r in u.resources.all()
        ],
    )


@router.get("/units", response={200: UnitPage, 403: Detail}, summary="共建单位（分页）")
def units(request: AuthedRequest, query: Query[PageQuery]) -> UnitPage:
    info, rows = api_page(request, selectors.units(request.user), query.page, query.page_size)
    return UnitPage(**info, results=[_unit(u) for u in rows])


class NeedOut(Schema):
    id: int
    title: str
    source: str = Field(
        ..., description="wish 微心愿 / topic 议事厅 / case 事件 / staff 工作人员登记"
    )
    source_id: int | None = Field(..., description="来源记录的编号（微心愿、议题或事件）")
    node: str
    projects: int


class NeedPage(PageInfo):
    results: list[NeedOut]


def _need(n: Need, projects: int = 0) -> NeedOut:
    return NeedOut(
        id=n.pk,
        title=n.title,
        source=n.source,
        source_id=n.wish_id or n.topic_id or n.case_id,
        node=n.node.code,
        projects=projects,
    )


@router.get("/needs", response={200: NeedPage, 403: Detail}, summary="社区需求（分页）")
def needs(request: AuthedRequest, query: Query[PageQuery]) -> NeedPage:
    info, rows = api_page(request, selectors.needs(request.user), query.page, query.page_size)
    return NeedPage(**info, results=[_need(n, n.project_count) for n in rows])


class NeedIn(BaseModel):
    source: str = Field(..., description="wish / topic / case / staff")
    source_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="来源记录编号（staff 以外必填）"
    )
    node_id: int | None = Field(None, ge=1, le=MAX_ID, description="工作人员登记时的网格")
    title: str = Field("", max_length=100)
    detail: str = Field("", max_length=1000)


@router.post(
    "/needs",
    response={201: NeedOut, 403: Detail, 409: Detail, 422: Detail},
    summary="登记社区需求（来自微心愿、议事厅、事件或工作人员登记）",
)
def need_create(request: AuthedRequest, body: NeedIn) -> Reply[NeedOut]:
    need = services.need_create(
        actor=request.user,
        data=services.NeedInput(
            source=body.source,
            source_id=body.source_id,
            node_id=body.node_id,
            title=body.title,
            detail=body.detail,
        ),
    )
    return Reply(201, _need(need))


class ShareIn(BaseModel):
    unit_id: int | None = Field(None, ge=1, le=MAX_ID, description="出资的共建单位")
    node_id: int | None = Field(None, ge=1, le=MAX_ID, description="或：出资的社区/街道本级")
    amount_fen: int = Field(..., ge=1, le=MAX_FEN, description="出资（分）")


class FundingIn(BaseModel):
    total_fen: int = Field(..., ge=1, le=MAX_FEN, description="项目总额（分）")
    shares: list[ShareIn] = Field(..., max_length=20, description="各方出资，合计须等于总额")


class ProjectIn(FundingIn):
    need_id: int = Field(..., ge=1, le=MAX_ID)
    title: str = Field(..., max_length=100)
    resource_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field([], max_length=50)
    residents_served: int = Field(0, ge=0, le=2_000_000_000)
    households_served: int | None = Field(None, ge=0, le=2_000_000_000)


class ShareOut(Schema):
    funder: str
    unit_id: int | None
    node_id: int | None
    amount_fen: int


class NoteOut(Schema):
    on: date
    note: str
    to_status: str
    by: str


class ProjectOut(Schema):
    id: int
    title: str
    need_id: int
    node: str
    status: str = Field(..., description="planned 立项 / in_progress 实施中 / completed 已完成")
    total_fen: int
    shares: list[ShareOut]
    residents_served: int
    households_served: int | None
    started_on: date | None
    completed_on: date | None


class ProjectDetailOut(ProjectOut):
    resource_ids: list[int]
    progress: list[NoteOut]


class ProjectPage(PageInfo):
    results: list[ProjectOut]


def _project(p: Project) -> dict[str, object]:
    return {
        "id": p.pk,
        "title": p.title,
        "need_id": p.need_id,
        "node": p.node.code,
        "status": p.status,
        "total_fen": p.total_fen,
        "shares": [
            ShareOut(
                funder=s.funder_name, unit_id=s.unit_id, node_id=s.node_id, amount_fen=s.amount_fen
            )
            for s in p.shares.all()
        ],
        "residents_served": p.residents_served,
        "households_served": p.households_served,
        "started_on": p.started_on,
        "completed_on": p.completed_on,
    }


def _detail(user: object, project_id: int) -> ProjectDetailOut:
    p = selectors.access_project(user, project_id)  # type: ignore[arg-type]
    return ProjectDetailOut(
        **_project(p),  # type: ignore[arg-type]
        resource_ids=sorted(r.pk for r in p.resources.all()),
        progress=[
            NoteOut(on=n.on, note=n.note, to_status=n.to_status, by=n.by.name)
            for n in p.notes.select_related("by").order_by("on", "pk")
        ],
    )


def _shares(body: FundingIn) -> tuple[services.ShareInput, ...]:
    return tuple(
        services.ShareInput(amount_fen=s.amount_fen, unit_id=s.unit_id, node_id=s.node_id)
        for s in body.shares
    )


@router.get("/projects", response={200: ProjectPage, 403: Detail}, summary="民生服务项目（分页）")
def projects(request: AuthedRequest, query: Query[PageQuery]) -> ProjectPage:
    info, rows = api_page(request, selectors.projects(request.user), query.page, query.page_size)
    return ProjectPage(**info, results=[ProjectOut(**_project(p)) for p in rows])  # type: ignore[arg-type]


@router.post(
    "/projects",
    response={201: ProjectDetailOut, 403: Detail, 409: Detail, 422: Detail},
    summary="民生服务项目立项（两方以上筹资，合计等于总额）",
)
def project_create(request: AuthedRequest, body: ProjectIn) -> Reply[ProjectDetailOut]:
    project = services.project_create(
        actor=request.user,
        data=services.ProjectInput(
            need_id=body.need_id,
            title=body.title,
            total_fen=body.total_fen,
            shares=_shares(body),
            resource_ids=tuple(body.resource_ids),
            residents_served=body.residents_served,
            households_served=body.households_served,
        ),
    )
    return Reply(201, _detail(request.user, project.pk))


@router.get(
    "/projects/{int:project_id}", response={200: ProjectDetailOut, 404: Detail}, summary="项目"
)
def project(request: AuthedRequest, project_id: int) -> ProjectDetailOut:
    return _detail(request.user, project_id)


@router.put(
    "/projects/{int:project_id}/funding",
    response={200: ProjectDetailOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="修改项目总额和各方出资（整体替换）",
)
def project_fund(request: AuthedRequest, project_id: int, body: FundingIn) -> ProjectDetailOut:
    selectors.access_project(request.user, project_id)
    services.project_fund(
        actor=request.user, project_id=project_id, total_fen=body.total_fen, shares=_shares(body)
    )
    return _detail(request.user, project_id)


class AdvanceIn(BaseModel):
    to_status: str = Field(..., description="in_progress 实施中 / completed 已完成")
    note: str = Field(..., max_length=300)
    on: ApiDate | None = None
    residents_served: int | None = Field(None, ge=0, le=2_000_000_000)
    households_served: int | None = Field(None, ge=0, le=2_000_000_000)


@router.post(
    "/projects/{int:project_id}/advance",
    response={200: ProjectDetailOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="项目进展：立项 → 实施中 → 已完成",
)
def project_advance(request: AuthedRequest, project_id: int, body: AdvanceIn) -> ProjectDetailOut:
    selectors.access_project(request.user, project_id)
    services.project_advance(
        actor=request.user,
        project_id=project_id,
        to_status=body.to_status,
        note=body.note,
        on=body.on,
        residents_served=body.residents_served,
        households_served=body.households_served,
    )
    return _detail(request.user, project_id)


class PeriodQuery(Schema):
    start: ApiDate | None = Field(None, description="开始日期，默认今年 1 月 1 日")
    end: ApiDate | None = Field(None, description="结束日期（含），默认今天")


class KpiOut(Schema):
    name: str
    received: int = Field(..., description="期内受理事件")
    due: int
    closed: int
    followups: int
    completion_rate: float | None
    response_rate: float | None
    resolution_rate: float | None
    satisfaction_rate: float | None


class PropertyOut(Schema):
    unit_id: int
    name: str
    compounds: list[str]
    compounds_figures: KpiOut
    grid_figures: KpiOut


def _kpi(k: Kpi, received: int) -> KpiOut:
    return KpiOut(
        name=k.name,
        received=received,
        due=k.due,
        closed=k.closed,
        followups=k.followups,
        completion_rate=k.completion_rate,
        response_rate=k.response_rate,
        resolution_rate=k.resolution_rate,
        satisfaction_rate=k.satisfaction_rate,
    )


class PropertyPage(PageInfo):
    results: list[PropertyOut]


@router.get(
    "/property",
    response={200: PropertyPage, 403: Detail, 422: Detail},
    summary="红色物业：所管小区的事件办理与社区整体并列（分页）",
)
def property_figures(
    request: AuthedRequest, query: Query[PeriodQuery], paging: Query[PageQuery]
) -> PropertyPage:
    today = timezone.localdate()
    start = query.start or today.replace(month=1, day=1)
    end = query.end or today
    rows = selectors.property_figures(
        request.user, midnight(start), midnight(end + timedelta(days=1))
    )
    info, page = api_page(request, rows, paging.page, paging.page_size)
    return PropertyPage(
        **info,
        results=[
            PropertyOut(
                unit_id=r.unit.pk,
                name=r.unit.name,
                compounds=[n.code for n in r.compounds],
                compounds_figures=_kpi(r.own, r.received),
                grid_figures=_kpi(r.grid, r.received_grid),
            )
            for r in page
        ],
    )
