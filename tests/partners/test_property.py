"""红色物业: a property company manages A1; its staff serve there as 微网格长; its figures are
the case KPIs of A1 beside those of 碧沙岗社区 as a whole, by the definitions of
cases.selectors (checked by hand on a small known set, and against `kpis` for the community)."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import IN_B1
from tests.conftest import COMMUNITY, MICRO_A1, MICRO_B1, STREET
from tests.partners.conftest import node
from wangge.accounts.models import Role
from wangge.cases.models import Case, Status
from wangge.cases.selectors import kpis
from wangge.core.errors import ValidationFailed
from wangge.partners import selectors
from wangge.partners.services import compound_add, property_staff_add

pytestmark = pytest.mark.django_db


def settle(
    case: Case, *, due: datetime, resolved: bool, contacted: bool, solved: bool, verdict: str
) -> None:
    Case.objects.filter(pk=case.pk).update(
        status=Status.CLOSED,
        due_at=due,
        resolved_at=due - timedelta(hours=2) if resolved else None,
        closed_on_time=resolved,
        followup_at=due,
        followup_contacted=contacted,
        followup_solved=solved,
        satisfaction=verdict,
    )


def test_staff_serve_as_micro_grid_leaders_of_the_compound(
    world: dict[str, Any], make_user: Any
) -> None:
    community = world["community"]
    compound = compound_add(actor=community, unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk)
    manager = make_user(name="物业管家陈刚", phone="13800138000")
    staff = property_staff_add(
        actor=community, compound_id=compound.pk, phone="13800138000", post="管家"
    )
    assert staff.unit == world["estate"] and staff.user == manager
    assert manager.grants.get().role == Role.MICRO_GRID_LEADER
    assert manager.grants.get().node.code == MICRO_A1
    assert manager.scope_paths() == (node(MICRO_A1).path,)
    # A school manages no compound; a compound has one company.
    with pytest.raises(ValidationFailed):
        compound_add(actor=community, unit_id=world["school"].pk, node_id=node(MICRO_B1).pk)


def test_figures_are_the_kpis_of_its_compounds_beside_the_community(
    world: dict[str, Any], report: Any
) -> None:
    compound_add(actor=world["community"], unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk)
    now = timezone.now()
    due = now - timedelta(days=1)
    in_a1 = [world["case"], report("楼下垃圾桶满了没人清")]
    in_b1 = report("路灯不亮", at=IN_B1)
    settle(in_a1[0], due=due, resolved=True, contacted=True, solved=True, verdict="satisfied")
    settle(in_a1[1], due=due, resolved=False, contacted=True, solved=False, verdict="basic")
    settle(in_b1, due=due, resolved=True, contacted=False, solved=False, verdict="dissatisfied")
    start, end = now - timedelta(days=7), now + timedelta(days=1)

    [row] = selectors.property_figures(world["community"], start, end)
    assert row.unit == world["estate"] and [n.code for n in row.compounds] == [MICRO_A1]
    assert (row.received, row.received_grid) == (2, 3)
    own = row.own
    assert (own.due, own.closed, own.followups) == (2, 1, 2)
    assert own.completion_rate == 0.5
    assert own.response_rate == 1.0
    assert own.resolution_rate == 0.5
    assert own.satisfaction_rate == 0.95  # (1 + 0.9 × 1) ÷ 2
    grid = row.grid
    assert grid.name == "碧沙岗社区"
    assert (grid.due, grid.closed, grid.followups) == (3, 2, 3)
    assert grid.response_rate == round(2 / 3, 4)
    assert grid.resolution_rate == round(1 / 3, 4)
    assert grid.satisfaction_rate == round(1.9 / 3, 4)
    # The community's figures are the KPI table's own row for it.
    _total, rows = kpis(user=world["dispatcher"], parent=node(STREET), start=start, end=end)
    [table] = [k for k in rows if k.code == COMMUNITY]
    assert grid.as_dict() | {"code": COMMUNITY} == table.as_dict()
    assert row.grid_whole
    # A grid leader of A sees grid A's part of the community, and is told it is a part.
    [part] = selectors.property_figures(world["grid_leader"], start, end)
    assert not part.grid_whole and part.received_grid == 2
    c = Client()
    c.force_login(world["grid_leader"])
    page = c.get("/partners/property/").content.decode()
    assert "碧沙岗社区中您负责的部分" in page and "碧沙岗社区整体" not in page


def test_another_community_sees_no_figures_of_ours(world: dict[str, Any]) -> None:
    compound_add(actor=world["community"], unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk)
    now = timezone.now()
    assert selectors.property_figures(world["other_staff"], now - timedelta(days=7), now) == []
