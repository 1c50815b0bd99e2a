"""Write the place-description evaluation district: 黑龙江省哈尔滨市道里区.

    python bench/data/place_daoli/make_district.py

One grid tree in two parts: an urban core (兆麟街道, 尚志街道, with 街, 道街, 胡同, 小区 and 家园)
and a rural part (太平镇, 新发镇; east of the city in this layout, west of it in reality) with
行政村 whose houses are written by 屯 — `道里区太平镇红星村王家屯15号` — by 组 —
`道里区新发镇民乐村3组12号` — or numbered across the village — `道里区太平镇永丰村21号`. The
街道 / 镇 and the urban road names are 道里区's; the communities, villages, 屯, lanes, door
numbers, landmarks' positions and all geometry are ours: a layout in metres over a 5.2 km x 3 km
box, turned into WGS-84 around 126.60 E, 45.77 N.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. The files are read
back and checked at the end.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
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
LON0, LAT0 = 126.5665, 45.7565  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("230102", "道里区")
# an L: the city and 新发镇 end at x 4800, 太平镇 runs on to 5200 north of y 1500
DISTRICT_AREA = Polygon(
    [(0, 0), (4800, 0), (4800, 1500), (5200, 1500), (5200, 3000), (0, 3000), (0, 0)]
)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("230102002", "兆麟街道", (0, 1500, 2400, 3000), [("安静社区", "安静"), ("红霞社区", "红霞")]),
    ("230102004", "尚志街道", (0, 0, 2400, 1500), [("上游社区", "上游"), ("新阳社区", "新阳")]),
]

# rural towns: code, name, box, villages (name, key, width, micro-grid naming style)
# "tun": six micro-grids named after the 屯 (`红星村王家屯`); "zu": six named after the 组
# (`民乐村3组`); "plain": four plain micro-grids; "small": numbered across, two micro-grids.
RURAL = [
    (
        "230102101",
        "太平镇",
        (2400, 1500, 5200, 3000),
        [
            ("红星村", "HX", 1200, "tun"),
            ("东兴村", "DX", 800, "plain"),
            ("胜利村", "SLT", 400, "small"),
            ("永丰村", "YF", 400, "small"),
        ],
    ),
    (
        "230102102",
        "新发镇",
        (2400, 0, 4800, 1500),
        [
            ("民乐村", "ML", 1200, "zu"),
            ("新丰村", "XF", 800, "plain"),
            ("胜利村", "SLX", 400, "small"),
        ],
    ),
]
HX_TUN = ["王家屯", "李家屯", "张家屯", "刘家屯", "赵家屯", "孙家屯"]


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
        for vi, (v_name, key, width, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
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
            cols = width // 400
            for gi in range(2):
                gs, gn = s + gi * 750, s + (gi + 1) * 750
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (vb[0], gs, vb[2], gn)
                FEATURES.append(
                    feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
                )
                for mi in range(cols):
                    mb = (vb[0] + mi * 400, gs, vb[0] + (mi + 1) * 400, gn)
                    m = gi * cols + mi + 1
                    if style == "tun":
                        name = f"{v_name}{HX_TUN[m - 1]}"
                    elif style == "zu":
                        name = f"{v_name}{m}组"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, x1, _n = VILLAGE_BOX[key]
    cols = int(x1 - x0) // 400
    g, c = divmod(m - 1, cols)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("尚志大街", "arterial", [(1200, 0), (1200, 3000)]),
    ("经纬街", "arterial", [(800, 0), (800, 3000)]),
    ("友谊路", "arterial", [(0, 1500), (2400, 1500)]),
    ("新阳路", "arterial", [(0, 1000), (3400, 1000)]),
    ("西十二道街", "secondary", [(0, 2000), (2400, 2000)]),
    ("中央大街", "secondary", [(1800, 1500), (1800, 3000)]),
    ("上游街", "arterial", [(0, 400), (2400, 400)]),
    ("城乡路", "arterial", [(2400, 0), (2400, 3000)]),
    ("安静街", "secondary", [(300, 1550), (300, 2950)]),
    ("地段街", "branch", [(1400, 2150), (1400, 1850), (1700, 1850), (1700, 2150)]),
    ("石头道街", "secondary", [(1200, 2600), (2400, 2600)]),
    # 胡同 in the road file
    ("红霞胡同", "branch", [(500, 2100), (500, 2400)]),
    ("东风胡同", "branch", [(1300, 2700), (1550, 2700)]),
    ("安平胡同", "branch", [(1000, 1100), (1000, 1400)]),
    ("民安胡同", "branch", [(1650, 300), (1950, 300)]),
    ("通达胡同", "branch", [(2200, 1600), (2200, 1900)]),
    ("永安胡同", "branch", [(100, 600), (350, 600)]),
    # the rural part (太平镇, 新发镇)
    ("机场路", "arterial", [(2400, 1500), (4800, 1500)]),
    ("哈肇公路", "arterial", [(2400, 400), (4800, 400)]),
    ("太兴街", "secondary", [(2400, 2600), (5100, 2600)]),
    ("太新公路", "secondary", [(4400, 0), (4400, 3000)]),
    ("新发大街", "secondary", [(3700, 1150), (4350, 1150)]),
    ("红星路", "branch", [(3000, 1600), (3000, 2900)]),
    ("民乐路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("新丰路", "branch", [(3800, 100), (3800, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "道里区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "尚志大街": "SZDJ",
    "经纬街": "JWJ",
    "友谊路": "YYL",
    "新阳路": "XYL",
    "西十二道街": "X12",
    "中央大街": "ZYDJ",
    "上游街": "SYJ",
    "城乡路": "CXL",
    "安静街": "AJJ",
    "地段街": "DDJ",
    "石头道街": "STDJ",
    "红霞胡同": "HXHT",
    "东风胡同": "DFHT",
    "安平胡同": "APHT",
    "民安胡同": "MAHT",
    "通达胡同": "TDHT",
    "永安胡同": "YAHT",
    "哈肇公路": "HZGL",
    "太兴街": "TXJ",
    "新发大街": "XFDJ",
    "建国胡同": "JGHT",
    "爱国胡同": "AGHT",
    "跃进胡同": "YJHT",
    "铁路胡同": "TLHT",
    "红砖胡同": "HZHT",
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
        add(f"DL{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"DL{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 胡同 known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"DL{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(gate: str, name: str, code: str, spots):
    """A 小区 / 家园 behind a gate door: its 栋 (also said 号楼)."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{CITY}{gate}{name}{k}栋",
            x,
            y,
            [f"{name}{k}栋", f"{name}{k}号楼"],
            compound=name,
        )


