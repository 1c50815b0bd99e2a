"""红色厨房 over the JSON API.

GET  /api/v1/kitchen/plans?day=YYYY-MM-DD      the day's plans in scope (staff), with counts
GET  /api/v1/kitchen/rounds?day=YYYY-MM-DD     the deliverer's plans of the day and their meals
GET  /api/v1/kitchen/plans/{id}                one plan and its meals (staff of its grid or
                                                 its deliverers)
POST /api/v1/kitchen/deliveries/{id}           {"outcome", "at"?, "note"?, "confirm"?} at the
                                                 door; with `Idempotency-Key` recorded once; a
                                                 recorded outcome changes only with confirm
GET  /api/v1/kitchen/alerts?open=true          meals not taken and whether the visit was made
GET  /api/v1/kitchen/figures?grid=&month=      the month per community
"""

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply

from wangge.core.errors import ValidationFailed
from wangge.core.idempotency import request_key, run_once
from wangge.core.paging import api_page
from wangge.core.schemas import (
    ApiDate,
    ApiDateTime,
    BodyIn,
    PageInfo,
    PageQuery,
    body_doc,
    read_body,
    validate_body,
)
from wangge.core.web import AuthedRequest
from wangge.kitchen import selectors, services
from wangge.kitchen.models import Delivery, MealPlan, Outcome

router = Router(tags=["红色厨房"])


class Detail(Schema):
    detail: str


class DayQuery(Schema):
    day: ApiDate | None = Field(None, description="日期，默认今天")


class DeliveryOut(Schema):
    id: int
    plan_id: int
    person: str = Field(..., description="老人姓名")
    address: str
    diet: str = Field(..., description="饮食注意")
    outcome: str = Field(
        ..., description="pending 待送 / delivered 已送达 / not_home 不在家 / refused 拒收"
    )
    recorded_at: datetime | None
    alert: bool = Field(..., description="已发出未送达提醒")


class PlanOut(Schema):
    id: int
    kitchen: str
    grid: str
    day: date
    meal: str
    window_start: datetime
    window_end: datetime
    menu: str
    closed: bool
    task_id: int | None


class PlanCountsOut(PlanOut):
    total: int
    delivered: int
    pending: int
    missed: int


class PlanDetailOut(PlanOut):
    deliveries: list[DeliveryOut]


def _plan(plan: MealPlan) -> dict[str, object]:
    return {
        "id": plan.pk,
        "kitchen": plan.kitchen.name,
        "grid": plan.grid.name,
        "day": plan.day,
        "meal": plan.meal,
        "window_start": plan.window_start,
        "window_end": plan.window_end,
        "menu": plan.menu,
        "closed": plan.closed_at is not None,
        "task_id": plan.task_id,
    }


def _delivery(d: Delivery) -> DeliveryOut:
    person = d.enrolment.person
    return DeliveryOut(
        id=d.pk,
        plan_id=d.plan_id,
        person=person.name,
        address=selectors.home_address(person),
        diet=d.enrolment.diet,
        outcome=d.outcome,
        recorded_at=d.recorded_at,
        alert=hasattr(d, "alert"),
    )


class DayPageQuery(PageQuery):
    day: ApiDate | None = Field(None, description="日期，默认今天")


class PlanPage(PageInfo):
    results: list[PlanCountsOut]


@router.get("/plans", response={200: PlanPage, 403: Detail}, summary="当日送餐计划（分页）")
def plans(request: AuthedRequest, query: Query[DayPageQuery]) -> PlanPage:
    selectors.require_staff(request.user)
    info, rows = api_page(
        request,
        selectors.plans_of_day(request.user, query.day or timezone.localdate()),
        query.page,
        query.page_size,
    )
    return PlanPage(
        **info,
        results=[
            PlanCountsOut(
                **_plan(p),  # type: ignore[arg-type]
                total=p.total,
                delivered=p.delivered,
                pending=p.pending,
                missed=p.missed,
            )
            for p in rows
        ],
    )


@router.get("/rounds", response=list[PlanDetailOut], summary="我今天的送餐名单（送餐志愿者）")
def rounds(request: AuthedRequest, query: Query[DayQuery]) -> list[PlanDetailOut]:
    day = query.day or timezone.localdate()
    return [
        PlanDetailOut(
            **_plan(p),  # type: ignore[arg-type]
            deliveries=[_delivery(d) for d in selectors.deliveries(p)],
        )
        for p in selectors.my_rounds(request.user, day)
    ]


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, 404: Detail}, summary="送餐计划")
def plan(request: AuthedRequest, plan_id: int) -> PlanDetailOut:
    found = selectors.access_plan(request.user, plan_id)
    return PlanDetailOut(
        **_plan(found),  # type: ignore[arg-type]
        deliveries=[_delivery(d) for d in selectors.deliveries(found)],
    )


