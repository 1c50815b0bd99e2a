"""A case's answer (`case_out`) is built without pydantic's validation: it must be the answer
validation gives, value for value and byte for byte once rendered."""

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


def _rendered(data: Any) -> bytes:
    content = api.renderer.render(RequestFactory().get("/"), data, response_status=200)
    return content if isinstance(content, bytes) else content.encode()


@pytest.mark.parametrize(
    ("description", "kw"),
    [
        # Dispatched to the grid worker: a category, a path, a handling node, an assignee.
        ("小区门口有人摆摊占道，堵住出入口", {"reporter_phone": "13912345678"}),
        # The street's desk.
        ("楼道里有人飞线充电", {"category": "XF-01"}),
        # Nowhere: pending at triage, no path, no handler, no deadline.
        ("有人乱扔垃圾", {"at": None, "category": ""}),
    ],
)
def test_the_answer_is_the_validated_one(
    report: Callable[..., Case], people: dict[str, User], description: str, kw: dict[str, Any]
) -> None:
    case = Case.objects.select_related("category", "handling_node", "assignee").get(
        pk=report(description, **kw).pk
    )
    built = case_out(case)
    assert type(built) is CaseOut
    validated = CaseOut.model_validate(built.model_dump())
    assert built.model_dump() == validated.model_dump()
    assert _rendered(built.model_dump()) == _rendered(validated.model_dump())
    assert json.loads(_rendered(built.model_dump()))["id"] == case.pk
    # The same values through the schema's own constructor (ninja's getter included).
    fields = {name: getattr(built, name) for name in CaseOut.model_fields}
    fields["category"] = fields["category"] and fields["category"].model_dump()
    fields["handling_node"] = fields["handling_node"] and fields["handling_node"].model_dump()
    fields["grid_path"] = [ref.model_dump() for ref in fields["grid_path"]]
    assert CaseOut(**fields).model_dump() == built.model_dump()


def test_a_subclass_or_extra_fields_are_still_validated(
    report: Callable[..., Case],
) -> None:
    case = report()
    # CaseDetailOut's own fields are missing: validation says so.
    with pytest.raises(ValidationError, match="description"):
        case_out(case, CaseDetailOut)
