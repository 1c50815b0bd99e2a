from django.contrib import admin

from wangge.enterprises.models import Enterprise, EnterpriseVisit, Policy


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin[Enterprise]):
    list_display = ("name", "uscc", "industry", "size", "grid_path")
    search_fields = ("name", "uscc")
    list_filter = ("industry", "size")
    # The contact phone is personal data: shown and exported only through the audited pages.
    exclude = ("members",)
    raw_id_fields = ("micro_grid", "exclusive_grid")


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin[Policy]):
    list_display = ("title", "issuer", "deadline", "is_published", "version")
    search_fields = ("title", "issuer")
    # Criteria are validated and versioned by the policy page (enterprises.services.policy_save).
    readonly_fields = ("criteria", "version")


@admin.register(EnterpriseVisit)
class EnterpriseVisitAdmin(admin.ModelAdmin[EnterpriseVisit]):
    list_display = ("enterprise", "visited_on", "visitor_name")
    raw_id_fields = ("enterprise", "visitor", "case")
