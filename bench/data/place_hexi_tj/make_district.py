"""Write the place-description evaluation district: 天津市河西区.

    python bench/data/place_hexi_tj/make_district.py

One grid tree in two parts: an urban core (友谊路街道, 马场街道, 下瓦房街道, with 道 / 路, 胡同,
里 / 新村 / 花园 compounds and crossings known by one name) and a peri-urban east (梅江街道,
东海街道, with invented 行政村 whose houses are written by 组 — `河西区梅江街道大韩庄村3组15号` — or
numbered across the village — `河西区东海街道小刘庄村21号`). The 街道 and the urban road names
are 河西区's; communities, villages, lanes, compounds, door numbers, landmarks' positions and
all geometry are ours: a layout in metres over a 6 km x 3 km box, turned into WGS-84 at 天津.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. After writing, the
files are read back and every truth is checked again in WGS-84.

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
LON0, LAT0 = 117.1800, 39.0700  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def to_wgs(xy):
    """Metres to WGS-84 without rounding, for an array of (x, y) rows."""
    return xy * [1 / KX, 1 / KY] + [LON0, LAT0]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("120103", "河西区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"
PREFIX = "河西区"

# urban streets: code, name, box, communities (name, short name, box)
STREETS = [
    (
        "120103101",
        "友谊路街道",
        (0, 1500, 2400, 3000),
        [
            ("紫金社区", "紫金", (0, 1500, 1200, 3000)),
            ("浯水社区", "浯水", (1200, 1500, 2400, 3000)),
        ],
    ),
    (
        "120103102",
        "马场街道",
        (0, 0, 2400, 1500),
        [("吴家窑社区", "吴家窑", (0, 0, 1200, 1500)), ("福安社区", "福安", (1200, 0, 2400, 1500))],
    ),
    (
        "120103103",
        "下瓦房街道",
        (2400, 0, 3600, 3000),
        [
            ("永安社区", "永安", (2400, 1500, 3600, 3000)),
            ("平江社区", "平江", (2400, 0, 3600, 1500)),
        ],
    ),
]

# peri-urban streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar": six micro-grids named after the 组 (`大韩庄村3组`); "plain": six plain micro-grids
# (houses by 组 in Chinese numerals); "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "120103104",
        "梅江街道",
        (3600, 1500, 6000, 3000),
        [
            ("大韩庄村", "DHZ", "zu_ar"),
            ("郭庄子村", "GZZ", "small"),
            ("刘台村", "LT", "small"),
            ("王庄村", "WZM", "small"),
        ],
    ),
    (
        "120103105",
        "东海街道",
        (3600, 0, 6000, 1500),
        [
            ("杨楼村", "YL", "plain"),
            ("小刘庄村", "XLZ", "small"),
            ("王庄村", "WZD", "small"),
            ("芦庄子村", "LZZ", "small"),
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
        for ci, (c_name, short, cb) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cw, cs, _ce, cn = cb
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            for gi in range(2):
                gs, gn = cs + gi * 750, cs + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                gb = (cw, gs, cw + 1200, gn)
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(rect(gb))))
                for mi in range(3):
                    mb = (cw + mi * 400, gs, cw + (mi + 1) * 400, gn)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
            assert cn == cs + 1500
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
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads and rivers
# 道 run west -> east (left = north), 路 run south -> north (left = west).
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("紫金山路", "arterial", [(600, 0), (600, 3000)]),
    ("友谊路", "arterial", [(1200, 0), (1200, 3000)]),
    ("卫津南路", "arterial", [(1800, 0), (1800, 3000)]),
    ("大沽南路", "arterial", [(2400, 0), (2400, 3000)]),
    ("解放南路", "arterial", [(3000, 0), (3000, 3000)]),
    ("微山路", "arterial", [(3600, 0), (3600, 3000)]),
    ("马场道", "arterial", [(0, 2625), (3600, 2625)]),
    ("南京路", "arterial", [(1250, 2850), (3600, 2850)]),
    ("气象台路", "secondary", [(0, 2400), (2400, 2400)]),
    ("浯水道", "secondary", [(0, 2000), (2400, 2000)]),
    ("围堤道", "arterial", [(0, 1500), (3600, 1500)]),
    ("珠江道", "arterial", [(0, 900), (4600, 900)]),
    ("黑牛城道", "arterial", [(0, 400), (3600, 400)]),
    ("琼州道", "branch", [(1400, 2150), (1400, 1850), (1700, 1850), (1700, 2150)]),
    # 胡同 in the road file
    ("永兴胡同", "branch", [(700, 2100), (900, 2100)]),
    ("德顺胡同", "branch", [(2550, 1700), (2750, 1700)]),
    ("福安胡同", "branch", [(1300, 300), (1300, 600)]),
    ("平安胡同", "branch", [(3300, 2400), (3500, 2400)]),
    ("三合胡同", "branch", [(100, 1600), (100, 1850)]),
    ("同安胡同", "branch", [(1650, 150), (1950, 150)]),
    # the peri-urban east
    ("外环线", "arterial", [(3600, 1500), (6000, 1500)]),
    ("洞庭路", "secondary", [(4800, 0), (4800, 3000)]),
    ("韩庄大街", "secondary", [(3600, 2850), (5800, 2850)]),
    ("杨楼大街", "secondary", [(3700, 1300), (4750, 1300)]),
    ("韩庄路", "branch", [(4300, 1600), (4300, 2950)]),
    ("杨楼路", "branch", [(4300, 100), (4300, 1400)]),
    # rivers (kind "river"): 复兴河 east-west, 津河 south-north
    ("复兴河", "river", [(0, 1200), (3600, 1200)]),
    ("津河", "river", [(2150, 0), (2150, 3000)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "紫金山路": "ZJSL",
    "友谊路": "YYL",
    "卫津南路": "WJNL",
    "大沽南路": "DGNL",
    "解放南路": "JFNL",
    "微山路": "WSL",
    "马场道": "MCD",
    "南京路": "NJL",
    "气象台路": "QXTL",
    "浯水道": "WSD",
    "围堤道": "WDD",
    "珠江道": "ZJD",
    "黑牛城道": "HNCD",
    "琼州道": "QZD",
    "永兴胡同": "YXHT",
    "德顺胡同": "DSHT",
    "福安胡同": "FAHT",
    "平安胡同": "PAHT",
    "三合胡同": "SHHT",
    "同安胡同": "TAHT",
    "外环线": "WHX",
    "洞庭路": "DTL",
    "韩庄大街": "HZDJ",
    "杨楼大街": "YLDJ",
    "义和胡同": "YHHT",
    "大营胡同": "DYHT",
    "吉祥胡同": "JXHT",
    "庆丰胡同": "QFHT",
    "宝善胡同": "BSHT",
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


def frontage(road: str, items, prefix=PREFIX, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(
            f"HX{CODE_KEY[road]}{n}",
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
    return BY_CODE[f"HX{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 胡同 known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"HX{CODE_KEY[lane]}{n}", f"{PREFIX}{lane}{n}号", x, y, road=lane, n=n)


def compound(name: str, code: str, spots):
    """The 号楼 of a 里 / 新村 / 花园: `河西区福顺里3号楼`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{PREFIX}{name}{k}号楼", x, y, compound=name)


