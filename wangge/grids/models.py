from typing import Any, ClassVar, Self, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from wangge.core.models import TimeStampedModel


class GridLevel(models.TextChoices):
    # A city above its districts: optional. A district imported without one is a top of the
    # tree as before; imported under one, its paths gain the city's code as a prefix, and a
    # role held on the city sees every district of it by the same subtree rule as any node.
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    STREET = "street", _("街道（一级网格）")
    COMMUNITY = "community", _("社区/村（二级网格）")
    GRID = "grid", _("网格（三级网格）")
    MICRO = "micro", _("微网格")
    EXCLUSIVE = "exclusive", _("专属网格")


# The levels that may stand at the top of the tree, without a parent.
ROOT_LEVELS: frozenset[str] = frozenset({GridLevel.CITY, GridLevel.DISTRICT})

# Which level a node's parent may have. Exclusive grids (a mall, a park, a school) sit under
# whatever unit runs them, usually a community or a street.
PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    GridLevel.CITY: (),
    GridLevel.DISTRICT: (GridLevel.CITY,),
    GridLevel.STREET: (GridLevel.DISTRICT,),
    GridLevel.COMMUNITY: (GridLevel.STREET,),
    GridLevel.GRID: (GridLevel.COMMUNITY,),
    GridLevel.MICRO: (GridLevel.GRID,),
    GridLevel.EXCLUSIVE: (
        GridLevel.DISTRICT,
        GridLevel.STREET,
        GridLevel.COMMUNITY,
        GridLevel.GRID,
    ),
}
LEVEL_RANK: dict[str, int] = {
    GridLevel.CITY: -1,
    GridLevel.DISTRICT: 0,
    GridLevel.STREET: 1,
    GridLevel.COMMUNITY: 2,
    GridLevel.GRID: 3,
    GridLevel.MICRO: 4,
    GridLevel.EXCLUSIVE: 5,
}

code_validator = RegexValidator(r"^[0-9A-Za-z]{1,32}$", _("编码只能由数字和字母组成，最长 32 位"))


def path_prefixes(path: str) -> list[str]:
    """The paths of every node from the top down to the one at `path` ("a/b/" → "a/", "a/b/")."""
    return [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]


GEOMETRY_FIELDS = ("boundary",)


def _grid_node_paths(model: type[models.Model], lookups: tuple[str, ...]) -> list[str]:
    """The relation paths among `lookups` (and their prefixes) that end on a GridNode."""
    found: list[str] = []
    for lookup in lookups:
        current: Any = model
        parts: list[str] = []
        for name in lookup.split("__"):
            try:
                field = current._meta.get_field(name)
            except FieldDoesNotExist:  # a bad name: select_related itself reports it
                break
            current = field.related_model
            if current is None:
                break
            parts.append(name)
            path = "__".join(parts)
            if current is GridNode and path not in found:
                found.append(path)
    return found


_M = TypeVar("_M", bound=models.Model)


class GeometryLeanQuerySet(models.QuerySet[_M]):
    """`select_related` that leaves the grid nodes' boundary polygons in the database.

    A list of cases, buildings or grants shows a node's name and code, never its shape, but
    select_related loads every column of the related row: a surveyed street boundary is tens
    of kilobytes of GeoJSON to transfer and parse per row (100 cases x a street, a community
    and a grid: 22x the CPU of the whole page). Deferred here, once, so no list has to
    remember; code that does draw a node reads `node.boundary` and gets it on access (or
    loads the node itself, as the map views do).
    """

    def select_related(self, *fields: Any) -> Self:
        qs = super().select_related(*fields)
        if not fields or fields == (None,):
            return qs
        deferred = [
            f"{path}__{name}"
            for path in _grid_node_paths(self.model, fields)
            for name in GEOMETRY_FIELDS
        ]
        return qs.defer(*deferred) if deferred else qs


