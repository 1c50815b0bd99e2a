"""Suggest a 派单目录 leaf category for a resident's or a call-taker's text.

Two stages, because they fail differently:

* **Keywords** are what operations staff curate in the catalogue. A hit on a specific phrase
  (``暖气漏水``, ``飞线充电``) is the most trustworthy signal there is, and staff can fix a bad
  routing by editing a keyword without retraining anything. Overlapping keywords are resolved
  longest-first, so ``暖气片漏`` claims its span before a shorter keyword inside it can, and a
  keyword must sit on jieba word boundaries, so ``来水`` does not fire inside ``自来水``.
* **A multinomial naive Bayes model** over jieba words, character bigrams and characters
  covers texts that name no keyword — "楼上每天半夜跺脚走路咚咚响" names no noise keyword but
  shares 楼上, 半夜 and 走路 with the 社会生活噪音 examples. Naive Bayes rather than a
  discriminative model because it trains in one pass (tens of milliseconds), is exactly
  reproducible, and copes with the ten-odd examples a catalogue leaf has; in 4-fold
  cross-validation it also beat nearest-centroid, k-NN, complement NB and a numpy logistic
  regression on this catalogue.

Pure Python plus numpy and jieba (through wangge.core.segmentation): no Django, so the bench
and the tests run without settings.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from wangge.core import segmentation

DEFAULT_CATALOGUE: Final = Path(__file__).resolve().parent / "data" / "categories.json"

# Keyword evidence: each distinct keyword found adds len/2 "bits" (capped), times its
# reliability in the examples (see _audit_keywords), split between the leaves sharing it; the
# score is 1 - 0.5**bits. One reliable two-character keyword scores exactly the threshold, a
# four-character one or two short ones 0.75; a keyword shared by two leaves, or one that the
# examples show turning up in other leaves' complaints, cannot decide on its own.
KEYWORD_THRESHOLD: Final = 0.5
_MAX_KEYWORD_BITS: Final = 2.0

# The parameters below were chosen by 4-fold cross-validation over the catalogue's examples
# (bench/bench_classifier.py reports the resulting accuracy).
# Laplace smoothing. Features are TF-IDF weighted and length-normalised, so a whole
# pseudo-count is large next to one sentence: it keeps ten-sentence leaves from trusting
# the accidents of their few examples.
_ALPHA: Final = 1.0
# The leaf's name, its parent's name and its keywords form one curated training document,
# weighted like this many examples: the staff's vocabulary is the best evidence there is.
_CURATED_WEIGHT: Final = 8.0
# Share of each leaf's counts taken from its siblings' average (see _train).
_SHRINKAGE: Final = 0.2
# Characters and bigrams back up jieba (typos, unseen compounds) but a word is the stronger
# clue, so each character and bigram occurrence counts half a word.
_BIGRAM_WEIGHT: Final = 0.5
_CHAR_WEIGHT: Final = 0.5
# Softmax temperature over per-feature average log-likelihoods. Raw naive Bayes posteriors
# are famously overconfident (every answer reads 0.999); at this temperature the model's mean
# top score (0.76) is close to its cross-validated top-1 accuracy (0.80), so a score can be
# read as a probability and a caller's "is this good enough" threshold means something.
_TEMPERATURE: Final = 0.03
# A token that occurs in more than this share of leaves cannot tell them apart; a text with
# no better token than those ("请问一下情况") is meaningless for routing.
_UNINFORMATIVE_SHARE: Final = 0.25
_MATCHED_TOKENS: Final = 5

# Words jieba's general dictionary splits wrongly or lacks, including common misspellings
# (暖器, 电平车, 装休, 燥音). Fixed here rather than taken from the loaded catalogue so that
# tokenize() gives the same answer in every process.
_DOMAIN_WORD_TEXT: Final = """
12345 网格员 网格长 飞线充电 私拉电线 电动车 电瓶车 电平车 充电桩 插线板 暖气不热 暖气片 暖器
地暖 供暖 报停 暖气费 采暖费 跑水 放气阀 停水 停电 停气 没水 没电 没气 水压 黄水 二次供水
水表井 爆管 燃气灶 燃气表 燃气卡 煤气味 天然气味 漏气 液化气 自闭阀 跳闸 电压 变压器 配电箱
电线杆 消防通道 生命通道 消火栓 消防栓 灭火器 烟感 应急灯 楼道 楼道灯 声控灯 单元门 门禁
物业费 维修基金 业委会 电梯 困人 楼顶 顶楼 加盖 彩钢房 彩钢瓦 阳光房 私搭乱建 违建 承重墙
高空抛物 狗叫 遛狗 狗屎 空调外机 井盖 雨水篦子 路灯 红绿灯 斑马线 积水 下水道 坑洼 僵尸车
地锁 车位锁 共享单车 乱停 占道经营 摆摊 流动摊贩 店外经营 出店经营 小广告 牛皮癣 露天烧烤
油烟 渣土车 建筑垃圾 垃圾站 垃圾桶 公厕 旱厕 消杀 白蚁 广场舞 暴走团 装修 装休 电钻 砸墙
燥音 打桩 夜间施工 拖椅子 打麻将 缺斤短两 预付卡 会员卡 跑路 地沟油 营业执照 黑诊所 养老金
养老保险 医保 社保卡 失业金 灵活就业 异地就医 高龄津贴 高龄补贴 尊老金 老年食堂 幸福食堂
助餐 助浴 适老化 独居老人 空巢老人 养老院 欠薪 包工头 工钱 工伤 劳动仲裁
"""
DOMAIN_WORDS: Final = tuple(_DOMAIN_WORD_TEXT.split())

# Hotline and emergency numbers are meaningful tokens; every other digit string is a
# building, a date or a phone number and would only teach the model which 号楼 examples cite.
_KEPT_NUMBERS: Final = frozenset({"12345", "110", "119", "120"})

# Function words, fillers and hotline boilerplate (来电, 反映, 诉求): they occur in every
# category, so they only add noise, and a text made only of them carries no request.
_STOPWORD_TEXT: Final = """
的 了 着 过 是 在 有 和 与 及 或 也 都 就 还 又 再 才 把 被 给 让 叫 向 从 对 跟 为 我 你
他 她 它 我们 你们 他们 她们 咱们 自己 人家 大家 这 那 这个 那个 这些 那些 这里 那里 这边
那边 这样 那样 哪 哪里 哪儿 什么 怎么 怎么样 怎样 为什么 多少 几 吗 呢 吧 啊 呀 哦 嗯 哈 啦
嘛 么 呗 喂 哎 唉 一 一个 一下 一些 一直 一点 有点 有些 个 些 很 太 最 更 非常 特别 真 挺 好
都是 就是 还是 但是 可是 而且 并且 所以 因为 如果 虽然 然后 已经 现在 今天 昨天 明天 刚才
马上 可以 能 能不能 可不可以 要 想 希望 请 请问 麻烦 谢谢 您好 你好 您 请求 要求 反映 来电
市民 群众 诉求 问题 情况 处理 解决 一下子 上 下 里 中 内 外 前 后 时候 时 地 得 之 所 等
等等 啥 咋 呐 哇 嘿 没事 测试 你们好 喂喂
"""
STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())
# Characters too common to be a feature or to make a useful bigram ("的车", "了一").
_STOP_CHARS: Final = frozenset(
    "的了着过是在我你他她它们吗呢吧啊呀哦嗯哈啦嘛么呗喂这那个就也都还又把被给问"
)

_CJK_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_WORD_CHAR: Final = re.compile(r"[\w\u3400-\u4dbf\u4e00-\u9fff]")
_DIGITS: Final = re.compile(r"\d+")

_tokenizer_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """A private jieba.Tokenizer with the domain words, built once per process.

    Private so that adding words cannot change how other modules (search, address parsing)
    segment text through jieba's global default tokenizer."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            # On the process's one copy of jieba's dictionary (wangge.core.segmentation).
            _tokenizer = segmentation.with_words(DOMAIN_WORDS)
        return _tokenizer


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC) and lower case, so ＫＴＶ, KTV and ktv are one token."""
    return unicodedata.normalize("NFKC", text).lower()


def _segment(normalized: str) -> list[str]:
    # HMM off: its guesses at unknown words depend on the surrounding characters, so the same
    # phrase would be split differently in training and at query time; characters and
    # bigrams already cover the words jieba does not know.
    pieces: list[str] = []
    for piece in _jieba().lcut(normalized, HMM=False):
        # jieba happily finds the dictionary word 12345 inside 123456; a number is one token.
        if pieces and piece.isdigit() and pieces[-1].isdigit():
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return pieces


def _words(pieces: Iterable[str]) -> list[str]:
    words: list[str] = []
    for piece in pieces:
        word = piece.strip()
        if not word or word in STOPWORDS or not _WORD_CHAR.search(word):
            continue
        if _DIGITS.fullmatch(word) and word not in _KEPT_NUMBERS:
            continue
        if word.isascii() and len(word) == 1:
            continue
        words.append(word)
    return words


def _bigrams(normalized: str) -> list[str]:
    grams: list[str] = []
    for run in _CJK_RUN.findall(normalized):
        for a, b in itertools.pairwise(run):
            if a not in _STOP_CHARS and b not in _STOP_CHARS and a + b not in STOPWORDS:
                grams.append(a + b)
    return grams


def tokenize(text: str) -> list[str]:
    """jieba words (domain dictionary, stopwords removed) followed by CJK character bigrams.

    The bigrams are the fallback for what jieba gets wrong: typos (暖器, 燥音) and compounds
    it has never seen still share bigrams with the training text."""
    normalized = normalize(text)
    return _words(_segment(normalized)) + _bigrams(normalized)


def _features(
    normalized: str,
    pieces: Iterable[str],
    words: list[str] | None = None,
    bigrams: list[str] | None = None,
) -> dict[str, float]:
    """The model's weighted bag: tokenize()'s words and bigrams plus single characters.

    With a handful of sentences per leaf, 热 in 暖气一点不热乎 is often the only clue that
    survives an unseen phrasing; adding characters raised cross-validated top-1 accuracy by
    about four points. `words` and `bigrams`, when given, are `_words(pieces)` and
    `_bigrams(normalized)` already made (suggest needs them twice)."""
    bag: dict[str, float] = {}
    for word in _words(pieces) if words is None else words:
        bag[word] = bag.get(word, 0.0) + 1.0
    for run in _CJK_RUN.findall(normalized):
        for char in run:
            if char not in _STOP_CHARS and char not in STOPWORDS:
                bag[char] = bag.get(char, 0.0) + _CHAR_WEIGHT
    for gram in _bigrams(normalized) if bigrams is None else bigrams:
        bag[gram] = bag.get(gram, 0.0) + _BIGRAM_WEIGHT
    return bag


_Parsed = tuple[str, list[str]]
# Leaf index -> (keyword score, its keywords among those found).
_KeywordScores = dict[int, tuple[float, tuple[str, ...]]]


def _parse(text: str) -> _Parsed:
    """The normalised text and its jieba pieces, which every later step needs."""
    normalized = normalize(text)
    return normalized, _segment(normalized)


@dataclass(frozen=True)
class Suggestion:
    code: str  # leaf category code
    score: float  # 0..1
    method: str  # "keyword" or "model"
    matched: tuple[str, ...]  # keywords that matched, or the model's strongest tokens


def load_categories(path: Path = DEFAULT_CATALOGUE) -> list[dict[str, Any]]:
    """The ``categories`` list of a catalogue file."""
    data = json.loads(path.read_text(encoding="utf-8"))
    categories: list[dict[str, Any]] = data["categories"]
    return categories


def leaf_categories(categories: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Categories nobody names as a parent: the only ones a case may be filed under."""
    parents = {c.get("parent") for c in categories}
    return [c for c in categories if c["code"] not in parents]


