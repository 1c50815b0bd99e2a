"""Find the knowledge-base item a resident's question is about, or decide that none is.

Pure Python (jieba, bm25s, rapidfuzz, pypinyin, numpy): no Django, so the bench, the eval
command and the tests build an index from plain `Doc` rows without settings.

How a question is answered:

1. **Normalise** (NFKC, lower case, punctuation off) and apply the **synonym table** longest
   term first, so 暂住证 and 居住证, 电瓶车 and 电动车, 驾照 and 驾驶证 meet on one spelling
   in the base and in the question alike.
2. **Recall** with BM25 (bm25s fed our own tokens; its tokenizer cannot split Chinese) over
   each item's question and similar questions plus the start of its answer. The tokens are
   jieba words (with the domain's words), character bigrams — jieba's mistakes and typos
   still share bigrams — and **pinyin syllable pairs**, so a homophone typo (低饱, 公基金,
   生玉登记) still meets the right item by sound.
3. **Re-rank** the recalled candidates by a score in 0..1 that mixes what share of the
   question's information (IDF-weighted words, bigrams and sounds) the item covers and how
   close the question is, character by character, to the item's nearest phrasing (rapidfuzz).
   That score is the confidence; the thresholds on it were calibrated on the dev set in
   `data/dev.jsonl` (see `calibrate` in bench/bench_assistant.py), never on the held-out set.
4. **Decide**: answer when confident and clear of the runner-up; offer up to three choices
   when the top matches are close or only moderately sure; abstain otherwise. A complaint or
   a repair request (投诉, 报修, 漏水, 坏了 …) asks for a person, so it is offered a hand-off
   unless it matched an item very confidently (买到假货怎么投诉 is a service question).
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import bm25s
import jieba
import numpy as np
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

# Decision thresholds on the confidence (0..1), calibrated on data/dev.jsonl.
ANSWER_THRESHOLD: Final = 0.58
CHOICE_THRESHOLD: Final = 0.42
# The winner must lead the runner-up by this much to be answered outright.
ANSWER_MARGIN: Final = 0.06
# A complaint is answered only when it matches an item this well.
COMPLAINT_ANSWER_THRESHOLD: Final = 0.75
MAX_CHOICES: Final = 3
# Candidates recalled by BM25 for re-ranking: plenty for a 10,000-item base, cheap to score.
_RECALL: Final = 30
# Characters of the answer indexed alongside the questions: its opening names the subject,
# the rest is procedure that every item shares.
_ANSWER_CHARS: Final = 40
# Re-ranking weights: coverage of the question's information vs. closeness of wording.
_COVERAGE_WEIGHT: Final = 0.55
_FUZZY_WEIGHT: Final = 0.25
# BM25 relative to the best candidate: breaks coverage ties in favour of the item whose
# phrasings say the question's words most often and most specifically.
_BM25_WEIGHT: Final = 0.2
# Sounds are weaker evidence than characters (many words share them): a pinyin pair counts
# this much of a word in coverage.
_PINYIN_WEIGHT: Final = 0.5
_BIGRAM_WEIGHT: Final = 0.7

# Words jieba's general dictionary lacks or splits badly in government-service questions.
_DOMAIN_WORD_TEXT: Final = """
居住证 暂住证 身份证 临时身份证 户口本 户口簿 落户 迁户口 无犯罪记录证明 护照 港澳通行证
社保卡 社会保障卡 医保 医保卡 医保码 医保电子凭证 异地就医 慢特病 慢性病 养老金 养老保险
失业金 失业保险金 生育津贴 生育保险 工伤认定 大病保险 家庭共济 灵活就业 城乡居民医保
老年证 老年优待证 优待证 高龄津贴 高龄补贴 尊老金 老年食堂 助餐点 适老化 养老院 敬老院
日间照料 独居老人 老年大学 乘车卡 残疾证 残疾人证 两项补贴 护理补贴 辅助器具 康复救助
生育登记 准生证 结婚证 离婚冷静期 出生医学证明 出生证明 育儿补贴 独生子女 婚检 孕检
入学报名 小升初 幼升小 随迁子女 幼儿园 学籍 助学金 公积金 住房公积金 公积金贷款
营业执照 个体工商户 个体户 食品经营许可证 健康证 年报 不动产 不动产权证书 房产证 过户
解押 无房证明 租赁备案 低保 低保边缘 临时救助 特困供养 五保户 医疗救助 救助站 事实孤儿
电动车 电动自行车 上牌 驾驶证 驾照 年检 年审 违章 代步车 失业登记 创业担保贷款 公益性岗位
劳动仲裁 拖欠工资 退役军人 优待证 光荣牌 个税 汇算 车船税 自来水 水表 电表 燃气 天然气
暖气费 取暖费 报停 宽带 家庭医生 疫苗 两癌筛查 献血证 法律援助 公证 遗嘱 丧葬费 殡葬
门牌 居住证明 网格员 双报到 志愿者 活力值 党群服务中心 郑好办 养犬登记 狗证 垃圾分类
物业费 业委会 维修基金 维修资金 老旧小区 加装电梯 12345 12333 12315
"""
DOMAIN_WORDS: Final = tuple(_DOMAIN_WORD_TEXT.split())

# Question furniture: every item's phrasings are full of these, so they only add noise to
# ranking, and a question made only of them ("请问怎么办理") asks nothing in particular.
_STOPWORD_TEXT: Final = """
的 了 着 过 是 在 有 和 与 及 或 也 都 就 还 又 再 把 被 给 让 向 从 对 跟 为 我 你 他 她
我们 你们 他们 咱们 自己 这 那 这个 那个 这里 那里 哪 哪里 哪儿 哪个 什么 啥 怎么 怎么样
怎样 怎么办 咋 咋办 咋整 如何 为什么 多少 几 吗 呢 吧 啊 呀 哦 嗯 啦 嘛 么 呗 一下 一个
请问 请 麻烦 谢谢 您好 你好 您 想 要 想要 需要 能 能不能 可以 可不可以 会 应该 去 到 办
办理 弄 搞 做 申请 具体 问 问下 问一下 下 里 上 中 现在 已经 不 没 有没有 是不是 还是
怎么弄 怎么搞 在哪 在哪里 去哪 去哪里 去哪儿
"""
STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split())
_STOP_CHARS: Final = frozenset(
    "的了着过是在我你他她它们吗呢吧啊呀哦嗯哈啦嘛么呗这那个就也都还又把被给问想要能去到"
)

# Complaint and repair words: the resident needs someone to act, not a service guide.
_COMPLAINT_TEXT: Final = """
投诉 举报 报修 维修 修一下 没人修 没人管 不作为 噪音 噪声 太吵 吵得 扰民 漏水 渗水 跑水
坏了 不亮 堵了 堵塞 爆了 爆管 停水了 停电了 臭 油烟 乱停 占道 摆摊 飞线 私搭乱建 违章建筑
违建 乱扔 没人清 不拴绳 井盖 大坑 塌了 裂了 掉下来 冒水 施工 装修 杂物
"""
COMPLAINT_WORDS: Final = tuple(sorted(set(_COMPLAINT_TEXT.split()), key=len, reverse=True))

_PUNCT: Final = re.compile(r"[^\w\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_HAN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

_tokenizer_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """A private jieba.Tokenizer with the domain words, built once per process, so our words
    cannot change how other modules segment text through jieba's global tokenizer."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            tokenizer = jieba.Tokenizer()
            for word in DOMAIN_WORDS:
                tokenizer.add_word(word, freq=100_000)
            _tokenizer = tokenizer
        return _tokenizer


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, punctuation and spaces removed."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Doc:
    id: str
    question: str
    similar: tuple[str, ...] = ()
    answer: str = ""


