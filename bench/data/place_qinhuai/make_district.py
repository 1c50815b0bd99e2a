"""Write the place-description evaluation district: 江苏省南京市秦淮区.

    python bench/data/place_qinhuai/make_district.py

One grid tree in two parts: an urban core (中华门街道, 夫子庙街道, 双塘街道, with roads, 巷 / 营 /
坊 / 里, 新村 and 小区) and a rural edge (红花街道, invented: 高桥村 written by 组 —
`秦淮区红花街道高桥村3组12号` —, 西村社区 written by 自然村 — `秦淮区红花街道西村社区王家湾15号` —
and 龙池村 numbered across — `秦淮区红花街道龙池村58号`). The 街道 and the urban road and lane
names are 秦淮区's; the communities, villages, door numbers, landmarks' positions and all
geometry are ours: a layout in metres over a 5.2 km x 4.5 km L, turned into WGS-84 at 南京.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. A word with no rule
in place_xian's README gets two readings (narrow and wide, or one per direction or lane end);
the query is a positive only when every reading lands in the same micro-grid.

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

from shapely.affinity import affine_transform
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 118.7750, 32.0000  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def to_ll(geom):
    return affine_transform(geom, [1 / KX, 0, 0, 1 / KY, LON0, LAT0])


# ---------------------------------------------------------------- grid tree
DISTRICT = ("320104", "秦淮区")
# an L: the city (x 0-2400, y 0-4500) and 红花街道 east of its southern part (x 2400-5200)
DISTRICT_AREA = Polygon([(0, 0), (5200, 0), (5200, 1500), (2400, 1500), (2400, 4500), (0, 4500)])
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("320104008", "中华门街道", (0, 0, 2400, 1500), [("城南社区", "城南"), ("赛虹社区", "赛虹")]),
    (
        "320104005",
        "夫子庙街道",
        (0, 1500, 2400, 3000),
        [("贡院社区", "贡院"), ("文源社区", "文源")],
    ),
    ("320104003", "双塘街道", (0, 3000, 2400, 4500), [("殷高社区", "殷高"), ("新桥社区", "新桥")]),
]

# the rural street: villages (name, key, style)
# "zu": six micro-grids named after the 组 (`高桥村3组`); "plain": six plain micro-grids;
# "small": a village numbered across, two micro-grids.
RURAL = (
    "320104011",
    "红花街道",
    (2400, 0, 5200, 1500),
    [("高桥村", "GQ", "zu"), ("西村社区", "XC", "plain"), ("龙池村", "LCH", "small")],
)


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
    t_code, t_name, tb, villages = RURAL
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
                if style == "zu":
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
    # east-west
    ("应天大街", "arterial", [(0, 400), (5200, 400)]),
    ("长乐路", "secondary", [(0, 1100), (2400, 1100)]),
    ("升州路", "arterial", [(0, 1500), (2400, 1500)]),
    ("建康路", "secondary", [(0, 2000), (2400, 2000)]),
    ("白下路", "secondary", [(0, 2600), (2400, 2600)]),
    ("中山东路", "arterial", [(0, 3000), (2400, 3000)]),
    ("大光路", "secondary", [(0, 3400), (2400, 3400)]),
    ("光华路", "secondary", [(0, 3750), (2400, 3750)]),
    ("瑞金路", "secondary", [(0, 4200), (2400, 4200)]),
    # north-south
    ("中华路", "arterial", [(1200, 0), (1200, 3000)]),
    ("中山南路", "arterial", [(1800, 0), (1800, 4500)]),
    ("集庆路", "secondary", [(400, 0), (400, 1500)]),
    ("龙蟠中路", "arterial", [(2400, 0), (2400, 1500)]),
    ("御道街", "secondary", [(600, 3050), (600, 4450)]),
    ("来凤街", "branch", [(1350, 1250), (1350, 950), (1650, 950), (1650, 1250)]),
    # 巷 / 营 / 街 / 河 of the old town in the road file
    ("大油坊巷", "branch", [(300, 2150), (300, 2450)]),
    ("剪子巷", "branch", [(1350, 2700), (1550, 2700)]),
    ("饮马巷", "branch", [(950, 1600), (950, 1900)]),
    ("箍桶巷", "branch", [(2250, 800), (2250, 1100)]),
    ("三条营", "branch", [(2050, 600), (2350, 600)]),
    ("边营", "branch", [(2050, 200), (2350, 200)]),
    ("钞库街", "branch", [(1250, 2150), (1550, 2150)]),
    ("石坝街", "branch", [(1650, 2400), (1950, 2400)]),
    ("马道街", "branch", [(100, 3250), (100, 3600)]),
    ("信府河", "branch", [(2100, 3400), (2100, 3700)]),
    # 红花街道
    ("高桥路", "branch", [(3000, 100), (3000, 1400)]),
    ("西村路", "branch", [(3700, 1150), (4750, 1150)]),
    ("龙池路", "branch", [(4900, 500), (4900, 1350)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "秦淮区"
TOWN = "红花街道"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "应天大街": "YTDJ",
    "长乐路": "CLL",
    "升州路": "SZL",
    "建康路": "JKL",
    "白下路": "BXL",
    "中山东路": "ZSDL",
    "大光路": "DGL",
    "光华路": "GHL",
    "瑞金路": "RJL",
    "中华路": "ZHL",
    "中山南路": "ZSNL",
    "集庆路": "JQL",
    "龙蟠中路": "LPZL",
    "御道街": "YDJ",
    "来凤街": "LFJ",
    "大油坊巷": "DYFX",
    "剪子巷": "JZX",
    "饮马巷": "YMX",
    "箍桶巷": "GTX",
    "三条营": "STY",
    "边营": "BY",
    "钞库街": "CKJ",
    "石坝街": "SBJ",
    "马道街": "MDJ",
    "信府河": "XFH",
    "颜料坊": "YLF",
    "积善里": "JSL",
    "堆草巷": "DCX",
    "殷高巷": "YGX",
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


def frontage(road: str, items, step=20.0):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(s, side, step)
        x, y = on_road(road, s, side)
        add(f"QH{CODE_KEY[road]}{n}", f"{CITY}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"QH{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"QH{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 幢 of a 小区 behind its gate door: `秦淮区长乐路32号3幢` (alias 长乐花园3幢 / 3栋)."""
    for k, (x, y) in enumerate(spots, start=1):
        aliases = [f"{name}{k}幢", f"{name}{k}栋", f"{name}{k}号楼"]
        add(f"{code}B{k}", f"{CITY}{address}{k}幢", x, y, aliases, compound=name)