class GridNode(TimeStampedModel):
    """A node of the grid tree, from the district down to a micro-grid, or an exclusive grid."""

    code = models.CharField(_("编码"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=GridLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # Materialised path of codes ("410102/410102001/"): subtree = prefix match on an index.
    path = models.CharField(_("路径"), max_length=400, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)
    boundary = models.JSONField(_("边界（GeoJSON，WGS-84）"), null=True, blank=True)
    centroid_lon = models.FloatField(_("中心经度"), null=True, blank=True)
    centroid_lat = models.FloatField(_("中心纬度"), null=True, blank=True)
    kind = models.CharField(
        _("类型"),
        max_length=20,
        blank=True,
        help_text=_("专属网格的类型：商圈、园区、学校、医院、楼宇等"),
    )
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("边界为生成的示例几何，不是测绘数据")
    )

    # Without the boundary: a street's polygon is tens of kilobytes, and a copy in every row
    # would make the history bigger than the tree. A changed boundary is named in the row's
    # reason instead (grids.services.grids_import).
    history = HistoricalRecords(excluded_fields=["boundary", "updated_at"])

    objects: ClassVar[models.Manager["GridNode"]] = GeometryLeanQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ("path",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=GridLevel.values), name="grid_level_known"
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True) | ~models.Q(level=GridLevel.CITY),
                name="city_has_no_parent",
            ),
        ]
        indexes = [models.Index(fields=["level", "path"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.split("/") if c]

    def ancestor_paths(self) -> list[str]:
        """The paths of the district, street … down to this node: "reaches this node" for
        anything published to a subtree is "its path is one of these"."""
        return path_prefixes(self.path)

    def as_ref(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "level": self.level}


class Building(TimeStampedModel):
    """A 楼栋 or 楼院: the unit an address resolves to, always inside one micro-grid."""

    code = models.CharField(_("编码"), max_length=40, unique=True, validators=[code_validator])
    address = models.CharField(_("地址"), max_length=200, db_index=True)
    aliases = models.JSONField(
        _("别名"), default=list, blank=True, help_text=_("曾用名、小区名等，每项一个完整地址或名称")
    )
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    micro_grid = models.ForeignKey(
        GridNode,
        verbose_name=_("微网格"),
        on_delete=models.PROTECT,
        related_name="buildings",
        limit_choices_to={"level": GridLevel.MICRO},
    )
    is_sample = models.BooleanField(_("示例数据"), default=False)

    objects: ClassVar[models.Manager["Building"]] = GeometryLeanQuerySet.as_manager()

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="building_point_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.address


class RoadKind(models.TextChoices):
    # The classes of 《城市道路工程设计规范》(CJJ 37): what a road file says, and how wide the
    # map draws the line and how early it names it.
    EXPRESSWAY = "expressway", _("快速路")
    ARTERIAL = "arterial", _("主干路")
    SECONDARY = "secondary", _("次干路")
    BRANCH = "branch", _("支路")
    # Lines of the base map that are no roads: drawn, and read by the place resolver (过了铁道,
    # 过了复兴河, 星桥北堍), never a road a door or a crossing is on.
    RAILWAY = "railway", _("铁路")
    RIVER = "river", _("河道")
    BRIDGE = "bridge", _("桥梁")


# What a road file may call a kind besides its value and label.
ROAD_KIND_WORDS = {
    "rail": RoadKind.RAILWAY,
    "铁道": RoadKind.RAILWAY,
    "canal": RoadKind.RIVER,
    "stream": RoadKind.RIVER,
    "waterway": RoadKind.RIVER,
    "河": RoadKind.RIVER,
    "河流": RoadKind.RIVER,
    "水系": RoadKind.RIVER,
    "桥": RoadKind.BRIDGE,
}
# Kinds that are roads: doors stand on them, they cross, people walk them.
STREET_KINDS = (RoadKind.EXPRESSWAY, RoadKind.ARTERIAL, RoadKind.SECONDARY, RoadKind.BRANCH)


class Road(TimeStampedModel):
    """A road of the district's own network, drawn under the grids when no tile service is
    configured (or it does not answer). One row per feature of the imported file."""

    name = models.CharField(_("名称"), max_length=100, db_index=True)
    kind = models.CharField(
        _("等级"), max_length=12, choices=RoadKind.choices, default=RoadKind.SECONDARY
    )
    geometry = models.JSONField(_("线（GeoJSON LineString/MultiLineString，WGS-84）"))
    # The line's bounding box: the map asks for the roads of a view, a range on these.
    west = models.FloatField(_("西"))
    south = models.FloatField(_("南"))
    east = models.FloatField(_("东"))
    north = models.FloatField(_("北"))
    is_sample = models.BooleanField(
        _("示例数据"), default=False, help_text=_("生成的示例道路，不是测绘数据")
    )

    class Meta:
        verbose_name = _("道路")
        verbose_name_plural = _("道路")
        ordering = ("name", "pk")
        indexes = [models.Index(fields=["west", "east", "south", "north"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=RoadKind.values), name="road_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name
