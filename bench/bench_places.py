"""Place descriptions at the city bench's scale, in one process (no database).

    python bench/bench_places.py [--micros 100000] [--buildings-per-micro 10] [--queries 3000]

Builds, deterministically, a city of the size `bench/city/make_city.py` writes (16 × 6,250
micro-grids on a lattice over lon 113.30–114.10, lat 34.50–35.00, ten buildings each): its
micro-grids in the point index (`grids.spatial.GridIndex`), a road network (an arterial every
800 m each way, named, and a lane inside every twentieth micro-grid), and the buildings with
a landmark name on every hundredth. Then reads place descriptions through the product's
reader (`grids.places_geo.PlaceReader`): crossings with and without a corner, landmark
offsets (with 路东 / 路西 half the time), near a landmark, and lanes named alone, and reports
the build time and the reading's p50 / p95 / max per kind and over all.

The landmark's building is named by a table of the generated names (the address resolver's
own cost is `bench/bench_resolve.py`'s; add one resolve to a landmark query). The last line
is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")

import django

django.setup()  # the reasons are marked for translation; nothing reads the database

from wangge.grids.places_geo import PlaceIndex, PlaceReader  # noqa: E402
from wangge.grids.spatial import GridIndex, GridShape  # noqa: E402

WEST, SOUTH, EAST, NORTH = 113.30, 34.50, 114.10, 35.00
_STEMS = "建设伊河桐柏嵩山秦岭华山淮河陇海中原工人棉纺汝河互助友爱百花绿东西南北民主和平幸福"


def _name(i: int, suffix: str) -> str:
    a = _STEMS[i % len(_STEMS)]
    b = _STEMS[(i // len(_STEMS)) % len(_STEMS)]
    c = _STEMS[(i // len(_STEMS) ** 2) % len(_STEMS)]
    return f"{a}{b}{c}{suffix}"


def build(micros: int, per_micro: int, seed: int) -> tuple[PlaceReader, dict[str, list[str]]]:
    rng = random.Random(seed)
    cols = int((micros * (EAST - WEST) / (NORTH - SOUTH)) ** 0.5)
    rows = micros // cols
    dx, dy = (EAST - WEST) / cols, (NORTH - SOUTH) / rows
    shapes = []
    grid_rows = []
    for r in range(rows):
        for c in range(cols):
            pk = r * cols + c + 1
            w, s = WEST + c * dx, SOUTH + r * dy
            geometry = {
                "type": "Polygon",
                "coordinates": [[[w, s], [w + dx, s], [w + dx, s + dy], [w, s + dy], [w, s]]],
            }
            shapes.append(GridShape(id=pk, code=f"{pk:08d}", level="micro", geometry=geometry))
            grid_rows.append((pk, f"第{pk}微网格", geometry, f"{pk:08d}/"))
    locator = GridIndex(shapes)
    # Arterials every ~800 m, on lattice lines (the borders of micro-grids) or inside them.
    step_lon, step_lat = 800 / 91_500, 800 / 110_574
    roads = []
    ns = [WEST + k * step_lon for k in range(1, int((EAST - WEST) / step_lon))]
    ew = [SOUTH + k * step_lat for k in range(1, int((NORTH - SOUTH) / step_lat))]
    for k, lon in enumerate(ns):
        roads.append(
            (_name(k, "路"), {"type": "LineString", "coordinates": [[lon, SOUTH], [lon, NORTH]]})
        )
    for k, lat in enumerate(ew):
        roads.append(
            (
                _name(k + 5000, "街"),
                {"type": "LineString", "coordinates": [[WEST, lat], [EAST, lat]]},
            )
        )
    lanes = []
    for pk in range(1, micros + 1, 20):
        r, c = divmod(pk - 1, cols)
        w, s = WEST + c * dx, SOUTH + r * dy
        name = _name(pk, "巷")
        line = [[w + dx * 0.2, s + dy * 0.5], [w + dx * 0.8, s + dy * 0.5]]
        roads.append((name, {"type": "LineString", "coordinates": line}))
        lanes.append(name)
    buildings = []
    landmarks = []
    for pk in range(1, micros + 1):
        r, c = divmod(pk - 1, cols)
        w, s = WEST + c * dx, SOUTH + r * dy
        for b in range(per_micro):
            bid = (pk - 1) * per_micro + b + 1
            lon = w + dx * (0.15 + 0.7 * rng.random())
            lat = s + dy * (0.15 + 0.7 * rng.random())
            aliases: list[str] = []
            if bid % 100 == 1:
                alias = _name(bid, "大厦")
                aliases.append(alias)
                landmarks.append(alias)
            buildings.append((bid, f"{_name(pk, '路')}{b + 1}号", aliases, lon, lat))
    started = time.perf_counter()
    index = PlaceIndex(roads=roads, buildings=buildings, micro_grids=grid_rows)
    built = time.perf_counter() - started
    by_alias = {a: [b[0]] for b in buildings for a in b[2]}
    by_id = {b[0]: (b[1], b[2]) for b in buildings}
    reader = PlaceReader(
        index, locator, lambda words: by_alias.get(words, []), 50.0, building_of=by_id.get
    )
    names = {
        "ns": [n for n, _g in roads if n.endswith("路")],
        "ew": [n for n, _g in roads if n.endswith("街")],
        "lanes": lanes,
        "landmarks": landmarks,
        "built": [f"{built:.1f}"],
    }
    return reader, names


def queries(names: dict[str, list[str]], n: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    corners = ["东北角", "西南角", "东南角", "西北角"]
    for i in range(n):
        kind = ("crossing", "corner", "offset", "near", "lane")[i % 5]
        a, b = rng.choice(names["ns"]), rng.choice(names["ew"])
        mark = rng.choice(names["landmarks"])
        if kind == "crossing":
            out.append((kind, f"市民反映{a}与{b}交叉口井盖缺失"))
        elif kind == "corner":
            out.append((kind, f"{a}{b}口{rng.choice(corners)}路灯不亮"))
        elif kind == "offset":
            side = rng.choice(["", "路东", "路西"])
            out.append((kind, f"{mark}向北{rng.choice([100, 200, 300])}米{side}有垃圾"))
        elif kind == "near":
            out.append((kind, f"{mark}{rng.choice(['旁边', '对面', '门口'])}占道经营"))
        else:
            out.append((kind, f"{rng.choice(names['lanes'])}路灯坏了好几天"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--micros", type=int, default=100_000)
    parser.add_argument("--buildings-per-micro", type=int, default=10)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    reader, names = build(args.micros, args.buildings_per_micro, args.seed)
    asked = queries(names, args.queries, args.seed)
    times: dict[str, list[float]] = {}
    kinds: dict[str, dict[str, int]] = {}
    for kind, q in asked:
        started = time.perf_counter()
        found = reader.described(q) or reader.way_alone(q)
        spent = (time.perf_counter() - started) * 1000
        times.setdefault(kind, []).append(spent)
        answer = found.kind if found is not None else "none"
        kinds.setdefault(kind, {}).setdefault(answer, 0)
        kinds[kind][answer] += 1
    every = [t for ts in times.values() for t in ts]

    def row(ts: list[float]) -> dict[str, float]:
        ordered = sorted(ts)
        return {
            "p50_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
            "max_ms": round(ordered[-1], 3),
        }

    print(f"built the place index in {names['built'][0]} s")
    for kind, ts in times.items():
        print(f"{kind:<9} {row(ts)} {kinds[kind]}")
    summary = {"build_s": float(names["built"][0]), "all": row(every)}
    summary |= {kind: row(ts) for kind, ts in times.items()}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
