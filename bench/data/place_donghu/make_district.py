"""Write the place-description evaluation district: 江西省南昌市东湖区.

    python bench/data/place_donghu/make_district.py

One grid tree in two parts: an urban core of six 街道 (滕王阁, 百花洲, 董家窑, 豫章, 大院, 公园)
with roads, lanes (`X巷`, `X里`), 小区, 大院 and 宿舍, and a peri-urban east (扬子洲镇,
扬农管理处) with 行政村 whose houses are written by 组 (`东湖区扬子洲镇新洲村3组15号`,
`三联村三组`), by natural village (`港口村熊家12号`, `港口村万家村8号`, `塘边村上塘村小组4号`) or
numbered across the village (`东湖区扬子洲镇南洲村45号`). The 街道 / 镇 names and the urban road
names are 东湖区's; the communities, villages, lanes, door numbers, landmarks' positions and all
geometry are ours: a layout in metres over a 7.2 km x 3 km box, put into WGS-84 at 南昌.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules). Words the rules do not cover (`那块子`, `过去一点`, `斜对过` …) get two readings, a
narrow and a wide one; such a query is positive only when both readings land in the same
micro-grid. After writing, the files are read back and checked.

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
LON0, LAT0 = 115.8750, 28.6650  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("360102", "东湖区")
W, S, E, N = 0.0, 0.0, 7200.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name) south to north;
# each community is one row of 750 m, one grid, three micro-grids of 400 m x 750 m
STREETS = [
    (
        "360102002",
        "滕王阁街道",
        (0, 1500, 1200, 3000),
        [("榕门社区", "榕门"), ("仿古街社区", "仿古街")],
    ),
    (
        "360102003",
        "百花洲街道",
        (1200, 1500, 2400, 3000),
        [("佑民社区", "佑民"), ("东湖社区", "东湖")],
    ),
    (
        "360102005",
        "董家窑街道",
        (2400, 1500, 3600, 3000),
        [("董家窑社区", "董家窑"), ("墩子塘社区", "墩子塘")],
    ),
    ("360102004", "豫章街道", (0, 0, 1200, 1500), [("豫章社区", "豫章"), ("象山社区", "象山")]),
    ("360102006", "大院街道", (1200, 0, 2400, 1500), [("省府社区", "省府"), ("广场社区", "广场")]),
    ("360102001", "公园街道", (2400, 0, 3600, 1500), [("公园社区", "公园"), ("阳明社区", "阳明")]),
]

# peri-urban units: code, name, box, villages (name, key, style)
# "zu_ar": six micro-grids named after the 组 (`新洲村3组`); "nat": six micro-grids named after
# the natural villages (`港口村熊家`); "plain": six plain micro-grids; "small": a village
# numbered across, 400 m x 1500 m, two micro-grids.
RURAL = [
    (
        "360102100",
        "扬子洲镇",
        (3600, 1500, 7200, 3000),
        [
            ("新洲村", "XZ", "zu_ar"),
            ("港口村", "GK", "nat"),
            ("南洲村", "NZ", "small"),
            ("联丰村", "LFN", "small"),
            ("洲尾村", "ZW", "small"),
        ],
    ),
    (
        "360102400",
        "扬农管理处",
        (3600, 0, 7200, 1500),
        [
            ("三联村", "SL", "plain"),
            ("塘边村", "TB", "plain"),
            ("联丰村", "LFS", "small"),
            ("新圩村", "XW", "small"),
            ("洲头村", "ZT", "small"),
        ],
    ),
]

# natural villages (自然村 / 村民小组) of 港口村 and 塘边村: zu index -> (core, written as)
NATURAL = {
    "GK": {
        1: ("熊家", "熊家"),
        2: ("万家", "万家村"),
        3: ("涂家", "涂家村小组"),
        4: ("罗家", "罗家"),
        5: ("喻家", "喻家村小组"),
        6: ("黄家", "黄家村"),
    },
    "TB": {
        1: ("李家", "李家"),
        2: ("邓家", "邓家村"),
        3: ("上塘", "上塘村小组"),
        4: ("付家", "付家"),
        5: ("吴家", "吴家村"),
        6: ("陈家", "陈家村小组"),
    },
}


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
STREET_BOX: dict[str, tuple[float, float, float, float]] = {}  # 街道 / 镇 name -> box


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, communities in STREETS:
        STREET_BOX[s_name] = sb
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, e, _n = sb
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cs, cn = s + ci * 750, s + (ci + 1) * 750
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(w, cs, e, cn))))
            g_code = f"{c_code}001"
            g_name = f"{short}第1网格"
            FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, cs, e, cn))))
            for mi in range(3):
                mb = (w + mi * 400, cs, w + (mi + 1) * 400, cn)
                add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    for t_code, t_name, tb, villages in RURAL:
        STREET_BOX[t_name] = tb
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
                    elif style == "nat":
                        name = f"{v_name}{NATURAL[key][m][0]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("沿江北大道", "arterial", [(100, 0), (100, 3000)]),
    ("象山北路", "secondary", [(600, 1500), (600, 3000)]),
    ("象山南路", "secondary", [(600, 0), (600, 1500)]),
    ("胜利路", "secondary", [(1000, 1550), (1000, 2900)]),
    ("八一大道", "arterial", [(1200, 0), (1200, 3000)]),
    ("子固路", "secondary", [(1800, 1500), (1800, 2950)]),
    ("苏圃路", "secondary", [(2000, 0), (2000, 1500)]),
    ("福州路", "secondary", [(2600, 0), (2600, 3000)]),
    ("二七北路", "arterial", [(3200, 0), (3200, 3000)]),
    ("贤士路", "arterial", [(3600, 0), (3600, 3000)]),
    ("中山路", "arterial", [(0, 1500), (3600, 1500)]),
    ("叠山路", "arterial", [(0, 2000), (3600, 2000)]),
    ("民德路", "secondary", [(0, 2600), (3600, 2600)]),
    ("阳明路", "arterial", [(0, 1000), (4600, 1000)]),
    ("北京西路", "arterial", [(0, 400), (3600, 400)]),
    ("广场北路", "branch", [(1200, 1300), (2000, 1300)]),
    ("永叔路", "branch", [(2500, 2150), (2500, 1850), (2900, 1850), (2900, 2150)]),
    ("董家窑路", "branch", [(3400, 1600), (3400, 2900)]),
    # lanes in the road file
    ("羊子巷", "branch", [(300, 2000), (300, 2400)]),
    ("筷子巷", "branch", [(1200, 2700), (1450, 2700)]),
    ("高桥巷", "branch", [(1000, 1000), (1000, 1350)]),
    ("铜钱巷", "branch", [(1650, 300), (1950, 300)]),
    ("安乐里", "branch", [(2200, 1600), (2200, 1900)]),
    ("福寿里", "branch", [(100, 600), (350, 600)]),
    # the peri-urban east
    ("堤顶路", "arterial", [(3600, 1500), (7200, 1500)]),
    ("洲中路", "secondary", [(3600, 2600), (7000, 2600)]),
    ("扬农大道", "arterial", [(3600, 400), (7200, 400)]),
    ("南洲路", "secondary", [(6000, 0), (6000, 3000)]),
    ("新洲路", "branch", [(4200, 1600), (4200, 2900)]),
    ("三联路", "branch", [(3800, 200), (3800, 700), (4500, 700)]),
    ("塘边路", "branch", [(5000, 100), (5000, 1400)]),
    ("扬农街", "secondary", [(4850, 1150), (5950, 1150)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "东湖区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "沿江北大道": "YJBD",
    "象山北路": "XSBL",
    "象山南路": "XSNL",
    "胜利路": "SLL",
    "八一大道": "BYDD",
    "子固路": "ZGL",
    "苏圃路": "SPL",
    "福州路": "FZL",
    "二七北路": "EQBL",
    "贤士路": "XSL",
    "中山路": "ZSL",
    "叠山路": "DSL",
    "民德路": "MDL",
    "阳明路": "YML",
    "北京西路": "BJXL",
    "广场北路": "GCBL",
    "永叔路": "YSL",
    "董家窑路": "DJYL",
    "羊子巷": "YZX",
    "筷子巷": "KZX",
    "高桥巷": "GQX",
    "铜钱巷": "TQX",
    "安乐里": "ALLI",
    "福寿里": "FSLI",
    "德胜里": "DSLI",
    "刘家巷": "LJX",
    "同福里": "TFLI",
    "石头巷": "STX",
    "铁炉巷": "TLX",
    "洲中路": "ZZL",
    "扬农街": "YNJ",
    "扬农大道": "YNDD",
}


def add(code, address, x, y, aliases=(), **meta):
    if code in BY_CODE:
        raise SystemExit(f"duplicate code {code}")
    if any(b["address"] == address for b in BUILDINGS):
        raise SystemExit(f"duplicate address {address}")
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
        add(f"DH{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"DH{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"DH{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 栋 of a 小区 / 大院 / 宿舍 whose gate is the door `address`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{address}{name}{k}栋",
            x,
            y,
            [f"{name}{k}栋", f"{name}{k}号楼"],
            compound=name,
        )


TOWN_OF = {
    "XZ": "扬子洲镇",
    "GK": "扬子洲镇",
    "NZ": "扬子洲镇",
    "LFN": "扬子洲镇",
    "ZW": "扬子洲镇",
    "SL": "扬农管理处",
    "TB": "扬农管理处",
    "LFS": "扬农管理处",
    "XW": "扬农管理处",
    "ZT": "扬农管理处",
}
VILLAGE_OF = {
    "XZ": "新洲村",
    "GK": "港口村",
    "NZ": "南洲村",
    "LFN": "联丰村",
    "ZW": "洲尾村",
    "SL": "三联村",
    "TB": "塘边村",
    "LFS": "联丰村",
    "XW": "新圩村",
    "ZT": "洲头村",
}
ZU_STYLE = {"XZ": "ar", "SL": "cn", "GK": "nat", "TB": "nat"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    style = ZU_STYLE[key]
    if style == "nat":
        return NATURAL[key][zu][1]
    return f"{CN[zu]}组" if style == "cn" else f"{zu}组"


def rural_houses(key: str, zu: int | None, centre, numbers, aliases=None):
    """Houses of a 村民小组 / natural village (zu) or of a village numbered across (zu None)."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        zt = zu_text(key, zu) if zu else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        nat = NATURAL[key][zu][0] if zu and key in NATURAL else None
        add(
            f"DH{key}{zu or 0:02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            nat=nat,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "沿江北大道",
        [
            (300, "R", []),
            (1200, "R", []),
            (1900, "R", ["榕门社区服务中心"]),
            (2400, "L", ["滕王阁", "滕王阁景区"]),
            (2800, "R", ["滕王阁派出所"]),
        ],
    )
    frontage(
        "象山北路",
        [
            (200, "L", []),
            (900, "R", ["仿古街社区服务中心"]),
            (1300, "L", ["东湖区图书馆"]),
        ],
    )
    frontage(
        "象山南路",
        [
            (150, "L", []),
            (600, "R", ["豫章花园", "豫章花园大门"]),
            (1200, "L", ["象山社区服务中心"]),
            (1350, "R", []),
        ],
    )
    frontage(
        "胜利路",
        [
            (100, "R", []),
            (500, "L", []),
            (800, "L", ["八一起义纪念馆", "八一南昌起义纪念馆"]),
            (1100, "R", ["邮政储蓄银行胜利路支行", "邮储胜利路支行"]),
            (1300, "R", []),
        ],
    )
    frontage(
        "八一大道",
        [
            (200, "R", []),
            (600, "L", ["工商银行八一大道支行", "工行八一大道支行"]),
            (1100, "R", []),
            (1800, "R", ["江西省人民医院", "省人民医院", "省医"]),
            (2450, "R", ["百花洲"]),
            (2850, "L", []),
        ],
    )
    frontage(
        "子固路",
        [
            (100, "L", []),
            (300, "R", ["佑民寺"]),
            (600, "L", ["子固路菜市场"]),
            (900, "R", []),
            (1200, "L", ["百花洲派出所"]),
        ],
    )
    frontage(
        "苏圃路",
        [
            (300, "R", []),
            (700, "L", ["南昌市第二中学", "南昌二中"]),
            (1150, "R", ["大院街道办事处"]),
        ],
    )
    frontage(
        "福州路",
        [
            (150, "L", []),
            (600, "R", ["公园派出所"]),
            (1200, "L", ["阳明社区服务中心"]),
            (1800, "L", ["东湖区人民政府", "东湖区政府"]),
            (2300, "R", []),
            (2800, "L", ["墩子塘社区服务中心"]),
        ],
    )
    frontage("二七北路", [(500, "R", []), (1200, "L", []), (2700, "R", [])])
    frontage("贤士路", [(800, "L", []), (1300, "L", ["贤士路加油站"]), (2300, "R", [])])
    frontage(
        "中山路",
        [
            (300, "L", []),
            (900, "R", []),
            (2200, "R", ["建设银行中山路支行", "建行中山路支行"]),
            (3000, "L", []),
            (3400, "R", []),
        ],
    )
    frontage(
        "叠山路",
        [
            (200, "R", []),
            (650, "R", ["建设银行叠山路支行", "建行叠山路支行"]),
            (1220, "L", []),
            (1500, "R", []),
            (2100, "L", ["南昌大学第一附属医院", "南大一附院"]),
            (3300, "R", []),
        ],
    )
    ds = door(1500, "R")
    add(f"DHDSL{ds}F1", f"{CITY}叠山路{ds}号附1号", 1520.0, 1945.0, road="叠山路", n=ds)
    frontage(
        "民德路",
        [
            (150, "L", []),
            (440, "L", []),
            (650, "R", []),
            (900, "R", []),
            (1500, "L", []),
            (2200, "L", ["邮政储蓄银行民德路支行", "邮储民德路支行"]),
            (2650, "R", []),
            (3300, "L", []),
        ],
    )
    md = door(650, "R")
    add(f"DHMDL{md}D1", f"{CITY}民德路{md}-1号", 680.0, 2545.0, road="民德路", n=md)
    frontage(
        "阳明路",
        [
            (250, "L", []),
            (700, "R", []),
            (1500, "L", []),
            (2200, "R", []),
            (3000, "R", ["阳明路加油站"]),
            (3400, "L", []),
            (4200, "L", []),
        ],
    )
    frontage(
        "北京西路",
        [
            (300, "L", []),
            (1000, "R", []),
            (1700, "L", ["省委大院", "省委大院大门"]),
            (2300, "R", []),
            (2900, "L", ["江西师大宿舍", "江西师大宿舍大门"]),
            (3400, "R", []),
        ],
    )
    frontage("广场北路", [(280, "R", ["八一广场"]), (600, "L", ["地铁八一广场站"])])
    frontage("永叔路", [(500, "R", ["永叔路菜市场"])])
    frontage(
        "董家窑路",
        [(300, "R", []), (700, "L", ["董家窑派出所"]), (1100, "R", ["董家窑菜市场"])],
    )
    # 叠山小区's gates: 南门 on 叠山路, 东门 on 二七北路
    frontage("叠山路", [(3000, "L", ["叠山小区南门", "叠山小区"])])
    frontage("二七北路", [(2100, "L", ["叠山小区东门"])])
    # lanes of the road file
    frontage("羊子巷", [(50, "L", []), (300, "R", [])], step=10)
    frontage("筷子巷", [(40, "L", []), (180, "R", [])], step=10)
    frontage("高桥巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("铜钱巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("安乐里", [(30, "L", []), (200, "R", [])], step=10)
    frontage("福寿里", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("德胜里", [(2, 3000, 2800), (5, 3040, 2812), (9, 3080, 2800)])
    lane_houses("刘家巷", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("同福里", [(1, 2150, 2780), (6, 2160, 2840), (10, 2150, 2900)])
    lane_houses("石头巷", [(2, 1170, 2150), (5, 1230, 2150), (8, 1240, 2200)])
    lane_houses("铁炉巷", [(4, 3000, 300), (7, 3040, 312)])
    # 小区 / 大院 / 宿舍: the gate door and its 栋
    compound(
        f"象山南路{door(600, 'R')}号",
        "豫章花园",
        "DHYZHY",
        [(680, 550), (740, 550), (680, 650), (740, 650)],
    )
    compound(
        f"叠山路{door(3000, 'L')}号",
        "叠山小区",
        "DHDSXQ",
        [(2960, 2090), (3040, 2090), (3120, 2090), (2960, 2170), (3040, 2170)],
    )
    compound(
        f"北京西路{door(1700, 'L')}号",
        "省委大院",
        "DHSWDY",
        [(1700, 480), (1780, 480), (1700, 560), (1780, 560)],
    )
    compound(
        f"北京西路{door(2900, 'L')}号",
        "江西师大宿舍",
        "DHJXSD",
        [(2880, 490), (2960, 490), (3040, 490), (2880, 570), (2960, 570), (3040, 570)],
    )
    # the peri-urban main streets
    frontage(
        "洲中路",
        [
            (300, "L", []),
            (900, "R", ["扬子洲镇人民政府", "扬子洲镇政府"]),
            (1300, "L", ["扬子洲镇卫生院"]),
            (1700, "R", ["扬子洲镇中心小学"]),
            (2100, "L", ["扬子洲派出所"]),
            (2500, "R", ["南昌农商银行扬子洲支行", "农商银行扬子洲支行"]),
            (3100, "L", []),
        ],
        prefix=CITY + "扬子洲镇",
    )
    frontage(
        "扬农街",
        [
            (100, "L", ["扬农管理处卫生院", "扬农卫生院"]),
            (400, "R", ["扬农派出所"]),
            (600, "L", ["南昌农商银行扬农支行", "扬农农商行"]),
            (900, "R", ["扬农管理处办公楼"]),
        ],
        prefix=CITY + "扬农管理处",
    )
    frontage("扬农大道", [(900, "L", ["扬农大道加油站"]), (2500, "R", [])])
    # 扬子洲镇: 新洲村 (1组 … 6组, micro-grids named after them)
    for zu, centre, nums in [
        (1, (3800, 1875), [3, 8, 12]),
        (2, (4100, 1875), [4, 7, 11]),
        (3, (4600, 1875), [6, 9, 15, 21]),
        (4, (3800, 2800), [2, 5, 10]),
        (5, (4100, 2800), [1, 6, 13]),
        (6, (4600, 2800), [3, 8]),
    ]:
        al = {7: ["新洲村委会", "新洲村村委会"]} if zu == 2 else None
        rural_houses("XZ", zu, centre, nums, al)
    # 港口村 (six natural villages, micro-grids named after them)
    for zu, centre, nums in [
        (1, (5000, 1875), [2, 5, 12, 18]),
        (2, (5400, 1875), [3, 8, 14]),
        (3, (5800, 1875), [1, 6, 9]),
        (4, (5000, 2800), [4, 7, 11]),
        (5, (5400, 2800), [2, 10, 15]),
        (6, (5800, 2800), [5, 9]),
    ]:
        al = {10: ["港口村委会", "港口村村委会"]} if zu == 5 else None
        rural_houses("GK", zu, centre, nums, al)
    # 扬农管理处: 三联村 (plain micro-grids, 组 in Chinese numerals; 四组 lies across two)
    rural_houses("SL", 1, (3900, 560), [3, 6, 11])
    rural_houses("SL", 2, (4200, 200), [2, 8])
    rural_houses("SL", 3, (4650, 560), [5, 9, 13], {9: ["三联村委会", "三联村村委会"]})
    rural_houses("SL", 4, (4000, 1250), [1, 4, 10])
    rural_houses("SL", 5, (4300, 1250), [7, 12])
    rural_houses("SL", 6, (4650, 1250), [2, 6])
    # 塘边村 (plain micro-grids, houses by natural village; 陈家 lies across two)
    rural_houses("TB", 1, (5100, 600), [3, 7, 12])
    rural_houses("TB", 2, (5400, 200), [2, 5, 9], {5: ["塘边村委会", "塘边村村委会"]})
    rural_houses("TB", 3, (5800, 600), [1, 4, 8])
    rural_houses("TB", 4, (4900, 900), [6, 11])
    rural_houses("TB", 5, (5350, 900), [2, 8])
    rural_houses("TB", 6, (5600, 900), [3, 7, 10])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("NZ", None, (6200, 1900), [8, 28, 45, 76], {28: ["南洲村卫生室"]})
    rural_houses(
        "LFN",
        None,
        (6600, 2800),
        [5, 19, 36, 82],
        {19: ["扬子洲镇联丰村村委会", "联丰村村委会"]},
    )
    rural_houses("ZW", None, (7000, 2000), [3, 17, 40])
    rural_houses(
        "LFS",
        None,
        (6200, 1100),
        [11, 36, 58, 90],
        {11: ["扬农管理处联丰村村委会", "联丰村村委会"]},
    )
    rural_houses("XW", None, (6600, 300), [6, 24, 51])
    rural_houses("ZT", None, (7000, 1100), [9, 30, 64])


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float, micros=None) -> str:
    micros = micros or MICROS
    p = Point(x, y)
    hits = [c for c, poly in micros.items() if poly.contains(p)]
    if len(hits) != 1 or micros[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


def micro_of_region(region, micros=None, area=None, tol=0.01) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    micros = micros or MICROS
    area = area or DISTRICT_AREA
    if not area.buffer(tol).contains(region):
        return None
    hits = [c for c, poly in micros.items() if poly.buffer(tol).contains(region)]
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
    if how == "about":  # 约 / 左右 / 大概 / 来
        return 0.8 * dist, 1.2 * dist
    if how == "more":  # 100多米
        return dist, 1.5 * dist
    d = max(0.1 * dist, 20.0)  # a plain number
    return dist - d, dist + d


def vband(o: Point, u, lo: float, hi: float, lateral: float) -> Polygon:
    """The rectangle lo..hi metres from o along the unit vector u, lateral either side."""
    ux, uy = u
    nx, ny = -uy, ux
    return Polygon(
        [
            (o.x + lo * ux - lateral * nx, o.y + lo * uy - lateral * ny),
            (o.x + hi * ux - lateral * nx, o.y + hi * uy - lateral * ny),
            (o.x + hi * ux + lateral * nx, o.y + hi * uy + lateral * ny),
            (o.x + lo * ux + lateral * nx, o.y + lo * uy + lateral * ny),
        ]
    )


def band(o: Point, d: str, lo: float, hi: float, lateral=LATERAL):
    return vband(o, DIRS[d], lo, hi, lateral)


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


def frame(code: str):
    """A building on a road: its foot on the road, the unit vector along the road there and
    the unit vector from the road towards the building."""
    b = BY_CODE[code]
    line = ROAD[b["road"]]
    p = Point(b["x"], b["y"])
    s = line.project(p)
    foot = line.interpolate(s)
    a, c = line.interpolate(max(s - 1.0, 0.0)), line.interpolate(min(s + 1.0, line.length))
    ux, uy = c.x - a.x, c.y - a.y
    lu = math.hypot(ux, uy)
    nx, ny = p.x - foot.x, p.y - foot.y
    ln = math.hypot(nx, ny)
    return p, foot, (ux / lu, uy / lu), (nx / ln, ny / ln)


def houses(town=None, village=None, zu=None, road=None, nat=None):
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
        if nat is not None and b["nat"] != nat:
            continue
        out.append(b)
    return out


def points_of(hs):
    return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None


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
        return points_of(houses(town=spec[1], village=spec[2], zu=spec[3]))
    if kind == "nat":  # ("nat", town or None, village or None, core name)
        return points_of(houses(town=spec[1], village=spec[2], nat=spec[3]))
    if kind == "village":  # ("village", town or None, village): all its houses
        return points_of(houses(town=spec[1], village=spec[2]))
    # --- the readings of words the rules do not cover
    if kind == "none":  # the word gives no place at all
        return None
    if kind == "disc":  # ("disc", origin spec, radius)
        o = origin(spec[1])
        return None if o is None else o.buffer(spec[2])
    if kind == "dband":  # ("dband", origin spec, dir, lo, hi, lateral)
        _, ospec, d, lo, hi, lateral = spec
        o = origin(ospec)
        return None if o is None else band(o, d, lo, hi, lateral)
    if kind == "behind":  # ("behind", code, lo, hi, lateral): away from its road
        _, code, lo, hi, lateral = spec
        p, _foot, _u, n = frame(code)
        return vband(p, n, lo, hi, lateral)
    if kind == "across":  # ("across", code, [(along lo, along hi)], depth lo, depth hi)
        _, code, spans, d0, d1 = spec
        _p, foot, u, n = frame(code)
        other = (-n[0], -n[1])
        parts = []
        for a0, a1 in spans:
            half = (a1 - a0) / 2
            centre = Point(foot.x + (a0 + half) * u[0], foot.y + (a0 + half) * u[1])
            parts.append(vband(centre, other, d0, d1, half))
        return unary_union(parts)
    if kind == "lanepart":  # ("lanepart", lane, mouth end 0/1, lo, hi or None)
        _, name, end, lo, hi = spec
        line = ROAD[name]
        if end == 1:
            line = LineString(list(line.coords)[::-1])
        return substring(line, lo, line.length - 10 if hi is None else hi)
    if kind == "lanewide":  # ("lanewide", lane, buffer): all its line and houses, buffered
        _, name, buf = spec
        parts = [ROAD[name].buffer(buf)] if name in ROAD else []
        parts += [Point(b["x"], b["y"]).buffer(buf) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "end":  # ("end", road, end 0/1, radius)
        _, name, end, r = spec
        coords = list(ROAD[name].coords)
        return Point(coords[0] if end == 0 else coords[-1]).buffer(r)
    raise SystemExit(spec)


def readings(spec) -> list:
    """The place specs to compute: one for a rule, narrow and wide for a word without one."""
    if spec[0] == "two":
        return [spec[2], spec[3]]
    return [spec]


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    micros = set()
    for sub in readings(spec):
        region = place_region(sub)
        micros.add(None if region is None or region.is_empty else micro_of_region(region))
    if len(micros) != 1:
        return None, None
    return None, micros.pop()


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


def NAT(village, core, town=None):
    return ("nat", town, village, core)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"DH{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


# the words without a rule: word -> (narrow reading, wide reading) in words, for the README
WORDS = {
    "那里": ("50 m around the landmark (as 旁边)", "100 m around it"),
    "X路口那里": ("30 m around the crossing (as a crossing)", "60 m around it"),
    "那块子": ("50 m around the landmark", "150 m around it"),
    "边上": ("50 m around the landmark (as 旁边)", "80 m around it"),
    "背后": (
        "0–50 m from the landmark away from its road, 20 m either side",
        "0–100 m, 40 m either side",
    ),
    "斜对过": (
        "the far side of the landmark's road 2–30 m from its centreline, 10–60 m along either way",
        "1–40 m deep, 0–120 m along either way",
    ),
    "过去一点": (
        "with a direction: 20–60 m that way, 20 m either side",
        "0–150 m, 30 m either side",
    ),
    "往里面走": (
        "the lane 10–60 m in from the named mouth",
        "the lane from 10 m in to 10 m short of its end",
    ),
    "巷子里": (
        "the lane rule (line without 10 m at each end, and its houses)",
        "the whole line and its houses, 15 m around",
    ),
    "走到尽头": ("20 m around the far end", "60 m around it"),
}


def TWO(word, narrow, wide):
    if word not in WORDS:
        raise SystemExit(word)
    return ("two", word, narrow, wide)


def NALI(alias):  # `<landmark>那里`
    o = A(alias)
    return TWO("那里", ("disc", o, 50.0), ("disc", o, 100.0))


def KUAIZI(alias):  # `<landmark>那块子`
    o = A(alias)
    return TWO("那块子", ("disc", o, 50.0), ("disc", o, 150.0))


def BIANSHANG(alias):  # `<landmark>边上`
    o = A(alias)
    return TWO("边上", ("disc", o, 50.0), ("disc", o, 80.0))


def LUKOU(a, b):  # `A B路口那里`
    o = XO(a, b)
    return TWO("X路口那里", ("disc", o, 30.0), ("disc", o, 60.0))


def BEIHOU(alias):  # `<landmark>背后`
    c = code_of_alias(alias)
    return TWO("背后", ("behind", c, 0.0, 50.0, 20.0), ("behind", c, 0.0, 100.0, 40.0))


def XIEDUIGUO(alias):  # `<landmark>斜对过`
    c = code_of_alias(alias)
    return TWO(
        "斜对过",
        ("across", c, [(-60.0, -10.0), (10.0, 60.0)], 2.0, 30.0),
        ("across", c, [(-120.0, 120.0)], 1.0, 40.0),
    )


def GUOQU(alias, d=None):  # `<landmark>往X过去一点`; without a direction: no place
    if d is None:
        return TWO("过去一点", ("none",), ("none",))
    o = A(alias)
    return TWO("过去一点", ("dband", o, d, 20.0, 60.0, 20.0), ("dband", o, d, 0.0, 150.0, 30.0))


def WANGLI(lane, end):  # `<lane>口往里面走`, from the mouth at `end`
    return TWO("往里面走", ("lanepart", lane, end, 10.0, 60.0), ("lanepart", lane, end, 10.0, None))


def XIANGZILI(lane=None):  # `<lane>巷子里`; a lane not named: no place
    if lane is None:
        return TWO("巷子里", ("none",), ("none",))
    return TWO("巷子里", ("lane", lane), ("lanewide", lane, 15.0))


def JINTOU(road, end):  # `<road>走到尽头`, the end `end` (0 first point, 1 last)
    return TWO("走到尽头", ("end", road, end, 20.0), ("end", road, end, 60.0))


FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_number(n: int) -> str:
    """A door number in Chinese numerals, as written on a form: 45 -> 四十五, 108 -> 一百零八."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    h, r = divmod(n, 100)
    if r == 0:
        return CN[h] + "百"
    if r < 10:
        return CN[h] + "百零" + CN[r]
    return CN[h] + "百" + (CN[1] + cn_number(r) if r < 20 else cn_number(r))


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "叠山路与象山北路十字有人占道经营", X("叠山路", "象山北路"))
    q(x, "叠山路胜利路交叉口井盖缺失", X("叠山路", "胜利路"))
    q(x, "子固路与叠山路交叉口红绿灯坏了", X("子固路", "叠山路"))
    q(x, "董家窑路与叠山路交叉口有人摆摊", X("董家窑路", "叠山路"))
    q(x, "民德路象山北路十字有渣土车撒漏", X("民德路", "象山北路"))
    q(x, "子固路与民德路交叉口西南角共享单车乱放", X("子固路", "民德路", "西南"))
    q(x, "八一大道与叠山路十字路口车辆乱停", X("八一大道", "叠山路"))
    q(x, "八一大道叠山路交叉口东北角有人发小广告", X("八一大道", "叠山路", "东北"))
    q(x, "中山路与八一大道交叉口路灯不亮", X("中山路", "八一大道"))
    q(x, "中山路八一大道交叉口西北角垃圾桶满了", X("中山路", "八一大道", "西北"))
    q(x, "子固路与中山路交叉口东北角有人烧纸", X("子固路", "中山路", "东北"))
    q(x, "阳明路与苏圃路交叉口西北角护栏倒了", X("阳明路", "苏圃路", "西北"))
    q(x, "北京西路与福州路十字下水道冒水", X("北京西路", "福州路"))
    q(x, "广场北路与八一大道交叉口东北角有流浪狗", X("广场北路", "八一大道", "东北"))
    q(x, "二七北路与叠山路十字信号灯故障", X("二七北路", "叠山路"))
    q(x, "二七北路叠山路交叉口西南角有人倾倒垃圾", X("二七北路", "叠山路", "西南"))
    q(
        x,
        "叠山路、子固路路口往北300米人行道塌了",
        X("叠山路", "子固路", None, ("北", 300, "exact")),
    )
    q(x, "胜利路与中山路交叉口有人乱扔垃圾", X("胜利路", "中山路"))
    q(x, "叠山路与永叔路交叉口早上堵车", X("叠山路", "永叔路"))
    q(x, "阳明路与北京西路交叉口有个大坑", X("阳明路", "北京西路"))
    q(x, "洲中路与新洲路十字有人晒谷子占道", X("洲中路", "新洲路"))
    q(x, "洲中路南洲路交叉口东北角堆了建筑垃圾", X("洲中路", "南洲路", "东北"))
    q(x, "贤士路与洲中路交叉口有人摆摊卖菜", X("贤士路", "洲中路"))
    q(x, "堤顶路与新洲路交叉口有人烧秸秆", X("堤顶路", "新洲路"))
    q(x, "扬农大道与三联路十字有人焚烧垃圾", X("扬农大道", "三联路"))
    q(x, "扬农街塘边路交叉口路面塌陷", X("扬农街", "塘边路"))
    q(x, "三联路与阳明路交叉口积水", X("三联路", "阳明路"))
    q(x, "民德路福州路路口那里有人占道", LUKOU("民德路", "福州路"))
    q(x, "阳明路高桥巷路口那里电线乱拉", LUKOU("阳明路", "高桥巷"))
    q(x, "中山路子固路路口那里有人乱停车", LUKOU("中山路", "子固路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "省人民医院往北大约150米路东有人占道",
        OFF(A("省人民医院"), "北", 150, "about", ("八一大道", "东")),
    )
    q(o, "佑民寺往北走了两百来米，有个井盖没了", OFF(A("佑民寺"), "北", 200, "about"))
    q(o, "南大一附院往东300米左右有人烧垃圾", OFF(A("南大一附院"), "东", 300, "about"))
    q(o, "东湖区政府往南100米路灯不亮", OFF(A("东湖区政府"), "南", 100))
    q(o, "滕王阁往西500米有人钓鱼", OFF(A("滕王阁"), "西", 500))
    q(o, "滕王阁往南约300米路面破损", OFF(A("滕王阁"), "南", 300, "about"))
    q(
        o,
        "八一起义纪念馆往北走了一百多米有人乱贴小广告",
        OFF(A("八一起义纪念馆"), "北", 100, "more"),
    )
    q(
        o,
        "百花洲往南200米路东有人占道卖菜",
        OFF(A("百花洲"), "南", 200, side=("八一大道", "东")),
    )
    q(
        o,
        "百花洲往北约150米路东共享单车堆放",
        OFF(A("百花洲"), "北", 150, "about", ("八一大道", "东")),
    )
    q(o, "工行八一大道支行往南300米店铺油烟扰民", OFF(A("工行八一大道支行"), "南", 300))
    q(o, "南昌二中往东约200米有违停车辆", OFF(A("南昌二中"), "东", 200, "about"))
    q(o, "豫章花园往北走了三百来米有人私搭乱建", OFF(A("豫章花园"), "北", 300, "about"))
    q(o, "公园派出所往北约500米下水道堵了", OFF(A("公园派出所"), "北", 500, "about"))
    q(
        o,
        "阳明路加油站往西150米路南井盖缺失",
        OFF(A("阳明路加油站"), "西", 150, side=("阳明路", "南")),
    )
    q(
        o,
        "扬子洲镇卫生院往东约200米路北有人倒渣土",
        OFF(A("扬子洲镇卫生院"), "东", 200, "about", ("洲中路", "北")),
    )
    q(o, "扬子洲镇政府往西走了四百来米有人焚烧秸秆", OFF(A("扬子洲镇政府"), "西", 400, "about"))
    q(o, "新洲村委会往北约300米有人私建猪圈", OFF(A("新洲村委会"), "北", 300, "about"))
    q(o, "扬农大道加油站往东约1公里有人电鱼", OFF(A("扬农大道加油站"), "东", 1000, "about"))
    q(
        o,
        "叠山路与子固路交叉口往北100米路东，商户占道",
        OFF(XO("叠山路", "子固路"), "北", 100, side=("子固路", "东")),
    )
    q(
        o,
        "中山路与八一大道交叉口以东约300米路北有垃圾堆",
        OFF(XO("中山路", "八一大道"), "东", 300, "about", ("中山路", "北")),
    )
    q(o, "绳金塔往北200米有人占道", OFF(("none",), "北", 200))
    q(o, "百花洲斜对过有人摆摊", XIEDUIGUO("百花洲"))
    q(o, "省医斜对过的人行道被占了", XIEDUIGUO("省医"))
    q(o, "八一起义纪念馆斜对过有个井盖松了", XIEDUIGUO("八一起义纪念馆"))
    q(o, "滕王阁背后有人烧东西", BEIHOU("滕王阁"))
    q(o, "东湖区政府背后有人私搭乱建", BEIHOU("东湖区政府"))
    q(o, "南大一附院背后垃圾没人清", BEIHOU("南大一附院"))
    q(o, "八一起义纪念馆过去一点有人摆摊", GUOQU("八一起义纪念馆"))
    q(o, "佑民寺往北过去一点路灯不亮", GUOQU("佑民寺", "北"))
    q(o, "胜利路往南走到尽头有人乱倒垃圾", JINTOU("胜利路", 0))
    q(o, "新洲路往南走到尽头有人焚烧秸秆", JINTOU("新洲路", 0))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "滕王阁门口有人发小广告", NEAR("滕王阁"))
    q(n, "八一广场旁边有人放风筝挡路", NEAR("八一广场"))
    q(n, "百花洲对面的人行道被占", NEAR("百花洲"))
    q(n, "省人民医院门口有人乱停车", NEAR("省人民医院"))
    q(n, "佑民寺隔壁在装修，噪音大", NEAR("佑民寺"))
    q(n, "东湖区政府对面有人摆摊", NEAR("东湖区政府"))
    q(n, "南昌二中门口有流动摊贩，影响学生上学", NEAR("南昌二中"))
    q(
        n,
        "豫章花园周边夜里广场舞声音大",
        NEAR_COMPOUND("豫章花园", ["豫章花园"]),
    )
    q(n, "省委大院附近施工扰民", NEAR_COMPOUND("省委大院", ["省委大院"]))
    q(n, "江西师大宿舍周边路灯不亮", NEAR_COMPOUND("江西师大宿舍", ["江西师大宿舍"]))
    q(n, "叠山小区周边垃圾没人收", NEAR_COMPOUND("叠山小区", ["叠山小区南门", "叠山小区东门"]))
    q(n, "叠山小区南门旁边堆满了杂物", NEAR("叠山小区南门"))
    q(n, "子固路菜市场门口污水横流", NEAR("子固路菜市场"))
    q(n, "扬子洲镇卫生院门口有人摆摊", NEAR("扬子洲镇卫生院"))
    q(n, "扬子洲派出所对面的路灯不亮", NEAR("扬子洲派出所"))
    q(n, "港口村委会旁边有人焚烧垃圾", NEAR("港口村委会"))
    q(n, "联丰村村委会门口有人私拉电线", ("near", []))
    q(n, "绳金塔旁边有人摆摊", ("near", []))
    q(n, "佑民寺那里有人乱停车", NALI("佑民寺"))
    q(n, "八一广场那里有人卖气球挡路", NALI("八一广场"))
    q(n, "滕王阁那里有人钓鱼", NALI("滕王阁"))
    q(n, "佑民寺那块子晚上有人烧纸", KUAIZI("佑民寺"))
    q(n, "八一广场那块子有人跳舞扰民", KUAIZI("八一广场"))
    q(n, "子固路菜市场边上污水横流", BIANSHANG("子固路菜市场"))
    q(n, "董家窑菜市场边上有人杀鸡", BIANSHANG("董家窑菜市场"))
    q(n, "工行八一大道支行边上有人乱停车", BIANSHANG("工行八一大道支行"))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("羊子巷路灯坏了好几天了", "羊子巷"),
        ("来电人反映筷子巷有车辆长期占道", "筷子巷"),
        ("高桥巷下水道堵了，污水漫到路上", "高桥巷"),
        ("铜钱巷有人养狗扰民", "铜钱巷"),
        ("安乐里的路面坑坑洼洼", "安乐里"),
        ("德胜里有人半夜装修", "德胜里"),
        ("市民称刘家巷里面电线乱拉", "刘家巷"),
        ("同福里化粪池满了往外冒", "同福里"),
        ("石头巷 有人占用消防通道", "石头巷"),
        ("铁炉巷路面结冰，老人出行困难", "铁炉巷"),
        ("棋盘巷有人半夜施工", "棋盘巷"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "从八一大道进筷子巷往里面走，有堆垃圾", WANGLI("筷子巷", 0))
    q(la, "叠山路羊子巷口往里面走有人乱搭电线", WANGLI("羊子巷", 0))
    q(la, "德胜里巷子里有人养鸡", XIANGZILI("德胜里"))
    q(la, "叠山路边上的巷子里有人烧垃圾", XIANGZILI())
    q(la, "筷子巷走到尽头有个化粪池冒水", JINTOU("筷子巷", 1))
    q(la, "高桥巷走到尽头路灯不亮", JINTOU("高桥巷", 1))

    # --- group (村民小组 / natural village named with its village) ---------------------------
    g = "group"
    q(g, "新洲村3组有人焚烧秸秆", ZU("新洲村", 3))
    q(g, "新洲村五组有人在田边烧垃圾", ZU("新洲村", 5))
    q(g, "扬子洲镇新洲村第一村民小组有人违建", ZU("新洲村", 1, "扬子洲镇"))
    q(g, "东湖区扬子洲镇新洲村6组自来水停了", ZU("新洲村", 6, "扬子洲镇"))
    q(g, "新洲村8组有人烧秸秆", ZU("新洲村", 8))
    q(g, "扬农管理处新洲村2组有人违建", ZU("新洲村", 2, "扬农管理处"))
    q(g, "港口村熊家有人私挖鱼塘", NAT("港口村", "熊家"))
    q(g, "港口村万家村小组路灯不亮", NAT("港口村", "万家"))
    q(g, "港口村涂家有人偷倒建筑垃圾", NAT("港口村", "涂家"))
    q(g, "扬子洲镇港口村罗家垃圾没人收", NAT("港口村", "罗家", "扬子洲镇"))
    q(g, "港口村陈家有人放养的狗咬人", NAT("港口村", "陈家"))
    q(g, "喻家村小组有人在河边洗车", NAT(None, "喻家"))
    q(g, "三联村三组排水渠堵塞", ZU("三联村", 3))
    q(g, "三联村2组有人私搭乱建", ZU("三联村", 2))
    q(g, "扬农管理处三联村第五村民小组路面塌陷", ZU("三联村", 5, "扬农管理处"))
    q(g, "三联村四组有人焚烧垃圾", ZU("三联村", 4))
    q(g, "塘边村李家有人在路边晒粮", NAT("塘边村", "李家"))
    q(g, "塘边村邓家村小组有人电鱼", NAT("塘边村", "邓家"))
    q(g, "塘边村陈家有人烧荒", NAT("塘边村", "陈家"))
    q(g, "联丰村2组有人私拉电线", ZU("联丰村", 2))

    # --- village (a 行政村 named alone, or with its 镇) -------------------------------------
    v = "village"
    q(v, "南洲村有人烧秸秆，烟很大", VIL("南洲村"))
    q(v, "扬子洲镇南洲村路灯不亮", VIL("南洲村", "扬子洲镇"))
    q(v, "洲尾村有人私拉电网捕鱼", VIL("洲尾村"))
    q(v, "东湖区扬子洲镇洲尾村狗咬人", VIL("洲尾村", "扬子洲镇"))
    q(v, "新圩村有人往河道里倒垃圾", VIL("新圩村"))
    q(v, "扬农管理处洲头村有人占用耕地建房", VIL("洲头村", "扬农管理处"))
    q(v, "扬子洲镇联丰村有人焚烧垃圾", VIL("联丰村", "扬子洲镇"))
    q(v, "扬农联丰村路面塌陷", VIL("联丰村", "扬农管理处"))
    q(v, "联丰村有人私建猪圈", VIL("联丰村"))
    q(v, "新洲村垃圾堆放", VIL("新洲村"))
    q(v, "港口村有人电鱼", VIL("港口村"))
    q(v, "塘边村排水沟堵了", VIL("塘边村"))
    q(v, "扬农管理处南洲村有人焚烧秸秆", VIL("南洲村", "扬农管理处"))
    q(v, "鲤鱼洲村有人烧荒", VIL("鲤鱼洲村"))

    # --- other_county (南昌's other 县级 units, or another city, in front of our addresses)
    oc = "other_county"
    zg, ds = fb("子固路", 900, "R"), fb("叠山路", 1220, "L")
    md, fz = fb("民德路", 440, "L"), fb("福州路", 150, "L")
    sl = fb("胜利路", 100, "R")
    for text, code in [
        (f"西湖区子固路{no(zg)}号", None),
        ("青云谱区扬子洲镇新洲村3组15号", None),
        (f"南昌市青山湖区叠山路{no(ds)}号", None),
        ("新建区扬子洲镇南洲村45号", None),
        (f"红谷滩区民德路{no(md)}号", None),
        ("南昌县扬农管理处三联村三组13号", None),
        (f"九江市东湖区福州路{no(fz)}号", None),
        (f"江西省赣州市东湖区胜利路{no(sl)}号", None),
        (f"江西省南昌市东湖区子固路{no(zg)}号", zg["code"]),
        ("南昌市东湖区扬子洲镇新洲村3组15号", H("XZ", 3, 15)["code"]),
        (f"东湖区叠山路{no(ds)}号", ds["code"]),
        ("扬子洲镇南洲村45号", H("NZ", 0, 45)["code"]),
        (f"南昌市东湖区民德路{no(md)}号", md["code"]),
        ("扬农管理处三联村三组13号", H("SL", 3, 13)["code"]),
        (f"江西洪都东湖区福州路{no(fz)}号", fz["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    sw = door(1700, "L")
    kz = fb("筷子巷", 180, "R", 10)
    absent("刘家巷7号")
    absent("三联村七组8号")
    absent("八一大道999号")
    for text, code in [
        (
            "No. 15, Group 3, Xinzhou Village, Yangzizhou Town, Donghu District, Nanchang",
            H("XZ", 3, 15)["code"],
        ),
        (
            "No. 12, Xiongjia, Gangkou Village, Yangzizhou Town, Donghu District, Nanchang,"
            " Jiangxi",
            H("GK", 1, 12)["code"],
        ),
        (
            "No. 13, Group 3, Sanlian Village, Yangnong Management Office, Donghu District",
            H("SL", 3, 13)["code"],
        ),
        (
            "No. 36, Lianfeng Village, Yangzizhou Town, Donghu District, Nanchang",
            H("LFN", 0, 36)["code"],
        ),
        ("No. 36, Lianfeng Village, Donghu District, Nanchang", None),
        (
            "Room 501, Unit 2, Building 3, Yuzhang Garden, Donghu District, Nanchang",
            "DHYZHYB3",
        ),
        (f"Building 2, Shengwei Dayuan, No. {sw} Beijing West Road, Donghu District", "DHSWDYB2"),
        (f"No. {no(ds)}, Dieshan Road, Donghu District, Nanchang", ds["code"]),
        (f"No. {no(kz)}, Kuaizi Lane, Donghu District", kz["code"]),
        ("No. 5, Desheng Li, Donghu District, Nanchang", "DHDSLI5"),
        ("No. 999, Bayi Avenue, Donghu District, Nanchang", None),
        ("No. 80, Xiongjia, Gangkou Village, Yangzizhou Town, Donghu District", None),
        ("Building 9, Yuzhang Garden, Donghu District, Nanchang", None),
        ("Tengwang Pavilion, Donghu District, Nanchang", code_of_alias("滕王阁")),
        (f"Jiangxi Sheng Nanchang Shi Donghu Qu Zigu Lu {no(zg)} Hao", zg["code"]),
        ("Nanchang Shi Donghu Qu Yangzizhou Zhen Xinzhou Cun 3 Zu 15 Hao", H("XZ", 3, 15)["code"]),
        ("Donghu Qu Yuzhang Huayuan 2 Dong 1 Danyuan 302 Shi", "DHYZHYB2"),
        ("15号，3组，新洲村，扬子洲镇，东湖区，南昌市", H("XZ", 3, 15)["code"]),
        ("302室，2单元，3栋，豫章花园，东湖区", "DHYZHYB3"),
        ("7号，刘家巷，东湖区", None),
        (f"No. {no(ds)}, Dieshan Road, Xihu District, Nanchang", None),
        ("No. 8, Group 7, Sanlian Village, Yangnong, Donghu District", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 3, Xinzhou Village, Yangzizhou Town, Donghu District", ZU("新洲村", 3, "扬子洲镇"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    yj, md2 = fb("沿江北大道", 300, "R"), fb("民德路", 900, "R")
    sl1, zg1 = fb("胜利路", 100, "R"), fb("子固路", 100, "L")
    bj, xn = fb("北京西路", 2300, "R"), fb("象山南路", 150, "L")
    eq, dj = fb("二七北路", 500, "R"), fb("董家窑路", 300, "R")
    yml, md3 = fb("阳明路", 2200, "R"), fb("民德路", 150, "L")
    ds2, zg2 = fb("叠山路", 200, "R"), fb("子固路", 1200, "L")
    fz2, xb = fb("福州路", 2300, "R"), fb("象山北路", 200, "L")
    ym2, yj2 = fb("阳明路", 700, "R"), fb("沿江北大道", 1200, "R")
    eq2, xn2 = fb("二七北路", 2700, "R"), fb("象山南路", 1350, "R")
    bj2, zs = fb("北京西路", 300, "L"), fb("中山路", 300, "L")
    zz, mdl = fb("洲中路", 300, "L"), fb("民德路", 1500, "L")
    dsf, mdd = f"叠山路{door(1500, 'R')}号", f"民德路{door(650, 'R')}"
    sd = door(2900, "L")
    for miss in [
        "叠山路999号",
        "民德路7号",
        "筷子巷50号",
        "德胜里30号",
        "豫章花园9栋",
        "省委大院8栋",
        "江西师大宿舍12栋",
        "叠山小区9栋",
        f"{dsf}附3号",
        f"{mdd}-3号",
        "新洲村3组99号",
        "港口村熊家80号",
        "沿江北大道999号",
        "塘边村李家40号",
        "洪都大道88号",
    ]:
        absent(miss)
    for text, code in [
        (yj["address"], yj["code"]),
        (f"南昌市东湖区民德路{no(md2)}号", md2["code"]),
        (f"江西省南昌市东湖区福州路{no(fz2)}号", fz2["code"]),
        (f"江西南昌东湖区子固路{no(zg)}号", zg["code"]),
        (f"南昌东湖区胜利路{no(sl1)}号", sl1["code"]),
        (f"东湖区百花洲街道子固路{no(zg1)}号", zg1["code"]),
        (f"东湖区大院街道省府社区北京西路{no(bj)}号", bj["code"]),
        (f"南昌市东湖区豫章街道象山南路{no(xn)}号", xn["code"]),
        (f"江西省南昌市东湖区公园街道二七北路{no(eq)}号", eq["code"]),
        (f"东湖区董家窑街道董家窑路{no(dj)}号", dj["code"]),
        ("滕王阁", code_of_alias("滕王阁")),
        ("八一广场", code_of_alias("八一广场")),
        ("百花洲", code_of_alias("百花洲")),
        ("八一起义纪念馆", code_of_alias("八一起义纪念馆")),
        ("省医", code_of_alias("省医")),
        ("南大一附院", code_of_alias("南大一附院")),
        ("南昌二中", code_of_alias("南昌二中")),
        ("佑民寺", code_of_alias("佑民寺")),
        ("东湖区政府", code_of_alias("东湖区政府")),
        ("省委大院", code_of_alias("省委大院")),
        ("扬子洲镇卫生院", code_of_alias("扬子洲镇卫生院")),
        ("新洲村委会", code_of_alias("新洲村委会")),
        ("豫章花园3栋", "DHYZHYB3"),
        ("豫章花园2栋2单元302室", "DHYZHYB2"),
        ("豫章花园2-1-302", "DHYZHYB2"),
        ("东湖区叠山小区5栋1单元601号", "DHDSXQB5"),
        ("省委大院3栋", "DHSWDYB3"),
        ("省委大院2号楼", "DHSWDYB2"),
        ("江西师大宿舍3栋", "DHJXSDB3"),
        (f"东湖区北京西路{sd}号江西师大宿舍2栋3单元401", "DHJXSDB2"),
        ("叠山小区3-2-501", "DHDSXQB3"),
        (f"{dsf}附1号", f"DHDSL{door(1500, 'R')}F1"),
        (f"{mdd}-1号", f"DHMDL{door(650, 'R')}D1"),
        (f"东湖区阳明路{str(no(yml)).translate(FULL)}号", yml["code"]),
        (f"民德路{cn_number(no(md3))}号", md3["code"]),
        (f"福州路{cn_number(no(fb('福州路', 1800, 'L')))}号", code_of_alias("东湖区政府")),
        (f"南昌市 东湖区 福州路 {no(fz)} 号", fz["code"]),
        (f"东湖区，子固路（{no(zg2)}号）。", zg2["code"]),
        (f"迭山路{no(ds2)}号", ds2["code"]),
        (f"东湖区明德路{no(mdl)}号", mdl["code"]),
        (f"子故路{no(zg2)}号", zg2["code"]),
        (f"福洲路{no(fz2)}号", fz2["code"]),
        (f"像山北路{no(xb)}号", xb["code"]),
        (f"杨明路{no(ym2)}号", ym2["code"]),
        (f"沿江北大到{no(yj2)}号", yj2["code"]),
        (f"二期北路{no(eq2)}号", eq2["code"]),
        (f"江西省南倡市东湖区象山南路{no(xn2)}号", xn2["code"]),
        (f"江溪省南昌市东湖区北京西路{no(bj2)}号", bj2["code"]),
        (f"南常市东湖区中山路{no(zs)}号", zs["code"]),
        ("东湖区扬子洲镇新洲村3组15号", H("XZ", 3, 15)["code"]),
        ("扬子洲镇港口村熊家12号", H("GK", 1, 12)["code"]),
        ("港口村万家村8号", H("GK", 2, 8)["code"]),
        ("扬农管理处三联村三组9号", H("SL", 3, 9)["code"]),
        ("扬农管理处联丰村36号", H("LFS", 0, 36)["code"]),
        ("扬子洲南洲村76号", H("NZ", 0, 76)["code"]),
        ("塘边村上塘村小组4号", H("TB", 3, 4)["code"]),
        ("德胜里5号", "DHDSLI5"),
        ("东湖区刘家巷8号", "DHLJX8"),
        (f"筷子巷{no(fb('筷子巷', 40, 'L', 10))}号", fb("筷子巷", 40, "L", 10)["code"]),
        (f"东湖区扬子洲镇洲中路{no(zz)}号", zz["code"]),
        ("同福里6号", "DHTFLI6"),
        ("东湖区叠山路999号", None),
        ("民德路7号", None),
        ("筷子巷50号", None),
        ("德胜里30号", None),
        ("豫章花园9栋", None),
        ("省委大院8栋", None),
        ("江西师大宿舍12栋", None),
        ("叠山小区9-1-302", None),
        (f"{dsf}附3号", None),
        (f"{mdd}-3号", None),
        ("新洲村3组99号", None),
        ("扬农管理处三联村七组3号", None),
        ("港口村熊家80号", None),
        (f"东湖区公园街道叠山路{no(ds)}号", None),
        (f"豫章街道子固路{no(zg)}号", None),
        (f"东湖区滕王阁街道子固路{no(zg1)}号", None),
        ("扬农管理处新洲村3组15号", None),
        ("联丰村36号", None),
        ("绳金塔", None),
        ("万寿宫", None),
        ("八大山人纪念馆", None),
        ("洪都大道88号", None),
        ("南昌市东湖区沿江北大道999号", None),
        ("塘边村李家40号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all() -> list:
    build_tree()
    build_buildings()
    (HERE / "grids.geojson").write_text(
        dump({"type": "FeatureCollection", "features": FEATURES}), encoding="utf-8"
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
        dump({"type": "FeatureCollection", "features": roads}), encoding="utf-8"
    )
    lines = []
    stats: Counter = Counter()
    words: Counter = Counter()
    seen = set()
    qs = queries()
    for kind, text, spec in qs:
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
        if spec[0] == "two":
            words[(spec[1], micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    total = refused = 0
    for k in kinds:
        p, r = stats[(k, True)], stats[(k, False)]
        total, refused = total + p + r, refused + r
        print(f"{k:16} n {p + r:3}  positive {p:3}  refuse {r:3}")
    for word in WORDS:
        p, r = words[(word, True)], words[(word, False)]
        print(f"word {word:6} n {p + r:2}  positive {p:2}")
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {total}")
    print(f"must refuse {refused} ({100 * refused / total:.0f} %)")
    return qs


# ---------------------------------------------------------------- reading the files back
def check_files(qs) -> None:
    """Read the four files back and check every truth against the geometry written there."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    micros: dict[str, Polygon] = {}
    area = None
    for f in grids:
        ring = [xy(*c) for c in f["geometry"]["coordinates"][0]]
        if f["properties"]["level"] == "micro":
            micros[f["properties"]["code"]] = Polygon(ring)
        elif f["properties"]["level"] == "district":
            area = Polygon(ring)
    if area is None or len(micros) != len(MICROS):
        raise SystemExit("grids.geojson: the tree did not read back")
    if abs(unary_union(list(micros.values())).area - area.area) > 1.0:
        raise SystemExit("grids.geojson: the micro-grids do not tile the district")
    for f in json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]:
        line = LineString([xy(*c) for c in f["geometry"]["coordinates"]])
        if line.hausdorff_distance(ROAD[f["properties"]["name"]]) > 0.05:
            raise SystemExit(f"roads.geojson: {f['properties']['name']} moved")
    rows = {}
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            x, y = xy(float(row["lon"]), float(row["lat"]))
            if row["micro_grid_code"] not in micros:
                raise SystemExit(f"{row['code']}: unknown micro-grid")
            if micro_of_point(x, y, micros) != row["micro_grid_code"]:
                raise SystemExit(f"{row['code']} is not in its micro-grid")
            rows[row["code"]] = row
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(qs):
        raise SystemExit("queries.jsonl: wrong number of lines")
    for line, (kind, text, spec) in zip(lines, qs, strict=True):
        rec = json.loads(line)
        if (
            rec["query"] != text
            or rec["kind"] != kind
            or set(rec)
            != {
                "query",
                "expected",
                "micro_grid",
                "kind",
            }
        ):
            raise SystemExit(f"queries.jsonl: {text} did not read back")
        if rec["micro_grid"] is not None and rec["micro_grid"] not in micros:
            raise SystemExit(f"{text}: unknown micro-grid")
        if spec[0] == "bld":
            if rec["expected"] is None:
                if rec["micro_grid"] is not None:
                    raise SystemExit(f"{text}: a micro-grid without a building")
                continue
            if rows[rec["expected"]]["micro_grid_code"] != rec["micro_grid"]:
                raise SystemExit(f"{text}: the building is not in the stated micro-grid")
            continue
        if rec["expected"] is not None:
            raise SystemExit(f"{text}: a place query with a building")
        got = set()
        for sub in readings(spec):
            region = place_region(sub)
            got.add(
                None
                if region is None or region.is_empty
                else micro_of_region(region, micros, area, tol=0.05)
            )
        if rec["micro_grid"] is not None and got != {rec["micro_grid"]}:
            raise SystemExit(f"{text}: a reading is not in the stated micro-grid ({got})")
        if rec["micro_grid"] is None and len(got) == 1 and None not in got:
            raise SystemExit(f"{text}: refused, yet every reading lands in {got}")
    print("read back: every truth checks out")


if __name__ == "__main__":
    check_files(write_all())
