"""The whole exchange with a city's 12345 platform, against its stand-in (fake_platform.py).

Every message both ways goes over the wire: the platform's orders and messages through our API
(token, signature, validation), ours to its HTTP port (signed, checked there). A message sent
twice changes nothing the second time; a bad one is a 422 naming its field.
"""

import base64
import io
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from tests.hotline.conftest import SECRET
from tests.hotline.fake_platform import FakePlatform, PlatformOrder, order_body, sign
from wangge.accounts.models import User
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Status
from wangge.cases.selectors import worker_queue
from wangge.cases.services import case_act
from wangge.cases.workflow import allowed_actions
from wangge.core.images import clean_bytes
from wangge.hotline import callback
from wangge.hotline.models import Delivery, HotlineOrder, InboundMessage, Recording
from wangge.hotline.tasks import deliveries_sweep
from wangge.notifications.models import Notification

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 9, 30, tzinfo=SHANGHAI)  # a Monday
ORDER_NO = "ZZ20261123000123"


def jpeg(colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


# An MP3 as telephone systems write it: an ID3 header, then frames.
MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


@pytest.fixture
def clock() -> Iterator[Any]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committing(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """Run what a real commit would run (the send task, in huey's immediate mode)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def new_order(**kw: Any) -> PlatformOrder:
    fields: dict[str, Any] = {
        "orderNum": ORDER_NO,
        "majorContent": "伊河路百花里3号楼门口有人摆摊占道，堵住了小区出入口",
    }
    fields.update(kw)
    return PlatformOrder(**fields)


def issued(platform: FakePlatform, committing: Callable[[], Any], **kw: Any) -> Case:
    with committing():
        resp = platform.issue(new_order(**kw))
    assert resp.status_code == 201, resp.content
    return Case.objects.get(pk=resp.json()["case_id"])


def act(case: Case, who: User, action: str, note: str = "", **params: Any) -> Case:
    return case_act(case_id=case.pk, actor=who, action=action, note=note, params=params)


def timeline(case: Case) -> list[str]:
    return list(case.events.order_by("pk").values_list("action", flat=True))


def inbox(user: User) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


# --- the order --------------------------------------------------------------------------------


def test_an_order_with_every_field_and_its_files_becomes_one_case(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    photo = jpeg()
    case = issued(
        platform,
        committing,
        title="百花里3号楼门口占道经营",
        isSecret=True,
        isVisit=False,
        handleDays=3,
        handleUnit="工作日",
        dispatchAdvice="请会同物业劝离，并回复处理结果",
        files=[("现场.jpg", "image/jpeg", photo), ("录音.mp3", "audio/mpeg", MP3)],
    )
    assert case.title == "百花里3号楼门口占道经营"
    assert case.is_confidential and case.status == Status.DISPATCHED
    # 3 working days from Monday 09:30 (7-hour days): Thursday 09:30, the platform's limit.
    assert case.due_at == datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI)
    assert case.requested_due_at == case.due_at
    note = case.events.get(action="sender_note", note__contains="派单意见").note
    assert "请会同物业劝离" in note and "3 个工作日" in note and "无需回访" in note
    assert case.events.filter(note__contains="来件方要求保密").exists()
    order = HotlineOrder.objects.get()
    assert order.needs_reply is False
    [stored] = order.payload["attachments"][:1]
    assert stored["size"] == len(photo) and "content" not in stored
    assert "13937112345" not in str(order.payload)
    [report_photo] = CaseAttachment.objects.filter(case=case)
    assert report_photo.kind == "report" and report_photo.event is not None
    assert report_photo.event.action == "intake"
    [recording] = Recording.objects.filter(case=case)
    assert (recording.mime_type, recording.size, recording.file_name) == (
        "audio/mpeg",
        len(MP3),
        "录音.mp3",
    )
    assert recording.file.name.startswith(f"hotline/{case.pk}/") and recording.file.name.endswith(
        ".mp3"
    )

    # The platform sends the order again: the same case, nothing stored twice.
    events = timeline(case)
    with committing():
        again = platform.issue(
            new_order(
                title="百花里3号楼门口占道经营",
                isSecret=True,
                isVisit=False,
                handleDays=3,
                files=[("现场.jpg", "image/jpeg", photo), ("录音.mp3", "audio/mpeg", MP3)],
            )
        )
    assert again.status_code == 200 and again.json()["case_id"] == case.pk
    assert timeline(case) == events
    assert CaseAttachment.objects.count() == 1 and Recording.objects.count() == 1


def test_an_absolute_deadline_wins_over_a_count_of_days(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(
        platform, committing, handleDays=10, handleUnit="自然日", deadlineDate="2026-11-25 17:00:00"
    )
    assert case.due_at == datetime(2026, 11, 25, 17, 0, tzinfo=SHANGHAI)


def test_natural_days_count_the_weekend(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing, handleDays=7, handleUnit="自然日")
    assert case.due_at == T0 + timedelta(days=7)


def test_an_order_without_visit_closes_at_verification(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing, isVisit=False)
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "resolve", result="已劝离摊贩")
        act(case, people["dispatcher"], "verify_pass")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    verified = case.events.get(action="verify_pass")
    assert verified.data["followup_waived"] == "12345工单无需回访"
    assert platform.kinds == ["accepted", "resolved", "closed"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"is_secret": "也许"}, "是否保密（is_secret"),
        ({"handle_days": 0}, "办理时限天数（handle_days"),
        ({"handle_unit": "小时"}, "办理时限单位（handle_unit"),
        ({"title": "长" * 121}, "工单标题（title"),
        (
            {"attachments": [{"file_name": "a.jpg", "mime_type": "image/jpeg", "content": "%%%"}]},
            "附件（attachments",
        ),
        (
            {"attachments": [{"file_name": "a.amr", "mime_type": "audio/amr", "content": "AAAA"}]},
            "类型 audio/amr 不受支持",
        ),
        (
            {
                "attachments": [
                    {
                        "file_name": "a.mp3",
                        "mime_type": "audio/mpeg",
                        "content": base64.b64encode(b"not a recording").decode(),
                    }
                ]
            },
            "的内容不是 audio/mpeg 文件",
        ),
    ],
)
def test_a_bad_order_field_is_named_in_chinese(
    people: dict[str, User], platform: FakePlatform, change: dict[str, Any], named: str
) -> None:
    body = {**order_body(new_order()), **change}
    resp = platform._post("orders", body)
    assert resp.status_code == 422, resp.content
    assert resp.json()["detail"].startswith("工单参数不正确：")
    assert named in resp.json()["detail"]
    assert not Case.objects.exists()


def test_an_unsigned_or_badly_signed_body_is_refused_when_a_key_is_set(
    people: dict[str, User], platform: FakePlatform
) -> None:
    unsigned = platform.issue(new_order(), signed=False)
    assert unsigned.status_code == 401
    assert "签名校验失败" in unsigned.json()["detail"]
    platform.key = "another-key"
    assert platform.issue(new_order()).status_code == 401
    assert not Case.objects.exists()


# --- our messages to the platform ---------------------------------------------------------------


def test_accepted_resolved_with_photos_and_closed_reach_the_platform_signed(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    after = jpeg("green")
    with committing():
        act(case, people["worker_a"], "sign")
        case_act(
            case_id=case.pk,
            actor=people["worker_a"],
            action="resolve",
            params={"result": "已劝离摊贩，出入口已畅通"},
            photos=[clean_bytes(after)],
        )
        act(case, people["dispatcher"], "verify_pass")
        act(
            case,
            people["dispatcher"],
            "follow_up",
            reached=True,
            contacted=True,
            solved=True,
            satisfaction="satisfied",
        )
    assert platform.kinds == ["accepted", "resolved", "closed"]
    accepted, resolved, closed = platform.received
    assert accepted.platform_fields["handler"] == "周敏"
    fields = resolved.platform_fields
    assert fields["result"] == "已劝离摊贩，出入口已畅通"
    [photo] = fields["photos"]
    assert Image.open(io.BytesIO(photo)).format == "JPEG"
    assert resolved.body["photos"][0]["mime_type"] == "image/jpeg"
    assert resolved.body["photos"][0]["size"] == len(photo)
    # The row keeps which photo, not its bytes.
    row = Delivery.objects.get(kind="resolved")
    assert "content" not in str(row.payload) and row.payload["photos"][0]["attachment_id"]
    assert {r.headers["X-Wangge-Delivery"] for r in platform.received} == {
        str(pk) for pk in Delivery.objects.values_list("pk", flat=True)
    }
    assert closed.body["satisfaction_label"] == "满意"


def test_an_extension_request_goes_to_the_platform_and_its_approval_moves_the_deadline(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    due = case.due_at
    assert due is not None
    until = due + timedelta(days=7)
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "request_extension", "需协调城管执法", until=until)
    [request] = platform.of_kind("extension")
    fields = request.platform_fields
    assert fields["delayReason"] == "需协调城管执法"
    assert fields["delayDeadlineDate"] == until.astimezone(SHANGHAI).isoformat()
    assert fields["delayDays"] == 5  # seven calendar days across a weekend
    granted = until + timedelta(days=1)
    with committing():
        reply = platform.send(
            "delay_reply",
            ORDER_NO,
            "D1",
            result="批准",
            newDeadline=granted.isoformat(),
            opinion="同意延期",
        )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["outcome"], body["kind"], body["case_number"]) == (
        "applied",
        "extension_reply",
        case.number,
    )
    case.refresh_from_db()
    assert case.due_at == granted and case.extension_count == 1
    approve = case.events.get(action="approve_extension")
    assert approve.actor_label == "12345热线平台" and approve.note == "同意延期"
    assert "延期已批准：" + case.title in inbox(people["worker_a"])
    # The platform's own decision is not reported back to it.
    assert platform.kinds == ["accepted", "extension"]
    # Sent again: the same answer, nothing done twice.
    events = timeline(case)
    again = platform.send(
        "delay_reply",
        ORDER_NO,
        "D1",
        result="批准",
        newDeadline=granted.isoformat(),
        opinion="同意延期",
    )
    assert again.status_code == 200 and again.json() == body
    assert timeline(case) == events
    assert InboundMessage.objects.get().deliveries_count == 2


def test_a_refused_extension_leaves_the_deadline(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    due = case.due_at
    assert due is not None
    with committing():
        act(case, people["worker_a"], "sign")
        act(
            case, people["worker_a"], "request_extension", "等待配件", until=due + timedelta(days=2)
        )
    reply = platform.send("delay_reply", ORDER_NO, result="不批准", opinion="请按期办结")
    assert reply.status_code == 201 and reply.json()["outcome"] == "applied"
    case.refresh_from_db()
    assert case.due_at == due and case.extension_requested_until is None
    assert case.events.get(action="reject_extension").note == "请按期办结"
    # A second 批复 has no request to answer: recorded, not refused.
    late = platform.send("delay_reply", ORDER_NO, result="批准")
    assert late.status_code == 201 and late.json()["outcome"] == "recorded"
    case.refresh_from_db()
    assert case.due_at == due


def test_a_return_reaches_the_platform_with_its_reason(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "return", "该地址属于商圈物业管理范围")
    assert platform.kinds == ["accepted", "returned"]
    assert platform.of_kind("returned")[0].platform_fields["returnReason"] == (
        "该地址属于商圈物业管理范围"
    )


def test_a_progress_reply_reaches_the_platform(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "progress", "已联系城管中队，明日上午联合劝离")
    [progress] = platform.of_kind("progress")
    assert progress.platform_fields["replyContent"] == "已联系城管中队，明日上午联合劝离"
    assert progress.body["kind_label"] == "阶段性回复"


def test_a_matter_not_for_the_grid_is_referred_back_to_the_platform(
    people: dict[str, User], platform: FakePlatform, committing: Any, client: Any
) -> None:
    # Nowhere we can place: it waits at the desk of the street the order names.
    case = issued(
        platform, committing, address="中原区某某路无名小区后面的空地", organizationCode="410102001"
    )
    assert case.status == Status.PENDING
    assert "refer" not in allowed_actions(case, people["worker_a"])
    assert "refer" in allowed_actions(case, people["dispatcher"])
    client.force_login(people["dispatcher"])
    with committing():
        resp = client.post(
            f"/cases/{case.pk}/act/",
            {
                "action": "refer",
                "note": "属于劳动仲裁事项，非网格职责",
                "unit": "区劳动人事争议仲裁院",
            },
        )
    assert resp.status_code == 302, resp.content
    case.refresh_from_db()
    assert case.status == Status.REFERRED
    assert (case.handling_node, case.assignee, case.due_at) == (None, None, None)
    refer = case.events.get(action="refer")
    assert refer.data["unit"] == "区劳动人事争议仲裁院"
    [referred] = platform.of_kind("referred")
    assert referred.platform_fields == {
        "returnReason": "属于劳动仲裁事项，非网格职责",
        "targetUnit": "区劳动人事争议仲裁院",
    }
    assert not worker_queue(people["worker_a"]).filter(pk=case.pk).exists()


def test_a_refusal_the_platform_will_repeat_fails_at_once_and_a_busy_one_is_retried(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    # 500: busy; tried again after the back-off.
    platform.fail_next = 1
    with committing():
        act(case, people["worker_a"], "sign")
    delivery = Delivery.objects.get(kind="accepted")
    assert (delivery.state, delivery.last_status_code) == ("pending", 500)
    clock.shift(timedelta(seconds=30))
    with committing():
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == "sent" and platform.kinds == ["accepted"]
    # 401: the platform holds another key; a person must look, not twelve more tries.
    platform.key = "rotated-key"
    with committing():
        act(case, people["worker_a"], "progress", "正在协调")
    progress = Delivery.objects.get(kind="progress")
    assert (progress.state, progress.attempts, progress.last_status_code) == ("failed", 1, 401)
    assert "签名错误" in progress.last_error


def test_an_order_the_platform_does_not_know_is_a_404_there(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    platform.orders.clear()  # e.g. a test order, or one the platform archived
    with committing():
        act(case, people["worker_a"], "sign")
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_status_code) == ("failed", 404)


def test_a_slow_platform_is_an_attempt_timed_out_and_tried_again(
    people: dict[str, User],
    platform: FakePlatform,
    committing: Any,
    clock: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = issued(platform, committing)
    monkeypatch.setattr(callback, "TIMEOUT_SECONDS", 0.2)
    platform.delay = 1.0
    with committing():
        act(case, people["worker_a"], "sign")
    delivery = Delivery.objects.get()
    assert delivery.state == "pending" and "Timeout" in delivery.last_error
    platform.delay = 0
    clock.shift(timedelta(seconds=30))
    with committing():
        deliveries_sweep()
    delivery.refresh_from_db()
    assert delivery.state == "sent"
    # The slow first attempt may have reached the platform too: it keeps it once.
    assert platform.kinds == ["accepted"]


def test_the_same_message_id_with_other_content_is_a_409_at_the_platform(
    people: dict[str, User], platform: FakePlatform
) -> None:
    platform.orders["X1"] = new_order(orderNum="X1")
    body = b'{"order_no":"X1","kind":"accepted"}'
    other = b'{"order_no":"X1","kind":"resolved"}'
    headers = {"X-Wangge-Delivery": "7"}
    assert platform.answer({**headers, "X-Wangge-Signature": sign_(body)}, body)[0] == 200
    assert platform.answer({**headers, "X-Wangge-Signature": sign_(body)}, body)[0] == 200
    assert platform.answer({**headers, "X-Wangge-Signature": sign_(other)}, other)[0] == 409
    assert len(platform.received) == 1


def sign_(body: bytes) -> str:
    return sign(body, SECRET)


# --- the platform's messages --------------------------------------------------------------------


def test_an_urge_reaches_the_handler_and_a_supervision_marks_the_case(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    resp = platform.send("urge", ORDER_NO, "U1", text="群众再次来电催办", urgeOrderNum="CB-2")
    assert resp.status_code == 201, resp.content
    assert resp.json()["outcome"] == "applied"
    urge = case.events.get(action="urge")
    assert urge.actor_label == "12345热线平台" and "群众再次来电催办" in urge.note
    assert "CB-2" in urge.note
    assert "催办：" + case.title in inbox(people["worker_a"])
    sup = platform.send("urge", ORDER_NO, "U2", text="请加快办理", isSupervise=True)
    assert sup.status_code == 201
    case.refresh_from_db()
    assert case.supervised
    assert case.events.filter(action="supervise").count() == 1
    # Twice: the same answer, no second card or message.
    before = (timeline(case), inbox(people["worker_a"]))
    again = platform.send("urge", ORDER_NO, "U2", text="请加快办理", isSupervise=True)
    assert again.status_code == 200 and again.json() == sup.json()
    assert (timeline(case), inbox(people["worker_a"])) == before
    # The same id, other words: refused.
    changed = platform.send("urge", ORDER_NO, "U2", text="另一条内容", isSupervise=True)
    assert changed.status_code == 409
    assert "已收到且内容不同" in changed.json()["detail"]
    # Nothing goes back for what the platform did itself.
    assert platform.kinds == []


def test_an_urge_before_dispatch_goes_to_the_desk(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    case = issued(
        platform, committing, address="中原区某某路无名小区后面的空地", organizationCode="410102001"
    )
    resp = platform.send("urge", ORDER_NO, text="请尽快派单")
    assert resp.json()["outcome"] == "recorded"
    assert case.events.filter(action="sender_note", note__contains="请尽快派单").exists()
    assert any("12345催办" in t for t in inbox(people["dispatcher"]))


def _to_verified(case: Case, people: dict[str, User], committing: Any) -> None:
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "resolve", result="已劝离摊贩")
        act(case, people["dispatcher"], "verify_pass")


def test_a_satisfied_visit_closes_the_case(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    _to_verified(case, people, committing)
    with committing():
        resp = platform.send(
            "visit",
            ORDER_NO,
            "V1",
            contacted="是",
            visitIsSolved="是",
            satisfaction="满意",
            visitContent="群众表示满意",
        )
    assert resp.status_code == 201, resp.content
    assert (resp.json()["outcome"], resp.json()["status"]) == ("applied", "closed")
    case.refresh_from_db()
    assert (case.satisfaction, case.followup_solved, case.followup_contacted) == (
        "satisfied",
        True,
        None,  # the platform did not ask whether the handler called
    )
    assert "群众表示满意" in case.followup_note
    assert platform.kinds == ["accepted", "resolved"]  # no 结案 echoed back


def test_an_unsatisfied_visit_reopens_the_case_with_a_new_deadline_and_keeps_its_history(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    _to_verified(case, people, committing)
    clock.shift(timedelta(days=1))
    with committing():
        resp = platform.send(
            "visit",
            ORDER_NO,
            "V1",
            contacted=True,
            visitIsSolved=False,
            satisfaction="不满意",
            visitContent="摊贩又回来了",
            rehandleDays=2,
        )
    assert resp.json()["outcome"] == "applied"
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.reopen_count == 1
    # Two working days from Tuesday 09:30.
    assert case.due_at == datetime(2026, 11, 26, 9, 30, tzinfo=SHANGHAI)
    assert timeline(case)[-2:] == ["follow_up", "reopen"]
    assert {"sign", "resolve", "verify_pass"} <= set(timeline(case))
    assert "重办：" + case.title in inbox(people["worker_a"])
    # The handler works it again; the platform hears that as before.
    with committing():
        act(case, people["worker_a"], "sign")
    assert platform.kinds == ["accepted", "resolved", "accepted"]


def test_an_unsatisfied_visit_before_verification_sends_it_back_to_the_handler(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    with committing():
        act(case, people["worker_a"], "sign")
        act(case, people["worker_a"], "resolve", result="已劝离")
    resp = platform.send(
        "visit", ORDER_NO, contacted=True, visitIsSolved=False, satisfaction="不满意"
    )
    assert resp.json()["outcome"] == "applied"
    case.refresh_from_db()
    assert (case.status, case.rework_count) == (Status.SIGNED, 1)


def test_a_visit_while_the_case_is_in_hand_is_recorded(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    resp = platform.send("visit", ORDER_NO, contacted=True, visitIsSolved=True, satisfaction="满意")
    assert resp.json()["outcome"] == "recorded"
    case.refresh_from_db()
    assert case.status == Status.DISPATCHED and case.satisfaction == ""
    assert case.events.filter(action="sender_note", note__contains="12345回访").exists()


def test_a_cancellation_voids_the_case_from_any_open_state_and_tells_the_handler(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    with committing():
        act(case, people["worker_a"], "sign")
    resp = platform.send("cancel", ORDER_NO, "C1", reason="诉求人来电表示问题已自行解决")
    assert resp.status_code == 201 and resp.json()["outcome"] == "applied"
    case.refresh_from_db()
    assert case.status == Status.VOIDED
    withdraw = case.events.get(action="withdraw")
    assert withdraw.from_status == "signed" and "已自行解决" in withdraw.note
    assert "已撤单，请停止办理：" + case.title in inbox(people["worker_a"])
    again = platform.send("cancel", ORDER_NO, "C1", reason="诉求人来电表示问题已自行解决")
    assert again.status_code == 200 and again.json() == resp.json()
    late = platform.send("cancel", ORDER_NO, "C2", reason="重复撤单")
    assert late.json()["outcome"] == "recorded"
    assert platform.kinds == ["accepted"]


def test_a_supplement_and_a_duplicate_reach_the_timeline_and_the_handler(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    resp = platform.send("supplement", ORDER_NO, content="摊位晚上也在，还有油烟")
    assert resp.status_code == 201 and resp.json()["outcome"] == "applied"
    dup = platform.send("supplement", ORDER_NO, repeatOrderNum="ZZ20261123000999")
    assert dup.status_code == 201
    rows = list(case.events.filter(action="supplement").order_by("pk"))
    assert [r.note for r in rows] == ["摊位晚上也在，还有油烟", "重复件：工单 ZZ20261123000999"]
    assert rows[1].data["duplicate_order_no"] == "ZZ20261123000999"
    assert inbox(people["worker_a"]).count("补充诉求：" + case.title) == 2


def test_attachments_sent_later_are_kept_once(
    people: dict[str, User], platform: FakePlatform, committing: Any, clock: Any
) -> None:
    case = issued(platform, committing)
    files = [("补拍.jpg", "image/jpeg", jpeg("blue")), ("通话.mp3", "audio/mpeg", MP3)]
    resp = platform.send("attachments", ORDER_NO, "F1", files=files, remark="诉求人补充")
    assert resp.status_code == 201, resp.content
    event = case.events.get(action="attachments")
    assert "照片 1 张，录音 1 段" in event.note and "诉求人补充" in event.note
    assert list(event.attachments.values_list("kind", flat=True)) == ["report"]
    recording = Recording.objects.get(case=case)
    assert recording.message is not None and recording.message.message_id == "F1"
    # The same files in another message: nothing new stored.
    platform.send("attachments", ORDER_NO, "F2", files=files)
    assert CaseAttachment.objects.filter(case=case).count() == 1
    assert Recording.objects.filter(case=case).count() == 1


def test_a_message_about_an_unknown_order_is_a_404(
    people: dict[str, User], platform: FakePlatform
) -> None:
    resp = platform.send("urge", "ZZ404", text="催办")
    assert resp.status_code == 404
    assert resp.json()["detail"] == "工单“ZZ404”不存在"
    assert not InboundMessage.objects.exists()


@pytest.mark.parametrize(
    ("kind", "fields", "named"),
    [
        ("urge", {"text": ""}, "内容（text）"),
        ("urge", {"text": "催办", "isSupervise": "也许"}, "是否督办（is_supervise"),
        ("visit", {"contacted": True, "satisfaction": "很好"}, "满意度（satisfaction"),
        ("visit", {"contacted": True, "satisfaction": "满意"}, "问题是否解决（visit_is_solved）"),
        ("cancel", {}, "撤单原因（reason"),
        ("supplement", {}, "重复件工单编号（duplicate_order_no）须至少填写一项"),
        ("attachments", {"files": []}, "附件（attachments"),
        ("delay_reply", {"result": "同意"}, "批复结果（result"),
    ],
)
def test_a_bad_message_is_a_422_naming_the_field(
    people: dict[str, User],
    platform: FakePlatform,
    committing: Any,
    kind: str,
    fields: dict[str, Any],
    named: str,
) -> None:
    issued(platform, committing)
    resp = platform.send(kind, ORDER_NO, **fields)
    assert resp.status_code == 422, resp.content
    assert resp.json()["detail"].startswith("消息参数不正确：")
    assert named in resp.json()["detail"]
    assert not InboundMessage.objects.exists()


def test_a_message_id_must_be_a_plain_key(people: dict[str, User], platform: FakePlatform) -> None:
    resp = platform.send("urge", ORDER_NO, "id with spaces", text="催办")
    assert resp.status_code == 422
    assert "消息编号（message_id" in resp.json()["detail"]


def test_only_the_desk_and_administrators_may_send_messages(
    people: dict[str, User], platform: FakePlatform, committing: Any
) -> None:
    from wangge.accounts.services import api_token_create

    issued(platform, committing)
    _row, key = api_token_create(user=people["worker_a"], name="not the platform")
    platform.token = key
    resp = platform.send("urge", ORDER_NO, text="催办")
    assert resp.status_code == 403
    assert not CaseEvent.objects.filter(action="urge").exists()
