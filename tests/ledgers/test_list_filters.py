"""The registers' lists read their query strings through forms: a kind that exists filters the
list, one that does not is said above the whole list (422), never silently dropped."""

from typing import Any

from django.test import Client

from tests.conftest import GRID_A, MICRO_A1
from wangge.grids.models import GridNode
from wangge.ledgers.services import facility_add, organisation_add


def _worker(people: Any) -> Client:
    client = Client()
    client.force_login(people["worker_a"])
    return client


def test_a_facility_kind_filters_and_an_unknown_one_is_said(people: Any) -> None:
    micro = GridNode.objects.get(code=MICRO_A1)
    facility_add(actor=people["worker_a"], kind="hydrant", name="3号楼消防栓", node=micro)
    facility_add(actor=people["worker_a"], kind="camera", name="北门监控", node=micro)
    client = _worker(people)
    hydrants = client.get("/ledgers/facilities/?kind=hydrant")
    assert hydrants.status_code == 200
    assert "3号楼消防栓" in hydrants.content.decode()
    assert "北门监控" not in hydrants.content.decode()
    unknown = client.get("/ledgers/facilities/?kind=ufo")
    body = unknown.content.decode()
    assert unknown.status_code == 422
    assert "没有“ufo”这类设施，已显示全部" in body
    assert "3号楼消防栓" in body and "北门监控" in body


def test_an_organisation_kind_filters_and_an_unknown_one_is_said(people: Any) -> None:
    grid = GridNode.objects.get(code=GRID_A)
    organisation_add(actor=people["worker_a"], kind="merchant", name="老张理发", node=grid)
    organisation_add(actor=people["worker_a"], kind="social", name="夕阳红志愿队", node=grid)
    client = _worker(people)
    merchants = client.get("/ledgers/organisations/?kind=merchant").content.decode()
    assert "老张理发" in merchants and "夕阳红志愿队" not in merchants
    unknown = client.get("/ledgers/organisations/?kind=church")
    assert unknown.status_code == 422
    assert "没有“church”这类组织，已显示全部" in unknown.content.decode()
    assert "夕阳红志愿队" in unknown.content.decode()
