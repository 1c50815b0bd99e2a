"""Write the place-description evaluation district: 云南省昆明市五华区.

    python bench/data/place_wuhua/make_district.py

One grid tree in two parts: an urban core (华山街道, 护国街道, 莲华街道, with roads, 街, 巷, 坡
and 小区) and a rural east (西翥街道, 厂口街道, with 行政村 whose houses are written by 组 —
`五华区西翥街道沙朗村3组12号` —, by 自然村 — `五华区厂口街道大营村上村8号` — or numbered across
the village — `五华区西翥街道龙庆村36号`). The 街道 and the urban road names are 五华区's; the
communities, villages, 自然村, lanes, door numbers, landmarks' positions and all geometry are
ours: a layout in metres over a 7.2 km x 3 km box, turned into WGS-84 at 昆明.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. After writing, the
files are read back and checked.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 102.6550, 25.0350  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("530102", "五华区")
W, S, E, N = 0.0, 0.0, 7200.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name, box of 1200 m x 1500 m)
STREETS = [
    (
        "530102001",
        "华山街道",
        (0, 1500, 2400, 3000),
        [
            ("翠湖社区", "翠湖", (0, 1500, 1200, 3000)),
            ("文明社区", "文明", (1200, 1500, 2400, 3000)),
        ],
    ),
    (
        "530102002",
        "护国街道",
        (0, 0, 2400, 1500),
        [("正义社区", "正义", (0, 0, 1200, 1500)), ("甬道社区", "甬道", (1200, 0, 2400, 1500))],
    ),
    (
        "530102005",
        "莲华街道",
        (2400, 0, 3600, 3000),
        [
            ("学府社区", "学府", (2400, 1500, 3600, 3000)),
            ("西站社区", "西站", (2400, 0, 3600, 1500)),
        ],
    ),
]

# rural streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar": six micro-grids named after the 组 (`沙朗村3组`); "natural": six micro-grids named
# after the 自然村 (`大营村上村`); "plain": six plain micro-grids; "small": a village numbered
# across, two micro-grids.
RURAL = [
    (
        "530102010",
        "西翥街道",
        (3600, 1500, 7200, 3000),
        [
            ("沙朗村", "SL", "zu_ar"),
            ("乐居村", "LJ", "plain"),
            ("桃园村", "TYX", "small"),
            ("龙庆村", "LQ", "small"),
            ("普达村", "PD", "small"),
        ],
    ),
    (
        "530102011",
        "厂口街道",
        (3600, 0, 7200, 1500),
        [
            ("大营村", "DY", "natural"),
            ("小厂村", "XCC", "plain"),
            ("桃园村", "TYC", "small"),
            ("花红村", "HH", "small"),
            ("蒙谷村", "MG", "small"),
        ],
    ),
]
NATURAL_MICRO = {"DY": ["下村", "中村", "小村", "上村", "李家营", "新村"]}


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
        for ci, (c_name, short, cb) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cw, cs, _ce, _cn = cb
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            for gi in range(2):
                gs, gn = cs + gi * 750, cs + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                FEATURES.append(
                    feature(g_code, g_name, "grid", c_code, geo(box(cw, gs, cw + 1200, gn)))
                )
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
                    elif style == "natural":
                        name = f"{v_name}{NATURAL_MICRO[key][m - 1]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
# Micro-grid borders: x every 400 m, y every 750 m. Street borders: y 1500 (x < 2400 and
# x > 3600), x 2400 and x 3600; community borders x 1200, 6000 (村 borders x 4800, 6000, 6400,
# 6800) and y 1500 inside 莲华街道.
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("人民中路", "arterial", [(0, 1500), (2400, 1500)]),
    ("人民西路", "arterial", [(2400, 1500), (3600, 1500)]),
    ("东风西路", "arterial", [(0, 400), (3600, 400)]),
    ("北京路", "arterial", [(1200, 0), (1200, 3000)]),
    ("青年路", "secondary", [(1800, 0), (1800, 3000)]),
    ("正义路", "secondary", [(600, 400), (600, 1500)]),
    ("华山南路", "secondary", [(600, 1500), (600, 2350)]),
    ("翠湖南路", "secondary", [(200, 2350), (1100, 2350)]),
    ("翠湖北路", "secondary", [(200, 2900), (1100, 2900)]),
    ("一二一大街", "secondary", [(2400, 2600), (3600, 2600)]),
    ("学府路", "secondary", [(3000, 1500), (3000, 3000)]),
    ("龙泉路", "arterial", [(3600, 0), (3600, 3000)]),
    ("滇缅大道", "arterial", [(0, 1000), (5700, 1000)]),
    ("西昌路", "secondary", [(2600, 0), (2600, 1500)]),
    # the old town's 街
    ("文明街", "branch", [(1400, 1700), (1400, 2150)]),
    ("甬道街", "branch", [(1450, 900), (1750, 900)]),
    ("景星街", "branch", [(1650, 2100), (1950, 2100), (1950, 1900), (1650, 1900)]),
    ("光华街", "branch", [(1250, 2800), (1550, 2800)]),
    ("钱局街", "branch", [(100, 1550), (100, 2200)]),
    # lanes in the road file
    ("染布巷", "branch", [(300, 1100), (300, 1350)]),
    ("大梅园巷", "branch", [(1400, 2350), (1400, 2650)]),
    ("小梅园巷", "branch", [(1650, 2400), (1950, 2400)]),
    ("节孝巷", "branch", [(2150, 1200), (2150, 1450)]),
    ("文化巷", "branch", [(2700, 2600), (2700, 2950)]),
    ("铁局巷", "branch", [(900, 200), (1100, 200)]),
    # the rural east
    ("厂沙公路", "arterial", [(3600, 1500), (7200, 1500)]),
    ("桃园路", "secondary", [(6000, 0), (6000, 3000)]),
    ("西翥路", "secondary", [(3600, 2450), (7000, 2450)]),
    ("厂口街", "secondary", [(4300, 250), (5950, 250)]),
    ("沙朗路", "branch", [(4320, 1600), (4320, 2900)]),
    ("大营路", "branch", [(3920, 80), (3920, 620), (4520, 620)]),
    ("小厂路", "branch", [(5450, 100), (5450, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "五华区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "人民中路": "RMZL",
    "人民西路": "RMXL",
    "东风西路": "DFXL",
    "北京路": "BJL",
    "青年路": "QNL",
    "正义路": "ZYL",
    "华山南路": "HSNL",
    "翠湖南路": "CHNL",
    "翠湖北路": "CHBL",
    "一二一大街": "YEY",
    "学府路": "XFL",
    "西昌路": "XCL",
    "滇缅大道": "DMDD",
    "文明街": "WMJ",
    "甬道街": "YDJ",
    "景星街": "JXJ",
    "光华街": "GHJ",
    "钱局街": "QJJ",
    "染布巷": "RBX",
    "大梅园巷": "DMYX",
    "小梅园巷": "XMYX",
    "节孝巷": "JXX",
    "文化巷": "WHX",
    "铁局巷": "TJX",
    "厂沙公路": "CSGL",
    "西翥路": "XZL",
    "厂口街": "CKJ",
    "先生坡": "XSP",
    "西仓坡": "XCP",
    "府甬道": "FYD",
    "同仁巷": "TRX",
    "永宁巷": "YNX",
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
        add(f"WH{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"WH{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"WH{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(road: str, n: int, name: str, code: str, spots):
    """The 幢 of a 小区 whose gate is door n of a road: `五华区学府路51号学府花园3幢`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{road}{n}号{name}{k}幢",
            x,
            y,
            [f"{name}{k}幢", f"{name}{k}栋"],
            compound=name,
        )


