"""wangge.core.pinyin: pypinyin's phrase dictionary, held in a trie, reads exactly as pypinyin's own
load does: the same phrases, the same readings, the same words found in a sentence, for every
phrase of the dictionary, every phrase between two other characters, and every text 小原, the
category catalogue and the address index read."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from wangge.core import pinyin

pytestmark = pytest.mark.no_database

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def own() -> dict[str, list[list[str]]]:
    """pypinyin's phrase dictionary as pypinyin reads it."""
    return json.loads(pinyin.PHRASES_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


SINGLE_FILE = pinyin.PHRASES_FILE.parent / "pinyin_dict.json"


@pytest.fixture(scope="module")
def own_single() -> dict[int, str]:
    """pypinyin's single-character dictionary as pypinyin reads it."""
    data = json.loads(SINGLE_FILE.read_text(encoding="utf-8"))
    return {int(char): readings for char, readings in data.items()}


def test_this_process_holds_the_phrases_in_the_store_only() -> None:
    assert pinyin.compact
    assert PHRASES_DICT == {}  # pypinyin's own: empty, and so its mmseg prefix set
    assert "pypinyin.phrases_dict" not in sys.modules
    # pypinyin reads single characters from the compact table.
    assert isinstance(PINYIN_DICT, pinyin.SingleReadings)


def test_the_single_character_table_is_pypinyins_own(own_single: dict[int, str]) -> None:
    assert dict(PINYIN_DICT) == own_single
    assert len(PINYIN_DICT) == len(own_single) > 40_000
    assert sorted(PINYIN_DICT) == sorted(own_single)
    for char, readings in own_single.items():
        assert char in PINYIN_DICT and PINYIN_DICT[char] == readings
    for char in (0, 0x3006, 0x4DC0, 0x10FFFF, min(own_single) - 1, max(own_single) + 1):
        assert char not in PINYIN_DICT
        with pytest.raises(KeyError):
            PINYIN_DICT[char]
    assert "中" not in PINYIN_DICT  # pypinyin asks by code point


def test_the_single_character_table_takes_changes() -> None:
    table = pinyin.SingleReadings([(0x4E2D, "zhōng,zhòng"), (0x56FD, "guó")])
    table[0x4E2D] = "zhōng"
    table[0x4E00] = "yī"
    del table[0x56FD]
    assert dict(table) == {0x4E2D: "zhōng", 0x4E00: "yī"}
    assert 0x56FD not in table and len(table) == 2
    with pytest.raises(KeyError):
        del table[0x56FD]


def test_the_file_is_read_as_json_reads_it(own: dict[str, list[list[str]]]) -> None:
    entries = list(pinyin.iter_phrases())
    assert [key for key, _ in entries] == list(own)  # in the file's order, none twice
    assert {key: [list(r) for r in value] for key, value in entries} == own
    assert len(entries) > 40_000
    # Equal per-character readings are one tuple.
    assert len({id(r) for _, value in entries for r in value}) < 2_000  # of 144,000


def test_the_store_holds_every_phrase_with_its_readings(own: dict[str, list[list[str]]]) -> None:
    store = pinyin.PhraseStore(pinyin.iter_phrases())
    assert len(store) == len(own)
    assert sorted(store.keys()) == sorted(own)
    for phrase, readings in own.items():
        assert store.get(phrase) == readings, phrase
    assert store.get("银") is None and store.get("银行行") is None and "银行行" not in store
    # Each answer is a list of its own: a caller changing it changes nothing stored.
    first = store.get("银行")
    assert first is not None
    first[0].append("x")
    assert store.get("银行") == [["yín"], ["háng"]]


def test_a_file_not_as_pypinyin_writes_it_is_read_as_json_reads_it(tmp_path: Path) -> None:
    text = (
        '{ "\\u94f6\\u884c" : [ [ "y\\u00edn" ] , ["háng"] ],\n'
        '"长大":[["zhǎng","cháng"],["dà"]],"长长": [], "长大": [["zhǎng"], ["dà"]]}'
    )
    path = tmp_path / "phrases.json"
    path.write_text(text, encoding="utf-8")
    expected = json.loads(text)
    assert {k: [list(r) for r in v] for k, v in pinyin.iter_phrases(path)} == expected
    store = pinyin.PhraseStore(pinyin.iter_phrases(path))
    assert {k: store.get(k) for k in store.keys()}  # noqa: SIM118 == expected  # the last 长大 wins, as in JSON


@pytest.mark.parametrize(
    "text",
    [
        '{"银行": [["yín"], ["háng"]] "长大": [["zhǎng"], ["dà"]]}',
        '{"银行": [["yín"], ["háng"]],',
        '["银行"]',
        '{"银行": "yín háng"}',
        '{"银行": [["yín"], [1]]}',
    ],
)
def test_a_malformed_file_is_refused(tmp_path: Path, text: str) -> None:
    bad = tmp_path / "phrases.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"expected|Expecting|JSON object|strings"):
        list(pinyin.iter_phrases(bad))


def test_phrases_decide_the_reading_of_a_polyphonic_character() -> None:
    assert pinyin.lazy_pinyin("中国银行行长重新调整") == [
        "zhong",
        "guo",
        "yin",
        "hang",
        "hang",
        "zhang",
        "chong",
        "xin",
        "tiao",
        "zheng",
    ]
    # One character alone has all its readings, phrase dictionary or not.
    assert pinyin.pinyin("重", style=pinyin.Style.NORMAL, heteronym=True) == [
        ["zhong", "chong", "tong"]
    ]


def test_the_readings_come_from_the_store() -> None:
    """A store with one phrase read wrong reads that phrase wrong: what the comparisons below
    compare is the store's content."""
    wrong = pinyin.PhraseStore(
        (key, [("yín",), ("xíng",)] if key == "银行" else value)
        for key, value in pinyin.iter_phrases()
    )
    reader = pinyin._Pinyin(wrong)
    assert reader.lazy_pinyin("中国银行的行长") == [
        "zhong",
        "guo",
        "yin",
        "xing",
        "de",
        "hang",
        "zhang",
    ]
    assert pinyin.lazy_pinyin("中国银行的行长") == [
        "zhong",
        "guo",
        "yin",
        "hang",
        "de",
        "hang",
        "zhang",
    ]


def test_the_words_found_are_mmsegs() -> None:
    store = pinyin._store
    assert store is not None
    assert store.cut("中国银行行长重新调整") == ["中国", "银行", "行长", "重新", "调整"]
    # A rest that begins a phrase but holds none is split into characters (mmseg's for-else):
    # 一丁 begins 一丁不识 and 一丁点儿, and neither 一丁 nor 丁 is a phrase.
    assert store.cut("一丁") == ["一", "丁"]
    assert store.cut("的一丁") == ["的", "一", "丁"]
    assert store.cut("一丁点") == ["一", "丁", "点"]  # 一丁点 begins 一丁点儿 alone


_SENTENCES = "中国银行行长重新调整了公积金缴存基数；灾后倒塌房屋重建，便宜的公墓，公交车上落下东西"

_READ = f"""
import sys
{{prelude}}
print(repr((lazy_pinyin({_SENTENCES!r}), pinyin({_SENTENCES!r}, heteronym=True))))
print("pypinyin.phrases_dict" in sys.modules)
"""
_PYPINYINS = "from pypinyin import lazy_pinyin, pinyin"
_WANGGES = "from wangge.core.pinyin import lazy_pinyin, pinyin"


def _read_in_a_new_process(prelude: str, **env: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _READ.format(prelude=prelude)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **env},
    ).stdout
    return out.splitlines()


