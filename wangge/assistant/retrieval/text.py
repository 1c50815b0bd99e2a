"""Text as 小原 reads it: normalisation (NFKC, dialect and spoken forms, numbers, the base's
synonyms), sound-alike typos spelt as the base spells them, and the index tokens (words,
character pairs, sound pairs). Pure Python, no Django."""

from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any, Final

from wangge.core import segmentation
from wangge.core.pinyin import Style, lazy_pinyin

# Sounds and bigrams are weaker evidence than words (many words share them).
_PINYIN_WEIGHT: Final = 0.5
_BIGRAM_WEIGHT: Final = 0.7
# Single characters are weaker still than a pair, but they are what tells twins apart when the
# resident's word is not the base's (退房 for 退租, 补 for 补办) and what a long question
# shares with the item it is about when its words are its own.
_CHAR_WEIGHT: Final = 0.5

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
    # Written Cantonese (粤语书面语), as residents of Guangdong and Hong Kong type it: the
    # function words and the everyday words of a service question. Forms that are also
    # Mandarin words (系 in 关系, 返 in 往返, 整 in 调整, 紧 in 紧急, 仲 in 仲裁, 食 in 食品)
    # are mapped only inside the phrases that are Cantonese. The table is for the words; the
    # sentence encoder reads the question as the resident wrote it (fed the table's Mandarin,
    # it did better on Cantonese and worse on the northern-dialect questions of other bases:
    # docs/benchmarks.md, 2026-11-25).
    "点样": "怎么",
    "点解": "为什么",
    "点算": "怎么办",
    "点办": "怎么办",
    "点搞": "怎么办",
    "点整": "怎么办",
    "喺边度": "在哪里",
    "喺边": "在哪",
    "边度": "哪里",
    "边处": "哪里",
    "边个": "哪个",
    "边间": "哪间",
    "喺": "在",
    "乜嘢": "什么",
    "咩嘢": "什么",
    "乜": "什么",
    "咩": "什么",
    "嘢": "东西",
    "几时": "什么时候",
    "几耐": "多久",
    "几多": "多少",
    "使唔使": "需不需要",
    "駛唔駛": "需不需要",
    "唔使": "不用",
    "可唔可以": "可不可以",
    "得唔得": "可不可以",
    "要唔要": "要不要",
    "会唔会": "会不会",
    "识唔识": "会不会",
    "有冇": "有没有",
    "系咪": "是不是",
    "系唔系": "是不是",
    "唔系": "不是",
    "我系": "我是",
    "佢系": "他是",
    "系点": "是怎么",
    "定系": "还是",
    "唔该": "请",
    "多谢": "谢谢",
    "唔见": "丢",
    "唔": "不",
    "嘅": "的",
    "咗": "了",
    "佢哋": "他们",
    "我哋": "我们",
    "你哋": "你们",
    "佢": "他",
    "啲": "些",
    "畀": "给",
    "俾": "给",
    "攞": "领",
    "搞掂": "办好",
    "搞定": "办好",
    "揾工": "找工作",
    "揾": "找",
    "搵": "找",
    "睇医生": "看医生",
    "睇病": "看病",
    "睇": "看",
    "嚟": "来",
    "而家": "现在",
    "嗰度": "那里",
    "呢度": "这里",
    "嗰": "那",
    "呢个": "这个",
    "咁": "这么",
    "同埋": "和",
    "屋企": "家",
    "返屋企": "回家",
    "返乡下": "回老家",
    "乡下": "老家",
    "返工": "上班",
    "放工": "下班",
    "返学": "上学",
    "细路仔": "孩子",
    "细路": "孩子",
    "细蚊仔": "孩子",
    "我个仔": "我儿子",
    "我个女": "我女儿",
    "个仔": "儿子",
    "阿爸": "爸爸",
    "阿妈": "妈妈",
    "老豆": "爸爸",
    "阿爷": "爷爷",
    "阿嫲": "奶奶",
    "两公婆": "夫妻",
    "出世纸": "出生证明",
    "bb": "婴儿",
    "倾掂": "谈好",
    "仲有": "还有",
    "仲要": "还要",
    "仲未": "还没",
    "读紧": "在读",
    "做紧": "在做",
    "住紧": "在住",
    "琴日": "昨天",
    "寻日": "昨天",
    "听日": "明天",
    "今日": "今天",
    "头先": "刚才",
    "啱啱": "刚刚",
    "钟意": "喜欢",
    "食饭": "吃饭",
    "差馆": "派出所",
    "差佬": "警察",
    "㗎": "",
    "喎": "",
    "啫": "",
    "啩": "",
}

