"""认证率 and 知晓率 (ops.reach): who is counted, by micro-grid, how the figure moves when a
resident verifies, what each role may see, and the page and API that show it."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY, GRID_A, MICRO_A1, MICRO_B1, PASSWORD
from tests.residents.conftest import make_id, register  # noqa: F401  (the fixture)
from wangge.accounts.models import Role, User
from wangge.accounts.services import user_create, user_set_real_name
from wangge.grids.models import Building, GridNode
from wangge.ledgers.models import Question
from wangge.ledgers.surveys import survey_answer_door, survey_create
from wangge.ops import reach
from wangge.residents.models import Person, ResidenceKind
from wangge.residents.services import household_create, person_register

pytestmark = pytest.mark.django_db


def _register_in_a1(actor: User, name: str, birth: str, seq: str, room: str) -> Person:
    home = household_create(
        actor=actor, building=Building.objects.get(code="BH3"), room=room, kind=ResidenceKind.HUJI
    )
    return person_register(
        actor=actor,
        household=home,
        name=name,
        id_number=make_id(birth, seq),
        phone="",
        relation="head",
        residence=ResidenceKind.HUJI,
    )


def _resident_verifies(phone: str, name: str, id_number: str) -> User:
    """A resident signs up in the app and completes real-name verification with their ID."""
    user = user_create(phone=phone, name=name, password=PASSWORD)
    return user_set_real_name(user=user, name=name, id_number=id_number)


def _a1(user: User) -> reach.Reach:
    report = reach.reach(user, GridNode.objects.get(code=GRID_A))
    [a1] = [c for c in report.children if c.code == MICRO_A1]
    return a1


@pytest.fixture
def counted(register: dict[str, Any], people: dict[str, User]) -> dict[str, Any]:  # noqa: F811
    """A1: 张桂芳 (1940, the fixture's), and four more; B1: 刘德胜 (1980, the fixture's)."""
    community = people["community"]
    # Signed up in the app with her ID number but never verified: linked, not counted.
    user_create(
        phone="15877000002", name="何小梅", password=PASSWORD, id_number=make_id("19880808", "022")
    )
    verified = _register_in_a1(community, "陈建平", "19750101", "011", "3-101")
    linked_only = _register_in_a1(community, "何小梅", "19880808", "022", "3-102")
    assert linked_only.account is not None
    minor = _register_in_a1(community, "陈小宇", _birth_years_ago(12), "031", "3-103")
    moved = _register_in_a1(community, "马春生", "19660606", "041", "3-104")
    Person.objects.filter(pk=moved.pk).update(is_present=False)
    _resident_verifies("15877000001", "陈建平", make_id("19750101", "011"))
    _resident_verifies("15877000003", "陈小宇", make_id(_birth_years_ago(12), "031"))
    _resident_verifies("15877000004", "马春生", make_id("19660606", "041"))
    # Verified but on nobody's register: not a registered resident, not counted.
    _resident_verifies("15877000009", "过客", make_id("19900101", "051"))
    return {"verified": verified, "linked_only": linked_only, "minor": minor, "moved": moved}


def _birth_years_ago(years: int) -> str:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=1).strftime("%Y%m%d")


def test_only_verified_accounts_of_registered_adults_count_by_micro_grid(
    counted: dict[str, Any], people: dict[str, User]
) -> None:
    assert Person.objects.get(pk=counted["verified"].pk).account is not None  # linked on verifying
    report = reach.reach(people["community"], GridNode.objects.get(code=COMMUNITY))
    a1 = _a1(people["community"])
    # 张桂芳, 陈建平, 何小梅 are the registered adults living in A1; only 陈建平 is verified.
    assert (a1.adults, a1.verified) == (3, 1)
    assert a1.verified_rate == pytest.approx(1 / 3, abs=1e-4)
    # B1's 刘德胜 has no account; the community adds both micro-grids.
    assert (report.unit.adults, report.unit.verified) == (4, 1)
    b1 = reach.reach(people["community"], GridNode.objects.get(code=MICRO_B1)).unit
    assert (b1.adults, b1.verified, b1.verified_rate) == (1, 0, 0.0)
    names = {
        p.name
        for p in reach.not_yet_verified(people["community"], GridNode.objects.get(code=MICRO_A1))
    }
    assert names == {"张桂芳", "何小梅"}


def test_the_rate_moves_when_a_resident_verifies(
    counted: dict[str, Any], people: dict[str, User]
) -> None:
    before = _a1(people["community"])
    _resident_verifies("15877000010", "张桂芳", make_id("19400312", "002"))
    after = _a1(people["community"])
    assert (before.verified, after.verified) == (1, 2)
    assert after.adults == before.adults == 3
    # This week's point of the trend has moved too; last week's has not.
    trend = reach.reach(people["community"], GridNode.objects.get(code=MICRO_A1)).trend
    assert len(trend) == reach.TREND_WEEKS
    assert (trend[-1].adults, trend[-1].verified) == (3, 2)
    # Deactivated, an account no longer counts.
    User.objects.filter(phone="15877000010").update(is_active=False)
    assert _a1(people["community"]).verified == 1


def test_the_trend_reads_back_each_weeks_end(
    counted: dict[str, Any], people: dict[str, User]
) -> None:
    verified_user = User.objects.get(phone="15877000001")
    User.objects.filter(pk=verified_user.pk).update(
        real_name_verified_at=timezone.now() - timedelta(days=21)
    )
    Person.objects.filter(grid_path__startswith=GridNode.objects.get(code=MICRO_A1).path).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    trend = reach.trend(people["community"], GridNode.objects.get(code=MICRO_A1), weeks=5)
    assert [w.adults for w in trend] == [3, 3, 3, 3, 3]
    # Verified 21 days ago, in the week before last but one: counted from that week's end on.
    assert [w.verified for w in trend] == [0, 1, 1, 1, 1]


def test_awareness_counts_the_first_option_of_the_marked_question(
    register: dict[str, Any],  # noqa: F811
    people: dict[str, User],
) -> None:
    worker = people["worker_a"]
    survey = survey_create(
        actor=people["community"],
        node=GridNode.objects.get(code=COMMUNITY),
        title="原点在线 知晓情况",
        intro="",
        questions="【知晓率】您是否知道“原点在线”？\n知道\n不知道\n\n【单选】您用过吗？\n用过\n没用过",
    )
    aware_q, other_q = Question.objects.filter(survey=survey).order_by("position")
    assert aware_q.counts_awareness and not other_q.counts_awareness
    bh3 = Building.objects.get(code="BH3")
    for room, choice in (("5-1", "0"), ("5-2", "1"), ("5-3", "0")):
        survey_answer_door(
            actor=worker,
            survey=survey,
            building=bh3,
            room=room,
            answers={aware_q.pk: [choice], other_q.pk: ["0"]},
        )
    a1 = _a1(people["community"])
    assert (a1.asked, a1.aware) == (3, 2)
    assert a1.awareness_rate == pytest.approx(2 / 3, abs=1e-4)


def test_a_worker_sees_nothing_of_another_grids_figures(
    counted: dict[str, Any], people: dict[str, User]
) -> None:
    c = Client()
    c.force_login(people["worker_b"])
    assert c.get(f"/ops/reach/{MICRO_A1}/").status_code == 404
    r = c.get("/api/v1/ops/reach", {"grid": MICRO_A1})
    assert r.status_code == 404 and "无权" in r.json()["detail"]
    assert c.get("/api/v1/ops/reach/not-verified", {"grid": MICRO_A1}).status_code == 404
    # Their own grid's page opens, and names no one of A1.
    page = c.get("/ops/reach/").content.decode()
    assert "刘德胜" in page and "张桂芳" not in page
    c.force_login(people["resident"])
    r = c.get("/api/v1/ops/reach")
    assert r.status_code == 403 and "网格工作人员" in r.json()["detail"]


def test_a_micro_grid_leader_sees_their_own_micro_grid_and_who_is_not_reached(
    counted: dict[str, Any], people: dict[str, User], make_user: Any
) -> None:
    leader = make_user(Role.MICRO_GRID_LEADER, GridNode.objects.get(code=MICRO_A1), name="楼栋长")
    c = Client()
    c.force_login(leader)
    page = c.get("/ops/reach/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "张桂芳" in text and "何小梅" in text and "陈建平" not in text
    assert "已注册，未实名认证" in text and "未注册" in text
    assert "13612345678" not in text and "136****5678" in text  # masked as on the register
    data = c.get("/api/v1/ops/reach").json()
    assert data["unit"]["code"] == MICRO_A1
    assert (data["unit"]["adults"], data["unit"]["verified"]) == (3, 1)
    assert len(data["trend"]) == reach.TREND_WEEKS
    rows = c.get("/api/v1/ops/reach/not-verified").json()
    assert rows["count"] == 2
    assert {r["name"]: r["registered"] for r in rows["results"]} == {
        "张桂芳": False,
        "何小梅": True,
    }
    assert all("****" in r["phone"] or r["phone"] == "" for r in rows["results"])
    # A street's dispatcher sees the figure on the operations dashboard.
    c.force_login(people["dispatcher"])
    street = GridNode.objects.get(code=COMMUNITY).parent
    assert street is not None
    board = c.get(f"/ops/unit/{street.code}/").content.decode()
    assert "认证率" in board and "1 / 4 人" in board


def test_adults_are_counted_from_their_birthday(settings: Any) -> None:
    settings.REACH_ADULT_AGE = 18
    day = timezone.localdate()
    assert reach.adult_born_by(day) == day.replace(year=day.year - 18)
    leap = day.replace(year=2024, month=2, day=29)
    assert reach.adult_born_by(leap) == leap.replace(year=2006, day=28)
