"""Write the place-description evaluation district: 江苏省苏州市姑苏区.

    python bench/data/place_gusu_sz/make_district.py

One grid tree in two parts: a water-town core (平江街道, 双塔街道, 沧浪街道,
金阊街道) with 路 / 街 / 巷 / 弄, rivers, bridges and 新村, and a small peri-urban
part (虎丘街道, 白洋湾街道) with invented 行政村 whose houses are written by 组
(`姑苏区虎丘街道金塘村3组15号`) or numbered across the village
(`姑苏区虎丘街道茶花村56号`). The 街道, road, lane, river, bridge and landmark
names are 姑苏区's; the communities, villages, door numbers, positions and all
geometry are ours: a layout in metres over a 4.8 km x 3 km box, turned into
WGS-84 around 苏州's old city.

The truth of every query is computed here from this geometry with shapely (see README.md for the
rules); nothing is decided by hand but which place each sentence means. After writing, the files
are read back and every truth is checked again in WGS-84.

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
LON0, LAT0 = 120.5750, 31.2960  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def to_ll(geom):
    return shapely.transform(geom, lambda c: c / (KX, KY) + (LON0, LAT0))


# ---------------------------------------------------------------- grid tree
DISTRICT = ("320508", "姑苏区")
W, S, E, N = 0.0, 0.0, 4800.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九十"

# urban streets (x 2400-4800): code, name, box, communities (name, short name)
STREETS = [
    (
        "320508001",
        "平江街道",
        (3600, 1500, 4800, 3000),
        [("大儒社区", "大儒"), ("平江社区", "平江")],
    ),
    ("320508002", "双塔街道", (3600, 0, 4800, 1500), [("十全社区", "十全"), ("凤凰社区", "凤凰")]),
    ("320508003", "沧浪街道", (2400, 0, 3600, 1500), [("道前社区", "道前"), ("南门社区", "南门")]),
    (
        "320508004",
        "金阊街道",
        (2400, 1500, 3600, 3000),
        [("景德社区", "景德"), ("山塘社区", "山塘")],
    ),
]

# peri-urban streets (x 0-2400): code, name, box, villages (name, key, style) from west to east
# "zu": four micro-grids named after the 组 (`金塘村3组`); "plain": four plain micro-grids, houses
# by 组 in Chinese numerals; "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "320508005",
        "虎丘街道",
        (0, 1500, 2400, 3000),
        [("茶花村", "CH", "small"), ("西浜村", "XBH", "small"), ("金塘村", "JT", "zu")],
    ),
    (
        "320508006",
        "白洋湾街道",
        (0, 0, 2400, 1500),
        [("泾上村", "JS", "small"), ("西浜村", "XBB", "small"), ("严家浜村", "YJB", "plain")],
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
            cw, ce = w + ci * 600, w + (ci + 1) * 600
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(cw, s, ce, n))))
            for gi in range(3):
                gs, gn = s + gi * 500, s + (gi + 1) * 500
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(cw, gs, ce, gn))))
                for mi in range(2):
                    mb = (cw + mi * 300, gs, cw + (mi + 1) * 300, gn)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    for t_code, t_name, tb, villages in RURAL:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        x, s, _e, n = tb
        for vi, (v_name, key, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            width = 600 if style == "small" else 1200
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
                for mi in range(2):
                    mb = (vb[0] + mi * 600, gs, vb[0] + (mi + 1) * 600, gn)
                    m = gi * 2 + mi + 1
                    if style == "zu":
                        name = f"{v_name}{m}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


# ---------------------------------------------------------------- roads, rivers, bridges
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the core: borders 阊胥路 (core / peri-urban), 人民路 (west / east), 干将路 (north / south),
    # 道前街 (a grid border), 东环路 (the district's east edge)
    ("阊胥路", "arterial", [(2400, 0), (2400, 3000)]),
    ("人民路", "arterial", [(3600, 0), (3600, 3000)]),
    ("东环路", "arterial", [(4800, 0), (4800, 3000)]),
    ("干将路", "arterial", [(2400, 1500), (4800, 1500)]),
    ("南门路", "arterial", [(2400, 200), (4800, 200)]),
    ("景德路", "secondary", [(2400, 2250), (3600, 2250)]),
    ("道前街", "secondary", [(2400, 1000), (3600, 1000)]),
    ("三香路", "secondary", [(1500, 600), (3600, 600)]),
    ("十全街", "secondary", [(3600, 700), (4800, 700)]),
    ("凤凰街", "secondary", [(4050, 200), (4050, 1500)]),
    ("临顿路", "secondary", [(4050, 1500), (4050, 3000)]),
    ("平江路", "branch", [(4460, 1500), (4460, 2950)]),
    ("山塘街", "branch", [(2650, 2470), (900, 2470)]),
    ("养育巷", "secondary", [(3150, 1000), (3150, 2250)]),
    # lanes and 弄 in the road file
    ("钮家巷", "branch", [(4050, 2350), (4460, 2350)]),
    ("大儒巷", "branch", [(4220, 2650), (4460, 2650)]),
    ("醋库巷", "branch", [(4300, 850), (4300, 550), (4450, 550), (4450, 850)]),
    ("丁香巷", "branch", [(3650, 1250), (3880, 1250)]),
    ("剪金桥巷", "branch", [(2850, 1050), (2850, 1450)]),
    ("十全街26弄", "branch", [(3850, 700), (3850, 520)]),
    ("景德路91弄", "branch", [(3300, 2250), (3300, 2450)]),
    # the peri-urban part
    ("虎丘路", "secondary", [(1500, 1600), (1500, 2950)]),
    ("金塘路", "branch", [(1250, 1900), (2350, 1900)]),
    ("白洋街", "secondary", [(100, 1100), (2400, 1100)]),
    ("浜里路", "branch", [(2000, 100), (2000, 1400)]),
    ("泾上路", "branch", [(300, 200), (300, 1000)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

RIVERS: list[tuple[str, list[tuple[float, float]]]] = [
    ("护城河", [(2480, 2990), (2480, 250), (4790, 250)]),
    ("干将河", [(2480, 1540), (4790, 1540)]),
    ("平江河", [(4500, 1540), (4500, 2960)]),  # on a micro-grid border in 平江社区
    ("山塘河", [(2680, 2500), (900, 2500)]),  # on a grid border in the core
]
RIVER = {name: LineString(pts) for name, pts in RIVERS}


def _ns(x, y):  # a bridge across an east-west river, 70 m long
    return [(x, y - 35), (x, y + 35)]


def _ew(x, y):  # a bridge across a north-south river
    return [(x - 35, y), (x + 35, y)]


BRIDGES: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("渡僧桥", "护城河", _ew(2480, 2470)),  # 山塘街 over the moat
    ("星桥", "山塘河", _ns(2580, 2500)),  # its two ends in different micro-grids
    ("通贵桥", "山塘河", _ns(2100, 2500)),
    ("望山桥", "山塘河", _ns(1500, 2500)),  # 虎丘路 over 山塘河
    ("普济桥", "山塘河", _ns(1200, 2500)),  # on the 西浜村 / 金塘村 border
    ("言桥", "干将河", _ns(3150, 1540)),  # 养育巷 over 干将河, its south end by 干将路
    ("乐桥", "干将河", _ns(3600, 1540)),  # 人民路 over 干将河
    ("人民桥", "护城河", _ns(3600, 250)),  # 人民路 over the moat
    ("吴门桥", "护城河", _ns(2900, 250)),
    ("觅渡桥", "护城河", _ns(4350, 250)),
    ("胡厢使桥", "平江河", _ew(4500, 1750)),
    ("众安桥", "平江河", _ew(4500, 2200)),
    ("通利桥", "平江河", _ew(4500, 2750)),
]
BRIDGE = {name: LineString(pts) for name, _r, pts in BRIDGES}
BRIDGE_RIVER = {name: river for name, river, _p in BRIDGES}

# ---------------------------------------------------------------- buildings
CITY = "姑苏区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "阊胥路": "CXL",
    "人民路": "RML",
    "东环路": "DHL",
    "干将路": "GJL",
    "南门路": "NML",
    "景德路": "JDL",
    "道前街": "DQJ",
    "三香路": "SXL",
    "十全街": "SQJ",
    "凤凰街": "FHJ",
    "临顿路": "LDL",
    "平江路": "PJL",
    "山塘街": "STJ",
    "养育巷": "YYX",
    "钮家巷": "NJX",
    "大儒巷": "DRX",
    "醋库巷": "CKX",
    "丁香巷": "DXX",
    "剪金桥巷": "JJQX",
    "十全街26弄": "SQJ26N",
    "景德路91弄": "JDL91N",
    "钮家巷3弄": "NJX3N",
    "悬桥巷": "XQX",
    "肖家巷": "XJX",
    "中张家巷": "ZZJX",
    "虎丘路": "HQL",
    "白洋街": "BYJ",
    "浜里路": "BLL",
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
    length = math.hypot(dx, dy)
    nx, ny = -dy / length, dx / length  # left normal
    k = setback if side == "L" else -setback
    p = line.interpolate(s)
    return round(p.x + k * nx, 2), round(p.y + k * ny, 2)


def door(s: float, side: str, step: float = 20.0) -> int:
    return 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, step=20.0, setback=18.0):
    """Doors on a road: (s, side, aliases); the number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side, setback)
        add(f"GS{CODE_KEY[road]}{n}", f"{CITY}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"GS{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane or 弄 known only through addresses: (number, x, y, aliases)."""
    for n, x, y, aliases in points:
        add(f"GS{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, aliases, road=lane, n=n)


def compound(gate: dict, name: str, code: str, spots):
    """A 新村 behind a gate door: its 幢 are `<gate address>N幢`, alias `<新村>N幢` / `N号楼`."""
    gate["compound"] = name
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{gate['address']}{k}幢",
            x,
            y,
            [f"{name}{k}幢", f"{name}{k}号楼"],
            compound=name,
        )


TOWN_OF = {"CH": "虎丘街道", "XBH": "虎丘街道", "JT": "虎丘街道"}
TOWN_OF |= {"JS": "白洋湾街道", "XBB": "白洋湾街道", "YJB": "白洋湾街道"}
VILLAGE_OF = {"CH": "茶花村", "XBH": "西浜村", "JT": "金塘村"}
VILLAGE_OF |= {"JS": "泾上村", "XBB": "西浜村", "YJB": "严家浜村"}
ZU_STYLE = {"JT": "ar", "YJB": "cn"}
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
        add(
            f"GS{key}{zu or 0:02d}{n:03d}",
            f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号",
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
        "阊胥路",
        [(300, "R", []), (1200, "L", []), (1900, "R", ["金阊派出所"]), (2700, "L", [])],
    )
    frontage(
        "人民路",
        [
            (150, "L", []),
            (400, "R", ["沧浪亭"]),
            (900, "L", ["苏州中学", "江苏省苏州中学"]),
            (1300, "R", []),
            (1700, "L", ["工商银行乐桥支行", "工行乐桥支行"]),
            (2450, "L", []),
            (2800, "R", ["北寺塔", "报恩寺塔"]),
        ],
    )
    frontage(
        "东环路",
        [
            (300, "L", []),
            (1100, "L", ["苏州大学本部", "苏大本部"]),
            (2100, "L", []),
            (2600, "L", []),
        ],
    )
    frontage(
        "干将路",
        [
            (200, "R", []),
            (650, "R", ["工商银行干将路支行", "工行干将路支行"]),
            (1100, "L", []),
            (1400, "R", ["苏州银行干将路支行"]),
            (1900, "R", []),
            (2200, "L", []),
        ],
    )
    frontage(
        "南门路",
        [
            (150, "R", []),
            (650, "R", ["南门派出所"]),
            (880, "R", ["南环新村", "南环新村大门"]),
            (1300, "L", []),
            (1750, "R", ["南门菜场"]),
            (2200, "R", []),
        ],
    )
    frontage(
        "景德路",
        [
            (150, "L", []),
            (450, "R", ["苏州市中医医院", "市中医院"]),
            (700, "L", ["景德社区居委会"]),
            (1050, "R", ["邮储银行景德路支行", "邮储景德路支行"]),
        ],
    )
    frontage(
        "道前街",
        [
            (250, "L", []),
            (550, "R", ["苏州市立医院本部", "市立医院本部"]),
            (850, "L", ["沧浪街道办事处"]),
            (1100, "R", []),
        ],
    )
    frontage(
        "三香路",
        [
            (200, "L", []),
            (700, "R", ["苏州农商银行白洋湾支行", "农商银行白洋湾支行"]),
            (1150, "R", []),
            (1350, "L", ["彩香新村", "彩香新村南门"]),
            (1700, "L", ["彩香菜场"]),
            (2000, "R", []),
        ],
    )
    frontage(
        "十全街",
        [
            (100, "L", []),
            (400, "L", ["网师园"]),
            (520, "R", ["苏州十中", "苏州市第十中学"]),
            (580, "L", ["十全街幼儿园"]),
            (800, "L", ["苏州银行十全街支行"]),
            (1050, "R", ["十全街邮政支局"]),
            (1150, "L", []),
        ],
    )
    frontage(
        "凤凰街",
        [
            (150, "L", []),
            (450, "R", ["双塔市集", "双塔菜场"]),
            (870, "L", ["双塔派出所"]),
            (1050, "R", ["凤凰社区居委会"]),
            (1200, "L", ["罗汉院双塔"]),
        ],
    )
    frontage(
        "临顿路",
        [
            (100, "R", []),
            (300, "L", ["玄妙观"]),
            (600, "R", ["狮子林"]),
            (800, "L", ["平江派出所"]),
            (1070, "R", ["拙政园"]),
            (1250, "L", ["平江新村", "平江新村大门"]),
            (1400, "R", ["苏州博物馆", "苏博"]),
        ],
    )
    frontage(
        "平江路",
        [
            (100, "L", []),
            (350, "L", ["平江路游客中心"]),
            (480, "R", []),
            (700, "L", ["平江实验学校"]),
            (900, "L", []),
            (1150, "R", []),
            (1300, "L", ["平江街道办事处"]),
        ],
    )
    frontage(
        "山塘街",
        [
            (150, "L", []),
            (450, "R", ["五人墓"]),
            (650, "L", ["玉涵堂"]),
            (900, "R", ["虎丘街道办事处"]),
            (1120, "L", ["虎丘派出所"]),
            (1400, "R", []),
            (1650, "L", []),
        ],
    )
    frontage("养育巷", [(150, "L", []), (700, "R", []), (1100, "L", [])])
    frontage("虎丘路", [(200, "R", []), (1000, "R", ["苏州农商银行虎丘支行", "农商银行虎丘支行"])])
    frontage("虎丘路", [(1200, "L", ["虎丘", "虎丘山风景名胜区", "虎丘景区"])])
    frontage(
        "白洋街",
        [
            (300, "R", []),
            (1400, "L", ["白洋湾街道办事处"]),
            (1750, "R", ["白洋湾派出所"]),
            (2100, "L", ["白洋湾卫生服务中心"]),
        ],
    )
    frontage("浜里路", [(300, "L", []), (1100, "R", [])])
    # doors without a landmark
    frontage("人民路", [(650, "R", []), (1150, "L", []), (2050, "R", []), (2650, "L", [])])
    frontage("干将路", [(350, "L", []), (950, "R", []), (1550, "R", []), (2350, "R", [])])
    frontage("十全街", [(250, "L", []), (950, "L", [])])
    frontage("临顿路", [(200, "L", []), (450, "R", []), (900, "R", []), (1150, "L", [])])
    frontage("平江路", [(200, "R", []), (600, "R", []), (1050, "L", [])])
    frontage("景德路", [(350, "R", []), (850, "R", []), (1150, "L", [])])
    frontage("南门路", [(400, "L", []), (1050, "L", []), (1550, "R", []), (2000, "L", [])])
    frontage("东环路", [(800, "L", []), (1700, "L", []), (2850, "L", [])])
    frontage("阊胥路", [(700, "L", []), (1400, "R", []), (2300, "R", [])])
    frontage("凤凰街", [(650, "L", []), (950, "L", [])])
    frontage("三香路", [(450, "L", []), (1550, "R", []), (1900, "L", [])])
    frontage("养育巷", [(400, "L", []), (900, "R", [])])
    frontage("白洋街", [(700, "L", []), (1050, "R", []), (2250, "R", [])])
    frontage("虎丘路", [(600, "L", []), (800, "R", [])])
    frontage("道前街", [(150, "R", []), (700, "R", [])])
    frontage("山塘街", [(300, "R", []), (1000, "L", []), (1550, "R", [])])
    # lanes and 弄 of the road file (numbers step 10 m)
    frontage("钮家巷", [(40, "L", []), (260, "R", []), (380, "L", [])], step=10, setback=8)
    frontage("大儒巷", [(60, "L", ["大儒社区居委会"]), (180, "R", [])], step=10, setback=8)
    frontage("醋库巷", [(100, "R", []), (350, "L", []), (560, "R", [])], step=10, setback=8)
    frontage("丁香巷", [(40, "L", []), (200, "R", [])], step=10, setback=8)
    frontage("剪金桥巷", [(60, "L", []), (300, "R", [])], step=10, setback=8)
    frontage("十全街26弄", [(40, "R", []), (120, "L", [])], step=10, setback=8)
    lane_houses("景德路91弄", [(3, 3290, 2330, []), (6, 3312, 2400, [])])
    # lanes and 弄 in no road file
    lane_houses("钮家巷3弄", [(2, 4110, 2400, []), (5, 4130, 2420, []), (7, 4110, 2440, [])])
    lane_houses("悬桥巷", [(4, 4560, 2320, []), (9, 4620, 2330, []), (15, 4680, 2320, [])])
    lane_houses("肖家巷", [(3, 3570, 1800, []), (8, 3630, 1810, []), (12, 3660, 1800, [])])
    lane_houses(
        "中张家巷", [(6, 4300, 2550, []), (14, 4350, 2560, ["中国昆曲博物馆", "昆曲博物馆"])]
    )
    # 新村 behind a gate door; 南环新村 lies across the 南门 第1网格 1号 / 2号 border
    compound(
        fb("三香路", 1350, "L"),
        "彩香新村",
        "GSCXXC",
        [(2760, 690), (2840, 690), (2920, 690), (2760, 790), (2840, 790), (2920, 790)],
    )
    compound(
        fb("南门路", 880, "R"),
        "南环新村",
        "GSNHXC",
        [(3180, 60), (3260, 60), (3340, 60), (3420, 60), (3180, 130), (3340, 130)],
    )
    compound(
        fb("临顿路", 1250, "L"),
        "平江新村",
        "GSPJXC",
        [(3955, 2640), (3995, 2640), (3955, 2750), (3955, 2860), (3995, 2860)],
    )
    # 虎丘街道: 金塘村 (1组 … 4组, micro-grids named after them)
    rural_houses("JT", 1, (1350, 1700), [3, 8, 12, 17], {8: ["金塘村村委会", "金塘村委会"]})
    rural_houses("JT", 2, (2150, 1700), [2, 5, 11])
    rural_houses("JT", 3, (1700, 2750), [4, 9, 15])
    rural_houses("JT", 4, (2150, 2800), [1, 6, 10, 13])
    # 白洋湾街道: 严家浜村 (plain micro-grids; 三组 lies across two)
    rural_houses("YJB", 1, (1400, 300), [2, 7, 14], {7: ["严家浜村委会", "严家浜村村委会"]})
    rural_houses("YJB", 2, (2200, 250), [3, 8, 12])
    rural_houses("YJB", 3, (1800, 380), [1, 5, 9])
    rural_houses("YJB", 4, (1400, 1300), [4, 10, 16])
    rural_houses("YJB", 5, (2200, 1300), [6, 11])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("CH", None, (300, 1900), [6, 23, 56, 81], {23: ["茶花村村委会"]})
    rural_houses("XBH", None, (900, 2700), [5, 18, 36, 72], {18: ["虎丘街道西浜村村委会"]})
    rural_houses("JS", None, (430, 420), [9, 27, 48, 95], {27: ["泾上村村委会"]})
    rural_houses("XBB", None, (900, 1300), [12, 36, 44, 90], {44: ["白洋湾街道西浜村村委会"]})


# landmarks that are real but not in 姑苏区 (or nowhere): they must be in no row
ABSENT = ["金鸡湖", "苏州中心", "东方之门", "石湖", "苏州北站", "苏州乐园", "姑苏区第三人民医院"]


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
R_CROSS = 30.0  # a crossing without a corner; a bridge's foot (wide reading)
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 对过 / 门口 / 附近 / 周边
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


def pt(code: str) -> Point:
    return Point(BY_CODE[code]["x"], BY_CODE[code]["y"])


def bridge_end(name: str, d: str) -> Point:
    """The end of the bridge lying furthest in direction d (its 东堍 / 北堍 …)."""
    ux, uy = DIRS[d]
    ends = [Point(c) for c in (BRIDGE[name].coords[0], BRIDGE[name].coords[-1])]
    return max(ends, key=lambda p: p.x * ux + p.y * uy)


def origin(spec) -> Point | None:
    if spec[0] == "b":
        return pt(spec[1])
    if spec[0] == "x":
        pts = crossings(spec[1], spec[2])
        return pts[0] if len(pts) == 1 else None
    if spec[0] == "end":  # ("end", bridge, direction): the far foot of a bridge
        return bridge_end(spec[1], spec[2])
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


def road_of(code: str) -> LineString:
    return ROAD[BY_CODE[code]["road"]]


def away(p: Point, line: LineString) -> tuple[float, float]:
    """Unit vector from the line's nearest point towards p."""
    f = line.interpolate(line.project(p))
    dx, dy = p.x - f.x, p.y - f.y
    length = math.hypot(dx, dy)
    return dx / length, dy / length


def oriented_box(p: Point, t, n, along: float, lo: float, hi: float):
    """A rectangle ±along in direction t around p, from lo to hi in direction n."""
    tx, ty = t
    nx, ny = n
    return Polygon(
        [
            (p.x - along * tx + lo * nx, p.y - along * ty + lo * ny),
            (p.x + along * tx + lo * nx, p.y + along * ty + lo * ny),
            (p.x + along * tx + hi * nx, p.y + along * ty + hi * ny),
            (p.x - along * tx + hi * nx, p.y - along * ty + hi * ny),
        ]
    )


def dead_ends(name: str) -> list[Point]:
    line = ROAD[name]
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    others = [ln for k, ln in ROAD.items() if k != name]
    return [e for e in ends if min(o.distance(e) for o in others) > 1.0]


def readings(spec):
    """The narrow and the wide reading of a word the rules do not cover (README's table)."""
    kind = spec[0]
    if kind == "bridge":  # ("bridge", name, part, direction or None)
        _, name, part, d = spec
        line = BRIDGE[name]
        ends = [Point(line.coords[0]), Point(line.coords[-1])]
        if part == "on":  # X桥 / X桥上
            return line, line.buffer(R_CROSS)
        if part == "foot":  # X桥堍, no side
            return MultiPoint(ends), unary_union([e.buffer(R_CROSS) for e in ends])
        if part == "end":  # X桥东堍 / 北堍 …
            e = bridge_end(name, d)
            return e, e.buffer(R_CROSS)
        if part == "under":  # X桥下 / 桥底下
            river = RIVER[BRIDGE_RIVER[name]]
            return line, river.intersection(line.centroid.buffer(R_NEAR))
        raise SystemExit(spec)
    if kind == "cross":  # ("cross", bridge, direction, dist or None, how): 过了X桥往北…
        _, name, d, dist, how = spec
        far = bridge_end(name, d)
        if dist is None:
            return far.buffer(R_CROSS), band(far, d, 0, 150)
        lo, hi = tolerance(dist, how)
        narrow = band(far, d, lo, hi)
        return narrow, unary_union([narrow, band(BRIDGE[name].centroid, d, lo, hi)])
    if kind == "across":  # ("across", building code, river): X河对面
        _, code, river_name = spec
        p, river = pt(code), RIVER[river_name]
        foot = river.interpolate(river.project(p))
        nx, ny = -away(p, river)[0], -away(p, river)[1]
        q = river.interpolate(min(river.project(p) + 1.0, river.length))
        tx, ty = q.x - foot.x, q.y - foot.y
        tl = math.hypot(tx, ty)
        narrow = Point(foot.x + 20 * nx, foot.y + 20 * ny).buffer(15)
        wide = oriented_box(foot, (tx / tl, ty / tl), (nx, ny), 50, 0, 60)
        return narrow, wide
    if kind == "along":  # ("along", origin spec, river, direction, dist, how): 沿河往东走…
        _, ospec, river_name, d, dist, how = spec
        o = origin(ospec)
        river = RIVER[river_name]
        foot = river.interpolate(river.project(o))
        lo, hi = tolerance(dist, how)
        narrow = band(o, d, lo, hi)
        return narrow, unary_union([narrow, band(foot, d, lo, hi)])
    if kind == "behind":  # ("behind", code): X后面, away from its road
        p = pt(spec[1])
        n = away(p, road_of(spec[1]))
        narrow = Point(p.x + 40 * n[0], p.y + 40 * n[1]).buffer(20)
        wide = oriented_box(p, (-n[1], n[0]), n, 40, 0, 80)
        return narrow, wide
    if kind == "toend":  # ("toend", lane, entry road or None): (从A进)B走到底
        _, name, entry = spec
        line = ROAD[name]
        ends = [Point(line.coords[0]), Point(line.coords[-1])]
        far = [max(ends, key=lambda e: ROAD[entry].distance(e))] if entry else dead_ends(name)
        narrow = unary_union([e.buffer(R_CROSS) for e in far])
        tails = []
        for e in far:
            if line.project(e) < 1.0:
                tails.append(substring(line, 0, 100))
            else:
                tails.append(substring(line, line.length - 100, line.length))
        return narrow, unary_union([narrow, *[t.buffer(20) for t in tails]])
    raise SystemExit(spec)


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
        return unary_union([pt(c).buffer(R_NEAR) for c in spec[1]])
    if kind == "near_line":  # ("near_line", bridge): 旁边 / 边上 of a bridge
        return BRIDGE[spec[1]].buffer(R_NEAR)
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


TWO_READINGS = {"bridge", "cross", "across", "along", "behind", "toend"}
REGIONS: dict[str, list] = {}  # query text -> the regions its truth was decided on


def truth(text: str, spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    if spec[0] in TWO_READINGS:
        narrow, wide = readings(spec)
        REGIONS[text] = [narrow, wide]
        a, b = micro_of_region(narrow), micro_of_region(wide)
        return None, (a if a is not None and a == b else None)
    region = place_region(spec)
    if region is None or region.is_empty:
        REGIONS[text] = []
        return None, None
    REGIONS[text] = [region]
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


def NEAR_COMPOUND(name: str):
    return ("near", [b["code"] for b in BUILDINGS if b.get("compound") == name])


def BR(name, part, d=None):
    return ("bridge", name, part, d)


def CROSS(name, d, dist=None, how="exact"):
    return ("cross", name, d, dist, how)


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"GS{key}{zu:02d}{n:03d}"]


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
    q(x, "凤凰街与十全街交叉口有人占道经营", X("凤凰街", "十全街"))
    q(x, "十全街凤凰街十字路口西南角窨井盖缺失", X("十全街", "凤凰街", "西南"))
    q(
        x,
        "凤凰街、十全街路口往南100米人行道地砖松动",
        X("凤凰街", "十全街", None, ("南", 100, "exact")),
    )
    q(
        x,
        "十全街与凤凰街路口往东400米有共享单车堆放",
        X("十全街", "凤凰街", None, ("东", 400, "exact")),
    )
    q(x, "来电人反映临顿路钮家巷口晚上有烧烤摊", X("临顿路", "钮家巷"))
    q(
        x,
        "临顿路钮家巷路口往北200米路灯不亮",
        X("临顿路", "钮家巷", None, ("北", 200, "exact")),
    )
    q(x, "平江路与钮家巷交叉口游客拥堵，有人拉客", X("平江路", "钮家巷"))
    q(x, "养育巷与景德路交叉口红绿灯坏了", X("养育巷", "景德路"))
    q(
        x,
        "养育巷、景德路路口往南300米有人占道卖菜",
        X("养育巷", "景德路", None, ("南", 300, "exact")),
    )
    q(x, "人民路与十全街交叉口有人发小广告", X("人民路", "十全街"))
    q(x, "人民路十全街交叉口东北角垃圾桶满溢", X("人民路", "十全街", "东北"))
    q(x, "干将路与临顿路交叉口有渣土车撒漏", X("干将路", "临顿路"))
    q(x, "干将路临顿路交叉口东北角共享单车堆放", X("干将路", "临顿路", "东北"))
    q(x, "干将路养育巷交叉口西北角有违章广告牌", X("干将路", "养育巷", "西北"))
    q(x, "人民路干将路交叉口东南角下水道冒水", X("人民路", "干将路", "东南"))
    q(x, "道前街与养育巷交叉口有人乱扔垃圾", X("道前街", "养育巷"))
    q(x, "道前街养育巷交叉口东北角护栏倒了", X("道前街", "养育巷", "东北"))
    q(x, "阊胥路与景德路交叉口东南角有人烧纸", X("阊胥路", "景德路", "东南"))
    q(x, "阊胥路三香路十字路口西北角堆了建筑垃圾", X("阊胥路", "三香路", "西北"))
    q(x, "阊胥路三香路交叉口车辆乱停", X("阊胥路", "三香路"))
    q(x, "东环路与十全街交叉口信号灯故障", X("东环路", "十全街"))
    q(x, "东环路十全街交叉口西北角人行道被占", X("东环路", "十全街", "西北"))
    q(x, "山塘街与虎丘路交叉口东北角有人拉客", X("山塘街", "虎丘路", "东北"))
    q(x, "虎丘路与金塘路交叉口有人焚烧垃圾", X("虎丘路", "金塘路"))
    q(
        x,
        "浜里路、三香路路口往北约300米有人倒渣土",
        X("浜里路", "三香路", None, ("北", 300, "about")),
    )
    q(x, "十全街与醋库巷交叉口有人乱停车", X("十全街", "醋库巷"))
    q(x, "金塘路与阊胥路交叉口有个大坑", X("金塘路", "阊胥路"))
    q(x, "大儒巷与临顿路交叉口路灯不亮", X("大儒巷", "临顿路"))
    q(x, "丁香巷与人民路交叉口有人占道", X("丁香巷", "人民路"))
    q(x, "临顿路与平江路交叉口有人卖花", X("临顿路", "平江路"))
    q(x, "剪金桥巷与道前街交叉口电线垂下来了", X("剪金桥巷", "道前街"))
    q(x, "凤凰街临顿路交叉口有人闯红灯", X("凤凰街", "临顿路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "网师园往东走了一百来米，有个窨井盖翘起来了", OFF(A("网师园"), "东", 100, "about"))
    q(o, "苏州十中往南约150米有人占道堆物", OFF(A("苏州十中"), "南", 150, "about"))
    q(o, "双塔市集往北300米有人乱倒垃圾", OFF(A("双塔市集"), "北", 300))
    q(o, "市民称玄妙观往北走了三百来米有油烟扰民", OFF(A("玄妙观"), "北", 300, "about"))
    q(o, "平江派出所往西约300米有人私拉电线", OFF(A("平江派出所"), "西", 300, "about"))
    q(o, "苏州博物馆往北约200米有人钓鱼", OFF(A("苏州博物馆"), "北", 200, "about"))
    q(o, "苏州中学往西约200米下水道堵了", OFF(A("苏州中学"), "西", 200, "about"))
    q(
        o,
        "沧浪亭往北300米路东有三轮车违停",
        OFF(A("沧浪亭"), "北", 300, side=("人民路", "东")),
    )
    q(o, "市立医院本部往南约200米有人占道卖水果", OFF(A("市立医院本部"), "南", 200, "about"))
    q(
        o,
        "市立医院本部往东走了三百来米有人乱发传单",
        OFF(A("市立医院本部"), "东", 300, "about"),
    )
    q(
        o,
        "彩香新村南门往西100米路北有人倾倒垃圾",
        OFF(A("彩香新村南门"), "西", 100, side=("三香路", "北")),
    )
    q(o, "彩香新村往南约300米河边有人烧东西", OFF(A("彩香新村"), "南", 300, "about"))
    q(o, "工行干将路支行往南约400米有人私搭雨棚", OFF(A("工行干将路支行"), "南", 400, "about"))
    q(o, "虎丘往南约300米有人拉客", OFF(A("虎丘"), "南", 300, "about"))
    q(o, "虎丘往北500米有人焚烧秸秆", OFF(A("虎丘"), "北", 500))
    q(o, "金塘村委会往东走了三百来米有人偷倒垃圾", OFF(A("金塘村委会"), "东", 300, "about"))
    q(o, "金塘村委会往北200米有人私建猪棚", OFF(A("金塘村委会"), "北", 200))
    q(o, "五人墓往西约400米有人摆摊", OFF(A("五人墓"), "西", 400, "about"))
    q(o, "白洋湾派出所往南500米有人私挖鱼塘", OFF(A("白洋湾派出所"), "南", 500))
    q(
        o,
        "农商银行白洋湾支行往东约300米有人占道经营",
        OFF(A("农商银行白洋湾支行"), "东", 300, "about"),
    )
    q(o, "苏州大学本部往东100米有人摆摊", OFF(A("苏州大学本部"), "东", 100))
    q(o, "苏大本部往西约200米有人晚上唱歌扰民", OFF(A("苏大本部"), "西", 200, "about"))
    q(o, "南门菜场往南300米有人倒垃圾", OFF(A("南门菜场"), "南", 300))
    q(o, "南门派出所往东走了两百来米有人乱贴广告", OFF(A("南门派出所"), "东", 200, "about"))
    q(
        o,
        "凤凰街与十全街交叉口往东200米路南有人占道",
        OFF(XO("凤凰街", "十全街"), "东", 200, side=("十全街", "南")),
    )
    q(
        o,
        "临顿路与钮家巷交叉口以北约100米路西有油烟",
        OFF(XO("临顿路", "钮家巷"), "北", 100, "about", ("临顿路", "西")),
    )
    q(o, "金鸡湖往西200米有人钓鱼", OFF(("none",), "西", 200))
    q(o, "苏州中心北侧100米有人乱停车", OFF(("none",), "北", 100))
    q(o, "姑苏区第三人民医院往东200米有人摆摊", OFF(("none",), "东", 200))
    q(o, "过了星桥往北100米有人乱扔垃圾", CROSS("星桥", "北", 100))
    q(o, "过了觅渡桥往北200米有人占道", CROSS("觅渡桥", "北", 200))
    q(o, "过了众安桥往东50米有人私拉电线", CROSS("众安桥", "东", 50))
    q(o, "过了言桥往北有人在河边洗拖把", CROSS("言桥", "北"))
    q(o, "过了人民桥往北有人摆摊", CROSS("人民桥", "北"))
    q(o, "过了通贵桥往南一点有人烧纸", CROSS("通贵桥", "南"))
    q(
        o,
        "从吴门桥北堍沿河往东走五十来米，有人在河里电鱼",
        ("along", ("end", "吴门桥", "北"), "护城河", "东", 50, "about"),
    )
    q(
        o,
        "平江实验学校沿河往北走五十来米有垃圾漂浮",
        ("along", A("平江实验学校"), "平江河", "北", 50, "about"),
    )
    q(
        o,
        "五人墓沿河往西走一百来米有人往河里倒污水",
        ("along", A("五人墓"), "山塘河", "西", 100, "about"),
    )

    # --- lane_alone (巷 / 弄 named alone; 走到底) -----------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("大儒巷路灯坏了好几天了", "大儒巷"),
        ("来电人反映醋库巷里有车辆长期占道", "醋库巷"),
        ("丁香巷下水道堵了，污水漫到路上", "丁香巷"),
        ("剪金桥巷有人半夜装修", "剪金桥巷"),
        ("十全街26弄垃圾几天没人收", "十全街26弄"),
        ("市民称钮家巷3弄里电线乱拉", "钮家巷3弄"),
        ("悬桥巷有人养鸽子扰民", "悬桥巷"),
        ("中张家巷路面坑坑洼洼", "中张家巷"),
        ("钮家巷有人占用消防通道", "钮家巷"),
        ("景德路91弄化粪池满了往外冒", "景德路91弄"),
        ("肖家巷 有人乱搭违建", "肖家巷"),
        ("柳枝巷有人半夜施工", "柳枝巷"),
        ("钮家巷5弄路灯不亮", "钮家巷5弄"),
        ("桃花弄有人占道堆放杂物", "桃花弄"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "从临顿路拐进钮家巷走到底，有人乱堆杂物", ("toend", "钮家巷", "临顿路"))
    q(la, "从平江路进钮家巷一直走到底，路灯不亮", ("toend", "钮家巷", "平江路"))
    q(la, "十全街26弄走到底有人养狗扰民", ("toend", "十全街26弄", "十全街"))
    q(la, "大儒巷走到底有个窨井盖缺失", ("toend", "大儒巷", None))
    q(la, "剪金桥巷走到底有人私拉电线充电", ("toend", "剪金桥巷", None))
    q(la, "丁香巷走到底堆了很多建筑垃圾", ("toend", "丁香巷", None))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "金塘村1组有人焚烧秸秆", ZU("金塘村", 1))
    q(g, "金塘村2组有人在田边烧垃圾", ZU("金塘村", 2))
    q(g, "虎丘街道金塘村第三村民小组有人违建", ZU("金塘村", 3, "虎丘街道"))
    q(g, "姑苏区虎丘街道金塘村4组自来水停了", ZU("金塘村", 4, "虎丘街道"))
    q(g, "金塘村四组河浜里有死鱼", ZU("金塘村", 4))
    q(g, "严家浜村一组路灯不亮", ZU("严家浜村", 1))
    q(g, "严家浜村2组有人私挖鱼塘", ZU("严家浜村", 2))
    q(g, "严家浜村第4村民小组有人偷倒建筑垃圾", ZU("严家浜村", 4))
    q(g, "严家浜村五组有狗咬人", ZU("严家浜村", 5))
    q(g, "白洋湾街道严家浜村二组排水沟堵塞", ZU("严家浜村", 2, "白洋湾街道"))
    q(g, "严家浜村三组垃圾没人收", ZU("严家浜村", 3))
    q(g, "金塘村6组有人烧秸秆", ZU("金塘村", 6))
    q(g, "虎丘街道严家浜村一组有人违建", ZU("严家浜村", 1, "虎丘街道"))
    q(g, "茶花村3组有人私拉电线", ZU("茶花村", 3))
    q(g, "西浜村2组路面塌陷", ZU("西浜村", 2))
    q(g, "白洋湾金塘村1组有人养鸡扰民", ZU("金塘村", 1, "白洋湾街道"))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "茶花村有人烧秸秆，烟很大", VIL("茶花村"))
    q(v, "虎丘街道茶花村路灯不亮", VIL("茶花村", "虎丘街道"))
    q(v, "泾上村有人往河浜里倒垃圾", VIL("泾上村"))
    q(v, "姑苏区白洋湾街道泾上村自来水停了", VIL("泾上村", "白洋湾街道"))
    q(v, "西浜村有人私拉电网捕鱼", VIL("西浜村"))
    q(v, "虎丘街道西浜村有人占用耕地建房", VIL("西浜村", "虎丘街道"))
    q(v, "白洋湾街道西浜村狗咬人", VIL("西浜村", "白洋湾街道"))
    q(v, "虎丘西浜村路面塌陷", VIL("西浜村", "虎丘街道"))
    q(v, "金塘村垃圾堆放", VIL("金塘村"))
    q(v, "虎丘街道金塘村有人电鱼", VIL("金塘村", "虎丘街道"))
    q(v, "严家浜村排水沟堵了", VIL("严家浜村"))
    q(v, "白洋湾街道茶花村有人焚烧秸秆", VIL("茶花村", "白洋湾街道"))
    q(v, "虎丘街道泾上村有人违建", VIL("泾上村", "虎丘街道"))
    q(v, "塘湾村有人烧荒", VIL("塘湾村"))
    q(v, "姑苏区茶花村有人砍伐树木", VIL("茶花村"))

    # --- near (门口 / 旁边 / 对面 / 对过 / 隔壁 / 附近 / 周边; bridges; 河对面; 后面) -------
    n = "near"
    q(n, "网师园门口有人拉客", NEAR("网师园"))
    q(n, "双塔市集旁边有人乱停电动车", NEAR("双塔市集"))
    q(n, "双塔派出所对过有人摆摊", NEAR("双塔派出所"))
    q(n, "玄妙观附近有人卖假货", NEAR("玄妙观"))
    q(n, "狮子林隔壁在装修，噪音大", NEAR("狮子林"))
    q(n, "苏州博物馆对过有人乱停车", NEAR("苏州博物馆"))
    q(n, "平江新村周边夜里广场舞声音大", NEAR_COMPOUND("平江新村"))
    q(n, "彩香新村附近有人遛狗不牵绳", NEAR_COMPOUND("彩香新村"))
    q(n, "南环新村附近施工扰民", NEAR_COMPOUND("南环新村"))
    q(n, "沧浪亭门口有人卖门票", NEAR("沧浪亭"))
    q(n, "苏州中学对面有流动摊贩，影响学生上学", NEAR("苏州中学"))
    q(n, "工行干将路支行旁边有个井盖缺失", NEAR("工行干将路支行"))
    q(n, "市立医院本部门口车辆乱停", NEAR("市立医院本部"))
    q(n, "苏大本部门口有人占道经营", NEAR("苏大本部"))
    q(n, "金塘村委会旁边有人焚烧垃圾", NEAR("金塘村委会"))
    q(n, "五人墓旁边有人在河边洗衣服", NEAR("五人墓"))
    q(n, "十全街幼儿园门口早上堵车", NEAR("十全街幼儿园"))
    q(n, "金鸡湖旁边有人烧烤", ("near", []))
    q(n, "姑苏区第三人民医院门口有人乱停车", ("near", []))
    q(n, "吴门桥堍有人钓鱼", BR("吴门桥", "foot"))
    q(n, "星桥堍下有人摆摊", BR("星桥", "foot"))
    q(n, "星桥北堍有垃圾堆放", BR("星桥", "end", "北"))
    q(n, "星桥南堍有人拉二胡乞讨", BR("星桥", "end", "南"))
    q(n, "众安桥东堍有人占道", BR("众安桥", "end", "东"))
    q(n, "众安桥西堍有人卖小吃", BR("众安桥", "end", "西"))
    q(n, "众安桥堍有电动车乱停", BR("众安桥", "foot"))
    q(n, "言桥南堍路灯不亮", BR("言桥", "end", "南"))
    q(n, "言桥北堍有人摆摊", BR("言桥", "end", "北"))
    q(n, "通贵桥下有人钓鱼", BR("通贵桥", "under"))
    q(n, "星桥下面漂着很多垃圾", BR("星桥", "under"))
    q(n, "觅渡桥上有人摆摊", BR("觅渡桥", "on"))
    q(n, "乐桥上栏杆坏了", BR("乐桥", "on"))
    q(n, "普济桥边上有人烧纸", ("near_line", "普济桥"))
    q(n, "望山桥旁边有人卖东西", ("near_line", "望山桥"))
    pj = fb("平江路", 900, "L")
    q(n, f"平江路{no(pj)}号河对面有人往河里倒垃圾", ("across", pj["code"], "平江河"))
    pj50 = fb("平江路", 480, "R")
    q(n, f"平江路{no(pj50)}号河对面晚上有人唱歌", ("across", pj50["code"], "平江河"))
    q(n, "五人墓河对面有人钓鱼", ("across", code_of_alias("五人墓"), "山塘河"))
    st = fb("山塘街", 150, "L")
    q(n, f"山塘街{no(st)}号河对面有人搭棚", ("across", st["code"], "山塘河"))
    gj = fb("干将路", 1100, "L")
    q(n, f"干将路{no(gj)}号河对面有人乱扔垃圾", ("across", gj["code"], "干将河"))
    q(n, "网师园后面有人私搭乱建", ("behind", code_of_alias("网师园")))
    q(n, "苏州十中后面有人焚烧垃圾", ("behind", code_of_alias("苏州十中")))
    q(n, "玄妙观后面油烟扰民", ("behind", code_of_alias("玄妙观")))
    q(n, "十全街幼儿园后面有人养鸡", ("behind", code_of_alias("十全街幼儿园")))
    q(n, f"平江路{no(pj50)}号后面有人在河边烧东西", ("behind", pj50["code"]))

    # --- other_county (苏州's other 县级 units in front of our addresses) -------------------
    oc = "other_county"
    sq, ld = fb("十全街", 1150, "L"), fb("临顿路", 100, "R")
    dq, jd = fb("道前街", 1100, "R"), fb("景德路", 150, "L")
    fh = fb("凤凰街", 150, "L")
    for text, code in [
        (f"来电人反映吴中区十全街{no(sq)}号油烟扰民", None),
        ("苏州市相城区虎丘街道金塘村3组9号", None),
        ("苏州市虎丘区虎丘街道茶花村56号", None),
        (f"吴江区临顿路{no(ld)}号", None),
        (f"苏州工业园区凤凰街{no(fh)}号", None),
        ("昆山市白洋湾街道严家浜村二组8号反映有人违建", None),
        (f"江苏省常熟市道前街{no(dq)}号", None),
        (f"来电人反映苏州市姑苏区十全街{no(sq)}号油烟扰民", sq["code"]),
        ("江苏省苏州市姑苏区虎丘街道金塘村3组9号", H("JT", 3, 9)["code"]),
        ("苏州姑苏虎丘街道茶花村56号", H("CH", 0, 56)["code"]),
        (f"临顿路{no(ld)}号", ld["code"]),
        ("白洋湾街道严家浜村二组8号", H("YJB", 2, 8)["code"]),
        (f"市民称苏州市平江区临顿路{no(ld)}号楼上漏水", ld["code"]),
        (f"沧浪区道前街{no(dq)}号", dq["code"]),
        (f"苏州市金阊区景德路{no(jd)}号", jd["code"]),
        (f"姑苏区凤凰街{no(fh)}号", fh["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("十全街", 100, "L"), fb("人民路", 1300, "R")
    b3, b4 = fb("干将路", 1900, "R"), fb("平江路", 1150, "R")
    b5, b6 = fb("临顿路", 1250, "L"), fb("钮家巷", 260, "R", 10)
    b7, b8 = fb("南门路", 2200, "R"), fb("山塘街", 1400, "R")
    absent("金塘村3组30号")
    absent("茶花村40号")
    absent("悬桥巷7号")
    absent("十全街999号")
    absent("山塘街999号")
    for text, code in [
        (f"No. {no(b1)}, Shiquan Street, Gusu District, Suzhou", b1["code"]),
        (f"No. {no(b2)} Renmin Road, Gusu District, Suzhou, Jiangsu", b2["code"]),
        (f"No. {no(b3)}, Ganjiang Road, Gusu District", b3["code"]),
        (f"No. {no(b4)}, Pingjiang Road, Gusu District, Suzhou", b4["code"]),
        (f"No. {no(b6)}, Niujia Lane, Gusu District, Suzhou", b6["code"]),
        (f"No. {no(b8)}, Shantang Street, Gusu District, Suzhou", b8["code"]),
        (
            "Room 301, Unit 2, Building 5, Caixiang Xincun, Gusu District, Suzhou",
            "GSCXXCB5",
        ),
        ("Building 3, Pingjiang Xincun, Gusu District", "GSPJXCB3"),
        (f"Building 2, No. {no(b5)} Lindun Road, Gusu District, Suzhou", "GSPJXCB2"),
        (
            "No. 9, Group 3, Jintang Village, Huqiu Subdistrict, Gusu District, Suzhou",
            H("JT", 3, 9)["code"],
        ),
        ("No. 56, Chahua Village, Huqiu Subdistrict, Gusu District", H("CH", 0, 56)["code"]),
        (
            "No. 10, Group 4, Yanjiabang Village, Baiyangwan Subdistrict, Gusu District",
            H("YJB", 4, 10)["code"],
        ),
        (f"Suzhou Shi Gusu Qu Nanmen Lu {no(b7)} Hao", b7["code"]),
        ("Suzhou Gusu Qu Shantang Jie 999 Hao", None),
        ("No. 30, Group 3, Jintang Village, Huqiu Subdistrict, Gusu District", None),
        ("No. 40, Chahua Village, Huqiu Subdistrict, Gusu District", None),
        ("301室，2单元，5幢，彩香新村，姑苏区", "GSCXXCB5"),
        (f"{no(b1)}号，十全街，姑苏区，苏州市", b1["code"]),
        ("9号，3组，金塘村，虎丘街道，姑苏区，苏州市", H("JT", 3, 9)["code"]),
        ("5号，钮家巷3弄，苏州市姑苏区", "GSNJX3N5"),
        ("7号，悬桥巷，姑苏区", None),
        (
            "No. 9, Xuanqiao Lane, Gusu District, Suzhou",
            "GSXQX9",
        ),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 4, Jintang Village, Huqiu Subdistrict, Gusu District", ZU("金塘村", 4, "虎丘街道"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    t1, t2 = fb("人民路", 150, "L"), fb("干将路", 200, "R")
    t3, t4 = fb("十全街", 1050, "R"), fb("凤凰街", 1050, "R")
    t5, t6 = fb("道前街", 250, "L"), fb("景德路", 1050, "R")
    t7, t8 = fb("临顿路", 100, "R"), fb("平江路", 100, "L")
    t9 = fb("山塘街", 1650, "L")
    u1, u2 = fb("南门路", 1300, "L"), fb("三香路", 2000, "R")
    for miss in [
        "人民路999号",
        "十全街7号",
        "钮家巷50号",
        "金塘村2组99号",
        "大儒巷3号",
        "十全街26弄9号",
        "茶花村200号",
        "严家浜村六组3号",
    ]:
        absent(miss)
    for text, code in [
        (t1["address"], t1["code"]),
        (f"十全街{no(t3)}号", t3["code"]),
        ("网师园", code_of_alias("网师园")),
        ("苏州博物馆", code_of_alias("苏州博物馆")),
        ("市立医院本部", code_of_alias("市立医院本部")),
        ("金塘村委会", code_of_alias("金塘村委会")),
        ("中国昆曲博物馆", code_of_alias("中国昆曲博物馆")),
        ("来电人反映彩香新村3幢2单元301室楼上漏水", "GSCXXCB3"),
        ("彩香新村6号楼", "GSCXXCB6"),
        ("市民称南环新村4幢1单元502室楼道灯坏了", "GSNHXCB4"),
        ("三香路135号4幢1单元502室", "GSCXXCB4"),
        ("姑苏区临顿路125号5幢", "GSPJXCB5"),
        ("南门路90号2幢", "GSNHXCB2"),
        ("十全街26弄25号家里停水两天了", "GSSQJ26N25"),
        ("景德路91弄6号", "GSJDL91N6"),
        ("来电人住姑苏区钮家巷3弄7号，反映邻居养狗扰民", "GSNJX3N7"),
        ("姑苏区虎丘街道茶花村81号反映自来水发黄", H("CH", 0, 81)["code"]),
        ("白洋湾街道西浜村36号", H("XBB", 0, 36)["code"]),
        (f"人明路{no(t1)}号", t1["code"]),
        (f"姑苏区干江路{no(t2)}号", t2["code"]),
        (f"十泉街{no(t3)}号", t3["code"]),
        (f"市民称凤皇街{no(t4)}号店铺油烟扰民", t4["code"]),
        (f"苏州市姑苏区道钱街{no(t5)}号", t5["code"]),
        (f"景得路{no(t6)}号", t6["code"]),
        (f"来电人反映临屯路{no(t7)}号门面违规装修", t7["code"]),
        (f"平将路{no(t8)}号", t8["code"]),
        (f"山唐街{no(t9)}号", t9["code"]),
        (f"江苏省苏洲市姑苏区南门路{no(u1)}号", u1["code"]),
        (f"江苏生苏州市姑苏区三香路{no(u2)}号", u2["code"]),
        (f"苏州市古苏区凤凰街{no(t4)}号", t4["code"]),
        ("苏州市姑苏区人民路999号", None),
        ("市民称十全街7号噪音扰民", None),
        ("钮家巷50号", None),
        ("彩香新村9幢", None),
        ("来电人反映平江新村8幢楼道里堆满杂物", None),
        ("来电人反映虎丘街道金塘村2组99号私搭违建", None),
        ("姑苏区大儒巷3号", None),
        ("十全街26弄9号", None),
        ("虎丘街道茶花村200号", None),
        ("白洋湾街道严家浜村六组3号", None),
        ("西浜村36号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def check_back(query_rows) -> None:
    """Read the written files and check every truth again in WGS-84."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    micro_ll = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    codes = {f["properties"]["code"] for f in grids["features"]}
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    district_ll = next(
        shape(f["geometry"]) for f in grids["features"] if f["properties"]["level"] == "district"
    )
    eps = 3e-7  # about 3 cm
    rows = list(csv.DictReader((HERE / "buildings.csv").open(encoding="utf-8")))
    by_code = {}
    for r in rows:
        p = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micro_ll.items() if poly.contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']}: in {hits}, written {r['micro_grid_code']}")
        by_code[r["code"]] = r
        text = r["address"] + "|" + r["aliases"]
        for name in ABSENT:
            if name in text:
                raise SystemExit(f"{name} must be absent but is in {r['code']}")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(query_rows):
        raise SystemExit("queries.jsonl does not match")
    for line in lines:
        row = json.loads(line)
        text, expected, micro = row["query"], row["expected"], row["micro_grid"]
        if micro is not None and micro not in micro_ll:
            raise SystemExit(f"{text}: unknown micro-grid {micro}")
        if expected is not None:
            if by_code[expected]["micro_grid_code"] != micro:
                raise SystemExit(f"{text}: building and micro-grid disagree")
            continue
        regions = REGIONS.get(text)
        if regions is None or micro is None:
            continue
        for region in regions:
            r_ll = to_ll(region)
            inside = [c for c, poly in micro_ll.items() if poly.buffer(eps).contains(r_ll)]
            if inside != [micro] or not district_ll.buffer(eps).contains(r_ll):
                raise SystemExit(f"{text}: in WGS-84 the region lies in {inside}, not {micro}")


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
    lines_out = [(name, kind, pts) for name, kind, pts in ROADS]
    lines_out += [(name, "river", pts) for name, pts in RIVERS]
    lines_out += [(name, "bridge", pts) for name, _r, pts in BRIDGES]
    roads = [
        {
            "type": "Feature",
            "properties": {"name": name, "kind": kind},
            "geometry": {"type": "LineString", "coordinates": [ll(x, y) for x, y in pts]},
        }
        for name, kind, pts in lines_out
    ]
    (HERE / "roads.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": roads}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )
    lines = []
    stats: Counter = Counter()
    seen = set()
    qs = queries()
    for kind, text, spec in qs:
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
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_back(qs)
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}, "
        f"refused {refused} ({100 * refused / len(lines):.0f} %)"
    )


if __name__ == "__main__":
    write_all()
