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


_TAMPERED = {"required": _("操作失败，请重试"), "invalid": _("操作失败，请重试")}


class ReservationActionForm(forms.Form):
    """取消 / 确认交接 / 评价 on a listing's page: the page always sends the reservation, so a
    post without one (or with no number) was not made by it."""

    reservation = forms.IntegerField(error_messages=_TAMPERED)
    stars = forms.IntegerField(required=False, error_messages=_TAMPERED)
    comment = forms.CharField(required=False, strip=False)
