"""The staff navigation (wangge/nav.py): every link a role is shown opens, for every role.

Each person signs in, opens 我的 (which carries the top bar, the bottom tabs of the field roles
and the full menu), and follows every link found there: each must end on a 200 page. The links
a role is not shown must be pages it cannot open, so the table hides nothing it should show.
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import COMMUNITY, DISTRICT, EXCLUSIVE, GRID_A, MICRO_A1, STREET
from wangge.accounts.models import FIELD_ROLES, Role, User
from wangge.cases.models import Department
from wangge.cases.services import department_member_add
from wangge.grids.models import GridNode
from wangge.nav import NAV, nav_for

# Where each role is granted in the test tree (as they are in a district: a dispatcher on the
# street, the district's administrator and auditor at the top, field roles on their grids).
ROLE_NODES = {
    Role.RESIDENT: MICRO_A1,
    Role.PARTY_MEMBER: MICRO_A1,
    Role.MICRO_GRID_LEADER: MICRO_A1,
    Role.GRID_WORKER: GRID_A,
    Role.GRID_LEADER: GRID_A,
    Role.COMMUNITY_STAFF: COMMUNITY,
    Role.STREET_DISPATCHER: STREET,
    Role.DEPARTMENT_HANDLER: STREET,
    Role.EXCLUSIVE_GRID_LEADER: EXCLUSIVE,
    Role.ENTERPRISE: MICRO_A1,
    Role.MERCHANT: MICRO_A1,
    Role.ORG_ADMIN: COMMUNITY,
    Role.ADMIN: DISTRICT,
    Role.AUDITOR: STREET,
}
# Shown in place of each other, by design: field staff have 待办, everyone else 事件 (which leads
# a dispatcher to the desk, a department to 部门待办, a resident to 我的上报). Both open for both.
ALTERNATES = {"queue", "cases"}

LINK = re.compile(r'<a href="(?P<url>[^"]+)" data-(?:nav|tab)="(?P<key>[a-z]+)"')


@pytest.fixture
def everyone(tree: dict[str, GridNode], make_user: Callable[..., User]) -> dict[str, User]:
    people = {}
    for role, code in ROLE_NODES.items():
        people[str(role)] = make_user(role, tree[code], is_staff=role == Role.ADMIN)
    department_member_add(
        department=Department.objects.create(code="CGJ", name="城管局"),
        user=people[Role.DEPARTMENT_HANDLER],
    )
    people["superuser"] = User.objects.create_superuser("13900008888", "pw", name="系统")
    return people


def test_every_role_is_in_the_walk() -> None:
    assert set(ROLE_NODES) == set(Role.values)


def _links(client: Client) -> dict[str, str]:
    page = client.get("/")
    assert page.status_code == 200
    return {m["key"]: m["url"] for m in LINK.finditer(page.content.decode())}


@pytest.mark.parametrize("who", [*[str(r) for r in Role], "superuser"])
def test_every_nav_link_a_role_is_shown_opens(everyone: dict[str, User], who: str) -> None:
    client = Client()
    client.force_login(everyone[who])
    if everyone[who].uses_resident_app:
        # Residents, party members, enterprises and merchants live in 原点在线: "/" takes them
        # there, and its own links are walked by tests/demo/test_resident_frame.py.
        landed = client.get("/", follow=True)
        assert landed.status_code == 200
        assert landed.request["PATH_INFO"] == "/m/"
        return
    links = _links(client)
    assert links, "signed in, a person has at least 我的 and 消息"
    failures = {}
    for key, url in links.items():
        response = client.get(url, follow=True)
        if response.status_code != 200:
            failures[key] = (url, response.status_code)
    assert failures == {}


@pytest.mark.parametrize("who", [*[str(r) for r in Role], "superuser"])
def test_a_link_a_role_is_not_shown_is_a_page_it_cannot_open(
    everyone: dict[str, User], who: str
) -> None:
    user = everyone[who]
    client = Client()
    client.force_login(user)
    shown = {link.key for link in nav_for(user).links}
    opened_anyway = {}
    for item in NAV:
        if item.key in shown or item.key in ALTERNATES:
            continue
        url = reverse(item.url_name)
        response = client.get(url, follow=True)
        landed: Any = response.request.get("PATH_INFO", "")
        # Django's admin answers an outsider with its own login page: a refusal, not a page.
        if response.status_code == 200 and not landed.startswith("/admin/login/"):
            opened_anyway[item.key] = url
    assert opened_anyway == {}


def test_the_links_reported_as_broken_are_gone(everyone: dict[str, User]) -> None:
    """考核 was a 404 for a grid worker and 党组织 a 403 for the worker and the dispatcher."""
    worker = nav_for(everyone[Role.GRID_WORKER])
    dispatcher = nav_for(everyone[Role.STREET_DISPATCHER])
    assert {"kpi", "party", "ops"}.isdisjoint(link.key for link in worker.links)
    assert "party" not in {link.key for link in dispatcher.links}
    assert {"kpi", "ops", "hotline"} <= {link.key for link in dispatcher.links}


@pytest.mark.parametrize("role", sorted(FIELD_ROLES))
def test_field_roles_get_the_five_tabs(everyone: dict[str, User], role: str) -> None:
    nav = nav_for(everyone[role])
    assert nav.field
    assert [str(t.label) for t in nav.tabs] == ["待办", "巡查", "走访", "台账", "我的"]


@pytest.mark.parametrize("who", [Role.STREET_DISPATCHER, Role.ADMIN, Role.AUDITOR, "superuser"])
def test_desk_roles_keep_the_top_bar_without_tabs(everyone: dict[str, User], who: str) -> None:
    client = Client()
    client.force_login(everyone[who])
    page = client.get("/").content.decode()
    assert 'class="tabbar"' not in page
    assert 'class="topnav"' in page


def test_the_open_tab_is_marked(everyone: dict[str, User]) -> None:
    client = Client()
    client.force_login(everyone[Role.GRID_WORKER])
    page = client.get("/patrols/").content.decode()
    assert re.search(r'data-tab="patrols" aria-current="page"', page)
    assert len(re.findall(r'data-tab="[a-z]+" aria-current="page"', page)) == 1
