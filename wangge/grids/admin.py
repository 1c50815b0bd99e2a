from auditlog.registry import auditlog
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import Building, GridNode, Road

auditlog.register(GridNode, exclude_fields=["updated_at"])
auditlog.register(Building, exclude_fields=["updated_at"])


@admin.register(GridNode)
class GridNodeAdmin(admin.ModelAdmin[GridNode]):
    list_display = ("code", "name", "level", "parent", "is_sample", "updated_at")
    list_filter = ("level", "is_sample")
    search_fields = ("code", "name")
    # A node's code is its identity (import_grids matches by it; the path is made of codes) and
    # never changes; its level, parent and boundary change through import_grids, which checks
    # them and moves every row scoped to the subtree along. Saved here, they would leave all of
    # those paths behind.
    readonly_fields = (
        "code",
        "level",
        "parent",
        "boundary",
        "path",
        "depth",
        "centroid_lon",
        "centroid_lat",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": ("code", "name", "level", "parent", "kind", "is_sample"),
                "description": _(
                    "编码不可更改；层级、上级和边界请通过 import_grids 调整："
                    "下级网格和各项业务数据会随之迁移。"
                ),
            },
        ),
        (
            _("几何"),
            {
                "fields": ("boundary", "centroid_lon", "centroid_lat"),
                "description": _("边界请通过 import_grids 命令导入 GeoJSON，以便校验。"),
            },
        ),
        (_("系统"), {"fields": ("path", "depth", "created_at", "updated_at")}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Nodes come in through import_grids, which checks geometry and parents; the admin
        # edits names and kinds.
        return False


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin[Building]):
    list_display = ("code", "address", "micro_grid", "lon", "lat")
    search_fields = ("code", "address")
    raw_id_fields = ("micro_grid",)
    list_select_related = ("micro_grid",)


@admin.register(Road)
class RoadAdmin(admin.ModelAdmin[Road]):
    list_display = ("name", "kind", "is_sample", "updated_at")
    list_filter = ("kind", "is_sample")
    search_fields = ("name",)
    # The lines come from `import_roads`, which checks them and keeps the box in step.
    readonly_fields = ("geometry", "west", "south", "east", "north", "created_at", "updated_at")
