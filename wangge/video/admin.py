from django.contrib import admin

from wangge.video.models import Camera, VideoAlert, VideoEventType


@admin.register(VideoEventType)
class VideoEventTypeAdmin(admin.ModelAdmin[VideoEventType]):
    """The operator's table: what each AI event type becomes (data, not code)."""

    list_display = (
        "code",
        "name",
        "category_code",
        "min_confidence",
        "mode",
        "window_minutes",
        "is_active",
    )
    list_editable = ("category_code", "min_confidence", "mode", "window_minutes", "is_active")
    search_fields = ("code", "name", "category_code")


@admin.register(Camera)
class CameraAdmin(admin.ModelAdmin[Camera]):
    list_display = (
        "code",
        "gb_code",
        "facility",
        "camera_type",
        "unit_type",
        "hold",
        "last_seen_at",
    )
    list_filter = ("camera_type", "unit_type", "hold")
    list_editable = ("hold",)
    search_fields = ("code", "gb_code", "facility__name")
    raw_id_fields = ("facility",)


@admin.register(VideoAlert)
class VideoAlertAdmin(admin.ModelAdmin[VideoAlert]):
    list_display = ("camera", "type_code", "state", "count", "first_at", "last_at", "case")
    list_filter = ("state",)
    raw_id_fields = ("camera", "event_type", "case", "decided_by")
    date_hierarchy = "last_at"
