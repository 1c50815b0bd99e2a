"""志愿服务 over JSON: browse, 抢任务, waitlist, check-in/out, and the organiser's side."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Path, Query, Router, Schema
from ninja import Status as Reply

from wangge.core.errors import NotFound
from wangge.core.paging import api_page
from wangge.core.schemas import ApiDateTime, PageInfo, PageQuery
from wangge.core.web import AuthedRequest
from wangge.points.models import EarningRule
from wangge.volunteering import presence, selectors, services
from wangge.volunteering.models import SignUp, Task

router = Router(tags=["志愿服务"])
# Ids the database can hold: a larger one is an unknown task, not a server error.
MAX_ID = 2**63 - 1
TaskId = Annotated[int, Path(ge=1, le=MAX_ID, description="任务编号")]
SignUpId = Annotated[int, Path(ge=1, le=MAX_ID, description="报名编号")]


class Detail(Schema):
    detail: str


class TaskOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    publisher_kind: str
    publisher_name: str
    category: str
    category_label: str
    place: str
    lon: float
    lat: float
    grid_code: str
    starts_at: datetime
    ends_at: datetime
    slots: int
    taken: int
    free_slots: int
    skills: str
    circle_tag: str
    points_rule: str
    points_rule_label: str
    points: int | None = Field(None, description="按规则每小时或每人可得的活力值")
    checkin_method: str
    geofence_m: int
    status: str
    status_label: str
    distance_m: float | None = None


class SignUpOut(Schema):
    id: int
    task_id: TaskId
    status: str
    status_label: str
    created_at: datetime
    recorded_hours: Decimal
    hours_status: str
    hours_status_label: str
    hours: Decimal | None
    points: int


class TaskDetailOut(TaskOut):
    description: str
    my_signup: SignUpOut | None = None


class CheckInOut(Schema):
    id: int
    method: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    auto_closed: bool


class RosterRow(SignUpOut):
    name: str
    phone: str = Field(description="脱敏手机号")
    checkins: list[CheckInOut]
    hours_note: str


def _task_out(
    task: Task, distance: float | None = None, rules: dict[str, EarningRule] | None = None
) -> TaskOut:
    rule = selectors.earning_rule_for(task, rules)
    return TaskOut(
        id=task.pk,
        kind=task.kind,
        kind_label=task.get_kind_display(),
        title=task.title,
        publisher_kind=task.publisher_kind,
        publisher_name=task.publisher_name,
        category=task.category,
        category_label=task.get_category_display(),
        place=task.place,
        lon=task.lon,
        lat=task.lat,
        grid_code=task.grid_path.rstrip("/").rsplit("/", 1)[-1],
        starts_at=task.starts_at,
        ends_at=task.ends_at,
        slots=task.slots,
        taken=task.taken,
        free_slots=task.free_slots,
        skills=task.skills,
        circle_tag=task.circle_tag,
        points_rule=task.points_rule,
        points_rule_label=task.get_points_rule_display(),
        points=rule.points if rule else None,
        checkin_method=task.checkin_method,
        geofence_m=task.geofence_m,
        status=task.status,
        status_label=task.get_status_display(),
        distance_m=round(distance, 1) if distance is not None else None,
    )


def _signup_out(s: SignUp) -> SignUpOut:
    return SignUpOut(
        id=s.pk,
        task_id=s.task_id,
        status=s.status,
        status_label=s.get_status_display(),
        created_at=s.created_at,
        recorded_hours=s.recorded_hours,
        hours_status=s.hours_status,
        hours_status_label=s.get_hours_status_display(),
        hours=s.hours,
        points=s.points,
    )


class ListQuery(PageQuery):
    kind: Literal["", "task", "activity"] = ""
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)


class TaskPage(PageInfo):
    results: list[TaskOut]


@router.get(
    "/tasks",
    response=TaskPage,
    summary="可报名的任务和活动（给出位置时由近到远，分页）",
)
def list_tasks(request: AuthedRequest, q: Query[ListQuery]) -> TaskPage:
    near = (q.lon, q.lat) if q.lon is not None and q.lat is not None else None
    rules = selectors.earning_rules()
    info, rows = api_page(
        request, selectors.open_tasks(kind=q.kind, near=near), q.page, q.page_size
    )
    results = [_task_out(t, d, rules) for t, d in selectors.with_distance(rows, near)]
    return TaskPage(**info, results=results)


@router.get("/tasks/{int:task_id}", response={200: TaskDetailOut, 404: Detail}, summary="任务详情")
def task_detail(request: AuthedRequest, task_id: TaskId) -> TaskDetailOut:
    user = request.user
    task = selectors.access_task(user, task_id)
    mine = selectors.my_open_signup(user, task)
    return TaskDetailOut(
        **_task_out(task).dict(),
        description=task.description,
        my_signup=_signup_out(mine) if mine else None,
    )


class TaskIn(Schema):
    kind: Literal["task", "activity"] = "task"
    publisher_kind: Literal["party_org", "mass_org", "social_org", "individual"]
    publisher_name: str = Field("", max_length=80)
    title: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=4000)
    category: str = Field("other", max_length=12)
    place: str = Field(..., min_length=1, max_length=120)
    lon: float = Field(..., ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False)
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"
    starts_at: ApiDateTime
    ends_at: ApiDateTime
    slots: int = Field(..., ge=1, le=10_000)
    skills: str = Field("", max_length=200)
    circle_tag: str = Field("", max_length=30)
    points_rule: Literal["per_hour", "fixed", "none"] = "per_hour"
    checkin_method: Literal["qr", "geofence", "either"] = "qr"
    geofence_m: int = Field(200, ge=30, le=5000)


@router.post(
    "/tasks",
    response={201: TaskOut, 403: Detail, 422: Detail},
    summary="新建任务（草稿）",
)
def create_task(request: AuthedRequest, body: TaskIn) -> Reply[TaskOut]:
    task = services.task_create(organiser=request.user, data=services.TaskInput(**body.dict()))
    return Reply(201, _task_out(task))


@router.post(
    "/tasks/{int:task_id}/publish",
    response={200: TaskOut, 404: Detail, 409: Detail},
    summary="发布（个人发布的任务提交社区审核）",
)
def publish_task(request: AuthedRequest, task_id: TaskId) -> TaskOut:
    return _task_out(services.task_publish(task_id=task_id, actor=request.user))


class ReviewIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)


@router.post(
    "/tasks/{int:task_id}/review",
    response={200: TaskOut, 404: Detail, 409: Detail, 422: Detail},
    summary="社区审核个人发布的任务",
)
def review_task(request: AuthedRequest, task_id: TaskId, body: ReviewIn) -> TaskOut:
    return _task_out(
        services.task_review(
            task_id=task_id, actor=request.user, approve=body.approve, note=body.note
        )
    )


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


@router.post(
    "/tasks/{int:task_id}/cancel",
    response={200: TaskOut, 404: Detail, 409: Detail, 422: Detail},
    summary="取消任务（已报名的居民会收到通知）",
)
def cancel_task(request: AuthedRequest, task_id: TaskId, body: ReasonIn) -> TaskOut:
    return _task_out(services.task_cancel(task_id=task_id, actor=request.user, reason=body.reason))


@router.post(
    "/tasks/{int:task_id}/grab",
    response={201: SignUpOut, 200: SignUpOut, 404: Detail, 409: Detail},
    summary="抢任务：201 报名成功；200 已报名过；409 名额已满、已截止或时间冲突",
)
def grab(request: AuthedRequest, task_id: TaskId) -> Reply[SignUpOut]:
    signup, created = services.task_grab(task_id=task_id, user=request.user)
    return Reply(201 if created else 200, _signup_out(signup))


@router.post(
    "/tasks/{int:task_id}/waitlist",
    response={201: SignUpOut, 200: SignUpOut, 404: Detail, 409: Detail},
    summary="排队候补：有名额时直接报名，否则按先后排队，空出名额自动递补",
)
def waitlist(request: AuthedRequest, task_id: TaskId) -> Reply[SignUpOut]:
    signup, created = services.task_grab(task_id=task_id, user=request.user, waitlist=True)
    return Reply(201 if created else 200, _signup_out(signup))


@router.post(
    "/tasks/{int:task_id}/withdraw",
    response={200: SignUpOut, 404: Detail, 409: Detail},
    summary="取消报名（开始前；空出的名额给候补第一位）",
)
def withdraw(request: AuthedRequest, task_id: TaskId) -> SignUpOut:
    return _signup_out(services.signup_cancel(task_id=task_id, user=request.user))


class PresenceIn(Schema):
    code: str = Field("", max_length=32, description="现场二维码中的签到码")
    lon: float | None = Field(None, ge=-180, le=180, allow_inf_nan=False)
    lat: float | None = Field(None, ge=-90, le=90, allow_inf_nan=False)
    crs: Literal["wgs84", "gcj02", "bd09"] = "wgs84"


def _checkin_out(c: object) -> CheckInOut:
    return CheckInOut.from_orm(c)


@router.post(
    "/tasks/{int:task_id}/checkin",
    response={201: CheckInOut, 404: Detail, 409: Detail, 422: Detail},
    summary="签到（扫码或定位）",
)
def checkin(request: AuthedRequest, task_id: TaskId, body: PresenceIn) -> Reply[CheckInOut]:
    c = presence.checkin(task_id=task_id, user=request.user, **body.dict())
    return Reply(201, _checkin_out(c))


@router.post(
    "/tasks/{int:task_id}/checkout",
    response={200: CheckInOut, 404: Detail, 409: Detail, 422: Detail},
    summary="签退",
)
def checkout(request: AuthedRequest, task_id: TaskId, body: PresenceIn) -> CheckInOut:
    return _checkin_out(presence.checkout(task_id=task_id, user=request.user, **body.dict()))


@router.get(
    "/tasks/{int:task_id}/signups",
    response={200: list[RosterRow], 404: Detail},
    summary="报名名单与签到记录（组织人）",
)
def signups(request: AuthedRequest, task_id: TaskId) -> list[RosterRow]:
    user = request.user
    task = selectors.access_task(user, task_id)
    if not selectors.can_manage(user, task):
        raise NotFound("该任务不存在")
    return [
        RosterRow(
            **_signup_out(s).dict(),
            name=s.user.name,
            phone=s.user.masked_phone,
            checkins=[_checkin_out(c) for c in s.checkins.all()],
            hours_note=s.hours_note,
        )
        for s in selectors.roster(task)
    ]


class HoursIn(Schema):
    decision: Literal["confirmed", "adjusted", "declined"]
    hours: Decimal | None = Field(None, ge=0, le=200, max_digits=6, decimal_places=2)
    note: str = Field("", max_length=200)


@router.post(
    "/signups/{int:signup_id}/hours",
    response={200: SignUpOut, 404: Detail, 409: Detail, 422: Detail},
    summary="认定时长：确认、调整或不予认定（随即发放活力值）",
)
def decide_hours(request: AuthedRequest, signup_id: SignUpId, body: HoursIn) -> SignUpOut:
    return _signup_out(
        services.hours_decide(
            signup_id=signup_id,
            actor=request.user,
            decision=body.decision,
            hours=body.hours,
            note=body.note,
        )
    )


class SignUpPage(PageInfo):
    results: list[SignUpOut]


@router.get("/mine", response=SignUpPage, summary="我的任务（分页）")
def mine(request: AuthedRequest, query: Query[PageQuery]) -> SignUpPage:
    info, rows = api_page(request, selectors.my_signups(request.user), query.page, query.page_size)
    return SignUpPage(**info, results=[_signup_out(s) for s in rows])
