"""The district the production smoke test imports, as an operator's own files would hold it:
grids.geojson (district → street → community → grid → two micro-grids), buildings.csv,
roads.geojson (the road the addresses name, and a lane off it) and kb.jsonl (小原's knowledge
base: the example base the package ships).

Usage: python3 smoke_district.py DIR
"""

import csv
import json
import shutil
import sys
from pathlib import Path

EXAMPLE_KB = Path(__file__).resolve().parents[1] / "wangge" / "assistant" / "data" / "kb.jsonl"


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, object]:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


NODES = [
    ("410302", "老城区", "district", None, (112.460, 34.680, 112.480, 34.700)),
    ("410302001", "西南隅街道", "street", "410302", (112.462, 34.682, 112.478, 34.698)),
    ("410302001001", "青年宫社区", "community", "410302001", (112.464, 34.684, 112.476, 34.696)),
    (
        "410302001001001",
        "青年宫社区第1网格",
        "grid",
        "410302001001",
        (112.466, 34.686, 112.474, 34.694),
    ),
    (
        "410302001001001001",
        "第1网格1号微网格",
        "micro",
        "410302001001001",
        (112.466, 34.686, 112.470, 34.694),
    ),
    (
        "410302001001001002",
        "第1网格2号微网格",
        "micro",
        "410302001001001",
        (112.470, 34.686, 112.474, 34.694),
    ),
]

BUILDINGS = [
    ("老城区中州东路青年宫小区1号楼", 112.468, 34.690, "410302001001001001B001"),
    ("老城区中州东路青年宫小区2号楼", 112.469, 34.691, "410302001001001001B002"),
    ("老城区中州东路青年宫小区3号楼", 112.472, 34.690, "410302001001001002B003"),
]

ROADS = [
    ("中州东路", "arterial", [[112.462, 34.6895], [112.478, 34.6895]]),
    ("青年宫巷", "branch", [[112.4705, 34.6895], [112.4705, 34.6935]]),
]


def main(out: Path) -> None:
    features = [
        {
            "type": "Feature",
            "properties": {"code": code, "name": name, "level": level, "parent_code": parent},
            "geometry": square(*box),
        }
        for code, name, level, parent, box in NODES
    ]
    (out / "grids.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
        encoding="utf-8",
    )
    with (out / "buildings.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["address", "lon", "lat", "code"])
        writer.writerows(BUILDINGS)
    roads = [
        {
            "type": "Feature",
            "properties": {"name": name, "kind": kind},
            "geometry": {"type": "LineString", "coordinates": line},
        }
        for name, kind, line in ROADS
    ]
    (out / "roads.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": roads}, ensure_ascii=False),
        encoding="utf-8",
    )
    shutil.copyfile(EXAMPLE_KB, out / "kb.jsonl")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
