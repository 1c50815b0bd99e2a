from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Query, Router, Schema
from pydantic import BaseModel

from wangge.core.errors import ValidationFailed
from wangge.core.web import AuthedRequest
from wangge.grids import selectors
from wangge.grids.forms import BoxForm
from wangge.grids.models import Building, GridNode

router = Router(tags=["网格"])

Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False, description="经度")]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False, description="纬度")]


class NodeRef(BaseModel):
    """A grid node as every API answer names it (GridNode.as_ref). A plain pydantic model, so
    an answer builds it from those values with pydantic's compiled validator (see
    cases.api.case_out)."""

    code: str
    name: str
    level: str


class LocateQuery(Schema):
    lon: Longitude
    lat: Latitude
    crs: Literal["wgs84", "gcj02", "bd09"] = Field(
        "wgs84",
        description="输入坐标系：wgs84（GPS、天地图）、gcj02（高德、腾讯、微信）、bd09（百度）",
    )


class LocateOut(Schema):
    micro_grid: NodeRef | None
    exclusive_grid: NodeRef | None
    path: list[NodeRef]
    lon: float = Field(description="换算后的 WGS-84 经度")
    lat: float = Field(description="换算后的 WGS-84 纬度")


class Detail(Schema):
    detail: str


def _ref(node: GridNode | None) -> NodeRef | None:
    return NodeRef(**node.as_ref()) if node else None


@router.get("/locate", response={200: LocateOut, 404: Detail}, summary="按坐标定位网格")
def locate(request: HttpRequest, query: Query[LocateQuery]) -> LocateOut:
    loc = selectors.locate(lon=query.lon, lat=query.lat, crs=query.crs)
    return LocateOut(
        micro_grid=_ref(loc.micro_grid),
        exclusive_grid=_ref(loc.exclusive_grid),
        path=[NodeRef(**n.as_ref()) for n in loc.path],
        lon=loc.lon,
        lat=loc.lat,
    )


class BuildingRef(Schema):
    code: str
    address: str


class CandidateOut(Schema):
    kind: str = Field("building", description="building（楼栋）或 micro_grid（微网格）")
    code: str
    address: str = Field(..., description="楼栋地址，或微网格的名称路径")
    score: float


class PlaceOut(Schema):
    how: str = Field(
        ...,
        description="corner（路口某角）、crossing（路口）、offset（参照物加方位距离）、"
        "near（参照物旁边/对面）、way（巷、胡同、组、屯等）",
    )
    phrase: str = Field(..., description="据以推定的原文")


class ResolveOut(Schema):
    kind: str = Field(..., description="building、place、candidates 或 refused")
    building: BuildingRef | None
    micro_grid: NodeRef | None
    path: list[NodeRef]
    point: list[float] | None = Field(None, description="[经度, 纬度]，WGS-84")
    place: PlaceOut | None = None
    confidence: float
    threshold: float
    message: str
    candidates: list[CandidateOut]


class ResolveQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="地址原文")


_MESSAGES = {
    selectors.BUILDING: _lazy("已匹配到楼栋"),
    selectors.PLACE: _lazy("已按描述推定位置"),
}


