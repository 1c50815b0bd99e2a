"""Find the knowledge-base item a resident's question is about, or decide that none is.

Pure Python (jieba, bm25s, rapidfuzz, pypinyin, numpy): no Django, so the bench, the eval
command and the tests build an index from plain `Doc` rows without settings.

How a question is answered:

1. **Normalise**: NFKC, lower case, punctuation off; common northern dialect and spoken forms
   become the written ones (俺→我, 咋→怎么, 寻不着→找不到, 中不中→可以吗, 木有人→没人);
   numbers before a unit in digits (七十岁→70岁); then the **synonym table** (the base's
   own, edited by its keepers) longest term first. In a resident's question, a stretch that
   sounds like one of the base's own words (fuzzy pinyin: zh/z, ch/c, sh/s, n/l, -ng) and
   shares half its characters is spelt as the base spells it (医宝→医保, 兵疫→兵役).
2. **Recall** with BM25 (bm25s fed our own tokens; its tokenizer cannot split Chinese), one
   row per phrasing (title question, each similar question) and one for the opening of the
   answer. Tokens are jieba words, character bigrams (jieba's mistakes and typos still share
   bigrams) and **pinyin syllable pairs**, so a homophone typo (工租房, 护号) meets its word by
   sound. Pairs are formed between content words only (question furniture is a break), and
   a pair no item has weighs little: it is mostly two words meeting, not a missing service.
3. **Score** each recalled item in 0..1 from what the question and the item share, weighted
   by how rare each token is *in this base*: the share of the question's information the item
   covers, the share of the item's nearest phrasing the question says (so twins that differ
   in one word — 补办 vs 新办, 水费 vs 电费 — are told apart by that word), BM25 relative to
   the best candidate, and character closeness. A long question is also scored clause by
   clause, so personal context (我在厂里干了八年…) does not drown the clause that asks.
4. **Decide** with bars the base sets for itself (`calibrate`): each item's similar questions
   are asked once with that phrasing left out (what a question about a known service scores)
   and once with the whole item left out (what a question about a service the base lacks
   scores); the answer bar and margin are the pair that does best when a wrong answer costs
   a right one and a known question handed off costs half of one (an absent-service probe
   counts half: residents ask about what the base has far more often), the choice bar the
   score most absent-service questions stay below. A bare topic that the next two items have
   as fully as the best, scoring close to it (公积金), gets choices. Nothing in the decision
   is a number tuned on one base. Statements of a problem (漏水了, 灯坏了没人修, 太吵了,
   乱停车, 我要投诉) are handed off to a person;
   the same words in a how-to question (公租房维修怎么申请), or in a terse keyword string made
   of words the base's own questions use for a service (公租房 维修), are answered, with a
   person offered too.
"""

from __future__ import annotations

import itertools
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final

import bm25s
import jieba
import numpy as np
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

MAX_CHOICES: Final = 3
# Items recalled by BM25 for scoring: plenty for a 10,000-item base, cheap to score.
_RECALL: Final = 30
# Characters of the answer indexed beside the questions: its opening names the subject,
# the rest is procedure that every item shares.
_ANSWER_CHARS: Final = 40
# Sounds and bigrams are weaker evidence than words (many words share them).
_PINYIN_WEIGHT: Final = 0.5
_BIGRAM_WEIGHT: Final = 0.7
# The weight of a character or sound pair that no item has (see Retriever._weights).
_UNSEEN_PAIR_WEIGHT: Final = 0.3
# A question clause shorter than this says too little to be scored on its own.
_MIN_CLAUSE: Final = 3

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
_STOP_CHARS: Final = frozenset(
    "的了着过是在我你他她它们吗呢吧啊呀哦嗯哈啦嘛么呗这那个就也都还又把被给问想要能去到"
)

