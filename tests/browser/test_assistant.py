"""小原帮办 in a phone browser: a question with choices, a dislike, and a complaint handed off
that arrives as a case routed to the grid."""

from typing import Any

import pytest

from tests.assistant.conftest import kb  # noqa: F401  (the seed knowledge base)
from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in
from tests.browser.resident_pages import MEASURE
from tests.conftest import PASSWORD
from wangge.assistant import selectors
from wangge.assistant.models import Conversation, MissedQuestion, MissReason
from wangge.cases.models import Case, Channel, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_asks_picks_dislikes_and_hands_off(
    live_server: Any,
    kb: Any,  # noqa: F811
    people: dict[str, Any],
    new_page: Any,
) -> None:
    base = live_server.url
    page = new_page(phone=True)
    sign_in(page, base, people["resident"].phone, PASSWORD)
    page.get_by_role("link", name="小原帮办").click()
    page.wait_for_url(f"{base}/assistant/")
    shot(page, "assistant-1-start")

    page.get_by_label("您的问题").fill("公积金")
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector(".choice-list .choice")
    assert "您是想问" in page.locator(".msg.choices").inner_text()
    choice = page.locator(".choice-list .choice").first
    picked = choice.inner_text()
    choice.click()
    answer = page.locator(".msg.answer").last
    answer.wait_for()
    assert picked in answer.inner_text()
    answer.locator("summary").click()  # the 办事指南
    assert "所需材料" in answer.inner_text()
    shot(page, "assistant-2-choice-answered")

    answer.get_by_role("button", name="没帮助").click()
    page.wait_for_selector("text=抱歉没帮上忙")
    assert MissedQuestion.objects.get().reason == MissReason.DISLIKED

    page.get_by_label("您的问题").fill("小区门口有人占道摆摊，堵住出入口")
    page.get_by_role("button", name="发送").click()
    page.wait_for_selector("text=这件事需要工作人员来处理")
    send = page.get_by_role("button", name="转人工")
    assert send.is_disabled()  # nothing leaves without consent
    page.get_by_label("我同意把本次对话内容提交给工作人员").check()
    page.get_by_label("地址（选填）").fill("中原区伊河路百花里3号楼")
    shot(page, "assistant-3-handoff-consent")
    send.click()
    page.wait_for_selector(".msg.handed")
    case = Case.objects.get()
    assert case.number and case.number in page.locator(".msg.handed").inner_text()
    shot(page, "assistant-4-handed-off")

    assert case.channel == Channel.ASSISTANT and case.title.startswith("小区门口有人占道摆摊")
    assert "居民评价：没帮助" in case.description  # the handler sees what was tried
    assert case.status == Status.DISPATCHED and case.assignee == people["worker_a"]
    worker = new_page(phone=True)
    sign_in(worker, base, people["worker_a"].phone, PASSWORD)
    worker.goto(f"{base}/cases/{case.pk}/")
    body = worker.locator("main").inner_text()
    assert "小区门口有人占道摆摊" in body and "小原帮办" in body
    shot(worker, "assistant-5-worker-sees-case")


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_a_question_asked_with_no_signal_or_whose_reply_is_lost_is_kept_to_send_again(
    live_server: Any,
    kb: Any,  # noqa: F811
    people: dict[str, Any],
    new_page: Any,
    elderly: bool,
) -> None:
    """On a phone, in the standard page and in 长辈版 (18 px text, 60 × 60 targets), which a
    76-year-old asking about a cold radiator is likely to use."""
    base = live_server.url
    resident = people["resident"]
    if elderly:
        resident.elderly_mode = True
        resident.save(update_fields=["elderly_mode"])
    page = new_page(phone=True)
    sign_in(page, base, resident.phone, PASSWORD)
    page.goto(f"{base}/assistant/")
    assert page.evaluate("document.documentElement.classList.contains('elderly')") == elderly
    box = page.get_by_label("您的问题")
    send = page.get_by_role("button", name="发送")

    # No signal: the page says so in Chinese and the question is back in the box.
    page.context.set_offline(True)
    box.fill("公积金")
    send.click()
    error = page.locator(".msg.error").last
    error.wait_for()
    assert "网络或服务出错了" in error.inner_text() and "fetch" not in error.inner_text()
    assert box.input_value() == "公积金"
    shot(page, "assistant-offline-kept" + ("-elderly" if elderly else ""))

    # Back online, one tap sends it again.
    page.context.set_offline(False)
    send.click()
    page.wait_for_selector(".choice-list .choice")
    # The conversation as the resident now sees it, an error and choices in it, on the phone:
    # nothing axe-core finds serious, no control under 44 × 44 (长辈版: no text under 18 px,
    # no control under 60 × 60).
    assert axe_serious(page) == []
    measured = page.evaluate(MEASURE, [18, 60] if elderly else [0, 44])
    assert (measured["text"], measured["taps"]) == ([], [])

    # A choice whose reply is lost on the way back (the server answered it): the choices come
    # back to life and the same choice, tapped again, is answered.
    lost = {"done": False}

    def lose_once(route: Any) -> None:
        if lost["done"]:
            route.continue_()
            return
        lost["done"] = True
        route.fetch()  # the server does the work …
        route.abort("connectionreset")  # … and the reply never arrives

    page.route("**/api/v1/assistant/choose", lose_once)
    choice = page.locator(".choice-list .choice").first
    picked = choice.inner_text()
    choice.click()
    page.locator(".msg.error").nth(1).wait_for()
    assert lost["done"] and choice.is_enabled()
    choice.click()
    answer = page.locator(".msg.answer").last
    answer.wait_for()
    assert picked in answer.inner_text()