TOWN_OF = {"HX": "太平镇", "DX": "太平镇", "SLT": "太平镇", "YF": "太平镇"}
TOWN_OF |= {"ML": "新发镇", "XF": "新发镇", "SLX": "新发镇"}
VILLAGE_OF = {"HX": "红星村", "DX": "东兴村", "SLT": "胜利村", "YF": "永丰村"}
VILLAGE_OF |= {"ML": "民乐村", "XF": "新丰村", "SLX": "胜利村"}
ZU_STYLE = {"ML": "ar", "DX": "cn"}  # 民乐村3组, 东兴村三组
XF_TUN = ["前屯", "后屯", "李家窝棚", "新立屯", "腰屯"]
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def group_text(key: str, grp: int) -> str:
    if key == "HX":
        return HX_TUN[grp - 1]
    if key == "XF":
        return XF_TUN[grp - 1]
    return f"{CN[grp]}组" if ZU_STYLE[key] == "cn" else f"{grp}组"


def rural_houses(key: str, grp: int | None, centre, numbers, aliases=None):
    """Houses of a 组 / 屯 (grp) or of a village numbered across (grp None) around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        gt = group_text(key, grp) if grp else ""
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{gt}{n}号"
        add(
            f"DL{key}{grp or 0:02d}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            grp=gt or None,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "尚志大街",
        [
            (300, "L", []),
            (700, "R", ["尚志派出所"]),
            (1100, "L", ["工商银行尚志支行", "工行尚志支行"]),
            (1700, "R", ["尚志大街地铁站"]),
            (2100, "L", ["哈尔滨市第三中学", "哈三中"]),
            (2500, "R", ["兆麟小学"]),
            (2850, "L", []),
        ],
    )
    frontage(
        "经纬街",
        [
            (200, "R", []),
            (600, "L", ["经纬街菜市场"]),
            (1250, "R", []),
            (2150, "L", ["安静小区东门"]),
            (2400, "R", ["哈尔滨市第一医院", "市一院"]),
            (2800, "L", []),
        ],
    )
    frontage(
        "友谊路",
        [
            (150, "L", []),
            (600, "R", []),
            (1000, "L", ["建设银行友谊路支行", "建行友谊路支行"]),
            (1500, "R", ["友谊宫"]),
            (2100, "L", []),
            (2300, "R", []),
        ],
    )
    frontage(
        "新阳路",
        [
            (200, "L", []),
            (650, "R", []),
            (1400, "L", []),
            (1700, "R", ["新阳社区居委会"]),
            (1850, "R", ["新阳路地铁站"]),
            (2950, "L", ["新阳路加油站"]),
            (3300, "R", []),
        ],
    )
    frontage(
        "西十二道街",
        [
            (100, "L", []),
            (550, "R", ["安静社区居委会"]),
            (600, "L", ["安静小区南门"]),
            (1000, "L", []),
            (1450, "R", ["兆麟派出所"]),
            (1900, "L", ["中央大街地铁站"]),
            (2250, "L", ["邮储银行西十二道街支行", "邮储西十二道街支行"]),
            (2350, "R", []),
        ],
    )
    frontage(
        "中央大街",
        [
            (100, "L", []),
            (400, "R", ["红霞社区居委会"]),
            (620, "R", ["友谊家园"]),
            (880, "L", ["马迭尔宾馆"]),
            (1000, "R", []),
            (1440, "L", ["防洪纪念塔", "防洪胜利纪念塔"]),
        ],
    )
    frontage(
        "石头道街",
        [
            (200, "L", []),
            (450, "R", ["圣索菲亚大教堂", "索菲亚教堂"]),
            (900, "L", []),
            (1100, "R", []),
        ],
    )
    frontage(
        "上游街",
        [
            (150, "L", []),
            (500, "R", ["上游社区居委会"]),
            (1000, "L", ["上游家园"]),
            (1450, "R", ["农业银行上游街支行", "农行上游街支行"]),
            (1900, "L", ["道里区中医院"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "城乡路", [(500, "L", []), (1200, "R", []), (2200, "L", ["城乡路早市"]), (2700, "R", [])]
    )
    frontage("安静街", [(100, "L", []), (400, "R", ["安静街早市"]), (1100, "R", [])])
    frontage("地段街", [(450, "R", ["地段街菜市场"])])
    # 胡同 of the road file
    frontage("红霞胡同", [(50, "L", []), (250, "R", [])], step=10)
    frontage("东风胡同", [(40, "L", []), (180, "R", [])], step=10)
    frontage("安平胡同", [(60, "L", []), (220, "R", [])], step=10)
    frontage("民安胡同", [(50, "L", []), (250, "R", [])], step=10)
    frontage("通达胡同", [(30, "L", []), (200, "R", [])], step=10)
    frontage("永安胡同", [(40, "R", []), (200, "L", [])], step=10)
    # 胡同 in no road file
    lane_houses("建国胡同", [(2, 600, 2800), (5, 640, 2812), (9, 680, 2800)])
    lane_houses("爱国胡同", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("跃进胡同", [(1, 2150, 2350), (6, 2160, 2410), (10, 2150, 2470)])
    lane_houses("铁路胡同", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("红砖胡同", [(2, 1170, 2300), (5, 1230, 2300), (8, 1240, 2360)])
    # 小区 / 家园: a gate door with the compound's name, and its 栋
    compound(
        f"西十二道街{door(600, 'L')}号",
        "安静小区",
        "DLAJXQ",
        [(480, 2100), (560, 2100), (640, 2100), (480, 2180), (560, 2180)],
    )
    compound(
        f"中央大街{door(620, 'R')}号",
        "友谊家园",
        "DLYYJY",
        [(1850, 2080), (1930, 2080), (1850, 2160), (1930, 2160)],
    )
    compound(
        f"上游街{door(1000, 'L')}号", "上游家园", "DLSYJY", [(950, 480), (1050, 480), (950, 560)]
    )
    # the towns' main roads
    frontage(
        "太兴街",
        [
            (300, "L", []),
            (900, "R", ["太平镇卫生院"]),
            (1400, "L", ["太平镇中心小学"]),
            (1900, "R", ["农商银行太平支行", "太平农商行"]),
            (2300, "L", ["太平派出所"]),
            (2650, "R", ["太平镇政府"]),
        ],
        prefix=CITY + "太平镇",
    )
    frontage(
        "新发大街",
        [
            (100, "L", ["新发镇卫生院"]),
            (200, "R", ["新发派出所"]),
            (450, "L", ["邮储银行新发支行", "邮储新发支行"]),
            (600, "R", ["新发镇中学"]),
        ],
        prefix=CITY + "新发镇",
    )
    frontage("哈肇公路", [(500, "L", ["哈肇公路加油站"]), (2100, "R", [])])
    c = micro_centre
    # 太平镇: 红星村, six 屯 in six micro-grids named after them
    for t in range(1, 7):
        al = {9: ["红星村委会", "红星村村委会"]} if t == 2 else None
        rural_houses("HX", t, c("HX", t), [3, 9, 15] if t in (1, 2, 5) else [4, 11], al)
    # 东兴村 (plain micro-grids, 一组 … 五组; 五组 lies across four)
    rural_houses("DX", 1, c("DX", 1), [2, 6, 9])
    rural_houses("DX", 2, c("DX", 2), [1, 8, 12], {8: ["东兴村委会"]})
    rural_houses("DX", 3, c("DX", 3), [3, 7, 14])
    rural_houses("DX", 4, c("DX", 4), [4, 10])
    rural_houses("DX", 5, (4000, 2250), [5, 11, 16])
    # 新发镇: 民乐村, 1组 … 6组 in micro-grids named after them
    for zu in range(1, 7):
        al = {7: ["民乐村委会", "民乐村村委会"]} if zu == 5 else None
        rural_houses("ML", zu, c("ML", zu), [1, 7, 12] if zu in (2, 3, 5) else [4, 9], al)
    # 新丰村 (plain micro-grids, 屯; 腰屯 lies across)
    rural_houses("XF", 1, c("XF", 1), [3, 6, 11])
    rural_houses("XF", 2, c("XF", 2), [2, 8], {8: ["新丰村委会"]})
    rural_houses("XF", 3, (3750, 1260), [5, 9, 13])
    rural_houses("XF", 4, c("XF", 4), [1, 4, 10])
    rural_houses("XF", 5, (4000, 760), [7, 12])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("SLT", None, (4600, 1900), [8, 36, 57, 102], {57: ["太平镇胜利村村委会"]})
    rural_houses("YF", None, (5000, 1950), [6, 21, 45, 88, 131], {21: ["永丰村卫生室"]})
    rural_houses("SLX", None, (4600, 560), [11, 36, 74, 129], {74: ["新发镇胜利村村委会"]})


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
    """The strip 2-30 m from the road's centreline on the named side (路东 / 道北 / …)."""
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


