"""Every page and endpoint of the register, for every role: a grid worker sees only their grid's
people, the community sees both grids, residents, outsiders and departments see nothing."""

from typing import Any

import pytest
from django.test import Client

ROLES = ["resident", "worker_a", "worker_b", "community", "dispatcher", "admin", "outsider", "cgj"]
# Who sees whom: grid A's worker A's elder, grid B's worker B's man, the community, the street
# and the district both; everyone else no one.
SEES = {
    "worker_a": {"张桂芳"},
    "worker_b": {"刘德胜"},
    "community": {"张桂芳", "刘德胜"},
    "dispatcher": {"张桂芳", "刘德胜"},
    "admin": {"张桂芳", "刘德胜"},
}
LIST_PAGES = ["/residents/", "/residents/visits/overdue/", "/residents/import/"]


def client_for(people: dict[str, Any], role: str) -> Client:
    c = Client()
    c.force_login(people[role])
    return c


@pytest.mark.parametrize("role", ROLES)
def test_list_pages(people: Any, register: dict[str, Any], role: str) -> None:
    c = client_for(people, role)
    seen = SEES.get(role, set())
    for url in LIST_PAGES:
        resp = c.get(url)
        if not seen:
            assert resp.status_code == 404, url
            continue
        assert resp.status_code == 200, url
        body = resp.content.decode()
        if url == "/residents/":
            assert {n for n in ("张桂芳", "刘德胜") if n in body} == seen
            assert "13612345678" not in body and "410102194003120028" not in body
    resp = c.get("/residents/export/")
    assert resp.status_code == (200 if seen else 404)