# Question furniture added to the stopwords above: spoken filler around a request.
_FILLER_TEXT: Final = """
听说 知道 不知道 是不是 有没有 能不能 可不可以 要不要 还能 接下来 然后 最近 刚 刚刚 一直
这种 那种 那边 这边 时候 的话 谁 找谁 找 可以吗 行不行 怎么处理 处理 手续 流程 什么 哪些 东西
"""

_PUNCT: Final = re.compile(r"[^\w\u3400-\u4dbf\u4e00-\u9fff]+")
_CLAUSE_BREAK: Final = re.compile(r"[，,。.！!？?；;、\s]+")
_CJK_RUN: Final = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_ONLY: Final = _CJK_RUN

STOPWORDS: Final = frozenset(_STOPWORD_TEXT.split()) | frozenset(_FILLER_TEXT.split())

_tokenizer_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """A private jieba.Tokenizer with the domain words, built once per process, so our words
    cannot change how other modules segment text through jieba's global tokenizer. It shares
    jieba's dictionary with the process's other tokenizers (core.segmentation): a copy of its
    own would cost a worker tens of megabytes."""
    global _tokenizer
    with _tokenizer_lock:
        if _tokenizer is None:
            _tokenizer = segmentation.with_words(DOMAIN_WORDS, freq=100_000)
        return _tokenizer


def normalize(text: str) -> str:
    """NFKC (full-width to half-width), lower case, punctuation and spaces removed."""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text).lower())


def clauses(text: str) -> list[str]:
    """The question split where the resident paused (commas, stops, spaces), normalised."""
    parts = _CLAUSE_BREAK.split(unicodedata.normalize("NFKC", text).lower())
    return [p for p in (normalize(part) for part in parts) if p]


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


DIALECT_TABLE: Final = Synonyms(_DIALECT)


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


def content_words(text: str) -> list[str]:
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


def _chars(text: str) -> list[str]:
    return [c for run in _CJK_RUN.findall(text) for c in run if c not in _STOP_CHARS]


def tokens(text: str) -> list[str]:
    """Index tokens of already normalised text: words, bigrams, sounds and single characters,
    prefixed by kind so they never collide (the word 低保 and the bigram 低保 are different
    evidence)."""
    return list(_tokens(text))


# A question's text is tokenised by the recall, the scoring, the twin check and the topic
# check in turn: remembering the last few thousand texts makes that once.
@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    cut = [w for w in _jieba().lcut(text, HMM=False) if w.strip()]
    words = [w for w in cut if w not in STOPWORDS and not (w.isascii() and len(w) == 1)]
    # Pairs are formed between the words that say something: question furniture (怎么, 可以,
    # 需要) is a break, so 证怎 or zheng|zen never become evidence for the items that share it.
    content = " ".join("" if w in STOPWORDS else w for w in cut)
    return (
        *(f"w:{w}" for w in words),
        *(f"b:{g}" for g in _bigrams(content)),
        *(f"p:{s}" for s in _sounds(content)),
        *(f"c:{c}" for c in dict.fromkeys(_chars(content))),
    )


def kind_weight(token: str) -> float:
    if token.startswith("p:"):
        return _PINYIN_WEIGHT
    if token.startswith("b:"):
        return _BIGRAM_WEIGHT
    if token.startswith("c:"):
        return _CHAR_WEIGHT
    return 1.0
