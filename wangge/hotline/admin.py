from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from wangge.hotline.models import (
    Delivery,
    HotlineOrder,
    InboundMessage,
    PlatformCategory,
    Recording,
)


@admin.register(HotlineOrder)
class HotlineOrderAdmin(admin.ModelAdmin[HotlineOrder]):
    list_display = ("order_no", "case", "source", "received_at", "deliveries_count", "last_seen_at")
    list_filter = ("source",)
    search_fields = ("order_no", "case__number")
    raw_id_fields = ("case",)
    # A record of what arrived: read, never edited.
    readonly_fields = [f.name for f in HotlineOrder._meta.fields]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ("order_no", "kind", "state", "attempts", "next_attempt_at", "last_status_code")
    list_filter = ("state", "kind")
    search_fields = ("order_no",)
    raw_id_fields = ("case",)
    readonly_fields = [f.name for f in Delivery._meta.fields]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ("order", "message_id", "kind", "outcome", "received_at", "deliveries_count")
    list_filter = ("kind", "outcome")
    search_fields = ("order__order_no", "message_id")
    raw_id_fields = ("order",)
    # What the platform sent, and what it was answered: read, never edited.
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin[Recording]):
    # No link to the file here: it is heard on the case page, where its access is checked.
    list_display = ("case", "order", "file_name", "mime_type", "size", "created_at")
    search_fields = ("case__number", "order__order_no")
    raw_id_fields = ("case", "order", "message")
    readonly_fields = [f.name for f in Recording._meta.fields if f.name != "file"]
    exclude = ("file",)


@admin.register(PlatformCategory)
class PlatformCategoryAdmin(admin.ModelAdmin[PlatformCategory]):
    """The operator maps the platform's codes onto leaves; history's suggestion is beside each,
    to accept by choosing it. A mapped code decides an order's category."""

    list_display = ("code", "name", "category", "suggested", "suggested_share", "seen", "source")
    list_filter = ("source", ("category", admin.EmptyFieldListFilter))
    search_fields = ("code", "name")
    readonly_fields = ("suggested", "suggested_share", "seen", "updated_at")
    actions = ("accept_suggestions",)

    @admin.action(description=_("采用推荐分类"))
    def accept_suggestions(
        self, request: HttpRequest, queryset: QuerySet[PlatformCategory]
    ) -> None:
        changed = 0
        for mapping in queryset.filter(suggested__isnull=False):
            mapping.category = mapping.suggested
            mapping.source = PlatformCategory.Source.OPERATOR
            mapping.save(update_fields=["category", "source", "updated_at"])
            changed += 1
        self.message_user(request, _("已采用 %(n)d 个推荐分类") % {"n": changed})

    def save_model(
        self, request: HttpRequest, obj: PlatformCategory, form: Any, change: bool
    ) -> None:
        obj.source = PlatformCategory.Source.OPERATOR
        super().save_model(request, obj, form, change)
