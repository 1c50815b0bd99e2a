"""共建单位 on the test tree: 碧沙岗社区 with a school and a property company of its own, and
the street's company (林山寨街道's unit, a party to the community's projects too); a 微心愿 of
the register's 张桂芳, a 议事厅 topic of 第1网格 and a case in A1 to draw needs from; and 互助路社区
beside it with staff of its own, who must see none of this."""

from collections.abc import Callable
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from tests.conftest import COMMUNITY, GRID_A, STREET, add_other_community
from tests.residents.conftest import register  # noqa: F401  (the fixture)
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.ledgers.services import topic_create
from wangge.partners.models import NeedSource, PartnerUnit, UnitKind
from wangge.partners.services import (
    NeedInput,
    ProjectInput,
    ShareInput,
    UnitInput,
    need_create,
    project_create,
    resource_add,
    unit_create,
)
from wangge.residents.services import wish_raise


def node(code: str) -> GridNode:
    return GridNode.objects.get(code=code)


def make_unit(actor: User, name: str, kind: str, code: str) -> PartnerUnit:
    return unit_create(
        actor=actor,
        data=UnitInput(
            name=name,
            kind=kind,
            node_id=node(code).pk,
            contact_name="李老师",
            contact_phone="13712345678",
        ),
    )


@pytest.fixture
def world(
    people: dict[str, User],  # noqa: F811
    register: dict[str, Any],  # noqa: F811
    report: Callable[..., Any],  # noqa: F811
    make_user: Callable[..., User],
) -> dict[str, Any]:
    community = people["community"]
    other = add_other_community()
    school = make_unit(community, "伊河路小学", UnitKind.SCHOOL, COMMUNITY)
    resource_add(
        actor=community, unit_id=school.pk, kind="venue", description="操场和礼堂", capacity="周末"
    )
    company = make_unit(people["dispatcher"], "郑州华信科技有限公司", UnitKind.ENTERPRISE, STREET)
    resource_add(
        actor=people["dispatcher"], unit_id=company.pk, kind="funds", description="公益资金"
    )
    estate = make_unit(community, "百花物业服务有限公司", UnitKind.PROPERTY, COMMUNITY)
    wish = wish_raise(
        actor=community, person=register["elder"], title="希望楼道装上扶手", detail="腿脚不便"
    )
    topic = topic_create(
        actor=community, node=node(GRID_A), title="百花里加装休息座椅", body="老人买菜路上歇脚"
    )
    case = report("小区健身器材损坏，老人锻炼不安全")
    return {
        "people": people,
        "community": community,
        "dispatcher": people["dispatcher"],
        "school": school,
        "company": company,
        "estate": estate,
        "wish": wish,
        "topic": topic,
        "case": case,
        "other": other,
        "other_staff": make_user(Role.COMMUNITY_STAFF, other, name="何静"),
        "grid_leader": people["grid_leader_a"],
    }


def wish_need(world: dict[str, Any]) -> Any:
    return need_create(
        actor=world["community"],
        data=NeedInput(source=NeedSource.WISH, source_id=world["wish"].pk),
    )


def two_party_project(world: dict[str, Any], total: int = 300_000, **kw: Any) -> Any:
    """The wish's project: the school pays 1000.00 元, the company 2000.00 元."""
    need = kw.pop("need", None) or wish_need(world)
    shares = kw.pop(
        "shares",
        (
            ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
            ShareInput(amount_fen=200_000, unit_id=world["company"].pk),
        ),
    )
    return project_create(
        actor=world["community"],
        data=ProjectInput(
            need_id=need.pk, title="楼道扶手进老楼", total_fen=total, shares=shares, **kw
        ),
    )
