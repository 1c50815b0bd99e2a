"""Write the place-description evaluation district: 广西壮族自治区南宁市武鸣区.

    python bench/data/place_nanning/make_district.py

One grid tree: an urban core (城厢镇, four 社区, with roads, lanes 巷 / 里 and 小区) and a rural
east (双桥镇, 太平镇, 府城镇) whose houses are written the way 广西 writes them: 村 then 屯
(`武鸣区双桥镇伏林村那汉屯12号`), by 组 (`武鸣区双桥镇平福村3组15号`) or numbered across
the village (`武鸣区太平镇驮湾村128号`). The 镇 and most urban road names are 武鸣区's; the
社区, villages, 屯, lanes, door numbers, landmarks' positions and all geometry are ours: a layout
in metres over a 7.2 km x 3 km box, turned into WGS-84 near 武鸣城区.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means.

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
LON0, LAT0 = 108.2400, 23.1300  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("450110", "武鸣区")
W, S, E, N = 0.0, 0.0, 7200.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

TOWN_CODE = {
    "城厢镇": "450110100",
    "太平镇": "450110101",
    "双桥镇": "450110102",
    "府城镇": "450110104",
}
TOWN_BOX = {
    "城厢镇": (0, 0, 2400, 3000),
    "双桥镇": (2400, 1500, 6000, 3000),
    "太平镇": (2400, 0, 6000, 1500),
    "府城镇": (6000, 0, 7200, 3000),
}
# 城厢镇's communities: name, short name, box (1200 m x 1500 m each)
URBAN = [
    ("灵源社区", "灵源", (0, 1500, 1200, 3000)),
    ("永宁社区", "永宁", (1200, 1500, 2400, 3000)),
    ("标营社区", "标营", (0, 0, 1200, 1500)),
    ("城东社区", "城东", (1200, 0, 2400, 1500)),
]
# the rural 镇: (town, [(name, key, style, box)])
# styles: "tun_named"  six micro-grids named after the 屯 (`那汉屯`), houses by 屯;
#         "tun_named_v" the same, named with the village (`富凤村那岸屯`);
#         "tun_plain"  six plain micro-grids, houses by 屯 (one 屯 lies across two);
#         "zu_ar"      six micro-grids named after the 组 (`平福村3组`), houses `3组`;
#         "zu_cn"      six plain micro-grids, houses `三组` (one 组 lies across two);
#         "community"  six plain micro-grids of a 镇's seat (府城社区);
#         "small"      a village numbered across, two micro-grids (`驮湾村1号微网格`).
RURAL = [
    (
        "双桥镇",
        [
            ("伏林村", "FL", "tun_named", (2400, 1500, 3600, 3000)),
            ("平福村", "PF", "zu_ar", (3600, 1500, 4800, 3000)),
            ("那莲村", "NLS", "small", (4800, 1500, 5200, 3000)),
            ("双桥村", "SQ", "small", (5200, 1500, 5600, 3000)),
            ("鹅塘村", "ET", "small", (5600, 1500, 6000, 3000)),
        ],
    ),
    (
        "太平镇",
        [
            ("林渌村", "LL", "tun_plain", (2400, 0, 3600, 1500)),
            ("文塘村", "WT", "zu_cn", (3600, 0, 4800, 1500)),
            ("那莲村", "NLT", "small", (4800, 0, 5200, 1500)),
            ("驮湾村", "TW", "small", (5200, 0, 5600, 1500)),
            ("庆乐村", "QL", "small", (5600, 0, 6000, 1500)),
        ],
    ),
    (
        "府城镇",
        [
            ("富凤村", "FF", "tun_named_v", (6000, 1500, 7200, 3000)),
            ("府城社区", "FC", "community", (6000, 0, 7200, 1500)),
        ],
    ),
]
TUNS = {
    "FL": ["那汉屯", "板勒屯", "那马屯", "岜桑屯", "坛棍屯", "六务屯"],
    "LL": ["那朗屯", "板敢屯", "那马屯", "渌清屯", "岜独屯", "弄模屯"],
    "FF": ["那岸屯", "汉林屯", "渌龙屯", "邓广屯", "念堤屯", "那桑屯"],
}


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
TOWN_OF: dict[str, str] = {}
VILLAGE_OF: dict[str, str] = {}
STYLE_OF: dict[str, str] = {}


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name


def six_micros(c_code: str, c_name: str, short: str, b, namer) -> None:
    """Two grids (south, north) of three 400 m x 750 m micro-grids each."""
    w, s, _e, _n = b
    for gi in range(2):
        gs, gn = s + gi * 750, s + (gi + 1) * 750
        g_code = f"{c_code}{gi + 1:03d}"
        g_name = f"{short}第{gi + 1}网格"
        FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(box(w, gs, w + 1200, gn))))
        for mi in range(3):
            mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
            m = gi * 3 + mi + 1
            add_micro(f"{g_code}{mi + 1:03d}", namer(gi, mi, m, g_name), g_code, mb)


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    t_code = TOWN_CODE["城厢镇"]
    FEATURES.append(feature(t_code, "城厢镇", "street", DISTRICT[0], geo(rect(TOWN_BOX["城厢镇"]))))
    for ci, (c_name, short, cb) in enumerate(URBAN):
        c_code = f"{t_code}{ci + 1:03d}"
        FEATURES.append(feature(c_code, c_name, "community", t_code, geo(rect(cb))))
        six_micros(c_code, c_name, short, cb, lambda gi, mi, m, g: f"{g}{mi + 1}号微网格")
    for town, villages in RURAL:
        t_code = TOWN_CODE[town]
        FEATURES.append(feature(t_code, town, "street", DISTRICT[0], geo(rect(TOWN_BOX[town]))))
        for vi, (v_name, key, style, vb) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            VILLAGE_BOX[key], TOWN_OF[key], VILLAGE_OF[key], STYLE_OF[key] = vb, town, v_name, style
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
                for mi in range(2):
                    mb = (vb[0], vb[1] + mi * 750, vb[2], vb[1] + (mi + 1) * 750)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
                continue
            short = v_name[:-2] if style == "community" else v_name

            def namer(gi, mi, m, g_name, style=style, key=key, v_name=v_name):
                if style == "tun_named":
                    return TUNS[key][m - 1]
                if style == "tun_named_v":
                    return f"{v_name}{TUNS[key][m - 1]}"
                if style == "zu_ar":
                    return f"{v_name}{m}组"
                return f"{g_name}{mi + 1}号微网格"

            six_micros(v_code, v_name, short, vb, namer)


def micro_centre(key: str, m: int, dx: float = 0.0, dy: float = 0.0) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c + dx, y0 + 375 + 750 * g + dy


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # 城厢镇 (x 0-2400)
    ("灵源路", "arterial", [(1200, 0), (1200, 3000)]),
    ("香山路", "arterial", [(800, 0), (800, 3000)]),
    ("永宁路", "arterial", [(0, 1500), (2400, 1500)]),
    ("标营路", "arterial", [(0, 1000), (3400, 1000)]),
    ("起凤路", "secondary", [(0, 2000), (2400, 2000)]),
    ("新兴路", "secondary", [(1800, 1500), (1800, 3000)]),
    ("民主路", "arterial", [(0, 400), (2400, 400)]),
    ("兴武大道", "arterial", [(2400, 0), (2400, 3000)]),
    ("文化路", "secondary", [(300, 1550), (300, 2950)]),
    ("朝阳街", "branch", [(1400, 2150), (1400, 1850), (1700, 1850), (1700, 2150)]),
    # lanes in the road file
    ("县前巷", "branch", [(500, 2100), (500, 2400)]),
    ("仁和里", "branch", [(1300, 2700), (1550, 2700)]),
    ("骑楼巷", "branch", [(1000, 1100), (1000, 1400)]),
    ("米行巷", "branch", [(1650, 300), (1950, 300)]),
    ("灵源一里", "branch", [(2200, 1600), (2200, 1900)]),
    ("马厂巷", "branch", [(100, 600), (350, 600)]),
    # the rural east
    ("武平公路", "arterial", [(2400, 1500), (6000, 1500)]),
    ("府太公路", "arterial", [(2400, 400), (7200, 400)]),
    ("双桥街", "secondary", [(2400, 2600), (5800, 2600)]),
    ("平太路", "secondary", [(4800, 0), (4800, 3000)]),
    ("太平街", "secondary", [(3700, 1150), (4750, 1150)]),
    ("府城街", "secondary", [(6050, 1100), (7150, 1100)]),
    ("伏林路", "branch", [(3000, 1600), (3000, 2900)]),
    ("林渌路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("文塘路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "武鸣区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "灵源路": "LYL",
    "香山路": "XSL",
    "永宁路": "YNL",
    "标营路": "BYL",
    "起凤路": "QFL",
    "新兴路": "XXL",
    "民主路": "MZL",
    "兴武大道": "XWDD",
    "文化路": "WHL",
    "朝阳街": "CYJ",
    "县前巷": "XQX",
    "仁和里": "RHL",
    "骑楼巷": "QLX",
    "米行巷": "MHX",
    "灵源一里": "LY1L",
    "马厂巷": "MCX",
    "府太公路": "FTGL",
    "双桥街": "SQJ",
    "太平街": "TPJ",
    "府城街": "FCJ",
    "城隍巷": "CHX",
    "学宫巷": "XGX",
    "永宁二里": "YN2L",
    "铁匠巷": "TJX",
    "榕树巷": "RSX",
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
        add(f"WM{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"WM{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"WM{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{address}{k}栋",
            x,
            y,
            [f"{name}{k}栋", f"{name}{k}号楼"],
            compound=name,
        )


SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def group_text(key: str, grp) -> str:
    """`那汉屯` for a 屯 village, `3组` / `三组` for a 组 village, "" numbered across."""
    style = STYLE_OF[key]
    if grp is None:
        return ""
    if style.startswith("tun"):
        return TUNS[key][grp - 1]
    if style == "zu_cn":
        return f"{CN[grp]}组"
    return f"{grp}组"


def rural_houses(key: str, grp: int | None, centre, numbers, aliases=None):
    """Houses of a 屯 / 组 (grp: index of the 屯 or number of the 组) or of a village numbered
    across (grp None), spread around a centre."""
    cx, cy = centre
    style = STYLE_OF[key]
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        gt = group_text(key, grp)
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{gt}{n}号"
        add(
            f"WM{key}{grp or 0:02d}{n:03d}",
            address,
            round(cx + dx, 2),
            round(cy + dy, 2),
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=grp if style.startswith("zu") else None,
            tun=TUNS[key][grp - 1] if (grp and style.startswith("tun")) else None,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "灵源路",
        [
            (300, "L", []),
            (700, "R", ["城厢派出所"]),
            (1100, "L", ["武鸣农商银行城厢支行", "农商银行城厢支行"]),
            (1700, "R", ["武鸣区人民医院"]),
            (2100, "L", ["工商银行武鸣支行", "工行武鸣支行"]),
            (2500, "R", ["武鸣高中", "广西武鸣高级中学"]),
            (2850, "L", []),
        ],
    )
    frontage(
        "香山路",
        [
            (200, "R", []),
            (600, "L", ["家家乐超市香山店", "家家乐超市"]),
            (1250, "R", []),
            (2150, "L", ["香山苑东门"]),
            (2400, "R", ["武鸣区实验小学", "武鸣实验小学"]),
            (2800, "L", []),
        ],
    )
    frontage(
        "永宁路",
        [
            (150, "L", []),
            (600, "R", []),
            (1000, "L", ["农业银行武鸣支行", "农行武鸣支行"]),
            (1500, "R", ["武鸣百货大楼", "武鸣百货"]),
            (2100, "L", []),
            (2300, "R", []),
        ],
    )
    frontage(
        "标营路",
        [
            (200, "L", []),
            (650, "R", ["标营社区服务中心"]),
            (1400, "L", []),
            (1850, "R", ["标营路加油站", "中石化标营路加油站"]),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "起凤路",
        [
            (100, "L", []),
            (550, "R", ["灵源社区服务中心"]),
            (600, "L", ["香山苑南门"]),
            (1000, "L", []),
            (1450, "R", ["武鸣区图书馆"]),
            (1900, "L", ["永宁花园南门"]),
            (2250, "L", ["邮储银行起凤路支行", "邮储起凤支行"]),
            (2350, "R", []),
        ],
    )
    frontage(
        "新兴路",
        [
            (100, "L", []),
            (300, "L", []),
            (620, "R", ["永宁花园", "永宁花园东门"]),
            (1000, "R", []),
            (1300, "L", ["武鸣区中医医院", "区中医院"]),
        ],
    )
    frontage(
        "民主路",
        [
            (150, "L", []),
            (500, "R", ["武鸣区城厢中学", "城厢中学"]),
            (1000, "L", []),
            (1450, "R", ["标营佳园", "标营佳园南门"]),
            (1900, "L", ["城厢镇卫生院"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "兴武大道",
        [
            (500, "L", []),
            (1200, "R", ["兴武大道加油站"]),
            (2200, "L", ["武鸣汽车总站", "武鸣汽车站"]),
            (2700, "R", []),
        ],
    )
    frontage("文化路", [(100, "L", []), (400, "R", []), (1100, "R", [])])
    frontage("朝阳街", [(450, "R", ["朝阳菜市场"])])
    # lanes of the road file
    frontage("县前巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("仁和里", [(40, "L", []), (180, "R", [])], step=10)
    frontage("骑楼巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("米行巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("灵源一里", [(30, "L", []), (200, "R", [])], step=10)
    frontage("马厂巷", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("城隍巷", [(2, 600, 2800), (5, 640, 2812), (9, 680, 2800)])
    lane_houses("学宫巷", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("永宁二里", [(1, 2150, 2600), (6, 2160, 2660), (10, 2150, 2720)])
    lane_houses("铁匠巷", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("榕树巷", [(2, 1170, 2600), (5, 1230, 2600), (8, 1240, 2660)])
    # 小区: a door with the 小区's name and gate, and its 栋
    xs = door(2150, "L")
    compound(
        f"香山路{xs}号香山苑",
        "香山苑",
        "WMXSY",
        [(480, 2100), (560, 2100), (640, 2100), (480, 2180), (560, 2180)],
    )
    yn = door(620, "R")
    compound(
        f"新兴路{yn}号永宁花园",
        "永宁花园",
        "WMYNHY",
        [(1850, 2080), (1930, 2080), (1850, 2160), (1930, 2160)],
    )
    by = door(1450, "R")
    compound(f"民主路{by}号标营佳园", "标营佳园", "WMBYJY", [(1420, 250), (1500, 250), (1420, 320)])
    # the rural 镇's main streets
    frontage(
        "双桥街",
        [
            (300, "L", []),
            (900, "R", ["双桥镇卫生院"]),
            (1400, "L", ["双桥中学", "双桥镇中学"]),
            (1900, "R", ["武鸣农商银行双桥支行", "农商银行双桥支行"]),
            (2300, "L", ["双桥派出所"]),
            (2650, "R", ["双桥镇人民政府", "双桥镇政府"]),
        ],
        prefix=CITY + "双桥镇",
    )
    frontage(
        "太平街",
        [
            (100, "L", ["太平镇卫生院"]),
            (400, "R", ["太平派出所"]),
            (600, "L", ["太平信用社", "武鸣农商银行太平支行"]),
            (900, "R", ["太平镇中心小学", "太平中心小学"]),
        ],
        prefix=CITY + "太平镇",
    )
    frontage(
        "府城街",
        [
            (100, "L", ["府城镇卫生院"]),
            (400, "R", ["府城派出所"]),
            (700, "L", ["邮储银行府城支行", "邮储府城支行"]),
            (1000, "R", ["府城中学"]),
        ],
        prefix=CITY + "府城镇",
    )
    frontage(
        "府太公路", [(500, "L", ["太平加油站", "府太公路加油站"]), (2100, "R", []), (4100, "L", [])]
    )
    c = micro_centre
    # 双桥镇: 伏林村, by 屯 (micro-grids named after them)
    rural_houses("FL", 1, c("FL", 1), [3, 8, 12, 17])
    rural_houses("FL", 2, c("FL", 2, 100), [2, 5, 9])
    rural_houses("FL", 3, c("FL", 3), [4, 7, 11])
    rural_houses("FL", 4, c("FL", 4, 0, 175), [1, 6, 10])
    rural_houses("FL", 5, c("FL", 5, 100, 175), [3, 8, 15], {8: ["伏林村委会", "伏林村村委会"]})
    rural_houses("FL", 6, c("FL", 6, 0, 175), [2, 9])
    # 平福村, by 组 (micro-grids named after them)
    rural_houses("PF", 1, c("PF", 1), [3, 8, 12])
    rural_houses("PF", 2, c("PF", 2), [4, 7, 11])
    rural_houses("PF", 3, c("PF", 3), [6, 9, 15, 21])
    rural_houses("PF", 4, c("PF", 4, 0, 175), [2, 5, 10])
    rural_houses("PF", 5, c("PF", 5, 0, 175), [1, 6, 13], {6: ["平福村委会", "平福村村委会"]})
    rural_houses("PF", 6, c("PF", 6, 0, 175), [3, 8])
    # 太平镇: 林渌村, by 屯 (plain micro-grids; 岜独屯 lies across two)
    rural_houses("LL", 1, c("LL", 1, 100, 185), [2, 6, 9])
    rural_houses("LL", 2, c("LL", 2, 0, -175), [1, 5, 12])
    rural_houses("LL", 3, c("LL", 3, 0, -175), [3, 7, 14])
    rural_houses("LL", 4, c("LL", 4), [4, 8, 16], {8: ["林渌村委会", "林渌村村委会"]})
    rural_houses("LL", 5, (3200, 1100), [2, 10, 13])
    rural_houses("LL", 6, c("LL", 6, 0, 0), [5, 11])
    # 文塘村, by 组 written 一组 … 六组 (plain micro-grids; 四组 lies across two)
    rural_houses("WT", 1, c("WT", 1, 0, -175), [3, 6, 11])
    rural_houses("WT", 2, c("WT", 2, -100, -175), [2, 8])
    rural_houses("WT", 3, c("WT", 3, 0, -175), [5, 9, 13], {9: ["文塘村委会"]})
    rural_houses("WT", 4, (4000, 1000), [1, 4, 10])
    rural_houses("WT", 5, (4250, 1300), [7, 12])
    rural_houses("WT", 6, (4600, 900), [2, 6])
    # 府城镇: 富凤村, by 屯 (micro-grids named `富凤村那岸屯`)
    rural_houses("FF", 1, c("FF", 1), [2, 7, 10])
    rural_houses("FF", 2, c("FF", 2), [3, 8])
    rural_houses("FF", 3, c("FF", 3), [1, 4, 9], {4: ["富凤村委会"]})
    rural_houses("FF", 4, c("FF", 4), [5, 12])
    rural_houses("FF", 5, c("FF", 5), [6, 11])
    rural_houses("FF", 6, c("FF", 6), [2, 8, 13])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("NLS", None, (5000, 1875), [12, 37, 58, 103])
    rural_houses("SQ", None, (5400, 2350), [6, 21, 45, 88, 131], {21: ["双桥村卫生室"]})
    rural_houses("ET", None, (5800, 1900), [7, 33, 70])
    rural_houses("NLT", None, (5000, 550), [9, 26, 64, 117])
    rural_houses("TW", None, (5400, 1100), [15, 52, 96, 128, 143], {52: ["驮湾村委会"]})
    rural_houses("QL", None, (5780, 1050), [3, 18, 40, 77])


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
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近 / 边上: every point within 50 m
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
    if how == "about":  # 约 / 大约 / 左右 / 大概 / 来
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


def houses(town=None, village=None, zu=None, tun=None, road=None):
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
        if tun is not None and b["tun"] != tun:
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
    if kind == "tun":  # ("tun", town or None, village or None, 屯)
        hs = houses(town=spec[1], village=spec[2], tun=spec[3])
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


def TUN(tun, village=None, town=None):
    return ("tun", town, village, tun)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, grp, n):  # a rural house (grp 0: a village numbered across)
    return BY_CODE[f"WM{key}{grp:02d}{n:03d}"]


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
    q(x, "新兴路与起凤路交叉口路灯不亮，晚上黑麻麻的", X("新兴路", "起凤路"))
    q(x, "新兴路起凤路十字路口东北角有人摆摊卖水果", X("新兴路", "起凤路", "东北"))
    q(x, "文化路和起凤路交汇处一下雨就积水", X("文化路", "起凤路"))
    q(x, "文化路、起凤路路口往南50米有个大坑", X("文化路", "起凤路", None, ("南", 50, "exact")))
    q(x, "灵源路与起凤路十字路口红绿灯坏了", X("灵源路", "起凤路"))
    q(x, "灵源路起凤路交叉口东北角井盖缺失", X("灵源路", "起凤路", "东北"))
    q(
        x,
        "灵源路、起凤路路口往东30米人行道砖松动",
        X("灵源路", "起凤路", None, ("东", 30, "exact")),
    )
    q(x, "香山路与标营路交叉口西南角有人烧纸", X("香山路", "标营路", "西南"))
    q(x, "香山路标营路十字路口车辆乱停", X("香山路", "标营路"))
    q(
        x,
        "香山路、标营路路口往北200米护栏倒了",
        X("香山路", "标营路", None, ("北", 200, "exact")),
    )
    q(x, "灵源路永宁路交叉口东南角垃圾桶满了没人收", X("灵源路", "永宁路", "东南"))
    q(x, "新兴路与永宁路三岔路口有泥头车撒漏", X("新兴路", "永宁路"))
    q(x, "新兴路永宁路路口西北角共享电动车乱放", X("新兴路", "永宁路", "西北"))
    q(x, "文化路与永宁路交叉口路灯不亮", X("文化路", "永宁路"))
    q(x, "民主路与标营路交叉口有人发小广告", X("民主路", "标营路"))
    q(x, "朝阳街与起凤路交叉口下水道冒水", X("朝阳街", "起凤路"))
    q(x, "兴武大道标营路交叉口东北角有人倒垃圾", X("兴武大道", "标营路", "东北"))
    q(x, "兴武大道与民主路十字路口信号灯故障", X("兴武大道", "民主路"))
    q(x, "香山路与起凤路交叉口西南角有流浪狗", X("香山路", "起凤路", "西南"))
    q(x, "双桥街与伏林路十字路口有人晒谷子占道", X("双桥街", "伏林路"))
    q(
        x,
        "双桥街、伏林路路口往北100米路边有条死狗",
        X("双桥街", "伏林路", None, ("北", 100, "exact")),
    )
    q(x, "双桥街平太路交叉口西南角堆了建筑垃圾", X("双桥街", "平太路", "西南"))
    q(x, "府太公路与林渌路交叉口有人烧甘蔗叶", X("府太公路", "林渌路"))
    q(
        x,
        "府太公路、文塘路路口往东30米路面塌陷",
        X("府太公路", "文塘路", None, ("东", 30, "exact")),
    )
    q(x, "太平街与文塘路交汇处早上赶圩堵车", X("太平街", "文塘路"))
    q(x, "太平街与平太路交叉口有人摆摊", X("太平街", "平太路"))
    q(x, "武平公路与伏林路路口有个大坑", X("武平公路", "伏林路"))
    q(x, "武平公路平太路交叉口东北角有人卖菠萝占道", X("武平公路", "平太路", "东北"))
    q(x, "兴武大道与双桥街交叉口东北角路灯不亮", X("兴武大道", "双桥街", "东北"))
    q(x, "灵源路与标营路交叉口西北角有违规广告牌", X("灵源路", "标营路", "西北"))
    q(x, "林渌路与标营路交叉口积水", X("林渌路", "标营路"))
    q(x, "文塘路府太公路交叉口西北角有人倒垃圾", X("文塘路", "府太公路", "西北"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "武鸣区人民医院向南大约150米路西有人占道经营",
        OFF(A("武鸣区人民医院"), "南", 150, "about", ("灵源路", "西")),
    )
    q(o, "武鸣区人民医院往北走三百来米，有个井盖没了", OFF(A("武鸣区人民医院"), "北", 300, "about"))
    q(o, "武鸣高中北面50米路灯不亮", OFF(A("武鸣高中"), "北", 50))
    q(
        o,
        "武鸣高中往南走一百多米路东有人乱倒垃圾",
        OFF(A("武鸣高中"), "南", 100, "more", ("灵源路", "东")),
    )
    q(
        o,
        "标营社区服务中心往东走了三百来米有人烧垃圾",
        OFF(A("标营社区服务中心"), "东", 300, "about"),
    )
    q(o, "标营社区服务中心向西200米有杂物堆放", OFF(A("标营社区服务中心"), "西", 200))
    q(
        o,
        "标营路加油站往东约300米路南有车辆违停",
        OFF(A("标营路加油站"), "东", 300, "about", ("标营路", "南")),
    )
    q(o, "灵源社区服务中心往北100米有人遛狗不牵绳", OFF(A("灵源社区服务中心"), "北", 100))
    q(o, "武鸣区图书馆往东走两百来米，路面烂了", OFF(A("武鸣区图书馆"), "东", 200, "about"))
    q(o, "武鸣区图书馆以西500米左右有人占道卖菜", OFF(A("武鸣区图书馆"), "西", 500, "about"))
    q(o, "武鸣百货北边100米有人乱扔垃圾", OFF(A("武鸣百货"), "北", 100))
    q(o, "农行武鸣支行往南300米左右有家店油烟扰民", OFF(A("农行武鸣支行"), "南", 300, "about"))
    q(
        o,
        "武鸣实验小学向南大约150米路东有车违停",
        OFF(A("武鸣实验小学"), "南", 150, "about", ("香山路", "东")),
    )
    q(
        o,
        "武鸣实验小学往北200米路东人行道被占",
        OFF(A("武鸣实验小学"), "北", 200, side=("香山路", "东")),
    )
    q(
        o,
        "家家乐超市往南150米路西共享单车堆放",
        OFF(A("家家乐超市"), "南", 150, side=("香山路", "西")),
    )
    q(o, "家家乐超市往北大概1公里有人私搭乱建", OFF(A("家家乐超市"), "北", 1000, "about"))
    q(o, "城厢中学往东走了三百来米有人烧树叶", OFF(A("城厢中学"), "东", 300, "about"))
    q(o, "城厢中学以西约150米下水道堵了", OFF(A("城厢中学"), "西", 150, "about"))
    q(
        o,
        "标营佳园南门往东100米路南井盖缺失",
        OFF(A("标营佳园南门"), "东", 100, side=("民主路", "南")),
    )
    q(o, "区中医院往南约200米有人乱贴小广告", OFF(A("区中医院"), "南", 200, "about"))
    q(o, "永宁花园东门往北50米垃圾没人清", OFF(A("永宁花园东门"), "北", 50))
    q(o, "香山苑南门往西走了三百来米，有根路灯杆歪了", OFF(A("香山苑南门"), "西", 300, "about"))
    q(o, "武鸣汽车总站往南两百多米有人拉客占道", OFF(A("武鸣汽车总站"), "南", 200, "more"))
    q(
        o,
        "双桥镇卫生院往东约200米路南有人倒泥头",
        OFF(A("双桥镇卫生院"), "东", 200, "about", ("双桥街", "南")),
    )
    q(o, "双桥中学往西走了三百来米有人烧秸秆", OFF(A("双桥中学"), "西", 300, "about"))
    q(o, "双桥派出所往东200米有人占道晒木薯", OFF(A("双桥派出所"), "东", 200))
    q(o, "太平镇卫生院往南大约300米有人私挖鱼塘", OFF(A("太平镇卫生院"), "南", 300, "about"))
    q(o, "太平派出所往东400米路面塌陷", OFF(A("太平派出所"), "东", 400))
    q(o, "太平中心小学往北约500米有人烧垃圾", OFF(A("太平中心小学"), "北", 500, "about"))
    q(o, "太平中心小学往西走了三百来米有流动摊贩", OFF(A("太平中心小学"), "西", 300, "about"))
    q(
        o,
        "太平加油站往东150米路北有人倾倒垃圾",
        OFF(A("太平加油站"), "东", 150, side=("府太公路", "北")),
    )
    q(o, "伏林村委会往南约300米有人私建猪栏", OFF(A("伏林村委会"), "南", 300, "about"))
    q(o, "驮湾村委会往南1500米左右有人电鱼", OFF(A("驮湾村委会"), "南", 1500, "about"))
    q(
        o,
        "灵源路与起凤路交叉口往东200米路北，商铺占道",
        OFF(XO("灵源路", "起凤路"), "东", 200, side=("起凤路", "北")),
    )
    q(
        o,
        "双桥街与伏林路交叉口以东约400米路南有垃圾堆",
        OFF(XO("双桥街", "伏林路"), "东", 400, "about", ("双桥街", "南")),
    )
    q(o, "武鸣百货往西走了四百来米有人摆摊", OFF(A("武鸣百货"), "西", 400, "about"))
    q(o, "武鸣区第三中学往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "双桥供销社往北100米有积水", OFF(("none",), "北", 100))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("县前巷路灯坏了好几天了", "县前巷"),
        ("来电人反映仁和里有车辆长期占道", "仁和里"),
        ("骑楼巷下水道堵了，污水漫到路上", "骑楼巷"),
        ("米行巷有人养狗扰民", "米行巷"),
        ("灵源一里的路面坑坑洼洼", "灵源一里"),
        ("马厂巷垃圾几天没人收", "马厂巷"),
        ("城隍巷有人半夜装修", "城隍巷"),
        ("市民称学宫巷里面电线乱拉", "学宫巷"),
        ("永宁二里化粪池满了往外冒", "永宁二里"),
        ("铁匠巷 有人占用消防通道", "铁匠巷"),
        ("榕树巷的路灯一直不亮，老人出行不方便", "榕树巷"),
        ("狮子巷有人半夜施工", "狮子巷"),
        ("永宁五里路灯不亮", "永宁五里"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (a 屯 or a 组, alone or with its village / 镇) ---------------------------
    g = "group"
    q(g, "那汉屯有人焚烧秸秆", TUN("那汉屯"))
    q(g, "伏林村那汉屯路灯不亮", TUN("那汉屯", "伏林村"))
    q(g, "双桥镇伏林村板勒屯有人违建", TUN("板勒屯", "伏林村", "双桥镇"))
    q(g, "武鸣区双桥镇伏林村委六务屯自来水停了", TUN("六务屯", "伏林村", "双桥镇"))
    q(g, "坛棍屯村口有人乱倒垃圾", TUN("坛棍屯"))
    q(g, "那马屯有人烧垃圾，烟很大", TUN("那马屯"))
    q(g, "伏林村那马屯有狗咬人", TUN("那马屯", "伏林村"))
    q(g, "太平镇林渌村那马屯水沟堵了", TUN("那马屯", "林渌村", "太平镇"))
    q(g, "岜独屯有人私挖鱼塘", TUN("岜独屯"))
    q(g, "林渌村渌清屯有人电鱼", TUN("渌清屯", "林渌村"))
    q(g, "弄模屯垃圾没人收", TUN("弄模屯"))
    q(g, "富凤村那岸屯有人砍树", TUN("那岸屯", "富凤村"))
    q(g, "府城镇念堤屯路面塌了一块", TUN("念堤屯", None, "府城镇"))
    q(g, "双桥镇那岸屯有人烧山", TUN("那岸屯", None, "双桥镇"))
    q(g, "伏林村那桑屯有人违建", TUN("那桑屯", "伏林村"))
    q(g, "平福村3组有人焚烧秸秆", ZU("平福村", 3))
    q(g, "平福村五组有人在田边烧垃圾", ZU("平福村", 5))
    q(g, "双桥镇平福村第一村民小组有人违建", ZU("平福村", 1, "双桥镇"))
    q(g, "武鸣区双桥镇平福村6组自来水停了", ZU("平福村", 6, "双桥镇"))
    q(g, "文塘村二组路灯不亮", ZU("文塘村", 2))
    q(g, "文塘村第6村民小组有人偷倒建筑垃圾", ZU("文塘村", 6))
    q(g, "太平镇文塘村1组有人养猪污水乱排", ZU("文塘村", 1, "太平镇"))
    q(g, "文塘村四组排水沟堵了", ZU("文塘村", 4))
    q(g, "平福村8组有人烧秸秆", ZU("平福村", 8))
    q(g, "太平镇平福村2组有人违建", ZU("平福村", 2, "太平镇"))
    q(g, "驮湾村2组有人私拉电线", ZU("驮湾村", 2))

    # --- village (a 行政村 named alone, or with its 镇) -----------------------------------
    v = "village"
    q(v, "鹅塘村有人烧秸秆，烟很大", VIL("鹅塘村"))
    q(v, "双桥镇鹅塘村路灯不亮", VIL("鹅塘村", "双桥镇"))
    q(v, "双桥村有人私拉电网捕鱼", VIL("双桥村"))
    q(v, "双桥镇双桥村狗咬人", VIL("双桥村", "双桥镇"))
    q(v, "驮湾村有人往河里倒垃圾", VIL("驮湾村"))
    q(v, "庆乐村自来水停了两天", VIL("庆乐村"))
    q(v, "武鸣区太平镇庆乐村有人占用耕地建房", VIL("庆乐村", "太平镇"))
    q(v, "双桥镇那莲村有人焚烧垃圾", VIL("那莲村", "双桥镇"))
    q(v, "太平那莲村路面塌陷", VIL("那莲村", "太平镇"))
    q(v, "那莲村有人私建猪栏", VIL("那莲村"))
    q(v, "伏林村垃圾乱堆放", VIL("伏林村"))
    q(v, "平福村有人电鱼", VIL("平福村"))
    q(v, "林渌村排水沟堵了", VIL("林渌村"))
    q(v, "富凤村有人砍伐林木", VIL("富凤村"))
    q(v, "双桥镇驮湾村有人焚烧秸秆", VIL("驮湾村", "双桥镇"))
    q(v, "府城镇鹅塘村有人违建", VIL("鹅塘村", "府城镇"))
    q(v, "那良村有人烧荒", VIL("那良村"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "标营社区服务中心门口有人乱停车", NEAR("标营社区服务中心"))
    q(n, "标营路加油站旁边有人卖散装汽油", NEAR("标营路加油站"))
    q(n, "灵源社区服务中心附近有人遛狗不拴绳", NEAR("灵源社区服务中心"))
    q(n, "城厢派出所对面的人行道被占", NEAR("城厢派出所"))
    q(n, "邮储起凤支行门口有垃圾", NEAR("邮储起凤支行"))
    q(n, "永宁花园附近工地夜间施工扰民", NEAR_COMPOUND("永宁花园", ["永宁花园", "永宁花园南门"]))
    q(n, "香山苑周边晚上广场舞声音太大", NEAR_COMPOUND("香山苑", ["香山苑东门", "香山苑南门"]))
    q(n, "香山苑南门旁边堆满了杂物", NEAR("香山苑南门"))
    q(n, "城厢中学门口有流动摊贩，影响学生上学", NEAR("城厢中学"))
    q(n, "标营佳园附近路灯不亮", NEAR_COMPOUND("标营佳园", ["标营佳园"]))
    q(n, "武鸣区图书馆隔壁在装修，噪音大", NEAR("武鸣区图书馆"))
    q(n, "武鸣区人民医院对面有人发小广告", NEAR("武鸣区人民医院"))
    q(n, "家家乐超市旁边有个井盖缺失", NEAR("家家乐超市"))
    q(n, "兴武大道加油站边上有人洗车污水横流", NEAR("兴武大道加油站"))
    q(n, "双桥镇卫生院门口有人摆摊", NEAR("双桥镇卫生院"))
    q(n, "太平派出所附近有人打架", NEAR("太平派出所"))
    q(n, "府城中学门口早上堵车", NEAR("府城中学"))
    q(n, "伏林村委会旁边有人焚烧垃圾", NEAR("伏林村委会"))
    q(n, "双桥村卫生室附近有个水塘没有护栏", NEAR("双桥村卫生室"))
    q(n, "驮湾村委会对面的路灯不亮", NEAR("驮湾村委会"))
    q(n, "农商银行城厢支行门口共享单车堆放", NEAR("农商银行城厢支行"))
    q(n, "武鸣区第二人民医院门口有人乱停车", ("near", []))
    q(n, "府城镇敬老院附近有人烧垃圾", ("near", []))

    # --- other_county (南宁's other 县级 units in front of our addresses) ----------------
    oc = "other_county"
    ly, qf = fb("灵源路", 2850, "L"), fb("起凤路", 1000, "L")
    for text, code in [
        ("宾阳县双桥镇伏林村那汉屯12号", None),
        ("南宁市横州市太平镇林渌村那朗屯6号", None),
        ("上林县府城镇富凤村渌龙屯9号", None),
        ("广西南宁市马山县太平镇驮湾村128号", None),
        (f"隆安县灵源路{no(ly)}号", None),
        ("南宁市西乡塘区双桥镇平福村5组13号", None),
        (f"兴宁区起凤路{no(qf)}号", None),
        ("广西壮族自治区南宁市武鸣区双桥镇伏林村那汉屯12号", H("FL", 1, 12)["code"]),
        ("武鸣区太平镇林渌村那朗屯6号", H("LL", 1, 6)["code"]),
        ("南宁市武鸣区府城镇富凤村渌龙屯9号", H("FF", 3, 9)["code"]),
        ("太平镇驮湾村128号", H("TW", 0, 128)["code"]),
        (f"南宁市武鸣区灵源路{no(ly)}号", ly["code"]),
        ("武鸣区双桥镇平福村5组13号", H("PF", 5, 13)["code"]),
        (f"广西南宁武鸣区起凤路{no(qf)}号", qf["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("灵源路", 300, "L"), fb("起凤路", 2350, "R")
    b3, b4 = fb("标营路", 1400, "L"), fb("仁和里", 180, "R", 10)
    b5, w2 = fb("香山路", 2800, "L"), H("WT", 2, 8)
    b6 = fb("府城街", 700, "L")
    by = door(1450, "R")
    absent("伏林村那汉屯30号")
    absent("太平镇那莲村40号")
    absent("学宫巷7号")
    for text, code in [
        (
            "No. 12, Nahan Tun, Fulin Village, Shuangqiao Town, Wuming District, Nanning",
            H("FL", 1, 12)["code"],
        ),
        (
            "No. 6, Nalang Tun, Linlu Village, Taiping Town, Wuming District, Nanning, Guangxi",
            H("LL", 1, 6)["code"],
        ),
        (
            "No. 13, Group 5, Pingfu Village, Shuangqiao Town, Wuming District",
            H("PF", 5, 13)["code"],
        ),
        (
            "No. 8, Group 2, Wentang Village, Taiping Town, Wuming District, Nanning",
            w2["code"],
        ),
        (
            "No. 128, Tuowan Village, Taiping Town, Wuming District, Nanning",
            H("TW", 0, 128)["code"],
        ),
        ("No. 21, Shuangqiao Village, Shuangqiao Town, Wuming District", H("SQ", 0, 21)["code"]),
        (
            "No. 9, Lulong Tun, Fufeng Village, Fucheng Town, Wuming District, Nanning",
            H("FF", 3, 9)["code"],
        ),
        ("No. 30, Nahan Tun, Fulin Village, Shuangqiao Town, Wuming District", None),
        (f"No. {no(b1)}, Lingyuan Road, Wuming District, Nanning", b1["code"]),
        (f"No. {no(b2)} Qifeng Road, Wuming District, Nanning, Guangxi", b2["code"]),
        (f"No. {no(b3)}, Biaoying Road, Wuming District", b3["code"]),
        (f"Building 2, No. {by} Minzhu Road, Wuming District, Nanning", "WMBYJYB2"),
        (f"No. {no(b4)}, Renhe Li, Wuming District, Nanning", b4["code"]),
        (f"No. {no(b6)}, Fucheng Street, Fucheng Town, Wuming District", b6["code"]),
        ("12号，那汉屯，伏林村，双桥镇，武鸣区，南宁市", H("FL", 1, 12)["code"]),
        (f"{no(w2)}号，二组，文塘村，太平镇，武鸣区", w2["code"]),
        (f"{no(b5)}号，香山路，武鸣区，南宁市", b5["code"]),
        ("5号，城隍巷，南宁市武鸣区", "WMCHX5"),
        ("7号，学宫巷，武鸣区", None),
        ("No. 40, Nalian Village, Taiping Town, Wuming District", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    bb, xs = fb("标营路", 200, "L"), fb("香山路", 1250, "R")
    t1, t2 = fb("灵源路", 2100, "L"), fb("起凤路", 100, "L")
    t3, t4 = fb("兴武大道", 2700, "R"), fb("民主路", 1000, "L")
    t5 = fb("新兴路", 1000, "R")
    for miss in ["灵源路999号", "起凤路7号", "仁和里50号", "伏林村那汉屯99号", "骑楼巷3号"]:
        absent(miss)
    absent("驮湾村200号")
    absent("文塘村七组3号")
    absent("伏林村那汉屯2号")
    for text, code in [
        (bb["address"], bb["code"]),
        (f"香山路{no(xs)}号", xs["code"]),
        ("武鸣区人民医院", code_of_alias("武鸣区人民医院")),
        ("武鸣高中", code_of_alias("武鸣高中")),
        ("城厢中学", code_of_alias("城厢中学")),
        ("双桥镇卫生院", code_of_alias("双桥镇卫生院")),
        ("平福村委会", code_of_alias("平福村委会")),
        ("香山苑2栋", "WMXSYB2"),
        ("永宁花园3号楼", "WMYNHYB3"),
        ("标营佳园1栋", "WMBYJYB1"),
        ("城隍巷9号", "WMCHX9"),
        ("武鸣区铁匠巷7号", "WMTJX7"),
        ("武鸣区太平镇驮湾村96号", H("TW", 0, 96)["code"]),
        ("双桥镇双桥村45号", H("SQ", 0, 45)["code"]),
        ("双桥镇伏林村委坛棍屯15号", H("FL", 5, 15)["code"]),
        (f"灵元路{no(t1)}号", t1["code"]),
        (f"武鸣区起风路{no(t2)}号", t2["code"]),
        (f"兴五大道{no(t3)}号", t3["code"]),
        (f"南宁市武鸣区民住路{no(t4)}号", t4["code"]),
        (f"新星路{no(t5)}号", t5["code"]),
        ("南宁市武鸣区灵源路999号", None),
        ("起凤路7号", None),
        ("仁和里50号", None),
        ("香山苑9栋", None),
        ("双桥镇伏林村那汉屯99号", None),
        ("武鸣区骑楼巷3号", None),
        ("太平镇驮湾村200号", None),
        ("武鸣区太平镇文塘村七组3号", None),
        ("伏林村那汉屯2号", None),
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


if __name__ == "__main__":
    write_all()
