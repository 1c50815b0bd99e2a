"""Who opens what: the community's staff and the street's run 共建单位 and projects, a grid's
leader reads those of the grid, another community's staff get a 404 for every record of ours
and nothing of it in their lists, a grid worker is told the pages are not theirs."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY, MICRO_A1
from tests.partners.conftest import node, two_party_project, wish_need
from wangge.partners.models import Project, ProjectShare
from wangge.partners.services import compound_add

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_each_page_opens_for_the_community_and_shows_its_records(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    compound = compound_add(
        actor=world["community"], unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk
    )
    c = client(world["community"])
    home = c.get("/partners/").content.decode()
    for text in (
        "伊河路小学",
        "郑州华信科技有限公司",
        "楼道扶手进老楼",
        "希望楼道装上扶手",
        "137****5678",
    ):
        assert text in home
    assert "13712345678" not in home
    assert f'href="/residents/wishes/{world["wish"].pk}/"' in home
    for path in (
        f"/partners/units/{world['estate'].pk}/",
        "/partners/units/new/",
        "/partners/needs/new/",
        "/partners/projects/new/",
        f"/partners/projects/{project.pk}/",
        "/partners/property/",
    ):
        assert c.get(path).status_code == 200, path
    page = c.get(f"/partners/projects/{project.pk}/").content.decode()
    assert "1000.00" in page and "2000.00" in page and "3000.00" in page
    assert "百花物业服务有限公司" in c.get("/partners/property/").content.decode()
    assert compound.node.name in c.get(f"/partners/units/{world['estate'].pk}/").content.decode()


def test_another_community_gets_404_and_empty_lists(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    compound = compound_add(
        actor=world["community"], unit_id=world["estate"].pk, node_id=node(MICRO_A1).pk
    )
    c = client(world["other_staff"])
    home = c.get("/partners/")
    assert home.status_code == 200
    for text in ("伊河路小学", "楼道扶手进老楼", "希望楼道装上扶手", "百花物业"):
        assert text not in home.content.decode()
    for path in (
        f"/partners/units/{world['school'].pk}/",
        f"/partners/projects/{project.pk}/",
        f"/api/v1/partners/projects/{project.pk}",
    ):
        assert c.get(path).status_code == 404, path
    for path, data in (
        (
            f"/partners/projects/{project.pk}/funding/",
            {"total": "1", "party_1": "u1", "amount_1": "1"},
        ),
        (f"/partners/projects/{project.pk}/advance/", {"to_status": "in_progress", "note": "x"}),
        (f"/partners/projects/{project.pk}/notes/", {"note": "x"}),
        (f"/partners/units/{world['school'].pk}/resources/", {"kind": "venue", "description": "x"}),
        (f"/partners/units/{world['estate'].pk}/compounds/", {"node": node(MICRO_A1).pk}),
        (f"/partners/compounds/{compound.pk}/staff/", {"phone": "13800138000"}),
    ):
        assert c.post(path, data).status_code == 404, path
    assert "百花物业" not in c.get("/partners/property/").content.decode()
    # The street's company is a party to every community's work; ours are not theirs.
    names = [u["name"] for u in c.get("/api/v1/partners/units").json()["results"]]
    assert names == ["郑州华信科技有限公司"]
    assert c.get("/api/v1/partners/projects").json()["count"] == 0
    project.refresh_from_db()
    assert project.status == "planned" and project.total_fen == 300_000


def test_the_street_sees_all_and_a_grid_leader_reads_only(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    street = client(world["dispatcher"])
    assert "楼道扶手进老楼" in street.get("/partners/").content.decode()
    leader = client(world["grid_leader"])
    page = leader.get(f"/partners/projects/{project.pk}/")
    assert page.status_code == 200
    assert "确认实施中" not in page.content.decode()  # no buttons that write
    leader.post(
        f"/partners/projects/{project.pk}/advance/", {"to_status": "in_progress", "note": "x"}
    )
    project.refresh_from_db()
    assert project.status == "planned"


def test_other_roles_are_told_the_pages_are_not_theirs(world: dict[str, Any]) -> None:
    for who in ("worker_a", "resident"):
        answer = client(world["people"][who]).get("/partners/")
        assert answer.status_code == 403
        assert "仅供社区、网格长和街道工作人员查看" in answer.content.decode()


def test_the_page_refuses_shares_that_do_not_add_up_at_the_shares(world: dict[str, Any]) -> None:
    need = wish_need(world)
    c = client(world["community"])
    answer = c.post(
        "/partners/projects/new/",
        {
            "need": need.pk,
            "title": "楼道扶手",
            "total": "3500",
            "party_1": f"u{world['school'].pk}",
            "amount_1": "1000",
            "party_2": f"u{world['company'].pk}",
            "amount_2": "2000.00",
        },
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "各方出资合计 3000.00 元，与项目总额 3500.00 元不一致" in text
    assert 'id="shares-error"' in text
    assert 'value="3500"' in text  # what was typed is drawn back
    assert not Project.objects.exists() and not ProjectShare.objects.exists()
    bad = c.post("/partners/projects/new/", {"need": need.pk, "title": "x", "total": "12.345"})
    assert bad.status_code == 422 and "金额最多两位小数（分）" in bad.content.decode()
    ok = c.post(
        "/partners/projects/new/",
        {
            "need": need.pk,
            "title": "楼道扶手",
            "total": "3000",
            "party_1": f"u{world['school'].pk}",
            "amount_1": "1000",
            "party_2": f"n{node(COMMUNITY).pk}",
            "amount_2": "2000",
        },
    )
    assert ok.status_code == 302
    assert Project.objects.get().total_fen == 300_000
