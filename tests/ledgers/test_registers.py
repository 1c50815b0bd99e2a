"""物 and 组织: the facility and organisation registers, and what the 六要素 page shows of them."""

from typing import Any

import pytest
from django.test import Client

from tests.cases.conftest import IN_A1
from tests.conftest import COMMUNITY, GRID_A, GRID_B, MICRO_A1, MICRO_B1
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.grids.models import Building, GridNode
from wangge.ledgers.models import ChecklistTemplate, Facility, FacilityStatus, Organisation
from wangge.ledgers.services import (
    ItemCheck,
    facility_add,
    facility_set_status,
    inspection_submit,
    organisation_add,
)


def node(code: str) -> GridNode:
    return GridNode.objects.get(code=code)


def test_facilities_per_building_or_grid(people: Any) -> None:
    worker = people["worker_a"]
    bh3 = Building.objects.get(code="BH3")
    hydrant = facility_add(actor=worker, kind="hydrant", name="3号楼东侧消防栓", building=bh3)
    assert hydrant.micro_grid.code == MICRO_A1 and hydrant.grid_path.endswith(f"{MICRO_A1}/")
    facility_add(actor=worker, kind="camera", name="A2 北门监控", node=node("410102001002001002"))
    with pytest.raises(ValidationFailed, match="未知设施类型"):
        facility_add(actor=worker, kind="ufo", name="x", node=node(MICRO_A1))
    with pytest.raises(PermissionDenied):
        facility_add(actor=worker, kind="hydrant", name="B 网格消防栓", node=node(MICRO_B1))
    with pytest.raises(PermissionDenied):
        facility_add(actor=people["resident"], kind="hydrant", name="x", node=node(MICRO_A1))
    facility_set_status(actor=worker, facility=hydrant, status=FacilityStatus.FAULTY)
    hydrant.refresh_from_db()
    assert hydrant.status == "faulty" and hydrant.checked_on is not None
    with pytest.raises(PermissionDenied):
        facility_set_status(actor=people["worker_b"], facility=hydrant, status="normal")
    assert Facility.objects.count() == 2


def test_organisations_by_kind_with_a_masked_contact(people: Any) -> None:
    worker = people["worker_a"]
    org = organisation_add(
        actor=worker,
        kind="property",
        name="百花里物业服务中心",
        node=node(GRID_A),
        contact_name="马建军",
        contact_phone="138 3712 4567",
    )
    assert org.contact_phone == "13837124567"
    with pytest.raises(Conflict):
        organisation_add(
            actor=worker, kind="property", name="百花里物业服务中心", node=node(GRID_A)
        )
    with pytest.raises(ValidationFailed):
        organisation_add(
            actor=worker, kind="social", name="x", node=node(GRID_A), contact_phone="12"
        )
    with pytest.raises(PermissionDenied):
        organisation_add(actor=worker, kind="merchant", name="B 网格超市", node=node(GRID_B))
    client = Client()
    client.force_login(worker)
    page = client.get("/ledgers/organisations/").content.decode()
    assert "百花里物业服务中心" in page and "138****4567" in page and "马**" in page
    assert "13837124567" not in page and "马建军" not in page
    other = Client()
    other.force_login(people["worker_b"])
    assert "百花里物业服务中心" not in other.get("/ledgers/organisations/").content.decode()
    resident = Client()
    resident.force_login(people["resident"])
    assert resident.get("/ledgers/organisations/").status_code == 404
    assert resident.get("/ledgers/facilities/").status_code == 404


