"""Consistency check of the river-town set, standalone (shapely only, no wangge import).

/work/main/.venv/bin/python bench/data/river_town/check_set.py
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from pathlib import Path

from shapely.geometry import Point, shape

HERE = Path(__file__).resolve().parent


def main() -> int:
    errors: list[str] = []
    gj = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    feats = {f["properties"]["code"]: f for f in gj["features"]}
    if len(feats) != len(gj["features"]):
        errors.append("grid codes not unique")
    levels = Counter(f["properties"]["level"] for f in gj["features"])
    for f in gj["features"]:
        p = f["properties"]
        par = p.get("parent_code")
        if p["level"] != "district" and par not in feats:
            errors.append(f"{p['code']}: parent {par} missing")
        if (
            par in feats
            and p["level"] != "exclusive"
            and not shape(feats[par]["geometry"]).buffer(1e-9).contains(shape(f["geometry"]))
        ):
            errors.append(f"{p['code']} not inside its parent {par}")
    with (HERE / "buildings.csv").open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["address", "lon", "lat", "code", "aliases", "micro_grid_code"]
        bs = list(reader)
    codes = Counter(b["code"] for b in bs)
    errors += [f"duplicate building code {c}" for c, n in codes.items() if n > 1]
    addrs = Counter(b["address"] for b in bs)
    errors += [f"duplicate address {a}" for a, n in addrs.items() if n > 1]
    for b in bs:
        m = feats.get(b["micro_grid_code"])
        if m is None or m["properties"]["level"] != "micro":
            errors.append(f"{b['code']}: no micro-grid {b['micro_grid_code']}")
            continue
        if not shape(m["geometry"]).contains(Point(float(b["lon"]), float(b["lat"]))):
            errors.append(f"{b['code']} outside its micro-grid")
    qs = [json.loads(line) for line in (HERE / "queries.jsonl").read_text("utf-8").splitlines()]
    kinds = Counter(q["kind"] for q in qs)
    for q in qs:
        if q["expected"] is not None and q["expected"] not in codes:
            errors.append(f"unknown expected {q['expected']} for {q['query']}")
    dup = [q for q, n in Counter(q["query"] for q in qs).items() if n > 1]
    errors += [f"duplicate query {q}" for q in dup]
    errors += [f"kind {k} has only {n}" for k, n in kinds.items() if n < 6]
    if len(bs) < 100:
        errors.append(f"only {len(bs)} buildings")
    if len(qs) < 200:
        errors.append(f"only {len(qs)} queries")
    if len(kinds) < 15:
        errors.append(f"only {len(kinds)} kinds")
    pos = sum(q["expected"] is not None for q in qs)
    print(f"levels {dict(levels)}")
    print(f"buildings {len(bs)}, with aliases {sum(bool(b['aliases']) for b in bs)}")
    print(f"queries {len(qs)}: {pos} positive, {len(qs) - pos} must refuse; kinds {len(kinds)}")
    for k, n in kinds.items():
        print(f"  {k}: {n}")
    print(f"buildings expected by some query: {len({q['expected'] for q in qs} - {None})}")
    for e in errors:
        print("ERROR", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
