"""Input of the 积分兑换 pages; the mall checks what it means (stock, balance, the code)."""

from django import forms


class RedeemForm(forms.Form):
    """The key the item page made for this 兑换, so a second tap gets the first voucher."""

    idempotency_key = forms.CharField(required=False, strip=False)


class CounterCodeForm(forms.Form):
    """The voucher code at the counter: typed and posted, or scanned into `?code=`."""

    code = forms.CharField(required=False, strip=False)