def houses(town=None, village=None, grp=None, road=None):
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
        if grp is not None and b["grp"] != grp:
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
    if kind == "grp":  # ("grp", town or None, village, 组 / 屯 as written in the addresses)
        hs = houses(town=spec[1], village=spec[2], grp=spec[3])
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


def GRP(village, grp, town=None):
    """A 组 or 屯, written as the addresses write it (`3组`, `三组`, `王家屯`)."""
    return ("grp", town, village, grp)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, grp, n):  # a rural house (grp 0: a village numbered across)
    return BY_CODE[f"DL{key}{grp:02d}{n:03d}"]


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
    q(x, "中央大街与西十二道街交口有人摆摊卖冰棍", X("中央大街", "西十二道街"))
    q(x, "中央大街西十二道街交叉口东北角井盖缺失", X("中央大街", "西十二道街", "东北"))
    q(x, "中央大街和石头道街十字路口游客太多堵了", X("中央大街", "石头道街"))
    q(x, "中央大街石头道街交叉口西南角垃圾箱满了", X("中央大街", "石头道街", "西南"))
    q(
        x,
        "中央大街、西十二道街路口往北200米面包石松动了",
        X("中央大街", "西十二道街", None, ("北", 200, "exact")),
    )
    q(x, "安静街与西十二道街交口冬天冰溜子没人刨", X("安静街", "西十二道街"))
    q(
        x,
        "安静街、西十二道街路口往南50米有个大坑",
        X("安静街", "西十二道街", None, ("南", 50, "exact")),
    )
    q(x, "尚志大街与西十二道街十字路口红绿灯坏了", X("尚志大街", "西十二道街"))
    q(x, "尚志大街西十二道街交叉口东北角有人摆摊", X("尚志大街", "西十二道街", "东北"))
    q(x, "尚志大街新阳路交叉口西南角有人烧纸", X("尚志大街", "新阳路", "西南"))
    q(x, "尚志大街与新阳路交口车辆乱停", X("尚志大街", "新阳路"))
    q(
        x,
        "尚志大街、新阳路路口往东30米人行道塌了",
        X("尚志大街", "新阳路", None, ("东", 30, "exact")),
    )
    q(x, "经纬街与新阳路交口渣土车撒漏", X("经纬街", "新阳路"))
    q(x, "经纬街新阳路交叉口东南角共享单车乱放", X("经纬街", "新阳路", "东南"))
    q(x, "经纬街与友谊路交叉口路灯不亮", X("经纬街", "友谊路"))
    q(x, "经纬街友谊路交叉口西北角有违章广告牌", X("经纬街", "友谊路", "西北"))
    q(x, "中央大街与友谊路交口有人发小广告", X("中央大街", "友谊路"))
    q(x, "中央大街友谊路交叉口东北角有人拉客", X("中央大街", "友谊路", "东北"))
    q(x, "上游街与新阳路交叉口下水道冒水", X("上游街", "新阳路"))
    q(x, "地段街与西十二道街交口积水严重", X("地段街", "西十二道街"))
    q(x, "安静街和友谊路十字路口有人倒垃圾", X("安静街", "友谊路"))
    q(x, "城乡路新阳路交叉口东北角有人倾倒垃圾", X("城乡路", "新阳路", "东北"))
    q(x, "城乡路与太兴街交口信号灯故障", X("城乡路", "太兴街"))
    q(x, "太兴街与红星路交口有人晒粮食占道", X("太兴街", "红星路"))
    q(
        x,
        "太兴街、红星路路口往北100米有死狗",
        X("太兴街", "红星路", None, ("北", 100, "exact")),
    )
    q(x, "太兴街太新公路交叉口西南角堆了建筑垃圾", X("太兴街", "太新公路", "西南"))
    q(x, "哈肇公路与民乐路交口有人焚烧秸秆", X("哈肇公路", "民乐路"))
    q(
        x,
        "哈肇公路、新丰路路口往东30米路面塌陷",
        X("哈肇公路", "新丰路", None, ("东", 30, "exact")),
    )
    q(x, "新发大街与新丰路交口早上堵车", X("新发大街", "新丰路"))
    q(x, "新发大街与太新公路交叉口有人摆摊", X("新发大街", "太新公路"))
    q(x, "机场路与红星路交口有坑", X("机场路", "红星路"))
    q(x, "机场路太新公路交叉口东北角有人卖菜占道", X("机场路", "太新公路", "东北"))
    q(x, "民乐路与新阳路交叉口积水", X("民乐路", "新阳路"))
    q(x, "新丰路哈肇公路交叉口西北角有人倒垃圾", X("新丰路", "哈肇公路", "西北"))
    q(x, "石头道街与尚志大街交口有人卖烤苞米占道", X("石头道街", "尚志大街"))
    q(x, "太兴街和太新公路十字有大车乱停", X("太兴街", "太新公路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "哈三中向南大约150米道西有人占道",
        OFF(A("哈三中"), "南", 150, "about", ("尚志大街", "西")),
    )
    q(o, "兆麟小学往北走了三百来米，有个井盖没了", OFF(A("兆麟小学"), "北", 300, "about"))
    q(o, "马迭尔宾馆往北200米有人拉客", OFF(A("马迭尔宾馆"), "北", 200))
    q(o, "索菲亚教堂往西走一百多米有人乱扔烟头", OFF(A("索菲亚教堂"), "西", 100, "more"))
    q(o, "防洪纪念塔往南200米有人卖假冒纪念品", OFF(A("防洪纪念塔"), "南", 200))
    q(o, "防洪纪念塔往西300米左右护栏坏了", OFF(A("防洪纪念塔"), "西", 300, "about"))
    q(o, "友谊宫北侧100米路灯不亮", OFF(A("友谊宫"), "北", 100))
    q(o, "建行友谊路支行往南300米左右店铺油烟扰民", OFF(A("建行友谊路支行"), "南", 300, "about"))
    q(
        o,
        "新阳路地铁站往东约300米道南有车辆违停",
        OFF(A("新阳路地铁站"), "东", 300, "about", ("新阳路", "南")),
    )
    q(o, "新阳社区居委会向西200米有堆放的杂物", OFF(A("新阳社区居委会"), "西", 200))
    q(o, "安静社区居委会往北100米有人遛狗不牵绳", OFF(A("安静社区居委会"), "北", 100))
    q(o, "兆麟派出所往东走了两百来米，路面破损", OFF(A("兆麟派出所"), "东", 200, "about"))
    q(o, "兆麟派出所以西约500米有人占道卖菜", OFF(A("兆麟派出所"), "西", 500, "about"))
    q(o, "工行尚志支行往南300米有人私搭乱建", OFF(A("工行尚志支行"), "南", 300))
    q(
        o,
        "市一院向南大约150米道东有违停车辆",
        OFF(A("市一院"), "南", 150, "about", ("经纬街", "东")),
    )
    q(o, "市一院往北100米道东人行道被占", OFF(A("市一院"), "北", 100, side=("经纬街", "东")))
    q(
        o,
        "经纬街菜市场往南150米道西有共享单车堆放",
        OFF(A("经纬街菜市场"), "南", 150, side=("经纬街", "西")),
    )
    q(o, "经纬街菜市场往北约1公里有人私搭乱建", OFF(A("经纬街菜市场"), "北", 1000, "about"))
    q(o, "上游社区居委会往东走了三百来米有人烧落叶", OFF(A("上游社区居委会"), "东", 300, "about"))
    q(o, "上游社区居委会以西约150米下水道堵了", OFF(A("上游社区居委会"), "西", 150, "about"))
    q(
        o,
        "上游家园大门往东100米道南井盖缺失",
        OFF(A("上游家园"), "东", 100, side=("上游街", "南")),
    )
    q(o, "道里区中医院往南约200米有人乱贴小广告", OFF(A("道里区中医院"), "南", 200, "about"))
    q(o, "友谊家园往北50米垃圾没人清", OFF(A("友谊家园"), "北", 50))
    q(o, "安静小区南门往西走了三百来米，路灯杆歪了", OFF(A("安静小区南门"), "西", 300, "about"))
    q(
        o,
        "太平镇卫生院往东约200米道南有人倒渣土",
        OFF(A("太平镇卫生院"), "东", 200, "about", ("太兴街", "南")),
    )
    q(o, "太平镇中心小学往西走了三百来米有人焚烧秸秆", OFF(A("太平镇中心小学"), "西", 300, "about"))
    q(o, "太平派出所往东200米有人占道晒苞米", OFF(A("太平派出所"), "东", 200))
    q(o, "新发镇卫生院往南大约300米有人私挖鱼塘", OFF(A("新发镇卫生院"), "南", 300, "about"))
    q(o, "新发派出所往东400米路面塌陷", OFF(A("新发派出所"), "东", 400))
    q(o, "新发镇中学往北约500米有人烧垃圾", OFF(A("新发镇中学"), "北", 500, "about"))
    q(
        o,
        "哈肇公路加油站往东150米道北有人倾倒垃圾",
        OFF(A("哈肇公路加油站"), "东", 150, side=("哈肇公路", "北")),
    )
    q(o, "红星村委会往北约300米有人私建猪圈", OFF(A("红星村委会"), "北", 300, "about"))
    q(o, "新发镇胜利村村委会往南1公里有人电鱼", OFF(A("新发镇胜利村村委会"), "南", 1000))
    q(
        o,
        "中央大街与西十二道街交口往东100米道北，商户占道",
        OFF(XO("中央大街", "西十二道街"), "东", 100, side=("西十二道街", "北")),
    )
    q(
        o,
        "太兴街与红星路交口以东约400米道南有垃圾堆",
        OFF(XO("太兴街", "红星路"), "东", 400, "about", ("太兴街", "南")),
    )
    q(o, "索菲亚教堂往北约500米有人钓鱼", OFF(A("索菲亚教堂"), "北", 500, "about"))
    q(o, "哈尔滨站往西100米有人拉黑车", OFF(("none",), "西", 100))
    q(o, "道里区第二医院往东200米有人占道", OFF(("none",), "东", 200))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("红霞胡同路灯坏了好几天了", "红霞胡同"),
        ("来电人反映东风胡同里有车辆长期占道", "东风胡同"),
        ("安平胡同下水道堵了，污水冻成冰了", "安平胡同"),
        ("民安胡同有人养狗扰民", "民安胡同"),
        ("通达胡同的路面坑坑洼洼", "通达胡同"),
        ("永安胡同垃圾几天没人收", "永安胡同"),
        ("建国胡同有人半夜装修", "建国胡同"),
        ("市民称爱国胡同里面电线乱拉", "爱国胡同"),
        ("跃进胡同化粪池满了往外冒", "跃进胡同"),
        ("铁路胡同 有人占用消防通道", "铁路胡同"),
        ("红砖胡同路面结冰，老人出行困难", "红砖胡同"),
        ("兴隆胡同有人半夜施工", "兴隆胡同"),
        ("和平胡同路灯不亮", "和平胡同"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (a 组 or 屯 named with its village) -----------------------------------------
    g = "group"
    q(g, "民乐村3组有人焚烧秸秆", GRP("民乐村", "3组"))
    q(g, "民乐村五组有人在地头烧垃圾", GRP("民乐村", "5组"))
    q(g, "新发镇民乐村第一村民小组有人违建", GRP("民乐村", "1组", "新发镇"))
    q(g, "道里区新发镇民乐村6组自来水停了", GRP("民乐村", "6组", "新发镇"))
    q(g, "东兴村二组路灯不亮", GRP("东兴村", "二组"))
    q(g, "东兴村4组有人私挖鱼塘", GRP("东兴村", "四组"))
    q(g, "太平镇东兴村第3村民小组有人偷倒建筑垃圾", GRP("东兴村", "三组", "太平镇"))
    q(g, "东兴村五组垃圾没人收", GRP("东兴村", "五组"))
    q(g, "红星村王家屯有人放养的狗咬人", GRP("红星村", "王家屯"))
    q(g, "太平镇红星村李家屯排水沟堵塞", GRP("红星村", "李家屯", "太平镇"))
    q(g, "红星村孙家屯有人私搭乱建", GRP("红星村", "孙家屯"))
    q(g, "太平红星村赵家屯有人在道边晒粮", GRP("红星村", "赵家屯", "太平镇"))
    q(g, "新丰村前屯有人在河边洗车", GRP("新丰村", "前屯"))
    q(g, "新发镇新丰村李家窝棚路面塌陷", GRP("新丰村", "李家窝棚", "新发镇"))
    q(g, "新丰村腰屯有人焚烧垃圾", GRP("新丰村", "腰屯"))
    q(g, "民乐村八组有人烧秸秆", GRP("民乐村", "8组"))
    q(g, "太平镇民乐村2组有人违建", GRP("民乐村", "2组", "太平镇"))
    q(g, "胜利村2组有人私拉电线", GRP("胜利村", "2组"))
    q(g, "红星村前屯有人烧荒", GRP("红星村", "前屯"))

    # --- village (a 行政村 named alone, or with its town) ----------------------------------
    v = "village"
    q(v, "永丰村有人烧秸秆，烟很大", VIL("永丰村"))
    q(v, "太平镇永丰村路灯不亮", VIL("永丰村", "太平镇"))
    q(v, "道里区太平镇永丰村有人占用耕地建房", VIL("永丰村", "太平镇"))
    q(v, "太平镇胜利村有人私拉电网捕鱼", VIL("胜利村", "太平镇"))
    q(v, "太平胜利村狗咬人", VIL("胜利村", "太平镇"))
    q(v, "新发镇胜利村自来水停了", VIL("胜利村", "新发镇"))
    q(v, "新发胜利村路面塌陷", VIL("胜利村", "新发镇"))
    q(v, "哈尔滨市道里区新发镇胜利村有人往河套里倒垃圾", VIL("胜利村", "新发镇"))
    q(v, "胜利村有人私建猪圈", VIL("胜利村"))
    q(v, "红星村垃圾堆放", VIL("红星村"))
    q(v, "民乐村有人电鱼", VIL("民乐村"))
    q(v, "东兴村排水沟堵了", VIL("东兴村"))
    q(v, "新丰村有人砍伐树木", VIL("新丰村"))
    q(v, "新发镇永丰村有人焚烧秸秆", VIL("永丰村", "新发镇"))
    q(v, "太平镇民乐村有人违建", VIL("民乐村", "太平镇"))
    q(v, "前进村有人烧荒", VIL("前进村"))
    q(v, "新发镇红星村有人私占河套", VIL("红星村", "新发镇"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "新阳社区居委会门口有人乱停车", NEAR("新阳社区居委会"))
    q(n, "新阳路加油站旁边有人卖散装汽油", NEAR("新阳路加油站"))
    q(n, "安静社区居委会附近有人遛狗不拴绳", NEAR("安静社区居委会"))
    q(n, "兆麟派出所对面的人行道被占", NEAR("兆麟派出所"))
    q(n, "邮储西十二道街支行门口有垃圾", NEAR("邮储西十二道街支行"))
    q(n, "友谊家园附近施工扰民", NEAR_COMPOUND("友谊家园", ["友谊家园"]))
    q(
        n,
        "安静小区周边夜里广场舞声音大",
        NEAR_COMPOUND("安静小区", ["安静小区东门", "安静小区南门"]),
    )
    q(n, "安静小区南门旁边堆满了杂物", NEAR("安静小区南门"))
    q(n, "上游家园附近路灯不亮", NEAR_COMPOUND("上游家园", ["上游家园"]))
    q(n, "哈三中门口有流动摊贩，影响学生上学", NEAR("哈三中"))
    q(n, "市一院对面有人发小广告", NEAR("市一院"))
    q(n, "马迭尔宾馆旁边有人卖假冰棍", NEAR("马迭尔宾馆"))
    q(n, "索菲亚教堂门口有人强行拍照收费", NEAR("索菲亚教堂"))
    q(n, "防洪纪念塔附近有人乱扔垃圾", NEAR("防洪纪念塔"))
    q(n, "太平镇卫生院门口有人摆摊", NEAR("太平镇卫生院"))
    q(n, "新发派出所附近有人打架", NEAR("新发派出所"))
    q(n, "新发镇中学门口早上堵车", NEAR("新发镇中学"))
    q(n, "红星村委会旁边有人焚烧垃圾", NEAR("红星村委会"))
    q(n, "永丰村卫生室隔壁有个水泡子没有护栏", NEAR("永丰村卫生室"))
    q(n, "太平镇胜利村村委会对面的路灯不亮", NEAR("太平镇胜利村村委会"))
    q(n, "工行尚志支行门口有共享单车堆放", NEAR("工行尚志支行"))
    q(n, "尚志大街地铁站旁边有黑车拉客", NEAR("尚志大街地铁站"))
    q(n, "道里区第三医院门口有人乱停车", ("near", []))
    q(n, "哈尔滨站北广场旁边有人拉黑车", ("near", []))
    q(n, "太平镇敬老院附近有人烧垃圾", ("near", []))

    # --- other_county (哈尔滨's other 县级 units in front of our addresses) -----------------
    oc = "other_county"
    sz, xy = fb("尚志大街", 2850, "L"), fb("西十二道街", 1000, "L")
    for text, code in [
        ("南岗区新发镇民乐村3组12号", None),
        ("哈尔滨市道外区太平镇红星村王家屯15号", None),
        ("香坊区太平镇东兴村四组10号", None),
        ("黑龙江省哈尔滨市松北区新发镇胜利村36号", None),
        (f"阿城区尚志大街{no(sz)}号", None),
        ("双城区新发镇民乐村5组12号", None),
        (f"呼兰区西十二道街{no(xy)}号", None),
        ("黑龙江省哈尔滨市道里区新发镇民乐村3组12号", H("ML", 3, 12)["code"]),
        ("道里区太平镇红星村王家屯15号", H("HX", 1, 15)["code"]),
        ("哈尔滨市道里区太平镇东兴村四组10号", H("DX", 4, 10)["code"]),
        ("新发镇胜利村36号", H("SLX", 0, 36)["code"]),
        (f"哈尔滨市道里区尚志大街{no(sz)}号", sz["code"]),
        ("道里区新发镇民乐村5组12号", H("ML", 5, 12)["code"]),
        (f"道里区西十二道街{no(xy)}号", xy["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("经纬街", 200, "R"), fb("西十二道街", 2350, "R")
    b3, b4 = fb("友谊路", 2100, "L"), fb("红霞胡同", 250, "R", 10)
    b5, d3 = fb("上游街", 2250, "R"), H("DX", 3, 14)
    yy = door(620, "R")
    absent("民乐村3组30号")
    absent("太平镇胜利村200号")
    absent("爱国胡同7号")
    for text, code in [
        ("No. 89, Zhongyang Street, Daoli District, Harbin", code_of_alias("马迭尔宾馆")),
        (
            "No. 15, Wangjiatun, Hongxing Village, Taiping Town, Daoli District, Harbin",
            H("HX", 1, 15)["code"],
        ),
        ("No. 12, Group 3, Minle Village, Xinfa Town, Daoli District", H("ML", 3, 12)["code"]),
        (
            "No. 8, Group 2, Dongxing Village, Taiping Town, Daoli District, Harbin, Heilongjiang",
            H("DX", 2, 8)["code"],
        ),
        ("No. 36, Shengli Village, Xinfa Town, Daoli District, Harbin", H("SLX", 0, 36)["code"]),
        ("No. 21, Yongfeng Village, Taiping Town, Daoli District", H("YF", 0, 21)["code"]),
        ("No. 30, Group 3, Minle Village, Xinfa Town, Daoli District", None),
        ("No. 200, Shengli Village, Taiping Town, Daoli District", None),
        (f"No. {no(b1)}, Jingwei Street, Daoli District, Harbin", b1["code"]),
        (f"No. {no(b2)} Xishierdao Street, Daoli District, Harbin, Heilongjiang", b2["code"]),
        (f"No. {no(b3)}, Youyi Road, Daoli District", b3["code"]),
        (f"Building 3, Youyi Jiayuan, No. {yy} Zhongyang Street, Daoli District", "DLYYJYB3"),
        (f"No. {no(b4)}, Hongxia Hutong, Daoli District, Harbin", b4["code"]),
        ("15号，王家屯，红星村，太平镇，道里区，哈尔滨市", H("HX", 1, 15)["code"]),
        (f"{no(d3)}号，三组，东兴村，太平镇，道里区", d3["code"]),
        (f"{no(b5)}号，上游街，道里区，哈尔滨市", b5["code"]),
        ("501室，2单元，2栋，上游家园，道里区", "DLSYJYB2"),
        ("7号，爱国胡同，道里区", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 3, Minle Village, Xinfa Town, Daoli District", GRP("民乐村", "3组", "新发镇"))
    q(
        e,
        "Lijiatun, Hongxing Village, Taiping Town, Daoli District",
        GRP("红星村", "李家屯", "太平镇"),
    )
    q(e, "Group 5, Dongxing Village, Taiping Town, Daoli District", GRP("东兴村", "五组", "太平镇"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    xa, jw = fb("新阳路", 200, "L"), fb("经纬街", 1250, "R")
    t1, t2 = fb("中央大街", 100, "L"), fb("经纬街", 2800, "L")
    t3, t4 = fb("尚志大街", 300, "L"), fb("西十二道街", 100, "L")
    t5, t6 = fb("友谊路", 600, "R"), fb("新阳路", 3300, "R")
    for miss in ["中央大街999号", "东风胡同50号", "民乐村3组99号", "铁路胡同3号"]:
        absent(miss)
    absent(f"西十二道街{no(b2) + 2}号")
    absent("太平镇永丰村200号")
    absent("东兴村六组3号")
    absent("上游家园9栋")
    absent("友谊家园5栋")
    for text, code in [
        (xa["address"], xa["code"]),
        (f"经纬街{no(jw)}号", jw["code"]),
        ("马迭尔宾馆", code_of_alias("马迭尔宾馆")),
        ("圣索菲亚大教堂", code_of_alias("圣索菲亚大教堂")),
        ("防洪纪念塔", code_of_alias("防洪纪念塔")),
        ("哈尔滨市第三中学", code_of_alias("哈三中")),
        ("太平镇卫生院", code_of_alias("太平镇卫生院")),
        ("民乐村委会", code_of_alias("民乐村委会")),
        ("友谊家园2栋3单元502室", "DLYYJYB2"),
        ("安静小区3号楼", "DLAJXQB3"),
        (f"道里区西十二道街{no(b2)}号2单元301室", b2["code"]),
        ("建国胡同9号", "DLJGHT9"),
        ("道里区跃进胡同6号", "DLYJHT6"),
        ("道里区太平镇永丰村88号", H("YF", 0, 88)["code"]),
        ("太平镇胜利村36号", H("SLT", 0, 36)["code"]),
        (f"中秧大街{no(t1)}号", t1["code"]),
        (f"道里区经伟街{no(t2)}号", t2["code"]),
        (f"上志大街{no(t3)}号", t3["code"]),
        (f"哈尔滨市道里区西十二到街{no(t4)}号", t4["code"]),
        (f"友义路{no(t5)}号", t5["code"]),
        (f"新洋路{no(t6)}号", t6["code"]),
        ("哈尔滨市道里区中央大街999号", None),
        (f"西十二道街{no(b2) + 2}号", None),
        ("东风胡同50号", None),
        ("上游家园9栋1单元101室", None),
        ("友谊家园5栋", None),
        ("新发镇民乐村3组99号", None),
        ("胜利村36号", None),
        ("道里区太平镇永丰村200号", None),
        ("道里区太平镇东兴村六组3号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all() -> list[tuple[str, str, str | None, str | None]]:
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
    rows = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        if micro is not None and spec[0] != "bld":
            rows.append((kind, text, micro, spec))
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
    total = len(lines)
    refuse = sum(v for (_k, pos), v in stats.items() if not pos)
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {total}")
    print(f"must refuse {refuse} ({100 * refuse / total:.0f} %)")
    return rows


# ---------------------------------------------------------------- read back and check
def check(place_rows) -> None:
    """Read the written files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    micro_polys = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    codes = {f["properties"]["code"] for f in grids["features"]}
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        bld = {r["code"]: r for r in csv.DictReader(fh)}
    addresses = Counter(r["address"] for r in bld.values())
    if max(addresses.values()) > 1:
        raise SystemExit("an address is written twice")
    for r in bld.values():
        if r["micro_grid_code"] not in micro_polys:
            raise SystemExit(f"{r['code']}: no micro-grid {r['micro_grid_code']}")
        p = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micro_polys.items() if poly.contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']}: lies in {hits}, written {r['micro_grid_code']}")
    n = 0
    with (HERE / "queries.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            n += 1
            exp, micro = item["expected"], item["micro_grid"]
            if exp is not None:
                if exp not in bld:
                    raise SystemExit(f"{item['query']}: no building {exp}")
                if bld[exp]["micro_grid_code"] != micro:
                    raise SystemExit(f"{item['query']}: building not in {micro}")
            if micro is not None and micro not in micro_polys:
                raise SystemExit(f"{item['query']}: no micro-grid {micro}")
    for _kind, text, micro, spec in place_rows:
        region = place_region(spec)
        hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
        if hits != [micro]:
            raise SystemExit(f"{text}: region in {hits}, written {micro}")
    print(f"checked {len(micro_polys)} micro-grids, {len(bld)} buildings, {n} queries")


if __name__ == "__main__":
    check(write_all())
