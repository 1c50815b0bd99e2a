from django.contrib import admin

from wangge.hotline.models import Delivery, HotlineOrder


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
