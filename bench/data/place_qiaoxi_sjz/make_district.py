"""Write the place-description evaluation district: 河北省石家庄市桥西区.

    python bench/data/place_qiaoxi_sjz/make_district.py

One grid tree in two parts: an urban core east of 西二环 (新华路, 中山路, 东里, 友谊,
维明, 南长街道, with roads, 胡同 / 巷, 小区, 宿舍 and 家属院) and a peri-urban west
(振头街道, 汇通街道) with 行政村 whose houses are written by 组 —
`桥西区振头街道振头村3组15号` —, by 队 — `东营村三队8号` —, by natural village —
`西三教村李家庄12号` — or numbered across the village — `小马村36号`.
The 街道 and the urban road names are 桥西区's or 石家庄's; communities, villages, lanes, door
numbers, landmarks' positions and all geometry are ours: a layout in metres over a
6.8 km x 3 km box, turned into WGS-84 at 石家庄.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules). Words the rules do not cover (`那边儿`, `对过儿`, `过了铁道`, …) get two readings, a
narrow and a wide one; such a query is positive only when both land in the same micro-grid.
Nothing is decided by hand but which place each sentence means.

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

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 114.4200, 38.0200  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def to_deg(coords):
    """Metres to degrees, unrounded, for shapely.transform."""
    return coords / [KX, KY] + [LON0, LAT0]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("130104", "桥西区")
DISTRICT_AREA = box(0, 0, 6800, 3000)
CN = "零一二三四五六七八九"

# urban streets: code, name, box (1200 m x 1500 m), communities (name, short), micro split.
# A community is the west or east half of its street (600 m x 1500 m), a grid the south or north
# half of a community (600 m x 750 m); "cols" cuts a grid into two micro-grids 300 m x 750 m,
# "rows" into two of 600 m x 375 m.
URBAN = [
    (
        "130104001",
        "东里街道",
        (5600, 1500, 6800, 3000),
        [("东里社区", "东里"), ("自强社区", "自强")],
        "cols",
    ),
    (
        "130104002",
        "中山路街道",
        (4400, 1500, 5600, 3000),
        [("中山社区", "中山"), ("西里社区", "西里")],
        "cols",
    ),
    (
        "130104003",
        "新华路街道",
        (3200, 1500, 4400, 3000),
        [("新华社区", "新华"), ("西焦社区", "西焦")],
        "cols",
    ),
    (
        "130104004",
        "友谊街道",
        (3200, 0, 4400, 1500),
        [("裕西社区", "裕西"), ("友谊社区", "友谊")],
        "rows",
    ),
    (
        "130104005",
        "维明街道",
        (4400, 0, 5600, 1500),
        [("维明社区", "维明"), ("工农社区", "工农")],
        "rows",
    ),
    (
        "130104006",
        "南长街道",
        (5600, 0, 6800, 1500),
        [("南长社区", "南长"), ("槐安社区", "槐安")],
        "rows",
    ),
]

# rural streets: code, name, box, villages (name, key, style, width).
# "zu_ar": six micro-grids named after the 组 (`振头村3组`); "nat": six micro-grids named after
# the natural villages (`西三教村李家庄`); "dui_cn" / "zu_cn": six plain micro-grids, houses by
# 队 / 组 in Chinese numerals; "small": numbered across, two micro-grids (`小马村1号微网格`).
RURAL = [
    (
        "130104010",
        "振头街道",
        (0, 1500, 3200, 3000),
        [
            ("振头村", "ZT", "zu_ar", 1200),
            ("东营村", "DY", "dui_cn", 1200),
            ("小马村", "XMZ", "small", 400),
            ("宋营村", "SY", "small", 400),
        ],
    ),
    (
        "130104011",
        "汇通街道",
        (0, 0, 3200, 1500),
        [
            ("西三教村", "XSJ", "nat", 1200),
            ("柳庄村", "LZ", "zu_cn", 1200),
            ("小马村", "XMH", "small", 400),
            ("韩屯村", "HT", "small", 400),
        ],
    ),
]
NATURAL = ["李家庄", "王家营", "赵家屯", "孙家庄", "刘家营", "高家屯"]  # 西三教村, micro 1 … 6


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
PARENT: dict[str, str | None] = {}
NAME: dict[str, str] = {}
LEVEL: dict[str, str] = {}
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}


def add_area(code: str, name: str, level: str, parent: str | None, poly: Polygon) -> None:
    if code in NAME:
        raise SystemExit(f"duplicate grid code {code}")
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    FEATURES.append({"type": "Feature", "properties": props, "geometry": geo(poly)})
    PARENT[code], NAME[code], LEVEL[code] = parent, name, level
    if level == "micro":
        MICROS[code] = poly


def build_tree() -> None:
    add_area(DISTRICT[0], DISTRICT[1], "district", None, DISTRICT_AREA)
    for s_code, s_name, sb, communities, split in URBAN:
        add_area(s_code, s_name, "street", DISTRICT[0], box(*sb))
        w, s, _e, _n = sb
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cw = w + ci * 600
            add_area(c_code, c_name, "community", s_code, box(cw, s, cw + 600, s + 1500))
            for gi in range(2):
                gs = s + gi * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                add_area(g_code, g_name, "grid", c_code, box(cw, gs, cw + 600, gs + 750))
                for mi in range(2):
                    if split == "cols":
                        mb = (cw + mi * 300, gs, cw + (mi + 1) * 300, gs + 750)
                    else:
                        mb = (cw, gs + mi * 375, cw + 600, gs + (mi + 1) * 375)
                    m_name = f"{g_name}{mi + 1}号微网格"
                    add_area(f"{g_code}{mi + 1:03d}", m_name, "micro", g_code, box(*mb))
    for t_code, t_name, tb, villages in RURAL:
        add_area(t_code, t_name, "street", DISTRICT[0], box(*tb))
        x, s, _e, n = tb
        for vi, (v_name, key, style, width) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            vb = (x, s, x + width, n)
            x += width
            VILLAGE_BOX[key] = vb
            add_area(v_code, v_name, "community", t_code, box(*vb))
            if style == "small":
                g_code = f"{v_code}001"
                add_area(g_code, f"{v_name}网格", "grid", v_code, box(*vb))
                for mi in range(2):
                    mb = (vb[0], s + mi * 750, vb[2], s + (mi + 1) * 750)
                    add_area(
                        f"{g_code}{mi + 1:03d}",
                        f"{v_name}{mi + 1}号微网格",
                        "micro",
                        g_code,
                        box(*mb),
                    )
                continue
            for gi in range(2):
                gs = s + gi * 750
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (vb[0], gs, vb[2], gs + 750)
                add_area(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, box(*gb))
                for mi in range(3):
                    mb = (vb[0] + mi * 400, gs, vb[0] + (mi + 1) * 400, gs + 750)
                    m = gi * 3 + mi + 1
                    if style == "zu_ar":
                        name = f"{v_name}{m}组"
                    elif style == "nat":
                        name = f"{v_name}{NATURAL[m - 1]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_area(f"{g_code}{mi + 1:03d}", name, "micro", g_code, box(*mb))


def ancestor(code: str, level: str) -> str:
    c: str | None = code
    while c is not None and LEVEL[c] != level:
        c = PARENT[c]
    if c is None:
        raise SystemExit(f"{code} has no {level}")
    return c


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("中山西路", "arterial", [(3200, 1500), (6800, 1500)]),
    ("新华路", "arterial", [(3200, 2700), (6800, 2700)]),
    ("自强路", "secondary", [(4400, 1900), (6800, 1900)]),
    ("裕华西路", "arterial", [(1200, 850), (6800, 850)]),
    ("工农路", "secondary", [(3800, 1000), (6200, 1000)]),
    ("槐安西路", "arterial", [(0, 300), (6800, 300)]),
    ("西二环", "arterial", [(3200, 0), (3200, 3000)]),
    ("友谊北大街", "arterial", [(3800, 1500), (3800, 3000)]),
    ("友谊南大街", "arterial", [(3800, 0), (3800, 1500)]),
    ("新石中路", "arterial", [(4100, 0), (4100, 3000)]),
    ("红旗大街", "arterial", [(3500, 0), (3500, 1500)]),
    ("维明南大街", "arterial", [(4900, 0), (4900, 1450)]),
    ("中华南大街", "arterial", [(6350, 0), (6350, 1500)]),
    ("西里街", "secondary", [(5150, 1500), (5150, 3000)]),
    ("城角街", "secondary", [(6050, 1500), (6050, 3000)]),
    ("育才街", "branch", [(4500, 2000), (4500, 1800), (4800, 1800), (4800, 2000)]),
    # lanes in the road file
    ("东里胡同", "branch", [(5800, 2000), (6000, 2000)]),
    ("民兴胡同", "branch", [(4450, 2450), (4450, 2650)]),
    ("仓安胡同", "branch", [(6400, 1150), (6400, 1400)]),
    ("长兴巷", "branch", [(3300, 400), (3300, 650)]),
    ("三合胡同", "branch", [(6600, 2350), (6600, 2600)]),
    ("振兴巷", "branch", [(200, 1900), (200, 2150)]),
    # the peri-urban west
    ("振头大街", "secondary", [(200, 2600), (3200, 2600)]),
    ("汇通路", "secondary", [(100, 1100), (3140, 1100)]),
    ("振兴路", "branch", [(600, 1600), (600, 2900)]),
    ("东营路", "branch", [(1800, 1550), (1800, 2950)]),
    ("三教路", "branch", [(500, 100), (500, 1400)]),
    ("柳庄路", "branch", [(1700, 100), (1700, 1350)]),
    # railways: 石太铁路 through the district, 京广铁路 its eastern edge
    ("石太铁路", "railway", [(0, 2250), (6800, 2250)]),
    ("京广铁路", "railway", [(6800, 0), (6800, 3000)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}
RAILWAYS = [name for name, kind, _p in ROADS if kind == "railway"]

# ---------------------------------------------------------------- buildings
CITY = "桥西区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "中山西路": "ZSXL",
    "新华路": "XHL",
    "自强路": "ZQL",
    "裕华西路": "YHXL",
    "工农路": "GNL",
    "槐安西路": "HAXL",
    "西二环": "XEH",
    "友谊北大街": "YYBJ",
    "友谊南大街": "YYNJ",
    "新石中路": "XSZL",
    "红旗大街": "HQDJ",
    "维明南大街": "WMNJ",
    "中华南大街": "ZHNJ",
    "西里街": "XLJ",
    "城角街": "CJJ",
    "育才街": "YCJ",
    "东里胡同": "DLHT",
    "民兴胡同": "MXHT",
    "仓安胡同": "CAHT",
    "长兴巷": "CXX",
    "三合胡同": "SHHT",
    "振兴巷": "ZXX",
    "振头大街": "ZTDJ",
    "汇通路": "HTL",
    "德胜胡同": "DSHT",
    "永安胡同": "YAHT",
    "鸿福巷": "HFX",
    "四眼井胡同": "SYJHT",
    "纺织胡同": "FZHT",
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
    d = math.hypot(dx, dy)
    nx, ny = -dy / d, dx / d  # left normal
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
        add(f"QX{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"QX{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"QX{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(gate: dict, name: str, code: str, spots):
    """The 号楼 of a 小区 / 宿舍 / 家属院 behind a gate door: `…N号院K号楼`, alias `<name>K号楼`."""
    gate["compound"] = name
    base = gate["address"][: -len("号")]
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{base}号院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name, k=k)


TOWN_OF = {"ZT": "振头街道", "DY": "振头街道", "XMZ": "振头街道", "SY": "振头街道"}
TOWN_OF |= {"XSJ": "汇通街道", "LZ": "汇通街道", "XMH": "汇通街道", "HT": "汇通街道"}
VILLAGE_OF = {"ZT": "振头村", "DY": "东营村", "XMZ": "小马村", "SY": "宋营村"}
VILLAGE_OF |= {"XSJ": "西三教村", "LZ": "柳庄村", "XMH": "小马村", "HT": "韩屯村"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def unit_text(key: str, unit) -> str:
    if unit is None:
        return ""
    if key == "ZT":
        return f"{unit}组"
    if key == "DY":
        return f"{CN[unit]}队"
    if key == "LZ":
        return f"{CN[unit]}组"
    if key == "XSJ":
        return unit
    raise SystemExit(f"{key} has no 组")


def rural_houses(key: str, unit, centre, numbers, aliases=None):
    """Houses of a 组 / 队 (int), of a natural village (str) or of a village numbered across."""
    cx, cy = centre
    nat = unit if isinstance(unit, str) else None
    zu = unit if isinstance(unit, int) else None
    tag = NATURAL.index(nat) + 1 if nat else (zu or 0)
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{unit_text(key, unit)}{n}号"
        add(
            f"QX{key}{tag:02d}{n:03d}",
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
        "中山西路",
        [
            (150, "L", []),
            (450, "R", ["白求恩国际和平医院", "和平医院"]),
            (1000, "L", ["中山路派出所"]),
            (1350, "R", ["工商银行中山路支行", "工行中山路支行"]),
            (1750, "L", []),
            (2150, "R", ["人民广场"]),
            (2650, "L", ["北国超市中山店"]),
            (3050, "R", []),
            (3450, "L", []),
        ],
    )
    frontage(
        "新华路",
        [
            (100, "L", []),
            (450, "R", ["新华社区服务中心"]),
            (1050, "L", ["西焦菜市场"]),
            (1430, "R", ["石家庄市第四十中学", "四十中"]),
            (1850, "L", []),
            (2250, "R", ["九中家属院", "九中家属院大门"]),
            (2650, "L", ["邮政储蓄银行新华路支行", "邮储新华路支行"]),
            (3100, "R", []),
        ],
    )
    frontage(
        "自强路",
        [
            (50, "L", []),
            (670, "R", ["西里社区服务中心"]),
            (1000, "L", ["石家庄市第九中学", "九中"]),
            (1400, "R", ["铁路宿舍", "铁路宿舍大门"]),
            (1730, "L", ["东里派出所"]),
            (2150, "R", ["东里社区服务中心"]),
        ],
    )
    frontage(
        "友谊北大街",
        [
            (200, "L", []),
            (500, "R", ["河北银行友谊支行"]),
            (1000, "L", ["新华路街道办事处"]),
            (1300, "R", []),
        ],
    )
    frontage(
        "友谊南大街",
        [
            (200, "L", ["友谊派出所"]),
            (600, "R", ["北国超市友谊店"]),
            (1050, "L", []),
            (1350, "R", []),
        ],
    )
    frontage(
        "新石中路",
        [
            (150, "L", []),
            (550, "R", ["华药宿舍", "华药宿舍大门"]),
            (1250, "L", ["桥西区人民医院"]),
            (1300, "R", []),
            (1700, "L", []),
            (2050, "R", ["西焦社区服务中心"]),
            (2600, "L", []),
            (2900, "R", []),
        ],
    )
    frontage(
        "红旗大街",
        [
            (100, "L", []),
            (500, "R", ["红旗大街加油站"]),
            (900, "L", ["石家庄市第四十一中学", "四十一中"]),
            (1300, "R", []),
        ],
    )
    frontage(
        "维明南大街",
        [
            (150, "L", []),
            (450, "R", ["维明街小学"]),
            (800, "L", ["建设银行维明支行", "建行维明支行"]),
            (1200, "L", ["维明花园", "维明花园西门"]),
            (1400, "R", []),
        ],
    )
    frontage(
        "中华南大街",
        [
            (150, "L", []),
            (500, "R", ["石家庄站", "石家庄火车站", "火车站"]),
            (900, "L", ["南长派出所"]),
            (1300, "R", ["保龙仓超市南长店", "保龙仓南长店"]),
        ],
    )
    frontage(
        "裕华西路",
        [
            (300, "L", []),
            (1700, "R", []),
            (2200, "L", ["裕西小区", "裕西小区北门"]),
            (2500, "R", []),
            (3050, "L", ["友谊社区服务中心"]),
            (3500, "R", []),
            (4000, "L", ["维明社区服务中心"]),
            (4500, "R", ["裕华西路加油站"]),
            (5300, "L", []),
        ],
    )
    frontage(
        "工农路",
        [
            (100, "L", []),
            (500, "R", ["工农社区服务中心"]),
            (650, "R", []),
            (1000, "L", []),
            (1450, "R", []),
            (1900, "L", ["南长社区服务中心"]),
            (2300, "R", []),
        ],
    )
    frontage(
        "槐安西路",
        [
            (200, "L", []),
            (1000, "R", []),
            (1500, "L", ["柳庄村卫生室"]),
            (2600, "R", []),
            (3350, "L", []),
            (4500, "R", []),
            (5300, "L", ["水上公园"]),
            (5900, "R", []),
            (6600, "L", ["槐安西路加油站"]),
        ],
    )
    frontage(
        "西二环",
        [
            (250, "R", []),
            (600, "L", ["西二环加油站"]),
            (1250, "R", []),
            (1900, "L", []),
            (2500, "R", []),
        ],
    )
    frontage("西里街", [(300, "L", []), (800, "R", ["中山路街道办事处"]), (1300, "L", [])])
    frontage("城角街", [(200, "L", ["城角街菜市场"]), (1000, "R", [])])
    frontage("育才街", [(350, "R", ["育才街小学"]), (650, "L", [])])
    # 附N号 and N-1号: small doors beside a door, written apart
    wm = fb("维明南大街", 800, "L")
    for k, (x, y) in enumerate([(4870, 815), (4870, 785)], start=1):
        add(f"{wm['code']}F{k}", f"{wm['address']}附{k}号", x, y, road="维明南大街", n=wm["n"])
    gn = fb("工农路", 650, "R")
    add(f"{gn['code']}D1", f"{gn['address'][:-1]}-1号", 4475, 975, road="工农路", n=gn["n"])
    # lanes of the road file
    frontage("东里胡同", [(50, "L", []), (150, "R", [])], step=10)
    frontage("民兴胡同", [(40, "L", []), (160, "R", [])], step=10)
    frontage("仓安胡同", [(60, "L", []), (200, "R", [])], step=10)
    frontage("长兴巷", [(50, "L", []), (200, "R", [])], step=10)
    frontage("三合胡同", [(50, "L", []), (180, "R", [])], step=10)
    frontage("振兴巷", [(60, "L", []), (200, "R", [])], prefix=CITY + "振头街道", step=10)
    # lanes in no road file
    lane_houses("德胜胡同", [(3, 4600, 600), (8, 4640, 612), (12, 4680, 600)])
    lane_houses("永安胡同", [(1, 5750, 450), (6, 5760, 500), (10, 5750, 560)])
    lane_houses("鸿福巷", [(2, 3350, 2600), (5, 3390, 2612), (9, 3430, 2600)])
    lane_houses("四眼井胡同", [(4, 5450, 1470), (7, 5460, 1530), (11, 5500, 1528)])
    lane_houses("纺织胡同", [(3, 6300, 2000), (6, 6340, 2012), (8, 6380, 2000)])
    # 小区 / 宿舍 / 家属院: a gate door carrying the name, and its 号楼
    compound(
        fb("裕华西路", 2200, "L"),
        "裕西小区",
        "QXYXXQ",
        [
            (3280, 920),
            (3360, 920),
            (3440, 920),
            (3280, 1000),
            (3360, 1000),
            (3440, 1000),
            (3280, 1080),
        ],
    )
    compound(
        fb("新石中路", 550, "R"),
        "华药宿舍",
        "QXHYSS",
        [(4180, 480), (4260, 480), (4180, 560), (4260, 560), (4180, 640), (4260, 640)],
    )
    compound(
        fb("维明南大街", 1200, "L"),
        "维明花园",
        "QXWMHY",
        [(4600, 1200), (4700, 1200), (4800, 1200), (4600, 1300), (4700, 1300), (4800, 1300)],
    )
    compound(
        fb("自强路", 1400, "R"),
        "铁路宿舍",
        "QXTLSS",
        [(5700, 1800), (5800, 1800), (5950, 1800), (5700, 1720), (5800, 1720), (5950, 1720)],
    )
    compound(
        fb("新华路", 2250, "R"),
        "九中家属院",
        "QXJZJS",
        [(5380, 2600), (5480, 2600), (5380, 2500), (5480, 2500), (5380, 2400)],
    )
    # the villages' main streets
    frontage(
        "振头大街",
        [
            (300, "L", ["振头派出所"]),
            (900, "R", ["振头街道卫生院"]),
            (1500, "L", ["振头中学"]),
            (2100, "R", []),
            (2700, "L", []),
        ],
        prefix=CITY + "振头街道",
    )
    frontage(
        "汇通路",
        [
            (350, "L", ["汇通派出所"]),
            (900, "R", ["汇通街道卫生院"]),
            (1450, "L", ["汇通中学"]),
            (2200, "R", []),
            (2800, "L", []),
        ],
        prefix=CITY + "汇通街道",
    )
    c = micro_centre
    # 振头街道: 振头村 (1组 … 6组, micro-grids named after them)
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11, 15]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 9, 13]),
        (6, [3, 8]),
    ]:
        al = {7: ["振头村委会", "振头村村委会"]} if zu == 2 else None
        rural_houses("ZT", zu, c("ZT", zu), nums, al)
    # 东营村 (plain micro-grids, houses by 队; 四队 lies across the railway, a micro-grid border)
    rural_houses("DY", 1, c("DY", 1), [2, 6, 9])
    rural_houses("DY", 2, c("DY", 2), [1, 5, 12])
    rural_houses("DY", 3, c("DY", 3), [5, 8, 13], {8: ["东营村委会", "东营村村委会"]})
    rural_houses("DY", 4, (1400, 2250), [3, 7, 12])
    rural_houses("DY", 5, c("DY", 5), [4, 10])
    rural_houses("DY", 6, c("DY", 6), [2, 6, 11])
    # 汇通街道: 西三教村 (natural villages; 赵家屯 lies across two micro-grids)
    rural_houses("XSJ", "李家庄", c("XSJ", 1), [2, 7, 12, 18])
    rural_houses("XSJ", "王家营", c("XSJ", 2), [1, 5, 9])
    rural_houses("XSJ", "赵家屯", (1000, 750), [3, 6, 11, 14])
    rural_houses("XSJ", "孙家庄", c("XSJ", 4), [4, 8])
    rural_houses("XSJ", "刘家营", c("XSJ", 5), [2, 10, 15], {10: ["西三教村委会"]})
    rural_houses("XSJ", "高家屯", c("XSJ", 6), [1, 7])
    # 柳庄村 (plain micro-grids, 组 in Chinese numerals; 三组 lies across two)
    rural_houses("LZ", 1, c("LZ", 1), [3, 6, 10])
    rural_houses("LZ", 2, c("LZ", 2), [2, 8])
    rural_houses("LZ", 3, (2000, 400), [4, 9, 13])
    rural_houses("LZ", 4, c("LZ", 4), [1, 5, 11])
    rural_houses("LZ", 5, c("LZ", 5), [7, 12, 16], {12: ["柳庄村委会", "柳庄村村委会"]})
    rural_houses("LZ", 6, c("LZ", 6), [2, 6])
    # villages numbered across, their houses in one of their two micro-grids; two 小马村
    rural_houses("XMZ", None, (2600, 1850), [7, 21, 36, 58], {21: ["振头街道小马村村委会"]})
    rural_houses("SY", None, (3000, 2650), [5, 18, 33, 71], {18: ["宋营村委会"]})
    rural_houses("XMH", None, (2600, 1250), [12, 36, 49, 80], {49: ["汇通街道小马村村委会"]})
    rural_houses("HT", None, (3000, 450), [9, 24, 47, 66, 102], {24: ["韩屯村委会"]})


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


def strips(road: str, width: float):
    line = ROAD[road]
    return [line.buffer(width, single_sided=True), line.buffer(-width, single_sided=True)]


def side_of(road: str, side: str):
    """The strip 2-30 m from the road's centreline on the named side (路东 / 路西 / 路南 / 路北)."""
    line = ROAD[road]
    ux, uy = DIRS[side]
    mid = line.interpolate(0.5, normalized=True)
    probe = Point(mid.x + 10 * ux, mid.y + 10 * uy)
    strip = next(s for s in strips(road, 30) if s.contains(probe))
    return strip.difference(line.buffer(2))


