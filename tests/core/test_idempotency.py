"""Work a phone queued offline is written once, however often its outbox sends it.

For each endpoint the staff outbox posts to: the same key twice is one row and the same answer;
another key is a second row; on PostgreSQL, duplicates sent at the same moment are one row.
Conflicts (the case was transferred or closed meanwhile) come back as a 409 in words.
"""

import io
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.conftest import IN_A1
from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.ledgers.conftest import checklist  # noqa: F401  (shared fixture)
from tests.residents.conftest import register  # noqa: F401  (shared fixture)
from wangge.accounts.models import User
from wangge.cases.models import Case, CaseAttachment, CaseEvent, Status
from wangge.cases.services import case_act
from wangge.core.errors import Conflict
from wangge.core.idempotency import run_once
from wangge.core.models import IdempotencyKey
from wangge.ledgers.models import ChecklistTemplate, Inspection
from wangge.patrols.models import Finding, Patrol, TrackPoint
from wangge.patrols.services import patrol_start
from wangge.residents.models import Visit, VisitPhoto


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def key() -> str:
    return str(uuid.uuid4())


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (80, 120, 40)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def post(user: User, url: str, data: dict[str, Any], k: str, **kw: Any) -> Any:
    return client_for(user).post(url, data, HTTP_IDEMPOTENCY_KEY=k, **kw)


# ---------------------------------------------------------------- the mechanism


def test_run_once_runs_the_work_once_per_actor_and_key(people: dict[str, User]) -> None:
    calls: list[int] = []

    def work() -> tuple[int, dict[str, int]]:
        calls.append(1)
        return 201, {"n": len(calls)}

    me, other = people["worker_a"].pk, people["worker_b"].pk
    first = run_once(actor_id=me, key="key-00001", scope="s", work=work)
    again = run_once(actor_id=me, key="key-00001", scope="s", work=work)
    assert first == again == (201, {"n": 1}) and len(calls) == 1
    # Another key, or the same key from someone else, is other work.
    assert run_once(actor_id=me, key="key-00002", scope="s", work=work) == (201, {"n": 2})
    assert run_once(actor_id=other, key="key-00001", scope="s", work=work) == (201, {"n": 3})
    assert IdempotencyKey.objects.count() == 3


def test_a_refusal_is_an_answer_kept_for_the_repeat_and_a_crash_keeps_nothing(
    people: dict[str, User],
) -> None:
    me = people["worker_a"].pk
    outcomes: list[Any] = [Conflict("该事件已结案"), (201, {"ok": True})]

    def work() -> tuple[int, Any]:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome  # type: ignore[no-any-return]

    assert run_once(actor_id=me, key="refused-1", scope="s", work=work) == (
        409,
        {"detail": "该事件已结案"},
    )
    # The repeat is told the same, even though the work would now succeed.
    assert run_once(actor_id=me, key="refused-1", scope="s", work=work) == (
        409,
        {"detail": "该事件已结案"},
    )
    assert outcomes == [(201, {"ok": True})]

    def crash() -> tuple[int, Any]:
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        run_once(actor_id=me, key="crashed-1", scope="s", work=crash)
    assert not IdempotencyKey.objects.filter(key="crashed-1").exists()
    assert run_once(actor_id=me, key="crashed-1", scope="s", work=work) == (201, {"ok": True})


