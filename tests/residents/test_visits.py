"""Special groups, visits on the phone, follow-ups that become cases, overdue visits."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from wangge.cases.models import Case
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.residents.models import SpecialGroup, Visit
from wangge.residents.selectors import overdue_visits
from wangge.residents.services import group_tag_set, visit_record


def test_a_tagged_person_never_visited_is_overdue_for_their_worker_only(
    people: Any, register: dict[str, Any]
) -> None:
    rows = overdue_visits(people["worker_a"])
    assert [(o.person.name, o.groups, o.last_visit) for o in rows] == [
        ("张桂芳", ["独居老人"], None)
    ]
    assert overdue_visits(people["worker_b"]) == []
    assert overdue_visits(people["resident"]) == []
    assert overdue_visits(people["outsider"]) == []


def test_a_visit_clears_the_person_until_the_shortest_frequency_comes_round(
    people: Any, register: dict[str, Any]
) -> None:
    elder = register["elder"]
    visit_record(actor=people["worker_a"], person=elder, findings="身体尚可，独自做饭")
    assert overdue_visits(people["worker_a"]) == []
    group_tag_set(
        actor=people["worker_a"], person=elder, group=SpecialGroup.ADVANCED_AGE, visit_every_days=7
    )
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        rows = overdue_visits(people["worker_a"])
        assert len(rows) == 1 and rows[0].every_days == 7
        assert sorted(rows[0].groups) == ["独居老人", "高龄老人"]


def test_a_follow_up_becomes_a_patrol_case_in_the_persons_grid(
    people: Any, register: dict[str, Any]
) -> None:
    visit = visit_record(
        actor=people["worker_a"],
        person=register["elder"],
        findings="老人反映楼道灯坏了，晚上看不见",
        follow_up="3号楼2单元楼道灯损坏，需维修",
        follow_up_as_case=True,
        lon=113.6008,
        lat=34.7508,
    )
    case = Case.objects.get(pk=visit.case_id)
    assert case.channel == "patrol" and case.grid_path == register["elder"].grid_path
    assert "张桂芳" not in case.description and "13612345678" not in case.description
    assert case.reporter == people["worker_a"]


def test_visits_are_checked(people: Any, register: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        visit_record(actor=people["worker_a"], person=register["elder"], findings=" ")
    with pytest.raises(ValidationFailed):
        visit_record(
            actor=people["worker_a"],
            person=register["elder"],
            findings="好",
            follow_up_as_case=True,
        )
    with pytest.raises(PermissionDenied):
        visit_record(actor=people["worker_b"], person=register["elder"], findings="越界走访")
    with pytest.raises(PermissionDenied):
        visit_record(actor=people["resident"], person=register["elder"], findings="冒充")
    assert Visit.objects.count() == 0


def test_visit_page_records_a_visit_with_gps(people: Any, register: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    url = f"/residents/persons/{register['elder'].pk}/visit/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"findings": ""}).status_code == 422
    resp = client.post(url, {"findings": "精神好", "lon": "113.6008", "lat": "34.7508"})
    assert resp.status_code == 302
    visit = Visit.objects.get()
    assert (visit.lon, visit.lat, visit.visitor) == (113.6008, 34.7508, people["worker_a"])


def test_visit_api_records_a_visit(people: Any, register: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    resp = client.post(
        f"/api/v1/residents/persons/{register['elder'].pk}/visits",
        {"findings": "电话问候后入户", "follow_up": "需送米面油", "follow_up_as_case": True},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["case_id"] is not None
    other = Client()
    other.force_login(people["worker_b"])
    resp = other.post(
        f"/api/v1/residents/persons/{register['elder'].pk}/visits",
        {"findings": "越界"},
        content_type="application/json",
    )
    assert resp.status_code == 404
