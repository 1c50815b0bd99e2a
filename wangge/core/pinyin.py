"""pypinyin with its phrase dictionary held compactly: the one place wangge imports pypinyin.

The phrase dictionary (47,000 phrases, 湖泊 → hú pō, 银行 → yín háng) is what reads a polyphonic
character right inside a word, and 小原 relies on it for the sounds of any question (its answers
change without it). pypinyin loads it with `json.loads`: 614,000 small objects, every syllable
a string of its own, and then copies the dictionary, 55 MB in all. Here the same file is read
one entry at a time, each entry's per-character readings shared between the phrases that have
them (1,249 distinct lists), and handed to pypinyin through its own `load_phrases_dict`: the
same phrases and readings (tests/core/test_pinyin.py compares them with pypinyin's own load),
in about a quarter of the memory.

Imported before pypinyin is, this module turns off pypinyin's own load for that import only
(`PYPINYIN_NO_PHRASES`, `PYPINYIN_NO_DICT_COPY`). A process that imported pypinyin first (a
script that imports a module using it directly) keeps pypinyin's full load: the same readings,
more memory. `PYPINYIN_NO_PHRASES` set in the environment still means no phrases at all.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

# Not when pypinyin is loaded already, nor when the environment turns the phrases off itself.
_OWN_LOAD = "pypinyin" not in sys.modules and not os.environ.get("PYPINYIN_NO_PHRASES")
_SWITCHES = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
_saved = {name: os.environ.get(name) for name in _SWITCHES}
if _OWN_LOAD:
    for _name in _SWITCHES:
        os.environ[_name] = "1"

import pypinyin  # noqa: E402  (after the switches above)
from pypinyin import Style, lazy_pinyin, load_phrases_dict, pinyin  # noqa: E402

for _name, _value in _saved.items():
    if _value is None:
        os.environ.pop(_name, None)
    else:
        os.environ[_name] = _value

__all__ = ["PHRASES_FILE", "Style", "compact", "lazy_pinyin", "pinyin", "read_phrases"]

PHRASES_FILE = Path(pypinyin.__file__).parent / "phrases_dict.json"
_SPACE = re.compile(r"\s*")


def read_phrases(path: Path = PHRASES_FILE) -> dict[str, list[list[str]]]:
    """The phrase dictionary in `path` (pypinyin's JSON object of phrase → one list of readings
    per character), entry by entry, equal per-character lists shared."""
    text = path.read_text(encoding="utf-8")
    decode = json.JSONDecoder().raw_decode
    shared: dict[tuple[str, ...], list[str]] = {}
    phrases: dict[str, list[list[str]]] = {}

    def skip(pos: int) -> int:
        match = _SPACE.match(text, pos)
        assert match is not None  # \s* always matches
        return match.end()

    pos = skip(0)
    if text[pos] != "{":
        raise ValueError(f"{path}: not a JSON object")
    pos = skip(pos + 1)
    while text[pos] != "}":
        key, pos = decode(text, pos)
        pos = skip(pos)
        if text[pos] != ":":
            raise ValueError(f"{path}: ':' expected at {pos}")
        value, pos = decode(text, skip(pos + 1))
        phrases[key] = [shared.setdefault(tuple(readings), readings) for readings in value]
        pos = skip(pos)
        if text[pos] == ",":
            pos = skip(pos + 1)
        elif text[pos] != "}":
            raise ValueError(f"{path}: ',' or '}}' expected at {pos}")
    return phrases


def _load() -> bool:
    if not _OWN_LOAD:
        return False
    load_phrases_dict(read_phrases())
    return True


# Whether the phrases were loaded here (False: pypinyin had loaded its own already).
compact = _load()
