from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from wangge.party import services
from wangge.party.models import (
    PartyMember,
    PartyOrg,
    Post,
    PostClaim,
    Registration,
    StarAssessment,
    StarBand,
    StarCriterion,
    StarResult,
)


class PartyOrgForm(forms.ModelForm[PartyOrg]):
    """The tree's rules, checked before anything is saved: which kind may lead which, no
    organisation under its own subtree, and a change of kind that its sub-organisations and
    members still fit."""

    class Meta:
        model = PartyOrg
        fields = ("name", "kind", "parent", "grid_node", "is_unit")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, parent, is_unit = data.get("kind"), data.get("parent"), bool(data.get("is_unit"))
        if not kind:
            return data
        if self.instance.pk:
            problems = services.org_change_problems(
                org=self.instance, kind=kind, parent=parent, is_unit=is_unit
            )
        else:
            problem = services.org_parent_problem(kind=kind, parent=parent, is_unit=is_unit)
            problems = [("parent", problem)] if problem else []
        for field, message in problems:
            self.add_error(field, message)
        return data


@admin.register(PartyOrg)
class PartyOrgAdmin(admin.ModelAdmin[PartyOrg]):
    form = PartyOrgForm
    list_display = ("name", "kind", "grid_node", "is_unit", "parent", "path")
    list_filter = ("kind", "is_unit")
    search_fields = ("name",)
    raw_id_fields = ("parent", "grid_node")
    readonly_fields = ("path",)

    def save_model(self, request: HttpRequest, obj: PartyOrg, form: Any, change: bool) -> None:
        # The materialised path belongs to the services: a new organisation gets it from
        # org_create, a moved one (and its whole subtree) from org_update's org_move.
        if not change:
            created = services.org_create(
                name=obj.name,
                kind=obj.kind,
                grid_node=obj.grid_node,
                parent=obj.parent,
                is_unit=obj.is_unit,
            )
            obj.pk, obj.path = created.pk, created.path
            obj.created_at, obj.updated_at = created.created_at, created.updated_at
            return
        services.org_update(
            org=obj,
            name=obj.name,
            kind=obj.kind,
            grid_node=obj.grid_node,
            parent=obj.parent,
            is_unit=obj.is_unit,
        )
        obj.refresh_from_db()


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


@admin.register(StarCriterion)
class StarCriterionAdmin(admin.ModelAdmin[StarCriterion]):
    """The 五星支部 standards as the 党工委 sets them; an open year follows a change at its next
    computation, a confirmed year keeps the standard it was judged by."""

    list_display = ("name", "kind", "target", "points", "order", "is_active")
    list_editable = ("target", "points", "order", "is_active")
    list_filter = ("kind", "is_active")


@admin.register(StarBand)
class StarBandAdmin(admin.ModelAdmin[StarBand]):
    list_display = ("stars", "min_points")


class StarResultInline(admin.TabularInline[StarResult, StarAssessment]):
    model = StarResult
    fields = ("name", "value", "target", "met", "points", "reason")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(StarAssessment)
class StarAssessmentAdmin(admin.ModelAdmin[StarAssessment]):
    """Read only: assessments are computed, and confirmed on the staff page."""

    list_display = ("org", "year", "stars", "points", "computed_at", "confirmed_at")
    list_filter = ("year", "stars")
    search_fields = ("org__name",)
    readonly_fields = (
        "org",
        "year",
        "stars",
        "points",
        "computed_at",
        "confirmed_at",
        "confirmed_by",
    )
    inlines = (StarResultInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
