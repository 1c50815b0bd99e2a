"""The JSON API of 志愿服务: what a phone app sees and the refusals it must handle."""

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.volunteering.conftest import PLACE_LAT, PLACE_LON
from wangge.accounts.models import User
from wangge.points.services import points_budget
from wangge.volunteering import checkin_codes, services
from wangge.volunteering.models import SignUp, Task

API = "/api/v1/volunteering"


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_organiser_publishes_over_the_api(cast: dict[str, User]) -> None:
    staff = client_for(cast["community"])
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    body = {
        "kind": "activity",
        "publisher_kind": "party_org",
        "publisher_name": "碧沙岗社区党委",
        "title": "邻居节",
        "place": "碧沙岗社区广场",
        "lon": PLACE_LON,
        "lat": PLACE_LAT,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "slots": 80,
        "category": "culture",
        "points_rule": "fixed",
    }
    r = staff.post(f"{API}/tasks", body, content_type="application/json")
    assert r.status_code == 201, r.json()
    task = r.json()
    assert (task["status"], task["grid_code"], task["points"]) == ("draft", "410102001002001001", 5)
    r = staff.post(f"{API}/tasks/{task['id']}/publish")
    assert r.json()["status"] == "published"
    listed = client_for(cast["resident"]).get(f"{API}/tasks?kind=activity").json()
    assert [t["title"] for t in listed["results"]] == ["邻居节"]

    outside = {**body, "lon": 116.4, "lat": 39.9}
    r = staff.post(f"{API}/tasks", outside, content_type="application/json")
    assert r.status_code == 422 and "网格" in r.json()["detail"]
    r = client_for(cast["resident"]).post(f"{API}/tasks", body, content_type="application/json")
    assert r.status_code == 403


def test_grab_answers_201_then_200_and_409_when_full(
    cast: dict[str, User], make_user: Callable[..., User], make_task: Callable[..., Task]
) -> None:
    task = make_task(cast["community"], slots=1, starts_at=timezone.now() + timedelta(days=1))
    resident = client_for(cast["resident"])
    first = resident.post(f"{API}/tasks/{task.pk}/grab")
    assert first.status_code == 201
    assert first.json()["status"] == "signed"
    again = resident.post(f"{API}/tasks/{task.pk}/grab")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    late = client_for(make_user(name="晚来的人"))
    full = late.post(f"{API}/tasks/{task.pk}/grab")
    assert full.status_code == 409
    assert full.json() == {"detail": "名额已满，可以排队候补"}
    waiting = late.post(f"{API}/tasks/{task.pk}/waitlist")
    assert (waiting.status_code, waiting.json()["status"]) == (201, "waitlisted")
    # The first withdraws: the waiting one is signed up.
    assert resident.post(f"{API}/tasks/{task.pk}/withdraw").status_code == 200
    assert late.get(f"{API}/mine").json()["results"][0]["status"] == "signed"
    assert client_for(cast["outsider"]).post(f"{API}/tasks/999999/grab").status_code == 404


def test_check_in_hours_and_the_roster(
    cast: dict[str, User], make_task: Callable[..., Task]
) -> None:
    now = timezone.now()
    task = make_task(
        cast["community"], starts_at=now - timedelta(minutes=50), ends_at=now + timedelta(hours=1)
    )
    task.issuer = services._issuer_for(task)
    task.save()
    points_budget(issuer=task.issuer, amount=100, key="b")
    resident = client_for(cast["resident"])
    assert resident.post(f"{API}/tasks/{task.pk}/grab").status_code == 201
    bad = resident.post(
        f"{API}/tasks/{task.pk}/checkin", {"code": "0" * 16}, content_type="application/json"
    )
    assert bad.status_code == 422 and "过期" in bad.json()["detail"]
    code = checkin_codes.current_code(task)
    r = resident.post(
        f"{API}/tasks/{task.pk}/checkin", {"code": code}, content_type="application/json"
    )
    assert r.status_code == 201 and r.json()["method"] == "qr"
    SignUp.objects.get().checkins.update(checked_in_at=now - timedelta(minutes=50))
    r = resident.post(
        f"{API}/tasks/{task.pk}/checkout", {"code": code}, content_type="application/json"
    )
    assert r.status_code == 200

    assert client_for(cast["worker_b"]).get(f"{API}/tasks/{task.pk}/signups").status_code == 404
    assert resident.get(f"{API}/tasks/{task.pk}/signups").status_code == 404
    organiser = client_for(cast["community"])
    (row,) = organiser.get(f"{API}/tasks/{task.pk}/signups").json()
    assert row["name"] == "王秀兰" and "****" in row["phone"]
    assert row["recorded_hours"] == "0.83"
    r = organiser.post(
        f"{API}/signups/{row['id']}/hours",
        {"decision": "adjusted", "hours": "1", "note": "提前到场"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.json()
    assert (r.json()["hours"], r.json()["points"]) == ("1.00", 10)
    r = organiser.post(
        f"{API}/signups/{row['id']}/hours",
        {"decision": "declined", "note": "改主意"},
        content_type="application/json",
    )
    assert r.status_code == 409
    me = resident.get("/api/v1/points/me").json()
    assert me["balance"] == 10
    assert me["history"][0]["reason"] == "志愿服务：碧沙岗公园周边环境整治"