def test_a_key_used_for_another_operation_or_malformed_is_refused(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    worker = people["worker_a"]
    k = key()
    resp = post(worker, f"/api/v1/cases/{case.pk}/actions", {"action": "sign"}, k)
    assert resp.status_code == 200
    other = report("楼道里堆满了杂物，消防通道被堵")
    resp = post(worker, f"/api/v1/cases/{other.pk}/actions", {"action": "sign"}, k)
    assert resp.status_code == 422 and "已用于另一项操作" in resp.json()["detail"]
    other.refresh_from_db()
    assert other.status == Status.DISPATCHED
    resp = post(worker, f"/api/v1/cases/{other.pk}/actions", {"action": "sign"}, "x y")
    assert resp.status_code == 422 and "请求编号格式不正确" in resp.json()["detail"]


def test_an_item_made_by_someone_else_on_a_shared_phone_is_refused_unwritten(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    """The outbox sends the owner of each item; signed in as another, it is a 401 (the phone
    keeps the item and asks its owner to sign in), never a write under the wrong name."""
    case = report()
    # The grid's leader may sign this case too: what keeps the item from being written under
    # the leader's name is only that it is not theirs.
    owner, other = people["worker_a"], people["grid_leader_a"]
    url = f"/api/v1/cases/{case.pk}/actions"
    k = key()
    # The leader is signed in now, but the item is worker_a's.
    resp = post(other, url, {"action": "sign"}, k, HTTP_X_OUTBOX_OWNER=str(owner.pk))
    assert resp.status_code == 401 and "另一个账号" in resp.json()["detail"]
    assert not CaseEvent.objects.filter(case=case, action="sign").exists()
    assert not IdempotencyKey.objects.exists()
    # Its owner signed in again: written once.
    resp = post(owner, url, {"action": "sign"}, k, HTTP_X_OUTBOX_OWNER=str(owner.pk))
    assert resp.status_code == 200
    assert CaseEvent.objects.filter(case=case, action="sign", actor=owner).count() == 1


# ---------------------------------------------------------------- case actions


def test_resolve_sent_twice_with_one_key_closes_the_case_once(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    worker = people["worker_a"]
    case_act(case_id=case.pk, actor=worker, action="sign")
    url = f"/api/v1/cases/{case.pk}/actions"
    k = key()
    first = post(worker, url, {"action": "resolve", "result": "已劝离摊贩", "photos": [jpeg()]}, k)
    again = post(worker, url, {"action": "resolve", "result": "已劝离摊贩", "photos": [jpeg()]}, k)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["status"] == Status.RESOLVED
    assert CaseEvent.objects.filter(case=case, action="resolve").count() == 1
    assert CaseAttachment.objects.filter(case=case, kind="after").count() == 1
    # A second resolve with a new key is a new request, and the case has moved on: said so.
    third = post(worker, url, {"action": "resolve", "result": "已劝离摊贩"}, key())
    assert third.status_code == 409
    assert third.json()["detail"] == "该事件已是“已办结待核查”，不能再办结"
    assert CaseEvent.objects.filter(case=case, action="resolve").count() == 1


def test_sign_with_another_key_is_a_second_request(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    worker = people["worker_a"]
    url = f"/api/v1/cases/{case.pk}/actions"
    assert post(worker, url, {"action": "sign"}, key()).status_code == 200
    # The note (联系诉求人) is a second action of its own, written once per key.
    k = key()
    for _ in range(2):
        resp = post(worker, url, {"action": "contact", "note": "电话联系，已说明处理进度"}, k)
        assert resp.status_code == 200
    assert CaseEvent.objects.filter(case=case, action="sign").count() == 1
    assert CaseEvent.objects.filter(case=case, action="contact").count() == 1


def test_progress_goes_with_photos_and_the_page_offers_them(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    worker = people["worker_a"]
    case_act(case_id=case.pk, actor=worker, action="sign")
    resp = post(
        worker,
        f"/api/v1/cases/{case.pk}/actions",
        {"action": "contact", "note": "已联系物业，明天清运", "photos": [jpeg(), jpeg()]},
        key(),
    )
    assert resp.status_code == 200
    event = CaseEvent.objects.get(case=case, action="contact")
    assert event.attachments.count() == 2
    # The 联系诉求人 form on the page has the camera as its photo source.
    page = client_for(worker).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="contact-photos"' in page and 'capture="environment"' in page


def test_an_action_on_a_case_transferred_meanwhile_is_a_409_naming_the_new_unit(
    people: dict[str, User], report: Callable[..., Case]
) -> None:
    case = report()
    worker = people["worker_a"]
    case_act(case_id=case.pk, actor=worker, action="sign")
    # While the worker is in the basement, the community takes the case over.
    community = people["community"].grants.get().node
    case_act(
        case_id=case.pk,
        actor=people["dispatcher"],
        action="transfer",
        note="需社区协调",
        params={"node": community.code},
    )
    resp = post(
        worker, f"/api/v1/cases/{case.pk}/actions", {"action": "resolve", "result": "已处理"}, key()
    )
    assert resp.status_code == 409
    assert resp.json()["detail"] == f"该事件现由{community.name}办理，您不能再办结"
    assert not CaseEvent.objects.filter(case=case, action="resolve").exists()


# ---------------------------------------------------------------- patrols


def track(n: int, offset: float = 0.0) -> dict[str, Any]:
    from django.utils import timezone

    now = timezone.now()
    return {
        "points": [
            {"at": now.isoformat(), "lon": IN_A1[0] + offset + i * 1e-5, "lat": IN_A1[1]}
            for i in range(n)
        ]
    }


def test_a_track_batch_sent_twice_is_kept_once(people: dict[str, User]) -> None:
    worker = people["worker_a"]
    patrol = patrol_start(actor=worker)
    url = f"/api/v1/patrols/{patrol.pk}/track"
    body, k = track(20), key()
    first = post(worker, url, body, k, content_type="application/json")
    again = post(worker, url, body, k, content_type="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() == {"kept": 20}
    assert TrackPoint.objects.filter(patrol=patrol).count() == 20
    post(worker, url, track(5, 0.001), key(), content_type="application/json")
    assert TrackPoint.objects.filter(patrol=patrol).count() == 25


def test_a_finding_sent_twice_is_one_case(people: dict[str, User]) -> None:
    worker = people["worker_a"]
    patrol = patrol_start(actor=worker)
    url = f"/api/v1/patrols/{patrol.pk}/findings"

    def form() -> dict[str, Any]:
        return {
            "hazard": "flying_wire",
            "description": "3号楼1单元门口电动车飞线充电",
            "lon": str(IN_A1[0]),
            "lat": str(IN_A1[1]),
            "photos": [jpeg()],
        }

    k = key()
    first, again = post(worker, url, form(), k), post(worker, url, form(), k)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    finding = Finding.objects.get()
    assert first.json()["case_number"] == finding.case.number
    assert finding.case.attachments.count() == 1
    assert post(worker, url, form(), key()).status_code == 201
    assert Finding.objects.count() == 2 and Case.objects.filter(channel="patrol").count() == 2


def test_a_finding_without_a_position_is_refused_in_words(people: dict[str, User]) -> None:
    worker = people["worker_a"]
    patrol = patrol_start(actor=worker)
    resp = post(
        worker,
        f"/api/v1/patrols/{patrol.pk}/findings",
        {"hazard": "gas", "description": "燃气管道锈蚀"},
        key(),
    )
    assert resp.status_code == 422
    assert resp.json() == {"detail": "未获取到位置，请允许定位后重试"}


def test_track_for_an_ended_patrol_is_refused_and_the_refusal_repeats(
    people: dict[str, User],
) -> None:
    worker = people["worker_a"]
    patrol = patrol_start(actor=worker)
    Patrol.objects.filter(pk=patrol.pk).update(ended_at=patrol.started_at)
    url, k = f"/api/v1/patrols/{patrol.pk}/track", key()
    first = post(worker, url, track(3), k, content_type="application/json")
    again = post(worker, url, track(3), k, content_type="application/json")
    assert first.status_code == again.status_code == 422
    assert first.json() == again.json() == {"detail": "该巡查已结束"}


# ---------------------------------------------------------------- visits and checklists


def test_a_visit_with_a_photo_sent_twice_is_one_visit(
    people: dict[str, User],
    register: dict[str, Any],  # noqa: F811
) -> None:
    worker = people["worker_a"]
    url = f"/api/v1/residents/persons/{register['elder'].pk}/visits"

    def form() -> dict[str, Any]:
        return {
            "findings": "老人身体尚可，暖气不太热",
            "visited_at": "2026-01-12T09:30:00+08:00",
            "photos": [jpeg()],
        }

    k = key()
    first, again = post(worker, url, form(), k), post(worker, url, form(), k)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    visit = Visit.objects.get()
    # The time at the door, not the time the outbox got a signal.
    assert visit.visited_at.isoformat() == "2026-01-12T01:30:00+00:00"
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    assert post(worker, url, form(), key()).status_code == 201
    assert Visit.objects.count() == 2


def test_a_visit_by_json_still_works_without_a_key(
    people: dict[str, User],
    register: dict[str, Any],  # noqa: F811
) -> None:
    resp = client_for(people["worker_a"]).post(
        f"/api/v1/residents/persons/{register['elder'].pk}/visits",
        {"findings": "电话回访，一切正常"},
        content_type="application/json",
    )
    assert resp.status_code == 201 and Visit.objects.count() == 1
    assert not IdempotencyKey.objects.exists()


def checklist_form(template: ChecklistTemplate, failed_note: str = "") -> dict[str, Any]:
    items = list(template.items.all())
    data: dict[str, Any] = {
        "template": template.code,
        "place": "百花里3号楼车棚",
        "lon": str(IN_A1[0]),
        "lat": str(IN_A1[1]),
    }
    for item in items:
        data[f"item-{item.pk}"] = "pass"
    data[f"item-{items[0].pk}"] = "fail"
    data[f"note-{items[0].pk}"] = failed_note or "车棚内有飞线充电"
    data[f"report-{items[0].pk}"] = "1"
    return data


def test_a_checklist_sent_twice_is_one_inspection_and_one_case(
    people: dict[str, User],
    checklist: ChecklistTemplate,  # noqa: F811
) -> None:
    worker = people["worker_a"]
    k = key()
    first = post(worker, "/api/v1/ledgers/inspections", checklist_form(checklist), k)
    again = post(worker, "/api/v1/ledgers/inspections", checklist_form(checklist), k)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert first.json()["failed"] == 1 and len(first.json()["cases"]) == 1
    assert Inspection.objects.count() == 1
    assert Case.objects.filter(channel="patrol").count() == 1
    second = post(worker, "/api/v1/ledgers/inspections", checklist_form(checklist), key())
    assert second.status_code == 201 and Inspection.objects.count() == 2


def test_a_checklist_with_an_unanswered_item_is_refused_with_the_item(
    people: dict[str, User],
    checklist: ChecklistTemplate,  # noqa: F811
) -> None:
    data = checklist_form(checklist)
    last = list(checklist.items.all())[-1]
    del data[f"item-{last.pk}"]
    resp = post(people["worker_a"], "/api/v1/ledgers/inspections", data, key())
    assert resp.status_code == 422
    assert resp.json()["detail"] == f"请逐项选择合格或不合格：{last.text}"
    assert not Inspection.objects.exists()


# ---------------------------------------------------------------- at the same moment


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_concurrent_duplicates_are_one_row_each(
    people: dict[str, User],
    report: Callable[..., Case],
    register: dict[str, Any],  # noqa: F811
    checklist: ChecklistTemplate,  # noqa: F811
) -> None:
    worker = people["worker_a"]
    case = report()
    case_act(case_id=case.pk, actor=worker, action="sign")
    patrol = patrol_start(actor=worker)
    keys = {name: key() for name in ("resolve", "track", "finding", "visit", "inspection")}
    body = track(20)
    requests: list[tuple[str, Callable[[], Any]]] = [
        (
            "resolve",
            lambda: post(
                worker,
                f"/api/v1/cases/{case.pk}/actions",
                {"action": "resolve", "result": "已劝离"},
                keys["resolve"],
            ),
        ),
        (
            "track",
            lambda: post(
                worker,
                f"/api/v1/patrols/{patrol.pk}/track",
                body,
                keys["track"],
                content_type="application/json",
            ),
        ),
        (
            "finding",
            lambda: post(
                worker,
                f"/api/v1/patrols/{patrol.pk}/findings",
                {
                    "hazard": "fire_lane",
                    "description": "消防通道被私家车占用",
                    "lon": str(IN_A1[0]),
                    "lat": str(IN_A1[1]),
                },
                keys["finding"],
            ),
        ),
        (
            "visit",
            lambda: post(
                worker,
                f"/api/v1/residents/persons/{register['elder'].pk}/visits",
                {"findings": "入户看望，老人精神好"},
                keys["visit"],
            ),
        ),
        (
            "inspection",
            lambda: post(
                worker, "/api/v1/ledgers/inspections", checklist_form(checklist), keys["inspection"]
            ),
        ),
    ]
    copies = 4
    results = run_parallel(len(requests) * copies, lambda i: requests[i % len(requests)][1]())
    for i, resp in enumerate(results):
        assert not isinstance(resp, Exception), resp
        assert resp.status_code in (200, 201), (requests[i % len(requests)][0], resp.content)
    for n, (name, _call) in enumerate(requests):
        answers = {results[i].content for i in range(n, len(results), len(requests))}
        assert len(answers) == 1, name  # every copy got the first answer
    assert CaseEvent.objects.filter(case=case, action="resolve").count() == 1
    assert TrackPoint.objects.filter(patrol=patrol).count() == 20
    assert Finding.objects.count() == 1
    assert Visit.objects.count() == 1
    assert Inspection.objects.count() == 1
    assert IdempotencyKey.objects.count() == len(requests)


def test_answers_older_than_a_month_are_purged(people: dict[str, User]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from wangge.core.idempotency import KEEP_DAYS, keys_purge
    from wangge.core.tasks import idempotency_keys_purge

    me = people["worker_a"].pk
    run_once(actor_id=me, key="old-key-1", scope="s", work=lambda: (200, {}))
    run_once(actor_id=me, key="new-key-1", scope="s", work=lambda: (200, {}))
    IdempotencyKey.objects.filter(key="old-key-1").update(
        created_at=timezone.now() - timedelta(days=KEEP_DAYS, minutes=1)
    )
    assert idempotency_keys_purge.call_local() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key-1"]
    assert keys_purge() == 0
