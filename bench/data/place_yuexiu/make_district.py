"""Write the place-description evaluation district: 广东省广州市越秀区.

    python bench/data/place_yuexiu/make_district.py

One grid tree, wholly urban: four 街道 (人民街道, 北京街道, 农林街道, 大塘街道), each with two
communities; one of them is a small 城中村 (松园村) whose houses are written by 经济社 —
`越秀区农林街道松园村一社5号`. Lanes (街 / 巷 / 横街 / 直街 and names such as 大马站, 流水井),
坊 / 里 written with their 街道 (`越秀区北京街道九曜坊5号`), two 大院 and one 小区 with 栋 / 座.
The 街道 and the road names are 越秀区's; the communities, the village, most lanes, the door
numbers, the landmarks' positions and all geometry are ours: a layout in metres over a
4.8 km x 3 km box, turned into WGS-84 around 广州.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Where a word has no
rule (Cantonese 对出, 后尾, 嗰度, 转角, 天桥底, 骑楼下, …) the query carries the other readings too,
and the script stops unless every reading gives the same truth.

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

from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 113.2500, 23.1150  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("440104", "越秀区")
W, S, E, N = 0.0, 0.0, 4800.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# 街道: code, name, box, communities (name, short name used in grid names)
STREETS = [
    ("440104001", "人民街道", (0, 1500, 2400, 3000), [("莲花社区", "莲花"), ("应元社区", "应元")]),
    ("440104002", "北京街道", (0, 0, 2400, 1500), [("起义社区", "起义"), ("高第社区", "高第")]),
    (
        "440104003",
        "农林街道",
        (2400, 1500, 4800, 3000),
        [("松园村", "松园村"), ("竹丝岗社区", "竹丝岗")],
    ),
    ("440104004", "大塘街道", (2400, 0, 4800, 1500), [("大塘社区", "大塘"), ("东濠社区", "东濠")]),
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


# ---------------------------------------------------------------- roads
# Borders all along: 东风中路 / 东风东路 (y 1500), 解放北路 / 解放中路 (x 1200), 越秀北路 /
# 仓边路 (x 2400), 农林下路 (x 3600). Micro-grid borders: x every 400 m, y 0 / 750 / 1500 / 2250.
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("东风中路", "arterial", [(0, 1500), (2400, 1500)]),
    ("东风东路", "arterial", [(2400, 1500), (4800, 1500)]),
    ("解放北路", "arterial", [(1200, 1500), (1200, 3000)]),
    ("解放中路", "arterial", [(1200, 0), (1200, 1500)]),
    ("越秀北路", "arterial", [(2400, 1500), (2400, 3000)]),
    ("仓边路", "secondary", [(2400, 0), (2400, 1500)]),
    ("中山五路", "arterial", [(0, 1000), (1800, 1000)]),
    ("中山四路", "arterial", [(1800, 1000), (3600, 1000)]),
    ("中山一路", "arterial", [(3600, 1000), (4800, 1000)]),
    ("北京路", "secondary", [(1800, 0), (1800, 1000)]),
    ("起义路", "secondary", [(600, 0), (600, 1500)]),
    ("大德路", "secondary", [(0, 300), (2400, 300)]),
    ("一德路", "secondary", [(0, 150), (1700, 150)]),
    ("文德路", "secondary", [(2200, 300), (2200, 950)]),
    ("西湖路", "branch", [(1900, 450), (1700, 450), (1700, 700), (1900, 700)]),
    ("环市中路", "arterial", [(0, 2700), (2400, 2700)]),
    ("环市东路", "arterial", [(2400, 2700), (4800, 2700)]),
    ("应元路", "secondary", [(1200, 2000), (2400, 2000)]),
    ("农林下路", "arterial", [(3600, 1000), (3600, 3000)]),
    ("署前路", "secondary", [(3600, 1200), (4700, 1200)]),
    ("大南路", "secondary", [(2400, 300), (4800, 300)]),
    ("德政中路", "secondary", [(3000, 0), (3000, 1500)]),
    ("竹丝岗二马路", "secondary", [(4200, 1500), (4200, 2700)]),
    ("松园大街", "branch", [(2400, 1900), (3500, 1900)]),
    # lanes in the road file
    ("高第街", "branch", [(1300, 600), (1550, 600)]),
    ("大马站", "branch", [(700, 1100), (700, 1400)]),
    ("流水井", "branch", [(1900, 1250), (2150, 1250)]),
    ("莲花井", "branch", [(300, 1700), (300, 2050)]),
    ("清水濠", "branch", [(2850, 500), (3150, 500)]),
    ("寺贝通津", "branch", [(4500, 2300), (4500, 2600)]),
    ("庙前直街", "branch", [(3700, 2000), (3950, 2000)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "越秀区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "东风中路": "DFZL",
    "东风东路": "DFDL",
    "解放北路": "JFBL",
    "解放中路": "JFZL",
    "越秀北路": "YXBL",
    "仓边路": "CBL",
    "中山五路": "ZS5L",
    "中山四路": "ZS4L",
    "中山一路": "ZS1L",
    "北京路": "BJL",
    "起义路": "QYL",
    "大德路": "DDL",
    "一德路": "YDL",
    "文德路": "WDL",
    "西湖路": "XHL",
    "环市中路": "HSZL",
    "环市东路": "HSDL",
    "应元路": "YYL",
    "农林下路": "NLXL",
    "署前路": "SQL",
    "大南路": "DNL",
    "德政中路": "DZZL",
    "竹丝岗二马路": "ZSG2",
    "高第街": "GDJ",
    "大马站": "DMZ",
    "流水井": "LSJ",
    "莲花井": "LHJ",
    "清水濠": "QSH",
    "寺贝通津": "SBTJ",
    "庙前直街": "MQZJ",
    "小马站": "XMZ",
    "龙藏街": "LCJ",
    "长塘街": "CTJ",
    "华贵横街": "HGHJ",
    "松岗直街": "SGZJ",
    "素波巷": "SBX",
    "高第街三巷": "GDJ3X",
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


def door(s: float, side: str, step: float = 10.0) -> int:
    return 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, step=10.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(f"YX{CODE_KEY[road]}{n}", f"{CITY}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=10.0):
    return BY_CODE[f"YX{CODE_KEY[road]}{door(s, side, step)}"]


def sub_door(base: dict, k: int, dx: float, dy: float) -> None:
    """`…号之一`, `…号之二`: a door of its own beside the main door."""
    add(
        f"{base['code']}Z{k}",
        f"{base['address']}之{CN[k]}",
        base["x"] + dx,
        base["y"] + dy,
        road=base["road"],
        n=base["n"],
    )


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"YX{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(gate: dict, name: str, key: str, spots, kind: str, town: str | None = None):
    """Buildings behind a gate door: `…号大院3栋` (a 大院) or `…号竹岗花园3栋` (a 小区)."""
    for k, (x, y) in enumerate(spots, start=1):
        if kind == "大院":
            address = f"{gate['address']}大院{k}栋"
            aliases = [f"{name}{k}栋"]
            meta = {"town": town, "place": name, "zu": None}
        else:
            address = f"{gate['address']}{name}{k}栋"
            aliases = [f"{name}{k}栋", f"{name}{k}座"]
            meta = {}
        add(f"YX{key}B{k}", address, x, y, aliases, compound=name, **meta)


SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def she_houses(zu: int, centre, numbers, aliases=None):
    """Houses of a 经济社 of 松园村 around a centre: `越秀区农林街道松园村一社5号`."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        add(
            f"YXSY{zu:02d}{n:03d}",
            f"{CITY}农林街道松园村{CN[zu]}社{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town="农林街道",
            place="松园村",
            zu=zu,
            n=n,
        )


