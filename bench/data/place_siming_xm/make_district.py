"""Write the place-description evaluation district: 福建省厦门市思明区.

    python bench/data/place_siming_xm/make_district.py

One grid tree: 鼓浪屿街道 across the water (龙头社区, the island and the
strait), an old town (中华街道: 大同社区, 中山社区 with 中山路, 大同路 and their
骑楼), 厦港街道 (沙坡尾社区, 大学社区 with 大学路 and 厦大), and a peri-urban east
that is ours: 滨海街道 with 曾厝垵村 and 黄厝村 (houses written by 社 —
`思明区滨海街道曾厝垵村西边社12号`) and 莲前街道 with 前埔村 (houses written by 组 —
`思明区莲前街道前埔村3组15号`) and three villages numbered across
(`思明区莲前街道上李村128号`). The 街道 and the road names are 思明区's; the
communities, villages, 社, lanes, door numbers, landmarks' positions and all
geometry are ours: a layout in metres over a 6 km x 3 km box with the island's
corner cut out, put into WGS-84 with the south-west corner at 118.06 E, 24.43 N.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Words the rules do
not cover get two readings, a narrow and a wide one; such a query is a positive only when both
readings lie in the same one micro-grid.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl deterministically, then
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
from shapely.geometry.polygon import orient
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 118.0600, 24.4300  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("350203", "思明区")
# the main part east of 鹭江道 / 演武路, and 鼓浪屿街道 (island and strait) north-west of it;
# south of 鼓浪屿 and west of 演武路 is open sea, outside the district
DISTRICT_AREA = orient(
    unary_union([box(1200, 0, 6000, 3000), box(0, 1500, 1200, 3000)]).simplify(0), 1.0
)
ISLAND = box(0, 1500, 800, 3000)  # 鼓浪屿 itself; x 800-1200 is the strait (鹭江)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("350203010", "鼓浪屿街道", (0, 1500, 1200, 3000), [("龙头社区", "龙头")]),
    (
        "350203001",
        "中华街道",
        (1200, 1500, 3600, 3000),
        [("大同社区", "大同"), ("中山社区", "中山")],
    ),
    (
        "350203002",
        "厦港街道",
        (1200, 0, 3600, 1500),
        [("沙坡尾社区", "沙坡尾"), ("大学社区", "大学")],
    ),
]

# peri-urban streets: code, name, box, villages (name, key, micro-grid naming style)
# "she": six micro-grids named after the 社 (`曾厝垵村西边社`); "plain": six plain micro-grids;
# "zu": six micro-grids named after the 组 (`前埔村3组`); "small": numbered across, two.
SHE_ZCA = ["西边社", "曾山社", "前厝社", "后厝社", "东宅社", "上里社"]
RURAL = [
    (
        "350203006",
        "滨海街道",
        (3600, 0, 6000, 1500),
        [("曾厝垵村", "ZCA", "she"), ("黄厝村", "HC", "plain")],
    ),
    (
        "350203009",
        "莲前街道",
        (3600, 1500, 6000, 3000),
        [
            ("前埔村", "QP", "zu"),
            ("上李村", "SL", "small"),
            ("岭兜村", "LD", "small"),
            ("东坪村", "DP", "small"),
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
                    if style == "she":
                        name = f"{v_name}{SHE_ZCA[m - 1]}"
                    elif style == "zu":
                        name = f"{v_name}{m}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the waterfront: borders of the district or of 鼓浪屿街道
    ("鹭江道", "arterial", [(1200, 1500), (1200, 3000)]),
    ("演武路", "arterial", [(1200, 100), (1200, 1500)]),
    ("环岛南路", "arterial", [(1200, 100), (6000, 100)]),
    ("湖滨南路", "arterial", [(1200, 3000), (6000, 3000)]),
    # the old town
    ("思明南路", "arterial", [(2400, 300), (2400, 2400)]),
    ("思明北路", "arterial", [(2400, 2400), (2400, 3000)]),
    ("中山路", "secondary", [(1200, 2400), (2800, 2400)]),
    ("大同路", "secondary", [(1200, 2700), (3000, 2700)]),
    ("镇海路", "secondary", [(1200, 2050), (2400, 2050)]),
    ("民族路", "secondary", [(1200, 1500), (2400, 1500)]),
    ("思明东路", "secondary", [(2700, 2100), (2700, 2950)]),
    ("升平路", "branch", [(2250, 2050), (2250, 2350)]),
    ("开禾路", "branch", [(1650, 3000), (1650, 2800)]),
    ("局口街", "branch", [(1750, 2320), (1750, 2480), (2150, 2480), (2150, 2320)]),
    ("公园南路", "secondary", [(3000, 2600), (3600, 2600)]),
    ("公园西路", "branch", [(3000, 2600), (3000, 3000)]),
    ("公园东路", "secondary", [(3600, 2600), (3600, 3000)]),
    ("虎园路", "branch", [(3000, 2450), (3500, 2300)]),  # climbs eastwards up 万石山
    # 厦港
    ("大学路", "secondary", [(1200, 800), (3500, 800)]),
    ("万石山隧道", "arterial", [(3000, 1200), (3900, 1900)]),
    # lanes in the road file
    ("竹仔巷", "branch", [(1450, 2050), (1450, 2230)]),
    ("赖厝埕", "branch", [(2550, 2400), (2550, 2600)]),
    ("顶澳仔巷", "branch", [(1700, 800), (1700, 1000)]),
    ("碧山巷", "branch", [(1900, 1700), (2100, 1700)]),
    # 鼓浪屿
    ("龙头路", "secondary", [(250, 2250), (780, 2250)]),
    ("泉州路", "branch", [(400, 1650), (400, 2950)]),
    ("鹿礁路", "branch", [(450, 2600), (780, 2600)]),
    # the peri-urban east
    ("莲前西路", "arterial", [(3600, 2100), (4800, 2100)]),
    ("莲前东路", "arterial", [(4800, 2100), (6000, 2100)]),
    ("前埔路", "branch", [(4200, 1600), (4200, 2950)]),
    ("岭兜路", "branch", [(5400, 1550), (5400, 2050)]),
    ("曾厝垵路", "branch", [(4200, 100), (4200, 1400)]),
    ("黄厝路", "branch", [(5400, 100), (5400, 1300)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "思明区"
GLY = "思明区鼓浪屿"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "鹭江道": "LJD",
    "演武路": "YWL",
    "环岛南路": "HDNL",
    "湖滨南路": "HBNL",
    "思明南路": "SMNL",
    "思明北路": "SMBL",
    "中山路": "ZSL",
    "大同路": "DTL",
    "镇海路": "ZHL",
    "民族路": "MZL",
    "思明东路": "SMDL",
    "升平路": "SPL",
    "公园南路": "GYNL",
    "公园西路": "GYXL",
    "公园东路": "GYDL",
    "虎园路": "HYL",
    "大学路": "DXL",
    "竹仔巷": "ZZX",
    "赖厝埕": "LCC",
    "顶澳仔巷": "DAZX",
    "碧山巷": "BSX",
    "龙头路": "LTL",
    "泉州路": "QZL",
    "鹿礁路": "LJL",
    "莲前西路": "LQXL",
    "莲前东路": "LQDL",
    "仁安里": "RAL",
    "福寿里": "FSL",
    "妙香里": "MXL",
    "霞溪巷": "XXX",
    "晃岩路": "HYAL",
    "港仔后路": "GZHL",
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
        add(f"SM{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"SM{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points, prefix=CITY, aliases=None):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(
            f"SM{CODE_KEY[lane]}{n}",
            f"{prefix}{lane}{n}号",
            x,
            y,
            (aliases or {}).get(n, []),
            road=lane,
            n=n,
        )


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{address}{name}{k}号楼",
            x,
            y,
            [f"{name}{k}号楼", f"{name}{k}栋"],
            compound=name,
        )


TOWN_OF = {"ZCA": "滨海街道", "HC": "滨海街道", "QP": "莲前街道", "SL": "莲前街道"}
TOWN_OF |= {"LD": "莲前街道", "DP": "莲前街道"}
VILLAGE_OF = {"ZCA": "曾厝垵村", "HC": "黄厝村", "QP": "前埔村", "SL": "上李村"}
VILLAGE_OF |= {"LD": "岭兜村", "DP": "东坪村"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, unit, centre, numbers, aliases=None):
    """Houses of a 社 (unit a str), a 组 (unit an int) or numbered across (None) around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        if isinstance(unit, str):
            ut, idx, she, zu = unit, SHE_ALL.index(unit) + 1, unit, None
        elif unit:
            ut, idx, she, zu = f"{unit}组", unit, None, unit
        else:
            ut, idx, she, zu = "", 0, None, None
        add(
            f"SM{key}{idx:02d}{n:03d}",
            f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{ut}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            she=she,
            n=n,
        )


