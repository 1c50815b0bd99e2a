"""Two districts of other provinces in one instance: each one's address queries (written before
the resolver was tuned on them) resolve as they do when the district is alone, and every
building's own point locates to its own micro-grid."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from wangge.core.errors import NotFound
from wangge.grids import address_eval, indexes, selectors
from wangge.grids.models import Building
from wangge.grids.services import buildings_import, grids_import_file

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
PAIRS = [("lane_city", "rural_county"), ("unseen_district", "hutong_town")]


def _load(folder: str) -> None:
    grids_import_file((DATA / folder / "grids.geojson").read_text(encoding="utf-8"))
    buildings_import((DATA / folder / "buildings.csv").read_text(encoding="utf-8"))
    indexes.invalidate()


def _outcomes(folder: str) -> list[address_eval.Outcome]:
    queries = address_eval.read_queries(
        (DATA / folder / "queries.jsonl").read_text(encoding="utf-8")
    )
    return address_eval.run(queries)


def _misplaced() -> list[str]:
    """Buildings whose own point does not locate to their own micro-grid."""
    wrong = []
    for b in Building.objects.all():
        try:
            found = selectors.locate(lon=b.lon, lat=b.lat).micro_grid
        except NotFound:
            found = None
        if found is None or found.pk != b.micro_grid_id:
            wrong.append(b.code)
    return wrong


# With the in-memory engines (the default) nothing here touches the database but the import:
# one run, on SQLite, says it; the database engines are compared on PostgreSQL in tests/grids.
@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the in-memory engines read the same on either database; run once, on SQLite",
)
@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_each_district_resolves_beside_another_as_it_does_alone(
    db: Any, first: str, second: str
) -> None:
    alone: dict[str, list[address_eval.Outcome]] = {}
    misplaced_alone: dict[str, list[str]] = {}
    for folder in (first, second):
        with transaction.atomic():
            _load(folder)
            alone[folder] = _outcomes(folder)
            misplaced_alone[folder] = _misplaced()
            transaction.set_rollback(True)
        indexes.invalidate()
    _load(first)
    _load(second)
    together = {folder: _outcomes(folder) for folder in (first, second)}
    for folder in (first, second):
        a, t = address_eval.metrics(alone[folder]), address_eval.metrics(together[folder])
        changed = [
            (x.query.query, x.answer, y.answer)
            for x, y in zip(alone[folder], together[folder], strict=True)
            if x.answer != y.answer
        ]
        assert a.accuracy is not None and a.accuracy > 0.5
        assert (t.accuracy, t.misroutes) == (a.accuracy, a.misroutes), (folder, changed)
    assert sorted(_misplaced()) == sorted(misplaced_alone[first] + misplaced_alone[second])
