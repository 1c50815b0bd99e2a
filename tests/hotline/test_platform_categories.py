"""The 12345 platform's own category on an order: a mapped code decides, an unmapped one is kept
for the desk and counted, and history suggests a mapping for the operator."""

from typing import Any

import pytest

from tests.conftest import STREET
from tests.hotline.conftest import order, post_order
from wangge.cases import categories
from wangge.cases.models import Case, Category, CategorySource, Status
from wangge.cases.services import ActionNotAllowed, case_act
from wangge.cases.workflow import allowed_actions
from wangge.grids.models import GridNode
from wangge.hotline.categories import platform_categories_suggest
from wangge.hotline.models import PlatformCategory


@pytest.fixture(autouse=True)
def _fresh_leaves() -> Any:
    categories.invalidate_leaves()
    yield
    categories.invalidate_leaves()


def test_a_mapped_platform_code_decides(people: dict[str, Any], token: str) -> None:
    PlatformCategory.objects.create(
        code="0301",
        name="市容环境/占道",
        category=Category.objects.get(code="CSGL-01"),
        source="operator",
    )
    resp = post_order(
        order(category="0301", category_name="市容环境/占道", content="路口有人卖菜"), token
    )
    assert resp.status_code == 201, resp.content
    case = Case.objects.get(pk=resp.json()["case_id"])
    assert case.category is not None and case.category.code == "CSGL-01"
    assert case.category_source == CategorySource.PLATFORM
    assert case.external_category == "0301 市容环境/占道"


def test_a_leafs_external_code_decides(people: dict[str, Any], token: str) -> None:
    Category.objects.filter(code="GN-01").update(external_codes={"12345": ["0712"]})
    categories.invalidate_leaves()
    resp = post_order(order(order_no="Z2", category="0712", content="家里不太舒服"), token)
    case = Case.objects.get(pk=resp.json()["case_id"])
    assert case.category is not None and case.category.code == "GN-01"


def test_an_unmapped_code_is_kept_counted_and_left_to_the_model(
    people: dict[str, Any], token: str
) -> None:
    for n in range(2):
        resp = post_order(
            order(
                order_no=f"Z3{n}", category="0999", category_name="其他/其他", content="其他问题"
            ),
            token,
        )
        assert resp.status_code == 201, resp.content
    case = Case.objects.get(pk=resp.json()["case_id"])
    assert case.external_category == "0999 其他/其他"
    assert case.category_source != CategorySource.PLATFORM
    mapping = PlatformCategory.objects.get(code="0999")
    assert mapping.category is None and mapping.seen == 2 and mapping.name == "其他/其他"


def test_history_suggests_a_mapping_and_decides_nothing(people: dict[str, Any]) -> None:
    leaf = Category.objects.get(code="CSGL-01")
    PlatformCategory.objects.create(code="0301", source="history")
    Case.objects.bulk_create(
        Case(
            title="t",
            description="d",
            channel="hotline",
            status=Status.CLOSED,
            category=leaf,
            category_source=CategorySource.STAFF,
            external_category="0301 占道",
        )
        for _ in range(6)
    )
    assert platform_categories_suggest() == 1
    mapping = PlatformCategory.objects.get(code="0301")
    assert mapping.suggested == leaf and mapping.suggested_share == 1.0
    assert mapping.category is None


def test_a_history_case_takes_no_action(people: dict[str, Any]) -> None:
    street = GridNode.objects.get(code=STREET)

    def closed(**extra: Any) -> Case:
        return Case.objects.create(
            title="历史",
            description="历史工单",
            channel="hotline",
            status=Status.CLOSED,
            grid_path=street.path,
            street=street,
            **extra,
        )

    # The same case, live: its desk may reopen it (重办).
    assert "reopen" in allowed_actions(closed(), people["dispatcher"])
    history = closed(is_history=True)
    assert allowed_actions(history, people["dispatcher"]) == []
    with pytest.raises(ActionNotAllowed):
        case_act(case_id=history.pk, actor=people["dispatcher"], action="reopen", note="重办")
