"""The api_key of a GeoReport v2 call, read through a form as every other input is; what it
means (a token, revoked or not) and the spec's error format stay with `params.authenticate`."""

from django import forms


class ApiKeyForm(forms.Form):
    """The api_key a client sends as a form field or a query parameter, as sent."""

    api_key = forms.CharField(required=False, strip=False)

    def key(self) -> str | None:
        """The key sent ("" when none); None when it does not read as text."""
        if not self.is_valid():
            return None
        return str(self.cleaned_data["api_key"])
