"""矛盾纠纷: register → mediate → resolved or escalated as a case → cleared; the monthly
screening flags every open dispute without a next step in hand; scope for every role."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY, GRID_A
from wangge.cases.models import Case
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.grids.models import Building, GridNode
from wangge.residents.models import Dispute
from wangge.residents.selectors import dispute_screening, disputes_visible
from wangge.residents.services import (
    dispute_clear,
    dispute_escalate,
    dispute_mediate,
    dispute_register,
)


def register_dispute(actor: Any, building: str = "BH3", **kw: Any) -> Dispute:
    data: dict[str, Any] = {
        "kind": "neighbour",
        "risk": "medium",
        "summary": "楼上漏水殃及楼下，双方争执",
        "parties": "赵某 13511112222\n钱某 13633334444",
        "next_step": "约双方到社区调解室",
        "next_step_on": timezone.localdate() + timedelta(days=3),
    }
    data.update(kw)
    return dispute_register(actor=actor, building=Building.objects.get(code=building), **data)


def test_mediated_to_agreement_then_cleared(people: Any) -> None:
    worker = people["worker_a"]
    d = register_dispute(worker)
    with pytest.raises(ValidationFailed, match="下一步"):
        dispute_mediate(actor=worker, dispute=d, notes="第一次调解，未达成一致")
    dispute_mediate(
        actor=worker,
        dispute=d,
        notes="第一次调解，未达成一致",
        next_step="请物业出具漏水鉴定",
        next_step_on=timezone.localdate() + timedelta(days=5),
    )
    with pytest.raises(ValidationFailed, match="清零"):
        dispute_clear(actor=worker, dispute=d)
    with pytest.raises(ValidationFailed, match="协议"):
        dispute_mediate(actor=worker, dispute=d, notes="第二次调解", resolved=True)
    dispute_mediate(
        actor=worker, dispute=d, notes="第二次调解", resolved=True, agreement="楼上赔偿800元"
    )
    d.refresh_from_db()
    assert d.status == "resolved" and d.next_step  # the follow-up is the next step
    dispute_clear(actor=worker, dispute=d, outcome="回访：已赔偿")
    d.refresh_from_db()
    assert d.status == "cleared" and d.next_step_on is None and "已赔偿" in d.outcome
    assert d.mediations.count() == 2


def test_escalated_as_a_case_and_cleared_when_it_closes(people: Any) -> None:
    worker = people["worker_a"]
    d = register_dispute(worker, kind="petition", risk="high")
    dispute_escalate(actor=worker, dispute=d, unit="justice", reason="涉及诉讼，需司法所介入")
    d.refresh_from_db()
    case = Case.objects.get(pk=d.case_id)
    assert d.status == "escalated" and case.channel == "patrol"
    assert "司法所" in case.description and "赵某" not in case.description
    assert "13511112222" not in case.description
    with pytest.raises(ValidationFailed, match="尚未结案"):
        dispute_clear(actor=worker, dispute=d)
    Case.objects.filter(pk=case.pk).update(status="closed")
    dispute_clear(actor=worker, dispute=d)
    assert Dispute.objects.get(pk=d.pk).status == "cleared"


def test_scope(people: Any) -> None:
    d = register_dispute(people["worker_a"])
    with pytest.raises(PermissionDenied):
        register_dispute(people["worker_a"], building="TB5")
    with pytest.raises(PermissionDenied):
        dispute_mediate(actor=people["worker_b"], dispute=d, notes="越界")
    with pytest.raises(PermissionDenied):
        register_dispute(people["resident"])
    seen = {r: set(disputes_visible(people[r])) for r in ("worker_a", "worker_b", "community")}
    assert seen == {"worker_a": {d}, "worker_b": set(), "community": {d}}
    for role in ("resident", "outsider", "cgj"):
        assert not disputes_visible(people[role]).exists()


@pytest.mark.parametrize(
    "role", ["resident", "worker_a", "worker_b", "community", "dispatcher", "outsider", "cgj"]
)
def test_pages_by_role(people: Any, role: str) -> None:
    d = register_dispute(people["worker_a"])
    c = Client()
    c.force_login(people[role])
    sees = role in ("worker_a", "community", "dispatcher")
    staff = role in ("worker_a", "worker_b", "community", "dispatcher")
    ledger = c.get("/residents/disputes/")
    assert ledger.status_code == (200 if staff else 404)
    assert ("赵某" in ledger.content.decode()) is False  # parties stay on the detail page
    assert (d.building.address in ledger.content.decode()) == sees
    detail = c.get(f"/residents/disputes/{d.pk}/")
    assert detail.status_code == (200 if sees else 404)
    post = c.post(f"/residents/disputes/{d.pk}/", {"action": "clear"})
    assert post.status_code == (422 if sees else 404)
    screening = c.get(f"/residents/disputes/screening/{GRID_A}/")
    assert screening.status_code == (
        200 if role in ("worker_a", "community", "dispatcher") else 404
    )


def test_register_and_walk_through_pages(people: Any) -> None:
    c = Client()
    c.force_login(people["worker_a"])
    form = {
        "building": "BH3",
        "kind": "property",
        "risk": "low",
        "summary": "停车位收费争议",
        "parties": "业主代表孙某",
        "next_step": "约物业公司座谈",
        "next_step_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
    }
    assert c.post("/residents/disputes/", {**form, "next_step_on": ""}).status_code == 422
    resp = c.post("/residents/disputes/", {**form, "next_step_on": "下周一"})
    assert resp.status_code == 422 and "下一步日期格式不正确" in resp.content.decode()
    assert c.post("/residents/disputes/", {**form, "building": "TB5"}).status_code == 422
    resp = c.post("/residents/disputes/", form)
    assert resp.status_code == 302
    d = Dispute.objects.get()
    url = f"/residents/disputes/{d.pk}/"
    resp = c.post(
        url, {"action": "mediate", "notes": "座谈", "resolved": "1", "agreement": "按标准收费"}
    )
    assert resp.status_code == 302
    assert c.post(url, {"action": "clear", "outcome": "回访满意"}).status_code == 302
    assert Dispute.objects.get().status == "cleared"


def test_monthly_screening_flags_open_disputes_without_a_step_in_hand(people: Any) -> None:
    worker = people["worker_a"]
    on_time = register_dispute(worker, summary="按期")
    register_dispute(worker, summary="过期", next_step_on=timezone.localdate())
    cleared = register_dispute(worker, summary="已清零")
    dispute_mediate(actor=worker, dispute=cleared, notes="调解", resolved=True, agreement="和解")
    dispute_clear(actor=worker, dispute=cleared)
    month = timezone.localdate()
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        report = dispute_screening(people["community"], GridNode.objects.get(code=COMMUNITY), month)
    rows = {r.dispute.summary: r.problem for r in report["open"]}  # type: ignore[attr-defined]
    assert rows == {"过期": "已过期", "按期": ""}
    assert (report["registered"], report["cleared"], report["flagged"]) == (3, 1, 1)
    # A missing step (which the services never leave, but old data might) is flagged too.
    Dispute.objects.filter(pk=on_time.pk).update(next_step="")
    report = dispute_screening(
        people["community"], GridNode.objects.get(code=COMMUNITY), timezone.localdate()
    )
    assert report["flagged"] == 1  # 过期 is not yet late today; 按期 lacks its step
    c = Client()
    c.force_login(people["community"])
    page = c.get(f"/residents/disputes/screening/{COMMUNITY}/").content.decode()
    assert "缺少下一步工作" in page
