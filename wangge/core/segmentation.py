"""jieba's tokenizer over its dictionary held in a trie, loaded once per process and shared.

A `jieba.Tokenizer` keeps its dictionary as a Python dict of every word and every prefix of a
word (498,000 keys, tens of MB), and each tokenizer loads its own: the category model's (its
domain words added), the dispatch desk's plain one and 小原's. Here the 349,000 words of jieba's
`dict.txt` are held once per process in a `marisa_trie.Trie` (a few MB, shared read-only by
every tokenizer), their counts in an array beside it, and each tokenizer adds only its own words
in a small dict. The tokenizers are jieba's own class; what reads the dictionary is answered
exactly as jieba's dict would answer it:

- `FREQ.get(key)` is the word's count, 0 for a prefix of a word, else the default;
- `key in FREQ` holds for a word or a prefix of one;
- `get_DAG` lists, from each position, the ends of the words starting there (the trie's
  `iter_prefixes_with_ids` answers in one call what jieba's loop asks fragment by fragment).

`add_word`, `suggest_freq`, `cut`, `lcut`, `cut_for_search` and `tokenize` are jieba's, unchanged.
tests/core/test_segmentation.py compares every key of jieba's own dict and the segmentation of
the knowledge bases and case texts with tokenizers that loaded their own.

Pure Python and marisa-trie, no Django.
"""

from __future__ import annotations

import string
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator
from math import inf, log
from pathlib import Path
from typing import Any

import marisa_trie

# jieba's _compat imports pkg_resources (megabytes, and a scan of every installed distribution) only
# to open its own dictionary file, and falls back to a plain path when it is missing. Nothing
# else here needs pkg_resources, so the import is refused for jieba's import alone.
if "pkg_resources" not in sys.modules:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        del sys.modules["pkg_resources"]
else:
    import jieba

DICTIONARY_FILE = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME

_lock = threading.Lock()
_MISSING = object()


class Dictionary:
    """jieba's dictionary file, read-only: the words in a trie, their counts by the trie's ids,
    and the sum of every line's count (jieba's `total`)."""

    def __init__(self, path: Path = DICTIONARY_FILE) -> None:
        self.trie = marisa_trie.Trie(word for word, _ in self._lines(path))
        self.counts = array("q", bytes(8 * len(self.trie)))
        self.total = 0
        self.longest = 0
        for word, count in self._lines(path):
            self.longest = max(self.longest, len(word))
            # A word listed twice keeps its last count, and both count towards the total,
            # as jieba's gen_pfdict does.
            self.counts[self.trie[word]] = count
            self.total += count

    @staticmethod
    def _lines(path: Path) -> Iterator[tuple[str, int]]:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                parts = line.strip().split(" ")
                try:
                    yield parts[0], int(parts[1])
                except (IndexError, ValueError):
                    raise ValueError(f"{path}:{number}: not 'word count [tag]': {line!r}") from None


class Frequencies:
    """What a jieba tokenizer reads as its `FREQ` dict: the shared dictionary, and on top of it
    the words this tokenizer added (with their new prefixes at 0, as jieba's add_word writes)."""

    def __init__(self, dictionary: Dictionary) -> None:
        self.trie = dictionary.trie
        self.counts = dictionary.counts
        self.added: dict[str, int] = {}
        # Every prefix of an added key: where get_DAG looks for the added words.
        self.added_prefixes: set[str] = set()
        # No word of the dictionary is longer: how much of a sentence to hand the trie.
        self.longest = dictionary.longest

    def get(self, key: str, default: Any = None) -> Any:
        value = self.added.get(key, _MISSING)
        if value is not _MISSING:
            return value
        index = self.trie.get(key)
        if index is not None:
            return self.counts[index]
        if next(self.trie.iterkeys(key), None) is not None:
            return 0  # a prefix of a word
        return default

    def __getitem__(self, key: str) -> int:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return int(value)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING

    def __setitem__(self, key: str, value: int) -> None:
        self.added[key] = value
        self.added_prefixes.update(key[:end] for end in range(1, len(key) + 1))

    def added_words(self, sentence: str, start: int) -> list[tuple[int, int]]:
        """The words added to this tokenizer that start at `start` in `sentence`, shortest
        first: (the index of the word's last character, its count) for each with a count.
        Read fragment by fragment while the fragment is still an added word or a prefix of
        one; asked only where an added word may start, which most positions are not."""
        found: list[tuple[int, int]] = []
        for end in range(start, len(sentence)):
            fragment = sentence[start : end + 1]
            if fragment not in self.added_prefixes:
                break
            count = self.added.get(fragment, 0)
            if count:
                found.append((end, count))
        return found


