"""Input of the 党员双报到 pages, which draw their own fields; the services check what it means
(a branch that holds members, a community in the staff member's scope, the slots' range)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DeclareForm(forms.Form):
    org = forms.IntegerField(
        required=False, error_messages={"invalid": _("请选择所在的党支部或党小组")}
    )
    # A date of history, not of the platform's own events: the service bounds it by the party's
    # founding and today, so members who joined before 2000 can declare.
    joined_on = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={"required": _("请填写入党日期"), "invalid": _("请填写入党日期")},
    )
    commitment = forms.CharField(required=False, strip=False)
    duty = forms.CharField(required=False, strip=False)


class RegistrationForm(forms.Form):
    kind = forms.CharField(required=False)
    community = forms.CharField(required=False)
    unit = forms.IntegerField(required=False, error_messages={"invalid": _("请选择工作单位党组织")})
    note = forms.CharField(required=False, strip=False)


class PostForm(forms.Form):
    community = forms.CharField(required=False)
    category = forms.CharField(required=False)
    title = forms.CharField(required=False, strip=False)
    description = forms.CharField(required=False, strip=False)
    slots = forms.IntegerField(required=False, error_messages={"invalid": _("名额请填写数字")})


class NextForm(forms.Form):
    """Where a member's action on 我的双报到 returns to (the page it was made from)."""

    next = forms.CharField(required=False)


class CommitmentForm(forms.Form):
    commitment = forms.CharField(required=False, strip=False)


class DecideForm(forms.Form):
    """A branch's answer to a declared member: 核实 (`approve`) or 退回, with a note."""

    decision = forms.CharField(required=False)
    note = forms.CharField(required=False, strip=False)


class StarsYearForm(forms.Form):
    """The year the 五星支部 list opens on (this year when none is given)."""

    year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("年度请填写四位数字"),
            "min_value": _("年度须在 2000 到 2100 之间"),
            "max_value": _("年度须在 2000 到 2100 之间"),
        },
    )


class StarEvidenceForm(forms.Form):
    criterion = forms.IntegerField(required=False, error_messages={"invalid": _("请选择评定标准")})
    note = forms.CharField(required=False, strip=False)
