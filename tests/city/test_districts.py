"""Two districts in one instance: each district's staff see nothing of the other's, every
route the scope matrix checks between grids checked again between districts, with and without
the city above them; the city's staff see and compare both."""

from typing import Any

import pytest
from django.test import Client

from tests.city.conftest import (
    CITY,
    FIRST_POINT,
    OTHER,
    OTHER_GRID,
    OTHER_MICRO,
    OTHER_POINT,
    OTHER_STREET,
)
from tests.conftest import DISTRICT, MICRO_A1, STREET
from tests.test_scope_matrix import CASE_ROUTES, GRID_CODE_ROUTES
from wangge.accounts.models import Role, User
from wangge.accounts.services import role_grant
from wangge.cases.models import Case
from wangge.cases.services import CaseInput, case_intake
from wangge.grids.models import GridNode

pytestmark = pytest.mark.django_db


def _case_at(point: tuple[float, float], who: User, text: str) -> Case:
    case, _created = case_intake(
        data=CaseInput(description=text, lon=point[0], lat=point[1], reporter_phone="13912345678"),
        actor=who,
    )
    return case


def _request(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "post":
        return client.post(url, body, content_type="application/json")
    if method == "post-form":
        return client.post(url, body)
    return client.get(url)


@pytest.fixture(params=["side_by_side", "under_a_city"])
def layout(request: Any, two_districts: dict[str, GridNode]) -> dict[str, GridNode]:
    if request.param == "under_a_city":
        return request.getfixturevalue("city")
    return two_districts


def test_a_districts_administrator_gets_nothing_of_the_other_district(
    layout: dict[str, GridNode], cast: dict[str, Any], other_people: dict[str, User]
) -> None:
    # Every route of the scope matrix that takes a grid code, with the other district's codes
    # (one set-up for all: each tree import is the cost here).
    mine = Client()
    mine.force_login(cast["admin"])  # 中原区's administrator
    theirs = Client()
    theirs.force_login(other_people["admin"])
    for route in sorted(GRID_CODE_ROUTES):
        for code in (OTHER_GRID, OTHER_MICRO):
            url = GRID_CODE_ROUTES[route].format(code=code)
            resp = mine.get(url)
            assert resp.status_code in (403, 404), url
            body = resp.content.decode()
            assert "冯志强" not in body and "陇海" not in body, url
            # The other district's own administrator opens it: the refusal is the scope.
            assert theirs.get(url).status_code == 200, url


def test_a_case_of_the_other_district_is_a_404(
    layout: dict[str, GridNode], cast: dict[str, Any], other_people: dict[str, User]
) -> None:
    case = _case_at(OTHER_POINT, other_people["resident"], "二七区的问题：冯志强负责")
    assert case.micro_grid is not None and case.micro_grid.code == OTHER_MICRO
    clients = []
    for who in (cast["admin"], cast["dispatcher"]):
        client = Client()
        client.force_login(who)
        clients.append((who, client))
    for route in sorted(CASE_ROUTES):
        method, template, body = CASE_ROUTES[route]
        for who, client in clients:
            resp = _request(client, method, template.format(id=case.pk), body)
            assert resp.status_code == 404, (route, who.name)
            assert "冯志强" not in resp.content.decode()
            assert "13912345678" not in resp.content.decode()
    theirs = Client()
    theirs.force_login(other_people["admin"])
    assert theirs.get(f"/api/v1/cases/{case.pk}").status_code == 200


def test_lists_and_figures_keep_to_the_district(
    layout: dict[str, GridNode], cast: dict[str, Any], other_people: dict[str, User]
) -> None:
    mine = _case_at(FIRST_POINT, cast["resident"], "中原区的井盖松动")
    theirs = _case_at(OTHER_POINT, other_people["resident"], "二七区的路灯不亮")
    client = Client()
    client.force_login(cast["admin"])
    listed = {c["id"] for c in client.get("/api/v1/cases").json()["results"]}
    assert mine.pk in listed and theirs.pk not in listed
    # The other district's KPI table and dashboard do not exist for this administrator.
    assert client.get(f"/cases/kpi/{OTHER}/").status_code == 404
    assert client.get(f"/cases/kpi/{OTHER_STREET}/").status_code == 404
    assert client.get(f"/ops/unit/{OTHER}/").status_code == 404
    assert client.get(f"/cases/kpi/{DISTRICT}/").status_code == 200


def test_the_city_compares_its_districts_by_the_same_definitions(
    city: dict[str, GridNode],
    cast: dict[str, Any],
    other_people: dict[str, User],
    make_user: Any,
) -> None:
    for _ in range(2):
        _case_at(FIRST_POINT, cast["resident"], "中原区的井盖松动")
    waiting = _case_at(OTHER_POINT, other_people["resident"], "二七区的路灯不亮")
    # One at 二七区's desk, placed in no street yet (as a case 转办 from another district is).
    Case.objects.filter(pk=waiting.pk).update(
        street=None, community=None, micro_grid=None, grid_path=city[OTHER].path
    )
    officer = make_user(Role.ADMIN, city[CITY], name="郑市运", is_staff=True)
    client = Client()
    client.force_login(officer)
    assert {c["title"] for c in client.get("/api/v1/cases").json()["results"]} >= {
        "中原区的井盖松动",
        "二七区的路灯不亮",
    }
    page = client.get(f"/cases/kpi/{CITY}/").content.decode()
    assert "中原区" in page and "二七区" in page
    # The city's table is the districts' own rows: the same figures each district reads.
    from datetime import timedelta

    from django.utils import timezone

    from wangge.cases import selectors

    # A window holding the cases' resolve deadlines: they count as due in it.
    start = timezone.now() - timedelta(days=1)
    end = start + timedelta(days=60)
    _total, rows = selectors.kpis(user=officer, parent=city[CITY], start=start, end=end)
    by_code = {r.code: r for r in rows}
    assert set(by_code) == {DISTRICT, OTHER}
    for code, admin in ((DISTRICT, cast["admin"]), (OTHER, other_people["admin"])):
        own_total, _rows = selectors.kpis(
            user=admin, parent=GridNode.objects.get(code=code), start=start, end=end
        )
        assert by_code[code] == own_total
    assert by_code[DISTRICT].due == 2 and by_code[OTHER].due == 1
    assert client.get(f"/ops/unit/{CITY}/").status_code == 200


def test_importing_the_city_moves_each_district_under_it_with_its_cases(
    two_districts: dict[str, GridNode], cast: dict[str, Any]
) -> None:
    case = _case_at(FIRST_POINT, cast["resident"], "中原区的井盖松动")
    assert case.grid_path.startswith(f"{DISTRICT}/")
    from django.core.management import call_command  # noqa: F401  (the import is the service)

    city_nodes = _import_city(two_districts)
    case.refresh_from_db()
    assert city_nodes[DISTRICT].path == f"{CITY}/{DISTRICT}/"
    assert city_nodes[MICRO_A1].path.startswith(f"{CITY}/{DISTRICT}/")
    assert case.grid_path.startswith(f"{CITY}/{DISTRICT}/")
    # The grid's own worker still has the case, and the district's administrator still only
    # their district.
    worker = Client()
    worker.force_login(cast["worker_b"])
    assert worker.get(f"/api/v1/cases/{case.pk}").status_code == 200
    assert cast["admin"].scope_paths() == (f"{CITY}/{DISTRICT}/",)


def _import_city(nodes: dict[str, GridNode]) -> dict[str, GridNode]:
    from tests.conftest import box, feature
    from wangge.grids.services import grids_import

    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                feature(CITY, "郑州市", "city", None, box(113.40, 34.60, 113.80, 34.90)),
                feature(DISTRICT, "中原区", "district", CITY, nodes[DISTRICT].boundary),
                feature(OTHER, "二七区", "district", CITY, nodes[OTHER].boundary),
            ],
        }
    )
    return {n.code: n for n in GridNode.objects.all()}