# Spoken and northern dialect forms residents type → the written forms the base uses. Applied
# before the synonym table, longest form first. General language, not any base's vocabulary.
_DIALECT: Final = {
    "俺们": "我们",
    "俺家": "我家",
    "俺": "我",
    "咱家": "我家",
    "咋整": "怎么办",
    "咋弄": "怎么办",
    "咋办": "怎么办",
    "咋个": "怎么",
    "咋": "怎么",
    "中不中": "可以吗",
    "能中不": "可以吗",
    "寻不着": "找不到",
    "寻不到": "找不到",
    "找不着": "找不到",
    "搁哪儿": "在哪里",
    "搁哪": "在哪里",
    "上哪儿": "去哪里",
    "上哪": "去哪里",
    "啥时候": "什么时候",
    "啥": "什么",
    "不使了": "不用了",
    "娃儿": "孩子",
    "娃子": "孩子",
    "俺娃": "我孩子",
    "弄啥嘞": "做什么",
    "弄啥哩": "做什么",
    "弄啥": "做什么",
    "咋着": "怎么样",
    "咋样": "怎么样",
    "咋回事": "怎么回事",
    "可中": "可以",
    "得劲": "舒服",
    "没有人": "没人",
    "木有人": "没人",
    "木人": "没人",
    "木有": "没有",
    "冇得": "没有",
    "冇": "没有",
    "恁家": "你家",
    "恁": "你",
    "自个儿": "自己",
    "自个": "自己",
    "夜儿个": "昨天",
    "夜个": "昨天",
    "今儿个": "今天",
    "明儿个": "明天",
    "晌午": "中午",
    "老些": "很多",
    "啥子": "什么",
    "咋个办": "怎么办",
    "寻着": "找到",
    "寻": "找",
    "搁家": "在家",
    "搁这儿": "在这里",
    "搁": "在",
    "弄丢": "丢",
    "管不管": "可以吗",
    "嘞": "的",
    "哩": "的",
}

# Question furniture added to the stopwords above: spoken filler around a request.
_FILLER_TEXT: Final = """
听说 知道 不知道 是不是 有没有 能不能 可不可以 要不要 还能 接下来 然后 最近 刚 刚刚 一直
这种 那种 那边 这边 时候 的话 谁 找谁 找 可以吗 行不行 怎么处理 处理 手续 流程 什么 哪些
"""

# Complaint and repair words: the resident needs someone to act, not a service guide.
_COMPLAINT_TEXT: Final = """
投诉 举报 曝光 报修 维修 修一下 没人修 没人管 没人清 没人处理 不管 不作为 噪音 噪声 太吵 吵得
扰民 漏水 渗水 跑水 坏了 不亮 堵了 堵塞 爆了 爆管 停水了 停电了 臭 油烟 乱停 乱收费 态度差
态度恶劣 态度太差 态度不好 缺斤短两 占道 摆摊 飞线 私搭乱建 违章建筑 违建 乱扔 不拴绳 井盖 大坑
塌了 裂了 掉下来 冒水 施工 装修 杂物
"""
# How a problem is stated in general, whatever the service: something is too much (太吵了,
# 太脏了, 吵死了), broken or blocked (坏了, 堵了, 不亮了), left undone (没人管, 没人清), or
# done anyhow (乱扔, 乱停). Only a statement: the same words in a how-to question are not one.
_PROBLEM: Final = re.compile(
    r"太[\u4e00-\u9fff]{1,3}了|[\u4e00-\u9fff]死了|(?:坏|破|堵|漏|脏|烂|断|塌)了|"
    r"不(?:亮|通|转|响|开|来|出水|来电|来水|回复)了|没人(?:管|修|清|理|处理|回|来)|"
    r"乱(?:扔|丢|倒|停|放|贴|画|收|搭|建|堆|排|摆)"
)
COMPLAINT_WORDS: Final = tuple(sorted(set(_COMPLAINT_TEXT.split()), key=len, reverse=True))

