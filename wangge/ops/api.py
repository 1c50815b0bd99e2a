"""城运中心 over the JSON API: 认证率 and 知晓率 (ops.reach).

GET /api/v1/ops/reach?grid=CODE                  a unit, its units and the weekly trend
GET /api/v1/ops/reach/not-verified?grid=CODE     who is not yet reached (masked), by page
GET /api/v1/ops/circle?grid=CODE                 the 10-minute 党群服务圈: households reached and
                                                 not, per unit below
"""

from ninja import Field, Query, Router, Schema

from wangge.core.web import AuthedRequest
from wangge.ops import circle as circle_selectors
from wangge.ops import reach as reach_selectors

router = Router(tags=["城运中心"])


class Detail(Schema):
    detail: str


class ReachOut(Schema):
    code: str
    name: str
    level: str
    adults: int = Field(..., description="在住的登记成年居民")
    verified: int = Field(..., description="其中账号已实名认证")
    verified_rate: float | None = Field(..., description="认证率，0–1；无登记居民时为 null")
    asked: int = Field(..., description="【知晓率】题的回答数")
    aware: int = Field(..., description="其中选“知道”")
    awareness_rate: float | None = Field(..., description="知晓率，0–1；无回答时为 null")


class WeekOut(Schema):
    week: str = Field(..., description="周一的日期")
    adults: int
    verified: int
    rate: float | None


class ReachReportOut(Schema):
    unit: ReachOut
    children: list[ReachOut]
    trend: list[WeekOut]


class GridQuery(Schema):
    grid: str = Field("", max_length=32, description="网格编码；不填为本人负责的最高一级")


class PageQuery(GridQuery):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class NotVerifiedOut(Schema):
    id: int
    name: str
    building: str
    room: str
    phone: str = Field(..., description="脱敏联系电话")
    registered: bool = Field(..., description="已注册账号（未实名认证）")


class NotVerifiedPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[NotVerifiedOut]


def _out(r: reach_selectors.Reach) -> ReachOut:
    return ReachOut(
        code=r.code,
        name=r.name,
        level=r.level,
        adults=r.adults,
        verified=r.verified,
        verified_rate=r.verified_rate,
        asked=r.asked,
        aware=r.aware,
        awareness_rate=r.awareness_rate,
    )


@router.get(
    "/reach",
    response={200: ReachReportOut, 403: Detail, 404: Detail},
    summary="认证率与知晓率（本单位、下级单位、近8周）",
)
def reach(request: AuthedRequest, query: Query[GridQuery]) -> ReachReportOut:
    report = reach_selectors.reach(
        request.user, reach_selectors.reach_unit(request.user, query.grid)
    )
    return ReachReportOut(
        unit=_out(report.unit),
        children=[_out(c) for c in report.children],
        trend=[
            WeekOut(week=w.week.isoformat(), adults=w.adults, verified=w.verified, rate=w.rate)
            for w in report.trend
        ],
    )


@router.get(
    "/reach/not-verified",
    response={200: NotVerifiedPage, 403: Detail, 404: Detail},
    summary="尚未实名认证的登记成年居民（脱敏）",
)
def not_verified(request: AuthedRequest, query: Query[PageQuery]) -> NotVerifiedPage:
    people = reach_selectors.not_yet_verified(
        request.user, reach_selectors.reach_unit(request.user, query.grid)
    )
    start = (query.page - 1) * query.page_size
    rows = people[start : start + query.page_size]
    return NotVerifiedPage(
        count=people.count(),
        page=query.page,
        page_size=query.page_size,
        results=[
            NotVerifiedOut(
                id=p.pk,
                name=p.name,
                building=p.household.building.address,
                room=p.household.room,
                phone=p.masked_phone,
                registered=bool(p.account_id and p.account and p.account.is_active),
            )
            for p in rows
        ],
    )


class CircleRowOut(Schema):
    code: str
    name: str
    households: int
    covered: int = Field(..., description="住户所在楼栋在服务圈内")
    gaps: int = Field(..., description="圈外住户")
    covered_rate: float | None


class CircleOut(Schema):
    metres: float = Field(..., description="服务圈半径（米）")
    by_road: bool = Field(..., description="沿已导入的道路计步行距离（否则为直线距离）")
    unit: CircleRowOut
    children: list[CircleRowOut]
    gap_buildings: int = Field(..., description="圈外楼栋数")


def _circle_row(r: circle_selectors.CircleRow) -> CircleRowOut:
    return CircleRowOut(
        code=r.code,
        name=r.name,
        households=r.households,
        covered=r.covered,
        gaps=r.gaps,
        covered_rate=r.covered_rate,
    )


@router.get(
    "/circle",
    response={200: CircleOut, 403: Detail, 404: Detail},
    summary="十分钟党群服务圈（本单位与下级单位的覆盖情况）",
)
def service_circle(request: AuthedRequest, query: Query[GridQuery]) -> CircleOut:
    report = circle_selectors.circle(
        request.user, circle_selectors.circle_unit(request.user, query.grid)
    )
    return CircleOut(
        metres=report.metres,
        by_road=report.by_road,
        unit=_circle_row(report.unit),
        children=[_circle_row(c) for c in report.children],
        gap_buildings=len(report.gaps),
    )
