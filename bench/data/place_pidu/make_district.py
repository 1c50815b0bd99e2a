"""Write the place-description evaluation district: 四川省成都市郫都区.

    python bench/data/place_pidu/make_district.py

One grid tree in two parts: an urban core (郫筒街道, 犀浦街道, with roads, 巷 and 小区 whose 栋 are
written `鹃城小区2栋1单元3楼2号` or `南大街83号2-1-302`) and a rural east (唐昌镇, 安德街道, with
行政村 whose houses are written by 社 — `郫都区唐昌镇战旗村3社15号`, `广福村五社12号` —, by 组 —
`安龙村2组7号` —, by 院子 / 林盘 — `金星村张家院子8号` — or numbered across the village —
`郫都区唐昌镇先锋村128号`). The 街道 / 镇, the urban road names and some landmarks are 郫都区's;
the communities, most villages, the lanes, door numbers, landmarks' positions and all geometry
are ours: a layout in metres over a 6 km x 3 km box, turned into WGS-84 at 郫都.

The truth of every query is computed here from this geometry with shapely (see README.md for the
rules); nothing is decided by hand but which place each sentence means. Words that have no rule
of their own (边边上, 对门, 那点, 背后, 坎坎上, 倒拐, 拐角, 往前头走, 走到底) are computed twice, a
narrow and a wide reading; such a query is a positive only when both land in one micro-grid.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically, then
reads the four files back and checks them.
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
LON0, LAT0 = 103.8700, 30.7800  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def unll(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("510117", "郫都区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("510117001", "郫筒街道", (0, 1500, 2400, 3000), [("望丛社区", "望丛"), ("鹃城社区", "鹃城")]),
    ("510117002", "犀浦街道", (0, 0, 2400, 1500), [("国宁社区", "国宁"), ("天河社区", "天河")]),
]

# rural streets: code, name, box, villages (name, key, style)
# "she": six micro-grids named after the 社 (`战旗村3社`); "yuan": six micro-grids named after the
# 院子 / 林盘 (`金星村张家院子`); "plain": six plain micro-grids; "small": a village numbered
# across, two micro-grids (`先锋村1号微网格`).
RURAL = [
    (
        "510117103",
        "唐昌镇",
        (2400, 1500, 6000, 3000),
        [
            ("战旗村", "ZQ", "she"),
            ("金星村", "JX", "yuan"),
            ("先锋村", "XF", "small"),
            ("永安村", "YAT", "small"),
            ("西北村", "XB", "small"),
        ],
    ),
    (
        "510117006",
        "安德街道",
        (2400, 0, 6000, 1500),
        [
            ("安龙村", "AL", "plain"),
            ("广福村", "GF", "plain"),
            ("永安村", "YAA", "small"),
            ("中平村", "ZP", "small"),
            ("月星村", "YX", "small"),
        ],
    ),
]
YUAN = ["", "张家院子", "李家院子", "罗家院子", "杨家林盘", "曾家院子", "廖家林盘"]


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
UNIT_OF: dict[str, tuple[str, str]] = {}  # micro code -> (街道 / 镇, 社区 / 村)
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}


def add_micro(code: str, name: str, parent: str, b, unit: tuple[str, str]) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name
    UNIT_OF[code] = unit


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
                    add_micro(
                        f"{g_code}{mi + 1:03d}",
                        f"{g_name}{mi + 1}号微网格",
                        g_code,
                        mb,
                        (s_name, c_name),
                    )
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
                    add_micro(
                        f"{g_code}{mi + 1:03d}",
                        f"{v_name}{mi + 1}号微网格",
                        g_code,
                        mb,
                        (t_name, v_name),
                    )
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
                        name = f"{v_name}{m}社"
                    elif style == "yuan":
                        name = f"{v_name}{YUAN[m]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, (t_name, v_name))


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("德源大道", "arterial", [(1200, 0), (1200, 3000)]),
    ("西源大道", "arterial", [(2400, 0), (2400, 3000)]),
    ("红光大道", "arterial", [(0, 1500), (6000, 1500)]),
    ("望丛中路", "arterial", [(0, 2000), (2400, 2000)]),
    ("望丛东路", "secondary", [(1800, 1500), (1800, 3000)]),
    ("南大街", "secondary", [(300, 1550), (300, 2950)]),
    ("东大街", "branch", [(1350, 1850), (1350, 2150), (1550, 2150), (1550, 1850)]),
    ("西大街", "branch", [(100, 2650), (650, 2650), (650, 2350)]),
    ("犀安路", "arterial", [(0, 1000), (3400, 1000)]),
    ("天河路", "arterial", [(0, 400), (2400, 400)]),
    ("百草路", "secondary", [(800, 0), (800, 1500)]),
    ("校园路", "secondary", [(1750, 50), (1750, 1450)]),
    # lanes in the road file
    ("鹃城巷", "branch", [(500, 2100), (500, 2400)]),
    ("文庙巷", "branch", [(1200, 2700), (1500, 2700)]),
    ("柿子巷", "branch", [(1000, 1100), (1000, 1400)]),
    ("竹林巷", "branch", [(2050, 250), (2350, 250)]),
    ("烟袋巷", "branch", [(2200, 1500), (2200, 1850)]),
    ("状元巷", "branch", [(100, 600), (350, 600)]),
    # the rural east
    ("成灌路", "arterial", [(2400, 400), (6000, 400)]),
    ("沙西线", "arterial", [(4800, 0), (4800, 3000)]),
    ("唐昌正街", "secondary", [(2400, 2600), (5800, 2600)]),
    ("安德正街", "secondary", [(3700, 1150), (4750, 1150)]),
    ("战旗路", "branch", [(3000, 1600), (3000, 2900)]),
    ("安龙路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("广福路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "郫都区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "德源大道": "DYDD",
    "西源大道": "XYDD",
    "红光大道": "HGDD",
    "望丛中路": "WCZL",
    "望丛东路": "WCDL",
    "南大街": "NDJ",
    "东大街": "DDJ",
    "西大街": "XDJ",
    "犀安路": "XAL",
    "天河路": "THL",
    "百草路": "BCL",
    "校园路": "XYL",
    "鹃城巷": "JCX",
    "文庙巷": "WMX",
    "柿子巷": "SZX",
    "竹林巷": "ZLX",
    "烟袋巷": "YDX",
    "状元巷": "ZYX",
    "成灌路": "CGL",
    "唐昌正街": "TCZJ",
    "安德正街": "ADZJ",
    "三圣巷": "SSX",
    "草堂巷": "CTX",
    "马家巷": "MJX",
    "火神庙巷": "HSMX",
    "双眼井巷": "SYJX",
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
        add(
            f"PD{CODE_KEY[road]}{n}",
            f"{prefix}{road}{n}号",
            x,
            y,
            aliases,
            road=road,
            n=n,
            s=s,
            side=side,
        )


def fb(road, s, side, step=20.0):
    return BY_CODE[f"PD{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"PD{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}{name}{k}栋", x, y, [f"{name}{k}栋"], compound=name)


TOWN_OF = {
    "ZQ": "唐昌镇",
    "JX": "唐昌镇",
    "XF": "唐昌镇",
    "YAT": "唐昌镇",
    "XB": "唐昌镇",
    "AL": "安德街道",
    "GF": "安德街道",
    "YAA": "安德街道",
    "ZP": "安德街道",
    "YX": "安德街道",
}
VILLAGE_OF = {
    "ZQ": "战旗村",
    "JX": "金星村",
    "XF": "先锋村",
    "YAT": "永安村",
    "XB": "西北村",
    "AL": "安龙村",
    "GF": "广福村",
    "YAA": "永安村",
    "ZP": "中平村",
    "YX": "月星村",
}
# how a village writes its houses' group: 社 in figures, 社 in Chinese numerals, 组, 院子
GROUP_STYLE = {"ZQ": "she_ar", "GF": "she_cn", "AL": "zu_ar", "JX": "yuan"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def group_text(key: str, grp: int) -> str:
    style = GROUP_STYLE[key]
    if style == "she_ar":
        return f"{grp}社"
    if style == "she_cn":
        return f"{CN[grp]}社"
    if style == "zu_ar":
        return f"{grp}组"
    return YUAN[grp]


def rural_houses(key: str, grp: int | None, centre, numbers, aliases=None):
    """Houses of a 社 / 组 / 院子 (grp) or of a village numbered across (grp None)."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        gt = group_text(key, grp) if grp else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{gt}{n}号"
        add(
            f"PD{key}{grp or 0:02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=grp,
            yuan=YUAN[grp] if grp and GROUP_STYLE[key] == "yuan" else None,
            n=n,
        )


