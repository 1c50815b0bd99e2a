"""红色厨房's rules: who may be enrolled, a meal not taken raises exactly one visit the same day
and one message to the emergency contact, an offline record arrives once, who may record and
see what, and the month's figures per community."""

import uuid
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY
from tests.kitchen.conftest import enrol_elder
from tests.residents.conftest import make_id
from wangge.accounts.models import User
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.kitchen import selectors
from wangge.kitchen.models import Alert, Delivery, Enrolment, MealPlan, Outcome
from wangge.kitchen.services import PlanInput, delivery_record, plan_day, plans_close
from wangge.notifications.models import Notification
from wangge.residents.models import SpecialGroup
from wangge.residents.services import group_tag_set, person_register, visit_record

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


# ---------------------------------------------------------------- enrolment


def test_only_elders_of_the_groups_are_enrolled_once(
    kitchen: Any, register: dict[str, Any], people: dict[str, User]
) -> None:
    community = people["community"]
    # 刘德胜 is 46 and in no group: refused with both reasons.
    with pytest.raises(ValidationFailed) as refused:
        enrol_elder(community, register["person_b"], kitchen)
    assert "未满 60 周岁" in refused.value.message
    assert "特殊人群" in refused.value.message
    enrolment = enrol_elder(community, register["elder"], kitchen)
    assert enrolment.contact_phone_masked == "139****2222"
    assert "13911112222" not in enrolment.contact_phone_encrypted
    with pytest.raises(Conflict):
        enrol_elder(community, register["elder"], kitchen)
    # A worker of another grid, and a resident, may not enrol anyone.
    with pytest.raises(PermissionDenied):
        enrol_elder(people["worker_a"], register["elder"], kitchen)


def test_the_database_holds_one_active_enrolment(
    kitchen: Any, register: dict[str, Any], people: dict[str, User]
) -> None:
    first = enrol_elder(people["community"], register["elder"], kitchen)
    second = Enrolment(
        person=first.person,
        kitchen=kitchen,
        contact_name="x",
        payment="free",
        resident_pays=Decimal(0),
        subsidy=Decimal(12),
        starts_on=timezone.localdate(),
        enrolled_by=people["community"],
        grid_path=first.grid_path,
    )
    second.contact_phone = "13900001111"
    with pytest.raises(IntegrityError):
        second.save()


def test_candidates_are_tagged_elders_not_yet_enrolled(
    kitchen: Any, register: dict[str, Any], people: dict[str, User]
) -> None:
    community = people["community"]
    assert [p.name for p in selectors.candidates(community)] == ["张桂芳"]
    # A worker of grid B does not see 张桂芳 of A1.
    assert list(selectors.candidates(people["worker_b"])) == []
    enrol_elder(community, register["elder"], kitchen)
    assert list(selectors.candidates(community)) == []


# ---------------------------------------------------------------- the plan


def test_a_plan_per_grid_with_a_task_and_a_meal_each(
    kitchen: Any, register: dict[str, Any], people: dict[str, User]
) -> None:
    community = people["community"]
    enrol_elder(community, register["elder"], kitchen)
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = PlanInput(
        kitchen_id=kitchen.pk,
        day=tomorrow,
        meal="lunch",
        window_start=time(11, 0),
        window_end=time(12, 30),
    )
    [plan] = plan_day(actor=community, data=data)
    assert plan.grid.name == "碧沙岗第1网格"
    assert plan.task is not None and plan.task.status == "published"
    assert plan.task.slots == 2
    assert [d.enrolment.person.name for d in plan.deliveries.all()] == ["张桂芳"]
    # Planned again: the same plan, no second meal.
    [again] = plan_day(actor=community, data=data)
    assert again.pk == plan.pk and again.deliveries.count() == 1
    # Nobody enrolled for supper.
    with pytest.raises(ValidationFailed):
        plan_day(actor=community, data=PlanInput(**{**data.__dict__, "meal": "supper"}))


# ---------------------------------------------------------------- the alert