# A how-to question: it asks for a procedure, a place, a time or a yes/no on a rule. A complaint
# word inside one (公租房维修怎么申请, 楼上漏水损失谁来赔) names the service, not a problem to fix.
_QUESTION_FORM: Final = re.compile(
    r"怎么|怎样|如何|哪里|哪儿|在哪|去哪|哪个|哪些|什么|多少|多久|几天|吗|么|呢|能否|是否|"
    r"可以|能不能|要不要|需不需要|用不用|有没有|谁来|找谁|由谁|手续|流程|条件|材料|审批|"
    r"许可|申请|办理|登记|预约|报名|索赔|赔偿|责任|(.)不\1|不$|没有$"
)
# How long a problem has lasted (好几天没人管, 十几天了) is part of the complaint, not a question.
_DURATION: Final = re.compile(r"好几天|好多天|几天了|十几天|这几天|几天都|几天没")
# A problem stated, not a service named: a change of state or a complaint about someone.
_STATES_PROBLEM: Final = re.compile(r"了|没人|没有|不|太|又|还|总|老是|一直|天天|乱")
# A keyword string this short names a service (公租房 维修, 化粪池 清掏) rather than describes a
# problem; longer text without a question form is read as a statement.
_TERSE: Final = 10

_PUNCT: Final = re.compile(r"[^\w\u3400-\u4dbf\u4e00-\u9fff]+")
_CLAUSE_BREAK: Final = re.compile(r"[，,。.！!？?；;、\s]+")
_CJK_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_ONLY: Final = _CJK_RUN

STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split()) | frozenset(_FILLER_TEXT.split())

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


def clauses(text: str) -> list[str]:
    """The question split where the resident paused (commas, stops, spaces), normalised."""
    parts = _CLAUSE_BREAK.split(unicodedata.normalize("NFKC", text).lower())
    return [p for p in (normalize(part) for part in parts) if p]


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


_DIALECT_TABLE: Final = Synonyms(_DIALECT)

# A number written in characters before a unit (七十岁, 十二分, 一百二十平) is written in digits,
# as most bases and residents also write it (70岁, 12分): the two then share their tokens.
_CN_DIGITS: Final = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_NUMBER: Final = re.compile(
    r"[零一二两三四五六七八九十百]+(?=周岁|岁|分|平|元|万|级|个月|天|年|次|号)"
)


def _cn_number(text: str) -> int:
    """十八 → 18, 七十 → 70, 一百二十 → 120."""
    total, current = 0, 0
    for char in text:
        if char in _CN_DIGITS:
            current = _CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


def digits(text: str) -> str:
    """Numbers before a unit in digits. 一 alone stays (一年, 一次 are idiom as often as count)."""

    def convert(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) == 1 and word in "一两":
            return word
        return str(_cn_number(word))

    return _CN_NUMBER.sub(convert, text)


def _fuzzy_syllable(syllable: str) -> str:
    """A syllable with the distinctions northern speakers and typists most often blur
    dropped: zh/z, ch/c, sh/s, n/l, and the -ng of ang/eng/ing."""
    for retroflex in ("zh", "ch", "sh"):
        if syllable.startswith(retroflex):
            syllable = syllable[0] + syllable[2:]
            break
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    if syllable.endswith(("ang", "eng", "ing")):
        syllable = syllable[:-1]
    return syllable


