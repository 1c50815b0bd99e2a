"""The chat page and the editors' page of missed questions."""

import json
from typing import Any

from django.test import Client

from wangge.assistant import index
from wangge.assistant.models import KnowledgeItem, MissedQuestion, ResolvedQuestion
from wangge.assistant.services import conversation_ask


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_chat_page(kb: Any, cast: dict[str, Any]) -> None:
    assert Client().get("/assistant/").status_code == 302  # to the login page
    page = client_for(cast["resident"]).get("/assistant/").content.decode()
    assert "小原帮办" in page and "<svg" in page
    assert "居住证怎么办理？" in page  # a quick question
    assert "/api/v1/assistant/ask" in page and "assistant/chat.js" in page
    # The words the script shows: 您是不是想问 above the items to tap, and the large buttons'
    # own stylesheet.
    start = page.index('id="assistant-texts"')
    texts = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert texts["alternatives"] == "您是不是想问：" and texts["choices"] == "您是想问："
    assert "assistant/chat.css" in page


def test_the_missed_questions_page_is_for_editors_only(kb: Any, cast: dict[str, Any]) -> None:
    for who in ("resident", "worker_a", "community"):
        assert client_for(cast[who]).get("/assistant/unanswered/").status_code == 403, who
        add = client_for(cast[who]).post(
            "/assistant/unanswered/add/", {"text": "x", "item": "HJ001"}
        )
        assert add.status_code == 403, who
    assert client_for(cast["admin"]).get("/assistant/unanswered/").status_code == 200


def test_missed_questions_by_frequency_and_one_click_similar(
    kb: Any, cast: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    resident = cast["resident"]
    for _i in range(3):
        conversation_ask(user=resident, question="外国人永久居留证怎么申请")
    conversation_ask(user=resident, question="流动人口婚育证明")
    c = client_for(cast["dispatcher"])
    with django_assert_max_num_queries(12):
        page = c.get("/assistant/unanswered/").content.decode()
    assert page.index("外国人永久居留证怎么申请") < page.index("流动人口婚育证明")
    assert "3 次" in page and "记住这个问法" in page

    resp = c.post(
        "/assistant/unanswered/add/", {"text": "流动人口婚育证明", "item": "HY001"}, follow=True
    )
    assert "已记住：“流动人口婚育证明”问的是“生育登记怎么办？”" in resp.content.decode()
    # Remembered beside the item, never among its similar questions (which cost other items).
    assert "流动人口婚育证明" not in KnowledgeItem.objects.get(code="HY001").similar
    assert ResolvedQuestion.objects.get(text="流动人口婚育证明").item.code == "HY001"
    assert not MissedQuestion.objects.filter(text="流动人口婚育证明", resolved_item=None).exists()
    assert "流动人口婚育证明" not in c.get("/assistant/unanswered/").content.decode()
    index.invalidate()
    reply = conversation_ask(user=resident, question="流动人口婚育证明")
    assert reply.item is not None and reply.item.code == "HY001"


def test_adding_to_a_missing_item_says_so(kb: Any, cast: dict[str, Any]) -> None:
    conversation_ask(user=cast["resident"], question="外国人永久居留证怎么申请")
    resp = client_for(cast["admin"]).post(
        "/assistant/unanswered/add/",
        {"text": "外国人永久居留证怎么申请", "item": "NOPE"},
        follow=True,
    )
    assert "条目不存在" in resp.content.decode()


def test_the_admin_previews_what_residents_see(kb: Any, cast: dict[str, Any]) -> None:
    admin = cast["admin"]
    admin.is_superuser = True
    admin.save()
    item = KnowledgeItem.objects.get(code="YL002")
    page = client_for(admin).get(f"/admin/assistant/knowledgeitem/{item.pk}/change/")
    body = page.content.decode()
    assert "居民看到的回答" in body
    assert "<dt>办理地点</dt><dd>户籍地社区或街道便民服务中心</dd>" in body