def test_a_meal_not_taken_raises_one_visit_the_same_day_and_one_text(
    lunch: dict[str, Any], people: dict[str, User], texts: list[tuple[str, str]]
) -> None:
    plan = lunch["plan"]
    # The window passes with the meal still waiting; the sweep runs twice (two workers).
    later = plan.window_end + timedelta(minutes=1)
    assert plans_close(later) == {"closed": 1, "raised": 1}
    assert plans_close(later + timedelta(minutes=1)) == {"closed": 0, "raised": 0}
    [alert] = Alert.objects.all()
    assert alert.reason == Outcome.PENDING
    assert alert.worker == people["worker_a"]
    assert timezone.localdate(alert.visit_due - timedelta(seconds=1)) == timezone.localdate(
        alert.raised_at
    )
    [note] = Notification.objects.filter(
        recipient=people["worker_a"], topic=f"kitchen-alert:{alert.pk}"
    )
    assert "张桂芳" in note.title and "请今天上门看看" in note.title
    assert [phone for phone, _ in texts] == ["13911112222"]
    assert "张桂芳" in texts[0][1] and "周敏" in texts[0][1]
    # The deliverer's late "not at home" after the window adds nothing.
    delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.NOT_HOME
    )
    assert Alert.objects.count() == 1 and len(texts) == 1
    # The grid worker visits: the alert is visited, and off the open list.
    assert [a.pk for a in selectors.alerts(people["worker_a"], open_only=True)] == [alert.pk]
    visit_record(
        actor=people["worker_a"], person=lunch["elder"], findings="老人去女儿家吃饭了，平安"
    )
    assert list(selectors.alerts(people["worker_a"], open_only=True)) == []
    assert selectors.alerts(people["worker_a"]).get().visited is True


def test_not_at_home_raises_at_once_and_a_second_knock_withdraws(
    lunch: dict[str, Any], people: dict[str, User], texts: list[tuple[str, str]]
) -> None:
    delivery = delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.NOT_HOME
    )
    assert delivery.outcome == Outcome.NOT_HOME
    alert = Alert.objects.get()
    assert len(texts) == 1
    # A recorded outcome changes only when the deliverer confirms it (test_round_outcomes.py).
    delivery_record(
        actor=lunch["deliverer"],
        delivery_id=delivery.pk,
        outcome=Outcome.DELIVERED,
        confirm=True,
    )
    alert.refresh_from_db()
    assert alert.withdrawn_at is not None
    assert plans_close(lunch["plan"].window_end + timedelta(minutes=1))["raised"] == 0
    # The family, texted about the 不在家, is told the meal arrived after all.
    assert Alert.objects.count() == 1 and len(texts) == 2


def test_a_delivered_meal_raises_nothing(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.DELIVERED
    )
    assert plans_close(lunch["plan"].window_end + timedelta(minutes=1)) == {
        "closed": 1,
        "raised": 0,
    }
    assert not Alert.objects.exists() and texts == []


# ---------------------------------------------------------------- at the door, over the API


def test_an_offline_record_sent_twice_arrives_once(
    lunch: dict[str, Any], texts: list[tuple[str, str]]
) -> None:
    c = _client(lunch["deliverer"])
    key = str(uuid.uuid4())
    at_door = (timezone.now() - timedelta(minutes=20)).isoformat()
    url = f"/api/v1/kitchen/deliveries/{lunch['delivery'].pk}"
    answers = [
        c.post(
            url,
            {"outcome": "not_home", "at": at_door},
            headers={"Idempotency-Key": key, "X-Outbox-Owner": str(lunch["deliverer"].pk)},
        )
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == answers[2].json()
    assert answers[0].json()["outcome"] == "not_home" and answers[0].json()["alert"] is True
    delivery = Delivery.objects.get()
    assert delivery.recorded_at is not None
    assert abs((delivery.recorded_at - timezone.now()).total_seconds() - -1200) < 60
    assert Alert.objects.count() == 1 and len(texts) == 1


def test_who_may_record_and_see(lunch: dict[str, Any], people: dict[str, User]) -> None:
    url = f"/api/v1/kitchen/deliveries/{lunch['delivery'].pk}"
    # Someone not signed up to deliver, and a worker of grid B: as if it did not exist.
    for who in ("outsider", "worker_b"):
        answer = _client(people[who]).post(
            url, {"outcome": "delivered"}, content_type="application/json"
        )
        assert answer.status_code == 404, who
    bad = _client(lunch["deliverer"]).post(
        url, {"outcome": "pending"}, content_type="application/json"
    )
    assert bad.status_code == 422 and "已送达" in bad.json()["detail"]
    # Alerts are staff's, in scope.
    delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.REFUSED
    )
    assert _client(people["worker_a"]).get("/api/v1/kitchen/alerts").json()["count"] == 1
    assert _client(people["worker_b"]).get("/api/v1/kitchen/alerts").json()["results"] == []
    assert _client(people["resident"]).get("/api/v1/kitchen/alerts").status_code == 403
    alert = Alert.objects.get()
    assert _client(people["worker_b"]).get(f"/kitchen/alerts/{alert.pk}/").status_code == 404
    # The deliverer's round: their plan, with the meal.
    [plan] = _client(lunch["deliverer"]).get("/api/v1/kitchen/rounds").json()
    assert [d["person"] for d in plan["deliveries"]] == ["张桂芳"]


