"""A generated city for the city benchmarks (not the demo): GeoJSON grid files and buildings CSVs.

    python bench/city/make_city.py OUT_DIR [--grids-per-community 8] [--micros-per-grid 5]
                                           [--buildings-per-micro 10]

Writes, deterministically (seeded; the same arguments give the same bytes):

- OUT_DIR/city.geojson            the city (410100) and its 16 districts (4101xx)
- OUT_DIR/grids-<district>.geojson each district's streets, communities, grids and micro-grids
- OUT_DIR/buildings-<district>-<1|2>.csv each district's buildings in two halves
                                   (address,lon,lat,code,aliases,micro_grid_code), as
                                   `import_buildings` reads them

The full city: 16 districts, 200 streets (12 or 13 a district), 2,500 communities (12 or 13 a
street), 20,000 grids (8 a community), 100,000 micro-grids (5 a grid), 1,000,000 buildings
(10 a micro-grid). The 1/10 variant: --grids-per-community 2 --micros-per-grid 2 (10,000
micro-grids, 100,000 buildings).

Every boundary is a rectangle on a lattice of 1e-6 degree: a parent is tiled exactly by its
children (shared edges are the same numbers), so every grid lies within its parent and no two
siblings overlap. Buildings stand inside their micro-grid, away from its edges.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
from pathlib import Path
from typing import Any

CITY = ("410100", "郑州市（压测）")
# The city's box in millionths of a degree (lon 113.30–114.10, lat 34.50–35.00).
WEST, SOUTH, EAST, NORTH = 113_300_000, 34_500_000, 114_100_000, 35_000_000
DISTRICTS = 16  # 4 × 4
STREETS = 200
COMMUNITIES = 2_500
DISTRICT_NAMES = [
    "中原",
    "二七",
    "管城",
    "金水",
    "上街",
    "惠济",
    "高新",
    "经开",
    "航空港",
    "郑东",
    "中牟",
    "巩义",
    "荥阳",
    "新密",
    "新郑",
    "登封",
]
ROADS = [
    "建设",
    "伊河",
    "桐柏",
    "秦岭",
    "嵩山",
    "华山",
    "淮河",
    "陇海",
    "煤仓",
    "棉纺",
    "中原",
    "友爱",
    "工人",
    "西站",
    "航海",
    "汝河",
    "须水",
    "化工",
    "医学",
    "长江",
]
SURNAMES = "林王李张刘陈杨赵黄周吴徐孙胡朱高何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"


def split(lo: int, hi: int, n: int) -> list[tuple[int, int]]:
    """n consecutive integer intervals tiling [lo, hi]."""
    cuts = [lo + (hi - lo) * i // n for i in range(n + 1)]
    return list(itertools.pairwise(cuts))


def deg(v: int) -> float:
    return v / 1_000_000


def box(w: int, s: int, e: int, n: int) -> dict[str, Any]:
    ring = [
        [deg(w), deg(s)],
        [deg(e), deg(s)],
        [deg(e), deg(n)],
        [deg(w), deg(n)],
        [deg(w), deg(s)],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(code: str, name: str, level: str, parent: str | None, geom: dict[str, Any]) -> dict:
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
        "geometry": geom,
    }


def counts(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as whole numbers allow (12 or 13 …)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def dump(path: Path, features: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        json.dump(
            {"type": "FeatureCollection", "features": features},
            f,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        f.write("\n")


def district_codes() -> list[str]:
    return [f"4101{i + 1:02d}" for i in range(DISTRICTS)]


def write(
    out: Path, grids_per_community: int, micros_per_grid: int, per_micro: int, seed: int = 20261125
) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    codes = district_codes()
    cols = rows = 4
    d_boxes = {}
    city = [feature(CITY[0], CITY[1], "city", None, box(WEST, SOUTH, EAST, NORTH))]
    for i, (xw, xe) in enumerate(split(WEST, EAST, cols)):
        for j, (ys, yn) in enumerate(split(SOUTH, NORTH, rows)):
            k = j * cols + i
            d_boxes[codes[k]] = (xw, ys, xe, yn)
    for k, code in enumerate(codes):
        city.append(
            feature(code, f"{DISTRICT_NAMES[k]}区", "district", CITY[0], box(*d_boxes[code]))
        )
    dump(out / "city.geojson", city)
    street_counts = counts(STREETS, DISTRICTS)
    community_counts = counts(COMMUNITIES, STREETS)
    # grids of a community: as many columns as fit two rows
    g_cols = max(1, grids_per_community // 2) if grids_per_community > 1 else 1
    g_rows = grids_per_community // g_cols
    assert g_cols * g_rows == grids_per_community, "grids per community must be 1 or even"
    total = {
        "districts": DISTRICTS,
        "streets": 0,
        "communities": 0,
        "grids": 0,
        "micros": 0,
        "buildings": 0,
    }
    street_no = 0
    for k, d_code in enumerate(codes):
        features: list[dict] = []
        w, s, e, n = d_boxes[d_code]
        dname = DISTRICT_NAMES[k]
        # Two files a district, split between its streets: `import_buildings` asks for the
        # codes of a file in one statement, and PostgreSQL takes at most 65,535 parameters.
        half = (street_counts[k] + 1) // 2
        bfs = [
            (out / f"buildings-{d_code}-{part}.csv").open("w", encoding="utf-8", newline="")
            for part in (1, 2)
        ]
        with bfs[0], bfs[1]:
            for bf in bfs:
                csv.writer(bf, lineterminator="\n").writerow(
                    ["address", "lon", "lat", "code", "aliases", "micro_grid_code"]
                )
            for si, (sw, se) in enumerate(split(w, e, street_counts[k])):
                writer = csv.writer(bfs[si // half], lineterminator="\n")
                s_code = f"{d_code}{si + 1:03d}"
                road = ROADS[street_no % len(ROADS)]
                s_name = f"{dname}{road}路街道"
                features.append(feature(s_code, s_name, "street", d_code, box(sw, s, se, n)))
                total["streets"] += 1
                n_comm = community_counts[street_no]
                street_no += 1
                door = 0
                for ci, (cs, cn) in enumerate(split(s, n, n_comm)):
                    c_code = f"{s_code}{ci + 1:03d}"
                    c_short = f"{rng.choice(SURNAMES)}{rng.choice(SURNAMES)}{ci + 1}"
                    features.append(
                        feature(c_code, f"{c_short}社区", "community", s_code, box(sw, cs, se, cn))
                    )
                    total["communities"] += 1
                    g = 0
                    for gs, gn in split(cs, cn, g_rows):
                        for gw, ge in split(sw, se, g_cols):
                            g += 1
                            g_code = f"{c_code}{g:03d}"
                            features.append(
                                feature(
                                    g_code,
                                    f"{c_short}第{g}网格",
                                    "grid",
                                    c_code,
                                    box(gw, gs, ge, gn),
                                )
                            )
                            total["grids"] += 1
                            for mi, (ms, mn) in enumerate(split(gs, gn, micros_per_grid)):
                                m_code = f"{g_code}{mi + 1:03d}"
                                features.append(
                                    feature(
                                        m_code,
                                        f"{c_short}第{g}网格{mi + 1}号微网格",
                                        "micro",
                                        g_code,
                                        box(gw, ms, ge, mn),
                                    )
                                )
                                total["micros"] += 1
                                for b in range(per_micro):
                                    door += 1
                                    # rows of houses inside the micro-grid, 10–90 % of its box
                                    fx = 0.1 + 0.8 * ((b % 5) + rng.random() * 0.5) / 5
                                    fy = 0.1 + 0.8 * ((b // 5 % 4) + rng.random() * 0.5) / 4
                                    lon = deg(gw + int((ge - gw) * fx))
                                    lat = deg(ms + int((mn - ms) * fy))
                                    addr = f"{dname}区{road}路{door}号{b % 6 + 1}号楼"
                                    writer.writerow(
                                        [
                                            addr,
                                            f"{lon:.6f}",
                                            f"{lat:.6f}",
                                            f"{m_code}{b + 1:03d}",
                                            f"{c_short}小区{b % 6 + 1}号楼",
                                            m_code,
                                        ]
                                    )
                                    total["buildings"] += 1
        dump(out / f"grids-{d_code}.geojson", features)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--grids-per-community", type=int, default=8)
    ap.add_argument("--micros-per-grid", type=int, default=5)
    ap.add_argument("--buildings-per-micro", type=int, default=10)
    ap.add_argument("--seed", type=int, default=20261125)
    a = ap.parse_args()
    print(
        json.dumps(
            write(a.out, a.grids_per_community, a.micros_per_grid, a.buildings_per_micro, a.seed)
        )
    )


if __name__ == "__main__":
    main()