def sound_key(text: str) -> tuple[str, ...] | None:
    """Fuzzy pinyin of a CJK string, one syllable per character (None if one is unreadable)."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(text):
        return None
    return tuple(_fuzzy_syllable(s) for s in syllables)


# A string jieba's general dictionary knows at least this often is a word the resident meant,
# not a typo of a base word that sounds the same (公式 is not 公示).
_COMMON_WORD: Final = 10


class SoundFixer:
    """Homophone and near-sound typos (医宝 → 医保, 兵疫 → 兵役, 杨老金 → 养老金) spelt as the
    base spells them: a stretch of 2–4 characters of the question that sounds (fuzzily) like
    one of the base's own words, shares at least half its characters with it, and is neither
    a word of the base nor a common word, becomes that word. Words two spellings of the base
    share a sound with are left alone (no way to tell which was meant)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = {w for w in words if 2 <= len(w) <= 4 and _CJK_ONLY.fullmatch(w)}
        by_sound: dict[tuple[str, ...], str | None] = {}
        for word in sorted(self._words):
            key = sound_key(word)
            if key is None:
                continue
            by_sound[key] = word if by_sound.get(key, word) == word else None
        self._by_sound = {k: w for k, w in by_sound.items() if w is not None}
        self._freq = _jieba().FREQ

    def _fix_run(self, run: str) -> str:
        syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
        if len(syllables) != len(run):
            return run
        keys = [_fuzzy_syllable(s) for s in syllables]
        out: list[str] = []
        i = 0
        while i < len(run):
            for size in (4, 3, 2):
                piece = run[i : i + size]
                if len(piece) < size:
                    continue
                if piece in self._words:
                    out.append(piece)
                    i += size
                    break
                word = self._by_sound.get(tuple(keys[i : i + size]))
                if (
                    word is not None
                    and sum(a == b for a, b in zip(piece, word, strict=True)) * 2 >= size
                    # a particle or pronoun is what the resident wrote (是坏了 is not 撕坏)
                    and not any(
                        a != b and a in _STOP_CHARS for a, b in zip(piece, word, strict=True)
                    )
                    and self._freq.get(piece, 0) < _COMMON_WORD
                ):
                    out.append(word)
                    i += size
                    break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)

    def apply(self, text: str) -> str:
        if not self._by_sound:
            return text
        return _CJK_RUN.sub(lambda m: self._fix_run(m.group(0)), text)


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
    cut = [w for w in _jieba().lcut(text, HMM=False) if w.strip()]
    words = [w for w in cut if w not in STOPWORDS and not (w.isascii() and len(w) == 1)]
    # Pairs are formed between the words that say something: question furniture (怎么, 可以,
    # 需要) is a break, so 证怎 or zheng|zen never become evidence for the items that share it.
    content = " ".join("" if w in STOPWORDS else w for w in cut)
    return (
        [f"w:{w}" for w in words]
        + [f"b:{g}" for g in _bigrams(content)]
        + [f"p:{s}" for s in _sounds(content)]
    )


def _kind_weight(token: str) -> float:
    if token.startswith("p:"):
        return _PINYIN_WEIGHT
    if token.startswith("b:"):
        return _BIGRAM_WEIGHT
    return 1.0


def mentions_complaint(normalized: str) -> bool:
    return any(word in normalized for word in COMPLAINT_WORDS) or bool(_PROBLEM.search(normalized))


def asks_how(normalized: str) -> bool:
    return _QUESTION_FORM.search(_DURATION.sub("", normalized)) is not None


def names_service(normalized: str, service_words: frozenset[str]) -> bool:
    """A terse keyword string (公租房维修, 化粪池清掏) whose complaint words are all words the
    base's own questions use for a service: it names that service, it does not report a
    problem. Anything that states a problem (漏水了, 没人修, 不亮) is not one."""
    if len(normalized) > _TERSE or _STATES_PROBLEM.search(normalized):
        return False
    found = [w for w in COMPLAINT_WORDS if w in normalized]
    return bool(found) and all(w in service_words for w in found)


def is_complaint(normalized: str) -> bool:
    """A problem stated for someone to fix (漏水了, 灯坏了没人修, 我要投诉物业), not a question
    about a service that happens to use the same words."""
    return mentions_complaint(normalized) and not asks_how(normalized)


@dataclass(frozen=True)
class Calibration:
    """The decision bars a base sets for itself (see `calibrate`), with what they rest on."""

    answer: float
    margin: float
    choice: float
    probes: int = 0
    known_median: float = 0.0
    absent_p90: float = 0.0
    learnt: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calibration:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


