"""Input of the 矛盾纠纷 pages, which draw their own fields; the services check what it means
(a next step and its date for every open dispute, the kind, the risk)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import in_window, window_message
from wangge.core.forms import MonthField, QueryForm, Ticked
from wangge.residents.models import ResidenceKind, SpecialGroup, WishStatus


class _NextStep(forms.Form):
    next_step = forms.CharField(required=False)
    next_step_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("下一步日期格式不正确")},
    )

    def clean_next_step_on(self) -> date | None:
        value: date | None = self.cleaned_data["next_step_on"]
        if value is not None and not in_window(value):
            raise forms.ValidationError(window_message())
        return value


class DisputeForm(_NextStep):
    """逐项登记: a dispute as it is registered (its building comes from the address picker)."""

    kind = forms.CharField(required=False)
    risk = forms.CharField(required=False)
    summary = forms.CharField(required=False)
    parties = forms.CharField(required=False)


class MediationForm(_NextStep):
    """One mediation session on a dispute's page."""

    notes = forms.CharField(required=False)
    agreement = forms.CharField(required=False)
    resolved = forms.BooleanField(required=False)


class PersonForm(forms.Form):
    """登记人员 by hand (the building comes from the address picker); the services check the
    ID number, phone, relation and residence, and say which input is wrong."""

    room = forms.CharField(required=False)
    household_kind = forms.CharField(required=False)
    is_rental = Ticked()
    name = forms.CharField(required=False)
    id_number = forms.CharField(required=False)
    phone = forms.CharField(required=False)
    relation = forms.CharField(required=False)
    residence = forms.CharField(required=False)


class _Position(forms.CharField):
    """A coordinate the phone put in a hidden input: optional, and one it could not read is
    no position rather than a refusal (the worker cannot fix it at the door)."""

    def to_python(self, value: object) -> float | None:  # type: ignore[override]
        try:
            return float(str(value).strip()) if value not in (None, "") else None
        except ValueError:
            return None


class VisitForm(forms.Form):
    findings = forms.CharField(required=False, strip=False)
    follow_up = forms.CharField(required=False, strip=False)
    as_case = Ticked()
    lon = _Position(required=False)
    lat = _Position(required=False)
    wish = forms.CharField(required=False, strip=False)
    wish_detail = forms.CharField(required=False, strip=False)


class TagForm(forms.Form):
    """A special group or a security category on a person's page: the plan, how often the
    grid visits, or ending it."""

    visit_every_days = forms.IntegerField(
        required=False, error_messages={"invalid": _("走访周期应在 1 到 366 天之间")}
    )
    end = Ticked()
    group = forms.CharField(required=False)
    care_plan = forms.CharField(required=False, strip=False)
    category = forms.CharField(required=False)
    measures = forms.CharField(required=False, strip=False)


WISH_ACTIONS = ("publish", "claim", "fulfil", "thank", "pay")


class WishActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(a, a) for a in WISH_ACTIONS],
        error_messages={"required": _("未知操作"), "invalid_choice": _("未知操作")},
    )
    note = forms.CharField(required=False, strip=False)
    thanks = forms.CharField(required=False, strip=False)


class NoteForm(forms.Form):
    """The worker's note on a person's moving out."""

    note = forms.CharField(required=False, strip=False)


class BuildingPickForm(forms.Form):
    """The address picker of a registration form: the building its suggestion chose (code), else
    the address as typed; which building that is, is the grids' question."""

    building = forms.CharField(required=False, strip=False)
    building_address = forms.CharField(required=False, strip=False)


DISPUTE_ACTIONS = ("mediate", "escalate", "clear")


class DisputeActionForm(forms.Form):
    """调解 / 上报 / 化解 on a dispute's page; the mediation's own inputs are MediationForm's."""

    action = forms.ChoiceField(
        choices=[(a, a) for a in DISPUTE_ACTIONS],
        error_messages={"required": _("未知操作"), "invalid_choice": _("未知操作")},
    )
    unit = forms.CharField(required=False, strip=False)
    reason = forms.CharField(required=False, strip=False)
    outcome = forms.CharField(required=False, strip=False)


# ---------------------------------------------------------------- the lists' query strings


class PersonListForm(QueryForm):
    """实有人口's filters: words, a node, a building, residence, special group, and whether
    people who moved out are shown (`present`: 1 only present, 0 only moved out, all both)."""

    q = forms.CharField(required=False)
    grid = forms.CharField(required=False)
    building = forms.CharField(required=False)
    residence = forms.ChoiceField(
        required=False,
        choices=ResidenceKind.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这种居住类型，已显示全部")},
    )
    group = forms.ChoiceField(
        required=False,
        choices=SpecialGroup.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这类特殊人群，已显示全部")},
    )
    present = forms.ChoiceField(
        required=False,
        initial="1",
        choices=[("1", "1"), ("0", "0"), ("all", "all")],
        error_messages={"invalid_choice": _("在册状态只能是 1、0 或 all，已显示在册人员")},
    )

    def present_only(self) -> bool | None:
        """True: people living here; False: those who moved out; None: both."""
        present = self.value("present")
        return None if present == "all" else present != "0"


class PersonExportForm(PersonListForm):
    """The list's filters, and `full=1` for the unmasked numbers a role may export."""

    full = Ticked()


class WishListForm(QueryForm):
    status = forms.ChoiceField(
        required=False,
        choices=WishStatus.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这种心愿状态，已显示全部")},
    )


class DisputeListForm(QueryForm):
    """`?show=open` (the default: not yet cleared) or `?show=all`."""

    show = forms.ChoiceField(
        required=False,
        initial="open",
        choices=[("open", "open"), ("all", "all")],
        error_messages={"invalid_choice": _("只能查看未清零（open）或全部（all），已显示未清零")},
    )


class ScreeningForm(QueryForm):
    """`?month=2026-03`: the month screened (this month without it)."""

    month = MonthField()
