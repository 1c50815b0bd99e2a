"""Input of 小原's editors' pages; the services check what it means (the item, the words)."""

from django import forms


class SimilarAddForm(forms.Form):
    """An unanswered question added as a 相似问法 of a knowledge-base item (by its code)."""

    text = forms.CharField(required=False, strip=False)
    item = forms.CharField(required=False, strip=False)