# Bars for a base too small to learn from (fewer probes than _MIN_PROBES): the scores are
# shares in 0..1, and these ask for most of the question to be covered. Any real base
# (dozens of items with similar questions) replaces them with its own.
PRIOR: Final = Calibration(answer=0.5, margin=0.15, choice=0.35)
_MIN_PROBES: Final = 40
# Probes per base: every phrasing of a small base, an even sample of a large one.
_MAX_PROBES: Final = 600
# A wrong answer costs this many right ones when the answer bar is set: a resident misled
# is worse off than one offered a person.
_WRONG_COST: Final = 1.0
# A known-service probe handed off costs this share of a right answer: less than a wrong
# answer (the resident still reaches a person) but not nothing (they did not get the answer
# the base has). Without it the bars buy the last few wrong answers away with many hand-offs.
_HANDOFF_COST: Final = 0.5
# How much an absent-service probe counts beside a known-service one. Every item gives one
# of each, but residents ask about services the base has far more often than about a
# sibling of one it lacks; complaints, chit-chat and questions off the subject are kept out
# by other means (complaint detection, their low scores).
_ABSENT_SHARE: Final = 0.5
# Leads tried for the answer (as a share of the best score). None is zero: when the best two
# are within a twentieth of each other (公积金 → 提取? 贷款? 离职?) the resident chooses.
_MARGINS: Final = (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4)
_BARS: Final = tuple(np.round(np.arange(0.2, 0.9, 0.01), 2))
# The share of absent-service probes allowed to reach the choice bar.
_CHOICE_LEAK: Final = 0.25


@dataclass
class _Scored:
    index: int
    score: float