@dataclass(frozen=True)
class Candidate:
    id: str
    question: str
    score: float


@dataclass(frozen=True)
class Reply:
    """What the retriever decided. `ranked` holds the answer (first) or the choices, in order;
    it is empty when the retriever abstains."""

    answer_id: str | None
    choices: tuple[Candidate, ...]
    confidence: float
    handoff: bool
    complaint: bool
    ranked: tuple[Candidate, ...] = field(default=())

    @property
    def abstained(self) -> bool:
        return self.answer_id is None and not self.choices


class Synonyms:
    """Variant → canonical spelling, applied longest variant first."""

    def __init__(self, pairs: Mapping[str, str]) -> None:
        cleaned = {normalize(k): normalize(v) for k, v in pairs.items() if normalize(k)}
        self._pairs = sorted(cleaned.items(), key=lambda kv: len(kv[0]), reverse=True)
        self._pattern = (
            re.compile("|".join(re.escape(k) for k, _v in self._pairs)) if self._pairs else None
        )
        self._map = dict(self._pairs)

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._map[m.group(0)], text)


def _words(text: str) -> list[str]:
    return [
        w
        for w in _jieba().lcut(text, HMM=False)
        if w.strip() and w not in STOPWORDS and not (w.isascii() and len(w) == 1)
    ]


