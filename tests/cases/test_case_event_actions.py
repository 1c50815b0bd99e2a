"""A timeline row's action is one of `CaseEvent.Action`: the names `cases.actions` gives the
writer, labelled as the timeline shows them. The choices are not a database constraint, so a row
an older release wrote under another name still loads and shows that name."""

from collections.abc import Callable

from django.utils import translation

from wangge.cases.actions import ACTION_LABELS, EVENT_LABELS, Action, Event
from wangge.cases.models import Case, CaseEvent


def test_the_choices_are_every_name_the_writer_takes() -> None:
    assert set(CaseEvent.Action.values) == {str(a) for a in Action} | {str(e) for e in Event}
    assert {m.name for m in CaseEvent.Action} == {a.name for a in Action} | {e.name for e in Event}


def test_each_label_is_the_one_the_timeline_showed() -> None:
    with translation.override("zh-hans"):
        shown = {value: str(label) for value, label in CaseEvent.Action.choices}
    assert shown == {**ACTION_LABELS, **EVENT_LABELS}


def test_every_name_fits_the_column() -> None:
    max_length = CaseEvent._meta.get_field("action").max_length
    assert max_length is not None
    assert max(len(v) for v in CaseEvent.Action.values) <= max_length


def test_a_row_of_a_name_no_longer_listed_loads_and_shows_it(report: Callable[..., Case]) -> None:
    case = report()
    # Written as an older release would have, past the model: nothing in the database refuses it.
    CaseEvent.objects.bulk_create([CaseEvent(case=case, action="legacy_note", note="旧版记录")])
    row = case.events.get(action="legacy_note")
    assert row.label == "legacy_note"
    assert case.events.get(action=CaseEvent.Action.INTAKE).label == "受理"
