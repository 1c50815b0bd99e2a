"""The category an intake is filed under when the sender names none: the model's best
suggestion among the categories in use, the next one when the best has been retired."""

from collections.abc import Iterator
from typing import Any

import pytest

from wangge.cases import categories
from wangge.cases.models import Category

# Two keyword leaves above the threshold: 装修噪音 (ZYRM-05) first, 建筑垃圾 (CSGL-05) second.
TWO_COMPLAINTS = "楼上装修噪音太大还在楼道里堆建筑垃圾"


@pytest.fixture
def loaded(db: Any) -> Iterator[None]:
    categories.catalogue_load()
    categories.invalidate_leaves()
    yield
    categories.invalidate_leaves()


def test_the_best_category_in_use_is_chosen(loaded: None) -> None:
    found = categories.suggest(TWO_COMPLAINTS)
    assert found is not None
    category, how = found
    assert category.code == "ZYRM-05"
    assert "关键词" in how


def test_a_retired_best_gives_way_to_the_next_suggestion(loaded: None) -> None:
    Category.objects.filter(code="ZYRM-05").update(is_active=False)
    categories.invalidate_leaves()
    found = categories.suggest(TWO_COMPLAINTS)
    assert found is not None
    assert found[0].code == "CSGL-05"


def test_nothing_above_the_threshold_in_use_gives_no_category(loaded: None) -> None:
    Category.objects.filter(code__in=["ZYRM-05", "CSGL-05"]).update(is_active=False)
    categories.invalidate_leaves()
    # The third suggestion is the model's, below the threshold: a person decides.
    assert categories.suggest(TWO_COMPLAINTS) is None
