from django import forms

from wangge.consent.models import LegalDocument
from wangge.core.forms import Ticked


class AgreementFields(forms.Form):
    """The consent checkbox of a page that collects personal data, with the versions the page
    showed (so agreement is to what was read, not to a version published since)."""

    agree = Ticked()
    terms_version = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)
    privacy_version = forms.IntegerField(required=False, min_value=1, max_value=1_000_000)


class AgreeForm(AgreementFields):
    next = forms.CharField(required=False, strip=False)


class WithdrawForm(forms.Form):
    confirm = Ticked()


class DocumentForm(forms.ModelForm):
    """The back office's 发布新版本: a new row every time; published rows are never edited."""

    class Meta:
        model = LegalDocument
        fields = ("kind", "title", "body", "changes")
        widgets = {"body": forms.Textarea(attrs={"rows": 30, "cols": 100})}
