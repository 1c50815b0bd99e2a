"""Input of the 圈子 pages; the services check what it means (the circle, words, rights)."""

from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from wangge.core.forms import QueryForm


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


class FeedForm(QueryForm):
    """`?c=`: which circle's feed (居民圈 without it); `choices` are the page's tabs."""

    c = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": _("没有“%(value)s”这个圈子，已显示居民圈")},
    )

    def __init__(self, data: QueryDict, *, choices: list[tuple[str, Any]], default: str) -> None:
        super().__init__(data)
        circle = cast(forms.ChoiceField, self.fields["c"])
        circle.choices = choices
        circle.initial = default