class CategoryClassifier:
    """Keyword-first, naive-Bayes-second suggestions among a catalogue's leaf categories."""

    def __init__(self, categories: Sequence[Mapping[str, Any]]) -> None:
        leaves = leaf_categories(categories)
        if not leaves:
            raise ValueError("the catalogue has no leaf categories")
        self.codes: tuple[str, ...] = tuple(str(c["code"]) for c in leaves)
        names = {str(c["code"]): str(c["name"]) for c in categories}
        # Segmented once: both the keyword audit and the model read every example.
        examples: list[list[_Parsed]] = [
            [_parse(str(e)) for e in leaf.get("examples", ())] for leaf in leaves
        ]
        self._build_keywords(leaves, examples)
        self._train(leaves, names, examples)

    @classmethod
    def from_json(cls, path: Path = DEFAULT_CATALOGUE) -> CategoryClassifier:
        return cls(load_categories(path))

    # ------------------------------------------------------------------ keywords

    def _build_keywords(
        self, leaves: Sequence[Mapping[str, Any]], examples: Sequence[Sequence[_Parsed]]
    ) -> None:
        owners: dict[str, list[int]] = {}
        for index, category in enumerate(leaves):
            for keyword in category.get("keywords", ()):
                key = normalize(str(keyword)).strip()
                # A one-character keyword (水, 狗) matches far too much to be trusted alone.
                if len(key) >= 2 and index not in owners.setdefault(key, []):
                    owners[key].append(index)
        # Longest first, so _match_keywords can claim spans greedily.
        self._keywords: tuple[str, ...] = tuple(sorted(owners, key=lambda k: (-len(k), k)))
        # Scan order (longest first) and a first-character index, so a query only tries the
        # few keywords that could start somewhere in it instead of all six hundred-odd.
        self._keyword_rank = {k: rank for rank, k in enumerate(self._keywords)}
        by_first: dict[str, list[str]] = {}
        for keyword in self._keywords:
            by_first.setdefault(keyword[0], []).append(keyword)
        self._by_first = {char: tuple(keywords) for char, keywords in by_first.items()}
        self._owners: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in owners.items()}
        self._keyword_bits = self._audit_keywords(examples)

    def _match_keywords(self, normalized: str, pieces: Sequence[str]) -> list[str]:
        """Keywords found in the text, the longest match winning overlapping spans.

        A match must also start and end on a jieba word boundary: 来水 inside 自来水 or 灯杆
        across 路灯|杆 is not what the catalogue meant."""
        boundaries = set(itertools.accumulate((len(p) for p in pieces), initial=0))
        taken = [False] * len(normalized)
        found: list[str] = []
        candidates = {k for char in set(normalized) for k in self._by_first.get(char, ())}
        for keyword in sorted(candidates, key=self._keyword_rank.__getitem__):
            start = normalized.find(keyword)
            while start != -1:
                end = start + len(keyword)
                if start in boundaries and end in boundaries and not any(taken[start:end]):
                    taken[start:end] = [True] * len(keyword)
                    if keyword not in found:
                        found.append(keyword)
                start = normalized.find(keyword, start + 1)
        return found

    def _audit_keywords(self, examples: Sequence[Sequence[_Parsed]]) -> dict[str, float]:
        """Bits each keyword contributes, weighed by how reliable the examples show it to be.

        Staff write keywords for what a category is about, but residents mention 路灯, 电梯
        or 天花板 in passing in all sorts of complaints. Reliability is (own + 1) / (all + 1)
        over the examples the keyword occurs in: a keyword no example uses keeps its full
        weight, one that mostly turns up in other leaves' examples loses its power to decide."""
        own: dict[str, int] = {}
        seen: dict[str, int] = {}
        for index, parsed in enumerate(examples):
            for normalized, pieces in parsed:
                for keyword in self._match_keywords(normalized, pieces):
                    seen[keyword] = seen.get(keyword, 0) + 1
                    if index in self._owners[keyword]:
                        own[keyword] = own.get(keyword, 0) + 1
        bits: dict[str, float] = {}
        for keyword, owners in self._owners.items():
            reliability = (own.get(keyword, 0) + 1) / (seen.get(keyword, 0) + 1)
            length_bits = min(len(keyword) / 2, _MAX_KEYWORD_BITS)
            bits[keyword] = length_bits * reliability / len(owners)
        return bits

    def _keyword_scores(self, found: Sequence[str]) -> _KeywordScores:
        """Leaf index -> (keyword score, its keywords among those found)."""
        hits: dict[int, list[str]] = {}
        for keyword in found:
            for owner in self._owners[keyword]:
                hits.setdefault(owner, []).append(keyword)
        return {
            index: (1.0 - 0.5 ** sum(self._keyword_bits[k] for k in keywords), tuple(keywords))
            for index, keywords in hits.items()
        }

    # ------------------------------------------------------------------ model

    def _train(
        self,
        leaves: Sequence[Mapping[str, Any]],
        names: Mapping[str, str],
        examples: Sequence[Sequence[_Parsed]],
    ) -> None:
        documents: list[tuple[int, dict[str, float], float]] = []
        for index, category in enumerate(leaves):
            parent = names.get(str(category.get("parent")), "")
            keywords = [str(k) for k in category.get("keywords", ())]
            curated = " ".join([str(category["name"]), parent, *keywords])
            documents.append((index, _features(*_parse(curated)), _CURATED_WEIGHT))
            for normalized, pieces in examples[index]:
                documents.append((index, _features(normalized, pieces), 1.0))

        vocabulary: dict[str, int] = {}
        for _, bag, _ in documents:
            for token in bag:
                vocabulary.setdefault(token, len(vocabulary))
        self._vocabulary = vocabulary
        self._terms: tuple[str, ...] = tuple(vocabulary)
        n_classes, n_terms = len(self.codes), len(vocabulary)

        # IDF over the training documents: 楼上 and 小区 are everywhere, 跺脚 almost nowhere.
        document_frequency = np.zeros(n_terms)
        for _, bag, _ in documents:
            document_frequency[[vocabulary[t] for t in bag]] += 1
        self._idf: npt.NDArray[np.float64] = (
            np.log((1 + len(documents)) / (1 + document_frequency)) + 1
        )

        counts = np.zeros((n_classes, n_terms))
        for index, bag, weight in documents:
            columns, values = self._vectorize(bag)
            # Length-normalised, so one long rambling example does not outvote three short ones.
            counts[index, columns] += weight * values / (float(np.linalg.norm(values)) or 1.0)
        leaves_with_token = (counts > 0).sum(axis=0)
        self._informative: npt.NDArray[np.bool_] = leaves_with_token <= max(
            3, _UNINFORMATIVE_SHARE * n_classes
        )

        # Shrinkage towards the parent (McCallum et al., 1998): a leaf with ten sentences has
        # not seen most of its vocabulary, but its siblings have seen related words, so an
        # unusual 供水 complaint still lands among the 供水 leaves.
        families: dict[str, list[int]] = {}
        for index, category in enumerate(leaves):
            families.setdefault(str(category.get("parent")), []).append(index)
        family_counts = np.zeros_like(counts)
        for members in families.values():
            family_counts[members] = counts[members].mean(axis=0)
        smoothed = (1.0 - _SHRINKAGE) * counts + _SHRINKAGE * family_counts + _ALPHA
        self._log_prob: npt.NDArray[np.float64] = np.log(
            smoothed / smoothed.sum(axis=1, keepdims=True)
        )
        # How far a token lifts a leaf above the average leaf (the leaf's log probability less
        # this mean) explains a model suggestion by its strongest tokens. Only the mean is
        # kept: the lift of the few tokens of one text is computed when asked, where a whole
        # leaves × terms table of it would be megabytes more in every process.
        self._mean_log_prob: npt.NDArray[np.float64] = self._log_prob.mean(axis=0)

    def _vectorize(self, bag: Mapping[str, float]) -> tuple[list[int], npt.NDArray[np.float64]]:
        vocabulary = self._vocabulary
        columns: list[int] = []
        counts: list[float] = []
        for token, count in bag.items():
            column = vocabulary.get(token)
            if column is not None:
                columns.append(column)
                counts.append(count)
        tf = np.array(counts, dtype=np.float64)
        # Sublinear tf: saying 噪音 three times is not three times the evidence.
        values: npt.NDArray[np.float64] = np.log1p(tf) * self._idf[columns]
        return columns, values

    def _posterior(
        self, columns: list[int], values: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        # Averaged per unit of feature mass so that long and short texts are equally sure of
        # themselves at a given temperature; uniform class prior, because how many examples
        # a leaf has says nothing about how often residents report it.
        log_likelihood = self._log_prob[:, columns] @ values / float(values.sum())
        weights = np.exp((log_likelihood - log_likelihood.max()) / _TEMPERATURE)
        posterior: npt.NDArray[np.float64] = weights / weights.sum()
        return posterior

    def _top_tokens(
        self, index: int, columns: list[int], values: npt.NDArray[np.float64]
    ) -> tuple[str, ...]:
        lift = self._log_prob[index, columns] - self._mean_log_prob[columns]
        # As Python floats: the same numbers, read without a numpy scalar for each.
        contribution: list[float] = (lift * values).tolist()
        terms = self._terms
        ranked = sorted(
            (i for i, c in enumerate(contribution) if c > 0),
            key=lambda i: (-contribution[i], terms[columns[i]]),
        )
        tokens = [terms[columns[i]] for i in ranked]
        # Words and bigrams explain a suggestion to a person; lone characters only if that
        # is all there is.
        readable = [t for t in tokens if len(t) > 1] or tokens
        return tuple(readable[:_MATCHED_TOKENS])

    def _meaningful(self, words: Iterable[str], bigrams: Iterable[str]) -> bool:
        """Whether some word or bigram of the text is known and tells leaves apart.

        Single characters are left out on purpose: 测试 or 好的 share a character with some
        example, which is no reason to route anything."""
        for token in itertools.chain(words, bigrams):
            column = self._vocabulary.get(token)
            if column is not None and self._informative[column]:
                return True
        return False

    # ------------------------------------------------------------------ suggest

    def suggest(self, text: str, limit: int = 3) -> list[Suggestion]:
        """Up to ``limit`` leaf suggestions, best first; [] when the text carries no clue.

        Leaves whose keyword score reaches KEYWORD_THRESHOLD come first (method "keyword"),
        ordered by a noisy-OR of keyword score and model posterior, so the model breaks ties
        between equally good keywords. The model's ranking fills the remaining places."""
        read = self._read(text) if limit > 0 else None
        return self._ranked(*read, limit) if read is not None else []

    def best(self, text: str) -> Suggestion | None:
        """``suggest(text, limit=1)``'s one suggestion, or None; when a single leaf's keywords
        reach KEYWORD_THRESHOLD, without asking the model.

        That leaf is then the answer whatever the model says; the model would only raise its
        score (a noisy-OR), so the score here is the keywords' own, a lower bound that has
        already passed every threshold a caller sets below KEYWORD_THRESHOLD. Code, method
        and matched words are suggest's. The model is a third of a suggestion's time; it is
        skipped for 413 of the catalogue's 804 held-out examples (four folds) and for 20 of
        the 67 complaints written for tests/cases/test_classifier.py."""
        read = self._read(text)
        if read is None:
            return None
        keyword_scores = read[2]
        strong = [i for i, (score, _) in keyword_scores.items() if score >= KEYWORD_THRESHOLD]
        if len(strong) == 1:
            score, keywords = keyword_scores[strong[0]]
            return Suggestion(self.codes[strong[0]], round(score, 4), "keyword", keywords)
        found = self._ranked(*read, 1)
        return found[0] if found else None

    def _read(self, text: str) -> tuple[str, list[str], _KeywordScores] | None:
        """The normalised text, its jieba pieces and its keyword scores, which both suggest
        and best start from; None for a text of nothing but blanks."""
        normalized = normalize(text)
        if not normalized.strip():
            return None
        pieces = _segment(normalized)
        return normalized, pieces, self._keyword_scores(self._match_keywords(normalized, pieces))

    def _ranked(
        self,
        normalized: str,
        pieces: list[str],
        keyword_scores: _KeywordScores,
        limit: int,
    ) -> list[Suggestion]:
        """suggest's ranking, once the text is cut and its keywords scored."""
        words, bigrams = _words(pieces), _bigrams(normalized)
        meaningful = self._meaningful(words, bigrams)
        if not meaningful and not keyword_scores:
            return []
        columns, values = self._vectorize(_features(normalized, pieces, words, bigrams))
        if columns:
            posterior = self._posterior(columns, values)
        else:
            posterior = np.full(len(self.codes), 1.0 / len(self.codes))

        suggestions: list[Suggestion] = []
        strong = {
            index: 1.0 - (1.0 - score) * (1.0 - float(posterior[index]))
            for index, (score, _) in keyword_scores.items()
            if score >= KEYWORD_THRESHOLD
        }
        for index in sorted(strong, key=lambda i: (-strong[i], self.codes[i])):
            keywords = keyword_scores[index][1]
            suggestions.append(
                Suggestion(self.codes[index], round(strong[index], 4), "keyword", keywords)
            )
        if len(suggestions) >= limit or not meaningful:
            return suggestions[:limit]

        # What the keyword leaves did not claim is shared in the model's proportions, which
        # also keeps the whole list sorted by score.
        share = 1.0 - min(strong.values()) if strong else 1.0
        mass = 1.0
        if strong:
            mass = float(posterior[[i for i in range(len(self.codes)) if i not in strong]].sum())
            mass = mass or 1.0
        # A stable sort: equal posteriors keep catalogue order.
        ranked: list[int] = np.argsort(-posterior, kind="stable").tolist()
        for index in (i for i in ranked if i not in strong):
            score = share * float(posterior[index]) / mass if strong else float(posterior[index])
            suggestions.append(
                Suggestion(
                    self.codes[index],
                    round(score, 4),
                    "model",
                    self._top_tokens(index, columns, values),
                )
            )
            if len(suggestions) >= limit:
                break
        return suggestions


def split_examples(
    categories: Sequence[Mapping[str, Any]], every: int = 4, offset: int = 1
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Hold out every ``every``-th example of each leaf, starting at position ``offset``.

    The default holds out the 2nd, 6th, 10th … example, so every leaf with two or more
    examples loses at least one; offsets 0 … every-1 are the folds of a cross-validation.
    Deterministic: the order of the catalogue decides. Returns the catalogue to train on and
    the held-out (text, code) pairs."""
    leaves = {str(c["code"]) for c in leaf_categories(categories)}
    train: list[dict[str, Any]] = []
    held_out: list[tuple[str, str]] = []
    for category in categories:
        copy = dict(category)
        code = str(copy["code"])
        if code in leaves:
            examples = [str(e) for e in copy.get("examples", ())]
            copy["examples"] = [e for i, e in enumerate(examples) if i % every != offset]
            held_out.extend((e, code) for i, e in enumerate(examples) if i % every == offset)
        train.append(copy)
    return train, held_out


def evaluate(
    classifier: CategoryClassifier, cases: Iterable[tuple[str, str]], k: int = 3
) -> dict[str, float]:
    """Top-1 and top-k accuracy, and the share of top answers that came from keywords."""
    total = top1 = topk = by_keyword = 0
    for text, code in cases:
        ranked = classifier.suggest(text, limit=k)
        total += 1
        top1 += bool(ranked) and ranked[0].code == code
        topk += any(s.code == code for s in ranked)
        by_keyword += bool(ranked) and ranked[0].method == "keyword"
    if total == 0:
        return {"n": 0.0, "top1": math.nan, "topk": math.nan, "keyword_share": math.nan}
    return {
        "n": float(total),
        "top1": top1 / total,
        "topk": topk / total,
        "keyword_share": by_keyword / total,
    }
