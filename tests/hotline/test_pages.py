"""The hotline pages: deliveries needing a person, and the call-taker desk."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import CORNER, CROSSING, IN_A1, IN_B1, crossing_roads
from tests.conftest import STREET
from tests.hotline.conftest import Receiver
from wangge.accounts.models import User
from wangge.cases.models import Case, CaseEvent
from wangge.hotline.models import Delivery, HotlineOrder
from wangge.hotline.services import HotlineOrderInput, hotline_order_receive
from wangge.notifications.models import Notification

DELIVERIES, DESK = "/hotline/deliveries/", "/hotline/desk/"
PLACE = "/hotline/desk/place.json"
STALL = "百花里3号楼门口有人摆摊占道，堵住了小区出入口"
STALL_AGAIN = "伊河路百花里3号楼门口又有人摆摊，出入口被堵"


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def hotline_case(people: dict[str, User], order_no: str = "ZZ1", **kw: Any) -> Case:
    fields: dict[str, Any] = {
        "order_no": order_no,
        "content": STALL,
        "address": "中原区伊河路百花里3号楼",
        "category": "CSGL-01",
    }
    fields.update(kw)
    return hotline_order_receive(order=HotlineOrderInput(**fields), actor=people["admin"]).case


def failed_delivery(case: Case, kind: str = "accepted", **kw: Any) -> Delivery:
    fields: dict[str, Any] = {
        "state": "failed",
        "attempts": 12,
        "last_status_code": 503,
        "last_error": "HTTP 503: busy",
    }
    fields.update(kw)
    return Delivery.objects.create(
        case=case, order_no=case.external_id or "", kind=kind, payload={"kind": kind}, **fields
    )


# --- who may open them ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker_a", "community", "resident", "outsider"])
def test_only_dispatchers_and_admins_get_in(people: dict[str, User], who: str) -> None:
    case = hotline_case(people)
    delivery = failed_delivery(case)
    c = client_for(people[who])
    assert c.get(DELIVERIES).status_code == 403
    assert c.get(DESK).status_code == 403
    assert c.post(DESK, {"action": "lookup", "caller_phone": "13937112345"}).status_code == 403
    assert c.post(f"/hotline/deliveries/{delivery.pk}/retry/").status_code == 403
    delivery.refresh_from_db()
    assert delivery.state == "failed"
    assert c.get(PLACE, {"content": CORNER}).status_code == 403
    for ok in ("dispatcher", "admin"):
        assert client_for(people[ok]).get(DESK).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(db: Any) -> None:
    resp = Client().get(DESK)
    assert resp.status_code == 302 and resp["Location"].startswith("/accounts/login/")


# --- deliveries -------------------------------------------------------------------------------


def test_the_deliveries_page_lists_failed_and_pending_in_scope(
    people: dict[str, User], other_street: dict[str, Any]
) -> None:
    mine = hotline_case(people, "ZZ-MINE")
    failed_delivery(mine)
    Delivery.objects.create(
        case=mine,
        order_no="ZZ-MINE",
        kind="resolved",
        state="pending",
        next_attempt_at=timezone.now(),
    )
    Delivery.objects.create(case=mine, order_no="ZZ-MINE", kind="closed", state="sent")
    theirs = hotline_case(
        people,
        "ZZ-THEIRS",
        address="中原区大学路88号院2号楼",
        content="大学路88号院2号楼门口占道经营",
    )
    failed_delivery(theirs)
    page = client_for(people["dispatcher"]).get(DELIVERIES).content.decode()
    assert "ZZ-MINE" in page and "ZZ-THEIRS" not in page
    assert "推送失败" in page and "待推送" in page and "HTTP 503: busy" in page
    assert "等待本事件前一条回传推送成功" in page  # the 办结 waits behind the failed 受理
    assert page.count("重新推送</button>") == 1  # only the failed one has the button
    assert "已推送" not in page
    other = client_for(other_street["dispatcher"]).get(DELIVERIES).content.decode()
    assert "ZZ-THEIRS" in other and "ZZ-MINE" not in other


def test_the_deliveries_page_costs_the_same_queries_for_many_rows(
    people: dict[str, User], django_assert_num_queries: Any
) -> None:
    c = client_for(people["dispatcher"])
    failed_delivery(hotline_case(people, "ZZ-0"))
    c.get(DELIVERIES)  # warm the session and the user's role cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        c.get(DELIVERIES)
    for n in range(1, 6):
        failed_delivery(hotline_case(people, f"ZZ-{n}", content=f"第{n}处占道经营：{STALL}"))
    with django_assert_num_queries(len(one.captured_queries)):
        page = c.get(DELIVERIES).content.decode()
    assert page.count("重新推送</button>") == 6


def test_pushing_a_failed_delivery_again(
    people: dict[str, User], receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    delivery = failed_delivery(hotline_case(people))
    c = client_for(people["dispatcher"])
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(f"/hotline/deliveries/{delivery.pk}/retry/", follow=True)
    assert "已重新推送工单 ZZ1 的“受理”回传" in resp.content.decode()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 1)
    assert receiver.kinds == ["accepted"]
    again = c.post(f"/hotline/deliveries/{delivery.pk}/retry/", follow=True)
    assert "只有推送失败的回传可以重新推送" in again.content.decode()
    assert c.get(f"/hotline/deliveries/{delivery.pk}/retry/").status_code == 405


def test_a_delivery_out_of_scope_cannot_be_pushed(
    people: dict[str, User], other_street: dict[str, Any]
) -> None:
    theirs = failed_delivery(
        hotline_case(
            people,
            "ZZ-THEIRS",
            address="中原区大学路88号院2号楼",
            content="大学路88号院2号楼门口占道经营",
        )
    )
    resp = client_for(people["dispatcher"]).post(f"/hotline/deliveries/{theirs.pk}/retry/")
    assert resp.status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "failed"


# --- the desk ---------------------------------------------------------------------------------


def test_the_desk_shows_the_callers_history_masked_and_in_scope(
    people: dict[str, User], report: Callable[..., Case], other_street: dict[str, Any]
) -> None:
    earlier = hotline_case(
        people, "ZZ-OLD", caller_phone="13937112345", content="3号楼楼道灯坏了好几天"
    )
    elsewhere = hotline_case(
        people,
        "ZZ-FAR",
        caller_phone="13937112345",
        address="中原区大学路88号院2号楼",
        content="大学路88号院门口占道经营",
    )
    report("别人反映的问题", reporter_phone="13800001111")
    resp = client_for(people["dispatcher"]).post(
        DESK, {"action": "lookup", "caller_phone": "139 3711 2345"}
    )
    page = resp.content.decode()
    assert resp.status_code == 200
    assert "来电 139****2345 的历史诉求：1 件" in page
    assert earlier.number in page and earlier.title in page
    assert elsewhere.number not in page  # another street's case
    assert "13937112345" not in page.replace('value="139 3711 2345"', "")
    assert 'value="139 3711 2345"' in page  # what was typed stays in the form


def test_the_desk_finds_similar_open_cases_nearby(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    same = report(STALL, at=IN_A1)
    unrelated = report("3号楼暖气不热，家里只有15度", at=IN_A1, category="GN-01")
    far = report(STALL, at=IN_B1)  # grid B: about 600 m east
    closed = report(STALL, at=IN_A1)
    Case.objects.filter(pk=closed.pk).update(status="closed")
    page = (
        client_for(people["dispatcher"])
        .post(
            DESK,
            {"action": "lookup", "address": "中原区伊河路百花里3号楼", "content": STALL_AGAIN},
        )
        .content.decode()
    )
    assert "附近正在办理的相似事件" in page
    assert same.number in page and f'name="merge_into" value="{same.pk}"' in page
    assert "同一微网格" in page and "相似度" in page
    for other in (unrelated, far, closed):
        assert other.number not in page


def test_an_address_that_cannot_be_placed_says_so(people: dict[str, User]) -> None:
    page = (
        client_for(people["dispatcher"])
        .post(
            DESK,
            {"action": "lookup", "address": "某某路无名小区", "content": STALL},
        )
        .content.decode()
    )
    assert "地址无法定位到楼栋，无法查找附近事件" in page


def test_the_desk_says_where_a_described_place_will_be_inferred(
    people: dict[str, User],
) -> None:
    crossing_roads()
    c = client_for(people["dispatcher"])
    # As the operator types (hotline_desk.js asks): the content speaks while the address is
    # empty, as the intake reads a call.
    said = c.get(PLACE, {"address": "", "content": f"市民来电反映{CORNER}井盖缺失"}).json()
    assert said == {"place": f"由“{CORNER}”推定：B1 微网格"}
    assert c.get(PLACE, {"address": CORNER, "content": STALL}).json()["place"].endswith("B1 微网格")
    # A building, or a crossing on the border of two grids, is no inferred place.
    assert c.get(PLACE, {"address": "中原区伊河路百花里3号楼", "content": CORNER}).json() == {
        "place": ""
    }
    assert c.get(PLACE, {"address": CROSSING}).json() == {"place": ""}
    # The page has the line under the address; 查询 fills it without the script.
    blank = c.get(DESK).content.decode()
    line = re.compile(
        r'<p class="hint place-inferred" id="desk-place" data-url="([^"]+)"[^>]*>(.*?)</p>'
    )
    found = line.search(blank)
    assert found and found[1] == PLACE and found[2] == ""
    assert blank.index('id="id_address"') < found.start() < blank.index('id="id_content"')
    page = c.post(DESK, {"action": "lookup", "address": CORNER, "content": "井盖缺失"})
    shown = line.search(page.content.decode())
    assert shown and shown[2] == f"由“{CORNER}”推定：B1 微网格"


def test_creating_a_case_from_the_desk(people: dict[str, User]) -> None:
    c = client_for(people["dispatcher"])
    form = {
        "action": "create",
        "caller_phone": "13937112345",
        "caller_name": "李桂兰",
        "address": "中原区伊河路百花里3号楼",
        "content": STALL,
        "category": "CSGL-01",
        "order_type": "投诉",
        "urgency": "urgent",
        "street": STREET,
    }
    resp = c.post(DESK, form, follow=True)
    case = Case.objects.get()
    day = timezone.localdate().strftime("%Y%m%d")
    assert case.external_id == f"DESK-{day}-1"
    assert f"已创建事件 {case.number}（工单 DESK-{day}-1），状态：待签收" in resp.content.decode()
    assert (case.channel, case.status, case.urgency, case.request_type) == (
        "hotline",
        "dispatched",
        "urgent",
        "投诉",
    )
    recorded = HotlineOrder.objects.get()
    assert (recorded.source, recorded.reply_expected) == ("desk", False)
    assert recorded.payload["caller_phone"] == "139****2345"
    c.post(DESK, {**form, "content": "另一通来电：楼下占道"})
    assert HotlineOrder.objects.filter(order_no=f"DESK-{day}-2").exists()


def test_the_desk_sends_an_unplaceable_call_to_the_chosen_street(people: dict[str, User]) -> None:
    client_for(people["dispatcher"]).post(
        DESK,
        {
            "action": "create",
            "address": "某某路无名小区",
            "content": "小区门口积水严重",
            "category": "CSGL-01",
            "street": STREET,
        },
    )
    case = Case.objects.get()
    assert (case.status, case.street is not None and case.street.code) == ("pending", STREET)
    assert case.events.filter(action="triage").exists()


def test_merging_a_call_into_an_open_case(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    parent = report(STALL, at=IN_A1)
    told = set(Notification.objects.values_list("pk", flat=True))
    resp = client_for(people["dispatcher"]).post(
        DESK,
        {
            "caller_phone": "13937112345",
            "address": "中原区伊河路百花里3号楼",
            "content": STALL_AGAIN,
            "category": "CSGL-01",
            "street": STREET,
            "merge_into": str(parent.pk),
        },
        follow=True,
    )
    call = Case.objects.exclude(pk=parent.pk).get()
    assert (call.status, call.parent) == ("merged", parent)
    assert f"来电已登记为事件 {call.number}，并合并到事件 {parent.number}" in resp.content.decode()
    assert CaseEvent.objects.filter(case=parent, action="merged_in").exists()
    assert call.handling_node is None  # never dispatched: no handler was told about it
    assert not Notification.objects.exclude(pk__in=told).filter(title__startswith="新派单").exists()


def test_a_merge_the_dispatcher_may_not_make_creates_nothing(
    people: dict[str, User], report: Callable[..., Case], other_street: dict[str, Any]
) -> None:
    parent = report(STALL, at=IN_A1)
    resp = client_for(people["dispatcher"]).post(
        DESK,
        {
            "address": "中原区大学路88号院2号楼",
            "content": STALL_AGAIN,
            "category": "CSGL-01",
            "merge_into": str(parent.pk),
        },
    )
    assert resp.status_code == 200
    assert "不在您的分拨范围内" in resp.content.decode()
    assert Case.objects.count() == 1 and not HotlineOrder.objects.exists()


def test_form_errors_come_back_in_chinese_with_what_was_typed(people: dict[str, User]) -> None:
    c = client_for(people["dispatcher"])
    page = c.post(
        DESK,
        {
            "action": "create",
            "caller_name": "李桂兰",
            "caller_phone": "12345",
            "address": "中原区伊河路百花里3号楼",
        },
    ).content.decode()
    assert "请填写诉求内容" in page and "请输入有效的手机号码" in page
    assert 'value="李桂兰"' in page and 'value="12345"' in page
    assert 'value="中原区伊河路百花里3号楼"' in page
    empty = c.post(DESK, {"action": "lookup"}).content.decode()
    assert "请填写来电号码查看历史诉求" in empty
    bad_no = c.post(
        DESK, {"action": "create", "order_no": "工单 1", "content": STALL}
    ).content.decode()
    assert "工单编号只能包含字母、数字" in bad_no and STALL in bad_no
    assert not Case.objects.exists()


def test_an_order_number_taken_by_different_content_is_a_form_error(
    people: dict[str, User],
) -> None:
    hotline_case(people, "ZZ-SAME")
    page = (
        client_for(people["dispatcher"])
        .post(DESK, {"action": "create", "order_no": "ZZ-SAME", "content": "完全不同的内容"})
        .content.decode()
    )
    assert "外部编号“ZZ-SAME”已存在且内容不同" in page
    assert Case.objects.count() == 1