@pytest.mark.parametrize("elderly", [False, True], ids=["standard", "elderly"])
def test_every_answer_offers_what_else_it_may_be_and_every_miss_a_person(
    live_server: Any,
    kb: Any,  # noqa: F811
    people: dict[str, Any],
    new_page: Any,
    elderly: bool,
) -> None:
    """At 390 px, standard and 长辈版: under an answer 您是不是想问 with the next two items as
    large buttons; a tap answers with that item and is logged as what the question meant; a
    question the base lacks shows its nearest items and the way to a person."""
    base = live_server.url
    resident = people["resident"]
    if elderly:
        resident.elderly_mode = True
        resident.save(update_fields=["elderly_mode"])
    page = new_page(phone=True)
    sign_in(page, base, resident.phone, PASSWORD)
    page.goto(f"{base}/assistant/")
    assert page.evaluate("document.documentElement.classList.contains('elderly')") == elderly
    box = page.get_by_label("您的问题")
    send = page.get_by_role("button", name="发送")
    suffix = "-elderly" if elderly else ""

    box.fill("外地人在中原区租房怎么办居住证")
    send.click()
    answer = page.locator(".msg.answer").first
    answer.wait_for()
    assert "居住证怎么办理？" in answer.locator("strong").inner_text()
    alternatives = answer.locator(".alt-list")
    assert alternatives.locator(".item-head").inner_text() == "您是不是想问："
    buttons = alternatives.get_by_role("button")
    assert buttons.count() == 2
    assert "居住证到期了怎么续签？" in buttons.all_inner_texts()
    # Large: across the bubble, and at least the mode's tap size high (长辈版 60 px).
    for size in buttons.evaluate_all("bs => bs.map(b => b.getBoundingClientRect().toJSON())"):
        assert size["height"] >= (60 if elderly else 44) and size["width"] >= 250, size
    assert axe_serious(page) == []
    measured = page.evaluate(MEASURE, [18, 60] if elderly else [0, 44])
    assert (measured["text"], measured["taps"]) == ([], [])
    shot(page, "assistant-alternatives" + suffix)

    alternatives.get_by_role("button", name="居住证到期了怎么续签？").click()
    tapped = page.locator(".msg.answer").nth(1)
    tapped.wait_for()
    assert "居住证到期了怎么续签？" in tapped.locator("strong").inner_text()
    assert buttons.first.is_disabled()  # one tap, one answer
    conversation = Conversation.objects.get()
    assert selectors.taps(conversation) == [
        selectors.Tap("外地人在中原区租房怎么办居住证", "HJ001", "HJ002")
    ]

    # A service the base lacks: no answer, the nearest items to tap, and 转人工 in reach.
    box.fill("外国人永久居留证怎么申请")
    send.click()
    missed = page.locator(".msg.none").last
    missed.wait_for()
    assert "没找到合适的答案" in missed.inner_text()
    assert missed.locator(".alt-list").get_by_role("button").count() >= 1
    handoff = page.locator("#assistant-handoff")
    assert handoff.is_visible()
    assert handoff.get_by_role("button", name="转人工").is_visible()
    assert axe_serious(page) == []
    measured = page.evaluate(MEASURE, [18, 60] if elderly else [0, 44])
    assert (measured["text"], measured["taps"]) == ([], [])
    shot(page, "assistant-nothing-but-nearest" + suffix)
