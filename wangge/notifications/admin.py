from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from wangge.notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin[SmsMessage]):
    """Read-only: one row per attempt, written by the sending job (phones masked, codes
    redacted); the attempts of one message share its 短信编号."""

    list_display = (
        "created_at",
        "phone_masked",
        "body",
        "attempt",
        "ok",
        "error",
        "backend",
        "provider_ref",
    )
    list_filter = ("ok", "backend")
    search_fields = ("message_key", "phone_masked", "provider_ref")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