TOWN_OF = {
    "SL": "西翥街道",
    "LJ": "西翥街道",
    "TYX": "西翥街道",
    "LQ": "西翥街道",
    "PD": "西翥街道",
    "DY": "厂口街道",
    "XCC": "厂口街道",
    "TYC": "厂口街道",
    "HH": "厂口街道",
    "MG": "厂口街道",
}
VILLAGE_OF = {
    "SL": "沙朗村",
    "LJ": "乐居村",
    "TYX": "桃园村",
    "LQ": "龙庆村",
    "PD": "普达村",
    "DY": "大营村",
    "XCC": "小厂村",
    "TYC": "桃园村",
    "HH": "花红村",
    "MG": "蒙谷村",
}
ZU_STYLE = {"SL": "ar", "LJ": "cn", "DY": "natural", "XCC": "natural"}
NATURAL = {
    "DY": ["下村", "中村", "小村", "上村", "李家营", "新村"],
    "XCC": ["大村", "小村", "马家营", "白石岩", "后山", "大箐"],
}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu) -> str:
    if isinstance(zu, str):  # a 自然村
        return zu
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def zu_key(key: str, zu) -> str:
    if zu is None:
        return "00"
    if isinstance(zu, str):
        return f"N{NATURAL[key].index(zu) + 1}"
    return f"{zu:02d}"


