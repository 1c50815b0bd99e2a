"""The register over JSON: masked lists and records, visits from the phone app, overdue visits."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from wangge.core.idempotency import request_key, run_once
from wangge.core.images import clean_images
from wangge.core.paging import api_page
from wangge.core.schemas import (
    ApiDateTime,
    BodyIn,
    PageInfo,
    PageQuery,
    body_doc,
    read_body,
    validate_body,
)
from wangge.core.web import AuthedRequest
from wangge.residents import selectors, services
from wangge.residents.models import Person

router = Router(tags=["网格提户知人"])


class Detail(Schema):
    detail: str


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: date
    id_number: str = Field(..., description="脱敏身份证号")
    phone: str = Field(..., description="脱敏联系电话")
    relation: str
    residence: str
    building: str
    room: str
    is_present: bool
    groups: list[str]


class PersonPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[PersonOut]


def person_out(p: Person) -> PersonOut:
    return PersonOut(
        id=p.pk,
        name=p.name,
        gender=p.gender,
        birth_date=p.birth_date,
        id_number=p.id_number_masked,
        phone=p.masked_phone,
        relation=p.relation,
        residence=p.residence,
        building=p.household.building.code,
        room=p.household.room,
        is_present=p.is_present,
        groups=[t.group for t in p.tags.all() if t.is_active],
    )


class ListQuery(Schema):
    q: str = Field("", max_length=50)
    grid: str = Field("", description="网格编码（含下级）")
    building: str = ""
    residence: str = ""
    group: str = ""
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


@router.get("/persons", response=PersonPage, summary="人员列表（脱敏，按管辖范围）")
def list_persons(request: AuthedRequest, query: Query[ListQuery]) -> PersonPage:
    user = request.user
    qs = selectors.person_list(
        user,
        selectors.PersonFilter(
            q=query.q,
            grid=query.grid,
            building=query.building,
            residence=query.residence,
            group=query.group,
        ),
    )
    start = (query.page - 1) * query.page_size
    rows = qs.prefetch_related("tags")[start : start + query.page_size]
    return PersonPage(
        count=qs.count(),
        page=query.page,
        page_size=query.page_size,
        results=[person_out(p) for p in rows],
    )


@router.get("/persons/{int:person_id}", response={200: PersonOut, 404: Detail}, summary="人员")
def get_person(request: AuthedRequest, person_id: int) -> PersonOut:
    return person_out(selectors.access_person(request.user, person_id))


class VisitIn(BodyIn):
    findings: str = Field(..., min_length=1, max_length=2000)
    follow_up: str = Field("", max_length=2000)
    follow_up_as_case: bool = False
    visited_at: ApiDateTime | None = None
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    wish: str = Field("", max_length=100)
    wish_detail: str = Field("", max_length=2000)


class VisitOut(Schema):
    id: int
    person_id: int
    visited_at: datetime
    case_id: int | None


def _visit_in(request: HttpRequest) -> VisitIn:
    """JSON, or the phone's multipart form (fields plus `photos`); an empty field is absent."""
    data, _photos = read_body(request, nested=False, blank_is_absent=True)
    return validate_body(VisitIn, data)


@router.post(
    "/persons/{int:person_id}/visits",
    response={201: VisitOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="记录入户走访",
    description=(
        "JSON，或 multipart/form-data（字段同上，照片 photos）。visited_at 为在门口记录的时间"
        "（离线排队后补发时由手机带上）。带 `Idempotency-Key` 请求头时同一走访只记录一次。"
    ),
    openapi_extra=body_doc(
        VisitIn,
        form=dict.fromkeys(VisitIn.model_fields, "同 JSON 字段"),
        form_required=("findings",),
    ),
)
def create_visit(request: AuthedRequest, person_id: int) -> Reply[Any]:
    user = request.user
    key = request_key(request)
    body = _visit_in(request)
    person = selectors.access_person(user, person_id)
    photos = clean_images(request.FILES.getlist("photos"))

    def work() -> tuple[int, VisitOut]:
        visit = services.visit_record_with_wish(
            actor=user,
            person=person,
            findings=body.findings,
            follow_up=body.follow_up,
            follow_up_as_case=body.follow_up_as_case,
            visited_at=body.visited_at,
            lon=body.lon,
            lat=body.lat,
            photos=photos,
            wish=body.wish,
            wish_detail=body.wish_detail,
        )
        return 201, VisitOut(
            id=visit.pk, person_id=person.pk, visited_at=visit.visited_at, case_id=visit.case_id
        )

    status, answer = run_once(actor_id=user.pk, key=key, scope=f"visit:{person_id}", work=work)
    return Reply(status, answer)


class OverdueOut(Schema):
    person: PersonOut
    every_days: int
    last_visit: date | None
    due_on: date


class OverduePage(PageInfo):
    results: list[OverdueOut]


@router.get("/visits/overdue", response=OverduePage, summary="逾期未走访（分页）")
def list_overdue(request: AuthedRequest, query: Query[PageQuery]) -> OverduePage:
    info, rows = api_page(
        request,
        selectors.overdue_visits(request.user),
        query.page,
        query.page_size,
    )
    results = [
        OverdueOut(
            person=person_out(o.person),
            every_days=o.every_days,
            last_visit=o.last_visit,
            due_on=o.due_on,
        )
        for o in rows
    ]
    return OverduePage(**info, results=results)
