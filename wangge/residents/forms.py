"""Input of the 矛盾纠纷 pages, which draw their own fields; the services check what it means
(a next step and its date for every open dispute, the kind, the risk)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import in_window, window_message


class _NextStep(forms.Form):
    next_step = forms.CharField(required=False)
    next_step_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("下一步日期格式不正确")},
    )

    def clean_next_step_on(self) -> date | None:
        value: date | None = self.cleaned_data["next_step_on"]
        if value is not None and not in_window(value):
            raise forms.ValidationError(window_message())
        return value


class DisputeForm(_NextStep):
    """逐项登记: a dispute as it is registered (its building comes from the address picker)."""

    kind = forms.CharField(required=False)
    risk = forms.CharField(required=False)
    summary = forms.CharField(required=False)
    parties = forms.CharField(required=False)


class MediationForm(_NextStep):
    """One mediation session on a dispute's page."""

    notes = forms.CharField(required=False)
    agreement = forms.CharField(required=False)
    resolved = forms.BooleanField(required=False)
