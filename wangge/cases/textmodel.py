"""The category model learnt from a district's own dispatching: character n-grams and the
catalogue's keywords, weighed by a linear support vector machine whose scores are calibrated
into probabilities.

Trained with scikit-learn (TF-IDF over the analyzer below, LinearSVC inside
CalibratedClassifierCV: one machine fitted on all the history, and one sigmoid per leaf fitted on
cross-validated scores), served without it: a fitted model is exported as arrays (the n-gram
vocabulary as a marisa trie, the idf, the weights, the intercepts and the sigmoids), which every
worker maps from one file instead of holding its own
copy of scikit-learn, scipy and a Python dict of 100,000 n-grams. `tests/cases/test_textmodel.py`
holds the served probabilities to scikit-learn's own for the same texts.

Why these features: characters, not jieba words, because a dispatcher's texts are colloquial,
misspelt and full of local names jieba cuts wrongly, and because cutting alone costs most of
the model's whole budget (5 ms at p95); n-grams up to three characters carry the words. The
catalogue's keywords are one more column per leaf (how many of its keywords the text names), so
that the staff's vocabulary weighs what history shows it is worth and never decides alone.

Pure Python and numpy (scikit-learn only inside `fit`): no Django.
"""

from __future__ import annotations

import io
import math
import os
import re
import threading
import unicodedata
from array import array
from collections import Counter
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
    c: float = 1.0
    max_iter: int = 2000


