"""Write the place-description evaluation district: 陕西省西安市长安区.

    python bench/data/place_xian/make_district.py

One grid tree in two parts: an urban core (韦曲街道, 郭杜街道, with roads, lanes and 小区) and a
rural south-east (王曲街道, 滦镇街道, with 行政村 whose houses are written by 组 —
`长安区王曲街道南堡寨村3组15号` — or numbered across the village — `长安区滦镇街道留村128号`).
The 街道 and the urban road names are 长安区's; the communities, villages, lanes, door numbers,
landmarks' positions and all geometry are ours: a layout in metres over a 6 km x 3 km box,
turned into WGS-84 south of 西安.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path

from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 108.9000, 34.1200  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("610116", "长安区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("610116001", "韦曲街道", (0, 1500, 2400, 3000), [("西街社区", "西街"), ("南街社区", "南街")]),
    ("610116002", "郭杜街道", (0, 0, 2400, 1500), [("郭杜社区", "郭杜"), ("长里社区", "长里")]),
]

# rural streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar" / "zu_cn": six micro-grids named after the 组 (`南堡寨村3组`, `韩家庄村三组`);
# "plain": six plain micro-grids; "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "610116005",
        "王曲街道",
        (2400, 1500, 6000, 3000),
        [
            ("南堡寨村", "NBZ", "zu_ar"),
            ("杨家堡村", "YJB", "plain"),
            ("马坊村", "MFW", "small"),
            ("皇甫村", "HF", "small"),
            ("堡子村", "BZ", "small"),
        ],
    ),
    (
        "610116007",
        "滦镇街道",
        (2400, 0, 6000, 1500),
        [
            ("韩家庄村", "HJZ", "zu_cn"),
            ("东寨村", "DZ", "plain"),
            ("马坊村", "MFL", "small"),
            ("留村", "LC", "small"),
            ("周家庄村", "ZJZ", "small"),
        ],
    ),
]


def rect(b):
    return box(*b)


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": props, "geometry": geom}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
MICRO_NAMES: dict[str, str] = {}
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}  # village key -> box


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, communities in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, _e, n = sb
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cw, ce = w + ci * 1200, w + (ci + 1) * 1200
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(cw, s, ce, n))))
            for gi in range(2):
                gs, gn = s + gi * 750, s + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(cw, gs, ce, gn))))
                for mi in range(3):
                    mb = (cw + mi * 400, gs, cw + (mi + 1) * 400, gn)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    for t_code, t_name, tb, villages in RURAL:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        x, s, _e, n = tb
        for vi, (v_name, key, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            width = 400 if style == "small" else 1200
            vb = (x, s, x + width, n)
            x += width
            VILLAGE_BOX[key] = vb
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
                for mi in range(2):
                    mb = (vb[0], s + mi * 750, vb[2], s + (mi + 1) * 750)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
                continue
            for gi in range(2):
                gs, gn = s + gi * 750, s + (gi + 1) * 750
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (vb[0], gs, vb[2], gn)
                FEATURES.append(
                    feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
                )
                for mi in range(3):
                    mb = (vb[0] + mi * 400, gs, vb[0] + (mi + 1) * 400, gn)
                    m = gi * 3 + mi + 1
                    if style == "zu_ar":
                        name = f"{v_name}{m}组"
                    elif style == "zu_cn":
                        name = f"{v_name}{CN[m]}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("长安南路", "arterial", [(1200, 0), (1200, 3000)]),
    ("子午大道", "arterial", [(800, 0), (800, 3000)]),
    ("西长安街", "arterial", [(0, 1500), (2400, 1500)]),
    ("航天大道", "arterial", [(0, 1000), (3400, 1000)]),
    ("韦曲南街", "secondary", [(0, 2000), (2400, 2000)]),
    ("韦曲东街", "secondary", [(1800, 1500), (1800, 3000)]),
    ("学府大道", "arterial", [(0, 400), (2400, 400)]),
    ("凤栖路", "arterial", [(2400, 0), (2400, 3000)]),
    ("樊川路", "secondary", [(300, 1550), (300, 2950)]),
    ("青年街", "branch", [(1400, 2150), (1400, 1850), (1700, 1850), (1700, 2150)]),
    # lanes in the road file
    ("油坊巷", "branch", [(500, 2100), (500, 2400)]),
    ("仓巷", "branch", [(1300, 2700), (1550, 2700)]),
    ("书院巷", "branch", [(1000, 1100), (1000, 1400)]),
    ("槐树巷", "branch", [(1650, 300), (1950, 300)]),
    ("马王巷", "branch", [(2200, 1600), (2200, 1900)]),
    ("樊家巷", "branch", [(100, 600), (350, 600)]),
    # the rural south-east
    ("关中环线", "arterial", [(2400, 1500), (6000, 1500)]),
    ("环山公路", "arterial", [(2400, 400), (6000, 400)]),
    ("王曲大街", "secondary", [(2400, 2600), (5800, 2600)]),
    ("沣峪路", "secondary", [(4800, 0), (4800, 3000)]),
    ("滦镇大街", "secondary", [(3700, 1150), (4750, 1150)]),
    ("堡寨路", "branch", [(3000, 1600), (3000, 2900)]),
    ("韩庄路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("东寨路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "长安区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "长安南路": "CANL",
    "子午大道": "ZWDD",
    "西长安街": "XCAJ",
    "航天大道": "HTDD",
    "韦曲南街": "WQNJ",
    "韦曲东街": "WQDJ",
    "学府大道": "XFDD",
    "凤栖路": "FQL",
    "樊川路": "FCL",
    "青年街": "QNJ",
    "油坊巷": "YFX",
    "仓巷": "CX",
    "书院巷": "SYX",
    "槐树巷": "HSX",
    "马王巷": "MWX",
    "樊家巷": "FJX",
    "环山公路": "HSGL",
    "王曲大街": "WQDJ2",
    "滦镇大街": "LZDJ",
    "城隍庙巷": "CHMX",
    "杜家巷": "DJX",
    "东关巷": "DGX",
    "南关巷": "NGX",
    "石板巷": "SBX",
}


def add(code, address, x, y, aliases=(), **meta):
    if code in BY_CODE:
        raise SystemExit(f"duplicate code {code}")
    b = {"code": code, "address": address, "x": x, "y": y, "aliases": list(aliases), **meta}
    BUILDINGS.append(b)
    BY_CODE[code] = b
    return b


def on_road(name: str, s: float, side: str, setback: float = 18.0):
    """Point s metres along the road, setback metres to its left (L) or right (R)."""
    line = ROAD[name]
    p = line.interpolate(s)
    q = line.interpolate(min(s + 1.0, line.length))
    if q.equals(p):
        q, p = p, line.interpolate(s - 1.0)
    dx, dy = q.x - p.x, q.y - p.y
    L = math.hypot(dx, dy)
    nx, ny = -dy / L, dx / L  # left normal
    k = setback if side == "L" else -setback
    p = line.interpolate(s)
    return round(p.x + k * nx, 2), round(p.y + k * ny, 2)


def door(s: float, side: str, step: float = 20.0) -> int:
    return 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, prefix=CITY, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(f"CA{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"CA{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"CA{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


TOWN_OF = {
    "NBZ": "王曲街道",
    "YJB": "王曲街道",
    "MFW": "王曲街道",
    "HF": "王曲街道",
    "BZ": "王曲街道",
    "HJZ": "滦镇街道",
    "DZ": "滦镇街道",
    "MFL": "滦镇街道",
    "LC": "滦镇街道",
    "ZJZ": "滦镇街道",
}
VILLAGE_OF = {
    "NBZ": "南堡寨村",
    "YJB": "杨家堡村",
    "MFW": "马坊村",
    "HF": "皇甫村",
    "BZ": "堡子村",
    "HJZ": "韩家庄村",
    "DZ": "东寨村",
    "MFL": "马坊村",
    "LC": "留村",
    "ZJZ": "周家庄村",
}
ZU_STYLE = {"NBZ": "ar", "YJB": "cn", "HJZ": "ar", "DZ": "cn"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def rural_houses(key: str, zu: int | None, centre, numbers, aliases=None):
    """Houses of a 村民小组 (zu) or of a village numbered across (zu None) around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        zt = zu_text(key, zu) if zu else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"CA{key}{zu or 0:02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            wan="",
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "长安南路",
        [
            (300, "L", []),
            (700, "R", ["郭杜派出所"]),
            (1100, "L", ["长安农商银行郭杜支行", "农商银行郭杜支行"]),
            (1700, "R", ["长安区医院"]),
            (2100, "L", ["中国银行长安支行", "中行长安支行"]),
            (2500, "R", ["长安一中", "西安市长安区第一中学"]),
            (2850, "L", []),
        ],
    )
    frontage(
        "子午大道",
        [
            (200, "R", []),
            (600, "L", ["华润万家郭杜店", "华润万家"]),
            (1250, "R", []),
            (2150, "L", ["樊川小区东门"]),
            (2400, "R", ["长安区第五中学", "长安五中"]),
            (2800, "L", []),
        ],
    )
    frontage(
        "西长安街",
        [
            (150, "L", []),
            (600, "R", []),
            (1000, "L", ["建设银行韦曲支行", "建行韦曲支行"]),
            (1500, "R", ["长安百货大楼", "长安百货"]),
            (2100, "L", []),
            (2300, "R", []),
        ],
    )
    frontage(
        "航天大道",
        [
            (200, "L", []),
            (650, "R", ["郭杜社区服务中心"]),
            (1400, "L", []),
            (1850, "R", ["航天大道加油站"]),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "韦曲南街",
        [
            (100, "L", []),
            (550, "R", ["西街社区服务中心"]),
            (600, "L", ["樊川小区南门"]),
            (1000, "L", []),
            (1450, "R", ["韦曲派出所"]),
            (1900, "L", ["神禾苑南门"]),
            (2250, "L", ["邮政储蓄银行韦曲南街支行", "邮储韦曲南街支行"]),
            (2350, "R", []),
        ],
    )
    frontage(
        "韦曲东街",
        [
            (100, "L", []),
            (300, "L", []),
            (620, "R", ["神禾苑", "神禾苑东门"]),
            (1000, "R", []),
            (1300, "L", ["长安区图书馆"]),
        ],
    )
    frontage(
        "学府大道",
        [
            (150, "L", []),
            (500, "R", ["郭杜中学"]),
            (1000, "L", []),
            (1450, "R", ["郭杜佳苑", "郭杜佳苑南门"]),
            (1900, "L", ["郭杜街道卫生服务中心"]),
            (2250, "R", []),
        ],
    )
    frontage("凤栖路", [(500, "L", []), (1200, "R", []), (2200, "L", []), (2700, "R", [])])
    frontage("樊川路", [(100, "L", []), (400, "R", []), (1100, "R", [])])
    frontage("青年街", [(450, "R", ["青年街菜市场"])])
    # lanes of the road file
    frontage("油坊巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("仓巷", [(40, "L", []), (180, "R", [])], step=10)
    frontage("书院巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("槐树巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("马王巷", [(30, "L", []), (200, "R", [])], step=10)
    frontage("樊家巷", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("城隍庙巷", [(2, 600, 2800), (5, 640, 2812), (9, 680, 2800)])
    lane_houses("杜家巷", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("东关巷", [(1, 2150, 2600), (6, 2160, 2660), (10, 2150, 2720)])
    lane_houses("南关巷", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("石板巷", [(2, 1170, 2600), (5, 1230, 2600), (8, 1240, 2660)])
    # 小区: a door with the 小区's name and gate, and its 号楼
    fc = door(2150, "L")
    compound(
        f"子午大道{fc}号",
        "樊川小区",
        "CAFCXQ",
        [(480, 2100), (560, 2100), (640, 2100), (480, 2180), (560, 2180)],
    )
    sh = door(620, "R")
    compound(
        f"韦曲东街{sh}号",
        "神禾苑",
        "CASHY",
        [(1850, 2080), (1930, 2080), (1850, 2160), (1930, 2160)],
    )
    gd = door(1450, "R")
    compound(f"学府大道{gd}号", "郭杜佳苑", "CAGDJY", [(1420, 250), (1500, 250), (1420, 320)])
    # the rural streets' main roads
    frontage(
        "王曲大街",
        [
            (300, "L", []),
            (900, "R", ["王曲街道卫生院"]),
            (1400, "L", ["王曲中学"]),
            (1900, "R", ["邮政储蓄银行王曲支行", "邮储王曲支行"]),
            (2300, "L", ["王曲派出所"]),
            (2650, "R", ["王曲街道办事处"]),
        ],
        prefix=CITY + "王曲街道",
    )
    frontage(
        "滦镇大街",
        [
            (100, "L", ["滦镇街道卫生院"]),
            (400, "R", ["滦镇派出所"]),
            (600, "L", ["长安农商银行滦镇支行", "滦镇农商行"]),
            (900, "R", ["滦镇中学"]),
        ],
        prefix=CITY + "滦镇街道",
    )
    frontage("环山公路", [(500, "L", ["环山公路加油站"]), (2100, "R", [])])
    # 王曲街道: 南堡寨村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    al = {4: ["南堡寨村委会", "南堡寨村村委会"]}
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        rural_houses("NBZ", zu, c("NBZ", zu), nums, al if zu == 2 else None)
    # 杨家堡村 (plain micro-grids; 三组 lies across two)
    rural_houses("YJB", 1, c("YJB", 1), [2, 6, 9])
    rural_houses("YJB", 2, c("YJB", 2), [1, 5, 12])
    rural_houses("YJB", 3, (4400, 1900), [3, 7, 14])
    rural_houses("YJB", 4, c("YJB", 4), [4, 8, 16], {8: ["杨家堡村委会"]})
    rural_houses("YJB", 5, c("YJB", 5), [2, 10])
    rural_houses("YJB", 6, c("YJB", 6), [5, 11, 17])
    # 滦镇街道: 韩家庄村 (一组 … 六组, micro-grids named after them)
    for zu in range(1, 7):
        al = {7: ["韩家庄村委会", "韩家庄村村委会"]} if zu == 5 else None
        rural_houses("HJZ", zu, c("HJZ", zu), [1, 7, 12] if zu in (2, 5) else [4, 9], al)
    # 东寨村 (plain micro-grids; 四组 lies across two)
    rural_houses("DZ", 1, c("DZ", 1), [3, 6, 11])
    rural_houses("DZ", 2, c("DZ", 2), [2, 8])
    rural_houses("DZ", 3, c("DZ", 3), [5, 9, 13], {9: ["东寨村委会"]})
    rural_houses("DZ", 4, (4000, 1100), [1, 4, 10])
    rural_houses("DZ", 5, (4250, 1320), [7, 12])
    rural_houses("DZ", 6, c("DZ", 6), [2, 6])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("MFW", None, (5000, 1875), [12, 37, 58, 103])
    rural_houses("HF", None, (5400, 2400), [6, 21, 45, 88, 131], {21: ["皇甫村卫生室"]})
    rural_houses("BZ", None, (5800, 1900), [7, 33, 70])
    rural_houses("MFL", None, (5000, 500), [9, 26, 64, 117])
    rural_houses("LC", None, (5400, 1100), [15, 52, 96, 128, 143], {52: ["留村村委会"]})
    rural_houses("ZJZ", None, (5800, 350), [3, 18, 40, 77])


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float) -> str:
    p = Point(x, y)
    hits = [c for c, poly in MICROS.items() if poly.contains(p)]
    if len(hits) != 1 or MICROS[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


def micro_of_region(region) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    if not DISTRICT_AREA.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- places
R_CROSS = 30.0  # a crossing without a corner: every point within 30 m
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近 / 周边: every point within 50 m
LATERAL = 20.0  # an offset says nothing about the side: 20 m either way
DIRS = {"东": (1, 0), "西": (-1, 0), "南": (0, -1), "北": (0, 1)}
CORNERS = {"东北": (1, 1), "西北": (-1, 1), "东南": (1, -1), "西南": (-1, -1)}


def crossings(a: str, b: str) -> list[Point]:
    inter = ROAD[a].intersection(ROAD[b])
    if inter.is_empty:
        return []
    if isinstance(inter, Point):
        return [inter]
    if isinstance(inter, MultiPoint):
        return list(inter.geoms)
    raise SystemExit(f"{a} and {b} overlap")


def tolerance(dist: float, how: str) -> tuple[float, float]:
    if how == "about":  # 约 / 左右 / 大概
        return 0.8 * dist, 1.2 * dist
    if how == "more":  # 100多米
        return dist, 1.5 * dist
    d = max(0.1 * dist, 20.0)  # a plain number
    return dist - d, dist + d


def band(o: Point, d: str, lo: float, hi: float, lateral=LATERAL):
    ux, uy = DIRS[d]
    nx, ny = -uy, ux
    return Polygon(
        [
            (o.x + lo * ux - lateral * nx, o.y + lo * uy - lateral * ny),
            (o.x + hi * ux - lateral * nx, o.y + hi * uy - lateral * ny),
            (o.x + hi * ux + lateral * nx, o.y + hi * uy + lateral * ny),
            (o.x + lo * ux + lateral * nx, o.y + lo * uy + lateral * ny),
        ]
    )


def side_of(road: str, side: str):
    """The strip 2-30 m from the road's centreline on the named side (路东 / 路西 / 路南 / 路北)."""
    line = ROAD[road]
    strips = [line.buffer(30, single_sided=True), line.buffer(-30, single_sided=True)]
    ux, uy = DIRS[side]
    mid = line.interpolate(0.5, normalized=True)
    probe = Point(mid.x + 10 * ux, mid.y + 10 * uy)
    strip = next(s for s in strips if s.contains(probe))
    return strip.difference(line.buffer(2))


def origin(spec) -> Point | None:
    if spec[0] == "b":
        b = BY_CODE[spec[1]]
        return Point(b["x"], b["y"])
    if spec[0] == "x":
        pts = crossings(spec[1], spec[2])
        return pts[0] if len(pts) == 1 else None
    if spec[0] == "none":
        return None
    raise SystemExit(spec)


def houses(town=None, village=None, zu=None, road=None):
    out = []
    for b in BUILDINGS:
        if road is not None:
            if b.get("road") == road:
                out.append(b)
            continue
        if "village" not in b:
            continue
        if town and b["town"] != town:
            continue
        if village and b["village"] != village:
            continue
        if zu is not None and b["zu"] != zu:
            continue
        out.append(b)
    return out


def place_region(spec):
    """The region a place query means, or None when it means nothing."""
    kind = spec[0]
    if kind == "x":  # ("x", A, B, corner or None, (dir, dist, how) or None)
        _, a, b, corner, offset = spec
        pts = crossings(a, b)
        if len(pts) != 1:
            return None
        o = pts[0]
        if offset:
            d, dist, how = offset
            lo, hi = tolerance(dist, how)
            return band(o, d, lo, hi)
        if corner:
            sx, sy = CORNERS[corner]
            quad = box(
                min(o.x + sx, o.x + sx * R_CROSS),
                min(o.y + sy, o.y + sy * R_CROSS),
                max(o.x + sx, o.x + sx * R_CROSS),
                max(o.y + sy, o.y + sy * R_CROSS),
            )
            return quad.intersection(o.buffer(R_CROSS))
        return o.buffer(R_CROSS)
    if kind == "off":  # ("off", origin spec, dir, dist, how, (road, side) or None)
        _, ospec, d, dist, how, side = spec
        o = origin(ospec)
        if o is None:
            return None
        lo, hi = tolerance(dist, how)
        if side:
            road, sd = side
            wide = band(o, d, lo, hi, lateral=60)
            if not DISTRICT_AREA.contains(wide):
                return wide  # it runs out of the district
            region = wide.intersection(side_of(road, sd))
            if region.area < 100:
                raise SystemExit(f"{spec}: the side strip misses the offset")
            return region
        return band(o, d, lo, hi)
    if kind == "near":  # ("near", [building codes])
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(R_NEAR) for c in spec[1]]
        )
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, number)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    region = place_region(spec)
    if region is None or region.is_empty:
        return None, None
    return None, micro_of_region(region)


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases])


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"CA{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "韦曲东街与韦曲南街十字有人占道经营", X("韦曲东街", "韦曲南街"))
    q(x, "韦曲东街韦曲南街交叉口西北角井盖缺失", X("韦曲东街", "韦曲南街", "西北"))
    q(x, "樊川路与韦曲南街十字路口积水严重", X("樊川路", "韦曲南街"))
    q(x, "樊川路、韦曲南街路口往南50米有个大坑", X("樊川路", "韦曲南街", None, ("南", 50, "exact")))
    q(x, "长安南路与韦曲南街十字路口红绿灯坏了", X("长安南路", "韦曲南街"))
    q(x, "长安南路韦曲南街交叉口东北角有人摆摊", X("长安南路", "韦曲南街", "东北"))
    q(
        x,
        "长安南路、韦曲南街路口往东30米人行道塌了",
        X("长安南路", "韦曲南街", None, ("东", 30, "exact")),
    )
    q(x, "子午大道与航天大道交叉口西南角有人烧纸", X("子午大道", "航天大道", "西南"))
    q(x, "子午大道航天大道十字车辆乱停", X("子午大道", "航天大道"))
    q(
        x,
        "子午大道、航天大道路口往北200米护栏倒了",
        X("子午大道", "航天大道", None, ("北", 200, "exact")),
    )
    q(x, "长安南路西长安街交叉口东南角垃圾桶满了", X("长安南路", "西长安街", "东南"))
    q(x, "韦曲东街与西长安街十字有渣土车撒漏", X("韦曲东街", "西长安街"))
    q(x, "韦曲东街西长安街交叉口西北角共享单车乱放", X("韦曲东街", "西长安街", "西北"))
    q(x, "樊川路与西长安街交叉口路灯不亮", X("樊川路", "西长安街"))
    q(x, "学府大道与航天大道交叉口有人发小广告", X("学府大道", "航天大道"))
    q(x, "青年街与韦曲南街交叉口下水道冒水", X("青年街", "韦曲南街"))
    q(x, "凤栖路航天大道交叉口东北角有人倾倒垃圾", X("凤栖路", "航天大道", "东北"))
    q(x, "凤栖路与学府大道十字信号灯故障", X("凤栖路", "学府大道"))
    q(x, "子午大道与韦曲南街交叉口西南角有流浪狗", X("子午大道", "韦曲南街", "西南"))
    q(x, "王曲大街与堡寨路十字有人晒粮食占道", X("王曲大街", "堡寨路"))
    q(
        x,
        "王曲大街、堡寨路路口往北100米有死狗",
        X("王曲大街", "堡寨路", None, ("北", 100, "exact")),
    )
    q(x, "王曲大街沣峪路交叉口西南角堆了建筑垃圾", X("王曲大街", "沣峪路", "西南"))
    q(x, "环山公路与韩庄路十字有人焚烧秸秆", X("环山公路", "韩庄路"))
    q(
        x,
        "环山公路、东寨路路口往东30米路面塌陷",
        X("环山公路", "东寨路", None, ("东", 30, "exact")),
    )
    q(x, "滦镇大街与东寨路十字早上堵车", X("滦镇大街", "东寨路"))
    q(x, "滦镇大街与沣峪路交叉口有人摆摊", X("滦镇大街", "沣峪路"))
    q(x, "关中环线与堡寨路交叉口有坑", X("关中环线", "堡寨路"))
    q(x, "关中环线沣峪路交叉口东北角有人卖樱桃占道", X("关中环线", "沣峪路", "东北"))
    q(x, "凤栖路与王曲大街交叉口东北角路灯不亮", X("凤栖路", "王曲大街", "东北"))
    q(x, "长安南路与航天大道交叉口西北角有违章广告牌", X("长安南路", "航天大道", "西北"))
    q(x, "韩庄路与航天大道交叉口积水", X("韩庄路", "航天大道"))
    q(x, "东寨路环山公路交叉口西北角有人倒垃圾", X("东寨路", "环山公路", "西北"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "长安区医院向南大约150米路西有人占道",
        OFF(A("长安区医院"), "南", 150, "about", ("长安南路", "西")),
    )
    q(o, "长安区医院往北走了三百来米，有个井盖没了", OFF(A("长安区医院"), "北", 300, "about"))
    q(o, "长安一中北侧50米路灯不亮", OFF(A("长安一中"), "北", 50))
    q(
        o,
        "郭杜社区服务中心往东走了三百来米有人烧垃圾",
        OFF(A("郭杜社区服务中心"), "东", 300, "about"),
    )
    q(o, "郭杜社区服务中心向西200米有堆放的杂物", OFF(A("郭杜社区服务中心"), "西", 200))
    q(
        o,
        "航天大道加油站往东约300米路南有车辆违停",
        OFF(A("航天大道加油站"), "东", 300, "about", ("航天大道", "南")),
    )
    q(o, "西街社区服务中心往北100米有人遛狗不牵绳", OFF(A("西街社区服务中心"), "北", 100))
    q(o, "韦曲派出所往东走了两百来米，路面破损", OFF(A("韦曲派出所"), "东", 200, "about"))
    q(o, "韦曲派出所以西约500米有人占道卖菜", OFF(A("韦曲派出所"), "西", 500, "about"))
    q(o, "长安百货北侧100米有人乱扔垃圾", OFF(A("长安百货"), "北", 100))
    q(o, "建行韦曲支行往南300米左右店铺油烟扰民", OFF(A("建行韦曲支行"), "南", 300, "about"))
    q(
        o,
        "长安五中向南大约150米路东有违停车辆",
        OFF(A("长安五中"), "南", 150, "about", ("子午大道", "东")),
    )
    q(
        o,
        "长安五中往北200米路东人行道被占",
        OFF(A("长安五中"), "北", 200, side=("子午大道", "东")),
    )
    q(
        o,
        "华润万家往南150米路西有共享单车堆放",
        OFF(A("华润万家"), "南", 150, side=("子午大道", "西")),
    )
    q(o, "华润万家往北约1公里有人私搭乱建", OFF(A("华润万家"), "北", 1000, "about"))
    q(o, "郭杜中学往东走了三百来米有人烧落叶", OFF(A("郭杜中学"), "东", 300, "about"))
    q(o, "郭杜中学以西约150米下水道堵了", OFF(A("郭杜中学"), "西", 150, "about"))
    q(
        o,
        "郭杜佳苑南门往东100米路南井盖缺失",
        OFF(A("郭杜佳苑南门"), "东", 100, side=("学府大道", "南")),
    )
    q(o, "长安区图书馆往南约200米有人乱贴小广告", OFF(A("长安区图书馆"), "南", 200, "about"))
    q(o, "神禾苑东门往北50米垃圾没人清", OFF(A("神禾苑东门"), "北", 50))
    q(o, "樊川小区南门往西走了三百来米，路灯杆歪了", OFF(A("樊川小区南门"), "西", 300, "about"))
    q(
        o,
        "王曲街道卫生院往东约200米路南有人倒渣土",
        OFF(A("王曲街道卫生院"), "东", 200, "about", ("王曲大街", "南")),
    )
    q(o, "王曲中学往西走了三百来米有人焚烧秸秆", OFF(A("王曲中学"), "西", 300, "about"))
    q(o, "王曲派出所往东200米有人占道晒玉米", OFF(A("王曲派出所"), "东", 200))
    q(o, "滦镇街道卫生院往南大约300米有人私挖鱼塘", OFF(A("滦镇街道卫生院"), "南", 300, "about"))
    q(o, "滦镇派出所往东400米路面塌陷", OFF(A("滦镇派出所"), "东", 400))
    q(o, "滦镇中学往北约500米有人烧垃圾", OFF(A("滦镇中学"), "北", 500, "about"))
    q(o, "滦镇中学往西走了三百来米有流动摊贩", OFF(A("滦镇中学"), "西", 300, "about"))
    q(
        o,
        "环山公路加油站往东150米路北有人倾倒垃圾",
        OFF(A("环山公路加油站"), "东", 150, side=("环山公路", "北")),
    )
    q(o, "南堡寨村委会往北约300米有人私建猪圈", OFF(A("南堡寨村委会"), "北", 300, "about"))
    q(o, "留村村委会往南1公里有人电鱼", OFF(A("留村村委会"), "南", 1000))
    q(
        o,
        "长安南路与韦曲南街交叉口往东200米路北，商户占道",
        OFF(XO("长安南路", "韦曲南街"), "东", 200, side=("韦曲南街", "北")),
    )
    q(
        o,
        "王曲大街与堡寨路交叉口以东约400米路南有垃圾堆",
        OFF(XO("王曲大街", "堡寨路"), "东", 400, "about", ("王曲大街", "南")),
    )
    q(o, "长安百货往西走了四百来米有人摆摊", OFF(A("长安百货"), "西", 400, "about"))
    q(o, "长安区第二中学往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "王曲供销社往北100米有积水", OFF(("none",), "北", 100))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("油坊巷路灯坏了好几天了", "油坊巷"),
        ("来电人反映仓巷里有车辆长期占道", "仓巷"),
        ("书院巷下水道堵了，污水漫到路上", "书院巷"),
        ("槐树巷有人养狗扰民", "槐树巷"),
        ("马王巷的路面坑坑洼洼", "马王巷"),
        ("樊家巷垃圾几天没人收", "樊家巷"),
        ("城隍庙巷有人半夜装修", "城隍庙巷"),
        ("市民称杜家巷里面电线乱拉", "杜家巷"),
        ("东关巷化粪池满了往外冒", "东关巷"),
        ("南关巷 有人占用消防通道", "南关巷"),
        ("石板巷路面结冰，老人出行困难", "石板巷"),
        ("柳巷有人半夜施工", "柳巷"),
        ("青石巷路灯不亮", "青石巷"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "南堡寨村3组有人焚烧秸秆", ZU("南堡寨村", 3))
    q(g, "南堡寨村五组有人在田边烧垃圾", ZU("南堡寨村", 5))
    q(g, "王曲街道南堡寨村第一村民小组有人违建", ZU("南堡寨村", 1, "王曲街道"))
    q(g, "长安区王曲街道南堡寨村6组自来水停了", ZU("南堡寨村", 6, "王曲街道"))
    q(g, "杨家堡村二组路灯不亮", ZU("杨家堡村", 2))
    q(g, "杨家堡村4组有人私挖鱼塘", ZU("杨家堡村", 4))
    q(g, "杨家堡村第6村民小组有人偷倒建筑垃圾", ZU("杨家堡村", 6))
    q(g, "杨家堡村三组垃圾没人收", ZU("杨家堡村", 3))
    q(g, "韩家庄村1组有人放养的狗咬人", ZU("韩家庄村", 1))
    q(g, "韩家庄村三组排水渠堵塞", ZU("韩家庄村", 3))
    q(g, "滦镇街道韩家庄村5组有人私搭乱建", ZU("韩家庄村", 5, "滦镇街道"))
    q(g, "东寨村一组有人在河边洗车", ZU("东寨村", 1))
    q(g, "东寨村3组路面塌陷", ZU("东寨村", 3))
    q(g, "东寨村六组有人在路边晒粮", ZU("东寨村", 6))
    q(g, "东寨村四组有人焚烧垃圾", ZU("东寨村", 4))
    q(g, "南堡寨村八组有人烧秸秆", ZU("南堡寨村", 8))
    q(g, "滦镇街道南堡寨村2组有人违建", ZU("南堡寨村", 2, "滦镇街道"))
    q(g, "马坊村2组有人私拉电线", ZU("马坊村", 2))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "皇甫村有人烧秸秆，烟很大", VIL("皇甫村"))
    q(v, "王曲街道皇甫村路灯不亮", VIL("皇甫村", "王曲街道"))
    q(v, "堡子村有人私拉电网捕鱼", VIL("堡子村"))
    q(v, "王曲街道堡子村狗咬人", VIL("堡子村", "王曲街道"))
    q(v, "留村有人往河道里倒垃圾", VIL("留村"))
    q(v, "周家庄村自来水停了", VIL("周家庄村"))
    q(v, "长安区滦镇街道周家庄村有人占用耕地建房", VIL("周家庄村", "滦镇街道"))
    q(v, "王曲街道马坊村有人焚烧垃圾", VIL("马坊村", "王曲街道"))
    q(v, "滦镇马坊村路面塌陷", VIL("马坊村", "滦镇街道"))
    q(v, "马坊村有人私建猪圈", VIL("马坊村"))
    q(v, "南堡寨村垃圾堆放", VIL("南堡寨村"))
    q(v, "杨家堡村有人电鱼", VIL("杨家堡村"))
    q(v, "韩家庄村排水沟堵了", VIL("韩家庄村"))
    q(v, "东寨村有人砍伐树木", VIL("东寨村"))
    q(v, "王曲街道留村有人焚烧秸秆", VIL("留村", "王曲街道"))
    q(v, "滦镇街道杨家堡村有人违建", VIL("杨家堡村", "滦镇街道"))
    q(v, "北堡寨村有人烧荒", VIL("北堡寨村"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "郭杜社区服务中心门口有人乱停车", NEAR("郭杜社区服务中心"))
    q(n, "航天大道加油站旁边有人卖散装汽油", NEAR("航天大道加油站"))
    q(n, "西街社区服务中心附近有人遛狗不拴绳", NEAR("西街社区服务中心"))
    q(n, "韦曲派出所对面的人行道被占", NEAR("韦曲派出所"))
    q(n, "邮储韦曲南街支行门口有垃圾", NEAR("邮储韦曲南街支行"))
    q(n, "神禾苑附近施工扰民", NEAR_COMPOUND("神禾苑", ["神禾苑", "神禾苑南门"]))
    q(
        n,
        "樊川小区周边夜里广场舞声音大",
        NEAR_COMPOUND("樊川小区", ["樊川小区东门", "樊川小区南门"]),
    )
    q(n, "樊川小区南门旁边堆满了杂物", NEAR("樊川小区南门"))
    q(n, "郭杜中学门口有流动摊贩，影响学生上学", NEAR("郭杜中学"))
    q(n, "郭杜佳苑附近路灯不亮", NEAR_COMPOUND("郭杜佳苑", ["郭杜佳苑"]))
    q(n, "长安区图书馆隔壁在装修，噪音大", NEAR("长安区图书馆"))
    q(n, "长安区医院对面有人发小广告", NEAR("长安区医院"))
    q(n, "华润万家旁边有个井盖缺失", NEAR("华润万家"))
    q(n, "王曲街道卫生院门口有人摆摊", NEAR("王曲街道卫生院"))
    q(n, "滦镇派出所附近有人打架", NEAR("滦镇派出所"))
    q(n, "滦镇中学门口早上堵车", NEAR("滦镇中学"))
    q(n, "南堡寨村委会旁边有人焚烧垃圾", NEAR("南堡寨村委会"))
    q(n, "皇甫村卫生室附近有个水塘没有护栏", NEAR("皇甫村卫生室"))
    q(n, "留村村委会对面的路灯不亮", NEAR("留村村委会"))
    q(n, "农商银行郭杜支行门口有共享单车堆放", NEAR("农商银行郭杜支行"))
    q(n, "长安区第三人民医院门口有人乱停车", ("near", []))
    q(n, "滦镇街道敬老院附近有人烧垃圾", ("near", []))

    # --- other_county (西安's / 咸阳's other 县级 units in front of our addresses) ---------
    oc = "other_county"
    ca, wq = fb("长安南路", 2850, "L"), fb("韦曲南街", 1000, "L")
    for text, code in [
        ("雁塔区王曲街道南堡寨村3组15号", None),
        ("西安市鄠邑区滦镇街道韩家庄村2组7号", None),
        ("蓝田县王曲街道杨家堡村四组8号", None),
        ("陕西省西安市周至县滦镇街道留村128号", None),
        (f"灞桥区长安南路{no(ca)}号", None),
        ("咸阳市秦都区王曲街道南堡寨村5组13号", None),
        (f"泾阳县韦曲南街{no(wq)}号", None),
        ("陕西省西安市长安区王曲街道南堡寨村3组15号", H("NBZ", 3, 15)["code"]),
        ("长安区滦镇街道韩家庄村2组7号", H("HJZ", 2, 7)["code"]),
        ("西安市长安区王曲街道杨家堡村四组8号", H("YJB", 4, 8)["code"]),
        ("滦镇街道留村128号", H("LC", 0, 128)["code"]),
        (f"西安市长安区长安南路{no(ca)}号", ca["code"]),
        ("长安区王曲街道南堡寨村5组13号", H("NBZ", 5, 13)["code"]),
        (f"长安区韦曲南街{no(wq)}号", wq["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("长安南路", 300, "L"), fb("韦曲南街", 2350, "R")
    b3, b4 = fb("航天大道", 1400, "L"), fb("仓巷", 180, "R", 10)
    b5, d3 = fb("子午大道", 2800, "L"), H("DZ", 3, 13)
    gd = door(1450, "R")
    absent("南堡寨村3组30号")
    absent("马坊村40号")
    absent("杜家巷7号")
    for text, code in [
        (
            "No. 15, Group 3, Nanbaozhai Village, Wangqu Subdistrict, Chang'an District, Xi'an",
            H("NBZ", 3, 15)["code"],
        ),
        (
            "No. 12, Group 2, Hanjiazhuang Village, Luanzhen Subdistrict, Chang'an District",
            H("HJZ", 2, 12)["code"],
        ),
        (
            "No. 16, Group 4, Yangjiabao Village, Wangqu Subdistrict, Chang'an District, Xi'an,"
            " Shaanxi",
            H("YJB", 4, 16)["code"],
        ),
        (
            "No. 128, Liucun Village, Luanzhen Subdistrict, Chang'an District, Xi'an",
            H("LC", 0, 128)["code"],
        ),
        (
            "No. 6, Group 1, Dongzhai Village, Luanzhen Street, Chang'an District",
            H("DZ", 1, 6)["code"],
        ),
        ("No. 21, Huangfu Village, Wangqu Subdistrict, Chang'an District", H("HF", 0, 21)["code"]),
        ("No. 30, Group 3, Nanbaozhai Village, Wangqu Subdistrict, Chang'an District", None),
        (f"No. {no(b1)}, Chang'an South Road, Chang'an District, Xi'an", b1["code"]),
        (f"No. {no(b2)} Weiqu South Street, Chang'an District, Xi'an, Shaanxi", b2["code"]),
        (f"No. {no(b3)}, Hangtian Avenue, Chang'an District", b3["code"]),
        (f"Building 2, No. {gd} Xuefu Avenue, Chang'an District, Xi'an", "CAGDJYB2"),
        (f"No. {no(b4)}, Cang Lane, Chang'an District, Xi'an", b4["code"]),
        ("15号，3组，南堡寨村，王曲街道，长安区，西安市", H("NBZ", 3, 15)["code"]),
        (f"{no(d3)}号，三组，东寨村，滦镇街道，长安区", d3["code"]),
        (f"{no(b5)}号，子午大道，长安区，西安市", b5["code"]),
        ("5号，城隍庙巷，西安市长安区", "CACHMX5"),
        ("7号，杜家巷，长安区", None),
        ("No. 40, Mafang Village, Luanzhen Subdistrict, Chang'an District", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    ht, zw = fb("航天大道", 200, "L"), fb("子午大道", 1250, "R")
    t1, t2 = fb("韦曲南街", 100, "L"), fb("航天大道", 3300, "R")
    t3, t4 = fb("凤栖路", 2200, "L"), fb("西长安街", 2300, "R")
    t5 = fb("学府大道", 1000, "L")
    for miss in ["长安南路999号", "韦曲南街7号", "仓巷50号", "南堡寨村3组99号", "书院巷3号"]:
        absent(miss)
    absent("留村200号")
    absent("杨家堡村七组3号")
    for text, code in [
        (ht["address"], ht["code"]),
        (f"子午大道{no(zw)}号", zw["code"]),
        ("长安区医院", code_of_alias("长安区医院")),
        ("长安一中", code_of_alias("长安一中")),
        ("郭杜中学", code_of_alias("郭杜中学")),
        ("王曲街道卫生院", code_of_alias("王曲街道卫生院")),
        ("韩家庄村委会", code_of_alias("韩家庄村委会")),
        ("神禾苑2号楼", "CASHYB2"),
        ("樊川小区3号楼", "CAFCXQB3"),
        ("郭杜佳苑1号楼", "CAGDJYB1"),
        ("城隍庙巷9号", "CACHMX9"),
        ("长安区东关巷6号", "CADGX6"),
        ("长安区滦镇街道留村96号", H("LC", 0, 96)["code"]),
        ("王曲街道皇甫村45号", H("HF", 0, 45)["code"]),
        (f"伟曲南街{no(t1)}号", t1["code"]),
        (f"长安区航天大到{no(t2)}号", t2["code"]),
        (f"凤西路{no(t3)}号", t3["code"]),
        (f"西安市长安区西常安街{no(t4)}号", t4["code"]),
        (f"学府大路{no(t5)}号", t5["code"]),
        ("西安市长安区长安南路999号", None),
        ("韦曲南街7号", None),
        ("仓巷50号", None),
        ("神禾苑9号楼", None),
        ("王曲街道南堡寨村3组99号", None),
        ("长安区书院巷3号", None),
        ("滦镇街道留村200号", None),
        ("长安区王曲街道杨家堡村七组3号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> None:
    build_tree()
    build_buildings()
    (HERE / "grids.geojson").write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": FEATURES}, ensure_ascii=False, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["address", "lon", "lat", "code", "aliases", "micro_grid_code"])
    for b in BUILDINGS:
        lon, lat = ll(b["x"], b["y"])
        w.writerow(
            [
                b["address"],
                f"{lon:.7f}",
                f"{lat:.7f}",
                b["code"],
                "|".join(b["aliases"]),
                micro_of_point(b["x"], b["y"]),
            ]
        )
    (HERE / "buildings.csv").write_text(out.getvalue(), encoding="utf-8")
    roads = [
        {
            "type": "Feature",
            "properties": {"name": name, "kind": kind},
            "geometry": {"type": "LineString", "coordinates": [ll(x, y) for x, y in pts]},
        }
        for name, kind, pts in ROADS
    ]
    (HERE / "roads.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": roads}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    lines = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}")


if __name__ == "__main__":
    write_all()
