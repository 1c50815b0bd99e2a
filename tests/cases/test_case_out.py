"""A case's answer (`case_out`): the case's own values, rendered as the API renders them, and
pydantic's validation still applied to what a caller adds."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory
from pydantic import ValidationError

from wangge.accounts.models import User
from wangge.api import api
from wangge.cases.api import CaseDetailOut, CaseOut, case_out
from wangge.cases.models import Case
from wangge.cases.services import plain_status


def _rendered(data: Any) -> bytes:
    content = api.renderer.render(RequestFactory().get("/"), data, response_status=200)
    return content if isinstance(content, bytes) else content.encode()


@pytest.mark.parametrize(
    ("description", "kw", "filled"),
    [
        # Dispatched to the grid worker: a category, a path, a handling node, an assignee.
        (
            "小区门口有人摆摊占道，堵住出入口",
            {"reporter_phone": "13912345678"},
            {"category", "handling_node", "assignee", "due_at"},
        ),
        # The street's desk.
        ("楼道里有人飞线充电", {"category": "XF-01"}, {"category", "handling_node", "due_at"}),
        # Nowhere: pending at triage, no path, no handler, no deadline.
        ("有人乱扔垃圾", {"at": None, "category": ""}, set()),
    ],
)
def test_the_answer_holds_the_case(
    report: Callable[..., Case],
    people: dict[str, User],
    description: str,
    kw: dict[str, Any],
    filled: set[str],
) -> None:
    case = Case.objects.select_related("category", "handling_node", "assignee").get(
        pk=report(description, **kw).pk
    )
    built = case_out(case)
    assert type(built) is CaseOut
    answer = json.loads(_rendered(built.model_dump()))
    optional = ("category", "handling_node", "assignee", "due_at")
    assert {name for name in optional if answer[name] is not None} == filled
    assert (answer["id"], answer["number"], answer["title"]) == (case.pk, case.number, case.title)
    assert answer["status"] == case.status
    assert answer["status_text"] == plain_status(case)
    assert [n["code"] for n in answer["grid_path"]] == [c for c in case.grid_path.split("/") if c]
    node = case.handling_node
    assert answer["handling_node"] == (
        {"code": node.code, "name": node.name, "level": node.level} if node else None
    )
    assert answer["assignee"] == (case.assignee.name if case.assignee else None)
    category = case.category
    assert answer["category"] == (
        {"code": category.code, "name": category.name} if category else None
    )
    assert (answer["due_at"] is None) == (case.due_at is None)
    assert answer["routing_reason"] == case.routing_reason
    # Readable Chinese, not \\u escapes.
    assert case.title.encode() in _rendered(built.model_dump())


def test_a_subclass_or_extra_fields_are_still_validated(
    report: Callable[..., Case],
) -> None:
    case = report()
    # CaseDetailOut's own fields are missing: validation says so.
    with pytest.raises(ValidationError, match="description"):
        case_out(case, CaseDetailOut)
