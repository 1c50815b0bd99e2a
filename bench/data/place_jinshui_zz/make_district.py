"""Write the place-description evaluation district: 河南省郑州市金水区.

    python make_district.py        (run from this folder, or give its path)

One grid tree in two parts: an urban core (six 街道 with roads, 胡同 / 街 lanes and 小区) and a
peri-urban east (杨金路街道, 祭城路街道, with 行政村 whose houses are written by 组 —
`金水区杨金路街道庙李村3组15号` — or numbered across the village — `金水区祭城路街道贾岗村21号`).
The 街道 and road names are 金水区's; the communities, villages, lanes, door numbers,
landmarks' positions and all geometry are invented: a layout in metres over a 6.4 km x 3 km
box, turned into WGS-84 north-east of 郑州's centre.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Words the rules do
not cover get two readings (narrow, wide); such a query is positive only when both readings
lie in the same one micro-grid.

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
LON0, LAT0 = 113.6300, 34.7600  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("410105", "金水区")
W, S, E, N = 0.0, 0.0, 6400.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, community (name, short name); one community each
STREETS = [
    ("410105001", "经八路街道", (0, 1500, 1200, 3000), ("纬五社区", "纬五")),
    ("410105002", "花园路街道", (1200, 1500, 2400, 3000), ("农科社区", "农科")),
    ("410105004", "丰产路街道", (2400, 1500, 3600, 3000), ("丰华社区", "丰华")),
    ("410105005", "人民路街道", (0, 0, 1200, 1500), ("太康社区", "太康")),
    ("410105006", "杜岭街道", (1200, 0, 2400, 1500), ("紫荆社区", "紫荆")),
    ("410105008", "东风路街道", (2400, 0, 3600, 1500), ("文博社区", "文博")),
]

# peri-urban streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar" / "zu_cn": six micro-grids named after the 组 (`庙李村3组`, `毛庄村三组`);
# "plain": six plain micro-grids; "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "410105016",
        "杨金路街道",
        (3600, 1500, 6400, 3000),
        [("庙李村", "ML", "zu_ar"), ("杨君刘村", "YJL", "plain"), ("刘庄村", "LZY", "small")],
    ),
    (
        "410105018",
        "祭城路街道",
        (3600, 0, 6400, 1500),
        [
            ("毛庄村", "MZ", "zu_cn"),
            ("贾岗村", "JG", "small"),
            ("刘庄村", "LZJ", "small"),
            ("姚桥村", "YQ", "small"),
            ("苏屯村", "ST", "small"),
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
    for s_code, s_name, sb, (c_name, short) in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, e, n = sb
        c_code = f"{s_code}001"
        FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(sb))))
        for gi in range(2):
            gs, gn = s + gi * 750, s + (gi + 1) * 750
            g_code = f"{c_code}{gi + 1:03d}"
            g_name = f"{short}第{gi + 1}网格"
            FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, gs, e, gn))))
            for mi in range(3):
                mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
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
                    if style == "zu_ar":
                        name = f"{v_name}{m}组"
                    elif style == "zu_cn":
                        name = f"{v_name}{CN[m]}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the district's edges
    ("北三环", "arterial", [(0, 3000), (6400, 3000)]),
    ("金水路", "arterial", [(0, 0), (3600, 0)]),
    # borders
    ("东风路", "arterial", [(0, 1500), (6400, 1500)]),
    ("花园路", "arterial", [(1200, 0), (1200, 3000)]),
    ("文化路", "arterial", [(2400, 0), (2400, 3000)]),
    ("未来路", "arterial", [(3600, 0), (3600, 3000)]),
    ("中州大道", "arterial", [(4800, 0), (4800, 3000)]),
    # through roads
    ("农业路", "arterial", [(0, 2000), (3600, 2000)]),
    ("纬五路", "secondary", [(0, 2600), (2400, 2600)]),
    ("黄河路", "secondary", [(0, 550), (3600, 550)]),
    ("丰产路", "secondary", [(1200, 1100), (3600, 1100)]),
    ("经三路", "arterial", [(600, 0), (600, 3000)]),
    ("南阳路", "secondary", [(1800, 0), (1800, 3000)]),
    ("红旗路", "secondary", [(3000, 1500), (3000, 3000)]),
    ("经七路", "secondary", [(200, 1500), (200, 2950)]),
    ("红专路", "secondary", [(2400, 2400), (3550, 2400)]),
    ("健康路", "branch", [(2100, 2150), (2100, 1850), (2300, 1850), (2300, 2150)]),
    # lanes in the road file
    ("政五街", "branch", [(850, 1700), (1150, 1700)]),
    ("政六街", "branch", [(850, 2800), (1150, 2800)]),
    ("政七街", "branch", [(600, 2400), (1100, 2400)]),
    ("银杏胡同", "branch", [(2650, 800), (2650, 1050)]),
    # the peri-urban east
    ("杨金路", "secondary", [(3600, 2600), (6200, 2600)]),
    ("祭城路", "secondary", [(3600, 1000), (6400, 1000)]),
    ("庙李路", "branch", [(4200, 1600), (4200, 2950)]),
    ("毛庄路", "branch", [(4200, 200), (4200, 1400)]),
    ("杨君刘路", "branch", [(5400, 1700), (5400, 2500)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "金水区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "北三环": "BSH",
    "金水路": "JSL",
    "东风路": "DFL",
    "花园路": "HYL",
    "文化路": "WHL",
    "未来路": "WLL",
    "中州大道": "ZZDD",
    "农业路": "NYL",
    "纬五路": "WWL",
    "黄河路": "HHL",
    "丰产路": "FCL",
    "经三路": "J3L",
    "南阳路": "NYNL",
    "红旗路": "HQL",
    "经七路": "J7L",
    "红专路": "HZL",
    "健康路": "JKL",
    "政五街": "Z5J",
    "政六街": "Z6J",
    "政七街": "Z7J",
    "银杏胡同": "YXHT",
    "杨金路": "YJLU",
    "祭城路": "JCL",
    "顺河胡同": "SHHT",
    "杜岭胡同": "DLHT",
    "柳园胡同": "LYHT",
    "东明胡同": "DMHT",
    "槐荫胡同": "HYHT",
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
        add(f"JS{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"JS{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"JS{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{address}院{k}号楼",
            x,
            y,
            [f"{name}{k}号楼"],
            compound=name,
        )


TOWN_OF = {
    "ML": "杨金路街道",
    "YJL": "杨金路街道",
    "LZY": "杨金路街道",
    "MZ": "祭城路街道",
    "JG": "祭城路街道",
    "LZJ": "祭城路街道",
    "YQ": "祭城路街道",
    "ST": "祭城路街道",
}
VILLAGE_OF = {
    "ML": "庙李村",
    "YJL": "杨君刘村",
    "LZY": "刘庄村",
    "MZ": "毛庄村",
    "JG": "贾岗村",
    "LZJ": "刘庄村",
    "YQ": "姚桥村",
    "ST": "苏屯村",
}
ZU_STYLE = {"ML": "ar", "YJL": "cn", "MZ": "ar"}
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
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zt}{n}号"
        add(
            f"JS{key}{zu or 0:02d}{n:03d}",
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
    # the district's edges: doors on the inner side only
    frontage(
        "金水路",
        [
            (300, "L", []),
            (1000, "L", []),
            (1450, "L", ["紫荆山公园", "紫荆山公园南门"]),
            (2200, "L", ["丹尼斯金水路店", "金水路丹尼斯"]),
            (3000, "L", []),
        ],
    )
    frontage(
        "北三环",
        [(1000, "R", ["中石化北三环加油站", "北三环加油站"]), (3300, "R", []), (5000, "R", [])],
    )
    # borders
    frontage(
        "东风路",
        [
            (300, "L", []),
            (900, "R", []),
            (2100, "L", ["工商银行东风路支行", "工行东风路支行"]),
            (2600, "L", []),
            (3000, "R", ["东风路街道办事处"]),
            (5000, "R", []),
        ],
    )
    frontage(
        "花园路",
        [
            (400, "R", []),
            (900, "L", ["国贸360广场", "国贸360"]),
            (1900, "R", ["丹尼斯花园路店", "花园路丹尼斯"]),
            (2300, "L", ["郑州大学第一附属医院", "郑大一附院", "一附院"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "文化路",
        [
            (200, "L", []),
            (350, "L", ["金水花园东门"]),
            (1200, "R", []),
            (2200, "L", []),
            (2700, "R", ["河南省实验中学", "省实验中学", "省实验"]),
        ],
    )
    frontage(
        "未来路",
        [
            (500, "L", []),
            (1300, "R", ["未来路加油站"]),
            (2300, "L", ["曼哈顿广场", "曼哈顿"]),
            (2700, "R", []),
        ],
    )
    frontage("中州大道", [(400, "L", []), (2100, "R", [])])
    # through roads
    frontage(
        "农业路",
        [
            (300, "R", []),
            (1000, "R", ["建设银行农业路支行", "建行农业路支行"]),
            (1500, "L", ["河南博物院", "省博物院"]),
            (2700, "L", ["丹尼斯农业路店", "农业路丹尼斯"]),
            (3300, "R", []),
        ],
    )
    frontage(
        "纬五路",
        [
            (100, "L", []),
            (350, "R", []),
            (700, "L", ["省委家属院北门"]),
            (900, "R", ["河南省人民医院", "省人民医院", "省医"]),
            (1500, "L", []),
            (2150, "R", []),
        ],
    )
    frontage(
        "黄河路",
        [
            (200, "L", []),
            (700, "R", ["人民路街道办事处"]),
            (1500, "L", ["杜岭派出所"]),
            (2100, "R", ["金水花园南门", "金水花园"]),
            (3100, "L", []),
        ],
    )
    frontage(
        "丰产路",
        [
            (300, "L", []),
            (1300, "L", ["文博东苑南门", "文博东苑"]),
            (1700, "L", []),
            (2100, "R", ["郑州银行丰产路支行"]),
        ],
    )
    frontage(
        "经三路",
        [
            (250, "L", []),
            (500, "R", []),
            (1100, "L", ["中国银行金水支行", "中行金水支行"]),
            (1800, "R", []),
            (2740, "R", ["省委家属院东门"]),
        ],
    )
    frontage(
        "南阳路",
        [
            (300, "L", []),
            (1000, "R", []),
            (1700, "L", []),
            (2500, "R", ["花园路派出所"]),
            (2900, "L", []),
        ],
    )
    frontage("红旗路", [(300, "L", []), (1000, "R", ["丰产路街道办事处"]), (1300, "L", [])])
    frontage("经七路", [(600, "L", ["经八路派出所"]), (1200, "R", [])])
    frontage("红专路", [(200, "R", []), (900, "L", ["丰华社区服务中心"])])
    frontage("健康路", [(400, "R", ["健康路菜市场"])])
    # lanes of the road file
    frontage("政五街", [(50, "L", []), (250, "R", [])], step=10)
    frontage("政六街", [(60, "L", []), (220, "R", [])], step=10)
    frontage("政七街", [(100, "L", []), (400, "R", [])], step=10)
    frontage("银杏胡同", [(50, "L", []), (200, "R", [])], step=10)
    # lanes in no road file (槐荫胡同's houses stand on both sides of 花园路)
    lane_houses("顺河胡同", [(2, 300, 900), (5, 340, 912), (9, 380, 900)])
    lane_houses("杜岭胡同", [(3, 1400, 1250), (8, 1450, 1262), (12, 1500, 1250)])
    lane_houses("柳园胡同", [(1, 2150, 2700), (6, 2160, 2760), (10, 2150, 2820)])
    lane_houses("东明胡同", [(4, 3300, 300), (7, 3350, 312), (11, 3400, 300)])
    lane_houses("槐荫胡同", [(2, 1170, 400), (5, 1230, 400), (8, 1240, 460)])
    # 小区: gates with the 小区's name, and its 号楼
    compound(
        f"纬五路{door(700, 'L')}号",
        "省委家属院",
        "JSSWJSY",
        [(660, 2700), (740, 2700), (660, 2780), (740, 2780)],
    )
    compound(
        f"黄河路{door(2100, 'R')}号",
        "金水花园",
        "JSJSHY",
        [(2080, 300), (2160, 300), (2240, 300), (2080, 380)],
    )
    compound(
        f"丰产路{door(1300, 'L')}号",
        "文博东苑",
        "JSWBDY",
        [(2480, 1200), (2560, 1200), (2640, 1200), (2480, 1280)],
    )
    # the peri-urban streets' main roads
    frontage(
        "杨金路",
        [
            (300, "L", ["杨金路派出所"]),
            (900, "R", ["杨金路街道办事处"]),
            (1500, "L", ["郑州银行杨金路支行"]),
            (2100, "R", ["杨金路社区卫生服务中心"]),
            (2500, "L", []),
        ],
    )
    frontage(
        "祭城路",
        [
            (200, "L", ["祭城路派出所"]),
            (700, "R", ["祭城路加油站"]),
            (1500, "L", ["邮储银行祭城路支行", "邮储祭城路支行"]),
            (2300, "R", ["祭城路街道办事处"]),
        ],
    )
    # 杨金路街道: 庙李村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        al = {4: ["庙李村委会", "庙李村村委会"]} if zu == 2 else None
        if zu == 5:
            al = {6: ["庙李村卫生室"]}
        rural_houses("ML", zu, c("ML", zu), nums, al)
    # 杨君刘村 (plain micro-grids; 三组 lies across two)
    rural_houses("YJL", 1, c("YJL", 1), [2, 6, 9])
    rural_houses("YJL", 2, c("YJL", 2), [1, 5, 12])
    rural_houses("YJL", 3, (5600, 1900), [3, 7, 14])
    rural_houses("YJL", 4, c("YJL", 4), [4, 8, 16], {8: ["杨君刘村委会"]})
    rural_houses("YJL", 5, c("YJL", 5), [2, 10])
    rural_houses("YJL", 6, c("YJL", 6), [5, 11, 17])
    # 祭城路街道: 毛庄村 (micro-grids 一组 … 六组, houses written `3组`)
    for zu in range(1, 7):
        al = {7: ["毛庄村委会", "毛庄村村委会"]} if zu == 5 else None
        rural_houses("MZ", zu, c("MZ", zu), [1, 7, 12] if zu in (2, 5) else [4, 9], al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("LZY", None, (6200, 2450), [12, 37, 58, 103])
    rural_houses("JG", None, (5000, 420), [6, 21, 45, 88, 131], {21: ["贾岗村委会"]})
    rural_houses("LZJ", None, (5400, 1220), [9, 26, 58, 117])
    rural_houses("YQ", None, (5800, 380), [15, 52, 96, 128], {52: ["姚桥村委会"]})
    rural_houses("ST", None, (6200, 1200), [3, 18, 40, 77], {18: ["苏屯村卫生室"]})


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


def place_region(spec):
    """The region a place query means, or None when it means nothing."""
    kind = spec[0]
    if kind == "x":  # ("x", A, B, corner or None, (dir, dist, how) or None[, radius])
        _, a, b, corner, offset, *rest = spec
        radius = rest[0] if rest else R_CROSS
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
                min(o.x + sx, o.x + sx * radius),
                min(o.y + sy, o.y + sy * radius),
                max(o.x + sx, o.x + sx * radius),
                max(o.y + sy, o.y + sy * radius),
            )
            return quad.intersection(o.buffer(radius))
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
    if kind == "offr":  # ("offr", origin spec, dir, lo, hi): a band given by its two ends
        _, ospec, d, lo, hi = spec
        o = origin(ospec)
        return None if o is None else band(o, d, lo, hi)
    if kind == "near":  # ("near", [building codes][, radius])
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
    if kind == "mouth":  # ("mouth", lane, both ends?): discs at the lane's ends
        _, name, both = spec
        line = ROAD[name]
        ends = [Point(line.coords[0])] + ([Point(line.coords[-1])] if both else [])
        return unary_union([p.buffer(30 if both else 20) for p in ends])
    if kind == "zu":  # ("zu", town or None, village, number)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "varea":  # ("varea", village key): the village's whole area
        return rect(VILLAGE_BOX[spec[1]])
    if kind == "microarea":  # ("microarea", micro-grid name): that micro-grid's area
        hits = [c for c, n in MICRO_NAMES.items() if n == spec[1]]
        return MICROS[hits[0]].buffer(-0.001) if len(hits) == 1 else None
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "two":  # a narrow and a wide reading: positive only when both agree
        a, b = truth(spec[1]), truth(spec[2])
        return a if a == b else (None, None)
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


def NEAR_COMPOUND(name: str, gates: list[str], r=R_NEAR):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        r,
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def TWO(narrow, wide):
    return ("two", narrow, wide)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"JS{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def fw(n: int) -> str:  # full-width digits
    return "".join(chr(ord(ch) + 0xFEE0) for ch in str(n))


def cn_num(n: int) -> str:  # Chinese numerals as people read a door number (1-999)
    h, rest = divmod(n, 100)
    t, u = divmod(rest, 10)
    out = ""
    if h:
        out += CN[h] + "百"
        if t == 0 and u:
            out += "零"
    if t:
        out += ("" if (t == 1 and not h) else CN[t]) + "十"
    if u:
        out += CN[u]
    return out


def two_hundred_three(ospec, d):
    """`走个二三百米`: narrow band 200-300 m, wide 160-360 m."""
    return TWO(("offr", ospec, d, 200, 300), ("offr", ospec, d, 160, 360))


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "经三路跟农业路十字路口有人占道经营", X("经三路", "农业路"))
    q(x, "经三路农业路路口东北角儿井盖没了", X("经三路", "农业路", "东北"))
    q(x, "经三路跟纬五路十字路口红绿灯坏了，一直闪黄灯", X("经三路", "纬五路"))
    q(x, "纬五路经三路交叉口西南角有人摆摊卖菜", X("纬五路", "经三路", "西南"))
    q(
        x,
        "经三路纬五路路口往北走100米有个大坑",
        X("经三路", "纬五路", None, ("北", 100, "exact")),
    )
    q(x, "南阳路与农业路交叉口下雨积水过不去", X("南阳路", "农业路"))
    q(x, "南阳路农业路路口西北角儿有人烧纸", X("南阳路", "农业路", "西北"))
    q(x, "花园路农业路十字路口堵得很", X("花园路", "农业路"))
    q(x, "花园路农业路路口东北角儿共享单车堆成山了", X("花园路", "农业路", "东北"))
    q(
        x,
        "花园路跟纬五路路口往东拐走个50米，有人乱倒垃圾",
        X("花园路", "纬五路", None, ("东", 50, "exact")),
    )
    q(x, "文化路农业路交叉口信号灯不亮", X("文化路", "农业路"))
    q(x, "文化路农业路路口西南角有人发小广告", X("文化路", "农业路", "西南"))
    q(x, "东风路经三路十字路口有渣土车撒漏", X("东风路", "经三路"))
    q(x, "东风路经三路交叉口东南角儿护栏倒了", X("东风路", "经三路", "东南"))
    q(
        x,
        "东风路跟南阳路路口往北200米人行道塌了",
        X("东风路", "南阳路", None, ("北", 200, "exact")),
    )
    q(x, "黄河路与经三路交叉口有人占道修车", X("黄河路", "经三路"))
    q(x, "黄河路南阳路十字路口东北角儿垃圾桶满了", X("黄河路", "南阳路", "东北"))
    q(x, "丰产路和南阳路交叉口路灯不亮", X("丰产路", "南阳路"))
    q(x, "红旗路与农业路十字路口有人倒卖车票", X("红旗路", "农业路"))
    q(x, "红旗路红专路路口西北角有流浪狗", X("红旗路", "红专路", "西北"))
    q(x, "北三环经三路交叉口有人乱停车", X("北三环", "经三路"))
    q(x, "北三环经三路路口东南角儿有违章广告牌", X("北三环", "经三路", "东南"))
    q(x, "金水路花园路十字路口井盖响", X("金水路", "花园路"))
    q(x, "农业路跟纬五路交叉口有人打架", X("农业路", "纬五路"))
    q(x, "经七路与北三环交叉口有人卖水果占道", X("经七路", "北三环"))
    q(x, "健康路跟农业路路口下水道冒水", X("健康路", "农业路"))
    q(x, "政七街与花园路交叉口有坑", X("政七街", "花园路"))
    q(x, "杨金路庙李路十字路口有人晒玉米占道", X("杨金路", "庙李路"))
    q(x, "杨金路中州大道路口大车乱停", X("杨金路", "中州大道"))
    q(x, "杨金路跟中州大道路口西北角儿有人烧秸秆", X("杨金路", "中州大道", "西北"))
    q(x, "祭城路与毛庄路十字路口有死狗没人管", X("祭城路", "毛庄路"))
    q(x, "祭城路未来路交叉口东北角有人倾倒建筑垃圾", X("祭城路", "未来路", "东北"))
    q(x, "杨君刘路与杨金路交叉口路面塌陷", X("杨君刘路", "杨金路"))
    q(x, "未来路东风路十字路口交警不在，乱得很", X("未来路", "东风路"))
    q(x, "红专路与未来路交叉口有人摆摊", X("红专路", "未来路"))
    q(x, "中州大道跟祭城路路口东南角儿有人卖西瓜", X("中州大道", "祭城路", "东南"))
    q(x, "金水路与经三路交叉口西北角有个井盖翘起来了", X("金水路", "经三路", "西北"))
    q(x, "东风路与庙李路交叉口有人摆摊", X("东风路", "庙李路"))
    q(
        x,
        "农业路跟南阳路路口跟前儿有人卖烤红薯占道",
        TWO(X("农业路", "南阳路"), ("x", "农业路", "南阳路", None, None, 50.0)),
    )
    q(
        x,
        "纬五路花园路路口跟前儿有人乱贴小广告",
        TWO(X("纬五路", "花园路"), ("x", "纬五路", "花园路", None, None, 50.0)),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "省医往西走个二三百米，路边有人烧东西", two_hundred_three(A("省医"), "西"))
    q(o, "省人民医院往南约200米有个井盖没了", OFF(A("省人民医院"), "南", 200, "about"))
    q(o, "省医往北走个二三百米有人摆摊", two_hundred_three(A("省医"), "北"))
    q(
        o,
        "省医往东100米路北有人占道经营",
        OFF(A("省医"), "东", 100, side=("纬五路", "北")),
    )
    q(
        o,
        "郑大一附院往北约300米路西，有车辆长期乱停",
        OFF(A("郑大一附院"), "北", 300, "about", ("花园路", "西")),
    )
    q(o, "郑大一附院往北300米人行道被占", OFF(A("郑大一附院"), "北", 300))
    q(o, "一附院往西走了两百来米，路灯杆歪了", OFF(A("一附院"), "西", 200, "about"))
    q(
        o,
        "一附院往南100米路东有人发小广告",
        OFF(A("一附院"), "南", 100, side=("花园路", "东")),
    )
    q(o, "河南博物院往北走个二三百米有人半夜施工", two_hundred_three(A("河南博物院"), "北"))
    q(o, "省博物院往东200米有个大坑", OFF(A("省博物院"), "东", 200))
    q(
        o,
        "河南博物院往西约150米路南有人乱扔垃圾",
        OFF(A("河南博物院"), "西", 150, "about", ("农业路", "南")),
    )
    q(o, "省实验中学往东300米有流动摊贩", OFF(A("省实验中学"), "东", 300))
    q(o, "省实验往南一百多米有人占道卖早餐", OFF(A("省实验"), "南", 100, "more"))
    q(
        o,
        "省实验往南一百多米路东有车堵住消防通道",
        OFF(A("省实验"), "南", 100, "more", ("文化路", "东")),
    )
    q(o, "曼哈顿广场往西走个二三百米有人遛狗不拴绳", two_hundred_three(A("曼哈顿广场"), "西"))
    q(o, "曼哈顿往东500米有人私搭乱建", OFF(A("曼哈顿"), "东", 500))
    q(o, "紫荆山公园往南200米有人占道", OFF(A("紫荆山公园"), "南", 200))
    q(o, "紫荆山公园往北约300米下水道堵了", OFF(A("紫荆山公园"), "北", 300, "about"))
    q(o, "国贸360往西走了三百来米有人烧落叶", OFF(A("国贸360"), "西", 300, "about"))
    q(
        o,
        "国贸360往北200米路西共享单车乱放",
        OFF(A("国贸360"), "北", 200, side=("花园路", "西")),
    )
    q(o, "丹尼斯往北100米有人卖假货", OFF(("none",), "北", 100))
    q(o, "花园路丹尼斯往东走个二三百米有人吵架", two_hundred_three(A("花园路丹尼斯"), "东"))
    q(o, "建行农业路支行往南约300米路面破了", OFF(A("建行农业路支行"), "南", 300, "about"))
    q(o, "中行金水支行往东100米有人乱贴广告", OFF(A("中行金水支行"), "东", 100))
    q(o, "中行金水支行往北走了四百来米有人吵架", OFF(A("中行金水支行"), "北", 400, "about"))
    q(o, "经八路派出所往北约200米有人遛狗", OFF(A("经八路派出所"), "北", 200, "about"))
    q(o, "花园路派出所往北300米有人卖菜", OFF(A("花园路派出所"), "北", 300))
    q(o, "花园路派出所往西约250米有违停", OFF(A("花园路派出所"), "西", 250, "about"))
    q(o, "杜岭派出所往南约300米有人打牌占道", OFF(A("杜岭派出所"), "南", 300, "about"))
    q(o, "工行东风路支行往北走个二三百米有个坑", two_hundred_three(A("工行东风路支行"), "北"))
    q(o, "东风路街道办事处往南两百来米有人焚烧垃圾", OFF(A("东风路街道办事处"), "南", 200, "about"))
    q(o, "郑州银行丰产路支行往西约400米有噪音", OFF(A("郑州银行丰产路支行"), "西", 400, "about"))
    q(o, "杨金路派出所往东走了三百来米有人烧秸秆", OFF(A("杨金路派出所"), "东", 300, "about"))
    q(o, "杨金路街道办事处往东500米有人私建猪圈", OFF(A("杨金路街道办事处"), "东", 500))
    q(
        o,
        "祭城路加油站往东300米路南有人倒渣土",
        OFF(A("祭城路加油站"), "东", 300, side=("祭城路", "南")),
    )
    q(o, "祭城路派出所往西300米有人占道", OFF(A("祭城路派出所"), "西", 300))
    q(o, "毛庄村委会往北约300米有人电鱼", OFF(A("毛庄村委会"), "北", 300, "about"))
    q(o, "苏屯村卫生室往东1公里有人烧荒", OFF(A("苏屯村卫生室"), "东", 1000))
    q(o, "东风路街道办事处往北100米有人占道", OFF(A("东风路街道办事处"), "北", 100))
    q(o, "省博物院往南约600米有人乱倒垃圾", OFF(A("省博物院"), "南", 600, "about"))
    q(
        o,
        "经三路跟农业路路口往东300米路北，商户占道",
        OFF(XO("经三路", "农业路"), "东", 300, side=("农业路", "北")),
    )
    q(
        o,
        "南阳路与黄河路交叉口以南约300米有垃圾堆",
        OFF(XO("南阳路", "黄河路"), "南", 300, "about"),
    )
    q(o, "金水区政府往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "紫荆山公园过了桥往东那一片儿有人钓鱼", OFF(("none",), "东", 200))
    q(o, "河南省肿瘤医院往北100米乱停车", OFF(("none",), "北", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "省医门口儿黄牛太多了", NEAR("省医"))
    q(n, "省人民医院对过儿有人乱停车", NEAR("省人民医院"))
    q(n, "郑大一附院门口堵得走不动", NEAR("郑大一附院"))
    q(n, "一附院对面有人卖假药", NEAR("一附院"))
    q(n, "河南博物院旁边儿搁那儿有人摆摊", NEAR("河南博物院"))
    q(n, "省实验门口儿放学时候乱停车", NEAR("省实验"))
    q(n, "曼哈顿广场旁边有人发传单", NEAR("曼哈顿广场"))
    q(n, "紫荆山公园门口有人卖气球占道", NEAR("紫荆山公园"))
    q(n, "国贸360旁边儿井盖缺了", NEAR("国贸360"))
    q(n, "花园路丹尼斯门口电动车乱停", NEAR("花园路丹尼斯"))
    q(n, "农业路丹尼斯门口儿有人摆摊卖水果", NEAR("农业路丹尼斯"))
    q(
        n,
        "丹尼斯门口有人发小广告",
        NEAR("花园路丹尼斯", "农业路丹尼斯", "金水路丹尼斯"),
    )
    q(n, "建行农业路支行旁边儿垃圾没人收", NEAR("建行农业路支行"))
    q(n, "中行金水支行门口有个坑", NEAR("中行金水支行"))
    q(n, "经八路派出所对过儿有人烧纸", NEAR("经八路派出所"))
    q(n, "花园路派出所隔壁在装修，噪音大", NEAR("花园路派出所"))
    q(n, "杜岭派出所门口有人吵架", NEAR("杜岭派出所"))
    q(n, "工行东风路支行门口有人乞讨", NEAR("工行东风路支行"))
    q(
        n,
        "省委家属院附近晚上广场舞声音太大",
        NEAR_COMPOUND("省委家属院", ["省委家属院北门", "省委家属院东门"]),
    )
    q(n, "金水花园周边路灯都不亮", NEAR_COMPOUND("金水花园", ["金水花园南门", "金水花园东门"]))
    q(n, "金水花园南门旁边儿堆满了杂物", NEAR("金水花园南门"))
    q(n, "文博东苑附近有人养鸡", NEAR_COMPOUND("文博东苑", ["文博东苑南门"]))
    q(n, "杨金路派出所门口有人摆摊", NEAR("杨金路派出所"))
    q(n, "庙李村委会旁边儿有人烧垃圾", NEAR("庙李村委会"))
    q(n, "毛庄村委会对面的路灯不亮", NEAR("毛庄村委会"))
    q(
        n,
        "祭城路加油站跟前儿有人卖散装汽油",
        TWO(NEAR("祭城路加油站"), NEAR("祭城路加油站", r=80.0)),
    )
    q(n, "省医斜对过有人占道卖小吃", TWO(NEAR("省医"), NEAR("省医", r=80.0)))
    q(n, "中行金水支行斜对过有人倒垃圾", TWO(NEAR("中行金水支行"), NEAR("中行金水支行", r=80.0)))
    q(
        n,
        "河南博物院那一片儿晚上有人飙车",
        TWO(NEAR("河南博物院"), NEAR("河南博物院", r=150.0)),
    )
    q(
        n,
        "中行金水支行那一片儿老是停电",
        TWO(NEAR("中行金水支行"), NEAR("中行金水支行", r=150.0)),
    )
    q(
        n,
        "建行农业路支行后头有人私搭乱建",
        TWO(NEAR("建行农业路支行"), NEAR("建行农业路支行", r=100.0)),
    )
    q(n, "祭城路派出所后头有人烧秸秆", TWO(NEAR("祭城路派出所"), NEAR("祭城路派出所", r=100.0)))
    q(
        n,
        "花园路派出所后头那个院儿有人养鸡",
        TWO(NEAR("花园路派出所"), NEAR("花园路派出所", r=100.0)),
    )
    q(
        n,
        "东风路街道办事处后头有人乱搭棚子",
        TWO(NEAR("东风路街道办事处"), NEAR("东风路街道办事处", r=100.0)),
    )
    q(n, "曼哈顿跟前儿有人卖假名牌", TWO(NEAR("曼哈顿"), NEAR("曼哈顿", r=80.0)))
    q(n, "郑大一附院那一片儿停车难得很", TWO(NEAR("郑大一附院"), NEAR("郑大一附院", r=150.0)))
    jq = fb("经三路", 500, "R")
    q(
        n,
        f"俺家搁经三路{no(jq)}号，楼下有人半夜喝酒吵",
        TWO(("near", [jq["code"]], 10.0), ("near", [jq["code"]], 50.0)),
    )
    hz = fb("花园路", 2800, "R")
    q(
        n,
        f"花园路{no(hz)}号楼下有人占道烧烤",
        TWO(("near", [hz["code"]], 10.0), ("near", [hz["code"]], 50.0)),
    )
    q(n, "河南省肿瘤医院门口有人卖假药", ("near", []))
    q(n, "金水区政府对面有人拉横幅", ("near", []))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("政五街路灯坏了好几天了", "政五街"),
        ("来电人反映政六街里头有车长期占道", "政六街"),
        ("政七街下水道堵了，污水漫到路上", "政七街"),
        ("银杏胡同有人养狗扰民", "银杏胡同"),
        ("顺河胡同有人半夜装修", "顺河胡同"),
        ("市民说杜岭胡同里面电线乱拉", "杜岭胡同"),
        ("柳园胡同化粪池满了往外冒", "柳园胡同"),
        ("东明胡同 有人占用消防通道", "东明胡同"),
        ("槐荫胡同路面结冰，老年人出门不方便", "槐荫胡同"),
        ("健康路那条小路坑坑洼洼", "健康路"),
        ("红专路有人乱停车", "红专路"),
        ("政八街有人半夜施工", "政八街"),
        ("菜王胡同路灯不亮", "菜王胡同"),
    ]:
        q(la, text, ("lane", lane))
    q(
        la,
        "政六街口有人摆摊卖菜",
        TWO(("mouth", "政六街", False), ("mouth", "政六街", True)),
    )
    q(
        la,
        "银杏胡同口堆了建筑垃圾",
        TWO(("mouth", "银杏胡同", False), ("mouth", "银杏胡同", True)),
    )
    q(
        la,
        "政七街口井盖没了",
        TWO(("mouth", "政七街", False), ("mouth", "政七街", True)),
    )

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "庙李村3组有人焚烧秸秆", ZU("庙李村", 3))
    q(g, "庙李村五组有人在田边烧垃圾", ZU("庙李村", 5))
    q(g, "杨金路街道庙李村第一村民小组有人违建", ZU("庙李村", 1, "杨金路街道"))
    q(g, "金水区杨金路街道庙李村6组自来水停了", ZU("庙李村", 6, "杨金路街道"))
    q(g, "俺家搁庙李村2组，这两天一直停水", ZU("庙李村", 2))
    q(g, "杨金路庙李村4组有人私挖鱼塘", ZU("庙李村", 4, "杨金路街道"))
    q(g, "俺这儿是杨君刘村二组，路灯不亮", ZU("杨君刘村", 2))
    q(g, "杨君刘村三组垃圾没人收", ZU("杨君刘村", 3))
    q(g, "杨君刘村4组有人放狗咬人", ZU("杨君刘村", 4))
    q(g, "杨君刘村第6村民小组有人偷倒建筑垃圾", ZU("杨君刘村", 6))
    q(g, "杨君刘一组有人占地盖房", ZU("杨君刘村", 1))
    q(g, "毛庄村1组排水沟堵了", ZU("毛庄村", 1))
    q(g, "毛庄村三组有人在路边晒粮食", ZU("毛庄村", 3))
    q(g, "祭城路街道毛庄村5组有人私搭乱建", ZU("毛庄村", 5, "祭城路街道"))
    q(g, "恁那个毛庄村四组，有人天天烧垃圾", ZU("毛庄村", 4))
    q(g, "毛庄六组有人私拉电线", ZU("毛庄村", 6))
    q(g, "庙李村八组有人烧秸秆", ZU("庙李村", 8))
    q(g, "祭城路街道庙李村2组有人违建", ZU("庙李村", 2, "祭城路街道"))
    q(g, "刘庄村2组有人私拉电线", ZU("刘庄村", 2))
    q(g, "贾岗村3组路面塌陷", ZU("贾岗村", 3))
    q(g, "杨君刘村7组有人烧荒", ZU("杨君刘村", 7))
    q(
        g,
        "庙李村3组那一片儿狗太多了",
        TWO(ZU("庙李村", 3), ("microarea", "庙李村3组")),
    )
    q(
        g,
        "杨君刘村三组那一片儿晚上黑得很",
        TWO(ZU("杨君刘村", 3), ("near", [b["code"] for b in houses(None, "杨君刘村", 3)], 100.0)),
    )

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "刘庄村有人往沟里倒垃圾", VIL("刘庄村"))
    q(v, "杨金路街道刘庄村路灯不亮", VIL("刘庄村", "杨金路街道"))
    q(v, "祭城路刘庄村有人私建猪圈", VIL("刘庄村", "祭城路街道"))
    q(v, "贾岗村有人烧秸秆，烟大得很", VIL("贾岗村"))
    q(v, "俺是贾岗村哩，村里自来水停了三天了", VIL("贾岗村"))
    q(v, "姚桥村有人私拉电网捕鱼", VIL("姚桥村"))
    q(v, "姚桥那儿有人占用耕地建房", VIL("姚桥村"))
    q(v, "苏屯村有人焚烧垃圾", VIL("苏屯村"))
    q(v, "金水区祭城路街道苏屯村狗咬人", VIL("苏屯村", "祭城路街道"))
    q(v, "庙李村垃圾堆成山了", VIL("庙李村"))
    q(v, "杨君刘村有人电鱼", VIL("杨君刘村"))
    q(v, "毛庄村排水沟堵了", VIL("毛庄村"))
    q(v, "杨金路街道贾岗村有人违建", VIL("贾岗村", "杨金路街道"))
    q(v, "岗李村有人烧荒", VIL("岗李村"))
    q(v, "贾岗那一片儿有人乱倒渣土", TWO(VIL("贾岗村"), ("varea", "JG")))
    q(v, "苏屯村那一片儿晚上有人偷电缆", TWO(VIL("苏屯村"), ("varea", "ST")))

    # --- other_county (郑州's other 县级 units in front of our addresses) --------------------
    oc = "other_county"
    j3, nyl = fb("经三路", 1800, "R"), fb("南阳路", 1000, "R")
    hh = fb("黄河路", 3100, "L")
    for text, code in [
        ("中原区杨金路街道庙李村3组15号", None),
        ("郑州市二七区祭城路街道毛庄村2组7号", None),
        ("管城回族区杨金路街道杨君刘村四组8号", None),
        ("河南省郑州市惠济区祭城路街道贾岗村131号", None),
        (f"中牟县经三路{no(j3)}号", None),
        ("新郑市杨金路街道庙李村5组13号", None),
        (f"荥阳市南阳路{no(nyl)}号", None),
        (f"郑州市上街区黄河路{no(hh)}号", None),
        (f"开封市金水区经三路{no(j3)}号", None),
        ("河南省郑州市金水区杨金路街道庙李村3组15号", H("ML", 3, 15)["code"]),
        ("金水区祭城路街道毛庄村2组7号", H("MZ", 2, 7)["code"]),
        ("郑州市金水区杨金路街道杨君刘村四组8号", H("YJL", 4, 8)["code"]),
        ("祭城路街道贾岗村131号", H("JG", 0, 131)["code"]),
        (f"郑州市金水区经三路{no(j3)}号", j3["code"]),
        ("金水区杨金路街道庙李村5组13号", H("ML", 5, 13)["code"]),
        (f"金水区南阳路{no(nyl)}号", nyl["code"]),
        (f"郑州黄河路{no(hh)}号", hh["code"]),
    ]:
        q(oc, text, BLD(code))
    # 郑东新区 is a 功能区, not a 县级 unit: narrow "another area" → nothing, wide "ignore it"
    zd = H("JG", 0, 45)
    q(oc, "郑东新区祭城路街道贾岗村45号", TWO(BLD(None), BLD(zd["code"])))
    q(oc, f"郑州市郑东新区经三路{no(j3)}号", TWO(BLD(None), BLD(j3["code"])))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("经三路", 250, "L"), fb("纬五路", 2150, "R")
    b3, b4 = fb("农业路", 300, "R"), fb("政六街", 220, "R", 10)
    b5, m3 = fb("南阳路", 2900, "L"), H("MZ", 3, 9)
    b6 = fb("花园路", 400, "R")
    gd = door(1300, "L")
    absent("庙李村3组30号")
    absent("苏屯村41号")
    absent("顺河胡同7号")
    absent("顺河胡同1号")
    for text, code in [
        (
            "No. 15, Group 3, Miaoli Village, Yangjinlu Subdistrict, Jinshui District, Zhengzhou",
            H("ML", 3, 15)["code"],
        ),
        (
            "No. 12, Group 2, Maozhuang Village, Jichenglu Subdistrict, Jinshui District",
            H("MZ", 2, 12)["code"],
        ),
        (
            "No. 16, Group 4, Yangjunliu Village, Yangjinlu Subdistrict, Jinshui District,"
            " Zhengzhou, Henan",
            H("YJL", 4, 16)["code"],
        ),
        (
            "No. 128, Yaoqiao Village, Jichenglu Subdistrict, Jinshui District, Zhengzhou",
            H("YQ", 0, 128)["code"],
        ),
        (
            "No. 21, Jiagang Village, Jicheng Road Subdistrict, Jinshui District",
            H("JG", 0, 21)["code"],
        ),
        ("No. 30, Group 3, Miaoli Village, Yangjinlu Subdistrict, Jinshui District", None),
        ("No. 41, Sutun Village, Jichenglu Subdistrict, Jinshui District", None),
        (f"No. {no(b1)}, Jingsan Road, Jinshui District, Zhengzhou", b1["code"]),
        (f"No. {no(b2)} Weiwu Road, Jinshui District, Zhengzhou, Henan", b2["code"]),
        (f"No. {no(b3)}, Nongye Road, Jinshui District", b3["code"]),
        (f"No. {no(b6)}, Huayuan Road, Jinshui Dist., Zhengzhou", b6["code"]),
        (f"Building 2, No. {gd} Fengchan Road, Jinshui District, Zhengzhou", "JSWBDYB2"),
        (f"No. {no(b4)}, Zhengliu Street, Jinshui District, Zhengzhou", b4["code"]),
        (f"No. {no(b5)}, Nanyang Road, Erqi District, Zhengzhou", None),
        ("15号，3组，庙李村，杨金路街道，金水区，郑州市", H("ML", 3, 15)["code"]),
        (f"{no(m3)}号，3组，毛庄村，祭城路街道，金水区", m3["code"]),
        (f"{no(b5)}号，南阳路，金水区，郑州市", b5["code"]),
        ("5号，顺河胡同，郑州市金水区", "JSSHHT5"),
        ("7号，顺河胡同，金水区", None),
        ("3号楼，省委家属院，金水区，郑州", "JSSWJSYB3"),
        ("No. 1, Shunhe Hutong, Jinshui District", None),
        ("No. 9, Shunhe Hutong, Jinshui District, Zhengzhou", "JSSHHT9"),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    hq, ny = fb("红旗路", 300, "L"), fb("农业路", 3300, "R")
    t1, t2 = fb("花园路", 400, "R"), fb("纬五路", 350, "R")
    t3, t4 = fb("农业路", 300, "R"), fb("东风路", 900, "R")
    t5, t6 = fb("红旗路", 1300, "L"), fb("文化路", 1200, "R")
    t7, t8 = fb("南阳路", 1700, "L"), fb("未来路", 500, "L")
    t9, t10 = fb("黄河路", 200, "L"), fb("经三路", 250, "L")
    t11 = fb("政七街", 400, "R", 10)
    f1, f2 = fb("经三路", 1800, "R"), fb("丰产路", 1700, "L")
    c1, c2 = fb("纬五路", 1500, "L"), fb("东风路", 2600, "L")
    for miss in ["经三路999号", "纬五路8号", "政六街50号", "庙李村3组99号", "柳园胡同3号"]:
        absent(miss)
    absent("苏屯村200号")
    absent("杨君刘村七组3号")
    for text, code in [
        (hq["address"], hq["code"]),
        (f"农业路{no(ny)}号", ny["code"]),
        ("河南省人民医院", code_of_alias("河南省人民医院")),
        ("省医", code_of_alias("省医")),
        ("郑大一附院", code_of_alias("郑大一附院")),
        ("河南省实验中学", code_of_alias("河南省实验中学")),
        ("紫荆山公园", code_of_alias("紫荆山公园")),
        ("曼哈顿广场", code_of_alias("曼哈顿广场")),
        ("杨金路社区卫生服务中心", code_of_alias("杨金路社区卫生服务中心")),
        ("毛庄村委会", code_of_alias("毛庄村委会")),
        ("丹尼斯", None),
        ("省委家属院2号楼", "JSSWJSYB2"),
        ("金水花园3号楼2单元501", "JSJSHYB3"),
        ("文博东苑1号楼", "JSWBDYB1"),
        ("柳园胡同6号", "JSLYHT6"),
        ("金水区杜岭胡同8号", "JSDLHT8"),
        ("金水区祭城路街道姚桥村96号", H("YQ", 0, 96)["code"]),
        ("杨金路街道刘庄村58号", H("LZY", 0, 58)["code"]),
        ("刘庄村58号", None),
        (f"花元路{no(t1)}号", t1["code"]),
        (f"金水区纬午路{no(t2)}号", t2["code"]),
        (f"农叶路{no(t3)}号", t3["code"]),
        (f"郑州市金水区东峰路{no(t4)}号", t4["code"]),
        (f"红棋路{no(t5)}号", t5["code"]),
        (f"文华路{no(t6)}号", t6["code"]),
        (f"南洋路{no(t7)}号", t7["code"]),
        (f"魏来路{no(t8)}号", t8["code"]),
        (f"黄和路{no(t9)}号", t9["code"]),
        (f"正七街{no(t11)}号", t11["code"]),
        ("金水区杨金路街道庙里村3组9号", H("ML", 3, 9)["code"]),
        (f"经三路{fw(no(f1))}号", f1["code"]),
        (f"金水区丰产路{fw(no(f2))}号", f2["code"]),
        (f"纬五路{cn_num(no(c1))}号", c1["code"]),
        (f"东风路{cn_num(no(c2))}号", c2["code"]),
        (f"金水区经三路{no(t10)}号", t10["code"]),
        ("郑州市金水区经三路999号", None),
        ("纬五路8号", None),
        ("政六街50号", None),
        ("省委家属院9号楼", None),
        ("杨金路街道庙李村3组99号", None),
        ("金水区柳园胡同3号", None),
        ("祭城路街道苏屯村200号", None),
        ("金水区杨金路街道杨君刘村七组3号", None),
        ("金水区人民政府", None),
        ("郑州火车站", None),
        ("未来路加油站", code_of_alias("未来路加油站")),
        ("河南省肿瘤医院", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def check() -> None:
    """Read the files back: every building in its micro-grid, aliases unique."""
    seen: dict[str, str] = {}
    for b in BUILDINGS:
        micro_of_point(b["x"], b["y"])
        for a in b["aliases"]:
            if a in seen:
                raise SystemExit(f"alias {a} twice: {seen[a]} {b['code']}")
            seen[a] = b["code"]
    rows = list(csv.DictReader(io.StringIO((HERE / "buildings.csv").read_text(encoding="utf-8"))))
    micro_codes = {
        f["properties"]["code"]
        for f in json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
        if f["properties"]["level"] == "micro"
    }
    by_code = {r["code"]: r for r in rows}
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        exp, micro = r["expected"], r["micro_grid"]
        if exp is not None and by_code[exp]["micro_grid_code"] != micro:
            raise SystemExit(f"{r['query']}: building not in its micro-grid")
        if micro is not None and micro not in micro_codes:
            raise SystemExit(f"{r['query']}: unknown micro-grid")


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
        if kind not in ("other_county", "english_order", "building") and expected is not None:
            raise SystemExit(f"{text}: a place query with a building")
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check()
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    total_pos = sum(v for (k, p), v in stats.items() if p)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)},"
        f" positive {total_pos}, refuse {len(lines) - total_pos}"
    )


if __name__ == "__main__":
    write_all()