def test_another_grid_sees_nothing_of_the_kitchen(
    lunch: dict[str, Any], people: dict[str, User], register: dict[str, Any]
) -> None:
    plan, elder = lunch["plan"], lunch["elder"]
    other = _client(people["worker_b"])
    for url in (
        f"/kitchen/plans/{plan.pk}/",
        f"/api/v1/kitchen/plans/{plan.pk}",
        f"/kitchen/figures/?grid={plan.grid.code}",
        f"/api/v1/kitchen/figures?grid={plan.grid.code}",
        f"/kitchen/enrol/{elder.pk}/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.get("/api/v1/kitchen/plans").json()["count"] == 0
    assert "张桂芳" not in other.get("/kitchen/enrolments/").content.decode()
    assert "张桂芳" not in other.get("/kitchen/").content.decode()
    # Residents have no staff pages; the deliverer opens their own plan only.
    assert _client(lunch["deliverer"]).get("/kitchen/enrolments/").status_code == 403
    assert _client(lunch["deliverer"]).get(f"/kitchen/plans/{plan.pk}/").status_code == 200
    assert _client(people["outsider"]).get(f"/kitchen/plans/{plan.pk}/").status_code == 404


def test_enrolment_page_keeps_what_was_typed_when_refused(
    kitchen: Any, register: dict[str, Any], people: dict[str, User]
) -> None:
    c = _client(people["community"])
    url = f"/kitchen/enrol/{register['elder'].pk}/"
    form = {
        "kitchen": kitchen.pk,
        "meals": ["lunch"],
        "contact_name": "张建军",
        "contact_phone": "12345",
        "payment": "shared",
        "resident_pays": "5",
        "subsidy": "10",
        "diet": "少盐",
    }
    refused = c.post(url, form)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "紧急联系人电话格式不正确" in text and 'value="少盐"' in text
    form["contact_phone"] = "13911112222"
    assert c.post(url, form).status_code == 302
    assert Enrolment.objects.get().diet == "少盐"


# ---------------------------------------------------------------- the month


def test_month_figures_per_community(
    lunch: dict[str, Any], people: dict[str, User], register: dict[str, Any], kitchen: Any
) -> None:
    community = people["community"]
    # A second elder in B1: 刘德胜's mother, 1938, 空巢.
    mother = person_register(
        actor=community,
        household=register["home_b"],
        name="刘母",
        id_number=make_id("19380101", "024"),
        phone="",
        relation="parent",
        residence="huji",
    )
    group_tag_set(actor=community, person=mother, group=SpecialGroup.EMPTY_NEST)
    enrol_elder(community, mother, kitchen, contact_phone="13933334444")
    tomorrow = timezone.localdate() + timedelta(days=1)
    plans = plan_day(
        actor=community,
        data=PlanInput(
            kitchen_id=kitchen.pk,
            day=tomorrow,
            meal="lunch",
            window_start=time(11, 0),
            window_end=time(12, 30),
        ),
    )
    assert sorted(p.grid.name for p in plans) == ["碧沙岗第1网格", "碧沙岗第2网格"]
    delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.DELIVERED
    )
    today = timezone.localdate()
    report = selectors.month_figures(community, lunch["plan"].grid.parent, today)
    assert report.rows == []  # a community's own figures
    unit = report.unit
    assert unit.code == COMMUNITY
    assert (unit.enrolled, unit.delivered, unit.alerts) == (2, 1, 0)
    # Tomorrow's meals are not counted before they happen (when tomorrow is in this month).
    assert unit.meals == 1
    assert unit.delivered_rate == 1.0
    api = _client(community).get(f"/api/v1/kitchen/figures?grid={COMMUNITY}").json()
    assert api["unit"]["delivered"] == 1 and api["unit"]["enrolled"] == 2
    page = _client(community).get("/kitchen/figures/").content.decode()
    assert "助餐月度统计" in page
    assert MealPlan.objects.count() == 3