def _bigrams(text: str) -> list[str]:
    grams = []
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            a, b = run[i], run[i + 1]
            if a not in _STOP_CHARS and b not in _STOP_CHARS and a + b not in STOPWORDS:
                grams.append(a + b)
    return grams


def _sounds(text: str) -> list[str]:
    """Pinyin syllable pairs (tones dropped) of the CJK runs, stop characters skipped, so
    homophone typos meet their word: 低饱 and 低保 are both di|bao."""
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        chars = [c for c in run if c not in _STOP_CHARS]
        if len(chars) < 2:
            continue
        syl = lazy_pinyin("".join(chars), style=Style.NORMAL, errors="ignore")
        if len(syl) != len(chars):  # a character pypinyin could not read; skip the run
            continue
        out.extend(f"~{a}|{b}" for a, b in itertools.pairwise(syl))
    return out


def tokens(text: str) -> list[str]:
    """Index tokens of already normalised text: words, bigrams and sounds, prefixed by kind
    so the three never collide (the word 低保 and the bigram 低保 are different evidence)."""
    return (
        [f"w:{w}" for w in _words(text)]
        + [f"b:{g}" for g in _bigrams(text)]
        + [f"p:{s}" for s in _sounds(text)]
    )


def _kind_weight(token: str) -> float:
    if token.startswith("p:"):
        return _PINYIN_WEIGHT
    if token.startswith("b:"):
        return _BIGRAM_WEIGHT
    return 1.0


def is_complaint(normalized: str) -> bool:
    return any(word in normalized for word in COMPLAINT_WORDS)


@dataclass(frozen=True)
class Thresholds:
    answer: float = ANSWER_THRESHOLD
    choice: float = CHOICE_THRESHOLD
    margin: float = ANSWER_MARGIN
    complaint_answer: float = COMPLAINT_ANSWER_THRESHOLD


