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


class OrganisationForm(forms.Form):
    """组织: one typed into the register (the node from the page's list of the user's nodes)."""

    kind = forms.CharField(required=False)
    name = forms.CharField(required=False)
    node = forms.CharField(required=False)
    address = forms.CharField(required=False)
    contact_name = forms.CharField(required=False)
    contact_phone = forms.CharField(required=False)
    note = forms.CharField(required=False)


class TopicForm(forms.Form):
    """议事厅: a topic put to the residents of a node."""

    node = forms.CharField(required=False)
    title = forms.CharField(required=False)
    body = forms.CharField(required=False, strip=False)


ORGANISATION_FIELDS = tuple(OrganisationForm.base_fields)
TOPIC_FIELDS = tuple(TopicForm.base_fields)
