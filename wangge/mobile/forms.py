from django import forms

from wangge.accounts.models import User
from wangge.notices.models import Offer, ServicePlace


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("circle_name_display", "board_name_display", "report_public_default")
        widgets = {
            "circle_name_display": forms.RadioSelect,
            "board_name_display": forms.RadioSelect,
        }


class NearbyForm(forms.Form):
    """附近's address: the phone's position, a kind of place and one of the 八可. A value that
    does not read is left out (the page falls back to the home grid, all kinds, any offer)."""

    lon = forms.FloatField(required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90)
    kind = forms.ChoiceField(required=False, choices=ServicePlace.Kind.choices)
    offer = forms.ChoiceField(required=False, choices=Offer.choices)
