"""Input of the review queue and of WeChat's push; the services check what it means."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("pass", "pass"), ("hide", "hide")],
        error_messages={"required": _("请选择通过或不通过"), "invalid_choice": _("未知操作")},
    )
    reason = forms.CharField(required=False, max_length=200, strip=True)


class PushQueryForm(forms.Form):
    """The query WeChat signs every push and the URL check with."""

    signature = forms.CharField(required=False, max_length=64)
    timestamp = forms.CharField(required=False, max_length=20)
    nonce = forms.CharField(required=False, max_length=64)
    echostr = forms.CharField(required=False, max_length=200)
    encrypt_type = forms.CharField(required=False, max_length=10)