def across(code: str, along: float, far: float):
    """对过儿: the other side of the landmark's road, 2 m to `far` m off its centreline, `along`
    metres either way of the landmark."""
    b = BY_CODE[code]
    road = b["road"]
    line = ROAD[road]
    p = Point(b["x"], b["y"])
    s = line.project(p)
    window = substring(line, max(s - along, 0), min(s + along, line.length)).buffer(
        far + 1, cap_style="flat"
    )
    other = next(st for st in strips(road, far) if not st.buffer(0.5).contains(p))
    return other.intersection(window).difference(line.buffer(2))


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


def houses(town=None, village=None, zu=None, nat=None, road=None, compound_name=None):
    out = []
    for b in BUILDINGS:
        if road is not None:
            if b.get("road") == road:
                out.append(b)
            continue
        if compound_name is not None:
            if b.get("compound") == compound_name and "k" in b:
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


def points(bs):
    return MultiPoint([(b["x"], b["y"]) for b in bs]) if bs else None


def rail_crossing(o: Point, d: str) -> Point | None:
    """The first railway met going from o in direction d, inside the district."""
    ux, uy = DIRS[d]
    ray = LineString([(o.x, o.y), (o.x + 10000 * ux, o.y + 10000 * uy)])
    hits = []
    for name in RAILWAYS:
        inter = ray.intersection(ROAD[name])
        hits += [inter] if isinstance(inter, Point) else list(getattr(inter, "geoms", []))
    hits = [h for h in hits if h.distance(o) > 1.0]
    return min(hits, key=o.distance) if hits else None


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
    if kind == "band":  # ("band", origin spec, dir, lo, hi): an explicit range of distances
        _, ospec, d, lo, hi = spec
        o = origin(ospec)
        return None if o is None else band(o, d, lo, hi)
    if kind == "rail":  # ("rail", origin spec, dir, lo, hi): lo-hi metres past the railway
        _, ospec, d, lo, hi = spec
        o = origin(ospec)
        if o is None:
            return None
        r = rail_crossing(o, d)
        return None if r is None else band(r, d, lo, hi)
    if kind == "disc":  # ("disc", building codes, radius)
        _, codes, r = spec
        if not codes:
            return None
        return unary_union([Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(r) for c in codes])
    if kind == "across":  # ("across", code, along, far)
        return across(spec[1], spec[2], spec[3])
    if kind == "union":
        parts = [place_region(s) for s in spec[1]]
        return None if any(p is None for p in parts) else unary_union(parts)
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "lanewide":  # ("lanewide", name, r): the whole lane and its houses, r metres round
        name, r = spec[1], spec[2]
        parts = [ROAD[name]] if name in ROAD else []
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts).buffer(r) if parts else None
    if kind == "zu":  # ("zu", town or None, village, number): a 组 / 队
        return points(houses(town=spec[1], village=spec[2], zu=spec[3]))
    if kind == "nat":  # ("nat", town or None, village or None, natural village)
        return points(houses(town=spec[1], village=spec[2], nat=spec[3]))
    if kind == "village":  # ("village", town or None, village): all its houses
        return points(houses(town=spec[1], village=spec[2]))
    if kind == "north":  # ("north", set spec, fraction): the northern part of a set of points
        whole = place_region(spec[1])
        if whole is None:
            return None
        ys = [p.y for p in whole.geoms]
        cut = max(ys) - spec[2] * (max(ys) - min(ys))
        return MultiPoint([(p.x, p.y) for p in whole.geoms if p.y >= cut - 1e-9])
    if kind == "compound":  # ("compound", name): the 号楼 of a compound
        return points(houses(compound_name=spec[1]))
    if kind == "none":
        return None
    raise SystemExit(spec)


