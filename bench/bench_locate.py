"""Benchmark GridIndex at city scale (no Django needed).

    python bench/bench_locate.py [--polygons 100000] [--lookups 200000] [--seed 7]

Generates a deterministic, jittered hexagon-like tessellation over a Zhengzhou-sized box
(neighbouring polygons share vertices bit-for-bit, as grids drawn on a shared base layer
do), scatters exclusive grids over it, then reports build time, single-call ``locate``
throughput, ``locate_many`` throughput, and agreement with a brute-force shapely check on
random points *and* on shared vertices (where the smaller-code tie-break rule matters).
The last line of output is a JSON summary for CI trend tracking.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shapely

from wangge.grids.spatial import EXCLUSIVE, MICRO, GridIndex, GridShape, Hit

# Roughly 郑州市区 and surroundings.
LON_MIN, LON_MAX = 113.3, 114.0
LAT_MIN, LAT_MAX = 34.5, 35.0
EXCLUSIVE_PER_MICRO = 0.05


def _ring(points: list[tuple[float, float]]) -> list[list[float]]:
    return [[x, y] for x, y in [*points, points[0]]]


def make_micro_grids(target: int, rng: np.random.Generator) -> list[GridShape]:
    """Brick-bond tessellation: each brick has 3 vertices on its bottom and 3 on its top row,
    and alternate rows are offset by half a brick, so bricks are hexagon-like and every
    vertex is shared by three polygons. Vertices are jittered once, globally, so shared
    borders stay exactly shared while no edge is axis-aligned."""
    lat_mid = math.radians((LAT_MIN + LAT_MAX) / 2)
    width_m = (LON_MAX - LON_MIN) * 111_320 * math.cos(lat_mid)
    height_m = (LAT_MAX - LAT_MIN) * 110_950
    side_m = math.sqrt(width_m * height_m / target)
    rows = max(1, round(height_m / side_m))
    per_row = max(1, round(target / rows))
    cols = 2 * per_row + 1  # vertex columns at half-brick spacing
    dx = (LON_MAX - LON_MIN) / (cols - 1)
    dy = (LAT_MAX - LAT_MIN) / rows
    vx = LON_MIN + np.arange(cols) * dx + rng.uniform(-0.2, 0.2, (rows + 1, cols)) * dx
    vy = LAT_MIN + np.arange(rows + 1)[:, None] * dy + rng.uniform(-0.2, 0.2, (rows + 1, cols)) * dy
    # Keep the outer boundary straight so the tessellation fills its box.
    vx[:, 0], vx[:, -1] = LON_MIN, LON_MAX
    vy[0, :], vy[-1, :] = LAT_MIN, LAT_MAX

    def v(r: int, c: int) -> tuple[float, float]:
        return float(vx[r, c]), float(vy[r, c])

    rings: list[list[tuple[float, float]]] = []
    for r in range(rows):
        start = 0 if r % 2 == 0 else 1
        if start:  # half brick at the left edge of odd rows
            rings.append([v(r, 0), v(r, 1), v(r + 1, 1), v(r + 1, 0)])
        c = start
        while c + 2 < cols:
            rings.append(
                [v(r, c), v(r, c + 1), v(r, c + 2), v(r + 1, c + 2), v(r + 1, c + 1), v(r + 1, c)]
            )
            c += 2
        if c < cols - 1:  # half brick at the right edge
            rings.append([v(r, c), v(r, c + 1), v(r + 1, c + 1), v(r + 1, c)])
    # Codes in random order relative to position, so the tie-break is really exercised.
    codes = rng.permutation(len(rings))
    return [
        GridShape(
            id=i + 1,
            code=f"410102-{int(codes[i]):07d}",
            level=MICRO,
            geometry={"type": "Polygon", "coordinates": [_ring(ring)]},
        )
        for i, ring in enumerate(rings)
    ]


def make_exclusive_grids(count: int, first_id: int, rng: np.random.Generator) -> list[GridShape]:
    """Irregular 5–9-gons of 60–400 m radius (schools, malls, parks) dropped anywhere; some
    overlap each other, which the smaller-code rule resolves."""
    shapes = []
    k_lon = 1 / (111_320 * math.cos(math.radians((LAT_MIN + LAT_MAX) / 2)))
    k_lat = 1 / 110_950
    for i in range(count):
        cx = rng.uniform(LON_MIN + 0.01, LON_MAX - 0.01)
        cy = rng.uniform(LAT_MIN + 0.01, LAT_MAX - 0.01)
        n = int(rng.integers(5, 10))
        # Jittered but evenly spread angles keep every gap < π, so the ring is star-shaped
        # around its centre and never self-intersects.
        angles = (np.arange(n) + rng.uniform(-0.3, 0.3, n)) * (2 * math.pi / n)
        radii = rng.uniform(60, 400) * rng.uniform(0.6, 1.0, n)
        ring = [
            (float(cx + r * math.cos(a) * k_lon), float(cy + r * math.sin(a) * k_lat))
            for a, r in zip(angles, radii, strict=True)
        ]
        shapes.append(
            GridShape(
                id=first_id + i,
                code=f"ZS-{int(rng.integers(0, 10**6)):06d}-{i}",
                level=EXCLUSIVE,
                geometry={"type": "Polygon", "coordinates": [_ring(ring)]},
            )
        )
    return shapes


def brute_force(
    shapes: list[GridShape], lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]
) -> list[Hit]:
    """Reference answers: bounding-box filter + GEOS intersects, no index structure."""
    by_level: dict[str, tuple[Any, npt.NDArray[np.float64], list[GridShape]]] = {}
    for level in (MICRO, EXCLUSIVE):
        subset = [s for s in shapes if s.level == level]
        geoms = np.array([shapely.geometry.shape(s.geometry) for s in subset], dtype=object)
        by_level[level] = (geoms, shapely.bounds(geoms), subset)
    answers = []
    for x, y in zip(lons.tolist(), lats.tolist(), strict=True):
        found: dict[str, int | None] = {}
        for level, (geoms, b, subset) in by_level.items():
            near = np.flatnonzero((b[:, 0] <= x) & (x <= b[:, 2]) & (b[:, 1] <= y) & (y <= b[:, 3]))
            inside = near[shapely.intersects_xy(geoms[near], x, y)] if len(near) else near
            winners = sorted((subset[i].code, subset[i].id) for i in inside.tolist())
            found[level] = winners[0][1] if winners else None
        answers.append(Hit(found[MICRO], found[EXCLUSIVE]))
    return answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polygons", type=int, default=100_000, help="micro-grid count")
    parser.add_argument("--lookups", type=int, default=200_000)
    parser.add_argument("--check", type=int, default=2_000, help="points checked by brute force")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)

    t = time.perf_counter()
    micro = make_micro_grids(args.polygons, rng)
    exclusive = make_exclusive_grids(round(len(micro) * EXCLUSIVE_PER_MICRO), len(micro) + 1, rng)
    shapes = micro + exclusive
    print(
        f"generated {len(micro)} micro + {len(exclusive)} exclusive grids "
        f"in {time.perf_counter() - t:.1f}s"
    )

    t = time.perf_counter()
    index = GridIndex(shapes)
    build_s = time.perf_counter() - t
    stats = index.stats()
    print(f"build: {build_s:.1f}s  table {stats}")

    # 5 % of the lookups fall outside the tessellation, as mis-geocoded reports do.
    pad = 0.05
    lons = rng.uniform(LON_MIN - pad, LON_MAX + pad, args.lookups)
    lats = rng.uniform(LAT_MIN - pad, LAT_MAX + pad, args.lookups)

    locate = index.locate
    pairs = list(zip(lons.tolist(), lats.tolist(), strict=True))
    best = math.inf
    for _ in range(3):  # best of 3 to shave scheduler noise off a shared CI box
        t = time.perf_counter()
        single = [locate(x, y) for x, y in pairs]
        best = min(best, time.perf_counter() - t)
    locate_per_s = len(pairs) / best
    print(f"locate: {locate_per_s:,.0f} lookups/s ({best / len(pairs) * 1e6:.2f} µs each)")

    t = time.perf_counter()
    batch = index.locate_many(lons, lats)
    many_s = time.perf_counter() - t
    many_per_s = len(lons) / many_s
    print(f"locate_many: {many_per_s:,.0f} points/s")
    batch_agree = sum(a == b for a, b in zip(single, batch, strict=True)) / len(single)
    print(f"locate vs locate_many agreement: {batch_agree:.4%}")

    # Brute-force check on random points plus shared vertices (exact border points).
    n_check = min(args.check, len(pairs))
    idx = rng.choice(len(pairs), n_check, replace=False)
    vertices = np.array(
        [micro[i].geometry["coordinates"][0][0] for i in rng.choice(len(micro), n_check // 4)]
    )
    check_lons = np.concatenate([lons[idx], vertices[:, 0]])
    check_lats = np.concatenate([lats[idx], vertices[:, 1]])
    t = time.perf_counter()
    expected = brute_force(shapes, check_lons, check_lats)
    got = [locate(x, y) for x, y in zip(check_lons.tolist(), check_lats.tolist(), strict=True)]
    agree = sum(a == b for a, b in zip(got, expected, strict=True)) / len(expected)
    print(
        f"brute-force agreement on {len(expected)} points "
        f"({len(vertices)} shared vertices): {agree:.4%} ({time.perf_counter() - t:.1f}s)"
    )

    summary = {
        "micro": len(micro),
        "exclusive": len(exclusive),
        "cells": stats["cells"],
        "mixed_cells": stats["mixed_cells"],
        "build_s": round(build_s, 2),
        "locate_per_s": round(locate_per_s),
        "locate_many_per_s": round(many_per_s),
        "batch_agreement": round(batch_agree, 6),
        "bruteforce_agreement": round(agree, 6),
        "bruteforce_points": len(expected),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
