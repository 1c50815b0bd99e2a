"""Write the place-description evaluation district: 甘肃省兰州市城关区.

    python bench/data/place_chengguan_lz/make_district.py

One grid tree in two parts: an urban core on the south bank of the 黄河 (张掖路街道, 酒泉路街道,
皋兰路街道, 东岗西路街道, 雁南街道, with roads, lanes, 小区 and 家属院) and a peri-urban part
(伏龙坪街道 on the southern hill, 青白石街道 east of the city) with 行政村 whose houses are
written by 社 / 组 (`城关区青白石街道石门沟村3社15号`, `城关区伏龙坪街道伏龙坪村三组8号`), by
natural village (`城关区青白石街道大浪沟村王家湾12号`) or numbered across the village
(`城关区青白石街道上川村36号`). The 街道 and the urban road names are 城关区's; communities,
villages, lanes, door numbers, landmarks' positions and all geometry are ours: a layout in metres
over a 6 km x 3 km box whose northern edge is the 黄河, turned into WGS-84 at 兰州.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules). Words the rules do not cover (`那搭`, `跟前`, `对过`, `背后头`, `过了桥`, `往上走` ...)
get two readings, a narrow and a wide one; such a query is positive only when both readings lie
in the same micro-grid. Nothing is decided by hand but which place each sentence means.

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

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 103.8000, 36.0380  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("620102", "城关区")
DISTRICT_AREA = box(0, 0, 6000, 3000)  # the 黄河 runs just north of y = 3000
CN = "零一二三四五六七八九"

# urban streets: code, name, box, community (name, short name)
STREETS = [
    ("620102001", "张掖路街道", (0, 1500, 1200, 3000), ("西关社区", "西关")),
    ("620102002", "酒泉路街道", (1200, 1500, 2400, 3000), ("南关社区", "南关")),
    ("620102005", "皋兰路街道", (0, 0, 1200, 1500), ("五泉社区", "五泉")),
    ("620102008", "东岗西路街道", (1200, 0, 2400, 1500), ("红山根社区", "红山根")),
    ("620102012", "雁南街道", (2400, 1500, 3600, 3000), ("雁滩社区", "雁滩")),
]

# peri-urban streets: code, name, box, villages (name, key, village box, style)
# "she": six micro-grids named after the 社 (`石门沟村3社`); "wan": six micro-grids named after
# the natural villages (`大浪沟村王家湾`); "plain4" / "plain6": plain micro-grids, houses by 组 /
# 社; "small": 400 m x 1500 m, two micro-grids, houses numbered across the village.
WANS = ["王家湾", "刘家庄", "马家坪", "何家湾", "杨家庄", "高家坪"]
RURAL = [
    (
        "620102020",
        "伏龙坪街道",
        (2400, 0, 3600, 1500),
        [
            ("伏龙坪村", "FLP", (2400, 0, 3200, 1500), "plain4"),
            ("张家湾村", "ZJWF", (3200, 0, 3600, 1500), "small"),
        ],
    ),
    (
        "620102025",
        "青白石街道",
        (3600, 0, 6000, 3000),
        [
            ("石门沟村", "SMG", (3600, 1500, 4800, 3000), "she"),
            ("大浪沟村", "DLG", (4800, 1500, 6000, 3000), "wan"),
            ("上川村", "SC", (3600, 0, 4000, 1500), "small"),
            ("白道坪村", "BDP", (4000, 0, 5200, 1500), "plain6"),
            ("李家庄村", "LJZ", (5200, 0, 5600, 1500), "small"),
            ("张家湾村", "ZJWQ", (5600, 0, 6000, 1500), "small"),
        ],
    ),
]
STREET_BOX = {name: b for _c, name, b, _x in STREETS + RURAL}


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": props, "geometry": geom}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
MICRO_NAMES: dict[str, str] = {}


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(box(*b))))
    MICROS[code] = box(*b)
    MICRO_NAMES[code] = name


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, (c_name, short) in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(box(*sb))))
        w, s, e, _n = sb
        c_code = f"{s_code}001"
        FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(*sb))))
        for gi in range(2):
            gs, gn = s + gi * 750, s + (gi + 1) * 750
            g_code = f"{c_code}{gi + 1:03d}"
            g_name = f"{short}第{gi + 1}网格"
            FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, gs, e, gn))))
            for mi in range(3):
                mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
                add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    for t_code, t_name, tb, villages in RURAL:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(box(*tb))))
        for vi, (v_name, _key, vb, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(box(*vb))))
            x0, s, x1, _n = vb
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(box(*vb))))
                for mi in range(2):
                    mb = (x0, s + mi * 750, x1, s + (mi + 1) * 750)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
                continue
            cols = round((x1 - x0) / 400)
            for gi in range(2):
                gs, gn = s + gi * 750, s + (gi + 1) * 750
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (x0, gs, x1, gn)
                FEATURES.append(
                    feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(box(*gb)))
                )
                for mi in range(cols):
                    mb = (x0 + mi * 400, gs, x0 + (mi + 1) * 400, gn)
                    m = gi * cols + mi + 1
                    if style == "she":
                        name = f"{v_name}{m}社"
                    elif style == "wan":
                        name = f"{v_name}{WANS[m - 1]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


# ---------------------------------------------------------------- roads
# Lines run west to east or south to north (odd doors on the left: north, resp. west).
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("南滨河东路", "arterial", [(0, 2900), (3600, 2900)]),
    ("张掖路", "secondary", [(0, 2550), (1750, 2550)]),  # stops 50 m short of 静宁路
    ("庆阳路", "arterial", [(0, 2250), (3600, 2250)]),  # a border all along
    ("武都路", "secondary", [(0, 1850), (2400, 1850)]),
    ("东岗西路", "arterial", [(0, 1500), (3600, 1500)]),  # a border all along
    ("中山路", "secondary", [(200, 1500), (200, 2900)]),
    ("金昌路", "secondary", [(1000, 1500), (1000, 2900)]),
    ("酒泉路", "arterial", [(1200, 0), (1200, 2900)]),  # a border all along
    ("静宁路", "secondary", [(1800, 1550), (1800, 2900)]),  # stops 50 m short of 东岗西路
    ("天水路", "arterial", [(2400, 0), (2400, 2900)]),  # a border all along
    ("雁滩路", "secondary", [(2400, 2000), (3600, 2000)]),
    ("雁南路", "branch", [(2650, 2650), (2650, 2450), (3000, 2450)]),  # one bend
    ("民主东路", "secondary", [(0, 1000), (2400, 1000)]),
    ("南昌路", "secondary", [(0, 400), (2400, 400)]),
    ("皋兰路", "secondary", [(600, 0), (600, 1500)]),
    ("白银路", "secondary", [(800, 0), (800, 1500)]),  # a border, parallel to 皋兰路
    ("平凉路", "secondary", [(1800, 0), (1800, 1500)]),
    # lanes in the road file
    ("箭道巷", "branch", [(300, 2400), (550, 2400)]),  # crosses a micro-grid border
    ("木塔巷", "branch", [(600, 2550), (600, 2850)]),  # starts on 张掖路
    ("大众巷", "branch", [(1400, 1650), (1400, 1950)]),
    ("贡元巷", "branch", [(2100, 2600), (2300, 2600)]),
    ("道升巷", "branch", [(1300, 2250), (1300, 2400), (1550, 2400), (1550, 2250)]),  # a U
    # the peri-urban part
    ("伏龙坪路", "secondary", [(2600, 100), (2600, 1500)]),  # climbs southwards
    ("青白石路", "arterial", [(3600, 1500), (6000, 1500)]),  # a border all along
    ("石门沟路", "branch", [(4200, 1500), (4200, 2850)]),
    ("大浪沟路", "branch", [(5000, 1600), (5000, 2800)]),  # stops 100 m short of 青白石路
    ("白道坪路", "branch", [(4600, 200), (4600, 1500)]),
    # bridges (on top of their roads): 中山桥 over the 黄河, 南河道桥, 大沙沟桥
    ("中山桥", "secondary", [(200, 2900), (200, 3400)]),
    ("南河道桥", "secondary", [(2930, 2000), (2970, 2000)]),
    ("大沙沟桥", "branch", [(4200, 2080), (4200, 2120)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}
BRIDGES = {"中山桥", "南河道桥", "大沙沟桥"}
NAMED_CROSSINGS = {
    "西关十字": ("中山路", "张掖路"),
    "南关十字": ("酒泉路", "庆阳路"),
    "盘旋路": ("天水路", "东岗西路"),
}
HILL = "伏龙坪街道"  # the only place where 往上走 has a direction: uphill is south

# ---------------------------------------------------------------- buildings
CITY = "城关区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "南滨河东路": "NBH",
    "张掖路": "ZYL",
    "庆阳路": "QYL",
    "武都路": "WDL",
    "东岗西路": "DGXL",
    "中山路": "ZSL",
    "金昌路": "JCL",
    "酒泉路": "JQL",
    "静宁路": "JNL",
    "天水路": "TSL",
    "雁滩路": "YTL",
    "雁南路": "YNL",
    "民主东路": "MZDL",
    "南昌路": "NCL",
    "皋兰路": "GLL",
    "白银路": "BYL",
    "平凉路": "PLL",
    "箭道巷": "JDX",
    "木塔巷": "MTX",
    "大众巷": "DZX",
    "贡元巷": "GYX",
    "道升巷": "DSX",
    "伏龙坪路": "FLPL",
    "青白石路": "QBSL",
    "石门沟路": "SMGL",
    "大浪沟路": "DLGL",
    "白道坪路": "BDPL",
    "曹家巷": "CJX",
    "畅家巷": "CHJX",
    "颜家巷": "YJX",
    "学院巷": "XYX",
    "秦安巷": "QAX",
}


def add(code, address, x, y, aliases=(), **meta):
    if code in BY_CODE:
        raise SystemExit(f"duplicate code {code}")
    b = {"code": code, "address": address, "x": x, "y": y, "aliases": list(aliases), **meta}
    BUILDINGS.append(b)
    BY_CODE[code] = b
    return b


def tangent(line: LineString, s: float) -> tuple[float, float]:
    a = line.interpolate(max(s - 0.5, 0.0))
    b = line.interpolate(min(s + 0.5, line.length))
    d = math.hypot(b.x - a.x, b.y - a.y)
    return (b.x - a.x) / d, (b.y - a.y) / d


def on_road(name: str, s: float, side: str, setback: float = 18.0):
    """Point s metres along the road, setback metres to its left (L) or right (R)."""
    line = ROAD[name]
    p = line.interpolate(s)
    tx, ty = tangent(line, s)
    k = setback if side == "L" else -setback
    return round(p.x - k * ty, 2), round(p.y + k * tx, 2)


def door(s: float, side: str, step: float = 20.0) -> int:
    return 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, prefix=CITY, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(
            f"CG{CODE_KEY[road]}{n}",
            f"{prefix}{road}{n}号",
            x,
            y,
            aliases,
            road=road,
            s=s,
            side=side,
            n=n,
        )


def fb(road, s, side, step=20.0):
    return BY_CODE[f"CG{CODE_KEY[road]}{door(s, side, step)}"]


def annex(base: dict, suffix: str, key: str, x: float, y: float):
    """A door hanging on another one: `张掖路72号附3号`, `武都路66-1号`."""
    stem = base["address"][: -len("号")]
    add(f"{base['code']}{key}", f"{stem}{suffix}", x, y, road=base["road"], n=None, base=base["n"])


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y, aliases)."""
    for n, x, y, *al in points:
        add(f"CG{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, al, road=lane, n=n)


def compound(gate: dict, name: str, code: str, spots):
    """The 号楼 of a 小区 / 家属院 whose gate is a door of a road."""
    stem = gate["address"]
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{stem}{name}{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


VILLAGES = {key: (v, t, vb, style) for _c, t, _b, vs in RURAL for v, key, vb, style in vs}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def group_text(key: str, zu: int) -> str:
    """How a village writes its groups in addresses."""
    return {
        "SMG": f"{zu}社",
        "FLP": f"{CN[zu]}组",
        "BDP": f"{CN[zu]}社",
        "DLG": WANS[zu - 1],
    }[key]


def rural_houses(key: str, zu: int | None, centre, numbers, aliases=None):
    """Houses of a 社 / 组 / natural village (zu) or of a village numbered across (zu None)."""
    v_name, town, _vb, _style = VILLAGES[key]
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        gt = group_text(key, zu) if zu else ""
        add(
            f"CG{key}{zu or 0:02d}{n:03d}",
            f"{CITY}{town}{v_name}{gt}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=town,
            village=v_name,
            vkey=key,
            zu=zu if key != "DLG" else None,
            wan=WANS[zu - 1] if key == "DLG" else None,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "南滨河东路",
        [
            (500, "L", ["羊皮筏子码头"]),
            (600, "R", ["南滨河东路加油站"]),
            (1300, "R", []),
            (1900, "R", ["兰州水车博览园", "水车博览园"]),
            (2600, "R", []),
            (3100, "R", ["雁滩公园", "雁滩公园北门"]),
            (3400, "L", []),
        ],
    )
    frontage(
        "张掖路",
        [
            (300, "L", []),
            (500, "L", ["兰州百货大楼", "兰州百货"]),
            (700, "R", ["张掖路派出所"]),
            (1100, "L", ["中国工商银行张掖路支行", "工行张掖路支行"]),
            (1500, "R", []),
            (1700, "L", []),
        ],
    )
    frontage(
        "庆阳路",
        [
            (150, "L", []),
            (700, "R", ["建设银行庆阳路支行", "建行庆阳路支行"]),
            (1500, "R", ["国芳百货"]),
            (1900, "L", []),
            (2300, "R", ["兰州市第二中学", "兰州二中"]),
            (2780, "L", ["甘肃银行雁滩支行"]),
            (3300, "R", []),
        ],
    )
    frontage(
        "武都路",
        [
            (300, "L", []),
            (650, "R", []),
            (1100, "L", ["兰州大学第二医院", "兰大二院"]),
            (1500, "L", ["东方红广场"]),
            (2100, "R", []),
        ],
    )
    frontage(
        "东岗西路",
        [
            (300, "L", []),
            (900, "R", ["甘肃省人民医院", "省人民医院", "省医院"]),
            (1500, "L", ["兰州大学第一医院", "兰大一院"]),
            (2100, "R", ["农业银行东岗西路支行", "农行东岗西路支行"]),
            (2700, "L", []),
        ],
    )
    frontage("中山路", [(300, "L", []), (700, "R", []), (1200, "L", [])])
    frontage("金昌路", [(200, "R", []), (900, "L", []), (1300, "R", [])])
    frontage("静宁路", [(150, "L", []), (800, "R", []), (1200, "L", [])])
    frontage(
        "酒泉路", [(300, "R", []), (1100, "L", []), (1700, "R", ["酒泉路派出所"]), (2600, "R", [])]
    )
    frontage(
        "天水路",
        [
            (400, "L", []),
            (1100, "L", []),
            (1700, "L", ["兰州大学", "兰大"]),
            (2400, "R", []),
            (2700, "L", []),
        ],
    )
    frontage("雁滩路", [(200, "L", []), (350, "R", ["雁南派出所"]), (1000, "R", [])])
    frontage("雁南路", [(100, "L", []), (300, "R", [])])
    frontage("民主东路", [(300, "L", []), (700, "R", []), (1500, "R", []), (2100, "L", [])])
    frontage("南昌路", [(200, "L", []), (700, "R", []), (1900, "R", [])])
    frontage(
        "皋兰路",
        [
            (100, "L", ["五泉山公园", "五泉山"]),
            (500, "R", ["兰州市第一中学", "兰州一中"]),
            (1200, "L", ["皋兰路派出所"]),
        ],
    )
    frontage("白银路", [(300, "R", []), (1300, "L", [])])
    frontage("平凉路", [(200, "L", []), (700, "R", []), (1200, "L", [])])
    # lanes of the road file
    frontage("箭道巷", [(40, "R", []), (200, "L", [])], step=10)
    frontage("木塔巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("大众巷", [(60, "L", []), (240, "R", ["马子禄牛肉面"])], step=10)
    frontage("贡元巷", [(40, "L", []), (160, "R", [])], step=10)
    frontage("道升巷", [(100, "L", []), (280, "R", []), (480, "L", [])], step=10)
    # lanes in no road file (秦安巷's houses stand on both sides of 庆阳路)
    lane_houses("曹家巷", [(3, 1450, 1600), (5, 1480, 1625), (12, 1520, 1600)])
    lane_houses("畅家巷", [(2, 1300, 2100), (7, 1320, 2140), (15, 1280, 2170)])
    lane_houses("颜家巷", [(4, 700, 2000), (9, 720, 2050)])
    lane_houses("学院巷", [(6, 2150, 700), (11, 2160, 640)])
    lane_houses("秦安巷", [(1, 2150, 2228), (6, 2160, 2272), (10, 2150, 2300)])
    # doors hanging on doors
    annex(fb("张掖路", 700, "R"), "号附3号", "F3", 740, 2515)
    annex(fb("武都路", 650, "R"), "-1号", "A1", 690, 1815)
    # 小区 and 家属院: a gate door with the compound's name, and its 号楼
    frontage("雁滩路", [(750, "L", ["雁园小区", "雁园小区南门"])])
    gate = fb("雁滩路", 750, "L")
    compound(
        gate,
        "雁园小区",
        "CGYYXQ",
        [(3010, 2080), (3090, 2080), (3170, 2080), (3010, 2170), (3090, 2170), (3170, 2170)],
    )
    frontage("南昌路", [(1300, "L", ["金城花园", "金城花园大门"])])
    compound(
        fb("南昌路", 1300, "L"),
        "金城花园",
        "CGJCHY",
        [(1280, 480), (1360, 480), (1440, 480), (1280, 560)],
    )
    frontage("民主东路", [(1000, "L", ["省建一公司家属院", "省建一公司家属院大门"])])
    compound(
        fb("民主东路", 1000, "L"),
        "省建一公司家属院",
        "CGSJYG",
        [(930, 1080), (1010, 1080), (1090, 1080), (930, 1160)],
    )
    frontage("酒泉路", [(2000, "L", ["铁路局家属院", "铁路局家属院大门"])])
    compound(
        fb("酒泉路", 2000, "L"),
        "铁路局家属院",
        "CGTLJ",
        [(1060, 1960), (1120, 1960), (1060, 2040), (1120, 2040)],
    )
    # the peri-urban main roads
    frontage(
        "伏龙坪路",
        [(300, "R", ["伏龙坪小学"]), (1100, "L", ["伏龙坪村委会", "伏龙坪村村委会"])],
        prefix=CITY + "伏龙坪街道",
    )
    qbs = CITY + "青白石街道"
    frontage(
        "青白石路",
        [
            (300, "R", ["青白石街道卫生院"]),
            (900, "L", ["青白石派出所"]),
            (1700, "R", ["青白石加油站"]),
        ],
        prefix=qbs,
    )
    frontage("石门沟路", [(1000, "R", ["石门沟小学"])], prefix=qbs)
    frontage("大浪沟路", [(400, "R", ["大浪沟村委会", "大浪沟村村委会"])], prefix=qbs)
    frontage("白道坪路", [(500, "L", ["白道坪村委会", "白道坪村村委会"])], prefix=qbs)
    # 石门沟村: 1社 … 6社, micro-grids named after them
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [5, 9, 14]),
        (3, [6, 11, 15, 21]),
        (4, [2, 7, 10]),
        (5, [1, 4, 13]),
        (6, [3, 9]),
    ]:
        g, c = divmod(zu - 1, 3)
        al = {9: ["石门沟村委会", "石门沟村村委会"]} if zu == 2 else None
        rural_houses("SMG", zu, (3800 + 400 * c, 1875 + 750 * g), nums, al)
    # 大浪沟村: natural villages, micro-grids named after them
    for zu, nums in [(1, [5, 12, 18]), (2, [3, 9]), (3, [2, 7, 11]), (4, [4, 8]), (5, [6, 10])]:
        g, c = divmod(zu - 1, 3)
        rural_houses("DLG", zu, (5000 + 400 * c, 1875 + 750 * g), nums)
    rural_houses("DLG", 6, (5800, 2625), [1, 5])
    # 伏龙坪村 (plain micro-grids; 四组 lies across two)
    rural_houses("FLP", 1, (2500, 375), [3, 8, 12])
    rural_houses("FLP", 2, (3000, 375), [2, 6])
    rural_houses("FLP", 3, (2500, 1125), [4, 8, 15])
    rural_houses("FLP", 4, (3000, 750), [1, 5, 9])
    rural_houses("FLP", 5, (3000, 1200), [3, 7])
    # 白道坪村 (plain micro-grids, houses by 社 in Chinese numerals; 二社 lies across two)
    rural_houses("BDP", 1, (4200, 375), [2, 6, 10])
    rural_houses("BDP", 2, (4400, 1100), [3, 7, 12])
    rural_houses("BDP", 3, (5000, 375), [1, 5, 9])
    rural_houses("BDP", 4, (4200, 1125), [4, 8])
    rural_houses("BDP", 5, (4700, 375), [6, 11])
    rural_houses("BDP", 6, (5000, 1125), [2, 7])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("SC", None, (3800, 400), [12, 36, 58, 90])
    rural_houses(
        "LJZ",
        None,
        (5400, 1100),
        [8, 27, 53, 71],
        {27: ["李家庄村卫生室"], 53: ["李家庄村委会"]},
    )
    rural_houses("ZJWQ", None, (5800, 500), [5, 21, 44, 67])
    rural_houses("ZJWF", None, (3400, 1100), [9, 21, 38, 60])


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float) -> str:
    p = Point(x, y)
    hits = [c for c, poly in MICROS.items() if poly.contains(p)]
    if len(hits) != 1 or MICROS[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


def micro_of_region(region) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    if region is None or region.is_empty:
        return None
    if not DISTRICT_AREA.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- places (rules)
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


def crossing(a: str, b: str) -> Point | None:
    pts = crossings(a, b)
    return pts[0] if len(pts) == 1 else None


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


def quadrant(o: Point, corner: str, r: float):
    sx, sy = CORNERS[corner]
    quad = box(
        min(o.x + sx, o.x + sx * r),
        min(o.y + sy, o.y + sy * r),
        max(o.x + sx, o.x + sx * r),
        max(o.y + sy, o.y + sy * r),
    )
    return quad.intersection(o.buffer(r))


def offset_region(o: Point | None, d: str, lo: float, hi: float, side=None, lateral=LATERAL):
    if o is None:
        return None
    if side:
        road, sd = side
        wide = band(o, d, lo, hi, lateral=60)
        if not DISTRICT_AREA.contains(wide):
            return wide  # it runs out of the district
        region = wide.intersection(side_of(road, sd))
        if region.area < 100:
            raise SystemExit(f"{road} {sd}: the side strip misses the offset")
        return region
    return band(o, d, lo, hi, lateral)


def houses(town=None, village=None, zu=None, wan=None, road=None):
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
        if wan is not None and b["wan"] != wan:
            continue
        out.append(b)
    return out


def pt(b: dict) -> Point:
    return Point(b["x"], b["y"])


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def LM(alias: str) -> dict:
    return BY_CODE[code_of_alias(alias)]


# ---------------------------------------------------------------- query specs
# A place spec is a pair (narrow, wide) of regions (None: it means nothing). For words the
# rules cover the two are the same region.
def same(region):
    return (region, region)


def X(a, b, corner=None, offset=None, side=None):
    """A crossing by the rules: 30 m disc, a corner's quadrant, or an offset from it."""
    o = crossing(a, b)
    if o is None:
        return (None, None)
    if offset:
        d, dist, how = offset
        return same(offset_region(o, d, *tolerance(dist, how), side=side))
    if corner:
        return same(quadrant(o, corner, R_CROSS))
    return same(o.buffer(R_CROSS))


def DISC(o: Point | None, rn: float, rw: float, corner=None):
    """Two discs (narrow, wide) around a point; a corner keeps the quadrant."""
    if o is None:
        return (None, None)
    if corner:
        return (quadrant(o, corner, rn), quadrant(o, corner, rw))
    return (o.buffer(rn), o.buffer(rw))


def NAMED(name: str):  # 西关十字, 南关十字, 盘旋路
    return crossing(*NAMED_CROSSINGS[name])


def MOUTH(lane: str) -> Point | None:
    """Where a lane meets another road (路口子 / 巷口子): one end only, else nothing."""
    line = ROAD[lane]
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    hits = [
        e
        for e in ends
        if any(ROAD[r].distance(e) < 0.01 for r in ROAD if r != lane and r not in BRIDGES)
    ]
    return hits[0] if len(hits) == 1 else None


def BEND(road: str) -> Point | None:
    """The road's bend (拐弯子): one bend only, else nothing."""
    cs = list(ROAD[road].coords)
    bends = [Point(cs[i]) for i in range(1, len(cs) - 1)]
    return bends[0] if len(bends) == 1 else None


def OFF(o: Point | None, d, dist, how="exact", side=None):
    return same(offset_region(o, d, *tolerance(dist, how), side=side))


def RANGE(o: Point | None, d, lo, hi):
    """二三百米 / 一两百米: narrow the range itself, wide 20 % beyond either end."""
    return (offset_region(o, d, lo, hi), offset_region(o, d, 0.8 * lo, 1.2 * hi))


def UPHILL(o: Point | None, d_word: str, dist, how="exact"):
    """往上走 / 往下走: uphill is south on 伏龙坪's hill; elsewhere the words give no direction."""
    if o is None or not box(*STREET_BOX[HILL]).contains(o):
        return (None, None)
    d = "南" if d_word == "上" else "北"
    lo, hi = tolerance(dist, how)
    return (offset_region(o, d, lo, hi), offset_region(o, d, 0.85 * lo, 1.15 * hi, lateral=40))


def BRIDGE_END(bridge: str, d: str, far=True) -> Point:
    cs = [Point(c) for c in ROAD[bridge].coords]
    ux, uy = DIRS[d]
    key = sorted(cs, key=lambda p: p.x * ux + p.y * uy)
    return key[-1] if far else key[0]


def PAST_BRIDGE(bridge: str, d: str | None):
    """过了桥 (going d): narrow 10-60 m past its far end, 20 m either side; wide 10-200 m, 40 m."""
    if d is None:
        return (None, None)  # which side is "past" depends on where one comes from
    o = BRIDGE_END(bridge, d)
    return (band(o, d, 10, 60), band(o, d, 10, 200, lateral=40))


def PAST_BRIDGE_OFF(bridge: str, d: str, dist, how="exact"):
    """过了桥再走N米: narrow counts from the bridge's far end, wide from its near end."""
    lo, hi = tolerance(dist, how)
    return (
        offset_region(BRIDGE_END(bridge, d), d, lo, hi),
        offset_region(BRIDGE_END(bridge, d, far=False), d, lo, hi),
    )


def NEAR(*aliases, rn=R_NEAR, rw=R_NEAR):
    if not aliases:
        return (None, None)
    pts = [pt(LM(a)) for a in aliases]
    return (
        unary_union([p.buffer(rn) for p in pts]),
        unary_union([p.buffer(rw) for p in pts]),
    )


def COMPOUND(name: str, rn=R_NEAR, rw=R_NEAR):
    pts = [pt(b) for b in BUILDINGS if b.get("compound") == name or name in b["aliases"]]
    return (
        unary_union([p.buffer(rn) for p in pts]),
        unary_union([p.buffer(rw) for p in pts]),
    )


def UNDER_BRIDGE(bridge: str):
    """桥底下: the bridge's line, 20 m (narrow) or 60 m (wide) either side."""
    return (ROAD[bridge].buffer(20), ROAD[bridge].buffer(60))


def ACROSS(alias: str):
    """对过: across the landmark's road; narrow ±20 m along it, 2-30 m deep; wide ±60 m, 2-40 m."""
    b = LM(alias)
    line, s = ROAD[b["road"]], b["s"]
    other = -1 if b["side"] == "L" else 1  # single-sided buffer: positive is the left side

    def strip(half, depth):
        seg = substring(line, max(s - half, 0), min(s + half, line.length))
        return seg.buffer(other * depth, single_sided=True).difference(line.buffer(2))

    return (strip(20, 30), strip(60, 40))


def BEHIND(alias: str):
    """背后头: away from the landmark's road; narrow 10-60 m behind, ±25 m; wide 0-120 m, ±50 m."""
    b = LM(alias)
    tx, ty = tangent(ROAD[b["road"]], b["s"])
    k = 1 if b["side"] == "L" else -1
    nx, ny = -ty * k, tx * k  # from the road towards the building and on

    def rect(d0, d1, half):
        x, y = b["x"], b["y"]
        return Polygon(
            [
                (x + d0 * nx - half * tx, y + d0 * ny - half * ty),
                (x + d1 * nx - half * tx, y + d1 * ny - half * ty),
                (x + d1 * nx + half * tx, y + d1 * ny + half * ty),
                (x + d0 * nx + half * tx, y + d0 * ny + half * ty),
            ]
        )

    return (rect(10, 60, 25), rect(0, 120, 50))


def LANE(name: str, street: str | None = None):
    """A lane: its line without 10 m at each end, and its houses (in the 街道 when named)."""
    parts = []
    if name in ROAD:
        line = ROAD[name]
        parts.append(substring(line, 10, line.length - 10))
    parts += [pt(b) for b in houses(road=name)]
    if not parts:
        return (None, None)
    region = unary_union(parts)
    if street and not box(*STREET_BOX[street]).contains(region):
        return (None, None)  # a wrong 街道: no such lane there
    return same(region)


def ZU(village, zu=None, town=None, wan=None):
    hs = houses(town=town, village=village, zu=zu, wan=wan)
    return same(MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None)


def WAN(wan):  # a natural village named alone
    hs = houses(wan=wan)
    return same(MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None)


def VIL(village, town=None):
    hs = houses(town=town, village=village)
    return same(MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None)


NOTHING = (None, None)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"CG{key}{zu:02d}{n:03d}"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")
    if any(text in a for b in BUILDINGS for a in b["aliases"]):
        raise SystemExit(f"{text} is an alias")


def FW(s: str) -> str:  # full-width digits
    return s.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})


