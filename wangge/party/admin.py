from django.contrib import admin

from wangge.party.models import PartyMember, PartyOrg, Post, PostClaim, Registration


@admin.register(PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin[PartyOrg]):
    list_display = ("name", "kind", "grid_node", "is_unit", "parent")
    list_filter = ("kind", "is_unit")
    search_fields = ("name",)
    raw_id_fields = ("parent", "grid_node")


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin[PartyMember]):
    list_display = ("user", "org", "status", "joined_on", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "org", "decided_by")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin[Registration]):
    list_display = ("member", "kind", "community", "unit", "updated_at")
    list_filter = ("kind",)
    raw_id_fields = ("member", "community", "unit")


@admin.register(Post)
class PostAdmin(admin.ModelAdmin[Post]):
    list_display = ("title", "community", "category", "slots", "is_open")
    list_filter = ("category", "is_open")
    raw_id_fields = ("community", "created_by")


@admin.register(PostClaim)
class PostClaimAdmin(admin.ModelAdmin[PostClaim]):
    list_display = ("post", "member", "claimed_at", "released_at")
    raw_id_fields = ("post", "member")