def test_a_city_has_no_parent_and_a_district_only_a_city(
    two_districts: dict[str, GridNode],
) -> None:
    from tests.conftest import box, feature
    from wangge.grids.services import ImportRejected, grids_import

    with pytest.raises(ImportRejected) as refused:
        grids_import(
            {
                "type": "FeatureCollection",
                "features": [
                    feature(CITY, "郑州市", "city", DISTRICT, box(113.40, 34.60, 113.80, 34.90)),
                ],
            }
        )
    assert "市级网格不能有上级" in str(refused.value.problems)
    with pytest.raises(ImportRejected) as refused:
        grids_import(
            {
                "type": "FeatureCollection",
                "features": [feature(OTHER, "二七区", "district", STREET, None)],
            }
        )
    assert "层级不能包含" in str(refused.value.problems)


def test_a_case_nowhere_known_waits_at_the_top_the_instance_has(
    two_districts: dict[str, GridNode], cast: dict[str, Any]
) -> None:
    # Two districts side by side share no top: neither district's staff get it.
    lost = _case_at((100.0, 20.0), cast["resident"], "不知道在哪里的问题")
    assert lost.grid_path == ""
    nodes = _import_city(two_districts)
    found = _case_at((100.0, 20.0), cast["resident"], "不知道在哪里的问题")
    assert found.grid_path == nodes[CITY].path


