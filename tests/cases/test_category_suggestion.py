"""The category an intake is filed under when the sender names none: the model's best
suggestion among the categories in use, the next one when the best has been retired."""

from collections.abc import Iterator
from typing import Any

import pytest

from wangge.cases import categories
from wangge.cases.learning import Guess
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


def _text_read(monkeypatch: pytest.MonkeyPatch, **fields: Any) -> str:
    """The text the intake hands the category model for a report with these fields."""
    from wangge.cases.services import intake

    read: list[str] = []
    monkeypatch.setattr(
        categories, "suggest_for_case", lambda text: read.append(text) or Guess(None, "", "")
    )
    intake.category_for(intake._clean_input(intake.CaseInput(**fields)))
    assert len(read) == 1
    return read[0]


@pytest.mark.parametrize(
    "description",
    [
        "楼道里有人飞线给电动车充电，很危险",
        # Longer than a title: the title is its first sentence, clipped with an ellipsis.
        "三号楼二单元的暖气从上周开始一直不热，家里只有十几度，老人受不了。物业说要等。",
        "三号楼二单元楼道里有人私拉电线给电动车充电，一直没人管，晚上很危险，希望尽快处理",
        "路灯坏了\n好几天晚上出门看不见",
    ],
)
def test_a_title_made_from_the_description_is_not_read_twice(
    monkeypatch: pytest.MonkeyPatch, description: str
) -> None:
    assert _text_read(monkeypatch, description=description) == description


def test_a_title_of_its_own_is_read_with_the_description(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = _text_read(monkeypatch, title="暖气不热", description="家里只有十几度，老人受不了")
    assert text == "暖气不热 家里只有十几度，老人受不了"


def test_a_keyword_decision_always_passes_the_suggestion_threshold() -> None:
    # CategoryClassifier.best gives a keyword-decided leaf the keywords' own score, which is
    # at least KEYWORD_THRESHOLD; below this threshold that is always enough.
    from wangge.cases.classifier import KEYWORD_THRESHOLD

    assert categories.SUGGEST_THRESHOLD <= KEYWORD_THRESHOLD