SHE_HC = ["黄厝社", "塔头社", "前厝社", "溪头下社", "许厝社", "后埔社"]
SHE_ALL = SHE_ZCA + [s for s in SHE_HC if s not in SHE_ZCA]


def build_buildings() -> None:
    # the waterfront: only the landward side has doors
    frontage(
        "鹭江道",
        [
            (300, "R", ["第一码头"]),
            (560, "R", []),
            (880, "R", ["轮渡码头", "厦门轮渡码头", "轮渡"]),
            (960, "R", ["鹭江宾馆"]),
            (1300, "R", []),
        ],
    )
    frontage("演武路", [(300, "R", []), (700, "R", ["演武小学"]), (1200, "R", [])])
    frontage(
        "环岛南路",
        [
            (1400, "L", ["厦门大学白城校门", "厦大白城校门"]),
            (1640, "R", ["白城沙滩"]),
            (2100, "L", ["胡里山炮台"]),
            (2730, "R", ["书法广场"]),
            (3050, "L", ["曾厝垵公交总站"]),
            (3450, "L", ["环岛路加油站"]),
            (4300, "R", ["黄厝海滨浴场", "黄厝沙滩"]),
        ],
    )
    frontage(
        "湖滨南路",
        [(450, "R", []), (1750, "R", []), (2600, "R", ["中山医院", "厦门大学附属中山医院"])],
    )
    frontage(
        "思明南路",
        [
            (70, "R", []),
            (30, "L", ["厦门大学西校门", "厦大西门"]),
            (250, "R", ["南普陀寺", "南普陀"]),
            (350, "L", ["华侨博物院"]),
            (900, "L", ["厦港街道办事处"]),
            (1300, "R", []),
            (1650, "L", ["中华街道办事处"]),
            (2050, "L", ["思明电影院"]),
        ],
    )
    frontage("思明北路", [(200, "L", []), (450, "R", ["工商银行思北支行", "工行思北支行"])])
    frontage(
        "中山路",
        [
            (120, "L", []),
            (330, "R", ["黄则和花生汤", "黄则和"]),
            (500, "L", ["新华书店中山路店", "中山路新华书店"]),
            (700, "R", []),
            (900, "R", ["中华城"]),
            (1050, "L", []),
            (1340, "R", []),
            (1450, "L", ["华侨银行旧址"]),
        ],
    )
    frontage(
        "大同路",
        [
            (200, "L", []),
            (600, "R", ["大同路邮政支局", "大同路邮局"]),
            (1000, "L", ["大同花园", "大同花园大门"]),
            (1300, "R", ["大同小学"]),
            (1700, "L", []),
        ],
    )
    frontage(
        "镇海路",
        [
            (120, "R", []),
            (300, "L", ["双十中学镇海校区", "双十中学"]),
            (700, "R", ["厦门市第一医院", "第一医院"]),
            (1100, "L", ["镇海路派出所"]),
        ],
    )
    frontage("民族路", [(300, "R", []), (850, "L", []), (1100, "R", ["民族路菜市场"])])
    frontage("思明东路", [(100, "L", []), (450, "R", ["思明东路菜市场"]), (700, "L", [])])
    frontage("升平路", [(120, "L", [])])
    frontage("公园南路", [(300, "L", ["中山公园", "中山公园南门"]), (500, "R", [])])
    frontage("公园西路", [(200, "R", ["中山公园西门"])])
    frontage("公园东路", [(200, "L", ["中山公园东门"]), (300, "R", [])])
    frontage(
        "虎园路",
        [(40, "R", ["厦门第一中学", "厦门一中"]), (510, "L", ["万石植物园北门", "植物园北门"])],
    )
    frontage(
        "大学路",
        [
            (300, "L", ["沙坡尾避风坞", "沙坡尾"]),
            (500, "R", ["厦港派出所"]),
            (700, "L", ["顶澳仔猫街", "猫街"]),
            (1000, "R", ["大学路菜市场"]),
            (1300, "L", ["厦门大学西村", "厦大西村"]),
            (1700, "R", []),
            (2100, "L", ["厦大学生公寓"]),
        ],
    )
    # lanes of the road file
    frontage("竹仔巷", [(40, "L", []), (150, "R", [])], step=10)
    frontage("赖厝埕", [(60, "L", []), (170, "R", [])], step=10)
    frontage("顶澳仔巷", [(50, "R", []), (160, "L", [])], step=10)
    frontage("碧山巷", [(40, "L", []), (170, "R", [])], step=10)
    # 鼓浪屿
    frontage(
        "龙头路",
        [(100, "L", []), (230, "R", ["鼓浪屿邮局"]), (350, "L", []), (480, "L", ["钢琴码头"])],
        prefix=GLY,
    )
    frontage("泉州路", [(200, "L", []), (700, "R", ["鼓浪屿派出所"]), (1100, "L", [])], prefix=GLY)
    frontage("鹿礁路", [(60, "L", []), (280, "R", ["三丘田码头"])], prefix=GLY)
    lane_houses("晃岩路", [(25, 280, 1900), (62, 250, 1850)], prefix=GLY, aliases={62: ["日光岩"]})
    lane_houses(
        "港仔后路", [(7, 560, 1620), (12, 610, 1600)], prefix=GLY, aliases={7: ["菽庄花园"]}
    )
    # the peri-urban east's main roads
    frontage(
        "莲前西路",
        [
            (300, "R", ["前埔一里", "前埔一里南门"]),
            (650, "L", ["前埔医院"]),
            (1000, "L", ["莲前派出所"]),
        ],
    )
    frontage("莲前东路", [(300, "R", []), (750, "L", ["莲前街道办事处"])])
    # lanes in no road file
    lane_houses("仁安里", [(3, 1330, 1800), (6, 1360, 1860), (11, 1300, 1880)])
    lane_houses("福寿里", [(2, 2600, 1900), (9, 2650, 1940), (15, 2700, 1900)])
    lane_houses("妙香里", [(4, 2370, 1200), (7, 2430, 1210), (12, 2440, 1260)])
    lane_houses("霞溪巷", [(5, 1850, 1300), (8, 1900, 1330), (21, 1950, 1300)])
    # 小区 / 西村: a door with the name and gate, and its 号楼
    compound(
        f"大同路{door(1000, 'L')}号",
        "大同花园",
        "SMDTHY",
        [(2150, 2780), (2230, 2780), (2310, 2780), (2150, 2860), (2230, 2860)],
    )
    compound(
        f"大学路{door(1300, 'L')}号",
        "厦大西村",
        "SMXDXC",
        [(2460, 880), (2540, 880), (2620, 880), (2460, 960)],
    )
    compound(
        f"莲前西路{door(300, 'R')}号",
        "前埔一里",
        "SMQPYL",
        [(3850, 1960), (3930, 1960), (3850, 2030)],
    )
    # 滨海街道: 曾厝垵村, by 社 (micro-grids named after them)
    c = micro_centre
    for m, (she, nums) in enumerate(
        [
            ("西边社", [3, 12, 27]),
            ("曾山社", [5, 18, 33, 41]),
            ("前厝社", [2, 9, 16]),
            ("后厝社", [7, 14, 30]),
            ("东宅社", [1, 11, 22]),
            ("上里社", [6, 19]),
        ],
        start=1,
    ):
        al = {18: ["曾厝垵村委会", "曾厝垵村村委会"]} if she == "曾山社" else None
        x, y = c("ZCA", m)
        rural_houses("ZCA", she, (x + 60, y), nums, al)
    # 黄厝村 (plain micro-grids; 许厝社 lies across two)
    rural_houses("HC", "黄厝社", c("HC", 1), [2, 8, 15], {8: ["黄厝村委会", "黄厝村村委会"]})
    rural_houses("HC", "塔头社", (5300, 400), [4, 10, 23])
    rural_houses("HC", "前厝社", c("HC", 3), [2, 6, 13])
    rural_houses("HC", "溪头下社", c("HC", 4), [3, 9, 17])
    rural_houses("HC", "许厝社", (5600, 1100), [5, 12, 20])
    rural_houses("HC", "后埔社", (5850, 1250), [2, 7])
    # 莲前街道: 前埔村 (1组 … 6组, micro-grids named after them)
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        al = {9: ["前埔村委会", "前埔村村委会"]} if zu == 3 else None
        x, y = c("QP", zu)
        rural_houses("QP", zu, (x + 70, y - 60), nums, al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("SL", None, (5000, 2600), [12, 37, 58, 103], {37: ["上李村委会"]})
    rural_houses("LD", None, (5300, 1800), [6, 21, 45, 88, 131], {21: ["岭兜村委会"]})
    rural_houses("DP", None, (5800, 2650), [7, 33, 70], {33: ["东坪村卫生所"]})


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
    if spec[0] == "pt":  # a fixed point, such as a tunnel's portal
        return Point(spec[1], spec[2])
    if spec[0] == "none":
        return None
    raise SystemExit(spec)


def houses(town=None, village=None, zu=None, she=None, road=None):
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
        if she is not None and b["she"] != she:
            continue
        out.append(b)
    return out


def along(road: str, o: Point, toward: str, lo: float, hi: float, lateral: float):
    """The stretch of a road lo-hi metres from o's foot, toward its start or end, buffered."""
    line = ROAD[road]
    s0 = line.project(o)
    if toward == "end":
        a, b = s0 + lo, s0 + hi
    else:
        a, b = s0 - hi, s0 - lo
    if a < 0 or b > line.length:
        raise SystemExit(f"{road}: {lo}-{hi} m from {s0:.0f} runs off the road")
    return substring(line, a, b).buffer(lateral)


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
    if kind == "xdisc":  # ("xdisc", A, B, radius): a crossing read with another radius
        pts = crossings(spec[1], spec[2])
        return pts[0].buffer(spec[3]) if len(pts) == 1 else None
    if kind == "off":  # ("off", origin spec, dir, dist, how, (road, side) or None)
        _, ospec, d, dist, how, side = spec
        o = origin(ospec)
        if o is None:
            return None
        lo, hi = tolerance(dist, how) if how != "range" else dist
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
    if kind == "along":  # ("along", road, origin spec, toward, lo, hi, lateral)
        _, road, ospec, toward, lo, hi, lateral = spec
        o = origin(ospec)
        return None if o is None else along(road, o, toward, lo, hi, lateral)
    if kind == "near":  # ("near", [building codes], radius)
        if not spec[1]:
            return None
        r = spec[2] if len(spec) > 2 else R_NEAR
        return unary_union([Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(r) for c in spec[1]])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "ends":  # ("ends", road, which ends, radius): 巷口 / 隧道口
        line = ROAD[spec[1]]
        pts = [Point(line.coords[0]), Point(line.coords[-1])]
        pick = {"start": pts[:1], "end": pts[1:], "both": pts}[spec[2]]
        return unary_union([p.buffer(spec[3]) for p in pick])
    if kind == "zu":  # ("zu", town or None, village, number)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "she":  # ("she", town or None, village or None, 社): matched by its name
        hs = houses(town=spec[1], village=spec[2], she=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "area":  # ("area", geometry): a stretch of ground given directly
        return spec[1]
    if kind == "all_of":  # ("all_of", [building codes]): every one of those buildings
        return MultiPoint([(BY_CODE[c]["x"], BY_CODE[c]["y"]) for c in spec[1]])
    if kind == "none":
        return None
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    if spec[0] == "two":  # ("two", narrow, wide): a positive only when both agree
        _, m1 = truth(spec[1])
        _, m2 = truth(spec[2])
        return None, (m1 if m1 is not None and m1 == m2 else None)
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


def RANGE(ospec, d, lo, hi):  # an offset with its band given (for the two readings)
    return ("off", ospec, d, (lo, hi), "range", None)


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases, r=R_NEAR):
    return ("near", [code_of_alias(a) for a in aliases], r)


def NEAR_COMPOUND(name: str, gates: list[str], r=R_NEAR):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        r,
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def SHE(she, village=None, town=None):
    return ("she", town, village, she)


def VIL(village, town=None):
    return ("village", town, village)


def TWO(narrow, wide):
    return ("two", narrow, wide)


def H(key, unit, n):  # a rural house (unit 0: a village numbered across)
    idx = SHE_ALL.index(unit) + 1 if isinstance(unit, str) else unit
    return BY_CODE[f"SM{key}{idx:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


FW = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth(n: int) -> str:
    return str(n).translate(FW)


def cn_number(n: int) -> str:
    """A door number in Chinese numerals as people write them: 二十一, 一百零五."""
    if n < 10:
        return CN[n]
    if n < 100:
        t, u = divmod(n, 10)
        return ("" if t == 1 else CN[t]) + "十" + (CN[u] if u else "")
    h, r = divmod(n, 100)
    if r == 0:
        return CN[h] + "百"
    if r < 10:
        return CN[h] + "百零" + CN[r]
    t, u = divmod(r, 10)
    return CN[h] + "百" + CN[t] + "十" + (CN[u] if u else "")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "中山路与思明东路交叉口有人占道经营", X("中山路", "思明东路"))
    q(x, "中山路思明东路交叉口西北角骑楼下堆满杂物", X("中山路", "思明东路", "西北"))
    q(x, "大同路和思明东路十字路口红绿灯坏了", X("大同路", "思明东路"))
    q(
        x,
        "大同路、思明东路路口往东100米人行道砖松了",
        X("大同路", "思明东路", None, ("东", 100, "exact")),
    )
    q(x, "来电人反映中山路与思明南路交叉口有人发传单", X("中山路", "思明南路"))
    q(x, "中山路思明南路交叉口东南角井盖缺失", X("中山路", "思明南路", "东南"))
    q(x, "中山路与思明北路口西北角有人拉客住宿", X("中山路", "思明北路", "西北"))
    q(x, "大同路和中山路交叉口有人摆摊卖水果", X("大同路", "中山路"))
    q(x, "市民称中山路与局口街交叉口有人卖麦芽糖占道", X("中山路", "局口街"))
    q(x, "局口街中山路路口东北角共享单车乱停", X("局口街", "中山路", "东北"))
    q(x, "升平路与中山路交叉口下水道冒水", X("升平路", "中山路"))
    q(x, "升平路与镇海路十字路口有车乱停", X("升平路", "镇海路"))
    q(x, "镇海路思明南路交叉口西南角有一堆垃圾", X("镇海路", "思明南路", "西南"))
    q(x, "鹭江道与中山路交叉口有人拉客去鼓浪屿", X("鹭江道", "中山路"))
    q(x, "鹭江道与中山路交叉口东南角地砖翘起来", X("鹭江道", "中山路", "东南"))
    q(
        x,
        "鹭江道、中山路口往东200米骑楼柱子开裂",
        X("鹭江道", "中山路", None, ("东", 200, "exact")),
    )
    q(x, "大学路与思明南路交叉口东北角有人烧纸钱", X("大学路", "思明南路", "东北"))
    q(x, "大学路与演武路交叉口东北角有人卖椰子占道", X("大学路", "演武路", "东北"))
    q(x, "演武路环岛南路交叉口有人骑电动车逆行", X("演武路", "环岛南路"))
    q(x, "环岛南路与曾厝垵路交叉口有人拉客", X("环岛南路", "曾厝垵路"))
    q(
        x,
        "环岛南路、曾厝垵路路口往北200米店家占道",
        X("环岛南路", "曾厝垵路", None, ("北", 200, "exact")),
    )
    q(x, "环岛南路和思明南路交叉口红绿灯不亮", X("环岛南路", "思明南路"))
    q(x, "莲前西路与前埔路交叉口东南角有人摆摊", X("莲前西路", "前埔路", "东南"))
    q(
        x,
        "莲前西路前埔路十字路口往北100米有坑",
        X("莲前西路", "前埔路", None, ("北", 100, "exact")),
    )
    q(x, "莲前西路与莲前东路交叉口车辆乱停", X("莲前西路", "莲前东路"))
    q(x, "公园南路与公园西路交叉口西北角树倒了", X("公园南路", "公园西路", "西北"))
    q(x, "公园南路与公园东路交叉口西南角井盖松动", X("公园南路", "公园东路", "西南"))
    q(x, "大同路与公园西路交叉口有渣土车撒漏", X("大同路", "公园西路"))
    q(x, "龙头路与泉州路交叉口有人拉客", X("龙头路", "泉州路"))
    q(x, "龙头路泉州路路口东北角有人卖鱼丸占道", X("龙头路", "泉州路", "东北"))
    q(x, "万石山隧道与思明南路交叉口堵车", X("万石山隧道", "思明南路"))
    q(
        x,
        "中山路和思明东路转角有人在骑楼下烤鱿鱼",
        TWO(X("中山路", "思明东路"), ("xdisc", "中山路", "思明东路", 50)),
    )
    q(
        x,
        "升平路镇海路拐角那里有人摆摊修鞋",
        TWO(X("升平路", "镇海路"), ("xdisc", "升平路", "镇海路", 50)),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "中山公园往南走个两三百米有人在路边烧纸",
        TWO(RANGE(A("中山公园"), "南", 200, 300), RANGE(A("中山公园"), "南", 160, 360)),
    )
    q(
        o,
        "厦门大学西村往东约200米路北有人乱停车",
        OFF(A("厦门大学西村"), "东", 200, "about", ("大学路", "北")),
    )
    q(o, "市民称第一医院往东走了三百来米有人摆摊", OFF(A("第一医院"), "东", 300, "about"))
    q(
        o,
        "轮渡码头往北大约150米路东有人拉客去鼓浪屿",
        OFF(A("轮渡码头"), "北", 150, "about", ("鹭江道", "东")),
    )
    q(o, "轮渡往南300米栏杆坏了", OFF(A("轮渡"), "南", 300))
    q(o, "鹭江宾馆往南走一百多米有人占道卖货", OFF(A("鹭江宾馆"), "南", 100, "more"))
    q(
        o,
        "鹭江宾馆往南一百多米路东有人乱停车",
        OFF(A("鹭江宾馆"), "南", 100, "more", ("鹭江道", "东")),
    )
    q(o, "南普陀寺往北约300米有人卖香", OFF(A("南普陀寺"), "北", 300, "about"))
    q(
        o,
        "南普陀往北约300米路东人行道被占",
        OFF(A("南普陀"), "北", 300, "about", ("思明南路", "东")),
    )
    q(o, "胡里山炮台往南300米有人游泳", OFF(A("胡里山炮台"), "南", 300))
    q(o, "胡里山炮台往北两百来米有人烧垃圾", OFF(A("胡里山炮台"), "北", 200, "about"))
    q(o, "白城沙滩往东约200米有人搭帐篷", OFF(A("白城沙滩"), "东", 200, "about"))
    q(o, "白城沙滩往北约200米路灯不亮", OFF(A("白城沙滩"), "北", 200, "about"))
    q(
        o,
        "书法广场往西走个百把米有人放风筝",
        TWO(RANGE(A("书法广场"), "西", 80, 120), RANGE(A("书法广场"), "西", 50, 150)),
    )
    q(
        o,
        "曾厝垵公交总站往东约400米路北有人揽客",
        OFF(A("曾厝垵公交总站"), "东", 400, "about", ("环岛南路", "北")),
    )
    q(o, "环岛路加油站往东300米有人飙车", OFF(A("环岛路加油站"), "东", 300))
    q(o, "黄厝海滨浴场往北一百多米有人烧烤", OFF(A("黄厝海滨浴场"), "北", 100, "more"))
    q(o, "大同小学往西走了四百来米有人卖烧肉粽", OFF(A("大同小学"), "西", 400, "about"))
    q(o, "双十中学往北约300米有人乱贴小广告", OFF(A("双十中学"), "北", 300, "about"))
    q(o, "中华城往东约200米有人卖假货", OFF(A("中华城"), "东", 200, "about"))
    q(o, "黄则和往西走三百来米有人拉客", OFF(A("黄则和"), "西", 300, "about"))
    q(
        o,
        "中山路新华书店往东两百米路南有人弹吉他卖唱",
        OFF(A("中山路新华书店"), "东", 200, side=("中山路", "南")),
    )
    q(o, "厦港派出所往南约400米有人钓鱼", OFF(A("厦港派出所"), "南", 400, "about"))
    q(
        o,
        "沙坡尾往东走了五百来米路北有人占道",
        OFF(A("沙坡尾"), "东", 500, "about", ("大学路", "北")),
    )
    q(o, "猫街往北约300米有流浪猫扰民", OFF(A("猫街"), "北", 300, "about"))
    q(
        o,
        "植物园北门下坡走一百来米有人摔倒，路面有青苔",
        TWO(
            ("along", "虎园路", A("植物园北门"), "start", 80, 120, 20),
            ("along", "虎园路", A("植物园北门"), "start", 50, 150, 40),
        ),
    )
    q(
        o,
        "万石植物园北门往下坡走三百来米有车乱停",
        TWO(
            ("along", "虎园路", A("万石植物园北门"), "start", 240, 360, 20),
            ("along", "虎园路", A("万石植物园北门"), "start", 150, 450, 40),
        ),
    )
    q(
        o,
        "一中门口往上坡走个百把米有人遛狗",
        TWO(
            ("along", "虎园路", A("厦门一中"), "end", 80, 120, 20),
            ("along", "虎园路", A("厦门一中"), "end", 50, 150, 40),
        ),
    )
    q(o, "莲前派出所往南约200米有人乱倒垃圾", OFF(A("莲前派出所"), "南", 200, "about"))
    q(o, "前埔村委会往东八百米有人烧垃圾", OFF(A("前埔村委会"), "东", 800))
    q(o, "岭兜村委会往南三百来米有人倒建筑垃圾", OFF(A("岭兜村委会"), "南", 300, "about"))
    q(o, "曾厝垵村委会往北约200米有人养鸡", OFF(A("曾厝垵村委会"), "北", 200, "about"))
    q(
        o,
        "镇海路与思明南路交叉口往西约300米路北有人乱停车",
        OFF(XO("镇海路", "思明南路"), "西", 300, "about", ("镇海路", "北")),
    )
    q(
        o,
        "中山路、思明东路交叉口往北200米路东垃圾满了",
        OFF(XO("中山路", "思明东路"), "北", 200, side=("思明东路", "东")),
    )
    q(o, "万石山隧道北口往北约100米有车抛锚", OFF(("pt", 3900, 1900), "北", 100, "about"))
    q(o, "思明区政府往东100米有人摆摊", OFF(("none",), "东", 100))
    q(o, "厦门火车站往北500米有人拉客", OFF(("none",), "北", 500))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "第一医院门口有人拉客", NEAR("第一医院"))
    q(n, "双十中学门口放学时间堵车", NEAR("双十中学"))
    q(n, "来电人反映轮渡码头对面有人拉客上岛", NEAR("轮渡码头"))
    q(n, "南普陀寺门口有人强卖香烛", NEAR("南普陀寺"))
    q(n, "厦大西门口有人拉客参观", NEAR("厦大西门"))
    q(n, "黄则和门口排队的人把骑楼占满了", NEAR("黄则和"))
    q(n, "中山路新华书店旁边有人卖唱", NEAR("中山路新华书店"))
    q(n, "中华城对面有人发传单", NEAR("中华城"))
    q(
        n,
        "大同花园周边晚上有人跳广场舞很吵",
        NEAR_COMPOUND("大同花园", ["大同花园大门"]),
    )
    q(n, "前埔一里附近有人开荒种菜", NEAR_COMPOUND("前埔一里", ["前埔一里南门"]))
    q(n, "厦大西村周边共享单车乱放", NEAR_COMPOUND("厦大西村", ["厦大西村"]))
    q(n, "中山公园附近有人摆摊", NEAR("中山公园南门", "中山公园西门", "中山公园东门"))
    q(n, "来电人称中山公园南门门口有人卖气球", NEAR("中山公园南门"))
    q(n, "中山公园东门旁边有人乱停车", NEAR("中山公园东门"))
    q(n, "胡里山炮台门口有人拉客", NEAR("胡里山炮台"))
    q(n, "白城沙滩附近有人烧烤", NEAR("白城沙滩"))
    q(n, "书法广场旁边有人放孔明灯", NEAR("书法广场"))
    q(n, "钢琴码头旁边有人拉客", NEAR("钢琴码头"))
    q(n, "日光岩附近有人无证导游", NEAR("日光岩"))
    q(n, "菽庄花园门口有人卖馅饼占道", NEAR("菽庄花园"))
    q(n, "三丘田码头旁边垃圾没人收", NEAR("三丘田码头"))
    q(n, "曾厝垵村委会旁边有人乱搭棚子", NEAR("曾厝垵村委会"))
    q(n, "岭兜村委会对面有人烧垃圾", NEAR("岭兜村委会"))
    q(n, "中山医院门口有人倒卖号", NEAR("中山医院"))
    q(n, "大同路邮局隔壁在装修", NEAR("大同路邮局"))
    q(
        n,
        "来电人说第一医院边仔有人乱停车",
        TWO(NEAR("第一医院"), NEAR("第一医院", r=80)),
    )
    q(
        n,
        "镇海路派出所边仔有人摆摊",
        TWO(NEAR("镇海路派出所"), NEAR("镇海路派出所", r=80)),
    )
    q(
        n,
        "猫街斜对面有人卖烤肠",
        TWO(NEAR("猫街"), NEAR("猫街", r=80)),
    )
    q(
        n,
        "大同小学斜对面有人卖玩具",
        TWO(NEAR("大同小学"), NEAR("大同小学", r=80)),
    )
    q(
        n,
        "中山公园那边有人放风筝缠到电线",
        TWO(
            NEAR("中山公园"),
            NEAR("中山公园南门", "中山公园西门", "中山公园东门", r=150),
        ),
    )
    q(
        n,
        "沙坡尾那边晚上酒吧太吵",
        TWO(NEAR("沙坡尾"), NEAR("沙坡尾", r=150)),
    )
    q(
        n,
        "胡里山炮台这边有人拉客坐船",
        TWO(NEAR("胡里山炮台"), NEAR("胡里山炮台", r=150)),
    )
    xh = fb("中山路", 500, "L")
    q(
        n,
        f"中山路{no(xh)}号骑楼下有人摆摊",
        TWO(("near", [xh["code"]], 10), ("near", [xh["code"]], R_NEAR)),
    )
    q(n, "厦门第二医院门口有人乱停车", ("near", []))

    # --- lane_alone (a 巷 / 里 / 埕 named alone) ------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("竹仔巷路灯坏了好几天", "竹仔巷"),
        ("来电人反映赖厝埕里面有人养鸡", "赖厝埕"),
        ("顶澳仔巷仔内有人晒被子挡路", "顶澳仔巷"),
        ("碧山巷有人乱拉电线", "碧山巷"),
        ("仁安里化粪池满了往外冒", "仁安里"),
        ("市民称福寿里有人违章搭建", "福寿里"),
        ("妙香里路面破损，老人走路摔倒", "妙香里"),
        ("霞溪巷有人半夜唱卡拉OK", "霞溪巷"),
        ("鼓浪屿晃岩路有人拉客", "晃岩路"),
        ("港仔后路有人卖椰子占道", "港仔后路"),
        ("中山路骑楼下有人摆摊", "中山路"),
        ("来电人反映万石山隧道里有车抛锚", "万石山隧道"),
        ("局口街有人卖假名牌", "局口街"),
        ("大井巷路灯不亮", "大井巷"),
    ]:
        q(la, text, ("lane", lane))
    q(
        la,
        "竹仔巷口有人乱扔垃圾",
        TWO(("ends", "竹仔巷", "start", 20), ("ends", "竹仔巷", "both", 30)),
    )
    q(
        la,
        "赖厝埕巷口电动车乱停",
        TWO(("ends", "赖厝埕", "start", 20), ("ends", "赖厝埕", "both", 30)),
    )

    # --- group (社 / 村民小组, with or without its village) ---------------------------------
    g = "group"
    q(g, "曾厝垵村西边社有人乱搭建", SHE("西边社", "曾厝垵村"))
    q(g, "市民称曾厝垵西边社路灯不亮", SHE("西边社", "曾厝垵村"))
    q(
        g,
        "曾厝垵西边有人烧垃圾",
        TWO(SHE("西边社", "曾厝垵村"), ("area", box(3600, 0, 4000, 1500))),
    )
    q(g, "曾厝垵曾山社有民宿占道", SHE("曾山社", "曾厝垵村"))
    q(g, "滨海街道曾厝垵村东宅社下水道堵了", SHE("东宅社", "曾厝垵村", "滨海街道"))
    q(g, "来电人反映塔头社有人在海边烧垃圾", SHE("塔头社"))
    q(g, "黄厝塔头有人私搭铁皮房", SHE("塔头社", "黄厝村"))
    q(g, "黄厝村许厝社路面塌了", SHE("许厝社", "黄厝村"))
    q(g, "前厝社有人焚烧垃圾", SHE("前厝社"))
    q(g, "黄厝村前厝社有人养狗扰民", SHE("前厝社", "黄厝村"))
    q(g, "曾厝垵前厝社有人乱倒泔水", SHE("前厝社", "曾厝垵村"))
    q(g, "溪头下社有人在溪里洗衣服", SHE("溪头下社"))
    q(g, "曾厝垵村溪头下社有人违建", SHE("溪头下社", "曾厝垵村"))
    q(g, "前埔村3组有人违建", ZU("前埔村", 3))
    q(g, "前埔村第五村民小组垃圾没人收", ZU("前埔村", 5))
    q(g, "莲前街道前埔村第一村民小组有人烧荒", ZU("前埔村", 1, "莲前街道"))
    q(g, "莲前前埔村6组自来水停了", ZU("前埔村", 6, "莲前街道"))
    q(g, "前埔村四组有人私拉电线", ZU("前埔村", 4))
    q(g, "滨海街道前埔村2组有人违建", ZU("前埔村", 2, "滨海街道"))
    q(g, "前埔村8组有人烧垃圾", ZU("前埔村", 8))
    q(g, "上李村2组有人养猪", ZU("上李村", 2))
    q(g, "黄厝村3组有人占道晒鱼干", ZU("黄厝村", 3))

    # --- village (a village named alone or with its street; 鼓浪屿 alone) ------------------
    v = "village"
    q(v, "市民反映上李村有人烧荒，烟很大", VIL("上李村"))
    q(v, "莲前街道上李村自来水停了", VIL("上李村", "莲前街道"))
    q(v, "上李有人放鞭炮吵到小孩", VIL("上李村"))
    q(v, "岭兜村有人偷倒建筑垃圾", VIL("岭兜村"))
    q(v, "莲前岭兜村有人养猪臭气熏天", VIL("岭兜村", "莲前街道"))
    q(v, "东坪村有人砍树", VIL("东坪村"))
    q(v, "思明区莲前街道东坪村路灯不亮", VIL("东坪村", "莲前街道"))
    q(v, "岭兜那边有人放鞭炮", TWO(VIL("岭兜村"), ("area", rect(VILLAGE_BOX["LD"]))))
    q(v, "曾厝垵有人拉客住民宿", VIL("曾厝垵村"))
    q(v, "滨海黄厝村有人私建", VIL("黄厝村", "滨海街道"))
    q(v, "前埔村有人私搭乱建", VIL("前埔村"))
    q(v, "滨海街道上李村有人烧荒", VIL("上李村", "滨海街道"))
    q(v, "何厝村有人烧垃圾", VIL("何厝村"))
    gly = [b["code"] for b in BUILDINGS if ISLAND.contains(Point(b["x"], b["y"]))]
    q(v, "鼓浪屿上有人无证导游拉客", ("all_of", gly))

    # --- other_county (厦门's other districts, or the old ones, in front) ------------------
    oc = "other_county"
    zs, lq = fb("中山路", 1050, "L"), fb("莲前西路", 650, "L")
    lt, qz = fb("龙头路", 230, "R"), fb("泉州路", 1100, "L")
    dt, sd = fb("大同路", 200, "L"), fb("思明东路", 700, "L")
    for text, code in [
        (f"湖里区中山路{no(zs)}号", None),
        (f"厦门市集美区莲前西路{no(lq)}号", None),
        (f"海沧区鼓浪屿龙头路{no(lt)}号", None),
        ("同安区莲前街道上李村58号", None),
        ("福建省厦门市翔安区滨海街道黄厝村塔头社10号", None),
        (f"厦门市湖里区鼓浪屿泉州路{no(qz)}号", None),
        (f"漳州市龙海区大同路{no(dt)}号", None),
        (f"厦门市鼓浪屿区龙头路{no(lt)}号", None),
        (f"开元区思明东路{no(sd)}号", None),
        (f"福建省厦门市思明区中山路{no(zs)}号", zs["code"]),
        (f"厦门市思明区莲前西路{no(lq)}号", lq["code"]),
        (f"思明区鼓浪屿龙头路{no(lt)}号", lt["code"]),
        ("厦门思明莲前街道上李村58号", H("SL", 0, 58)["code"]),
        ("思明区滨海街道黄厝村塔头社10号", H("HC", "塔头社", 10)["code"]),
        (f"鼓浪屿泉州路{no(qz)}号", qz["code"]),
        (f"厦门市大同路{no(dt)}号", dt["code"]),
        (f"厦门市思明区思明东路{no(sd)}号", sd["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    sm8 = fb("思明南路", 70, "R")
    assert no(sm8) == 8
    e1, e2, e3 = fb("中山路", 120, "L"), fb("大同路", 1700, "L"), fb("镇海路", 120, "R")
    e4, e5, e6 = fb("大学路", 1700, "R"), fb("环岛南路", 2100, "L"), fb("龙头路", 350, "L")
    e7 = fb("莲前西路", 1000, "L")
    gate = door(1000, "L")
    absent("中山路999号")
    absent("前埔村3组40号")
    absent("曾厝垵村西边社50号")
    absent("大同花园9号楼")
    for text, code in [
        ("No. 8, Siming South Road, Siming District, Xiamen", sm8["code"]),
        (f"No. {no(e1)}, Zhongshan Road, Siming District, Xiamen, Fujian", e1["code"]),
        (f"No. {no(e2)} Datong Road, Siming District, Xiamen", e2["code"]),
        (f"No. {no(e3)}, Zhenhai Road, Siming District", e3["code"]),
        (f"No. {no(e4)}, Daxue Road, Siming District, Xiamen", e4["code"]),
        (f"No. {no(e5)}, Huandao South Road, Siming District, Xiamen", e5["code"]),
        (f"No. {no(e6)}, Longtou Road, Gulangyu, Siming District, Xiamen", e6["code"]),
        ("No. 62, Huangyan Road, Gulangyu Subdistrict, Siming District", "SMHYAL62"),
        (
            "No. 12, Xibian She, Zengcuo'an Village, Binhai Subdistrict, Siming District, Xiamen",
            H("ZCA", "西边社", 12)["code"],
        ),
        (
            "No. 10, Tatou Hamlet, Huangcuo Village, Binhai Subdistrict, Siming District",
            H("HC", "塔头社", 10)["code"],
        ),
        (
            "No. 15, Group 3, Qianpu Village, Lianqian Subdistrict, Siming District, Xiamen",
            H("QP", 3, 15)["code"],
        ),
        ("No. 58, Shangli Village, Lianqian Subdistrict, Siming District", H("SL", 0, 58)["code"]),
        (f"Building 3, Datong Garden, No. {gate} Datong Road, Siming District", "SMDTHYB3"),
        ("Building 2, Qianpu Yili, Lianqian West Road, Siming District, Xiamen", "SMQPYLB2"),
        (f"No. {no(e7)}, Lianqian West Road, Siming District, Xiamen", e7["code"]),
        ("No. 6, Ren'an Li, Siming District, Xiamen", "SMRAL6"),
        ("12号，西边社，曾厝垵村，滨海街道，思明区，厦门市", H("ZCA", "西边社", 12)["code"]),
        (f"{no(e1)}号，中山路，思明区，厦门市", e1["code"]),
        ("3栋，前埔一里，莲前西路，思明区", "SMQPYLB3"),
        ("9号，竹仔巷，思明区", "SMZZX9"),
        ("No. 999, Zhongshan Road, Siming District, Xiamen", None),
        ("No. 40, Group 3, Qianpu Village, Lianqian Subdistrict, Siming District", None),
        (f"No. {no(e1)}, Zhongshan Road, Huli District, Xiamen", None),
        ("50号，西边社，曾厝垵村，思明区", None),
        ("Building 9, Datong Garden, Datong Road, Siming District", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    b1, b2 = fb("中山路", 700, "R"), fb("大同路", 200, "L")
    t1, t2 = fb("莲前西路", 650, "L"), fb("湖滨南路", 1750, "R")
    t3, t4 = fb("虎园路", 40, "R"), fb("中山路", 1340, "R")
    t5, t6 = fb("大同路", 1300, "R"), fb("镇海路", 1100, "L")
    t7, t8 = fb("民族路", 850, "L"), fb("龙头路", 100, "L")
    t9 = fb("环岛南路", 3450, "L")
    f1 = fb("中山路", 1450, "L")
    c1 = fb("镇海路", 300, "L")
    for miss in [
        "中山路999号",
        "思明南路7号",
        "竹仔巷50号",
        "前埔村3组99号",
        "上李村200号",
        "黄厝村塔头社99号",
        "龙头路999号",
    ]:
        absent(miss)
    for text, code in [
        (b1["address"], b1["code"]),
        (f"大同路{no(b2)}号", b2["code"]),
        ("黄则和花生汤", code_of_alias("黄则和花生汤")),
        ("南普陀寺", code_of_alias("南普陀寺")),
        ("胡里山炮台", code_of_alias("胡里山炮台")),
        ("日光岩", code_of_alias("日光岩")),
        ("鼓浪屿菽庄花园", code_of_alias("菽庄花园")),
        ("曾厝垵村委会", code_of_alias("曾厝垵村委会")),
        ("前埔村委会", code_of_alias("前埔村委会")),
        ("大同花园3栋", "SMDTHYB3"),
        ("前埔一里2号楼", "SMQPYLB2"),
        ("厦大西村4号楼", "SMXDXCB4"),
        ("大同花园2号楼3单元502室", "SMDTHYB2"),
        ("思明兰路8号", sm8["code"]),
        (f"年前西路{no(t1)}号", t1["code"]),
        (f"福滨南路{no(t2)}号", t2["code"]),
        (f"府园路{no(t3)}号", t3["code"]),
        (f"中三路{no(t4)}号", t4["code"]),
        (f"大童路{no(t5)}号", t5["code"]),
        (f"振海路{no(t6)}号", t6["code"]),
        (f"明族路{no(t7)}号", t7["code"]),
        (f"鼓浪鱼龙头路{no(t8)}号", t8["code"]),
        (f"反岛南路{no(t9)}号", t9["code"]),
        ("曾厝安村西边社3号", H("ZCA", "西边社", 3)["code"]),
        ("房厝村塔头社4号", H("HC", "塔头社", 4)["code"]),
        (f"中山路{fullwidth(no(f1))}号", f1["code"]),
        ("思明南路八号", sm8["code"]),
        (f"镇海路{cn_number(no(c1))}号", c1["code"]),
        ("仁安里11号", "SMRAL11"),
        ("思明区妙香里7号", "SMMXL7"),
        ("思明区莲前街道上李村103号", H("SL", 0, 103)["code"]),
        ("前埔村3组21号", H("QP", 3, 21)["code"]),
        ("思明区中山路999号", None),
        ("思明南路7号", None),
        ("竹仔巷50号", None),
        ("大同花园9号楼", None),
        ("前埔村3组99号", None),
        ("莲前街道上李村200号", None),
        ("曾厝垵村西边社50号", None),
        ("黄厝村塔头社99号", None),
        ("鼓浪屿龙头路999号", None),
        ("前厝社2号", None),
        ("厦门火车站", None),
        ("思明区政府", None),
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


def check_files() -> None:
    """Read the four files back: codes, micro-grids and buildings must agree with each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    polys = {f["properties"]["code"]: shape(f["geometry"]) for f in grids}
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in grids}
    for f in grids:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in polys:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    micro = {c: p for c, p in polys.items() if levels[c] == "micro"}
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    where = {}
    for r in rows:
        pt = Point(float(r["lon"]), float(r["lat"]))
        inside = [c for c, p in micro.items() if p.contains(pt)]
        if inside != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']} lies in {inside}, not {r['micro_grid_code']}")
        where[r["code"]] = r["micro_grid_code"]
    if len(where) != len(rows):
        raise SystemExit("duplicate building codes")
    aliases = Counter(a for r in rows for a in r["aliases"].split("|") if a)
    if any(n > 1 for n in aliases.values()):
        raise SystemExit(f"aliases used twice: {[a for a, n in aliases.items() if n > 1]}")
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if set(d) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"fields of {d}")
        if d["micro_grid"] is not None and d["micro_grid"] not in micro:
            raise SystemExit(f"{d['query']}: no micro-grid {d['micro_grid']}")
        if d["expected"] is not None and where[d["expected"]] != d["micro_grid"]:
            raise SystemExit(f"{d['query']}: {d['expected']} is not in {d['micro_grid']}")
        if d["kind"] in ("building", "other_county", "english_order"):
            if (d["expected"] is None) != (d["micro_grid"] is None):
                raise SystemExit(f"{d['query']}: a building query is both or neither")
        elif d["expected"] is not None:
            raise SystemExit(f"{d['query']}: a place query never has a building")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    for f in roads:
        if f["geometry"]["type"] != "LineString" or set(f["properties"]) != {"name", "kind"}:
            raise SystemExit(f"road {f['properties']}")
    print("files read back: consistent")


if __name__ == "__main__":
    write_all()
    check_files()
