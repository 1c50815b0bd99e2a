"""The JSON API: a project made and refunded in fen, bad input answered {"detail": …} in
Chinese, another community's project a 404."""

from typing import Any

import pytest
from django.test import Client

from tests.conftest import COMMUNITY
from tests.partners.conftest import node, two_party_project, wish_need
from wangge.partners.models import Project

pytestmark = pytest.mark.django_db


def client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_project_through_the_api(world: dict[str, Any]) -> None:
    need = wish_need(world)
    c = client(world["community"])
    body = {
        "need_id": need.pk,
        "title": "楼道扶手进老楼",
        "total_fen": 300_000,
        "shares": [
            {"unit_id": world["school"].pk, "amount_fen": 100_000},
            {"node_id": node(COMMUNITY).pk, "amount_fen": 200_000},
        ],
        "residents_served": 40,
    }
    made = c.post("/api/v1/partners/projects", body, content_type="application/json")
    assert made.status_code == 201, made.content
    project = made.json()
    assert project["status"] == "planned" and project["total_fen"] == 300_000
    assert sorted(s["amount_fen"] for s in project["shares"]) == [100_000, 200_000]
    refund = c.put(
        f"/api/v1/partners/projects/{project['id']}/funding",
        {
            "total_fen": 250_000,
            "shares": [
                {"unit_id": world["school"].pk, "amount_fen": 50_000},
                {"unit_id": world["company"].pk, "amount_fen": 200_000},
            ],
        },
        content_type="application/json",
    )
    assert refund.status_code == 200 and refund.json()["total_fen"] == 250_000
    advanced = c.post(
        f"/api/v1/partners/projects/{project['id']}/advance",
        {"to_status": "in_progress", "note": "开工"},
        content_type="application/json",
    )
    assert advanced.json()["status"] == "in_progress"
    assert [p["to_status"] for p in advanced.json()["progress"]] == ["planned", "in_progress"]
    assert c.get("/api/v1/partners/needs").json()["results"][0]["source"] == "wish"
    assert c.get("/api/v1/partners/units").json()["results"][0]["contact_phone"].count("*") == 4


def test_bad_input_is_answered_in_chinese(world: dict[str, Any]) -> None:
    need = wish_need(world)
    c = client(world["community"])
    uneven = c.post(
        "/api/v1/partners/projects",
        {
            "need_id": need.pk,
            "title": "x",
            "total_fen": 300_001,
            "shares": [
                {"unit_id": world["school"].pk, "amount_fen": 100_000},
                {"unit_id": world["company"].pk, "amount_fen": 200_000},
            ],
        },
        content_type="application/json",
    )
    assert uneven.status_code == 422
    assert uneven.json() == {"detail": "各方出资合计 3000.00 元，与项目总额 3000.01 元不一致"}
    typed = c.post(
        "/api/v1/partners/projects",
        {"need_id": need.pk, "title": "x", "total_fen": "三千", "shares": []},
        content_type="application/json",
    )
    assert typed.status_code == 422
    assert typed.json()["detail"] == "请求参数不正确" and "total_fen" in str(typed.json())
    assert not Project.objects.exists()
    project = two_party_project(world, need=need)
    skip = c.post(
        f"/api/v1/partners/projects/{project.pk}/advance",
        {"to_status": "completed", "note": "x"},
        content_type="application/json",
    )
    assert skip.status_code == 409
    assert skip.json() == {"detail": "项目当前为“立项”，不能改为“已完成”"}
    other = client(world["other_staff"])
    hidden = other.get(f"/api/v1/partners/projects/{project.pk}")
    assert hidden.status_code == 404 and hidden.json() == {"detail": "项目不存在或无权查看"}
    worker = client(world["people"]["worker_a"]).get("/api/v1/partners/projects")
    assert worker.status_code == 403 and "detail" in worker.json()


def test_a_need_through_the_api_and_what_it_refuses(world: dict[str, Any]) -> None:
    c = client(world["community"])
    made = c.post(
        "/api/v1/partners/needs",
        {"source": "topic", "source_id": world["topic"].pk},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["source_id"] == world["topic"].pk
    assert made.json()["title"] == "百花里加装休息座椅"
    again = c.post(
        "/api/v1/partners/needs",
        {"source": "topic", "source_id": world["topic"].pk},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json() == {"detail": "该记录已登记为社区需求"}
    unknown = c.post(
        "/api/v1/partners/needs", {"source": "hearsay"}, content_type="application/json"
    )
    assert unknown.status_code == 422 and unknown.json() == {"detail": "请选择需求来源"}
    huge = c.post(
        "/api/v1/partners/needs",
        {"source": "wish", "source_id": 2**70},
        content_type="application/json",
    )
    assert huge.status_code == 422 and "detail" in huge.json()
