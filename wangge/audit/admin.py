from django.contrib import admin

from wangge.audit.models import AuditQuery


@admin.register(AuditQuery)
class AuditQueryAdmin(admin.ModelAdmin[AuditQuery]):
    list_display = ("created_at", "actor", "kind", "topic", "rows", "ip_address")
    list_filter = ("kind", "topic")
    readonly_fields = ("actor", "kind", "topic", "filters", "rows", "ip_address", "created_at")

    # The trail is written by the audit pages only; nobody edits or deletes it here.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
