"""Open311 per jurisdiction and departments per district, with two districts under a city."""

from typing import Any

import pytest

from tests.city.conftest import CITY, FIRST_POINT, OTHER, OTHER_POINT, OTHER_STREET
from tests.conftest import DISTRICT, STREET
from tests.open311.conftest import Open311, json_error
from wangge.accounts.models import Role, RoleGrant, User
from wangge.accounts.services import api_token_create
from wangge.cases.forms import action_lists
from wangge.cases.models import Case, Department
from wangge.cases.services import CaseInput, case_act, case_intake, department_member_add
from wangge.grids.models import GridNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_key(city: dict[str, GridNode], make_user: Any) -> str:
    officer = make_user(Role.ADMIN, city[CITY], name="郑市运", is_staff=True)
    return api_token_create(user=officer, name="市 12345")[1]


def _post(o311: Open311, key: str, at: tuple[float, float], **form: Any) -> Any:
    return o311.post(
        api_key=key,
        service_code="CSGL-01",
        long=str(at[0]),
        lat=str(at[1]),
        description="路口有人摆摊占道",
        **form,
    )


def test_the_city_routes_a_request_to_the_district_it_lies_in(
    people: dict[str, User], city_key: str
) -> None:
    o311 = Open311()
    resp = _post(o311, city_key, OTHER_POINT, jurisdiction_id=CITY)
    assert resp.status_code == 200, resp.content.decode()
    case = Case.objects.get(number=resp.json()[0]["service_request_id"])
    assert case.grid_path.startswith(f"{CITY}/{OTHER}/")
    assert case.street is not None and case.street.code == OTHER_STREET
    # No jurisdiction: routed the same way, by the place.
    resp = _post(o311, city_key, FIRST_POINT)
    case = Case.objects.get(number=resp.json()[0]["service_request_id"])
    assert case.grid_path.startswith(f"{CITY}/{DISTRICT}/")


def test_a_district_refuses_a_request_placed_in_another_and_keeps_nothing(
    people: dict[str, User], city_key: str
) -> None:
    before = Case.objects.count()
    refused = json_error(_post(Open311(), city_key, OTHER_POINT, jurisdiction_id=DISTRICT), 400)
    assert "不在中原区（410102）辖区内" in refused
    assert Case.objects.count() == before


def test_requests_and_services_answer_per_jurisdiction(
    people: dict[str, User], city_key: str
) -> None:
    o311 = Open311()
    here = _post(o311, city_key, FIRST_POINT).json()[0]["service_request_id"]
    there = _post(o311, city_key, OTHER_POINT).json()[0]["service_request_id"]

    def listed(jurisdiction: str) -> set[str]:
        resp = o311.get("requests", api_key=city_key, jurisdiction_id=jurisdiction)
        assert resp.status_code == 200, resp.content.decode()
        return {r["service_request_id"] for r in resp.json()}

    assert listed(DISTRICT) == {here}
    assert listed(OTHER) == {there}
    assert listed(CITY) == {here, there}
    codes = {
        j: {s["service_code"] for s in o311.get("services", jurisdiction_id=j).json()}
        for j in (CITY, DISTRICT, OTHER)
    }
    assert codes[CITY] == codes[DISTRICT] == codes[OTHER] and "CSGL-01" in codes[CITY]
    json_error(o311.get("services", jurisdiction_id=STREET), 404)


def test_each_district_summons_its_own_department_of_the_same_name(
    city: dict[str, GridNode], people: dict[str, User], make_user: Any
) -> None:
    # The shared 城管局 of the catalogue, and 二七区's own 城管局 with the same code and name.
    theirs = Department.objects.create(code="CGJ", name="城管局", unit=city[OTHER])
    handler = make_user(name="牛建军")
    department_member_add(department=theirs, user=handler)
    assert list(
        RoleGrant.objects.filter(user=handler, role=Role.DEPARTMENT_HANDLER).values_list(
            "node__code", flat=True
        )
    ) == [OTHER]
    dispatcher = make_user(Role.STREET_DISPATCHER, city[OTHER_STREET], name="卢海涛")
    case, _created = case_intake(
        data=CaseInput(description="陇海路占道经营", lon=OTHER_POINT[0], lat=OTHER_POINT[1]),
        actor=people["resident"],
    )
    case_act(
        case_id=case.pk,
        actor=dispatcher,
        action="transfer",
        note="需部门",
        params={"node": OTHER_STREET},
    )
    case_act(case_id=case.pk, actor=dispatcher, action="sign")
    case_act(case_id=case.pk, actor=dispatcher, action="whistle", params={"lead": "CGJ"})
    [assistance] = case.assistances.all()
    assert assistance.department == theirs
    # 中原区's case summons the shared one; 二七区's own never reaches it.
    lists_here = action_lists(GridNode.objects.get(code=STREET).path)
    lists_there = action_lists(city[OTHER_STREET].path)
    assert lists_here.departments.count(("CGJ", "城管局")) == 1
    assert lists_there.departments.count(("CGJ", "城管局")) == 2  # shared and own, both offered
    assert Department.objects.serving(city[STREET].path).pick("CGJ") != theirs
    assert Department.objects.serving(city[OTHER_STREET].path).pick("CGJ") == theirs


def test_codes_and_names_are_unique_within_a_district_only(city: dict[str, GridNode]) -> None:
    from django.db import IntegrityError, transaction

    Department.objects.create(code="CGJ", name="城管局", unit=city[DISTRICT])
    Department.objects.create(code="CGJ", name="城管局", unit=city[OTHER])
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(code="CGJ", name="城市管理局", unit=city[OTHER])
    Department.objects.create(code="CGJ", name="城管局")  # a shared one, once
    with pytest.raises(IntegrityError), transaction.atomic():
        Department.objects.create(code="CGJ2", name="城管局")


def test_an_address_two_districts_both_have_is_refused_with_their_candidates(
    catalogue: Any, make_user: Any
) -> None:
    from pathlib import Path

    from wangge.grids.services import buildings_import, grids_import_file

    data = Path(__file__).resolve().parents[2] / "bench" / "data"
    for folder in ("zhongyuan_sample", "unseen_district"):
        grids_import_file((data / folder / "grids.geojson").read_text(encoding="utf-8"))
        buildings_import((data / folder / "buildings.csv").read_text(encoding="utf-8"))
    officer = make_user(name="市 12345")
    officer.is_superuser = True
    officer.save(update_fields=["is_superuser"])
    key = api_token_create(user=officer, name="市 12345")[1]
    o311 = Open311()
    before = Case.objects.count()
    refused = json_error(
        o311.post(api_key=key, service_code="CSGL-01", address_string="华山小区2号楼"), 400
    )
    assert "在多个区都有" in refused and "中原区" in refused and "涧西区" in refused
    assert Case.objects.count() == before
    # The client sends it again with the building the resident chose: filed in that district.
    chosen = refused.split("address_id=")[1].split("）")[0]
    resp = o311.post(api_key=key, service_code="CSGL-01", address_id=chosen)
    assert resp.status_code == 200, resp.content.decode()
    case = Case.objects.get(number=resp.json()[0]["service_request_id"])
    assert case.building is not None and case.building.code == chosen
    # An address of one district only is filed there, as before.
    resp = o311.post(api_key=key, service_code="CSGL-01", address_string="南昌路12号院7号楼")
    assert resp.status_code == 200, resp.content.decode()