def test_a_district_administrator_grants_roles_only_in_their_district(
    two_districts: dict[str, GridNode], cast: dict[str, Any], other_people: dict[str, User]
) -> None:
    # The grant itself is the scope: the same call on the city makes a city officer.
    assert cast["admin"].scope_paths() == (f"{DISTRICT}/",)
    assert other_people["admin"].scope_paths() == (f"{OTHER}/",)
    both = other_people["worker"]
    role_grant(user=both, role=Role.GRID_WORKER, node=two_districts[MICRO_A1])
    both.__dict__.pop("_scope_paths", None)
    assert len(both.scope_paths() or ()) == 2


def test_the_honour_board_opens_on_the_callers_own_district(
    two_districts: dict[str, GridNode], other_people: dict[str, User]
) -> None:
    client = Client()
    client.force_login(other_people["resident"])
    answer = client.get("/api/v1/rankings").json()
    assert (answer["grid"], answer["grid_name"]) == (OTHER, "二七区")


def test_the_city_gets_its_circular_with_a_row_per_district(
    city: dict[str, GridNode],
    cast: dict[str, Any],
    other_people: dict[str, User],
    settings: Any,
    tmp_path: Any,
) -> None:
    from django.utils import timezone

    from wangge.ops.services import circular_generate

    settings.MEDIA_ROOT = tmp_path
    _case_at(FIRST_POINT, cast["resident"], "中原区的井盖松动")
    _case_at(OTHER_POINT, other_people["resident"], "二七区的路灯不亮")
    circular = circular_generate(node=city[CITY], kind="weekly", start=timezone.localdate())
    rows = circular.figures["rows"]
    assert {r["code"] for r in rows} == {DISTRICT, OTHER}


def test_the_city_dashboard_counts_by_community_and_adds_up_its_districts(
    city: dict[str, GridNode], cast: dict[str, Any], other_people: dict[str, User]
) -> None:
    from django.utils import timezone

    from tests.conftest import COMMUNITY
    from wangge.ops import aggregates
    from wangge.ops.selectors import figures_core

    _case_at(FIRST_POINT, cast["resident"], "中原区的井盖松动")
    _case_at(FIRST_POINT, cast["resident"], "中原区的路灯不亮")
    _case_at(OTHER_POINT, other_people["resident"], "二七区的路灯不亮")
    aggregates.refresh(full=True)
    community = GridNode.objects.get(code=COMMUNITY)
    # Counters are kept per community under the city as without it (by level, not by depth).
    assert aggregates.unit_of(f"{community.path}x/") == community.path
    assert aggregates.street_of(community.path) == GridNode.objects.get(code=STREET).path
    figures = figures_core(city[CITY], timezone.now())
    rows = {r.code: r for r in figures["kpi"]["rows"]}
    assert set(rows) == {DISTRICT, OTHER}
    assert {u["code"]: u["open"] for u in figures["units"]} == {DISTRICT: 2, OTHER: 1}
