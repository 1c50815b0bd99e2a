"""jieba's dictionary, loaded once per process and shared by every tokenizer built from it.

A `jieba.Tokenizer` holds the whole dictionary (498,000 words and prefixes, about 60 MB), and
each one loads its own: the category model's private tokenizer (its domain words added), the
dispatch desk's plain one and 小原's would hold three copies of the same strings. Here the
first tokenizer loads the dictionary; every later one is a copy of its table (the strings are
shared, about 15 MB) with its own words added, exactly as `jieba.Tokenizer()` followed by
`add_word` for each word would be (tests/core/test_segmentation.py compares them).

Pure Python, no Django.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import jieba

_lock = threading.Lock()
# The tokenizer that loaded the dictionary; its own words changed these entries of it (None:
# the entry was not in jieba's dictionary) and its total from _total.
_owner: jieba.Tokenizer | None = None
_changed: dict[str, int | None] = {}
_total = 0
_plain: jieba.Tokenizer | None = None


def _loaded() -> jieba.Tokenizer:
    global _owner, _total
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    _owner, _total = tokenizer, tokenizer.total
    return tokenizer


def _copy() -> jieba.Tokenizer:
    """A new tokenizer over jieba's own dictionary, sharing the owner's strings."""
    assert _owner is not None
    freq = dict(_owner.FREQ)
    for key, value in _changed.items():
        if value is None:
            del freq[key]
        else:
            freq[key] = value
    tokenizer = jieba.Tokenizer()
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, _total, True
    return tokenizer


def plain() -> jieba.Tokenizer:
    """A tokenizer over jieba's dictionary alone, as `jieba.lcut` segments (its default
    tokenizer, which nothing in wangge adds words to). The same object on every call."""
    global _plain
    with _lock:
        if _plain is None:
            _plain = _loaded() if _owner is None else _copy()
        return _plain


def with_words(words: Iterable[str], freq: int | None = None) -> jieba.Tokenizer:
    """A private tokenizer: jieba's dictionary with `words` added by `add_word(word, freq)`,
    in order. Built on every call; keep it."""
    with _lock:
        if _owner is not None:
            tokenizer = _copy()
            for word in words:
                tokenizer.add_word(word, freq)
            return tokenizer
        tokenizer = _loaded()
        for word in words:
            # What add_word will change, as jieba loaded it: the word and its prefixes.
            for end in range(1, len(word) + 1):
                key = word[:end]
                if key not in _changed:
                    _changed[key] = tokenizer.FREQ.get(key)
            tokenizer.add_word(word, freq)
        return tokenizer
