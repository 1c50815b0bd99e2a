"""The city's 12345 hotline in front of several districts: an order is routed by its address
to the district it lies in; one whose address two districts share waits at the city's desk
with both candidates, never refused (the city already took the call)."""

from typing import Any

import pytest
from django.test import Client

from tests.city.conftest import CITY, OTHER, OTHER_MICRO
from tests.hotline.conftest import order, post_order
from wangge.accounts.models import Role, User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case
from wangge.grids.models import GridNode
from wangge.grids.services import buildings_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_hotline(city: dict[str, GridNode], people: dict[str, User], make_user: Any) -> str:
    buildings_import(
        "address,lon,lat,code\n"
        "二七区陇海路8号院2号楼,113.503,34.752,LH8B2\n"
        "中原区华山小区2号楼,113.6065,34.7525,ZYHS2\n"
        "二七区华山小区2号楼,113.505,34.753,EQHS2\n"
    )
    platform = make_user(Role.ADMIN, city[CITY], name="市12345平台")
    return api_token_create(user=platform, name="12345 热线")[1]


def test_an_order_goes_to_the_district_of_its_address(
    city_hotline: str, city: dict[str, GridNode]
) -> None:
    resp = post_order(
        order(order_no="ZZ1", address="二七区陇海路8号院2号楼", content="陇海路8号院门口占道"),
        city_hotline,
    )
    assert resp.status_code in (200, 201), resp.content.decode()
    case = Case.objects.get(external_id="ZZ1")
    assert case.micro_grid is not None and case.micro_grid.code == OTHER_MICRO
    assert case.grid_path.startswith(city[OTHER].path)


def test_an_address_two_districts_share_waits_at_the_city_desk(
    city_hotline: str, city: dict[str, GridNode], make_user: Any
) -> None:
    resp = post_order(
        order(order_no="ZZ2", address="华山小区2号楼", content="华山小区2号楼楼道堆物"),
        city_hotline,
    )
    assert resp.status_code in (200, 201), resp.content.decode()
    case = Case.objects.get(external_id="ZZ2")
    assert case.micro_grid is None
    assert case.grid_path == city[CITY].path
    desk = make_user(Role.STREET_DISPATCHER, city[CITY], name="市运行管理中心")
    client = Client()
    client.force_login(desk)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    # Both districts' buildings are named as candidates for the desk to choose from.
    assert "中原区华山小区2号楼" in page and "二七区华山小区2号楼" in page
    # Neither district's staff has it until the city places it.
    district_admin = make_user(Role.ADMIN, city[OTHER], name="二七区管理员")
    other = Client()
    other.force_login(district_admin)
    assert other.get(f"/cases/{case.pk}/").status_code == 404
