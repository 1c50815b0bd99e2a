"""Receiving 12345 orders: one case per order number, Chinese 422s, tokens, triage by street."""

import logging
from typing import Any

import pytest
import time_machine

from tests.cases.conftest import CORNER, crossing_roads
from tests.conftest import DISTRICT, STREET
from tests.hotline.conftest import OTHER_STREET, order, post_order
from wangge.accounts.services import api_token_create
from wangge.cases.learning import Guess
from wangge.cases.models import Case, CaseEvent
from wangge.cases.selectors import cases_visible, dispatch_queue
from wangge.hotline.models import HotlineOrder

UNPLACEABLE = "中原区某某路无名小区后面的空地"


@time_machine.travel("2026-11-23T09:20:00+08:00", tick=False)
def test_a_new_order_becomes_a_dispatched_case(people: dict[str, Any], token: str) -> None:
    resp = post_order(order(deadline="2026-11-30T17:00:00+08:00"), token)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get()
    assert body == {
        "case_id": case.pk,
        "case_number": case.number,
        "order_no": "ZZ20261123000123",
        "status": "dispatched",
        "status_label": "待签收",
        "handling_unit": "碧沙岗第1网格",
        "due_at": "2026-11-30T17:00:00+08:00",
        "routing_reason": case.routing_reason,
    }
    assert "按地址匹配到楼栋" in case.routing_reason and "周敏" in case.routing_reason
    assert (case.channel, case.external_id, case.request_type) == (
        "hotline",
        "ZZ20261123000123",
        "投诉",
    )
    assert (case.reporter_name, case.reporter_phone, case.reporter_id) == (
        "李桂兰",
        "13937112345",
        None,
    )
    assert case.category is not None and case.category.code == "CSGL-01"
    recorded = HotlineOrder.objects.get()
    assert recorded.case == case and recorded.deliveries_count == 1
    assert recorded.received_at.isoformat() == "2026-11-23T01:15:00+00:00"
    assert recorded.payload["caller_phone"] == "139****2345"
    assert "13937112345" not in str(recorded.payload)


def test_a_repeated_order_returns_the_same_case_and_a_changed_one_is_refused(
    people: dict[str, Any], token: str
) -> None:
    first = post_order(order(), token)
    again = post_order(order(), token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["case_id"] == first.json()["case_id"]
    assert again.json()["case_number"] == first.json()["case_number"]
    # Delivery metadata (time, type) may differ on a retry; the content decides.
    retried = post_order(order(received_at="2026-11-23T09:20:00+08:00", order_type="求助"), token)
    assert retried.status_code == 200
    changed = post_order(order(content="完全不同的诉求：路灯不亮"), token)
    assert changed.status_code == 409
    assert "已存在且内容不同" in changed.json()["detail"]
    assert Case.objects.count() == 1
    assert CaseEvent.objects.filter(action="intake").count() == 1
    recorded = HotlineOrder.objects.get()
    assert recorded.deliveries_count == 3  # the refused one is not counted as a delivery


def test_category_by_chinese_name_and_urgency_in_words(people: dict[str, Any], token: str) -> None:
    resp = post_order(order(category="占道经营", urgency="特急"), token)
    assert resp.status_code == 201
    case = Case.objects.get()
    assert case.category is not None and case.category.code == "CSGL-01"
    assert case.urgency == "emergency"


@pytest.mark.parametrize(
    "category", ["城市管理", "市容环境-其他", "CSGL"], ids=["parent-name", "unknown", "parent-code"]
)
def test_a_category_we_cannot_dispatch_lets_the_loop_suggest_one(
    people: dict[str, Any], token: str, monkeypatch: pytest.MonkeyPatch, category: str
) -> None:
    asked: list[str] = []

    def suggest_for_case(text: str) -> Guess:
        asked.append(text)
        return Guess(None, "", "")

    monkeypatch.setattr("wangge.cases.categories.suggest_for_case", suggest_for_case)
    resp = post_order(order(category=category), token)
    assert resp.status_code == 201, resp.content
    assert asked and "摆摊" in asked[0]
    assert "未能识别分类" in resp.json()["routing_reason"]
    # What the platform sent is kept for the dispatcher.
    case = Case.objects.get(pk=resp.json()["case_id"])
    assert case.external_category == category


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"order_no": None}, "工单编号（order_no"),
        ({"order_no": "ZZ 123"}, "工单编号（order_no"),
        ({"order_no": "x" * 65}, "工单编号（order_no"),
        ({"content": ""}, "诉求内容（content"),
        ({"content": "   "}, "请填写诉求内容"),
        ({"order_type": "吐槽"}, "诉求类型（order_type"),
        ({"urgency": "很急"}, "紧急程度（urgency"),
        ({"deadline": "下周一"}, "办理时限（deadline"),
        ({"street": "41010200"}, "承办单位（street"),
        ({"street": "410102099"}, "未知的承办街道编码“410102099”"),
        ({"street": "410102001002"}, "承办单位（street"),
        ({"caller_phone": "12345"}, "请输入有效的手机或固定电话号码"),
    ],
    ids=[
        "no-number",
        "space-in-number",
        "long-number",
        "empty-content",
        "blank-content",
        "bad-type",
        "bad-urgency",
        "bad-deadline",
        "short-street",
        "unknown-street",
        "community-not-street",
        "bad-phone",
    ],
)
def test_bad_orders_are_422_in_chinese(
    people: dict[str, Any], token: str, change: dict[str, Any], fragment: str
) -> None:
    body = order(**change)
    body = {k: v for k, v in body.items() if v is not None}
    resp = post_order(body, token)
    assert resp.status_code == 422, resp.content
    assert fragment in resp.json()["detail"]
    assert not Case.objects.exists() and not HotlineOrder.objects.exists()


