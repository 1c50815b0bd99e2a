"""The volunteers' board: scores from the ledger, the tie rule, grids, masking, frozen periods."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client

from tests.conftest import GRID_A, GRID_B, MICRO_A1, MICRO_A2, MICRO_B1
from tests.party.conftest import shanghai
from wangge.accounts.models import Role, User
from wangge.core.masking import mask_name_recognisable
from wangge.grids.models import GridNode
from wangge.moderation.models import NameHold
from wangge.points.models import Account, Transfer
from wangge.points.services import (
    points_capture,
    points_hold,
    points_reverse,
    system_account,
    wallet_for,
)
from wangge.rankings import aggregates
from wangge.rankings.aggregates import (
    rebuild_all,
    recompute_volunteers,
    refresh,
    stored_volunteers,
    verify,
)
from wangge.rankings.models import FrozenPeriod, PeriodScore
from wangge.rankings.periods import Period
from wangge.rankings.selectors import volunteers_board
from wangge.rankings.services import freeze_volunteers

NOW = shanghai(2026, 11, 21, 12, 0)  # a Saturday
WEEK = Period.containing("week", NOW.date())


def test_weeks_run_monday_to_sunday_in_beijing() -> None:
    assert WEEK.start == date(2026, 11, 16) and WEEK.last_day == date(2026, 11, 22)
    start, end = WEEK.bounds()
    assert start.isoformat() == "2026-11-16T00:00:00+08:00"
    assert end.isoformat() == "2026-11-23T00:00:00+08:00"
    assert Period.containing("month", date(2026, 12, 31)).end == date(2027, 1, 1)
    assert Period.containing("year", date(2026, 2, 3)).start == date(2026, 1, 1)


def test_mask_name_recognisable() -> None:
    assert [mask_name_recognisable(n) for n in ("王秀兰", "张三", "欧阳小明", "")] == [
        "王*兰",
        "张*",
        "欧**明",
        "",
    ]


@pytest.fixture
def people(make_user: Callable[..., User], tree: dict[str, GridNode]) -> dict[str, User]:
    return {
        "wang": make_user(Role.RESIDENT, tree[MICRO_A1], name="王秀兰"),
        "li": make_user(Role.RESIDENT, tree[MICRO_A2], name="李国强"),
        "zhao": make_user(Role.RESIDENT, tree[MICRO_B1], name="赵敏"),
        "sun": make_user(Role.RESIDENT, tree[MICRO_B1], name="孙浩"),
    }


def test_score_is_points_from_verified_work_only(
    people: dict[str, User], award: Callable[..., Transfer], issuer: Account
) -> None:
    wang, li = people["wang"], people["li"]
    award(wang, 30, shanghai(2026, 11, 16, 9, 0))
    wrong = award(wang, 50, shanghai(2026, 11, 17, 9, 0), reason="误发")
    award(li, 20, shanghai(2026, 11, 18, 9, 0))
    with time_machine.travel(shanghai(2026, 11, 19, 9, 0), tick=False):
        points_reverse(transfer=wrong, key="undo-wrong", reason="误发冲正")
        # Spending points is not earning less: a captured voucher leaves the score alone.
        hold = points_hold(wallet=wallet_for(li), amount=10, key="hold-1", reason="兑换")
        points_capture(
            hold=hold, to=system_account(Account.Kind.MALL, "积分商城"), key="cap-1", reason="兑换"
        )
    with time_machine.travel(NOW, tick=False):
        refresh()
        view = volunteers_board(wang, WEEK, GridNode.objects.get(code="410102"))
    assert [(r.rank, r.name, int(r.score)) for r in view.rows] == [
        (1, "王秀兰", 30),
        (2, "李*强", 20),
    ]
    assert view.me is not None and view.me.rank == 1
    assert [(e.text, int(e.amount)) for e in view.me.entries] == [
        ("志愿服务", 30),
        ("误发", 50),
        ("误发冲正", -50),
    ]
    assert verify(WEEK.start, WEEK.end) == []


def test_the_earlier_to_reach_a_score_ranks_higher(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    wang, li, zhao = people["wang"], people["li"], people["zhao"]
    award(li, 10, shanghai(2026, 11, 16, 8, 0))
    award(li, 10, shanghai(2026, 11, 18, 8, 0))  # li reaches 20 on Wednesday
    award(wang, 20, shanghai(2026, 11, 17, 8, 0))  # wang reaches 20 on Tuesday
    award(zhao, 25, shanghai(2026, 11, 20, 8, 0))
    with time_machine.travel(NOW, tick=False):
        refresh()
        view = volunteers_board(li, WEEK, GridNode.objects.get(code="410102"))
    assert [r.name for r in view.rows] == ["赵*", "王*兰", "李国强"]
    assert view.me is not None
    assert (view.me.rank, view.me.higher, view.me.tied_earlier) == (3, 1, 1)


def test_each_person_chooses_how_the_board_shows_them(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    wang, li, zhao = people["wang"], people["li"], people["zhao"]
    award(wang, 30, shanghai(2026, 11, 17, 8, 0))
    award(li, 20, shanghai(2026, 11, 17, 9, 0))
    award(zhao, 10, shanghai(2026, 11, 17, 10, 0))
    wang.board_name_display = User.NameDisplay.HIDDEN
    wang.save(update_fields=["board_name_display"])
    li.board_name_display = User.NameDisplay.FULL
    li.save(update_fields=["board_name_display"])
    with time_machine.travel(NOW, tick=False):
        refresh()
        view = volunteers_board(zhao, WEEK, GridNode.objects.get(code="410102"))
    # Hidden keeps the place on the board (ranks do not move) without the name.
    assert [r.name for r in view.rows] == ["匿名志愿者", "李国强", "赵敏"]


def test_a_name_still_being_checked_is_not_on_the_board(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    wang, li = people["wang"], people["li"]
    award(wang, 30, shanghai(2026, 11, 17, 8, 0))
    award(li, 20, shanghai(2026, 11, 17, 9, 0))
    li.board_name_display = User.NameDisplay.FULL
    li.save(update_fields=["board_name_display"])
    NameHold.objects.create(user=li, name=li.name)  # content security has not cleared it
    with time_machine.travel(NOW, tick=False):
        refresh()
        view = volunteers_board(wang, WEEK, GridNode.objects.get(code="410102"))
        own = volunteers_board(li, WEEK, GridNode.objects.get(code="410102"))
    assert [r.name for r in view.rows] == ["王秀兰", "匿名志愿者"]  # each sees their own name
    assert [r.name for r in own.rows][1] == li.name  # a person always sees their own


def test_a_grid_board_holds_its_residents_only(
    people: dict[str, User], award: Callable[..., Transfer], tree: dict[str, GridNode]
) -> None:
    for i, u in enumerate(people.values()):
        award(u, 10 + i, shanghai(2026, 11, 17, 9, i))
    with time_machine.travel(NOW, tick=False):
        refresh()
        a = volunteers_board(people["zhao"], WEEK, tree[GRID_A])
        b = volunteers_board(people["zhao"], WEEK, tree[GRID_B])
    assert [r.name for r in a.rows] == ["李*强", "王*兰"]
    assert [r.name for r in b.rows] == ["孙*", "赵敏"]
    assert a.me is not None and a.me.rank is None  # zhao lives in grid B


def test_confirmed_hours_are_shown_beside(
    people: dict[str, User], award: Callable[..., Transfer], serve: Callable[..., object]
) -> None:
    award(people["wang"], 30, shanghai(2026, 11, 17, 12, 0))
    serve(people["wang"], "2.50", shanghai(2026, 11, 17, 9, 0))
    serve(people["wang"], "1.00", shanghai(2026, 11, 10, 9, 0))  # last week
    with time_machine.travel(NOW, tick=False):
        refresh()
        view = volunteers_board(people["li"], WEEK, GridNode.objects.get(code="410102"))
    assert [(r.name, r.hours) for r in view.rows] == [("王*兰", 2.5)]


def test_refresh_catches_up_and_the_aggregates_equal_the_entries(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    award(people["wang"], 5, shanghai(2026, 11, 2, 9, 0))
    with time_machine.travel(shanghai(2026, 11, 2, 10, 0), tick=False):
        refresh()
    # An entry written a fortnight ago but seen only now (a late import): its day is rebuilt.
    award(people["li"], 7, shanghai(2026, 11, 3, 9, 0))
    award(people["wang"], 3, shanghai(2026, 11, 21, 9, 0))
    with time_machine.travel(NOW, tick=False):
        result = refresh()
    assert date(2026, 11, 3) in result.days
    assert verify(date(2026, 11, 1), date(2026, 12, 1)) == []
    month = Period.containing("month", NOW.date())
    assert stored_volunteers(month) == recompute_volunteers(month)
    # A damaged aggregate is reported, and a rebuild repairs it.
    aggregates.DailyPoints.objects.filter(user=people["li"]).update(points=70)
    assert len(verify(date(2026, 11, 1), date(2026, 12, 1))) == 1
    rebuild_all()
    assert verify(date(2026, 11, 1), date(2026, 12, 1)) == []


def test_a_closed_week_is_frozen_and_recomputes_to_the_same_list(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    last_week = WEEK.previous()
    award(people["wang"], 10, shanghai(2026, 11, 10, 9, 0))
    award(people["li"], 10, shanghai(2026, 11, 9, 9, 0))
    award(people["zhao"], 4, shanghai(2026, 11, 15, 23, 59))  # Sunday night: last week
    award(people["sun"], 9, shanghai(2026, 11, 16, 0, 0))  # Monday 00:00: this week
    with time_machine.travel(NOW, tick=False):
        frozen = freeze_volunteers(last_week)
        with pytest.raises(ValueError, match="closed period"):
            freeze_volunteers(WEEK)
    ranked = recompute_volunteers(last_week)
    assert [uid for uid, _p, _r in ranked] == [people[n].pk for n in ("li", "wang", "zhao")]
    assert frozen.rows == 3 and frozen.digest == aggregates.digest(ranked)
    # The frozen rows do not move, even if a later rebuild of the days would.
    before = stored_volunteers(last_week)
    award(people["sun"], 99, shanghai(2026, 11, 12, 9, 0))  # back-dated into the closed week
    with time_machine.travel(NOW, tick=False):
        rebuild_all()
    assert stored_volunteers(last_week) == before
    assert FrozenPeriod.objects.get(pk=frozen.pk).digest == aggregates.digest(before)
    assert PeriodScore.objects.filter(period="week", start=last_week.start).count() == 3


def test_freeze_due_closes_week_month_and_year(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    from wangge.rankings.services import freeze_due

    award(people["wang"], 10, shanghai(2026, 10, 30, 9, 0))
    with time_machine.travel(shanghai(2026, 11, 2, 0, 10), tick=False):
        done = freeze_due()
    closed = {(f.board, f.period, f.start) for f in done}
    assert ("volunteers", "week", date(2026, 10, 26)) in closed
    assert ("volunteers", "month", date(2026, 10, 1)) in closed
    assert ("volunteers", "year", date(2025, 1, 1)) in closed
    assert ("party_orgs", "month", date(2026, 10, 1)) in closed
    with time_machine.travel(shanghai(2026, 11, 2, 0, 11), tick=False):
        assert len(freeze_due()) == len(done)  # idempotent
    assert FrozenPeriod.objects.count() == len(done)


# The API ------------------------------------------------------------------------------------


def test_api_answers_rows_and_my_rank(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    award(people["wang"], 30, shanghai(2026, 11, 17, 9, 0), reason="楼道清洁 2 小时")
    award(people["li"], 40, shanghai(2026, 11, 17, 10, 0))
    with time_machine.travel(NOW, tick=False):
        refresh()
        c = Client()
        c.force_login(people["wang"])
        body = c.get(
            f"/api/v1/rankings?board=volunteers&period=week&date=2026-11-20&grid={GRID_A}"
        ).json()
    assert body["start"] == "2026-11-16" and body["end"] == "2026-11-22" and not body["frozen"]
    assert [(r["rank"], r["name"], r["score"]) for r in body["rows"]] == [
        (1, "李*强", "40"),
        (2, "王秀兰", "30"),
    ]
    assert body["me"]["rank"] == 2 and body["me"]["higher"] == 1
    assert "排第 2 名" in body["me"]["why"]
    assert body["me"]["entries"][0]["text"] == "楼道清洁 2 小时"
    assert "先达到该得分者排名靠前" in body["tie_rule"]


def test_api_refuses_bad_input(people: dict[str, User]) -> None:
    c = Client()
    assert c.get("/api/v1/rankings").status_code == 401
    c.force_login(people["wang"])
    resp = c.get("/api/v1/rankings?board=nobody")
    assert resp.status_code == 422 and resp.json()["detail"] == "请求参数不正确"
    assert c.get("/api/v1/rankings?date=2026-13-01").status_code == 422
    resp = c.get("/api/v1/rankings?date=0001-01-01")
    assert resp.status_code == 422 and "2000 年至 2100 年" in resp.json()["detail"]
    resp = c.get("/api/v1/rankings?grid=999999")
    assert resp.status_code == 404 and resp.json()["detail"] == "网格不存在"


def test_board_page_shows_my_rank_and_the_rule(
    people: dict[str, User], award: Callable[..., Transfer]
) -> None:
    award(people["wang"], 30, shanghai(2026, 11, 17, 9, 0))
    award(people["li"], 30, shanghai(2026, 11, 18, 9, 0))
    with time_machine.travel(NOW, tick=False):
        refresh()
        c = Client()
        c.force_login(people["li"])
        page = c.get("/rankings/?period=week").content.decode()
    assert "王*兰" in page and "李国强（我）" in page
    assert "您本期得分 30，排第 2 名" in page and "得分相同但更早达到的有 1 个" in page
    assert "先达到该得分者排名靠前" in page
    last = WEEK.previous().start + timedelta(days=0)
    assert f"date={last.isoformat()}" in page


def test_the_board_page_offers_the_grids_from_the_district_down_to_my_home(
    people: dict[str, User],
) -> None:
    c = Client()
    c.force_login(people["li"])
    page = c.get("/rankings/").content.decode()
    names = ["中原区", "林山寨街道", "碧沙岗社区", "碧沙岗第1网格", "A2 微网格"]
    where = [page.index(f">{n}</option>") for n in names]
    assert where == sorted(where)
    assert "碧沙岗第2网格</option>" not in page and "B1 微网格</option>" not in page
    # another grid asked for by code is offered too, and selected
    page = c.get(f"/rankings/?grid={MICRO_B1}").content.decode()
    assert f'value="{MICRO_B1}" selected>B1 微网格</option>' in page


def test_the_board_pages_through_periods_with_full_size_buttons(people: dict[str, User]) -> None:
    c = Client()
    c.force_login(people["li"])
    with time_machine.travel(NOW, tick=False):
        page = c.get("/rankings/?period=week").content.decode()
        last = WEEK.previous()
        assert '<a class="btn" rel="prev" href="?board=volunteers&amp;period=week' in page
        assert f"date={last.start.isoformat()}" in page
        assert 'rel="next"' not in page  # no board of a week not yet begun
        earlier = c.get(f"/rankings/?period=week&date={last.start}").content.decode()
    assert 'rel="next" href="?board=volunteers&amp;period=week&amp;grid=' in earlier
    assert f"date={WEEK.start.isoformat()}" in earlier


def test_page_refuses_what_it_cannot_read(people: dict[str, User]) -> None:
    c = Client()
    c.force_login(people["wang"])
    resp = c.get("/rankings/?date=2026-13-01")
    assert resp.status_code == 422 and "日期格式不正确" in resp.content.decode()
    resp = c.get("/rankings/?date=0001-01-01")
    assert resp.status_code == 422 and "2000 年至 2100 年" in resp.content.decode()
    resp = c.get("/rankings/?board=nobody")
    assert (
        resp.status_code == 422 and "榜单只能是 volunteers 或 party_orgs" in resp.content.decode()
    )
    assert c.get("/rankings/?period=month&date=2026-11-15").status_code == 200
