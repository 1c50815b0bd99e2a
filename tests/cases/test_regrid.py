"""网格调整: a grid moved to another community by import_grids takes its cases (and every other row
scoped to it) along, in the same transaction as the move."""

from collections.abc import Callable

import pytest

from tests.conftest import (
    COMMUNITY,
    DISTRICT,
    GRID_A,
    GRID_B,
    MICRO_A1,
    OTHER_COMMUNITY,
    STREET,
    box,
    feature,
)
from wangge.accounts.models import Role, User
from wangge.cases.models import Case
from wangge.cases.selectors import CaseFilter, case_list
from wangge.grids.models import GridNode
from wangge.grids.services import grids_import
from wangge.notices.services import notice_publish

pytestmark = pytest.mark.django_db


def test_cases_and_notices_follow_their_grid_to_the_new_community(
    people: dict[str, User],
    report: Callable[..., Case],
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
) -> None:
    in_a1 = report("A1 楼道堆放杂物")
    in_b = report("B1 路灯不亮", at=(113.606, 34.752))
    notice = notice_publish(
        actor=people["dispatcher"], node=tree[GRID_A], title="第1网格停水通知", body="周三停水"
    )
    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(
                    OTHER_COMMUNITY,
                    "互助路社区",
                    "community",
                    STREET,
                    box(113.600, 34.750, 113.608, 34.754),
                ),
                feature(
                    GRID_A,
                    "碧沙岗第1网格",
                    "grid",
                    OTHER_COMMUNITY,
                    box(113.600, 34.750, 113.604, 34.754),
                ),
            ],
        }
    )
    new_staff = make_user(
        Role.COMMUNITY_STAFF, GridNode.objects.get(code=OTHER_COMMUNITY), name="郑晓东"
    )
    old_staff = people["community"]
    in_a1.refresh_from_db()
    assert in_a1.grid_path == f"{DISTRICT}/{STREET}/{OTHER_COMMUNITY}/{GRID_A}/{MICRO_A1}/"
    assert set(case_list(new_staff, CaseFilter())) == {in_a1}
    assert set(case_list(old_staff, CaseFilter())) == {in_b}
    assert in_b.grid_path.startswith(f"{DISTRICT}/{STREET}/{COMMUNITY}/{GRID_B}/")
    notice.refresh_from_db()
    assert notice.grid_path == f"{DISTRICT}/{STREET}/{OTHER_COMMUNITY}/{GRID_A}/"
    micro = GridNode.objects.get(code=MICRO_A1)
    assert micro.depth == micro.path.count("/") - 1 == 4
