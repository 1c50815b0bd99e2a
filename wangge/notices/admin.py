from auditlog.registry import auditlog
from django.contrib import admin

from wangge.notices.models import Notice, ServicePlace

auditlog.register(ServicePlace)


@admin.register(ServicePlace)
class ServicePlaceAdmin(admin.ModelAdmin[ServicePlace]):
    list_display = ("name", "kind", "address", "hours", "node", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "address")
    raw_id_fields = ("node",)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ("title", "kind", "node", "pinned", "published_at", "expires_at", "withdrawn_at")
    list_filter = ("kind", "pinned")
    search_fields = ("title",)
    raw_id_fields = ("node", "published_by")
    readonly_fields = ("grid_path", "published_at")
