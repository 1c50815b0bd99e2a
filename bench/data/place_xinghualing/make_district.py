"""Write the place-description evaluation district: 山西省太原市杏花岭区.

    python bench/data/place_xinghualing/make_district.py

One grid tree in two parts: an urban core (鼓楼街道, 三桥街道, 巨轮街道, with roads, lanes and
小区) and a hilly east (中涧河乡, with 行政村 whose houses are written by 组 —
`杏花岭区中涧河乡东涧河村3组15号`, `店坡村三组8号` — by 自然村 — `窑头村上庄12号` — or numbered
across the village — `杏花岭区中涧河乡庙湾村21号`). The 街道, the 乡 and the urban road names are
杏花岭区's; the communities, villages, lanes, door numbers, landmarks' positions and all geometry
are ours: a layout in metres over a 6 km x 3 km box, turned into WGS-84 over 杏花岭区.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Words with no rule
in place_xian's README (往上走, 跟前, 那疙瘩, 后头, 走上个二三百米, 圪梁梁) get two readings, a
narrow and a wide one; such a query is a positive only when both land in the same micro-grid.

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

from shapely.geometry import LineString, MultiPoint, Point, Polygon, box
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 112.5450, 37.8700  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("140107", "杏花岭区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name), south one first
STREETS = [
    ("140107002", "鼓楼街道", (0, 0, 1200, 3000), [("西华门社区", "西华门"), ("北门社区", "北门")]),
    (
        "140107003",
        "三桥街道",
        (1200, 0, 2400, 3000),
        [("东华门社区", "东华门"), ("桥北社区", "桥北")],
    ),
    ("140107004", "巨轮街道", (2400, 0, 3600, 3000), [("工农社区", "工农"), ("新村社区", "新村")]),
]

# the edge 乡: villages (name, key, style, box)
# "zu_ar": six micro-grids named after the 组 (`东涧河村3组`);
# "zu_cn": six plain micro-grids, houses by 组 in Chinese numerals (`店坡村三组`);
# "wan": six plain micro-grids, houses by 自然村 (`窑头村上庄`);
# "small": a village numbered across, two micro-grids.
TOWNSHIP = ("140107201", "中涧河乡", (3600, 0, 6000, 3000))
VILLAGES = [
    ("东涧河村", "DJH", "zu_ar", (3600, 1500, 4800, 3000)),
    ("店坡村", "DP", "zu_cn", (4800, 1500, 6000, 3000)),
    ("窑头村", "YT", "wan", (3600, 0, 4800, 1500)),
    ("庙湾村", "MW", "small", (4800, 0, 5200, 1500)),
    ("沟口村", "GK", "small", (5200, 0, 5600, 1500)),
    ("石窑村", "SY", "small", (5600, 0, 6000, 1500)),
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
        w, s, e, _n = sb
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cs, cn = s + ci * 1500, s + (ci + 1) * 1500
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(w, cs, e, cn))))
            for gi in range(2):
                gs, gn = cs + gi * 750, cs + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, gs, e, gn))))
                for mi in range(3):
                    mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{g_name}{mi + 1}号微网格", g_code, mb)
    t_code, t_name, tb = TOWNSHIP
    FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
    for vi, (v_name, key, style, vb) in enumerate(VILLAGES):
        v_code = f"{t_code}{200 + vi + 1:03d}"
        VILLAGE_BOX[key] = vb
        FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
        x0, s, x1, _n = vb
        if style == "small":
            g_code = f"{v_code}001"
            FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
            for mi in range(2):
                mb = (x0, s + mi * 750, x1, s + (mi + 1) * 750)
                add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
            continue
        for gi in range(2):
            gs, gn = s + gi * 750, s + (gi + 1) * 750
            g_code = f"{v_code}{gi + 1:03d}"
            gb = (x0, gs, x1, gn)
            FEATURES.append(
                feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
            )
            for mi in range(3):
                mb = (x0 + mi * 400, gs, x0 + (mi + 1) * 400, gn)
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


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("解放路", "arterial", [(1200, 0), (1200, 3000)]),
    ("五一路", "arterial", [(2400, 0), (2400, 3000)]),
    ("建设北路", "arterial", [(3600, 0), (3600, 3000)]),
    ("府东街", "arterial", [(0, 1500), (3600, 1500)]),
    ("北大街", "arterial", [(0, 2250), (2400, 2250)]),
    ("新建路", "arterial", [(0, 1900), (3600, 1900)]),
    ("胜利街", "secondary", [(0, 1100), (4500, 1100)]),
    ("桃园北路", "secondary", [(600, 0), (600, 3000)]),
    ("三墙路", "secondary", [(3000, 0), (3000, 1900)]),
    ("上马街", "secondary", [(1800, 1550), (1800, 2950)]),
    ("柳溪街", "secondary", [(300, 300), (300, 1050)]),
    ("小东门街", "branch", [(2600, 2050), (2600, 1750), (2900, 1750), (2900, 2050)]),
    # lanes in the road file
    ("精营东二道街", "branch", [(100, 2500), (350, 2500)]),
    ("红市街", "branch", [(1300, 2700), (1550, 2700)]),
    ("前进巷", "branch", [(2600, 2100), (2600, 2400)]),
    ("敦化坊", "branch", [(3300, 200), (3300, 500)]),
    ("剪子巷", "branch", [(900, 200), (900, 500)]),
    ("东仓巷", "branch", [(1650, 300), (1950, 300)]),
    # the hilly east
    ("新兰路", "arterial", [(3600, 1500), (6000, 1500)]),
    ("涧东路", "arterial", [(4800, 0), (4800, 3000)]),
    ("享堂路", "arterial", [(3600, 400), (6000, 400)]),
    ("涧河路", "secondary", [(3600, 2600), (5800, 2600)]),
    ("峪口路", "branch", [(4200, 1600), (4200, 2900)]),
    ("店坡路", "branch", [(5000, 1700), (5500, 1700), (5500, 2300)]),
    ("窑头路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "杏花岭区"
TOWN = "中涧河乡"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "解放路": "JFL",
    "五一路": "WYL",
    "建设北路": "JSBL",
    "府东街": "FDJ",
    "北大街": "BDJ",
    "新建路": "XJL",
    "胜利街": "SLJ",
    "桃园北路": "TYBL",
    "三墙路": "SQL",
    "上马街": "SMJ",
    "柳溪街": "LXJ",
    "小东门街": "XDMJ",
    "精营东二道街": "JYDJ",
    "红市街": "HSJ",
    "前进巷": "QJX",
    "敦化坊": "DHF",
    "剪子巷": "JZX",
    "东仓巷": "DCX",
    "享堂路": "XTL",
    "涧河路": "JHL",
    "小五台": "XWT",
    "柏树底": "BSD",
    "三道巷": "SDX",
    "东夹道": "DJD",
    "铁匠院": "TJY",
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
        add(f"XH{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"XH{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"XH{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


VILLAGE_OF = {key: name for name, key, _s, _b in VILLAGES}
ZU_STYLE = {"DJH": "ar", "DP": "cn"}
WAN = ["上庄", "下庄", "前沟", "后沟", "阳坡"]
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def rural_houses(key: str, centre, numbers, zu=None, wan=None, aliases=None):
    """Houses of a 组, of a 自然村 (wan), or of a village numbered across, around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        part = zu_text(key, zu) if zu else (wan or "")
        tag = f"{zu:02d}" if zu else (f"W{WAN.index(wan)}" if wan else "00")
        add(
            f"XH{key}{tag}{n:03d}",
            f"{CITY}{TOWN}{VILLAGE_OF[key]}{part}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN,
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            wan=wan,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "解放路",
        [
            (150, "L", []),
            (500, "R", ["山西医科大学第二医院", "山医大二院", "二院"]),
            (1150, "L", ["胜利街地铁站"]),
            (1700, "R", ["建设银行解放路支行", "建行解放路支行"]),
            (2100, "L", ["北大街地铁站"]),
            (2600, "R", ["三桥派出所"]),
            (2900, "L", []),
        ],
    )
    frontage(
        "五一路",
        [
            (200, "R", []),
            (650, "L", ["太原市第十中学", "太原十中"]),
            (1300, "R", ["五一路菜市场"]),
            (1950, "R", ["巨轮派出所"]),
            (2500, "L", ["邮政储蓄银行五一路支行", "邮储五一路支行"]),
            (2800, "R", []),
        ],
    )
    frontage("建设北路", [(300, "L", []), (1250, "L", []), (2300, "L", []), (2750, "L", [])])
    frontage(
        "府东街",
        [
            (150, "L", []),
            (700, "R", ["鼓楼街道办事处"]),
            (1000, "L", ["儿童公园"]),
            (1650, "R", ["工商银行府东街支行", "工行府东街支行"]),
            (2150, "L", []),
            (2700, "R", ["杏花岭区人民政府", "杏花岭区政府"]),
            (3300, "L", []),
        ],
    )
    frontage(
        "北大街",
        [
            (100, "L", []),
            (550, "R", []),
            (900, "L", ["鼓楼派出所"]),
            (1450, "R", []),
            (2050, "L", ["晋商银行北大街支行"]),
            (2300, "R", []),
        ],
    )
    frontage(
        "新建路",
        [
            (100, "L", []),
            (500, "L", ["杏园小区南门"]),
            (900, "R", ["北门社区居委会"]),
            (1450, "L", ["太原五中", "太原市第五中学"]),
            (1900, "L", ["三桥佳园南门"]),
            (2100, "R", ["新建路地铁站"]),
            (2700, "L", ["新村社区居委会"]),
            (3300, "R", ["新建路菜市场"]),
        ],
    )
    frontage(
        "胜利街",
        [
            (150, "L", []),
            (500, "R", ["西华门社区居委会"]),
            (1000, "L", []),
            (1400, "R", ["东华门社区居委会"]),
            (1900, "L", ["农业银行胜利街支行", "农行胜利街支行"]),
            (2650, "R", ["工农社区居委会"]),
            (3250, "L", ["胜利街加油站"]),
            (4300, "R", []),
        ],
    )
    frontage(
        "桃园北路",
        [
            (200, "R", []),
            (650, "L", []),
            (1300, "R", []),
            (2100, "L", ["杏园小区东门"]),
            (2600, "R", ["桃园北路菜市场"]),
            (2900, "L", []),
        ],
    )
    frontage(
        "三墙路",
        [
            (150, "L", []),
            (450, "R", ["巨轮花园", "巨轮花园大门"]),
            (900, "L", ["晋商银行三墙路支行"]),
            (1300, "R", ["巨轮街道社区卫生服务中心"]),
            (1700, "L", []),
        ],
    )
    frontage(
        "上马街",
        [
            (100, "L", []),
            (530, "R", ["三桥佳园", "三桥佳园东门"]),
            (900, "L", ["上马街小学"]),
            (1300, "R", []),
        ],
    )
    frontage("柳溪街", [(100, "L", []), (500, "R", ["柳溪街菜市场"])])
    frontage("小东门街", [(400, "R", ["小东门街早市"])])
    # lanes of the road file
    frontage("精营东二道街", [(50, "L", []), (200, "R", [])], step=10)
    frontage("红市街", [(40, "L", []), (180, "R", [])], step=10)
    frontage("前进巷", [(60, "L", []), (250, "R", [])], step=10)
    frontage("敦化坊", [(50, "L", []), (250, "R", [])], step=10)
    frontage("剪子巷", [(30, "L", []), (200, "R", [])], step=10)
    frontage("东仓巷", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("小五台", [(2, 500, 2800), (5, 540, 2812), (9, 570, 2800)])
    lane_houses("柏树底", [(2, 2370, 2600), (5, 2430, 2600), (8, 2440, 2660)])
    lane_houses("三道巷", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("东夹道", [(1, 3300, 2600), (6, 3310, 2660), (10, 3300, 2720)])
    lane_houses("铁匠院", [(3, 200, 1250), (8, 212, 1300), (12, 200, 1350)])
    # 小区: a door with the 小区's name and gate, and its 号楼
    xy_door = door(2100, "L")
    compound(
        f"桃园北路{xy_door}号",
        "杏园小区",
        "XHXYXQ",
        [(460, 1990), (540, 1990), (460, 2070), (540, 2070), (500, 2140)],
    )
    sq = door(530, "R")
    compound(
        f"上马街{sq}号",
        "三桥佳园",
        "XHSQJY",
        [(1850, 2080), (1930, 2080), (1850, 2160), (1930, 2160)],
    )
    jl = door(450, "R")
    compound(f"三墙路{jl}号", "巨轮花园", "XHJLHY", [(3060, 300), (3140, 300), (3060, 380)])
    # the 乡's roads
    frontage(
        "涧河路",
        [
            (300, "L", ["中涧河乡卫生院", "乡卫生院"]),
            (700, "R", ["中涧河派出所"]),
            (1000, "L", ["中涧河乡人民政府", "中涧河乡政府"]),
            (1500, "R", ["中涧河中学"]),
            (1900, "L", ["农商银行中涧河支行", "中涧河农商行"]),
            (2100, "R", []),
        ],
        prefix=CITY + TOWN,
    )
    frontage("享堂路", [(500, "L", ["享堂路加油站"]), (1700, "R", []), (2200, "L", [])])
    c = micro_centre
    # 东涧河村 (1组 … 6组, micro-grids named after them)
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        al = {7: ["东涧河村委会", "东涧河村村委会"]} if zu == 2 else None
        rural_houses("DJH", c("DJH", zu), nums, zu=zu, aliases=al)
    # 店坡村 (plain micro-grids; 三组 lies across two)
    rural_houses("DP", c("DP", 1), [2, 6, 9], zu=1)
    rural_houses("DP", c("DP", 2), [1, 5, 12], zu=2, aliases={5: ["店坡村委会"]})
    rural_houses("DP", (5200, 1950), [3, 8, 14], zu=3)
    rural_houses("DP", c("DP", 4), [4, 7, 16], zu=4)
    rural_houses("DP", c("DP", 5), [2, 10], zu=5)
    rural_houses("DP", c("DP", 6), [5, 11, 17], zu=6)
    # 窑头村 (plain micro-grids; houses by 自然村; 后沟 lies across two)
    rural_houses("YT", (3800, 200), [4, 12, 19], wan="上庄")
    rural_houses("YT", c("YT", 3), [3, 7, 22], wan="下庄", aliases={7: ["窑头村委会"]})
    rural_houses("YT", c("YT", 4), [1, 6, 15], wan="前沟")
    rural_houses("YT", (4000, 1300), [2, 9, 11], wan="后沟")
    rural_houses("YT", c("YT", 6), [5, 8], wan="阳坡")
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("MW", (5000, 1150), [8, 21, 47, 90], aliases={21: ["庙湾村卫生室"]})
    rural_houses("GK", (5400, 200), [5, 33, 61, 102], aliases={33: ["沟口村委会"]})
    rural_houses("SY", (5800, 1150), [11, 28, 56])


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
R_WIDE = 100.0  # the wide reading of 跟前 / 那疙瘩 / 后头
R_RIDGE = 150.0  # the wide reading of a 圪梁梁 in a 组 or 自然村
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


def tolerance(dist: float, how) -> tuple[float, float]:
    if isinstance(how, tuple):  # ("range", lo, hi): an explicit span
        return how[1], how[2]
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
    if kind == "near":  # ("near", [building codes], radius)
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
    if kind == "zu":  # ("zu", town or None, village, number, grow)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return grow(hs, spec[4])
    if kind == "wan":  # ("wan", town or None, village, 自然村, grow)
        hs = houses(town=spec[1], village=spec[2], wan=spec[3])
        return grow(hs, spec[4])
    if kind == "village":  # ("village", town or None, village, grow): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return grow(hs, spec[3])
    raise SystemExit(spec)


def grow(hs, r):
    if not hs:
        return None
    pts = MultiPoint([(b["x"], b["y"]) for b in hs])
    return pts.buffer(r) if r else pts


def resolve(spec):
    """(building code or None, micro-grid or None, the region checked, or None)."""
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"]), None
    if spec[0] == "read":  # ("read", [narrow specs], [wide specs]): both must agree
        micros, regions = [], []
        for reading in spec[1:]:
            parts = [place_region(s) for s in reading]
            if any(p is None or p.is_empty for p in parts):
                return None, None, None
            region = unary_union(parts)
            regions.append(region)
            micros.append(micro_of_region(region))
        if micros[0] is None or len(set(micros)) != 1:
            return None, None, None
        return None, micros[0], unary_union(regions)
    region = place_region(spec)
    if region is None or region.is_empty:
        return None, None, None
    micro = micro_of_region(region)
    return None, micro, region if micro else None


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def UP(ospec, dist, how="exact", down=False):
    """往上走 / 往下走: narrow reading north (south), wide reading any of the four directions."""
    return (
        "read",
        [OFF(ospec, "南" if down else "北", dist, how)],
        [OFF(ospec, d, dist, how) for d in DIRS],
    )


def SPAN(ospec, d, lo, hi):
    """走上个二三百米: narrow reading lo-hi, wide reading 0.8 lo - 1.2 hi."""
    return (
        "read",
        [OFF(ospec, d, lo, ("range", lo, hi))],
        [OFF(ospec, d, lo, ("range", 0.8 * lo, 1.2 * hi))],
    )


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases], R_NEAR)