class Retriever:
    def __init__(
        self,
        docs: Iterable[Doc],
        synonyms: Mapping[str, str] | None = None,
        calibration: Calibration | None = None,
    ) -> None:
        self.synonyms = Synonyms(synonyms or {})
        self.docs: list[Doc] = list(docs)
        # Per item: its phrasings (normalised), their token sets, the answer head's tokens.
        self._phrasings: list[list[str]] = []
        self._phrasing_tokens: list[list[frozenset[str]]] = []
        self._item_tokens: list[frozenset[str]] = []
        self._head_tokens: list[frozenset[str]] = []
        rows: list[list[str]] = []
        row_item: list[int] = []
        row_phrasing: list[int] = []
        doc_freq: dict[str, int] = {}
        for i, doc in enumerate(self.docs):
            phrasings = [p for p in (self._prepare(q) for q in (doc.question, *doc.similar)) if p]
            self._phrasings.append(phrasings)
            sets = []
            for j, p in enumerate(phrasings):
                toks = tokens(p)
                sets.append(frozenset(toks))
                rows.append(toks or ["w:∅"])
                row_item.append(i)
                row_phrasing.append(j)
            head = tokens(self._prepare(doc.answer[:_ANSWER_CHARS]))
            if head:
                rows.append(head)
                row_item.append(i)
                row_phrasing.append(-1)
            self._phrasing_tokens.append(sets)
            self._head_tokens.append(frozenset(head))
            item_set = frozenset().union(*sets, head)
            self._item_tokens.append(item_set)
            for t in item_set:
                doc_freq[t] = doc_freq.get(t, 0) + 1
        self._df = doc_freq
        # The words the base spells its services with: what a sound-alike typo is spelt as.
        self._sound_fixer = SoundFixer(
            w for phrasings in self._phrasings for p in phrasings for w in _words(p)
        )
        # Complaint words this base's own questions use to name a service (维修 in 公租房维修
        # 怎么申请): in a terse keyword string they name that service.
        said = "".join(p for phrasings in self._phrasings for p in phrasings)
        self._service_words = frozenset(w for w in COMPLAINT_WORDS if w in said)
        self._n = max(len(self.docs), 1)
        self._position = {doc.id: i for i, doc in enumerate(self.docs)}
        self._row_item = np.array(row_item, dtype=np.int64)
        self._row_phrasing = np.array(row_phrasing, dtype=np.int64)
        self._bm25 = bm25s.BM25()
        if rows:
            self._bm25.index(rows, show_progress=False)
        # Each phrasing's tokens with their weights, for how much of it a question says.
        self._phrasing_weights: list[list[tuple[dict[str, float], float]]] = []
        for phrasing_sets in self._phrasing_tokens:
            weighted = []
            for phrasing_toks in phrasing_sets:
                w = {t: self._idf(self._df[t]) * _kind_weight(t) for t in phrasing_toks}
                weighted.append((w, sum(w.values()) or 1.0))
            self._phrasing_weights.append(weighted)
        self.calibration = calibration or calibrate(self)

    # -- scoring -------------------------------------------------------------------------

    def _prepare(self, text: str) -> str:
        return self.synonyms.apply(digits(_DIALECT_TABLE.apply(normalize(text))))

    def _prepare_question(self, text: str) -> str:
        """A resident's text: prepared as the base's phrasings are, then its sound-alike
        typos spelt as the base spells them."""
        return self._sound_fixer.apply(self._prepare(text))

    def __len__(self) -> int:
        return len(self.docs)

    def _idf(self, df: int) -> float:
        # Smoothed, floored at a small positive value so a token in every item still counts
        # a little. A token no item has (df 0) weighs as the rarest: it is information the
        # base does not cover, which is what tells a question about a missing service.
        return max(math.log((self._n + 1) / (max(df, 1) - 0.5)), 0.05)

    def _weights(
        self, query: Sequence[str], left_out: tuple[int, int | None] | None
    ) -> list[float]:
        out = []
        for t in query:
            df = self._df.get(t, 0)
            if left_out is not None and df:
                i, j = left_out
                if t in self._item_tokens[i] and (j is None or t not in self._kept(i, j)):
                    df -= 1
            if df == 0 and not t.startswith("w:"):
                # A character pair or sound pair no item has is mostly two words meeting
                # (金认 in 养老金认证): a word the base lacks says the service is missing,
                # such a pair says little.
                out.append(_UNSEEN_PAIR_WEIGHT)
                continue
            out.append(self._idf(df) * _kind_weight(t))
        return out

    def _kept(self, i: int, j: int) -> frozenset[str]:
        """Item i's tokens with its phrasing j left out (calibration's probe)."""
        sets = [s for k, s in enumerate(self._phrasing_tokens[i]) if k != j]
        return frozenset().union(*sets, self._head_tokens[i])

    def _recall(
        self, query: list[str], left_out: tuple[int, int | None] | None, k: int
    ) -> tuple[list[int], dict[int, float]]:
        scores = self._bm25.get_scores(query)
        if left_out is not None:
            i, j = left_out
            mask = self._row_item == i
            if j is not None:
                mask &= self._row_phrasing == j
            scores = np.where(mask, 0.0, scores)
        take = min(len(scores), k * 4)
        rows = np.argpartition(-scores, take - 1)[:take]
        rows = rows[scores[rows] > 0]
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        best: dict[int, float] = {}
        for r in rows:
            item = int(self._row_item[r])
            if item not in best:
                best[item] = float(scores[r])
                if len(best) >= k:
                    break
        return list(best), best

    def _score_items(
        self,
        text: str,
        items: list[int],
        bm25: Mapping[int, float],
        left_out: tuple[int, int | None] | None,
    ) -> dict[int, float]:
        query = list(dict.fromkeys(tokens(text)))
        if not query:
            return {}
        weights = self._weights(query, left_out)
        total = sum(weights) or 1.0
        top_bm25 = max(bm25.values()) or 1.0
        out = {}
        # Set intersections (done in C) rather than a loop over every token of every
        # candidate: this is most of the time a question takes on a large base.
        query_weight = dict(zip(query, weights, strict=True))
        query_set = query_weight.keys()
        for i in items:
            kept: list[int] = list(range(len(self._phrasings[i])))
            present = self._item_tokens[i]
            if left_out is not None and left_out[0] == i:
                if left_out[1] is None:
                    continue
                kept = [k for k in kept if k != left_out[1]]
                present = self._kept(i, left_out[1])
            if not kept:
                continue
            q_cover = sum(query_weight[t] for t in query_set & present) / total
            d_cover = 0.0
            for k in kept:
                d_weights, d_total = self._phrasing_weights[i][k]
                covered = sum(d_weights[t] for t in query_set & d_weights.keys())
                d_cover = max(d_cover, covered / d_total)
            phr = [(self._phrasings[i][k], None) for k in kept]
            closeness = max(fuzz.ratio(text, p) for p, _s in phr) / 100.0
            out[i] = (
                _Q_WEIGHT * q_cover
                + _D_WEIGHT * d_cover
                + _BM25_WEIGHT * bm25.get(i, 0.0) / top_bm25
                + _FUZZY_WEIGHT * closeness
            )
        return out

    def _rank(
        self, question: str, left_out: tuple[int, int | None] | None = None, k: int = _RECALL
    ) -> list[_Scored]:
        text = self._prepare_question(question)
        query = tokens(text)
        if not text or not query or not self.docs:
            return []
        items, bm25 = self._recall(query, left_out, k)
        if not items:
            return []
        best = self._score_items(text, items, bm25, left_out)
        # A long question is scored clause by clause too: the clause that asks, alone or with
        # its neighbour, is not drowned by the context around it.
        parts = [self._prepare_question(c) for c in clauses(question)]
        parts = [p for p in parts if len(p) >= _MIN_CLAUSE]
        if len(parts) > 1:
            windows = parts + ["".join(pair) for pair in itertools.pairwise(parts)]
            for window in windows:
                for i, s in self._score_items(window, items, bm25, left_out).items():
                    if s > best.get(i, 0.0):
                        best[i] = s
        ranked = [_Scored(i, s) for i, s in best.items()]
        ranked.sort(key=lambda c: (-c.score, self.docs[c.index].id))
        return ranked

    def rank(self, question: str, k: int = _RECALL) -> list[Candidate]:
        """Candidates best first, each with its score in 0..1."""
        return [
            Candidate(self.docs[c.index].id, self.docs[c.index].question, round(c.score, 4))
            for c in self._rank(question, None, k)
        ]

    # -- deciding ------------------------------------------------------------------------

    def with_calibration(self, calibration: Calibration) -> Retriever:
        """The same index deciding with other bars."""
        clone = object.__new__(Retriever)
        clone.__dict__.update(self.__dict__)
        clone.calibration = calibration
        return clone

    def _cover(self, query: dict[str, float], item: int) -> float:
        """The share of the question's information item `item` has anywhere."""
        total = sum(query.values()) or 1.0
        return sum(query[t] for t in query.keys() & self._item_tokens[item]) / total

    def _undecided(self, normalized: str, ranked: Sequence[Candidate]) -> bool:
        """A bare topic (公积金 alone, with 提取, 贷款 and 查询 all about it) that the next two
        have as fully as the best, scoring close to it: whatever puts one first is how the items are
        phrased, not what the resident asked, so the resident chooses."""
        query_tokens = list(dict.fromkeys(tokens(normalized)))
        if len(ranked) < 3 or sum(t.startswith("w:") for t in query_tokens) > 1:
            # More than one word says something beyond the topic; only a bare topic is read
            # as undecided (on a base with many phrasings an item has most words somewhere).
            return False
        query = dict(zip(query_tokens, self._weights(query_tokens, None), strict=True))
        if ranked[2].score < ranked[0].score * (1 - 2 * self.calibration.margin):
            return False  # the best is clearly ahead of the rest: the topic's main item
        first, *others = (self._cover(query, self._position[c.id]) for c in ranked[:3])
        return all(other >= first - 1e-9 for other in others)

    def ask(self, question: str) -> Reply:
        normalized = self._prepare_question(question)
        mentioned = mentions_complaint(normalized)
        if (
            mentioned
            and not asks_how(normalized)
            and not names_service(normalized, self._service_words)
        ):
            # A problem to fix, not a question about a service guide: a person is needed, and
            # offering guides would only delay getting someone to act.
            return Reply(None, (), 0.0, True, True, ())
        ranked = self.rank(question)
        best = ranked[0].score if ranked else 0.0
        bars = self.calibration
        if (
            best >= bars.answer
            and _lead(ranked) >= bars.margin
            and not self._undecided(normalized, ranked)
        ):
            return Reply(ranked[0].id, (), best, mentioned, mentioned, (ranked[0],))
        if best >= bars.choice:
            # Choices within reach of the best: a distant third is noise, not an option.
            floor = max(bars.choice, best * 0.75)
            choices = tuple(c for c in ranked[:MAX_CHOICES] if c.score >= floor)
            return Reply(None, choices, best, mentioned, mentioned, choices)
        # Nothing fits: a person can still help, so the hand-off is offered here too.
        return Reply(None, (), best, True, mentioned, ())