def estate(name: str, code: str, spots):
    """A 新村 with no door number: `秦淮区瑞金新村3幢`, alias 瑞金新村3栋."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}{k}", f"{CITY}{name}{k}幢", x, y, [f"{name}{k}栋"], estate=name)


VILLAGE_OF = {"GQ": "高桥村", "XC": "西村社区", "LCH": "龙池村"}
HAMLETS = ["王家湾", "张家村", "孙家塘", "陈家洼", "何家边", "后村"]  # 自然村 of 西村社区
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, zu, hamlet, centre, numbers, aliases=None):
    """Houses of a 组 (高桥村), a 自然村 (西村社区) or a village numbered across (龙池村)."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        part = f"{zu}组" if zu else (hamlet or "")
        tag = zu or (HAMLETS.index(hamlet) + 1 if hamlet else 0)
        add(
            f"QH{key}{tag:02d}{n:03d}",
            f"{CITY}{TOWN}{VILLAGE_OF[key]}{part}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN,
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            hamlet=hamlet,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "应天大街",
        [
            (200, "L", []),
            (650, "R", ["南京银行应天大街支行"]),
            (1000, "L", ["中华门地铁站"]),
            (1450, "R", []),
            (2150, "L", []),
            (2700, "R", ["红花街道社区卫生服务中心", "红花卫生服务中心"]),
            (3400, "L", []),
            (4300, "R", ["西村社区居委会"]),
            (5000, "L", []),
        ],
    )
    frontage(
        "长乐路",
        [
            (150, "L", []),
            (300, "R", ["长乐花园", "长乐花园北门"]),
            (600, "R", ["南京市第一医院", "市一医院"]),
            (1000, "L", ["中华中学"]),
            (1900, "R", []),
            (2100, "L", ["白鹭洲公园", "白鹭洲公园南门"]),
        ],
    )
    frontage(
        "升州路",
        [
            (300, "L", []),
            (700, "R", ["升州路菜场"]),
            (1500, "L", ["邮政储蓄银行升州路支行", "邮储升州路支行"]),
            (2100, "R", []),
        ],
    )
    frontage(
        "建康路",
        [
            (200, "L", ["贡院社区居委会"]),
            (650, "R", ["夫子庙派出所"]),
            (1000, "L", ["夫子庙"]),
            (1450, "R", ["中国工商银行夫子庙支行", "工行夫子庙支行"]),
            (2200, "L", []),
        ],
    )
    frontage(
        "白下路",
        [
            (150, "L", []),
            (600, "R", ["瞻园"]),
            (1000, "L", ["南京市第九中学", "九中"]),
            (1400, "R", ["游府西街小学"]),
            (1700, "R", ["文源社区居委会"]),
            (2150, "L", ["金沙小区", "金沙小区南门"]),
        ],
    )
    frontage(
        "中山东路",
        [
            (500, "L", ["交通银行中山东路支行", "交行中山东路支行"]),
            (1500, "R", ["大行宫地铁站"]),
            (2200, "L", []),
        ],
    )
    frontage(
        "大光路",
        [
            (250, "L", ["大光路菜场"]),
            (1000, "R", ["殷高社区居委会"]),
            (1400, "L", ["南京银行大光路支行"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "光华路",
        [(700, "L", ["光华路派出所"]), (1500, "R", []), (2200, "L", ["武定门地铁站"])],
    )
    frontage(
        "瑞金路",
        [
            (200, "L", []),
            (1000, "R", ["瑞金路菜场"]),
            (1400, "L", ["瑞金路小学"]),
            (2250, "R", ["双塘街道办事处"]),
        ],
    )
    frontage(
        "中华路",
        [
            (250, "L", ["中华门城堡", "中华门"]),
            (700, "R", ["中华门派出所"]),
            (1300, "L", []),
            (1700, "R", ["三山街地铁站"]),
            (2300, "L", ["南京市第一中学", "南京一中"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "中山南路",
        [
            (300, "L", ["中国建设银行中山南路支行", "建行中山南路支行"]),
            (900, "R", ["赛虹社区居委会"]),
            (1300, "L", []),
            (1700, "R", ["夫子庙地铁站"]),
            (2450, "L", ["江苏省中医院", "省中医院"]),
            (2800, "R", []),
            (3200, "L", ["双塘派出所"]),
            (3600, "R", ["中国工商银行双塘支行", "工行双塘支行"]),
            (4000, "L", ["新桥社区居委会"]),
            (4350, "R", []),
        ],
    )
    frontage("集庆路", [(300, "R", ["集庆路加油站"]), (1000, "L", ["长乐花园东门"])])
    frontage("龙蟠中路", [(700, "L", ["龙蟠中路加油站"]), (1300, "R", [])])
    frontage("御道街", [(150, "L", []), (550, "R", ["御道家园", "御道家园大门"]), (1100, "L", [])])
    frontage("来凤街", [(450, "R", ["来凤街菜场"])])
    # lanes of the road file (doors every 10 m)
    frontage("大油坊巷", [(40, "L", []), (250, "R", [])], step=10)
    frontage("剪子巷", [(30, "L", []), (160, "R", [])], step=10)
    frontage("饮马巷", [(50, "L", []), (230, "R", [])], step=10)
    frontage("箍桶巷", [(60, "L", ["老门东"]), (200, "R", [])], step=10)
    frontage("三条营", [(40, "L", []), (220, "R", [])], step=10)
    frontage("边营", [(50, "R", []), (200, "L", [])], step=10)
    frontage("钞库街", [(40, "L", []), (260, "R", [])], step=10)
    frontage("石坝街", [(30, "L", []), (250, "R", [])], step=10)
    frontage("马道街", [(40, "L", []), (300, "R", [])], step=10)
    frontage("信府河", [(60, "L", []), (220, "R", [])], step=10)
    # lanes in no road file
    lane_houses("颜料坊", [(2, 650, 1700), (5, 690, 1712), (9, 730, 1700)])
    lane_houses("积善里", [(3, 2150, 4300), (8, 2170, 4350), (12, 2150, 4400)])
    lane_houses("堆草巷", [(2, 1170, 2500), (5, 1230, 2500), (8, 1240, 2560)])
    lane_houses("殷高巷", [(4, 300, 4000), (7, 350, 4012), (11, 300, 4060)])
    # 新村: 幢 with no door number
    estate("瑞金新村", "QHRJXC", [(1300, 4300), (1380, 4300), (1300, 4380), (1380, 4380)])
    estate(
        "蓝旗新村",
        "QHLQXC",
        [(1900, 4050), (1960, 4050), (2040, 4050), (1900, 4120), (2040, 4120)],
    )
    # 小区: a gate door with the 小区's name, and its 幢
    compound(
        f"长乐路{door(300, 'R')}号",
        "长乐花园",
        "QHCLHY",
        [(200, 960), (280, 960), (200, 1030), (280, 1030)],
    )
    compound(
        f"御道街{door(550, 'R')}号",
        "御道家园",
        "QHYDJY",
        [(680, 3540), (740, 3540), (680, 3620), (740, 3620)],
    )
    compound(
        f"白下路{door(2150, 'L')}号",
        "金沙小区",
        "QHJSXQ",
        [(2080, 2700), (2150, 2700), (2220, 2700), (2080, 2770)],
    )
    # 红花街道: 高桥村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        al = {9: ["高桥村村委会", "高桥村委会"]} if zu == 3 else None
        rural_houses("GQ", zu, None, c("GQ", zu), nums, al)
    # 西村社区 (plain micro-grids, houses by 自然村; 陈家洼 lies across two)
    rural_houses("XC", None, "王家湾", c("XC", 1), [3, 8, 15])
    rural_houses("XC", None, "张家村", c("XC", 2), [2, 6, 11])
    rural_houses("XC", None, "孙家塘", c("XC", 3), [5, 9])
    rural_houses("XC", None, "陈家洼", (4000, 1100), [1, 4, 7, 10])
    rural_houses("XC", None, "何家边", (4200, 1300), [6, 12, 16])
    rural_houses("XC", None, "后村", c("XC", 6), [2, 5, 8])
    # 龙池村, numbered across, its houses in one of its two micro-grids
    rural_houses(
        "LCH",
        None,
        None,
        (5050, 1100),
        [7, 33, 58, 96, 121],
        {33: ["龙池村卫生室"], 58: ["龙池村村委会"]},
    )


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

# words with no rule in place_xian's README: (narrow, wide) readings
NEAR_WORDS = {"边上": (50, 100), "对过": (50, 100), "斜对过": (50, 100), "那块": (50, 150)}
CROSS_WORDS = {"交界": (30, 50), "那块": (30, 150)}  # after a crossing
DIST_WORDS = {"百十米": ((80, 120), (50, 150)), "两三百米": ((200, 300), (160, 360))}


def crossings(a: str, b: str) -> list[Point]:
    inter = ROAD[a].intersection(ROAD[b])
    if inter.is_empty:
        return []
    if isinstance(inter, Point):
        return [inter]
    if isinstance(inter, MultiPoint):
        return list(inter.geoms)
    raise SystemExit(f"{a} and {b} overlap")


def tolerance(dist, how) -> tuple[float, float]:
    if isinstance(how, tuple):  # an explicit range (one reading of an unruled word)
        return how
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


def houses(town=None, village=None, zu=None, hamlet=None, road=None, estate_=None):
    out = []
    for b in BUILDINGS:
        if road is not None:
            if b.get("road") == road:
                out.append(b)
            continue
        if estate_ is not None:
            if b.get("estate") == estate_:
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
        if hamlet is not None and b["hamlet"] != hamlet:
            continue
        out.append(b)
    return out


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
    if kind == "lane_end":  # ("lane_end", lane, 0 or 1): a 30 m disc at one end of its line
        if spec[1] not in ROAD:
            return None
        coords = list(ROAD[spec[1]].coords)
        return Point(coords[0 if spec[2] == 0 else -1]).buffer(R_CROSS)
    if kind == "estate":  # ("estate", name, wide): its 幢, or their hull and 20 m round it
        hs = houses(estate_=spec[1])
        if not hs:
            return None
        pts = MultiPoint([(b["x"], b["y"]) for b in hs])
        return pts.convex_hull.buffer(20) if spec[2] else pts
    if kind == "zu":  # ("zu", town or None, village or None, 组 number or None, 自然村 or None)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3], hamlet=spec[4])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def readings(spec) -> list:
    return list(spec[1]) if spec[0] == "any" else [spec]


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    micros = set()
    for r in readings(spec):
        region = place_region(r)
        if region is None or region.is_empty:
            return None, None
        micros.add(micro_of_region(region))
    if len(micros) != 1:
        return None, None
    return None, micros.pop()


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset, R_CROSS)


def XW(a, b, word):  # a crossing with an unruled word: one disc per reading
    return ANY(*[("x", a, b, None, None, r) for r in CROSS_WORDS[word]])


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def OFFW(ospec, d, word, side=None):
    """An offset with an unruled distance word; d None: 往前头, every direction."""
    dirs = [d] if d else list(DIRS)
    return ANY(*[OFF(ospec, dd, 0, rng, side) for dd in dirs for rng in DIST_WORDS[word]])


def ANY(*specs):
    return ("any", specs)


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases], R_NEAR)


def NEARW(alias, word):
    return ANY(*[("near", [code_of_alias(alias)], r) for r in NEAR_WORDS[word]])


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def LANE(name):
    return ("lane", name)


def ESTATE(name):  # a 新村 named alone: its 幢 (the lane rule), or its ground
    return ANY(("estate", name, False), ("estate", name, True))


def MOUTH(lane):  # 巷子口: either end of the lane
    return ANY(("lane_end", lane, 0), ("lane_end", lane, 1))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu, None)


def HAM(hamlet, village=None, town=None):
    return ("zu", town, village, None, hamlet)


def VIL(village, town=None):
    return ("village", town, village)


def GQ(zu, n):
    return BY_CODE[f"QHGQ{zu:02d}{n:03d}"]


def XC(hamlet, n):
    return BY_CODE[f"QHXC{HAMLETS.index(hamlet) + 1:02d}{n:03d}"]


def LC(n):
    return BY_CODE[f"QHLCH00{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address or alias."""
    if any(b["address"].endswith(text) or text in b["aliases"] for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "中山南路与长乐路十字路口红绿灯坏了", X("中山南路", "长乐路"))
    q(
        x,
        "每天晚上中山南路和长乐路交叉口东北角都有人摆夜宵摊，一直弄到凌晨两点，油烟和噪音很大，"
        "希望城管来管管",
        X("中山南路", "长乐路", "东北"),
    )
    q(x, "中山南路建康路交叉口有人发小广告", X("中山南路", "建康路"))
    q(x, "中山南路白下路路口西南角窨井盖子没了", X("中山南路", "白下路", "西南"))
    q(
        x,
        "中山南路、应天大街路口往北50米有个大坑",
        X("中山南路", "应天大街", None, ("北", 50, "exact")),
    )
    q(x, "中山南路跟大光路十字路口电动车乱停", X("中山南路", "大光路"))
    q(x, "御道街与大光路十字路口早上堵得一塌糊涂", X("御道街", "大光路"))
    q(x, "御道街瑞金路交叉口西北角有人摆摊卖菜", X("御道街", "瑞金路", "西北"))
    q(x, "马道街和大光路交叉口垃圾桶满了没人倒", X("马道街", "大光路"))
    q(x, "大光路信府河丁字路口路灯不亮", X("大光路", "信府河"))
    q(x, "长乐路箍桶巷丁字路口有人占道经营", X("长乐路", "箍桶巷"))
    q(x, "中山南路与石坝街交叉口有渣土车撒漏", X("中山南路", "石坝街"))
    q(x, "高桥路与应天大街十字有人焚烧垃圾", X("高桥路", "应天大街"))
    q(x, "中华路与长乐路交叉口东北角共享单车堆了一大堆", X("中华路", "长乐路", "东北"))
    q(x, "中华路升州路路口西南角有人乱贴小广告", X("中华路", "升州路", "西南"))
    q(x, "中山南路与升州路交叉口东北角护栏倒了", X("中山南路", "升州路", "东北"))
    q(x, "中山南路中山东路交叉口西南角有人乞讨", X("中山南路", "中山东路", "西南"))
    q(x, "集庆路应天大街路口东南角有人倾倒建筑垃圾", X("集庆路", "应天大街", "东南"))
    q(x, "龙蟠中路应天大街交叉口西北角积水严重", X("龙蟠中路", "应天大街", "西北"))
    q(
        x,
        "中山南路、建康路路口往西100米人行道砖翘起来了",
        X("中山南路", "建康路", None, ("西", 100, "exact")),
    )
    q(x, "中山南路和大光路交界有人占道洗车", XW("中山南路", "大光路", "交界"))
    q(x, "御道街大光路转弯那块有个大坑，电动车摔了好几个", XW("御道街", "大光路", "那块"))
    q(x, "中山南路长乐路红绿灯那块天天有人闯红灯发传单", XW("中山南路", "长乐路", "那块"))
    q(x, "大光路信府河路口那块垃圾堆了好几天", XW("大光路", "信府河", "那块"))
    q(x, "中华路跟建康路交界有人摆摊", XW("中华路", "建康路", "交界"))
    q(x, "中华路与长乐路十字路口有人发传单", X("中华路", "长乐路"))
    q(x, "中华路升州路交叉口信号灯故障", X("中华路", "升州路"))
    q(x, "中山南路与中山东路交叉口路面塌陷", X("中山南路", "中山东路"))
    q(x, "中华路与中山东路丁字路口有人占道", X("中华路", "中山东路"))
    q(x, "御道街与中山东路交叉口有人卖水果占道", X("御道街", "中山东路"))
    q(x, "建康路与白下路交叉口路灯坏了", X("建康路", "白下路"))
    q(x, "来凤街与长乐路交叉口早上有人摆摊", X("来凤街", "长乐路"))
    q(x, "龙池路与应天大街十字有人晒粮食", X("龙池路", "应天大街"))
    q(x, "应天大街龙蟠中路交叉口红绿灯不亮", X("应天大街", "龙蟠中路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "市一医院往东走个百十米，路边有个窨井盖子没了", OFFW(A("市一医院"), "东", "百十米"))
    q(o, "南京市第一医院往北走了两百来米有人乱停车", OFF(A("南京市第一医院"), "北", 200, "about"))
    q(
        o,
        "夫子庙往西约300米路北有人占道经营",
        OFF(A("夫子庙"), "西", 300, "about", ("建康路", "北")),
    )
    q(o, "夫子庙往东两三百米有人在路边烧纸", OFFW(A("夫子庙"), "东", "两三百米"))
    q(o, "瞻园往北一百多米有人遛狗不牵绳", OFF(A("瞻园"), "北", 100, "more"))
    q(o, "中华门往西约300米有人私搭乱建", OFF(A("中华门"), "西", 300, "about"))
    q(o, "中华门城堡往北200米有流动摊贩", OFF(A("中华门城堡"), "北", 200))
    q(o, "老门东往南走两三百米，有人晚上在巷子里烧东西", OFFW(A("老门东"), "南", "两三百米"))
    q(o, "白鹭洲公园往北约500米路面塌了", OFF(A("白鹭洲公园"), "北", 500, "about"))
    q(o, "南京一中往东150米有人占道卖水果", OFF(A("南京一中"), "东", 150))
    q(o, "省中医院往北三百米有辆车停了好几个月", OFF(A("省中医院"), "北", 300))
    q(
        o,
        "江苏省中医院往南约300米路西有人乱扔垃圾",
        OFF(A("江苏省中医院"), "南", 300, "about", ("中山南路", "西")),
    )
    q(o, "双塘派出所往北一百来米有个路灯杆歪了", OFF(A("双塘派出所"), "北", 100, "about"))
    q(o, "双塘派出所往南300米有人倒渣土", OFF(A("双塘派出所"), "南", 300))
    q(o, "工行双塘支行往东走了两百来米有人占道修车", OFF(A("工行双塘支行"), "东", 200, "about"))
    q(o, "夫子庙派出所往西大概200米有人摆摊", OFF(A("夫子庙派出所"), "西", 200, "about"))
    q(o, "游府西街小学往西一百多米有人卖烧烤", OFF(A("游府西街小学"), "西", 100, "more"))
    q(o, "中华中学往东100米有共享单车堆放", OFF(A("中华中学"), "东", 100))
    q(o, "中华中学往北约400米有人半夜施工", OFF(A("中华中学"), "北", 400, "about"))
    q(o, "瑞金路菜场往北约500米有人乱倒垃圾", OFF(A("瑞金路菜场"), "北", 500, "about"))
    q(o, "大光路菜场往东两百米树倒了", OFF(A("大光路菜场"), "东", 200))
    q(
        o,
        "建行中山南路支行往北约300米路东有车辆违停",
        OFF(A("建行中山南路支行"), "北", 300, "about", ("中山南路", "东")),
    )
    q(o, "高桥村村委会往北约300米有人焚烧秸秆", OFF(A("高桥村村委会"), "北", 300, "about"))
    q(o, "龙池村卫生室往东1公里有人电鱼", OFF(A("龙池村卫生室"), "东", 1000))
    q(
        o,
        "红花街道社区卫生服务中心往东走个百十米有人倒垃圾",
        OFFW(A("红花街道社区卫生服务中心"), "东", "百十米"),
    )
    q(o, "西村社区居委会往北一百来米有人私挖鱼塘", OFF(A("西村社区居委会"), "北", 100, "about"))
    q(
        o,
        "长乐路与中山南路路口往东100米路北，商户把桌子摆到人行道上",
        OFF(XO("长乐路", "中山南路"), "东", 100, side=("长乐路", "北")),
    )
    q(
        o,
        "中华路与建康路路口往西三百来米有人烧垃圾",
        OFF(XO("中华路", "建康路"), "西", 300, "about"),
    )
    q(o, "市一医院往前头走个百十米，路边堆了一堆建筑垃圾", OFFW(A("市一医院"), None, "百十米"))
    q(o, "白鹭洲公园往前头走个百十米有个坑", OFFW(A("白鹭洲公园"), None, "百十米"))
    q(o, "邮储升州路支行往南约150米有人乱贴广告", OFF(A("邮储升州路支行"), "南", 150, "about"))
    q(
        o,
        "赛虹社区居委会往北约200米路东有人占道堆放杂物",
        OFF(A("赛虹社区居委会"), "北", 200, "about", ("中山南路", "东")),
    )
    q(
        o,
        "双塘派出所向北大约150米路西有人乱停车",
        OFF(A("双塘派出所"), "北", 150, "about", ("中山南路", "西")),
    )
    q(o, "秦淮区第二人民医院往南200米有人占道", OFF(("none",), "南", 200))
    q(o, "南京站往东300米有人发小广告", OFF(("none",), "东", 300))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, spec in [
        ("剪子巷路灯坏了好几天了", LANE("剪子巷")),
        ("来电人反映饮马巷里有车辆长期占道", LANE("饮马巷")),
        ("箍桶巷下水道堵了，污水漫到路上", LANE("箍桶巷")),
        ("三条营有人半夜装修", LANE("三条营")),
        ("钞库街晚上酒吧噪音太大", LANE("钞库街")),
        ("石坝街垃圾几天没人收", LANE("石坝街")),
        ("马道街电线乱拉，怕起火", LANE("马道街")),
        ("信府河有人占用消防通道", LANE("信府河")),
        ("颜料坊化粪池满了往外冒", LANE("颜料坊")),
        ("积善里 有人养鸽子扰民", LANE("积善里")),
        ("殷高巷路面结冰，老人出门困难", LANE("殷高巷")),
        ("瑞金新村里面有人私搭乱建", ESTATE("瑞金新村")),
        ("剪子巷巷子口有人摆摊", MOUTH("剪子巷")),
        ("饮马巷巷子口堆满了垃圾", MOUTH("饮马巷")),
        ("大油坊巷巷子口车子乱停", MOUTH("大油坊巷")),
        ("大油坊巷有人养狗扰民", LANE("大油坊巷")),
        ("来凤街路灯不亮", LANE("来凤街")),
        ("堆草巷有人半夜敲敲打打", LANE("堆草巷")),
        ("蓝旗新村有人在绿化带种菜", ESTATE("蓝旗新村")),
        ("糖坊廊有人往河里倒垃圾", LANE("糖坊廊")),
        ("丁家巷路灯不亮", LANE("丁家巷")),
    ]:
        q(la, text, spec)

    # --- group (村民小组 or 自然村 named with its village) ----------------------------------
    g = "group"
    q(g, "高桥村3组有人焚烧秸秆", ZU("高桥村", 3))
    q(g, "高桥村五组有人在田边烧垃圾", ZU("高桥村", 5))
    q(g, "红花街道高桥村第一村民小组有人违建", ZU("高桥村", 1, "红花街道"))
    q(g, "秦淮区红花街道高桥村6组自来水停了", ZU("高桥村", 6, "红花街道"))
    q(g, "高桥村第2村民小组路灯不亮", ZU("高桥村", 2))
    q(g, "高桥村4组有人私挖鱼塘", ZU("高桥村", 4))
    q(g, "西村社区王家湾有人放养的狗咬人", HAM("王家湾", "西村社区"))
    q(g, "王家湾有人在河边洗车", HAM("王家湾"))
    q(g, "西村社区张家村排水沟堵了", HAM("张家村", "西村社区"))
    q(g, "红花街道西村社区孙家塘有人偷倒建筑垃圾", HAM("孙家塘", "西村社区", "红花街道"))
    q(g, "西村社区何家边有人在路边晒粮", HAM("何家边", "西村社区"))
    q(g, "西村社区后村垃圾没人收", HAM("后村", "西村社区"))
    q(g, "高桥村7组有人烧秸秆", ZU("高桥村", 7))
    q(g, "夫子庙街道高桥村2组有人违建", ZU("高桥村", 2, "夫子庙街道"))
    q(g, "龙池村3组有人私拉电线", ZU("龙池村", 3))
    q(g, "西村社区陈家洼有人焚烧垃圾", HAM("陈家洼", "西村社区"))
    q(g, "高桥村张家村有人乱砍树", HAM("张家村", "高桥村"))
    q(g, "西村社区李家边路面塌陷", HAM("李家边", "西村社区"))

    # --- village (a 行政村 or 社区 named alone, or with its street) -------------------------
    v = "village"
    q(v, "龙池村有人往河道里倒垃圾", VIL("龙池村"))
    q(v, "红花街道龙池村路灯不亮", VIL("龙池村", "红花街道"))
    q(v, "秦淮区红花街道龙池村有人占用耕地建房", VIL("龙池村", "红花街道"))
    q(v, "红花龙池村自来水停了", VIL("龙池村", "红花街道"))
    q(v, "龙池村里面有人私拉电网捕鱼", VIL("龙池村"))
    q(v, "高桥村有人焚烧秸秆，烟很大", VIL("高桥村"))
    q(v, "西村社区有人私建猪圈", VIL("西村社区"))
    q(v, "红花街道高桥村排水渠堵塞", VIL("高桥村", "红花街道"))
    q(v, "双塘街道龙池村有人违建", VIL("龙池村", "双塘街道"))
    q(v, "石桥村有人烧荒", VIL("石桥村"))
    q(v, "红花街道七桥村有人电鱼", VIL("七桥村", "红花街道"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "夫子庙门口有人拉客，很烦", NEAR("夫子庙"))
    q(n, "市一医院门口出租车乱停，救护车都进不去", NEAR("市一医院"))
    q(n, "中华门城堡旁边有人卖假古董", NEAR("中华门城堡"))
    q(n, "三山街地铁站旁边电动车停得乱七八糟", NEAR("三山街地铁站"))
    q(n, "省中医院对过有人发小广告", NEARW("省中医院", "对过"))
    q(n, "瞻园斜对过有家饭店油烟扰民", NEARW("瞻园", "斜对过"))
    q(n, "工行夫子庙支行边上有个井盖缺失", NEARW("工行夫子庙支行", "边上"))
    q(n, "白鹭洲公园那块晚上广场舞声音太大", NEARW("白鹭洲公园", "那块"))
    q(n, "瑞金路菜场那块地上全是污水", NEARW("瑞金路菜场", "那块"))
    q(n, "夫子庙派出所边上有人占道", NEARW("夫子庙派出所", "边上"))
    q(
        n,
        "长乐花园周边夜里有人飙车",
        NEAR_COMPOUND("长乐花园", ["长乐花园北门", "长乐花园东门"]),
    )
    q(n, "御道家园大门口堆满了杂物", NEAR("御道家园大门"))
    q(n, "御道家园附近施工扰民", NEAR_COMPOUND("御道家园", ["御道家园"]))
    q(n, "金沙小区附近路灯不亮", NEAR_COMPOUND("金沙小区", ["金沙小区"]))
    q(n, "大光路菜场隔壁在装修，噪音大", NEAR("大光路菜场"))
    q(n, "升州路菜场门口有人杀活禽", NEAR("升州路菜场"))
    q(n, "交行中山东路支行门口有共享单车堆放", NEAR("交行中山东路支行"))
    q(n, "双塘派出所对面的人行道被占", NEAR("双塘派出所"))
    q(n, "游府西街小学门口有流动摊贩，影响学生上学", NEAR("游府西街小学"))
    q(n, "高桥村村委会旁边有人焚烧垃圾", NEAR("高桥村村委会"))
    q(n, "龙池村卫生室门口有个水塘没有护栏", NEAR("龙池村卫生室"))
    q(n, "红花街道社区卫生服务中心对面的路灯不亮", NEAR("红花街道社区卫生服务中心"))
    q(n, "武定门地铁站旁边有人乞讨", NEAR("武定门地铁站"))
    q(n, "集庆路加油站隔壁有人卖散装汽油", NEAR("集庆路加油站"))
    q(n, "南京市儿童医院门口有人乱停车", ("near", [], R_NEAR))
    q(n, "秦淮区图书馆附近有人打架", ("near", [], R_NEAR))

    # --- other_county (南京's other districts in front of our addresses) ------------------
    oc = "other_county"
    zd, zs = fb("中山东路", 2200, "L"), fb("中山南路", 2800, "R")
    jq, yt = fb("集庆路", 300, "R"), fb("应天大街", 1450, "R")
    cl = fb("长乐路", 1900, "R")
    for text, code in [
        (f"玄武区中山东路{no(zd)}号", None),
        (f"南京市鼓楼区中山南路{no(zs)}号", None),
        (f"建邺区集庆路{no(jq)}号", None),
        (f"雨花台区应天大街{no(yt)}号", None),
        ("栖霞区红花街道高桥村3组15号", None),
        ("南京市江宁区红花街道龙池村58号", None),
        (f"南京市浦口区长乐路{no(cl)}号", None),
        (f"白下区长乐路{no(cl)}号", None),
        (f"秦淮区中山东路{no(zd)}号", zd["code"]),
        (f"南京市秦淮区中山南路{no(zs)}号", zs["code"]),
        (f"江苏省南京市秦淮区集庆路{no(jq)}号", jq["code"]),
        (f"秦淮区应天大街{no(yt)}号", yt["code"]),
        ("秦淮区红花街道高桥村3组15号", GQ(3, 15)["code"]),
        ("南京市秦淮区红花街道龙池村58号", LC(58)["code"]),
        (f"长乐路{no(cl)}号", cl["code"]),
        (f"南京秦淮区长乐路{no(cl)}号", cl["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("长乐路", 150, "L"), fb("中山南路", 4350, "R")
    b4 = fb("大油坊巷", 250, "R", 10)
    b5, b6 = fb("三条营", 220, "R", 10), fb("中华路", 1300, "L")
    b7, b8 = fb("御道街", 1100, "L"), fb("白下路", 150, "L")
    clg = door(300, "R")
    absent("高桥村3组99号")
    absent("建康路999号")
    absent("御道家园9幢")
    for text, code in [
        (f"No. {no(b1)}, Changle Road, Qinhuai District, Nanjing", b1["code"]),
        (f"No. {no(b2)} Zhongshan South Road, Qinhuai District, Nanjing, Jiangsu", b2["code"]),
        (f"No. {no(b4)}, Dayoufang Lane, Qinhuai District, Nanjing", b4["code"]),
        (f"No. {no(b5)}, Santiaoying, Qinhuai District", b5["code"]),
        (
            "No. 12, Group 1, Gaoqiao Village, Honghua Subdistrict, Qinhuai District, Nanjing",
            GQ(1, 12)["code"],
        ),
        (
            "No. 15, Wangjiawan, Xicun Community, Honghua Subdistrict, Qinhuai District",
            XC("王家湾", 15)["code"],
        ),
        (
            "No. 96, Longchi Village, Honghua Subdistrict, Qinhuai District, Nanjing",
            LC(96)["code"],
        ),
        (f"Building 3, Changle Garden, No. {clg} Changle Road, Qinhuai District", "QHCLHYB3"),
        ("Room 302, Unit 2, Building 3, Ruijin Xincun, Qinhuai District, Nanjing", "QHRJXC3"),
        (f"Zhonghua Lu {no(b6)} Hao, Qinhuai Qu, Nanjing Shi", b6["code"]),
        (f"Nanjing Shi Qinhuai Qu Yudao Jie {no(b7)} Hao", b7["code"]),
        ("501室，2单元，2幢，长乐花园，秦淮区，南京市", "QHCLHYB2"),
        (f"{no(b8)}号，白下路，秦淮区", b8["code"]),
        ("9号，3组，高桥村，红花街道，秦淮区", GQ(3, 9)["code"]),
        ("5号，颜料坊，南京市秦淮区", "QHYLF5"),
        ("No. 99, Group 3, Gaoqiao Village, Honghua Subdistrict, Qinhuai District", None),
        ("No. 999, Jiankang Road, Qinhuai District, Nanjing", None),
        (f"No. {no(b1)}, Changle Road, Xuanwu District, Nanjing", None),
        ("Building 9, Yudao Jiayuan, Qinhuai District", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 3, Gaoqiao Village, Honghua Subdistrict, Qinhuai District", ZU("高桥村", 3))
    q(e, "Chenjiawa, Xicun Community, Honghua Subdistrict", HAM("陈家洼", "西村社区"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    jk = fb("建康路", 200, "L")
    xf = fb("信府河", 220, "R", 10)
    t1, t2 = fb("长乐路", 1900, "R"), fb("中山南路", 1300, "L")
    t3, t4 = fb("升州路", 300, "L"), fb("瑞金路", 2250, "R")
    t5, t6 = fb("龙蟠中路", 1300, "R"), fb("集庆路", 1000, "L")
    t7 = fb("应天大街", 3400, "L")
    for miss in ["长乐路999号", "建康路8号", "剪子巷88号", "积善里40号", "龙池村3号"]:
        absent(miss)
    for miss in ["长乐花园9幢", "瑞金新村12幢", "高桥村3组99号", "西村社区王家湾99号"]:
        absent(miss)
    absent("御道家园6栋")
    for text, code in [
        (jk["address"], jk["code"]),
        (f"信府河{no(xf)}号", xf["code"]),
        ("夫子庙", code_of_alias("夫子庙")),
        ("市一医院", code_of_alias("市一医院")),
        ("瞻园", code_of_alias("瞻园")),
        ("江苏省中医院", code_of_alias("江苏省中医院")),
        ("老门东", code_of_alias("老门东")),
        ("高桥村村委会", code_of_alias("高桥村村委会")),
        ("长乐花园3幢2单元501室", "QHCLHYB3"),
        ("御道家园2栋", "QHYDJYB2"),
        ("瑞金新村4栋1单元302室", "QHRJXC4"),
        ("积善里8号", "QHJSL8"),
        ("秦淮区红花街道西村社区王家湾8号", XC("王家湾", 8)["code"]),
        (f"长落路{no(t1)}号", t1["code"]),
        (f"蓝京市秦淮区中山南路{no(t2)}号", t2["code"]),
        (f"申州路{no(t3)}号", t3["code"]),
        (f"秦淮区瑞京路{no(t4)}号", t4["code"]),
        (f"农蟠中路{no(t5)}号", t5["code"]),
        (f"集亲路{no(t6)}号", t6["code"]),
        (f"南京市秦淮区印天大街{no(t7)}号", t7["code"]),
        ("南京市秦淮区长乐路999号", None),
        ("建康路8号", None),
        ("剪子巷88号", None),
        ("长乐花园9幢", None),
        ("瑞金新村12幢301室", None),
        ("红花街道高桥村3组99号", None),
        ("秦淮区积善里40号", None),
        ("龙池村3号", None),
        ("西村社区王家湾99号", None),
        ("御道家园6栋302室", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list:
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
    seen = set()
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
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return qs


# ---------------------------------------------------------------- read back and check
KINDS = {
    "intersection",
    "landmark_offset",
    "near",
    "lane_alone",
    "group",
    "village",
    "other_county",
    "english_order",
    "building",
}
EPS = 0.02 / KY  # 2 cm in degrees: the written coordinates are rounded to 1e-7


def check(qs) -> None:
    """Read the four files back and check them against each other."""

    def fail(msg):
        raise SystemExit(f"check failed: {msg}")

    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = {f["properties"]["code"] for f in grids}
    micros = {}
    for f in grids:
        p = f["properties"]
        if p["parent_code"] is not None and p["parent_code"] not in codes:
            fail(f"{p['code']} has an unknown parent")
        if p["level"] == "micro":
            micros[p["code"]] = shape(f["geometry"])
    district = shape(next(f["geometry"] for f in grids if f["properties"]["level"] == "district"))
    if len(codes) != len(grids):
        fail("duplicate grid codes")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bmicro = {}
    addresses = set()
    for r in rows:
        if r["micro_grid_code"] not in micros:
            fail(f"{r['code']}: unknown micro-grid")
        if not micros[r["micro_grid_code"]].contains(Point(float(r["lon"]), float(r["lat"]))):
            fail(f"{r['code']} is not in its micro-grid")
        if r["code"] in bmicro or r["address"] in addresses:
            fail(f"{r['code']}: duplicate code or address")
        bmicro[r["code"]] = r["micro_grid_code"]
        addresses.add(r["address"])
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    if len({f["properties"]["name"] for f in roads}) != len(ROADS):
        fail("road names")
    spec_of = {text: (kind, spec) for kind, text, spec in qs}
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(qs):
        fail("query count")
    for line in lines:
        rec = json.loads(line)
        if set(rec) != {"query", "expected", "micro_grid", "kind"} or rec["kind"] not in KINDS:
            fail(f"bad record {line}")
        kind, spec = spec_of[rec["query"]]
        if kind != rec["kind"]:
            fail(f"kind of {rec['query']}")
        exp, mg = rec["expected"], rec["micro_grid"]
        if exp is not None:
            if exp not in bmicro or bmicro[exp] != mg:
                fail(f"{rec['query']}: expected building not in the stated micro-grid")
            continue
        if mg is None:
            continue
        if mg not in micros:
            fail(f"{rec['query']}: unknown micro-grid {mg}")
        if spec[0] == "bld":
            fail(f"{rec['query']}: a building query with a micro-grid and no building")
        for r in readings(spec):
            region = to_ll(place_region(r))
            if not district.buffer(EPS).contains(region):
                fail(f"{rec['query']}: a reading leaves the district")
            hits = [c for c, poly in micros.items() if poly.buffer(EPS).contains(region)]
            if hits != [mg]:
                fail(f"{rec['query']}: a reading lies in {hits}, not in {mg}")


def main() -> None:
    qs = write_all()
    check(qs)
    stats: Counter = Counter()
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        stats[(rec["kind"], rec["micro_grid"] is not None)] += 1
    for k in sorted({k for k, _ in stats}):
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refuse = sum(v for (k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {sum(stats.values())}, refuse {refuse}"
    )


if __name__ == "__main__":
    main()
