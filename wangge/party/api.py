"""五星支部 over the JSON API (party staff, within their subtree as on the pages).

GET    /api/v1/party/star-criteria                         the criteria in force
GET    /api/v1/party/stars?year=                           the branches in scope and their stars
GET    /api/v1/party/stars/{org_id}/{year}                 one year: each criterion's figure,
                                                             whether met, the reason, materials
POST   /api/v1/party/stars/{org_id}/{year}/evidence        {"criterion_id", "note"}: attach a
                                                             material (the year is recomputed)
DELETE /api/v1/party/stars/{org_id}/{year}/evidence/{id}   remove it (recomputed too)
POST   /api/v1/party/stars/{org_id}/{year}/recompute       compute the open year now
POST   /api/v1/party/stars/{org_id}/{year}/confirm         the 党工委 confirms a finished year
"""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from wangge.core.errors import NotFound, PermissionDenied, ValidationFailed
from wangge.core.paging import api_page
from wangge.core.schemas import PageInfo, PageQuery
from wangge.core.web import AuthedRequest
from wangge.party import selectors, services
from wangge.party.models import PartyOrg, StarAssessment

router = Router(tags=["五星支部"])

FIRST_YEAR = 2000


class Detail(Schema):
    detail: str


def _staff(request: AuthedRequest) -> None:
    if not selectors.is_party_staff(request.user):
        raise PermissionDenied(_("仅党组织工作人员可以查看五星支部评定"))


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationFailed(_("年度须在 %(first)s 年到今年之间") % {"first": FIRST_YEAR})
    return year


class CriterionOut(Schema):
    id: int
    name: str
    kind: str = Field(
        ...,
        description="activities 活动场次 / service_hours 服务时长 / member_hours 人均服务时长 / "
        "cases_closed 网格结案事件 / materials 佐证材料",
    )
    target: Decimal
    points: int
    description: str


class BandOut(Schema):
    stars: int
    min_points: int = Field(..., description="达到该星级的最低得分")


class CriteriaOut(Schema):
    criteria: list[CriterionOut]
    bands: list[BandOut] = Field(..., description="得分到星级的分档；为空时每分一星")


@router.get("/star-criteria", response={200: CriteriaOut, 403: Detail}, summary="五星支部评定标准")
def criteria(request: AuthedRequest) -> CriteriaOut:
    _staff(request)
    return CriteriaOut(
        criteria=[
            CriterionOut(
                id=c.pk,
                name=c.name,
                kind=c.kind,
                target=c.target,
                points=c.points,
                description=c.description,
            )
            for c in selectors.star_criteria()
        ],
        bands=[BandOut(stars=b.stars, min_points=b.min_points) for b in selectors.star_bands()],
    )


class StarsQuery(PageQuery):
    year: int | None = Field(None, description="年度，默认今年")


class BranchStarsOut(Schema):
    org_id: int
    name: str
    parent: str
    year: int
    assessed: bool = Field(..., description="是否已有评定")
    stars: int
    points: int
    confirmed: bool
    computed_at: datetime | None


class BranchStarsPage(PageInfo):
    results: list[BranchStarsOut]


def _summary(org: PartyOrg, year: int, rating: StarAssessment | None) -> BranchStarsOut:
    return BranchStarsOut(
        org_id=org.pk,
        name=org.name,
        parent=org.parent.name if org.parent else "",
        year=year,
        assessed=rating is not None,
        stars=rating.stars if rating else 0,
        points=rating.points if rating else 0,
        confirmed=bool(rating and rating.is_confirmed),
        computed_at=rating.computed_at if rating else None,
    )


@router.get(
    "/stars",
    response={200: BranchStarsPage, 403: Detail, 422: Detail},
    summary="本人负责范围内社区党支部的星级（分页）",
)
def stars(request: AuthedRequest, query: Query[StarsQuery]) -> BranchStarsPage:
    _staff(request)
    year = _year(query.year or timezone.localdate().year)
    info, rows = api_page(
        request, selectors.branches_rated(request.user), query.page, query.page_size
    )
    found = selectors.star_ratings([o.pk for o in rows], [year])
    return BranchStarsPage(
        **info, results=[_summary(o, year, found.get((o.pk, year))) for o in rows]
    )


