from django.contrib import admin

from wangge.partners.models import (
    Need,
    PartnerUnit,
    Project,
    ProjectShare,
    PropertyCompound,
    PropertyStaff,
    Resource,
)


class ResourceInline(admin.TabularInline[Resource, PartnerUnit]):
    model = Resource
    extra = 0


@admin.register(PartnerUnit)
class PartnerUnitAdmin(admin.ModelAdmin[PartnerUnit]):
    list_display = ("name", "kind", "node", "contact_name", "contact_phone_masked", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("node", "created_by")
    # The phone is written through the pages (encrypted, hashed, masked), not here.
    readonly_fields = ("contact_phone_masked",)
    inlines = (ResourceInline,)


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin[Need]):
    list_display = ("title", "source", "node", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("wish", "topic", "case", "node", "raised_by")


class ShareInline(admin.TabularInline[ProjectShare, Project]):
    model = ProjectShare
    extra = 0
    # Shares change only through the service, which keeps them adding up to the total.
    readonly_fields = ("unit", "node", "amount_fen")
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin[Project]):
    list_display = ("title", "status", "node", "total_fen", "residents_served")
    list_filter = ("status",)
    raw_id_fields = ("need", "node", "created_by")
    readonly_fields = ("total_fen", "funded_fen", "status")
    filter_horizontal = ("resources",)
    inlines = (ShareInline,)


@admin.register(PropertyCompound)
class PropertyCompoundAdmin(admin.ModelAdmin[PropertyCompound]):
    list_display = ("unit", "node", "since")
    raw_id_fields = ("unit", "node")


@admin.register(PropertyStaff)
class PropertyStaffAdmin(admin.ModelAdmin[PropertyStaff]):
    list_display = ("unit", "compound", "user", "post")
    raw_id_fields = ("unit", "compound", "user")
