"""The category model learnt from a district's own dispatching: character n-grams and the
catalogue's keywords, weighed by a multinomial logistic regression.

Trained with scikit-learn (TF-IDF over the analyzer below, LogisticRegression), served without
it: a fitted model is exported as arrays (the n-gram vocabulary as a marisa trie, the idf, the
weights and the intercepts), which every worker maps from one file instead of holding its own
copy of scikit-learn, scipy and a Python dict of 100,000 n-grams. `tests/cases/test_textmodel.py`
holds the served probabilities to scikit-learn's own for the same texts.

Why these features: characters, not jieba words, because a dispatcher's texts are colloquial,
misspelt and full of local names jieba cuts wrongly, and because cutting costs 3.7 ms at p95
(the model's whole budget is 5 ms); n-grams up to three characters carry the words. The
catalogue's keywords are one more column per leaf (how many of its keywords the text names), so
that the staff's vocabulary weighs what history shows it is worth and never decides alone.

Pure Python and numpy (scikit-learn only inside `fit`): no Django.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import marisa_trie
import numpy as np
import numpy.typing as npt

NGRAMS: Final = (1, 3)
# A keyword column's value is capped here: three keywords of one leaf say no more than two.
_KEYWORD_CAP: Final = 3.0
# Scale of the keyword columns next to a TF-IDF row of unit length.
_KEYWORD_SCALE: Final = 0.3
_DIGITS: Final = re.compile(r"\d+")
_SPACE: Final = re.compile(r"\s+")
# Readable explanations: the n-grams that weighed most, longest first, none inside another.
_EXPLAIN: Final = 4


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, one blank for any run of blanks, and every number
    one `0`: a phone, a date or a house number only teaches the model which orders cite it."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE.sub(" ", _DIGITS.sub("0", text)).strip()


def ngrams(text: str) -> list[str]:
    """The character n-grams of a normalised text, as the model counts them (n = 1 … 3)."""
    low, high = NGRAMS
    grams: list[str] = []
    length = len(text)
    for n in range(low, high + 1):
        grams.extend(text[i : i + n] for i in range(length - n + 1))
    return [g for g in grams if not g.isspace()]


def keyword_hits(text: str, keywords: Sequence[Sequence[str]]) -> npt.NDArray[np.float32]:
    """For each leaf, how many of its keywords the normalised text contains (capped)."""
    hits = np.zeros(len(keywords), dtype=np.float32)
    for index, words in enumerate(keywords):
        count = sum(1 for word in words if word in text)
        if count:
            hits[index] = min(count, _KEYWORD_CAP) / _KEYWORD_CAP * _KEYWORD_SCALE
    return hits


def _normal_keywords(keywords: Sequence[Sequence[str]]) -> list[list[str]]:
    # One-character keywords (水, 狗) would fire in nearly every text.
    return [sorted({normalize(k) for k in words if len(normalize(k)) >= 2}) for words in keywords]


@dataclass(frozen=True)
class FitSettings:
    """What `fit` is told; chosen on real messages (docs/benchmarks.md, bench_classifier)."""

    max_features: int = 120_000
    min_df: int = 2
    c: float = 20.0
    max_iter: int = 300


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    keywords: Mapping[str, Sequence[str]],
    settings: FitSettings | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Train on `texts` labelled `labels` (leaf codes); returns the model as arrays.

    `keywords` are the catalogue's keywords of each leaf; leaves without history get none."""
    # scikit-learn is the training job's alone: a serving worker never imports it.
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    settings = settings or FitSettings()
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("at least two categories are needed to learn from")
    normalized = [normalize(t) for t in texts]
    vectorizer = TfidfVectorizer(
        analyzer=ngrams,
        sublinear_tf=True,
        min_df=min(settings.min_df, max(1, len(texts) // 50)),
        max_features=settings.max_features,
        dtype=np.float32,
    )
    tfidf = vectorizer.fit_transform(normalized)
    kw = _normal_keywords([keywords.get(c, ()) for c in classes])
    hits = sparse.csr_matrix(np.vstack([keyword_hits(t, kw) for t in normalized]))
    features = sparse.hstack([tfidf, hits], format="csr")
    model = LogisticRegression(C=settings.c, max_iter=settings.max_iter)
    model.fit(features, [classes.index(label) for label in labels])
    terms = vectorizer.get_feature_names_out().tolist()
    coef = np.asarray(model.coef_, dtype=np.float32)
    if coef.shape[0] == 1:
        # Two classes: scikit-learn keeps one row (class 1 against class 0); as two rows the
        # softmax below gives the same probabilities.
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.array([-model.intercept_[0] / 2, model.intercept_[0] / 2])
    else:
        intercept = np.asarray(model.intercept_)
    # Rows in the trie's own order, so a served n-gram's trie id is its row.
    trie = marisa_trie.Trie(terms)
    order = np.array([vectorizer.vocabulary_[trie.restore_key(i)] for i in range(len(trie))])
    n_terms = len(terms)
    return {
        "trie": np.frombuffer(trie.tobytes(), dtype=np.uint8),
        "idf": np.asarray(vectorizer.idf_, dtype=np.float32)[order],
        "weights": np.ascontiguousarray(coef[:, :n_terms].T[order]),
        "keyword_weights": np.ascontiguousarray(coef[:, n_terms:].T),
        "intercept": intercept.astype(np.float32),
        "classes": np.array(classes),
        "keywords": np.array(["\t".join(words) for words in kw]),
    }


def to_bytes(arrays: Mapping[str, npt.NDArray[Any]]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def from_bytes(data: bytes) -> dict[str, npt.NDArray[Any]]:
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def unpack(data: bytes, folder: Path) -> None:
    """Write a model's arrays as files `TextModel.open` maps (written once per version and
    machine; every worker then shares the pages)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in from_bytes(data).items():
        target = folder / (f"{name}.marisa" if name == "trie" else f"{name}.npy")
        partial = target.with_suffix(target.suffix + ".part")
        if name == "trie":
            partial.write_bytes(array.tobytes())
        else:
            np.save(partial, array, allow_pickle=False)
            # np.save adds .npy to a name that lacks it.
            partial = partial if partial.exists() else Path(f"{partial}.npy")
        partial.replace(target)
    (folder / "complete").write_text("1")


@dataclass(frozen=True)
class Scored:
    probabilities: npt.NDArray[np.float64]  # one per class, in `TextModel.classes` order
    columns: npt.NDArray[np.int64]  # the text's n-gram rows
    values: npt.NDArray[np.float32]  # their TF-IDF weights


class TextModel:
    """A fitted model, served: probabilities for a text, and the n-grams that weighed."""

    def __init__(self, arrays: Mapping[str, Any], trie: marisa_trie.Trie) -> None:
        self.classes: tuple[str, ...] = tuple(str(c) for c in arrays["classes"])
        self._trie = trie
        self._idf = arrays["idf"]
        self._weights = arrays["weights"]
        self._keyword_weights = arrays["keyword_weights"]
        self._intercept = arrays["intercept"].astype(np.float64)
        self._keywords = [str(k).split("\t") if str(k) else [] for k in arrays["keywords"]]

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, npt.NDArray[Any]]) -> TextModel:
        trie = marisa_trie.Trie()
        trie.frombytes(arrays["trie"].tobytes())
        return cls(arrays, trie)

    @classmethod
    def open(cls, folder: Path) -> TextModel:
        """The model unpacked in `folder`, its arrays and trie mapped, not read."""
        arrays = {
            path.stem: np.load(path, mmap_mode="r", allow_pickle=False)
            for path in folder.glob("*.npy")
        }
        trie = marisa_trie.Trie()
        trie.mmap(str(folder / "trie.marisa"))
        return cls(arrays, trie)

    def score(self, text: str) -> Scored:
        normalized = normalize(text)
        counts: dict[int, int] = {}
        lookup = self._trie.get
        for gram in ngrams(normalized):
            row = lookup(gram)
            if row is not None:
                counts[row] = counts.get(row, 0) + 1
        logits = self._intercept.copy()
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = np.empty(0, dtype=np.float32)
        if counts:
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            values = (1.0 + np.log(tf)) * self._idf[columns]
            values /= np.float32(math.sqrt(float(values @ values)))
            logits += values @ self._weights[columns]
        hits = keyword_hits(normalized, self._keywords)
        if hits.any():
            logits += hits @ self._keyword_weights
        logits -= logits.max()
        exp = np.exp(logits)
        return Scored(exp / exp.sum(), columns, values)

    def words(self, scored: Scored, class_index: int) -> tuple[str, ...]:
        """The n-grams that pushed the text towards `class_index` most, readable: longest
        first, none contained in one already taken."""
        if not len(scored.columns):
            return ()
        push = scored.values * self._weights[scored.columns, class_index]
        ranked = np.argsort(-push)[: _EXPLAIN * 4]
        grams = [
            self._trie.restore_key(int(scored.columns[i]))
            for i in ranked
            if push[i] > 0 and scored.columns[i] >= 0
        ]
        grams = [g for g in grams if len(g) >= 2 and g.strip() and "0" not in g] or grams
        taken: list[str] = []
        for gram in sorted(grams[: _EXPLAIN * 2], key=len, reverse=True):
            if not any(gram in t for t in taken):
                taken.append(gram.strip())
            if len(taken) == _EXPLAIN:
                break
        return tuple(taken)