def test_a_process_reads_the_same_with_either_load() -> None:
    full_readings, full_loaded = _read_in_a_new_process(_PYPINYINS)
    compact_readings, compact_loaded = _read_in_a_new_process(_WANGGES)
    assert full_loaded == "True"  # pypinyin's own load
    assert compact_loaded == "False"  # this module's
    assert compact_readings == full_readings


def test_pypinyin_loaded_first_keeps_its_own_load() -> None:
    prelude = "import pypinyin, wangge.core.pinyin as w; assert not w.compact; " + _WANGGES
    readings, loaded = _read_in_a_new_process(prelude)
    assert loaded == "True"
    assert readings == _read_in_a_new_process(_PYPINYINS)[0]


def test_phrases_turned_off_by_the_environment_stay_off() -> None:
    env = {"PYPINYIN_NO_PHRASES": "1"}
    without = _read_in_a_new_process(_PYPINYINS, **env)
    prelude = "import wangge.core.pinyin as w; assert not w.compact; " + _WANGGES
    assert _read_in_a_new_process(prelude, **env) == without
    assert without[0] != _read_in_a_new_process(_PYPINYINS)[0]  # 行长 is hang zhang only with them


# --- Every phrase, and every text wangge reads, against pypinyin's own load -----------------

# What is compared, in batches of texts joined by "|" (a character without a reading: each text
# is its own run of characters, split into words on its own, as if read alone): the words found
# and the readings 小原 takes of every text; every reading, with tones and heteronyms, of every
# phrase and every text of wangge's; the first letters of wangge's texts (the category codes);
# and all readings of every character alone (the address index).
_READ_ALL = """
import json, sys
{prelude}
given = json.load(sys.stdin)
print(json.dumps({{
    "words": [split(b) for b in given["all"]],
    "normal": [lazy_pinyin(b, style=Style.NORMAL, errors="ignore") for b in given["all"]],
    "tone": [pinyin(b, heteronym=True) for b in given["phrases"]],
    "first": [lazy_pinyin(b, style=Style.FIRST_LETTER) for b in given["wangge"]],
    "chars": [pinyin(b, style=Style.NORMAL, heteronym=True) for b in given["chars"]],
}}, ensure_ascii=False))
"""
_FULL = (
    "from pypinyin import Style, lazy_pinyin, pinyin; "
    "from pypinyin.seg.simpleseg import seg as split"
)
_COMPACT = (
    "from wangge.core.pinyin import Style, lazy_pinyin, pinyin, _instance; "
    "split = _instance(False, False, False).get_seg()"
)
_BATCH = 500
_GIVEN = {"words": "all", "normal": "all", "tone": "phrases", "first": "wangge", "chars": "chars"}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _wangge_texts() -> list[str]:
    """Every string of the knowledge bases (bench's and the seed's), their questions, the
    synonyms and the category catalogue."""
    files = [
        *sorted((ROOT / "bench" / "data").glob("*/*.jsonl")),
        *sorted((ROOT / "wangge" / "assistant" / "data").glob("*.jsonl")),
    ]
    texts: list[str] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.extend(_strings(json.loads(line)))
    for path in (
        ROOT / "wangge" / "assistant" / "data" / "synonyms.json",
        ROOT / "wangge" / "cases" / "data" / "categories.json",
    ):
        texts.extend(_strings(json.loads(path.read_text(encoding="utf-8"))))
    return [t.replace("|", "｜") for t in texts if t.strip()] + [_SENTENCES]