def region_truth(spec) -> str | None:
    region = place_region(spec)
    if region is None or region.is_empty:
        return None
    return micro_of_region(region)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    if spec[0] == "two":  # ("two", word, narrow reading, wide reading)
        narrow, wide = region_truth(spec[2]), region_truth(spec[3])
        return None, narrow if narrow is not None and narrow == wide else None
    return None, region_truth(spec)


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
    return ("disc", [code_of_alias(a) for a in aliases], R_NEAR)


def NEAR_COMPOUND(name: str):
    codes = [b["code"] for b in BUILDINGS if b.get("compound") == name]
    return ("disc", codes, R_NEAR)


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def NAT(nat, village=None, town=None):
    return ("nat", town, village, nat)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, unit, n):  # a rural house (unit 0: a village numbered across)
    tag = NATURAL.index(unit) + 1 if isinstance(unit, str) else unit
    return BY_CODE[f"QX{key}{tag:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code, street=None, community=None):
    """A building query; a 街道 / 社区 named in it must be the building's own."""
    if code is None:
        return ("bld", None)
    if code not in BY_CODE:
        raise SystemExit(f"no building {code}")
    micro = micro_of_point(BY_CODE[code]["x"], BY_CODE[code]["y"])
    if street and NAME[ancestor(micro, "street")] != street:
        raise SystemExit(f"{code} is not in {street}")
    if community and NAME[ancestor(micro, "community")] != community:
        raise SystemExit(f"{code} is not in {community}")
    return ("bld", code)


def WRONG(code, street=None, community=None):
    """A refusal: the building exists, but the 街道 / 社区 named is not its own."""
    micro = micro_of_point(BY_CODE[code]["x"], BY_CODE[code]["y"])
    if street and NAME[ancestor(micro, "street")] == street:
        raise SystemExit(f"{code} is in {street}")
    if community and NAME[ancestor(micro, "community")] == community:
        raise SystemExit(f"{code} is in {community}")
    return ("bld", None)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address or alias."""
    if any(b["address"].endswith(text) or text in b["aliases"] for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def typo(real: str, wrong: str) -> str:
    """A one-character typo of a road, province or city name."""
    diff = sum(a != b for a, b in zip(real, wrong, strict=True))
    if diff != 1 or wrong in ROAD:
        raise SystemExit(f"{wrong} is not a one-character typo of {real}")
    return wrong


FULL = str.maketrans("0123456789", "０１２３４５６７８９")


# Words the rules do not cover: (narrow reading, wide reading), given as spec builders.
def TWO(word, narrow, wide):
    return ("two", word, narrow, wide)


def W_NAER(alias):  # 那儿: at the landmark
    c = code_of_alias(alias)
    return TWO("那儿", ("disc", [c], 30), ("disc", [c], 60))


def W_NABIANR(alias):  # 那边儿: over there, round the landmark
    c = code_of_alias(alias)
    return TWO("那边儿", ("disc", [c], 50), ("disc", [c], 100))


def W_PANGBIANR(alias):  # 旁边儿: 旁边 with 儿化
    c = code_of_alias(alias)
    return TWO("旁边儿", ("disc", [c], R_NEAR), ("disc", [c], R_NEAR))


def W_DUIGUOR(alias):  # 对过儿: across the landmark's road
    c = code_of_alias(alias)
    wide = ("union", [("disc", [c], R_NEAR), ("across", c, 60, 40)])
    return TWO("对过儿", ("across", c, 30, 30), wide)


def W_GENQIANR(alias):  # 跟前儿: right by the landmark
    c = code_of_alias(alias)
    return TWO("跟前儿", ("disc", [c], 20), ("disc", [c], R_NEAR))


def W_AIZHE(alias):  # 挨着: touching the landmark
    c = code_of_alias(alias)
    return TWO("挨着", ("disc", [c], 25), ("disc", [c], R_NEAR))


def W_YIERBAI(ospec, d):  # 往南走个一二百米
    return TWO("走个一二百米", ("band", ospec, d, 100, 200), ("band", ospec, d, 80, 240))


def W_DIANR(a, b, d):  # 路口往西点儿
    return TWO("往X点儿", ("band", XO(a, b), d, 10, 50), ("band", XO(a, b), d, 0, 100))


def W_GUAI(a, b, d=None):  # 路口往北拐过去; without a direction it names no place
    if d is None:
        return TWO("拐过去", ("none",), ("none",))
    return TWO("拐过去", ("band", XO(a, b), d, 0, 50), ("band", XO(a, b), d, 0, 150))


def W_HUTONGLI(lane):  # X胡同里
    return TWO("胡同里", ("lane", lane), ("lanewide", lane, 20))


def W_TIEDAO(ospec, d):  # 往北过了铁道
    return TWO("过了铁道", ("rail", ospec, d, 0, 50), ("rail", ospec, d, 0, 200))


def W_KAOBEI(setspec):  # X靠北边儿
    return TWO("靠北边儿", ("north", setspec, 1 / 3), ("north", setspec, 1 / 2))


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "中山西路与友谊北大街交叉口有人占道经营", X("中山西路", "友谊北大街"))
    q(x, "中山西路友谊北大街交叉口东北角井盖缺失", X("中山西路", "友谊北大街", "东北"))
    q(x, "新石中路与槐安西路十字红绿灯不亮", X("新石中路", "槐安西路"))
    q(x, "新石中路和中山西路十字路口积水", X("新石中路", "中山西路"))
    q(x, "新石中路中山西路交叉口西南角有人摆摊", X("新石中路", "中山西路", "西南"))
    q(x, "新石中路与新华路交叉口有人烧纸", X("新石中路", "新华路"))
    q(x, "新石中路新华路交叉口西北角共享单车乱放", X("新石中路", "新华路", "西北"))
    q(x, "红旗大街与裕华西路十字车辆乱停", X("红旗大街", "裕华西路"))
    q(
        x,
        "红旗大街、裕华西路路口往东100米护栏倒了",
        X("红旗大街", "裕华西路", None, ("东", 100, "exact")),
    )
    q(x, "红旗大街与中山西路交叉口早晚堵车", X("红旗大街", "中山西路"))
    q(x, "维明南大街与中山西路交叉口有人发小广告", X("维明南大街", "中山西路"))
    q(
        x,
        "维明南大街、工农路路口往东200米有个大坑",
        X("维明南大街", "工农路", None, ("东", 200, "exact")),
    )
    q(x, "中华南大街与槐安西路十字路灯不亮", X("中华南大街", "槐安西路"))
    q(x, "中华南大街中山西路交叉口西北角有人乱贴广告", X("中华南大街", "中山西路", "西北"))
    q(x, "西里街与自强路十字有渣土车撒漏", X("西里街", "自强路"))
    q(x, "育才街与自强路交叉口有人摆摊卖菜", X("育才街", "自强路"))
    q(x, "友谊北大街与新华路交叉口东南角有人烧烤", X("友谊北大街", "新华路", "东南"))
    q(x, "西二环与槐安西路交叉口有人倒垃圾", X("西二环", "槐安西路"))
    q(x, "西二环裕华西路交叉口东北角广告牌歪了", X("西二环", "裕华西路", "东北"))
    q(x, "裕华西路与工农路交叉口信号灯坏了", X("裕华西路", "工农路"))
    q(x, "振头大街与振兴路十字有人晒粮食占道", X("振头大街", "振兴路"))
    q(
        x,
        "振头大街、东营路路口往南100米有条死狗",
        X("振头大街", "东营路", None, ("南", 100, "exact")),
    )
    q(x, "汇通路与西二环交叉口积水", X("汇通路", "西二环"))
    q(x, "柳庄路裕华西路交叉口东南角有人烧秸秆", X("柳庄路", "裕华西路", "东南"))
    q(x, "新石中路、槐安西路路口往西点儿有个井盖没了", W_DIANR("新石中路", "槐安西路", "西"))
    q(x, "友谊北大街和新华路路口往西点儿有人占道", W_DIANR("友谊北大街", "新华路", "西"))
    q(x, "红旗大街中山西路路口往东点儿路灯杆倒了", W_DIANR("红旗大街", "中山西路", "东"))
    q(x, "中山西路新石中路路口往北拐过去有人倒垃圾", W_GUAI("中山西路", "新石中路", "北"))
    q(x, "西里街和自强路路口往北拐过去那块儿有人摆摊", W_GUAI("西里街", "自强路", "北"))
    q(x, "振头大街和东营路路口拐过去有人焚烧垃圾", W_GUAI("振头大街", "东营路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "石家庄站往北150米路东有人占道",
        OFF(A("石家庄站"), "北", 150, side=("中华南大街", "东")),
    )
    q(o, "石家庄火车站往东过了铁道有人摆摊", W_TIEDAO(A("石家庄火车站"), "东"))
    q(o, "和平医院往南走个一二百米有个井盖没了", W_YIERBAI(A("和平医院"), "南"))
    q(o, "和平医院往北100米有人乱停车", OFF(A("和平医院"), "北", 100))
    q(o, "四十中往东走了三百来米有人烧垃圾", OFF(A("四十中"), "东", 300, "about"))
    q(
        o,
        "四十中向西约200米路南井盖缺失",
        OFF(A("四十中"), "西", 200, "about", ("新华路", "南")),
    )
    q(o, "九中往南50米有人遛狗不拴绳", OFF(A("九中"), "南", 50))
    q(o, "东里派出所往西约150米有人占道卖菜", OFF(A("东里派出所"), "西", 150, "about"))
    q(o, "人民广场往北约150米有风筝挂电线上了", OFF(A("人民广场"), "北", 150, "about"))
    q(o, "人民广场往南走个一二百米有人打架", W_YIERBAI(A("人民广场"), "南"))
    q(o, "和平医院往西走了四百来米有人摆摊", OFF(A("和平医院"), "西", 400, "about"))
    q(o, "北国商城往南200米有人摆摊", OFF(("none",), "南", 200))
    q(o, "维明街小学往北走了两百来米有辆僵尸车", OFF(A("维明街小学"), "北", 200, "about"))
    q(o, "华药宿舍大门往东约200米有人私搭乱建", OFF(A("华药宿舍大门"), "东", 200, "about"))
    q(o, "北国超市友谊店往西200米有人乱扔垃圾", OFF(A("北国超市友谊店"), "西", 200))
    q(o, "友谊派出所往北约500米有人烧落叶", OFF(A("友谊派出所"), "北", 500, "about"))
    q(
        o,
        "裕华西路加油站往东约300米路南有车辆违停",
        OFF(A("裕华西路加油站"), "东", 300, "about", ("裕华西路", "南")),
    )
    q(o, "水上公园往西走了三百来米有人钓鱼", OFF(A("水上公园"), "西", 300, "about"))
    q(
        o,
        "中华南大街与槐安西路交叉口往北200米路西有人占道",
        OFF(XO("中华南大街", "槐安西路"), "北", 200, side=("中华南大街", "西")),
    )
    q(o, "西二环加油站往北约1公里有人私倒渣土", OFF(A("西二环加油站"), "北", 1000, "about"))
    q(o, "振头派出所往东200米有人占道晒玉米", OFF(A("振头派出所"), "东", 200))
    q(
        o,
        "振头街道小马村村委会往北过了铁道有人倒垃圾",
        W_TIEDAO(A("振头街道小马村村委会"), "北"),
    )
    q(o, "西焦社区服务中心往北过了铁道有人私搭乱建", W_TIEDAO(A("西焦社区服务中心"), "北"))
    q(o, "西里社区服务中心往北过了铁道有人烧纸", W_TIEDAO(A("西里社区服务中心"), "北"))
    q(o, "东营村委会往南走个一二百米有人挖沙", W_YIERBAI(A("东营村委会"), "南"))
    q(o, "汇通派出所往东约400米有人焚烧秸秆", OFF(A("汇通派出所"), "东", 400, "about"))
    q(o, "柳庄村委会往西走了三百来米有人私建猪圈", OFF(A("柳庄村委会"), "西", 300, "about"))
    q(o, "韩屯村委会往南1公里有人电鱼", OFF(A("韩屯村委会"), "南", 1000))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "和平医院门口有人乱停车", NEAR("和平医院"))
    q(n, "四十中门口有流动摊贩，影响学生上学", NEAR("四十中"))
    q(n, "九中门口早上堵车", NEAR("九中"))
    q(n, "东里派出所对面有人发小广告", NEAR("东里派出所"))
    q(n, "石家庄站附近有人拉客", NEAR("石家庄站"))
    q(n, "华药宿舍周边夜里广场舞声音大", NEAR_COMPOUND("华药宿舍"))
    q(n, "铁路宿舍附近有人私搭乱建", NEAR_COMPOUND("铁路宿舍"))
    q(n, "裕西小区周边路灯不亮", NEAR_COMPOUND("裕西小区"))
    q(n, "维明花园附近施工扰民", NEAR_COMPOUND("维明花园"))
    q(n, "北国超市友谊店隔壁在装修，噪音大", NEAR("北国超市友谊店"))
    q(n, "工行中山路支行门口有人摆摊", NEAR("工行中山路支行"))
    q(n, "北国商城门口有人拉横幅", ("disc", [], R_NEAR))
    q(n, "九中那儿有人占道卖菜", W_NAER("九中"))
    q(n, "石家庄站那边儿有人拉客", W_NABIANR("石家庄站"))
    q(n, "人民广场那边儿有人放孔明灯", W_NABIANR("人民广场"))
    q(n, "东里派出所那边儿有人卖假货", W_NABIANR("东里派出所"))
    q(n, "西里社区服务中心跟前儿有人乱扔垃圾", W_GENQIANR("西里社区服务中心"))
    q(n, "振头街道卫生院跟前儿有人焚烧垃圾", W_GENQIANR("振头街道卫生院"))
    q(n, "维明街小学对过儿有人摆摊", W_DUIGUOR("维明街小学"))
    q(n, "南长派出所对过儿有人烧纸", W_DUIGUOR("南长派出所"))
    q(n, "北国超市友谊店对过儿有共享单车堆着", W_DUIGUOR("北国超市友谊店"))
    q(n, "四十中旁边儿有人卖烧烤", W_PANGBIANR("四十中"))
    q(n, "挨着东里派出所有人私搭乱建", W_AIZHE("东里派出所"))
    q(n, "宋营村委会那儿有人倒垃圾", W_NAER("宋营村委会"))
    q(n, "挨着和平医院有个报刊亭占道", W_AIZHE("和平医院"))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("东里胡同路灯坏了好几天了", "东里胡同"),
        ("来电人反映民兴胡同有车辆长期占道", "民兴胡同"),
        ("仓安胡同下水道堵了，污水漫到路上", "仓安胡同"),
        ("长兴巷垃圾几天没人收", "长兴巷"),
        ("三合胡同有人养狗扰民", "三合胡同"),
        ("振兴巷的路面坑坑洼洼", "振兴巷"),
        ("德胜胡同有人半夜装修", "德胜胡同"),
        ("市民称永安胡同电线乱拉", "永安胡同"),
        ("鸿福巷化粪池满了往外冒", "鸿福巷"),
        ("四眼井胡同 有人占用消防通道", "四眼井胡同"),
        ("纺织胡同路面结冰，老人出行困难", "纺织胡同"),
        ("柳树胡同有人半夜施工", "柳树胡同"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "民兴胡同里有人私拉电线", W_HUTONGLI("民兴胡同"))
    q(la, "东里胡同里有人堆放杂物", W_HUTONGLI("东里胡同"))
    q(la, "德胜胡同里电动车乱停", W_HUTONGLI("德胜胡同"))

    # --- group (组 / 队 / natural village named with its village) -------------------------
    g = "group"
    q(g, "振头村3组有人焚烧秸秆", ZU("振头村", 3))
    q(g, "振头村五组有人在田边烧垃圾", ZU("振头村", 5))
    q(g, "振头街道振头村第一村民小组有人违建", ZU("振头村", 1, "振头街道"))
    q(g, "桥西区振头街道振头村6组自来水停了", ZU("振头村", 6, "振头街道"))
    q(g, "振头村8组有人私拉电线", ZU("振头村", 8))
    q(g, "东营村三队路灯不亮", ZU("东营村", 3))
    q(g, "东营村第二生产队有人私挖鱼塘", ZU("东营村", 2))
    q(g, "东营村四队有人偷倒建筑垃圾", ZU("东营村", 4))
    q(g, "东营村6队垃圾没人收", ZU("东营村", 6))
    q(g, "东营村五组有人烧荒", ZU("东营村", 5))
    q(g, "西三教村李家庄有人放养的狗咬人", NAT("李家庄", "西三教村"))
    q(g, "汇通街道西三教村王家营排水渠堵塞", NAT("王家营", "西三教村", "汇通街道"))
    q(g, "西三教村赵家屯有人私搭乱建", NAT("赵家屯", "西三教村"))
    q(g, "西三教村赵家屯靠北边儿有人烧秸秆", W_KAOBEI(NAT("赵家屯", "西三教村")))
    q(g, "柳庄村一组有人在河边洗车", ZU("柳庄村", 1))
    q(g, "柳庄村三组路面塌陷", ZU("柳庄村", 3))
    q(g, "柳庄村第5村民小组有人在路边晒粮", ZU("柳庄村", 5))
    q(g, "振头街道柳庄村二组有人违建", ZU("柳庄村", 2, "振头街道"))
    q(g, "小马村2组有人私拉电线", ZU("小马村", 2))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "小马村有人烧秸秆，烟很大", VIL("小马村"))
    q(v, "振头街道小马村路灯不亮", VIL("小马村", "振头街道"))
    q(v, "汇通小马村有人私拉电网捕鱼", VIL("小马村", "汇通街道"))
    q(v, "宋营村狗咬人", VIL("宋营村"))
    q(v, "韩屯村有人往河道里倒垃圾", VIL("韩屯村"))
    q(v, "桥西区汇通街道韩屯村有人占用耕地建房", VIL("韩屯村", "汇通街道"))
    q(v, "振头村垃圾堆放", VIL("振头村"))
    q(v, "东营村有人电鱼", VIL("东营村"))
    q(v, "西三教村排水沟堵了", VIL("西三教村"))
    q(v, "汇通街道宋营村有人违建", VIL("宋营村", "汇通街道"))
    q(v, "大郭村有人烧荒", VIL("大郭村"))
    q(v, "王家营有人砍伐树木", NAT("王家营"))
    q(v, "宋营村靠北边儿有人私建猪圈", W_KAOBEI(VIL("宋营村")))
    q(v, "振头村靠北边儿有人烧荒", W_KAOBEI(VIL("振头村")))

    # --- other_county (石家庄's other 县级 units, other cities, in front of our addresses) ---
    oc = "other_county"
    zs, hs = fb("中山西路", 3050, "R"), fb("槐安西路", 3350, "L")
    wm, xh = fb("维明南大街", 150, "L"), fb("新华路", 3100, "R")
    for text, code in [
        ("长安区振头街道振头村3组15号", None),
        (f"新华区中山西路{no(zs)}号", None),
        (f"石家庄市裕华区槐安西路{no(hs)}号", None),
        ("鹿泉区汇通街道西三教村李家庄12号", None),
        ("河北省石家庄市栾城区振头街道东营村三队8号", None),
        (f"正定县维明南大街{no(wm)}号", None),
        (f"张家口市桥西区中山西路{no(zs)}号", None),
        (f"河北省邢台市桥西区新华路{no(xh)}号", None),
        ("河北省石家庄市桥西区振头街道振头村3组15号", H("ZT", 3, 15)["code"]),
        (f"石家庄市桥西区中山西路{no(zs)}号", zs["code"]),
        (f"河北石家庄桥西区槐安西路{no(hs)}号", hs["code"]),
        (f"石门桥西区维明南大街{no(wm)}号", wm["code"]),
        ("桥西区汇通街道西三教村李家庄12号", H("XSJ", "李家庄", 12)["code"]),
        ("河北省石家庄市桥西区东营村三队8号", H("DY", 3, 8)["code"]),
        (f"石家庄桥西新华路{no(xh)}号", xh["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("中山西路", 1750, "L"), fb("维明南大街", 1400, "R")
    b4 = fb("新华路", 1850, "L")
    b5 = fb("中华南大街", 150, "L")
    absent("振头村3组99号")
    absent("维明花园9号楼")
    absent("德胜胡同7号")
    absent("柳庄村八组20号")
    for text, code in [
        (
            "No. 15, Group 3, Zhentou Village, Zhentou Subdistrict, Qiaoxi District, Shijiazhuang",
            H("ZT", 3, 15)["code"],
        ),
        (
            "No. 8, Team 3, Dongying Village, Zhentou Subdistrict, Qiaoxi District",
            H("DY", 3, 8)["code"],
        ),
        (
            "No. 12, Lijiazhuang, Xisanjiao Village, Huitong Subdistrict, Qiaoxi District,"
            " Shijiazhuang, Hebei",
            H("XSJ", "李家庄", 12)["code"],
        ),
        ("No. 36, Xiaoma Village, Huitong Subdistrict, Qiaoxi District", H("XMH", 0, 36)["code"]),
        ("No. 36, Xiaoma Village, Qiaoxi District, Shijiazhuang", None),
        ("Room 501, Unit 2, Building 3, Weiming Garden, Qiaoxi District, Shijiazhuang", "QXWMHYB3"),
        ("Room 302, Unit 1, Building 2, Yuxi Xiaoqu, Qiaoxi District, Shijiazhuang", "QXYXXQB2"),
        ("Building 5, Railway Dormitory, Ziqiang Road, Qiaoxi District", "QXTLSSB5"),
        ("Building 9, Weiming Garden, Qiaoxi District, Shijiazhuang", None),
        (f"No. {no(b1)}, Zhongshan West Road, Qiaoxi District, Shijiazhuang", b1["code"]),
        (f"No. {no(b2)} Weiming South Street, Qiaoxi District, Shijiazhuang, Hebei", b2["code"]),
        (f"No. {no(b1)}, Zhongshan West Road, Qiaoxi District, Zhangjiakou", None),
        (f"Hebei Sheng Shijiazhuang Shi Qiaoxi Qu Xinhua Lu {no(b4)} Hao", b4["code"]),
        ("Qiaoxi Qu Zhentou Jiedao Zhentou Cun 5 Zu 9 Hao", H("ZT", 5, 9)["code"]),
        ("501室，2单元，3号楼，维明花园，桥西区", "QXWMHYB3"),
        ("9号，三组，柳庄村，汇通街道，桥西区，石家庄市", H("LZ", 3, 9)["code"]),
        (f"{no(b5)}号，中华南大街，桥西区，石家庄", b5["code"]),
        ("No. 99, Group 3, Zhentou Village, Zhentou Subdistrict, Qiaoxi District", None),
        ("7号，德胜胡同，桥西区", None),
        ("No. 20, Group 8, Liuzhuang Village, Huitong Subdistrict, Qiaoxi District", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    zs1, zs2 = fb("中山西路", 150, "L"), fb("中山西路", 3450, "L")
    xh1, zq1 = fb("新华路", 100, "L"), fb("自强路", 50, "L")
    xl1, wm1 = fb("西里街", 1300, "L"), fb("维明南大街", 150, "L")
    yb1, hq1 = fb("友谊北大街", 1300, "R"), fb("红旗大街", 1300, "R")
    gn1, cj1 = fb("工农路", 1000, "L"), fb("城角街", 1000, "R")
    zh1, xs1 = fb("中华南大街", 150, "L"), fb("新石中路", 2900, "R")
    yh1, ha1 = fb("裕华西路", 5300, "L"), fb("槐安西路", 4500, "R")
    yn1, xe1 = fb("友谊南大街", 1350, "R"), fb("西二环", 1250, "R")
    gn66, wm81 = fb("工农路", 650, "R"), fb("维明南大街", 800, "L")
    xhy = fb("新华路", 2250, "R")
    for miss in [
        "中山西路999号",
        "新华路8号",
        "裕西小区9号楼",
        "铁路宿舍12号楼",
        "华药宿舍8号楼",
        "振头村3组99号",
        "东营村八队2号",
        "西三教村马家庄3号",
        "德胜胡同20号",
        "九中家属院6号楼",
        f"新华路{no(xhy)}号院8号楼",
        "柳庄村七组1号",
        f"维明南大街{no(wm81)}号附5号",
        f"工农路{no(gn66)}-3号",
        "北国商城",
        "万达广场",
        "石家庄市第二医院",
    ]:
        absent(miss)
    for text, code in [
        (zs1["address"], BLD(zs1["code"])),
        (f"中山西路{no(zs2)}号", BLD(zs2["code"])),
        (f"石家庄市桥西区新华路{no(xh1)}号", BLD(xh1["code"])),
        (f"河北省石家庄市桥西区自强路{no(zq1)}号", BLD(zq1["code"])),
        (f"桥西区中山路街道西里街{no(xl1)}号", BLD(xl1["code"], "中山路街道")),
        (f"桥西区维明街道维明社区维明南大街{no(wm1)}号", BLD(wm1["code"], "维明街道", "维明社区")),
        ("和平医院", BLD(code_of_alias("和平医院"))),
        ("石家庄站", BLD(code_of_alias("石家庄站"))),
        ("四十中", BLD(code_of_alias("四十中"))),
        ("石家庄市第四十一中学", BLD(code_of_alias("石家庄市第四十一中学"))),
        ("人民广场", BLD(code_of_alias("人民广场"))),
        ("北国超市友谊店", BLD(code_of_alias("北国超市友谊店"))),
        ("振头村委会", BLD(code_of_alias("振头村委会"))),
        ("汇通街道小马村村委会", BLD(code_of_alias("汇通街道小马村村委会"))),
        ("东里派出所", BLD(code_of_alias("东里派出所"))),
        ("建行维明支行", BLD(code_of_alias("建行维明支行"))),
        ("裕西小区3号楼", BLD("QXYXXQB3")),
        ("裕西小区3号楼2单元501室", BLD("QXYXXQB3")),
        ("裕西小区2-1-302", BLD("QXYXXQB2")),
        ("桥西区友谊街道裕西社区裕西小区4号楼", BLD("QXYXXQB4", "友谊街道", "裕西社区")),
        ("华药宿舍4号楼", BLD("QXHYSSB4")),
        ("华药宿舍3-2-501", BLD("QXHYSSB3")),
        ("华药宿舍二号楼二单元", BLD("QXHYSSB2")),
        ("铁路宿舍5号楼", BLD("QXTLSSB5")),
        ("铁路宿舍5号楼3单元", BLD("QXTLSSB5")),
        ("九中家属院2号楼", BLD("QXJZJSB2")),
        ("九中家属院三号楼", BLD("QXJZJSB3")),
        (f"新华路{no(xhy)}号院4号楼", BLD("QXJZJSB4")),
        ("维明花园1号楼1单元101室", BLD("QXWMHYB1")),
        (f"维明南大街{no(wm81)}号附1号", BLD(f"{wm81['code']}F1")),
        (f"桥西区工农路{no(gn66)}-1号", BLD(f"{gn66['code']}D1")),
        (f"工农路{no(gn66)}号", BLD(gn66["code"])),
        (f"维明南大街{str(no(b2)).translate(FULL)}号", BLD(b2["code"])),
        (f"桥西区 友谊北大街 {no(yb1)}号", BLD(yb1["code"])),
        (f"石家庄市·桥西区·中华南大街{no(zh1)}号", BLD(zh1["code"])),
        (f"桥西区、工农路{no(gn1)}号。", BLD(gn1["code"])),
        (f"（桥西区）城角街{no(cj1)}号", BLD(cj1["code"])),
        (f"{typo('维明南大街', '维名南大街')}{no(wm1)}号", BLD(wm1["code"])),
        (f"桥西区{typo('裕华西路', '玉华西路')}{no(yh1)}号", BLD(yh1["code"])),
        (f"{typo('槐安西路', '怀安西路')}{no(ha1)}号", BLD(ha1["code"])),
        (f"{typo('友谊南大街', '友宜南大街')}{no(yn1)}号", BLD(yn1["code"])),
        (f"桥西区{typo('新石中路', '新石忠路')}{no(xs1)}号", BLD(xs1["code"])),
        (f"{typo('红旗大街', '宏旗大街')}{no(hq1)}号", BLD(hq1["code"])),
        (f"{typo('河北省', '河北生')}石家庄市桥西区西二环{no(xe1)}号", BLD(xe1["code"])),
        (f"{typo('石家庄市', '石家桩市')}桥西区中山西路{no(zs2)}号", BLD(zs2["code"])),
        (f"河北省{typo('石家庄', '石加庄')}桥西区自强路{no(zq1)}号", BLD(zq1["code"])),
        (f"{typo('桥西区', '乔西区')}新华路{no(xh1)}号", BLD(xh1["code"])),
        ("桥西区振头街道振头村3组15号", BLD(H("ZT", 3, 15)["code"], "振头街道")),
        ("振头村五组9号", BLD(H("ZT", 5, 9)["code"])),
        ("东营村三队13号", BLD(H("DY", 3, 13)["code"])),
        ("东营村第一生产队6号", BLD(H("DY", 1, 6)["code"])),
        ("西三教村李家庄7号", BLD(H("XSJ", "李家庄", 7)["code"])),
        ("汇通街道柳庄村五组16号", BLD(H("LZ", 5, 16)["code"], "汇通街道")),
        ("振头街道宋营村33号", BLD(H("SY", 0, 33)["code"], "振头街道")),
        ("韩屯村102号", BLD(H("HT", 0, 102)["code"])),
        ("德胜胡同12号", BLD("QXDSHT12")),
        (f"长兴巷{no(fb('长兴巷', 200, 'R', 10))}号", BLD(fb("长兴巷", 200, "R", 10)["code"])),
        ("中山西路999号", BLD(None)),
        ("桥西区新华路8号", BLD(None)),
        ("裕西小区9号楼", BLD(None)),
        ("铁路宿舍12号楼", BLD(None)),
        ("华药宿舍8号楼3单元", BLD(None)),
        ("振头村3组99号", BLD(None)),
        ("东营村八队2号", BLD(None)),
        ("西三教村马家庄3号", BLD(None)),
        ("小马村36号", BLD(None)),
        (f"桥西区东里街道维明南大街{no(wm1)}号", WRONG(wm1["code"], "东里街道")),
        ("桥西区汇通街道振头村3组15号", WRONG(H("ZT", 3, 15)["code"], "汇通街道")),
        (f"桥西区中山路街道新石中路{no(xs1)}号", WRONG(xs1["code"], "中山路街道")),
        ("桥西区友谊街道友谊社区裕西小区4号楼", WRONG("QXYXXQB4", community="友谊社区")),
        ("汇通街道宋营村33号", WRONG(H("SY", 0, 33)["code"], "汇通街道")),
        ("北国商城", BLD(None)),
        ("万达广场", BLD(None)),
        ("石家庄市第二医院", BLD(None)),
        (f"维明南大街{no(wm81)}号附5号", BLD(None)),
        (f"工农路{no(gn66)}-3号", BLD(None)),
        ("德胜胡同20号", BLD(None)),
        ("九中家属院6号楼", BLD(None)),
        (f"新华路{no(xhy)}号院8号楼", BLD(None)),
        ("柳庄村七组1号", BLD(None)),
    ]:
        q(bq, text, code)
    return Q


# ---------------------------------------------------------------- output
def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all():
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
    specs = {}
    stats: Counter = Counter()
    words: Counter = Counter()
    for kind, text, spec in queries():
        if text in specs:
            raise SystemExit(f"duplicate query {text}")
        specs[text] = spec
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
    order = [
        "intersection",
        "landmark_offset",
        "near",
        "lane_alone",
        "group",
        "village",
        "other_county",
        "english_order",
        "building",
    ]
    for k in order:
        print(f"{k:16} n {stats[(k, True)] + stats[(k, False)]:3}  positive {stats[(k, True)]:3}")
    refuse = sum(v for (_k, pos), v in stats.items() if not pos)
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}")
    print(f"must refuse {refuse}")
    for word in sorted({wd for wd, _ in words}):
        pos = words[(word, True)]
        print(f"word {word}: n {pos + words[(word, False)]}, positive {pos}")
    return specs


# ---------------------------------------------------------------- reading the files back
def check(specs) -> None:
    """Read the written files back and check them against each other, in WGS-84."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in grids}
    parents = {f["properties"]["code"]: f["properties"]["parent_code"] for f in grids}
    for code, parent in parents.items():
        if parent is not None and parent not in levels:
            raise SystemExit(f"{code}: parent {parent} missing")
    micros = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids
        if f["properties"]["level"] == "micro"
    }
    tol = 2e-7  # degrees, about 2 cm: the coordinates are rounded to 1e-7
    held = {c: p.buffer(tol) for c, p in micros.items()}

    def holders(geom) -> list[str]:
        return [c for c, p in held.items() if p.contains(geom)]

    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    for code, r in rows.items():
        pt = Point(float(r["lon"]), float(r["lat"]))
        if r["micro_grid_code"] not in micros:
            raise SystemExit(f"{code}: unknown micro-grid {r['micro_grid_code']}")
        if holders(pt) != [r["micro_grid_code"]]:
            raise SystemExit(f"{code}: not in its micro-grid alone: {holders(pt)}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    if [f["properties"]["name"] for f in roads] != [r[0] for r in ROADS]:
        raise SystemExit("roads.geojson does not read back")
    n = 0
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        qr = json.loads(line)
        if set(qr) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"bad keys {qr}")
        spec = specs[qr["query"]]
        micro = qr["micro_grid"]
        if micro is not None and micro not in micros:
            raise SystemExit(f"{qr}: unknown micro-grid")
        if spec[0] == "bld":
            if qr["expected"] is None:
                if micro is not None:
                    raise SystemExit(f"{qr}: a refusal with a micro-grid")
                continue
            if rows[qr["expected"]]["micro_grid_code"] != micro:
                raise SystemExit(f"{qr}: expected building is not in the stated micro-grid")
            continue
        if qr["expected"] is not None:
            raise SystemExit(f"{qr}: a place query with a building")
        readings = [spec[2], spec[3]] if spec[0] == "two" else [spec]
        found = []
        for reading in readings:
            region = place_region(reading)
            if region is None or region.is_empty:
                found.append(None)
                continue
            hs = holders(shapely.transform(region, to_deg))
            found.append(hs[0] if len(hs) == 1 else None)
        want = found[0] if len(set(found)) == 1 else None
        if want != micro:
            raise SystemExit(f"{qr}: read back as {found}")
        n += 1
    print(f"check: {len(rows)} buildings, {n} place queries read back and agree")


if __name__ == "__main__":
    check(write_all())
