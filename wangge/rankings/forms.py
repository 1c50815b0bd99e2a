"""荣誉榜单's page input: which board, period, day and unit (the API reads the same names
through its schema, `api.BoardQuery`); what each means is `selectors.parse`'s question."""

from django import forms

from wangge.core.forms import DayField


class BoardForm(forms.Form):
    board = forms.CharField(required=False)
    period = forms.CharField(required=False)
    date = DayField()
    grid = forms.CharField(required=False)