# How the four signals make a score (shares in 0..1, so the score is too).
_Q_WEIGHT: Final = 0.4
_D_WEIGHT: Final = 0.3
_BM25_WEIGHT: Final = 0.15
_FUZZY_WEIGHT: Final = 0.15


def _lead(ranked: Sequence[_Scored | Candidate]) -> float:
    """How far the best leads the runner-up, as a share of the best's score: a lead of 0.1
    means something different at 0.3 than at 0.9, and bases differ in where their scores sit."""
    if not ranked or ranked[0].score <= 0:
        return 0.0
    second = ranked[1].score if len(ranked) > 1 else 0.0
    return (ranked[0].score - second) / ranked[0].score


def _probes(retriever: Retriever) -> list[tuple[int, int]]:
    """(item, phrasing) pairs to leave out: items with at least two phrasings, every phrasing
    of a small base, an even spread over a large one."""
    pairs = [
        (i, j)
        for i, phrasings in enumerate(retriever._phrasings)
        if len(phrasings) >= 2
        for j in range(len(phrasings))
    ]
    if len(pairs) > _MAX_PROBES:
        step = len(pairs) / _MAX_PROBES
        pairs = [pairs[int(k * step)] for k in range(_MAX_PROBES)]
    return pairs


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def calibrate(retriever: Retriever) -> Calibration:
    """Bars learnt from the base itself, by leaving out what is known.

    Each probe is one phrasing of an item, asked twice: with that phrasing left out of the
    index (a question about a service the base has, in words it has not seen) and with its
    whole item left out (a question about a service the base lacks). The answer bar and
    margin are the pair that answers the most known-service probes rightly while wrong
    answers (another item, or any answer to an absent-service probe) each cost
    `_WRONG_COST` right ones and known-service probes not answered `_HANDOFF_COST`; the
    choice bar is the score that all but `_CHOICE_LEAK` of
    absent-service probes stay below. Recomputed whenever the base changes."""
    pairs = _probes(retriever)
    if len(pairs) < _MIN_PROBES:
        return PRIOR
    known: list[tuple[float, float, bool]] = []  # best, margin, best is the right item
    absent: list[tuple[float, float]] = []
    for i, j in pairs:
        question = retriever._phrasings[i][j]
        ranked = retriever._rank(question, (i, j))
        if ranked:
            known.append((ranked[0].score, _lead(ranked), ranked[0].index == i))
        else:
            known.append((0.0, 0.0, False))
        ranked = retriever._rank(question, (i, None))
        if ranked:
            absent.append((ranked[0].score, _lead(ranked)))
        else:
            absent.append((0.0, 0.0))
    ks, km, kr = (np.array(col, dtype=float) for col in zip(*known, strict=True))
    as_, am = (np.array(col, dtype=float) for col in zip(*absent, strict=True))
    best: tuple[float, float, float] | None = None
    for margin in _MARGINS:
        for bar in _BARS:
            k_pass = (ks >= bar) & (km >= margin)
            right = float((k_pass & (kr > 0)).sum())
            wrong = float(
                (k_pass & (kr == 0)).sum() + _ABSENT_SHARE * ((as_ >= bar) & (am >= margin)).sum()
            )
            handed_off = float((~k_pass).sum())
            value = right - _WRONG_COST * wrong - _HANDOFF_COST * handed_off
            if best is None or value > best[0] + 1e-9:
                best = (value, float(bar), margin)
    assert best is not None
    _value, answer, margin = best
    absent_scores = [s for s, _m in absent]
    choice = min(answer, _quantile(absent_scores, 1 - _CHOICE_LEAK))
    return Calibration(
        answer=answer,
        margin=margin,
        choice=choice,
        probes=len(pairs),
        known_median=_quantile([s for s, _m, r in known if r], 0.5),
        absent_p90=_quantile(absent_scores, 0.9),
        learnt=True,
    )
