"""`case_act` runs one step for each action of the state table, from the module of its part of
the loop (dispatch, departments, supervision, closing): each module says which actions it
handles, and no action is claimed twice, which joining the tables would hide."""

from collections import Counter

from wangge.cases.services import HANDLERS
from wangge.cases.services.closing import CLOSING_STEPS
from wangge.cases.services.departments import DEPARTMENT_STEPS
from wangge.cases.services.dispatch import DISPATCH_STEPS
from wangge.cases.services.supervision import SUPERVISION_STEPS
from wangge.cases.workflow import TRANSITIONS, Action

TABLES = {
    "dispatch": DISPATCH_STEPS,
    "departments": DEPARTMENT_STEPS,
    "supervision": SUPERVISION_STEPS,
    "closing": CLOSING_STEPS,
}


def test_every_action_has_exactly_one_step() -> None:
    claimed = Counter(action for table in TABLES.values() for action in table)
    assert [action for action, n in claimed.items() if n > 1] == []
    assert set(claimed) == set(HANDLERS) == set(TRANSITIONS) == set(Action)


def test_each_step_lives_in_the_module_of_its_table() -> None:
    for module, table in TABLES.items():
        assert {step.__module__ for step in table.values()} == {f"wangge.cases.services.{module}"}
