"""The layout the lane, 胡同 and village sets share (bench/data/*/make_district.py): the grid
tree as strips of streets over the district's box, each community 2 grids of 2 micro-grids, an
exclusive grid in a corner, and the buildings of each block in rows inside its micro-grid.

Each set's make_district.py describes its own district (`District`) and calls `write`; what
they write is deterministic, so the files in the sets do not change when this does not.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class District:
    here: Path
    district: tuple[str, str]
    streets: Sequence[tuple[str, str, Sequence[tuple[str, str]]]]
    exclusive: Sequence[tuple[str, str, str, str]]
    blocks: Sequence[tuple[str, Sequence[tuple[str, str, Sequence[str]]]]]
    west: float
    south: float
    east: float
    north: float
    short_name: Callable[[str], str]


def box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def feature(
    code: str, name: str, level: str, parent: str | None, geom: dict[str, Any], kind: str = ""
) -> dict[str, Any]:
    props: dict[str, Any] = {"code": code, "name": name, "level": level, "parent_code": parent}
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def build(d: District) -> tuple[list[dict[str, Any]], dict[str, tuple[float, float, float, float]]]:
    """Streets are vertical strips, their communities split a strip from south to north, each
    community holds 2 grids of 2 micro-grids."""
    features = [
        feature(
            d.district[0], d.district[1], "district", None, box(d.west, d.south, d.east, d.north)
        )
    ]
    micro_boxes: dict[str, tuple[float, float, float, float]] = {}
    width = (d.east - d.west) / len(d.streets)
    for si, (s_code, s_name, communities) in enumerate(d.streets):
        sw, se = d.west + si * width, d.west + (si + 1) * width
        features.append(
            feature(s_code, s_name, "street", d.district[0], box(sw, d.south, se, d.north))
        )
        height = (d.north - d.south) / len(communities)
        for ci, (c_code, c_name) in enumerate(communities):
            cs, cn = d.south + ci * height, d.south + (ci + 1) * height
            features.append(feature(c_code, c_name, "community", s_code, box(sw, cs, se, cn)))
            short = d.short_name(c_name)
            for gi in range(2):
                gw, ge = sw + gi * width / 2, sw + (gi + 1) * width / 2
                g_code = f"{c_code}{gi + 1:03d}"
                features.append(
                    feature(g_code, f"{short}第{gi + 1}网格", "grid", c_code, box(gw, cs, ge, cn))
                )
                for mi in range(2):
                    ms, mn = cs + mi * (cn - cs) / 2, cs + (mi + 1) * (cn - cs) / 2
                    m_code = f"{g_code}{mi + 1:03d}"
                    name = f"{short}第{gi + 1}网格{mi + 1}号微网格"
                    features.append(feature(m_code, name, "micro", g_code, box(gw, ms, ge, mn)))
                    micro_boxes[m_code] = (gw, ms, ge, mn)
    for code, name, kind, parent in d.exclusive:
        w, s, _e, _n = micro_boxes[f"{parent}001001"]
        features.append(
            feature(
                code,
                name,
                "exclusive",
                parent,
                box(w + 0.0005, s + 0.0005, w + 0.002, s + 0.0015),
                kind,
            )
        )
    return features, micro_boxes


def buildings(d: District, micro_boxes: dict[str, tuple[float, float, float, float]]) -> str:
    """Blocks of a community go round its four micro-grids; houses of a block sit in rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["address", "lon", "lat", "code", "aliases", "micro_grid_code"])
    blocks_seen: dict[str, int] = {}
    placed: dict[str, int] = {}
    for community, block in d.blocks:
        k = blocks_seen.get(community, 0)
        blocks_seen[community] = k + 1
        micro = f"{community}{k % 2 + 1:03d}{k // 2 % 2 + 1:03d}"
        w, s, e, n = micro_boxes[micro]
        for code, address, aliases in block:
            i = placed.get(micro, 0)
            placed[micro] = i + 1
            lon = w + (e - w) * (0.05 + 0.09 * (i % 10))
            lat = s + (n - s) * (0.08 + 0.07 * (i // 10))
            writer.writerow([address, f"{lon:.6f}", f"{lat:.6f}", code, "|".join(aliases), micro])
    return out.getvalue()


def write(d: District) -> None:
    """Write d's grids.geojson and buildings.csv into its folder."""
    features, micro_boxes = build(d)
    geojson = {"type": "FeatureCollection", "features": features}
    (d.here / "grids.geojson").write_text(
        json.dumps(geojson, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (d.here / "buildings.csv").write_text(buildings(d, micro_boxes), encoding="utf-8")
