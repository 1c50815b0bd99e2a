"""The 发布闲置 page's input. The page draws its own fields (and fills them back from the post);
this reads them, and the service checks what they mean."""

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import QueryForm
from wangge.market.models import Listing


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


class BrowseForm(QueryForm):
    """乐享闲置's search: words, 出让 or 求购, and 本网格 / 本社区 (the whole district without)."""

    q = forms.CharField(required=False, strip=False)
    kind = forms.ChoiceField(
        required=False,
        choices=Listing.Kind.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这类闲置，已显示全部")},
    )
    scope = forms.ChoiceField(
        required=False,
        choices=[("grid", "grid"), ("community", "community")],
        error_messages={"invalid_choice": _("范围只能是本网格或本社区，已显示全区")},
    )
