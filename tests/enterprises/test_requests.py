"""An enterprise's request becomes a case on channel 企业服务, routed to its exclusive grid or its
own grid; 万人助万企 visits with follow-ups that become cases."""

from typing import Any

import pytest
from django.test import Client

from wangge.cases.models import Case, Channel
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.enterprises.models import EnterpriseRequest, EnterpriseVisit
from wangge.enterprises.services import enterprise_request_submit, enterprise_visit_record

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_api_request_of_a_mall_tenant_goes_to_the_exclusive_grid_leader(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    resp = client_for(firms["owner_mall"]).post(
        f"/api/v1/enterprises/{firms['mall'].pk}/requests",
        {"kind": "help", "description": "商圈后巷的排水沟堵塞，下雨时污水倒灌进后厨"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    body = resp.json()
    case = Case.objects.get(pk=body["case_id"])
    assert case.channel == Channel.ENTERPRISE
    assert case.assignee == people["exclusive_leader"]
    assert case.exclusive_grid is not None and case.exclusive_grid.name == "碧沙岗商圈"
    assert case.reporter == firms["owner_mall"]
    assert "碧沙岗商圈" in body["routing_reason"]
    assert body["status"] == "dispatched"
    listed = client_for(firms["owner_mall"]).get(f"/api/v1/enterprises/{firms['mall'].pk}/requests")
    assert [r["case_number"] for r in listed.json()["results"]] == [case.number]


def test_page_request_goes_to_the_grid_worker_and_shows_with_its_status(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    owner = client_for(firms["owner_a"])
    resp = owner.post(
        f"/enterprises/{firms['a'].pk}/requests/new/",
        {"kind": "consult", "description": "厂区门口路灯不亮，夜班员工下班不安全"},
    )
    assert resp.status_code == 302
    r = EnterpriseRequest.objects.get(enterprise=firms["a"])
    assert r.case.assignee == people["worker_a"]
    assert r.case.request_type == "咨询"
    home = owner.get(f"/enterprises/?e={firms['a'].pk}").content.decode()
    assert r.case.number in home and "待签收" in home
    # The grid worker finds it in their own list of cases.
    assert client_for(people["worker_a"]).get(f"/cases/{r.case_id}/").status_code == 200


def test_an_empty_request_is_refused_and_kept(firms: dict[str, Any]) -> None:
    resp = client_for(firms["owner_a"]).post(
        f"/enterprises/{firms['a'].pk}/requests/new/", {"kind": "help", "description": "  "}
    )
    assert resp.status_code == 422
    assert "请填写诉求内容" in resp.content.decode()
    api = client_for(firms["owner_a"]).post(
        f"/api/v1/enterprises/{firms['a'].pk}/requests",
        {"kind": "gossip", "description": "x"},
        content_type="application/json",
    )
    assert api.status_code == 422 and "detail" in api.json()
    assert not Case.objects.exists()


def test_someone_else_cannot_file_for_an_enterprise(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        enterprise_request_submit(
            actor=people["resident"], enterprise=firms["a"], kind="help", description="冒名"
        )
    resp = client_for(firms["owner_mall"]).post(
        f"/api/v1/enterprises/{firms['a'].pk}/requests",
        {"kind": "help", "description": "冒名提交"},
        content_type="application/json",
    )
    assert resp.status_code == 404
    assert not Case.objects.exists()


def test_visit_with_a_follow_up_becomes_a_case(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    visit = enterprise_visit_record(
        actor=people["worker_a"],
        enterprise=firms["a"],
        visited_on=None,
        topics=["finance", "staff"],
        problems="流动资金紧张，想了解贴息贷款；招不到数控技工",
        follow_up="协调区人社局对接数控技工招聘会",
        follow_up_as_case=True,
    )
    assert visit.case is not None and visit.case.channel == Channel.PATROL
    assert visit.case.assignee == people["worker_a"]
    assert visit.topic_labels() == ["融资需求", "用工招聘"]
    page = client_for(people["worker_a"]).get("/enterprises/visits/").content.decode()
    assert "协调区人社局对接数控技工招聘会" in page and visit.case.number in page


def test_visits_are_for_staff_of_the_enterprise_grid(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        enterprise_visit_record(
            actor=people["worker_b"], enterprise=firms["a"], visited_on=None, topics=["policy"]
        )
    with pytest.raises(ValidationFailed, match="请选择走访主题"):
        enterprise_visit_record(
            actor=people["worker_a"], enterprise=firms["a"], visited_on=None, topics=[]
        )
    resp = client_for(people["worker_a"]).post(
        f"/enterprises/registry/{firms['a'].pk}/visits/",
        {"topics": ["policy"], "problems": "对研发费用加计扣除政策不了解"},
    )
    assert resp.status_code == 302
    assert EnterpriseVisit.objects.filter(enterprise=firms["a"]).count() == 1
    assert (
        client_for(people["worker_b"])
        .get("/enterprises/visits/")
        .content.decode()
        .count("研发费用加计扣除")
        == 0
    )


def test_the_registry_card_shows_the_enterprise_its_requests_and_visits(
    people: dict[str, Any], firms: dict[str, Any]
) -> None:
    r = enterprise_request_submit(
        actor=firms["owner_a"],
        enterprise=firms["a"],
        kind="help",
        description="厂区东侧雨水管破裂，积水漫进车间",
    )
    enterprise_visit_record(
        actor=people["worker_a"],
        enterprise=firms["a"],
        visited_on=None,
        topics=["land"],
        problems="扩产需要新增一处仓库",
    )
    page = client_for(people["worker_a"]).get(f"/enterprises/registry/{firms['a'].pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert firms["a"].name in text and firms["a"].uscc in text
    assert "137****5678" in text and "13712345678" not in text  # masked until 查看
    owner = firms["owner_a"]
    assert f"{owner.name}（{owner.masked_phone}）" in text  # the enterprise user linked to it
    assert r.case.number in text and "求助" in text
    assert "用地用房" in text and "扩产需要新增一处仓库" in text
