"""pypinyin with its dictionaries held compactly: the one place wangge imports pypinyin.

The phrase dictionary (47,000 phrases, 湖泊 → hú pō, 银行 → yín háng) is what reads a polyphonic
character right inside a word, and 小原 relies on it for the sounds of any question (its answers
change without it). pypinyin loads it with `json.loads` (614,000 small objects, tens of MB) into its
`PHRASES_DICT`, and its word splitter (forward maximum matching, `pypinyin.seg.mmseg`) adds a
Python set of every prefix of every phrase. Here pypinyin is imported with its phrases turned
off, and the same phrases are held by `PhraseStore`: a marisa trie of the phrases (C++, one
small block), each phrase's readings as ids into the table of the 1,249 distinct
per-character reading lists. pypinyin is handed the store through its extension points: a
`Pinyin` whose `get_seg` splits with the trie exactly as mmseg splits with its prefix set, and
a converter whose `_phrase_pinyin` reads a phrase from the store where pypinyin reads
`PHRASES_DICT`. The single-character dictionary (41,923 code points → "zhōng,zhòng", a dict
of several MB) is given to pypinyin as `SingleReadings`, two arrays and a string, in place of the
module it reads it from (`pypinyin.pinyin_dict`). The same words are found and read the same,
character for character: tests/core/test_pinyin.py compares every phrase, texts around them,
wangge's texts and every character with pypinyin's own load in another process.

The converter also converts each syllable once per style (NORMAL, FIRST_LETTER, TONE are
functions of the syllable alone) instead of once per character read: reading a question costs
less than with pypinyin's own.

Imported before pypinyin is, this module turns off pypinyin's own load for that import only
(`PYPINYIN_NO_PHRASES`, `PYPINYIN_NO_DICT_COPY`). pypinyin's own functions then have no
phrases in this process: read through this module's. A process that imported pypinyin first (a
script that imports a module using it directly) keeps pypinyin's full load and its functions:
the same readings, more memory. `PYPINYIN_NO_PHRASES` set in the environment still means no
phrases at all (pypinyin's functions, reading each character alone).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
import types
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any


class SingleReadings(MutableMapping[int, str]):
    """pypinyin's single-character dictionary, code point → its readings ("zhōng,zhòng"), in two
    arrays and one string instead of a dict of 41,923 ints and strings: per code point from the
    first to the last, the id of its readings (0: none); the 8,598 distinct readings one after
    another in one string. Changes (pypinyin's `load_single_dict`) are kept in a dict beside."""

    def __init__(self, items: Iterable[tuple[int, str]]) -> None:
        ids: dict[str, int] = {}
        pairs = [(char, ids.setdefault(readings, len(ids) + 1)) for char, readings in items]
        if len(ids) >= 0xFFFF:
            raise ValueError("more distinct readings than a 16-bit id holds")
        self._base = min((char for char, _ in pairs), default=0)
        top = max((char for char, _ in pairs), default=self._base - 1)
        self._ids = array("H", bytes(2 * (top - self._base + 1)))
        for char, index in pairs:
            self._ids[char - self._base] = index
        self._text = "".join(ids)
        self._ends = array("I", [0, *accumulate(map(len, ids))])
        self._changed: dict[int, str | None] = {}  # None: deleted

    @classmethod
    def read(cls, path: Path) -> SingleReadings:
        """pypinyin's pinyin_dict.json ({"20013": "zhōng,zhòng", …}) as pypinyin reads it."""
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls((int(char), readings) for char, readings in data.items())

    def _stored(self, char: int) -> str | None:
        index = char - self._base
        if 0 <= index < len(self._ids):
            found = self._ids[index]
            if found:
                return self._text[self._ends[found - 1] : self._ends[found]]
        return None

    def __getitem__(self, char: int) -> str:
        if self._changed and char in self._changed:
            changed = self._changed[char]
            if changed is None:
                raise KeyError(char)
            return changed
        found = self._stored(char)
        if found is None:
            raise KeyError(char)
        return found

    def __contains__(self, char: object) -> bool:
        if self._changed and char in self._changed:
            return self._changed[char] is not None
        return isinstance(char, int) and self._stored(char) is not None

    def __setitem__(self, char: int, readings: str) -> None:
        self._changed[char] = readings

    def __delitem__(self, char: int) -> None:
        if char not in self:
            raise KeyError(char)
        self._changed[char] = None

    def __iter__(self) -> Iterator[int]:
        base, changed = self._base, self._changed
        for index, found in enumerate(self._ids):
            if found and base + index not in changed:
                yield base + index
        yield from (char for char, readings in changed.items() if readings is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def copy(self) -> dict[int, str]:
        return dict(self)


# Not when pypinyin is loaded already, nor when the environment turns the phrases off itself.
_OWN_LOAD = "pypinyin" not in sys.modules and not os.environ.get("PYPINYIN_NO_PHRASES")
_SWITCHES = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
_saved = {name: os.environ.get(name) for name in _SWITCHES}
if _OWN_LOAD:
    for _name in _SWITCHES:
        os.environ[_name] = "1"
    # pypinyin's single-character dictionary, held compactly, as the module pypinyin reads it from.
    _spec = importlib.util.find_spec("pypinyin")
    assert _spec is not None and _spec.submodule_search_locations
    _single = SingleReadings.read(
        Path(next(iter(_spec.submodule_search_locations))) / "pinyin_dict.json"
    )
    _module = types.ModuleType("pypinyin.pinyin_dict")
    _module.pinyin_dict = _single  # type: ignore[attr-defined]
    sys.modules["pypinyin.pinyin_dict"] = _module

import marisa_trie  # noqa: E402
import pypinyin  # noqa: E402  (after the switches above)
from pypinyin import Style  # noqa: E402
from pypinyin.constants import RE_HANS  # noqa: E402
from pypinyin.converter import UltimateConverter  # noqa: E402
from pypinyin.core import Pinyin  # noqa: E402
from pypinyin.seg.simpleseg import simple_seg  # noqa: E402
from pypinyin.style import _registry as _style_registry  # noqa: E402

for _name, _value in _saved.items():
    if _value is None:
        os.environ.pop(_name, None)
    else:
        os.environ[_name] = _value

__all__ = [
    "PHRASES_FILE",
    "PhraseStore",
    "SingleReadings",
    "Style",
    "compact",
    "iter_phrases",
    "lazy_pinyin",
    "pinyin",
]

PHRASES_FILE = Path(pypinyin.__file__).parent / "phrases_dict.json"
_SPACE = re.compile(r"\s*")
# One entry as pypinyin's file writes it, "银行": [["yín"], ["háng"]] and the ',' or '}' after it,
# for speed; anything else (escapes in a string, say) is read by the JSON decoder itself.
_ENTRY = re.compile(
    r'"([^"\\]*)"\s*:\s*\[\s*(\[[^\[\]]*\](?:\s*,\s*\[[^\[\]]*\])*)?\s*\]\s*([,}])\s*'
)
_READINGS = re.compile(r"\[([^\[\]]*)\]")


def iter_phrases(path: Path = PHRASES_FILE) -> Iterator[tuple[str, list[tuple[str, ...]]]]:
    """The entries of the phrase dictionary in `path` (pypinyin's JSON object of phrase → one
    list of readings per character), one at a time, in the file's order; equal per-character
    readings are one tuple."""
    text = path.read_text(encoding="utf-8")
    decode = json.JSONDecoder().raw_decode
    shared: dict[str, tuple[str, ...]] = {}

    def readings(inner: str) -> tuple[str, ...]:
        found = shared.get(inner)
        if found is None:
            parsed = json.loads(f"[{inner}]")
            if not all(isinstance(s, str) for s in parsed):
                raise ValueError(f"{path}: readings are strings: [{inner}]")
            found = shared[inner] = tuple(parsed)
        return found

    def skip(pos: int) -> int:
        match = _SPACE.match(text, pos)
        assert match is not None  # \s* always matches
        return match.end()

    get = shared.get
    pos = skip(0)
    if text[pos : pos + 1] != "{":
        raise ValueError(f"{path}: not a JSON object")
    pos = skip(pos + 1)
    if text[pos : pos + 1] == "}":
        return
    while True:
        match = _ENTRY.match(text, pos)
        if match is not None:
            key, lists, after = match.groups()
            yield key, [get(inner) or readings(inner) for inner in _READINGS.findall(lists or "")]
            pos = match.end()
        else:
            key, pos = decode(text, pos)
            pos = skip(pos)
            if text[pos : pos + 1] != ":":
                raise ValueError(f"{path}: ':' expected at {pos}")
            value, pos = decode(text, skip(pos + 1))
            if not isinstance(key, str) or not isinstance(value, list):
                raise ValueError(f"{path}: phrase → list of readings expected at {pos}")
            if not all(isinstance(r, list) for r in value):
                raise ValueError(f"{path}: a list of readings per character expected at {pos}")
            yield key, [readings(json.dumps(r, ensure_ascii=False)[1:-1]) for r in value]
            pos = skip(pos)
            after = text[pos : pos + 1]
            pos += 1
        if after == "}":
            return
        if after != ",":
            raise ValueError(f"{path}: ',' or '}}' expected at {pos - 1}")
        if match is None:
            pos = skip(pos)


class PhraseStore:
    """Phrases and their readings: a marisa trie of the phrases, and per phrase (by the trie's
    id) the ids of its characters' reading lists in a table of the distinct ones."""

    def __init__(self, entries: Iterable[tuple[str, Sequence[Sequence[str]]]]) -> None:
        table: dict[tuple[str, ...], int] = {}
        ids: dict[str, bytes] = {}  # phrase → its characters' reading ids (16-bit)
        for key, value in entries:
            # A key given twice (a JSON object may repeat one) keeps its last value, as json does.
            ids[key] = array("H", [table.setdefault(tuple(r), len(table)) for r in value]).tobytes()
        if len(table) > 0xFFFF:
            raise ValueError("more distinct reading lists than a 16-bit id holds")
        self._trie = marisa_trie.Trie(ids)
        by_id = [b""] * len(ids)
        for key, codes in ids.items():
            by_id[self._trie[key]] = codes
        self._codes = array("H", b"".join(by_id))
        self._starts = array("I", [0, *accumulate(len(codes) // 2 for codes in by_id)])
        syllables: dict[str, str] = {}
        self._readings = [tuple(syllables.setdefault(s, s) for s in r) for r in table]
        self._longest = max(map(len, ids), default=0)

    def __len__(self) -> int:
        return len(self._trie)

    def __contains__(self, phrase: object) -> bool:
        return phrase in self._trie

    def keys(self) -> list[str]:
        return list(self._trie.keys())

    def get(self, phrase: str) -> list[list[str]] | None:
        """The readings of `phrase` (one new list per character), None if it is no phrase."""
        index = self._trie.get(phrase)
        if index is None:
            return None
        readings, codes = self._readings, self._codes
        return [
            list(readings[codes[i]]) for i in range(self._starts[index], self._starts[index + 1])
        ]

    def cut(self, text: str) -> list[str]:
        """`text` (a run of characters that have readings) split as pypinyin's mmseg `Seg.cut`
        with `no_non_phrases=True` splits it: the longest phrase that begins the rest; else the
        first character alone; except that a rest which begins a phrase without one in it is
        all split into characters (mmseg's for-else)."""
        trie, longest = self._trie, self._longest
        words: list[str] = []
        start, end = 0, len(text)
        while start < end:
            found = trie.prefixes(text[start : start + longest])
            if found:
                word = found[-1]  # marisa gives the prefixes shortest first
                words.append(word)
                start += len(word)
            elif 1 < end - start <= longest and next(trie.iterkeys(text[start:]), None) is not None:
                words.extend(text[start:])  # (for one character, the same as the else)
                break
            else:
                words.append(text[start])
                start += 1
        return words


class _Converter(UltimateConverter):
    """pypinyin's converter, reading phrases from a `PhraseStore` instead of `PHRASES_DICT`."""

    def __init__(self, store: PhraseStore, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._store = store

    def _phrase_pinyin(
        self, phrase: str, style: Any, heteronym: bool, errors: Any, strict: bool
    ) -> list[list[str]]:
        found = self._store.get(phrase)
        if found is not None:
            return found
        # Not a phrase: pypinyin reads each character (its PHRASES_DICT is empty here).
        return super()._phrase_pinyin(phrase, style, heteronym, errors, strict)

    def _single_pinyin(
        self, han: str, style: Any, heteronym: bool, errors: Any, strict: bool
    ) -> list[list[str]]:
        # pypinyin's, with one look-up in its single-character table instead of two.
        readings = _single_readings.get(ord(han))
        if readings is None:
            return self.handle_nopinyin(
                han, style=style, errors=errors, heteronym=heteronym, strict=strict
            )
        return [readings.split(",")]

    def _convert_style(
        self, han: str, pinyin: str, style: Any, strict: bool, default: Any, **kwargs: Any
    ) -> Any:
        # NORMAL, FIRST_LETTER and TONE are functions of the syllable alone (pypinyin.style.others
        # and .tone): each syllable is converted once per style, not once per character read.
        pure = _PURE_STYLES.get(style)
        if pure is None or kwargs or _style_registry.get(style) is not pure:
            return super()._convert_style(han, pinyin, style, strict, default, **kwargs)
        key = (style, pinyin)
        found = _converted.get(key)
        if found is None:
            found = _converted[key] = super()._convert_style(han, pinyin, style, strict, default)
        return found


class _Pinyin(Pinyin):
    """pypinyin's `Pinyin`, splitting text with a `PhraseStore` (its `get_seg`)."""

    def __init__(self, store: PhraseStore, **kwargs: Any) -> None:
        super().__init__(_Converter(store, **kwargs))
        self._store = store

    def _seg(self, hans: Any) -> list[str]:
        # pypinyin.seg.simpleseg.seg, with the store's cut for mmseg's.
        words: list[str] = []
        for part in simple_seg(hans):
            if RE_HANS.match(part):
                words.extend(self._store.cut(part))
            else:
                words.append(part)
        return words

    def get_seg(self, **kwargs: Any) -> Callable[[Any], list[str]]:
        return self._seg


_single_readings = pypinyin.constants.PINYIN_DICT  # SingleReadings, unless pypinyin read its own
_PURE_STYLES = {
    style: _style_registry[style] for style in (Style.NORMAL, Style.FIRST_LETTER, Style.TONE)
}
# (style, syllable as the dictionaries write it) → converted: some thousands at most.
_converted: dict[tuple[Any, str], Any] = {}


def _load() -> PhraseStore | None:
    if not _OWN_LOAD:
        return None
    return PhraseStore(iter_phrases())


_store = _load()
# Whether the phrases are held here (False: pypinyin's own load, or none).
compact = _store is not None

_instances: dict[tuple[bool, bool, bool], _Pinyin] = {}


def _instance(v_to_u: bool, neutral_tone_with_five: bool, tone_sandhi: bool) -> _Pinyin:
    flags = (v_to_u, neutral_tone_with_five, tone_sandhi)
    found = _instances.get(flags)
    if found is None:
        assert _store is not None
        found = _instances[flags] = _Pinyin(
            _store,
            v_to_u=v_to_u,
            neutral_tone_with_five=neutral_tone_with_five,
            tone_sandhi=tone_sandhi,
        )
    return found


def _pinyin(
    hans: str | list[str],
    style: Style = Style.TONE,
    heteronym: bool = False,
    errors: Any = "default",
    strict: bool = True,
    v_to_u: bool = False,
    neutral_tone_with_five: bool = False,
) -> list[list[str]]:
    """`pypinyin.pinyin`, phrases from the store."""
    return _instance(v_to_u, neutral_tone_with_five, False).pinyin(
        hans, style=style, heteronym=heteronym, errors=errors, strict=strict
    )


def _lazy_pinyin(
    hans: str | list[str],
    style: Style = Style.NORMAL,
    errors: Any = "default",
    strict: bool = True,
    v_to_u: bool = False,
    neutral_tone_with_five: bool = False,
    tone_sandhi: bool = False,
) -> list[str]:
    """`pypinyin.lazy_pinyin`, phrases from the store."""
    return _instance(v_to_u, neutral_tone_with_five, tone_sandhi).lazy_pinyin(
        hans, style=style, errors=errors, strict=strict
    )


if compact:
    pinyin = _pinyin
    lazy_pinyin = _lazy_pinyin
else:
    pinyin = pypinyin.pinyin
    lazy_pinyin = pypinyin.lazy_pinyin
