"""巡查's page input, read through forms."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import DayField, QueryForm
from wangge.grids.forms import PointForm
from wangge.patrols.models import PatrolReport

_NO_PLACE = {
    "required": _("未获取到位置，请允许定位后重试"),
    "invalid": _("未获取到位置，请允许定位后重试"),
    "min_value": _("位置无效"),
    "max_value": _("位置无效"),
}


class FindingForm(PointForm):
    """A finding on patrol: where the phone was (required here, the worker told why when the
    phone gave none), what was found, and whether it was fixed on the spot (自行处置) with its
    result."""

    hazard = forms.CharField(required=False)
    description = forms.CharField(required=False, strip=False)
    fixed = forms.BooleanField(required=False)
    result = forms.CharField(required=False, strip=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.point_required(_NO_PLACE)


class EndForm(forms.Form):
    summary = forms.CharField(required=False, strip=False)


class ReportForm(QueryForm):
    """A report on demand: which node (on the archive page's picker), 周报告 or 月汇总, and
    any day of its period (today without one)."""

    node = forms.CharField(required=False)
    kind = forms.ChoiceField(
        required=False,
        initial=PatrolReport.Kind.WEEKLY,
        choices=PatrolReport.Kind.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这种报告，请选择周报告或月汇总")},
    )
    day = DayField()
