"""The account budgets are issued from is named from the data, never from the code: after the
imported tree's top (中原区活力值 for a district alone), a neutral name when several districts
share the instance, or what the operator sets."""

from typing import Any

import pytest

from tests.conftest import box, feature
from wangge.grids import indexes
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.points.models import Account
from wangge.points.services import points_budget, system_account

pytestmark = pytest.mark.django_db


def _budget(key: str) -> Account:
    issuer = system_account(Account.Kind.ISSUER, "碧沙岗社区志愿服务")
    transfer = points_budget(issuer=issuer, amount=100, key=key)
    return transfer.entries.get(amount__lt=0).account


def test_the_source_is_named_after_the_district_alone(tree: dict[str, GridNode]) -> None:
    assert _budget("b1").name == "中原区活力值"


def test_several_districts_share_a_neutral_source(tree: dict[str, GridNode], settings: Any) -> None:
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature("410103", "二七区", "district", None, box(113.55, 34.60, 113.68, 34.70))
            ],
        }
    )
    indexes.invalidate()
    assert _budget("b2").name == "活力值总账"
    settings.POINTS_SOURCE_NAME = "郑州市活力值"
    assert _budget("b3").name == "郑州市活力值"


def test_a_city_imported_above_the_district_renames_its_source_instead_of_opening_another(
    tree: dict[str, GridNode],
) -> None:
    first = _budget("b1")
    assert first.name == "中原区活力值"
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature("410100", "郑州市", "city", None, box(113.0, 34.0, 114.5, 35.5)),
                feature(
                    "410102", "中原区", "district", "410100", box(113.55, 34.70, 113.68, 34.80)
                ),
            ],
        }
    )
    indexes.invalidate()
    second = _budget("b2")
    assert second.pk == first.pk and second.name == "郑州市活力值"
    assert list(
        Account.objects.filter(kind=Account.Kind.SOURCE).values_list("name", "balance")
    ) == [("郑州市活力值", -200)]
