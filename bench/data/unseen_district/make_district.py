"""Write the grid tree and buildings of the unseen evaluation district: 洛阳市涧西区.

    python bench/data/unseen_district/make_district.py

Real street offices and roads of 涧西区 (湖北路、南昌路、郑州路、长安路街道; 中州西路, 南昌路,
郑州路, 九都西路 …), communities named as the district names them, compounds written the way
its 标准地址 are (the old 一拖 blocks as 11号街坊35栋). The geometry is ours: rectangles over
the district's real area, not survey data. Official addresses mostly carry 洛阳市涧西区, the
rows of 景华路社区 only 涧西区 (a second source), aliases are written as people know them,
some with the district and most without.

Outputs grids.geojson (for `wangge import_grids`) and buildings.csv (for
`wangge import_buildings`), both deterministic.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DISTRICT = ("410305", "涧西区")
WEST, SOUTH, EAST, NORTH = 112.36, 34.63, 112.46, 34.69
STREETS = [
    ("410305001", "湖北路街道", [("410305001001", "青岛路社区"), ("410305001002", "广州市场社区")]),
    ("410305002", "南昌路街道", [("410305002001", "南昌路社区"), ("410305002002", "景华路社区")]),
    ("410305003", "郑州路街道", [("410305003001", "郑州路社区"), ("410305003002", "太原路社区")]),
    ("410305004", "长安路街道", [("410305004001", "长安路社区"), ("410305004002", "联盟路社区")]),
]
EXCLUSIVE = [
    ("410305001002901", "广州市场步行街商圈", "商圈", "410305001002"),
    ("410305002002901", "河南科技大学西苑校区", "学校", "410305002002"),
]

CITY = "洛阳市涧西区"
LOCAL = "涧西区"
# (code key, community code, address template with {n}, building numbers, alias templates).
# The template is the official address; {n} is the building number or letter.
COMPOUNDS: list[tuple[str, str, str, list[Any], list[str]]] = [
    ("QD8", "410305001001", CITY + "青岛路8号院{n}号楼", list(range(1, 7)), []),
    (
        "GY",
        "410305001001",
        CITY + "湖北路建业桂园{n}号楼",
        list(range(1, 7)),
        ["湖北路16号院{n}号楼"],
    ),
    ("HB23", "410305001001", CITY + "湖北路23号院{n}号楼", list(range(1, 6)), []),
    ("JF11", "410305001002", CITY + "中州西路11号街坊{n}栋", [3, 5, 7, 9, 12, 15, 21, 35], []),
    ("GZSC", "410305001002", CITY + "广州路26号广州市场大厦", [None], ["广州市场大楼"]),
    ("NC12", "410305002001", CITY + "南昌路12号院{n}号楼", list(range(1, 9)), []),
    (
        "ZD",
        "410305002001",
        CITY + "南昌路正大国际{n}号楼",
        list(range(1, 6)),
        ["南昌路80号院{n}号楼"],
    ),
    ("CC", "410305002001", CITY + "长春路长春小区{n}号楼", list(range(1, 7)), []),
    ("JH", "410305002002", LOCAL + "景华路景华小区{n}栋", list(range(1, 7)), []),
    (
        "KD",
        "410305002002",
        LOCAL + "西苑路河科大家属院{n}号楼",
        list(range(1, 5)),
        ["西苑路48号院{n}号楼", "河南科技大学家属院{n}号楼"],
    ),
    ("LX", "410305002002", LOCAL + "丽新路丽新苑{n}号楼", list(range(1, 6)), []),
    ("MD", "410305003001", CITY + "郑州路牡丹小区{n}号楼", list(range(1, 7)), []),
    ("ZZ45", "410305003001", CITY + "郑州路45号院{n}号楼", list(range(1, 5)), []),
    ("TJ32", "410305003001", CITY + "天津路32号院{n}号楼", list(range(1, 7)), []),
    ("JF10", "410305003002", CITY + "太原路10号街坊{n}栋", [2, 4, 6, 8, 11, 13], []),
    ("JXHT", "410305003002", CITY + "辽宁路锦绣华庭{n}号楼", list(range(1, 5)), []),
    ("JDY", "410305003002", CITY + "武汉路金鼎苑{n}号楼", list(range(1, 6)), []),
    ("CAHY", "410305004001", CITY + "长安路长安花园{n}号楼", list(range(1, 7)), []),
    (
        "ZC96",
        "410305004001",
        CITY + "建设路96号院{n}号楼",
        list(range(1, 6)),
        ["原轴承厂家属院{n}号楼"],
    ),
    ("THY", "410305004001", CITY + "重庆路泰和园{n}号楼", list(range(1, 7)), []),
    ("ZWZX", "410305004001", CITY + "长安路100号", [None], ["涧西区政务服务中心", "政务服务大厅"]),
    (
        "LJY",
        "410305004002",
        CITY + "联盟路丽景苑{n}号楼",
        list(range(1, 6)),
        ["涧西区联盟路7号院{n}号楼"],
    ),
    ("HYGC", "410305004002", CITY + "九都西路华阳广场{n}座", ["A", "B"], []),
    ("ZJC", "410305004002", CITY + "九都西路紫金城{n}号楼", list(range(1, 6)), []),
    ("PL", "410305004002", CITY + "蓬莱路蓬莱小区{n}号楼", list(range(1, 5)), []),
    ("HS", "410305004002", CITY + "华山路华山小区{n}号楼", list(range(1, 5)), []),
]


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


def build() -> tuple[list[dict[str, Any]], dict[str, tuple[float, float, float, float]]]:
    features = [feature(DISTRICT[0], DISTRICT[1], "district", None, box(WEST, SOUTH, EAST, NORTH))]
    micro_boxes: dict[str, tuple[float, float, float, float]] = {}
    width = (EAST - WEST) / len(STREETS)
    mid = (SOUTH + NORTH) / 2
    for si, (s_code, s_name, communities) in enumerate(STREETS):
        sw, se = WEST + si * width, WEST + (si + 1) * width
        features.append(feature(s_code, s_name, "street", DISTRICT[0], box(sw, SOUTH, se, NORTH)))
        for ci, (c_code, c_name) in enumerate(communities):
            cs, cn = (SOUTH, mid) if ci == 0 else (mid, NORTH)
            features.append(feature(c_code, c_name, "community", s_code, box(sw, cs, se, cn)))
            short = c_name.removesuffix("社区")
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
    for code, name, kind, parent in EXCLUSIVE:
        w, s, _e, _n = micro_boxes[f"{parent}001001"]
        features.append(
            feature(
                code,
                name,
                "exclusive",
                parent,
                box(w + 0.001, s + 0.001, w + 0.004, s + 0.003),
                kind,
            )
        )
    return features, micro_boxes


def buildings(micro_boxes: dict[str, tuple[float, float, float, float]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["address", "lon", "lat", "code", "aliases", "micro_grid_code"])
    used: dict[str, int] = {}
    for key, community, template, numbers, aliases in COMPOUNDS:
        # Compounds of a community go round its four micro-grids.
        k = used.get(community, 0)
        used[community] = k + 1
        micro = f"{community}{k % 2 + 1:03d}{k // 2 % 2 + 1:03d}"
        w, s, e, n = micro_boxes[micro]
        for i, number in enumerate(numbers):
            label = "" if number is None else str(number)
            lon = w + (e - w) * (0.15 + 0.1 * (i % 8))
            lat = s + (n - s) * (0.2 + 0.08 * (i // 8) + 0.05 * (k // 4))
            code = f"JX{key}" + (f"B{label}" if label else "")
            writer.writerow(
                [
                    template.format(n=label),
                    f"{lon:.6f}",
                    f"{lat:.6f}",
                    code,
                    "|".join(a.format(n=label) for a in aliases),
                    micro,
                ]
            )
    return out.getvalue()


def main() -> None:
    features, micro_boxes = build()
    geojson = {"type": "FeatureCollection", "features": features}
    (HERE / "grids.geojson").write_text(
        json.dumps(geojson, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "buildings.csv").write_text(buildings(micro_boxes), encoding="utf-8")


if __name__ == "__main__":
    main()
