"""The building an address resolves to is read through `core.raw`'s reader (resolving): it
must be the building the ORM reads, every field converted as the ORM converts it, on either
database."""

from typing import Any

from tests.conftest import MICRO_A1
from wangge.grids import resolving, selectors
from wangge.grids.models import Building, GridNode


def _fields(building: Building) -> dict[str, Any]:
    return {f.attname: getattr(building, f.attname) for f in Building._meta.concrete_fields}


def test_the_resolved_building_is_the_one_the_orm_reads(tree: dict[str, GridNode]) -> None:
    micro = tree[MICRO_A1]
    building = Building.objects.create(
        code="B-7",
        address="中原区桐柏路123号院5号楼",
        aliases=["棉纺厂家属院5号楼", "桐柏路123号5号楼"],
        lon=113.601,
        lat=34.752,
        micro_grid=micro,
        is_sample=True,
    )
    read = resolving._building_by_id(building.pk)
    assert read is not None
    assert _fields(read) == _fields(Building.objects.get(pk=building.pk))
    assert read.aliases == ["棉纺厂家属院5号楼", "桐柏路123号5号楼"]
    assert read.is_sample is True
    assert not read._state.adding  # saved as it is, never inserted again
    assert resolving._building_by_id(building.pk + 1000) is None

    match = selectors.resolve_address(q="桐柏路123号院5号楼")
    assert match.building == building
    assert match.building is not None and match.building.micro_grid == micro
    assert match.building.aliases == ["棉纺厂家属院5号楼", "桐柏路123号5号楼"]
