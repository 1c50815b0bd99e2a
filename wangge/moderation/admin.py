from auditlog.registry import auditlog
from django.contrib import admin

from wangge.moderation.models import ContentCheck, NameHold

# An operator's decision is a staff action: its change is logged with who made it.
auditlog.register(
    ContentCheck, include_fields=["status", "reason", "decided_by", "decided_at", "via"]
)


@admin.register(ContentCheck)
class ContentCheckAdmin(admin.ModelAdmin[ContentCheck]):
    list_display = ("kind", "object_id", "status", "via", "label", "reason", "created_at")
    list_filter = ("status", "via", "kind")
    raw_id_fields = ("author", "decided_by")
    readonly_fields = ("trace_id", "attempts", "next_try_at", "submitted_at")


@admin.register(NameHold)
class NameHoldAdmin(admin.ModelAdmin[NameHold]):
    list_display = ("user", "name", "reason", "created_at")
    raw_id_fields = ("user",)
