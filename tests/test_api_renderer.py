"""The API's and Open311's JSON bodies (written by orjson) say what the json module said with
ninja's encoder and with the GeoReport date form: the same values, Chinese unescaped."""

import datetime as dt
import decimal
import json
from typing import Any

import numpy as np
import pytest
from django.test import override_settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja.responses import NinjaJSONEncoder
from pydantic import BaseModel

from wangge.api import ChineseJSONRenderer
from wangge.open311.render import to_json


class _Part(BaseModel):
    code: str
    at: dt.datetime


BODY: dict[Any, Any] = {
    "count": 3,
    "score": np.float64(0.8125),  # a float subclass: numpy's, from the classifier
    "ratio": 0.1 + 0.2,
    "at": dt.datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=dt.UTC),
    "at_beijing": dt.datetime(2026, 11, 24, 9, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=8))),
    "day": dt.date(2027, 2, 6),
    "time": dt.time(8, 30, 0, 450000),
    "label": gettext_lazy("已结案"),
    "amount": decimal.Decimal("12.50"),
    "part": _Part(code="410102", at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
    7: "a key that is a number",
    "rows": [{"none": None, "yes": True, "text": "楼道“飞线”充电\n第二行\u2028"}],
}


@override_settings(LANGUAGE_CODE="zh-hans")
def test_the_api_body_says_what_the_json_module_said() -> None:
    rendered = ChineseJSONRenderer().render(None, BODY, response_status=200)  # type: ignore[arg-type]
    before = json.dumps(BODY, cls=NinjaJSONEncoder, ensure_ascii=False)
    assert json.loads(rendered) == json.loads(before)
    parsed = json.loads(rendered)
    assert parsed["at"] == "2026-11-24T01:02:03.456Z"
    assert parsed["at_beijing"] == "2026-11-24T09:02:03+08:00"
    assert parsed["time"] == "08:30:00.450"
    assert parsed["score"] == 0.8125
    assert parsed["part"] == {"code": "410102", "at": "2026-01-01T00:00:00Z"}
    assert "已结案".encode() in rendered and b"\\u" not in rendered


def test_the_api_body_refuses_what_json_cannot_carry() -> None:
    with pytest.raises(TypeError):
        ChineseJSONRenderer().render(None, {"x": object()}, response_status=200)  # type: ignore[arg-type]


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_open311_json_writes_times_in_the_districts_zone_to_the_second() -> None:
    body = [
        {
            "service_request_id": "20261124000123",
            "requested_datetime": dt.datetime(2026, 11, 24, 1, 2, 3, 456789, tzinfo=dt.UTC),
            "updated_datetime": None,
            "lat": 34.7466,
            "description": "暖气不热",
        }
    ]
    with timezone.override("Asia/Shanghai"):
        parsed = json.loads(to_json(body))
    assert parsed == [
        {
            "service_request_id": "20261124000123",
            "requested_datetime": "2026-11-24T09:02:03+08:00",
            "updated_datetime": None,
            "lat": 34.7466,
            "description": "暖气不热",
        }
    ]
    with pytest.raises(TypeError):
        to_json([{"x": dt.date(2026, 1, 1)}])
