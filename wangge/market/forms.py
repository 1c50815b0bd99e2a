"""The 发布闲置 page's input. The page draws its own fields (and fills them back from the post);
this reads them, and the service checks what they mean."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ListingForm(forms.Form):
    kind = forms.CharField(required=False, empty_value="offer")
    title = forms.CharField(required=False)
    description = forms.CharField(required=False, strip=False)
    category = forms.CharField(required=False, empty_value="other")
    condition = forms.CharField(required=False)
    price = forms.DecimalField(required=False, error_messages={"invalid": _("价格请填写数字")})
    pickup_area = forms.CharField(required=False)
