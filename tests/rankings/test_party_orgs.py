"""The party organisations' board: certified service hours per member, so size does not win."""

from collections.abc import Callable
from decimal import Decimal

import time_machine
from django.test import Client

from tests.conftest import GRID_B, MICRO_A1, MICRO_A2, MICRO_B1
from tests.party.conftest import shanghai
from wangge.grids.models import GridNode
from wangge.party.models import PartyMember, PartyOrg
from wangge.rankings.periods import Period
from wangge.rankings.selectors import compute_org_lines, party_orgs_board
from wangge.rankings.services import freeze_party_orgs, org_digest_rows
from wangge.volunteering.models import SignUp

NOW = shanghai(2026, 11, 21, 12, 0)
MONTH = Period.containing("month", NOW.date())


def test_hours_per_member_and_the_tie_rule(
    make_member: Callable[..., PartyMember],
    serve: Callable[..., SignUp],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    # Branch A: three members (one in its 党小组), 6 hours → 2 per member, last confirmed 11-10.
    a1 = make_member("张建华", orgs["group_a1"], tree[MICRO_A1])
    a2 = make_member("陈刚", orgs["branch_a"], tree[MICRO_A2])
    make_member("周红", orgs["branch_a"], tree[MICRO_A2])
    serve(a1.user, "4.00", shanghai(2026, 11, 3, 9, 0))
    serve(a2.user, "2.00", shanghai(2026, 11, 9, 9, 0), shanghai(2026, 11, 10, 9, 0))
    # Branch B: one member, 2 hours → 2 per member as well, but reached on 11-12: ranks lower.
    b = make_member("刘芳", orgs["branch_b"], tree[MICRO_B1])
    serve(b.user, "2.00", shanghai(2026, 11, 12, 9, 0), shanghai(2026, 11, 12, 11, 0))
    # The unit's branch: a member with 1 hour.
    u = make_member("马丽", orgs["unit_branch"], tree[MICRO_B1])
    serve(u.user, "1.00", shanghai(2026, 11, 5, 9, 0))
    serve(u.user, "9.00", shanghai(2026, 10, 5, 9, 0))  # October: not this month

    lines = compute_org_lines(MONTH)
    assert [(ln.name, ln.members, ln.hours, ln.score) for ln in lines] == [
        ("碧沙岗第1网格党支部", 3, Decimal("6.00"), Decimal("2.00")),
        ("碧沙岗第2网格党支部", 1, Decimal("2.00"), Decimal("2.00")),
        ("市场监管局第一党支部", 1, Decimal("1.00"), Decimal("1.00")),
    ]
    with time_machine.travel(NOW, tick=False):
        view = party_orgs_board(b.user, MONTH, tree[GRID_B])
        assert [r.name for r in view.rows] == ["碧沙岗第2网格党支部"]
        whole = party_orgs_board(b.user, MONTH, tree["410102"])
    assert whole.me is not None
    assert (whole.me.rank, whole.me.higher, whole.me.tied_earlier) == (2, 0, 1)
    assert whole.me.org_name == "碧沙岗第2网格党支部"

    with time_machine.travel(shanghai(2026, 12, 1, 0, 10), tick=False):
        frozen = freeze_party_orgs(MONTH)
    assert frozen.rows == 3
    assert org_digest_rows(MONTH, stored=True) == org_digest_rows(MONTH, stored=False)
    # Service certified later for November does not move the frozen board.
    serve(u.user, "20.00", shanghai(2026, 11, 28, 9, 0))
    with time_machine.travel(shanghai(2026, 12, 2, 9, 0), tick=False):
        c = Client()
        c.force_login(b.user)
        body = c.get("/api/v1/rankings?board=party_orgs&period=month&date=2026-11-15").json()
    assert body["frozen"] is True
    assert [(r["rank"], r["name"], r["score"], r["members"]) for r in body["rows"]] == [
        (1, "碧沙岗第1网格党支部", "2.00", 3),
        (2, "碧沙岗第2网格党支部", "2.00", 1),
        (3, "市场监管局第一党支部", "1.00", 1),
    ]
    assert body["me"]["rank"] == 2