class Prepared:
    """Texts read once for training: normalised, and their n-grams counted into one sparse
    matrix over every n-gram found in at least two of them. `classifier_train` fits twice (the
    training slice, then everything) on one reading.

    Held as a matrix, not as a Counter per text: 100,000 orders' Counters took many GB."""

    def __init__(self, texts: Sequence[str], min_df: int = 2) -> None:
        from scipy import sparse

        self.normalized = [normalize(t) for t in texts]
        # First pass: in how many texts each n-gram occurs (Counter's C loop), to drop the
        # n-grams of one text only before anything per text is kept.
        df: Counter[str] = Counter()
        for text in self.normalized:
            df.update(set(ngrams(text)))
        self.terms = sorted(term for term, n in df.items() if n >= min_df)
        del df
        index = {term: i for i, term in enumerate(self.terms)}
        indptr = array("q", [0])
        indices = array("i")
        values = array("f")
        get = index.get
        for text in self.normalized:
            for term, count in Counter(ngrams(text)).items():
                column = get(term)
                if column is not None:
                    indices.append(column)
                    values.append(count)
            indptr.append(len(indices))
        self.counts = sparse.csr_matrix(
            (
                np.frombuffer(values, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int32),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(len(texts), len(self.terms)),
        )

    def __len__(self) -> int:
        return len(self.normalized)

    @classmethod
    def of(cls, texts: Sequence[str], min_df: int = 2) -> Prepared:
        return cls(texts, min_df)

    def take(self, rows: Sequence[int]) -> Prepared:
        part = object.__new__(Prepared)
        part.normalized = [self.normalized[i] for i in rows]
        part.terms = self.terms
        part.counts = self.counts[np.asarray(rows, dtype=np.int64)]
        return part


def tfidf(
    prepared: Prepared, min_df: int, max_features: int
) -> tuple[Any, list[str], npt.NDArray[np.float64]]:
    """The TF-IDF rows of counted texts, as scikit-learn's TfidfVectorizer makes them
    (sublinear tf, smooth idf, rows of unit length): (matrix, terms, idf), from these texts'
    own counts alone.

    Written out because the vectorizer counts every n-gram in a Python loop of its own: on
    100,000 orders that was most of a training's CPU. Of the n-grams in at least `min_df`
    texts, the `max_features` in most texts are kept (scikit-learn ranks by total count; the
    tests compare the two where neither limit binds)."""
    from scipy import sparse

    counts = prepared.counts
    n_docs = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    candidates = np.flatnonzero(df >= min_df)
    if len(candidates) > max_features:
        # Most texts first; ties in the terms' order (the matrix's columns are sorted terms).
        ranked = candidates[np.lexsort((candidates, -df[candidates]))]
        candidates = np.sort(ranked[:max_features])
    matrix = counts[:, candidates].tocsr()
    idf = np.log((1 + n_docs) / (1 + df[candidates].astype(np.float64))) + 1.0
    data = (1.0 + np.log(matrix.data.astype(np.float64))) * idf[matrix.indices]
    matrix = sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix = sparse.diags(1.0 / norms) @ matrix
    terms = [prepared.terms[i] for i in candidates]
    return matrix.astype(np.float32).tocsr(), terms, idf


def fit(
    texts: Sequence[str] | Prepared,
    labels: Sequence[str],
    keywords: Mapping[str, Sequence[str]],
    settings: FitSettings | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Train on `texts` labelled `labels` (leaf codes); returns the model as arrays.

    `keywords` are the catalogue's keywords of each leaf; leaves without history get none."""
    # scikit-learn is the training job's alone: a serving worker never imports it.
    from scipy import sparse
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.svm import LinearSVC

    settings = settings or FitSettings()
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("at least two categories are needed to learn from")
    min_df = min(settings.min_df, max(1, len(texts) // 50))
    prepared = texts if isinstance(texts, Prepared) else Prepared.of(texts, min_df)
    normalized = prepared.normalized
    matrix, terms, idf = tfidf(prepared, min_df, settings.max_features)
    kw = _normal_keywords([keywords.get(c, ()) for c in classes])
    hits = sparse.csr_matrix(np.vstack([keyword_hits(t, kw) for t in normalized]))
    features = sparse.hstack([matrix, hits], format="csr")
    # Measured on real messages against a logistic regression over the same features (0.82
    # top-1) and the plain character TF-IDF baseline: 0.85 (docs/benchmarks.md). The sigmoids
    # are fitted on 3-fold cross-validated scores, the machine itself on everything.
    folds = max(2, min(3, min(Counter(labels).values())))
    model = CalibratedClassifierCV(
        LinearSVC(C=settings.c, max_iter=settings.max_iter), ensemble=False, cv=folds
    )
    model.fit(features, [classes.index(label) for label in labels])
    fitted = model.calibrated_classifiers_[0]
    svc = fitted.estimator
    slopes = np.array([c.a_ for c in fitted.calibrators], dtype=np.float64)
    offsets = np.array([c.b_ for c in fitted.calibrators], dtype=np.float64)
    coef = np.asarray(svc.coef_, dtype=np.float32)
    intercept = np.asarray(svc.intercept_, dtype=np.float64)
    # Rows in the trie's own order, so a served n-gram's trie id is its row.
    trie = marisa_trie.Trie(terms)
    column = {term: i for i, term in enumerate(terms)}
    order = np.array([column[trie.restore_key(i)] for i in range(len(trie))], dtype=np.int64)
    n_terms = len(terms)
    return {
        "trie": np.frombuffer(trie.tobytes(), dtype=np.uint8),
        "idf": idf.astype(np.float32)[order],
        "weights": np.ascontiguousarray(coef[:, :n_terms].T[order]),
        "keyword_weights": np.ascontiguousarray(coef[:, n_terms:].T),
        "intercept": intercept,
        # p = 1 / (1 + exp(slope * score + offset)), each leaf's, then shared out to sum to one;
        # with two leaves scikit-learn keeps one row and one sigmoid (the second leaf's).
        "slopes": slopes,
        "offsets": offsets,
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
    for name, values in from_bytes(data).items():
        target = folder / (f"{name}.marisa" if name == "trie" else f"{name}.npy")
        # Each writer its own partial file: two workers meeting a new model at once both unpack
        # it, and each file appears whole, by one rename.
        partial = target.with_suffix(f"{target.suffix}.{os.getpid()}.{threading.get_ident()}.part")
        if name == "trie":
            partial.write_bytes(values.tobytes())
        else:
            np.save(partial, values, allow_pickle=False)
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
        self._intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        self._slopes = np.asarray(arrays["slopes"], dtype=np.float64)
        self._offsets = np.asarray(arrays["offsets"], dtype=np.float64)
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
        scores = self._intercept.copy()
        columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
        values = np.empty(0, dtype=np.float32)
        if counts:
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            values = (1.0 + np.log(tf)) * self._idf[columns]
            values /= np.float32(math.sqrt(float(values @ values)))
            scores += values @ self._weights[columns]
        hits = keyword_hits(normalized, self._keywords)
        if hits.any():
            scores += hits @ self._keyword_weights
        with np.errstate(over="ignore"):
            sigmoid = 1.0 / (1.0 + np.exp(self._slopes * scores + self._offsets))
        if len(self.classes) == 2 and len(sigmoid) == 1:
            probabilities = np.array([1.0 - sigmoid[0], sigmoid[0]])
        else:
            total = sigmoid.sum()
            probabilities = (
                sigmoid / total if total > 0 else np.full(len(sigmoid), 1.0 / len(sigmoid))
            )
        return Scored(np.clip(probabilities, 0.0, 1.0), columns, values)

    def words(self, scored: Scored, class_index: int) -> tuple[str, ...]:
        """The n-grams that pushed the text towards `class_index` most, readable: longest
        first, none contained in one already taken."""
        if not len(scored.columns):
            return ()
        # Two leaves: one row of weights, for the second; the first's are its opposite.
        row = class_index if self._weights.shape[1] > 1 else 0
        sign = -1.0 if self._weights.shape[1] == 1 and class_index == 0 else 1.0
        push = sign * scored.values * self._weights[scored.columns, row]
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