def _around(phrases: list[str]) -> list[str]:
    """Every phrase between its own last and first characters (which begin and end other
    phrases), and run into the next phrase in sorted order (which often shares its beginning,
    so the longest match has to give way)."""
    return [p[-1] + p + p[0] for p in phrases] + [a + b for a, b in pairwise(phrases)]


def _batches(texts: list[str]) -> list[str]:
    return ["|".join(texts[i : i + _BATCH]) for i in range(0, len(texts), _BATCH)]


@pytest.fixture(scope="module")
def readings_of_both(
    own: dict[str, list[list[str]]], own_single: dict[int, str]
) -> tuple[dict[str, Any], ...]:
    phrases = sorted(own)
    wangge = _wangge_texts()
    given = {
        "all": _batches(phrases + wangge + _around(phrases)),
        "phrases": _batches(phrases + wangge),
        "wangge": _batches(wangge),
        "chars": _batches([chr(c) for c in sorted(own_single)]),
    }
    stdin = json.dumps(given, ensure_ascii=False)
    # Each in a new process, side by side: pypinyin's own full load, and this module's.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _READ_ALL.format(prelude=prelude)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for prelude in (_FULL, _COMPACT)
    ]
    results = []
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
    for proc in procs:
        assert proc.stdout is not None
        results.append(json.loads(proc.stdout.read()))
        assert proc.wait() == 0
    return given, results[0], results[1]


@pytest.mark.parametrize("kind", list(_GIVEN))
def test_every_phrase_and_text_reads_as_with_pypinyins_own_load(
    readings_of_both: tuple[dict[str, Any], ...], kind: str
) -> None:
    given, full, compact = readings_of_both
    batches = given[_GIVEN[kind]]
    assert len(full[kind]) == len(compact[kind]) == len(batches)
    for batch, expected, got in zip(batches, full[kind], compact[kind], strict=True):
        if got != expected:
            at = next(
                (i for i, (a, b) in enumerate(zip(got, expected, strict=False)) if a != b), len(got)
            )
            pytest.fail(
                f"read otherwise from item {at} on: {got[at : at + 8]} != "
                f"{expected[at : at + 8]} in {batch[:300]}"
            )
    assert sum(map(len, full[kind])) > {"chars": 40_000, "first": 10_000}.get(kind, 100_000)
