from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wangge.accounts.identity import normalize_phone


class PhoneLoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "username"}
        ),
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _("手机号或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def clean_username(self) -> str:
        raw: str = self.cleaned_data["username"]
        try:
            return normalize_phone(raw)
        except ValidationError:
            # Keep what was typed; the generic message below does not reveal which part was wrong.
            return raw.strip()

    def clean(self) -> dict[str, Any]:
        return super().clean()