# The words the rules do not cover, their two readings (for README's table).
WORDS = {
    "十字": ("a named 十字 alone (`西关十字`): 30 m disc", "60 m disc"),
    "路口子上": ("30 m disc at the crossing / the lane's mouth", "50 m disc"),
    "拐弯子": ("30 m disc at the road's one bend", "60 m disc"),
    "跟前": ("every point within 30 m", "within 80 m"),
    "那搭 / 那达": ("within 50 m", "within 150 m"),
    "底下": ("within 20 m of the landmark (of a bridge's line)", "within 60 m"),
    "门口子": ("within 50 m (as 门口)", "within 80 m"),
    "对过": (
        "across the landmark's road, ±20 m along it, 2-30 m from its centreline",
        "±60 m along, 2-40 m",
    ),
    "背后头": ("10-60 m behind the landmark (away from its road), ±25 m", "0-120 m, ±50 m"),
    "二三百米 / 一两百米": ("the range itself (200-300 m), band ±20 m", "0.8x low to 1.2x high"),
    "往上走 / 往下走": (
        "on 伏龙坪's hill: south (uphill) / north, the rules' tolerance, band ±20 m",
        "tolerance widened 15 % at each end, band ±40 m; off the hill: no direction",
    ),
    "过了桥": (
        "going d: 10-60 m past the bridge's far end, ±20 m; with N米: N from the far end",
        "10-200 m, ±40 m; with N米: N from the near end; no direction: no reading",
    ),
}