def fang_houses(town: str, place: str, key: str, points):
    """Houses of a 坊 / 里, written with their 街道: `越秀区北京街道九曜坊5号`."""
    for n, x, y in points:
        add(
            f"YX{key}{n:03d}",
            f"{CITY}{town}{place}{n}号",
            x,
            y,
            town=town,
            place=place,
            zu=None,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "北京路",
        [
            (100, "L", []),
            (250, "R", []),
            (500, "R", ["北京路步行街"]),
            (650, "L", ["北京街派出所"]),
            (850, "L", ["中国工商银行北京路支行", "工行北京路支行"]),
            (930, "R", []),
        ],
    )
    sub_door(fb("北京路", 250, "R"), 1, 30, 5)
    frontage(
        "中山五路",
        [
            (150, "R", []),
            (300, "L", []),
            (900, "R", ["中国邮政储蓄银行中山五路支行", "邮储中山五路支行"]),
            (1150, "L", ["公园前站"]),
            (1500, "L", ["越秀区北京街小学", "北京街小学"]),
            (1700, "R", []),
        ],
    )
    sub_door(fb("中山五路", 300, "L"), 1, 10, 22)
    sub_door(fb("中山五路", 300, "L"), 2, 25, 22)
    frontage(
        "中山四路",
        [
            (100, "R", ["北京路站"]),
            (400, "L", ["农讲所站"]),
            (800, "R", ["招商银行中山四路支行", "招行中山四路支行"]),
            (1100, "L", []),
            (1500, "L", ["中山大学附属第一医院", "中山一院"]),
            (1700, "R", ["大塘派出所"]),
        ],
    )
    frontage(
        "中山一路",
        [
            (100, "L", ["东山口站"]),
            (600, "R", ["广东省人民医院", "省人民医院", "省医"]),
            (1000, "L", ["中国建设银行中山一路支行", "建行中山一路支行"]),
        ],
    )
    frontage(
        "起义路",
        [
            (200, "R", []),
            (550, "L", ["广州农商银行起义路支行", "农商银行起义路支行"]),
            (900, "R", []),
            (1250, "R", ["起义路街市"]),
            (1400, "L", []),
        ],
    )
    frontage(
        "大德路",
        [
            (200, "L", ["大德路街市"]),
            (1000, "R", []),
            (1500, "L", ["中国建设银行大德路支行", "建行大德路支行"]),
            (2100, "R", []),
        ],
    )
    frontage("一德路", [(300, "L", ["一德路干货市场"]), (900, "R", []), (1500, "L", [])])
    frontage("解放中路", [(400, "R", []), (800, "L", []), (1300, "R", [])])
    frontage(
        "解放北路",
        [
            (300, "R", ["广州市第一人民医院", "市一医院", "市一"]),
            (600, "L", []),
            (900, "R", ["越秀公园西门"]),
            (1300, "L", []),
        ],
    )
    frontage(
        "东风中路",
        [
            (300, "L", []),
            (900, "R", []),
            (1700, "L", ["中山纪念堂"]),
            (1900, "R", ["纪念堂站"]),
            (2200, "L", []),
        ],
    )
    frontage(
        "东风东路",
        [
            (300, "R", []),
            (700, "L", []),
            (1500, "R", ["中国银行东风东路支行", "中行东风东路支行"]),
            (2100, "L", []),
        ],
    )
    frontage("越秀北路", [(600, "L", ["越秀公园东门"]), (1000, "R", []), (1300, "L", [])])
    frontage("仓边路", [(200, "L", []), (700, "L", ["仓边路街市"]), (1300, "R", [])])
    frontage(
        "环市中路",
        [
            (200, "L", []),
            (700, "R", ["人民街派出所"]),
            (1000, "L", []),
            (1800, "R", ["越秀公园北门"]),
            (2200, "L", ["越秀公园站"]),
        ],
    )
    frontage(
        "环市东路",
        [
            (600, "R", []),
            (1300, "L", ["广州花园酒店", "花园酒店"]),
            (1800, "R", ["中国邮政储蓄银行环市东路支行", "邮储环市东路支行"]),
            (2200, "L", []),
        ],
    )
    frontage(
        "应元路",
        [
            (100, "R", ["广州市第二中学", "广州二中"]),
            (500, "L", ["越秀公园南门"]),
            (900, "R", ["应元社区居委会"]),
        ],
    )
    frontage(
        "农林下路",
        [
            (300, "R", []),
            (700, "L", []),
            (1100, "L", ["省建大院", "省建大院大门"]),
            (1500, "R", ["中国邮政储蓄银行农林下路支行", "邮储农林下路支行"]),
            (1800, "L", ["农林下路小学"]),
        ],
    )
    frontage(
        "署前路",
        [
            (150, "L", ["署前路街市"]),
            (600, "R", ["广州市执信中学", "执信中学"]),
            (790, "L", ["东园大院"]),
            (1000, "L", ["东濠社区居委会"]),
        ],
    )
    frontage(
        "大南路",
        [
            (200, "R", ["大塘社区居委会"]),
            (1000, "L", ["广州农商银行大塘支行", "农商银行大塘支行"]),
            (1800, "R", ["东濠涌博物馆"]),
            (2200, "L", []),
        ],
    )
    frontage(
        "德政中路",
        [(150, "R", []), (650, "L", ["大塘街市"]), (1250, "R", ["大塘街道办事处"])],
    )
    frontage(
        "竹丝岗二马路",
        [
            (300, "L", ["农林派出所"]),
            (600, "R", ["竹丝岗社区居委会"]),
            (850, "R", ["竹岗花园", "竹岗花园大门"]),
            (900, "L", ["竹丝岗街市"]),
        ],
    )
    frontage("文德路", [(200, "L", []), (550, "R", [])])
    add("YXWDLW6", f"{CITY}文德路西6号", 2170.0, 360.0, road="文德路", n=6)
    frontage("西湖路", [(325, "R", [])])
    # lanes of the road file
    frontage("高第街", [(40, "L", []), (180, "R", [])])
    frontage("大马站", [(30, "L", []), (200, "R", [])])
    frontage("流水井", [(50, "L", []), (220, "R", [])])
    frontage("莲花井", [(60, "L", []), (250, "R", [])])
    frontage("清水濠", [(40, "L", []), (240, "R", [])])
    frontage("寺贝通津", [(30, "L", []), (200, "R", [])])
    frontage("庙前直街", [(40, "L", []), (180, "R", [])])
    # lanes in no road file
    lane_houses("小马站", [(3, 850, 1200), (8, 870, 1260), (12, 850, 1320)])
    lane_houses("龙藏街", [(2, 1170, 650), (5, 1230, 680), (9, 1240, 620)])
    lane_houses("长塘街", [(4, 2100, 560), (7, 2140, 620), (11, 2100, 680)])
    lane_houses("华贵横街", [(1, 4450, 600), (6, 4500, 640), (10, 4450, 680)])
    lane_houses("松岗直街", [(3, 3850, 2500), (8, 3880, 2560), (14, 3850, 2620)])
    lane_houses("素波巷", [(2, 600, 1900), (5, 640, 1950), (9, 600, 2000)])
    lane_houses("高第街三巷", [(2, 1400, 660), (5, 1440, 690), (8, 1480, 700)])
    # 坊 / 里, written with their 街道
    fang_houses("北京街道", "九曜坊", "JYF", [(2, 1450, 1100), (5, 1480, 1160), (9, 1420, 1220)])
    fang_houses("人民街道", "聚龙坊", "JLFR", [(3, 900, 2500), (8, 940, 2560), (15, 880, 2600)])
    fang_houses("大塘街道", "聚龙坊", "JLFD", [(3, 3300, 550), (6, 3340, 600), (11, 3280, 640)])
    fang_houses("大塘街道", "华宁里", "HNL", [(2, 2600, 1200), (7, 2640, 1250), (10, 2580, 1300)])
    fang_houses("北京街道", "永安里", "YAL", [(1, 1570, 450), (4, 1630, 480), (6, 1580, 520)])
    fang_houses("人民街道", "仁安里", "RAL", [(3, 200, 2500), (6, 240, 2560), (12, 200, 2620)])
    # two 大院 and a 小区
    compound(
        fb("农林下路", 1100, "L"),
        "省建大院",
        "SJDY",
        [(3450, 2050), (3520, 2050), (3450, 2130), (3520, 2130)],
        "大院",
        "农林街道",
    )
    compound(
        fb("署前路", 790, "L"),
        "东园大院",
        "DYDY",
        [(4340, 1300), (4450, 1300), (4340, 1370)],
        "大院",
        "大塘街道",
    )
    compound(
        fb("竹丝岗二马路", 850, "R"),
        "竹岗花园",
        "ZGHY",
        [(4270, 2380), (4330, 2380), (4270, 2450), (4330, 2450)],
        "小区",
    )
    # 松园村: 一社 … 六社; 四社 lies across two micro-grids
    she_houses(1, (2600, 1780), [3, 5, 8, 12])
    she_houses(2, (3000, 1780), [2, 6, 9], {6: ["松园村委会", "松园经济联合社"]})
    she_houses(3, (3400, 1780), [1, 4, 7, 11])
    she_houses(4, (2800, 2560), [2, 5, 10])
    she_houses(5, (3000, 2540), [3, 6, 13])
    she_houses(6, (3400, 2540), [1, 8])


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


