from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.volunteering.models import HoursDecision, SignUp, Task


class SignUpInline(admin.TabularInline[SignUp, Task]):
    model = SignUp
    fields = ("user", "status", "recorded_hours", "hours_status", "hours", "points", "hours_note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin[Task]):
    """For looking things up; every change goes through the organiser's pages, which keep the
    timeline, so nothing here edits or deletes."""

    list_display = ("title", "kind", "publisher_name", "starts_at", "taken", "slots", "status")
    list_filter = ("kind", "status", "publisher_kind", "category")
    search_fields = ("title", "publisher_name")
    raw_id_fields = ("organiser", "grid", "issuer", "approved_by")
    inlines = (SignUpInline,)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HoursDecision)
class HoursDecisionAdmin(admin.ModelAdmin[HoursDecision]):
    list_display = ("signup", "decision", "recorded_hours", "hours", "decided_by", "created_at")
    list_filter = ("decision",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