@router.get("/resolve-address", response={200: ResolveOut}, summary="地址解析到楼栋或位置和微网格")
def resolve_address(request: HttpRequest, query: Query[ResolveQuery]) -> ResolveOut:
    match = selectors.resolve_address(q=query.q)
    res = match.resolution
    codes = dict(
        Building.objects.filter(pk__in=[c.building_id for c in res.candidates]).values_list(
            "pk", "code"
        )
    )
    building = match.building
    kind = match.kind
    if kind in _MESSAGES:
        message = str(_MESSAGES[kind])
    elif match.grid_candidates:
        message = _("无法确定在哪个微网格（%(why)s），请从候选网格中选择或补充位置") % {
            "why": _(match.reason) if match.reason else _("所指位置跨多个微网格")
        }
    elif res.candidates:
        message = _("无法确定是哪一栋楼，请从候选地址中选择或补充地址")
    elif match.reason:
        message = _("无法确定位置：%(why)s") % {"why": _(match.reason)}
    else:
        message = _("未找到匹配的地址")
    micro = match.micro_grid
    point = match.point
    candidates = [
        CandidateOut(
            kind="building", code=codes[c.building_id], address=c.address, score=round(c.score, 4)
        )
        for c in res.candidates
        if c.building_id in codes
    ]
    candidates += [
        CandidateOut(
            kind="micro_grid",
            code=grid.code,
            address="".join(n.name for n in selectors.node_path(grid)[1:]),
            score=0.0,
        )
        for grid in match.grid_candidates
    ]
    return ResolveOut(
        kind=kind,
        building=BuildingRef(code=building.code, address=building.address) if building else None,
        micro_grid=_ref(micro),
        path=[NodeRef(**n.as_ref()) for n in match.path],
        point=[round(point[0], 7), round(point[1], 7)] if point else None,
        place=PlaceOut(how=match.place.how, phrase=match.place.phrase) if match.place else None,
        confidence=round(res.confidence, 4),
        threshold=match.threshold,
        message=message,
        candidates=candidates,
    )


class ChildOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    children: int
    buildings: int
    geometry: dict[str, Any] | None


class StaffOut(Schema):
    name: str
    role: str
    phone: str = Field(description="脱敏手机号")


class NodeOut(Schema):
    code: str
    name: str
    level: str
    level_label: str
    kind: str
    is_sample: bool
    geometry: dict[str, Any] | None
    centroid: list[float] | None
    path: list[NodeRef]
    counts: dict[str, int]
    staff: list[StaffOut]
    children: list[ChildOut]


@router.get(
    "/nodes/{code}", response={200: NodeOut, 404: Detail}, summary="网格详情与下级网格（地图用）"
)
def node_detail(request: AuthedRequest, code: str) -> NodeOut:
    view = selectors.map_view(request.user, code)
    node = view.node
    return NodeOut(
        code=node.code,
        name=node.name,
        level=node.level,
        level_label=str(node.get_level_display()),
        kind=node.kind,
        is_sample=node.is_sample,
        geometry=node.boundary,
        centroid=(
            [node.centroid_lon, node.centroid_lat]
            if node.centroid_lon is not None and node.centroid_lat is not None
            else None
        ),
        path=[NodeRef(**n.as_ref()) for n in view.visible_path],
        counts=view.counts,
        staff=[StaffOut(**s) for s in selectors.node_staff(node)],
        children=[
            ChildOut(
                code=c.code,
                name=c.name,
                level=c.level,
                kind=c.kind,
                geometry=c.boundary,
                **view.child_counts[c.pk],
            )
            for c in view.children
        ],
    )


class RoadsQuery(Schema):
    bbox: str = Field(
        ...,
        pattern=r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
        description="范围：西,南,东,北（WGS-84 经纬度）",
        examples=["113.59,34.74,113.62,34.76"],
    )


class RoadsOut(Schema):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[dict[str, Any]] = Field(
        description=(
            "LineString/MultiLineString 要素，裁剪到所给范围；"
            "properties：name、road（等级）、sample"
        )
    )


# A map view, not the district: a box wider than this is a client asking for the whole network.
ROADS_MAX_SPAN_DEG = 0.5


@router.get(
    "/roads",
    response={200: RoadsOut, 422: Detail},
    summary="范围内的道路（地图底图用，GeoJSON，WGS-84）",
)
def roads(request: AuthedRequest, query: Query[RoadsQuery]) -> RoadsOut:
    box = BoxForm({"bbox": query.bbox}).box()
    if box is None or not (
        box[2] - box[0] <= ROADS_MAX_SPAN_DEG and box[3] - box[1] <= ROADS_MAX_SPAN_DEG
    ):
        raise ValidationFailed(
            _("范围无效：须为 西,南,东,北，且每边不超过 %(deg)s 度") % {"deg": ROADS_MAX_SPAN_DEG}
        )
    west, south, east, north = box
    return RoadsOut(
        features=selectors.roads_in_bbox(west=west, south=south, east=east, north=north)
    )
