from typing import Any

from auditlog.registry import auditlog
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wangge.accounts import services
from wangge.accounts.models import ApiToken, PersonalDataAccess, RoleGrant, User

# The change log shows that a login phone changed, never the numbers (138****5678 → …).
auditlog.register(
    User,
    exclude_fields=["password", "last_login", "id_number_encrypted", "id_number_hash"],
    mask_fields=["phone"],
    mask_callable="wangge.core.masking.mask_phone_in_log",
)
auditlog.register(RoleGrant)
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("node",)
    readonly_fields = ("granted_by", "created_at")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("phone",)
    list_display = ("name", "masked_phone", "masked_id_number", "is_active", "is_demo", "is_staff")
    list_filter = ("is_active", "is_staff", "is_demo")
    search_fields = ("name", "phone")
    readonly_fields = ("masked_id_number", "real_name_verified_at", "date_joined", "last_login")
    inlines = (RoleGrantInline,)
    fieldsets = (
        (None, {"fields": ("phone", "password")}),
        (_("实名信息"), {"fields": ("name", "masked_id_number", "real_name_verified_at")}),
        (_("工作照"), {"fields": ("photo",)}),
        (_("状态"), {"fields": ("is_active", "is_demo", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("phone", "name", "password1", "password2")}),
    )

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: User) -> str:
        return obj.masked_phone

    @admin.display(description=_("身份证号"))
    def masked_id_number(self, obj: User) -> str:
        return obj.masked_id_number


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # keys are shown once, by `wangge create_api_token`

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            services.api_token_revoke(token=token)
        messages.success(request, _("已吊销 %(n)d 个令牌") % {"n": queryset.count()})


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin[PersonalDataAccess]):
    list_display = ("created_at", "actor", "subject_label", "field", "purpose", "ip_address")
    list_filter = ("field",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[RoleGrant]):
    list_display = ("user", "role", "node", "granted_by", "created_at")
    list_filter = ("role",)
    search_fields = ("user__name", "user__phone", "node__name", "node__code")
    raw_id_fields = ("user", "node", "granted_by")
    list_select_related = ("user", "node", "granted_by")
