"""Write the place-description evaluation district: 福建省泉州市鲤城区.

    python bench/data/place_quanzhou/make_district.py

One grid tree in two parts: the old city north of the river (开元街道, 鲤中街道, with 西街 /
东街 / 中山路 / 涂门街 / 新华路 / 温陵路, lanes named the 泉州 way — 巷, 埕, 里, 铺 — and three
小区), and the south bank (浮桥街道, 江南街道) with 村改居 社区 written by 组
(`鲤城区浮桥街道金浦社区3组15号`, `鲤城区江南街道亭店社区三组8号`), a village written by
自然村 / 角落 (`鲤城区江南街道霞洲村下厝12号`) and villages numbered across
(`鲤城区浮桥街道新步村58号`).

The 街道 and the urban road and lane names are 鲤城区's; the communities, villages, 自然村,
door numbers, landmarks' positions and all geometry are ours: a layout in metres over a
4.8 km x 3.6 km box, put into WGS-84 around 泉州.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically, then
reads them back and checks them.
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
LON0, LAT0 = 118.5600, 24.8700  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("350502", "鲤城区")
W, S, E, N = 0.0, 0.0, 4800.0, 3600.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"
CELL_W, CELL_H = 400.0, 900.0  # every micro-grid is 400 m x 900 m

# the old city north of 江滨北路 (y 1800-3600): street, box, communities (name, short name)
STREETS = [
    ("350502004", "开元街道", (0, 1800, 2400, 3600), [("西街社区", "西街"), ("新华社区", "新华")]),
    (
        "350502003",
        "鲤中街道",
        (2400, 1800, 4800, 3600),
        [("中山社区", "中山"), ("温陵社区", "温陵")],
    ),
]

# the south bank (y 0-1800): street, box, villages (name, key, width, micro-grid naming)
# "plain": `金浦社区第1网格2号微网格`; "zu_cn": named after the 组 (`亭店社区三组`);
# "small": a village numbered across, 400 m wide, two micro-grids `新步村1号微网格`.
RURAL = [
    (
        "350502005",
        "浮桥街道",
        (0, 0, 2400, 1800),
        [
            ("金浦社区", "JP", 1200, "plain"),
            ("新步村", "XB", 400, "small"),
            ("坂头村", "BTF", 400, "small"),
            ("黄龙村", "HL", 400, "small"),
        ],
    ),
    (
        "350502006",
        "江南街道",
        (2400, 0, 4800, 1800),
        [
            ("霞洲村", "XZ", 1200, "plain"),
            ("亭店社区", "TD", 800, "zu_cn"),
            ("坂头村", "BTJ", 400, "small"),
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
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}


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
                gs, gn = s + gi * CELL_H, s + (gi + 1) * CELL_H
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(cw, gs, ce, gn))))
                for mi in range(3):
                    mb = (cw + mi * CELL_W, gs, cw + (mi + 1) * CELL_W, gn)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    for t_code, t_name, tb, villages in RURAL:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        x, s, _e, n = tb
        for vi, (v_name, key, width, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            vb = (x, s, x + width, n)
            x += width
            VILLAGE_BOX[key] = vb
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
                for mi in range(2):
                    mb = (vb[0], s + mi * CELL_H, vb[2], s + (mi + 1) * CELL_H)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
                continue
            cols = int(width // CELL_W)
            for gi in range(2):
                gs, gn = s + gi * CELL_H, s + (gi + 1) * CELL_H
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (vb[0], gs, vb[2], gn)
                FEATURES.append(
                    feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
                )
                for mi in range(cols):
                    mb = (vb[0] + mi * CELL_W, gs, vb[0] + (mi + 1) * CELL_W, gn)
                    m = gi * cols + mi + 1
                    if style == "zu_cn":
                        name = f"{v_name}{CN[m]}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    """Centre of a village's m-th micro-grid (numbered row by row from the south-west)."""
    x0, y0, x1, _n = VILLAGE_BOX[key]
    cols = int((x1 - x0) // CELL_W)
    g, c = divmod(m - 1, cols)
    return x0 + CELL_W / 2 + CELL_W * c, y0 + CELL_H / 2 + CELL_H * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the old city; 中山路 is three roads in the file, on the 开元 / 鲤中 border
    ("中山北路", "arterial", [(2400, 3200), (2400, 3600)]),
    ("中山中路", "arterial", [(2400, 2400), (2400, 3200)]),
    ("中山南路", "arterial", [(2400, 1800), (2400, 2400)]),
    ("西街", "secondary", [(0, 3200), (2400, 3200)]),
    ("东街", "secondary", [(2400, 3200), (4800, 3200)]),
    ("新华路", "arterial", [(1000, 1850), (1000, 3600)]),
    ("温陵路", "arterial", [(4000, 1800), (4000, 3600)]),
    ("涂门街", "secondary", [(2400, 2700), (4000, 2700)]),
    ("新门街", "secondary", [(0, 2300), (2400, 2300)]),
    ("江滨北路", "arterial", [(0, 1800), (4800, 1800)]),
    # lanes in the road file
    ("打锡巷", "branch", [(2400, 3000), (2880, 3000)]),
    ("金鱼巷", "branch", [(1500, 3250), (1500, 3550)]),
    ("象峰巷", "branch", [(3700, 2000), (3700, 2300)]),
    ("许厝埕", "branch", [(500, 2450), (700, 2450)]),
    ("井亭巷", "branch", [(4200, 3000), (4200, 3400)]),
    ("花巷", "branch", [(1700, 2150), (1700, 2450), (1950, 2450), (1950, 2150)]),
    # the south bank
    ("浮桥街", "secondary", [(0, 1050), (2400, 1050)]),
    ("江南大街", "secondary", [(2400, 1150), (4800, 1150)]),
    ("笋江路", "arterial", [(1200, 0), (1200, 1800)]),
    ("泉安路", "arterial", [(2400, 0), (2400, 1800)]),
    ("霞洲路", "branch", [(3150, 100), (3150, 1700)]),
    ("亭店路", "branch", [(4000, 100), (4000, 1600)]),
    ("金浦路", "branch", [(340, 120), (340, 800), (1000, 800)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "鲤城区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "中山北路": "ZSBL",
    "中山中路": "ZSZL",
    "中山南路": "ZSNL",
    "西街": "XJ",
    "东街": "DJ",
    "新华路": "XHL",
    "温陵路": "WLL",
    "涂门街": "TMJ",
    "新门街": "XMJ",
    "江滨北路": "JBBL",
    "打锡巷": "DXX",
    "金鱼巷": "JYX",
    "象峰巷": "XFX",
    "许厝埕": "XCC",
    "井亭巷": "JTX",
    "花巷": "HX",
    "浮桥街": "FQJ",
    "江南大街": "JNDJ",
    "笋江路": "SJL",
    "泉安路": "QAL",
    "胭脂巷": "YZX",
    "甲第巷": "JDX",
    "通政巷": "TZX",
    "蔡厝埕": "CCC",
    "百源里": "BYL",
    "三朝铺": "SCP",
}
# how a road's doors are written
PREFIX = {
    "西街": CITY + "开元街道",
    "东街": CITY + "鲤中街道",
    "浮桥街": CITY + "浮桥街道",
    "江南大街": CITY + "江南街道",
    "打锡巷": CITY + "中山中路",
    "胭脂巷": CITY + "中山中路",
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


def frontage(road: str, items, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    prefix = PREFIX.get(road, CITY)
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(f"QZ{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"QZ{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    prefix = PREFIX.get(lane, CITY)
    for n, x, y in points:
        add(f"QZ{CODE_KEY[lane]}{n}", f"{prefix}{lane}{n}号", x, y, road=lane, n=n)


def compound(base: str, name: str, code: str, unit: str, spots):
    """The 幢 / 号楼 of a 小区 whose gate is the door `base`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{base}{name}{k}{unit}", x, y, [f"{name}{k}{unit}"], compound=name)


TOWN_OF = {
    "JP": "浮桥街道",
    "XB": "浮桥街道",
    "BTF": "浮桥街道",
    "HL": "浮桥街道",
    "XZ": "江南街道",
    "TD": "江南街道",
    "BTJ": "江南街道",
}
VILLAGE_OF = {
    "JP": "金浦社区",
    "XB": "新步村",
    "BTF": "坂头村",
    "HL": "黄龙村",
    "XZ": "霞洲村",
    "TD": "亭店社区",
    "BTJ": "坂头村",
}
ZU_STYLE = {"JP": "ar", "TD": "cn"}
# 霞洲村's houses are written by 自然村 (the 角落 people name them by)
NATURAL = ["下厝", "后埔", "溪边", "埔尾", "顶厝", "新厝", "后山"]
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu) -> str:
    if zu is None:
        return ""
    if isinstance(zu, str):
        return zu
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def zu_index(zu) -> int:
    if zu is None:
        return 0
    if isinstance(zu, str):
        return NATURAL.index(zu) + 1
    return zu


def rural_houses(key: str, zu, centre, numbers, aliases=None):
    """Houses of a 组, of a 自然村 (zu a name) or of a village numbered across (zu None)."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zu_text(key, zu)}{n}号"
        add(
            f"QZ{key}{zu_index(zu):02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            n=n,
        )


def build_buildings() -> None:
    # --- the old city
    frontage(
        "西街",
        [
            (150, "L", []),
            (500, "R", ["西街社区服务中心"]),
            (1100, "R", []),
            (1300, "L", ["泉州农商银行开元支行", "农商银行开元支行"]),
            (1750, "L", ["开元寺", "泉州开元寺"]),
            (2100, "R", ["开元派出所"]),
            (2300, "L", []),
        ],
    )
    frontage(
        "东街",
        [
            (150, "R", []),
            (600, "L", ["泉州市第一医院", "第一医院", "市一医院"]),
            (1000, "R", ["鲤中派出所"]),
            (1400, "L", ["建设银行东街支行", "建行东街支行"]),
            (1900, "R", []),
            (2250, "L", ["东街菜市场"]),
        ],
    )
    frontage(
        "新华路",
        [
            (100, "R", []),
            (250, "L", ["新门小区", "新门小区东门"]),
            (700, "R", ["培元中学", "泉州培元中学"]),
            (1100, "L", ["鲤城区医院"]),
            (1500, "R", []),
            (1700, "L", []),
        ],
    )
    frontage(
        "新门街",
        [
            (200, "L", []),
            (900, "R", ["新门小区北门"]),
            (1300, "L", ["新门街菜市场"]),
            (1500, "R", ["泉州七中", "泉州第七中学"]),
            (2200, "L", ["新华社区服务中心"]),
        ],
    )
    frontage("中山北路", [(200, "R", []), (300, "L", [])])
    frontage(
        "中山中路",
        [
            (100, "L", ["工商银行中山路支行", "工行中山路支行"]),
            (400, "R", []),
            (650, "L", []),
        ],
    )
    frontage("中山南路", [(300, "R", []), (450, "L", [])])
    frontage(
        "涂门街",
        [
            (420, "L", ["通淮关岳庙", "关岳庙", "关帝庙"]),
            (700, "R", ["清净寺"]),
            (1150, "L", ["中山社区服务中心"]),
            (1400, "R", []),
        ],
    )
    frontage(
        "温陵路",
        [
            (200, "R", ["永辉超市温陵店", "永辉超市"]),
            (550, "R", ["温陵花园", "温陵花园西门"]),
            (1000, "L", ["温陵社区服务中心"]),
            (1300, "R", ["邮储银行温陵路支行"]),
            (1700, "L", []),
        ],
    )
    frontage(
        "江滨北路",
        [(600, "L", []), (1500, "R", ["江滨加油站"]), (3300, "L", []), (4500, "R", [])],
    )
    # lanes of the road file
    frontage("打锡巷", [(30, "L", []), (150, "R", []), (380, "L", []), (450, "R", [])], step=10)
    frontage("金鱼巷", [(50, "L", []), (200, "R", [])], step=10)
    frontage("象峰巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("许厝埕", [(40, "L", []), (150, "R", [])], step=10)
    frontage("井亭巷", [(50, "L", []), (300, "R", [])], step=10)
    frontage("花巷", [(100, "L", []), (400, "R", [])], step=10)
    # lanes in no road file (甲第巷's houses stand on both sides of 中山中路)
    lane_houses("胭脂巷", [(3, 2330, 2900), (6, 2300, 2930), (10, 2340, 2960)])
    lane_houses("甲第巷", [(2, 2370, 2560), (5, 2430, 2560), (9, 2450, 2590)])
    lane_houses("通政巷", [(2, 1300, 2050), (7, 1340, 2060), (11, 1380, 2050)])
    lane_houses("蔡厝埕", [(1, 3000, 2200), (4, 3030, 2230), (8, 3060, 2200)])
    lane_houses("百源里", [(3, 4500, 2300), (6, 4530, 2330), (12, 4560, 2300)])
    lane_houses("三朝铺", [(5, 200, 2900), (9, 240, 2930), (15, 280, 2900)])
    # 小区: the gate doors carry the 小区's name; 幢 / 号楼 behind them
    compound(
        fb("新华路", 250, "L")["address"],
        "新门小区",
        "QZXMXQ",
        "幢",
        [(860, 2130), (930, 2130), (860, 2200), (930, 2200)],
    )
    compound(
        fb("温陵路", 550, "R")["address"],
        "温陵花园",
        "QZWLHY",
        "号楼",
        [(4100, 2300), (4180, 2300), (4100, 2400), (4180, 2400)],
    )
    # --- the south bank's main streets and roads
    frontage(
        "浮桥街",
        [
            (300, "L", []),
            (700, "R", ["浮桥派出所"]),
            (1000, "L", ["浮桥中心小学"]),
            (1400, "R", ["浮桥菜市场"]),
            (1800, "L", ["泉州农商银行浮桥支行", "农商银行浮桥支行"]),
            (2200, "R", []),
        ],
    )
    frontage(
        "江南大街",
        [
            (200, "R", ["江南派出所"]),
            (700, "L", ["江南中学"]),
            (900, "L", ["江南新苑", "江南新苑北门"]),
            (1100, "R", ["江南街道社区卫生服务中心"]),
            (1500, "L", ["新华都超市江南店", "新华都江南店"]),
            (1900, "R", ["邮储银行江南支行"]),
            (2250, "L", []),
        ],
    )
    compound(
        fb("江南大街", 900, "L")["address"],
        "江南新苑",
        "QZJNXY",
        "幢",
        [(3260, 1230), (3340, 1230), (3260, 1300), (3340, 1300)],
    )
    frontage("笋江路", [(300, "R", ["笋江路加油站"]), (1500, "L", [])])
    frontage("泉安路", [(500, "L", []), (1500, "R", [])])
    # 浮桥街道: 金浦社区 (村改居, plain micro-grids, houses by 组; 5组 lies across two)
    c = micro_centre
    rural_houses("JP", 1, c("JP", 1), [3, 8, 12])
    rural_houses("JP", 2, c("JP", 2), [2, 6, 11], {6: ["金浦社区居委会"]})
    rural_houses("JP", 3, c("JP", 3), [5, 9, 15, 21])
    rural_houses("JP", 4, c("JP", 4), [1, 7, 13])
    rural_houses("JP", 5, (800, 1350), [4, 10, 16])
    rural_houses("JP", 6, (1000, 1550), [2, 8])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("XB", None, (1400, 450), [12, 37, 58, 103], {37: ["新步村村委会", "新步村委会"]})
    rural_houses("BTF", None, (1800, 1400), [9, 26, 64, 117])
    rural_houses(
        "HL", None, (2200, 450), [6, 21, 45, 88, 131], {21: ["黄龙村委会", "黄龙村村委会"]}
    )
    rural_houses("BTJ", None, (4600, 450), [15, 52, 96, 128])
    # 江南街道: 霞洲村 by 自然村 (埔尾 lies across two micro-grids)
    rural_houses("XZ", "下厝", c("XZ", 1), [12, 19, 27])
    rural_houses("XZ", "后埔", c("XZ", 2), [3, 15, 22])
    rural_houses("XZ", "溪边", c("XZ", 3), [8, 31])
    rural_houses("XZ", "埔尾", (2600, 900), [5, 16, 40])
    rural_houses("XZ", "顶厝", (2600, 1400), [2, 9, 23], {9: ["霞洲村委会", "霞洲村村委会"]})
    rural_houses("XZ", "新厝", (3000, 1400), [6, 18])
    rural_houses("XZ", "后山", (3450, 1450), [11, 25])
    # 亭店社区 (村改居, micro-grids named after its four 组)
    rural_houses("TD", 1, c("TD", 1), [3, 9])
    rural_houses("TD", 2, c("TD", 2), [2, 5, 12])
    rural_houses("TD", 3, c("TD", 3), [6, 8, 14], {8: ["亭店社区居委会"]})
    rural_houses("TD", 4, c("TD", 4), [1, 7, 11])


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
R_NEAR = 50.0  # 门口 / 旁边 / 对面 / 附近 / 隔壁 / 周边: every point within 50 m
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
    if kind == "zu":  # ("zu", town or None, village, 组 number or 自然村 name)
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


def H(key, zu, n):  # a rural house (zu None: a village numbered across)
    return BY_CODE[f"QZ{key}{zu_index(zu):02d}{n:03d}"]


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
    q(x, "新华路与西街十字路口晚上路灯不亮", X("新华路", "西街"))
    q(x, "新华路西街交叉口东北角有人摆摊卖水果", X("新华路", "西街", "东北"))
    q(x, "新华路和新门街交叉口下水道污水外溢", X("新华路", "新门街"))
    q(
        x,
        "新华路、新门街路口往北100米人行道砖松动",
        X("新华路", "新门街", None, ("北", 100, "exact")),
    )
    q(x, "中山中路与西街交叉口有人乱停车", X("中山中路", "西街"))
    q(x, "中山中路西街交叉口西南角共享单车堆成一片", X("中山中路", "西街", "西南"))
    q(x, "中山北路与东街交叉口东北角有流动摊贩", X("中山北路", "东街", "东北"))
    q(x, "中山中路与涂门街交汇处有人占道经营", X("中山中路", "涂门街"))
    q(x, "中山中路涂门街交叉口东南角井盖松动", X("中山中路", "涂门街", "东南"))
    q(x, "温陵路与东街十字路口红绿灯坏了", X("温陵路", "东街"))
    q(x, "温陵路东街交叉口西北角垃圾桶满了没人清", X("温陵路", "东街", "西北"))
    q(x, "温陵路与涂门街交汇处积水严重", X("温陵路", "涂门街"))
    q(x, "温陵路涂门街交叉口东南角有人乱贴小广告", X("温陵路", "涂门街", "东南"))
    q(x, "东街与井亭巷交叉口电动车乱停", X("东街", "井亭巷"))
    q(
        x,
        "井亭巷东街路口往南50米电线乱拉",
        X("井亭巷", "东街", None, ("南", 50, "exact")),
    )
    q(x, "花巷与新门街交叉口有人晒被子占道", X("花巷", "新门街"))
    q(x, "西街与新门街交叉口路面破损", X("西街", "新门街"))
    q(x, "新华路与江滨北路交叉口有大货车违停", X("新华路", "江滨北路"))
    q(x, "江滨北路与中山南路交叉口西北角有人钓鱼乱丢垃圾", X("江滨北路", "中山南路", "西北"))
    q(
        x,
        "西街新华路交叉口往西150米有人乱停车",
        X("西街", "新华路", None, ("西", 150, "exact")),
    )
    q(x, "笋江路与江滨北路交叉口西南角有人焚烧垃圾", X("笋江路", "江滨北路", "西南"))
    q(x, "笋江路与浮桥街十字有人占道卖菜", X("笋江路", "浮桥街"))
    q(x, "笋江路浮桥街交叉口东北角有积水", X("笋江路", "浮桥街", "东北"))
    q(x, "泉安路与江南大街交叉口车辆乱停", X("泉安路", "江南大街"))
    q(x, "泉安路江南大街交叉口东南角有人倾倒建筑垃圾", X("泉安路", "江南大街", "东南"))
    q(x, "霞洲路与江南大街十字路口有个大坑", X("霞洲路", "江南大街"))
    q(
        x,
        "霞洲路、江南大街路口往南50米路灯不亮",
        X("霞洲路", "江南大街", None, ("南", 50, "exact")),
    )
    q(x, "霞洲路和江滨北路交叉口有人乱倒垃圾", X("霞洲路", "江滨北路"))
    q(x, "亭店路与江南大街交叉口有泥头车撒漏", X("亭店路", "江南大街"))
    q(x, "亭店路江南大街交叉口西北角有人占道堆放杂物", X("亭店路", "江南大街", "西北"))
    q(x, "金浦路与浮桥街交叉口污水外溢", X("金浦路", "浮桥街"))
    q(
        x,
        "浮桥街、泉安路路口往西30米有个井盖缺失",
        X("浮桥街", "泉安路", None, ("西", 30, "exact")),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "开元寺往西100米路灯不亮", OFF(A("开元寺"), "西", 100))
    q(o, "开元寺往东走了两百来米，有人占道经营", OFF(A("开元寺"), "东", 200, "about"))
    q(
        o,
        "开元寺向东大约300米路南有人乱停车",
        OFF(A("开元寺"), "东", 300, "about", ("西街", "南")),
    )
    q(o, "开元寺往北500米有人违建", OFF(A("开元寺"), "北", 500))
    q(o, "泉州市第一医院往东100多米有人乱停车", OFF(A("泉州市第一医院"), "东", 100, "more"))
    q(
        o,
        "第一医院往西三百来米路北有人摆摊",
        OFF(A("第一医院"), "西", 300, "about", ("东街", "北")),
    )
    q(o, "鲤中派出所向南150米污水外溢", OFF(A("鲤中派出所"), "南", 150))
    q(o, "培元中学往北约300米有人占道", OFF(A("培元中学"), "北", 300, "about"))
    q(
        o,
        "培元中学往南200米路东人行道被占",
        OFF(A("培元中学"), "南", 200, side=("新华路", "东")),
    )
    q(o, "鲤城区医院往北走了四百来米，井盖缺失", OFF(A("鲤城区医院"), "北", 400, "about"))
    q(o, "鲤城区医院往南三百米左右有人烧纸", OFF(A("鲤城区医院"), "南", 300, "about"))
    q(o, "泉州七中往西走了三百来米有人乱扔垃圾", OFF(A("泉州七中"), "西", 300, "about"))
    q(o, "新华社区服务中心往北50米有人乱停车", OFF(A("新华社区服务中心"), "北", 50))
    q(
        o,
        "工商银行中山路支行往北100米路西有人摆摊",
        OFF(A("工商银行中山路支行"), "北", 100, side=("中山中路", "西")),
    )
    q(o, "工行中山路支行往北100米电动车乱停", OFF(A("工行中山路支行"), "北", 100))
    q(
        o,
        "关岳庙往东200米路北有人烧香占道",
        OFF(A("关岳庙"), "东", 200, side=("涂门街", "北")),
    )
    q(o, "清净寺往南100米有人半夜施工", OFF(A("清净寺"), "南", 100))
    q(o, "清净寺往西约150米路灯不亮", OFF(A("清净寺"), "西", 150, "about"))
    q(o, "永辉超市往东100米有人乱停车", OFF(A("永辉超市"), "东", 100))
    q(
        o,
        "永辉超市往北约300米路东共享单车乱放",
        OFF(A("永辉超市"), "北", 300, "about", ("温陵路", "东")),
    )
    q(o, "温陵社区服务中心往西200米有人乱倒垃圾", OFF(A("温陵社区服务中心"), "西", 200))
    q(o, "建设银行东街支行往东约400米有人乱拉电线", OFF(A("建设银行东街支行"), "东", 400, "about"))
    q(
        o,
        "西街与新华路交叉口往东300米路南店家占道",
        OFF(XO("西街", "新华路"), "东", 300, side=("西街", "南")),
    )
    q(
        o,
        "中山中路与涂门街交叉口往东约200米路北污水外溢",
        OFF(XO("中山中路", "涂门街"), "东", 200, "about", ("涂门街", "北")),
    )
    q(o, "温陵路与涂门街交叉口往南100米有人乱停车", OFF(XO("温陵路", "涂门街"), "南", 100))
    q(o, "浮桥派出所往西200米有人乱倒建筑垃圾", OFF(A("浮桥派出所"), "西", 200))
    q(o, "浮桥中心小学往东约300米有人焚烧秸秆", OFF(A("浮桥中心小学"), "东", 300, "about"))
    q(o, "浮桥菜市场往南走了一百来米，污水外溢", OFF(A("浮桥菜市场"), "南", 100, "about"))
    q(o, "农商银行浮桥支行往北300米有人违建", OFF(A("农商银行浮桥支行"), "北", 300))
    q(o, "江南派出所往东100多米路灯不亮", OFF(A("江南派出所"), "东", 100, "more"))
    q(o, "江南中学往北大约200米有人养鸡扰民", OFF(A("江南中学"), "北", 200, "about"))
    q(
        o,
        "江南街道社区卫生服务中心往西300米有人乱停车",
        OFF(A("江南街道社区卫生服务中心"), "西", 300),
    )
    q(
        o,
        "新华都超市江南店往东约150米路北有人摆摊",
        OFF(A("新华都超市江南店"), "东", 150, "about", ("江南大街", "北")),
    )
    q(
        o,
        "邮储银行江南支行往东走了两百来米有人焚烧垃圾",
        OFF(A("邮储银行江南支行"), "东", 200, "about"),
    )
    q(o, "霞洲村委会往南约300米有人焚烧稻草", OFF(A("霞洲村委会"), "南", 300, "about"))
    q(o, "亭店社区居委会往东100米左右有人乱搭建", OFF(A("亭店社区居委会"), "东", 100, "about"))
    q(o, "黄龙村委会往南1公里有人电鱼", OFF(A("黄龙村委会"), "南", 1000))
    q(o, "鲤城区实验小学往北100米有人乱停车", OFF(("none",), "北", 100))
    q(o, "江南电影院往西200米路灯不亮", OFF(("none",), "西", 200))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("打锡巷路灯坏了好几天了", "打锡巷"),
        ("来电人反映金鱼巷里有电动车长期占道", "金鱼巷"),
        ("象峰巷下水道堵了，污水外溢到路上", "象峰巷"),
        ("许厝埕有人养鸽子扰民", "许厝埕"),
        ("井亭巷电线乱拉存在安全隐患", "井亭巷"),
        ("花巷的路面坑坑洼洼", "花巷"),
        ("中山中路胭脂巷有人半夜装修", "胭脂巷"),
        ("市民反映甲第巷里垃圾几天没人收", "甲第巷"),
        ("通政巷化粪池满了往外冒", "通政巷"),
        ("蔡厝埕 有人占用消防通道", "蔡厝埕"),
        ("百源里有人在巷子里烧纸钱", "百源里"),
        ("三朝铺路灯不亮，老人晚上出门不方便", "三朝铺"),
        ("古榕巷有人违规搭建", "古榕巷"),
        ("镇抚巷污水外溢", "镇抚巷"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (组 / 居民小组 / 自然村 named with its village) -----------------------------
    g = "group"
    q(g, "金浦社区3组有人焚烧垃圾", ZU("金浦社区", 3))
    q(g, "浮桥街道金浦社区1组有人私搭乱建", ZU("金浦社区", 1, "浮桥街道"))
    q(g, "鲤城区浮桥街道金浦社区第四居民小组自来水停了", ZU("金浦社区", 4, "浮桥街道"))
    q(g, "金浦社区6组路灯不亮", ZU("金浦社区", 6))
    q(g, "金浦社区5组有人养猪臭味很大", ZU("金浦社区", 5))
    q(g, "金浦社区9组有人乱倒垃圾", ZU("金浦社区", 9))
    q(g, "亭店社区二组污水外溢", ZU("亭店社区", 2))
    q(g, "亭店社区3组有人占道晒东西", ZU("亭店社区", 3))
    q(g, "江南街道亭店社区第一居民小组有人违建", ZU("亭店社区", 1, "江南街道"))
    q(g, "亭店社区四组排水沟堵塞", ZU("亭店社区", 4))
    q(g, "亭店社区六组有人烧垃圾", ZU("亭店社区", 6))
    q(g, "浮桥街道亭店社区二组路灯不亮", ZU("亭店社区", 2, "浮桥街道"))
    q(g, "霞洲村下厝角落有人焚烧秸秆", ZU("霞洲村", "下厝"))
    q(g, "霞洲村后埔有人私挖鱼塘", ZU("霞洲村", "后埔"))
    q(g, "江南街道霞洲村顶厝角落路面塌陷", ZU("霞洲村", "顶厝", "江南街道"))
    q(g, "霞洲溪边角落有人往溪里倒垃圾", ZU("霞洲村", "溪边"))
    q(g, "霞洲村埔尾角落流浪狗多", ZU("霞洲村", "埔尾"))
    q(g, "霞洲村新厝自来水水压低", ZU("霞洲村", "新厝"))
    q(g, "霞洲村前埔角落有人烧垃圾", ZU("霞洲村", "前埔"))
    q(g, "新步村3组有人私拉电线", ZU("新步村", 3))

    # --- village (a 村 / 村改居社区 named alone, or with its street) -----------------------
    v = "village"
    q(v, "新步村有人焚烧垃圾，烟很大", VIL("新步村"))
    q(v, "浮桥街道新步村路灯不亮", VIL("新步村", "浮桥街道"))
    q(v, "浮桥新步村有人往水沟倒泔水", VIL("新步村", "浮桥街道"))
    q(v, "黄龙村有人电鱼", VIL("黄龙村"))
    q(v, "鲤城区浮桥街道黄龙村自来水停了", VIL("黄龙村", "浮桥街道"))
    q(v, "坂头村有人私建猪圈", VIL("坂头村"))
    q(v, "浮桥街道坂头村有人乱倒建筑垃圾", VIL("坂头村", "浮桥街道"))
    q(v, "江南街道坂头村路面塌陷", VIL("坂头村", "江南街道"))
    q(v, "江南坂头村有狗咬人", VIL("坂头村", "江南街道"))
    q(v, "金浦社区有人违建", VIL("金浦社区"))
    q(v, "霞洲村垃圾堆放没人清", VIL("霞洲村"))
    q(v, "亭店社区排水沟堵了", VIL("亭店社区"))
    q(v, "江南街道黄龙村有人焚烧秸秆", VIL("黄龙村", "江南街道"))
    q(v, "浮桥街道霞洲村有人违建", VIL("霞洲村", "浮桥街道"))
    q(v, "塘头村有人烧荒", VIL("塘头村"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "开元寺门口有人乱停车", NEAR("开元寺"))
    q(n, "泉州市第一医院门口电动车乱停", NEAR("泉州市第一医院"))
    q(n, "鲤中派出所对面有人摆摊", NEAR("鲤中派出所"))
    q(n, "培元中学旁边的奶茶店噪音扰民", NEAR("培元中学"))
    q(n, "鲤城区医院附近路灯不亮", NEAR("鲤城区医院"))
    q(n, "新门街菜市场门口污水外溢", NEAR("新门街菜市场"))
    q(n, "泉州七中门口有流动摊贩", NEAR("泉州七中"))
    q(n, "新华社区服务中心隔壁在装修，噪音很大", NEAR("新华社区服务中心"))
    q(n, "工商银行中山路支行门口有人乱停车", NEAR("工商银行中山路支行"))
    q(n, "关岳庙旁边有人乱烧纸钱", NEAR("关岳庙"))
    q(n, "清净寺对面有人占道经营", NEAR("清净寺"))
    q(n, "永辉超市门口共享单车乱放", NEAR("永辉超市"))
    q(n, "新门小区附近夜里有人放鞭炮", NEAR_COMPOUND("新门小区", ["新门小区", "新门小区北门"]))
    q(n, "温陵花园周边广场舞噪音扰民", NEAR_COMPOUND("温陵花园", ["温陵花园"]))
    q(n, "江南新苑附近路灯不亮", NEAR_COMPOUND("江南新苑", ["江南新苑"]))
    q(n, "浮桥派出所附近有人打架", NEAR("浮桥派出所"))
    q(n, "浮桥菜市场旁边垃圾堆积", NEAR("浮桥菜市场"))
    q(n, "江南中学门口早上车辆乱停", NEAR("江南中学"))
    q(n, "新华都超市江南店门口有人摆摊", NEAR("新华都超市江南店"))
    q(n, "霞洲村委会旁边有人焚烧垃圾", NEAR("霞洲村委会"))
    q(n, "笋江路加油站旁边有人卖散装汽油", NEAR("笋江路加油站"))
    q(n, "江滨加油站附近有大货车乱停", NEAR("江滨加油站"))
    q(n, "西街派出所门口有人乱停车", ("near", []))

    # --- other_county (泉州's other 县级 units in front of our addresses) ------------------
    oc = "other_county"
    xj, dj = fb("西街", 1100, "R"), fb("东街", 150, "R")
    wl = fb("温陵路", 1700, "L")
    for text, code in [
        (f"丰泽区开元街道西街{no(xj)}号", None),
        ("晋江市浮桥街道金浦社区3组15号", None),
        ("石狮市江南街道霞洲村下厝12号", None),
        (f"南安市鲤中街道东街{no(dj)}号", None),
        ("惠安县浮桥街道新步村58号", None),
        ("泉州市泉港区江南街道亭店社区三组8号", None),
        (f"洛江区温陵路{no(wl)}号", None),
        (f"福建省泉州市鲤城区开元街道西街{no(xj)}号", xj["code"]),
        ("鲤城区浮桥街道金浦社区3组15号", H("JP", 3, 15)["code"]),
        ("泉州市鲤城区江南街道霞洲村下厝12号", H("XZ", "下厝", 12)["code"]),
        (f"鲤中街道东街{no(dj)}号", dj["code"]),
        ("鲤城区浮桥街道新步村58号", H("XB", None, 58)["code"]),
        ("泉州鲤城江南街道亭店社区三组8号", H("TD", 3, 8)["code"]),
        (f"泉州市鲤城区温陵路{no(wl)}号", wl["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    d1, d2 = fb("东街", 1900, "R"), fb("中山中路", 400, "R")
    d3, d4 = fb("涂门街", 1150, "L"), fb("新华路", 1500, "R")
    d5 = fb("新门街", 200, "L")
    gate_wl = door(550, "R")
    gate_xm = door(250, "L")
    for t in ["西街999号", "打锡巷99号", "黄龙村40号", "金浦社区3组30号"]:
        absent(t)
    for text, code in [
        (f"No. {no(xj)}, West Street, Licheng District, Quanzhou, Fujian", xj["code"]),
        (f"No. {no(d1)} East Street, Lizhong Subdistrict, Licheng District, Quanzhou", d1["code"]),
        (f"No. {no(d2)}, Zhongshan Middle Road, Licheng District, Quanzhou", d2["code"]),
        (f"No. {no(d3)}, Tumen Street, Licheng District", d3["code"]),
        (f"No. {no(d4)} Xinhua Road, Licheng, Quanzhou, Fujian", d4["code"]),
        ("No. 6, Yanzhi Lane, Zhongshan Middle Road, Licheng District, Quanzhou", "QZYZX6"),
        ("No. 11, Jingting Lane, Licheng District, Quanzhou", "QZJTX11"),
        (f"Building 2, Wenling Garden, No. {gate_wl} Wenling Road, Licheng District", "QZWLHYB2"),
        (
            "No. 15, Group 3, Jinpu Community, Fuqiao Subdistrict, Licheng District, Quanzhou",
            H("JP", 3, 15)["code"],
        ),
        (
            "No. 12, Xiacuo, Xiazhou Village, Jiangnan Subdistrict, Licheng District, Quanzhou",
            H("XZ", "下厝", 12)["code"],
        ),
        ("No. 58, Xinbu Village, Fuqiao Subdistrict, Licheng District", H("XB", None, 58)["code"]),
        ("No. 999, West Street, Licheng District, Quanzhou", None),
        ("No. 40, Huanglong Village, Fuqiao Subdistrict, Licheng District", None),
        (f"{no(xj)}号，西街，开元街道，鲤城区，泉州市", xj["code"]),
        (f"3幢，新门小区，新华路{gate_xm}号，鲤城区", "QZXMXQB3"),
        ("15号，3组，金浦社区，浮桥街道，鲤城区，泉州市", H("JP", 3, 15)["code"]),
        (f"{no(d5)}号，新门街，鲤城区，泉州", d5["code"]),
        ("99号，打锡巷，中山中路，鲤城区", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    zs, t1 = fb("中山中路", 650, "L"), fb("涂门街", 1400, "R")
    t2, t3 = fb("温陵路", 1300, "R"), fb("新华路", 100, "R")
    t4, t5 = fb("浮桥街", 2200, "R"), fb("江滨北路", 3300, "L")
    for miss in ["东街7号", "打锡巷99号", "金浦社区3组99号", "霞洲村下厝99号", "新步村300号"]:
        absent(miss)
    absent("亭店社区五组3号")
    absent("温陵花园8号楼")
    absent("新门小区9幢")
    for text, code in [
        (dj["address"], dj["code"]),
        (f"鲤城区中山中路{no(zs)}号", zs["code"]),
        ("开元寺", code_of_alias("开元寺")),
        ("泉州市第一医院", code_of_alias("泉州市第一医院")),
        ("培元中学", code_of_alias("培元中学")),
        ("浮桥派出所", code_of_alias("浮桥派出所")),
        ("亭店社区居委会", code_of_alias("亭店社区居委会")),
        ("新门小区2幢", "QZXMXQB2"),
        ("温陵花园3号楼", "QZWLHYB3"),
        ("江南新苑1幢", "QZJNXYB1"),
        ("中山中路胭脂巷10号", "QZYZX10"),
        ("鲤城区通政巷7号", "QZTZX7"),
        ("百源里12号", "QZBYL12"),
        ("浮桥街道黄龙村88号", H("HL", None, 88)["code"]),
        ("江南街道霞洲村溪边31号", H("XZ", "溪边", 31)["code"]),
        ("坂头村26号", H("BTF", None, 26)["code"]),
        (f"途门街{no(t1)}号", t1["code"]),
        (f"鲤城区温林路{no(t2)}号", t2["code"]),
        (f"新化路{no(t3)}号", t3["code"]),
        (f"鲤城区浮桥街道福桥街{no(t4)}号", t4["code"]),
        (f"泉州市鲤城区江宾北路{no(t5)}号", t5["code"]),
        ("鲤城区鲤中街道东街7号", None),
        ("中山中路打锡巷99号", None),
        ("浮桥街道金浦社区3组99号", None),
        ("江南街道霞洲村下厝99号", None),
        ("新步村300号", None),
        ("鲤城区江南街道亭店社区五组3号", None),
        ("温陵花园8号楼", None),
        ("新门小区9幢", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, str, tuple, str | None, str | None]]:
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
    rows = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        rows.append((kind, text, spec, expected, micro))
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
    total = len(lines)
    refuse = sum(v for (k, pos), v in stats.items() if not pos)
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}")
    print(
        f"queries {total}, positive {total - refuse}, "
        f"refuse {refuse} ({100 * refuse / total:.0f} %)"
    )
    return rows


# ---------------------------------------------------------------- checks
def check(rows) -> None:
    """Read the written files back and check that they agree with each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in grids]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate grid codes")
    by_code = {f["properties"]["code"]: f["properties"] for f in grids}
    micro_codes = {c for c, p in by_code.items() if p["level"] == "micro"}
    for p in by_code.values():
        if p["parent_code"] is not None and p["parent_code"] not in by_code:
            raise SystemExit(f"{p['code']}: missing parent")
    # the micro-grids tile the district without overlap
    union = unary_union(list(MICROS.values()))
    if abs(union.area - DISTRICT_AREA.area) > 1e-6 or sum(m.area for m in MICROS.values()) != (
        DISTRICT_AREA.area
    ):
        raise SystemExit("micro-grids do not tile the district")
    with (HERE / "buildings.csv").open(encoding="utf-8") as fh:
        bld = {r["code"]: r for r in csv.DictReader(fh)}
    if len(bld) != len(BUILDINGS):
        raise SystemExit("duplicate building codes in buildings.csv")
    addrs = [r["address"] for r in bld.values()]
    if len(addrs) != len(set(addrs)):
        raise SystemExit("duplicate addresses")
    aliases = Counter(a for r in bld.values() for a in r["aliases"].split("|") if a)
    if any(v > 1 for v in aliases.values()):
        raise SystemExit(f"aliases used twice: {[a for a, v in aliases.items() if v > 1]}")
    for r in bld.values():
        if r["micro_grid_code"] not in micro_codes:
            raise SystemExit(f"{r['code']}: unknown micro-grid")
    road_names = {
        f["properties"]["name"]
        for f in json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    }
    if road_names != set(ROAD):
        raise SystemExit("roads.geojson disagrees")
    written = [
        json.loads(line)
        for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    if len(written) != len(rows):
        raise SystemExit("queries.jsonl length")
    for qd, (kind, text, spec, expected, micro) in zip(written, rows, strict=True):
        if (qd["query"], qd["expected"], qd["micro_grid"], qd["kind"]) != (
            text,
            expected,
            micro,
            kind,
        ):
            raise SystemExit(f"{text}: written differently")
        if expected is not None:
            if expected not in bld:
                raise SystemExit(f"{text}: no building {expected}")
            if bld[expected]["micro_grid_code"] != micro:
                raise SystemExit(f"{text}: building's micro-grid differs")
        if micro is not None and micro not in micro_codes:
            raise SystemExit(f"{text}: unknown micro-grid {micro}")
        if expected is None and micro is not None:
            # a positive place: the region lies wholly in that one micro-grid and no other
            region = place_region(spec)
            if not MICROS[micro].buffer(0.01).contains(region):
                raise SystemExit(f"{text}: region not inside {micro}")
            others = [
                c for c, p in MICROS.items() if c != micro and p.buffer(0.01).contains(region)
            ]
            if others:
                raise SystemExit(f"{text}: region also inside {others}")
        if kind not in ("building", "other_county", "english_order") and expected is not None:
            raise SystemExit(f"{text}: a place query with a building")
    print("checked: grids, buildings, roads and queries agree")


if __name__ == "__main__":
    check(write_all())
