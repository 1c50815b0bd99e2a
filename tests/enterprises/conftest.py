"""Enterprises on the test tree: one in grid A's micro-grid A1, one in the 碧沙岗商圈 exclusive
grid, one in grid B; a member (企业用户) for each of the first two."""

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from stdnum.cn import uscc as uscc_std

from tests.cases.conftest import IN_A1, IN_B1, IN_EXCLUSIVE, catalogue, people  # noqa: F401
from tests.conftest import EXCLUSIVE, MICRO_A1
from wangge.accounts.models import Role, User
from wangge.enterprises.models import Enterprise
from wangge.enterprises.services import EnterpriseInput, enterprise_create
from wangge.grids.models import GridNode

_seq = count(1)


def make_uscc(n: int | None = None) -> str:
    body = f"91410102MA{(n if n is not None else next(_seq)):07d}"
    return body + uscc_std.calc_check_digit(body)


def enterprise_input(**kw: Any) -> EnterpriseInput:
    at = kw.pop("at", IN_A1)
    values: dict[str, Any] = {
        "name": "郑州中原精密机械有限公司",
        "uscc": make_uscc(),
        "industry": "C",
        "size": "small",
        "founded_on": None,
        "revenue_band": "500-2000",
        "headcount": 50,
        "tags": ["高新技术企业"],
        "address": "中原区伊河路 88 号",
        "lon": at[0] if at else None,
        "lat": at[1] if at else None,
        "contact_name": "陈志远",
        "contact_phone": "13712345678",
    }
    values.update(kw)
    return EnterpriseInput(**values)


@pytest.fixture
def make_enterprise(people: dict[str, User]) -> Callable[..., Enterprise]:  # noqa: F811
    def make(*, members: tuple[User, ...] = (), **kw: Any) -> Enterprise:
        e = enterprise_create(actor=people["admin"], data=enterprise_input(**kw))
        e.members.add(*members)
        return e

    return make


@pytest.fixture
def firms(
    people: dict[str, User],  # noqa: F811
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
    make_enterprise: Callable[..., Enterprise],
) -> dict[str, Any]:
    owner_a = make_user(Role.ENTERPRISE, tree[MICRO_A1], name="陈志远")
    owner_mall = make_user(Role.ENTERPRISE, tree[EXCLUSIVE], name="林晓")
    from datetime import date

    a = make_enterprise(members=(owner_a,), founded_on=date(2020, 5, 1))
    mall = make_enterprise(
        members=(owner_mall,),
        name="碧沙岗商圈餐饮管理有限公司",
        industry="H",
        size="micro",
        at=IN_EXCLUSIVE,
        founded_on=date(2024, 3, 1),
        revenue_band="100-500",
        headcount=12,
        tags=[],
        contact_phone="13698765432",
    )
    b = make_enterprise(
        name="桐柏路数码科技有限公司",
        industry="I",
        size="medium",
        at=IN_B1,
        founded_on=date(2015, 8, 20),
        revenue_band="2000-1e4",
        headcount=180,
        tags=["专精特新"],
        contact_phone="13511112222",
    )
    return {"a": a, "mall": mall, "b": b, "owner_a": owner_a, "owner_mall": owner_mall}
