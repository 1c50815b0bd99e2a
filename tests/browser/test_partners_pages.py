"""共建单位 and 民生服务项目 as first opened: the community's staff on a 390 × 844 phone (the
units, needs and projects, a property company's page, the forms of a need and a project, a
project with its shares and progress, 红色物业's figures), the street's dispatcher on a desk.
axe-core finds nothing critical or serious; on the phone no control is under 44 × 44 and
nothing scrolls sideways."""

import json
from typing import Any

import pytest

from tests.browser.conftest import opened, sign_in, watch
from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from tests.conftest import MICRO_A1, PASSWORD
from tests.partners.conftest import node, two_party_project, world  # noqa: F401
from tests.residents.conftest import register  # noqa: F401  (the small register)
from wangge.partners.services import compound_add, project_advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partners_pages_for_the_community_on_a_phone_and_the_street_on_a_desk(
    live_server: Any,
    world: dict[str, Any],  # noqa: F811
    new_page: Any,
) -> None:
    base = live_server.url
    project = two_party_project(world)
    project_advance(
        actor=world["community"], project_id=project.pk, to_status="in_progress", note="进场施工"
    )
    compound_add(actor=world["community"], unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk)
    findings: dict[str, Any] = {}

    staff = new_page(phone=True)
    problems = watch(staff)
    sign_in(staff, base, world["community"].phone, PASSWORD)
    for path in (
        "/partners/",
        f"/partners/units/{world['estate'].pk}/",
        "/partners/needs/new/",
        "/partners/projects/new/",
        f"/partners/projects/{project.pk}/",
        "/partners/property/",
    ):
        found = opened(staff, base, path, phone=True, name="partners")
        if found:
            findings[f"社区 {path}"] = found
    staff.goto(f"{base}/partners/projects/{project.pk}/")
    assert "两方筹资" in staff.content() and "3000.00" in staff.content()

    desk = new_page()
    problems += watch(desk)
    sign_in(desk, base, world["dispatcher"].phone, PASSWORD)
    for path in ("/partners/", f"/partners/projects/{project.pk}/", "/partners/property/"):
        found = opened(desk, base, path, phone=False, name="partners")
        if found:
            findings[f"街道 {path}"] = found
    assert "百花物业服务有限公司" in desk.content()

    assert findings == {}, json.dumps(findings, ensure_ascii=False, indent=1)
    assert problems == [], problems
