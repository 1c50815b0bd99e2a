"""数字城管: a city-management system's cases name their 部件/事件 code (GB/T 30428.2), which the
catalogue lists, through the case intake every channel uses."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import MICRO_A1
from wangge.accounts.services import api_token_create
from wangge.cases import categories
from wangge.cases.models import Case, Category

pytestmark = pytest.mark.django_db


def test_a_city_management_code_files_the_case_under_its_leaf(people: dict[str, Any]) -> None:
    Category.objects.filter(code="CSGL-01").update(external_codes={"GB/T 30428.2": ["事件0501"]})
    categories.invalidate_leaves()
    _row, key = api_token_create(user=people["dispatcher"], name="数字城管")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = {
        "description": "监督员上报：百花里北门外流动摊贩占道经营",
        "category": "事件0501",
        "location": {"lon": 113.6008, "lat": 34.7508},
        "channel": "video",
        "external_id": "SZCG-20261127-0042",
    }
    reply = client.post("/api/v1/cases", body, content_type="application/json")
    assert reply.status_code == 201, reply.content
    case = Case.objects.get()
    assert (case.category.code, case.category_source) == ("CSGL-01", "platform")
    assert case.external_category == "GB/T 30428.2 事件0501"
    assert case.micro_grid.code == MICRO_A1
    assert "按数字城管编码“事件0501”归入占道经营" in case.routing_reason
    again = client.post("/api/v1/cases", body, content_type="application/json")
    assert again.status_code == 200 and Case.objects.count() == 1
    unknown = client.post(
        "/api/v1/cases", {**body, "category": "部件9999", "external_id": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert unknown.status_code == 422
    assert unknown.json()["detail"] == "未知或不可派单的分类“部件9999”"
