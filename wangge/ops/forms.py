"""城运中心's page input, read through forms."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AssessmentForm(forms.Form):
    """A year's assessment asked for on demand: the unit's code and the year."""

    code = forms.CharField(max_length=32, error_messages={"required": _("请选择单位")})
    year = forms.IntegerField(
        error_messages={"required": _("请填写年度"), "invalid": _("年度须为整数")}
    )
