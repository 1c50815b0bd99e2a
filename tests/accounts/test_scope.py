"""The grid scope: a worker of grid A gets nothing of grid B through any page or endpoint."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, GRID_A, GRID_B, MICRO_A1, MICRO_B1, STREET
from wangge.core.scope import in_scope, minimal_paths
from wangge.grids.models import GridNode


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_minimal_paths_drop_covered_subtrees() -> None:
    assert minimal_paths(["a/b/", "a/", "c/d/", "a/b/c/"]) == ("a/", "c/d/")


def test_scope_filter_per_role(cast: dict[str, Any]) -> None:
    nodes = GridNode.objects.all()
    codes = lambda user: set(in_scope(user, nodes).values_list("code", flat=True))  # noqa: E731
    assert codes(cast["worker_a"]) == {GRID_A, MICRO_A1, f"{GRID_A}002"}
    assert MICRO_B1 in codes(cast["worker_b"]) and MICRO_A1 not in codes(cast["worker_b"])
    assert {GRID_A, GRID_B, COMMUNITY} <= codes(cast["dispatcher"])
    assert codes(cast["admin"]) == set(nodes.values_list("code", flat=True))
    assert codes(cast["resident"]) == set()  # a resident's grant opens no one's data
    assert codes(cast["outsider"]) == set()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/grids/nodes/{GRID_B}",
        f"/api/v1/grids/nodes/{MICRO_B1}",
        f"/api/v1/grids/nodes/{COMMUNITY}",
        f"/api/v1/grids/nodes/{STREET}",
    ],
)
def test_worker_a_cannot_open_nodes_outside_grid_a_by_api(cast: dict[str, Any], url: str) -> None:
    resp = client_for(cast["worker_a"]).get(url)
    assert resp.status_code == 404
    assert resp.json() == {"detail": "网格不存在或无权查看"}


@pytest.mark.parametrize("code", [GRID_B, MICRO_B1, COMMUNITY])
def test_worker_a_cannot_open_map_pages_outside_grid_a(cast: dict[str, Any], code: str) -> None:
    resp = client_for(cast["worker_a"]).get(f"/grids/map/{code}/")
    assert resp.status_code == 404
    assert "吴磊" not in resp.content.decode()


def test_worker_a_sees_own_grid_with_staff_and_no_sibling(cast: dict[str, Any]) -> None:
    body = client_for(cast["worker_a"]).get(f"/api/v1/grids/nodes/{GRID_A}").json()
    assert [c["code"] for c in body["children"]] == [MICRO_A1, f"{GRID_A}002"]
    assert body["staff"] == [
        {"name": "周敏", "role": "网格员", "phone": cast["worker_a"].masked_phone}
    ]
    # The breadcrumb path stops at the top of what they hold.
    assert [n["code"] for n in body["path"]] == [GRID_A]


def test_community_view_counts_only_what_is_below(cast: dict[str, Any]) -> None:
    body = client_for(cast["community"]).get(f"/api/v1/grids/nodes/{COMMUNITY}").json()
    assert {c["code"] for c in body["children"]} == {GRID_A, GRID_B, f"{COMMUNITY}901"}
    assert body["counts"]["micro"] == 3
    assert body["counts"]["grid"] == 2
    assert body["counts"]["exclusive"] == 1


def test_map_home_redirects_to_the_users_own_node(cast: dict[str, Any]) -> None:
    resp = client_for(cast["worker_a"]).get("/grids/map/")
    assert resp.status_code == 302
    assert resp["Location"] == f"/grids/map/{GRID_A}/"


def test_people_without_a_grid_get_a_clear_refusal(cast: dict[str, Any]) -> None:
    resp = client_for(cast["resident"]).get("/grids/map/")
    assert resp.status_code == 403
    assert "您没有负责的网格" in resp.content.decode()


def test_staff_phones_are_masked_on_the_map(cast: dict[str, Any]) -> None:
    page = client_for(cast["community"]).get(f"/grids/map/{GRID_A}/").content.decode()
    assert cast["worker_a"].masked_phone in page
    assert cast["worker_a"].phone not in page


def test_residents_on_a_node_are_not_listed_as_its_staff(cast: dict[str, Any], tree: Any) -> None:
    body = client_for(cast["admin"]).get(f"/api/v1/grids/nodes/{MICRO_A1}").json()
    assert body["staff"] == []  # 王秀兰 lives in A1 but is a resident, not staff
    page = client_for(cast["admin"]).get(f"/grids/map/{MICRO_A1}/").content.decode()
    assert "王秀兰" not in page