def build_buildings() -> None:
    # 郫筒街道
    frontage(
        "望丛中路",
        [
            (150, "L", []),
            (480, "R", ["郫都区人民医院", "区人民医院"]),
            (700, "L", ["望丛社区服务中心"]),
            (1000, "L", []),
            (1300, "R", ["郫筒派出所"]),
            (1680, "L", ["工商银行郫都支行", "工行郫都支行"]),
            (1900, "L", ["望丛苑南门"]),
            (2250, "R", ["红旗连锁望丛中路店"]),
        ],
    )
    frontage(
        "望丛东路",
        [
            (100, "L", ["鹃城社区服务中心"]),
            (620, "R", ["望丛苑", "望丛苑东门"]),
            (900, "L", ["望丛祠"]),
            (1200, "R", ["望丛祠站", "地铁望丛祠站"]),
            (1400, "L", []),
        ],
    )
    frontage(
        "南大街",
        [
            (100, "R", []),
            (350, "L", ["南大街农贸市场", "郫筒农贸市场"]),
            (820, "L", ["鹃城小区", "鹃城小区大门"]),
            (1200, "R", []),
        ],
    )
    x, y = on_road("南大街", 362, "L")
    add("PDNDJ35F1", f"{CITY}南大街35号附1号", x, y, road="南大街", n=35, s=362, side="L")
    frontage("东大街", [(400, "L", [])])
    frontage("西大街", [(100, "L", []), (400, "R", ["郫筒一小"]), (700, "L", [])])
    frontage(
        "德源大道",
        [
            (200, "L", ["成都农商银行犀浦支行", "农商银行犀浦支行"]),
            (700, "R", ["犀浦派出所"]),
            (1100, "L", ["犀浦站", "地铁犀浦站"]),
            (1700, "R", ["郫都区中医医院", "区中医院"]),
            (2300, "L", ["郫都一中", "成都市郫都区第一中学"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "西源大道",
        [
            (500, "L", ["舞东风超市西源店", "舞东风超市"]),
            (1200, "R", []),
            (2200, "L", []),
            (2700, "R", []),
        ],
    )
    frontage(
        "红光大道",
        [
            (300, "L", []),
            (1000, "R", ["红光大道加油站"]),
            (1650, "L", ["永辉超市郫都店", "永辉超市"]),
            (2100, "R", []),
            (3000, "L", []),
            (4300, "R", []),
        ],
    )
    # 犀浦街道
    frontage(
        "犀安路",
        [
            (150, "L", []),
            (350, "L", ["西南交通大学犀浦校区", "交大犀浦校区"]),
            (650, "R", []),
            (1050, "L", ["红旗连锁犀安路店"]),
            (1450, "R", ["犀园小区", "犀园小区大门"]),
            (1880, "L", ["犀浦农贸市场"]),
            (2150, "R", ["邮政储蓄银行犀浦支行", "邮储犀浦支行"]),
            (2700, "L", []),
            (3250, "R", []),
        ],
    )
    x, y = on_road("犀安路", 658, "R")
    add("PDXAL66S1", f"{CITY}犀安路66-1号", x, y, road="犀安路", n=66, s=658, side="R")
    frontage(
        "天河路",
        [
            (200, "L", ["天河路站", "地铁天河路站"]),
            (600, "R", []),
            (1000, "L", ["犀浦社区卫生服务中心"]),
            (1500, "R", []),
            (1900, "L", ["天河社区服务中心"]),
        ],
    )
    frontage(
        "百草路",
        [
            (100, "L", ["百草路站", "地铁百草路站"]),
            (300, "R", ["百草花园", "百草花园大门"]),
            (800, "L", ["国宁社区服务中心"]),
            (1250, "R", []),
        ],
    )
    frontage(
        "校园路",
        [
            (150, "L", []),
            (500, "R", ["犀浦小学"]),
            (1200, "L", ["郫都区第二人民医院", "区二医院"]),
        ],
    )
    # lanes of the road file
    frontage("鹃城巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("文庙巷", [(60, "L", []), (260, "R", [])], step=10)
    frontage("柿子巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("竹林巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("烟袋巷", [(80, "L", []), (300, "R", [])], step=10)
    frontage("状元巷", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("三圣巷", [(2, 600, 2850), (5, 640, 2862), (9, 680, 2850)])
    lane_houses("草堂巷", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("马家巷", [(1, 2150, 2580), (6, 2160, 2640), (10, 2150, 2700)])
    lane_houses("火神庙巷", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("双眼井巷", [(2, 1170, 2500), (5, 1230, 2500), (8, 1240, 2560)])
    # 小区: a door with the 小区's name and gate, and its 栋
    compound(
        f"望丛东路{door(620, 'R')}号",
        "望丛苑",
        "PDWCY",
        [(1850, 2070), (1920, 2070), (1850, 2140), (1920, 2140), (1885, 2185)],
    )
    compound(
        f"南大街{door(820, 'L')}号",
        "鹃城小区",
        "PDJCXQ",
        [(150, 2330), (220, 2330), (150, 2420), (220, 2420)],
    )
    compound(
        f"犀安路{door(1450, 'R')}号",
        "犀园小区",
        "PDXYXQ",
        [(1400, 900), (1480, 900), (1400, 830), (1480, 830)],
    )
    compound(
        f"百草路{door(300, 'R')}号", "百草花园", "PDBCHY", [(880, 260), (950, 260), (880, 330)]
    )
    # the rural main streets
    frontage(
        "唐昌正街",
        [
            (300, "L", []),
            (900, "R", ["唐昌镇卫生院"]),
            (1500, "L", ["唐昌中学"]),
            (1900, "R", ["唐昌派出所"]),
            (2300, "L", ["邮政储蓄银行唐昌支行", "邮储唐昌支行"]),
            (2650, "R", ["唐昌农贸市场"]),
            (3100, "L", ["唐昌镇政府", "唐昌镇人民政府"]),
        ],
        prefix=CITY + "唐昌镇",
    )
    frontage(
        "安德正街",
        [
            (100, "L", ["安德街道卫生院", "安德卫生院"]),
            (400, "R", ["安德派出所"]),
            (650, "L", ["成都农商银行安德支行", "安德农商行"]),
            (900, "R", ["安德中学"]),
        ],
        prefix=CITY + "安德街道",
    )
    frontage("成灌路", [(500, "L", ["成灌路加油站"]), (2100, "R", []), (3300, "L", [])])
    # 唐昌镇: 战旗村 (1社 … 6社, micro-grids named after them)
    al = {6: ["战旗村村委会", "战旗村委会"]}
    for grp, centre, nums in [
        (1, (2600, 1800), [3, 8, 12]),
        (2, (3120, 1850), [4, 7, 11]),
        (3, (3400, 1850), [6, 9, 15, 21]),
        (4, (2600, 2800), [2, 5, 10]),
        (5, (3120, 2800), [1, 3, 13]),
        (6, (3400, 2820), [3, 8]),
    ]:
        rural_houses("ZQ", grp, centre, nums, al if grp == 3 else None)
    # 金星村 (micro-grids named after its 院子 / 林盘)
    for grp, centre, nums in [
        (1, (3800, 1850), [2, 8, 14]),
        (2, (4200, 1850), [1, 5, 9]),
        (3, (4600, 1850), [3, 7, 12]),
        (4, (3800, 2820), [4, 6, 11]),
        (5, (4200, 2820), [2, 10, 16]),
        (6, (4600, 2400), [5, 9]),
    ]:
        rural_houses("JX", grp, centre, nums, {10: ["金星村活动室"]} if grp == 5 else None)
    # 安德街道: 安龙村 (plain micro-grids; 4组 lies across two)
    for grp, centre, nums in [
        (1, (2700, 150), [2, 6, 9]),
        (2, (3000, 550), [3, 7, 11]),
        (3, (3400, 250), [5, 8, 15]),
        (4, (3200, 1250), [1, 4, 10]),
        (5, (2600, 1250), [6, 12]),
        (6, (3000, 1300), [2, 9, 14]),
    ]:
        al = {7: ["安龙村村委会", "安龙村委会"]} if grp == 2 else None
        rural_houses("AL", grp, centre, nums, al)
    # 广福村 (plain micro-grids; 三社 lies across two)
    for grp, centre, nums in [
        (1, (3800, 600), [3, 6, 11]),
        (2, (4600, 200), [2, 8]),
        (3, (4000, 250), [5, 9, 13]),
        (4, (3800, 900), [1, 4, 10]),
        (5, (4300, 1350), [7, 12, 18]),
        (6, (4600, 900), [2, 6]),
    ]:
        al = {12: ["广福村村委会", "广福村活动室"]} if grp == 5 else None
        rural_houses("GF", grp, centre, nums, al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("XF", None, (5000, 1875), [12, 37, 58, 103, 128], {37: ["先锋村村委会"]})
    rural_houses("YAT", None, (5400, 2850), [6, 21, 45, 88], {21: ["唐昌镇永安村村委会"]})
    rural_houses("XB", None, (5800, 1900), [7, 33, 70, 96])
    rural_houses("YAA", None, (5000, 250), [9, 26, 45, 117], {26: ["安德街道永安村村委会"]})
    rural_houses("ZP", None, (5400, 1100), [15, 52, 96, 128, 143], {52: ["中平村卫生室"]})
    rural_houses("YX", None, (5800, 200), [3, 18, 40, 77], {18: ["月星村村委会"]})


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
        if zu is not None and b["zu"] != zu and b["yuan"] != zu:
            continue
        out.append(b)
    return out


def clipped(line: LineString, a: float, b: float):
    """The piece of a line between a and b metres along it (clamped), or None when too short."""
    a, b = max(0.0, a), min(line.length, b)
    if b - a < 0.5:
        return None
    return substring(line, a, b)


def frame(b: dict):
    """A road door's foot on the road, the unit tangent and the unit normal towards the door."""
    line = ROAD[b["road"]]
    s = b["s"]
    p = line.interpolate(s)
    q = line.interpolate(min(s + 1.0, line.length))
    if q.equals(p):
        q, p = p, line.interpolate(s - 1.0)
    tx, ty = q.x - p.x, q.y - p.y
    L = math.hypot(tx, ty)
    tx, ty = tx / L, ty / L
    nx, ny = (-ty, tx) if b["side"] == "L" else (ty, -tx)
    return line.interpolate(s), (tx, ty), (nx, ny)


def bends(road: str) -> list[Point]:
    coords = list(ROAD[road].coords)
    return [Point(c) for c in coords[1:-1]]


def lane_ends(lane: str, entry: str | None) -> list[Point]:
    """The end(s) a walk 走到底 reaches: the end away from the entry road, or both ends."""
    line = ROAD.get(lane)
    if line is None:
        return []
    p0, p1 = Point(line.coords[0]), Point(line.coords[-1])
    if entry is None:
        return [p0, p1]
    d0, d1 = ROAD[entry].distance(p0), ROAD[entry].distance(p1)
    if min(d0, d1) > 1.0:
        return []  # the lane does not open on that road
    return [p1] if d0 <= d1 else [p0]


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
    if kind == "disc":  # ("disc", [building codes], radius): every point within radius
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(spec[2]) for c in spec[1]]
        )
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, 组 / 社 number or 院子 name)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    # --- the readings of words with no rule of their own
    if kind == "mirror":  # ("mirror", code, r): the door opposite, across the door's road
        if spec[1] is None:
            return None
        b = BY_CODE[spec[1]]
        other = "R" if b["side"] == "L" else "L"
        x, y = on_road(b["road"], b["s"], other)
        return Point(x, y).buffer(spec[2])
    if kind == "behind":  # ("behind", code, depth, half width): away from the door's road
        if spec[1] is None:
            return None
        b = BY_CODE[spec[1]]
        _foot, (tx, ty), (nx, ny) = frame(b)
        depth, half = spec[2], spec[3]
        bx, by = b["x"], b["y"]
        return Polygon(
            [
                (bx - half * tx, by - half * ty),
                (bx + half * tx, by + half * ty),
                (bx + half * tx + depth * nx, by + half * ty + depth * ny),
                (bx - half * tx + depth * nx, by - half * ty + depth * ny),
            ]
        )
    if kind == "kerb":  # ("kerb", code): 2-20 m from the road on the door's side, 30 m along
        if spec[1] is None:
            return None
        b = BY_CODE[spec[1]]
        line = ROAD[b["road"]]
        piece = clipped(line, b["s"] - 30, b["s"] + 30)
        strips = [piece.buffer(20, single_sided=True), piece.buffer(-20, single_sided=True)]
        strip = next(s for s in strips if s.contains(Point(b["x"], b["y"])))
        return strip.difference(line.buffer(2))
    if kind == "ahead":  # ("ahead", code, lo, hi): lo-hi m along the door's road, either way
        if spec[1] is None:
            return None
        b = BY_CODE[spec[1]]
        line, s, lo, hi = ROAD[b["road"]], b["s"], spec[2], spec[3]
        if lo <= 0:
            pieces = [clipped(line, s - hi, s + hi)]
        else:
            pieces = [clipped(line, s - hi, s - lo), clipped(line, s + lo, s + hi)]
        pieces = [p for p in pieces if p is not None]
        if not pieces:
            return None
        return unary_union([p.buffer(30, cap_style="flat") for p in pieces])
    if kind == "bend":  # ("bend", road, r): the one bend of a road
        pts = bends(spec[1]) if spec[1] in ROAD else []
        return pts[0].buffer(spec[2]) if len(pts) == 1 else None
    if kind == "xdisc":  # ("xdisc", A, B, r): the one crossing of two roads
        pts = crossings(spec[1], spec[2])
        return pts[0].buffer(spec[3]) if len(pts) == 1 else None
    if kind == "end":  # ("end", lane, entry or None, wide)
        _, lane, entry, wide = spec
        ends = lane_ends(lane, entry)
        if not ends:
            return None
        line = ROAD[lane]
        parts = []
        for p in ends:
            if not wide:
                parts.append(p.buffer(15))
                continue
            at = line.project(p)
            piece = clipped(line, at - 50, at + 50)
            parts += [piece.buffer(20), p.buffer(30)]
        return unary_union(parts)
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None, list]:
    """(expected building, micro-grid, the region(s) behind a positive place answer)."""
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None, []
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"]), []
    if spec[0] == "two":  # ("two", narrow reading, wide reading)
        regions = [place_region(spec[1]), place_region(spec[2])]
        if any(r is None or r.is_empty for r in regions):
            return None, None, []
        micros = {micro_of_region(r) for r in regions}
        if len(micros) != 1 or None in micros:
            return None, None, []
        return None, micros.pop(), regions
    region = place_region(spec)
    if region is None or region.is_empty:
        return None, None, []
    micro = micro_of_region(region)
    return None, micro, [region] if micro else []


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


def maybe_alias(alias: str | None) -> str | None:
    return None if alias is None else code_of_alias(alias)


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("disc", [code_of_alias(a) for a in aliases], R_NEAR)


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "disc",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


# the words with no rule of their own: (narrow reading, wide reading)
def BIANBIAN(alias):  # 边边上: right beside it
    c = code_of_alias(alias)
    return ("two", ("disc", [c], 20.0), ("disc", [c], R_NEAR))


def DUIMEN(alias):  # 对门: the door across its road / as 对面
    c = code_of_alias(alias)
    return ("two", ("mirror", c, 20.0), ("disc", [c], R_NEAR))


def NADIAN(alias):  # 那点 / 那儿: as 附近 / within 100 m
    c = maybe_alias(alias)
    cs = [c] if c else []
    return ("two", ("disc", cs, R_NEAR), ("disc", cs, 100.0))


def BEIHOU(alias):  # 背后: behind it, away from its road
    c = code_of_alias(alias)
    return ("two", ("behind", c, 50.0, 25.0), ("behind", c, 150.0, 60.0))


def KANKAN(alias):  # 门口坎坎上: the kerb in front of it / as 门口
    c = code_of_alias(alias)
    return ("two", ("kerb", c), ("disc", [c], R_NEAR))


def AHEAD(alias, dist, how="exact"):  # 往前头走 N 米: along its road, either way
    c = maybe_alias(alias)
    lo, hi = tolerance(dist, how)
    return ("two", ("ahead", c, lo, hi), ("ahead", c, 0.0, max(hi, 1.5 * dist)))


def BEND(road):  # X倒拐的地方: the one bend of a road
    return ("two", ("bend", road, R_CROSS), ("bend", road, 2 * R_CROSS))


def GUAIJIAO(a, b):  # A和B拐角: the crossing, 30 m / 60 m
    return ("two", ("xdisc", a, b, R_CROSS), ("xdisc", a, b, 2 * R_CROSS))


def TOEND(lane, entry=None):  # (从A进)B走到底
    return ("two", ("end", lane, entry, False), ("end", lane, entry, True))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, grp, n):  # a rural house (grp 0: a village numbered across)
    return BY_CODE[f"PD{key}{grp:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def unit(b: dict) -> tuple[str, str]:
    """The 街道 / 镇 and 社区 / 村 a building stands in."""
    return UNIT_OF[micro_of_point(b["x"], b["y"])]


def fw(text: str) -> str:
    """Full-width digits."""
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


def cn_int(n: int) -> str:
    """A door number in Chinese numerals (below 1000)."""

    def tens(k: int) -> str:
        if k < 10:
            return CN[k]
        head = "" if k < 20 else CN[k // 10]
        return f"{head}十{CN[k % 10] if k % 10 else ''}"

    if n < 100:
        return tens(n)
    rest = n % 100
    head = f"{CN[n // 100]}百"
    if rest == 0:
        return head
    if rest < 10:
        return f"{head}零{CN[rest]}"
    return head + (f"一{tens(rest)}" if rest < 20 else tens(rest))


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "望丛东路与望丛中路十字路口有人占道卖水果", X("望丛东路", "望丛中路"))
    q(x, "望丛东路望丛中路交叉口东南角井盖烂了", X("望丛东路", "望丛中路", "东南"))
    q(
        x,
        "望丛东路、望丛中路路口往北200米有个大坑",
        X("望丛东路", "望丛中路", None, ("北", 200, "exact")),
    )
    q(x, "德源大道与望丛中路十字路口红绿灯坏了", X("德源大道", "望丛中路"))
    q(x, "德源大道望丛中路交叉口东北角有人摆摊", X("德源大道", "望丛中路", "东北"))
    q(x, "南大街与望丛中路交叉口早高峰堵死了", X("南大街", "望丛中路"))
    q(
        x,
        "南大街、望丛中路路口往南100米下水道冒水",
        X("南大街", "望丛中路", None, ("南", 100, "exact")),
    )
    q(x, "南大街与红光大道路口有人乱停车", X("南大街", "红光大道"))
    q(x, "东大街与望丛中路交叉口路灯不亮", X("东大街", "望丛中路"))
    q(x, "西大街与南大街十字有人烧纸", X("西大街", "南大街"))
    q(x, "望丛东路与红光大道交叉口护栏倒了", X("望丛东路", "红光大道"))
    q(x, "望丛东路红光大道交叉口西北角有建筑垃圾", X("望丛东路", "红光大道", "西北"))
    q(x, "德源大道与犀安路十字车辆乱停", X("德源大道", "犀安路"))
    q(x, "德源大道犀安路交叉口西南角有人发传单", X("德源大道", "犀安路", "西南"))
    q(x, "百草路与犀安路交叉口东北角共享单车乱放", X("百草路", "犀安路", "东北"))
    q(
        x,
        "校园路、天河路路口往东50米人行道塌了",
        X("校园路", "天河路", None, ("东", 50, "exact")),
    )
    q(x, "天河路与犀安路交叉口信号灯故障", X("天河路", "犀安路"))
    q(x, "犀安路与西源大道交叉口东南角有人倒渣土", X("犀安路", "西源大道", "东南"))
    q(x, "唐昌正街与战旗路十字有人晒谷子占道", X("唐昌正街", "战旗路"))
    q(x, "唐昌正街沙西线交叉口西南角堆了杂物", X("唐昌正街", "沙西线", "西南"))
    q(x, "成灌路与安龙路十字有人焚烧秸秆", X("成灌路", "安龙路"))
    q(x, "安龙路与犀安路交叉口有死狗", X("安龙路", "犀安路"))
    q(x, "安德正街与广福路交叉口早上堵车", X("安德正街", "广福路"))
    q(x, "望丛中路和望丛东路拐角有人乱摆摊", GUAIJIAO("望丛中路", "望丛东路"))
    q(x, "德源大道和犀安路拐角垃圾桶满了", GUAIJIAO("德源大道", "犀安路"))
    q(x, "校园路和天河路拐角有个井盖没盖", GUAIJIAO("校园路", "天河路"))
    q(x, "西大街倒拐的地方路灯不亮", BEND("西大街"))
    q(x, "东大街倒拐的地方有人乱倒垃圾", BEND("东大街"))
    q(x, "安龙路倒拐的地方有人烧垃圾", BEND("安龙路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "郫都区人民医院往东走了三百来米，有个井盖没了",
        OFF(A("郫都区人民医院"), "东", 300, "about"),
    )
    q(
        o,
        "郫筒派出所向西大约150米路南有人占道",
        OFF(A("郫筒派出所"), "西", 150, "about", ("望丛中路", "南")),
    )
    q(o, "望丛祠往北走了两百来米有人遛狗不牵绳", OFF(A("望丛祠"), "北", 200, "about"))
    q(o, "工行郫都支行往西200米有堆放的杂物", OFF(A("工行郫都支行"), "西", 200))
    q(o, "南大街农贸市场往北走了一百多米，污水横流", OFF(A("南大街农贸市场"), "北", 100, "more"))
    q(
        o,
        "望丛社区服务中心往东150米路北人行道被占",
        OFF(A("望丛社区服务中心"), "东", 150, side=("望丛中路", "北")),
    )
    q(
        o,
        "红旗连锁望丛中路店往西约300米有人烧垃圾",
        OFF(A("红旗连锁望丛中路店"), "西", 300, "about"),
    )
    q(o, "郫筒一小往东100米有流动摊贩", OFF(A("郫筒一小"), "东", 100))
    q(o, "交大犀浦校区往西约200米有车辆违停", OFF(A("交大犀浦校区"), "西", 200, "about"))
    q(
        o,
        "红旗连锁犀安路店往东150米路北有人占道",
        OFF(A("红旗连锁犀安路店"), "东", 150, side=("犀安路", "北")),
    )
    q(o, "犀浦农贸市场往西走了两百来米，路面破了", OFF(A("犀浦农贸市场"), "西", 200, "about"))
    q(o, "邮储犀浦支行往南大约300米有人私搭乱建", OFF(A("邮储犀浦支行"), "南", 300, "about"))
    q(
        o,
        "犀浦小学往南约150米路东有违停车辆",
        OFF(A("犀浦小学"), "南", 150, "about", ("校园路", "东")),
    )
    q(
        o,
        "天河路站往东200米路北共享单车堆成山",
        OFF(A("天河路站"), "东", 200, side=("天河路", "北")),
    )
    q(o, "犀浦派出所往东300米有人打架", OFF(A("犀浦派出所"), "东", 300))
    q(o, "唐昌镇卫生院往西约200米有人晒粮食占道", OFF(A("唐昌镇卫生院"), "西", 200, "about"))
    q(o, "唐昌中学往东走了三百来米有人焚烧秸秆", OFF(A("唐昌中学"), "东", 300, "about"))
    q(o, "唐昌农贸市场往西100米有人占道卖菜", OFF(A("唐昌农贸市场"), "西", 100))
    q(
        o,
        "安德派出所往东200米路南路面塌陷",
        OFF(A("安德派出所"), "东", 200, side=("安德正街", "南")),
    )
    q(o, "安德中学往北约500米有人烧垃圾", OFF(A("安德中学"), "北", 500, "about"))
    q(o, "月星村村委会往南1公里有人电鱼", OFF(A("月星村村委会"), "南", 1000))
    q(
        o,
        "望丛东路与望丛中路交叉口往东200米路南，商户占道",
        OFF(XO("望丛东路", "望丛中路"), "东", 200, side=("望丛中路", "南")),
    )
    q(
        o,
        "唐昌正街与战旗路交叉口以东约400米路北有垃圾堆",
        OFF(XO("唐昌正街", "战旗路"), "东", 400, "about", ("唐昌正街", "北")),
    )
    q(o, "郫都区第三人民医院往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "郫筒派出所往前头走一百米有人乱摆摊", AHEAD("郫筒派出所", 100))
    q(o, "犀浦农贸市场往前头走五十米有个井盖烂了", AHEAD("犀浦农贸市场", 50))
    q(o, "唐昌中学往前头走两百米有人烧秸秆", AHEAD("唐昌中学", 200))
    q(o, "望丛祠站往前头走一百米有人发小广告", AHEAD("望丛祠站", 100))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("鹃城巷路灯坏了好几天了", "鹃城巷"),
        ("来电人反映文庙巷里有车辆长期占道", "文庙巷"),
        ("柿子巷下水道堵了，污水漫到路上", "柿子巷"),
        ("竹林巷有人养狗扰民", "竹林巷"),
        ("烟袋巷的路面坑坑洼洼", "烟袋巷"),
        ("状元巷垃圾几天没人收", "状元巷"),
        ("三圣巷有人半夜装修", "三圣巷"),
        ("市民称草堂巷里面电线乱拉", "草堂巷"),
        ("双眼井巷路面结冰，老年人走路困难", "双眼井巷"),
        ("玉带巷有人半夜施工", "玉带巷"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "从德源大道进文庙巷走到底，有人堆杂物", TOEND("文庙巷", "德源大道"))
    q(la, "文庙巷走到底有人烧蜂窝煤", TOEND("文庙巷"))
    q(la, "从红光大道进烟袋巷走到底，路灯不亮", TOEND("烟袋巷", "红光大道"))
    q(la, "从望丛中路进鹃城巷走到底有人养鸡", TOEND("鹃城巷", "望丛中路"))
    q(la, "状元巷走到底有个化粪池冒水", TOEND("状元巷"))

    # --- group (村民小组 written 社 or 组, or a 院子 / 林盘, named with its village) --------
    g = "group"
    q(g, "战旗村3社有人焚烧秸秆", ZU("战旗村", 3))
    q(g, "战旗村五社有人烧垃圾", ZU("战旗村", 5))
    q(g, "唐昌镇战旗村第一村民小组有人违建", ZU("战旗村", 1, "唐昌镇"))
    q(g, "战旗村2组路灯不亮", ZU("战旗村", 2))
    q(g, "战旗村八社有人烧秸秆", ZU("战旗村", 8))
    q(g, "金星村张家院子有人私挖鱼塘", ZU("金星村", "张家院子"))
    q(g, "唐昌金星村杨家林盘有人乱砍竹子", ZU("金星村", "杨家林盘", "唐昌镇"))
    q(g, "安龙村罗家院子有人烧垃圾", ZU("安龙村", "罗家院子"))
    q(g, "安龙村3组排水渠堵塞", ZU("安龙村", 3))
    q(g, "安龙村第2村民小组有人偷倒建筑垃圾", ZU("安龙村", 2))
    q(g, "安龙村4组有人放养的狗咬人", ZU("安龙村", 4))
    q(g, "安德街道安龙村六组有人私搭乱建", ZU("安龙村", 6, "安德街道"))
    q(g, "广福村五社有人乱倒垃圾", ZU("广福村", 5))
    q(g, "广福村2社路面塌陷", ZU("广福村", 2))
    q(g, "广福村三社有人焚烧垃圾", ZU("广福村", 3))
    q(g, "安德街道广福村一社有人占道晒粮", ZU("广福村", 1, "安德街道"))
    q(g, "唐昌镇广福村四社有人违建", ZU("广福村", 4, "唐昌镇"))
    q(g, "先锋村3社有人私拉电线", ZU("先锋村", 3))
    q(g, "安德镇安龙村5组有人烧秸秆", ZU("安龙村", 5, "安德街道"))

    # --- village (a 行政村 named alone, or with its 镇 / 街道) ------------------------------
    v = "village"
    q(v, "先锋村有人烧秸秆，烟很大", VIL("先锋村"))
    q(v, "唐昌镇先锋村路灯不亮", VIL("先锋村", "唐昌镇"))
    q(v, "西北村有人私拉电网捕鱼", VIL("西北村"))
    q(v, "永安村有人乱倒建筑垃圾", VIL("永安村"))
    q(v, "唐昌镇永安村自来水停了", VIL("永安村", "唐昌镇"))
    q(v, "安德永安村路面塌陷", VIL("永安村", "安德街道"))
    q(v, "中平村有人占用耕地建房", VIL("中平村"))
    q(v, "郫都区安德街道月星村有人焚烧垃圾", VIL("月星村", "安德街道"))
    q(v, "战旗村垃圾堆放", VIL("战旗村"))
    q(v, "广福村有人电鱼", VIL("广福村"))
    q(v, "安德街道先锋村有人违建", VIL("先锋村", "安德街道"))
    q(v, "团结街道中平村有人砍树", VIL("中平村", "团结街道"))
    q(v, "青杠树村有人烧荒", VIL("青杠树村"))
    q(v, "农科村农家乐噪音扰民", VIL("农科村"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "郫筒派出所门口有人乱停车", NEAR("郫筒派出所"))
    q(n, "郫都区人民医院旁边有人卖假药", NEAR("郫都区人民医院"))
    q(n, "望丛祠附近有人遛狗不拴绳", NEAR("望丛祠"))
    q(n, "工行郫都支行对面的人行道被占", NEAR("工行郫都支行"))
    q(n, "南大街农贸市场隔壁在装修，噪音大", NEAR("南大街农贸市场"))
    q(n, "望丛苑周边晚上坝坝舞声音大", NEAR_COMPOUND("望丛苑", ["望丛苑", "望丛苑南门"]))
    q(n, "鹃城小区附近施工扰民", NEAR_COMPOUND("鹃城小区", ["鹃城小区"]))
    q(n, "百草花园附近路灯不亮", NEAR_COMPOUND("百草花园", ["百草花园"]))
    q(n, "犀浦派出所门口有人吵架", NEAR("犀浦派出所"))
    q(n, "安龙村村委会旁边有人焚烧垃圾", NEAR("安龙村村委会"))
    q(n, "郫都区妇幼保健院门口有人乱停车", ("disc", [], R_NEAR))
    q(n, "郫筒派出所边边上有人乱停电瓶车", BIANBIAN("郫筒派出所"))
    q(n, "犀浦派出所边边上有人摆摊", BIANBIAN("犀浦派出所"))
    q(n, "邮储犀浦支行边边上有人乱贴广告", BIANBIAN("邮储犀浦支行"))
    q(n, "郫都区人民医院对门的馆子油烟大", DUIMEN("郫都区人民医院"))
    q(n, "区中医院对门有人占道", DUIMEN("区中医院"))
    q(n, "红旗连锁犀安路店对门的烧烤摊噪音大", DUIMEN("红旗连锁犀安路店"))
    q(n, "南大街农贸市场那点有人占道卖菜", NADIAN("南大街农贸市场"))
    q(n, "犀浦农贸市场那儿天天堵车", NADIAN("犀浦农贸市场"))
    q(n, "郫都区人民医院那点有人倒垃圾", NADIAN("郫都区人民医院"))
    q(n, "犀浦汽车站那儿有黑车", NADIAN(None))
    q(n, "望丛祠背后有人烧纸钱", BEIHOU("望丛祠"))
    q(n, "交大犀浦校区背后有人私搭乱建", BEIHOU("交大犀浦校区"))
    q(n, "工行郫都支行门口坎坎上有人摆摊", KANKAN("工行郫都支行"))
    q(n, "舞东风超市门口坎坎上有人卖水果", KANKAN("舞东风超市"))

    # --- other_county (成都's other 县级 units, and 德阳, in front of our addresses) -------
    oc = "other_county"
    xa, wc = fb("犀安路", 150, "L"), fb("望丛中路", 1000, "L")
    th = fb("天河路", 600, "R")
    for text, code in [
        (f"温江区犀安路{no(xa)}号", None),
        ("新都区唐昌镇战旗村3社15号", None),
        (f"成都市金牛区望丛中路{no(wc)}号", None),
        ("彭州市唐昌镇金星村张家院子8号", None),
        ("都江堰市安德街道广福村五社7号", None),
        (f"四川省成都市青羊区天河路{no(th)}号", None),
        ("德阳市安德街道安龙村2组11号", None),
        (f"四川省成都市郫都区犀安路{no(xa)}号", xa["code"]),
        ("成都市郫都区唐昌镇战旗村3社15号", H("ZQ", 3, 15)["code"]),
        (f"郫都区望丛中路{no(wc)}号", wc["code"]),
        ("郫都区唐昌镇金星村张家院子8号", H("JX", 1, 8)["code"]),
        ("成都市郫都区安德街道广福村五社7号", H("GF", 5, 7)["code"]),
        (f"成都市郫都区天河路{no(th)}号", th["code"]),
        ("四川省成都市郫都区安德街道安龙村2组11号", H("AL", 2, 11)["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b3 = fb("望丛中路", 150, "L"), fb("竹林巷", 250, "R", 10)
    wcy = door(620, "R")
    absent("战旗村3社99号")
    absent("先锋村300号")
    absent("望丛苑9栋")
    for text, code in [
        (
            "No. 15, Group 3, Zhanqi Village, Tangchang Town, Pidu District, Chengdu",
            H("ZQ", 3, 15)["code"],
        ),
        (
            "No. 11, Group 2, Anlong Village, Ande Subdistrict, Pidu District, Chengdu, Sichuan",
            H("AL", 2, 11)["code"],
        ),
        ("No. 18, Group 5, Guangfu Village, Ande Street, Pidu District", H("GF", 5, 18)["code"]),
        (
            "No. 14, Zhangjia Yuanzi, Jinxing Village, Tangchang Town, Pidu District",
            H("JX", 1, 14)["code"],
        ),
        (
            "No. 128, Xianfeng Village, Tangchang Town, Pidu District, Chengdu",
            H("XF", 0, 128)["code"],
        ),
        ("Pidu Qu Tangchang Zhen Zhanqi Cun 3 She 21 Hao", H("ZQ", 3, 21)["code"]),
        ("Pidu Qu Ande Jiedao Anlong Cun 6 Zu 14 Hao", H("AL", 6, 14)["code"]),
        (f"Chengdu Shi Pidu Qu Wangcong Zhonglu {no(b1)} Hao", b1["code"]),
        (f"No. {no(b1)}, Wangcong Middle Road, Pidu District, Chengdu", b1["code"]),
        ("No. 66-1, Xi'an Road, Pidu District, Chengdu", "PDXAL66S1"),
        (f"Building 2, Wangcongyuan, No. {wcy} Wangcong East Road, Pidu District", "PDWCYB2"),
        ("Building 3, Unit 2, Room 501, Xiyuan Xiaoqu, Pidu District, Chengdu", "PDXYXQB3"),
        (f"No. {no(b3)}, Zhulin Lane, Pidu District", b3["code"]),
        ("15号，3社，战旗村，唐昌镇，郫都区，成都市", H("ZQ", 3, 15)["code"]),
        ("No. 99, Group 3, Zhanqi Village, Tangchang Town, Pidu District", None),
        ("No. 300, Xianfeng Village, Tangchang Town", None),
        ("Building 9, Wangcongyuan, Pidu District, Chengdu", None),
        ("No. 45, Yong'an Village, Pidu District", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 3, Anlong Village, Ande Subdistrict, Pidu District", ZU("安龙村", 3, "安德街道"))
    q(e, "Group 4, Anlong Village, Ande Subdistrict, Pidu District", ZU("安龙村", 4, "安德街道"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    wc2, xa1 = fb("望丛中路", 700, "L"), fb("犀安路", 650, "R")
    th6, nd1 = fb("天河路", 1500, "R"), fb("南大街", 100, "R")
    xy1, bc1 = fb("校园路", 150, "L"), fb("百草路", 1250, "R")
    xd1, hg1, dy1 = fb("西大街", 100, "L"), fb("红光大道", 300, "L"), fb("德源大道", 2800, "R")
    hq, nd2 = fb("望丛中路", 2250, "R"), fb("南大街", 1200, "R")
    ss = fb("柿子巷", 220, "R", 10)
    ey = fb("校园路", 1200, "L")
    t1, t2, t3 = fb("望丛中路", 1000, "L"), fb("德源大道", 200, "L"), fb("红光大道", 2100, "R")
    t4, t5, t6 = fb("犀安路", 2700, "L"), fb("天河路", 1000, "L"), fb("百草路", 800, "L")
    t7, t8, t9 = fb("西源大道", 2700, "R"), fb("望丛东路", 100, "L"), fb("犀安路", 3250, "R")
    tc = fb("唐昌正街", 300, "L")
    jc, xy = door(820, "L"), door(1450, "R")
    for miss in [
        "望丛中路999号",
        "南大街36号",
        "南大街35号附5号",
        "犀安路66-2号",
        "望丛苑9栋",
        "鹃城小区8栋",
        "犀园小区6栋",
        "鹃城小区12栋",
        "战旗村3社99号",
        "金星村张家院子50号",
        "先锋村300号",
        "文庙巷30号",
        "三圣巷20号",
        "草堂巷1号",
        "西大街200号",
    ]:
        absent(miss)
    for text, code in [
        # plain and prefixed addresses
        (wc2["address"], wc2["code"]),
        (f"四川省成都市郫都区望丛中路{no(hq)}号", hq["code"]),
        (f"成都市郫都区犀安路{no(fb('犀安路', 350, 'L'))}号", fb("犀安路", 350, "L")["code"]),
        (f"成都郫都犀安路{no(xa1)}号", xa1["code"]),
        ("郫都犀安路66-1号", "PDXAL66S1"),
        ("郫都区南大街35号附1号", "PDNDJ35F1"),
        ("南大街35号", fb("南大街", 350, "L")["code"]),
        (f"郫都区{''.join(unit(nd1))}南大街{no(nd1)}号", nd1["code"]),
        (f"{''.join(unit(xy1))}校园路{no(xy1)}号", xy1["code"]),
        (f"郫都区{unit(bc1)[0]}百草路{no(bc1)}号", bc1["code"]),
        (f"郫都区西大街{no(xd1)}号", xd1["code"]),
        (hg1["address"], hg1["code"]),
        (f"成都市郫都区德源大道{no(dy1)}号", dy1["code"]),
        (f"郫都区唐昌镇唐昌正街{no(tc)}号", tc["code"]),
        # landmarks alone
        ("望丛祠", code_of_alias("望丛祠")),
        ("郫都区人民医院", code_of_alias("郫都区人民医院")),
        ("郫都一中", code_of_alias("郫都一中")),
        ("犀浦派出所", code_of_alias("犀浦派出所")),
        ("交大犀浦校区", code_of_alias("交大犀浦校区")),
        ("红旗连锁犀安路店", code_of_alias("红旗连锁犀安路店")),
        ("地铁望丛祠站", code_of_alias("地铁望丛祠站")),
        ("战旗村村委会", code_of_alias("战旗村村委会")),
        # 小区, 栋, 单元, 楼, 号
        ("望丛苑2栋", "PDWCYB2"),
        ("鹃城小区2栋1单元3楼2号", "PDJCXQB2"),
        (f"郫都区南大街{jc}号2-1-302", "PDJCXQB2"),
        ("犀园小区3-2-501", "PDXYXQB3"),
        (f"郫都区犀安路{xy}号犀园小区4栋2单元", "PDXYXQB4"),
        ("百草花园1栋3单元6楼2号", "PDBCHYB1"),
        ("望丛苑3栋2单元5楼1号", "PDWCYB3"),
        # rural houses
        ("郫都区唐昌镇战旗村3社9号", H("ZQ", 3, 9)["code"]),
        ("战旗村一社十二号", H("ZQ", 1, 12)["code"]),
        ("唐昌镇金星村李家院子5号", H("JX", 2, 5)["code"]),
        ("郫都区安德街道安龙村1组6号", H("AL", 1, 6)["code"]),
        ("安龙村三组十五号", H("AL", 3, 15)["code"]),
        ("安德街道广福村四社10号", H("GF", 4, 10)["code"]),
        ("广福村2社8号", H("GF", 2, 8)["code"]),
        ("郫都区唐昌镇先锋村58号", H("XF", 0, 58)["code"]),
        ("唐昌镇永安村45号", H("YAT", 0, 45)["code"]),
        ("安德街道中平村96号", H("ZP", 0, 96)["code"]),
        ("成都郫都唐昌战旗村5社13号", H("ZQ", 5, 13)["code"]),
        ("金星村杨家林盘11号", H("JX", 4, 11)["code"]),
        # writings: full-width digits, Chinese numerals, spaces, punctuation
        (fw(f"郫都区望丛中路{no(hq)}号"), hq["code"]),
        (fw("郫都区安德街道月星村40号"), H("YX", 0, 40)["code"]),
        (f"南大街{cn_int(no(nd2))}号", nd2["code"]),
        (f"柿子巷{cn_int(no(ss))}号", ss["code"]),
        ("郫都区三圣巷5号", "PDSSX5"),
        (f"郫都区 校园路 {no(ey)}号", ey["code"]),
        (f"成都市，郫都区，天河路{no(th6)}号。", th6["code"]),
        ("郫都区 安德街道 安龙村 6组 9号", H("AL", 6, 9)["code"]),
        # one-character homophone typos
        (f"旺丛中路{no(t1)}号", t1["code"]),
        (f"德元大道{no(t2)}号", t2["code"]),
        (f"郫都区宏光大道{no(t3)}号", t3["code"]),
        (f"希安路{no(t4)}号", t4["code"]),
        (f"天和路{no(t5)}号", t5["code"]),
        (f"柏草路{no(t6)}号", t6["code"]),
        (f"西原大道{no(t7)}号", t7["code"]),
        (f"泗川省成都市郫都区望丛东路{no(t8)}号", t8["code"]),
        (f"四川省城都市郫都区犀安路{no(t9)}号", t9["code"]),
        (f"郫县望丛中路{no(t1)}号", t1["code"]),
        # doors, 栋 and houses that do not exist
        ("郫都区望丛中路999号", None),
        ("南大街36号", None),
        ("南大街35号附5号", None),
        ("犀安路66-2号", None),
        ("望丛苑9栋", None),
        ("鹃城小区8-2-501", None),
        ("犀园小区6栋2单元5楼1号", None),
        ("郫都区犀浦街道鹃城小区12栋", None),
        ("天府花园2栋", None),
        ("战旗村3社99号", None),
        ("金星村张家院子50号", None),
        ("金星村王家院子8号", None),
        ("先锋村300号", None),
        ("先锋村3社15号", None),
        ("永安村45号", None),
        ("安龙村9组3号", None),
        ("广福村八社2号", None),
        ("文庙巷30号", None),
        ("郫都区草堂巷1号", None),
        ("西大街200号", None),
        ("安德街道战旗村3社15号", None),
        ("唐昌镇安龙村2组11号", None),
        ("郫都区第三人民医院", None),
        ("旺丛中路999号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, str, str | None, list]]:
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
    placed = []
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro, regions = truth(spec)
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
        placed.append((text, kind, micro, regions))
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)},"
        f" queries {len(lines)}"
    )
    return placed


# ---------------------------------------------------------------- reading back
def check_files(placed) -> None:
    """Read the four files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in grids]
    if len(codes) != len(set(codes)):
        raise SystemExit("grids.geojson: duplicate codes")
    known = set(codes)
    micro_poly = {}
    for f in grids:
        p = f["properties"]
        if p["parent_code"] is not None and p["parent_code"] not in known:
            raise SystemExit(f"grids.geojson: {p['code']} has no parent {p['parent_code']}")
        if p["level"] == "micro":
            ring = [unll(lon, lat) for lon, lat in f["geometry"]["coordinates"][0]]
            micro_poly[p["code"]] = Polygon(ring)
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {}
    for r in rows:
        if r["code"] in by_code:
            raise SystemExit(f"buildings.csv: duplicate code {r['code']}")
        by_code[r["code"]] = r
        poly = micro_poly.get(r["micro_grid_code"])
        pt = Point(unll(float(r["lon"]), float(r["lat"])))
        if poly is None or not poly.contains(pt):
            raise SystemExit(f"buildings.csv: {r['code']} is not in {r['micro_grid_code']}")
    addresses = [r["address"] for r in rows]
    if len(addresses) != len(set(addresses)):
        raise SystemExit("buildings.csv: duplicate addresses")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    names = [f["properties"]["name"] for f in roads]
    if len(names) != len(set(names)) or any(shape(f["geometry"]).length <= 0 for f in roads):
        raise SystemExit("roads.geojson: duplicate or empty roads")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(placed):
        raise SystemExit("queries.jsonl: wrong number of lines")
    for line, (text, kind, micro, regions) in zip(lines, placed, strict=True):
        rec = json.loads(line)
        if set(rec) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"queries.jsonl: keys of {text}")
        if rec["query"] != text or rec["kind"] != kind or rec["micro_grid"] != micro:
            raise SystemExit(f"queries.jsonl: {text} was not written as computed")
        exp, mg = rec["expected"], rec["micro_grid"]
        if exp is not None:
            if exp not in by_code or by_code[exp]["micro_grid_code"] != mg:
                raise SystemExit(f"queries.jsonl: {text}: {exp} is not in {mg}")
            continue
        if mg is None:
            continue
        if mg not in micro_poly:
            raise SystemExit(f"queries.jsonl: {text}: no micro-grid {mg}")
        if not regions:
            raise SystemExit(f"queries.jsonl: {text}: a place positive without a region")
        for region in regions:
            if not micro_poly[mg].buffer(0.05).contains(region):
                raise SystemExit(f"queries.jsonl: {text}: the place is not inside {mg}")
            others = [
                c for c, p in micro_poly.items() if c != mg and p.buffer(0.05).contains(region)
            ]
            if others:
                raise SystemExit(f"queries.jsonl: {text}: the place also fits {others}")
    print("read back: grids, buildings, roads and queries agree")


if __name__ == "__main__":
    check_files(write_all())
