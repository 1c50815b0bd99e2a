"""wangge.core.segmentation: tokenizers sharing one load of jieba's dictionary hold exactly what
tokenizers loading their own would, and segment alike, whichever is built first."""

import jieba
import pytest

from wangge.cases.classifier import DOMAIN_WORDS
from wangge.core import segmentation

TEXTS = [
    "楼道里有人飞线给电动车充电，很危险",
    "暖气片不热，家里只有十几度，老人受不了",
    "小区门口有人摆摊卖菜，堵住出入口",
    "居住证怎么办理？社保卡丢了在哪补办",
]
OTHER_WORDS = ("居住证", "社保卡", "医保电子凭证", "飞线充电")


def _own(words: tuple[str, ...], freq: int | None = None) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    for word in words:
        tokenizer.add_word(word, freq)
    tokenizer.check_initialized()
    return tokenizer


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has built no tokenizer yet."""
    monkeypatch.setattr(segmentation, "_owner", None)
    monkeypatch.setattr(segmentation, "_changed", {})
    monkeypatch.setattr(segmentation, "_total", 0)
    monkeypatch.setattr(segmentation, "_plain", None)


@pytest.mark.usefixtures("fresh")
def test_private_tokenizers_first_then_the_plain_one() -> None:
    first = segmentation.with_words(DOMAIN_WORDS)
    second = segmentation.with_words(OTHER_WORDS, freq=100_000)
    plain = segmentation.plain()
    for shared, own in (
        (first, _own(DOMAIN_WORDS)),
        (second, _own(OTHER_WORDS, 100_000)),
        (plain, _own(())),
    ):
        assert shared.total == own.total
        assert shared.FREQ == own.FREQ
        for text in TEXTS:
            assert shared.lcut(text) == own.lcut(text)
            assert shared.lcut(text, HMM=False) == own.lcut(text, HMM=False)
    assert plain.lcut(TEXTS[0]) == jieba.lcut(TEXTS[0])
    # The strings are the first load's, not copies.
    word = next(w for w in plain.FREQ if len(w) > 3)
    key = next(k for k in first.FREQ if k == word)
    assert key is next(k for k in plain.FREQ if k == word)


@pytest.mark.usefixtures("fresh")
def test_the_plain_one_first() -> None:
    plain = segmentation.plain()
    assert segmentation.plain() is plain
    mine = segmentation.with_words(DOMAIN_WORDS)
    assert mine.FREQ == _own(DOMAIN_WORDS).FREQ
    assert plain.FREQ == _own(()).FREQ
    assert "飞线充电" in mine.lcut("有人飞线充电", HMM=False)
    assert "飞线充电" not in plain.lcut("有人飞线充电", HMM=False)
