"""wangge.core.segmentation: tokenizers over the shared trie read every key as jieba's own dict
does and segment every text alike, with or without words of their own."""

import json
import re
from pathlib import Path

import jieba
import pytest

from wangge.cases.classifier import DOMAIN_WORDS
from wangge.core import segmentation

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parents[2]
OTHER_WORDS = ("居住证", "社保卡", "医保电子凭证", "飞线充电")
# Words an operator might add that jieba already knows, with a new count or none (0 hides it).
KNOWN_WORDS = ("电动车", "充电", "暖气")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if re.search(r"[\u4e00-\u9fff]", value) else []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _texts() -> list[str]:
    """Texts written apart from this module: the knowledge bases and their questions, the case
    catalogue's examples and keywords, the synonym list."""
    texts: set[str] = set()
    for path in [*ROOT.glob("bench/data/*/*.jsonl"), *ROOT.glob("wangge/assistant/data/*.jsonl")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.update(_strings(json.loads(line)))
    for name in ("wangge/cases/data/categories.json", "wangge/assistant/data/synonyms.json"):
        texts.update(_strings(json.loads((ROOT / name).read_text(encoding="utf-8"))))
    return sorted(texts)


# Characters no dictionary word starts with, lone ASCII letters and digits that the no-HMM cut
# joins into runs, and the separators jieba keeps apart.
ODD_TEXTS = [
    "鿏鿏鿏楼道灯坏了",
    "ktv包间x3噪音#2号楼-3单元",
    "abc 12345热线\r\n电动车飞线充电",
    "a鿏b鿏c 1_2.3%+鿏",
]
TEXTS = _texts() + ODD_TEXTS


def _own(words: tuple[str, ...], freq: int | None = None) -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in words:
        tokenizer.add_word(word, freq)
    return tokenizer


@pytest.fixture(scope="module")
def plain_own() -> jieba.Tokenizer:
    return _own(())


def test_every_key_reads_as_in_jiebas_own_dict(plain_own: jieba.Tokenizer) -> None:
    ours = segmentation.plain().FREQ
    assert len(plain_own.FREQ) > 400_000
    wrong = [key for key, count in plain_own.FREQ.items() if ours.get(key) != count]
    assert wrong == []
    assert segmentation.plain().total == plain_own.total
    # Not a word nor a prefix of one: missing, as in jieba's dict.
    for key in ("飞线充电", "鿏鿏", "zzqx"):
        assert key not in plain_own.FREQ
        assert key not in ours
        assert ours.get(key) is None
        with pytest.raises(KeyError):
            ours[key]


def test_the_plain_tokenizer_segments_as_jieba(plain_own: jieba.Tokenizer) -> None:
    plain = segmentation.plain()
    assert segmentation.plain() is plain
    assert len(TEXTS) > 1_000
    for text in TEXTS:
        assert plain.lcut(text) == plain_own.lcut(text), text
        assert plain.lcut(text, HMM=False) == plain_own.lcut(text, HMM=False), text
    assert plain.lcut(TEXTS[0]) == jieba.lcut(TEXTS[0])


@pytest.mark.parametrize(
    ("words", "freq"),
    [(DOMAIN_WORDS, None), (OTHER_WORDS, 100_000), (KNOWN_WORDS, 0), (KNOWN_WORDS, 7)],
)
def test_tokenizers_with_words_of_their_own(words: tuple[str, ...], freq: int | None) -> None:
    own = _own(words, freq)
    ours = segmentation.with_words(words, freq)
    assert ours.total == own.total
    for word in words:
        for end in range(1, len(word) + 1):
            assert ours.FREQ.get(word[:end]) == own.FREQ.get(word[:end])
    for number, text in enumerate(TEXTS):
        assert ours.lcut(text) == own.lcut(text), text
        assert ours.lcut(text, HMM=False) == own.lcut(text, HMM=False), text
        if number % 5 == 0:  # the other modes read the same graph; a sample of them
            assert ours.lcut(text, cut_all=True) == own.lcut(text, cut_all=True), text
            assert ours.lcut_for_search(text) == own.lcut_for_search(text), text


def test_words_stay_with_the_tokenizer_that_added_them() -> None:
    mine = segmentation.with_words(DOMAIN_WORDS)
    plain = segmentation.plain()
    assert "飞线充电" in mine.lcut("有人飞线充电", HMM=False)
    assert "飞线充电" not in plain.lcut("有人飞线充电", HMM=False)
    assert "飞线充电" not in plain.FREQ
    # Both read the one dictionary of the process.
    assert mine.FREQ.trie is plain.FREQ.trie


def test_a_malformed_dictionary_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "dict.txt"
    path.write_text("中国 10 ns\n人民 x n\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dict.txt:2"):
        segmentation.Dictionary(path)