class Tokenizer(jieba.Tokenizer):
    """jieba's tokenizer reading the shared dictionary; words added stay its own."""

    def __init__(self, dictionary: Dictionary) -> None:
        super().__init__()
        self.FREQ = Frequencies(dictionary)
        self.total = dictionary.total
        self.initialized = True

    def get_DAG(self, sentence: str) -> _Graph:
        freq: Frequencies = self.FREQ
        trie, counts, added, prefixes = freq.trie, freq.counts, freq.added, freq.added_prefixes
        longest = freq.longest
        dag = _Graph()
        weights = dag.weights
        size = len(sentence)
        for start in range(size):
            ends: list[int] = []
            found: list[int] = []
            for word, index in trie.iter_prefixes_with_ids(sentence[start : start + longest]):
                count = counts[index]
                if count and word not in added:
                    ends.append(start + len(word) - 1)
                    found.append(count)
            if added and sentence[start] in prefixes:
                from_trie = len(ends)
                for end, count in freq.added_words(sentence, start):
                    ends.append(end)
                    found.append(count)
                # The trie's ends come shortest first; only added ones can break the order.
                if from_trie and len(ends) > from_trie:
                    pairs = sorted(zip(ends, found, strict=True))
                    ends, found = [e for e, _ in pairs], [c for _, c in pairs]
            if ends:
                dag[start], weights[start] = ends, found
            else:
                # No word starts here: the character alone, weighed as jieba weighs a count of
                # 0 or none (`FREQ.get(…) or 1`).
                dag[start], weights[start] = [start], [1]
        return dag

    def calc(self, sentence: str, DAG: dict[int, list[int]], route: dict) -> None:
        """jieba's calc, reading the counts get_DAG found instead of looking each word up
        again: the same sums in the same order."""
        if not isinstance(DAG, _Graph):
            super().calc(sentence, DAG, route)
            return
        weights = DAG.weights
        size = len(sentence)
        route[size] = (0, 0)
        logtotal = log(self.total)
        for idx in range(size - 1, -1, -1):
            ends = DAG[idx]
            if len(ends) == 1:
                # Most positions start one word only (a lone character): no max to take.
                end = ends[0]
                route[idx] = (log(weights[idx][0]) - logtotal + route[end + 1][0], end)
                continue
            route[idx] = max(
                (log(count) - logtotal + route[end + 1][0], end)
                for end, count in zip(ends, weights[idx], strict=True)
            )

    def cut(
        self, sentence: Any, cut_all: bool = False, HMM: bool = True, use_paddle: bool = False
    ) -> Iterator[str]:
        if cut_all or HMM or use_paddle:
            return super().cut(sentence, cut_all=cut_all, HMM=HMM, use_paddle=use_paddle)
        return iter(self._cut_no_hmm(jieba.strdecode(sentence)))

    def _cut_no_hmm(self, sentence: str) -> list[str]:
        """jieba's `cut(sentence, HMM=False)` as a list: the same blocks, the same words.

        Every text the category model or 小原 reads is cut this way, on the request path; this
        finds each block's best path in one backward pass over the trie (jieba builds the
        word graph forward and then walks it backward) and collects the words in a list
        rather than through three nested generators."""
        words: list[str] = []
        for block in _HAN.split(sentence):
            if not block:
                continue
            if _HAN.match(block):
                self._best_path(block, words)
            else:
                for piece in _SKIP.split(block):
                    if _SKIP.match(piece):
                        words.append(piece)
                    else:
                        words.extend(piece)
        return words

    def _best_path(self, sentence: str, words: list[str]) -> None:
        """Appends the words of jieba's most probable path through `sentence` (its `calc` over
        its `get_DAG`, the same sums compared the same way: the higher score, then the later
        end), with runs of single ASCII letters and digits joined as `__cut_DAG_NO_HMM` does.

        The dictionary's words starting at each position are listed as `get_DAG` lists them,
        written out again here: one helper for both, called at every position, made this cut
        nearly a third slower on a catalogue example, and the pass is a noticeable share of an
        intake's instructions. The added words, asked only where one may start, are shared
        (`Frequencies.added_words`). tests/core/test_segmentation.py holds the two to jieba's
        answers."""
        freq: Frequencies = self.FREQ
        trie, counts, added, prefixes = freq.trie, freq.counts, freq.added, freq.added_prefixes
        longest = freq.longest
        size = len(sentence)
        logtotal = log(self.total)
        score = [0.0] * (size + 1)
        ends = [0] * (size + 1)
        for start in range(size - 1, -1, -1):
            best, best_end = -inf, -1
            for word, index in trie.iter_prefixes_with_ids(sentence[start : start + longest]):
                count = counts[index]
                if count and word not in added:
                    end = start + len(word)
                    value = log(count) - logtotal + score[end]
                    if value > best or (value == best and end > best_end):
                        best, best_end = value, end
            if added and sentence[start] in prefixes:
                for last, count in freq.added_words(sentence, start):
                    value = log(count) - logtotal + score[last + 1]
                    if value > best or (value == best and last + 1 > best_end):
                        best, best_end = value, last + 1
            if best_end < 0:
                # No word starts here: the character alone, weighed as a count of 1.
                best, best_end = log(1) - logtotal + score[start + 1], start + 1
            score[start], ends[start] = best, best_end
        start, run = 0, ""
        while start < size:
            end = ends[start]
            if end - start == 1 and sentence[start] in _ASCII_ALNUM:
                run += sentence[start]
            else:
                if run:
                    words.append(run)
                    run = ""
                words.append(sentence[start:end])
            start = end
        if run:
            words.append(run)


