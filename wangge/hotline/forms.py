"""The call-taker desk form: one form for looking up, creating and merging a call."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.accounts.identity import normalize_phone
from wangge.cases.models import Category, Urgency
from wangge.grids.models import GridNode
from wangge.hotline.services import ORDER_NO, ORDER_TYPES, HotlineOrderInput

LOOKUP, CREATE, MERGE = "lookup", "create", "merge"


class DeskForm(forms.Form):
    order_no = forms.CharField(
        label=_("工单编号"), required=False, max_length=64, help_text=_("留空则自动生成")
    )
    caller_phone = forms.CharField(label=_("来电号码"), required=False, max_length=20)
    caller_name = forms.CharField(label=_("诉求人"), required=False, max_length=50)
    address = forms.CharField(label=_("诉求地址"), required=False, max_length=200)
    content = forms.CharField(
        label=_("诉求内容"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    category = forms.ChoiceField(label=_("分类"), required=False)
    order_type = forms.ChoiceField(
        label=_("诉求类型"),
        required=False,
        choices=[("", _("（未选择）")), *((t, t) for t in ORDER_TYPES)],
    )
    urgency = forms.ChoiceField(
        label=_("紧急程度"), required=False, choices=[("", _("按分类默认")), *Urgency.choices]
    )
    street = forms.ChoiceField(label=_("承办街道"), required=False)
    merge_into = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, streets: list[GridNode], action: str = LOOKUP, **kw: Any):
        super().__init__(*args, **kw)
        self.action = action
        street: forms.ChoiceField = self.fields["street"]  # type: ignore[assignment]
        street.choices = [
            ("", _("（不指定）")),
            *((s.code, s.name) for s in streets),
        ]
        leaves = Category.objects.filter(is_active=True, children__isnull=True).order_by("code")
        category: forms.ChoiceField = self.fields["category"]  # type: ignore[assignment]
        category.choices = [
            ("", _("由系统推荐")),
            *((c.code, f"{c.code} {c.name}") for c in leaves),
        ]

    def clean_order_no(self) -> str:
        value: str = self.cleaned_data["order_no"].strip()
        if value and not ORDER_NO.match(value):
            raise ValidationError(_("工单编号只能包含字母、数字、“-”或“_”"))
        return value

    def clean_caller_phone(self) -> str:
        value: str = self.cleaned_data["caller_phone"].strip()
        return normalize_phone(value) if value else ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.action in (CREATE, MERGE) and not (data.get("content") or "").strip():
            self.add_error("content", _("请填写诉求内容"))
        if self.action == MERGE and not data.get("merge_into"):
            self.add_error(None, _("请选择要合并到的事件"))
        # A mistyped phone has its own error; say nothing more about it here.
        phone_typed = bool(data.get("caller_phone") or self.data.get("caller_phone", "").strip())
        place_and_text = bool(data.get("address") and data.get("content"))
        if self.action == LOOKUP and not phone_typed and not place_and_text:
            raise ValidationError(
                _("请填写来电号码查看历史诉求，或填写诉求地址和内容查找附近的相似事件")
            )
        return data

    def to_order(self) -> HotlineOrderInput:
        d = self.cleaned_data
        return HotlineOrderInput(
            order_no=d["order_no"],
            content=d["content"],
            caller_name=d["caller_name"],
            caller_phone=d["caller_phone"],
            address=d["address"],
            category=d["category"],
            order_type=d["order_type"],
            urgency=d["urgency"],
            street=d["street"],
        )


class DeskStepForm(forms.Form):
    """Which step of the desk the call-taker pressed: 查重 (lookup), 新建 or 合并 (a button
    that sends `merge_into`); anything else is a lookup."""

    action = forms.CharField(required=False)
    merge_into = forms.CharField(required=False)

    def step(self) -> str:
        d = self.cleaned_data if self.is_valid() else {}
        if d.get("merge_into"):
            return MERGE
        action = d.get("action") or LOOKUP
        return action if action in (LOOKUP, CREATE, MERGE) else LOOKUP


class DeskPlaceForm(forms.Form):
    """What the desk form holds so far, for the line beside the address (hotline_desk.js)."""

    address = forms.CharField(required=False, max_length=200)
    content = forms.CharField(required=False, max_length=4000)
