"""Patrols over JSON: the list in the caller's scope, and track points from the phone app."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from wangge.accounts.models import User
from wangge.core.schemas import ApiDateTime
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


@router.get("", response=list[PatrolOut], summary="巡查列表（按管辖范围）")
def list_patrols(request: HttpRequest) -> list[PatrolOut]:
    rows = selectors.patrol_list(request.user)[:200]  # type: ignore[arg-type]
    return [
        PatrolOut(
            id=p.pk,
            worker=p.worker.name,
            grid=p.grid_name,
            started_at=p.started_at,
            ended_at=p.ended_at,
            points=p.n_points,  # type: ignore[attr-defined]
            findings=p.n_findings,  # type: ignore[attr-defined]
        )
        for p in rows
    ]


class PointIn(Schema):
    at: ApiDateTime
    lon: float = Field(..., ge=-180, le=180, allow_inf_nan=False)
    lat: float = Field(..., ge=-90, le=90, allow_inf_nan=False)


class TrackIn(Schema):
    points: list[PointIn] = Field(..., max_length=services.MAX_POINTS_PER_CALL)


class TrackOut(Schema):
    kept: int


@router.post(
    "/{int:patrol_id}/track",
    response={200: TrackOut, 403: Detail, 404: Detail, 422: Detail},
    summary="上传巡查轨迹点（WGS-84）",
)
def post_track(request: HttpRequest, patrol_id: int, body: TrackIn) -> TrackOut:
    user: User = request.user  # type: ignore[assignment]
    patrol = selectors.access_patrol(user, patrol_id)
    kept = services.patrol_track(
        actor=user, patrol=patrol, points=[(p.at, p.lon, p.lat) for p in body.points]
    )
    return TrackOut(kept=kept)
