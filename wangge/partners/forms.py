"""共建单位 and 民生服务项目's page input: every field read through a form. Money is typed in
yuan with at most two decimals and read as whole fen (never a float)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.partners.models import NeedSource, ProjectStatus, ResourceKind, UnitKind
from wangge.partners.services import ShareInput

# The share lines a page offers (a project has two or three parties in practice).
SHARE_LINES = 5
MAX_YUAN = Decimal("99999999.99")


# Row numbers are 64-bit: a larger one is an unreadable input, never a database error.
MAX_ID = 2**63 - 1


def row(required: bool = True, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(required=required, min_value=1, max_value=MAX_ID, **kwargs)


def fen(amount: Decimal) -> int:
    return int(amount * 100)


def as_yuan(amount_fen: int) -> str:
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


class PickNeedForm(forms.Form):
    """`?need=` of the new project's page: the need it answers, chosen from the list."""

    need = row(required=False)


def _yuan(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        required=required,
        min_value=Decimal("0.01"),
        max_value=MAX_YUAN,
        max_digits=10,
        decimal_places=2,
        error_messages={
            "invalid": _("%(label)s须为金额，如 1200 或 1200.50") % {"label": label},
            "required": _("请填写%(label)s") % {"label": label},
            "min_value": _("%(label)s须大于 0 元") % {"label": label},
            "max_value": _("%(label)s过大") % {"label": label},
            "max_decimal_places": _("金额最多两位小数（分）"),
            "max_digits": _("%(label)s过大") % {"label": label},
        },
    )


class UnitForm(forms.Form):
    name = forms.CharField(max_length=80, error_messages={"required": _("请填写单位名称")})
    kind = forms.ChoiceField(
        choices=UnitKind.choices, error_messages={"invalid_choice": _("请选择单位类型")}
    )
    node = row(error_messages={"required": _("请选择共建的街道或社区")})
    contact_name = forms.CharField(max_length=50, error_messages={"required": _("请填写联系人")})
    contact_phone = forms.CharField(max_length=20, error_messages={"required": _("请填写联系电话")})
    note = forms.CharField(required=False, max_length=200)


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ResourceKind.choices, error_messages={"invalid_choice": _("请选择资源类型")}
    )
    description = forms.CharField(max_length=200, error_messages={"required": _("请填写资源说明")})
    capacity = forms.CharField(required=False, max_length=80)


class NeedForm(forms.Form):
    source = forms.ChoiceField(
        choices=NeedSource.choices, error_messages={"invalid_choice": _("请选择需求来源")}
    )
    wish = row(required=False)
    topic = row(required=False)
    case = row(required=False)
    node = row(required=False)
    title = forms.CharField(required=False, max_length=100)
    detail = forms.CharField(required=False, max_length=1000)

    def source_id(self) -> int | None:
        source = self.cleaned_data["source"]
        value: int | None = self.cleaned_data.get(source) if source != "staff" else None
        return value


class SharesForm(forms.Form):
    """The project's total and up to SHARE_LINES parties, each "u<id>" (a unit) or "n<id>" (the
    community or street) with its amount."""

    total = _yuan(_("项目总额"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, SHARE_LINES + 1):
            self.fields[f"party_{i}"] = forms.RegexField(
                regex=r"^[un]\d{1,10}$",
                required=False,
                error_messages={"invalid": _("出资方不正确")},
            )
            self.fields[f"amount_{i}"] = _yuan(_("出资金额"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shares = []
        for i in range(1, SHARE_LINES + 1):
            party, amount = data.get(f"party_{i}"), data.get(f"amount_{i}")
            if not party and amount is None:
                continue
            if not party:
                raise forms.ValidationError(_("第 %(i)s 行：请选择出资方") % {"i": i})
            if amount is None:
                raise forms.ValidationError(_("第 %(i)s 行：请填写出资金额") % {"i": i})
            ident = int(party[1:])
            shares.append(
                ShareInput(
                    amount_fen=fen(amount),
                    unit_id=ident if party[0] == "u" else None,
                    node_id=ident if party[0] == "n" else None,
                )
            )
        data["shares"] = tuple(shares)
        return data

    def lines(self) -> list[dict[str, Any]]:
        """What was typed in each line, drawn back into the page."""
        return [
            {
                "i": i,
                "party": self[f"party_{i}"].value() or "",
                "amount": self[f"amount_{i}"].value() or "",
            }
            for i in range(1, SHARE_LINES + 1)
        ]


class ProjectForm(SharesForm):
    need = row(error_messages={"required": _("请选择社区需求")})
    title = forms.CharField(max_length=100, error_messages={"required": _("请填写项目名称")})
    resources = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())
    residents_served = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": _("服务人数须为整数")},
    )
    households_served = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": _("服务户数须为整数")},
    )

    def __init__(self, *args: Any, resource_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = [(i, i) for i in resource_ids or []]  # type: ignore[attr-defined]
        self.fields["resources"].error_messages["invalid_choice"] = _("请选择可用的共建资源")


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(
        choices=ProjectStatus.choices, error_messages={"invalid_choice": _("进展不正确")}
    )
    note = forms.CharField(max_length=300, error_messages={"required": _("请填写进展情况")})
    on = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": _("日期格式不正确")}
    )
    residents_served = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": _("服务人数须为整数")},
    )
    households_served = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": _("服务户数须为整数")},
    )


class NoteForm(forms.Form):
    note = forms.CharField(max_length=300, error_messages={"required": _("请填写进展情况")})
    on = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": _("日期格式不正确")}
    )
    residents_served = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=2_000_000_000,
        error_messages={"invalid": _("服务人数须为整数")},
    )


class CompoundForm(forms.Form):
    node = row(error_messages={"required": _("请选择管理小区")})
    since = forms.DateField(
        required=False, input_formats=["%Y-%m-%d"], error_messages={"invalid": _("日期格式不正确")}
    )


class StaffForm(forms.Form):
    phone = forms.RegexField(
        regex=r"^1\d{10}$",
        error_messages={"required": _("请填写手机号"), "invalid": _("手机号格式不正确")},
    )
    post = forms.CharField(required=False, max_length=40)


class PeriodForm(forms.Form):
    start = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("开始日期格式不正确")},
    )
    end = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("结束日期格式不正确")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期"))
        return data
