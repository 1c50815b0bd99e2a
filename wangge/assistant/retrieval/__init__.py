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
   bigrams), **pinyin syllable pairs**, so a homophone typo (工租房, 护号) meets its word by
   sound, and single characters (退房 meets 退租 only there). Pairs are formed between
   content words only (question furniture is a break), and a pair no item has weighs little:
   it is mostly two words meeting, not a missing service.
3. **Score** each recalled item in 0..1 from what the question and the item share, weighted
   by how rare each token is *in this base*: the share of the question's information the item
   covers, the share of the item's nearest phrasing the question says (so twins that differ
   in one word — 补办 vs 新办, 水费 vs 电费 — are told apart by that word), BM25 relative to
   the best candidate, and character closeness. A long question is also scored clause by
   clause, so personal context (我在厂里干了八年…) does not drown the clause that asks; when
   a clause asks (怎么, 能不能, 在哪 …), only it and its neighbours are scored on their own.
4. **Decide** with bars the base sets for itself (`calibrate`): each item's similar questions
   are asked once with that phrasing left out (what a question about a known service scores)
   and once with the whole item left out (what a question about a service the base lacks
   scores); the answer bar and margin are the pair that does best when a wrong answer costs
   a right one and a known question handed off costs half of one (an absent-service probe
   counts half: residents ask about what the base has far more often), the choice bar the
   score most absent-service questions stay below. A bare topic that the next two items have
   as fully as the best, scoring close to it (公积金), gets choices; so do near twins within a
   fifth of each other when the runner-up has more of the question that the best lacks
   (人才公寓退房: the runner-up, 退租, first). Nothing in the decision
   is a number tuned on one base. Statements of a problem (漏水了, 灯坏了没人修, 太吵了,
   乱停车, 我要投诉) are handed off to a person;
   the same words in a how-to question (公租房维修怎么申请), or in a terse keyword string made
   of words the base's own questions use for a service (公租房 维修), are answered, with a
   person offered too. A story that ends in the resident's plan, after something was only
   too much (上下楼太难了，楼里几户商量想装个电梯), is read as a question.

The package: `text` (normalisation, sound-alike typos, tokens), `complaints` (a problem to
fix or a question, by its words), `examples` (the same by meaning, when an encoder is
installed), `ranking` (the index, the scores, the decision), `calibration` (the bars
a base learns for itself).
"""

from __future__ import annotations

from wangge.assistant.retrieval.calibration import PRIOR, Calibration, calibrate
from wangge.assistant.retrieval.complaints import (
    COMPLAINT_WORDS,
    asks_how,
    is_complaint,
    mentions_complaint,
    names_service,
)
from wangge.assistant.retrieval.dense import DenseIndex, Encoder, encoder, passage_texts
from wangge.assistant.retrieval.examples import Examples, read_examples
from wangge.assistant.retrieval.ranking import Retriever
from wangge.assistant.retrieval.replies import ALTERNATIVES, MAX_CHOICES, Candidate, Doc, Reply
from wangge.assistant.retrieval.text import (
    DOMAIN_WORDS,
    STOPWORDS,
    SoundFixer,
    Synonyms,
    clauses,
    digits,
    normalize,
    sound_key,
    tokens,
)

__all__ = [
    "ALTERNATIVES",
    "COMPLAINT_WORDS",
    "DOMAIN_WORDS",
    "MAX_CHOICES",
    "PRIOR",
    "STOPWORDS",
    "Calibration",
    "Candidate",
    "DenseIndex",
    "Doc",
    "Encoder",
    "Examples",
    "Reply",
    "Retriever",
    "SoundFixer",
    "Synonyms",
    "asks_how",
    "calibrate",
    "clauses",
    "digits",
    "encoder",
    "is_complaint",
    "mentions_complaint",
    "names_service",
    "normalize",
    "passage_texts",
    "read_examples",
    "sound_key",
    "tokens",
]