def queries():
    Q = []

    def q(kind, text, spec, words=()):
        for w in words:
            if w not in WORDS:
                raise SystemExit(f"unknown word {w}")
        Q.append((kind, text, spec, tuple(words)))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "张掖路与金昌路十字有人占道经营", X("张掖路", "金昌路"))
    q(x, "张掖路跟酒泉路路口子上井盖没了", DISC(crossing("张掖路", "酒泉路"), 30, 50), ["路口子上"])
    q(x, "张掖路酒泉路交叉口西北角有人摆摊", X("张掖路", "酒泉路", "西北"))
    q(x, "张掖路与静宁路十字红绿灯坏了", X("张掖路", "静宁路"))
    q(x, "西关十字有人发小广告", DISC(NAMED("西关十字"), 30, 60), ["十字"])
    q(x, "南关十字堵得走不动", DISC(NAMED("南关十字"), 30, 60), ["十字"])
    q(x, "西关十字东南角有人卖瓜占道", DISC(NAMED("西关十字"), 30, 60, "东南"), ["十字"])
    q(x, "南关十字西南角垃圾桶满了", DISC(NAMED("南关十字"), 30, 60, "西南"), ["十字"])
    q(x, "盘旋路那搭车辆乱停", DISC(NAMED("盘旋路"), 50, 150), ["那搭 / 那达"])
    q(x, "中山路与武都路十字路口积水", X("中山路", "武都路"))
    q(
        x,
        "中山路武都路交叉口往北走个二三百米，人行道塌了",
        RANGE(crossing("中山路", "武都路"), "北", 200, 300),
        ["二三百米 / 一两百米"],
    )
    q(
        x,
        "中山路张掖路路口往南走个二三百米有个大坑",
        RANGE(crossing("中山路", "张掖路"), "南", 200, 300),
        ["二三百米 / 一两百米"],
    )
    q(x, "金昌路与庆阳路十字有渣土车撒漏", X("金昌路", "庆阳路"))
    q(x, "金昌路庆阳路交叉口东北角共享单车乱放", X("金昌路", "庆阳路", "东北"))
    q(x, "庆阳路与张掖路交叉口路灯不亮", X("庆阳路", "张掖路"))
    q(x, "道升巷与庆阳路十字下水道冒水", X("道升巷", "庆阳路"))
    q(x, "道升巷拐弯子上堆了一堆建筑垃圾", DISC(BEND("道升巷"), 30, 60), ["拐弯子"])
    q(x, "雁南路拐弯子那里路灯杆歪了", DISC(BEND("雁南路"), 30, 60), ["拐弯子"])
    q(x, "静宁路与武都路十字有人卖菜", X("静宁路", "武都路"))
    q(x, "静宁路南滨河东路交叉口西南角护栏倒了", X("静宁路", "南滨河东路", "西南"))
    q(x, "天水路雁滩路交叉口东北角有流浪狗", X("天水路", "雁滩路", "东北"))
    q(x, "木塔巷口子上有人乱停车", DISC(MOUTH("木塔巷"), 30, 50), ["路口子上"])
    q(x, "皋兰路与民主东路十字有人发传单", X("皋兰路", "民主东路"))
    q(x, "平凉路与南昌路十字早上堵车", X("平凉路", "南昌路"))
    q(
        x,
        "平凉路和民主东路路口子上有人摆摊",
        DISC(crossing("平凉路", "民主东路"), 30, 50),
        ["路口子上"],
    )
    q(
        x,
        "酒泉路与民主东路交叉口往东30米人行道砖翘起来了",
        X("酒泉路", "民主东路", None, ("东", 30, "exact")),
    )
    q(x, "石门沟路与青白石路交叉口西北角有人焚烧垃圾", X("石门沟路", "青白石路", "西北"))
    q(x, "大浪沟路与青白石路十字有人晒粮食占道", X("大浪沟路", "青白石路"))
    q(x, "白道坪路青白石路交叉口东南角堆了秸秆", X("白道坪路", "青白石路", "东南"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    bh = pt(LM("兰州百货大楼"))
    q(
        o,
        "兰州百货大楼往西走个二三百米有个井盖没了",
        RANGE(bh, "西", 200, 300),
        ["二三百米 / 一两百米"],
    )
    q(
        o,
        "张掖路派出所往东走个二三百米，有人烧纸",
        RANGE(pt(LM("张掖路派出所")), "东", 200, 300),
        ["二三百米 / 一两百米"],
    )
    sy = pt(LM("省人民医院"))
    q(o, "省人民医院往西200米路南有人摆摊卖水果", OFF(sy, "西", 200, side=("东岗西路", "南")))
    q(o, "省人民医院往西200米有人乱贴小广告", OFF(sy, "西", 200))
    q(
        o,
        "兰大一院往东200米路北人行道被占",
        OFF(pt(LM("兰大一院")), "东", 200, side=("东岗西路", "北")),
    )
    ld = pt(LM("兰州大学"))
    q(o, "兰州大学往北约300米有人占道经营", OFF(ld, "北", 300, "about"))
    q(o, "兰州大学往北300米路西有共享单车堆放", OFF(ld, "北", 300, side=("天水路", "西")))
    dfh = pt(LM("东方红广场"))
    q(o, "东方红广场往南走了三百来米有人烧垃圾", OFF(dfh, "南", 300, "about"))
    q(
        o,
        "东方红广场往北走个一两百米有人遛狗不拴绳",
        RANGE(dfh, "北", 100, 200),
        ["二三百米 / 一两百米"],
    )
    q(o, "兰大二院背后头有人私搭乱建", BEHIND("兰大二院"), ["背后头"])
    q(o, "兰州一中背后头垃圾没人清", BEHIND("兰州一中"), ["背后头"])
    q(o, "张掖路派出所背后头有人半夜装修", BEHIND("张掖路派出所"), ["背后头"])
    q(o, "羊皮筏子码头背后头有人往河里倒垃圾", BEHIND("羊皮筏子码头"), ["背后头"])
    fw = pt(LM("伏龙坪村委会"))
    q(o, "伏龙坪村委会往上走200米有人私挖山体", UPHILL(fw, "上", 200), ["往上走 / 往下走"])
    q(o, "伏龙坪村委会往上走四百米有人烧荒", UPHILL(fw, "上", 400), ["往上走 / 往下走"])
    q(
        o,
        "伏龙坪小学往下走一百米路面塌陷",
        UPHILL(pt(LM("伏龙坪小学")), "下", 100),
        ["往上走 / 往下走"],
    )
    q(
        o,
        "张掖路派出所往上走一百米有人占道",
        UPHILL(pt(LM("张掖路派出所")), "上", 100),
        ["往上走 / 往下走"],
    )
    q(o, "顺着雁滩路往东过了桥，路边有人倒垃圾", PAST_BRIDGE("南河道桥", "东"), ["过了桥"])
    q(o, "沿雁滩路往西过了南河道桥有人钓鱼占道", PAST_BRIDGE("南河道桥", "西"), ["过了桥"])
    q(o, "沿石门沟路往南过了大沙沟桥有个大坑", PAST_BRIDGE("大沙沟桥", "南"), ["过了桥"])
    q(
        o,
        "石门沟路往北过了大沙沟桥再走150米有人焚烧秸秆",
        PAST_BRIDGE_OFF("大沙沟桥", "北", 150),
        ["过了桥"],
    )
    q(o, "过了南河道桥那边有人私搭棚子", PAST_BRIDGE("南河道桥", None), ["过了桥"])
    q(
        o,
        "从张掖路这边过了中山桥往北走100米有人卖东西",
        PAST_BRIDGE_OFF("中山桥", "北", 100),
        ["过了桥"],
    )
    sm = pt(LM("石门沟村委会"))
    q(o, "石门沟村委会往东400米有人焚烧垃圾", OFF(sm, "东", 400))
    q(
        o,
        "白道坪村委会往南走了两百来米有人私挖鱼塘",
        OFF(pt(LM("白道坪村委会")), "南", 200, "about"),
    )
    q(o, "大浪沟村委会往北300米有人倒建筑垃圾", OFF(pt(LM("大浪沟村委会")), "北", 300))
    q(o, "兰州西站往东200米有人占道", OFF(None, "东", 200))
    q(
        o,
        "西关十字往东走个二三百米有人卖烤肉占道",
        RANGE(NAMED("西关十字"), "东", 200, 300),
        ["十字", "二三百米 / 一两百米"],
    )
    q(
        o,
        "南关十字往南150米路西有人乱停车",
        OFF(NAMED("南关十字"), "南", 150, side=("酒泉路", "西")),
        ["十字"],
    )
    q(o, "五泉山公园往北走了一百多米有人摆摊", OFF(pt(LM("五泉山公园")), "北", 100, "more"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "兰州百货大楼门口有人发小广告", NEAR("兰州百货大楼"))
    q(n, "省人民医院门口乱停车", NEAR("省人民医院"))
    q(n, "省人民医院对过有人摆摊", ACROSS("省人民医院"), ["对过"])
    q(n, "兰大一院对过的人行道被占了", ACROSS("兰大一院"), ["对过"])
    q(n, "兰州大学对过有人卖盗版书", ACROSS("兰州大学"), ["对过"])
    q(n, "工行张掖路支行对过有个井盖缺失", ACROSS("工行张掖路支行"), ["对过"])
    q(n, "甘肃银行雁滩支行对过有人烧纸", ACROSS("甘肃银行雁滩支行"), ["对过"])
    q(n, "东方红广场跟前有人放风筝挡路", NEAR("东方红广场", rn=30, rw=80), ["跟前"])
    q(n, "兰大二院跟前有人倒卖号", NEAR("兰大二院", rn=30, rw=80), ["跟前"])
    q(n, "酒泉路派出所跟前有人打架", NEAR("酒泉路派出所", rn=30, rw=80), ["跟前"])
    q(n, "兰州水车博览园那达有人乱扔垃圾", NEAR("兰州水车博览园", rn=50, rw=150), ["那搭 / 那达"])
    q(n, "石门沟小学那搭有人焚烧垃圾", NEAR("石门沟小学", rn=50, rw=150), ["那搭 / 那达"])
    q(n, "兰州一中那达有流动摊贩", NEAR("兰州一中", rn=50, rw=150), ["那搭 / 那达"])
    q(n, "五泉山底下有人乱停车", NEAR("五泉山", rn=20, rw=60), ["底下"])
    q(n, "中山桥底下有人钓鱼", UNDER_BRIDGE("中山桥"), ["底下"])
    q(n, "工行张掖路支行楼底下有人乞讨", NEAR("工行张掖路支行", rn=20, rw=60), ["底下"])
    q(n, "国芳百货楼底下有人卖假货", NEAR("国芳百货", rn=20, rw=60), ["底下"])
    q(n, "张掖路派出所门口子有人吵架", NEAR("张掖路派出所", rn=50, rw=80), ["门口子"])
    q(n, "伏龙坪小学门口子早上堵车", NEAR("伏龙坪小学", rn=50, rw=80), ["门口子"])
    q(n, "青白石派出所门口子有人摆摊", NEAR("青白石派出所", rn=50, rw=80), ["门口子"])
    q(n, "雁园小区周边夜里有人烧烤扰民", COMPOUND("雁园小区"))
    q(n, "金城花园附近路灯不亮", COMPOUND("金城花园"))
    q(n, "省建一公司家属院旁边有人私拉电线", COMPOUND("省建一公司家属院"))
    q(n, "铁路局家属院周边有人占道修车", COMPOUND("铁路局家属院"))
    q(n, "白塔山底下有人卖香", NOTHING, ["底下"])
    q(n, "大浪沟村委会旁边有人焚烧垃圾", NEAR("大浪沟村委会"))
    q(n, "李家庄村卫生室隔壁有人养狗扰民", NEAR("李家庄村卫生室"))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane, street in [
        ("木塔巷路灯坏了好几天了", "木塔巷", None),
        ("来电人反映大众巷里有车辆长期占道", "大众巷", None),
        ("贡元巷下水道堵了，污水漫到路上", "贡元巷", None),
        ("道升巷有人养鸽子扰民", "道升巷", None),
        ("箭道巷的路面坑坑洼洼", "箭道巷", None),
        ("曹家巷垃圾几天没人收", "曹家巷", None),
        ("畅家巷有人半夜装修", "畅家巷", None),
        ("市民称颜家巷里面电线乱拉", "颜家巷", None),
        ("学院巷化粪池满了往外冒", "学院巷", None),
        ("秦安巷 有人占用消防通道", "秦安巷", None),
        ("石榴巷有人半夜施工", "石榴巷", None),
        ("红星巷路灯不亮", "红星巷", None),
        ("城关区曹家巷路面结冰，老人出行困难", "曹家巷", None),
        ("张掖路街道木塔巷有人占道晾晒", "木塔巷", "张掖路街道"),
        ("酒泉路街道木塔巷有人私搭雨棚", "木塔巷", "酒泉路街道"),
    ]:
        q(la, text, LANE(lane, street))

    # --- group (社 / 组 / natural village named with its village) ---------------------------
    g = "group"
    q(g, "石门沟村3社有人焚烧秸秆", ZU("石门沟村", 3))
    q(g, "石门沟村五社有人在田边烧垃圾", ZU("石门沟村", 5))
    q(g, "青白石街道石门沟村第一村民小组有人违建", ZU("石门沟村", 1, "青白石街道"))
    q(g, "城关区青白石街道石门沟村6社自来水停了", ZU("石门沟村", 6, "青白石街道"))
    q(g, "石门沟村2组路灯不亮", ZU("石门沟村", 2))
    q(g, "石门沟村8社有人私挖鱼塘", ZU("石门沟村", 8))
    q(g, "伏龙坪街道石门沟村3社有人偷倒建筑垃圾", ZU("石门沟村", 3, "伏龙坪街道"))
    q(g, "伏龙坪村三组垃圾没人收", ZU("伏龙坪村", 3))
    q(g, "伏龙坪村1组有人放养的狗咬人", ZU("伏龙坪村", 1))
    q(g, "伏龙坪村四组排水渠堵塞", ZU("伏龙坪村", 4))
    q(g, "伏龙坪街道伏龙坪村第二村民小组有人私搭乱建", ZU("伏龙坪村", 2, "伏龙坪街道"))
    q(g, "伏龙坪村7组有人烧荒", ZU("伏龙坪村", 7))
    q(g, "白道坪村三社有人在路边晒粮", ZU("白道坪村", 3))
    q(g, "白道坪村二社路面塌陷", ZU("白道坪村", 2))
    q(g, "白道坪村6社有人焚烧垃圾", ZU("白道坪村", 6))
    q(g, "大浪沟村王家湾有人乱砍树", ZU("大浪沟村", wan="王家湾"))
    q(g, "青白石大浪沟村马家坪有人私拉电网", ZU("大浪沟村", town="青白石街道", wan="马家坪"))
    q(g, "大浪沟村赵家湾有人电鱼", ZU("大浪沟村", wan="赵家湾"))
    q(g, "白道坪村刘家庄有人违建", ZU("白道坪村", wan="刘家庄"))
    q(g, "张家湾村2社有人私拉电线", ZU("张家湾村", 2))

    # --- village (a 行政村 named alone, or with its street; a natural village alone) ------
    v = "village"
    q(v, "上川村有人烧秸秆，烟很大", VIL("上川村"))
    q(v, "青白石街道上川村路灯不亮", VIL("上川村", "青白石街道"))
    q(v, "李家庄村有人私拉电网捕鸟", VIL("李家庄村"))
    q(v, "城关区青白石街道李家庄村狗咬人", VIL("李家庄村", "青白石街道"))
    q(v, "张家湾村自来水停了", VIL("张家湾村"))
    q(v, "伏龙坪街道张家湾村有人占用耕地建房", VIL("张家湾村", "伏龙坪街道"))
    q(v, "青白石张家湾村有人焚烧垃圾", VIL("张家湾村", "青白石街道"))
    q(v, "石门沟村垃圾堆放", VIL("石门沟村"))
    q(v, "白道坪村有人电鱼", VIL("白道坪村"))
    q(v, "伏龙坪村排水沟堵了", VIL("伏龙坪村"))
    q(v, "大浪沟村有人砍伐树木", VIL("大浪沟村"))
    q(v, "伏龙坪街道上川村有人焚烧秸秆", VIL("上川村", "伏龙坪街道"))
    q(v, "下川村有人烧荒", VIL("下川村"))
    q(v, "王家湾有人往沟里倒垃圾", WAN("王家湾"))
    q(v, "高家坪有人私建猪圈", WAN("高家坪"))

    # --- other_county (兰州's other 县级 units, other cities, in front of our addresses) -----
    oc = "other_county"
    zy, yt = fb("张掖路", 1500, "R"), fb("雁滩路", 1000, "R")
    qy = fb("庆阳路", 150, "L")
    sm15, fl8 = H("SMG", 3, 15), H("FLP", 3, 8)
    sc36, wj12 = H("SC", 0, 36), H("DLG", 1, 12)
    for text, code in [
        (f"七里河区张掖路{zy['n']}号", None),
        (f"兰州市安宁区雁滩路{yt['n']}号", None),
        ("西固区青白石街道石门沟村3社15号", None),
        ("红古区伏龙坪街道伏龙坪村三组8号", None),
        ("榆中县青白石街道上川村36号", None),
        ("皋兰县青白石街道大浪沟村王家湾12号", None),
        (f"西藏拉萨市城关区庆阳路{qy['n']}号", None),
        (f"甘肃省天水市张掖路{zy['n']}号", None),
        (f"甘肃省兰州市城关区张掖路{zy['n']}号", zy["code"]),
        (f"兰州市城关区雁滩路{yt['n']}号", yt["code"]),
        (f"兰州市城关区庆阳路{qy['n']}号", qy["code"]),
        ("城关区青白石街道石门沟村3社15号", sm15["code"]),
        ("兰州市城关区伏龙坪街道伏龙坪村三组8号", fl8["code"]),
        ("甘肃省兰州市城关区青白石街道上川村36号", sc36["code"]),
        ("青白石街道大浪沟村王家湾12号", wj12["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    e1, e2, e3 = fb("张掖路", 1700, "L"), fb("庆阳路", 1900, "L"), fb("酒泉路", 1100, "L")
    e4 = fb("天水路", 2400, "R")
    mz = fb("民主东路", 1000, "L")
    zya = BY_CODE[fb("张掖路", 700, "R")["code"] + "F3"]
    absent("石门沟村3社99号")
    absent("雁园小区9号楼")
    for text, code in [
        (
            "No. 15, Group 3, Shimengou Village, Qingbaishi Subdistrict, Chengguan District,"
            " Lanzhou",
            sm15["code"],
        ),
        (
            "No. 8, Group 3, Fulongping Village, Fulongping Subdistrict, Chengguan District",
            fl8["code"],
        ),
        (
            "Room 502, Unit 2, Building 3, Yanyuan Community, Yannan Subdistrict, Chengguan"
            " District, Lanzhou",
            "CGYYXQB3",
        ),
        (
            "Room 501, Unit 2, Building 3, Jincheng Garden, Chengguan District, Lanzhou",
            "CGJCHYB3",
        ),
        (f"No. {e1['n']}, Zhangye Road, Chengguan District, Lanzhou, Gansu", e1["code"]),
        (f"No. {e2['n']} Qingyang Road, Chengguan District, Lanzhou", e2["code"]),
        (f"No. {e3['n']}, Jiuquan Road, Chengguan District", e3["code"]),
        (f"No. {e4['n']}, Tianshui Road, Chengguan District, Lhasa", None),
        (f"No. {e1['n']}, Zhangye Road, Chengguan District, Lhasa, Tibet", None),
        (
            "No. 12, Wangjiawan, Dalanggou Village, Qingbaishi Subdistrict, Chengguan District",
            wj12["code"],
        ),
        (
            "No. 36, Shangchuan Village, Qingbaishi Subdistrict, Chengguan District, Lanzhou",
            sc36["code"],
        ),
        ("No. 5, Caojia Lane, Chengguan District, Lanzhou", "CGCJX5"),
        (f"Building 3, No. {mz['n']} Minzhu East Road, Chengguan District, Lanzhou", "CGSJYGB3"),
        (f"Annex 3, No. {zya['base']} Zhangye Road, Chengguan District, Lanzhou", zya["code"]),
        ("No. 99, Group 3, Shimengou Village, Qingbaishi Subdistrict, Chengguan District", None),
        ("Room 302, Unit 1, Building 9, Yanyuan Community, Chengguan District", None),
        ("15号，3社，石门沟村，青白石街道，城关区，兰州市", sm15["code"]),
        (f"{e1['n']}号，张掖路，城关区，兰州市，甘肃省", e1["code"]),
        ("502室，2单元，3号楼，雁园小区，城关区", "CGYYXQB3"),
        ("5号，曹家巷，兰州市城关区", "CGCJX5"),
        ("21号，张家湾村，城关区", None),
        (
            "No. 21, Zhangjiawan Village, Fulongping Subdistrict, Chengguan District",
            H("ZJWF", 0, 21)["code"],
        ),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    b = {
        "zy15": fb("张掖路", 1500, "R"),
        "zy3": fb("张掖路", 300, "L"),
        "qy23": fb("庆阳路", 3300, "R"),
        "jq3": fb("酒泉路", 300, "R"),
        "jn8": fb("静宁路", 800, "R"),
        "jn12": fb("静宁路", 1200, "L"),
        "jc2": fb("金昌路", 200, "R"),
        "jc9": fb("金昌路", 900, "L"),
        "wd21": fb("武都路", 2100, "R"),
        "wd3": fb("武都路", 300, "L"),
        "dg3": fb("东岗西路", 300, "L"),
        "dg27": fb("东岗西路", 2700, "L"),
        "zs3": fb("中山路", 300, "L"),
        "zs12": fb("中山路", 1200, "L"),
        "zypcs": fb("张掖路", 700, "R"),
        "yt10": fb("雁滩路", 1000, "R"),
        "yt2": fb("雁滩路", 200, "L"),
        "gl12": fb("皋兰路", 1200, "L"),
        "mz21": fb("民主东路", 2100, "L"),
        "mz7": fb("民主东路", 700, "R"),
        "nc2": fb("南昌路", 200, "L"),
        "nc19": fb("南昌路", 1900, "R"),
        "pl12": fb("平凉路", 1200, "L"),
        "pl2": fb("平凉路", 200, "L"),
        "ts27": fb("天水路", 2700, "L"),
        "ts4": fb("天水路", 400, "L"),
        "by3": fb("白银路", 300, "R"),
        "gh": fb("张掖路", 1100, "L"),
        "mt": fb("木塔巷", 250, "R", 10),
        "nb13": fb("南滨河东路", 1300, "R"),
        "jq26": fb("酒泉路", 2600, "R"),
        "wd65": fb("武都路", 650, "R"),
    }
    jc = fb("南昌路", 1300, "L")["n"]
    sj = fb("民主东路", 1000, "L")["n"]
    for miss in [
        "张掖路999号",
        "庆阳路7号",
        "张掖路72号附9号",
        "武都路66-3号",
        "石门沟村3社99号",
        "伏龙坪村三组50号",
        "大浪沟村王家湾99号",
        "曹家巷40号",
        "木塔巷99号",
        "上川村200号",
        "铁路局家属院6号楼",
        "省建一公司家属院8号楼",
        "金城花园5号楼",
    ]:
        absent(miss)
    for text, code in [
        (f"城关区张掖路{b['zy15']['n']}号", b["zy15"]["code"]),
        (f"兰州市城关区庆阳路{b['qy23']['n']}号", b["qy23"]["code"]),
        (f"甘肃省兰州市城关区酒泉路{b['jq3']['n']}号", b["jq3"]["code"]),
        (f"甘肃兰州城关区静宁路{b['jn8']['n']}号", b["jn8"]["code"]),
        (f"兰州城关金昌路{b['jc9']['n']}号", b["jc9"]["code"]),
        (f"武都路{b['wd21']['n']}号", b["wd21"]["code"]),
        (f"东岗西路{b['dg3']['n']}号", b["dg3"]["code"]),
        (f"城关区张掖路街道张掖路{b['zypcs']['n']}号", b["zypcs"]["code"]),
        (f"城关区酒泉路街道静宁路{b['jn12']['n']}号", b["jn12"]["code"]),
        (f"雁南街道雁滩路{b['yt10']['n']}号", b["yt10"]["code"]),
        (f"皋兰路街道五泉社区皋兰路{b['gl12']['n']}号", b["gl12"]["code"]),
        (f"天水路{b['ts27']['n']}号", b["ts27"]["code"]),
        (f"城关区南滨河东路{b['nb13']['n']}号", b["nb13"]["code"]),
        ("兰州百货大楼", code_of_alias("兰州百货大楼")),
        ("甘肃省人民医院", code_of_alias("甘肃省人民医院")),
        ("兰大一院", code_of_alias("兰大一院")),
        ("兰州大学", code_of_alias("兰州大学")),
        ("东方红广场", code_of_alias("东方红广场")),
        ("兰州水车博览园", code_of_alias("兰州水车博览园")),
        ("青白石街道卫生院", code_of_alias("青白石街道卫生院")),
        ("石门沟村委会", code_of_alias("石门沟村委会")),
        ("马子禄牛肉面", code_of_alias("马子禄牛肉面")),
        ("雁园小区3号楼2单元5楼502号", "CGYYXQB3"),
        ("雁园小区3-2-502", "CGYYXQB3"),
        ("金城花园2-1-302", "CGJCHYB2"),
        (f"城关区南昌路{jc}号金城花园4-2-601", "CGJCHYB4"),
        ("省建一公司家属院3号楼", "CGSJYGB3"),
        (f"城关区民主东路{sj}号省建一公司家属院2号楼1单元301", "CGSJYGB2"),
        ("雁园小区三号楼", "CGYYXQB3"),
        ("铁路局家属院1号楼", "CGTLJB1"),
        ("张掖路72号附3号", "CGZYL72F3"),
        ("城关区张掖路72附3号", "CGZYL72F3"),
        ("武都路66-1号", "CGWDL66A1"),
        (FW(f"张掖路{b['gh']['n']}号"), b["gh"]["code"]),
        (f"城关区 庆阳路 {fb('庆阳路', 1900, 'L')['n']} 号", fb("庆阳路", 1900, "L")["code"]),
        (f"兰州市城关区，武都路（{b['wd3']['n']}号）", b["wd3"]["code"]),
        ("城关区青白石街道石门沟村三社十五号", sm15["code"]),
        ("金昌路二十二号", b["jc2"]["code"]),
        ("曹家巷5号", "CGCJX5"),
        (f"城关区木塔巷{b['mt']['n']}号", b["mt"]["code"]),
        ("秦安巷6号", "CGQAX6"),
        ("青白石街道石门沟村2社14号", H("SMG", 2, 14)["code"]),
        ("城关区伏龙坪街道伏龙坪村五组7号", H("FLP", 5, 7)["code"]),
        ("大浪沟村刘家庄9号", H("DLG", 2, 9)["code"]),
        ("青白石街道白道坪村二社7号", H("BDP", 2, 7)["code"]),
        ("城关区青白石街道上川村58号", H("SC", 0, 58)["code"]),
        ("伏龙坪街道张家湾村38号", H("ZJWF", 0, 38)["code"]),
        (f"张叶路{b['zy3']['n']}号", b["zy3"]["code"]),
        (f"庆羊路{fb('庆阳路', 700, 'R')['n']}号", fb("庆阳路", 700, "R")["code"]),
        (f"久泉路{b['jq26']['n']}号", b["jq26"]["code"]),
        (f"燕滩路{b['yt2']['n']}号", b["yt2"]["code"]),
        (f"东刚西路{b['dg27']['n']}号", b["dg27"]["code"]),
        (f"城关区高兰路{b['gl12']['n']}号", b["gl12"]["code"]),
        (
            f"甘素省兰州市城关区静宁路{fb('静宁路', 150, 'L')['n']}号",
            fb("静宁路", 150, "L")["code"],
        ),
        (f"甘肃省兰洲市城关区天水路{b['ts4']['n']}号", b["ts4"]["code"]),
        (f"蓝州市城关区南昌路{b['nc19']['n']}号", b["nc19"]["code"]),
        (f"甘肃省兰州市城关区平凉路{b['pl2']['n']}号", b["pl2"]["code"]),
        ("城关区张掖路999号", None),
        ("庆阳路7号", None),
        ("雁园小区9号楼", None),
        ("金城花园5-1-302", None),
        ("省建一公司家属院8号楼", None),
        ("张掖路72号附9号", None),
        ("武都路66-3号", None),
        ("青白石街道石门沟村3社99号", None),
        ("伏龙坪村三组50号", None),
        ("大浪沟村王家湾99号", None),
        ("石门沟村7社3号", None),
        (f"雁南街道张掖路{b['zy15']['n']}号", None),
        ("伏龙坪街道石门沟村3社15号", None),
        ("城关区青白石街道伏龙坪村三组8号", None),
        ("张家湾村21号", None),
        ("城关区木塔巷99号", None),
        ("兰州西站", None),
        ("甘肃省博物馆", None),
        ("西北师范大学", None),
        ("白塔山公园", None),
        ("黄河母亲雕塑", None),
        ("白道坪村八社3号", None),
        ("酒泉路街道雁园小区3号楼", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def truth(spec) -> tuple[str | None, str | None, str | None, str | None]:
    """expected, micro-grid, and the micro-grids of the narrow and wide readings."""
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None, None, None
        b = BY_CODE[code]
        m = micro_of_point(b["x"], b["y"])
        return code, m, m, m
    narrow, wide = spec
    mn, mw = micro_of_region(narrow), micro_of_region(wide)
    return None, (mn if mn is not None and mn == mw else None), mn, mw


def write_all() -> list[tuple[str, tuple]]:
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
    word_stats: Counter = Counter()
    seen = set()
    places = []
    for kind, text, spec, words in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro, mn, mw = truth(spec)
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
        for wd in words:
            word_stats[(wd, "n")] += 1
            word_stats[(wd, "pos")] += micro is not None
            word_stats[(wd, "split")] += mn is not None and mn != mw
        if spec[0] != "bld":
            places.append((text, spec))
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    total = sum(stats.values())
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    for k in kinds:
        print(f"{k:16} n {stats[(k, True)] + stats[(k, False)]:3}  positive {stats[(k, True)]:3}")
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {total}")
    print(f"refused {refused} ({100 * refused / total:.0f} %)")
    print("| word | narrow | wide | n | positives |")
    for wd, (nr, wr) in WORDS.items():
        n_, p_ = word_stats[(wd, "n")], word_stats[(wd, "pos")]
        print(
            f"| `{wd}` | {nr} | {wr} | {n_} | {p_} |  (narrow alone positive: "
            f"{word_stats[(wd, 'split')]})"
        )
    return places


# ---------------------------------------------------------------- reading the files back
def to_metres(geom):
    return shapely.transform(geom, lambda c: (c - [LON0, LAT0]) * [KX, KY])


def check_files(places) -> None:
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in grids["features"]}
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    micros = {
        f["properties"]["code"]: to_metres(shape(f["geometry"]))
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }

    def holders(region) -> list[str]:
        return [c for c, poly in micros.items() if poly.buffer(0.05).contains(region)]

    rows = list(csv.DictReader(io.StringIO((HERE / "buildings.csv").read_text("utf-8"))))
    micro_of = {}
    for r in rows:
        p = Point(xy(float(r["lon"]), float(r["lat"])))
        if r["micro_grid_code"] not in micros:
            raise SystemExit(f"{r['code']}: unknown micro-grid")
        poly = micros[r["micro_grid_code"]]
        if not poly.contains(p) or poly.exterior.distance(p) < 0.5:
            raise SystemExit(f"{r['code']} is not inside {r['micro_grid_code']}")
        if [c for c, m in micros.items() if m.contains(p)] != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']} lies in more than one micro-grid")
        micro_of[r["code"]] = r["micro_grid_code"]
    road_names = {
        f["properties"]["name"]
        for f in json.loads((HERE / "roads.geojson").read_text("utf-8"))["features"]
    }
    if road_names != set(ROAD):
        raise SystemExit("roads.geojson does not hold the roads")
    region_of = dict(places)
    for line in (HERE / "queries.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        if sorted(rec) != ["expected", "kind", "micro_grid", "query"]:
            raise SystemExit(f"keys of {rec}")
        m = rec["micro_grid"]
        if m is not None and m not in micros:
            raise SystemExit(f"{rec['query']}: unknown micro-grid {m}")
        if rec["expected"] is not None:
            if micro_of.get(rec["expected"]) != m:
                raise SystemExit(f"{rec['query']}: {rec['expected']} is not in {m}")
            continue
        if rec["query"] not in region_of:
            if m is not None:
                raise SystemExit(f"{rec['query']}: a building query without a building")
            continue
        narrow, wide = region_of[rec["query"]]
        got = []
        for region in (narrow, wide):
            inside = region is not None and not region.is_empty
            inside = inside and to_metres(box(*ll(0, 0), *ll(6000, 3000))).buffer(0.05).contains(
                region
            )
            got.append(holders(region) if inside else [])
        one = all(len(h) == 1 for h in got) and got[0] == got[1]
        if m is not None and not (one and got[0] == [m]):
            raise SystemExit(f"{rec['query']}: readings {got}, stated {m}")
        if m is None and one:
            raise SystemExit(f"{rec['query']}: refused, but both readings lie in {got[0]}")
    print(f"checked: {len(rows)} buildings, {len(micros)} micro-grids, the queries read back")


if __name__ == "__main__":
    check_files(write_all())
