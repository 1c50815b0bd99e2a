from django import forms

from wangge.accounts.models import User


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("circle_name_display", "board_name_display", "report_public_default")
        widgets = {
            "circle_name_display": forms.RadioSelect,
            "board_name_display": forms.RadioSelect,
        }
