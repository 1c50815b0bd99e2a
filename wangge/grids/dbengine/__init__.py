"""The database engine of the grid indexes (GRID_ENGINE=database, PostgreSQL only).

A city does not fit in every worker: the in-memory point index alone is hundreds of MB at 100k
micro-grids, and each gunicorn worker held its own. Here PostgreSQL keeps them once:

* PostGIS: `grids_shape` holds each micro-grid's and exclusive grid's boundary as a
  geometry(MultiPolygon, 4326) under a GiST index; triggers on `grids_gridnode` keep it in
  step with every write (an import, the admin, a bulk UPDATE, a delete, raw SQL), so no code
  path can forget it. `ShapeLocator`
  answers `locate` with the rules of `spatial.GridIndex`: boundaries count as inside, and of
  several grids of one level the smallest (code, id) wins.
* Exact keys first: a GIN index over each building's names and name-and-number pairs gives, in
  a few pages, the buildings that hold a query's; where they decide as every building would,
  `AddressIndex` decides among those (see `CandidateResolver._answer`).
* pg_trgm otherwise: a GiST trigram index over each building's address and aliases gives the
  buildings whose text is nearest a query, nearest first (a KNN scan); `wangge.grids.
  addresses.AddressIndex` then decides among those alone (see `candidate_rows`).

The schema follows the setting: the migrations install it where GRID_ENGINE=database and the
server offers the extensions, and drop it where the memory engine runs (its triggers would
cost every write for nothing). `manage.py grid_engine_rebuild` installs it later (PostGIS
installed after the migration, the setting changed, a table to refill); `--remove` drops it.
Only SQL is used: django.contrib.gis would need GDAL on every machine.

One module a part, the names callers use re-exported here (`dbengine.install`,
`dbengine.SHAPE_LOCATOR`, `dbengine.CandidateResolver` …):

* ``schema`` — what `install` and `uninstall` run, and the migrations' steps;
* ``locator`` — a point → its grids (`ShapeLocator`);
* ``candidates`` — the trigram index's nearest buildings; ``keys`` — the exact keys' buildings;
* ``resolver`` — `CandidateResolver`, `AddressIndex`'s rules over those buildings;
* ``place_names`` — the gazetteer and the English names, learnt from every stored address;
* ``stored_forms`` — the buildings' parsed forms, stored by the worker and read per query;
* ``changes`` — what the workers ask to tell whether their indexes are current;
* ``statements`` — the SQL of `sql/*.sql`, which the engine and the migrations run alike.
"""

from wangge.grids.dbengine.candidates import CANDIDATES, candidate_rows, query_parts
from wangge.grids.dbengine.changes import building_changes, building_rewrites, node_changes
from wangge.grids.dbengine.keys import (
    KEYED_CAP,
    SHORT_NAME,
    KeyedRows,
    QueryKeys,
    keyed_rows,
    query_keys,
)
from wangge.grids.dbengine.locator import SHAPE_LOCATOR, ShapeLocator
from wangge.grids.dbengine.place_names import (
    gazetteer,
    gazetteer_grown,
    pinyin_names,
    pinyin_names_grown,
)
from wangge.grids.dbengine.resolver import CandidateResolver
from wangge.grids.dbengine.schema import (
    CARRIERS,
    PLACE_WORD_CHARS,
    SHAPE_TABLE,
    carrier_function,
    install,
    install_forms,
    install_keys,
    installed,
    keyed_function,
    keys_installed,
    locate_function,
    reindex,
    require_installed,
    uninstall,
)
from wangge.grids.dbengine.stored_forms import StoredForms, fill_forms

__all__ = [
    "CANDIDATES",
    "CARRIERS",
    "KEYED_CAP",
    "PLACE_WORD_CHARS",
    "SHAPE_LOCATOR",
    "SHAPE_TABLE",
    "SHORT_NAME",
    "CandidateResolver",
    "KeyedRows",
    "QueryKeys",
    "ShapeLocator",
    "StoredForms",
    "building_changes",
    "building_rewrites",
    "candidate_rows",
    "carrier_function",
    "fill_forms",
    "gazetteer",
    "gazetteer_grown",
    "install",
    "install_forms",
    "install_keys",
    "installed",
    "keyed_function",
    "keyed_rows",
    "keys_installed",
    "locate_function",
    "node_changes",
    "pinyin_names",
    "pinyin_names_grown",
    "query_keys",
    "query_parts",
    "reindex",
    "require_installed",
    "uninstall",
]