class Retriever:
    def __init__(
        self,
        docs: Iterable[Doc],
        synonyms: Mapping[str, str] | None = None,
        thresholds: Thresholds | None = None,
    ) -> None:
        self.thresholds = thresholds or Thresholds()
        self.synonyms = Synonyms(synonyms or {})
        self.docs: list[Doc] = list(docs)
        self._phrasings: list[list[str]] = []
        self._token_sets: list[frozenset[str]] = []
        corpus: list[list[str]] = []
        doc_freq: dict[str, int] = {}
        for doc in self.docs:
            phrasings = [self._prepare(q) for q in (doc.question, *doc.similar)]
            phrasings = [p for p in phrasings if p]
            self._phrasings.append(phrasings)
            toks: list[str] = []
            for p in phrasings:
                toks.extend(tokens(p))
            toks.extend(tokens(self._prepare(doc.answer[:_ANSWER_CHARS])))
            corpus.append(toks or ["w:∅"])
            token_set = frozenset(toks)
            self._token_sets.append(token_set)
            for t in token_set:
                doc_freq[t] = doc_freq.get(t, 0) + 1
        n = max(len(self.docs), 1)
        # Smoothed IDF, floored at a small positive value so a token in every item still
        # counts a little towards coverage rather than nothing.
        self._idf = {t: max(math.log((n + 1) / (df + 0.5)), 0.05) for t, df in doc_freq.items()}
        self._unseen_idf = math.log((n + 1) / 0.5)
        self._bm25 = bm25s.BM25()
        if self.docs:
            self._bm25.index(corpus, show_progress=False)

    def _prepare(self, text: str) -> str:
        return self.synonyms.apply(normalize(text))

    def __len__(self) -> int:
        return len(self.docs)

    def rank(self, question: str, k: int = _RECALL) -> list[Candidate]:
        """Candidates best first, each with its confidence in 0..1."""
        text = self._prepare(question)
        query = tokens(text)
        if not text or not query or not self.docs:
            return []
        scores = self._bm25.get_scores(query)
        top = min(k, len(self.docs))
        idx = np.argpartition(-scores, top - 1)[:top]
        idx = idx[scores[idx] > 0]
        if not len(idx):
            return []
        weights = [self._idf.get(t, self._unseen_idf) * _kind_weight(t) for t in query]
        total = sum(weights) or 1.0
        best_bm25 = float(scores[idx].max())
        out = []
        for i in idx:
            i = int(i)
            present = self._token_sets[i]
            coverage = sum(w for t, w in zip(query, weights, strict=True) if t in present) / total
            closeness = max(fuzz.ratio(text, p) for p in self._phrasings[i]) / 100.0
            score = (
                _COVERAGE_WEIGHT * coverage
                + _FUZZY_WEIGHT * closeness
                + _BM25_WEIGHT * float(scores[i]) / best_bm25
            )
            out.append(Candidate(self.docs[i].id, self.docs[i].question, round(score, 4)))
        out.sort(key=lambda c: (-c.score, c.id))
        return out

    def with_thresholds(self, thresholds: Thresholds) -> Retriever:
        """The same index deciding with other thresholds (for calibration)."""
        clone = object.__new__(Retriever)
        clone.__dict__.update(self.__dict__)
        clone.thresholds = thresholds
        return clone

    def ask(self, question: str) -> Reply:
        normalized = normalize(question)
        complaint = is_complaint(normalized)
        ranked = self.rank(question)
        best = ranked[0].score if ranked else 0.0
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        bars = self.thresholds
        answer_bar = bars.complaint_answer if complaint else bars.answer
        if best >= answer_bar and best - runner_up >= bars.margin:
            return Reply(ranked[0].id, (), best, complaint, complaint, (ranked[0],))
        if complaint:
            # A complaint that matched no item well is not a question about a service guide;
            # offering guides would only delay getting someone to act.
            return Reply(None, (), best, True, True, ())
        if best >= bars.choice:
            choices = tuple(c for c in ranked[:MAX_CHOICES] if c.score >= bars.choice)
            return Reply(None, choices, best, False, False, choices)
        # Nothing fits: a person can still help, so the hand-off is offered here too.
        return Reply(None, (), best, True, False, ())


def evaluate(retriever: Retriever, rows: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """hit@1, hit@3 and MRR over the in-scope rows (counting only what the resident is shown:
    the answer or the offered choices), and abstain precision and recall, where the
    retriever "abstains" when it answers nothing and offers no choice, or offers a hand-off."""
    hits1 = hits3 = 0
    rr = 0.0
    in_scope = out_scope = abstained = abstained_right = 0
    for row in rows:
        reply = retriever.ask(str(row["query"]))
        expected = row.get("expected_id")
        gave_up = reply.abstained or (reply.handoff and reply.answer_id is None)
        if gave_up:
            abstained += 1
        if expected is None:
            out_scope += 1
            if gave_up:
                abstained_right += 1
            continue
        in_scope += 1
        ids = [c.id for c in reply.ranked]
        if ids[:1] == [expected]:
            hits1 += 1
        if expected in ids[:3]:
            hits3 += 1
            rr += 1.0 / (ids.index(expected) + 1)
    return {
        "queries": float(len(rows)),
        "hit@1": hits1 / in_scope if in_scope else 0.0,
        "hit@3": hits3 / in_scope if in_scope else 0.0,
        "mrr": rr / in_scope if in_scope else 0.0,
        "abstain_precision": abstained_right / abstained if abstained else 0.0,
        "abstain_recall": abstained_right / out_scope if out_scope else 0.0,
    }