@pytest.mark.parametrize("role", ROLES)
def test_api_list_and_overdue(people: Any, register: dict[str, Any], role: str) -> None:
    c = client_for(people, role)
    seen = SEES.get(role, set())
    data = c.get("/api/v1/residents/persons").json()
    assert {p["name"] for p in data["results"]} == seen and data["count"] == len(seen)
    for p in data["results"]:
        assert "*" in p["id_number"] and "*" in p["phone"]
    overdue = c.get("/api/v1/residents/visits/overdue").json()
    assert {o["person"]["name"] for o in overdue["results"]} == seen & {"张桂芳"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("who", ["elder", "person_b"])
def test_person_routes(people: Any, register: dict[str, Any], role: str, who: str) -> None:
    c = client_for(people, role)
    person = register[who]
    visible = person.name in SEES.get(role, set())
    expect = 200 if visible else 404
    assert c.get(f"/residents/persons/{person.pk}/").status_code == expect
    assert c.get(f"/api/v1/residents/persons/{person.pk}").status_code == expect
    assert c.get(f"/residents/persons/{person.pk}/visit/").status_code == expect
    reveal = c.post(f"/residents/persons/{person.pk}/reveal/phone/")
    if not visible:
        assert reveal.status_code == 404
        assert person.phone not in reveal.content.decode()
        assert c.post(f"/residents/persons/{person.pk}/move-out/").status_code == 404
        assert (
            c.post(
                f"/api/v1/residents/persons/{person.pk}/visits",
                {"findings": "x"},
                content_type="application/json",
            ).status_code
            == 404
        )
        assert c.post(f"/residents/persons/{person.pk}/visit/", {"findings": "x"}).status_code == (
            404
        )


def test_reveal_endpoint_is_role_checked_and_audited(people: Any, register: Any) -> None:
    from wangge.accounts.models import PersonalDataAccess

    elder = register["elder"]
    worker = client_for(people, "worker_a")
    resp = worker.post(f"/residents/persons/{elder.pk}/reveal/id_number/")
    assert resp.status_code == 403 and "身份证号" in resp.json()["detail"]
    resp = worker.post(f"/residents/persons/{elder.pk}/reveal/phone/", {"purpose": "回访"})
    assert resp.json() == {"value": "13612345678"}
    community = client_for(people, "community")
    resp = community.post(f"/residents/persons/{elder.pk}/reveal/id_number/")
    assert resp.json() == {"value": "410102194003120028"}
    assert list(
        PersonalDataAccess.objects.order_by("pk").values_list("actor__name", "field", "purpose")
    ) == [("周敏", "phone", "回访"), ("孙丽华", "id_number", "核实人员信息")]


def test_list_filters_and_pagination(people: Any, register: Any) -> None:
    c = client_for(people, "community")
    body = c.get("/residents/?group=living_alone").content.decode()
    assert "张桂芳" in body and "刘德胜" not in body
    body = c.get("/residents/?grid=410102001002002").content.decode()
    assert "刘德胜" in body and "张桂芳" not in body
    body = c.get("/residents/?q=2-301").content.decode()
    assert "张桂芳" in body and "刘德胜" not in body
    c.post(f"/residents/persons/{register['person_b'].pk}/move-out/", {"note": "搬走"})
    assert "刘德胜" not in c.get("/residents/").content.decode()
    assert "刘德胜" in c.get("/residents/?present=0").content.decode()
    assert c.get("/residents/?page=99").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_six_elements_page(people: Any, register: dict[str, Any], report: Any, role: str) -> None:
    from tests.cases.conftest import IN_B1
    from tests.conftest import COMMUNITY, GRID_A, GRID_B

    report("A网格：楼下摆摊占道")
    report("B网格：暖气不热", at=IN_B1, category="GN-01")
    c = client_for(people, role)
    expect = {
        GRID_A: role in ("worker_a", "community", "dispatcher", "admin"),
        GRID_B: role in ("worker_b", "community", "dispatcher", "admin"),
        COMMUNITY: role in ("community", "dispatcher", "admin"),
    }
    for code, visible in expect.items():
        resp = c.get(f"/residents/grid/{code}/")
        assert resp.status_code == (200 if visible else 404), (role, code)
        if not visible:
            continue
        body = resp.content.decode()
        assert ("A网格：楼下摆摊占道" in body) == (code != GRID_B)
        assert ("B网格：暖气不热" in body) == (code != GRID_A)


def test_six_elements_counts(people: Any, register: dict[str, Any], report: Any) -> None:
    from wangge.grids.models import GridNode
    from wangge.residents.selectors import six_elements

    report("A网格：楼下摆摊占道")
    node = GridNode.objects.get(code="410102001002")
    six = six_elements(people["community"], node)
    assert six["people"] == {"total": 2, "huji": 2, "changzhu": 0, "liudong": 0, "elderly": 1}
    assert six["groups"] == [("独居老人", 1)]
    assert six["place"] == {
        "households": 2,
        "rentals": 0,
        "buildings": 2,
        "exclusive": 1,
        "micro_grids": 3,
    }
    assert six["situation"] == {"open_needs": 1, "follow_ups": 0, "overdue_visits": 1}
    events = six["events"]
    assert isinstance(events, dict) and events["open"] == 1
    # Grid A's worker, asking about the whole community, gets grid A's share only.
    mine = six_elements(people["worker_a"], node)
    assert mine["people"]["total"] == 1  # type: ignore[index]


@pytest.mark.parametrize("role", ROLES)
def test_tagging_page(people: Any, register: dict[str, Any], role: str) -> None:
    from wangge.residents.models import GroupTag

    c = client_for(people, role)
    elder = register["elder"]
    resp = c.post(
        f"/residents/persons/{elder.pk}/groups/",
        {"group": "advanced_age", "care_plan": "每月测血压", "visit_every_days": "14"},
    )
    allowed = "张桂芳" in SEES.get(role, set())
    assert resp.status_code == (302 if allowed else 404)
    tag = GroupTag.objects.filter(person=elder, group="advanced_age").first()
    assert (tag is not None) == allowed
    if allowed:
        assert tag is not None and (tag.visit_every_days, tag.care_plan) == (14, "每月测血压")
        c.post(f"/residents/persons/{elder.pk}/groups/", {"group": "advanced_age", "end": "1"})
        tag.refresh_from_db()
        assert not tag.is_active


def test_register_page(people: Any, register: dict[str, Any]) -> None:
    from tests.residents.conftest import make_id
    from wangge.residents.models import Person

    c = client_for(people, "worker_a")
    form = {
        "building": "BH3",
        "room": "8-801",
        "household_kind": "liudong",
        "is_rental": "1",
        "name": "租客小李",
        "id_number": make_id("19980707", "071"),
        "phone": "13344445555",
        "relation": "head",
        "residence": "liudong",
    }
    assert c.get("/residents/persons/new/").status_code == 200
    resp = c.post("/residents/persons/new/", {**form, "building": "TB5"})
    assert resp.status_code == 422 and "TB5" in resp.content.decode()
    resp = c.post("/residents/persons/new/", {**form, "id_number": "123"})
    assert resp.status_code == 422 and "18 位" in resp.content.decode()
    assert make_id("19980707", "071") not in resp.content.decode()  # never echoed back
    resp = c.post("/residents/persons/new/", form)
    assert resp.status_code == 302
    p = Person.objects.get(name="租客小李")
    assert p.household.is_rental and p.household.kind == "liudong" and p.gender == "M"
    for role in ("resident", "outsider", "cgj"):
        assert client_for(people, role).get("/residents/persons/new/").status_code == 404


def test_a_visit_frequency_that_is_no_number_is_said_on_the_person_page(
    people: Any, register: dict[str, Any]
) -> None:
    from wangge.residents.models import GroupTag

    c = client_for(people, "worker_a")
    elder = register["elder"]
    resp = c.post(
        f"/residents/persons/{elder.pk}/groups/",
        {"group": "advanced_age", "visit_every_days": "两周"},
        follow=True,
    )
    assert "走访周期应在 1 到 366 天之间" in resp.content.decode()
    assert not GroupTag.objects.filter(person=elder, group="advanced_age").exists()


def test_the_id_number_typed_stays_in_the_form_after_another_fields_error(
    people: Any, register: dict[str, Any]
) -> None:
    from tests.residents.conftest import make_id
    from wangge.residents.models import Person

    c = client_for(people, "worker_a")
    typed = make_id("19980707", "071")
    form = {
        "building_address": "没有这个小区99号楼",
        "room": "8-801",
        "household_kind": "liudong",
        "name": "租客小李",
        "id_number": typed,
        "relation": "head",
        "residence": "liudong",
    }
    resp = c.post("/residents/persons/new/", form)
    assert resp.status_code == 422
    page = resp.content.decode()
    # The address is refused at its field; what was typed in the others is still there, the
    # eighteen digits of the ID number included (the worker does not type them twice).
    assert "没有这个小区99号楼" in page
    assert f'id="id_number" name="id_number" value="{typed}"' in page
    assert not Person.objects.filter(name="租客小李").exists()