def houses(town=None, place=None, zu=None, road=None):
    out = []
    for b in BUILDINGS:
        if road is not None:
            if b.get("road") == road:
                out.append(b)
            continue
        if "place" not in b:
            continue
        if town and b["town"] != town:
            continue
        if place and b["place"] != place:
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
    if kind == "xr":  # another reading of a crossing: ("xr", A, B, radius; 0 for the point)
        pts = crossings(spec[1], spec[2])
        if len(pts) != 1:
            return None
        return pts[0].buffer(spec[3]) if spec[3] else pts[0]
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
    if kind == "near":  # ("near", [building codes], radius; 0 for the points themselves)
        if not spec[1]:
            return None
        pts = [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]) for c in spec[1]]
        return unary_union([p.buffer(spec[2]) if spec[2] else p for p in pts])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, 社 number)
        hs = houses(town=spec[1], place=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, place): all its houses
        hs = houses(town=spec[1], place=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "pts":  # another reading: a set of buildings' points
        return MultiPoint([(BY_CODE[c]["x"], BY_CODE[c]["y"]) for c in spec[1]])
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


def NEAR(*aliases, r=R_NEAR):
    return ("near", [code_of_alias(a) for a in aliases], r)


def NEAR_CODE(code, r=R_NEAR):
    return ("near", [code], r)


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def ZU(zu, town=None, village="松园村"):
    return ("zu", town, village, zu)


def VIL(place, town=None):
    return ("village", town, place)


def LANE(name):
    return ("lane", name)


def H(zu, n):  # a house of 松园村
    return BY_CODE[f"YXSY{zu:02d}{n:03d}"]


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

    def q(kind, text, spec, alts=()):
        """alts: other readings of a word with no rule; all must give the same truth."""
        Q.append((kind, text, spec, tuple(alts)))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"

    def turn(a, b):  # 转角 / 天桥底: any corner, the crossing point, a wider disc
        return [X(a, b, c) for c in CORNERS] + [("xr", a, b, 0), ("xr", a, b, 50)]

    q(x, "起义路与中山五路十字路口有人乱摆卖", X("起义路", "中山五路"))
    q(x, "起义路大德路交叉口东南角井盖冇咗", X("起义路", "大德路", "东南"))
    q(x, "起义路同一德路交界成日有货车乱停", X("起义路", "一德路"))
    q(
        x,
        "起义路、中山五路路口往北200米人行道烂咗",
        X("起义路", "中山五路", None, ("北", 200, "exact")),
    )
    q(x, "起义路与东风中路交叉口红绿灯唔着", X("起义路", "东风中路"))
    q(x, "起义路东风中路路口东北角有人派传单", X("起义路", "东风中路", "东北"))
    q(
        x,
        "北京路大德路路口往东50米有个坑",
        X("北京路", "大德路", None, ("东", 50, "exact")),
    )
    q(x, "北京路与中山五路交界晚上好多人摆卖", X("北京路", "中山五路"))
    q(x, "北京路中山四路交叉口西南角垃圾桶满晒", X("北京路", "中山四路", "西南"))
    q(x, "北京路与一德路交叉口有人占道经营", X("北京路", "一德路"))
    q(x, "北京路西湖路交叉口路灯唔亮", X("北京路", "西湖路"))
    q(x, "北京路与东风中路交叉口有人乞讨", X("北京路", "东风中路"))
    q(x, "解放中路与中山五路交叉口积水", X("解放中路", "中山五路"))
    q(x, "解放中路中山五路路口西南角有人卖旧货", X("解放中路", "中山五路", "西南"))
    q(x, "解放中路与大德路交界东北角共享单车乱放", X("解放中路", "大德路", "东北"))
    q(x, "解放北路环市中路交叉口有人派卡片", X("解放北路", "环市中路"))
    q(
        x,
        "解放北路、环市中路路口往西100米护栏倒咗",
        X("解放北路", "环市中路", None, ("西", 100, "exact")),
    )
    q(x, "越秀北路与应元路交叉口有泥头车撒漏", X("越秀北路", "应元路"))
    q(x, "越秀北路应元路路口西北角有人烧纸", X("越秀北路", "应元路", "西北"))
    q(x, "东风东路与农林下路十字路口塞车塞到死", X("东风东路", "农林下路"))
    q(x, "东风东路农林下路交叉口东北角有人乱贴广告", X("东风东路", "农林下路", "东北"))
    q(x, "农林下路与环市东路交叉口东南角有流浪汉", X("农林下路", "环市东路", "东南"))
    q(x, "东山口，即系中山一路同农林下路交界，有人派传单", X("中山一路", "农林下路"))
    q(
        x,
        "中山一路农林下路路口往东150米地面塌咗",
        X("中山一路", "农林下路", None, ("东", 150, "exact")),
    )
    q(x, "中山四路与德政中路十字路口信号灯坏咗", X("中山四路", "德政中路"))
    q(
        x,
        "中山四路德政中路天桥底有人瞓觉，好多垃圾",
        X("中山四路", "德政中路"),
        turn("中山四路", "德政中路"),
    )
    q(
        x,
        "德政中路、大南路路口往北100米有人倒建筑垃圾",
        X("德政中路", "大南路", None, ("北", 100, "exact")),
    )
    q(x, "仓边路与中山四路交叉口有人卖假货", X("仓边路", "中山四路"))
    q(x, "仓边路中山四路路口西北角有人摆摊", X("仓边路", "中山四路", "西北"))
    q(x, "竹丝岗二马路与环市东路交叉口车辆乱停", X("竹丝岗二马路", "环市东路"))
    q(x, "竹丝岗二马路与东风东路交叉口有人乱过马路", X("竹丝岗二马路", "东风东路"))
    q(x, "松园大街与农林下路交界有人乱倒垃圾", X("松园大街", "农林下路"))
    q(x, "大德路与一德路交叉口有人卖海味占道", X("大德路", "一德路"))
    q(x, "环市中路与应元路交叉口噪音扰民", X("环市中路", "应元路"))
    q(x, "文德路与中山四路交叉口有乞丐", X("文德路", "中山四路"))
    q(x, "文德路大德路交叉口下水道倒灌", X("文德路", "大德路"))
    q(
        x,
        "起义路大德路转角骑楼下有人霸位卖嘢",
        X("起义路", "大德路"),
        turn("起义路", "大德路"),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "中山纪念堂往北200米有人乱搭帐篷", OFF(A("中山纪念堂"), "北", 200))
    q(o, "中山纪念堂往南大约100米人行道有个大坑", OFF(A("中山纪念堂"), "南", 100, "about"))
    q(
        o,
        "中山纪念堂向东行过去大概一百米，路边有好多垃圾",
        OFF(A("中山纪念堂"), "东", 100, "about"),
        [OFF(A("中山纪念堂"), "东", 100)],
    )
    q(o, "北京路步行街往南走两百来米有人乱摆卖", OFF(A("北京路步行街"), "南", 200, "about"))
    q(o, "北京路步行街往北300米有个井盖冇咗", OFF(A("北京路步行街"), "北", 300))
    q(
        o,
        "北京路步行街往北100米路西，骑楼下堆满杂物",
        OFF(A("北京路步行街"), "北", 100, side=("北京路", "西")),
    )
    q(o, "省人民医院往东大概200米有人卖假药", OFF(A("省人民医院"), "东", 200, "about"))
    q(o, "省医往西一百多米有黑车拉客", OFF(A("省医"), "西", 100, "more"))
    q(o, "省医往南300米有人晚上烧烤扰民", OFF(A("省医"), "南", 300))
    q(o, "执信中学往北约200米路灯唔亮", OFF(A("执信中学"), "北", 200, "about"))
    q(o, "执信中学往东走了三百来米有人乱倒垃圾", OFF(A("执信中学"), "东", 300, "about"))
    q(o, "花园酒店往东200米有人派传单", OFF(A("花园酒店"), "东", 200))
    q(o, "花园酒店往西100米有辆车停咗好多日", OFF(A("花园酒店"), "西", 100))
    q(
        o,
        "花园酒店往东300米路北有人占道洗车",
        OFF(A("花园酒店"), "东", 300, side=("环市东路", "北")),
    )
    q(o, "花园酒店往北约500米有人违建", OFF(A("花园酒店"), "北", 500, "about"))
    q(o, "越秀公园北门往北100米有人乱摆卖", OFF(A("越秀公园北门"), "北", 100))
    q(o, "越秀公园南门往南约200米有沙井盖爆咗", OFF(A("越秀公园南门"), "南", 200, "about"))
    q(o, "越秀公园南门往东300米有人乱停单车", OFF(A("越秀公园南门"), "东", 300))
    q(o, "越秀公园东门往东200米有人养鸡", OFF(A("越秀公园东门"), "东", 200))
    q(o, "广州二中往西150米有人乱扔烟头", OFF(A("广州二中"), "西", 150))
    q(o, "工行北京路支行往北100米有人乞讨", OFF(A("工行北京路支行"), "北", 100))
    q(o, "东山口站往东约400米路面开裂", OFF(A("东山口站"), "东", 400, "about"))
    q(
        o,
        "大塘街市往东行过去大概一百米，有渠冇盖",
        OFF(A("大塘街市"), "东", 100, "about"),
        [OFF(A("大塘街市"), "东", 100)],
    )
    q(o, "起义路街市往南约300米有车乱停", OFF(A("起义路街市"), "南", 300, "about"))
    q(o, "人民街派出所往东500米有人打交", OFF(A("人民街派出所"), "东", 500))
    q(
        o,
        "人民街派出所往东约300米路南有人占道摆卖",
        OFF(A("人民街派出所"), "东", 300, "about", ("环市中路", "南")),
    )
    q(
        o,
        "招行中山四路支行往东100米路南有人乱摆",
        OFF(A("招行中山四路支行"), "东", 100, side=("中山四路", "南")),
    )
    q(o, "中山一院往西大约300米有乞丐", OFF(A("中山一院"), "西", 300, "about"))
    q(o, "大塘派出所往南100米井盖唔见咗", OFF(A("大塘派出所"), "南", 100))
    q(o, "东濠涌博物馆往北约400米有人钓鱼", OFF(A("东濠涌博物馆"), "北", 400, "about"))
    q(o, "东濠涌博物馆往西200米有死老鼠", OFF(A("东濠涌博物馆"), "西", 200))
    q(o, "东濠涌博物馆往南500米有人游水", OFF(A("东濠涌博物馆"), "南", 500))
    q(o, "竹丝岗街市往南300米有人乱搭棚", OFF(A("竹丝岗街市"), "南", 300))
    q(o, "农林派出所往北一百多米有车撞咗护栏", OFF(A("农林派出所"), "北", 100, "more"))
    q(o, "松园村委会往西200米有人烧嘢", OFF(A("松园村委会"), "西", 200))
    q(
        o,
        "北京路与中山五路交叉口往南100米路东，有铺头占道",
        OFF(XO("北京路", "中山五路"), "南", 100, side=("北京路", "东")),
    )
    q(
        o,
        "德政中路大南路路口以北约300米路西有人倒垃圾",
        OFF(XO("德政中路", "大南路"), "北", 300, "about", ("德政中路", "西")),
    )
    q(o, "广州塔往北200米有人占道", OFF(("none",), "北", 200))
    q(o, "东山百货往东100米有人乱摆", OFF(("none",), "东", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "越秀公园北门门口有人乱摆卖", NEAR("越秀公园北门"))
    q(
        n,
        "越秀公园南门侧边有个树头倒咗",
        NEAR("越秀公园南门"),
        [NEAR("越秀公园南门", r=0), NEAR("越秀公园南门", r=80)],
    )
    q(n, "越秀公园东门门口有人派传单", NEAR("越秀公园东门"))
    q(
        n,
        "越秀公园附近晚上有人唱K好嘈",
        NEAR("越秀公园北门", "越秀公园南门", "越秀公园东门", "越秀公园西门"),
    )
    q(n, "中山纪念堂门口有人兜售假票", NEAR("中山纪念堂"))
    q(n, "市一门口有黄牛拉客", NEAR("市一"))
    q(
        n,
        "省人民医院对出有人乱停车，救护车都入唔到",
        NEAR("省人民医院"),
        [NEAR("省人民医院", r=0), NEAR("省人民医院", r=80)],
    )
    q(
        n,
        "中山一院隔离有间铺头油烟好大",
        NEAR("中山一院"),
        [NEAR("中山一院", r=0), NEAR("中山一院", r=80)],
    )
    q(
        n,
        "北京路步行街嗰度有人扮公仔收钱",
        NEAR("北京路步行街"),
        [NEAR("北京路步行街", r=0)],
    )
    q(
        n,
        "执信中学后尾有人烧垃圾，烟好大",
        NEAR("执信中学"),
        [NEAR("执信中学", r=0), NEAR("执信中学", r=100)],
    )
    q(n, "广州二中门口放学时候好多车乱停", NEAR("广州二中"))
    q(n, "东山口站附近有人派传单", NEAR("东山口站"))
    q(n, "纪念堂站门口共享单车堆满", NEAR("纪念堂站"))
    q(n, "省建大院附近有人装修好嘈", NEAR_COMPOUND("省建大院", ["省建大院"]))
    q(n, "东园大院周边有人乱拉电线", NEAR_COMPOUND("东园大院", ["东园大院"]))
    q(n, "竹岗花园附近夜晚有人跳广场舞好嘈", NEAR_COMPOUND("竹岗花园", ["竹岗花园"]))
    q(n, "工行北京路支行门口有人乞讨", NEAR("工行北京路支行"))
    q(
        n,
        "大塘街市左近有人劏鸡，污水周围流",
        NEAR("大塘街市"),
        [NEAR("大塘街市", r=0), NEAR("大塘街市", r=80)],
    )
    q(n, "起义路街市门口有人乱摆卖", NEAR("起义路街市"))
    q(n, "农林派出所对面有部车停咗成个礼拜", NEAR("农林派出所"))
    q(n, "邮储农林下路支行门口有人乱停车", NEAR("邮储农林下路支行"))
    q(
        n,
        "竹丝岗社区居委会侧边个垃圾桶满晒冇人清",
        NEAR("竹丝岗社区居委会"),
        [NEAR("竹丝岗社区居委会", r=0), NEAR("竹丝岗社区居委会", r=80)],
    )
    bq = fb("北京路", 250, "R")
    q(
        n,
        f"北京路{no(bq)}号骑楼下有人霸住摆卖，行人都过唔到",
        NEAR_CODE(bq["code"]),
        [NEAR_CODE(bq["code"], 0), NEAR_CODE(bq["code"], 80)],
    )
    q(n, "松园村委会门口有人乱倒建筑垃圾", NEAR("松园村委会"))
    q(
        n,
        "农商银行起义路支行隔离有间铺成日播音乐好大声",
        NEAR("农商银行起义路支行"),
        [NEAR("农商银行起义路支行", r=0), NEAR("农商银行起义路支行", r=80)],
    )
    q(n, "应元社区居委会附近有人遛狗唔拉绳", NEAR("应元社区居委会"))
    q(n, "省中医门口有人炒号", ("near", [], R_NEAR))
    q(n, "东山百货对面有人乱摆卖", ("near", [], R_NEAR))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("高第街啲路灯坏咗好多日", "高第街"),
        ("来电人反映大马站有车长期占道", "大马站"),
        ("流水井渠道淤塞，污水漫到路面", "流水井"),
        ("莲花井有人养狗扰民，成晚吠", "莲花井"),
        ("清水濠路面坑坑洼洼", "清水濠"),
        ("寺贝通津有人乱搭建", "寺贝通津"),
        ("庙前直街垃圾几日冇人收", "庙前直街"),
        ("小马站有人半夜装修", "小马站"),
        ("市民反映龙藏街里面电线乱拉", "龙藏街"),
        ("长塘街化粪池满咗冒出嚟", "长塘街"),
        ("华贵横街有人占用消防通道", "华贵横街"),
        ("松岗直街路面好滑，老人家跌亲", "松岗直街"),
        ("素波巷有老鼠出没", "素波巷"),
        ("高第街三巷有人乱晒衫挡路", "高第街三巷"),
        ("桂香街有人晚上施工", "桂香街"),
        ("仙湖巷路灯唔亮", "仙湖巷"),
    ]:
        q(la, text, LANE(lane))

    # --- group (a 经济社 of 松园村) -------------------------------------------------------
    g = "group"
    q(g, "松园村一社有人乱搭建", ZU(1))
    q(g, "松园村二社啲垃圾成个礼拜冇人收", ZU(2))
    q(g, "松园村第三经济社有人私拉电线", ZU(3))
    q(g, "松园村第五经济合作社出租屋漏水冇人理", ZU(5))
    q(g, "农林街道松园村六社有人乱倒泥头", ZU(6, "农林街道"))
    q(g, "越秀区农林街道松园村三社停水", ZU(3, "农林街道"))
    q(g, "松园村5社有人养鸡扰民", ZU(5))
    q(
        g,
        "我住松园村一社嗰度，条巷啲渠淤塞咗好耐，一落雨就水浸，麻烦派人睇下",
        ZU(1),
        [("pts", [b["code"] for b in houses(place="松园村", zu=1)])],
    )
    q(g, "松园村第六经济合作社有人违建", ZU(6))
    q(g, "农林松园村二社有人打麻将嘈到半夜", ZU(2, "农林街道"))
    q(g, "松园村四社有人乱堆杂物", ZU(4))
    q(g, "松园村第四经济社出租屋电线老化", ZU(4))
    q(g, "松园村七社有人违建", ZU(7))
    q(g, "大塘街道松园村二社有人乱倒垃圾", ZU(2, "大塘街道"))
    q(g, "人民街道松园村五社有人养狗唔拴绳", ZU(5, "人民街道"))
    q(g, "聚龙坊一社有人乱搭棚", ZU(1, None, "聚龙坊"))

    # --- village (坊 / 里 / 大院 named alone, or 松园村) ---------------------------------
    v = "village"
    q(v, "九曜坊有人乱搭建", VIL("九曜坊"))
    q(v, "北京街道九曜坊路灯唔亮", VIL("九曜坊", "北京街道"))
    q(v, "聚龙坊有人乱倒垃圾", VIL("聚龙坊"))
    q(v, "人民街道聚龙坊有人养鸡", VIL("聚龙坊", "人民街道"))
    q(v, "大塘聚龙坊条渠淤塞咗", VIL("聚龙坊", "大塘街道"))
    q(v, "华宁里成日有老鼠", VIL("华宁里"))
    q(
        v,
        "我系华宁里嘅街坊，楼下成日有人乱停电动车，堵住消防通道，希望有人管下",
        VIL("华宁里"),
    )
    q(v, "永安里有人违建", VIL("永安里"))
    q(v, "仁安里路面烂咗", VIL("仁安里"))
    q(v, "越秀区人民街道仁安里有人乱拉电线", VIL("仁安里", "人民街道"))
    q(v, "省建大院有人乱搭铁皮棚", VIL("省建大院"), [("pts", [code_of_alias("省建大院")])])
    q(v, "东园大院停车乱", VIL("东园大院"))
    q(v, "松园村有人乱倒建筑垃圾", VIL("松园村"))
    q(v, "农林街道松园村出租屋消防隐患大", VIL("松园村", "农林街道"))
    q(v, "福寿坊有人违建", VIL("福寿坊"))
    q(v, "大塘街道九曜坊有人乱摆", VIL("九曜坊", "大塘街道"))
    q(v, "北京街道华宁里路灯唔亮", VIL("华宁里", "北京街道"))

    # --- other_county (广州's other districts in front of our addresses) ------------------
    oc = "other_county"
    bj, hs = fb("北京路", 930, "R"), fb("环市中路", 1000, "L")
    z1, df = fb("中山一路", 1000, "L"), fb("东风东路", 700, "L")
    for text, code in [
        (f"广州市荔湾区北京路{no(bj)}号", None),
        ("海珠区农林街道松园村一社5号", None),
        (f"天河区中山一路{no(z1)}号", None),
        (f"白云区环市中路{no(hs)}号", None),
        ("番禺区大塘街道华宁里7号", None),
        (f"广州市黄埔区东风东路{no(df)}号", None),
        ("佛山市南海区人民街道聚龙坊8号", None),
        (f"广州市越秀区北京路{no(bj)}号", bj["code"]),
        ("越秀区农林街道松园村一社5号", H(1, 5)["code"]),
        (f"广东省广州市越秀区中山一路{no(z1)}号", z1["code"]),
        (f"越秀区环市中路{no(hs)}号", hs["code"]),
        ("广州市越秀区大塘街道华宁里7号", "YXHNL007"),
        (f"越秀区东风东路{no(df)}号", df["code"]),
        ("越秀区人民街道聚龙坊8号", "YXJLFR008"),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    e1, e2 = fb("北京路", 100, "L"), fb("中山四路", 1100, "L")
    e3, e4 = fb("东风东路", 2100, "L"), fb("环市东路", 2200, "L")
    e5, e6 = fb("解放北路", 600, "L"), fb("大德路", 1000, "R")
    e7 = fb("德政中路", 150, "R")
    gate = fb("农林下路", 1100, "L")
    absent("高第街三巷7号")
    absent("松园村一社30号")
    absent("素波巷7号")
    for text, code in [
        ("No. 5, Lane 3, Gaodi Street, Yuexiu District, Guangzhou", "YXGDJ3X5"),
        ("No. 7, Lane 3, Gaodi Street, Yuexiu District", None),
        (
            "No. 5, Yishe, Songyuan Village, Nonglin Subdistrict, Yuexiu District, Guangzhou",
            H(1, 5)["code"],
        ),
        ("No. 30, Yishe, Songyuan Village, Nonglin Subdistrict, Yuexiu District", None),
        (f"No. {no(e1)}, Beijing Road, Yuexiu District, Guangzhou", e1["code"]),
        (f"No. {no(e2)} Zhongshan 4th Road, Yuexiu District, Guangzhou, Guangdong", e2["code"]),
        (f"No. {no(e3)}, Dongfeng East Road, Yuexiu District", e3["code"]),
        (f"No. {no(e4)}, Huanshi East Road, Yuexiu District, Guangzhou", e4["code"]),
        (f"No. {no(e5)}, Jiefang North Road, Yuexiu, Guangzhou", e5["code"]),
        (f"No. {no(e6)} Dade Road, Yuexiu District", e6["code"]),
        (f"No. {no(e7)}, Dezheng Middle Road, Yuexiu District, Guangzhou", e7["code"]),
        (
            f"Building 3, Shengjian Compound, No. {no(gate)} Nonglin Xia Road, Yuexiu District",
            "YXSJDYB3",
        ),
        ("No. 7, Huaning Li, Datang Subdistrict, Yuexiu District, Guangzhou", "YXHNL007"),
        ("No. 8, Julong Fang, Renmin Subdistrict, Yuexiu District", "YXJLFR008"),
        ("No. 3, Julong Fang, Yuexiu District, Guangzhou", None),
        ("No. 6 West, Wende Road, Yuexiu District", "YXWDLW6"),
        ("5号，一社，松园村，农林街道，越秀区，广州市", H(1, 5)["code"]),
        (f"{no(e1)}号，北京路，越秀区，广州市", e1["code"]),
        (f"3栋，省建大院，农林下路{no(gate)}号，越秀区", "YXSJDYB3"),
        ("7号，华宁里，大塘街道，越秀区", "YXHNL007"),
        ("7号，素波巷，越秀区，广州市", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    b = "building"
    p1, p2 = fb("北京路", 250, "R"), fb("中山五路", 300, "L")
    p3, p4 = fb("起义路", 900, "R"), fb("仓边路", 1300, "R")
    t1, t2 = fb("中山四路", 1100, "L"), fb("环市东路", 600, "R")
    t3, t4 = fb("农林下路", 700, "L"), fb("东风东路", 300, "R")
    t5, t6 = fb("越秀北路", 1000, "R"), fb("德政中路", 150, "R")
    for miss in [
        "北京路999号",
        f"北京路{no(p1)}号之三",
        "华宁里30号",
        "松园村一社99号",
        "文德路6号",
        "庙前直街99号",
    ]:
        absent(miss)
    absent("省建大院6栋")
    absent("竹岗花园5栋")
    for text, code in [
        (p3["address"], p3["code"]),
        (f"仓边路{no(p4)}号", p4["code"]),
        (f"北京路{no(p1)}号之一", f"{p1['code']}Z1"),
        (f"越秀区中山五路{no(p2)}号之二", f"{p2['code']}Z2"),
        (f"中山五路{no(p2)}号", p2["code"]),
        (f"农林下路{no(gate)}号大院3栋", "YXSJDYB3"),
        ("省建大院2栋", "YXSJDYB2"),
        ("华宁里7号首层", "YXHNL007"),
        ("文德路西6号", "YXWDLW6"),
        ("竹岗花园3座2梯602", "YXZGHYB3"),
        ("中山纪念堂", code_of_alias("中山纪念堂")),
        ("花园酒店", code_of_alias("花园酒店")),
        ("执信中学", code_of_alias("执信中学")),
        ("广东省人民医院", code_of_alias("广东省人民医院")),
        ("中山一院", code_of_alias("中山一院")),
        ("松园村委会", code_of_alias("松园村委会")),
        ("九曜坊5号", "YXJYF005"),
        (f"中山是路{no(t1)}号", t1["code"]),
        (f"越秀区环市冬路{no(t2)}号", t2["code"]),
        (f"农林夏路{no(t3)}号", t3["code"]),
        (f"广州市越秀区东峰东路{no(t4)}号", t4["code"]),
        (f"越绣北路{no(t5)}号", t5["code"]),
        (f"德正中路{no(t6)}号", t6["code"]),
        ("广州市越秀区北京路999号", None),
        (f"北京路{no(p1)}号之三", None),
        ("华宁里30号", None),
        ("越秀区农林街道松园村一社99号", None),
        ("文德路6号", None),
        ("省建大院6栋", None),
        ("竹岗花园5栋2梯301", None),
        ("聚龙坊3号", None),
        ("庙前直街99号", None),
    ]:
        q(b, text, BLD(code))
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
    for kind, text, spec, alts in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        for alt in alts:
            if truth(alt) != (expected, micro):
                raise SystemExit(f"{text}: another reading gives {truth(alt)}")
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        rows.append((kind, text, spec, expected, micro))
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)},"
        f" refused {refused} ({100 * refused / len(lines):.0f} %)"
    )
    return rows


# ---------------------------------------------------------------- read back
def check_files(rows) -> None:
    """Read the four files back and check them against each other and the geometry."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in grids["features"]}
    micro_polys = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{f['properties']['code']}: parent {parent} missing")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        blds = {r["code"]: r for r in csv.DictReader(fh)}
    if len(blds) != len(BUILDINGS):
        raise SystemExit("buildings.csv: codes are not unique")
    for code, r in blds.items():
        mg = r["micro_grid_code"]
        if mg not in micro_polys:
            raise SystemExit(f"{code}: micro-grid {mg} missing")
        if not micro_polys[mg].contains(Point(float(r["lon"]), float(r["lat"]))):
            raise SystemExit(f"{code}: not inside its micro-grid {mg}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))
    if [f["properties"]["name"] for f in roads["features"]] != [r[0] for r in ROADS]:
        raise SystemExit("roads.geojson does not read back")
    read = [
        json.loads(line)
        for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    if len(read) != len(rows):
        raise SystemExit("queries.jsonl does not read back")
    for qd, (kind, text, spec, expected, micro) in zip(read, rows, strict=True):
        if (qd["query"], qd["kind"], qd["expected"], qd["micro_grid"]) != (
            text,
            kind,
            expected,
            micro,
        ):
            raise SystemExit(f"{text}: does not read back")
        if qd["expected"] is not None:
            if qd["expected"] not in blds:
                raise SystemExit(f"{text}: building {qd['expected']} missing")
            if blds[qd["expected"]]["micro_grid_code"] != qd["micro_grid"]:
                raise SystemExit(f"{text}: building not in the stated micro-grid")
            if spec[0] != "bld":
                raise SystemExit(f"{text}: a place query with a building")
        if qd["micro_grid"] is not None:
            if qd["micro_grid"] not in micro_polys:
                raise SystemExit(f"{text}: micro-grid {qd['micro_grid']} missing")
            if spec[0] != "bld":
                region = place_region(spec)
                hits = [c for c, p in MICROS.items() if p.buffer(0.01).contains(region)]
                if hits != [qd["micro_grid"]]:
                    raise SystemExit(f"{text}: region lies in {hits}")
        elif qd["expected"] is not None:
            raise SystemExit(f"{text}: a building without a micro-grid")
    print("read back: files agree")


if __name__ == "__main__":
    check_files(write_all())
