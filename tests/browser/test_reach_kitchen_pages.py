"""The pages of 认证率, the 10-minute circle and 红色厨房 for each role that opens them, in
Chromium as first opened: the 微网格长 and the community's staff on a 390 × 844 phone (their own
micro-grid's figures and who is not yet reached; the circle's gaps; the kitchen's list, plan,
alerts and month), the street's dispatcher on a desk (the dashboard's 认证率 panel, the circle).
axe-core finds nothing critical or serious; on the phone no control is under 44 × 44 and
nothing scrolls sideways."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import opened, sign_in, watch
from tests.conftest import MICRO_A1, PASSWORD, STREET
from tests.kitchen.conftest import kitchen, lunch  # noqa: F401  (shared fixtures)
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.accounts.models import Role, User
from wangge.grids.models import GridNode
from wangge.kitchen.models import Alert, Outcome
from wangge.kitchen.services import delivery_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reach_and_kitchen_pages_for_each_role(
    live_server: Any,
    people: dict[str, Any],
    lunch: dict[str, Any],  # noqa: F811
    make_user: Callable[..., User],
    new_page: Any,
) -> None:
    base = live_server.url
    delivery_record(
        actor=lunch["deliverer"], delivery_id=lunch["delivery"].pk, outcome=Outcome.NOT_HOME
    )
    alert = Alert.objects.get()
    leader = make_user(Role.MICRO_GRID_LEADER, GridNode.objects.get(code=MICRO_A1), name="郑桂芳")
    findings: dict[str, Any] = {}

    page = new_page(phone=True)
    problems = watch(page)
    sign_in(page, base, leader.phone, PASSWORD)
    found = opened(page, base, "/ops/reach/", phone=True, name="pages")
    if found:
        findings["微网格长 /ops/reach/"] = found
    assert "尚未认证的居民" in page.content()

    staff = new_page(phone=True)
    problems += watch(staff)
    sign_in(staff, base, people["community"].phone, PASSWORD)
    for path in (
        "/ops/reach/",
        "/ops/circle/",
        "/kitchen/",
        "/kitchen/enrolments/",
        f"/kitchen/enrol/{lunch['elder'].pk}/",
        "/kitchen/plans/new/",
        f"/kitchen/plans/{lunch['plan'].pk}/",
        "/kitchen/alerts/",
        f"/kitchen/alerts/{alert.pk}/",
        "/kitchen/figures/",
    ):
        found = opened(staff, base, path, phone=True, name="pages")
        if found:
            findings[f"社区 {path}"] = found

    desk = new_page()
    problems += watch(desk)
    sign_in(desk, base, people["dispatcher"].phone, PASSWORD)
    for path in (
        f"/ops/unit/{STREET}/",
        "/ops/reach/",
        "/ops/circle/",
        "/kitchen/",
        "/kitchen/figures/",
    ):
        found = opened(desk, base, path, phone=False, name="pages")
        if found:
            findings[f"街道 {path}"] = found
    assert "认证率" in desk.content()

    assert findings == {}, json.dumps(findings, ensure_ascii=False, indent=1)
    assert problems == [], problems