# jieba's own patterns for what it segments, what it skips, and what its no-HMM cut joins.
_HAN = jieba.re_han_default
_SKIP = jieba.re_skip_default
_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


class _Graph(dict[int, list[int]]):
    """get_DAG's answer (the ends of the words from each position), with their counts."""

    def __init__(self) -> None:
        super().__init__()
        self.weights: dict[int, list[int]] = {}


_dictionary: Dictionary | None = None
_plain: Tokenizer | None = None


def dictionary() -> Dictionary:
    """jieba's dictionary, read on the first call; the same object after."""
    global _dictionary
    if _dictionary is None:
        _dictionary = Dictionary()
    return _dictionary


def plain() -> Tokenizer:
    """A tokenizer over jieba's dictionary alone, as `jieba.lcut` segments (its default
    tokenizer, which nothing in wangge adds words to). The same object on every call."""
    global _plain
    with _lock:
        if _plain is None:
            _plain = Tokenizer(dictionary())
        return _plain


def with_words(words: Iterable[str], freq: int | None = None) -> Tokenizer:
    """A private tokenizer: jieba's dictionary with `words` added by `add_word(word, freq)`,
    in order. Built on every call; keep it."""
    with _lock:
        tokenizer = Tokenizer(dictionary())
    for word in words:
        tokenizer.add_word(word, freq)
    return tokenizer
