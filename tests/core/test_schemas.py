"""One wording of schema errors for every kind of API input: the JSON bodies read by
`validate_body`, the hotline's orders (in its own field names) and ninja's parameters."""

from datetime import date

import pytest
from pydantic import BaseModel, Field

from wangge.core.errors import ValidationFailed
from wangge.core.schemas import ApiDate, input_problems, validate_body


class Visit(BaseModel):
    title: str = Field(min_length=1)
    day: ApiDate
    count: int


def test_each_wrong_field_is_named_with_our_own_reason() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_body(Visit, {"title": "", "day": "1899-01-01", "count": "x"})
    assert caught.value.message == (
        "请求参数不正确：title、day：日期须在 2000 年至 2100 年之间、count"
    )


def test_labels_and_lead_give_the_callers_own_words() -> None:
    with pytest.raises(ValidationFailed) as caught:
        validate_body(
            Visit,
            {"title": "好", "day": "2026-05-01", "count": "x"},
            labels={"count": "人数（count）"},
            lead="工单参数不正确",
        )
    assert caught.value.message == "工单参数不正确：人数（count）"
    assert validate_body(Visit, {"title": "好", "day": "2026-05-01", "count": 2}).day == date(
        2026, 5, 1
    )


def test_ninja_errors_keep_only_our_reasons_by_field_name() -> None:
    errors = [
        {"loc": ("query", "lon"), "type": "float_parsing", "msg": "Input should be a number"},
        {
            "loc": ("body", "payload", "deadline"),
            "type": "value_error",
            "msg": "Value error, 日期须在 2000 年至 2100 年之间",
        },
    ]
    assert (
        input_problems(errors, reasons_only=True, from_ninja=True)
        == "deadline：日期须在 2000 年至 2100 年之间"
    )
    assert input_problems(errors, from_ninja=True).startswith("lon、deadline：")
