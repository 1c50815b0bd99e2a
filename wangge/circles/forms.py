"""Input of the 圈子 pages; the services check what it means (the circle, words, rights)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PostForm(forms.Form):
    circle = forms.CharField(required=False)
    text = forms.CharField(required=False, strip=False)


class PostActionForm(forms.Form):
    """What a neighbour does on a post's page: comment, like, or report it."""

    action = forms.ChoiceField(
        choices=[("comment", "comment"), ("like", "like"), ("report", "report")],
        error_messages={"required": _("未知操作"), "invalid_choice": _("未知操作")},
    )
    text = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)


class ModerationForm(forms.Form):
    visibility = forms.CharField(required=False)
    note = forms.CharField(required=False, strip=False)
