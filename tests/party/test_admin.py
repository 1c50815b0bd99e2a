"""The admin edits the organisation tree through the services: new organisations get their path,
a moved one takes its whole subtree along, and the tree's rules are refused in Chinese."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import GRID_A, MICRO_A1
from wangge.core.errors import ValidationFailed
from wangge.grids.models import GridNode
from wangge.party.models import OrgKind, PartyMember, PartyOrg
from wangge.party.selectors import members_of
from wangge.party.services import org_create, org_move

pytestmark = pytest.mark.django_db


def _form(org: PartyOrg, **changes: Any) -> dict[str, Any]:
    form = {
        "name": org.name,
        "kind": org.kind,
        "parent": org.parent_id or "",
        "grid_node": org.grid_node_id,
        "is_unit": "on" if org.is_unit else "",
    }
    return {**form, **changes}


def test_organisations_added_in_the_admin_get_their_place_in_the_tree(
    superuser_client: Client, orgs: dict[str, PartyOrg], tree: dict[str, GridNode]
) -> None:
    community = orgs["community"]
    for name in ("碧沙岗第3网格党支部", "碧沙岗第4网格党支部"):
        page = superuser_client.post(
            "/admin/party/partyorg/add/",
            {
                "name": name,
                "kind": OrgKind.BRANCH,
                "parent": community.pk,
                "grid_node": tree[GRID_A].pk,
            },
        )
        assert page.status_code == 302, page.content.decode()
        added = PartyOrg.objects.get(name=name)
        assert added.path == f"{community.path}{added.pk}/"
    refused = superuser_client.post(
        "/admin/party/partyorg/add/",
        {
            "name": "错挂的党小组",
            "kind": OrgKind.GROUP,
            "parent": community.pk,
            "grid_node": tree[GRID_A].pk,
        },
    )
    assert refused.status_code == 200
    assert "党小组不能隶属于党委" in refused.content.decode()
    assert not PartyOrg.objects.filter(name="错挂的党小组").exists()


def test_moving_a_branch_takes_its_groups_and_members_along(
    superuser_client: Client, orgs: dict[str, PartyOrg], make_member: Any, tree: dict[str, GridNode]
) -> None:
    branch_a, group_a1, unit = orgs["branch_a"], orgs["group_a1"], orgs["unit"]
    member: PartyMember = make_member("孙立新", org=group_a1, home=tree[MICRO_A1])
    page = superuser_client.post(
        f"/admin/party/partyorg/{branch_a.pk}/change/",
        _form(branch_a, parent=unit.pk, name="碧沙岗第1网格联合党支部"),
    )
    assert page.status_code == 302, page.content.decode()
    branch_a.refresh_from_db()
    group_a1.refresh_from_db()
    assert branch_a.name == "碧沙岗第1网格联合党支部" and branch_a.parent_id == unit.pk
    assert branch_a.path == f"{unit.path}{branch_a.pk}/"
    assert group_a1.path == f"{branch_a.path}{group_a1.pk}/"
    assert member in members_of(unit)
    assert member not in members_of(orgs["community"])


def test_an_organisation_cannot_move_under_its_own_subtree(
    superuser_client: Client, orgs: dict[str, PartyOrg]
) -> None:
    community, branch_a = orgs["community"], orgs["branch_a"]
    before = list(PartyOrg.objects.values_list("pk", "parent_id", "path"))
    page = superuser_client.post(
        f"/admin/party/partyorg/{community.pk}/change/", _form(community, parent=branch_a.pk)
    )
    assert page.status_code == 200
    assert "不能隶属于自身或自己的下级组织" in page.content.decode()
    with pytest.raises(ValidationFailed, match="不能隶属于自身或自己的下级组织"):
        org_move(org=orgs["street"], parent=orgs["street"])
    assert list(PartyOrg.objects.values_list("pk", "parent_id", "path")) == before


def test_a_change_of_kind_must_still_fit_the_suborganisations_and_members(
    superuser_client: Client, orgs: dict[str, PartyOrg], make_member: Any, tree: dict[str, GridNode]
) -> None:
    branch_a = orgs["branch_a"]
    make_member("孙立新", org=branch_a, home=tree[MICRO_A1])
    page = superuser_client.post(
        f"/admin/party/partyorg/{branch_a.pk}/change/",
        _form(branch_a, kind=OrgKind.GENERAL_BRANCH),
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "下级组织“1号楼党小组”（党小组）不能隶属于党总支" in body
    assert "该组织有党员，只能是党支部或党小组" in body
    branch_a.refresh_from_db()
    assert branch_a.kind == OrgKind.BRANCH


def test_a_move_to_a_parent_of_the_wrong_kind_is_refused_by_the_service(
    orgs: dict[str, PartyOrg], tree: dict[str, GridNode]
) -> None:
    other = org_create(
        name="碧沙岗第5网格党支部",
        kind=OrgKind.BRANCH,
        grid_node=tree[GRID_A],
        parent=orgs["community"],
    )
    with pytest.raises(ValidationFailed, match="党支部不能隶属于党小组"):
        org_move(org=other, parent=orgs["group_a1"])
    other.refresh_from_db()
    assert other.parent_id == orgs["community"].pk