def test_register_pages_add_and_refuse_plainly(people: Any) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    resp = client.post(
        "/ledgers/facilities/", {"kind": "charger", "name": "百花里充电桩 12 口", "node": MICRO_B1}
    )
    assert resp.status_code == 422
    assert "请选择您管辖范围内的网格" in resp.content.decode()
    assert "百花里充电桩 12 口" in resp.content.decode()  # what was typed is kept
    for day, said in (("2024/5/1", "检查日期格式不正确"), ("1899-05-01", "日期须在")):
        resp = client.post(
            "/ledgers/facilities/",
            {"kind": "charger", "name": "百花里充电桩", "node": MICRO_A1, "checked_on": day},
        )
        assert resp.status_code == 422 and said in resp.content.decode()
    assert not Facility.objects.exists()
    resp = client.post(
        "/ledgers/facilities/", {"kind": "charger", "name": "百花里充电桩 12 口", "node": MICRO_A1}
    )
    assert resp.status_code == 302
    assert "百花里充电桩 12 口" in client.get("/ledgers/facilities/").content.decode()
    facility = Facility.objects.get()
    other = Client()
    other.force_login(people["worker_b"])
    assert (
        other.post(f"/ledgers/facilities/{facility.pk}/status/", {"status": "faulty"}).status_code
        == 404
    )
    facility.refresh_from_db()
    assert facility.status == "normal"
    resp = client.post(
        "/ledgers/organisations/",
        {
            "kind": "social",
            "name": "夕阳红志愿服务队",
            "node": GRID_A,
            "contact_phone": "0371-6789-1234",
        },
    )
    assert resp.status_code == 302
    assert Organisation.objects.get().contact_phone == "037167891234"


def test_six_elements_shows_things_and_organisations(
    people: Any, checklist: ChecklistTemplate
) -> None:
    worker = people["worker_a"]
    facility_add(actor=worker, kind="hydrant", name="3号楼消防栓", node=node(MICRO_A1))
    broken = facility_add(
        actor=worker, kind="elevator", name="3号楼 1 单元电梯", node=node(MICRO_A1)
    )
    facility_set_status(actor=worker, facility=broken, status="faulty")
    facility_add(actor=people["worker_b"], kind="hydrant", name="B 网格消防栓", node=node(MICRO_B1))
    organisation_add(actor=worker, kind="property", name="百花里物业", node=node(GRID_A))
    organisation_add(
        actor=people["community"], kind="social", name="社区社工站", node=node(COMMUNITY)
    )
    inspection_submit(
        actor=worker,
        template=checklist,
        checks=[
            ItemCheck(item_id=i.pk, passed=i.position != 1, note="飞线" if i.position == 1 else "")
            for i in checklist.items.all()
        ],
        lon=IN_A1[0],
        lat=IN_A1[1],
        place="百花里车棚",
    )
    client = Client()
    client.force_login(worker)
    page = client.get(f"/residents/grid/{GRID_A}/").content.decode()
    things = page[page.index('id="six-things"') : page.index('id="six-organisations"')]
    assert "消防栓" in things and "电梯" in things
    assert '<span class="count">1</span> 设施故障' in things
    assert '<span class="count">1</span> 待整改隐患' in things
    assert "无从楼上窗户向下飞线充电" in things
    orgs = page[page.index('id="six-organisations"') :]
    assert '<span class="count">1</span> 物业公司' in orgs
    assert "社会组织" not in orgs  # the community's own organisation lies above grid A
    community = Client()
    community.force_login(people["community"])
    page = community.get(f"/residents/grid/{COMMUNITY}/").content.decode()
    things = page[page.index('id="six-things"') : page.index('id="six-organisations"')]
    assert '<span class="count">2</span> 消防栓' in things  # both grids'
    assert "社会组织" in page[page.index('id="six-organisations"') :]


def test_an_organisation_is_refused_at_the_input_it_is_about(people: Any) -> None:
    client = Client()
    client.force_login(people["worker_a"])
    typed = {"kind": "social", "name": "夕阳红志愿服务队", "node": GRID_A, "contact_phone": "123"}
    page = client.post("/ledgers/organisations/", typed)
    html = page.content.decode()
    assert page.status_code == 422
    # The reason sits under the phone input, which says so; what was typed stays.
    assert 'id="contact_phone-error"' in html and 'aria-describedby="contact_phone-error"' in html
    assert 'value="夕阳红志愿服务队"' in html
    out_of_scope = client.post(
        "/ledgers/organisations/", {**typed, "node": GRID_B, "contact_phone": ""}
    )
    html = out_of_scope.content.decode()
    assert 'id="node-error"' in html and "请选择您管辖范围内的网格" in html
    topic = client.post("/ledgers/topics/", {"node": GRID_B, "title": "加装电梯", "body": "说明"})
    html = topic.content.decode()
    assert topic.status_code == 422 and 'id="node-error"' in html and 'value="加装电梯"' in html
    assert not Organisation.objects.exists()
