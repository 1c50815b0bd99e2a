"""Write the place-description evaluation district: 河南省开封市鼓楼区.

    python bench/data/place_city/make_district.py

Real street offices (州桥、相国寺、西司门、新华、卧龙、五一街道) and road names of 开封's old
town; the communities, lanes, door numbers, landmarks' positions and all geometry are ours: a
road network laid out in metres over a 3.6 km x 2.8 km box, turned into WGS-84 around the old
town. The micro-grids are rectangles; some roads are their boundaries, others run through them.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections import Counter
from pathlib import Path

from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 114.3300, 34.7700  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("410204", "鼓楼区")
W, S, E, N = 0.0, 0.0, 3600.0, 2800.0

# street: code, name, box, communities (code suffix, name, short name)
STREETS = [
    (
        "410204002",
        "州桥街道",
        (0, 2000, 1800, 2800),
        [("双龙巷社区", "双龙巷"), ("河道街社区", "河道街")],
    ),
    (
        "410204001",
        "相国寺街道",
        (1800, 2000, 3600, 2800),
        [("寺后街社区", "寺后街"), ("书店街社区", "书店街")],
    ),
    (
        "410204003",
        "西司门街道",
        (0, 1300, 1800, 2000),
        [("西司门社区", "西司门"), ("杏花社区", "杏花")],
    ),
    (
        "410204004",
        "新华街道",
        (1800, 1300, 3600, 2000),
        [("鼓楼社区", "鼓楼"), ("同乐社区", "同乐")],
    ),
    ("410204005", "卧龙街道", (0, 0, 1800, 1300), [("包公湖社区", "包公湖"), ("汴京社区", "汴京")]),
    (
        "410204006",
        "五一街道",
        (1800, 0, 3600, 1300),
        [("五一社区", "五一"), ("劳动路社区", "劳动路")],
    ),
]


def micro_boxes_of(grid: tuple[float, float, float, float], south: bool, custom: bool):
    w, s, e, n = grid
    if custom:  # the grid 寺后街 cuts: one micro-grid south of it, two north of it
        return [(w, s, e, 2250), (w, 2250, 2250, n), (2250, 2250, e, n)]
    if south:  # 2 x 2
        mx, my = (w + e) / 2, (s + n) / 2
        return [(w, s, mx, my), (mx, s, e, my), (w, my, mx, n), (mx, my, e, n)]
    step = (e - w) / 3  # three columns
    return [(w + i * step, s, w + (i + 1) * step, n) for i in range(3)]


def rect(b):
    return box(*b)


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom, kind=""):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
MICRO_NAMES: dict[str, str] = {}


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(box(W, S, E, N))))
    for s_code, s_name, sb, communities in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, e, n = sb
        south = s_name in ("卧龙街道", "五一街道")
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cb = (w + ci * (e - w) / 2, s, w + (ci + 1) * (e - w) / 2, n)
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            for gi in range(2):
                gb = (cb[0], s + gi * (n - s) / 2, cb[2], s + (gi + 1) * (n - s) / 2)
                g_code = f"{c_code}{gi + 1:03d}"
                FEATURES.append(
                    feature(g_code, f"{short}第{gi + 1}网格", "grid", c_code, geo(rect(gb)))
                )
                custom = s_name == "相国寺街道" and ci == 0 and gi == 0
                for mi, mb in enumerate(micro_boxes_of(gb, south, custom)):
                    m_code = f"{g_code}{mi + 1:03d}"
                    name = f"{short}第{gi + 1}网格{mi + 1}号微网格"
                    FEATURES.append(feature(m_code, name, "micro", g_code, geo(rect(mb))))
                    MICROS[m_code] = rect(mb)
                    MICRO_NAMES[m_code] = name
    # the school's own ground, an exclusive grid inside 河道街社区
    FEATURES.append(
        feature(
            "410204002002901",
            "开封市第十三中学",
            "exclusive",
            "410204002002",
            geo(box(1080, 2030, 1180, 2120)),
            "学校",
        )
    )


# ---------------------------------------------------------------- roads
def arc(cx, cy, r, a0, a1, steps=24):
    return [
        (
            round(cx + r * math.cos(math.radians(a0 + (a1 - a0) * i / steps)), 2),
            round(cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / steps)), 2),
        )
        for i in range(steps + 1)
    ]


ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("中山路", "arterial", [(1800, 0), (1800, 2800)]),
    ("自由路", "arterial", [(0, 2000), (3600, 2000)]),
    ("大纸坊街", "secondary", [(0, 1300), (3600, 1300)]),
    ("五一路", "arterial", [(0, 150), (3600, 150)]),
    ("汴京路", "arterial", [(450, 0), (450, 2800)]),
    ("解放路", "arterial", [(3150, 0), (3150, 2800)]),
    ("河道街", "secondary", [(1000, 1300), (1000, 2000), (1060, 2400), (1060, 2800)]),
    ("书店街", "secondary", [(2550, 1300), (2550, 2800)]),
    ("寺后街", "secondary", [(1800, 2250), (3600, 2250)]),
    ("草市街", "secondary", [(1800, 2550), (3600, 2550)]),
    ("鼓楼街", "branch", [(1000, 1600), (2550, 1600)]),
    ("西司门街", "secondary", [(0, 1820), (1800, 1820)]),
    ("包公湖北路", "secondary", [(0, 800), (1600, 800)]),
    ("晋安路", "secondary", [(1100, 0), (1100, 1300)]),
    ("劳动路", "arterial", [(1980, 0), (3600, 1100)]),
    ("环湖路", "branch", arc(800, 800, 250, 180, 360)),
    # lanes in the road file
    ("双龙巷", "branch", [(1300, 2000), (1300, 2380)]),
    ("南京巷", "branch", [(2180, 2000), (2180, 2800)]),
    ("杏花胡同", "branch", [(480, 1500), (760, 1500)]),
    ("油坊胡同", "branch", [(1400, 1150), (1700, 1150)]),
    ("同乐巷", "branch", [(2850, 1400), (2850, 1900)]),
    ("福寿里", "branch", [(3350, 2630), (3550, 2630)]),
    ("仁和里", "branch", [(1950, 400), (1950, 600)]),
    ("建业巷", "branch", [(2600, 480), (2900, 480)]),
    ("百花里", "branch", [(700, 2450), (700, 2700)]),
    ("百花里北巷", "branch", [(620, 2730), (880, 2730)]),
    ("槐树胡同", "branch", [(2000, 1050), (2200, 1050)]),
    ("银杏巷", "branch", [(3400, 1380), (3400, 1600)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "开封市鼓楼区"
BUILDINGS: list[dict] = []  # code, address, x, y, aliases
BY_CODE: dict[str, dict] = {}
PINYIN = {
    "中山路": "Zhongshan Road",
    "自由路": "Ziyou Road",
    "大纸坊街": "Dazhifang Street",
    "五一路": "Wuyi Road",
    "汴京路": "Bianjing Road",
    "解放路": "Jiefang Road",
    "河道街": "Hedao Street",
    "书店街": "Shudian Street",
    "寺后街": "Sihou Street",
    "草市街": "Caoshi Street",
    "鼓楼街": "Gulou Street",
    "西司门街": "Xisimen Street",
    "包公湖北路": "Baogonghu North Road",
    "晋安路": "Jin'an Road",
    "劳动路": "Laodong Road",
}
CODE_KEY = {
    "中山路": "ZS",
    "自由路": "ZY",
    "大纸坊街": "DZF",
    "五一路": "WY",
    "汴京路": "BJ",
    "解放路": "JF",
    "河道街": "HD",
    "书店街": "SD",
    "寺后街": "SH",
    "草市街": "CS",
    "鼓楼街": "GL",
    "西司门街": "XSM",
    "包公湖北路": "BGH",
    "晋安路": "JA",
    "劳动路": "LD",
    "环湖路": "HH",
    "双龙巷": "SLX",
    "南京巷": "NJX",
    "杏花胡同": "XHHT",
    "油坊胡同": "YFHT",
    "同乐巷": "TLX",
    "福寿里": "FSL",
    "仁和里": "RHL",
    "建业巷": "JYX",
    "百花里": "BHL",
    "百花里北巷": "BHLBX",
    "槐树胡同": "HSHT",
    "银杏巷": "YXX",
    "刷绒胡同": "SRHT",
    "财神巷": "CSX",
    "庆丰里": "QFL",
    "永安胡同": "YAHT",
    "聚奎巷": "JKX",
    "游梁里": "YLL",
    "文庙巷": "WMX",
}


def add(code, address, x, y, aliases=()):
    if code in BY_CODE:
        raise SystemExit(f"duplicate code {code}")
    b = {"code": code, "address": address, "x": x, "y": y, "aliases": list(aliases)}
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
    return p.x + k * nx, p.y + k * ny


def door(s: float, side: str, step: float = 20.0) -> int:
    return 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, prefix=CITY, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    out = []
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        out.append(add(f"KF{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases))
    return out


def lane_houses(lane: str, points, prefix=CITY, aliases=None):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"KF{CODE_KEY[lane]}{n}", f"{prefix}{lane}{n}号", x, y, (aliases or {}).get(n, []))


def compound(road: str, number: int, name: str, code: str, spots, prefix=CITY):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{prefix}{road}{number}号院{k}号楼", x, y, [f"{name}{k}号楼"])


def build_buildings() -> None:
    # arterials and streets: landmarks among plain doors
    frontage(
        "中山路",
        [
            (120, "R", []),
            (420, "L", []),
            (700, "R", ["丹尼斯超市中山路店", "丹尼斯中山路店"]),
            (980, "L", []),
            (1180, "R", []),
            (1450, "R", ["鼓楼区人民医院", "区人民医院"]),
            (1720, "L", []),
            (2150, "L", ["建设银行中山路支行", "建行中山路支行"]),
            (2460, "R", []),
            (2700, "L", []),
        ],
    )
    frontage(
        "自由路",
        [
            (230, "L", []),
            (760, "R", []),
            (1150, "L", ["开封市第十三中学", "十三中"]),
            (1530, "R", []),
            (2300, "L", ["大相国寺", "相国寺"]),
            (2900, "R", ["工商银行自由路支行", "工行自由路支行"]),
            (3380, "L", []),
        ],
    )
    frontage(
        "大纸坊街",
        [
            (120, "R", []),
            (540, "L", ["汴京花园南门"]),
            (1200, "R", ["大纸坊街小学"]),
            (1560, "L", []),
            (2080, "R", []),
            (3060, "L", []),
            (3460, "R", []),
        ],
    )
    frontage(
        "五一路",
        [
            (300, "L", []),
            (700, "L", ["五一路农贸市场", "五一市场"]),
            (1400, "R", []),
            (2500, "R", ["鼓楼区妇幼保健院", "区妇幼"]),
            (3000, "L", []),
            (3400, "R", []),
        ],
    )
    frontage(
        "汴京路",
        [
            (260, "R", []),
            (600, "L", []),
            (1100, "R", []),
            (1500, "R", ["汴京花园", "汴京花园西门"]),
            (1900, "L", []),
            (2300, "R", []),
            (2520, "L", ["富丽苑", "富丽苑东门"]),
            (2700, "L", ["开封市中医院", "市中医院"]),
        ],
    )
    frontage(
        "解放路",
        [
            (200, "L", []),
            (500, "R", ["工商银行解放路分理处"]),
            (1000, "L", []),
            (1500, "R", ["解放路小学"]),
            (1880, "L", []),
            (2350, "R", []),
            (2680, "L", ["丹尼斯百货解放路店"]),
        ],
    )
    frontage(
        "河道街",
        [
            (150, "R", []),
            (500, "L", []),
            (1000, "R", []),
            (1270, "R", ["河道街菜市场"]),
            (1420, "L", []),
        ],
    )
    frontage(
        "书店街",
        [
            (120, "L", []),
            (340, "R", ["书香苑", "书香苑西门"]),
            (500, "L", ["书店街新华书店", "新华书店"]),
            (800, "R", []),
            (1050, "L", []),
            (1300, "R", ["中国银行书店街支行", "中行书店街支行"]),
        ],
    )
    frontage(
        "寺后街",
        [
            (150, "L", []),
            (700, "R", []),
            (1280, "L", ["寺后街菜市场"]),
            (1650, "R", []),
        ],
    )
    frontage("草市街", [(340, "L", []), (860, "R", ["草市街派出所"]), (1560, "L", [])])
    frontage(
        "鼓楼街",
        [(360, "L", []), (650, "R", ["鼓楼广场"]), (1150, "L", ["鼓楼街夜市"]), (1440, "R", [])],
    )
    frontage(
        "西司门街",
        [(200, "L", []), (700, "R", ["西司门社区居委会"]), (1300, "L", []), (1650, "R", [])],
    )
    frontage(
        "包公湖北路",
        [
            (200, "L", []),
            (520, "R", ["包公祠"]),
            (800, "R", ["包公湖公园北门"]),
            (1300, "L", []),
        ],
    )
    frontage("晋安路", [(400, "L", ["晋安路加油站"]), (1050, "R", [])])
    frontage(
        "劳动路",
        [
            (300, "L", []),
            (900, "L", ["金明小区", "金明小区南门"]),
            (1400, "R", ["劳动路派出所"]),
            (1750, "L", []),
        ],
    )
    frontage("环湖路", [(200, "L", []), (390, "L", []), (600, "L", ["包公湖公园东门"])])
    # lanes of the road file
    frontage(
        "双龙巷",
        [(40, "L", []), (90, "R", ["双龙巷小学"]), (200, "L", []), (330, "R", [])],
        step=10,
    )
    frontage("南京巷", [(80, "L", []), (380, "R", []), (700, "L", [])], step=10)
    frontage("杏花胡同", [(30, "L", []), (240, "R", [])], step=10)
    frontage("油坊胡同", [(60, "L", []), (200, "R", [])], step=10)
    frontage("同乐巷", [(60, "L", []), (300, "R", []), (460, "L", [])], step=10)
    frontage("福寿里", [(30, "L", []), (150, "R", [])], step=10)
    frontage("仁和里", [(40, "L", []), (160, "R", [])], step=10)
    frontage("建业巷", [(50, "L", []), (260, "R", [])], step=10)
    frontage(
        "百花里", [(30, "L", []), (120, "R", ["百花里社区卫生服务站"]), (220, "L", [])], step=10
    )
    frontage("百花里北巷", [(60, "L", []), (200, "R", [])], step=10)
    frontage("槐树胡同", [(40, "L", []), (160, "R", [])], step=10)
    frontage("银杏巷", [(50, "L", []), (180, "R", [])], step=10)
    # lanes in no road file, known only through their houses
    lane_houses("刷绒胡同", [(1, 1900, 1480), (3, 1950, 1480), (6, 2000, 1468), (9, 2050, 1480)])
    lane_houses(
        "财神巷",
        [(2, 150, 1720), (5, 162, 1780), (8, 150, 1860), (11, 162, 1930)],
        aliases={2: ["财神庙"]},
    )
    lane_houses("庆丰里", [(1, 2880, 2440), (4, 2900, 2500), (7, 2880, 2520)])
    lane_houses("永安胡同", [(3, 1500, 900), (6, 1580, 888), (10, 1660, 900)])
    lane_houses("聚奎巷", [(1, 3350, 360), (5, 3362, 450), (12, 3350, 560)])
    lane_houses("游梁里", [(2, 320, 1000), (7, 410, 1012), (11, 500, 1000), (16, 590, 1012)])
    lane_houses("文庙巷", [(1, 2650, 2300), (4, 2662, 2370), (8, 2650, 2440), (13, 2662, 2490)])
    # 小区: buildings of a 号院 behind the door that carries the 小区's name
    bj = door(1500, "R")
    compound(
        "汴京路",
        bj,
        "汴京花园",
        "KFBJHY",
        [(500, 1420), (560, 1420), (500, 1500), (560, 1500), (500, 1580), (560, 1580)],
    )
    sd = door(340, "R")
    compound(
        "书店街",
        sd,
        "书香苑",
        "KFSXY",
        [(2590, 1590), (2650, 1590), (2590, 1700), (2650, 1700), (2680, 1640)],
    )
    fl = door(2520, "L")
    compound("汴京路", fl, "富丽苑", "KFFLY", [(240, 2470), (330, 2470), (240, 2580), (330, 2580)])
    ld = door(900, "L")
    compound(
        "劳动路",
        ld,
        "金明小区",
        "KFJMXQ",
        [(2800, 820), (2880, 820), (2800, 900), (2880, 900), (2960, 860)],
    )
    # a few rows written with 鼓楼区 only
    for b in (
        fb("自由路", 1530, "R"),
        fb("五一路", 2500, "R"),
        fb("解放路", 1500, "R"),
        fb("书店街", 1300, "R"),
    ):
        b["address"] = b["address"].replace("开封市鼓楼区", "鼓楼区")


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float) -> str:
    p = Point(x, y)
    hits = [c for c, poly in MICROS.items() if poly.contains(p)]
    if len(hits) != 1 or min(MICROS[hits[0]].exterior.distance(p), 99) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


DISTRICT_AREA = box(W, S, E, N)


def micro_of_region(region) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    if not DISTRICT_AREA.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- places
R_CROSS = 30.0  # a crossing without a corner: every point within 30 m
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近: every point within 50 m
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
    d = max(0.1 * dist, 20.0)  # an exact number
    return dist - d, dist + d


def band(o: Point, d: str, lo: float, hi: float, lateral=LATERAL):
    ux, uy = DIRS[d]
    nx, ny = -uy, ux
    pts = [
        (o.x + lo * ux - lateral * nx, o.y + lo * uy - lateral * ny),
        (o.x + hi * ux - lateral * nx, o.y + hi * uy - lateral * ny),
        (o.x + hi * ux + lateral * nx, o.y + hi * uy + lateral * ny),
        (o.x + lo * ux + lateral * nx, o.y + lo * uy + lateral * ny),
    ]
    return Polygon(pts)


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
    kind = spec[0]
    if kind == "b":
        b = BY_CODE[spec[1]]
        return Point(b["x"], b["y"])
    if kind == "x":
        pts = crossings(spec[1], spec[2])
        return pts[0] if len(pts) == 1 else None
    if kind == "none":
        return None
    raise SystemExit(spec)


def place_region(spec):
    """The region a place query means, or None when it means nothing (no such landmark, roads
    that never meet or meet twice)."""
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
    if kind == "near":  # ("near", [building codes] or None)
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(R_NEAR) for c in spec[1]]
        )
    if kind == "lane":  # ("lane", name): its line, 10 m off each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in BUILDINGS if f"{name}" in lane_of(b)]
        return unary_union(parts) if parts else None
    raise SystemExit(spec)


def lane_of(b) -> str:
    a = b["address"].replace("开封市鼓楼区", "").replace("鼓楼区", "")
    return a.split("号")[0].rstrip("0123456789")


def truth(spec) -> tuple[str | None, str | None]:
    kind = spec[0]
    if kind == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    if kind == "refuse":
        return None, None
    region = place_region(spec)
    if region is None or region.is_empty:
        return None, None
    return None, micro_of_region(region)


# ---------------------------------------------------------------- queries
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def B(code):
    return ("b", code)


def NEAR(*codes):
    return ("near", list(codes))


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):  # a landmark by its alias
    return B(code_of_alias(alias))


def fb(road, s, side, step=20.0):
    return BY_CODE[f"KF{CODE_KEY[road]}{door(s, side, step)}"]


def no(b) -> int:
    return int(re.search(r"(\d+)号", b["address"]).group(1))


BJ = door(1500, "R")


def compound_codes(prefix: str, gates: list[str]) -> list[str]:
    return [b["code"] for b in BUILDINGS if b["code"].startswith(prefix)] + [
        code_of_alias(g) for g in gates
    ]


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "市民反映中山路与自由路交叉口东北角有井盖缺失，请处理", X("中山路", "自由路", "东北"))
    q(x, "中山路与自由路交叉口西南角人行道砖松动", X("中山路", "自由路", "西南"))
    q(x, "来电人反映中山路自由路口有人占道经营", X("中山路", "自由路"))
    q(x, "中山路和大纸坊街交汇处西北角垃圾堆放多日无人清运", X("中山路", "大纸坊街", "西北"))
    q(x, "大纸坊街、中山路路口东南角路灯不亮", X("大纸坊街", "中山路", "东南"))
    q(x, "中山路/五一路 红绿灯故障", X("中山路", "五一路"))
    q(x, "中山路与五一路交叉口东北角有共享单车乱停放", X("中山路", "五一路", "东北"))
    q(x, "市民反映中山路与鼓楼街交叉口东北角下水道反味", X("中山路", "鼓楼街", "东北"))
    q(x, "中山路鼓楼街口西北角早点摊油烟扰民", X("中山路", "鼓楼街", "西北"))
    q(x, "中山路与鼓楼街交叉口有车辆乱停", X("中山路", "鼓楼街"))
    q(x, "中山路寺后街口东北角绿化带有枯树", X("中山路", "寺后街", "东北"))
    q(x, "汴京路与自由路交叉口东北角有大坑", X("汴京路", "自由路", "东北"))
    q(x, "来电人称汴京路自由路交叉口东南角的垃圾桶满溢", X("汴京路", "自由路", "东南"))
    q(x, "汴京路和自由路交汇处施工噪音大", X("汴京路", "自由路"))
    q(x, "汴京路与西司门街交叉口路面塌陷", X("汴京路", "西司门街"))
    q(x, "汴京路西司门街路口积水严重，行人无法通行", X("汴京路", "西司门街"))
    q(x, "汴京路与大纸坊街交叉口东北角井盖破损", X("汴京路", "大纸坊街", "东北"))
    q(x, "汴京路、五一路路口西南角有人焚烧垃圾", X("汴京路", "五一路", "西南"))
    q(x, "汴京路与包公湖北路交叉口有流浪犬", X("汴京路", "包公湖北路"))
    q(x, "汴京路包公湖北路口东北角护栏倒了", X("汴京路", "包公湖北路", "东北"))
    q(x, "解放路与寺后街交叉口信号灯不亮", X("解放路", "寺后街"))
    q(x, "解放路寺后街路口早高峰拥堵，希望加派交警", X("解放路", "寺后街"))
    q(x, "解放路与草市街交汇处有占道摆摊", X("解放路", "草市街"))
    q(x, "解放路与自由路交叉口西北角的公交站牌损坏", X("解放路", "自由路", "西北"))
    q(x, "解放路/大纸坊街 东南角 路灯杆倾斜", X("解放路", "大纸坊街", "东南"))
    q(x, "解放路与劳动路交叉口车辆违停", X("解放路", "劳动路"))
    q(x, "河道街与鼓楼街交叉口下水道堵塞", X("河道街", "鼓楼街"))
    q(x, "河道街鼓楼街口有渣土车撒漏", X("河道街", "鼓楼街"))
    q(x, "河道街与西司门街交叉口井盖缺失", X("河道街", "西司门街"))
    q(x, "河道街与自由路交叉口东北角电线杆倾斜", X("河道街", "自由路", "东北"))
    q(x, "河道街与自由路交叉口有人乱贴小广告", X("河道街", "自由路"))
    q(x, "书店街与鼓楼街交叉口夜市噪音扰民", X("书店街", "鼓楼街"))
    q(x, "书店街和草市街交汇处树枝挡住了路灯", X("书店街", "草市街"))
    q(x, "书店街与自由路交叉口西北角地砖破损", X("书店街", "自由路", "西北"))
    q(x, "书店街寺后街口东北角有建筑垃圾", X("书店街", "寺后街", "东北"))
    q(x, "书店街与寺后街交叉口电动车乱停", X("书店街", "寺后街"))
    q(x, "书店街与大纸坊街交叉口西北角商户外摆", X("书店街", "大纸坊街", "西北"))
    q(x, "南京巷与草市街交叉口路灯不亮", X("南京巷", "草市街"))
    q(x, "晋安路与五一路交叉口有积水", X("晋安路", "五一路"))
    q(x, "晋安路包公湖北路口井盖松动，车过有响声", X("晋安路", "包公湖北路"))
    q(x, "劳动路与五一路交叉口红绿灯时间太短", X("劳动路", "五一路"))
    q(x, "中山路与自由路交叉口往东50米路面有坑", X("中山路", "自由路", None, ("东", 50, "exact")))
    q(
        x,
        "书店街与鼓楼街交叉口往北100米有人倾倒垃圾",
        X("书店街", "鼓楼街", None, ("北", 100, "exact")),
    )
    q(
        x,
        "解放路寺后街路口往南约150米有个井盖坏了",
        X("解放路", "寺后街", None, ("南", 150, "about")),
    )
    q(
        x,
        "汴京路与西司门街交叉口往西80米有堆放的杂物",
        X("汴京路", "西司门街", None, ("西", 80, "exact")),
    )
    q(x, "五一路晋安路口往东100多米有占道经营", X("五一路", "晋安路", None, ("东", 100, "more")))
    # roads that never meet, or meet twice
    q(x, "包公湖北路与中山路交叉口井盖缺失", X("包公湖北路", "中山路"))
    q(x, "劳动路与大纸坊街交叉口红绿灯坏了", X("劳动路", "大纸坊街"))
    q(x, "河道街与包公湖北路交叉口有积水", X("河道街", "包公湖北路"))
    q(x, "寺后街与汴京路路口有人摆摊", X("寺后街", "汴京路"))
    q(x, "环湖路与包公湖北路交叉口路灯不亮", X("环湖路", "包公湖北路"))
    q(x, "自由路与大纸坊街交叉口东北角", X("自由路", "大纸坊街", "东北"))
    q(x, "五一路与书店街交叉口有积水", X("五一路", "书店街"))

    # --- landmark_offset ----------------------------------------------------------------
    o = "landmark_offset"
    q(o, "十三中向北200米有私搭乱建", OFF(A("十三中"), "北", 200))
    q(
        o,
        "开封市第十三中学往东走100多米，路北有人占道",
        OFF(A("十三中"), "东", 100, "more", ("自由路", "北")),
    )
    q(
        o,
        "市民反映鼓楼区人民医院以南约300米路东有油烟扰民",
        OFF(A("鼓楼区人民医院"), "南", 300, "about", ("中山路", "东")),
    )
    q(o, "区人民医院北边100米，井盖没了", OFF(A("区人民医院"), "北", 100))
    q(
        o,
        "建设银行中山路支行往北200米路西的人行道被挖开了",
        OFF(A("建设银行中山路支行"), "北", 200, side=("中山路", "西")),
    )
    q(
        o,
        "丹尼斯超市中山路店向南200米路东有积水",
        OFF(A("丹尼斯超市中山路店"), "南", 200, side=("中山路", "东")),
    )
    q(o, "五一路农贸市场往东走300多米有人烧垃圾", OFF(A("五一路农贸市场"), "东", 300, "more"))
    q(o, "五一市场西侧50米路灯不亮", OFF(A("五一市场"), "西", 50))
    q(o, "鼓楼区妇幼保健院以东约100米有大坑", OFF(A("鼓楼区妇幼保健院"), "东", 100, "about"))
    q(
        o,
        "来电人反映河道街菜市场向南150米路东下水道冒水",
        OFF(A("河道街菜市场"), "南", 150, side=("河道街", "东")),
    )
    q(
        o,
        "中国银行书店街支行往南100米左右有违章广告牌",
        OFF(A("中国银行书店街支行"), "南", 100, "about"),
    )
    q(o, "新华书店北侧50米有共享单车堆放", OFF(A("新华书店"), "北", 50))
    q(
        o,
        "寺后街菜市场往西200米路南垃圾没人清",
        OFF(A("寺后街菜市场"), "西", 200, side=("寺后街", "南")),
    )
    q(
        o,
        "解放路小学向北约200米路东有流动摊贩",
        OFF(A("解放路小学"), "北", 200, "about", ("解放路", "东")),
    )
    q(o, "丹尼斯百货解放路店往南100米有乱贴广告", OFF(A("丹尼斯百货解放路店"), "南", 100))
    q(
        o,
        "汴京花园西门往北300米路东，路灯坏了",
        OFF(A("汴京花园西门"), "北", 300, side=("汴京路", "东")),
    )
    q(o, "汴京花园南门以东约150米有人遛狗不牵绳", OFF(A("汴京花园南门"), "东", 150, "about"))
    q(
        o,
        "包公湖公园北门往东走300多米，路北有违建",
        OFF(A("包公湖公园北门"), "东", 300, "more", ("包公湖北路", "北")),
    )
    q(o, "包公湖公园东门以南200米左右有人钓鱼", OFF(A("包公湖公园东门"), "南", 200, "about"))
    q(o, "金明小区南门往西100米左右有人摆摊", OFF(A("金明小区南门"), "西", 100, "about"))
    q(o, "劳动路派出所向北100米有积水", OFF(A("劳动路派出所"), "北", 100))
    q(
        o,
        "草市街派出所往西150米路北有噪音",
        OFF(A("草市街派出所"), "西", 150, side=("草市街", "北")),
    )
    q(
        o,
        "西司门社区居委会以北约100米，有人私拉电线",
        OFF(A("西司门社区居委会"), "北", 100, "about"),
    )
    q(o, "鼓楼广场往西走200多米，地面塌陷", OFF(A("鼓楼广场"), "西", 200, "more"))
    q(
        o,
        "位于汴京路百花里向北200米路西",
        OFF(("x", "汴京路", "百花里"), "北", 200, side=("百花里", "西")),
    )
    q(
        o,
        "位于自由路双龙巷向北200米路西，有人私搭棚子",
        OFF(X("自由路", "双龙巷", None, None)[:3], "北", 200, side=("双龙巷", "西")),
    )
    q(
        o,
        "中山路与自由路交叉口向南100米路东有人占道",
        OFF(X("中山路", "自由路")[:3], "南", 100, side=("中山路", "东")),
    )
    q(
        o,
        "中山路与自由路交叉口向北150米路西井盖缺失",
        OFF(X("中山路", "自由路")[:3], "北", 150, side=("中山路", "西")),
    )
    q(
        o,
        "河道街与鼓楼街交叉口以东约200米有个大坑",
        OFF(X("河道街", "鼓楼街")[:3], "东", 200, "about"),
    )
    q(
        o,
        "解放路与寺后街交叉口往北约200米路西有违停",
        OFF(X("解放路", "寺后街")[:3], "北", 200, "about", ("解放路", "西")),
    )
    q(o, "晋安路与五一路交叉口往北300米，路边垃圾成堆", OFF(X("晋安路", "五一路")[:3], "北", 300))
    q(o, "书店街与草市街交叉口以西100米", OFF(X("书店街", "草市街")[:3], "西", 100))
    q(
        o,
        "汴京路与五一路交叉口以南约300米有人倾倒渣土",
        OFF(X("汴京路", "五一路")[:3], "南", 300, "about"),
    )
    q(
        o,
        "解放路与自由路交叉口往东600米路北",
        OFF(X("解放路", "自由路")[:3], "东", 600, side=("自由路", "北")),
    )
    q(o, "开封市第二人民医院西侧50米有人占道", OFF(("none",), "西", 50))
    q(o, "鼓楼区实验中学往北100米路灯不亮", OFF(("none",), "北", 100))
    q(o, "大相国寺往南200米有井盖缺失", OFF(A("大相国寺"), "南", 200))
    q(o, "相国寺以北约100米有人摆摊", OFF(A("相国寺"), "北", 100, "about"))
    q(o, "包公祠往西走100米左右，有堆放的建筑垃圾", OFF(A("包公祠"), "西", 100, "about"))
    q(o, "市中医院向北200米", OFF(A("市中医院"), "北", 200))
    q(o, "大纸坊街小学往南走200多米有井盖缺失", OFF(A("大纸坊街小学"), "南", 200, "more"))
    q(o, "富丽苑东门往南200米有车辆乱停", OFF(A("富丽苑东门"), "南", 200))
    q(
        o,
        "晋安路加油站往北约400米路西",
        OFF(A("晋安路加油站"), "北", 400, "about", ("晋安路", "西")),
    )
    q(
        o,
        "工行自由路支行往西100米路南有人乞讨",
        OFF(A("工行自由路支行"), "西", 100, side=("自由路", "南")),
    )

    # --- lane_alone ---------------------------------------------------------------------
    la = "lane_alone"
    q(la, "百花里北巷路灯坏了好几天了", ("lane", "百花里北巷"))
    q(la, "百花里有人私搭乱建", ("lane", "百花里"))
    q(la, "双龙巷下水道堵了，污水漫到路上", ("lane", "双龙巷"))
    q(la, "来电人反映双龙巷内有车辆长期占道", ("lane", "双龙巷"))
    q(la, "油坊胡同路面坑洼", ("lane", "油坊胡同"))
    q(la, "福寿里垃圾几天没人收", ("lane", "福寿里"))
    q(la, "仁和里有一户养狗扰民", ("lane", "仁和里"))
    q(la, "市民称仁和里的路灯全不亮", ("lane", "仁和里"))
    q(la, "槐树胡同里面电线乱拉，存在安全隐患", ("lane", "槐树胡同"))
    q(la, "银杏巷污水井冒水", ("lane", "银杏巷"))
    q(la, "刷绒胡同有人在家里开小作坊，噪音大", ("lane", "刷绒胡同"))
    q(la, "财神巷路面结冰，老人出行困难", ("lane", "财神巷"))
    q(la, "庆丰里楼道堆满杂物", ("lane", "庆丰里"))
    q(la, "永安胡同 有人占用消防通道", ("lane", "永安胡同"))
    q(la, "聚奎巷有人焚烧垃圾", ("lane", "聚奎巷"))
    q(la, "反映聚奎巷的化粪池满了", ("lane", "聚奎巷"))
    q(la, "南京巷有人乱倒建筑垃圾", ("lane", "南京巷"))
    q(la, "杏花胡同路灯不亮", ("lane", "杏花胡同"))
    q(la, "同乐巷里面车辆乱停，消防车进不去", ("lane", "同乐巷"))
    q(la, "建业巷下水道堵塞", ("lane", "建业巷"))
    q(la, "游梁里有违章建筑", ("lane", "游梁里"))
    q(la, "文庙巷的路面塌了一块", ("lane", "文庙巷"))
    q(la, "梨园巷有人半夜施工", ("lane", "梨园巷"))
    q(la, "东三胡同垃圾堆放", ("lane", "东三胡同"))
    q(la, "柳树里路灯坏了", ("lane", "柳树里"))

    # --- near ---------------------------------------------------------------------------
    n = "near"
    q(n, "河道街菜市场旁边垃圾堆积", NEAR(code_of_alias("河道街菜市场")))
    q(n, "双龙巷小学门口有流动摊贩，影响学生上学", NEAR(code_of_alias("双龙巷小学")))
    q(n, "中国银行书店街支行门口的地砖坏了", NEAR(code_of_alias("中行书店街支行")))
    q(n, "新华书店对面有人占道经营", NEAR(code_of_alias("书店街新华书店")))
    q(n, "寺后街菜市场附近下水道反味", NEAR(code_of_alias("寺后街菜市场")))
    q(n, "五一路农贸市场门口车辆乱停", NEAR(code_of_alias("五一路农贸市场")))
    q(n, "区妇幼隔壁在装修，噪音大", NEAR(code_of_alias("区妇幼")))
    q(n, "解放路小学门口早上堵车", NEAR(code_of_alias("解放路小学")))
    q(n, "丹尼斯百货解放路店旁边有个井盖缺失", NEAR(code_of_alias("丹尼斯百货解放路店")))
    q(n, "包公湖公园北门附近有人遛狗不拴绳", NEAR(code_of_alias("包公湖公园北门")))
    q(n, "包公湖公园东门门口积水", NEAR(code_of_alias("包公湖公园东门")))
    q(n, "金明小区附近有人烧烤油烟大", NEAR(*compound_codes("KFJMXQ", ["金明小区"])))
    q(n, "汴京花园附近路灯不亮", NEAR(*compound_codes("KFBJHY", ["汴京花园", "汴京花园南门"])))
    q(n, "财神庙旁边有人乱扔垃圾", NEAR(code_of_alias("财神庙")))
    q(n, "草市街派出所对面的人行道被占", NEAR(code_of_alias("草市街派出所")))
    q(n, "西司门社区居委会隔壁漏水", NEAR(code_of_alias("西司门社区居委会")))
    q(n, "晋安路加油站旁边有人卖假油", NEAR(code_of_alias("晋安路加油站")))
    q(n, "百花里社区卫生服务站门口有垃圾", NEAR(code_of_alias("百花里社区卫生服务站")))
    q(n, "鼓楼区人民医院门口黑车拉客", NEAR(code_of_alias("鼓楼区人民医院")))
    q(n, "大相国寺附近有人强行兜售香火", NEAR(code_of_alias("大相国寺")))
    q(n, "建行中山路支行旁边的垃圾桶坏了", NEAR(code_of_alias("建行中山路支行")))
    q(n, "十三中门口有人卖三无食品", NEAR(code_of_alias("十三中")))
    q(n, "大纸坊街小学对面网吧接纳未成年人", NEAR(code_of_alias("大纸坊街小学")))
    q(n, "书香苑附近施工扰民", NEAR(*compound_codes("KFSXY", ["书香苑"])))
    q(n, "包公祠旁边有人乱停车", NEAR(code_of_alias("包公祠")))
    q(n, "工商银行解放路分理处门口有人发小广告", NEAR(code_of_alias("工商银行解放路分理处")))
    q(n, "鼓楼广场附近夜里广场舞声音大", NEAR(code_of_alias("鼓楼广场")))
    q(n, "开封市第一人民医院门口有人乱停车", NEAR())
    q(n, "万达广场附近路灯不亮", NEAR())
    q(n, "鼓楼街夜市旁边油烟大", NEAR(code_of_alias("鼓楼街夜市")))

    # --- english_order ------------------------------------------------------------------
    e = "english_order"
    zy, sd, zs = fb("自由路", 1530, "R"), fb("书店街", 1300, "R"), fb("中山路", 120, "R")
    wy, jf, dz = fb("五一路", 2500, "R"), fb("解放路", 1500, "R"), fb("大纸坊街", 3060, "L")
    sh, yx, hs = fb("寺后街", 1280, "L"), fb("银杏巷", 50, "L", 10), fb("槐树胡同", 160, "R", 10)
    for text, code in [
        (f"No. {no(zy)}, Ziyou Road, Gulou District, Kaifeng", zy["code"]),
        (f"No.{no(sd)} Shudian Street, Gulou District, Kaifeng, Henan", sd["code"]),
        (f"No. {no(zs)}, Zhongshan Road, Gulou District", zs["code"]),
        (f"No. {no(wy)} Wuyi Road, Gulou, Kaifeng", wy["code"]),
        (f"No. {no(jf)}, Jiefang Road, Gulou District, Kaifeng City", jf["code"]),
        (f"No. {no(dz)}, Dazhifang Street, Gulou District, Kaifeng", dz["code"]),
        (f"Building 3, No. {BJ} Bianjing Road, Gulou District, Kaifeng", "KFBJHYB3"),
        (
            f"No. {no(fb('双龙巷', 40, 'L', 10))}, Shuanglong Lane, Gulou District, Kaifeng",
            fb("双龙巷", 40, "L", 10)["code"],
        ),
        (
            f"No. {no(fb('油坊胡同', 60, 'L', 10))}, Youfang Hutong, Gulou District",
            fb("油坊胡同", 60, "L", 10)["code"],
        ),
        (
            f"{no(fb('中山路', 1450, 'R'))}号，中山路，鼓楼区，开封市",
            fb("中山路", 1450, "R")["code"],
        ),
        ("6号，刷绒胡同，鼓楼区，开封市", "KFSRHT6"),
        (f"2号楼，汴京路{BJ}号院，鼓楼区，开封市", "KFBJHYB2"),
        ("1号，庆丰里，开封市鼓楼区", "KFQFL1"),
        (f"{no(sh)}号 寺后街 鼓楼区 开封", sh["code"]),
        (f"{no(yx)}号，银杏巷，开封市鼓楼区", yx["code"]),
        (f"{no(hs)}号，槐树胡同，鼓楼区", hs["code"]),
        ("3号，聚奎巷，鼓楼区", None),
    ]:
        q(e, text, ("bld", code))

    # --- building -----------------------------------------------------------------------
    bq = "building"
    for text, code in [
        (fb("中山路", 1450, "R")["address"], fb("中山路", 1450, "R")["code"]),
        (zy["address"], zy["code"]),
        (fb("双龙巷", 40, "L", 10)["address"], fb("双龙巷", 40, "L", 10)["code"]),
        (f"汴京路{BJ}号院3号楼", "KFBJHYB3"),
        ("汴京花园5号楼", "KFBJHYB5"),
        ("书香苑2号楼", "KFSXYB2"),
        ("金明小区1号楼", "KFJMXQB1"),
        ("开封市鼓楼区刷绒胡同9号", "KFSRHT9"),
        ("财神巷5号", "KFCSX5"),
        ("游梁里11号", "KFYLL11"),
        ("文庙巷4号", "KFWMX4"),
        ("鼓楼区人民医院", code_of_alias("鼓楼区人民医院")),
        ("开封市第十三中学", code_of_alias("开封市第十三中学")),
        ("双龙巷小学", code_of_alias("双龙巷小学")),
        ("寺后街菜市场", code_of_alias("寺后街菜市场")),
        ("工商银行自由路支行", code_of_alias("工商银行自由路支行")),
        ("包公湖公园北门", code_of_alias("包公湖公园北门")),
        (fb("书店街", 500, "L")["address"], fb("书店街", 500, "L")["code"]),
        (f"同乐巷{no(fb('同乐巷', 460, 'L', 10))}号", fb("同乐巷", 460, "L", 10)["code"]),
        (
            f"百花里北巷{no(fb('百花里北巷', 200, 'R', 10))}号",
            fb("百花里北巷", 200, "R", 10)["code"],
        ),
        (fb("鼓楼街", 1150, "L")["address"], fb("鼓楼街", 1150, "L")["code"]),
        ("开封市鼓楼区中山路147号", None),
        ("双龙巷100号", None),
        (f"汴京路{BJ}号院9号楼", None),
        ("财神巷6号", None),
        ("开封市鼓楼区劳动路2号", None),
    ]:
        assert code is None or code in BY_CODE, code
        q(bq, text, ("bld", code))
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
    for kind, text, spec in queries():
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
