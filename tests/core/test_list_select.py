"""A long list's select, written in Python, is the HTML Django's own templates write."""

import re

import pytest
from django import forms

from wangge.core.forms import ListSelect

CHOICES = [
    ("", "全部"),
    ("410102001", "林山寨街道"),
    ("410102001002", "　碧沙岗社区 <b>&\"'"),
    (7, "数字的值"),
]
GROUPED = [("", "请选择"), ("城管", [("CGJ", "城管局"), ("CZJ", "城管执法")]), ("ZJJ", "住建局")]


@pytest.mark.parametrize("choices", [CHOICES, GROUPED])
@pytest.mark.parametrize("value", [None, "", "410102001002", "7", "CZJ", "没有这一项"])
@pytest.mark.parametrize("required", [False, True])
def test_the_html_is_djangos(choices: list, value: str | None, required: bool) -> None:
    def field(widget: type[forms.Select]) -> str:
        class F(forms.Form):
            node = forms.ChoiceField(
                label="承办网格", choices=choices, required=required, widget=widget
            )

        form = F({"node": value} if value is not None else None)
        return str(form["node"])

    # The same but for the line breaks between the tags, which a browser does not show.
    assert field(ListSelect) == re.sub(r">\s+<", "><", field(forms.Select))


def test_a_label_is_escaped() -> None:
    html = ListSelect(choices=CHOICES).render("grid", "")
    assert "<b>" not in html and "&lt;b&gt;&amp;&quot;&#x27;" in html
    assert '<option value="" selected>全部</option>' in html
