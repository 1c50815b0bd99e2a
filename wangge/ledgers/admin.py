from django.contrib import admin

from wangge.ledgers.models import ChecklistItem, ChecklistTemplate, Facility, Organisation


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category_code", "is_active")
    inlines = (ChecklistItemInline,)


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ("kind", "name", "micro_grid", "status", "checked_on")
    list_filter = ("kind", "status")
    raw_id_fields = ("building", "micro_grid")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("kind", "name", "node", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name",)
    raw_id_fields = ("node",)
    exclude = ("contact_phone",)
