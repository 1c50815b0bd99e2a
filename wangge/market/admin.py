from django.contrib import admin

from wangge.market.models import Listing, ProhibitedItem


@admin.register(ProhibitedItem)
class ProhibitedItemAdmin(admin.ModelAdmin[ProhibitedItem]):
    list_display = ("word", "reason")
    search_fields = ("word",)


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin[Listing]):
    list_display = ("title", "kind", "owner", "price", "status", "created_at")
    list_filter = ("kind", "status", "category")
    search_fields = ("title",)
    raw_id_fields = ("owner",)
