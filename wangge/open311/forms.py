"""The parameters of a GeoReport v2 call, read through forms as every other input is: the
api_key, the jurisdiction, a new request's fields and the filters of GET requests, each as
sent. What they mean, and the spec's error format, stay with `params`."""

from typing import Any

from django import forms

from wangge.core.forms import Listed


class ApiKeyForm(forms.Form):
    """The api_key a client sends as a form field or a query parameter, as sent."""

    api_key = forms.CharField(required=False, strip=False)

    def key(self) -> str | None:
        """The key sent ("" when none); None when it does not read as text."""
        if not self.is_valid():
            return None
        return str(self.cleaned_data["api_key"])


class JurisdictionForm(forms.Form):
    """The jurisdiction_id of any call, as sent; `params.check_jurisdiction` says which."""

    jurisdiction_id = forms.CharField(required=False, strip=False)


# The attributes a POST request may carry, as `attribute[<code>]` (the spec's form of them).
ATTRIBUTES = ("urgency", "request_type")


class ServiceRequestForm(forms.Form):
    """A POST requests form, each field as sent; `params.create_input` says what it means and
    refuses in the spec's format (a missing service, a bad number, a place in no district)."""

    service_code = forms.CharField(required=False, strip=False)
    lat = forms.CharField(required=False, strip=False)
    long = forms.CharField(required=False, strip=False)
    address_string = forms.CharField(required=False, strip=False)
    address_id = forms.CharField(required=False, strip=False)
    description = forms.CharField(required=False, strip=False)
    email = forms.CharField(required=False, strip=False)
    device_id = forms.CharField(required=False, strip=False)
    account_id = forms.CharField(required=False, strip=False)
    media_url = forms.CharField(required=False, strip=False)
    first_name = forms.CharField(required=False, strip=False)
    last_name = forms.CharField(required=False, strip=False)
    phone = forms.CharField(required=False, strip=False)

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        for code in ATTRIBUTES:
            self.fields[f"attribute[{code}]"] = forms.CharField(required=False, strip=False)


class RequestListForm(forms.Form):
    """The filters of GET requests, as sent; `params.list_query` says what they mean. The
    lists may come comma-separated or repeated."""

    service_request_id = Listed()
    service_code = Listed()
    status = Listed()
    start_date = forms.CharField(required=False, strip=False)
    end_date = forms.CharField(required=False, strip=False)
    page = forms.CharField(required=False, strip=False)
    page_size = forms.CharField(required=False, strip=False)
