from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wangge.party import services
from wangge.party.models import (
    MEMBER_KINDS,
    PARENT_KINDS,
    OrgKind,
    PartyMember,
    PartyOrg,
    Post,
    PostClaim,
    Registration,
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
        kind, parent = data.get("kind"), data.get("parent")
        if not kind:
            return data
        org = self.instance if self.instance.pk else None
        problem = services.org_parent_problem(
            kind=kind, parent=parent, is_unit=bool(data.get("is_unit")), org=org
        )
        if problem:
            self.add_error("parent", problem)
        if org is not None and kind != org.kind:
            for child in org.children.all():
                if kind not in PARENT_KINDS[child.kind]:
                    self.add_error(
                        "kind",
                        _("下级组织“%(name)s”（%(child)s）不能隶属于%(kind)s")
                        % {
                            "name": child.name,
                            "child": OrgKind(child.kind).label,
                            "kind": OrgKind(kind).label,
                        },
                    )
            if kind not in MEMBER_KINDS and org.members.exists():
                self.add_error("kind", _("该组织有党员，只能是党支部或党小组"))
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
        # org_create, a moved one (and its whole subtree) from org_move.
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
        with transaction.atomic():
            fields = [f for f in form.changed_data if f != "parent"]
            if fields:
                obj.save(update_fields=[*fields, "updated_at"])
            if "parent" in form.changed_data:
                services.org_move(org=obj, parent=obj.parent)
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