TOWN_OF = {
    "DHZ": "梅江街道",
    "GZZ": "梅江街道",
    "LT": "梅江街道",
    "WZM": "梅江街道",
    "YL": "东海街道",
    "XLZ": "东海街道",
    "WZD": "东海街道",
    "LZZ": "东海街道",
}
VILLAGE_OF = {
    "DHZ": "大韩庄村",
    "GZZ": "郭庄子村",
    "LT": "刘台村",
    "WZM": "王庄村",
    "YL": "杨楼村",
    "XLZ": "小刘庄村",
    "WZD": "王庄村",
    "LZZ": "芦庄子村",
}
ZU_STYLE = {"DHZ": "ar", "YL": "cn"}
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
        address = f"{PREFIX}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"HX{key}{zu or 0:02d}{n:03d}",
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


# landmarks of neighbouring districts that must not be in any row
ABSENT_LANDMARKS = ["天津站", "滨江道", "水上公园", "五大道", "意式风情区", "古文化街"]


def build_buildings() -> None:
    frontage(
        "马场道",
        [
            (110, "R", []),
            (500, "L", ["天津市实验中学", "实验中学"]),
            (1000, "R", ["马场新村", "马场新村北门"]),
            (1230, "L", ["佟楼"]),
            (1500, "R", ["工商银行马场道支行", "工行马场道支行"]),
            (1950, "L", []),
            (2250, "R", ["物美超市马场道店", "物美"]),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "友谊路",
        [
            (200, "L", []),
            (650, "R", ["建设银行友谊路支行", "建行友谊路支行"]),
            (1100, "L", []),
            (1800, "R", ["天津文化中心", "文化中心"]),
            (2300, "L", []),
            (2850, "R", []),
        ],
    )
    frontage(
        "紫金山路",
        [
            (150, "R", []),
            (925, "R", ["吴家窑"]),
            (1800, "L", ["福顺里", "福顺里东门"]),
            (2100, "R", ["紫金山路菜市场"]),
            (2450, "L", []),
            (2900, "R", []),
        ],
    )
    frontage(
        "卫津南路",
        [
            (300, "L", []),
            (800, "R", []),
            (1350, "L", []),
            (2150, "R", ["天塔", "天津广播电视塔"]),
            (2750, "L", []),
        ],
    )
    frontage(
        "大沽南路",
        [
            (150, "L", []),
            (425, "R", ["下瓦房"]),
            (1000, "L", ["下瓦房派出所"]),
            (1700, "R", ["家乐福大沽南路店", "家乐福"]),
            (2300, "L", []),
            (2900, "R", []),
        ],
    )
    frontage(
        "解放南路",
        [
            (150, "R", []),
            (425, "L", ["土城"]),
            (600, "L", ["天津医院"]),
            (1300, "L", ["友谊新村", "友谊新村西门"]),
            (1900, "R", ["中国银行解放南路支行", "中行解放南路支行"]),
            (2400, "L", []),
            (2875, "R", ["大营门"]),
        ],
    )
    frontage("微山路", [(800, "L", []), (2600, "R", ["梅江会展中心", "会展中心"])])
    frontage("南京路", [(200, "L", []), (900, "R", []), (1500, "L", []), (2100, "R", [])])
    frontage(
        "气象台路",
        [
            (300, "L", []),
            (900, "R", []),
            (1700, "L", ["邮政储蓄银行气象台路支行", "邮储气象台路支行"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "浯水道",
        [
            (250, "R", []),
            (700, "L", []),
            (1150, "R", ["紫金花园", "紫金花园北门"]),
            (1560, "L", ["浯水道早市"]),
            (1950, "R", ["友谊路派出所"]),
            (2300, "L", []),
        ],
    )
    frontage(
        "围堤道",
        [
            (300, "L", []),
            (700, "R", ["邮政储蓄银行围堤道支行", "邮储围堤道支行"]),
            (1500, "L", []),
            (2050, "R", []),
            (2600, "L", ["围堤道早市"]),
            (3300, "R", []),
        ],
    )
    frontage(
        "珠江道",
        [
            (150, "R", []),
            (870, "L", ["马场派出所"]),
            (1500, "R", ["珠江道加油站"]),
            (2050, "L", []),
            (2700, "R", []),
            (3350, "L", []),
            (3900, "R", []),
            (4450, "R", []),
        ],
    )
    frontage(
        "黑牛城道",
        [
            (200, "L", []),
            (1000, "L", ["天津市肿瘤医院", "肿瘤医院"]),
            (1400, "R", []),
            (2050, "L", []),
            (2700, "L", ["永安里", "永安里北门"]),
            (3300, "R", []),
        ],
    )
    frontage("琼州道", [(450, "R", ["琼州道菜市场"])])
    # 胡同 of the road file
    frontage("永兴胡同", [(50, "L", []), (150, "R", [])], step=10)
    frontage("德顺胡同", [(40, "L", []), (160, "R", [])], step=10)
    frontage("福安胡同", [(60, "L", []), (220, "R", [])], step=10)
    frontage("平安胡同", [(50, "L", []), (170, "R", [])], step=10)
    frontage("三合胡同", [(40, "R", []), (200, "L", [])], step=10)
    frontage("同安胡同", [(60, "L", []), (240, "R", [])], step=10)
    # 胡同 in no road file
    lane_houses("义和胡同", [(2, 250, 2800), (5, 290, 2812), (9, 330, 2800)])
    lane_houses("大营胡同", [(3, 2550, 1000), (8, 2600, 1012), (12, 2650, 1000)])
    lane_houses("吉祥胡同", [(1, 950, 1300), (6, 1000, 1312), (10, 1050, 1300)])
    lane_houses("庆丰胡同", [(4, 3350, 1750), (7, 3400, 1762), (11, 3450, 1750)])
    lane_houses("宝善胡同", [(2, 1170, 2150), (5, 1230, 2150), (8, 1240, 2200)])
    # 里 / 新村 / 花园: a gate door carrying the compound's name, and its 号楼
    compound(
        "福顺里",
        "HXFSL",
        [(470, 1650), (540, 1650), (470, 1730), (540, 1730), (470, 1810), (540, 1810)],
    )
    compound(
        "马场新村",
        "HXMCXC",
        [(880, 2450), (960, 2450), (1040, 2450), (880, 2520), (960, 2520), (1040, 2520)],
    )
    compound("紫金花园", "HXZJHY", [(1100, 1700), (1150, 1780), (1260, 1700), (1310, 1780)])
    compound("友谊新村", "HXYYXC", [(2860, 1260), (2930, 1260), (2860, 1340), (2930, 1340)])
    compound(
        "永安里",
        "HXYAL",
        [(2560, 500), (2640, 500), (2720, 500), (2560, 580), (2640, 580)],
    )
    # the peri-urban streets' main roads and border roads
    frontage(
        "韩庄大街",
        [
            (300, "L", []),
            (600, "R", ["梅江街道社区卫生服务中心"]),
            (900, "L", ["大韩庄小学"]),
            (1500, "R", ["农商银行梅江支行", "梅江农商行"]),
            (1900, "L", ["梅江派出所"]),
            (2150, "R", []),
        ],
        prefix=PREFIX + "梅江街道",
    )
    frontage(
        "杨楼大街",
        [
            (100, "L", ["东海街道社区卫生服务中心"]),
            (400, "R", ["东海派出所"]),
            (650, "L", ["邮政储蓄银行东海支行", "邮储东海支行"]),
            (950, "R", ["杨楼小学"]),
        ],
        prefix=PREFIX + "东海街道",
    )
    frontage("外环线", [(500, "L", ["外环线加油站"]), (1700, "R", [])])
    frontage("洞庭路", [(500, "R", []), (2000, "L", [])])
    # 梅江街道: 大韩庄村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    al = {4: ["大韩庄村委会", "大韩庄村村委会"]}
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        rural_houses("DHZ", zu, c("DHZ", zu), nums, al if zu == 2 else None)
    # 东海街道: 杨楼村 (plain micro-grids; 三组 lies across two)
    rural_houses("YL", 1, c("YL", 1), [2, 6, 9])
    rural_houses("YL", 2, c("YL", 2), [1, 5, 12])
    rural_houses("YL", 3, (4400, 375), [3, 7, 14])
    rural_houses("YL", 4, c("YL", 4), [4, 8, 16], {8: ["杨楼村委会", "杨楼村村委会"]})
    rural_houses("YL", 5, c("YL", 5), [2, 10])
    rural_houses("YL", 6, c("YL", 6), [5, 11, 17])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("GZZ", None, (5000, 1875), [12, 37, 58, 103])
    rural_houses("LT", None, (5400, 2400), [6, 21, 45, 88, 131])
    rural_houses("WZM", None, (5800, 1900), [7, 26, 70], {7: ["梅江街道王庄村村委会"]})
    rural_houses("XLZ", None, (5000, 500), [9, 21, 64, 117], {9: ["小刘庄村委会"]})
    rural_houses("WZD", None, (5400, 1100), [15, 26, 52, 96], {52: ["东海街道王庄村村委会"]})
    rural_houses("LZZ", None, (5800, 350), [3, 18, 40, 77], {18: ["芦庄子村卫生室"]})


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
        if zu is not None and b["zu"] != zu:
            continue
        out.append(b)
    return out


def road_end(road: str, d: str | None, tail: float):
    """走到头: the end of the road in direction d (both ends when d is None).

    tail 0: a 30 m disc around the end point; tail > 0: the last `tail` metres of the line,
    30 m either side.
    """
    line = ROAD[road]
    ends = [(0.0, Point(line.coords[0])), (line.length, Point(line.coords[-1]))]
    if d is not None:
        ux, uy = DIRS[d]
        ends = [max(ends, key=lambda e: e[1].x * ux + e[1].y * uy)]
    parts = []
    for s, p in ends:
        if tail == 0:
            parts.append(p.buffer(R_CROSS))
        else:
            seg = substring(line, max(s - tail, 0), s) if s else substring(line, 0, tail)
            parts.append(seg.buffer(R_CROSS))
    return unary_union(parts)


def behind(code: str, depth: float, half: float):
    """后身儿: the box behind a door (away from its road), depth deep, 2*half wide."""
    b = BY_CODE[code]
    line = ROAD[b["road"]]
    p = line.interpolate(b["s"])
    ux, uy = b["x"] - p.x, b["y"] - p.y
    L = math.hypot(ux, uy)
    ux, uy = ux / L, uy / L
    nx, ny = -uy, ux
    x, y = b["x"], b["y"]
    return Polygon(
        [
            (x - half * nx, y - half * ny),
            (x + depth * ux - half * nx, y + depth * uy - half * ny),
            (x + depth * ux + half * nx, y + depth * uy + half * ny),
            (x + half * nx, y + half * ny),
        ]
    )


def place_region(spec):
    """The region a place query means, or None when it means nothing."""
    kind = spec[0]
    if kind == "x":  # ("x", A, B, corner or None, (dir, dist, how) or None, radius)
        _, a, b, corner, offset, radius = spec
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
        return o.buffer(radius)
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
    if kind == "band":  # ("band", origin spec, dir, lo, hi): a band given in metres
        _, ospec, d, lo, hi = spec
        o = origin(ospec)
        return None if o is None else band(o, d, lo, hi)
    if kind == "near":  # ("near", [building codes], radius)
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(spec[2]) for c in spec[1]]
        )
    if kind == "end":  # ("end", road, dir or None, tail)
        if spec[1] not in ROAD:
            return None
        return road_end(spec[1], spec[2], spec[3])
    if kind == "behind":  # ("behind", code, depth, half width)
        return behind(spec[1], spec[2], spec[3])
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


def regions(spec) -> list:
    """The regions a place query means: one, or two for a word read narrow and wide."""
    if spec[0] == "two":
        return [place_region(spec[1]), place_region(spec[2])]
    return [place_region(spec)]


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    micros = set()
    for region in regions(spec):
        if region is None or region.is_empty:
            return None, None
        micros.add(micro_of_region(region))
    if len(micros) != 1:
        return None, None
    return None, micros.pop()


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None, radius=R_CROSS):
    return ("x", a, b, corner, offset, radius)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def TWO(narrow, wide):
    return ("two", narrow, wide)


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NONE():
    return ("none",)


def NEAR(*aliases, radius=R_NEAR):
    return ("near", [code_of_alias(a) for a in aliases], radius)


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def NOWHERE():
    return ("near", [], R_NEAR)


def BAISHI(ospec, d):
    """`走个百十来米`: narrow 80-120 m, wide 60-150 m."""
    return TWO(("band", ospec, d, 80, 120), ("band", ospec, d, 60, 150))


def GUOHE(road, river, d):
    """`往D过了河 / 过了桥` with no distance: narrow 0-100 m, wide 0-300 m past the crossing."""
    return TWO(("band", XO(road, river), d, 0, 100), ("band", XO(road, river), d, 0, 300))


def END(road, d=None):
    """`走到头`: narrow a 30 m disc at the end, wide the last 100 m of the road."""
    return TWO(("end", road, d, 0), ("end", road, d, 100))


def HOUSHEN(alias):
    """`后身儿`: narrow 60 m deep x 60 m wide behind the door, wide 120 m x 100 m."""
    c = code_of_alias(alias)
    return TWO(("behind", c, 60, 30), ("behind", c, 120, 50))


def XIEDUIGUO(alias):
    """`斜对过儿`: narrow within 50 m, wide within 100 m."""
    return TWO(NEAR(alias), NEAR(alias, radius=100))


def BAJIAO(a, b):
    """`把角儿` (the corner, no quadrant named): narrow 30 m disc, wide 60 m disc."""
    return TWO(X(a, b), X(a, b, radius=60))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"HX{key}{zu:02d}{n:03d}"]


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
    q(x, "来电人反映马场道和紫金山路交口有人占道经营", X("马场道", "紫金山路"))
    q(x, "马场道与友谊路交口红绿灯不亮", X("马场道", "友谊路"))
    q(x, "市民称马场道友谊路交口东北角井盖没了", X("马场道", "友谊路", "东北"))
    q(x, "马场道和卫津南路交口早高峰堵死了", X("马场道", "卫津南路"))
    q(x, "马场道跟大沽南路交口西南角有人摆摊", X("马场道", "大沽南路", "西南"))
    q(x, "马场道和大沽南路交口积水", X("马场道", "大沽南路"))
    q(x, "解放南路与马场道十字路口护栏倒了", X("解放南路", "马场道"))
    q(x, "马场道和气象台路交口有人乱停车", X("马场道", "气象台路"))
    q(x, "南京路和友谊路交口有渣土车撒漏", X("南京路", "友谊路"))
    q(x, "南京路与卫津南路交口西北角共享单车堆放", X("南京路", "卫津南路", "西北"))
    q(x, "市民反映南京路解放南路交口路灯不亮", X("南京路", "解放南路"))
    q(x, "浯水道和琼州道交口下水道冒水", X("浯水道", "琼州道"))
    q(x, "浯水道与紫金山路交口有人发小广告", X("浯水道", "紫金山路"))
    q(x, "气象台路和紫金山路交口地面塌了个坑", X("气象台路", "紫金山路"))
    q(x, "围堤道和卫津南路交口有人卖菜占道", X("围堤道", "卫津南路"))
    q(x, "围堤道与解放南路交口东南角有违章广告牌", X("围堤道", "解放南路", "东南"))
    q(x, "珠江道和紫金山路交口有人烧纸", X("珠江道", "紫金山路"))
    q(x, "珠江道与卫津南路交口车辆乱停", X("珠江道", "卫津南路"))
    q(x, "珠江道和友谊路交口西北角有流浪狗", X("珠江道", "友谊路", "西北"))
    q(x, "珠江道与大沽南路交口路面破损", X("珠江道", "大沽南路"))
    q(x, "黑牛城道和解放南路交口有人倾倒垃圾", X("黑牛城道", "解放南路"))
    q(
        x,
        "马场道和紫金山路交口往东100米人行道砖松了",
        X("马场道", "紫金山路", None, ("东", 100, "exact")),
    )
    q(
        x,
        "珠江道、卫津南路交口往北200米有个大坑",
        X("珠江道", "卫津南路", None, ("北", 200, "exact")),
    )
    q(
        x,
        "紫金山路和浯水道交口往南300米护栏坏了",
        X("紫金山路", "浯水道", None, ("南", 300, "exact")),
    )
    q(x, "杨楼大街与杨楼路交口有死狗", X("杨楼大街", "杨楼路"))
    q(x, "杨楼大街和珠江道交口有人摆摊", X("杨楼大街", "珠江道"))
    q(x, "杨楼大街与洞庭路交口路灯不亮", X("杨楼大街", "洞庭路"))
    q(x, "韩庄大街和韩庄路交口有人焚烧秸秆", X("韩庄大街", "韩庄路"))
    q(x, "韩庄大街与洞庭路交口东北角有人倒建筑垃圾", X("韩庄大街", "洞庭路", "东北"))
    q(x, "韩庄路和外环线交口有人卖西瓜", X("韩庄路", "外环线"))
    q(x, "马场道和卫津南路把角儿有人占道修车", BAJIAO("马场道", "卫津南路"))
    q(x, "珠江道跟紫金山路把角儿那儿有人倒垃圾", BAJIAO("珠江道", "紫金山路"))
    q(x, "南京路和大沽南路把角儿有违停", BAJIAO("南京路", "大沽南路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "来电人反映天塔往南大约150米路东有人占道",
        OFF(A("天塔"), "南", 150, "about", ("卫津南路", "东")),
    )
    q(o, "天塔往北走了三百来米，有个井盖没了", OFF(A("天塔"), "北", 300, "about"))
    q(o, "实验中学北侧50米路灯不亮", OFF(A("实验中学"), "北", 50))
    q(o, "实验中学往北约500米有人私搭乱建", OFF(A("实验中学"), "北", 500, "about"))
    q(o, "肿瘤医院往东走了三百来米有人烧垃圾", OFF(A("肿瘤医院"), "东", 300, "about"))
    q(o, "肿瘤医院往西200米有堆放的杂物", OFF(A("肿瘤医院"), "西", 200))
    q(o, "天津医院往南1公里有人私接电线", OFF(A("天津医院"), "南", 1000))
    q(
        o,
        "家乐福往北100米路东有车辆违停",
        OFF(A("家乐福"), "北", 100, side=("大沽南路", "东")),
    )
    q(o, "家乐福往南300米有人发小广告", OFF(A("家乐福"), "南", 300))
    q(
        o,
        "下瓦房派出所往北200米路西人行道被占",
        OFF(A("下瓦房派出所"), "北", 200, side=("大沽南路", "西")),
    )
    q(o, "文化中心往南约300米有人乱扔垃圾", OFF(A("文化中心"), "南", 300, "about"))
    q(o, "天津文化中心往东200米店铺油烟扰民", OFF(A("天津文化中心"), "东", 200))
    q(o, "工行马场道支行往南300米左右有人占道", OFF(A("工行马场道支行"), "南", 300, "about"))
    q(o, "物美往东走了两百来米路面破损", OFF(A("物美"), "东", 200, "about"))
    q(o, "马场派出所往东约300米有人卖菜", OFF(A("马场派出所"), "东", 300, "about"))
    q(o, "珠江道加油站往西走了三百来米护栏倒了", OFF(A("珠江道加油站"), "西", 300, "about"))
    q(
        o,
        "珠江道加油站往东50米路南有人倒油污",
        OFF(A("珠江道加油站"), "东", 50, side=("珠江道", "南")),
    )
    q(
        o,
        "邮储气象台路支行往东约300米有人摆摊",
        OFF(A("邮储气象台路支行"), "东", 300, "about"),
    )
    q(
        o,
        "邮储气象台路支行往西150米路北有人乱贴小广告",
        OFF(A("邮储气象台路支行"), "西", 150, side=("气象台路", "北")),
    )
    q(o, "福顺里东门往南100米路灯杆歪了", OFF(A("福顺里东门"), "南", 100))
    q(o, "马场新村北门往东走了两百来米有人占道", OFF(A("马场新村北门"), "东", 200, "about"))
    q(
        o,
        "永安里北门往东150米路北有人倒渣土",
        OFF(A("永安里北门"), "东", 150, side=("黑牛城道", "北")),
    )
    q(o, "中行解放南路支行往北约300米有人烧垃圾", OFF(A("中行解放南路支行"), "北", 300, "about"))
    q(o, "梅江会展中心往东200米有人私建棚子", OFF(A("梅江会展中心"), "东", 200))
    q(o, "大韩庄小学往北约100米有人焚烧秸秆", OFF(A("大韩庄小学"), "北", 100, "about"))
    q(o, "东海派出所往北约200米路面塌陷", OFF(A("东海派出所"), "北", 200, "about"))
    q(o, "外环线加油站往南200米有人倾倒垃圾", OFF(A("外环线加油站"), "南", 200))
    q(
        o,
        "马场道和卫津南路交口往东150米路南，商户占道",
        OFF(XO("马场道", "卫津南路"), "东", 150, side=("马场道", "南")),
    )
    q(
        o,
        "黑牛城道与解放南路交口以东约400米路南有垃圾堆",
        OFF(XO("黑牛城道", "解放南路"), "东", 400, "about", ("黑牛城道", "南")),
    )
    q(o, "天津站往南200米有人占道", OFF(NONE(), "南", 200))
    q(o, "滨江道往西100米有人乱停车", OFF(NONE(), "西", 100))
    q(o, "河西区第二人民医院往东100米有积水", OFF(NONE(), "东", 100))
    # 顺着…走个百十来米 (two readings)
    q(o, "从吴家窑顺着珠江道往东走个百十来米，路边有人烧垃圾", BAISHI(A("吴家窑"), "东"))
    q(o, "从佟楼顺着马场道往东走个百十来米有人占道", BAISHI(A("佟楼"), "东"))
    q(o, "土城顺着解放南路往北走个百十来米，井盖没了", BAISHI(A("土城"), "北"))
    q(o, "大营门往西走个百十来米有人摆摊", BAISHI(A("大营门"), "西"))
    q(o, "实验中学顺着马场道往西走个百十来米路灯不亮", BAISHI(A("实验中学"), "西"))
    q(o, "工行马场道支行往东走个百十来米有人乱扔垃圾", BAISHI(A("工行马场道支行"), "东"))
    q(
        o,
        "从马场道和紫金山路交口顺着马场道往东走个百十来米有人遛狗不拴绳",
        BAISHI(XO("马场道", "紫金山路"), "东"),
    )
    # 过了河 / 过了桥
    q(
        o,
        "顺着紫金山路往北过了复兴河再走五十米，路边有垃圾",
        OFF(XO("紫金山路", "复兴河"), "北", 50),
    )
    q(
        o,
        "解放南路往南过了复兴河一百来米有人占道",
        OFF(XO("解放南路", "复兴河"), "南", 100, "about"),
    )
    q(
        o,
        "卫津南路往北过了复兴河桥二百米左右有车辆违停",
        OFF(XO("卫津南路", "复兴河"), "北", 200, "about"),
    )
    q(o, "友谊路往北过了复兴河桥五十米有人摆摊", OFF(XO("友谊路", "复兴河"), "北", 50))
    q(o, "黑牛城道过了津河桥往东50米有人洗车", OFF(XO("黑牛城道", "津河"), "东", 50))
    q(o, "马场道往东过了津河，路边有人烧纸", GUOHE("马场道", "津河", "东"))
    q(o, "紫金山路往南过了复兴河那块儿路灯不亮", GUOHE("紫金山路", "复兴河", "南"))
    q(o, "珠江道往东过了津河桥有人占道卖水果", GUOHE("珠江道", "津河", "东"))
    # 走到头
    q(o, "顺着南京路往西走到头，有人乱倒垃圾", END("南京路", "西"))
    q(o, "气象台路往西走到头有人私搭乱建", END("气象台路", "西"))
    q(o, "浯水道往东走到头路面塌陷", END("浯水道", "东"))
    q(o, "杨楼大街往东走到头有人焚烧垃圾", END("杨楼大街", "东"))
    q(o, "韩庄路往南走到头有人倒渣土", END("韩庄路", "南"))
    q(o, "琼州道走到头有人占道", END("琼州道"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "来电人反映马场派出所门口有人乱停车", NEAR("马场派出所"))
    q(n, "珠江道加油站旁边有人卖散装汽油", NEAR("珠江道加油站"))
    q(n, "吴家窑跟前有人占道经营", NEAR("吴家窑"))
    q(n, "土城那儿有个井盖缺失", NEAR("土城"))
    q(n, "大营门边上有人发小广告", NEAR("大营门"))
    q(n, "下瓦房边上共享单车堆成山", NEAR("下瓦房"))
    q(n, "佟楼附近晚上有人飙车", NEAR("佟楼"))
    q(n, "文化中心对过儿有人摆摊", NEAR("文化中心"))
    q(n, "天塔对面的人行道被占", NEAR("天塔"))
    q(n, "天津医院门口黑车拉客", NEAR("天津医院"))
    q(n, "市民称肿瘤医院跟前有人倒卖号", NEAR("肿瘤医院"))
    q(n, "紫金山路菜市场旁边垃圾成堆", NEAR("紫金山路菜市场"))
    q(n, "工行马场道支行对过儿有个坑", NEAR("工行马场道支行"))
    q(n, "家乐福门口有人发传单", NEAR("家乐福"))
    q(n, "福顺里附近夜里有人大声喧哗", NEAR_COMPOUND("福顺里", ["福顺里"]))
    q(n, "马场新村周边广场舞声音大", NEAR_COMPOUND("马场新村", ["马场新村"]))
    q(n, "紫金花园周边下水道堵了", NEAR_COMPOUND("紫金花园", ["紫金花园"]))
    q(n, "友谊新村附近路灯不亮", NEAR_COMPOUND("友谊新村", ["友谊新村"]))
    q(n, "永安里周边有人私搭乱建", NEAR_COMPOUND("永安里", ["永安里"]))
    q(n, "梅江会展中心门口有人占道", NEAR("梅江会展中心"))
    q(n, "大韩庄村委会旁边有人焚烧垃圾", NEAR("大韩庄村委会"))
    q(n, "杨楼村委会附近有个水坑没有护栏", NEAR("杨楼村委会"))
    q(n, "天津医院后身儿有人私拉电线", HOUSHEN("天津医院"))
    q(n, "实验中学后身儿有人半夜施工", HOUSHEN("实验中学"))
    q(n, "浯水道早市后身儿垃圾没人收", HOUSHEN("浯水道早市"))
    q(n, "肿瘤医院后身儿有人私占绿地", HOUSHEN("肿瘤医院"))
    q(n, "天津医院斜对过儿有人摆摊", XIEDUIGUO("天津医院"))
    q(n, "马场派出所斜对过儿路面塌陷", XIEDUIGUO("马场派出所"))
    q(n, "河西区第三医院门口有人乱停车", NOWHERE())
    q(n, "天津站附近有黑车拉客", NOWHERE())
    q(n, "滨江道边上有人卖假货", NOWHERE())
    q(n, "水上公园门口有人占道", NOWHERE())

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("永兴胡同路灯坏了好几天了", "永兴胡同"),
        ("来电人反映德顺胡同里头有车辆长期占道", "德顺胡同"),
        ("福安胡同下水道堵了，污水漫到路上", "福安胡同"),
        ("平安胡同有人养鸽子扰民", "平安胡同"),
        ("三合胡同的路面坑坑洼洼", "三合胡同"),
        ("同安胡同垃圾几天没人收", "同安胡同"),
        ("义和胡同有人半夜装修", "义和胡同"),
        ("市民称大营胡同里面电线乱拉", "大营胡同"),
        ("吉祥胡同化粪池满了往外冒", "吉祥胡同"),
        ("庆丰胡同 有人占用消防通道", "庆丰胡同"),
        ("宝善胡同路面结冰，老人出行困难", "宝善胡同"),
        ("兴隆胡同有人半夜施工", "兴隆胡同"),
        ("四合胡同路灯不亮", "四合胡同"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "大韩庄村3组有人焚烧秸秆", ZU("大韩庄村", 3))
    q(g, "大韩庄村五组有人在沟边烧垃圾", ZU("大韩庄村", 5))
    q(g, "梅江街道大韩庄村第一村民小组有人违建", ZU("大韩庄村", 1, "梅江街道"))
    q(g, "河西区梅江街道大韩庄村6组自来水停了", ZU("大韩庄村", 6, "梅江街道"))
    q(g, "梅江大韩庄村4组有人私挖鱼塘", ZU("大韩庄村", 4, "梅江街道"))
    q(g, "杨楼村二组路灯不亮", ZU("杨楼村", 2))
    q(g, "杨楼村4组有人私挖鱼塘", ZU("杨楼村", 4))
    q(g, "杨楼村第6村民小组有人偷倒建筑垃圾", ZU("杨楼村", 6))
    q(g, "杨楼村三组垃圾没人收", ZU("杨楼村", 3))
    q(g, "东海街道杨楼村一组有人放养的狗咬人", ZU("杨楼村", 1, "东海街道"))
    q(g, "杨楼村五组排水渠堵塞", ZU("杨楼村", 5))
    q(g, "大韩庄村八组有人烧秸秆", ZU("大韩庄村", 8))
    q(g, "东海街道大韩庄村2组有人违建", ZU("大韩庄村", 2, "东海街道"))
    q(g, "王庄村2组有人私拉电线", ZU("王庄村", 2))
    q(g, "郭庄子村3组有人烧荒", ZU("郭庄子村", 3))
    q(g, "河西区东海街道杨楼村第四村民小组有人占地建房", ZU("杨楼村", 4, "东海街道"))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "郭庄子村有人烧秸秆，烟很大", VIL("郭庄子村"))
    q(v, "梅江街道刘台村路灯不亮", VIL("刘台村", "梅江街道"))
    q(v, "刘台村有人私拉电网捕鱼", VIL("刘台村"))
    q(v, "小刘庄村自来水停了", VIL("小刘庄村"))
    q(v, "河西区东海街道小刘庄村有人占用耕地建房", VIL("小刘庄村", "东海街道"))
    q(v, "东海街道芦庄子村狗咬人", VIL("芦庄子村", "东海街道"))
    q(v, "芦庄子村有人往沟里倒垃圾", VIL("芦庄子村"))
    q(v, "王庄村有人私建猪圈", VIL("王庄村"))
    q(v, "梅江街道王庄村有人焚烧垃圾", VIL("王庄村", "梅江街道"))
    q(v, "东海王庄村路面塌陷", VIL("王庄村", "东海街道"))
    q(v, "大韩庄村垃圾堆放", VIL("大韩庄村"))
    q(v, "杨楼村有人电鱼", VIL("杨楼村"))
    q(v, "东海街道郭庄子村有人焚烧秸秆", VIL("郭庄子村", "东海街道"))
    q(v, "梅江街道小刘庄村有人违建", VIL("小刘庄村", "梅江街道"))
    q(v, "大刘庄村有人烧荒", VIL("大刘庄村"))

    # --- other_county (天津's other 区, and 南京's 河西, in front of our addresses) ---------
    oc = "other_county"
    mc, yy = fb("马场道", 1950, "L"), fb("友谊路", 2300, "L")
    dg, jf = fb("大沽南路", 2300, "L"), fb("解放南路", 2400, "L")
    zj, zjd = fb("紫金山路", 2450, "L"), fb("珠江道", 2050, "L")
    for text, code in [
        (f"天津市和平区马场道{no(mc)}号", None),
        (f"南开区友谊路{no(yy)}号", None),
        (f"河东区大沽南路{no(dg)}号", None),
        (f"天津市河北区解放南路{no(jf)}号", None),
        ("津南区梅江街道大韩庄村3组15号", None),
        ("天津市西青区东海街道杨楼村四组8号", None),
        (f"南京市河西区紫金山路{no(zj)}号", None),
        (f"南京河西珠江道{no(zjd)}号", None),
        ("江苏省南京市河西区福顺里3号楼2门301", None),
        ("天津市南开区福顺里3号楼", None),
        ("和平区永安里2号楼3门502", None),
        (f"天津市河西区马场道{no(mc)}号", mc["code"]),
        (f"河西区友谊路{no(yy)}号", yy["code"]),
        (f"天津河西大沽南路{no(dg)}号", dg["code"]),
        (f"天津市河西区解放南路{no(jf)}号", jf["code"]),
        ("河西区梅江街道大韩庄村3组15号", H("DHZ", 3, 15)["code"]),
        ("天津市河西区东海街道杨楼村四组8号", H("YL", 4, 8)["code"]),
        (f"天津河西紫金山路{no(zj)}号", zj["code"]),
        (f"河西珠江道{no(zjd)}号", zjd["code"]),
        ("天津市河西区福顺里3号楼2门301", "HXFSLB3"),
        ("河西区永安里2号楼3门502", "HXYALB2"),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    m12 = fb("马场道", 110, "R")
    assert no(m12) == 12
    b1, b2 = fb("友谊路", 1100, "L"), fb("大沽南路", 2900, "R")
    b3, b4 = fb("解放南路", 150, "R"), fb("黑牛城道", 1400, "R")
    b5, b6 = fb("珠江道", 2700, "R"), fb("卫津南路", 2750, "L")
    b7 = fb("德顺胡同", 160, "R", 10)
    ya = fb("黑牛城道", 2700, "L")
    xl = H("XLZ", 0, 64)
    absent("马场道999号")
    absent("福顺里9号楼")
    absent("大韩庄村3组30号")
    for text, code in [
        ("No. 12, Machang Road, Hexi District, Tianjin", m12["code"]),
        ("Room 301, Gate 2, Building 5, Fushun Li, Hexi District, Tianjin", "HXFSLB5"),
        ("Building 3, Machang Xincun, Hexi District", "HXMCXCB3"),
        (f"No. {no(b1)}, Youyi Road, Hexi District, Tianjin", b1["code"]),
        (f"No. {no(b2)} Dagu South Road, Hexi District, Tianjin", b2["code"]),
        (f"No. {no(b3)}, Jiefang South Road, Hexi District", b3["code"]),
        (f"No. {no(b4)}, Heiniucheng Road, Hexi, Tianjin", b4["code"]),
        (f"No. {no(b5)}, Zhujiang Road, Hexi District, Tianjin", b5["code"]),
        (
            "No. 15, Group 3, Dahanzhuang Village, Meijiang Subdistrict, Hexi District, Tianjin",
            H("DHZ", 3, 15)["code"],
        ),
        (
            "No. 8, Group 4, Yanglou Village, Donghai Subdistrict, Hexi District",
            H("YL", 4, 8)["code"],
        ),
        (
            f"No. {no(xl)}, Xiaoliuzhuang Village, Donghai Subdistrict, Hexi District",
            xl["code"],
        ),
        ("Tianjin Shi Hexi Qu Machang Dao 12 Hao", m12["code"]),
        ("Tianjinshi Hexiqu Fushunli 3 Haolou 2 Men 301", "HXFSLB3"),
        (f"Hexi Qu Weijin Nanlu {no(b6)} Hao", b6["code"]),
        ("301室，2门，5号楼，福顺里，河西区，天津市", "HXFSLB5"),
        ("12号，马场道，河西区，天津市", m12["code"]),
        ("15号，3组，大韩庄村，梅江街道，河西区", H("DHZ", 3, 15)["code"]),
        (f"No. {no(b7)}, Deshun Hutong, Hexi District", b7["code"]),
        (f"Building 2, Yong'an Li, No. {no(ya)} Heiniucheng Road, Hexi District", "HXYALB2"),
        ("No. 999, Machang Road, Hexi District, Tianjin", None),
        ("Building 9, Fushun Li, Hexi District, Tianjin", None),
        ("No. 12, Youyi Road, Hexi District, Nanjing", None),
        ("No. 30, Group 3, Dahanzhuang Village, Meijiang Subdistrict, Hexi District", None),
        ("No. 5, Xinglong Hutong, Hexi District, Tianjin", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    p1, p2 = fb("马场道", 2700, "L"), fb("友谊路", 200, "L")
    p3 = fb("南京路", 900, "R")
    t1, t2 = fb("马场道", 3300, "R"), fb("友谊路", 2850, "R")
    t3, t4 = fb("大沽南路", 150, "L"), fb("围堤道", 1500, "L")
    t5, t6 = fb("黑牛城道", 200, "L"), fb("珠江道", 150, "R")
    t7, t8 = fb("紫金山路", 2900, "R"), fb("解放南路", 2400, "L")
    t9 = fb("卫津南路", 300, "L")
    u1, u2 = fb("马场道", 1950, "L"), fb("友谊路", 1100, "L")
    u3, u4 = fb("解放南路", 150, "R"), fb("黑牛城道", 3300, "R")
    for miss in [
        "马场道999号",
        "友谊路7号",
        "福顺里9号楼",
        "马场新村12号楼",
        "大韩庄村3组99号",
        "小刘庄村200号",
        "杨楼村七组3号",
        "义和胡同50号",
        "永安里6号楼",
    ]:
        absent(miss)
    for text, code in [
        (p1["address"], p1["code"]),
        (f"友谊路{no(p2)}号", p2["code"]),
        (f"天津市河西区南京路{no(p3)}号", p3["code"]),
        ("天津医院", code_of_alias("天津医院")),
        ("天塔", code_of_alias("天塔")),
        ("天津市实验中学", code_of_alias("天津市实验中学")),
        ("梅江会展中心", code_of_alias("梅江会展中心")),
        ("天津文化中心", code_of_alias("天津文化中心")),
        ("福顺里3号楼2门301", "HXFSLB3"),
        ("马场新村5号楼1门5号", "HXMCXCB5"),
        ("友谊新村4号楼3门202", "HXYYXCB4"),
        ("紫金花园3号楼1门101", "HXZJHYB3"),
        ("6号楼2门401，永安里", None),
        ("义和胡同5号", "HXYHHT5"),
        ("河西区庆丰胡同7号", "HXQFHT7"),
        ("河西区东海街道小刘庄村21号", H("XLZ", 0, 21)["code"]),
        ("梅江街道王庄村26号", H("WZM", 0, 26)["code"]),
        (f"马场到{no(t1)}号", t1["code"]),
        (f"友宜路{no(t2)}号", t2["code"]),
        (f"大估南路{no(t3)}号", t3["code"]),
        (f"河西区围提道{no(t4)}号", t4["code"]),
        (f"黑牛成道{no(t5)}号", t5["code"]),
        (f"珠江到{no(t6)}号", t6["code"]),
        (f"紫金三路{no(t7)}号", t7["code"]),
        (f"解方南路{no(t8)}号", t8["code"]),
        (f"卫津难路{no(t9)}号", t9["code"]),
        (f"天津市河西曲马场道{no(u1)}号", u1["code"]),
        (f"天金市河西区友谊路{no(u2)}号", u2["code"]),
        (f"天津是河西区解放南路{no(u3)}号", u3["code"]),
        (f"河溪区黑牛城道{no(u4)}号", u4["code"]),
        ("天津市河西区马场道999号", None),
        ("友谊路7号", None),
        ("福顺里9号楼2门301", None),
        ("马场新村12号楼3门201", None),
        ("梅江街道大韩庄村3组99号", None),
        ("东海街道小刘庄村200号", None),
        ("河西区东海街道杨楼村七组3号", None),
        ("义和胡同50号", None),
        ("王庄村26号", None),
        ("天津站", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- checks in WGS-84
def check_back(results) -> None:
    """Read the written files back and check every truth again in WGS-84."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    micro = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    district = next(
        shape(f["geometry"]) for f in grids["features"] if f["properties"]["level"] == "district"
    )
    tol = 2e-7  # about 2 cm
    with (HERE / "buildings.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    text = (HERE / "buildings.csv").read_text(encoding="utf-8")
    for word in ABSENT_LANDMARKS:
        if word in text:
            raise SystemExit(f"{word} must not be in buildings.csv")
    where = {}
    for r in rows:
        p = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micro.items() if poly.contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']} lies in {hits}, written {r['micro_grid_code']}")
        where[r["code"]] = r["micro_grid_code"]
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))
    for f in roads["features"]:
        if f["properties"]["kind"] not in {"arterial", "secondary", "branch", "river"}:
            raise SystemExit(f"road kind {f['properties']}")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(results):
        raise SystemExit("queries.jsonl does not match")
    for line, (_kind, _text, spec) in zip(lines, results, strict=True):
        row = json.loads(line)
        if row["expected"] is not None:
            if where[row["expected"]] != row["micro_grid"]:
                raise SystemExit(f"{row['query']}: building not in {row['micro_grid']}")
            continue
        if spec[0] == "bld":
            if row["micro_grid"] is not None:
                raise SystemExit(f"{row['query']}: refusal with a micro-grid")
            continue
        held = set()
        for region in regions(spec):
            if region is None or region.is_empty:
                held.add(None)
                continue
            wgs = shapely.transform(region, to_wgs)
            if not district.buffer(tol).contains(wgs):
                held.add(None)
                continue
            hits = [c for c, poly in micro.items() if poly.buffer(tol).contains(wgs)]
            held.add(hits[0] if len(hits) == 1 else None)
        want = held.pop() if len(held) == 1 else None
        if want != row["micro_grid"]:
            raise SystemExit(f"{row['query']}: WGS-84 gives {want}, written {row['micro_grid']}")
        if row["micro_grid"] is not None and row["micro_grid"] not in micro:
            raise SystemExit(f"{row['query']}: unknown micro-grid")


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
    results = queries()
    for kind, text, spec in results:
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
    check_back(results)
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
