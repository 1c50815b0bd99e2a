"""Address in, not codes: staff registering a person, a dispute or a facility type the address
and the resolver finds the building; a wrong address is said at the field, nothing typed lost."""

from typing import Any

from django.test import Client

from tests.conftest import MICRO_A1
from tests.residents.conftest import make_id
from wangge.ledgers.models import Facility
from wangge.residents.models import Dispute, Person


def client_for(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def person_form(**kw: str) -> dict[str, str]:
    return {
        "building": "",
        "building_address": "伊河路百花里3号楼",
        "room": "8-801",
        "household_kind": "liudong",
        "name": "租客小李",
        "id_number": make_id("19980707", "071"),
        "phone": "13344445555",
        "relation": "head",
        "residence": "liudong",
        **kw,
    }


def test_the_register_page_asks_for_an_address_and_keeps_the_code_hidden(
    people: dict[str, Any],
) -> None:
    page = client_for(people["worker_a"]).get("/residents/persons/new/").content.decode()
    assert "楼栋编码" not in page
    assert 'name="building_address"' in page and '<input type="hidden" name="building"' in page
    assert "/api/v1/grids/resolve-address" in page and "js/address_picker.js" in page


def test_a_typed_address_registers_at_its_building(people: dict[str, Any]) -> None:
    resp = client_for(people["worker_a"]).post("/residents/persons/new/", person_form())
    assert resp.status_code == 302
    assert Person.objects.get(name="租客小李").household.building.code == "BH3"


def test_a_picked_suggestion_wins_over_the_text(people: dict[str, Any]) -> None:
    form = person_form(building="BH3", building_address="百花里那栋")
    resp = client_for(people["worker_a"]).post("/residents/persons/new/", form)
    assert resp.status_code == 302
    assert Person.objects.get(name="租客小李").household.building.code == "BH3"


def test_an_unknown_address_is_said_at_the_field_and_nothing_typed_is_lost(
    people: dict[str, Any],
) -> None:
    form = person_form(building_address="火星路999号")
    resp = client_for(people["worker_a"]).post("/residents/persons/new/", form)
    page = resp.content.decode()
    assert resp.status_code == 422
    assert '<p class="error" id="building-error" role="alert">' in page
    assert "未找到地址“火星路999号”对应的楼栋" in page
    assert 'value="火星路999号"' in page and 'value="租客小李"' in page and 'value="8-801"' in page
    assert not Person.objects.filter(name="租客小李").exists()


def test_an_address_in_another_grid_is_refused_by_name(people: dict[str, Any]) -> None:
    form = person_form(building_address="桐柏路123号院5号楼")
    resp = client_for(people["worker_a"]).post("/residents/persons/new/", form)
    assert resp.status_code == 422
    assert "不在您的网格内" in resp.content.decode()


def test_a_dispute_by_address(people: dict[str, Any]) -> None:
    c = client_for(people["worker_a"])
    form = {
        "building": "",
        "building_address": "百花里3号楼",
        "kind": "property",
        "risk": "low",
        "summary": "停车位收费争议",
        "parties": "业主代表孙某",
        "next_step": "约物业公司座谈",
        "next_step_on": "",
    }
    resp = c.post("/residents/disputes/", {**form, "building_address": ""})
    assert resp.status_code == 422 and "请输入楼栋地址并从候选中选择" in resp.content.decode()
    assert c.post("/residents/disputes/", {**form, "next_step_on": "2030-01-01"}).status_code == 302
    assert Dispute.objects.get().building.code == "BH3"


def test_a_facility_by_address_or_by_grid(people: dict[str, Any]) -> None:
    c = client_for(people["worker_a"])
    resp = c.post(
        "/ledgers/facilities/",
        {"kind": "charger", "name": "3号楼充电桩", "building_address": "伊河路百花里3号楼"},
    )
    assert resp.status_code == 302
    assert Facility.objects.get(name="3号楼充电桩").building.code == "BH3"  # type: ignore[union-attr]
    bad = c.post(
        "/ledgers/facilities/",
        {"kind": "charger", "name": "不知在哪", "building_address": "火星路999号"},
    )
    assert bad.status_code == 422 and 'id="building-error"' in bad.content.decode()
    # Outside any building: the grid is picked instead.
    c.post("/ledgers/facilities/", {"kind": "charger", "name": "车棚充电桩", "node": MICRO_A1})
    assert Facility.objects.get(name="车棚充电桩").building is None
