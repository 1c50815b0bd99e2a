"""A party organisation tree on the test grid tree, and a unit whose members live there.

林山寨街道党工委 (street)
└─ 碧沙岗社区党委 (community)
   ├─ 碧沙岗第1网格党支部 (grid A)
   │   └─ 1号楼党小组 (micro A1)
   └─ 碧沙岗第2网格党支部 (grid B)
中原区市场监管局机关党委 (a unit, on the district)
└─ 市场监管局第一党支部
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import COMMUNITY, DISTRICT, GRID_A, GRID_B, MICRO_A1, STREET
from tests.volunteering.conftest import make_task  # noqa: F401  (shared fixture)
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.party.models import OrgKind, PartyMember, PartyOrg
from wangge.party.services import (
    member_decide,
    member_declare,
    org_create,
    registration_register,
)
from wangge.volunteering.models import SignUp, Task

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def orgs(tree: dict[str, GridNode]) -> dict[str, PartyOrg]:
    street = org_create(
        name="林山寨街道党工委", kind=OrgKind.WORKING_COMMITTEE, grid_node=tree[STREET]
    )
    community = org_create(
        name="碧沙岗社区党委", kind=OrgKind.COMMITTEE, grid_node=tree[COMMUNITY], parent=street
    )
    branch_a = org_create(
        name="碧沙岗第1网格党支部", kind=OrgKind.BRANCH, grid_node=tree[GRID_A], parent=community
    )
    group_a1 = org_create(
        name="1号楼党小组", kind=OrgKind.GROUP, grid_node=tree[MICRO_A1], parent=branch_a
    )
    branch_b = org_create(
        name="碧沙岗第2网格党支部", kind=OrgKind.BRANCH, grid_node=tree[GRID_B], parent=community
    )
    unit = org_create(
        name="中原区市场监管局机关党委",
        kind=OrgKind.COMMITTEE,
        grid_node=tree[DISTRICT],
        is_unit=True,
    )
    unit_branch = org_create(
        name="市场监管局第一党支部",
        kind=OrgKind.BRANCH,
        grid_node=tree[DISTRICT],
        parent=unit,
        is_unit=True,
    )
    return {
        "street": street,
        "community": community,
        "branch_a": branch_a,
        "group_a1": group_a1,
        "branch_b": branch_b,
        "unit": unit,
        "unit_branch": unit_branch,
    }


@pytest.fixture
def make_member(
    cast: dict[str, User], make_user: Callable[..., User], orgs: dict[str, PartyOrg]
) -> Callable[..., PartyMember]:
    """A verified member living in `home`, member of `org`."""

    def make(name: str, org: PartyOrg, home: GridNode, *, register: bool = True) -> PartyMember:
        user = make_user(Role.RESIDENT, home, name=name)
        member_declare(user=user, org_id=org.pk, joined_on=date(2010, 7, 1))
        member = member_decide(actor=cast["admin"], member_id=user.party_member.pk, approve=True)
        if register:
            community = home
            while community.level != "community":
                assert community.parent is not None
                community = community.parent
            registration_register(user=user, kind="residence", community_code=community.code)
        return member

    return make


@pytest.fixture
def serve(make_task: Callable[..., Task], cast: dict[str, User]) -> Callable[..., SignUp]:  # noqa: F811
    """Certified service: `hours` for `user` on a task served at `served_at`, confirmed at
    `confirmed_at` (an hour later by default)."""
    counter = iter(range(1, 10_000))

    def record(
        user: User, hours: str, served_at: datetime, confirmed_at: datetime | None = None
    ) -> SignUp:
        task = make_task(
            cast["community"],
            title=f"社区服务{next(counter)}",
            starts_at=served_at,
            ends_at=served_at + timedelta(hours=3),
        )
        return SignUp.objects.create(
            task=task,
            user=user,
            hours_status=SignUp.Hours.CONFIRMED,
            hours=Decimal(hours),
            served_at=served_at,
            confirmed_at=confirmed_at or served_at + timedelta(hours=1),
        )

    return record


def shanghai(*args: Any) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)