class DeliveryIn(BodyIn):
    outcome: str = Field(..., description="delivered / not_home / refused")
    at: ApiDateTime | None = Field(None, description="在门口记录的时间（离线补发时由手机带上）")
    note: str = Field("", max_length=200)
    confirm: bool = Field(
        False,
        description="更改已记录的结果时须为 true（已发出的提醒会随之撤销或重新发出）；否则 409",
    )


def _delivery_in(request: HttpRequest) -> DeliveryIn:
    """JSON, or the phone's form (the outbox sends what the page's form holds); an input left
    empty is absent."""
    data, _photos = read_body(request, nested=False, blank_is_absent=True)
    return validate_body(DeliveryIn, data)


@router.post(
    "/deliveries/{int:delivery_id}",
    response={200: DeliveryOut, 404: Detail, 409: Detail, 422: Detail},
    summary="记录送餐结果（已送达 / 不在家 / 拒收）",
    description=(
        "不在家、拒收立即提醒网格员当天上门并告知紧急联系人。带 `Idempotency-Key` 请求头时"
        "同一条记录只写一次（离线排队后补发安全）。已记录的结果只有带 `confirm: true` 才能更改，"
        "否则答 409 并说明已发出的提醒。"
    ),
    openapi_extra=body_doc(
        DeliveryIn,
        form=dict.fromkeys(DeliveryIn.model_fields, "同 JSON 字段"),
        files=(),
        form_required=("outcome",),
    ),
)
def record(request: AuthedRequest, delivery_id: int) -> Reply[object]:
    user = request.user
    key = request_key(request)
    body = _delivery_in(request)
    if body.outcome not in Outcome.values or body.outcome == Outcome.PENDING:
        raise ValidationFailed(_("请选择已送达、不在家或拒收"), field="outcome")

    def work() -> tuple[int, DeliveryOut]:
        d = services.delivery_record(
            actor=user,
            delivery_id=delivery_id,
            outcome=body.outcome,
            at=body.at,
            note=body.note,
            confirm=body.confirm,
        )
        return 200, _delivery(
            Delivery.objects.select_related("enrolment__person__household__building", "alert").get(
                pk=d.pk
            )
        )

    status, answer = run_once(actor_id=user.pk, key=key, scope=f"meal:{delivery_id}", work=work)
    return Reply(status, answer)


class AlertQuery(PageQuery):
    open: bool = Field(False, description="只看尚未走访的")


class AlertOut(Schema):
    id: int
    person_id: int
    person: str
    address: str
    reason: str
    raised_at: datetime
    visit_due: datetime
    worker: str
    contact_told: bool
    visited: bool
    withdrawn: bool


class AlertPage(PageInfo):
    results: list[AlertOut]


@router.get("/alerts", response={200: AlertPage, 403: Detail}, summary="助餐异常提醒（分页）")
def alerts(request: AuthedRequest, query: Query[AlertQuery]) -> AlertPage:
    info, rows = api_page(
        request,
        selectors.alerts(request.user, open_only=query.open),
        query.page,
        query.page_size,
    )
    return AlertPage(
        **info,
        results=[
            AlertOut(
                id=a.pk,
                person_id=a.person_id,
                person=a.person.name,
                address=selectors.home_address(a.person),
                reason=a.reason,
                raised_at=a.raised_at,
                visit_due=a.visit_due,
                worker=a.worker.name if a.worker else "",
                contact_told=a.contact_told_at is not None,
                visited=a.visited,
                withdrawn=a.withdrawn_at is not None,
            )
            for a in rows
        ],
    )


class FiguresQuery(Schema):
    grid: str = Field("", max_length=32, description="网格编码；不填为本人负责的最高一级")
    month: ApiDate | None = Field(None, description="该月任一天，默认本月")


class MonthRowOut(Schema):
    code: str
    name: str
    enrolled: int
    meals: int
    delivered: int
    not_home: int
    refused: int
    not_delivered: int
    alerts: int
    visited_same_day: int
    delivered_rate: float | None


class MonthOut(Schema):
    month: date
    unit: MonthRowOut
    rows: list[MonthRowOut]


def _row(r: selectors.MonthRow) -> MonthRowOut:
    return MonthRowOut(
        code=r.code,
        name=r.name,
        enrolled=r.enrolled,
        meals=r.meals,
        delivered=r.delivered,
        not_home=r.not_home,
        refused=r.refused,
        not_delivered=r.not_delivered,
        alerts=r.alerts,
        visited_same_day=r.visited_same_day,
        delivered_rate=r.delivered_rate,
    )


@router.get("/figures", response={200: MonthOut, 403: Detail, 404: Detail}, summary="助餐月度统计")
def figures(request: AuthedRequest, query: Query[FiguresQuery]) -> MonthOut:
    node = selectors.report_unit(request.user, query.grid)
    report = selectors.month_figures(request.user, node, query.month or timezone.localdate())
    return MonthOut(month=report.month, unit=_row(report.unit), rows=[_row(r) for r in report.rows])