@pytest.mark.parametrize(
    ("raw", "detail"), [("{not json", "请求体不是有效的 JSON"), ("[1, 2]", "请求体须为 JSON 对象")]
)
def test_a_body_that_is_not_an_object_is_422(
    people: dict[str, Any], token: str, raw: str, detail: str
) -> None:
    resp = post_order(raw, token)
    assert resp.status_code == 422 and resp.json()["detail"] == detail


def test_nulls_for_empty_fields_are_accepted(people: dict[str, Any], token: str) -> None:
    resp = post_order(order(caller_name=None, deadline=None, street=None, order_type=None), token)
    assert resp.status_code == 201, resp.content


def test_a_token_is_required_and_must_belong_to_the_dispatch_desk(
    people: dict[str, Any], token: str
) -> None:
    resp = post_order(order(), None)
    assert resp.status_code == 401 and resp.json()["detail"] == "未登录或令牌无效"
    assert post_order(order(), "wg_nope_nope").status_code == 401
    _row, worker_key = api_token_create(user=people["worker_a"], name="网格员的令牌")
    refused = post_order(order(), worker_key)
    assert refused.status_code == 403
    assert "派单员" in refused.json()["detail"]
    _row, dispatcher_key = api_token_create(user=people["dispatcher"], name="街道对接")
    assert post_order(order(), dispatcher_key).status_code == 201
    assert Case.objects.count() == 1


def test_an_unplaceable_order_goes_to_the_street_named_as_handling_unit(
    people: dict[str, Any], token: str, other_street: dict[str, Any]
) -> None:
    resp = post_order(order(address=UNPLACEABLE, street=OTHER_STREET), token)
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get()
    street = other_street["nodes"][OTHER_STREET]
    assert (case.status, case.micro_grid, case.community) == ("pending", None, None)
    assert (case.grid_path, case.street) == (street.path, street)
    assert body["handling_unit"] == "三官庙街道"
    assert body["routing_reason"].endswith("按工单承办单位转三官庙街道分拨")
    triage = case.events.get(action="triage")
    assert (triage.note, triage.actor_label) == ("按工单承办单位转三官庙街道分拨", "12345热线")
    # It waits in that street's dispatch queue, not in 林山寨's.
    assert list(dispatch_queue(other_street["dispatcher"])) == [case]
    assert not dispatch_queue(people["dispatcher"]).exists()
    assert not cases_visible(people["worker_a"]).exists()


def test_without_a_street_an_unplaceable_order_waits_at_the_district(
    people: dict[str, Any], token: str
) -> None:
    resp = post_order(order(address=UNPLACEABLE), token)
    case = Case.objects.get()
    assert resp.json()["handling_unit"] is None
    assert (case.status, case.grid_path, case.street) == ("pending", f"{DISTRICT}/", None)
    assert not case.events.filter(action="triage").exists()


def test_a_placeable_order_is_routed_by_its_address_whatever_street_it_names(
    people: dict[str, Any], token: str, other_street: dict[str, Any]
) -> None:
    resp = post_order(order(street=OTHER_STREET), token)
    case = Case.objects.get()
    assert resp.json()["status"] == "dispatched"
    assert case.street is not None and case.street.code == STREET
    assert not case.events.filter(action="triage").exists()


def test_a_repeat_does_not_triage_again(
    people: dict[str, Any], token: str, other_street: dict[str, Any]
) -> None:
    body = order(address=UNPLACEABLE, street=OTHER_STREET)
    post_order(body, token)
    post_order(body, token)
    assert CaseEvent.objects.filter(action="triage").count() == 1


def test_the_callers_phone_is_masked_in_the_log(
    people: dict[str, Any], token: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="wangge.hotline"):
        post_order(order(), token)
    assert "ZZ20261123000123" in caplog.text and "139****2345" in caplog.text
    assert "13937112345" not in caplog.text


def test_an_order_whose_place_is_a_crossings_corner_goes_to_that_grid(
    people: dict[str, Any], token: str
) -> None:
    crossing_roads()
    resp = post_order(order(address=CORNER, content="路口东北角井盖缺失，车辆经过有危险"), token)
    assert resp.status_code == 201, resp.content
    case = Case.objects.get()
    assert case.micro_grid is not None and case.micro_grid.name == "B1 微网格"
    assert resp.json()["handling_unit"] == "碧沙岗第2网格"
    assert case.place_phrase == CORNER
    assert f"由“{CORNER}”推定位置" in resp.json()["routing_reason"]