class EvidenceOut(Schema):
    id: int
    criterion_id: int
    note: str
    added_by: str
    added_at: datetime


class ResultOut(Schema):
    criterion_id: int | None
    name: str
    kind: str
    target: Decimal
    value: Decimal
    met: bool
    points: int
    reason: str = Field(
        ..., description="中文理由，如“双报到服务时长 412 小时，达到 300 小时的标准”"
    )
    evidence: list[EvidenceOut]


class RatingOut(BranchStarsOut):
    confirmed_at: datetime | None
    results: list[ResultOut]


def _rating(org: PartyOrg, year: int) -> RatingOut:
    rating = selectors.star_rating(org, year)
    evidence = [
        EvidenceOut(
            id=e.pk,
            criterion_id=e.criterion_id,
            note=e.note,
            added_by=e.added_by.name if e.added_by else "",
            added_at=e.created_at,
        )
        for e in selectors.star_evidence(org, year)
    ]
    results = [
        ResultOut(
            criterion_id=r.criterion_id,
            name=r.name,
            kind=r.kind,
            target=r.target,
            value=r.value,
            met=r.met,
            points=r.points,
            reason=r.reason,
            evidence=[e for e in evidence if e.criterion_id == r.criterion_id],
        )
        for r in (rating.results.all() if rating else [])
    ]
    return RatingOut(
        **_summary(org, year, rating).model_dump(),
        confirmed_at=rating.confirmed_at if rating else None,
        results=results,
    )


def _branch(request: AuthedRequest, org_id: int, year: int) -> PartyOrg:
    _staff(request)
    org = selectors.access_rated_branch(request.user, org_id)
    if year > timezone.localdate().year:
        raise NotFound(_("该年度尚未开始"))
    _year(year)
    return org


@router.get(
    "/stars/{int:org_id}/{int:year}",
    response={200: RatingOut, 403: Detail, 404: Detail, 422: Detail},
    summary="一个党支部的年度评定",
)
def rating(request: AuthedRequest, org_id: int, year: int) -> RatingOut:
    return _rating(_branch(request, org_id, year), year)


class EvidenceIn(Schema):
    criterion_id: int = Field(..., description="评定标准 id")
    note: str = Field(..., max_length=300, description="材料说明")


@router.post(
    "/stars/{int:org_id}/{int:year}/evidence",
    response={200: RatingOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="添加佐证材料（重新计算该年度）",
)
def evidence_attach(request: AuthedRequest, org_id: int, year: int, body: EvidenceIn) -> RatingOut:
    org = _branch(request, org_id, year)
    services.star_evidence_attach(
        actor=request.user, org_id=org.pk, year=year, criterion_id=body.criterion_id, note=body.note
    )
    return _rating(org, year)


@router.delete(
    "/stars/{int:org_id}/{int:year}/evidence/{int:evidence_id}",
    response={200: RatingOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="删除佐证材料（重新计算该年度）",
)
def evidence_remove(request: AuthedRequest, org_id: int, year: int, evidence_id: int) -> RatingOut:
    org = _branch(request, org_id, year)
    services.star_evidence_remove(
        actor=request.user, org_id=org.pk, year=year, evidence_id=evidence_id
    )
    return _rating(org, year)


@router.post(
    "/stars/{int:org_id}/{int:year}/recompute",
    response={200: RatingOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="按最新数据重新计算",
)
def recompute(request: AuthedRequest, org_id: int, year: int) -> RatingOut:
    org = _branch(request, org_id, year)
    services.stars_recompute(actor=request.user, org_id=org.pk, year=year)
    return _rating(org, year)


@router.post(
    "/stars/{int:org_id}/{int:year}/confirm",
    response={200: RatingOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="确认年度评定（街道党工委；确认后不再变化）",
)
def confirm(request: AuthedRequest, org_id: int, year: int) -> RatingOut:
    org = _branch(request, org_id, year)
    services.stars_confirm(actor=request.user, org_id=org.pk, year=year)
    return _rating(org, year)
