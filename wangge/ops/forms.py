"""城运中心's page input, read through forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AssessmentForm(forms.Form):
    """A year's assessment asked for on demand: the unit's code and the year."""

    code = forms.CharField(max_length=32, error_messages={"required": _("请选择单位")})
    year = forms.IntegerField(
        error_messages={"required": _("请填写年度"), "invalid": _("年度须为整数")}
    )


class CircularForm(forms.Form):
    """A weekly or monthly circular asked for on demand: the unit, the kind, and a day of the
    week (or month) it covers."""

    code = forms.CharField(max_length=32, error_messages={"required": _("请选择单位")})
    kind = forms.ChoiceField(
        choices=[("weekly", _("周通报")), ("monthly", _("月通报"))],
        error_messages={"required": _("请选择通报类型"), "invalid_choice": _("请选择通报类型")},
    )
    day = forms.DateField(
        error_messages={"required": _("请选择日期"), "invalid": _("日期格式不正确")}
    )
