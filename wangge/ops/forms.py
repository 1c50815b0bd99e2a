"""城运中心's page input, read through forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import DayField, QueryForm, Ticked


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


class LiveForm(QueryForm):
    """`?screen=1`: the live counts drawn for the large screen."""

    screen = Ticked()


class CaseExportForm(forms.Form):
    """含完整电话, ticked on the export's POST (the filters are the case list's own)."""

    full_phone = Ticked()


class ExportPeriodForm(QueryForm):
    """The unit (its code; the user's own without one) and [start, end) of an export (this
    month without them)."""

    code = forms.CharField(required=False)
    start = DayField()
    end = DayField()
