"""A case's timeline has one writer, `cases.timeline` (event_row / event_write), and every row
it writes names its action from `cases.actions` (Action or Event), never a bare string: so a
new kind of row gets a label and a name the readers can filter on."""

import ast
from pathlib import Path

from wangge.cases.actions import ACTION_LABELS, EVENT_LABELS, Action, Event

PACKAGE = Path(__file__).resolve().parents[2] / "wangge"
WRITER = PACKAGE / "cases" / "timeline.py"


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts and p != WRITER]


def _names_case_event(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id == "CaseEvent"


def test_no_module_but_the_writer_makes_a_case_event() -> None:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            made = (
                _names_case_event(func)  # CaseEvent(...)
                or (  # inserts.new(CaseEvent, …)
                    isinstance(func, ast.Attribute)
                    and func.attr == "new"
                    and bool(node.args)
                    and _names_case_event(node.args[0])
                )
                or (
                    isinstance(func, ast.Attribute)
                    and func.attr in ("create", "bulk_create", "get_or_create")
                    and isinstance(func.value, ast.Attribute)
                    and _names_case_event(func.value.value)
                )
            )
            if made:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert found == []


def test_every_row_written_names_its_action_from_the_enums() -> None:
    found = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("event_row", "event_write")
            ):
                continue
            for kw in node.keywords:
                if kw.arg == "action" and isinstance(kw.value, ast.Constant | ast.JoinedStr):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert found == []


def test_every_name_has_a_label() -> None:
    assert set(ACTION_LABELS) == set(Action)
    assert set(EVENT_LABELS) == set(Event)
    assert set(Action).isdisjoint(set(Event))
