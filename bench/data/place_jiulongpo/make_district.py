"""Write the place-description evaluation district: 重庆市九龙坡区.

    python bench/data/place_jiulongpo/make_district.py

One grid tree in two parts: an urban core (杨家坪街道, 黄桷坪街道, with roads, 梯道, 巷, 坡, 湾,
a 步行街, 小区 and doors with 附号 — `九龙坡区杨家坪正街12号附3号`) and a rural east (华岩镇,
走马镇, with 行政村 whose houses are written by 社 — `九龙坡区华岩镇龙井村3社15号` — by 组 —
`九龙坡区走马镇关口村三组8号` — or numbered across the village — `九龙坡区华岩镇石坝村37号`).
The 街道 / 镇 and some road names are 九龙坡区's; the communities, villages, lanes, door
numbers, landmarks' positions and all geometry are ours: a layout in metres over a 4.8 km x 3 km
box, turned into WGS-84 near 106.50 E, 29.50 N.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. After writing, the
four files are read back and checked against each other.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path

from shapely.affinity import affine_transform
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 106.4750, 29.4860  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("500107", "九龙坡区")
W, S, E, N = 0.0, 0.0, 4800.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    (
        "500107001",
        "杨家坪街道",
        (0, 1500, 2400, 3000),
        [("正街社区", "正街"), ("团结坝社区", "团结坝")],
    ),
    (
        "500107002",
        "黄桷坪街道",
        (0, 0, 2400, 1500),
        [("新村社区", "新村"), ("桃花溪社区", "桃花溪")],
    ),
]

# rural towns: code, name, box, villages (name, key, micro-grid naming style)
# "she": six micro-grids named after the 社 (`龙井村3社`); "plain": six plain micro-grids;
# "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "500107101",
        "华岩镇",
        (2400, 1500, 4800, 3000),
        [
            ("龙井村", "LJ", "she"),
            ("石坝村", "SB", "small"),
            ("新桥村", "XQH", "small"),
            ("茶园村", "CY", "small"),
        ],
    ),
    (
        "500107105",
        "走马镇",
        (2400, 0, 4800, 1500),
        [
            ("关口村", "GK", "plain"),
            ("新桥村", "XQZ", "small"),
            ("孙家村", "SJ", "small"),
            ("椒园村", "JY", "small"),
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
        for vi, (v_name, _key, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            width = 400 if style == "small" else 1200
            vb = (x, s, x + width, n)
            x += width
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
                        name = f"{v_name}{m}社"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


# ---------------------------------------------------------------- roads
def hill_curve() -> list[tuple[float, float]]:
    """肖家湾路: a hill road hanging below 杨家坪正街 in a U, so the two meet twice."""
    pts = []
    for i in range(15):
        x = 1260 + 280 * i / 14
        y = 1990 + 240 * ((x - 1400) / 140) ** 2
        pts.append((round(x, 1), round(y, 1)))
    return pts


ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # 杨家坪街道
    ("杨家坪正街", "secondary", [(0, 2100), (2400, 2100)]),
    ("珠江路", "secondary", [(0, 2700), (2400, 2700)]),
    ("西郊路", "arterial", [(600, 1500), (600, 3000)]),
    ("直港大道", "arterial", [(1200, 0), (1200, 3000)]),
    ("谢家湾正街", "secondary", [(1800, 1500), (1800, 3000)]),
    ("肖家湾路", "branch", hill_curve()),
    ("杨家坪步行街", "branch", [(900, 2400), (1100, 2400)]),
    ("石门巷", "branch", [(200, 2300), (200, 2550)]),
    ("正街梯道", "branch", [(700, 2100), (700, 2240)]),
    ("马家坡", "branch", [(1450, 2850), (1750, 2850)]),
    # the street border, and 黄桷坪街道
    ("杨九路", "arterial", [(0, 1500), (2400, 1500)]),
    ("黄桷坪正街", "secondary", [(0, 900), (2400, 900)]),
    ("九滨路", "arterial", [(0, 0), (2400, 0)]),
    ("电厂路", "secondary", [(500, 0), (500, 1500)]),
    ("桃花溪路", "secondary", [(1900, 300), (1900, 1500)]),
    ("川美梯道", "branch", [(1000, 900), (1000, 1150)]),
    ("李家湾", "branch", [(2100, 300), (2300, 300)]),
    # the rural east
    ("华福大道", "arterial", [(2400, 0), (2400, 3000)]),
    ("华走路", "arterial", [(2400, 1500), (4800, 1500)]),
    ("华岩正街", "secondary", [(2400, 2600), (4700, 2600)]),
    ("龙井路", "branch", [(3000, 1600), (3000, 2900)]),
    ("华陶路", "secondary", [(4600, 0), (4600, 3000)]),
    ("凉风垭口", "branch", [(3700, 2350), (3700, 2550)]),
    ("走马正街", "secondary", [(3300, 1100), (4560, 1100)]),
    ("走马环线", "arterial", [(2400, 400), (4800, 400)]),
    ("关口路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("慈竹路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "九龙坡区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "杨家坪正街": "YJPZJ",
    "珠江路": "ZJL",
    "西郊路": "XJL",
    "直港大道": "ZGDD",
    "谢家湾正街": "XJWZJ",
    "杨家坪步行街": "BXJ",
    "石门巷": "SMX",
    "正街梯道": "ZJTD",
    "马家坡": "MJP",
    "杨九路": "YJL",
    "黄桷坪正街": "HJPZJ",
    "九滨路": "JBL",
    "电厂路": "DCL",
    "桃花溪路": "THXL",
    "川美梯道": "CMTD",
    "李家湾": "LJW",
    "华福大道": "HFDD",
    "华岩正街": "HYZJ",
    "华陶路": "HTL",
    "凉风垭口": "LFYK",
    "走马正街": "ZMZJ",
    "走马环线": "ZMHX",
    "油房巷": "YFX",
    "桂花湾": "GHW",
    "铁路巷": "TLX",
    "黄泥坡": "HNP",
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
        add(f"JL{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"JL{CODE_KEY[road]}{door(s, side, step)}"]


def fuhao(base: dict, k: int, dx: float, dy: float, aliases=()):
    """A 附号 door beside a main door: `杨家坪正街12号附3号` is a building of its own."""
    add(
        f"{base['code']}F{k}",
        f"{base['address']}附{k}号",
        round(base["x"] + dx, 2),
        round(base["y"] + dy, 2),
        aliases,
        road=base["road"],
        n=base["n"],
        fu=k,
    )


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"JL{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """A 小区's 栋 behind its gate door: `九龙坡区西郊路91号3栋`, alias `西郊花园3栋`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}{k}栋", x, y, [f"{name}{k}栋"], compound=name)


