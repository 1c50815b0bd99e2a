"""The register over JSON: masked lists and records, visits from the phone app, overdue visits."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from wangge.accounts.models import User
from wangge.core.schemas import ApiDateTime
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
def list_persons(request: HttpRequest, query: Query[ListQuery]) -> PersonPage:
    user: User = request.user  # type: ignore[assignment]
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
def get_person(request: HttpRequest, person_id: int) -> PersonOut:
    return person_out(selectors.access_person(request.user, person_id))  # type: ignore[arg-type]


class VisitIn(Schema):
    findings: str = Field(..., min_length=1, max_length=2000)
    follow_up: str = Field("", max_length=2000)
    follow_up_as_case: bool = False
    visited_at: ApiDateTime | None = None
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)


class VisitOut(Schema):
    id: int
    person_id: int
    visited_at: datetime
    case_id: int | None


@router.post(
    "/persons/{int:person_id}/visits",
    response={201: VisitOut, 403: Detail, 404: Detail, 422: Detail},
    summary="记录入户走访",
)
def create_visit(request: HttpRequest, person_id: int, body: VisitIn) -> Reply[VisitOut]:
    user: User = request.user  # type: ignore[assignment]
    person = selectors.access_person(user, person_id)
    visit = services.visit_record(
        actor=user,
        person=person,
        findings=body.findings,
        follow_up=body.follow_up,
        follow_up_as_case=body.follow_up_as_case,
        visited_at=body.visited_at,
        lon=body.lon,
        lat=body.lat,
    )
    return Reply(
        201,
        VisitOut(
            id=visit.pk, person_id=person.pk, visited_at=visit.visited_at, case_id=visit.case_id
        ),
    )


class OverdueOut(Schema):
    person: PersonOut
    every_days: int
    last_visit: date | None
    due_on: date


@router.get("/visits/overdue", response=list[OverdueOut], summary="逾期未走访")
def list_overdue(request: HttpRequest) -> list[OverdueOut]:
    rows = selectors.overdue_visits(request.user)  # type: ignore[arg-type]
    return [
        OverdueOut(
            person=person_out(o.person),
            every_days=o.every_days,
            last_visit=o.last_visit,
            due_on=o.due_on,
        )
        for o in rows
    ]
