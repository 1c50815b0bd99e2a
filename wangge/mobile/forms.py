from django import forms

from wangge.accounts.models import User
from wangge.consent.forms import AgreementFields
from wangge.core.forms import Ticked
from wangge.grids.forms import PointForm
from wangge.notices.models import Offer, ServicePlace


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("circle_name_display", "board_name_display", "report_public_default")
        widgets = {
            "circle_name_display": forms.RadioSelect,
            "board_name_display": forms.RadioSelect,
        }


class NearbyForm(PointForm):
    """附近's address: the phone's position, a kind of place and one of the 八可. A value that
    does not read is left out (the page falls back to the home grid, all kinds, any offer)."""

    kind = forms.ChoiceField(required=False, choices=ServicePlace.Kind.choices)
    offer = forms.ChoiceField(required=False, choices=Offer.choices)


class NextForm(forms.Form):
    """Where to go once signed in or switched (`next`, from the address or posted by the
    page); whether it is one of our own addresses is the caller's check."""

    next = forms.CharField(required=False, strip=False)


class SmsLoginForm(AgreementFields):
    """The text-message sign-in: `action=send` asks for a code, anything else signs in; both
    only with the consent box ticked (the phone is the first personal data the app takes)."""

    phone = forms.CharField(required=False, strip=False)
    action = forms.CharField(required=False)
    code = forms.CharField(required=False, strip=False)


class VerifyForm(AgreementFields):
    """Real-name verification: the ID number is sensitive personal data (个人信息保护法 第二十九条
    asks for consent of its own), so the consent box is asked here again."""

    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)


class AddressForm(forms.Form):
    """Where one lives: the words searched (`q`), the building picked among the answers, the
    room."""

    q = forms.CharField(required=False)
    building = forms.CharField(required=False)
    room = forms.CharField(required=False, strip=False)
    # Which button was pressed: 查找楼栋 (a new search, even with a building ticked from the last
    # one) or 提交给网格员确认 (a claim, which needs a building the resident chose themselves).
    search = forms.BooleanField(required=False)
    claim = forms.BooleanField(required=False)


class ReportWordsForm(forms.Form):
    """What the report form has typed so far, for the address picker: the address field (`q`)
    and the description (`text`), read the way the intake reads them (the address first)."""

    q = forms.CharField(required=False)
    text = forms.CharField(required=False)


class ClaimDecideForm(forms.Form):
    confirm = Ticked()
    note = forms.CharField(required=False, strip=False)


class ElderlyModeForm(forms.Form):
    on = Ticked()
