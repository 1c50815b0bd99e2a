from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import validate_in_window
from wangge.notices.models import Notice


class NoticeForm(forms.Form):
    node = forms.ChoiceField(label=_("发布范围"))
    kind = forms.ChoiceField(label=_("类型"), choices=Notice.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=80)
    body = forms.CharField(
        label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    pinned = forms.BooleanField(label=_("置顶"), required=False)
    expires_at = forms.DateTimeField(
        label=_("过期时间（可不填）"),
        required=False,
        validators=[validate_in_window],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args: Any, nodes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["node"]).choices = nodes
