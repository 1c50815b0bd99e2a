"""红色厨房's page input: every field read through a form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.kitchen.models import Meal, Outcome, Payment


class EnrolForm(forms.Form):
    kitchen = forms.IntegerField(error_messages={"required": _("请选择红色厨房")})
    meals = forms.MultipleChoiceField(
        choices=Meal.choices, error_messages={"required": _("请至少选择一餐")}
    )
    diet = forms.CharField(required=False, max_length=200)
    contact_name = forms.CharField(
        max_length=50, error_messages={"required": _("请填写紧急联系人")}
    )
    contact_relation = forms.CharField(required=False, max_length=20)
    contact_phone = forms.CharField(
        max_length=20, error_messages={"required": _("请填写紧急联系人电话")}
    )
    contact_is_guardian = forms.BooleanField(required=False)
    payment = forms.ChoiceField(
        choices=Payment.choices, error_messages={"invalid_choice": _("付费方式不正确")}
    )
    resident_pays = forms.DecimalField(
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": _("个人每餐金额格式不正确"),
            "required": _("请填写个人每餐金额"),
        },
    )
    subsidy = forms.DecimalField(
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        error_messages={
            "invalid": _("补贴每餐金额格式不正确"),
            "required": _("请填写补贴每餐金额"),
        },
    )
    subsidy_source = forms.CharField(required=False, max_length=80)
    assessed_visit = forms.IntegerField(required=False)


class PlanForm(forms.Form):
    kitchen = forms.IntegerField(error_messages={"required": _("请选择红色厨房")})
    day = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("日期格式不正确"), "required": _("请选择日期")},
    )
    meal = forms.ChoiceField(choices=Meal.choices)
    window_start = forms.TimeField(
        input_formats=["%H:%M"], error_messages={"invalid": _("时间格式不正确")}
    )
    window_end = forms.TimeField(
        input_formats=["%H:%M"], error_messages={"invalid": _("时间格式不正确")}
    )
    menu = forms.CharField(required=False, max_length=200)
    deliverers = forms.IntegerField(
        min_value=1, max_value=50, error_messages={"invalid": _("送餐人数须为整数")}
    )


class DeliveryForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, o.label) for o in Outcome if o != Outcome.PENDING],
        error_messages={"invalid_choice": _("请选择已送达、不在家或拒收")},
    )
    note = forms.CharField(required=False, max_length=200)
    # Sent by the round's 更改结果 only: changing a recorded outcome must be meant.
    confirm = forms.BooleanField(required=False)


class EndForm(forms.Form):
    reason = forms.CharField(max_length=100, error_messages={"required": _("请填写停止原因")})


class FiguresForm(forms.Form):
    grid = forms.CharField(required=False, max_length=32)
    month = forms.DateField(
        required=False, input_formats=["%Y-%m"], error_messages={"invalid": _("月份格式不正确")}
    )