TOWN_OF = {
    "LJ": "华岩镇",
    "SB": "华岩镇",
    "XQH": "华岩镇",
    "CY": "华岩镇",
    "GK": "走马镇",
    "XQZ": "走马镇",
    "SJ": "走马镇",
    "JY": "走马镇",
}
VILLAGE_OF = {
    "LJ": "龙井村",
    "SB": "石坝村",
    "XQH": "新桥村",
    "CY": "茶园村",
    "GK": "关口村",
    "XQZ": "新桥村",
    "SJ": "孙家村",
    "JY": "椒园村",
}
ZU_STYLE = {"LJ": "she", "GK": "zu_cn"}  # 龙井村3社, 关口村三组
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    return f"{zu}社" if ZU_STYLE[key] == "she" else f"{CN[zu]}组"


def rural_houses(key: str, zu: int | None, centre, numbers, aliases=None):
    """Houses of a 村民小组 (社 / 组) or of a village numbered across (zu None) round a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        zt = zu_text(key, zu) if zu else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"JL{key}{zu or 0:02d}{n:03d}",
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
    # ---- 杨家坪街道
    frontage(
        "杨家坪正街",
        [
            (110, "R", []),
            (260, "L", ["杨家坪农贸市场", "杨家坪菜市场"]),
            (480, "R", ["中国建设银行杨家坪支行", "建行杨家坪支行"]),
            (900, "L", []),
            (1180, "R", ["轻轨杨家坪站", "杨家坪轻轨站", "杨家坪站"]),
            (1700, "L", ["团结坝社区居委会", "团结坝社区"]),
            (2050, "R", []),
            (2250, "L", []),
        ],
    )
    yz12 = fb("杨家坪正街", 110, "R")
    fuhao(yz12, 1, 6, -8)
    fuhao(yz12, 3, 12, -16)
    frontage(
        "珠江路",
        [
            (150, "L", []),
            (500, "R", ["杨家坪派出所"]),
            (1000, "L", []),
            (1450, "R", []),
            (2100, "R", []),
            (2300, "L", []),
        ],
    )
    frontage(
        "西郊路",
        [
            (100, "L", []),
            (350, "R", ["九龙坡区人民医院", "区人民医院", "九龙坡人民医院"]),
            (900, "L", ["西郊花园", "西郊花园大门"]),
            (1100, "R", ["轻轨动物园站", "动物园站"]),
            (1300, "L", []),
            (1420, "R", ["重庆动物园", "动物园", "动物园大门"]),
        ],
    )
    frontage(
        "直港大道",
        [
            (300, "R", []),
            (1300, "L", ["中石化直港大道加油站", "直港大道加油站"]),
            (1700, "R", []),
            (2400, "R", ["中国工商银行杨家坪支行", "工行杨家坪支行"]),
            (2900, "L", []),
        ],
    )
    frontage(
        "谢家湾正街",
        [
            (150, "R", []),
            (300, "R", ["兴华城", "兴华城大门"]),
            (450, "L", ["轻轨谢家湾站", "谢家湾站"]),
            (900, "R", ["重庆市杨家坪中学", "杨家坪中学"]),
            (1350, "L", []),
        ],
    )
    frontage("杨家坪步行街", [(30, "L", []), (120, "R", []), (170, "L", [])], step=10)
    frontage("石门巷", [(40, "L", []), (200, "R", [])], step=10)
    frontage("正街梯道", [(50, "L", []), (110, "R", [])], step=10)
    frontage("马家坡", [(50, "L", []), (250, "R", [])], step=10)
    lane_houses("油房巷", [(2, 250, 1700), (5, 262, 1760), (9, 250, 1820)])
    lane_houses("桂花湾", [(3, 2150, 2450), (8, 2200, 2480), (12, 2250, 2450)])
    compound(
        f"西郊路{door(900, 'L')}号",
        "西郊花园",
        "JLXJHY",
        [(460, 2330), (520, 2330), (460, 2400), (520, 2400), (490, 2470)],
    )
    compound(
        f"谢家湾正街{door(300, 'R')}号",
        "兴华城",
        "JLXHC",
        [(1870, 1700), (1940, 1700), (1870, 1780), (1940, 1780), (1870, 1860)],
    )
    # ---- the street border and 黄桷坪街道
    frontage(
        "杨九路",
        [
            (300, "L", []),
            (850, "R", []),
            (1500, "L", ["中石油杨九路加油站", "杨九路加油站"]),
            (2100, "R", ["重庆农商行黄桷坪支行", "农商行黄桷坪支行"]),
        ],
    )
    frontage(
        "黄桷坪正街",
        [
            (150, "L", []),
            (330, "R", ["黄桷坪派出所"]),
            (700, "L", ["新村社区居委会", "新村社区"]),
            (1070, "R", ["四川美术学院黄桷坪校区", "川美黄桷坪校区", "川美", "四川美术学院"]),
            (1500, "L", ["黄桷坪农贸市场", "黄桷坪菜市场"]),
            (1700, "R", ["黄桷坪小学"]),
            (2150, "L", ["桃花溪社区居委会", "桃花溪社区"]),
            (2300, "R", []),
        ],
    )
    fuhao(fb("黄桷坪正街", 150, "L"), 2, 8, 10)
    frontage(
        "九滨路", [(300, "L", []), (900, "L", ["九滨路滨江公园", "滨江公园"]), (1700, "L", [])]
    )
    frontage(
        "电厂路",
        [
            (200, "R", []),
            (600, "L", []),
            (1200, "R", ["黄桷坪邮政支局", "黄桷坪邮局"]),
            (1350, "L", []),
        ],
    )
    frontage("桃花溪路", [(100, "R", []), (800, "L", ["桃溪苑", "桃溪苑大门"]), (1000, "R", [])])
    frontage("川美梯道", [(60, "L", []), (200, "R", [])], step=10)
    frontage("李家湾", [(40, "L", []), (160, "R", [])], step=10)
    lane_houses("铁路巷", [(2, 1170, 600), (5, 1230, 600), (8, 1240, 660)])
    lane_houses("黄泥坡", [(1, 300, 1100), (6, 340, 1150), (10, 300, 1200)])
    compound(
        f"桃花溪路{door(800, 'L')}号",
        "桃溪苑",
        "JLTXY",
        [(1700, 1050), (1770, 1050), (1700, 1130), (1770, 1130)],
    )
    # ---- the rural east
    frontage("华福大道", [(600, "L", []), (1900, "L", []), (2300, "R", [])])
    frontage("华陶路", [(200, "R", []), (2000, "L", [])])
    hy = CITY + "华岩镇"
    frontage(
        "华岩正街",
        [
            (150, "L", []),
            (700, "R", ["华岩镇卫生院"]),
            (1050, "L", ["华岩派出所"]),
            (1350, "R", ["华岩寺", "华岩寺山门"]),
            (1750, "L", ["华岩中学"]),
            (2080, "R", ["重庆农商行华岩支行", "农商行华岩支行"]),
            (2250, "L", ["华岩加油站"]),
        ],
        prefix=hy,
    )
    frontage("凉风垭口", [(60, "L", []), (170, "R", [])], prefix=hy, step=10)
    zm = CITY + "走马镇"
    frontage(
        "走马正街",
        [
            (100, "L", ["走马镇卫生院"]),
            (450, "R", ["走马古镇", "走马古镇牌坊"]),
            (620, "L", ["走马派出所"]),
            (1030, "R", ["中国邮政储蓄银行走马支行", "邮储走马支行"]),
            (1200, "L", ["走马小学"]),
        ],
        prefix=zm,
    )
    frontage("走马环线", [(500, "L", ["走马加油站"]), (1700, "R", []), (2300, "L", [])], prefix=zm)
    # 华岩镇: 龙井村 (1社 … 6社, micro-grids named after them)
    for zu, centre, nums in [
        (1, (2600, 1820), [3, 8, 12]),
        (2, (3080, 1850), [4, 7, 11]),
        (3, (3400, 1900), [6, 9, 15, 21]),
        (4, (2620, 2800), [2, 5, 10]),
        (5, (3100, 2820), [1, 6, 13]),
        (6, (3400, 2800), [3, 8]),
    ]:
        al = {7: ["龙井村委会", "龙井村村委会"]} if zu == 2 else None
        rural_houses("LJ", zu, centre, nums, al)
    # 走马镇: 关口村 (plain micro-grids; 四组 lies across two)
    rural_houses("GK", 1, (2700, 560), [2, 6, 9])
    rural_houses("GK", 2, (3000, 300), [1, 5, 12])
    rural_houses("GK", 3, (3400, 300), [3, 8, 14])
    rural_houses("GK", 4, (2800, 1150), [4, 7, 10])
    rural_houses("GK", 5, (3000, 1125), [2, 9, 16], {9: ["关口村委会", "关口村村委会"]})
    rural_houses("GK", 6, (3400, 1200), [5, 11])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("SB", None, (3800, 1880), [12, 37, 58, 103])
    rural_houses("XQH", None, (4200, 2820), [6, 21, 45, 88])
    rural_houses("CY", None, (4520, 1900), [15, 52, 96, 128, 143], {52: ["茶园村委会"]})
    rural_houses("XQZ", None, (3800, 250), [9, 26, 64, 117])
    rural_houses("SJ", None, (4280, 950), [3, 18, 40, 77], {18: ["孙家村卫生室"]})
    rural_houses("JY", None, (4700, 1220), [7, 33, 70])


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
R_NEAR = 50.0  # 门口 / 旁边 / 对面 / 隔壁 / 附近 / 楼下: every point within 50 m
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
        if o is None or d is None:  # no such landmark, or 往上走 / 往下走 / 往前走
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
    if kind == "zu":  # ("zu", town or None, village, number): 社 and 组 alike
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
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


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases])


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"JL{key}{zu:02d}{n:03d}"]


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
    q(x, "杨家坪正街与西郊路交叉口有人占道摆摊", X("杨家坪正街", "西郊路"))
    q(x, "杨家坪正街西郊路路口东北角井盖缺失", X("杨家坪正街", "西郊路", "东北"))
    q(
        x,
        "杨家坪正街、西郊路路口往南50米路面塌陷",
        X("杨家坪正街", "西郊路", None, ("南", 50, "exact")),
    )
    q(x, "杨家坪正街与直港大道交叉口红绿灯坏了", X("杨家坪正街", "直港大道"))
    q(x, "杨家坪正街直港大道路口东北角有人乱扔垃圾", X("杨家坪正街", "直港大道", "东北"))
    q(x, "谢家湾正街与杨家坪正街交叉口车辆乱停", X("谢家湾正街", "杨家坪正街"))
    q(
        x,
        "谢家湾正街杨家坪正街路口往北200米有渣土车撒漏",
        X("谢家湾正街", "杨家坪正街", None, ("北", 200, "exact")),
    )
    q(x, "杨家坪正街和肖家湾路交叉口积水，车都过不去", X("杨家坪正街", "肖家湾路"))
    q(x, "珠江路与西郊路交叉口晚上施工噪音扰民", X("珠江路", "西郊路"))
    q(x, "西郊路珠江路转盘有人发小广告", X("西郊路", "珠江路"))
    q(x, "珠江路与直港大道交叉口有人乱停车", X("珠江路", "直港大道"))
    q(x, "西郊路与杨九路交叉口路灯不亮", X("西郊路", "杨九路"))
    q(x, "直港大道杨九路转盘有车辆违停", X("直港大道", "杨九路"))
    q(x, "直港大道与杨九路交叉口东北角有人摆摊卖水果", X("直港大道", "杨九路", "东北"))
    q(x, "杨九路直港大道路口西南角积水严重", X("杨九路", "直港大道", "西南"))
    q(x, "黄桷坪正街与电厂路交叉口路面破损", X("黄桷坪正街", "电厂路"))
    q(
        x,
        "黄桷坪正街、电厂路路口往东30米有人占道经营",
        X("黄桷坪正街", "电厂路", None, ("东", 30, "exact")),
    )
    q(x, "黄桷坪正街与直港大道交叉口东南角井盖松动", X("黄桷坪正街", "直港大道", "东南"))
    q(x, "黄桷坪正街直港大道十字路口早高峰堵死了", X("黄桷坪正街", "直港大道"))
    q(x, "桃花溪路与黄桷坪正街交叉口有人倒垃圾", X("桃花溪路", "黄桷坪正街"))
    q(x, "桃花溪路与九滨路交叉口有人钓鱼占道", X("桃花溪路", "九滨路"))
    q(x, "直港大道与九滨路交叉口东北角有人乱扔垃圾", X("直港大道", "九滨路", "东北"))
    q(x, "九滨路与电厂路交叉口路灯不亮", X("九滨路", "电厂路"))
    q(x, "西郊路与黄桷坪正街交叉口有人摆摊", X("西郊路", "黄桷坪正街"))
    q(x, "珠江路跟杨家坪正街的路口有个大坑", X("珠江路", "杨家坪正街"))
    q(x, "华岩正街与龙井路交叉口有人晒谷子占道", X("华岩正街", "龙井路"))
    q(
        x,
        "华岩正街龙井路路口往东100米有条死狗",
        X("华岩正街", "龙井路", None, ("东", 100, "exact")),
    )
    q(x, "华岩正街与华陶路交叉口西北角堆了建筑垃圾", X("华岩正街", "华陶路", "西北"))
    q(x, "华陶路与华走路交叉口有人卖水果占道", X("华陶路", "华走路"))
    q(x, "华陶路华走路路口东南角有人焚烧垃圾", X("华陶路", "华走路", "东南"))
    q(x, "走马正街与慈竹路交叉口有人打架", X("走马正街", "慈竹路"))
    q(x, "走马正街与华陶路交叉口路灯坏了", X("走马正街", "华陶路"))
    q(
        x,
        "慈竹路、走马环线路口往北30米路面塌陷",
        X("慈竹路", "走马环线", None, ("北", 30, "exact")),
    )
    q(x, "华福大道与华岩正街交叉口有人乱停车", X("华福大道", "华岩正街"))
    q(x, "华福大道华岩正街路口东北角有人摆摊", X("华福大道", "华岩正街", "东北"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "九龙坡区人民医院往北200米有人占道经营", OFF(A("九龙坡区人民医院"), "北", 200))
    q(o, "区人民医院往南走了三百来米，有个井盖没了", OFF(A("区人民医院"), "南", 300, "about"))
    q(
        o,
        "九龙坡区人民医院向北大约150米路东有车辆违停",
        OFF(A("九龙坡区人民医院"), "北", 150, "about", ("西郊路", "东")),
    )
    q(o, "动物园大门往北500米有人放孔明灯", OFF(A("动物园大门"), "北", 500))
    q(
        o,
        "重庆动物园往南200米路西有人摆地摊",
        OFF(A("重庆动物园"), "南", 200, side=("西郊路", "西")),
    )
    q(o, "轻轨杨家坪站往西200米有人发小广告", OFF(A("轻轨杨家坪站"), "西", 200))
    q(o, "杨家坪站朝东走一百多米有个下水道盖子翘起来了", OFF(A("杨家坪站"), "东", 100, "more"))
    q(o, "杨家坪站出来往上走200米有人乱停车", OFF(A("杨家坪站"), None, 200))
    q(
        o,
        "杨家坪菜市场往东200米路北有人卖活禽",
        OFF(A("杨家坪菜市场"), "东", 200, side=("杨家坪正街", "北")),
    )
    q(o, "杨家坪农贸市场朝东走一百多米油烟扰民", OFF(A("杨家坪农贸市场"), "东", 100, "more"))
    q(o, "建行杨家坪支行往北约300米有人违章搭建", OFF(A("建行杨家坪支行"), "北", 300, "about"))
    q(o, "团结坝社区居委会往西100米路灯不亮", OFF(A("团结坝社区居委会"), "西", 100))
    q(o, "团结坝社区往北两百米有人遛狗不牵绳", OFF(A("团结坝社区"), "北", 200))
    q(o, "杨家坪派出所往东大概200米有人占道", OFF(A("杨家坪派出所"), "东", 200, "about"))
    q(o, "杨家坪派出所往南400米有车辆乱停", OFF(A("杨家坪派出所"), "南", 400))
    q(
        o,
        "杨家坪中学往北200米路西人行道被占",
        OFF(A("杨家坪中学"), "北", 200, side=("谢家湾正街", "西")),
    )
    q(o, "杨家坪中学往西走了三百来米，有人烧东西", OFF(A("杨家坪中学"), "西", 300, "about"))
    q(
        o,
        "川美往东200米路南有人乱贴小广告",
        OFF(A("川美"), "东", 200, side=("黄桷坪正街", "南")),
    )
    q(o, "川美往北走了三百来米，垃圾几天没人收", OFF(A("川美"), "北", 300, "about"))
    q(o, "川美往下走100米有个坑", OFF(A("川美"), None, 100))
    q(o, "黄桷坪派出所往北约500米有人私搭乱建", OFF(A("黄桷坪派出所"), "北", 500, "about"))
    q(
        o,
        "黄桷坪菜市场往西100米路北有人占道卖菜",
        OFF(A("黄桷坪菜市场"), "西", 100, side=("黄桷坪正街", "北")),
    )
    q(o, "新村社区居委会往南300米有人乱倒建渣", OFF(A("新村社区居委会"), "南", 300))
    q(o, "桃花溪社区往南约200米路面塌了", OFF(A("桃花溪社区"), "南", 200, "about"))
    q(o, "杨九路加油站往南150米有人洗车占道", OFF(A("杨九路加油站"), "南", 150))
    q(o, "轻轨动物园站往前走两百米有人摆摊", OFF(A("轻轨动物园站"), None, 200))
    q(
        o,
        "华岩镇卫生院往东约200米路北有人倒渣土",
        OFF(A("华岩镇卫生院"), "东", 200, "about", ("华岩正街", "北")),
    )
    q(o, "华岩寺往南500米有人烧纸钱", OFF(A("华岩寺"), "南", 500))
    q(o, "华岩寺往北1公里有人砍树", OFF(A("华岩寺"), "北", 1000))
    q(o, "华岩派出所往西走了三百来米有人焚烧秸秆", OFF(A("华岩派出所"), "西", 300, "about"))
    q(o, "龙井村委会往北约300米有人私建猪圈", OFF(A("龙井村委会"), "北", 300, "about"))
    q(o, "走马古镇往北200米有人占道晒粮食", OFF(A("走马古镇"), "北", 200))
    q(o, "走马派出所往西150米有流动摊贩", OFF(A("走马派出所"), "西", 150))
    q(o, "走马加油站往东300米路面坑洼", OFF(A("走马加油站"), "东", 300))
    q(o, "关口村委会往东约400米有人电鱼", OFF(A("关口村委会"), "东", 400, "about"))
    q(
        o,
        "杨家坪正街与西郊路交叉口往东150米路南，商户占道",
        OFF(XO("杨家坪正街", "西郊路"), "东", 150, side=("杨家坪正街", "南")),
    )
    q(
        o,
        "华岩正街与龙井路交叉口以西约300米路北有垃圾堆",
        OFF(XO("华岩正街", "龙井路"), "西", 300, "about", ("华岩正街", "北")),
    )
    q(o, "九龙坡区中医院往北100米有人占道", OFF(("none",), "北", 100))
    q(o, "黄桷坪电影院往东200米有积水", OFF(("none",), "东", 200))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("石门巷路灯坏了好几天了", "石门巷"),
        ("来电人反映正街梯道扶手松了，老人上下危险", "正街梯道"),
        ("川美梯道有人乱涂乱画", "川美梯道"),
        ("马家坡有车辆长期占道", "马家坡"),
        ("李家湾下水道堵了，污水漫到路上", "李家湾"),
        ("凉风垭口有人偷倒建渣", "凉风垭口"),
        ("杨家坪步行街有人发传单拉客", "杨家坪步行街"),
        ("市民称油房巷里面电线乱拉", "油房巷"),
        ("桂花湾化粪池满了往外冒", "桂花湾"),
        ("铁路巷 有人占用消防通道", "铁路巷"),
        ("黄泥坡路面结冰，老人出行困难", "黄泥坡"),
        ("珠江路路灯不亮", "珠江路"),
        ("青石巷有人半夜施工", "青石巷"),
        ("龙须梯道有人养鸡扰民", "龙须梯道"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组, written 社 or 组, named with its village) --------------------------
    g = "group"
    q(g, "龙井村3社有人焚烧秸秆", ZU("龙井村", 3))
    q(g, "龙井村五社有人在田边烧垃圾", ZU("龙井村", 5))
    q(g, "华岩镇龙井村第一村民小组有人违建", ZU("龙井村", 1, "华岩镇"))
    q(g, "九龙坡区华岩镇龙井村6社自来水停了", ZU("龙井村", 6, "华岩镇"))
    q(g, "龙井村2组有人放养的狗咬人", ZU("龙井村", 2))
    q(g, "龙井村四社排水沟堵塞", ZU("龙井村", 4))
    q(g, "关口村二组路灯不亮", ZU("关口村", 2))
    q(g, "关口村5社有人私挖鱼塘", ZU("关口村", 5))
    q(g, "关口村第6村民小组有人偷倒建筑垃圾", ZU("关口村", 6))
    q(g, "走马镇关口村1组有人私搭乱建", ZU("关口村", 1, "走马镇"))
    q(g, "关口村三组有人在路边晒粮", ZU("关口村", 3))
    q(g, "关口村四组垃圾没人收", ZU("关口村", 4))
    q(g, "龙井村九社有人烧秸秆", ZU("龙井村", 9))
    q(g, "走马镇龙井村2社有人违建", ZU("龙井村", 2, "走马镇"))
    q(g, "华岩镇关口村三组有人电鱼", ZU("关口村", 3, "华岩镇"))
    q(g, "石坝村3社有人私拉电线", ZU("石坝村", 3))
    q(g, "孙家村2组路面塌陷", ZU("孙家村", 2))

    # --- village (a 行政村 named alone, or with its town) ----------------------------------
    v = "village"
    q(v, "石坝村有人烧秸秆，烟很大", VIL("石坝村"))
    q(v, "华岩镇石坝村路灯不亮", VIL("石坝村", "华岩镇"))
    q(v, "茶园村有人私拉电网捕鱼", VIL("茶园村"))
    q(v, "华岩镇茶园村狗咬人", VIL("茶园村", "华岩镇"))
    q(v, "孙家村有人往河沟里倒垃圾", VIL("孙家村"))
    q(v, "椒园村自来水停了三天", VIL("椒园村"))
    q(v, "九龙坡区走马镇椒园村有人占用耕地建房", VIL("椒园村", "走马镇"))
    q(v, "华岩镇新桥村有人焚烧垃圾", VIL("新桥村", "华岩镇"))
    q(v, "走马新桥村路面塌陷", VIL("新桥村", "走马镇"))
    q(v, "新桥村有人私建猪圈", VIL("新桥村"))
    q(v, "龙井村垃圾堆放", VIL("龙井村"))
    q(v, "华岩镇龙井村有人电鱼", VIL("龙井村", "华岩镇"))
    q(v, "关口村排水沟堵了", VIL("关口村"))
    q(v, "走马镇石坝村有人焚烧秸秆", VIL("石坝村", "走马镇"))
    q(v, "华岩镇孙家村有人违建", VIL("孙家村", "华岩镇"))
    q(v, "大石村有人烧荒", VIL("大石村"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "九龙坡区人民医院门口乱停车，救护车进不去", NEAR("九龙坡区人民医院"))
    q(n, "杨家坪站门口有人发传单", NEAR("杨家坪站"))
    q(n, "轻轨动物园站旁边有人摆摊", NEAR("轻轨动物园站"))
    q(n, "重庆动物园门口有黄牛倒卖门票", NEAR("重庆动物园"))
    q(n, "杨家坪菜市场附近污水横流", NEAR("杨家坪菜市场"))
    q(n, "建行杨家坪支行对面的井盖缺失", NEAR("建行杨家坪支行"))
    q(n, "杨家坪派出所隔壁在装修，噪音大", NEAR("杨家坪派出所"))
    q(n, "杨家坪中学门口有流动摊贩，影响学生上学", NEAR("杨家坪中学"))
    q(n, "西郊花园附近半夜施工扰民", NEAR_COMPOUND("西郊花园", ["西郊花园"]))
    q(n, "兴华城楼下有人烧烤，油烟扰民", NEAR_COMPOUND("兴华城", ["兴华城"]))
    q(n, "工行杨家坪支行门口共享单车堆成山", NEAR("工行杨家坪支行"))
    q(n, "川美门口有人摆摊卖画", NEAR("川美"))
    q(n, "黄桷坪菜市场旁边垃圾堆了好几天", NEAR("黄桷坪菜市场"))
    q(n, "新村社区居委会楼下有人打牌占道", NEAR("新村社区居委会"))
    q(n, "杨九路加油站旁边有人卖散装汽油", NEAR("杨九路加油站"))
    q(n, "中石化直港大道加油站旁边车辆排队堵路", NEAR("中石化直港大道加油站"))
    q(n, "滨江公园附近有人夜钓喧哗", NEAR("滨江公园"))
    q(n, "桃溪苑附近有人遛狗不牵绳", NEAR_COMPOUND("桃溪苑", ["桃溪苑"]))
    q(n, "华岩寺门口有人强卖香烛", NEAR("华岩寺"))
    q(n, "华岩镇卫生院对面有人摆摊", NEAR("华岩镇卫生院"))
    q(n, "龙井村委会旁边有人焚烧垃圾", NEAR("龙井村委会"))
    q(n, "走马古镇附近车辆乱停", NEAR("走马古镇"))
    q(n, "孙家村卫生室门口有个水坑没人管", NEAR("孙家村卫生室"))
    q(n, "九龙坡区第二人民医院门口有人乱停车", ("near", []))
    q(n, "华岩镇敬老院附近有人烧垃圾", ("near", []))

    # --- other_county (重庆's other 区 / 县 in front of our addresses) ---------------------
    oc = "other_county"
    yz = BY_CODE["JLYJPZJ12F3"]
    cm = BY_CODE[code_of_alias("川美")]
    xj, zj = fb("西郊路", 100, "L"), fb("珠江路", 1000, "L")
    for text, code in [
        ("渝中区杨家坪正街12号附3号", None),
        ("重庆市沙坪坝区华岩镇龙井村3社15号", None),
        (f"大渡口区黄桷坪正街{no(cm)}号", None),
        (f"江北区西郊路{no(xj)}号", None),
        ("璧山区走马镇关口村三组8号", None),
        ("重庆市江津区华岩镇石坝村37号", None),
        (f"巴南区珠江路{no(zj)}号", None),
        ("重庆市九龙坡区杨家坪正街12号附3号", yz["code"]),
        ("九龙坡区华岩镇龙井村3社15号", H("LJ", 3, 15)["code"]),
        (f"重庆市九龙坡区黄桷坪正街{no(cm)}号", cm["code"]),
        (f"九龙坡区西郊路{no(xj)}号", xj["code"]),
        ("重庆九龙坡走马镇关口村三组8号", H("GK", 3, 8)["code"]),
        ("华岩镇石坝村37号", H("SB", 0, 37)["code"]),
        (f"重庆市九龙坡区珠江路{no(zj)}号", zj["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("珠江路", 2100, "R"), fb("谢家湾正街", 1350, "L")
    b3, b4 = fb("黄桷坪正街", 2300, "R"), fb("石门巷", 40, "L", 10)
    sb = H("SB", 0, 58)
    absent("龙井村3社40号")
    absent("走马正街300号")
    absent("石门巷99号")
    for text, code in [
        ("No. 12, Yangjiaping Main Street, Jiulongpo District, Chongqing", "JLYJPZJ12"),
        (
            f"No. {no(cm)}, Huangjueping Main Street, Jiulongpo District, Chongqing",
            cm["code"],
        ),
        (f"No. {no(xj)}, Xijiao Road, Jiulongpo District", xj["code"]),
        (f"No. {no(b1)} Zhujiang Road, Jiulongpo District, Chongqing", b1["code"]),
        (
            f"Building 3, Xijiao Garden, No. {door(900, 'L')} Xijiao Road, Jiulongpo District,"
            " Chongqing",
            "JLXJHYB3",
        ),
        ("Building 2, Xinghua City, Jiulongpo District, Chongqing", "JLXHCB2"),
        (
            "No. 15, Group 3, Longjing Village, Huayan Town, Jiulongpo District, Chongqing",
            H("LJ", 3, 15)["code"],
        ),
        ("No. 8, Group 3, Guankou Village, Zouma Town, Jiulongpo District", H("GK", 3, 8)["code"]),
        (f"No. {no(sb)}, Shiba Village, Huayan Town, Jiulongpo District", sb["code"]),
        (f"No. {no(b4)}, Shimen Lane, Jiulongpo District, Chongqing", b4["code"]),
        (f"No. {no(b2)}, Xiejiawan Main Street, Jiulongpo District", b2["code"]),
        ("No. 40, Group 3, Longjing Village, Huayan Town, Jiulongpo District", None),
        ("Group 5, Longjing Village, Huayan Town, Jiulongpo District", ZU("龙井村", 5, "华岩镇")),
        (
            "Group 4, Guankou Village, Zouma Town, Jiulongpo District, Chongqing",
            ZU("关口村", 4, "走马镇"),
        ),
        ("No. 300, Zouma Main Street, Zouma Town, Jiulongpo District, Chongqing", None),
        ("12号附3号，杨家坪正街，九龙坡区，重庆市", "JLYJPZJ12F3"),
        ("15号，3社，龙井村，华岩镇，九龙坡区", H("LJ", 3, 15)["code"]),
        (f"{no(b3)}号，黄桷坪正街，九龙坡区", b3["code"]),
        ("3栋，西郊花园，九龙坡区", "JLXJHYB3"),
        ("99号，石门巷，九龙坡区", None),
    ]:
        q(e, text, code if isinstance(code, tuple) else BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    hj15 = fb("黄桷坪正街", 150, "L")
    t1, t2 = fb("杨家坪正街", 2250, "L"), fb("黄桷坪正街", 1700, "R")
    t3, t4 = fb("谢家湾正街", 150, "R"), fb("西郊路", 1300, "L")
    t5, t6 = fb("直港大道", 1700, "R"), fb("九滨路", 1700, "L")
    bx = fb("杨家坪步行街", 30, "L", 10)
    cy, gk = H("CY", 0, 96), H("GK", 5, 16)
    for miss in ["杨家坪正街12号附6号", "杨家坪正街999号", "石门巷50号", "龙井村3社99号"]:
        absent(miss)
    absent("油房巷20号")
    absent("西郊路91号9栋")
    absent("谢家湾正街32号12栋")
    for text, code in [
        ("九龙坡区杨家坪正街12号附3号", "JLYJPZJ12F3"),
        ("杨家坪正街12号附1号2-3", "JLYJPZJ12F1"),
        ("杨家坪正街12号5-2", "JLYJPZJ12"),
        (f"黄桷坪正街{no(hj15)}号附2号", f"{hj15['code']}F2"),
        ("西郊花园3栋2单元5-2", "JLXJHYB3"),
        ("兴华城2栋1单元", "JLXHCB2"),
        ("桃溪苑4栋3-1", "JLTXYB4"),
        ("四川美术学院黄桷坪校区", cm["code"]),
        ("九龙坡区人民医院", code_of_alias("九龙坡区人民医院")),
        ("重庆动物园", code_of_alias("重庆动物园")),
        (bx["address"], bx["code"]),
        ("华岩寺", code_of_alias("华岩寺")),
        ("走马古镇", code_of_alias("走马古镇")),
        (f"九龙坡区华岩镇茶园村{no(cy)}号", cy["code"]),
        (f"走马镇关口村五组{no(gk)}号", gk["code"]),
        ("华岩镇龙井村2社11号", H("LJ", 2, 11)["code"]),
        ("龙井村3组15号", H("LJ", 3, 15)["code"]),
        ("关口村3社8号", H("GK", 3, 8)["code"]),
        (f"杨家平正街{no(t1)}号", t1["code"]),
        (f"黄角坪正街{no(t2)}号", t2["code"]),
        (f"九龙坡区谢家弯正街{no(t3)}号", t3["code"]),
        (f"西交路{no(t4)}号", t4["code"]),
        (f"直港大到{no(t5)}号", t5["code"]),
        (f"重庆市九龙坡区九宾路{no(t6)}号", t6["code"]),
        ("华延镇龙井村5社13号", H("LJ", 5, 13)["code"]),
        ("杨家坪正街12号附6号", None),
        ("重庆市九龙坡区杨家坪正街999号", None),
        ("石门巷50号", None),
        ("华岩镇龙井村3社99号", None),
        ("油房巷20号", None),
        ("西郊花园9栋2单元", None),
        ("兴华城12栋", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, object]]:
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
    regions: list[tuple[str, object]] = []
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        if micro is not None and spec[0] != "bld":
            regions.append((text, place_region(spec)))
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
    refuse = sum(c for (_k, pos), c in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)},"
        f" must-refuse {refuse} ({100 * refuse / len(lines):.0f} %)"
    )
    return regions


# ---------------------------------------------------------------- reading back
def to_lonlat(geom):
    return affine_transform(geom, [1 / KX, 0, 0, 1 / KY, LON0, LAT0])


def check_files(regions: list[tuple[str, object]]) -> None:
    """Read the four files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in grids]
    if len(set(codes)) != len(codes):
        raise SystemExit("duplicate grid codes")
    parents = set(codes)
    for f in grids:
        p = f["properties"]["parent_code"]
        if p is not None and p not in parents:
            raise SystemExit(f"{f['properties']['code']}: no parent {p}")
    micros = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids
        if f["properties"]["level"] == "micro"
    }
    tol = 5e-7  # about 5 cm in degrees
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = {r["code"]: r for r in csv.DictReader(fh)}
    for code, r in rows.items():
        if r["micro_grid_code"] not in micros:
            raise SystemExit(f"{code}: unknown micro-grid {r['micro_grid_code']}")
        p = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micros.items() if poly.buffer(tol).contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{code}: lies in {hits}, file says {r['micro_grid_code']}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    if [f["properties"]["name"] for f in roads] != [name for name, _k, _p in ROADS]:
        raise SystemExit("roads.geojson does not read back")
    positive = {}
    with (HERE / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            exp, micro = item["expected"], item["micro_grid"]
            if exp is not None and micro is None:
                raise SystemExit(f"{item['query']}: a building without a micro-grid")
            if micro is not None and micro not in micros:
                raise SystemExit(f"{item['query']}: unknown micro-grid {micro}")
            if exp is not None:
                if exp not in rows:
                    raise SystemExit(f"{item['query']}: no building {exp}")
                if rows[exp]["micro_grid_code"] != micro:
                    raise SystemExit(f"{item['query']}: {exp} is not in {micro}")
            elif micro is not None:
                positive[item["query"]] = micro
    if set(positive) != {t for t, _r in regions}:
        raise SystemExit("positive place queries do not read back")
    for text, region in regions:
        geom = to_lonlat(region)
        hits = [c for c, poly in micros.items() if poly.buffer(tol).contains(geom)]
        if hits != [positive[text]]:
            raise SystemExit(f"{text}: region lies in {hits}, file says {positive[text]}")
    print(f"read back: {len(micros)} micro-grids, {len(rows)} buildings, all truths hold")


if __name__ == "__main__":
    check_files(write_all())
