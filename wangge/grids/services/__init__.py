"""Every write to the grid tree, the buildings and the roads: imports, in one transaction each.

* ``tree`` — grid nodes from a GeoJSON FeatureCollection, a level at a time, moves included;
* ``buildings`` — buildings from a CSV (or a 标准地址库 export), each in its micro-grid;
* ``roads`` — the road network, replaced whole by a file of lines;
* ``files`` — what the three share: the refusal, the report, reading the file.
"""

from wangge.grids.services.buildings import (
    ADDRESS_PART_COLUMNS,
    BUILDING_COLUMNS,
    BUILDING_TOLERANCE_M,
    buildings_bulk_create,
    buildings_import,
)
from wangge.grids.services.files import ImportRejected, ImportReport
from wangge.grids.services.roads import (
    ROAD_EXTENT_MARGIN_DEG,
    RoadsImportReport,
    roads_bulk_create,
    roads_import,
    roads_import_file,
)
from wangge.grids.services.tree import grids_import, grids_import_file

__all__ = [
    "ADDRESS_PART_COLUMNS",
    "BUILDING_COLUMNS",
    "BUILDING_TOLERANCE_M",
    "ROAD_EXTENT_MARGIN_DEG",
    "ImportRejected",
    "ImportReport",
    "RoadsImportReport",
    "buildings_bulk_create",
    "buildings_import",
    "grids_import",
    "grids_import_file",
    "roads_bulk_create",
    "roads_import",
    "roads_import_file",
]
