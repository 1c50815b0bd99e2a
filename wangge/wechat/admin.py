from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wangge.core.errors import DomainError
from wangge.wechat import services
from wangge.wechat.models import (
    GroupRobot,
    Outbound,
    SubscribeTemplate,
    SubscriptionGrant,
    WechatIdentity,
    WecomIdentity,
)


@admin.register(SubscribeTemplate)
class SubscribeTemplateAdmin(admin.ModelAdmin[SubscribeTemplate]):
    list_display = ("event", "template_id", "long_term")


@admin.register(WecomIdentity)
class WecomIdentityAdmin(admin.ModelAdmin[WecomIdentity]):
    """An administrator binds a staff account to its 企业微信 userid here."""

    list_display = ("user", "userid", "bound_by", "bound_at")
    search_fields = ("userid", "user__name")
    raw_id_fields = ("user",)
    readonly_fields = ("bound_by", "bound_at")

    def save_model(self, request: HttpRequest, obj: WecomIdentity, form: Any, change: bool) -> None:
        try:
            services.wecom_bind(user=obj.user, userid=obj.userid, how="管理后台")
        except DomainError as e:
            messages.error(request, e.message)


@admin.register(WechatIdentity)
class WechatIdentityAdmin(admin.ModelAdmin[WechatIdentity]):
    """Who signed in from WeChat and to which account; the openid is not shown in full."""

    list_display = ("__str__", "app", "user", "fallback", "bound_at", "last_login_at")
    list_filter = ("app",)
    search_fields = ("user__name",)
    fields = ("app", "user", "fallback", "created_at", "bound_at", "last_login_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(SubscriptionGrant)
class SubscriptionGrantAdmin(admin.ModelAdmin[SubscriptionGrant]):
    list_display = ("user", "template_id", "available", "long_term", "last_answer", "updated_at")
    list_filter = ("last_answer",)
    readonly_fields = [f.name for f in SubscriptionGrant._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Outbound)
class OutboundAdmin(admin.ModelAdmin[Outbound]):
    """Delivery status for operators: what was sent, what was not, and why."""

    list_display = (
        "created_at",
        "channel",
        "event",
        "user",
        "node",
        "title",
        "state",
        "attempts",
        "error",
    )
    list_filter = ("state", "channel", "event")
    search_fields = ("title", "user__name", "msgid")
    readonly_fields = [f.name for f in Outbound._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(GroupRobot)
class GroupRobotAdmin(admin.ModelAdmin[GroupRobot]):
    """A micro-grid's residents' group robot: grid notices to the micro-grid are posted to it.
    The list shows the key only in part: whoever holds it can post to the group."""

    list_display = ("name", "micro_grid", "masked_key", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "micro_grid__name", "micro_grid__code")
    raw_id_fields = ("micro_grid",)

    @admin.display(description=_("Webhook key（部分）"))
    def masked_key(self, obj: GroupRobot) -> str:
        key = obj.key
        return f"{key[:4]}…{key[-4:]}" if len(key) > 8 else "…"
