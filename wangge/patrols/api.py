"""Patrols over JSON: the list in the caller's scope; track points and findings from the phone,
each batch or finding delivered once however often the phone's outbox sends it."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja import Status as Reply
from pydantic import ValidationError as PydanticError

from wangge.core.errors import ValidationFailed
from wangge.core.idempotency import request_key, run_once
from wangge.core.images import clean_images
from wangge.core.paging import api_page
from wangge.core.schemas import (
    ApiDateTime,
    PageInfo,
    PageQuery,
    body_doc,
    input_problems,
    read_body,
)
from wangge.core.web import AuthedRequest
from wangge.grids.positions import Latitude, Longitude
from wangge.patrols import selectors, services

router = Router(tags=["巡查"])


class Detail(Schema):
    detail: str


class PatrolOut(Schema):
    id: int
    worker: str
    grid: str
    started_at: datetime
    ended_at: datetime | None
    points: int
    findings: int


class PatrolPage(PageInfo):
    results: list[PatrolOut]


@router.get("", response=PatrolPage, summary="巡查列表（按管辖范围，分页）")
def list_patrols(request: AuthedRequest, query: Query[PageQuery]) -> PatrolPage:
    info, rows = api_page(
        request,
        selectors.patrol_list(request.user),
        query.page,
        query.page_size,
    )
    results = [
        PatrolOut(
            id=p.pk,
            worker=p.worker.name,
            grid=p.grid_name,
            started_at=p.started_at,
            ended_at=p.ended_at,
            points=p.n_points,
            findings=p.n_findings,
        )
        for p in rows
    ]
    return PatrolPage(**info, results=results)


class PointIn(Schema):
    at: ApiDateTime
    lon: Longitude
    lat: Latitude


class TrackIn(Schema):
    points: list[PointIn] = Field(..., max_length=services.MAX_POINTS_PER_CALL)


class TrackOut(Schema):
    kept: int


@router.post(
    "/{int:patrol_id}/track",
    response={200: TrackOut, 403: Detail, 404: Detail, 422: Detail},
    summary="上传巡查轨迹点（WGS-84）",
    description=(
        "带 `Idempotency-Key` 请求头时，同一批轨迹点重复上传只保存一次（返回第一次的应答）。"
    ),
)
def post_track(request: AuthedRequest, patrol_id: int, body: TrackIn) -> Reply[Any]:
    user = request.user
    key = request_key(request)
    patrol = selectors.access_patrol(user, patrol_id)

    def work() -> tuple[int, TrackOut]:
        kept = services.patrol_track(
            actor=user, patrol=patrol, points=[(p.at, p.lon, p.lat) for p in body.points]
        )
        return 200, TrackOut(kept=kept)

    status, answer = run_once(
        actor_id=user.pk, key=key, scope=f"patrol_track:{patrol_id}", work=work
    )
    return Reply(status, answer)


class FindingIn(Schema):
    hazard: str = ""
    description: str = Field("", max_length=4000)
    lon: Longitude
    lat: Latitude
    fixed: bool = False
    result: str = Field("", max_length=2000)


class FindingOut(Schema):
    id: int
    kind: str
    hazard: str
    case_id: int
    case_number: str
    case_title: str


@router.post(
    "/{int:patrol_id}/findings",
    response={201: FindingOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="记录巡查发现（生成事件；fixed=true 为自行处置）",
    description=(
        "multipart/form-data：hazard、description、lon、lat、fixed、result，"
        "照片 photos（处置前）与 photos_after（处置后）。"
        "带 `Idempotency-Key` 请求头时同一发现只生成一个事件。"
    ),
    openapi_extra=body_doc(
        form={
            "hazard": "隐患类型",
            "description": "情况描述",
            "lon": "经度",
            "lat": "纬度",
            "fixed": "1/true 为自行处置",
            "result": "处置结果",
        },
        files=("photos", "photos_after"),
        form_required=("lon", "lat"),
    ),
)
def post_finding(request: AuthedRequest, patrol_id: int) -> Reply[Any]:
    user = request.user
    key = request_key(request)
    data = _finding_in(request)
    patrol = selectors.access_patrol(user, patrol_id)
    photos = clean_images(request.FILES.getlist("photos"))
    photos_after = clean_images(request.FILES.getlist("photos_after"))

    def work() -> tuple[int, FindingOut]:
        if data.fixed:
            finding = services.patrol_finding_fix(
                actor=user,
                patrol=patrol,
                hazard=data.hazard,
                description=data.description,
                lon=data.lon,
                lat=data.lat,
                result=data.result,
                photos_before=photos,
                photos_after=photos_after,
            )
        else:
            finding = services.patrol_finding_report(
                actor=user,
                patrol=patrol,
                hazard=data.hazard,
                description=data.description,
                lon=data.lon,
                lat=data.lat,
                photos=photos,
            )
        return 201, FindingOut(
            id=finding.pk,
            kind=finding.kind,
            hazard=finding.hazard,
            case_id=finding.case.pk,
            case_number=finding.case.number or "",
            case_title=finding.case.title,
        )

    status, answer = run_once(
        actor_id=user.pk, key=key, scope=f"patrol_finding:{patrol_id}", work=work
    )
    return Reply(status, answer)


def _finding_in(request: HttpRequest) -> FindingIn:
    """The phone's multipart form; an input left empty is absent (no position, not fixed)."""
    data, _photos = read_body(request, nested=False, blank_is_absent=True)
    try:
        return FindingIn.model_validate(data)
    except PydanticError as exc:
        if {str(e["loc"][0]) for e in exc.errors()} & {"lon", "lat"}:
            raise ValidationFailed(_("未获取到位置，请允许定位后重试")) from exc
        problems = input_problems(exc.errors())
        raise ValidationFailed(_("请求参数不正确") + "：" + problems) from exc
