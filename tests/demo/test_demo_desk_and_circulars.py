"""The demo as `make run` opens it for a street's dispatcher: the desk's queue came in over the
past hours and days (not fifteen cases in the minute the seed ran), the timelines read in order,
and last week's 周通报 is in the archive for every street and the district, so each street's
dispatcher finds theirs at /ops/circulars/ on a fresh install."""

import itertools
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant, user_create
from wangge.cases.models import Case, CaseEvent
from wangge.core.calendar import week_bounds
from wangge.grids.models import GridLevel, GridNode
from wangge.ops.models import Circular

DISPATCHER = "13800000002"  # 钱卫东, the demo street's desk


def demo_street() -> GridNode:
    return GridNode.objects.filter(level=GridLevel.STREET).order_by("code").first()  # type: ignore[return-value]


def test_the_opening_queue_came_in_over_hours_not_in_one_minute(seeded: Any) -> None:
    queue = Case.objects.filter(street=demo_street(), status__in=("pending", "returned"))
    times = sorted(queue.values_list("created_at", flat=True))
    assert len(times) >= 10
    minutes = {t.replace(second=0, microsecond=0) for t in times}
    # Nearly every case in a minute of its own, the oldest hours before the newest.
    assert len(minutes) >= len(times) * 0.7
    assert times[-1] - times[0] >= timedelta(hours=3)
    assert times[-1] <= timezone.now()


def test_the_loop_spans_days_and_each_timeline_reads_in_order(seeded: Any) -> None:
    now = timezone.now()
    cases = list(Case.objects.filter(street=demo_street()).prefetch_related("events"))
    ages = [now - c.created_at for c in cases]
    assert max(ages) >= timedelta(days=7) and min(ages) <= timedelta(hours=2)
    for case in cases:
        events = list(case.events.all())
        assert events[0].created_at >= case.created_at - timedelta(seconds=1), case.number
        assert all(a.created_at <= b.created_at for a, b in itertools.pairwise(events))
        assert all(e.created_at <= now for e in events)
        for name in ("signed_at", "resolved_at", "closed_at"):
            moment = getattr(case, name)
            assert moment is None or case.created_at <= moment <= now, (case.number, name)
        # Deadlines counted from the intake as it now stands, not from the minute of the seed.
        if case.due_at is not None:
            assert case.due_at > case.created_at
    # Some of what is open is late, as on any street: the sweep gave them their cards.
    assert Case.objects.filter(street=demo_street(), card="red").exists()
    assert not CaseEvent.objects.filter(created_at__gt=now).exists()


def test_last_weeks_circular_for_every_street_and_the_district(seeded: Any) -> None:
    monday, _next = week_bounds(timezone.localdate() - timedelta(days=7))
    units = GridNode.objects.filter(level__in=(GridLevel.STREET, GridLevel.DISTRICT))
    made = Circular.objects.filter(kind=Circular.Kind.WEEKLY, period_start=monday)
    assert set(made.values_list("node_id", flat=True)) == set(units.values_list("pk", flat=True))
    assert all(c.pdf.name and c.xlsx.name for c in made)


def test_each_streets_dispatcher_sees_their_circular(seeded: Any) -> None:
    street = demo_street()
    page = _client(User.objects.get(phone=DISPATCHER)).get("/ops/circulars/").content.decode()
    assert f"{street.name}周通报" in page
    assert "生成通报" in page  # and may make one from here
    # Another street's dispatcher (the demo has one desk; a district adds the others).
    other = GridNode.objects.filter(level=GridLevel.STREET).exclude(pk=street.pk).first()
    assert other is not None
    desk = user_create(phone="13800009999", name="测试派单员", password="x" * 12)
    role_grant(user=desk, role=Role.STREET_DISPATCHER, node=other)
    theirs = _client(desk).get("/ops/circulars/").content.decode()
    assert f"{other.name}周通报" in theirs and f"{street.name}周通报" not in theirs
    desk.grants.all().delete()
    desk.delete()


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c