def CLOSE(*aliases):
    """跟前 / 那疙瘩 / 后头: narrow reading 50 m, wide reading 100 m."""
    codes = [code_of_alias(a) for a in aliases]
    return ("read", [("near", codes, R_NEAR)], [("near", codes, R_WIDE)])


def NEAR_COMPOUND(name: str, gates: list[str]):
    codes = [b["code"] for b in BUILDINGS if b.get("compound") == name]
    return ("near", codes + [code_of_alias(g) for g in gates], R_NEAR)


def ZU(village, zu, town=None):
    return ("zu", town, village, zu, 0)


def WANQ(village, wan, town=None):
    return ("wan", town, village, wan, 0)


def RIDGE(spec):
    """A 圪梁梁 in a 组 / 自然村: narrow reading its houses, wide reading 150 m around them."""
    wide = (*spec[:-1], R_RIDGE)
    return ("read", [spec], [wide])


def VIL(village, town=None):
    return ("village", town, village, 0)


def H(key, tag, n):  # a rural house: tag a 组 number, a 自然村, or 0 (numbered across)
    if isinstance(tag, str):
        return BY_CODE[f"XH{key}W{WAN.index(tag)}{n:03d}"]
    return BY_CODE[f"XH{key}{tag:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")
    if any(text in a for b in BUILDINGS for a in b["aliases"]):
        raise SystemExit(f"{text} is an alias")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "桃园北路与新建路十字口有人占道经营", X("桃园北路", "新建路"))
    q(x, "桃园北路新建路交叉口东北角井盖缺失", X("桃园北路", "新建路", "东北"))
    q(
        x,
        "桃园北路、胜利街路口往南50米路上有个大圪洞",
        X("桃园北路", "胜利街", None, ("南", 50, "exact")),
    )
    q(
        x,
        "市民来电反映：胜利街桃园北路十字口东南角那个井盖没了好几天了，晚上黑，怕有人掉进去，"
        "请尽快处理",
        X("胜利街", "桃园北路", "东南"),
    )
    q(x, "解放路与府东街十字口红绿灯坏了", X("解放路", "府东街"))
    q(x, "解放路府东街交叉口东北角有人摆摊卖水果", X("解放路", "府东街", "东北"))
    q(
        x,
        "解放路、府东街路口往东30米人行道塌了",
        X("解放路", "府东街", None, ("东", 30, "exact")),
    )
    q(x, "五一路与胜利街交叉口西南角有人烧纸", X("五一路", "胜利街", "西南"))
    q(x, "五一路胜利街十字车辆乱停", X("五一路", "胜利街"))
    q(
        x,
        "五一路、胜利街路口往北200米护栏倒了",
        X("五一路", "胜利街", None, ("北", 200, "exact")),
    )
    q(x, "解放路新建路交叉口东南角垃圾桶满了没人倒", X("解放路", "新建路", "东南"))
    q(x, "上马街与新建路十字口有渣土车撒漏", X("上马街", "新建路"))
    q(x, "上马街新建路交叉口西北角共享单车乱放", X("上马街", "新建路", "西北"))
    q(x, "上马街与府东街交叉口路灯不亮", X("上马街", "府东街"))
    q(x, "新建路与胜利街交叉口有人发小广告", X("新建路", "胜利街"))
    q(x, "小东门街与新建路交叉口下水道冒水", X("小东门街", "新建路"))
    q(x, "三墙路与新建路丁字口有人倾倒垃圾", X("三墙路", "新建路"))
    q(x, "三墙路新建路丁字路口东北角堆了一堆建筑垃圾", X("三墙路", "新建路", "东北"))
    q(x, "桃园北路与北大街交叉口西南角有流浪狗", X("桃园北路", "北大街", "西南"))
    q(x, "北大街、五一路丁字路口西北角有人烧垃圾", X("北大街", "五一路", "西北"))
    q(x, "解放路与北大街交界处有人占道", X("解放路", "北大街"))
    q(x, "涧河路与峪口路十字有人晒玉米占道", X("涧河路", "峪口路"))
    q(
        x,
        "涧河路、峪口路路口往北100米有只死狗",
        X("涧河路", "峪口路", None, ("北", 100, "exact")),
    )
    q(x, "涧河路涧东路交叉口西南角堆了建筑垃圾", X("涧河路", "涧东路", "西南"))
    q(x, "享堂路与窑头路十字有人焚烧秸秆", X("享堂路", "窑头路"))
    q(
        x,
        "享堂路、涧东路路口往东30米路面塌陷",
        X("享堂路", "涧东路", None, ("东", 30, "exact")),
    )
    q(
        x,
        "窑头路、享堂路路口往北300米有人倒渣土",
        X("窑头路", "享堂路", None, ("北", 300, "exact")),
    )
    q(x, "胜利街与窑头路十字早上堵车", X("胜利街", "窑头路"))
    q(x, "新兰路与峪口路交叉口有坑", X("新兰路", "峪口路"))
    q(x, "新兰路涧东路交叉口东北角有人卖菜占道", X("新兰路", "涧东路", "东北"))
    q(x, "建设北路与府东街交叉口东北角路灯不亮", X("建设北路", "府东街", "东北"))
    q(x, "建设北路新建路丁字口有人乱停车", X("建设北路", "新建路"))
    q(x, "店坡路与涧河路交叉口积水", X("店坡路", "涧河路"))
    q(x, "柳溪街胜利街十字口西北角有人摆摊", X("柳溪街", "胜利街", "西北"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "二院往东走了三百来米有个井盖没了", OFF(A("二院"), "东", 300, "about"))
    q(o, "山西医科大学第二医院往北200米有人占道", OFF(A("山西医科大学第二医院"), "北", 200))
    q(
        o,
        "山医大二院向南大约150米路东有人摆摊",
        OFF(A("山医大二院"), "南", 150, "about", ("解放路", "东")),
    )
    q(o, "太原五中往西走了三百来米，路边有人烧东西", OFF(A("太原五中"), "西", 300, "about"))
    q(o, "太原五中北侧100米有人遛狗不牵绳", OFF(A("太原五中"), "北", 100))
    q(o, "太原五中往上走五十米有个圪洞，小心崴脚", UP(A("太原五中"), 50))
    q(o, "太原十中往东约150米有人占道修车", OFF(A("太原十中"), "东", 150, "about"))
    q(o, "太原十中往南走了两百来米，路灯杆歪了", OFF(A("太原十中"), "南", 200, "about"))
    q(o, "儿童公园往北走上个二三百米，有人在路边卖菜", SPAN(A("儿童公园"), "北", 200, 300))
    q(
        o,
        "儿童公园往东约100米路北有人乱贴小广告",
        OFF(A("儿童公园"), "东", 100, "about", ("府东街", "北")),
    )
    q(o, "工行府东街支行往南200米左右店铺油烟扰民", OFF(A("工行府东街支行"), "南", 200, "about"))
    q(o, "鼓楼派出所往南约150米下水道堵了", OFF(A("鼓楼派出所"), "南", 150, "about"))
    q(o, "鼓楼派出所往下走三百米有人私搭乱建", UP(A("鼓楼派出所"), 300, down=True))
    q(o, "三桥派出所往东走了一百多米有人烧落叶", OFF(A("三桥派出所"), "东", 100, "more"))
    q(o, "三桥派出所往北约500米有人私搭乱建", OFF(A("三桥派出所"), "北", 500, "about"))
    q(
        o,
        "胜利街加油站往东约300米路北有车辆违停",
        OFF(A("胜利街加油站"), "东", 300, "about", ("胜利街", "北")),
    )
    q(o, "胜利街加油站往西200米有人卖散装汽油", OFF(A("胜利街加油站"), "西", 200))
    q(o, "新建路菜市场往西约200米垃圾没人清", OFF(A("新建路菜市场"), "西", 200, "about"))
    q(o, "邮储五一路支行往北100米有人占道", OFF(A("邮储五一路支行"), "北", 100))
    q(o, "巨轮派出所往东走了三百来米有人遛狗不拴绳", OFF(A("巨轮派出所"), "东", 300, "about"))
    q(
        o,
        "杏园小区东门往南100米路西有人乱倒垃圾",
        OFF(A("杏园小区东门"), "南", 100, side=("桃园北路", "西")),
    )
    q(o, "三桥佳园东门往北50米有车辆堵住消防通道", OFF(A("三桥佳园东门"), "北", 50))
    q(
        o,
        "上马街小学往西走上个二三百米有人在墙上乱涂乱画",
        SPAN(A("上马街小学"), "西", 200, 300),
    )
    q(
        o,
        "中涧河乡政府往东约200米路南有人倒渣土",
        OFF(A("中涧河乡政府"), "东", 200, "about", ("涧河路", "南")),
    )
    q(o, "乡卫生院往东200米有人占道晒粮", OFF(A("乡卫生院"), "东", 200))
    q(o, "中涧河农商行往西走了两百来米有流动摊贩", OFF(A("中涧河农商行"), "西", 200, "about"))
    q(
        o,
        "享堂路加油站往东150米路北有人倾倒垃圾",
        OFF(A("享堂路加油站"), "东", 150, side=("享堂路", "北")),
    )
    q(o, "东涧河村委会往北约300米有人私建猪圈", OFF(A("东涧河村委会"), "北", 300, "about"))
    q(o, "沟口村委会往南1公里有人电鱼", OFF(A("沟口村委会"), "南", 1000))
    q(
        o,
        "桃园北路与新建路交叉口往东150米路北，商户占道",
        OFF(XO("桃园北路", "新建路"), "东", 150, side=("新建路", "北")),
    )
    q(
        o,
        "涧河路与峪口路交叉口以东约300米路南有垃圾堆",
        OFF(XO("涧河路", "峪口路"), "东", 300, "about", ("涧河路", "南")),
    )
    q(o, "迎泽公园往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "山西大医院往北100米有积水", OFF(("none",), "北", 100))
    q(o, "杏花岭区政府往上走三百来米有人烧垃圾", UP(A("杏花岭区政府"), 300, "about"))
    q(
        o,
        "我家就在三墙路，晋商银行三墙路支行往南约200米那一段路灯一直不亮，晚上走路黑咕隆咚的，"
        "麻烦派人修一下",
        OFF(A("晋商银行三墙路支行"), "南", 200, "about"),
    )

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "太原五中门口有流动摊贩，影响学生上学", NEAR("太原五中"))
    q(n, "太原五中跟前有人卖烤肠，油烟很大", CLOSE("太原五中"))
    q(n, "二院对面的人行道被占了", NEAR("二院"))
    q(n, "二院那疙瘩天天堵车，救护车都进不去", CLOSE("二院"))
    q(n, "儿童公园旁边有人卖气球占道", NEAR("儿童公园"))
    q(
        n,
        "杏园小区周边夜里广场舞声音大",
        NEAR_COMPOUND("杏园小区", ["杏园小区东门", "杏园小区南门"]),
    )
    q(n, "三桥佳园附近施工扰民", NEAR_COMPOUND("三桥佳园", ["三桥佳园", "三桥佳园南门"]))
    q(n, "巨轮花园周边的路灯全不亮", NEAR_COMPOUND("巨轮花园", ["巨轮花园"]))
    q(n, "新建路地铁站旁边有人散发小广告", NEAR("新建路地铁站"))
    q(n, "胜利街地铁站门口共享单车堆成山", NEAR("胜利街地铁站"))
    q(n, "新建路菜市场门口垃圾堆了好几天", NEAR("新建路菜市场"))
    q(n, "桃园北路菜市场那疙瘩污水横流", CLOSE("桃园北路菜市场"))
    q(n, "柳溪街菜市场跟前占道经营很严重", CLOSE("柳溪街菜市场"))
    q(n, "小东门街早市隔壁在装修，噪音大", NEAR("小东门街早市"))
    q(n, "工农社区居委会跟前有个井盖松了", CLOSE("工农社区居委会"))
    q(n, "东华门社区居委会后头有人私搭棚子", CLOSE("东华门社区居委会"))
    q(n, "中涧河乡卫生院门口有人摆摊", NEAR("中涧河乡卫生院"))
    q(n, "中涧河乡政府后头有人烧荒", CLOSE("中涧河乡政府"))
    q(n, "东涧河村委会旁边有人焚烧垃圾", NEAR("东涧河村委会"))
    q(n, "庙湾村卫生室附近有个水塘没有护栏", NEAR("庙湾村卫生室"))
    q(n, "沟口村委会对面的路灯不亮", NEAR("沟口村委会"))
    q(n, "窑头村委会那疙瘩有人私拉电线", CLOSE("窑头村委会"))
    q(n, "山西大医院门口有人乱停车", ("near", [], R_NEAR))
    q(n, "迎泽公园附近有人卖假货", ("near", [], R_NEAR))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("精营东二道街路灯坏了好几天了", "精营东二道街"),
        ("来电人反映红市街里有车辆长期占道", "红市街"),
        ("前进巷下水道堵了，污水漫到路上", "前进巷"),
        ("敦化坊有人养狗扰民", "敦化坊"),
        ("剪子巷的路面坑坑洼洼，全是圪洞", "剪子巷"),
        ("东仓巷垃圾几天没人收", "东仓巷"),
        ("小五台有人半夜装修", "小五台"),
        ("市民称柏树底电线乱拉", "柏树底"),
        ("三道巷化粪池满了往外冒", "三道巷"),
        ("东夹道 有人占用消防通道", "东夹道"),
        ("铁匠院里面路面结冰，老人出门困难", "铁匠院"),
        ("上马街上到处是小广告", "上马街"),
        ("钟楼街有人半夜施工", "钟楼街"),
        ("杨树巷路灯不亮", "杨树巷"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 or 自然村 named with its village) ------------------------------------
    g = "group"
    q(g, "东涧河村3组有人焚烧秸秆", ZU("东涧河村", 3))
    q(g, "东涧河村五组有人在田边烧垃圾", ZU("东涧河村", 5))
    q(g, "中涧河乡东涧河村第一村民小组有人违建", ZU("东涧河村", 1, "中涧河乡"))
    q(g, "杏花岭区中涧河乡东涧河村6组自来水停了", ZU("东涧河村", 6, "中涧河乡"))
    q(g, "店坡村二组路灯不亮", ZU("店坡村", 2))
    q(g, "店坡村4组有人私挖鱼塘", ZU("店坡村", 4))
    q(g, "店坡村第6村民小组有人偷倒建筑垃圾", ZU("店坡村", 6))
    q(g, "店坡村三组垃圾没人收", ZU("店坡村", 3))
    q(g, "店坡村七组有人焚烧垃圾", ZU("店坡村", 7))
    q(g, "小返乡东涧河村2组有人违建", ZU("东涧河村", 2, "小返乡"))
    q(g, "庙湾村2组有人私拉电线", ZU("庙湾村", 2))
    q(g, "窑头村上庄有人放羊啃了树苗", WANQ("窑头村", "上庄"))
    q(g, "窑头村下庄的排水渠堵塞", WANQ("窑头村", "下庄"))
    q(g, "中涧河乡窑头村前沟有人在河边洗车", WANQ("窑头村", "前沟", "中涧河乡"))
    q(g, "窑头村阳坡有人在路边晒粮", WANQ("窑头村", "阳坡"))
    q(g, "窑头村后沟路面塌陷", WANQ("窑头村", "后沟"))
    q(g, "窑头村石咀有人砍树", WANQ("窑头村", "石咀"))
    q(g, "东涧河村上庄有人私建猪圈", WANQ("东涧河村", "上庄"))
    q(g, "东涧河村3组那个圪梁梁上有人开荒种地", RIDGE(ZU("东涧河村", 3)))
    q(g, "窑头村阳坡圪梁梁上有人烧荒，烟大得很", RIDGE(WANQ("窑头村", "阳坡")))
    q(g, "店坡村三组圪梁梁上有人乱挖", RIDGE(ZU("店坡村", 3)))

    # --- village (a 行政村 named alone, or with its 乡) -------------------------------------
    v = "village"
    q(v, "庙湾村有人烧秸秆，烟很大", VIL("庙湾村"))
    q(v, "中涧河乡庙湾村路灯不亮", VIL("庙湾村", "中涧河乡"))
    q(v, "沟口村有人私拉电网捕鱼", VIL("沟口村"))
    q(v, "杏花岭区中涧河乡沟口村狗咬人", VIL("沟口村", "中涧河乡"))
    q(v, "石窑村自来水停了三天了", VIL("石窑村"))
    q(v, "中涧河石窑村有人占用耕地建房", VIL("石窑村", "中涧河乡"))
    q(v, "杏花岭区石窑村有人往沟里倒垃圾", VIL("石窑村"))
    q(v, "东涧河村垃圾堆放", VIL("东涧河村"))
    q(v, "店坡村有人电鱼", VIL("店坡村"))
    q(v, "小返乡庙湾村有人烧荒", VIL("庙湾村", "小返乡"))
    q(v, "鼓楼街道沟口村有人违建", VIL("沟口村", "鼓楼街道"))
    q(v, "小返村有人焚烧垃圾", VIL("小返村"))
    q(v, "上庄村有人违建", VIL("上庄村"))
    q(v, "庙湾村那个圪梁梁上有人烧荒", RIDGE(VIL("庙湾村")))
    q(v, "窑头村后头的圪梁梁上有人挖土", RIDGE(VIL("窑头村")))

    # --- other_county (太原's other 县级 units in front of our addresses) -----------------
    oc = "other_county"
    wy, sl = fb("五一路", 200, "R"), fb("胜利街", 1000, "L")
    xj, ty = fb("新建路", 2700, "L"), fb("桃园北路", 650, "L")
    for text, code in [
        (f"迎泽区五一路{no(wy)}号", None),
        ("小店区中涧河乡东涧河村3组15号", None),
        (f"太原市万柏林区胜利街{no(sl)}号", None),
        ("尖草坪区中涧河乡窑头村上庄12号", None),
        (f"晋源区新建路{no(xj)}号", None),
        ("太原市阳曲县中涧河乡庙湾村21号", None),
        (f"清徐县桃园北路{no(ty)}号", None),
        (f"山西省太原市杏花岭区五一路{no(wy)}号", wy["code"]),
        ("杏花岭区中涧河乡东涧河村3组15号", H("DJH", 3, 15)["code"]),
        (f"太原市杏花岭区胜利街{no(sl)}号", sl["code"]),
        ("中涧河乡窑头村上庄12号", H("YT", "上庄", 12)["code"]),
        (f"杏花岭区新建路{no(xj)}号", xj["code"]),
        ("太原市杏花岭区中涧河乡庙湾村21号", H("MW", 0, 21)["code"]),
        (f"杏花岭区桃园北路{no(ty)}号", ty["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    j1, j2 = fb("解放路", 2900, "L"), fb("解放路", 2600, "R")
    s1, f1 = fb("胜利街", 150, "L"), fb("府东街", 2150, "L")
    h1 = fb("红市街", 180, "R", 10)
    x1, q1 = fb("享堂路", 1700, "R"), fb("三墙路", 1700, "L")
    sm = door(530, "R")
    absent("东涧河村3组30号")
    absent("石窑村200号")
    absent("三道巷9号")
    absent("解放路9999号")
    for text, code in [
        (
            "No. 15, Group 3, Dongjianhe Village, Zhongjianhe Township, Xinghualing District,"
            " Taiyuan",
            H("DJH", 3, 15)["code"],
        ),
        (
            "No. 12, Group 2, Dianpo Village, Zhongjianhe Township, Xinghualing District",
            H("DP", 2, 12)["code"],
        ),
        (
            "No. 12, Shangzhuang, Yaotou Village, Zhongjianhe Township, Xinghualing District,"
            " Taiyuan, Shanxi",
            H("YT", "上庄", 12)["code"],
        ),
        (
            "No. 47, Miaowan Village, Zhongjianhe Township, Xinghualing District",
            H("MW", 0, 47)["code"],
        ),
        (f"No. {no(j1)}, Jiefang Road, Xinghualing District, Taiyuan", j1["code"]),
        (f"Xinghualing Qu Jiefang Lu {no(j2)} Hao", j2["code"]),
        (f"Taiyuan Shi Xinghualing Qu Shengli Jie {no(s1)} Hao", s1["code"]),
        (f"No. {no(f1)} Fudong Street, Xinghualing District, Taiyuan, Shanxi", f1["code"]),
        (f"Building 2, No. {sm} Shangma Street, Xinghualing District, Taiyuan", "XHSQJYB2"),
        ("Building 3, Xingyuan Xiaoqu, Taoyuan Beilu, Taiyuan", "XHXYXQB3"),
        (f"No. {no(h1)}, Hongshi Street, Xinghualing District", h1["code"]),
        ("Zhongjianhe Xiang Dongjianhe Cun 3 Zu 15 Hao", H("DJH", 3, 15)["code"]),
        (f"No. {no(x1)}, Xiangtang Road, Xinghualing District", x1["code"]),
        ("15号，3组，东涧河村，中涧河乡，杏花岭区，太原市", H("DJH", 3, 15)["code"]),
        ("501室，2单元，3号楼，杏园小区，杏花岭区", "XHXYXQB3"),
        (f"{no(q1)}号，三墙路，杏花岭区，太原市", q1["code"]),
        ("5号，小五台，太原市杏花岭区", "XHXWT5"),
        ("9号，三道巷，杏花岭区", None),
        ("No. 30, Group 3, Dongjianhe Village, Zhongjianhe Township, Xinghualing District", None),
        ("No. 200, Shiyao Village, Zhongjianhe Township, Xinghualing District", None),
        ("Xinghualing Qu Jiefang Lu 9999 Hao", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 4, Dianpo Village, Zhongjianhe Township", ZU("店坡村", 4, "中涧河乡"))
    q(e, "Group 3, Dianpo Village, Xinghualing District", ZU("店坡村", 3))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    b1, b2, b3 = fb("解放路", 150, "L"), fb("五一路", 2800, "R"), fb("北大街", 550, "R")
    t1, t2 = fb("解放路", 2900, "L"), fb("府东街", 3300, "L")
    t3, t4 = fb("胜利街", 150, "L"), fb("桃园北路", 2900, "L")
    t5, t6 = fb("三墙路", 150, "L"), fb("新建路", 100, "L")
    t7, t8 = fb("柳溪街", 100, "L"), fb("建设北路", 1250, "L")
    for miss in ["新建路8号", "红市街50号", "东涧河村3组99号", "庙湾村300号"]:
        absent(miss)
    absent("店坡村七组3号")
    absent("小五台20号")
    absent("杏园小区9号楼")
    for text, code in [
        (b1["address"], b1["code"]),
        (f"五一路{no(b2)}号", b2["code"]),
        (f"太原市杏花岭区北大街{no(b3)}号", b3["code"]),
        ("太原五中", code_of_alias("太原五中")),
        ("二院", code_of_alias("二院")),
        ("儿童公园", code_of_alias("儿童公园")),
        ("杏花岭区政府", code_of_alias("杏花岭区政府")),
        ("中涧河乡政府", code_of_alias("中涧河乡政府")),
        ("东涧河村委会", code_of_alias("东涧河村委会")),
        ("杏园小区3号楼2单元501室", "XHXYXQB3"),
        ("三桥佳园4号楼", "XHSQJYB4"),
        ("巨轮花园2号楼1单元", "XHJLHYB2"),
        ("精营东二道街11号", "XHJYDJ11"),
        ("杏花岭区柏树底5号", "XHBSD5"),
        ("杏花岭区中涧河乡庙湾村90号", H("MW", 0, 90)["code"]),
        ("中涧河乡店坡村三组8号", H("DP", 3, 8)["code"]),
        ("窑头村后沟9号", H("YT", "后沟", 9)["code"]),
        (f"解方路{no(t1)}号", t1["code"]),
        (f"杏花岭区府冬街{no(t2)}号", t2["code"]),
        (f"圣利街{no(t3)}号", t3["code"]),
        (f"太原市杏花岭区桃源北路{no(t4)}号", t4["code"]),
        (f"三强路{no(t5)}号", t5["code"]),
        (f"新见路{no(t6)}号", t6["code"]),
        (f"柳西街{no(t7)}号", t7["code"]),
        (f"建社北路{no(t8)}号", t8["code"]),
        ("太原市杏花岭区新建路8号", None),
        ("红市街50号", None),
        ("杏园小区9号楼", None),
        ("中涧河乡东涧河村3组99号", None),
        ("杏花岭区中涧河乡庙湾村300号", None),
        ("店坡村七组3号", None),
        ("杏花岭区小五台20号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def dump_json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all() -> dict[str, object]:
    """Write the four files; return each positive place query's region, for the check."""
    build_tree()
    build_buildings()
    collection = {"type": "FeatureCollection", "features": FEATURES}
    (HERE / "grids.geojson").write_text(dump_json(collection), encoding="utf-8")
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
    road_collection = {"type": "FeatureCollection", "features": roads}
    (HERE / "roads.geojson").write_text(dump_json(road_collection), encoding="utf-8")
    lines = []
    regions: dict[str, object] = {}
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro, region = resolve(spec)
        if region is not None:
            regions[text] = region
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
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}, "
        f"refused {refused} ({100 * refused / len(lines):.0f} %)"
    )
    return regions


# ---------------------------------------------------------------- read back and check
def check_files(regions: dict[str, object]) -> None:
    """Read the written files back and check them against each other and the geometry."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = {}
    micros = {}
    for f in grids["features"]:
        p = f["properties"]
        if p["code"] in codes:
            raise SystemExit(f"grid code {p['code']} twice")
        codes[p["code"]] = p
        if p["parent_code"] is not None and p["parent_code"] not in codes:
            raise SystemExit(f"{p['code']}: parent {p['parent_code']} not written before it")
        if p["level"] == "micro":
            ring = [xy(lon, lat) for lon, lat in f["geometry"]["coordinates"][0]]
            micros[p["code"]] = Polygon(ring)
    total = sum(m.area for m in micros.values())
    if abs(total - DISTRICT_AREA.area) > 1e-5 * DISTRICT_AREA.area:
        raise SystemExit(f"micro-grids cover {total:.0f} m2, not the district")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    where = {}
    for r in rows:
        m = r["micro_grid_code"]
        if m not in micros:
            raise SystemExit(f"{r['address']}: micro-grid {m} does not exist")
        pt = Point(xy(float(r["lon"]), float(r["lat"])))
        hits = [c for c, poly in micros.items() if poly.contains(pt)]
        if hits != [m]:
            raise SystemExit(f"{r['address']} lies in {hits}, written {m}")
        if r["code"] in where:
            raise SystemExit(f"building code {r['code']} twice")
        where[r["code"]] = m
    addresses = Counter(r["address"] for r in rows)
    if max(addresses.values()) > 1:
        raise SystemExit(f"an address twice: {addresses.most_common(1)}")
    aliases = Counter(a for r in rows for a in r["aliases"].split("|") if a)
    if aliases and max(aliases.values()) > 1:
        raise SystemExit(f"an alias twice: {aliases.most_common(1)}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))
    names = [f["properties"]["name"] for f in roads["features"]]
    if len(names) != len(set(names)) or set(names) != set(ROAD):
        raise SystemExit("roads.geojson does not hold each road once")
    n_pos = 0
    n_all = 0
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        n_all += 1
        if set(rec) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"bad record {rec}")
        exp, micro = rec["expected"], rec["micro_grid"]
        if exp is not None:
            if where.get(exp) != micro:
                raise SystemExit(f"{rec['query']}: {exp} is in {where.get(exp)}, not {micro}")
        elif micro is not None:
            region = regions.get(rec["query"])
            if region is None:
                raise SystemExit(f"{rec['query']}: a place with no region")
            holders = [c for c, poly in micros.items() if poly.buffer(0.05).contains(region)]
            if holders != [micro]:
                raise SystemExit(f"{rec['query']}: region held by {holders}, written {micro}")
        elif rec["query"] in regions:
            raise SystemExit(f"{rec['query']}: refused but has a region")
        if micro is not None:
            n_pos += 1
            if micro not in micros:
                raise SystemExit(f"{rec['query']}: micro-grid {micro} does not exist")
    print(f"checked: {len(micros)} micro-grids, {len(rows)} buildings, {n_all} queries")


if __name__ == "__main__":
    check_files(write_all())
