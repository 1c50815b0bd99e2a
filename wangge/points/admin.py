import uuid
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wangge.points.mall import item_restock
from wangge.points.models import (
    Account,
    Cabinet,
    Earning,
    EarningRule,
    Item,
    Merchant,
    ReconciliationReport,
    StockMovement,
    Voucher,
)
from wangge.points.services import points_budget


@admin.register(EarningRule)
class EarningRuleAdmin(admin.ModelAdmin[EarningRule]):
    list_display = ("name", "code", "kind", "category", "points", "daily_cap", "active")
    list_filter = ("kind", "active")
    list_editable = ("points", "daily_cap", "active")
    search_fields = ("code", "name", "category")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Callers name rules by code: once a rule exists its code stays.
        return ("code",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or not obj.earnings.exists()
        )


@admin.register(Earning)
class EarningAdmin(admin.ModelAdmin[Earning]):
    """Read-only: earnings are written by the earn() service and reversed in the ledger."""

    list_display = ("created_at", "rule", "owner", "quantity", "requested", "granted", "outcome")
    list_filter = ("outcome", "rule")
    search_fields = ("idempotency_key", "reason")
    raw_id_fields = ("owner",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccountForm(forms.ModelForm[Account]):
    budget_add = forms.IntegerField(
        label=_("下拨预算"),
        required=False,
        min_value=1,
        help_text=_("仅发放账户：本次从区活力值来源下拨的数额，写入流水"),
    )

    class Meta:
        model = Account
        fields = ("kind", "name", "owner")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or (self.instance.kind if self.instance.pk else None)
        if data.get("budget_add") and kind != Account.Kind.ISSUER:
            raise forms.ValidationError(_("只有发放账户可以下拨预算"))
        return data


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin[Account]):
    """Budgets: issuing accounts are created here and funded through the ledger; balances are
    never edited by hand."""

    form = AccountForm
    list_display = ("name", "kind", "owner", "balance", "held")
    list_filter = ("kind",)
    search_fields = ("name",)
    raw_id_fields = ("owner",)
    readonly_fields = ("balance", "held", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        base = ("balance", "held", "created_at")
        return (*base, "kind", "owner") if obj is not None else base

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["kind", "name", "owner", "budget_add", "balance", "held", "created_at"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Account, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        amount = form.cleaned_data.get("budget_add")
        if amount:
            points_budget(
                issuer=obj,
                amount=amount,
                key=f"admin-budget:{uuid.uuid4().hex}",
                reason=gettext("管理后台下拨预算（%(user)s）") % {"user": request.user},
            )


class ItemForm(forms.ModelForm[Item]):
    stock_change = forms.IntegerField(
        label=_("补货 / 盘点调整"),
        required=False,
        help_text=_("正数为补货，负数为盘点减少；记入库存变动"),
    )
    stock_note = forms.CharField(label=_("变动备注"), required=False, max_length=200)

    class Meta:
        model = Item
        fields = (
            "kind",
            "cabinet",
            "merchant",
            "name",
            "description",
            "points",
            "offer_type",
            "terms",
            "valid_from",
            "valid_until",
            "active",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Item.Kind.GOODS and (not data.get("cabinet") or data.get("merchant")):
            raise forms.ValidationError(_("兑换柜物品须选择兑换柜，且不选商户"))
        if kind == Item.Kind.OFFER and (not data.get("merchant") or data.get("cabinet")):
            raise forms.ValidationError(_("商户优惠须选择商户，且不选兑换柜"))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            raise forms.ValidationError(_("有效期止不能早于有效期起"))
        change = data.get("stock_change")
        current = self.instance.stock if self.instance.pk else 0
        if change and current + change < 0:
            raise forms.ValidationError(
                _("可兑数量只有 %(stock)d，不能减少 %(n)d") % {"stock": current, "n": -change}
            )
        return data


class MovementInline(admin.TabularInline[StockMovement, Item]):
    model = StockMovement
    fields = ("created_at", "kind", "stock_delta", "reserved_delta", "voucher", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-created_at",)
    max_num = 0


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    form = ItemForm
    list_display = ("name", "kind", "cabinet", "merchant", "points", "stock", "reserved", "active")
    list_filter = ("kind", "active", "cabinet", "merchant")
    search_fields = ("name",)
    readonly_fields = ("stock", "reserved")
    inlines = (MovementInline,)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*ItemForm.Meta.fields, "stock", "reserved", "stock_change", "stock_note"]

    def save_model(self, request: HttpRequest, obj: Item, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        amount = form.cleaned_data.get("stock_change")
        if amount:
            item_restock(
                item=obj,
                quantity=amount,
                actor=request.user,  # type: ignore[arg-type]
                note=form.cleaned_data.get("stock_note") or gettext("管理后台"),
            )


@admin.register(Cabinet)
class CabinetAdmin(admin.ModelAdmin[Cabinet]):
    list_display = ("name", "place", "node", "opening_hours", "active")
    list_filter = ("active",)
    search_fields = ("name", "place")
    raw_id_fields = ("node",)
    filter_horizontal = ("keepers",)


@admin.register(Merchant)
class MerchantAdmin(admin.ModelAdmin[Merchant]):
    list_display = ("name", "address", "node", "phone", "active")
    list_filter = ("active",)
    search_fields = ("name", "address")
    raw_id_fields = ("node",)
    filter_horizontal = ("staff",)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ("code", "item", "owner", "points", "status", "created_at", "settled_at")
    list_filter = ("status",)
    search_fields = ("code",)


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(ReadOnlyAdmin):
    list_display = ("ran_at", "ok")
    list_filter = ("ok",)
