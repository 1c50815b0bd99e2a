"""Write the place-description evaluation district: 湖北省武汉市江岸区.

    python bench/data/place_jiangan/make_district.py

One grid tree in two parts: an urban core (一元、大智、车站、球场街道, with roads, 里分 and 小区)
and a peri-urban east (谌家矶街道, 后湖街道, with 行政村 whose houses are written by 组 —
`江岸区谌家矶街道刘家墩村3组15号` — or numbered across the village — `江岸区谌家矶街道新春村45号`).
The 街道, the urban road names, the 里分 names and the landmarks are 江岸区's; the codes, the
communities, the villages, door numbers, the landmarks' positions and all geometry are ours: a
layout in metres over a 6 km x 3 km box, put into WGS-84 around 汉口.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Words the rules do
not cover (斜对面, 那块, 边上, 过了红绿灯往前走N米, 路口过去一点, 拐弯那里, 走到头, 里头) get two
readings, a narrow and a wide one; such a query is positive only when both land in the same
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

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 114.2700, 30.5900  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def metres(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


def to_metres(coords):
    """An (n, 2) array of lon / lat as metres of the layout."""
    return (coords - [LON0, LAT0]) * [KX, KY]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("420102", "江岸区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, community (name, short name); one community each
STREETS = [
    ("420102001", "一元街道", (0, 0, 1200, 1500), ("天声街社区", "天声")),
    ("420102002", "大智街道", (1200, 0, 2400, 1500), ("吉庆社区", "吉庆")),
    ("420102003", "车站街道", (0, 1500, 1200, 3000), ("京汉社区", "京汉")),
    ("420102006", "球场街道", (1200, 1500, 2400, 3000), ("黄浦社区", "黄浦")),
]

# peri-urban streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar" / "zu_cn": six micro-grids named after the 组 (`刘家墩村3组`, `余家湾村三组`);
# "plain": six plain micro-grids; "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "420102012",
        "谌家矶街道",
        (2400, 1500, 6000, 3000),
        [
            ("刘家墩村", "LJD", "zu_ar"),
            ("堤角村", "DJ", "plain"),
            ("建设村", "JSC", "small"),
            ("新春村", "XC", "small"),
            ("先锋村", "XF", "small"),
        ],
    ),
    (
        "420102014",
        "后湖街道",
        (2400, 0, 6000, 1500),
        [
            ("余家湾村", "YJW", "zu_cn"),
            ("兴隆村", "XL", "plain"),
            ("建设村", "JSH", "small"),
            ("幸福村", "XFU", "small"),
            ("同心村", "TX", "small"),
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
MICRO_STREET: dict[str, str] = {}  # micro code -> 街道 name
MICRO_COMMUNITY: dict[str, str] = {}  # micro code -> 社区 / 村 name
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}  # village key -> box


def add_micro(code: str, name: str, parent: str, b, street: str, community: str) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name
    MICRO_STREET[code] = street
    MICRO_COMMUNITY[code] = community


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, (c_name, short) in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, _e, n = sb
        c_code = f"{s_code}001"
        FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(sb))))
        for gi in range(2):
            gs, gn = s + gi * 750, s + (gi + 1) * 750
            g_code = f"{c_code}{gi + 1:03d}"
            g_name = f"{short}第{gi + 1}网格"
            FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, gs, w + 1200, gn))))
            for mi in range(3):
                mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
                name = f"{g_name}{mi + 1}号微网格"
                add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, s_name, c_name)
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
                    name = f"{v_name}{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, t_name, v_name)
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
                    elif style == "zu_cn":
                        name = f"{v_name}{CN[m]}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, t_name, v_name)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
# Micro-grid borders: x every 400 m, y at 0 / 750 / 1500 / 2250 / 3000.
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("沿江大道", "arterial", [(0, 400), (2400, 400)]),
    ("中山大道", "arterial", [(0, 1000), (3400, 1000)]),
    ("解放大道", "arterial", [(0, 1500), (2400, 1500)]),
    ("胜利街", "secondary", [(0, 2000), (2400, 2000)]),
    ("建设大道", "arterial", [(0, 2700), (2400, 2700)]),
    ("一元路", "secondary", [(300, 0), (300, 1500)]),
    ("卢沟桥路", "secondary", [(800, 0), (800, 3000)]),
    ("车站路", "secondary", [(1200, 0), (1200, 3000)]),
    ("大智路", "secondary", [(1800, 0), (1800, 1500)]),
    ("三阳路", "secondary", [(1400, 1550), (1400, 2950)]),
    ("黄浦大街", "arterial", [(2400, 0), (2400, 3000)]),
    ("球场街", "branch", [(1700, 2150), (1700, 1850), (1950, 1850), (1950, 2150)]),
    # 里分 in the road file
    ("三德里", "branch", [(1100, 1000), (1100, 1350)]),
    ("坤厚里", "branch", [(500, 2000), (500, 2400)]),
    ("咸安坊", "branch", [(1400, 2550), (1580, 2550)]),
    ("同兴里", "branch", [(1300, 600), (1550, 600)]),
    ("泰兴里", "branch", [(2200, 1500), (2200, 1800)]),
    ("首善里", "branch", [(450, 550), (700, 550)]),
    # the peri-urban east
    ("后湖大道", "arterial", [(2400, 1500), (6000, 1500)]),
    ("金桥大道", "arterial", [(2400, 150), (6000, 150)]),
    ("谌家矶大道", "secondary", [(2400, 2600), (5800, 2600)]),
    ("堤角路", "secondary", [(4800, 0), (4800, 3000)]),
    ("兴业路", "secondary", [(3700, 1150), (4750, 1150)]),
    ("刘家墩路", "branch", [(3000, 1600), (3000, 2900)]),
    ("余家湾路", "branch", [(2600, 150), (2600, 600), (3300, 600)]),
    ("兴隆路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "江岸区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "沿江大道": "YJDD",
    "中山大道": "ZSDD",
    "解放大道": "JFDD",
    "胜利街": "SLJ",
    "建设大道": "JSDD",
    "一元路": "YYL",
    "卢沟桥路": "LGQL",
    "车站路": "CZL",
    "大智路": "DZL",
    "三阳路": "SYL",
    "黄浦大街": "HPDJ",
    "球场街": "QCJ",
    "三德里": "SDL",
    "坤厚里": "KHL",
    "咸安坊": "XAF",
    "同兴里": "TXL",
    "泰兴里": "TXL2",
    "首善里": "SSL",
    "谌家矶大道": "CJJDD",
    "兴业路": "XYL",
    "金桥大道": "JQDD",
    "德润里": "DRL",
    "大陆坊": "DLF",
    "汉润里": "HRL",
    "义品里": "YPL",
    "辅堂里": "FTL",
}
# door numbers start above these (the roads are long; 汉口's numbers run high)
BASE = {"沿江大道": 100, "中山大道": 1000, "解放大道": 1400, "胜利街": 100, "建设大道": 500}


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


def door(road: str, s: float, side: str, step: float = 20.0) -> int:
    return BASE.get(road, 0) + 2 * int(s // step) + (1 if side == "L" else 2)


def frontage(road: str, items, prefix=CITY, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(road, s, side, step)
        x, y = on_road(road, s, side)
        add(f"JA{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"JA{CODE_KEY[road]}{door(road, s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 里分 known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"JA{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 栋 of a 小区: `江岸区三阳路82号三阳小区2栋`, alias `三阳小区2栋` / `三阳小区2号楼`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{address}{name}{k}栋",
            x,
            y,
            [f"{name}{k}栋", f"{name}{k}号楼"],
            compound=name,
        )


def attached(road: str, s: float, side: str, sub: int, ds: float, dash: bool = False):
    """A door under a door: `胜利街231号附3号` (附) or `大智路66-1号` (dash)."""
    parent = fb(road, s, side)
    x, y = on_road(road, s + ds, side)
    n = parent["n"]
    if dash:
        code, text = f"{parent['code']}D{sub}", f"{CITY}{road}{n}-{sub}号"
    else:
        code, text = f"{parent['code']}F{sub}", f"{CITY}{road}{n}号附{sub}号"
    return add(code, text, x, y, road=road, n=n, sub=sub)


STREET_OF = {
    "LJD": "谌家矶街道",
    "DJ": "谌家矶街道",
    "JSC": "谌家矶街道",
    "XC": "谌家矶街道",
    "XF": "谌家矶街道",
    "YJW": "后湖街道",
    "XL": "后湖街道",
    "JSH": "后湖街道",
    "XFU": "后湖街道",
    "TX": "后湖街道",
}
VILLAGE_OF = {
    "LJD": "刘家墩村",
    "DJ": "堤角村",
    "JSC": "建设村",
    "XC": "新春村",
    "XF": "先锋村",
    "YJW": "余家湾村",
    "XL": "兴隆村",
    "JSH": "建设村",
    "XFU": "幸福村",
    "TX": "同心村",
}
ZU_STYLE = {"LJD": "ar", "DJ": "cn", "YJW": "ar", "XL": "ar"}
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
        address = f"{CITY}{STREET_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"JA{key}{zu or 0:02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=STREET_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "沿江大道",
        [
            (150, "L", []),
            (600, "R", []),
            (1000, "L", ["武汉天地"]),
            (1530, "R", ["招商银行沿江大道支行", "招行沿江支行"]),
            (1900, "L", []),
            (2200, "L", ["惠济家园南门", "惠济家园"]),
            (2300, "R", []),
        ],
    )
    frontage(
        "中山大道",
        [
            (100, "L", []),
            (550, "R", ["一元派出所"]),
            (900, "L", ["武汉市中心医院", "市中心医院", "中心医院"]),
            (1450, "R", ["中国工商银行大智支行", "工行大智支行"]),
            (1650, "L", []),
            (2100, "R", ["江岸区人民政府", "江岸区政府"]),
            (2300, "L", []),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "解放大道",
        [
            (200, "L", ["二七纪念馆"]),
            (700, "R", []),
            (1500, "R", ["建设银行解放大道支行", "建行解放大道支行"]),
            (2300, "R", []),
        ],
    )
    frontage(
        "胜利街",
        [
            (100, "L", []),
            (300, "R", ["胜利街菜场"]),
            (650, "L", ["八七会议会址", "八七会议旧址"]),
            (1000, "R", ["车站派出所"]),
            (1300, "L", []),
            (1530, "R", ["黄浦社区卫生服务中心"]),
            (1800, "R", []),
            (2250, "L", ["中国银行胜利街支行", "中行胜利街支行"]),
        ],
    )
    frontage(
        "建设大道",
        [
            (200, "L", ["武汉市育才小学", "育才小学"]),
            (600, "R", []),
            (1000, "L", ["江岸区妇幼保健院"]),
            (1700, "R", ["球场花园", "球场花园大门"]),
            (2200, "L", []),
        ],
    )
    frontage("一元路", [(200, "R", []), (650, "L", ["一元路小学"]), (1200, "R", [])])
    frontage(
        "卢沟桥路",
        [(300, "L", []), (900, "R", ["工行卢沟桥路支行"]), (1800, "L", []), (2500, "R", [])],
    )
    frontage(
        "车站路",
        [
            (400, "R", ["大智门火车站", "大智门火车站旧址", "京汉铁路大智门车站"]),
            (1200, "L", []),
            (2100, "R", []),
            (2600, "L", ["江岸区图书馆"]),
        ],
    )
    frontage(
        "大智路",
        [
            (200, "L", ["大智派出所"]),
            (650, "R", []),
            (1250, "L", ["邮政储蓄银行大智路支行", "邮储大智路支行"]),
        ],
    )
    frontage(
        "三阳路",
        [(100, "L", ["球场派出所"]), (800, "R", ["三阳小区", "三阳小区大门"]), (1250, "L", [])],
    )
    frontage(
        "黄浦大街",
        [
            (500, "L", []),
            (700, "L", ["惠济家园东门"]),
            (1100, "R", ["黄浦大街加油站"]),
            (1900, "L", ["武汉市第二中学", "武汉二中"]),
            (2800, "R", []),
        ],
    )
    frontage("球场街", [(425, "R", ["球场街菜市场"])])
    # doors under doors: 附N号 and N-1号
    attached("胜利街", 1300, "L", 1, 6.0)
    attached("胜利街", 1300, "L", 3, 12.0)
    attached("中山大道", 100, "L", 5, 8.0)
    attached("大智路", 650, "R", 1, 10.0, dash=True)
    # 里分 of the road file
    frontage("三德里", [(60, "L", []), (220, "R", [])], step=10)
    frontage("坤厚里", [(120, "L", []), (300, "R", [])], step=10)
    frontage("咸安坊", [(40, "L", []), (150, "R", [])], step=10)
    frontage("同兴里", [(50, "L", []), (200, "R", [])], step=10)
    frontage("泰兴里", [(60, "L", []), (220, "R", [])], step=10)
    frontage("首善里", [(40, "R", []), (200, "L", [])], step=10)
    # 里分 in no road file
    lane_houses("德润里", [(3, 1000, 2450), (8, 1040, 2462), (11, 1080, 2450)])
    lane_houses("大陆坊", [(2, 1500, 1200), (5, 1512, 1250), (9, 1500, 1300)])
    lane_houses("汉润里", [(4, 2150, 2400), (7, 2160, 2460), (12, 2150, 2520)])
    lane_houses("义品里", [(1, 600, 1200), (6, 650, 1212)])
    lane_houses("辅堂里", [(2, 1170, 1700), (5, 1230, 1700), (8, 1240, 1760)])
    # 小区: a gate door with the 小区's name, and its 栋
    sy = door("三阳路", 800, "R")
    compound(
        f"三阳路{sy}号",
        "三阳小区",
        "JASYXQ",
        [(1460, 2310), (1530, 2310), (1460, 2380), (1530, 2380)],
    )
    qc = door("建设大道", 1700, "R")
    compound(
        f"建设大道{qc}号",
        "球场花园",
        "JAQCHY",
        [(1680, 2600), (1760, 2600), (1840, 2600), (1680, 2520), (1760, 2520)],
    )
    hj = door("沿江大道", 2200, "L")
    compound(
        f"沿江大道{hj}号",
        "惠济家园",
        "JAHJJY",
        [(2150, 530), (2250, 530), (2150, 610), (2250, 610)],
    )
    # the peri-urban streets' main roads
    frontage(
        "谌家矶大道",
        [
            (300, "L", []),
            (900, "R", ["谌家矶街道社区卫生服务中心", "谌家矶卫生服务中心"]),
            (1400, "L", ["谌家矶中学"]),
            (1900, "R", ["邮政储蓄银行谌家矶支行", "邮储谌家矶支行"]),
            (2300, "L", ["谌家矶派出所"]),
            (2650, "R", ["谌家矶街道办事处"]),
        ],
        prefix=CITY + "谌家矶街道",
    )
    frontage(
        "兴业路",
        [
            (100, "L", ["后湖街道社区卫生服务中心", "后湖卫生服务中心"]),
            (400, "R", ["后湖派出所"]),
            (600, "L", ["武汉农村商业银行后湖支行", "后湖农商行"]),
            (900, "R", ["后湖中学"]),
        ],
        prefix=CITY + "后湖街道",
    )
    frontage("金桥大道", [(500, "L", ["金桥大道加油站"]), (2100, "R", [])])
    # 谌家矶街道: 刘家墩村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    al = {4: ["刘家墩村委会", "刘家墩村村委会"]}
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        rural_houses("LJD", zu, c("LJD", zu), nums, al if zu == 2 else None)
    # 堤角村 (plain micro-grids; 三组 lies across two)
    rural_houses("DJ", 1, c("DJ", 1), [2, 6, 9])
    rural_houses("DJ", 2, c("DJ", 2), [1, 5, 12])
    rural_houses("DJ", 3, (4400, 1900), [3, 7, 14])
    rural_houses("DJ", 4, c("DJ", 4), [4, 8, 16], {8: ["堤角村委会"]})
    rural_houses("DJ", 5, c("DJ", 5), [2, 10])
    rural_houses("DJ", 6, c("DJ", 6), [5, 11, 17])
    # 后湖街道: 余家湾村 (一组 … 六组, micro-grids named after them; addresses `余家湾村3组`)
    for zu in range(1, 7):
        al = {7: ["余家湾村委会", "余家湾村村委会"]} if zu == 5 else None
        rural_houses("YJW", zu, c("YJW", zu), [1, 7, 12] if zu in (2, 5) else [4, 9], al)
    # 兴隆村 (plain micro-grids; 4组 lies across two)
    rural_houses("XL", 1, c("XL", 1), [3, 6, 11])
    rural_houses("XL", 2, c("XL", 2), [2, 8])
    rural_houses("XL", 3, c("XL", 3), [5, 9, 13], {9: ["兴隆村委会"]})
    rural_houses("XL", 4, (4000, 1100), [1, 4, 10])
    rural_houses("XL", 5, (4250, 1320), [7, 12])
    rural_houses("XL", 6, c("XL", 6), [2, 6])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("JSC", None, (5000, 1875), [12, 28, 58, 103])
    rural_houses("XC", None, (5400, 2400), [6, 21, 45, 88, 131], {21: ["新春村卫生室"]})
    rural_houses("XF", None, (5800, 1900), [7, 33, 70])
    rural_houses("JSH", None, (5000, 500), [9, 28, 64, 117])
    rural_houses("XFU", None, (5400, 1100), [15, 52, 96, 128, 143], {52: ["幸福村村委会"]})
    rural_houses("TX", None, (5800, 350), [3, 18, 40, 77])


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


def street_of(b: dict) -> str:
    return MICRO_STREET[micro_of_point(b["x"], b["y"])]


def community_of(b: dict) -> str:
    return MICRO_COMMUNITY[micro_of_point(b["x"], b["y"])]


# ---------------------------------------------------------------- places
R_CROSS = 30.0  # a crossing without a corner: every point within 30 m
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近 / 周边: every point within 50 m
LATERAL = 20.0  # an offset says nothing about the side: 20 m either way
DIRS = {"东": (1, 0), "西": (-1, 0), "南": (0, -1), "北": (0, 1)}
CORNERS = {"东北": (1, 1), "西北": (-1, 1), "东南": (1, -1), "西南": (-1, -1)}

# the words the rules do not cover: (narrow, wide) as the README's table says
R_WIDE_NEAR = 100.0  # 斜对面 / 边上, wide
NAKUAI_MORE = 100.0  # 那块: the place itself (narrow), 100 m more (wide)
BEND = (20.0, 60.0)  # 拐弯那里
END = (15.0, 60.0, 30.0)  # 走到头: narrow disc; wide last stretch and disc
INSIDE_WIDE = 20.0  # 里头, wide: the whole line 20 m either side
PAST = ((10.0, 50.0, 20.0), (0.0, 100.0, 30.0))  # 路口过去一点: (lo, hi, lateral)


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


def runs_along(road: str, o: Point, d: str) -> bool:
    """The road passes the point o in the direction d (both ways along it)."""
    ux, uy = DIRS[d]
    line = ROAD[road]
    s = line.project(o)
    a = line.interpolate(max(s - 1, 0))
    b = line.interpolate(min(s + 1, line.length))
    dx, dy = b.x - a.x, b.y - a.y
    return abs(dx * ux + dy * uy) > 0.99 * math.hypot(dx, dy)


def dead_end(lane: str) -> Point | None:
    """The one end of a lane that touches no other road, or None (both or neither)."""
    line = ROAD[lane]
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    others = [ROAD[r] for r in ROAD if r != lane]
    free = [p for p in ends if all(o.distance(p) > 5 for o in others)]
    return free[0] if len(free) == 1 else None


def place_region(spec):
    """The region a place query means under the rules, or None when it means nothing."""
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
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def readings(spec):
    """(narrow, wide) regions of a place query; the same region twice when the rules cover it."""
    kind = spec[0]
    if kind != "word":
        r = place_region(spec)
        return r, r
    _, _word, how, arg = spec
    if how == "disc":  # 斜对面 / 边上: 50 m and 100 m around the landmark
        if not arg:
            return None, None
        pts = [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]) for c in arg]
        return (
            unary_union([p.buffer(R_NEAR) for p in pts]),
            unary_union([p.buffer(R_WIDE_NEAR) for p in pts]),
        )
    if how == "more":  # 那块: the place itself, and 100 m more
        r = place_region(arg)
        if r is None or r.is_empty:
            return None, None
        return r, r.buffer(NAKUAI_MORE)
    if how == "walk":  # 沿A往d，过了B的红绿灯往前走N米: (A, B, d, N, how)
        a, b, d, dist, tol = arg
        pts = crossings(a, b)
        if len(pts) != 1:
            return None, None
        o = pts[0]
        if not runs_along(a, o, d):
            raise SystemExit(f"{a} does not run {d} at {b}")
        lo, hi = tolerance(dist, tol)
        return band(o, d, lo, hi), band(o, d, R_CROSS + 0.5 * dist, R_CROSS + 1.5 * dist, 30)
    if how == "past":  # A、B路口往d过去一点: (A, B, d)
        a, b, d = arg
        pts = crossings(a, b)
        if len(pts) != 1:
            return None, None
        o = pts[0]
        (lo1, hi1, w1), (lo2, hi2, w2) = PAST
        return band(o, d, lo1, hi1, w1), band(o, d, lo2, hi2, w2)
    if how == "bend":  # A拐弯那里: every bend of the road
        coords = list(ROAD[arg].coords)[1:-1]
        if not coords:
            return None, None
        pts = [Point(p) for p in coords]
        return (
            unary_union([p.buffer(BEND[0]) for p in pts]),
            unary_union([p.buffer(BEND[1]) for p in pts]),
        )
    if how == "end":  # 里分走到头: its dead end
        if arg not in ROAD:
            return None, None
        p = dead_end(arg)
        if p is None:
            return None, None
        line = ROAD[arg]
        s = line.project(p)
        last = substring(line, max(s - END[1], 0), min(s + END[1], line.length))
        return p.buffer(END[0]), unary_union([last, p.buffer(END[2])])
    if how == "inside":  # 里分里头: the lane (narrow); its whole line 20 m wide (wide)
        narrow = place_region(("lane", arg))
        if narrow is None:
            return None, None
        parts = [Point(b["x"], b["y"]) for b in houses(road=arg)]
        if arg in ROAD:
            parts.append(ROAD[arg].buffer(INSIDE_WIDE))
        return narrow, unary_union(parts)
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    narrow, wide = readings(spec)
    if narrow is None or narrow.is_empty:
        return None, None
    m1, m2 = micro_of_region(narrow), micro_of_region(wide)
    return None, (m1 if m1 == m2 else None)


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


def compound_codes(name: str, gates: list[str]) -> list[str]:
    own = [b["code"] for b in BUILDINGS if b.get("compound") == name]
    return own + [code_of_alias(g) for g in gates]


def NEAR_COMPOUND(name: str, gates: list[str]):
    return ("near", compound_codes(name, gates))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def WORD(word, how, arg):
    return ("word", word, how, arg)


def XIE(*aliases):  # 斜对面
    return WORD("斜对面", "disc", [code_of_alias(a) for a in aliases])


def BIAN(*aliases):  # 边上
    return WORD("边上", "disc", [code_of_alias(a) for a in aliases])


def NAKUAI(spec):  # 那块 / 那一块
    return WORD("那块", "more", spec)


def WALK(a, b, d, dist, how="about"):  # 沿a往d，过了b的红绿灯往前走dist米
    return WORD("过了红绿灯往前走N米", "walk", (a, b, d, dist, how))


def PASTX(a, b, d):  # a、b路口往d过去一点
    return WORD("路口过去一点", "past", (a, b, d))


def BENDQ(road):  # 拐弯那里
    return WORD("拐弯那里", "bend", road)


def ENDQ(lane):  # 走到头
    return WORD("走到头", "end", lane)


def INSIDE(lane):  # 里头
    return WORD("里头", "inside", lane)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"JA{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def in_street(b: dict, street: str, community: str | None = None) -> dict:
    """The building stands in that 街道 (and 社区): the query names it rightly."""
    if street_of(b) != street or (community and community_of(b) != community):
        raise SystemExit(f"{b['address']} is not in {street} {community or ''}")
    return b


def not_in_street(b: dict, street: str) -> dict:
    if street_of(b) == street:
        raise SystemExit(f"{b['address']} is in {street}")
    return b


FW = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_number(n: int) -> str:
    """Chinese numerals as written in addresses: 231 -> 二百三十一, 15 -> 十五."""
    if n >= 10000 or n <= 0:
        raise SystemExit(n)
    digits = [int(d) for d in str(n)]
    units = ["千", "百", "十", ""][4 - len(digits) :]
    out = ""
    zero = False
    for d, u in zip(digits, units, strict=True):
        if d == 0:
            zero = True
            continue
        if zero and out:
            out += "零"
        zero = False
        out += CN[d] + u
    if out.startswith("一十"):
        out = out[1:]
    return out


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "胜利街与三阳路交叉口有人占道经营", X("胜利街", "三阳路"))
    q(x, "三阳路胜利街路口西北角井盖没了", X("三阳路", "胜利街", "西北"))
    q(
        x,
        "胜利街、三阳路路口往西300米有个大坑",
        X("胜利街", "三阳路", None, ("西", 300, "exact")),
    )
    q(x, "中山大道与一元路交叉口积水严重", X("中山大道", "一元路"))
    q(x, "一元路和解放大道交叉口红绿灯坏了", X("一元路", "解放大道"))
    q(x, "一元路解放大道路口西北角有人摆摊", X("一元路", "解放大道", "西北"))
    q(x, "卢沟桥路与胜利街交叉口渣土车撒漏", X("卢沟桥路", "胜利街"))
    q(x, "卢沟桥路胜利街交叉口东北角共享单车乱放", X("卢沟桥路", "胜利街", "东北"))
    q(x, "中山大道车站路路口东南角垃圾桶满了", X("中山大道", "车站路", "东南"))
    q(x, "车站路与胜利街交叉口路灯不亮", X("车站路", "胜利街"))
    q(
        x,
        "胜利街、车站路路口往东30米有人烧纸",
        X("胜利街", "车站路", None, ("东", 30, "exact")),
    )
    q(x, "大智路与中山大道交叉口车辆乱停", X("大智路", "中山大道"))
    q(
        x,
        "大智路、中山大道路口往北200米护栏倒了",
        X("大智路", "中山大道", None, ("北", 200, "exact")),
    )
    q(x, "大智路与解放大道交叉口有个坑", X("大智路", "解放大道"))
    q(x, "大智路解放大道交叉口东北角有人卖水果占道", X("大智路", "解放大道", "东北"))
    q(x, "沿江大道和中山大道交叉口有人乱扔垃圾", X("沿江大道", "中山大道"))
    q(x, "三阳路与解放大道交叉口晚上没有路灯", X("三阳路", "解放大道"))
    q(x, "球场街与胜利街交叉口井盖松动", X("球场街", "胜利街"))
    q(x, "黄浦大街与中山大道交叉口东北角有人倒垃圾", X("黄浦大街", "中山大道", "东北"))
    q(x, "黄浦大街胜利街交叉口西南角有流浪狗", X("黄浦大街", "胜利街", "西南"))
    q(x, "黄浦大街与胜利街十字路口信号灯故障", X("黄浦大街", "胜利街"))
    q(x, "谌家矶大道与刘家墩路交叉口有人晒谷子占道", X("谌家矶大道", "刘家墩路"))
    q(x, "谌家矶大道堤角路交叉口西南角堆了建筑垃圾", X("谌家矶大道", "堤角路", "西南"))
    q(x, "后湖大道与刘家墩路交叉口有坑", X("后湖大道", "刘家墩路"))
    q(x, "金桥大道与余家湾路交叉口有人焚烧秸秆", X("金桥大道", "余家湾路"))
    q(x, "兴业路与堤角路交叉口有人摆摊", X("兴业路", "堤角路"))
    q(x, "后湖大道堤角路交叉口东北角有人卖菜占道", X("后湖大道", "堤角路", "东北"))
    q(x, "余家湾路与中山大道交叉口积水", X("余家湾路", "中山大道"))
    q(x, "球场街拐弯那里有人乱扔垃圾", BENDQ("球场街"))
    q(x, "余家湾路拐弯那里路灯不亮", BENDQ("余家湾路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "武汉天地往东走了三百来米有人占道", OFF(A("武汉天地"), "东", 300, "about"))
    q(
        o,
        "武汉天地向西200米路北有人摆摊",
        OFF(A("武汉天地"), "西", 200, side=("沿江大道", "北")),
    )
    q(o, "八七会议会址往北约300米有人私搭乱建", OFF(A("八七会议会址"), "北", 300, "about"))
    q(o, "八七会议会址往东走了两百来米，有个井盖没了", OFF(A("八七会议会址"), "东", 200, "about"))
    q(
        o,
        "中心医院往东约200米路北有车辆违停",
        OFF(A("中心医院"), "东", 200, "about", ("中山大道", "北")),
    )
    q(o, "大智门火车站往东走了三百来米有人烧垃圾", OFF(A("大智门火车站"), "东", 300, "about"))
    q(
        o,
        "大智门火车站往北200米路西人行道被占",
        OFF(A("大智门火车站"), "北", 200, side=("车站路", "西")),
    )
    q(o, "二七纪念馆往北约300米有人遛狗不牵绳", OFF(A("二七纪念馆"), "北", 300, "about"))
    q(
        o,
        "工行大智支行往东100米路南井盖缺失",
        OFF(A("工行大智支行"), "东", 100, side=("中山大道", "南")),
    )
    q(o, "江岸区政府往北约500米有人占道卖菜", OFF(A("江岸区政府"), "北", 500, "about"))
    q(o, "江岸区政府往东900米有人私挖鱼塘", OFF(A("江岸区政府"), "东", 900))
    q(o, "球场派出所往北走了三百来米，路灯杆歪了", OFF(A("球场派出所"), "北", 300, "about"))
    q(o, "育才小学往东约200米有人乱贴小广告", OFF(A("育才小学"), "东", 200, "about"))
    q(o, "谌家矶派出所往东400米路面塌陷", OFF(A("谌家矶派出所"), "东", 400))
    q(o, "后湖派出所往南大约300米有人私挖鱼塘", OFF(A("后湖派出所"), "南", 300, "about"))
    q(o, "金桥大道加油站往南1公里有人电鱼", OFF(A("金桥大道加油站"), "南", 1000))
    q(
        o,
        "胜利街与三阳路交叉口往东150米路北，商户占道",
        OFF(XO("胜利街", "三阳路"), "东", 150, side=("胜利街", "北")),
    )
    q(
        o,
        "谌家矶大道与刘家墩路交叉口以东约400米路南有垃圾堆",
        OFF(XO("谌家矶大道", "刘家墩路"), "东", 400, "about", ("谌家矶大道", "南")),
    )
    q(o, "二七纪念馆往东200米有人占道卖菜", OFF(A("二七纪念馆"), "东", 200))
    q(o, "江汉关往北200米有人占道", OFF(("none",), "北", 200))
    q(o, "协和医院往东走了一百来米有人摆摊", OFF(("none",), "东", 100, "about"))
    q(
        o,
        "沿胜利街往东走，过了三阳路的红绿灯往前走一百来米，路边有个大坑",
        WALK("胜利街", "三阳路", "东", 100),
    )
    q(
        o,
        "沿中山大道往东，过了车站路红绿灯再走两百来米，有人占道卖菜",
        WALK("中山大道", "车站路", "东", 200),
    )
    q(
        o,
        "顺着大智路往北，过了中山大道的红绿灯往前走三百来米有个井盖没盖",
        WALK("大智路", "中山大道", "北", 300),
    )
    q(
        o,
        "沿胜利街往东，过了三阳路红绿灯往前走两百来米有人烧纸",
        WALK("胜利街", "三阳路", "东", 200),
    )
    q(
        o,
        "沿大智路往南，过了中山大道红绿灯往前走两百来米，路边停了辆僵尸车",
        WALK("大智路", "中山大道", "南", 200),
    )
    q(o, "胜利街三阳路路口往东过去一点有人占道", PASTX("胜利街", "三阳路", "东"))
    q(o, "车站路中山大道路口往北过去一点有个坑", PASTX("车站路", "中山大道", "北"))
    q(o, "大智路沿江大道路口往北过去一点路灯不亮", PASTX("大智路", "沿江大道", "北"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "武汉天地门口有人乱停车", NEAR("武汉天地"))
    q(n, "武汉天地斜对面有人占道卖水果", XIE("武汉天地"))
    q(n, "八七会议会址旁边有个井盖缺失", NEAR("八七会议会址"))
    q(n, "八七会议旧址斜对面的人行道被占了", XIE("八七会议旧址"))
    q(n, "招行沿江支行斜对面有人卖水果", XIE("招行沿江支行"))
    q(n, "市中心医院对面有人发小广告", NEAR("市中心医院"))
    q(n, "中心医院那块晚上有人烧纸", NAKUAI(NEAR("中心医院")))
    q(n, "大智门火车站旁边有人卖假货", NEAR("大智门火车站"))
    q(n, "二七纪念馆门口有人摆摊", NEAR("二七纪念馆"))
    q(n, "工行大智支行门口有垃圾", NEAR("工行大智支行"))
    q(n, "三阳小区周边夜里广场舞声音大", NEAR_COMPOUND("三阳小区", ["三阳小区"]))
    q(n, "三阳小区那一块经常停电", NAKUAI(NEAR_COMPOUND("三阳小区", ["三阳小区"])))
    q(
        n,
        "惠济家园周边施工扰民",
        NEAR_COMPOUND("惠济家园", ["惠济家园南门", "惠济家园东门"]),
    )
    q(n, "惠济家园南门旁边堆满了杂物", NEAR("惠济家园南门"))
    q(n, "球场花园附近施工扰民", NEAR_COMPOUND("球场花园", ["球场花园"]))
    q(n, "育才小学门口有流动摊贩，影响学生上学", NEAR("育才小学"))
    q(n, "江岸区图书馆隔壁在装修，噪音大", NEAR("江岸区图书馆"))
    q(n, "黄浦大街加油站旁边有人卖散装汽油", NEAR("黄浦大街加油站"))
    q(n, "谌家矶派出所附近有人打架", NEAR("谌家矶派出所"))
    q(n, "谌家矶街道办事处边上有人焚烧垃圾", BIAN("谌家矶街道办事处"))
    q(n, "球场街菜市场边上污水横流", BIAN("球场街菜市场"))
    q(n, "黄浦社区卫生服务中心边上有人乱停车", BIAN("黄浦社区卫生服务中心"))
    q(n, "刘家墩村委会旁边有人焚烧垃圾", NEAR("刘家墩村委会"))
    q(n, "新春村卫生室附近有个水塘没有护栏", NEAR("新春村卫生室"))
    q(n, "江汉关旁边有人乱停车", ("near", []))
    q(n, "协和医院门口有人倒卖号子", ("near", []))
    q(n, "江岸区第三人民医院门口有人乱停车", ("near", []))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("三德里路灯坏了好几天了", "三德里"),
        ("来电人反映坤厚里有车辆长期占道", "坤厚里"),
        ("咸安坊下水道堵了，污水漫到路上", "咸安坊"),
        ("泰兴里的路面坑坑洼洼", "泰兴里"),
        ("首善里垃圾几天没人收", "首善里"),
        ("德润里有人半夜装修", "德润里"),
        ("市民称大陆坊里面电线乱拉", "大陆坊"),
        ("汉润里化粪池满了往外冒", "汉润里"),
        ("辅堂里路面结冰，老人出行困难", "辅堂里"),
        ("崇正里有人半夜施工", "崇正里"),
        ("联保里路灯不亮", "联保里"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "三德里里头有人养鸡，味道很大", INSIDE("三德里"))
    q(la, "泰兴里里头电线乱拉", INSIDE("泰兴里"))
    q(la, "坤厚里走到头有个化粪池冒水", ENDQ("坤厚里"))
    q(la, "咸安坊走到头堆满了杂物", ENDQ("咸安坊"))
    q(la, "泰兴里走到头那个垃圾站臭得很", ENDQ("泰兴里"))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "刘家墩村3组有人焚烧秸秆", ZU("刘家墩村", 3))
    q(g, "刘家墩村五组有人在田边烧垃圾", ZU("刘家墩村", 5))
    q(g, "谌家矶街道刘家墩村第一村民小组有人违建", ZU("刘家墩村", 1, "谌家矶街道"))
    q(g, "江岸区谌家矶街道刘家墩村6组自来水停了", ZU("刘家墩村", 6, "谌家矶街道"))
    q(g, "谌家矶刘家墩村2组有人乱倒垃圾", ZU("刘家墩村", 2, "谌家矶街道"))
    q(g, "堤角村二组路灯不亮", ZU("堤角村", 2))
    q(g, "堤角村4组有人私挖鱼塘", ZU("堤角村", 4))
    q(g, "堤角村第6村民小组有人偷倒建筑垃圾", ZU("堤角村", 6))
    q(g, "堤角村三组垃圾没人收", ZU("堤角村", 3))
    q(g, "余家湾村1组有人放养的狗咬人", ZU("余家湾村", 1))
    q(g, "余家湾村三组排水渠堵塞", ZU("余家湾村", 3))
    q(g, "后湖街道余家湾村5组有人私搭乱建", ZU("余家湾村", 5, "后湖街道"))
    q(g, "兴隆村一组有人在河边洗车", ZU("兴隆村", 1))
    q(g, "兴隆村四组有人焚烧垃圾", ZU("兴隆村", 4))
    q(g, "刘家墩村八组有人烧秸秆", ZU("刘家墩村", 8))
    q(g, "后湖街道刘家墩村2组有人违建", ZU("刘家墩村", 2, "后湖街道"))
    q(g, "建设村2组有人私拉电线", ZU("建设村", 2))
    q(g, "余家湾村3组那块有人养猪，臭得很", NAKUAI(ZU("余家湾村", 3)))
    q(g, "兴隆村5组那一块有人烧荒", NAKUAI(ZU("兴隆村", 5)))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "新春村有人烧秸秆，烟很大", VIL("新春村"))
    q(v, "谌家矶街道新春村路灯不亮", VIL("新春村", "谌家矶街道"))
    q(v, "先锋村有人私拉电网捕鱼", VIL("先锋村"))
    q(v, "同心村自来水停了", VIL("同心村"))
    q(v, "江岸区后湖街道同心村有人占用耕地建房", VIL("同心村", "后湖街道"))
    q(v, "谌家矶街道建设村有人焚烧垃圾", VIL("建设村", "谌家矶街道"))
    q(v, "后湖建设村路面塌陷", VIL("建设村", "后湖街道"))
    q(v, "建设村有人私建猪圈", VIL("建设村"))
    q(v, "刘家墩村垃圾堆放", VIL("刘家墩村"))
    q(v, "余家湾村有人电鱼", VIL("余家湾村"))
    q(v, "谌家矶街道幸福村有人焚烧秸秆", VIL("幸福村", "谌家矶街道"))
    q(v, "丰收村有人烧荒", VIL("丰收村"))
    q(v, "先锋村那块有人偷砍树", NAKUAI(VIL("先锋村")))
    q(v, "幸福村那一块晚上有人电鱼", NAKUAI(VIL("幸福村")))

    # --- other_county (武汉's other districts, or another city, in front) -----------------
    oc = "other_county"
    zs, jf = fb("中山大道", 1650, "L"), fb("解放大道", 700, "R")
    sl, yj = fb("胜利街", 100, "L"), fb("沿江大道", 600, "R")
    for text, code in [
        (f"江汉区中山大道{no(zs)}号", None),
        (f"武汉市硚口区解放大道{no(jf)}号", None),
        ("汉阳区谌家矶街道刘家墩村3组15号", None),
        (f"湖北省武汉市武昌区沿江大道{no(yj)}号", None),
        ("黄陂区后湖街道余家湾村2组7号", None),
        ("武汉市新洲区谌家矶街道新春村45号", None),
        (f"湖北省孝感市江岸区胜利街{no(sl)}号", None),
        (f"武汉市江岸区中山大道{no(zs)}号", zs["code"]),
        (f"江岸区解放大道{no(jf)}号", jf["code"]),
        ("湖北省武汉市江岸区谌家矶街道刘家墩村3组15号", H("LJD", 3, 15)["code"]),
        (f"武汉市江岸区沿江大道{no(yj)}号", yj["code"]),
        ("江岸区后湖街道余家湾村2组7号", H("YJW", 2, 7)["code"]),
        ("谌家矶街道新春村45号", H("XC", 0, 45)["code"]),
        (f"湖北省武汉市江岸区胜利街{no(sl)}号", sl["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("胜利街", 1800, "R"), fb("中山大道", 2300, "L")
    b3, b4 = fb("三阳路", 1250, "L"), fb("三德里", 60, "L", 10)
    b5 = fb("建设大道", 600, "R")
    absent("刘家墩村3组99号")
    absent("胜利街999号")
    absent("德润里20号")
    for text, code in [
        (
            "No. 15, Group 3, Liujiadun Village, Chenjiaji Subdistrict, Jiang'an District, Wuhan",
            H("LJD", 3, 15)["code"],
        ),
        (
            "No. 7, Group 2, Yujiawan Village, Houhu Street, Jiang'an District",
            H("YJW", 2, 7)["code"],
        ),
        (
            "No. 28, Jianshe Village, Houhu Subdistrict, Jiang'an District, Wuhan",
            H("JSH", 0, 28)["code"],
        ),
        ("No. 28, Jianshe Village, Jiang'an District, Wuhan", None),
        (
            "No. 21, Xinchun Village, Chenjiaji Subdistrict, Jiang'an District",
            H("XC", 0, 21)["code"],
        ),
        ("No. 99, Group 3, Liujiadun Village, Chenjiaji Subdistrict, Jiang'an District", None),
        (f"No. {no(b1)}, Shengli Street, Jiang'an District, Wuhan, Hubei", b1["code"]),
        (f"No. {no(b2)} Zhongshan Avenue, Hankou, Wuhan", b2["code"]),
        (f"No. {no(b3)}, Sanyang Road, Jiang'an District", b3["code"]),
        ("Room 501, Unit 2, Building 3, Qiuchang Garden, Jiang'an District, Wuhan", "JAQCHYB3"),
        ("Room 301, Unit 1, Building 2, Huiji Jiayuan, Jiang'an District", "JAHJJYB2"),
        ("Room 602, Unit 1, Building 9, Sanyang Xiaoqu, Jiang'an District, Wuhan", None),
        (f"No. {no(b4)}, Sandeli, Jiang'an District, Wuhan", b4["code"]),
        ("No. 999, Shengli Street, Jiang'an District", None),
        (f"Hubei Sheng Wuhan Shi Jiang'an Qu Jianshe Dadao {no(b5)} Hao", b5["code"]),
        (
            "Wuhan Shi Jiang'an Qu Chenjiaji Jiedao Liujiadun Cun 3 Zu 15 Hao",
            H("LJD", 3, 15)["code"],
        ),
        ("502室，2单元，3栋，三阳小区，江岸区", "JASYXQB3"),
        ("12号，5组，余家湾村，后湖街道，江岸区，武汉市", H("YJW", 5, 12)["code"]),
        ("20号，德润里，江岸区", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 3, Liujiadun Village, Chenjiaji Subdistrict, Jiang'an District", ZU("刘家墩村", 3))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    sl1, sl2 = fb("胜利街", 1300, "L"), fb("胜利街", 650, "L")
    zs1, zs2 = fb("中山大道", 100, "L"), fb("中山大道", 2700, "L")
    yj1, yjs = fb("沿江大道", 150, "L"), fb("沿江大道", 1900, "L")
    js1 = fb("建设大道", 2200, "L")
    yy2 = fb("一元路", 1200, "R")
    lg1 = fb("卢沟桥路", 300, "L")
    cz1, cz2 = fb("车站路", 1200, "L"), fb("车站路", 2100, "R")
    dz1 = fb("大智路", 650, "R")
    sy1 = fb("三阳路", 1250, "L")
    hp1, hp2 = fb("黄浦大街", 500, "L"), fb("黄浦大街", 2800, "R")
    cj1, xy1 = fb("谌家矶大道", 300, "L"), fb("兴业路", 900, "R")
    kh = fb("坤厚里", 300, "R", 10)
    xa = fb("咸安坊", 150, "R", 10)
    for street, b, community in [
        ("车站街道", sl2, "京汉社区"),
        ("球场街道", sy1, "黄浦社区"),
        ("一元街道", yy2, "天声街社区"),
        ("大智街道", dz1, None),
        ("球场街道", cz2, None),
        ("谌家矶街道", cj1, None),
    ]:
        in_street(b, street, community)
    not_in_street(sl1, "大智街道")
    not_in_street(sy1, "一元街道")
    not_in_street(lg1, "车站街道")
    for miss in [
        "胜利街999号",
        "中山大道2号",
        "三德里99号",
        "刘家墩村3组99号",
        "新春村200号",
        f"胜利街{no(sl1)}号附9号",
        f"大智路{no(dz1)}-5号",
        "崇正里4号",
        "咸安坊30号",
    ]:
        absent(miss)
    absent("兴隆村7组3号")
    for name, k in [("三阳小区", 9), ("球场花园", 8), ("惠济家园", 6)]:
        if f"{name}{k}栋" in {al for bd in BUILDINGS for al in bd["aliases"]}:
            raise SystemExit(f"{name}{k}栋 exists")
    absent("兴隆村七组3号")
    assert dz1["n"] == 66, dz1["n"]
    for text, code in [
        # plain, with and without 省 / 市 / 区 / 街道 / 社区, and 汉口 in front
        (sl1["address"], sl1["code"]),
        (f"胜利街{no(sl2)}号", sl2["code"]),
        (f"武汉市江岸区中山大道{no(zs2)}号", zs2["code"]),
        (f"湖北省武汉市江岸区沿江大道{no(yj1)}号", yj1["code"]),
        (f"汉口中山大道{no(zs1)}号", zs1["code"]),
        (f"汉口胜利街{no(sl1)}号", sl1["code"]),
        (f"江岸区车站街道京汉社区胜利街{no(sl2)}号", sl2["code"]),
        (f"江岸区球场街道黄浦社区三阳路{no(sy1)}号", sy1["code"]),
        (f"一元街道天声街社区一元路{no(yy2)}号", yy2["code"]),
        (f"大智街道大智路{no(dz1)}号", dz1["code"]),
        (f"武汉市江岸区球场街道车站路{no(cz2)}号", cz2["code"]),
        (f"江岸区卢沟桥路{no(lg1)}号", lg1["code"]),
        (f"江岸区黄浦大街{no(hp2)}号", hp2["code"]),
        (f"江岸区谌家矶街道谌家矶大道{no(cj1)}号", cj1["code"]),
        (f"后湖街道兴业路{no(xy1)}号", xy1["code"]),
        # landmark names alone
        ("武汉天地", code_of_alias("武汉天地")),
        ("八七会议会址", code_of_alias("八七会议会址")),
        ("二七纪念馆", code_of_alias("二七纪念馆")),
        ("大智门火车站旧址", code_of_alias("大智门火车站旧址")),
        ("武汉市中心医院", code_of_alias("武汉市中心医院")),
        ("育才小学", code_of_alias("育才小学")),
        ("江岸区人民政府", code_of_alias("江岸区人民政府")),
        ("谌家矶街道办事处", code_of_alias("谌家矶街道办事处")),
        ("刘家墩村委会", code_of_alias("刘家墩村委会")),
        # 小区N栋, 单元 / 楼 / 号, X-X-XXX
        ("三阳小区2栋", "JASYXQB2"),
        ("球场花园3栋2单元502", "JAQCHYB3"),
        ("球场花园2-1-302", "JAQCHYB2"),
        ("惠济家园4栋1单元5楼2号", "JAHJJYB4"),
        (f"江岸区三阳路{door('三阳路', 800, 'R')}号三阳小区1栋", "JASYXQB1"),
        ("三阳小区三栋2单元", "JASYXQB3"),
        ("惠济家园1-2-601", "JAHJJYB1"),
        # doors under doors
        (f"胜利街{no(sl1)}号附3号", f"{sl1['code']}F3"),
        (f"江岸区中山大道{no(zs1)}号附5号", f"{zs1['code']}F5"),
        ("大智路66-1号", f"{dz1['code']}D1"),
        (f"汉口胜利街{no(sl1)}号附1号", f"{sl1['code']}F1"),
        # 里分 doors
        (f"江岸区坤厚里{no(kh)}号", kh["code"]),
        (f"咸安坊{no(xa)}号", xa["code"]),
        ("江岸区德润里8号", "JADRL8"),
        # full-width digits, Chinese numerals, spaces and punctuation
        (f"胜利街{no(sl2)}号".translate(FW), sl2["code"]),
        (f"江岸区中山大道{no(zs2)}号".translate(FW), zs2["code"]),
        (f"一元路{cn_number(no(yy2))}号", yy2["code"]),
        ("刘家墩村三组十五号", H("LJD", 3, 15)["code"]),
        (f"江岸区 胜利街 {no(sl1)}号", sl1["code"]),
        (f"武汉市，江岸区，大智路 {no(dz1)}号。", dz1["code"]),
        # one-character typos of road names, of the province and of the city
        (f"胜力街{no(sl2)}号", sl2["code"]),
        (f"江岸区中山大到{no(zs2)}号", zs2["code"]),
        (f"黄埔大街{no(hp1)}号", hp1["code"]),
        (f"三杨路{no(sy1)}号", sy1["code"]),
        (f"车战路{no(cz1)}号", cz1["code"]),
        (f"沿江大到{no(yjs)}号", yjs["code"]),
        (f"湖北省武汗市江岸区胜利街{no(sl1)}号", sl1["code"]),
        (f"胡北省武汉市江岸区建设大道{no(js1)}号", js1["code"]),
        # rural houses
        ("江岸区谌家矶街道刘家墩村3组15号", H("LJD", 3, 15)["code"]),
        ("后湖街道余家湾村5组7号", H("YJW", 5, 7)["code"]),
        ("堤角村三组7号", H("DJ", 3, 7)["code"]),
        ("兴隆村4组10号", H("XL", 4, 10)["code"]),
        ("后湖街道建设村28号", H("JSH", 0, 28)["code"]),
        # refusals: doors, 栋, 附号, 组 houses that do not exist; a wrong 街道; two villages;
        # landmarks of the neighbouring districts
        ("武汉市江岸区胜利街999号", None),
        ("中山大道2号", None),
        ("三德里99号", None),
        ("三阳小区9栋", None),
        ("球场花园8栋3单元201", None),
        ("江岸区谌家矶街道刘家墩村3组99号", None),
        ("后湖街道兴隆村七组3号", None),
        ("谌家矶街道新春村200号", None),
        ("建设村28号", None),
        (f"胜利街{no(sl1)}号附9号", None),
        (f"大智路{no(dz1)}-5号", None),
        ("崇正里4号", None),
        (f"江岸区大智街道胜利街{no(sl1)}号", None),
        (f"一元街道三阳路{no(sy1)}号", None),
        (f"车站街道卢沟桥路{no(lg1)}号", None),
        ("江岸区后湖街道刘家墩村3组15号", None),
        ("江汉关", None),
        ("协和医院", None),
        ("汉口火车站", None),
        ("江汉路步行街", None),
        ("黄鹤楼", None),
        ("惠济家园6栋2单元301", None),
        ("咸安坊30号", None),
        ("后湖街道先锋村7号", None),
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
        if spec[0] == "word":
            words[(spec[1], micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check(qs)
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    for wd in sorted({k for k, _ in words}):
        print(f"word {wd:12} positive {words[(wd, True)]:3}  refuse {words[(wd, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)},"
        f" refused {refused} ({100 * refused / len(lines):.0f} %)"
    )


# ---------------------------------------------------------------- reading back
def check(qs) -> None:
    """Read the written files back and check them against each other and the geometry."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    polys: dict[str, Polygon] = {}
    codes = set()
    for f in grids["features"]:
        p = f["properties"]
        if p["code"] in codes:
            raise SystemExit(f"grid code {p['code']} twice")
        codes.add(p["code"])
        if p["level"] == "micro":
            polys[p["code"]] = shapely.transform(shape(f["geometry"]), to_metres)
    if len(polys) != len(MICROS):
        raise SystemExit("micro-grids lost on the way")
    rows = list(csv.DictReader(io.StringIO((HERE / "buildings.csv").read_text(encoding="utf-8"))))
    where: dict[str, str] = {}
    for r in rows:
        x, y = metres(float(r["lon"]), float(r["lat"]))
        pt = Point(x, y)
        inside = [c for c, poly in polys.items() if poly.contains(pt)]
        if inside != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['address']} stands in {inside}, not {r['micro_grid_code']}")
        if r["code"] in where:
            raise SystemExit(f"building code {r['code']} twice")
        where[r["code"]] = r["micro_grid_code"]
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(qs):
        raise SystemExit("queries lost on the way")
    for line, (_kind, text, spec) in zip(lines, qs, strict=True):
        rec = json.loads(line)
        if rec["query"] != text:
            raise SystemExit(f"query order: {text}")
        exp, micro = rec["expected"], rec["micro_grid"]
        if micro is not None and micro not in polys:
            raise SystemExit(f"{text}: no micro-grid {micro}")
        if exp is not None:
            if spec[0] != "bld" or where.get(exp) != micro:
                raise SystemExit(f"{text}: {exp} is not in {micro}")
            continue
        if spec[0] == "bld":
            if micro is not None:
                raise SystemExit(f"{text}: a refused building with a micro-grid")
            continue
        narrow, wide = readings(spec)
        for region in (narrow, wide):
            held = (
                []
                if region is None or region.is_empty
                else [c for c, poly in polys.items() if poly.buffer(0.05).contains(region)]
            )
            if micro is not None and held != [micro]:
                raise SystemExit(f"{text}: held by {held}, not {micro}")
        if micro is None and narrow is not None and not narrow.is_empty:
            both = [
                c
                for c, poly in polys.items()
                if poly.buffer(0.01).contains(narrow) and poly.buffer(0.01).contains(wide)
            ]
            if len(both) == 1 and DISTRICT_AREA.buffer(0.01).contains(wide):
                raise SystemExit(f"{text}: refused, yet both readings lie in {both}")


if __name__ == "__main__":
    write_all()