def rural_houses(key: str, zu, centre, numbers, aliases=None):
    """Houses of a 村民小组 (zu a number), of a 自然村 (zu its name) or of a village numbered
    across (zu None) around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        zt = zu_text(key, zu) if zu else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"WH{key}{zu_key(key, zu)}{n:03d}",
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
    frontage(
        "人民中路",
        [
            (150, "L", []),
            (500, "R", ["工商银行人民中路支行", "工行人民中路支行"]),
            (900, "L", ["小西门地铁站", "地铁小西门站"]),
            (1450, "R", []),
            (1700, "L", ["昆明市第十中学", "昆十中"]),
            (2200, "R", []),
        ],
    )
    frontage(
        "人民西路",
        [(200, "L", []), (700, "R", ["农业银行人民西路支行", "农行人民西路支行"]), (1000, "L", [])],
    )
    frontage(
        "东风西路",
        [
            (100, "L", []),
            (450, "R", ["篆塘菜市场", "篆塘农贸市场"]),
            (900, "L", ["富滇银行东风西路支行"]),
            (1400, "R", ["五一路地铁站", "地铁五一路站"]),
            (2050, "L", ["建设银行东风西路支行", "建行东风西路支行"]),
            (2300, "R", []),
            (2900, "L", ["五华区人民医院"]),
            (3300, "R", []),
        ],
    )
    frontage(
        "北京路",
        [
            (300, "L", []),
            (900, "R", []),
            (2000, "R", ["昆明市第一人民医院", "市一院", "市第一人民医院"]),
            (2600, "L", []),
        ],
    )
    frontage(
        "青年路",
        [
            (150, "L", []),
            (700, "R", ["邮政储蓄银行青年路支行", "邮储青年路支行"]),
            (1250, "L", ["护国派出所"]),
            (1700, "R", []),
            (2300, "L", ["文明社区居委会"]),
            (2700, "R", ["圆通山", "圆通山动物园", "昆明动物园"]),
            (2900, "L", ["圆通寺"]),
        ],
    )
    frontage(
        "正义路",
        [
            (200, "L", ["武成小学"]),
            (450, "L", ["福林苑", "福林苑东门"]),
            (500, "R", ["富滇银行正义路支行"]),
            (900, "L", ["正义社区居委会"]),
        ],
    )
    frontage(
        "华山南路", [(200, "R", ["华山派出所"]), (500, "L", ["翠湖社区居委会"]), (650, "R", [])]
    )
    frontage(
        "翠湖南路",
        [
            (300, "L", ["翠湖公园", "翠湖公园南门", "翠湖"]),
            (700, "R", ["云南省图书馆", "省图书馆"]),
            (850, "L", []),
        ],
    )
    frontage(
        "翠湖北路",
        [(300, "R", ["翠湖公园北门"]), (700, "L", ["云南陆军讲武堂", "陆军讲武堂", "讲武堂"])],
    )
    frontage(
        "一二一大街",
        [
            (150, "R", []),
            (200, "L", ["云南大学", "云大", "云南大学东陆校区"]),
            (450, "R", ["云南师范大学", "云师大"]),
            (850, "L", ["工商银行一二一大街支行", "工行一二一支行"]),
            (1100, "R", []),
        ],
    )
    frontage(
        "学府路",
        [
            (200, "R", ["莲华派出所"]),
            (500, "L", ["学府花园", "学府花园东门"]),
            (800, "R", ["云南师范大学附属中学", "师大附中"]),
            (1300, "L", ["农业银行学府路支行", "农行学府路支行"]),
        ],
    )
    frontage(
        "西昌路",
        [
            (300, "R", ["昆明市第一中学", "昆一中"]),
            (900, "L", ["西站农贸市场", "西站菜市场"]),
            (1250, "L", ["西站社区居委会"]),
            (1300, "R", ["潘家湾地铁站", "地铁潘家湾站"]),
        ],
    )
    frontage(
        "滇缅大道",
        [
            (150, "L", []),
            (500, "R", ["滇缅大道加油站"]),
            (1400, "L", []),
            (2100, "R", []),
            (3000, "L", ["西站公交枢纽", "西站公交站"]),
            (3300, "R", []),
            (4300, "L", []),
            (5300, "R", ["小厂加油站"]),
        ],
    )
    # the old town's 街 and the lanes of the road file
    frontage("文明街", [(100, "L", []), (350, "R", ["文明街菜市场"])], step=10)
    frontage("甬道街", [(50, "L", ["甬道社区居委会"]), (250, "R", [])], step=10)
    frontage("景星街", [(100, "L", []), (500, "R", ["景星花鸟市场"])], step=10)
    frontage("光华街", [(100, "L", []), (250, "R", [])], step=10)
    frontage("钱局街", [(100, "R", []), (500, "L", [])], step=10)
    frontage("染布巷", [(50, "L", []), (200, "R", [])], step=10)
    frontage("大梅园巷", [(40, "L", []), (250, "R", [])], step=10)
    frontage("小梅园巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("节孝巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("文化巷", [(50, "L", []), (300, "R", [])], step=10)
    frontage("铁局巷", [(40, "R", []), (180, "L", [])], step=10)
    # lanes (巷, 坡, 府甬道) in no road file
    lane_houses("先生坡", [(2, 700, 2600), (5, 712, 2650), (9, 700, 2700)])
    lane_houses("西仓坡", [(3, 2500, 2900), (8, 2550, 2912), (12, 2600, 2900)])
    lane_houses("府甬道", [(1, 1170, 1900), (6, 1230, 1900), (10, 1240, 1960)])
    lane_houses("同仁巷", [(4, 1000, 1250), (7, 1012, 1300), (11, 1000, 1350)])
    lane_houses("永宁巷", [(2, 3300, 600), (5, 3350, 612)])
    # 小区: a gate door with the 小区's name, and its 幢
    compound(
        "学府路",
        door(500, "L"),
        "学府花园",
        "WHXFHY",
        [(2860, 1950), (2920, 1950), (2860, 2030), (2920, 2030), (2860, 2110)],
    )
    frontage("东风西路", [(250, "L", ["篆塘小区", "篆塘小区南门"])])
    compound(
        "东风西路",
        door(250, "L"),
        "篆塘小区",
        "WHZTXQ",
        [(150, 500), (250, 500), (150, 580), (250, 580)],
    )
    compound(
        "正义路",
        door(450, "L"),
        "福林苑",
        "WHFLY",
        [(440, 820), (520, 820), (440, 900), (360, 900)],
    )
    # the rural streets' main roads
    frontage(
        "西翥路",
        [
            (300, "L", ["西翥街道卫生院"]),
            (900, "R", ["西翥派出所"]),
            (1500, "L", ["西翥街道办事处"]),
            (2100, "R", ["邮政储蓄银行西翥支行", "邮储西翥支行"]),
            (2700, "L", ["西翥中学"]),
            (3100, "R", []),
        ],
        prefix=CITY + "西翥街道",
    )
    frontage(
        "厂口街",
        [
            (150, "L", ["厂口街道卫生院"]),
            (400, "R", ["厂口派出所"]),
            (700, "L", ["厂口信用社", "农村信用社厂口分社"]),
            (1000, "R", ["厂口中学"]),
            (1400, "L", ["厂口街道办事处"]),
        ],
        prefix=CITY + "厂口街道",
    )
    frontage("厂沙公路", [(500, "L", []), (1900, "R", ["厂沙公路加油站"]), (3000, "L", [])])
    # 西翥街道: 沙朗村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    al = {7: ["沙朗村委会", "沙朗村村委会"]}
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11, 15]),
        (3, [6, 9, 12, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        rural_houses("SL", zu, c("SL", zu), nums, al if zu == 2 else None)
    # 乐居村 (plain micro-grids; 三组 lies across two)
    rural_houses("LJ", 1, c("LJ", 1), [2, 6, 9])
    rural_houses("LJ", 2, c("LJ", 2), [1, 5, 12])
    rural_houses("LJ", 3, (5600, 1950), [3, 7, 14, 18])
    rural_houses("LJ", 4, c("LJ", 4), [4, 8, 16], {8: ["乐居村委会", "乐居村村委会"]})
    rural_houses("LJ", 5, c("LJ", 5), [2, 10])
    rural_houses("LJ", 6, c("LJ", 6), [5, 11, 17])
    # 厂口街道: 大营村 (six 自然村, micro-grids named after them)
    for m, name in enumerate(NATURAL["DY"], start=1):
        nums = {1: [3, 6, 11], 2: [2, 8], 3: [5, 9, 13], 4: [1, 8, 12, 20], 5: [4, 7, 15]}
        al = {12: ["大营村委会", "大营村村委会"]} if name == "上村" else None
        rural_houses("DY", name, c("DY", m), nums.get(m, [2, 6]), al)
    # 小厂村 (plain micro-grids, houses by 自然村; 后山 lies across two)
    rural_houses("XCC", "大村", (5000, 450), [1, 7, 12], {7: ["小厂村委会", "小厂村村委会"]})
    rural_houses("XCC", "小村", (5330, 450), [4, 9])
    rural_houses("XCC", "马家营", (5800, 450), [2, 5, 10])
    rural_houses("XCC", "白石岩", (5000, 1150), [3, 8])
    rural_houses("XCC", "后山", (5600, 1250), [6, 11, 16])
    rural_houses("XCC", "大箐", (5800, 1100), [5, 9, 14])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("TYX", None, (6200, 1850), [8, 27, 55, 102], {27: ["西翥街道桃园村委会"]})
    rural_houses(
        "LQ",
        None,
        (6600, 2750),
        [5, 19, 36, 71, 118],
        {5: ["龙庆村委会"], 36: ["龙庆村卫生室"]},
    )
    rural_houses("PD", None, (7000, 1850), [3, 24, 49])
    rural_houses("TYC", None, (6200, 1150), [8, 31, 60, 97], {60: ["厂口街道桃园村委会"]})
    rural_houses("HH", None, (6600, 400), [12, 40, 66, 135], {40: ["花红村委会"]})
    rural_houses("MG", None, (7000, 1100), [2, 17, 58, 90])


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
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近 / 周边 / 斜对面 / 背后: every point within 50 m
R_WIDE = 80.0  # 斜对面 / 背后 are only asked where an 80 m disc gives the same answer
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
    if how == "more":  # 一百多米
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


def near_region(codes, radius=R_NEAR):
    return unary_union([Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(radius) for c in codes])


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
    if kind == "near":  # ("near", [building codes], wide)
        if not spec[1]:
            return None
        region = near_region(spec[1])
        if spec[2] and micro_of_region(region) != micro_of_region(near_region(spec[1], R_WIDE)):
            raise SystemExit(f"{spec}: 斜对面 / 背后 must not depend on the radius")
        return region
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village or None, number or 自然村)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


REGIONS: dict[str, object] = {}  # query text -> the region of a positive place query


def truth(text, spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    region = place_region(spec)
    if region is None or region.is_empty:
        return None, None
    micro = micro_of_region(region)
    if micro is not None:
        REGIONS[text] = region
    return None, micro


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


def NEAR(*aliases, wide=False):
    return ("near", [code_of_alias(a) for a in aliases], wide)


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        False,
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu None: a village numbered across)
    return BY_CODE[f"WH{key}{zu_key(key, zu)}{n:03d}"]


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
    q(x, "人民中路和青年路交叉口有辆货车违停好几天了", X("人民中路", "青年路"))
    q(x, "人民中路青年路口东北角有人摆摊卖早点", X("人民中路", "青年路", "东北"))
    q(x, "青年路东风西路十字路口红绿灯坏了", X("青年路", "东风西路"))
    q(
        x,
        "市民反映青年路与东风西路交叉口西南角的公交站台旁边，每天早上都有人摆摊卖早点，"
        "占了盲道，行人只能走机动车道，希望尽快处理。",
        X("青年路", "东风西路", "西南"),
    )
    q(
        x,
        "青年路、东风西路路口往北200米人行道地砖翘起来了",
        X("青年路", "东风西路", None, ("北", 200, "exact")),
    )
    q(x, "东风西路正义路丁字路口一下雨就积水", X("东风西路", "正义路"))
    q(x, "正义路与滇缅大道交叉口西南角井盖缺失", X("正义路", "滇缅大道", "西南"))
    q(x, "正义路和人民中路丁字路口有人发小广告", X("正义路", "人民中路"))
    q(x, "正义路人民中路路口西北角共享单车堆成山", X("正义路", "人民中路", "西北"))
    q(x, "华山南路与翠湖南路丁字路口车辆乱停", X("华山南路", "翠湖南路"))
    q(x, "华山南路人民中路路口的信号灯不亮", X("华山南路", "人民中路"))
    q(x, "北京路与人民中路交叉口东北角有人贴小广告", X("北京路", "人民中路", "东北"))
    q(x, "北京路人民中路十字路口天天堵车", X("北京路", "人民中路"))
    q(x, "北京路与东风西路交叉口护栏被撞坏了", X("北京路", "东风西路"))
    q(x, "北京路东风西路路口西南角有人占道卖水果", X("北京路", "东风西路", "西南"))
    q(x, "青年路和景星街交叉口有人占道经营", X("青年路", "景星街"))
    q(x, "景星街青年路路口东北角堆了建筑垃圾", X("景星街", "青年路", "东北"))
    q(x, "钱局街与人民中路交叉口有个坑", X("钱局街", "人民中路"))
    q(x, "一二一大街与学府路交叉口晚上烧烤油烟大", X("一二一大街", "学府路"))
    q(x, "一二一大街学府路十字路口西北角的垃圾桶满了", X("一二一大街", "学府路", "西北"))
    q(x, "文化巷与一二一大街丁字路口电动车乱停", X("文化巷", "一二一大街"))
    q(x, "学府路人民西路丁字路口路面开裂", X("学府路", "人民西路"))
    q(x, "学府路与人民西路交叉口东北角有人摆摊", X("学府路", "人民西路", "东北"))
    q(x, "西昌路与滇缅大道交叉口有人闯红灯卖花", X("西昌路", "滇缅大道"))
    q(
        x,
        "西昌路东风西路路口往南50米有个井盖响",
        X("西昌路", "东风西路", None, ("南", 50, "exact")),
    )
    q(x, "龙泉路与滇缅大道交叉口的路灯坏了", X("龙泉路", "滇缅大道"))
    q(x, "龙泉路滇缅大道交叉口西北角有人倾倒垃圾", X("龙泉路", "滇缅大道", "西北"))
    q(x, "东风西路与滇缅大道交叉口有人乱停车", X("东风西路", "滇缅大道"))
    q(x, "甬道街和青年路交叉口有流浪狗", X("甬道街", "青年路"))
    q(x, "西翥路与沙朗路十字路口有人晒粮食占道", X("西翥路", "沙朗路"))
    q(x, "沙朗路与厂沙公路交叉口有人卖菌子占道", X("沙朗路", "厂沙公路"))
    q(x, "小厂路与滇缅大道交叉口东南角有人焚烧垃圾", X("小厂路", "滇缅大道", "东南"))
    q(
        x,
        "小厂路、滇缅大道路口往北100米有死狗",
        X("小厂路", "滇缅大道", None, ("北", 100, "exact")),
    )
    q(x, "大营路与滇缅大道路口有人烧秸秆", X("大营路", "滇缅大道"))
    q(x, "厂口街与桃园路交叉口有大货车违停", X("厂口街", "桃园路"))
    q(x, "厂沙公路与桃园路交叉口东北角有人私搭棚子", X("厂沙公路", "桃园路", "东北"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "昆十中往北走了一百来米，路边有个井盖没盖", OFF(A("昆十中"), "北", 100, "about"))
    q(o, "昆十中往南一百多米有人占道摆摊", OFF(A("昆十中"), "南", 100, "more"))
    q(o, "市一院往北200米人行道被电动车占满", OFF(A("市一院"), "北", 200))
    q(o, "市一院往东走了两百来米有家店油烟扰民", OFF(A("市一院"), "东", 200, "about"))
    q(
        o,
        "圆通山往南约300米路西有人乱倒垃圾",
        OFF(A("圆通山"), "南", 300, "about", ("青年路", "西")),
    )
    q(o, "圆通寺往南走了五百来米，路灯不亮", OFF(A("圆通寺"), "南", 500, "about"))
    q(o, "翠湖公园往东三百米有人占道卖花", OFF(A("翠湖公园"), "东", 300))
    q(o, "翠湖公园南门往东一百来米有人弹唱扰民", OFF(A("翠湖公园南门"), "东", 100, "about"))
    q(
        o,
        "云南省图书馆往西约200米路南，店铺油烟直排",
        OFF(A("云南省图书馆"), "西", 200, "about", ("翠湖南路", "南")),
    )
    q(o, "云南大学往东走了三百来米井盖缺失", OFF(A("云南大学"), "东", 300, "about"))
    q(o, "云南师范大学往西约400米有电动车充电乱拉线", OFF(A("云南师范大学"), "西", 400, "about"))
    q(
        o,
        "师大附中往南100米路东人行道塌陷",
        OFF(A("师大附中"), "南", 100, side=("学府路", "东")),
    )
    q(o, "学府花园往北两百来米有人偷倒装修垃圾", OFF(A("学府花园"), "北", 200, "about"))
    q(o, "昆一中往北三百米有辆僵尸车", OFF(A("昆一中"), "北", 300))
    q(o, "昆一中往东走了两百来米，路面坑坑洼洼", OFF(A("昆一中"), "东", 200, "about"))
    q(
        o,
        "西站菜市场往南100米路西有人杀活禽",
        OFF(A("西站菜市场"), "南", 100, side=("西昌路", "西")),
    )
    q(o, "五华区人民医院往西约500米有人倒渣土", OFF(A("五华区人民医院"), "西", 500, "about"))
    q(
        o,
        "篆塘菜市场往东约200米路北有人占道卖菜",
        OFF(A("篆塘菜市场"), "东", 200, "about", ("东风西路", "北")),
    )
    q(
        o,
        "建行东风西路支行往西一百来米有共享单车堆放",
        OFF(A("建行东风西路支行"), "西", 100, "about"),
    )
    q(o, "护国派出所往北200米有人遛狗不拴绳", OFF(A("护国派出所"), "北", 200))
    q(o, "护国派出所往北300米有人夜间施工", OFF(A("护国派出所"), "北", 300))
    q(o, "武成小学往东走了两百来米，有个下水道堵了", OFF(A("武成小学"), "东", 200, "about"))
    q(o, "小西门地铁站往南一百来米有人乞讨", OFF(A("小西门地铁站"), "南", 100, "about"))
    q(o, "莲华派出所往南走了三百来米，有个树倒了", OFF(A("莲华派出所"), "南", 300, "about"))
    q(
        o,
        "青年路与东风西路交叉口往东一百来米路南，商户占道",
        OFF(XO("青年路", "东风西路"), "东", 100, "about", ("东风西路", "南")),
    )
    q(
        o,
        "一二一大街与学府路交叉口往西约300米路北有人摆摊",
        OFF(XO("一二一大街", "学府路"), "西", 300, "about", ("一二一大街", "北")),
    )
    q(
        o,
        "人民中路青年路口往北走了一百来米，有家火锅店油烟扰民",
        OFF(XO("人民中路", "青年路"), "北", 100, "about"),
    )
    q(o, "西翥街道卫生院往东约300米有人烧垃圾", OFF(A("西翥街道卫生院"), "东", 300, "about"))
    q(o, "沙朗村委会往南约500米有人私挖砂石", OFF(A("沙朗村委会"), "南", 500, "about"))
    q(
        o,
        "厂口派出所往东约200米路南有大货车漏油",
        OFF(A("厂口派出所"), "东", 200, "about", ("厂口街", "南")),
    )
    q(o, "厂口中学往南1公里有人电鱼", OFF(A("厂口中学"), "南", 1000))
    q(o, "花红村委会往西一百多米有人焚烧秸秆", OFF(A("花红村委会"), "西", 100, "more"))
    q(o, "厂沙公路加油站往西200米有人卖散装油", OFF(A("厂沙公路加油站"), "西", 200))
    q(o, "五华区第三人民医院往北200米有人占道", OFF(("none",), "北", 200))
    q(o, "昆明站往北一百来米有黑车", OFF(("none",), "北", 100, "about"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "翠湖公园门口有人卖气球占道", NEAR("翠湖公园"))
    q(n, "云南省图书馆旁边的人行道被电动车占了", NEAR("云南省图书馆"))
    q(n, "云大对面有人发传单，学生反映很烦", NEAR("云大"))
    q(n, "圆通山斜对面有家店晚上音响开得很大", NEAR("圆通山", wide=True))
    q(n, "潘家湾地铁站斜对面有人占道卖水果", NEAR("潘家湾地铁站", wide=True))
    q(n, "市一院背后有人乱倒医疗垃圾", NEAR("市一院", wide=True))
    q(n, "护国派出所背后有人聚众打牌", NEAR("护国派出所", wide=True))
    q(n, "市一院门口黄牛倒号", NEAR("市一院"))
    q(n, "昆十中门口早上接送孩子的车堵路", NEAR("昆十中"))
    q(n, "小西门地铁站旁边有人摆摊", NEAR("小西门地铁站"))
    q(
        n,
        "篆塘小区周边晚上广场舞声音太大",
        NEAR_COMPOUND("篆塘小区", ["篆塘小区南门"]),
    )
    q(n, "福林苑附近有人私拉电线给电动车充电", NEAR_COMPOUND("福林苑", ["福林苑东门"]))
    q(n, "学府花园东门门口有人卖菜", NEAR("学府花园东门"))
    q(n, "学府花园周边路灯不亮", NEAR_COMPOUND("学府花园", ["学府花园东门"]))
    q(n, "西站菜市场门口污水横流", NEAR("西站菜市场"))
    q(n, "西站公交枢纽附近有黑车拉客", NEAR("西站公交枢纽"))
    q(n, "武成小学门口有流动摊贩卖零食", NEAR("武成小学"))
    q(n, "沙朗村委会旁边有人烧垃圾", NEAR("沙朗村委会"))
    q(n, "桃园村委会门口有人占道晒粮", NEAR("西翥街道桃园村委会", "厂口街道桃园村委会"))
    q(n, "厂口街道桃园村委会附近有条狗咬人", NEAR("厂口街道桃园村委会"))
    q(n, "龙庆村卫生室隔壁在盖房子，建材堆在路上", NEAR("龙庆村卫生室"))
    q(n, "厂口信用社对面有人摆摊", NEAR("厂口信用社"))
    q(n, "厂沙公路加油站旁边有人卖散装汽油", NEAR("厂沙公路加油站"))
    q(n, "五华区妇幼保健院门口有人乱停车", ("near", [], False))
    q(n, "大观楼旁边有人钓鱼", ("near", [], False))

    # --- lane_alone (a 巷, 坡 or 街 named alone) ------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("染布巷路灯坏了好几天了", "染布巷"),
        ("大梅园巷（光华街旁边那条巷子）有人乱倒垃圾", "大梅园巷"),
        ("小梅园巷里面有车辆长期占道", "小梅园巷"),
        ("节孝巷下水道堵了，污水漫到路上", "节孝巷"),
        ("来电人反映文化巷的烧烤摊油烟太大", "文化巷"),
        ("文明街晚上酒吧噪音扰民", "文明街"),
        ("景星街有人占道卖鸟，行人过不去", "景星街"),
        ("甬道街有人占道经营", "甬道街"),
        ("钱局街有家店每天凌晨卸货，噪音很大", "钱局街"),
        ("先生坡有人半夜装修", "先生坡"),
        ("西仓坡的台阶坏了，老人上下很危险", "西仓坡"),
        ("府甬道化粪池满了往外冒", "府甬道"),
        ("同仁巷 电线乱拉", "同仁巷"),
        ("厂口街有人占道晒粮", "厂口街"),
        ("槐花巷有人半夜施工", "槐花巷"),
        ("金鸡巷路灯不亮", "金鸡巷"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 or 自然村 named with its village) ----------------------------------
    g = "group"
    q(g, "沙朗村3组有人焚烧秸秆", ZU("沙朗村", 3))
    q(g, "沙朗村五组有人在田边烧垃圾", ZU("沙朗村", 5))
    q(g, "西翥街道沙朗村第一村民小组有人违建", ZU("沙朗村", 1, "西翥街道"))
    q(g, "五华区西翥街道沙朗村6组自来水停了", ZU("沙朗村", 6, "西翥街道"))
    q(g, "乐居村二组路灯不亮", ZU("乐居村", 2))
    q(g, "乐居村4组有人私挖鱼塘", ZU("乐居村", 4))
    q(g, "乐居村第6村民小组有人偷倒建筑垃圾", ZU("乐居村", 6))
    q(g, "乐居村三组垃圾几天没人收", ZU("乐居村", 3))
    q(g, "大营村上村有人放养的狗咬人", ZU("大营村", "上村"))
    q(g, "厂口大营村李家营排水沟堵了", ZU("大营村", "李家营", "厂口街道"))
    q(g, "厂口街道大营村委会下村有人私搭乱建", ZU("大营村", "下村", "厂口街道"))
    q(g, "大营村小村有人在河边洗车", ZU("大营村", "小村"))
    q(g, "小厂村大箐有人砍树", ZU("小厂村", "大箐"))
    q(g, "小厂村小村路面塌陷", ZU("小厂村", "小村"))
    q(g, "小厂村后山有人开荒烧山", ZU("小厂村", "后山"))
    q(g, "大营村大箐有人焚烧垃圾", ZU("大营村", "大箐"))
    q(g, "沙朗村八组有人烧秸秆", ZU("沙朗村", 8))
    q(g, "厂口街道沙朗村2组有人违建", ZU("沙朗村", 2, "厂口街道"))
    q(g, "桃园村2组有人私拉电线", ZU("桃园村", 2))
    q(g, "小村有人在路边晒粮", ZU(None, "小村"))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "龙庆村有人烧秸秆，烟很大", VIL("龙庆村"))
    q(
        v,
        "西翥街道龙庆村有人在河边私挖砂石，晚上拉沙车来来往往，噪音很大",
        VIL("龙庆村", "西翥街道"),
    )
    q(v, "普达村有人私拉电网捕鱼", VIL("普达村"))
    q(v, "花红村自来水停了三天了", VIL("花红村"))
    q(v, "五华区厂口街道花红村有人占用耕地建房", VIL("花红村", "厂口街道"))
    q(v, "蒙谷村狗咬人", VIL("蒙谷村"))
    q(v, "西翥街道桃园村有人焚烧垃圾", VIL("桃园村", "西翥街道"))
    q(v, "厂口桃园村路面塌陷", VIL("桃园村", "厂口街道"))
    q(v, "桃园村有人私建猪圈", VIL("桃园村"))
    q(v, "沙朗村垃圾堆放", VIL("沙朗村"))
    q(v, "乐居村有人电鱼", VIL("乐居村"))
    q(v, "大营村排水沟堵了", VIL("大营村"))
    q(v, "小厂村有人砍伐树木", VIL("小厂村"))
    q(v, "厂口街道龙庆村有人焚烧秸秆", VIL("龙庆村", "厂口街道"))
    q(v, "西翥街道花红村有人违建", VIL("花红村", "西翥街道"))
    q(v, "三家村有人烧荒", VIL("三家村"))
    q(v, "五华区西翥街道普达村有人往河里倒垃圾", VIL("普达村", "西翥街道"))

    # --- other_county (昆明's other 县级 units in front of our addresses) ----------------
    oc = "other_county"
    rm, xf = fb("人民中路", 1450, "R"), fb("学府路", 1300, "L")
    for text, code in [
        ("盘龙区西翥街道沙朗村3组12号", None),
        ("昆明市官渡区厂口街道大营村上村8号", None),
        (f"西山区人民中路{no(rm)}号", None),
        (f"呈贡区学府路{no(xf)}号", None),
        ("云南省昆明市晋宁区厂口街道花红村40号", None),
        ("安宁市西翥街道龙庆村19号", None),
        ("嵩明县厂口街道桃园村31号", None),
        ("云南省昆明市五华区西翥街道沙朗村3组12号", H("SL", 3, 12)["code"]),
        ("五华区厂口街道大营村上村8号", H("DY", "上村", 8)["code"]),
        (f"昆明市五华区人民中路{no(rm)}号", rm["code"]),
        (f"五华区学府路{no(xf)}号", xf["code"]),
        ("厂口街道花红村40号", H("HH", None, 40)["code"]),
        ("昆明市五华区西翥街道龙庆村19号", H("LQ", None, 19)["code"]),
        ("厂口街道桃园村31号", H("TYC", None, 31)["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("人民中路", 150, "L"), fb("东风西路", 2300, "R")
    b4, b5 = fb("一二一大街", 1100, "R"), fb("染布巷", 200, "R", 10)
    xfg = door(500, "L")
    absent("沙朗村3组30号")
    absent("同仁巷9号")
    for text, code in [
        (
            "No. 12, Group 3, Shalang Village, Xizhu Subdistrict, Wuhua District, Kunming",
            H("SL", 3, 12)["code"],
        ),
        (
            "No. 8, Shangcun, Daying Village, Changkou Subdistrict, Wuhua District",
            H("DY", "上村", 8)["code"],
        ),
        (
            "No. 5, Group 2, Leju Village, Xizhu Subdistrict, Wuhua District, Kunming, Yunnan",
            H("LJ", 2, 5)["code"],
        ),
        ("No. 19, Longqing Village, Xizhu Subdistrict, Wuhua District", H("LQ", None, 19)["code"]),
        (
            "No. 31, Taoyuan Village, Changkou Subdistrict, Wuhua District, Kunming",
            H("TYC", None, 31)["code"],
        ),
        ("No. 8, Taoyuan Village, Wuhua District, Kunming", None),
        ("No. 30, Group 3, Shalang Village, Xizhu Subdistrict, Wuhua District", None),
        (f"No. {no(b1)}, Renmin Middle Road, Wuhua District, Kunming", b1["code"]),
        (f"No. {no(b2)} Dongfeng West Road, Wuhua District, Kunming, Yunnan", b2["code"]),
        (f"No. {no(b4)}, Yieryi Street, Wuhua District, Kunming", b4["code"]),
        (f"Building 3, Xuefu Huayuan, No. {xfg} Xuefu Road, Wuhua District", "WHXFHYB3"),
        ("Room 502, Unit 2, Building 4, Zhuantang Xiaoqu, Wuhua District, Kunming", "WHZTXQB4"),
        (f"No. {no(b5)}, Ranbu Lane, Wuhua District, Kunming", b5["code"]),
        ("No. 5, Xianshengpo, Wuhua District, Kunming", "WHXSP5"),
        ("12号，3组，沙朗村，西翥街道，五华区，昆明市", H("SL", 3, 12)["code"]),
        ("9号，大箐，小厂村，厂口街道，五华区", H("XCC", "大箐", 9)["code"]),
        ("3单元，2幢，学府花园，五华区", "WHXFHYB2"),
        ("9号，同仁巷，五华区", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    xc, bj = fb("西昌路", 1250, "L"), fb("北京路", 900, "R")
    t1, t2 = fb("人民中路", 2200, "R"), fb("东风西路", 3300, "R")
    t3, t4 = fb("青年路", 150, "L"), fb("正义路", 900, "L")
    t5, t6 = fb("北京路", 2600, "L"), fb("滇缅大道", 2100, "R")
    t7, t8 = fb("学府路", 200, "R"), fb("翠湖南路", 850, "L")
    for miss in ["人民中路999号", "青年路7号", "染布巷50号", "沙朗村3组99号", "大营村大箐3号"]:
        absent(miss)
    absent("学府花园9幢")
    absent("普达村200号")
    for text, code in [
        (xc["address"], xc["code"]),
        (f"北京路{no(bj)}号", bj["code"]),
        ("云南大学", code_of_alias("云南大学")),
        ("市一院", code_of_alias("市一院")),
        ("圆通寺", code_of_alias("圆通寺")),
        ("翠湖公园南门", code_of_alias("翠湖公园南门")),
        ("昆一中", code_of_alias("昆一中")),
        ("小厂村委会", code_of_alias("小厂村委会")),
        ("学府花园3幢2单元501室", "WHXFHYB3"),
        ("福林苑4栋", "WHFLYB4"),
        ("五华区先生坡9号", "WHXSP9"),
        ("五华区厂口街道桃园村8号", H("TYC", None, 8)["code"]),
        ("西翥街道乐居村四组16号", H("LJ", 4, 16)["code"]),
        (f"人名中路{no(t1)}号", t1["code"]),
        (f"五华区东峰西路{no(t2)}号", t2["code"]),
        (f"清年路{no(t3)}号2单元301室", t3["code"]),
        (f"昆明市五华区正宜路{no(t4)}号", t4["code"]),
        (f"北经路{no(t5)}号", t5["code"]),
        (f"滇面大道{no(t6)}号", t6["code"]),
        (f"学富路{no(t7)}号", t7["code"]),
        (f"脆湖南路{no(t8)}号", t8["code"]),
        ("昆明市五华区人民中路999号", None),
        ("青年路7号", None),
        ("染布巷50号", None),
        ("学府花园9幢", None),
        ("西翥街道沙朗村3组99号", None),
        ("厂口街道大营村大箐3号", None),
        ("桃园村8号", None),
        ("五华区西翥街道普达村200号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, str, str | None, str | None]]:
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
    written = []
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(text, spec)
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        written.append((kind, text, expected, micro))
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return written


# ---------------------------------------------------------------- reading back
def to_lonlat(geom):
    return shapely.transform(geom, lambda xy: xy / [KX, KY] + [LON0, LAT0])


def check_files(written) -> None:
    """Read the four files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    units = {f["properties"]["code"]: f for f in grids}
    if len(units) != len(grids):
        raise SystemExit("duplicate unit codes in grids.geojson")
    for f in grids:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in units:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    micros = {
        c: shape(f["geometry"]) for c, f in units.items() if f["properties"]["level"] == "micro"
    }
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {}
    for r in rows:
        if r["code"] in by_code:
            raise SystemExit(f"duplicate building {r['code']}")
        by_code[r["code"]] = r
        poly = micros.get(r["micro_grid_code"])
        if poly is None or not poly.contains(Point(float(r["lon"]), float(r["lat"]))):
            raise SystemExit(f"{r['code']} does not lie in {r['micro_grid_code']}")
    addresses = Counter(r["address"] for r in rows)
    if max(addresses.values()) > 1:
        raise SystemExit("two buildings share an address")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["name"] for f in roads]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate road names")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(written):
        raise SystemExit("queries.jsonl does not read back")
    for line, (kind, text, expected, micro) in zip(lines, written, strict=True):
        d = json.loads(line)
        if d != {"query": text, "expected": expected, "micro_grid": micro, "kind": kind}:
            raise SystemExit(f"{text}: does not read back")
        if expected is not None:
            if expected not in by_code or by_code[expected]["micro_grid_code"] != micro:
                raise SystemExit(f"{text}: {expected} is not in {micro}")
        elif micro is not None:
            if micro not in micros:
                raise SystemExit(f"{text}: no micro-grid {micro}")
            region = to_lonlat(REGIONS[text])
            hits = [c for c, p in micros.items() if p.buffer(1e-6).contains(region)]
            if hits != [micro]:
                raise SystemExit(f"{text}: its region lies in {hits}, not in {micro}")


def main() -> None:
    written = write_all()
    check_files(written)
    stats: Counter = Counter((k, m is not None) for k, _t, _e, m in written)
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {len(written)}, refused {refused}"
    )


if __name__ == "__main__":
    main()
