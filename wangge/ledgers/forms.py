"""Input of the register pages that draw their own fields; the services check what it means."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wangge.core.dates import in_window, window_message
from wangge.core.forms import QueryForm, Ticked
from wangge.grids.forms import PointForm
from wangge.ledgers.models import FacilityKind, OrganisationKind


class PlaceForm(forms.Form):
    """Where a register's entry is: the address picker's building (its code, else the typed
    address), or else a node from the page's list of the user's nodes."""

    building = forms.CharField(required=False, strip=False)
    building_address = forms.CharField(required=False, strip=False)
    node = forms.CharField(required=False, strip=False)


class FacilityForm(forms.Form):
    """物: a facility added to the register (its place comes from the address picker)."""

    kind = forms.CharField(required=False)
    name = forms.CharField(required=False)
    checked_on = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("检查日期格式不正确")},
    )
    note = forms.CharField(required=False)

    def clean_checked_on(self) -> date | None:
        value: date | None = self.cleaned_data["checked_on"]
        if value is not None and not in_window(value):
            raise forms.ValidationError(window_message())
        return value


class OrganisationForm(forms.Form):
    """组织: one typed into the register (the node from the page's list of the user's nodes)."""

    kind = forms.CharField(required=False)
    name = forms.CharField(required=False)
    node = forms.CharField(required=False)
    address = forms.CharField(required=False)
    contact_name = forms.CharField(required=False)
    contact_phone = forms.CharField(required=False)
    note = forms.CharField(required=False)


class TopicForm(forms.Form):
    """议事厅: a topic put to the residents of a node."""

    node = forms.CharField(required=False)
    title = forms.CharField(required=False)
    body = forms.CharField(required=False, strip=False)


ORGANISATION_FIELDS = tuple(OrganisationForm.base_fields)
TOPIC_FIELDS = tuple(TopicForm.base_fields)


class SurveyForm(forms.Form):
    """民意调查 as staff write it; the questions in the page's plain-text notation."""

    node = forms.CharField(required=False)
    title = forms.CharField(required=False)
    intro = forms.CharField(required=False, strip=False)
    questions = forms.CharField(required=False, strip=False)


SURVEY_FIELDS = tuple(SurveyForm.base_fields)


class _Values(forms.Field):
    """Every value sent under one name (a multiple choice sends several), as typed."""

    widget = forms.SelectMultiple

    def to_python(self, value: object) -> list[str]:
        return [str(v) for v in value] if isinstance(value, list | tuple) else []


class SurveyAnswersForm(forms.Form):
    """One household's answers: a field per question (`q-<id>`), and for a door-to-door
    answer the building and room. The survey checks what each answer means."""

    def __init__(self, data: Any, *, questions: Iterable[Any], door: bool = False) -> None:
        super().__init__(data)
        self.question_ids = [q.pk for q in questions]
        for pk in self.question_ids:
            self.fields[f"q-{pk}"] = _Values(required=False)
        if door:
            self.fields["building"] = forms.CharField(required=False)
            self.fields["room"] = forms.CharField(required=False, strip=False)

    def answers(self) -> dict[int, list[str]]:
        return {pk: self.cleaned_data[f"q-{pk}"] for pk in self.question_ids}


class InspectionForm(PointForm):
    """A filled checklist as the phone's form sends it, for the page and for the API the
    offline outbox posts to: `item-<id>` (pass/fail), `note-<id>` and `report-<id>` for each
    item, the building (picker) or the place, a note, and the position the phone took at the
    door (a part that does not read is no position: the building places it then). What each
    answer means is `inspection_input`'s question."""

    building = forms.CharField(required=False, strip=False)
    building_address = forms.CharField(required=False, strip=False)
    place = forms.CharField(required=False, strip=False)
    note = forms.CharField(required=False, strip=False)

    def __init__(self, data: Any, *, items: Iterable[Any]) -> None:
        super().__init__(data)
        self.items = list(items)
        for item in self.items:
            self.fields[f"item-{item.pk}"] = forms.CharField(required=False, strip=False)
            self.fields[f"note-{item.pk}"] = forms.CharField(required=False, strip=False)
            self.fields[f"report-{item.pk}"] = Ticked()

    def values(self) -> dict[str, Any]:
        """Every input as read; a position that does not read is left out (see `point`)."""
        self.is_valid()
        return self.cleaned_data

    def rows(self) -> list[tuple[Any, str, str, bool]]:
        """(item, answer, note, report) of each item, as typed, to draw the checklist again."""
        data = self.values()
        return [
            (
                item,
                data.get(f"item-{item.pk}", ""),
                data.get(f"note-{item.pk}", ""),
                data.get(f"report-{item.pk}", False),
            )
            for item in self.items
        ]


class InspectionListForm(QueryForm):
    """`?open=1`: only the inspections with an item still to rectify."""

    open = Ticked()


class FacilityListForm(QueryForm):
    """`?kind=`: the register of one kind of facility (all kinds without it)."""

    kind = forms.ChoiceField(
        required=False,
        choices=FacilityKind.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这类设施，已显示全部")},
    )


class OrganisationListForm(QueryForm):
    """`?kind=`: the register of one kind of organisation (all kinds without it)."""

    kind = forms.ChoiceField(
        required=False,
        choices=OrganisationKind.choices,
        error_messages={"invalid_choice": _("没有“%(value)s”这类组织，已显示全部")},
    )


class TemplatePickForm(forms.Form):
    """Which 排查清单 the worker opened (`?template=` on the page, posted with the checklist)."""

    template = forms.CharField(required=False, strip=False)


class RectifyForm(forms.Form):
    note = forms.CharField(required=False, strip=False)


class FacilityStatusForm(forms.Form):
    status = forms.CharField(required=False, strip=False)


class TopicDecideForm(forms.Form):
    decision = forms.CharField(required=False, strip=False)


class VoteForm(forms.Form):
    choice = forms.CharField(required=False, strip=False)


class CommentForm(forms.Form):
    body = forms.CharField(required=False, strip=False)
