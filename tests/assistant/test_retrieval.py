"""The retriever on its own: answer, choices, abstain, complaints, typos, homophones, synonyms."""

import json
from typing import Any

import pytest

from tests.assistant.conftest import SEED
from wangge.assistant import index
from wangge.assistant.retrieval import Doc, Retriever, is_complaint, normalize
from wangge.assistant.services import synonym_set

SEED_SYNONYMS = json.loads((SEED.parent / "synonyms.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed() -> Retriever:
    rows = [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines()]
    docs = [Doc(r["id"], r["question"], tuple(r["similar"]), r["answer"]) for r in rows]
    return Retriever(docs, SEED_SYNONYMS)


def test_a_clear_question_is_answered(seed: Retriever) -> None:
    reply = seed.ask("我是外地人，在中原区租房，怎么办居住证")
    assert reply.answer_id == "HJ001"
    assert 0.55 <= reply.confidence <= 1.0
    assert not reply.handoff and not reply.choices


def test_close_matches_are_offered_as_choices(seed: Retriever) -> None:
    reply = seed.ask("公积金")  # 提取, 贷款, 查询, 缴存 all fit
    assert reply.answer_id is None
    assert 2 <= len(reply.choices) <= 3
    assert all(c.id.startswith("GJJ") for c in reply.choices)


def test_nothing_fits_abstains_and_offers_a_person(seed: Retriever) -> None:
    for question in ("帮我写一篇作文", "推荐一部电影", "嗯嗯"):
        reply = seed.ask(question)
        assert reply.abstained, question
        assert reply.handoff


@pytest.mark.parametrize(
    "question",
    ["楼上装修噪音太大", "我家卫生间漏水了", "楼道灯坏了", "下水道堵了", "我要投诉物业"],
)
def test_complaints_and_repairs_are_handed_off(seed: Retriever, question: str) -> None:
    assert is_complaint(normalize(question))
    reply = seed.ask(question)
    assert reply.handoff and reply.answer_id is None and not reply.choices


def test_a_service_question_that_mentions_a_complaint_word_is_still_answered(
    seed: Retriever,
) -> None:
    reply = seed.ask("买到假货怎么投诉")
    assert reply.answer_id == "SC008"
    assert reply.handoff  # and a person is offered too


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("低饱怎么申请", "JZ001"),  # homophone of 低保
        ("公基金怎么提取", "GJJ001"),  # homophone of 公积金
        ("生玉登记怎么办", "HY001"),  # homophone of 生育, not in the synonym table
        ("残疾人正怎么办理", "CJ001"),  # homophone of 证
        ("社保咔丢了怎么补", "SB002"),  # homophone of 卡
    ],
)
def test_typos_and_homophones(seed: Retriever, question: str, expected: str) -> None:
    ranked = [c.id for c in seed.ask(question).ranked]
    assert ranked[:1] == [expected], (question, ranked)


def test_synonyms_join_variants_to_the_base_spelling() -> None:
    docs = [
        Doc("A", "居住证怎么办理？", ("外地人办居住证",)),
        Doc("B", "驾驶证到期怎么换？", ("驾驶证换证",)),
    ]
    plain = Retriever(docs)
    with_table = Retriever(docs, {"暂住证": "居住证", "驾照": "驾驶证"})
    # Without the table only 证 and the sound of 住证 are shared; with it, the whole word.
    assert plain.ask("暂住证去哪办").confidence < with_table.ask("暂住证去哪办").confidence
    assert with_table.ask("暂住证去哪办").answer_id == "A"
    assert with_table.ask("驾照到期").answer_id == "B"


def test_an_edited_synonym_reaches_the_live_index(kb: Any) -> None:
    assert index.retriever().ask("流动人口证明怎么弄").answer_id != "HJ001"
    synonym_set(term="流动人口证明", canonical="居住证")
    assert index.retriever().ask("流动人口证明怎么弄").answer_id == "HJ001"


def test_the_index_leaves_out_expired_items(kb: Any) -> None:
    from datetime import date

    from wangge.assistant.models import KnowledgeItem

    KnowledgeItem.objects.filter(code="JT001").update(valid_to=date(2020, 1, 1))
    index.invalidate()
    assert "JT001" not in [c.id for c in index.retriever().rank("电动自行车怎么上牌")]


@pytest.mark.parametrize(
    "question", ["公租房维修怎么申请", "楼上漏水损失谁来赔", "装修垃圾要办什么手续", "摆摊要登记吗"]
)
def test_complaint_words_in_a_how_to_question_are_not_a_complaint(question: str) -> None:
    assert not is_complaint(normalize(question))


def test_dialect_is_read_as_the_written_form(seed: Retriever) -> None:
    assert seed._prepare("俺嘞户口本寻不着了咋整") == seed._prepare("我的户口簿找不到了怎么办")


def test_how_long_a_problem_lasted_does_not_make_it_a_question() -> None:
    # 几天 asks a question in 办证要几天; in 好几天没人清运 it is how long the rubbish has waited.
    assert is_complaint(normalize("小区垃圾好几天没人清运"))
    assert not is_complaint(normalize("补办身份证要几天"))


def test_a_terse_keyword_string_naming_a_service_of_the_base_is_not_a_complaint() -> None:
    docs = [
        Doc("R1", "公租房里的设施坏了维修怎么申请？", ("公租房报修找谁", "公租房维修电话")),
        Doc("R2", "公共租赁住房怎么申请？", ("公租房申请条件", "廉租房在哪报名")),
        Doc("R3", "公租房不住了怎么退租？", ("公租房退租手续", "不想住公租房了怎么退")),
    ]
    small = Retriever(docs)
    reply = small.ask("公租房 维修")
    assert reply.ranked and reply.ranked[0].id == "R1"  # answered (a person offered too)
    # The same words stating a problem, or a complaint word the base never uses for a service,
    # still go to a person.
    for problem in ("公租房维修了还漏", "公租房漏水了", "公租房 噪音"):
        reply = small.ask(problem)
        assert reply.complaint and reply.handoff and not reply.ranked, problem


def test_a_story_that_ends_in_a_plan_is_read_not_handed_off(seed: Retriever) -> None:
    # 太难了 is why they want the service, not a fault for someone to fix.
    reply = seed.ask("我爸腿脚不好，在家上下床太难了，我们想给家里做个适老化改造")
    assert not (reply.complaint and reply.handoff and not reply.ranked)
    assert "YL006" in [c.id for c in reply.ranked]
    # A fault before the plan, or a plan that someone else act, still goes to a person.
    for problem in ("我家厨房漏水了，想找人修", "楼上装修太吵了，想让他们停下"):
        reply = seed.ask(problem)
        assert reply.complaint and reply.handoff and not reply.ranked, problem


def test_a_question_asked_before_the_problem_is_told_is_still_a_question(
    seed: Retriever,
) -> None:
    reply = seed.ask("社保卡怎么补办，我的卡坏了")
    assert reply.ranked and reply.ranked[0].id.startswith("SB")
