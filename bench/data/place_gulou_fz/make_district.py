"""Write the place-description evaluation district: 福建省福州市鼓楼区.

    python bench/data/place_gulou_fz/make_district.py

One grid tree: an old urban core (南街街道, 东街街道, 鼓东街道 — 路 / 街 crossings,
the 坊巷 lanes west of 八一七北路, 小区 with gates and 号楼 / 座) and one small 镇 in the
west (洪山镇, with 洋下村, whose houses are written by 组 — `鼓楼区洪山镇洋下村3组15号` —
and 后坂村, whose houses are written by 自然村 — `鼓楼区洪山镇后坂村林厝8号`). The 街道,
the 镇 and the road and 坊巷 names are 鼓楼区's; the communities, villages, door numbers,
landmarks' positions and all geometry are ours: a layout in metres over a 4.8 km x 3 km box,
turned into WGS-84 around 福州's old town.

The truth of every query is computed here from this geometry with shapely (see README.md for the
rules); nothing is decided by hand but which place each sentence means. After writing, the four
files are read back and checked against each other.

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
LON0, LAT0 = 119.2700, 26.0650  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("350102", "鼓楼区")
DISTRICT_AREA = box(0, 0, 4800, 3000)
CN = "零一二三四五六七八九"

# urban streets: code, name, west edge, communities (name, short name) south then north;
# each street is 1200 m x 3000 m, each community 1200 m x 1500 m, two grids of three micro-grids
URBAN = [
    ("350102005", "南街街道", 1200, [("光禄社区", "光禄"), ("铜盘社区", "铜盘")]),
    ("350102004", "东街街道", 2400, [("南门社区", "南门"), ("屏山社区", "屏山")]),
    ("350102001", "鼓东街道", 3600, [("东大社区", "东大"), ("屏东社区", "屏东")]),
]
# the 镇: code, name, box; villages (name, key, box, micro-grid naming)
TOWN = ("350102100", "洪山镇", (0, 0, 1200, 3000))
VILLAGES = [
    ("洋下村", "YX", (0, 1500, 1200, 3000), "zu"),  # micro-grids named `洋下村3组`
    ("后坂村", "HB", (0, 0, 1200, 1500), "plain"),  # plain micro-grids, houses by 自然村
]


def rect(b) -> Polygon:
    return box(*b)


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": props, "geometry": geom}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
MICRO_NAMES: dict[str, str] = {}
MICRO_STREET: dict[str, str] = {}  # micro-grid code -> 街道 / 镇 name
MICRO_COMMUNITY: dict[str, str] = {}  # micro-grid code -> community / village name
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}


def add_micro(code: str, name: str, parent: str, b, street: str, community: str) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name
    MICRO_STREET[code] = street
    MICRO_COMMUNITY[code] = community


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, x0, communities in URBAN:
        sb = (x0, 0, x0 + 1200, 3000)
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cs, cn = ci * 1500, (ci + 1) * 1500
            cb = (x0, cs, x0 + 1200, cn)
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            for gi in range(2):
                gs, gn = cs + gi * 750, cs + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                gb = (x0, gs, x0 + 1200, gn)
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(rect(gb))))
                for mi in range(3):
                    mb = (x0 + mi * 400, gs, x0 + (mi + 1) * 400, gn)
                    m_code = f"{g_code}{mi + 1:03d}"
                    add_micro(m_code, f"{g_name}{mi + 1}号微网格", g_code, mb, s_name, c_name)
    t_code, t_name, tb = TOWN
    FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
    for vi, (v_name, key, vb, style) in enumerate(VILLAGES):
        v_code = f"{t_code}{201 + vi:03d}"
        VILLAGE_BOX[key] = vb
        FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
        x0, y0, _e, _n = vb
        for gi in range(2):
            gs, gn = y0 + gi * 750, y0 + (gi + 1) * 750
            g_code = f"{v_code}{gi + 1:03d}"
            gb = (x0, gs, x0 + 1200, gn)
            FEATURES.append(
                feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
            )
            for mi in range(3):
                mb = (x0 + mi * 400, gs, x0 + (mi + 1) * 400, gn)
                m = gi * 3 + mi + 1
                if style == "zu":
                    name = f"{v_name}{m}组"
                else:
                    name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, t_name, v_name)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("西二环中路", "arterial", [(1200, 0), (1200, 3000)]),
    ("八一七北路", "arterial", [(2400, 0), (2400, 3000)]),
    ("五一北路", "arterial", [(3600, 0), (3600, 3000)]),
    ("五四路", "arterial", [(4200, 0), (4200, 3000)]),
    ("杨桥路", "arterial", [(0, 1500), (2400, 1500)]),
    ("东街", "arterial", [(2400, 1500), (4800, 1500)]),
    ("湖东路", "arterial", [(2400, 2000), (4800, 2000)]),
    ("华林路", "arterial", [(1200, 2500), (4800, 2500)]),
    ("乌山路", "secondary", [(1200, 400), (3600, 400)]),
    ("东大路", "secondary", [(2400, 1000), (4800, 1000)]),
    ("北大路", "secondary", [(2400, 2850), (3600, 2850)]),
    ("鼓屏路", "secondary", [(3000, 1500), (3000, 3000)]),
    ("铜盘路", "secondary", [(1500, 1500), (1500, 3000)]),
    ("工业路", "secondary", [(1400, 0), (1400, 1500)]),
    ("通湖路", "secondary", [(1800, 0), (1800, 1450)]),
    # 坊巷 in the road file (each starts at 南后街, where its door numbers start)
    ("南后街", "branch", [(2150, 450), (2150, 1500)]),
    ("衣锦坊", "branch", [(2150, 1370), (2010, 1370)]),
    ("文儒坊", "branch", [(2150, 1100), (2010, 1100)]),
    ("光禄坊", "branch", [(2150, 560), (1850, 560)]),
    ("杨桥巷", "branch", [(2150, 1440), (2400, 1440)]),
    ("郎官巷", "branch", [(2150, 1300), (2400, 1300)]),
    ("塔巷", "branch", [(2150, 1160), (2400, 1160)]),
    ("黄巷", "branch", [(2150, 1020), (2400, 1020)]),
    ("宫巷", "branch", [(2150, 620), (2400, 620)]),
    ("吉庇巷", "branch", [(2150, 480), (2800, 480)]),
    # 洪山镇
    ("洋下路", "branch", [(520, 1500), (520, 2900)]),
    ("后坂路", "branch", [(100, 300), (1200, 300)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}
LANES = {
    "南后街",
    "衣锦坊",
    "文儒坊",
    "光禄坊",
    "杨桥巷",
    "郎官巷",
    "塔巷",
    "黄巷",
    "宫巷",
    "吉庇巷",
}

# ---------------------------------------------------------------- buildings
CITY = "鼓楼区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
KEY = {
    "西二环中路": "XEH",
    "八一七北路": "BYQ",
    "五一北路": "WYB",
    "五四路": "WSL",
    "杨桥路": "YQL",
    "东街": "DJ",
    "湖东路": "HDL",
    "华林路": "HLL",
    "乌山路": "WSH",
    "东大路": "DDL",
    "北大路": "BDL",
    "鼓屏路": "GPL",
    "铜盘路": "TPL",
    "工业路": "GYL",
    "通湖路": "THL",
    "南后街": "NHJ",
    "衣锦坊": "YJF",
    "文儒坊": "WRF",
    "光禄坊": "GLF",
    "杨桥巷": "YQX",
    "郎官巷": "LGX",
    "塔巷": "TX",
    "黄巷": "HX",
    "宫巷": "GX",
    "吉庇巷": "JBX",
    "安民巷": "AMX",
    "大光里": "DGL",
    "黄巷一弄": "HX1N",
    "府学里": "FXL",
    "早题巷": "ZTX",
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


def on_road(name: str, s: float, side: str, setback: float):
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


def step_of(road: str) -> float:
    return 10.0 if road in LANES else 20.0


def door(road: str, s: float, side: str) -> int:
    return 2 * int(s // step_of(road)) + (1 if side == "L" else 2)


def frontage(road: str, items):
    """Doors on a road: (s, side, aliases); the number follows s (odd on the left)."""
    setback = 12.0 if road in LANES else 18.0
    for s, side, aliases in items:
        n = door(road, s, side)
        x, y = on_road(road, s, side, setback)
        add(f"GL{KEY[road]}{n}", f"{CITY}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road: str, s: float, side: str) -> dict:
    return BY_CODE[f"GL{KEY[road]}{door(road, s, side)}"]


def annex(base: dict, suffix: str, tag: str, x: float, y: float, aliases=()):
    """A door written after another one: `159号之一`, `80号附3号`."""
    add(
        f"{base['code']}{tag}",
        f"{base['address']}{suffix}",
        x,
        y,
        aliases,
        road=base["road"],
        n=base["n"],
        annex=suffix,
    )


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y, aliases)."""
    for n, x, y, aliases in points:
        add(f"GL{KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, aliases, road=lane, n=n)


def compound(gate: dict, name: str, key: str, unit: str, spots):
    """The 号楼 / 座 of a 小区 whose address is its gate door."""
    other = "座" if unit == "号楼" else "号楼"
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"GL{key}B{k}",
            f"{gate['address']}{name}{k}{unit}",
            x,
            y,
            [f"{name}{k}{unit}", f"{name}{k}{other}"],
            compound=name,
        )


SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, part, centre, numbers, aliases=None):
    """Houses of a 组 (part an int) or a 自然村 (part a name) around a centre."""
    v_name = next(v for v, k, _b, _s in VILLAGES if k == key)
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        pt = f"{part}组" if isinstance(part, int) else part
        tag = f"{part:02d}" if isinstance(part, int) else NATURAL_KEY[part]
        add(
            f"GL{key}{tag}{n:03d}",
            f"{CITY}{TOWN[1]}{v_name}{pt}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN[1],
            village=v_name,
            vkey=key,
            part=part,
            n=n,
        )


NATURAL_KEY = {"林厝": "LC", "陈厝": "CC", "溪墘": "XQ", "埕尾": "CW", "新厝": "XC"}


def build_buildings() -> None:
    frontage(
        "西二环中路",
        [
            (200, "R", []),
            (900, "L", ["洪山派出所"]),
            (1300, "R", ["中石化西二环加油站", "西二环加油站"]),
            (2000, "R", []),
            (2600, "L", []),
            (2850, "R", []),
        ],
    )
    frontage(
        "工业路",
        [
            (150, "L", []),
            (700, "R", ["工业路菜市场"]),
            (1100, "L", ["光禄社区居委会"]),
            (1380, "R", []),
        ],
    )
    frontage("通湖路", [(250, "R", []), (800, "L", ["南街派出所"]), (1200, "R", [])])
    frontage(
        "杨桥路",
        [
            (300, "L", ["洪山镇政府", "洪山镇人民政府"]),
            (700, "R", ["洪山镇卫生院", "洪山卫生院"]),
            (1350, "R", []),
            (1590, "L", []),
            (1700, "R", ["兴业银行杨桥支行"]),
            (2100, "L", ["福州市鼓楼医院", "鼓楼医院"]),
            (2250, "R", []),
        ],
    )
    yq = fb("杨桥路", 1590, "L")
    annex(yq, "之一", "Z1", *on_road("杨桥路", 1606, "L", 18))
    annex(yq, "之二", "Z2", *on_road("杨桥路", 1622, "L", 18))
    frontage(
        "铜盘路",
        [
            (200, "L", ["铜盘菜市场"]),
            (650, "R", ["屏西小区", "屏西小区西门"]),
            (900, "L", ["铜盘社区居委会"]),
            (1300, "R", []),
        ],
    )
    frontage(
        "八一七北路",
        [
            (150, "R", []),
            (430, "L", ["南门兜地铁站", "南门兜站"]),
            (700, "R", ["福建省人民医院", "省人民医院"]),
            (1100, "L", []),
            (1440, "R", ["东百中心", "东百"]),
            (1560, "L", ["大洋百货"]),
            (1900, "R", []),
            (2300, "L", []),
            (2700, "R", ["屏山社区居委会"]),
        ],
    )
    frontage(
        "东街",
        [
            (40, "R", ["东街口地铁站", "东街口站"]),
            (300, "L", []),
            (700, "L", ["福州银行东街支行"]),
            (1100, "R", []),
            (1330, "R", ["福建省立医院", "省立医院"]),
            (1900, "L", ["鼓东派出所"]),
            (2300, "R", []),
        ],
    )
    frontage(
        "湖东路",
        [
            (460, "L", ["福州第三中学", "福州三中"]),
            (1000, "R", ["鼓楼第一中心小学", "鼓一小"]),
            (1500, "L", ["建设银行湖东支行", "建行湖东支行"]),
            (2150, "R", []),
        ],
    )
    frontage(
        "华林路",
        [
            (200, "R", []),
            (700, "L", ["邮政储蓄银行华林路支行", "邮储华林路支行"]),
            (1100, "R", []),
            (1890, "L", ["华林新村", "华林新村南门"]),
            (2200, "R", ["华林寺"]),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "鼓屏路",
        [
            (300, "L", ["东街派出所"]),
            (700, "R", ["屏山地铁站", "屏山站"]),
            (1100, "R", ["华林新村西门"]),
            (1300, "L", ["鼓楼区人民政府", "鼓楼区政府"]),
        ],
    )
    frontage("北大路", [(300, "R", []), (900, "L", ["北大路菜市场"])])
    frontage(
        "五一北路",
        [
            (250, "L", []),
            (600, "R", ["冠亚广场"]),
            (1200, "L", ["南门社区居委会"]),
            (2100, "R", ["福建医科大学附属协和医院", "协和医院"]),
            (2650, "L", []),
        ],
    )
    frontage(
        "五四路",
        [
            (300, "R", []),
            (1200, "R", ["福建海峡银行五四支行", "海峡银行五四支行"]),
            (1450, "L", ["中国银行福建省分行", "中行省分行"]),
            (1800, "L", ["屏东社区居委会"]),
            (2300, "L", ["福州屏东中学", "屏东中学"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "东大路",
        [
            (200, "L", []),
            (790, "R", []),
            (1400, "L", ["东大社区居委会"]),
            (2050, "R", ["东大路菜市场"]),
        ],
    )
    annex(fb("东大路", 790, "R"), "附3号", "F3", *on_road("东大路", 808, "R", 18))
    frontage(
        "乌山路",
        [
            (250, "L", []),
            (900, "L", ["福州第一中学", "福州一中"]),
            (1480, "R", ["乌山新村", "乌山新村北门"]),
            (2050, "L", []),
            (2300, "R", []),
        ],
    )
    # 坊巷 of the road file
    frontage(
        "南后街",
        [
            (60, "L", []),
            (250, "R", []),
            (290, "L", []),
            (320, "L", []),
            (500, "R", ["南后街游客中心"]),
            (780, "L", []),
            (1000, "R", []),
        ],
    )
    frontage("衣锦坊", [(30, "L", ["水榭戏台"]), (110, "R", [])])
    frontage("文儒坊", [(50, "R", []), (90, "L", [])])
    frontage("光禄坊", [(40, "L", []), (220, "R", ["光禄吟台"])])
    frontage("杨桥巷", [(30, "L", []), (170, "R", ["林觉民故居", "冰心故居"])])
    frontage("郎官巷", [(60, "L", ["严复故居"]), (150, "R", ["二梅书屋"])])
    frontage("塔巷", [(40, "R", []), (120, "L", [])])
    frontage("黄巷", [(10, "L", []), (180, "R", ["小黄楼"])])
    frontage("宫巷", [(50, "L", ["沈葆桢故居"]), (140, "R", ["林聪彝故居"])])
    frontage("吉庇巷", [(80, "L", []), (400, "R", [])])
    # lanes in no road file
    lane_houses("安民巷", [(4, 2200, 892, []), (9, 2260, 868, []), (17, 2330, 892, ["鄢家花厅"])])
    lane_houses("大光里", [(2, 2060, 900, []), (5, 2040, 915, []), (8, 2020, 900, [])])
    lane_houses("黄巷一弄", [(1, 2262, 1050, []), (3, 2278, 1075, []), (6, 2262, 1100, [])])
    lane_houses("府学里", [(3, 2370, 2100, []), (8, 2440, 2110, [])])
    lane_houses("早题巷", [(4, 2900, 1200, []), (9, 2930, 1230, [])])
    # 小区: the gate door carries the 小区's name; its 号楼 / 座 are written after the gate
    compound(
        fb("铜盘路", 650, "R"),
        "屏西小区",
        "PXXQ",
        "号楼",
        [(1560, 2120), (1560, 2190), (1640, 2120), (1640, 2190), (1720, 2120), (1720, 2190)],
    )
    compound(
        fb("华林路", 1890, "L"),
        "华林新村",
        "HLXC",
        "座",
        [(3060, 2560), (3140, 2560), (3060, 2640), (3140, 2640)],
    )
    compound(
        fb("乌山路", 1480, "R"),
        "乌山新村",
        "WSXC",
        "号楼",
        [(2640, 320), (2720, 320), (2640, 250), (2720, 250)],
    )
    # 洪山镇: 洋下村 by 组 (each 组 in the micro-grid named after it)
    c = micro_centre
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [2, 6, 11]),
        (3, [5, 9, 15, 21]),
        (4, [1, 7, 10]),
        (5, [4, 13]),
        (6, [2, 8]),
    ]:
        al = {6: ["洋下村委会", "洋下村村委会"]} if zu == 2 else None
        rural_houses("YX", zu, c("YX", zu), nums, al)
    # 后坂村 by 自然村 (新厝 lies across two micro-grids)
    rural_houses("HB", "林厝", c("HB", 1), [2, 8, 16])
    rural_houses("HB", "陈厝", c("HB", 3), [3, 11])
    rural_houses("HB", "埕尾", c("HB", 4), [1, 6])
    rural_houses("HB", "溪墘", c("HB", 5), [5, 9, 20], {9: ["后坂村委会", "后坂村村委会"]})
    rural_houses("HB", "新厝", (800, 600), [4, 7, 12, 18])


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

# words with no rule of their own: a narrow and a wide reading (see README.md)
BIAN = (30.0, 80.0)  # 边 / 边仔 / 边上 / 厝边: every point within
YIDAI = (50.0, 150.0)  # 一带: every point within
LOUXIA = (10.0, 30.0)  # 楼下 of a 号楼 / 座: every point within
JIAOJIE = (30.0, 60.0)  # 交界 / 交界处 of two roads: disc around the crossing
MOUTH_R = 20.0  # 巷口 / 坊口 / 街口 of a lane: disc around an end
JISHI = ((20.0, 50.0), (10.0, 90.0))  # 几十米
YILIANGBAI = ((100.0, 200.0), (80.0, 240.0))  # 一两百米
YIZHAN = ((400.0, 600.0), (300.0, 1000.0))  # 一站路 (one bus stop)


def crossings(a: str, b: str) -> list[Point]:
    inter = ROAD[a].intersection(ROAD[b])
    if inter.is_empty:
        return []
    if isinstance(inter, Point):
        return [inter]
    if isinstance(inter, MultiPoint):
        return list(inter.geoms)
    raise SystemExit(f"{a} and {b} overlap")


def tolerance(dist: float, how) -> tuple[float, float]:
    if isinstance(how, tuple):  # a vague distance read one way: (lo, hi)
        return how
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


def houses(village=None, part=None, road=None, town=None):
    out = []
    for b in BUILDINGS:
        if road is not None:
            if b.get("road") == road and "annex" not in b:
                out.append(b)
            continue
        if "village" not in b:
            continue
        if town and b["town"] != town:
            continue
        if village and b["village"] != village:
            continue
        if part is not None and b["part"] != part:
            continue
        out.append(b)
    return out


def lane_ends(name: str) -> list[Point]:
    """The lane's start, then its other end when that end meets another road."""
    line = ROAD[name]
    start, end = Point(line.coords[0]), Point(line.coords[-1])
    out = [start]
    if any(n != name and ROAD[n].distance(end) < 0.01 for n in ROAD):
        out.append(end)
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
    if kind == "xr":  # ("xr", A, B, radius): a disc around the crossing
        pts = crossings(spec[1], spec[2])
        return pts[0].buffer(spec[3]) if len(pts) == 1 else None
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
    if kind == "near":  # ("near", [building codes], radius)
        if not spec[1]:
            return None
        r = spec[2]
        return unary_union([Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(r) for c in spec[1]])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "mouth":  # ("mouth", lane, "start" or "ends")
        name, which = spec[1], spec[2]
        if name not in ROAD:
            return None
        ends = lane_ends(name)
        if which == "start":
            ends = ends[:1]
        return unary_union([p.buffer(MOUTH_R) for p in ends])
    if kind == "part":  # ("part", town or None, village, 组 number or 自然村 name)
        hs = houses(town=spec[1], village=spec[2], part=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def place_micro(spec) -> str | None:
    if spec[0] == "two":  # a word with a narrow and a wide reading: both must agree
        a, b = place_micro(spec[1]), place_micro(spec[2])
        return a if a is not None and a == b else None
    region = place_region(spec)
    if region is None or region.is_empty:
        return None
    return micro_of_region(region)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":  # ("bld", code or None, county, street, community)
        _, code, county, street, community = spec
        if code is None or county not in (None, DISTRICT[1]):
            return None, None
        b = BY_CODE[code]
        m = micro_of_point(b["x"], b["y"])
        if street is not None and MICRO_STREET[m] != street:
            return None, None  # a wrong 街道 / 镇 is no such place
        if community is not None and MICRO_COMMUNITY[m] != community:
            return None, None
        return code, m
    return None, place_micro(spec)


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def OFF2(ospec, d, vague, side=None):
    """An offset by a vague distance (几十米, 一两百米, 一站路): narrow and wide reading."""
    narrow, wide = vague
    return ("two", OFF(ospec, d, 0, narrow, side), OFF(ospec, d, 0, wide, side))


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases, r=R_NEAR):
    return ("near", [code_of_alias(a) for a in aliases], r)


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def TWO_NEAR(alias, radii):
    return ("two", NEAR(alias, r=radii[0]), NEAR(alias, r=radii[1]))


def ZU(village, part, town=None):
    return ("part", town, village, part)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, part, n):  # a house of 洋下村 (组 number) or 后坂村 (自然村 name)
    tag = f"{part:02d}" if isinstance(part, int) else NATURAL_KEY[part]
    return BY_CODE[f"GL{key}{tag}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code, county=None, street=None, community=None):
    assert code is None or code in BY_CODE, code
    return ("bld", code, county, street, community)


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
    q(x, "湖东路与鼓屏路十字路口有人占道经营", X("湖东路", "鼓屏路"))
    q(x, "湖东路五四路交叉口红绿灯不亮", X("湖东路", "五四路"))
    q(x, "华林路与鼓屏路交叉口井盖松了，车一过就响", X("华林路", "鼓屏路"))
    q(x, "华林路铜盘路路口积水很深", X("华林路", "铜盘路"))
    q(x, "华林路与五四路十字路口有人发小广告", X("华林路", "五四路"))
    q(x, "北大路鼓屏路路口垃圾桶满了", X("北大路", "鼓屏路"))
    q(x, "乌山路与工业路交叉口有渣土车撒漏", X("乌山路", "工业路"))
    q(x, "乌山路通湖路路口台风后榕树倒了", X("乌山路", "通湖路"))
    q(x, "东大路与五四路交叉口共享单车乱放", X("东大路", "五四路"))
    q(x, "东街口西南角有人发传单", X("东街", "八一七北路", "西南"))
    q(x, "杨桥路与八一七北路交叉口西南角护栏倒了", X("杨桥路", "八一七北路", "西南"))
    q(x, "东街八一七北路交叉口东北角有人摆摊", X("东街", "八一七北路", "东北"))
    q(x, "杨桥路西二环中路交叉口东北角垃圾堆放", X("杨桥路", "西二环中路", "东北"))
    q(x, "杨桥路与工业路交叉口东南角井盖缺失", X("杨桥路", "工业路", "东南"))
    q(x, "东街与五一北路交叉口西南角路灯杆歪了", X("东街", "五一北路", "西南"))
    q(x, "湖东路五一北路交叉口西北角有人乱停车", X("湖东路", "五一北路", "西北"))
    q(x, "南门兜东北角有流动摊贩", X("乌山路", "八一七北路", "东北"))
    q(x, "后坂路与西二环中路交叉口西北角有人烧垃圾", X("后坂路", "西二环中路", "西北"))
    q(
        x,
        "华林路、鼓屏路路口往东100米人行道塌了",
        X("华林路", "鼓屏路", None, ("东", 100, "exact")),
    )
    q(
        x,
        "湖东路与五四路交叉口往北50米有个大坑",
        X("湖东路", "五四路", None, ("北", 50, "exact")),
    )
    q(
        x,
        "湖东路和鼓屏路交界处有人烧纸",
        ("two", ("xr", "湖东路", "鼓屏路", JIAOJIE[0]), ("xr", "湖东路", "鼓屏路", JIAOJIE[1])),
    )
    q(x, "东街口红绿灯坏了", X("东街", "八一七北路"))
    q(x, "杨桥路与西二环中路十字路口堵得要命", X("杨桥路", "西二环中路"))
    q(x, "东街与鼓屏路交叉口有人占道", X("东街", "鼓屏路"))
    q(x, "湖东路与八一七北路路口下水道冒水", X("湖东路", "八一七北路"))
    q(x, "华林路八一七北路十字路口信号灯故障", X("华林路", "八一七北路"))
    q(x, "杨桥路与通湖路交叉口有人卖水果占道", X("杨桥路", "通湖路"))
    q(x, "湖东路与东街交叉口有人打架", X("湖东路", "东街"))
    q(x, "吉庇巷与八一七北路路口电动车乱停", X("吉庇巷", "八一七北路"))
    q(
        x,
        "乌山路和五一北路交界处有人倒垃圾",
        ("two", ("xr", "乌山路", "五一北路", JIAOJIE[0]), ("xr", "乌山路", "五一北路", JIAOJIE[1])),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "省立医院往东200米路南有人占道", OFF(A("省立医院"), "东", 200, side=("东街", "南")))
    q(o, "省立医院往西走了三百来米，有个井盖没了", OFF(A("省立医院"), "西", 300, "about"))
    q(o, "福州三中往北100米路灯不亮", OFF(A("福州三中"), "北", 100))
    q(o, "福州三中往东约300米有人乱扔垃圾", OFF(A("福州三中"), "东", 300, "about"))
    q(
        o,
        "协和医院往南一两百米路东有人违停",
        OFF2(A("协和医院"), "南", YILIANGBAI, ("五一北路", "东")),
    )
    q(o, "鼓一小往西几十米有个坑", OFF2(A("鼓一小"), "西", JISHI))
    q(o, "东百往北50米有人乱摆摊", OFF(A("东百"), "北", 50))
    q(o, "东百往南100米路东人行道被占", OFF(A("东百"), "南", 100, side=("八一七北路", "东")))
    q(o, "大洋百货往北约200米有人发传单", OFF(A("大洋百货"), "北", 200, "about"))
    q(
        o,
        "大洋百货往北约200米路西，店铺油烟扰民",
        OFF(A("大洋百货"), "北", 200, "about", ("八一七北路", "西")),
    )
    q(o, "林觉民故居往东几十米有人乱贴广告", OFF2(A("林觉民故居"), "东", JISHI))
    q(o, "严复故居往南50米墙皮掉下来了", OFF(A("严复故居"), "南", 50))
    q(o, "福州一中往东150米有流动摊贩", OFF(A("福州一中"), "东", 150))
    q(o, "福州一中往北走了两百来米，路面破损", OFF(A("福州一中"), "北", 200, "about"))
    q(o, "屏东中学往南一百多米有人遛狗不牵绳", OFF(A("屏东中学"), "南", 100, "more"))
    q(o, "洪山镇政府往北约300米有人烧秸秆", OFF(A("洪山镇政府"), "北", 300, "about"))
    q(o, "洪山派出所往西200米有人倒建筑垃圾", OFF(A("洪山派出所"), "西", 200))
    q(o, "洋下村委会往北约500米有人私搭乱建", OFF(A("洋下村委会"), "北", 500, "about"))
    q(o, "铜盘菜市场往北300米有人占道卖菜", OFF(A("铜盘菜市场"), "北", 300))
    q(
        o,
        "华林寺往东约200米路北有车辆违停",
        OFF(A("华林寺"), "东", 200, "about", ("华林路", "北")),
    )
    q(o, "海峡银行五四支行往北约100米井盖缺失", OFF(A("海峡银行五四支行"), "北", 100, "about"))
    q(o, "中行省分行往北100米树倒了", OFF(A("中行省分行"), "北", 100))
    q(
        o,
        "东街口站往东200米路南有人占道经营",
        OFF(A("东街口站"), "东", 200, side=("东街", "南")),
    )
    q(o, "光禄吟台往西一百来米有人私拉电线", OFF(A("光禄吟台"), "西", 100, "about"))
    q(o, "省人民医院往北约1公里有人发小广告", OFF(A("省人民医院"), "北", 1000, "about"))
    q(o, "冠亚广场往东一站路有个井盖没盖", OFF2(A("冠亚广场"), "东", YIZHAN))
    q(o, "鼓楼区政府往北50米路灯不亮", OFF(A("鼓楼区政府"), "北", 50))
    q(
        o,
        "湖东路与鼓屏路交叉口往北100米路西有人乱停车",
        OFF(XO("湖东路", "鼓屏路"), "北", 100, side=("鼓屏路", "西")),
    )
    q(
        o,
        "乌山路与工业路交叉口以东约200米路北有垃圾堆",
        OFF(XO("乌山路", "工业路"), "东", 200, "about", ("乌山路", "北")),
    )
    q(o, "福州五中往东100米有人占道", OFF(("none",), "东", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "省立医院门口有人拉客", NEAR("省立医院"))
    q(n, "福州三中门口早上堵车", NEAR("福州三中"))
    q(n, "鼓一小门口有流动摊贩，影响学生上学", NEAR("鼓一小"))
    q(n, "协和医院对面有人卖假药", NEAR("协和医院"))
    q(n, "林觉民故居隔壁在装修，噪音大", NEAR("林觉民故居"))
    q(n, "严复故居旁边有人乱丢烟头", NEAR("严复故居"))
    q(n, "华林寺对面的人行道被占", NEAR("华林寺"))
    q(n, "东百边仔有人发传单", TWO_NEAR("东百", BIAN))
    q(n, "铜盘菜市场边仔垃圾没人收", TWO_NEAR("铜盘菜市场", BIAN))
    q(n, "福州一中厝边有人半夜装修", TWO_NEAR("福州一中", BIAN))
    q(n, "鼓一小边上有人烧纸", TWO_NEAR("鼓一小", BIAN))
    q(n, "屏东中学边仔有人乱停车", TWO_NEAR("屏东中学", BIAN))
    q(
        n,
        "东街口一带有人发小广告",
        ("two", ("xr", "东街", "八一七北路", YIDAI[0]), ("xr", "东街", "八一七北路", YIDAI[1])),
    )
    q(
        n,
        "华林路鼓屏路路口一带晚上有人飙车",
        ("two", ("xr", "华林路", "鼓屏路", YIDAI[0]), ("xr", "华林路", "鼓屏路", YIDAI[1])),
    )
    q(
        n,
        "华林新村附近夜里广场舞声音大",
        NEAR_COMPOUND("华林新村", ["华林新村", "华林新村西门"]),
    )
    q(n, "屏西小区周边路灯不亮", NEAR_COMPOUND("屏西小区", ["屏西小区"]))
    q(n, "乌山新村附近有人养鸡", NEAR_COMPOUND("乌山新村", ["乌山新村"]))
    q(n, "屏西小区3号楼楼下有人堆杂物", TWO_NEAR("屏西小区3号楼", LOUXIA))
    q(n, "华林新村2座楼下化粪池满了", TWO_NEAR("华林新村2座", LOUXIA))
    q(n, "衣锦坊口有人摆摊", ("two", ("mouth", "衣锦坊", "start"), ("mouth", "衣锦坊", "ends")))
    q(n, "黄巷口电线乱拉", ("two", ("mouth", "黄巷", "start"), ("mouth", "黄巷", "ends")))
    q(
        n,
        "光禄坊口有人乱停电动车",
        ("two", ("mouth", "光禄坊", "start"), ("mouth", "光禄坊", "ends")),
    )
    q(
        n,
        "南后街口有人卖气球占道",
        ("two", ("mouth", "南后街", "start"), ("mouth", "南后街", "ends")),
    )
    q(n, "安民巷口的路灯坏了", ("two", ("mouth", "安民巷", "start"), ("mouth", "安民巷", "ends")))
    q(n, "洋下村委会旁边有人焚烧垃圾", NEAR("洋下村委会"))
    q(n, "鼓楼区妇幼保健院门口有人乱停车", ("near", [], R_NEAR))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("衣锦坊路灯坏了好几天了", "衣锦坊"),
        ("来电人反映文儒坊里有车辆长期占道", "文儒坊"),
        ("杨桥巷下水道堵了，污水漫到路上", "杨桥巷"),
        ("郎官巷有人养狗扰民", "郎官巷"),
        ("塔巷的石板路坑坑洼洼", "塔巷"),
        ("黄巷垃圾几天没人收", "黄巷"),
        ("市民称安民巷里面电线乱拉", "安民巷"),
        ("宫巷有人半夜装修", "宫巷"),
        ("大光里化粪池满了往外冒", "大光里"),
        ("黄巷一弄 有人占用消防通道", "黄巷一弄"),
        ("早题巷有人在巷子里烧东西", "早题巷"),
        ("南后街晚上太吵了", "南后街"),
        ("光禄坊路面塌了一块", "光禄坊"),
        ("吉庇巷有人乱搭雨棚", "吉庇巷"),
        ("府学里老房子墙要倒了", "府学里"),
        ("青石弄路灯不亮", "青石弄"),
        ("桂枝里有人乱倒垃圾", "桂枝里"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (组 / 自然村 named with its village; a village alone) ----------------------
    g = "group"
    q(g, "洋下村3组有人焚烧秸秆", ZU("洋下村", 3))
    q(g, "洋下村五组有人在田边烧垃圾", ZU("洋下村", 5))
    q(g, "洪山镇洋下村第一村民小组有人违建", ZU("洋下村", 1, "洪山镇"))
    q(g, "鼓楼区洪山镇洋下村6组自来水停了", ZU("洋下村", 6, "洪山镇"))
    q(g, "洋下村第2村民小组路灯不亮", ZU("洋下村", 2))
    q(g, "后坂村林厝有人私挖鱼塘", ZU("后坂村", "林厝"))
    q(g, "后坂村陈厝有人偷倒建筑垃圾", ZU("后坂村", "陈厝"))
    q(g, "洪山镇后坂村溪墘排水渠堵塞", ZU("后坂村", "溪墘", "洪山镇"))
    q(g, "后坂村埕尾自然村有人放狗咬人", ZU("后坂村", "埕尾"))
    q(g, "洋下村8组有人烧秸秆", ZU("洋下村", 8))
    q(g, "后坂村新厝有人私建猪圈", ZU("后坂村", "新厝"))
    q(g, "后坂村2组有人私拉电线", ZU("后坂村", 2))
    q(g, "洋下村林厝有人违建", ZU("洋下村", "林厝"))
    q(g, "洋下村垃圾堆放", VIL("洋下村"))
    q(g, "洪山镇后坂村有人电鱼", VIL("后坂村", "洪山镇"))

    # --- other_county (福州's other 县级 units in front of our addresses) -----------------
    oc = "other_county"
    yq, ws = fb("杨桥路", 1350, "R"), fb("五四路", 1200, "R")
    hl, hd = fb("华林路", 2200, "R"), fb("湖东路", 1000, "R")
    dy = fb("八一七北路", 1440, "R")
    nh, dj = fb("南后街", 320, "L"), fb("东街", 40, "R")
    for text, code, county in [
        (f"台江区杨桥路{no(yq)}号", yq, "台江区"),
        (f"福州市仓山区五四路{no(ws)}号", ws, "仓山区"),
        (f"晋安区华林路{no(hl)}号", hl, "晋安区"),
        ("马尾区洪山镇洋下村3组15号", H("YX", 3, 15), "马尾区"),
        ("闽侯县洪山镇后坂村林厝8号", H("HB", "林厝", 8), "闽侯县"),
        (f"福州市长乐区湖东路{no(hd)}号", hd, "长乐区"),
        (f"福建省福州市台江区八一七北路{no(dy)}号", dy, "台江区"),
        (f"福建省福州市鼓楼区杨桥路{no(yq)}号", yq, "鼓楼区"),
        (f"福州市鼓楼区五四路{no(ws)}号", ws, "鼓楼区"),
        (f"鼓楼区华林路{no(hl)}号", hl, "鼓楼区"),
        ("福州市鼓楼区洪山镇洋下村3组15号", H("YX", 3, 15), "鼓楼区"),
        ("鼓楼区洪山镇后坂村林厝8号", H("HB", "林厝", 8), "鼓楼区"),
        (f"福州鼓楼湖东路{no(hd)}号", hd, "鼓楼区"),
        (f"福建福州鼓楼区八一七北路{no(dy)}号", dy, "鼓楼区"),
        (f"福州市鼓楼区南街街道南后街{no(nh)}号", nh, "鼓楼区"),
        (f"福州市鼓楼区东街街道东街{no(dj)}号", dj, "鼓楼区"),
    ]:
        street = "南街街道" if "南街街道" in text else "东街街道" if "东街街道" in text else None
        q(oc, text, BLD(code["code"], county, street))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    d31 = fb("东街", 300, "L")
    w32, yx36 = fb("五四路", 300, "R"), fb("杨桥巷", 170, "R")
    tx25, yj7 = fb("塔巷", 120, "L"), fb("衣锦坊", 30, "L")
    tp, hlg = fb("铜盘路", 650, "R"), fb("华林路", 1890, "L")
    for miss in ["杨桥路999号", "东街135号", "屏西小区9号楼", "黄巷12号", "宫巷99号"]:
        absent(miss)
    absent("洋下村3组99号")
    absent("159号之三")
    absent("后坂村3组5号")
    for text, code in [
        (f"No. {no(yq)}, Yangqiao Road, Gulou District, Fuzhou", yq),
        (f"No. {no(d31)} Dongjie Street, Gulou District, Fuzhou, Fujian", d31),
        (f"No. {no(hd)}, Hudong Road, Gulou District", hd),
        (f"No. {no(dy)}, Bayiqi North Road, Gulou District, Fuzhou", dy),
        (f"No. {no(dy)}, 817 North Road, Gulou District", dy),
        (f"No. {no(w32)}, Wusi Road, Gulou District", w32),
        (f"No. {no(hl)}, Hualin Road, Gulou District, Fuzhou", hl),
        ("No. 159-1, Yangqiao Road, Gulou District", BY_CODE["GLYQL159Z1"]),
        (
            f"Building 3, Pingxi Residential Quarter, No. {no(tp)} Tongpan Road, Gulou District",
            BY_CODE["GLPXXQB3"],
        ),
        (
            f"Building 2, Hualin Xincun, No. {no(hlg)} Hualin Road, Gulou District, Fuzhou",
            BY_CODE["GLHLXCB2"],
        ),
        ("Room 302, Building 1, Wushan Xincun, Gulou District", BY_CODE["GLWSXCB1"]),
        (f"No. {no(yx36)}, Yangqiao Lane, Gulou District, Fuzhou", yx36),
        (f"No. {no(tx25)}, Ta Lane, Gulou District", tx25),
        (f"No. {no(yj7)}, Yijinfang, Gulou District, Fuzhou", yj7),
        (f"No. {no(nh)}, Nanhou Street, Gulou District", nh),
        (
            "No. 15, Group 3, Yangxia Village, Hongshan Town, Gulou District, Fuzhou",
            H("YX", 3, 15),
        ),
        ("No. 8, Lincuo, Houban Village, Hongshan Town, Gulou District", H("HB", "林厝", 8)),
        (f"Gulou Qu Yangqiao Lu {no(yq)} Hao", yq),
        ("Fuzhou Shi Gulou Qu Dongjie 134 Hao", fb("东街", 1330, "R")),
        (f"302室，3号楼，屏西小区，铜盘路{no(tp)}号，鼓楼区", BY_CODE["GLPXXQB3"]),
        (f"{no(nh)}号，南后街，鼓楼区，福州市", nh),
        ("15号，3组，洋下村，洪山镇，鼓楼区", H("YX", 3, 15)),
        ("No. 999, Yangqiao Road, Gulou District, Fuzhou", None),
        ("No. 135, Dongjie Street, Gulou District", None),
        ("Building 9, Pingxi Residential Quarter, Gulou District", None),
        ("No. 99, Group 3, Yangxia Village, Hongshan Town, Gulou District", None),
        ("No. 159-3, Yangqiao Road, Gulou District", None),
        ("99号，宫巷，鼓楼区", None),
    ]:
        q(e, text, BLD(code["code"] if code else None))
    q(e, f"No. {no(yq)}, Yangqiao Road, Taijiang District, Fuzhou", BLD(yq["code"], "台江区"))
    q(e, "Group 3, Yangxia Village, Hongshan Town, Gulou District", ZU("洋下村", 3, "洪山镇"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    b = fb  # shorthand
    dj300, ws2800 = b("东街", 300, "L"), b("五四路", 2800, "R")
    dj1100, gy150 = b("东街", 1100, "R"), b("工业路", 150, "L")
    yq1350, hd2150 = b("杨桥路", 1350, "R"), b("湖东路", 2150, "R")
    xeh200 = b("西二环中路", 200, "R")
    nh59, nh65 = b("南后街", 290, "L"), b("南后街", 320, "L")
    gl46, gong11 = b("光禄坊", 220, "R"), b("宫巷", 50, "L")
    jb82, ta25 = b("吉庇巷", 400, "R"), b("塔巷", 120, "L")
    yj7 = b("衣锦坊", 30, "L")
    hd102, by146 = b("湖东路", 1000, "R"), b("八一七北路", 1440, "R")
    hl71, hd151 = b("华林路", 700, "L"), b("湖东路", 1500, "L")
    nh102, gp31 = b("南后街", 500, "R"), b("鼓屏路", 300, "L")
    yq172, wsh205 = b("杨桥路", 1700, "R"), b("乌山路", 2050, "L")
    tp132 = b("铜盘路", 1300, "R")
    hl222, wy212 = b("华林路", 2200, "R"), b("五一北路", 2100, "R")
    gp131, dd80 = b("鼓屏路", 1300, "L"), b("东大路", 790, "R")
    ws122, by157 = b("五四路", 1200, "R"), b("八一七北路", 1560, "L")
    dj232 = b("东街", 2300, "R")
    hx3, hx1n3 = b("黄巷", 10, "L"), BY_CODE["GLHX1N3"]
    for miss in [
        "东街135号",
        "杨桥路159号之三",
        "东大路80号附5号",
        "屏西小区9号楼",
        "华林新村7座",
        "黄巷一弄12号",
        "南后街300号",
        "洋下村3组99号",
        "后坂村林厝99号",
        "洋下村7组3号",
        "乌山新村5号楼",
        "府学里5号",
        "八一七北路999号",
        "湖东路1号",
        "宫巷99号",
        "塔巷20号",
        "杨桥路12号",
        "南后街13号之一",
        "光禄坊9号附1号",
    ]:
        absent(miss)
    for text, code, street, community in [
        (dj300["address"], dj300, None, None),
        (f"福州市鼓楼区东街街道东街{no(dj1100)}号", dj1100, "东街街道", None),
        (f"鼓楼区鼓东街道五四路{no(ws2800)}号", ws2800, "鼓东街道", None),
        (f"鼓楼区南街街道光禄社区工业路{no(gy150)}号", gy150, "南街街道", "光禄社区"),
        (f"鼓楼区东街街道屏山社区东街{no(dj300)}号", dj300, "东街街道", "屏山社区"),
        (f"杨桥路{no(yq1350)}号", yq1350, None, None),
        (f"湖东路{no(hd2150)}号", hd2150, None, None),
        (f"福州市鼓楼区西二环中路{no(xeh200)}号", xeh200, None, None),
        ("省立医院", BY_CODE[code_of_alias("省立医院")], None, None),
        ("福州三中", BY_CODE[code_of_alias("福州三中")], None, None),
        ("协和医院", wy212, None, None),
        ("鼓一小", BY_CODE[code_of_alias("鼓一小")], None, None),
        ("林觉民故居", BY_CODE[code_of_alias("林觉民故居")], None, None),
        ("南门兜地铁站", BY_CODE[code_of_alias("南门兜地铁站")], None, None),
        ("鼓楼区政府", gp131, None, None),
        ("沈葆桢故居", gong11, None, None),
        (f"黄巷{no(hx3)}号", hx3, None, None),
        (f"黄巷一弄{no(hx1n3)}号", hx1n3, None, None),
        (f"鼓楼区南后街{no(nh59)}号", nh59, None, None),
        (f"南后街{no(nh65)}号", nh65, None, None),
        (f"光禄坊{no(gl46)}号", gl46, None, None),
        ("安民巷9号", BY_CODE["GLAMX9"], None, None),
        ("大光里5号", BY_CODE["GLDGL5"], None, None),
        (f"鼓楼区吉庇巷{no(jb82)}号", jb82, None, None),
        ("府学里8号", BY_CODE["GLFXL8"], None, None),
        ("杨桥路159号之一", BY_CODE["GLYQL159Z1"], None, None),
        ("杨桥路159-1号", BY_CODE["GLYQL159Z1"], None, None),
        ("鼓楼区杨桥路159号之二", BY_CODE["GLYQL159Z2"], None, None),
        ("杨桥路159号", BY_CODE["GLYQL159"], None, None),
        (f"东大路{no(dd80)}号附3号", BY_CODE["GLDDL80F3"], None, None),
        (f"鼓楼区东大路{no(dd80)}号", dd80, None, None),
        (f"鼓楼区五一北路{fw(no(wy212))}号", wy212, None, None),
        (f"鼓屏路{fw(no(gp131))}号", gp131, None, None),
        (f"杨桥路{fw(159)}号之一", BY_CODE["GLYQL159Z1"], None, None),
        (f"塔巷{cn_num(no(ta25))}号", ta25, None, None),
        (f"鼓楼区衣锦坊{cn_num(no(yj7))}号", yj7, None, None),
        (f"鼓楼区 湖东路 {no(hd102)}号", hd102, None, None),
        (f"福州市，鼓楼区，八一七北路{no(by146)}号。", by146, None, None),
        (f"华林路 {no(hl71)} 号", hl71, None, None),
        (f"福东路{no(hd151)}号", hd151, None, None),
        (f"蓝后街{no(nh102)}号", nh102, None, None),
        (f"鼓楼区鼓频路{no(gp31)}号", gp31, None, None),
        (f"羊桥路{no(yq172)}号", yq172, None, None),
        (f"吴山路{no(wsh205)}号", wsh205, None, None),
        (f"同盘路{no(tp132)}号", tp132, None, None),
        (f"花林路{no(hl222)}号", hl222, None, None),
        ("屏西小区3号楼2单元302室", BY_CODE["GLPXXQB3"], None, None),
        ("屏西小区4座302", BY_CODE["GLPXXQB4"], None, None),
        ("华林新村2座3楼302", BY_CODE["GLHLXCB2"], None, None),
        (f"鼓楼区华林路{no(hlg)}号华林新村1座502房", BY_CODE["GLHLXCB1"], None, None),
        ("乌山新村2号楼302室", BY_CODE["GLWSXCB2"], None, None),
        (f"市民反映东街{no(dj232)}号3楼302漏水", dj232, None, None),
        (f"鼓楼区五四路{no(ws122)}号801单元", ws122, None, None),
        ("鼓楼区洪山镇洋下村3组15号", H("YX", 3, 15), None, None),
        ("洋下村五组十三号那座厝", H("YX", 5, 13), None, None),
        ("洪山镇后坂村溪墘20号", H("HB", "溪墘", 20), "洪山镇", None),
        ("后坂村新厝12号", H("HB", "新厝", 12), None, None),
        (f"鼓楼区东街街道南后街{no(nh59)}号", nh59, "东街街道", None),
        (f"鼓楼区南街街道八一七北路{no(by146)}号", by146, "南街街道", None),
        (f"鼓楼区南街街道八一七北路{no(by157)}号", by157, "南街街道", None),
        ("洪山镇洋下村林厝8号", None, None, None),
        ("乌山路第二菜市场", None, None, None),
    ]:
        q(bq, text, BLD(code["code"] if code else None, None, street, community))
    for text in [
        "东街135号",
        "鼓楼区杨桥路159号之三",
        f"东大路{no(dd80)}号附5号",
        "屏西小区9号楼",
        "华林新村7座",
        "黄巷一弄12号",
        "鼓楼区南后街300号",
        "洪山镇洋下村3组99号",
        "后坂村林厝99号",
        "洋下村7组3号",
        "后坂村3组5号",
        "乌山新村5号楼302室",
        "府学里5号",
        "福州市鼓楼区八一七北路999号",
        "塔巷二十号",
        "杨桥路12号",
        "南后街13号之一",
        "光禄坊9号附1号",
    ]:
        q(bq, text, BLD(None))
    return Q


def fw(n: int) -> str:
    """A number in full-width digits."""
    return "".join(chr(ord(ch) + 0xFEE0) for ch in str(n))


def cn_num(n: int) -> str:
    """A door number under 100 in Chinese numerals (二十五)."""
    tens, ones = divmod(n, 10)
    out = ""
    if tens:
        out += ("" if tens == 1 else CN[tens]) + "十"
    if ones or not tens:
        out += CN[ones]
    return out


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, str, tuple]]:
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
    qs = queries()
    lines = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in qs:
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        if spec[0] != "bld" and expected is not None:
            raise SystemExit(f"a place query with a building: {text}")
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
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {len(lines)}, refused {refused}"
    )
    return qs


# ---------------------------------------------------------------- reading back
def check_files(qs) -> None:
    """Read the four files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in grids]
    if len(codes) != len(set(codes)):
        raise SystemExit("grid codes are not unique")
    parents = {f["properties"]["code"]: f["properties"]["parent_code"] for f in grids}
    for c, p in parents.items():
        if p is not None and p not in parents:
            raise SystemExit(f"{c}: parent {p} missing")
    micro_polys = {}
    for f in grids:
        if f["properties"]["level"] != "micro":
            continue
        code = f["properties"]["code"]
        if len(code) != 18 or not code.isdigit():
            raise SystemExit(f"micro-grid code {code} is not 18 digits")
        ring = [xy(lon, lat) for lon, lat in f["geometry"]["coordinates"][0]]
        micro_polys[code] = Polygon(ring)
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_address = {r["address"]: r for r in rows}
    by_code = {r["code"]: r for r in rows}
    if len(by_address) != len(rows):
        raise SystemExit("addresses are not unique")
    aliases = Counter(a for r in rows for a in r["aliases"].split("|") if a)
    if any(v > 1 for v in aliases.values()):
        raise SystemExit(f"aliases used twice: {[a for a, v in aliases.items() if v > 1]}")
    for r in rows:
        p = Point(xy(float(r["lon"]), float(r["lat"])))
        poly = micro_polys.get(r["micro_grid_code"])
        if poly is None or not poly.contains(p):
            raise SystemExit(f"{r['address']} is not in its micro-grid")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["name"] for f in roads]
    if len(names) != len(set(names)) or len(names) != len(ROADS):
        raise SystemExit("road names are not unique")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(qs):
        raise SystemExit("queries.jsonl has the wrong length")
    for line, (_kind, _text, spec) in zip(lines, qs, strict=True):
        rec = json.loads(line)
        if set(rec) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"bad keys: {line}")
        exp, micro = rec["expected"], rec["micro_grid"]
        if (exp is None) != (micro is None) and spec[0] == "bld":
            raise SystemExit(f"half a building: {line}")
        if micro is not None and micro not in micro_polys:
            raise SystemExit(f"unknown micro-grid: {line}")
        if exp is not None:
            r = by_code.get(exp)
            if r is None or r["micro_grid_code"] != micro:
                raise SystemExit(f"expected building not in its micro-grid: {line}")
        if spec[0] != "bld" and micro is not None:
            regions = [place_region(s) for s in (spec[1:] if spec[0] == "two" else [spec])]
            for region in regions:
                hits = [c for c, poly in micro_polys.items() if poly.buffer(0.05).contains(region)]
                if hits != [micro]:
                    raise SystemExit(f"place region not in exactly one micro-grid: {line}")
    print("read back: grids, buildings, roads and queries agree")


if __name__ == "__main__":
    check_files(write_all())
