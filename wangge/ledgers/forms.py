"""Input of the register pages that draw their own fields; the services check what it means."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import in_window, window_message


class FacilityForm(forms.Form):
    """物: a facility added to the register (its place comes from the address picker)."""

    kind = forms.CharField(required=False)
    name = forms.CharField(required=False)
    checked_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("检查日期格式不正确")},
    )
    note = forms.CharField(required=False)

    def clean_checked_on(self) -> date | None:
        value: date | None = self.cleaned_data["checked_on"]
        if value is not None and not in_window(value):
            raise forms.ValidationError(window_message())
        return value
