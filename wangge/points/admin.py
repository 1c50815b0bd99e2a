from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.points.models import Earning, EarningRule


@admin.register(EarningRule)
class EarningRuleAdmin(admin.ModelAdmin[EarningRule]):
    list_display = ("name", "code", "kind", "category", "points", "daily_cap", "active")
    list_filter = ("kind", "active")
    list_editable = ("points", "daily_cap", "active")
    search_fields = ("code", "name", "category")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Callers name rules by code: once a rule exists its code stays.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.earnings.exists()
        )


@admin.register(Earning)
class EarningAdmin(admin.ModelAdmin[Earning]):
    """Read-only: earnings are written by the earn() service and reversed in the ledger."""

    list_display = ("created_at", "rule", "owner", "quantity", "requested", "granted", "outcome")
    list_filter = ("outcome", "rule")
    search_fields = ("idempotency_key", "reason")
    raw_id_fields = ("owner",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
