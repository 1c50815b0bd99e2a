"""Write the mixed place-description evaluation district: 湖北省孝感市孝南区.

    python bench/data/place_mixed/make_district.py

One grid tree in two parts: an urban core (书院、新华、广场街道, with roads, lanes and 小区) and
two rural towns (毛陈镇、朋兴乡, with 行政村, 村民小组 and 自然村 ending 湾 / 冲 / 垸 / 塆 / 坪 /
铺, a county road and township roads). The street and town names and the urban road names are
孝感's; the communities, villages, lanes, door numbers, landmarks' positions and all geometry
are ours: a layout in metres over a 6 km x 2.8 km box, turned into WGS-84 east of the city.

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
LON0, LAT0 = 113.9300, 30.9050  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("420902", "孝南区")
W, S, E, N = 0.0, 0.0, 6000.0, 2800.0
DISTRICT_AREA = box(W, S, E, N)

# urban streets: code, name, box, communities (name, short name), micro-grids per grid
STREETS = [
    (
        "420902001",
        "书院街道",
        (0, 1000, 2400, 2000),
        [("书院社区", "书院"), ("横街社区", "横街")],
        3,
    ),
    ("420902003", "广场街道", (0, 0, 2400, 1000), [("广场社区", "广场"), ("槐荫社区", "槐荫")], 3),
    (
        "420902002",
        "新华街道",
        (0, 2000, 2400, 2800),
        [("新华社区", "新华"), ("董永社区", "董永")],
        2,
    ),
]

# rural towns: code, name, box, villages (name, key, micro-grid naming style)
TOWNS = [
    (
        "420902101",
        "毛陈镇",
        (2400, 1400, 6000, 2800),
        [("邹岗村", "ZG", "cn_zu"), ("丰山村", "FS", "villager_group"), ("红星村", "HXM", "ar_zu")],
    ),
    (
        "420902201",
        "朋兴乡",
        (2400, 0, 6000, 1400),
        [("新河村", "XH", "plain"), ("朋兴村", "PX", "plain"), ("红星村", "HXP", "paired")],
    ),
]

CN = "零一二三四五六七八九"


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


def micro_name(village: str, style: str, m: int, g: int) -> str:
    if style == "cn_zu":
        return f"{village}{CN[m]}组"
    if style == "villager_group":
        return f"{village}第{m}村民小组"
    if style == "ar_zu":
        return f"{village}{m}组"
    if style == "paired":
        return [
            "",
            "红星村一二组",
            "红星村三组",
            "红星村四组",
            "红星村五六组",
            "红星村七组",
            "红星村八组",
        ][m]
    return f"{village}第{g}网格{(m - 1) % 3 + 1}号微网格"


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, communities, per_grid in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        w, s, e, n = sb
        for ci, (c_name, short) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            cw, ce = w + ci * (e - w) / 2, w + (ci + 1) * (e - w) / 2
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(box(cw, s, ce, n))))
            for gi in range(2):
                gs, gn = s + gi * (n - s) / 2, s + (gi + 1) * (n - s) / 2
                g_code = f"{c_code}{gi + 1:03d}"
                FEATURES.append(
                    feature(
                        g_code, f"{short}第{gi + 1}网格", "grid", c_code, geo(box(cw, gs, ce, gn))
                    )
                )
                step = (ce - cw) / per_grid
                for mi in range(per_grid):
                    mb = (cw + mi * step, gs, cw + (mi + 1) * step, gn)
                    m_code = f"{g_code}{mi + 1:03d}"
                    name = f"{short}第{gi + 1}网格{mi + 1}号微网格"
                    FEATURES.append(feature(m_code, name, "micro", g_code, geo(rect(mb))))
                    MICROS[m_code] = rect(mb)
                    MICRO_NAMES[m_code] = name
    for t_code, t_name, tb, villages in TOWNS:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        w, s, e, n = tb
        for vi, (v_name, key, style) in enumerate(villages):
            v_code = f"{t_code}{200 + vi + 1:03d}"
            vb = (w + vi * 1200, s, w + (vi + 1) * 1200, n)
            VILLAGE_BOX[key] = vb
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
            for gi in range(2):
                gs, gn = s + gi * 700, s + (gi + 1) * 700
                g_code = f"{v_code}{gi + 1:03d}"
                gb = (vb[0], gs, vb[2], gn)
                FEATURES.append(
                    feature(g_code, f"{v_name}第{gi + 1}网格", "grid", v_code, geo(rect(gb)))
                )
                for mi in range(3):
                    mb = (vb[0] + mi * 400, gs, vb[0] + (mi + 1) * 400, gn)
                    m = gi * 3 + mi + 1
                    m_code = f"{g_code}{mi + 1:03d}"
                    name = micro_name(v_name, style, m, gi + 1)
                    FEATURES.append(feature(m_code, name, "micro", g_code, geo(rect(mb))))
                    MICROS[m_code] = rect(mb)
                    MICRO_NAMES[m_code] = name


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 350 + 700 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("槐荫大道", "arterial", [(0, 1000), (3400, 1000)]),
    ("北京路", "arterial", [(1200, 0), (1200, 2800)]),
    ("长征路", "arterial", [(0, 2000), (2400, 2000)]),
    ("城站路", "secondary", [(600, 200), (600, 1900)]),
    ("交通大道", "arterial", [(2000, 0), (2000, 2800)]),
    ("书院街", "secondary", [(0, 1500), (1200, 1500)]),
    ("广场街", "secondary", [(200, 650), (2400, 650)]),
    ("文化路", "secondary", [(1800, 0), (1800, 2000)]),
    ("府前街", "branch", [(1650, 300), (1950, 300), (1950, 850), (1650, 850)]),
    ("董永路", "secondary", [(0, 2300), (2400, 2300)]),
    ("澴河东路", "arterial", [(2400, 0), (2400, 2800)]),
    # lanes in the road file
    ("马家巷", "branch", [(200, 1200), (200, 1480)]),
    ("后湖巷", "branch", [(900, 1500), (900, 1850)]),
    ("董永里", "branch", [(1400, 2300), (1400, 2700)]),
    ("槐荫里", "branch", [(1450, 820), (1450, 1000)]),
    ("仁和巷", "branch", [(2100, 1100), (2300, 1100)]),
    ("西湖巷", "branch", [(300, 2450), (300, 2750)]),
    ("邓家巷", "branch", [(1000, 100), (1000, 450)]),
    # the towns
    ("县道X012", "secondary", [(2400, 1400), (6000, 1400)]),
    ("乡道Y034", "branch", [(3000, 200), (3000, 2600)]),
    ("乡道Y041", "branch", [(4800, 0), (4800, 2800)]),
    ("毛陈大道", "secondary", [(2400, 2300), (5800, 2300)]),
    ("朋兴街", "branch", [(3650, 760), (4750, 760)]),
    ("邹岗路", "branch", [(3000, 1900), (3500, 1900), (3500, 2300)]),
    ("红星路", "branch", [(5150, 100), (5150, 600), (5700, 600)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "孝感市孝南区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "槐荫大道": "HYDD",
    "北京路": "BJL",
    "长征路": "CZL",
    "城站路": "CZZ",
    "交通大道": "JTDD",
    "书院街": "SYJ",
    "广场街": "GCJ",
    "文化路": "WHL",
    "府前街": "FQJ",
    "董永路": "DYL",
    "澴河东路": "HHDL",
    "马家巷": "MJX",
    "后湖巷": "HHX",
    "董永里": "DYLI",
    "槐荫里": "HYL",
    "仁和巷": "RHX",
    "西湖巷": "XHX",
    "邓家巷": "DJX",
    "毛陈大道": "MCDD",
    "朋兴街": "PXJ",
    "严家巷": "YJX",
    "杨家巷": "YGX",
    "三元里": "SYL",
    "保安里": "BAL",
    "沙家巷": "SJX",
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
        add(f"XN{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"XN{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"XN{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


TOWN_OF = {"ZG": "毛陈镇", "FS": "毛陈镇", "HXM": "毛陈镇", "XH": "朋兴乡", "PX": "朋兴乡"}
TOWN_OF["HXP"] = "朋兴乡"
VILLAGE_OF = {"ZG": "邹岗村", "FS": "丰山村", "HXM": "红星村", "XH": "新河村", "PX": "朋兴村"}
VILLAGE_OF["HXP"] = "红星村"
ZU_STYLE = {"ZG": "cn", "FS": "ar", "HXM": "ar", "XH": "cn", "PX": "ar", "HXP": "cn"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def zu_houses(key: str, zu: int, centre, numbers, wan: str = "", aliases=None):
    """Houses of a 村民小组 (and of one of its 自然村) around a centre; one per number."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{zu_text(key, zu)}{wan}{n}号"
        add(
            f"XN{key}{zu:02d}{n:02d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            wan=wan,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "槐荫大道",
        [
            (150, "L", []),
            (500, "R", ["孝南区人民医院", "区人民医院"]),
            (900, "L", []),
            (1350, "R", ["中百仓储槐荫店", "中百仓储"]),
            (1700, "L", ["农业银行槐荫支行", "农行槐荫支行"]),
            (2200, "R", []),
            (2700, "R", ["中石化槐荫大道加油站", "槐荫加油站"]),
            (3250, "L", []),
        ],
    )
    frontage(
        "北京路",
        [
            (200, "L", []),
            (600, "R", ["孝感市实验小学", "实验小学"]),
            (1250, "L", ["槐荫花园", "槐荫花园东门"]),
            (1700, "R", ["孝南区政务服务中心", "政务中心"]),
            (2150, "L", []),
            (2600, "R", ["工商银行北京路支行", "工行北京路支行"]),
        ],
    )
    frontage(
        "长征路",
        [
            (500, "R", ["长征小区北门"]),
            (800, "L", ["长征路菜市场"]),
            (1500, "R", ["孝感市第一中学", "孝感一中"]),
            (2100, "L", []),
        ],
    )
    frontage(
        "城站路",
        [
            (100, "L", []),
            (230, "R", ["城站路派出所"]),
            (900, "L", []),
            (1150, "R", ["邮政储蓄银行城站路支行", "邮储城站路支行"]),
            (1650, "L", ["长征小区东门"]),
        ],
    )
    frontage(
        "交通大道",
        [
            (250, "R", []),
            (700, "L", ["武商量贩交通大道店", "武商量贩"]),
            (1400, "R", []),
            (1850, "L", ["横街社区居委会"]),
            (2500, "R", ["交通大道公交总站"]),
        ],
    )
    frontage(
        "书院街",
        [(200, "L", ["书院街小学"]), (650, "R", []), (1100, "R", ["槐荫花园北门"])],
    )
    frontage(
        "广场街",
        [
            (150, "L", []),
            (500, "R", ["广场街农贸市场", "广场市场"]),
            (900, "L", ["董永公园南门"]),
            (1480, "R", ["天仙苑", "天仙苑北门"]),
            (1900, "L", ["中国银行广场街支行", "中行广场街支行"]),
        ],
    )
    frontage(
        "文化路",
        [(150, "L", []), (400, "R", ["孝南区文化馆"]), (1250, "L", []), (1750, "R", [])],
    )
    frontage("府前街", [(100, "L", []), (450, "R", ["孝南区税务局"]), (950, "L", [])])
    frontage(
        "董永路",
        [
            (250, "L", []),
            (700, "R", ["新华社区卫生服务中心"]),
            (1500, "L", []),
            (2100, "R", ["好邻居超市董永路店"]),
        ],
    )
    frontage("澴河东路", [(400, "L", []), (1900, "R", [])])
    # lanes of the road file
    frontage("马家巷", [(40, "L", []), (150, "R", []), (240, "L", [])], step=10)
    frontage("后湖巷", [(60, "L", []), (300, "R", [])], step=10)
    frontage("董永里", [(50, "L", []), (330, "R", [])], step=10)
    frontage("槐荫里", [(40, "R", []), (130, "L", [])], step=10)
    frontage("仁和巷", [(30, "L", []), (170, "R", [])], step=10)
    frontage("西湖巷", [(60, "R", []), (240, "L", [])], step=10)
    frontage("邓家巷", [(80, "L", []), (300, "R", [])], step=10)
    # lanes in no road file
    lane_houses("严家巷", [(2, 1660, 1250), (5, 1700, 1262), (9, 1750, 1250)])
    lane_houses("杨家巷", [(1, 700, 300), (4, 712, 360), (8, 700, 420)])
    lane_houses("三元里", [(3, 1170, 2150), (6, 1230, 2162)])
    lane_houses("保安里", [(2, 500, 1700), (7, 512, 1760), (11, 500, 1820)])
    lane_houses("沙家巷", [(1, 2150, 200), (6, 2160, 280), (10, 2150, 350)])
    # 小区: a door with the 小区's name and gate, and its 号楼
    hy = door(1250, "L")
    compound(
        f"北京路{hy}号",
        "槐荫花园",
        "XNHYHY",
        [(1000, 1200), (1080, 1200), (1000, 1300), (1080, 1300), (1140, 1380)],
    )
    tx = door(1480, "R")
    compound(
        f"广场街{tx}号", "天仙苑", "XNTXY", [(1660, 560), (1730, 560), (1660, 610), (1730, 610)]
    )
    cz = door(500, "R")
    compound(f"长征路{cz}号", "长征小区", "XNCZXQ", [(440, 1820), (510, 1820), (440, 1900)])
    # the towns' main streets
    frontage(
        "毛陈大道",
        [
            (200, "L", ["毛陈镇中心小学"]),
            (900, "R", []),
            (1350, "L", ["毛陈镇卫生院"]),
            (1800, "R", ["孝南农商银行毛陈支行", "毛陈农商行"]),
            (2700, "L", []),
        ],
        prefix=CITY + "毛陈镇",
    )
    frontage(
        "朋兴街",
        [
            (150, "L", ["朋兴乡卫生院"]),
            (480, "R", ["朋兴购物中心", "朋兴超市"]),
            (650, "L", ["孝南农商银行朋兴支行", "朋兴农商行"]),
            (950, "R", ["朋兴中学"]),
        ],
        prefix=CITY + "朋兴乡",
    )
    # 毛陈镇: 邹岗村 (一组 … 六组, micro-grids named after them)
    c = micro_centre
    zu_houses("ZG", 1, c("ZG", 1), [2, 5, 9])
    zu_houses("ZG", 2, (3100, 1700), [1, 4, 7], aliases={1: ["邹岗村村委会", "邹岗村委会"]})
    zu_houses("ZG", 3, (3380, 1700), [3, 6], wan="")
    zu_houses("ZG", 3, (3420, 1620), [8, 12, 15], wan="刘家湾")
    zu_houses("ZG", 4, c("ZG", 4), [2, 6, 11])
    zu_houses("ZG", 5, (3100, 2480), [1, 3], wan="王家湾")
    zu_houses("ZG", 5, (3100, 2620), [9])
    zu_houses("ZG", 6, c("ZG", 6), [4, 7, 10], wan="大屋垸")
    # 丰山村 (第1 … 第6村民小组)
    for zu in range(1, 7):
        wan = {2: "王家湾", 4: "石板冲"}.get(zu, "")
        al = {1: ["丰山村村委会", "丰山村委会"]} if zu == 3 else None
        zu_houses("FS", zu, c("FS", zu), [1, 3, 6] if zu in (2, 3, 4) else [2, 5], wan, al)
    # 红星村 of 毛陈镇 (1组 … 6组)
    for zu in range(1, 7):
        wan = "杨家塆" if zu == 5 else ""
        al = {2: ["红星村村委会"]} if zu == 4 else None
        zu_houses("HXM", zu, c("HXM", zu), [2, 5], wan, al)
    # 朋兴乡: 新河村 (micro-grids not named after 组; some 组 lie across two)
    zu_houses("XH", 1, c("XH", 1), [1, 4, 8])
    zu_houses("XH", 2, (2800, 330), [2, 6, 9, 13], wan="陈家冲")
    zu_houses("XH", 3, c("XH", 3), [3, 7, 10], wan="周家铺")
    zu_houses("XH", 4, (2620, 1200), [5, 8], wan="李家坪", aliases={5: ["新河村村委会"]})
    zu_houses("XH", 4, (2620, 820), [12])
    zu_houses("XH", 5, (3100, 1220), [1, 6, 11])
    zu_houses("XH", 6, (3420, 1200), [2, 9], wan="大屋垸")
    # 朋兴村 (the 集镇 lies along 朋兴街)
    zu_houses("PX", 1, c("PX", 1), [3, 6, 9], wan="汪家湾")
    zu_houses("PX", 2, c("PX", 2), [1, 4], aliases={1: ["朋兴村村委会", "朋兴村委会"]})
    zu_houses("PX", 3, (4600, 330), [2, 8])
    zu_houses("PX", 4, (4000, 1180), [5, 7, 10, 12])
    zu_houses("PX", 5, (4600, 1180), [1, 3, 6], wan="胡家冲")
    # 红星村 of 朋兴乡 (一二组, 三组, 四组, 五六组, 七组, 八组)
    hx = c
    zu_houses("HXP", 1, (hx("HXP", 1)[0] - 70, 330), [1, 3])
    zu_houses("HXP", 2, (hx("HXP", 1)[0] + 70, 380), [2, 4])
    zu_houses("HXP", 3, (5400, 300), [5, 8], wan="杨家塆", aliases={5: ["红星村卫生室"]})
    zu_houses("HXP", 4, hx("HXP", 3), [1, 6])
    zu_houses("HXP", 5, (4930, 1000), [2, 7])
    zu_houses("HXP", 6, (5070, 1150), [3, 9])
    zu_houses("HXP", 7, hx("HXP", 5), [4, 8])
    zu_houses("HXP", 8, hx("HXP", 6), [1, 5], wan="枫树坪")


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
    if how == "about":  # 约 / 左右 / 大概
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
    if kind == "wan":  # ("wan", town or None, village or None, name)
        hs = houses(town=spec[1], village=spec[2], wan=spec[3])
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


def WAN(name, village=None, town=None):
    return ("wan", town, village, name)


def H(key, zu, n):  # a rural house
    return BY_CODE[f"XN{key}{zu:02d}{n:02d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "市民反映北京路与槐荫大道交叉口东北角有井盖缺失，请处理", X("北京路", "槐荫大道", "东北"))
    q(x, "北京路槐荫大道十字路口红绿灯不亮", X("北京路", "槐荫大道"))
    q(x, "北京路、长征路交界处西南侧垃圾桶满溢", X("北京路", "长征路", "西南"))
    q(x, "长征路和北京路交汇口西北侧有人摆摊设点", X("长征路", "北京路", "西北"))
    q(x, "来电人反映城站路与广场街交叉口积水严重，行人无法通过", X("城站路", "广场街"))
    q(x, "城站路广场街十字路口有大货车长期违停", X("城站路", "广场街"))
    q(x, "文化路与广场街交叉口有人焚烧垃圾", X("文化路", "广场街"))
    q(x, "文化路、广场街交界处东南侧路灯杆倾斜", X("文化路", "广场街", "东南"))
    q(x, "交通大道与董永路交叉口信号灯故障", X("交通大道", "董永路"))
    q(x, "交通大道董永路十字路口早晚高峰拥堵严重", X("交通大道", "董永路"))
    q(x, "城站路与槐荫大道交叉口东北角有违章广告牌", X("城站路", "槐荫大道", "东北"))
    q(x, "城站路槐荫大道路口有人占道卖水果", X("城站路", "槐荫大道"))
    q(x, "城站路和书院街交汇口西北侧下水道堵塞", X("城站路", "书院街", "西北"))
    q(x, "城站路与长征路交叉口有流浪狗伤人", X("城站路", "长征路"))
    q(x, "文化路与府前街交叉口井盖松动", X("文化路", "府前街"))
    q(x, "书院街与文化路交叉口有人乱贴小广告", X("书院街", "文化路"))
    q(x, "交通大道与广场街交叉口西南角人行道砖破损", X("交通大道", "广场街", "西南"))
    q(x, "交通大道、广场街交界处渣土车撒漏", X("交通大道", "广场街"))
    q(x, "文化路长征路口东北角共享单车堆放", X("文化路", "长征路", "东北"))
    q(x, "北京路与董永路交叉口东北角树枝压着电线", X("北京路", "董永路", "东北"))
    q(x, "北京路董永路口有人乱扔垃圾", X("北京路", "董永路"))
    q(x, "澴河东路与长征路交叉口西南角有积水", X("澴河东路", "长征路", "西南"))
    q(x, "槐荫大道与乡道Y034交叉口路面积水", X("槐荫大道", "乡道Y034"))
    q(x, "县道X012与乡道Y034交叉口东北角有人焚烧秸秆", X("县道X012", "乡道Y034", "东北"))
    q(x, "县道X012、乡道Y034十字路口车辆乱停", X("县道X012", "乡道Y034"))
    q(x, "毛陈大道与乡道Y034交叉口有人倾倒垃圾", X("毛陈大道", "乡道Y034"))
    q(x, "毛陈大道乡道Y041路口西南侧有死狗", X("毛陈大道", "乡道Y041", "西南"))
    q(x, "邹岗路与毛陈大道交叉口路面塌陷", X("邹岗路", "毛陈大道"))
    q(x, "乡道Y034和邹岗路交汇处有人倾倒建筑垃圾", X("乡道Y034", "邹岗路"))
    q(x, "县道X012与乡道Y041交叉口西北角堆放秸秆", X("县道X012", "乡道Y041", "西北"))
    q(x, "澴河东路与槐荫大道交叉口东南角路灯不亮", X("澴河东路", "槐荫大道", "东南"))
    q(x, "朋兴街与乡道Y041交叉口有人摆摊", X("朋兴街", "乡道Y041"))
    q(x, "红星路与乡道Y041交叉口积水", X("红星路", "乡道Y041"))
    q(x, "北京路与广场街交叉口往南50米有坑", X("北京路", "广场街", None, ("南", 50, "exact")))
    q(x, "城站路广场街口往南50米有个大坑", X("城站路", "广场街", None, ("南", 50, "exact")))
    q(x, "文化路与广场街交叉口往北100米井盖破了", X("文化路", "广场街", None, ("北", 100, "exact")))
    q(
        x,
        "交通大道与董永路交叉口往北约150米路灯不亮",
        X("交通大道", "董永路", None, ("北", 150, "about")),
    )
    q(
        x,
        "毛陈大道乡道Y034路口往东200米有人烧垃圾",
        X("毛陈大道", "乡道Y034", None, ("东", 200, "exact")),
    )
    q(
        x,
        "槐荫大道与乡道Y034交叉口往南100多米有死鱼",
        X("槐荫大道", "乡道Y034", None, ("南", 100, "more")),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "孝南区人民医院往北走大概两百米，路灯坏了", OFF(A("孝南区人民医院"), "北", 200, "about"))
    q(
        o,
        "区人民医院东边100多米路南有人占道经营",
        OFF(A("区人民医院"), "东", 100, "more", ("槐荫大道", "南")),
    )
    q(o, "中百仓储以西约1公里有人私搭乱建", OFF(A("中百仓储"), "西", 1000, "about"))
    q(o, "距中百仓储向东300米左右有个井盖缺失", OFF(A("中百仓储"), "东", 300, "about"))
    q(o, "实验小学往南150米路东有流动摊贩", OFF(A("实验小学"), "南", 150, side=("北京路", "东")))
    q(o, "孝感市实验小学以北约300米，人行道被挖开", OFF(A("孝感市实验小学"), "北", 300, "about"))
    q(
        o,
        "政务中心往北走两百米左右路西有车辆违停",
        OFF(A("政务中心"), "北", 200, "about", ("北京路", "西")),
    )
    q(o, "长征路菜市场往东300米", OFF(A("长征路菜市场"), "东", 300))
    q(
        o,
        "长征路菜市场往东300米路北，店铺油烟直排",
        OFF(A("长征路菜市场"), "东", 300, side=("长征路", "北")),
    )
    q(
        o,
        "孝感一中以西约500米路南下水道冒水",
        OFF(A("孝感一中"), "西", 500, "about", ("长征路", "南")),
    )
    q(o, "城站路派出所往北100米有堆放的杂物", OFF(A("城站路派出所"), "北", 100))
    q(o, "城站路派出所以南约200米有人遛狗不牵绳", OFF(A("城站路派出所"), "南", 200, "about"))
    q(
        o,
        "邮储城站路支行向北300多米路东，路面塌陷",
        OFF(A("邮储城站路支行"), "北", 300, "more", ("城站路", "东")),
    )
    q(o, "武商量贩往北走大概两百米，有人乱扔垃圾", OFF(A("武商量贩"), "北", 200, "about"))
    q(
        o,
        "武商量贩往北走大概两百米路西有人占道",
        OFF(A("武商量贩"), "北", 200, "about", ("交通大道", "西")),
    )
    q(
        o,
        "广场市场东边150米路北有共享单车堆放",
        OFF(A("广场市场"), "东", 150, side=("广场街", "北")),
    )
    q(o, "董永公园南门以东约300米有人焚烧落叶", OFF(A("董永公园南门"), "东", 300, "about"))
    q(o, "董永公园南门往西走200米左右，下水道堵了", OFF(A("董永公园南门"), "西", 200, "about"))
    q(o, "天仙苑北门往东100米路南井盖缺失", OFF(A("天仙苑北门"), "东", 100, side=("广场街", "南")))
    q(o, "中行广场街支行往东150米有人摆摊", OFF(A("中行广场街支行"), "东", 150))
    q(o, "孝南区文化馆往北约1公里", OFF(A("孝南区文化馆"), "北", 1000, "about"))
    q(o, "孝南区税务局向南200米路灯不亮", OFF(A("孝南区税务局"), "南", 200))
    q(
        o,
        "新华社区卫生服务中心以东约400米有违章建筑",
        OFF(A("新华社区卫生服务中心"), "东", 400, "about"),
    )
    q(o, "好邻居超市董永路店往北200米有人倾倒垃圾", OFF(A("好邻居超市董永路店"), "北", 200))
    q(
        o,
        "毛陈镇卫生院往东走两百多米路北",
        OFF(A("毛陈镇卫生院"), "东", 200, "more", ("毛陈大道", "北")),
    )
    q(o, "毛陈镇卫生院以西约150米有人烧秸秆", OFF(A("毛陈镇卫生院"), "西", 150, "about"))
    q(o, "毛陈镇中心小学往北约300米有人钓鱼", OFF(A("毛陈镇中心小学"), "北", 300, "about"))
    q(o, "朋兴乡卫生院以北约1公里有人焚烧秸秆", OFF(A("朋兴乡卫生院"), "北", 1000, "about"))
    q(o, "距朋兴超市向东300米左右有人倾倒垃圾", OFF(A("朋兴超市"), "东", 300, "about"))
    q(o, "朋兴中学往南两百米有死猪", OFF(A("朋兴中学"), "南", 200))
    q(o, "邹岗村村委会往东300米有人挖沙", OFF(A("邹岗村村委会"), "东", 300))
    q(o, "丰山村委会以南约500米有人电鱼", OFF(A("丰山村委会"), "南", 500, "about"))
    q(o, "槐荫加油站往北走大概两百米有人乱倒渣土", OFF(A("槐荫加油站"), "北", 200, "about"))
    q(
        o,
        "北京路与槐荫大道交叉口往西200米路北，商户占道",
        OFF(XO("北京路", "槐荫大道"), "西", 200, side=("槐荫大道", "北")),
    )
    q(
        o,
        "县道X012与乡道Y034交叉口以北约500米路西有垃圾堆",
        OFF(XO("县道X012", "乡道Y034"), "北", 500, "about", ("乡道Y034", "西")),
    )
    q(o, "孝南区第二人民医院往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "毛陈镇派出所往北100米有积水", OFF(("none",), "北", 100))
    q(o, "朋兴乡卫生院往南1公里有人烧垃圾", OFF(A("朋兴乡卫生院"), "南", 1000))
    q(o, "红星村卫生室往北约300米有人私建猪圈", OFF(A("红星村卫生室"), "北", 300, "about"))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    q(la, "马家巷路灯坏了好几天了", ("lane", "马家巷"))
    q(la, "来电人反映后湖巷内有车辆长期占道", ("lane", "后湖巷"))
    q(la, "董永里下水道堵了，污水漫到路上", ("lane", "董永里"))
    q(la, "槐荫里有人养狗扰民", ("lane", "槐荫里"))
    q(la, "仁和巷的路面坑坑洼洼", ("lane", "仁和巷"))
    q(la, "西湖巷垃圾几天没人收", ("lane", "西湖巷"))
    q(la, "市民称邓家巷里面电线乱拉", ("lane", "邓家巷"))
    q(la, "严家巷有人在家里开小作坊，噪音大", ("lane", "严家巷"))
    q(la, "杨家巷路面结冰，老人出行困难", ("lane", "杨家巷"))
    q(la, "三元里楼道堆满杂物", ("lane", "三元里"))
    q(la, "保安里 有人占用消防通道", ("lane", "保安里"))
    q(la, "沙家巷化粪池满了往外冒", ("lane", "沙家巷"))
    q(la, "柳家巷有人半夜施工", ("lane", "柳家巷"))
    q(la, "同心里路灯不亮", ("lane", "同心里"))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "邹岗村五组有人焚烧秸秆", ZU("邹岗村", 5))
    q(g, "邹岗村3组有人在田边烧垃圾", ZU("邹岗村", 3))
    q(g, "毛陈镇邹岗村第一村民小组有人违建", ZU("邹岗村", 1, "毛陈镇"))
    q(g, "丰山村第二村民小组路灯不亮", ZU("丰山村", 2))
    q(g, "丰山村4组有人私挖鱼塘", ZU("丰山村", 4))
    q(g, "丰山村六组有人偷倒建筑垃圾", ZU("丰山村", 6))
    q(g, "红星村3组垃圾没人收", ZU("红星村", 3))
    q(g, "毛陈镇红星村3组垃圾没人收", ZU("红星村", 3, "毛陈镇"))
    q(g, "朋兴乡红星村五组有人放养的狗咬人", ZU("红星村", 5, "朋兴乡"))
    q(g, "朋兴乡红星村第6村民小组自来水停了三天", ZU("红星村", 6, "朋兴乡"))
    q(g, "新河村一组有人在河边洗车", ZU("新河村", 1))
    q(g, "新河村二组路面塌陷", ZU("新河村", 2))
    q(g, "新河村四组有人焚烧垃圾", ZU("新河村", 4))
    q(g, "新河村第5村民小组有人私搭乱建", ZU("新河村", 5))
    q(g, "朋兴村四组有人在路边晒粮", ZU("朋兴村", 4))
    q(g, "朋兴村3组排水沟堵塞", ZU("朋兴村", 3))
    q(g, "邹岗村九组有人烧秸秆", ZU("邹岗村", 9))
    q(g, "朋兴乡邹岗村二组有人违建", ZU("邹岗村", 2, "朋兴乡"))

    # --- natural_village (自然村 alone or with its village) -----------------------------
    nv = "natural_village"
    q(nv, "刘家湾有人烧秸秆，烟很大", WAN("刘家湾"))
    q(nv, "邹岗村刘家湾路灯不亮", WAN("刘家湾", "邹岗村"))
    q(nv, "王家湾有人私拉电网捕鱼", WAN("王家湾"))
    q(nv, "丰山村王家湾狗咬人", WAN("王家湾", "丰山村"))
    q(nv, "毛陈镇邹岗村王家湾有人违建", WAN("王家湾", "邹岗村", "毛陈镇"))
    q(nv, "石板冲有人往塘里倒垃圾", WAN("石板冲"))
    q(nv, "杨家塆自来水停了", WAN("杨家塆"))
    q(nv, "红星村杨家塆有人烧垃圾", WAN("杨家塆", "红星村"))
    q(nv, "朋兴乡红星村杨家塆自来水停了", WAN("杨家塆", "红星村", "朋兴乡"))
    q(nv, "陈家冲路面塌陷", WAN("陈家冲"))
    q(nv, "新河村周家铺有人私建猪圈", WAN("周家铺", "新河村"))
    q(nv, "李家坪有人焚烧秸秆", WAN("李家坪"))
    q(nv, "大屋垸的路灯坏了", WAN("大屋垸"))
    q(nv, "新河村大屋垸有人占用耕地建房", WAN("大屋垸", "新河村"))
    q(nv, "邹岗村大屋垸垃圾堆放", WAN("大屋垸", "邹岗村"))
    q(nv, "汪家湾有人电鱼", WAN("汪家湾"))
    q(nv, "朋兴村胡家冲排水沟堵了", WAN("胡家冲", "朋兴村"))
    q(nv, "枫树坪有人砍伐树木", WAN("枫树坪"))
    q(nv, "张家湾有人焚烧秸秆", WAN("张家湾"))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "城站路派出所旁边有人乱停车", NEAR("城站路派出所"))
    q(n, "广场市场门口车辆乱停", NEAR("广场市场"))
    q(n, "董永公园南门附近有人遛狗不拴绳", NEAR("董永公园南门"))
    q(n, "天仙苑附近施工扰民", NEAR_COMPOUND("天仙苑", ["天仙苑", "天仙苑北门"]))
    q(n, "中行广场街支行对面的人行道被占", NEAR("中行广场街支行"))
    q(n, "孝南区文化馆隔壁在装修，噪音大", NEAR("孝南区文化馆"))
    q(n, "孝南区税务局旁边的垃圾桶坏了", NEAR("孝南区税务局"))
    q(n, "新华社区卫生服务中心门口有垃圾", NEAR("新华社区卫生服务中心"))
    q(n, "好邻居超市董永路店周边油烟扰民", NEAR("好邻居超市董永路店"))
    q(n, "交通大道公交总站附近黑车拉客", NEAR("交通大道公交总站"))
    q(n, "孝南区人民医院对面有人发小广告", NEAR("孝南区人民医院"))
    q(n, "中百仓储旁边有个井盖缺失", NEAR("中百仓储"))
    q(n, "长征小区东门旁边堆满了杂物", NEAR("长征小区东门"))
    q(
        n,
        "长征小区周边夜里广场舞声音大",
        NEAR_COMPOUND("长征小区", ["长征小区北门", "长征小区东门"]),
    )
    q(n, "槐荫花园附近路灯不亮", NEAR_COMPOUND("槐荫花园", ["槐荫花园", "槐荫花园北门"]))
    q(n, "毛陈镇卫生院门口有人摆摊", NEAR("毛陈镇卫生院"))
    q(n, "毛陈镇中心小学附近有人卖三无食品", NEAR("毛陈镇中心小学"))
    q(n, "朋兴乡卫生院隔壁养鸡场臭味大", NEAR("朋兴乡卫生院"))
    q(n, "朋兴中学门口有流动摊贩，影响学生上学", NEAR("朋兴中学"))
    q(n, "邹岗村委会旁边有人焚烧垃圾", NEAR("邹岗村委会"))
    q(n, "朋兴村委会附近的路灯不亮", NEAR("朋兴村委会"))
    q(n, "红星村卫生室对面有个水塘没有护栏", NEAR("红星村卫生室"))
    q(n, "槐荫加油站旁边有人卖散装汽油", NEAR("槐荫加油站"))
    q(n, "孝南区妇幼保健院门口有人乱停车", ("near", []))
    q(n, "朋兴乡派出所附近有人打架", ("near", []))
    q(n, "实验小学门口早上堵车", NEAR("实验小学"))

    # --- other_county (the prefecture's other 县级 units in front of our addresses) -----
    oc = "other_county"
    bj = fb("北京路", 2150, "L")
    cz = fb("城站路", 900, "L")
    for text, code in [
        ("孝感市云梦县毛陈镇邹岗村三组6号", None),
        ("孝昌县毛陈镇丰山村3组3号", None),
        ("汉川市朋兴乡新河村一组4号", None),
        ("应城市朋兴乡朋兴村2组4号", None),
        (f"安陆市北京路{no(bj)}号", None),
        ("大悟县毛陈镇红星村4组5号", None),
        ("湖北省孝感市孝昌县朋兴乡红星村三组杨家塆8号", None),
        (f"云梦县城站路{no(cz)}号", None),
        ("湖北省孝感市孝南区毛陈镇邹岗村三组6号", H("ZG", 3, 6)["code"]),
        ("孝南区毛陈镇丰山村3组3号", H("FS", 3, 3)["code"]),
        ("孝感市孝南区朋兴乡新河村一组4号", H("XH", 1, 4)["code"]),
        ("朋兴乡朋兴村2组4号", H("PX", 2, 4)["code"]),
        (f"孝南区北京路{no(bj)}号", bj["code"]),
        ("孝感市孝南区毛陈镇红星村4组5号", H("HXM", 4, 5)["code"]),
        ("湖北省孝感市孝南区朋兴乡红星村三组杨家塆8号", H("HXP", 3, 8)["code"]),
        (f"孝感市孝南区城站路{no(cz)}号", cz["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("北京路", 200, "L"), fb("文化路", 150, "L")
    b3, b4 = fb("董永路", 1500, "L"), fb("马家巷", 150, "R", 10)
    tx = door(1480, "R")
    hy = door(1250, "L")
    for text, code in [
        (
            "No. 5, Group 3, Hongxing Village, Maochen Town, Xiaonan District, Xiaogan",
            H("HXM", 3, 5)["code"],
        ),
        (
            "No. 9, Group 1, Zougang Village, Maochen Town, Xiaonan District, Xiaogan City",
            H("ZG", 1, 9)["code"],
        ),
        ("No. 6, Group 3, Fengshan Village, Maochen Town, Xiaonan District", H("FS", 3, 6)["code"]),
        (
            "No. 8, Group 1, Xinhe Village, Pengxing Township, Xiaonan District, Xiaogan, Hubei",
            H("XH", 1, 8)["code"],
        ),
        (
            "No. 4, Group 2, Pengxing Village, Pengxing Township, Xiaonan District",
            H("PX", 2, 4)["code"],
        ),
        ("No. 7, Group 5, Xinhe Village, Pengxing Township, Xiaonan District", None),
        (
            "No. 6, Group 4, Hongxing Village, Pengxing Township, Xiaonan District",
            H("HXP", 4, 6)["code"],
        ),
        (
            "No. 12, Liujiawan, Group 3, Zougang Village, Maochen Town, Xiaonan District",
            H("ZG", 3, 12)["code"],
        ),
        (f"No. {no(bj)}, Beijing Road, Xiaonan District, Xiaogan", bj["code"]),
        (f"No. {no(cz)} Chengzhan Road, Xiaonan District, Xiaogan, Hubei", cz["code"]),
        (f"No. {no(b2)}, Wenhua Road, Xiaonan District", b2["code"]),
        (f"No. {no(b3)}, Dongyong Road, Xiaonan District, Xiaogan City", b3["code"]),
        (f"Building 2, No. {tx} Guangchang Street, Xiaonan District, Xiaogan", "XNTXYB2"),
        (f"No. {no(b4)}, Majia Lane, Xiaonan District, Xiaogan", b4["code"]),
        ("5号，2组，红星村，毛陈镇，孝南区，孝感市", H("HXM", 2, 5)["code"]),
        ("4号，一组，新河村，朋兴乡，孝南区", H("XH", 1, 4)["code"]),
        (f"{no(b1)}号，北京路，孝南区，孝感市", b1["code"]),
        (f"3号楼，北京路{hy}号院，孝南区，孝感市", "XNHYHYB3"),
        ("9号，严家巷，孝感市孝南区", "XNYJX9"),
        ("9号，杨家巷，孝南区", None),
        ("No. 20, Group 9, Zougang Village, Maochen Town, Xiaonan District", None),
    ]:
        q(e, text, BLD(code))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    hy1, hy2 = fb("槐荫大道", 900, "L"), fb("槐荫大道", 2200, "R")
    cz2, cz3 = fb("长征路", 2100, "L"), fb("文化路", 1750, "R")
    dy, mc = fb("董永路", 250, "L"), fb("毛陈大道", 900, "R")
    zz = fb("城站路", 1150, "R")
    for text, code in [
        (hy1["address"], hy1["code"]),
        (f"北京路{no(bj)}号", bj["code"]),
        ("孝南区人民医院", code_of_alias("孝南区人民医院")),
        ("孝感一中", code_of_alias("孝感一中")),
        ("朋兴乡卫生院", code_of_alias("朋兴乡卫生院")),
        ("毛陈镇中心小学", code_of_alias("毛陈镇中心小学")),
        ("邹岗村村委会", code_of_alias("邹岗村村委会")),
        ("天仙苑3号楼", "XNTXYB3"),
        ("槐荫花园2号楼", "XNHYHYB2"),
        ("长征小区1号楼", "XNCZXQB1"),
        ("严家巷5号", "XNYJX5"),
        ("沙家巷6号", "XNSJX6"),
        ("孝感市孝南区保安里11号", "XNBAL11"),
        ("孝感市孝南区毛陈镇邹岗村四组11号", H("ZG", 4, 11)["code"]),
        ("朋兴乡红星村八组枫树坪5号", H("HXP", 8, 5)["code"]),
        (f"槐阴大道{no(hy2)}号", hy2["code"]),
        (f"孝南区城战路{no(zz)}号", zz["code"]),
        (f"长证路{no(cz2)}号", cz2["code"]),
        (f"文华路{no(cz3)}号", cz3["code"]),
        (f"孝感市孝南区董勇路{no(dy)}号", dy["code"]),
        (f"毛陈镇毛陈大路{no(mc)}号", mc["code"]),
        ("孝感市孝南区北京路999号", None),
        ("城站路3号", None),
        ("马家巷50号", None),
        ("天仙苑9号楼", None),
        ("毛陈镇邹岗村三组99号", None),
        ("槐荫里2号", None),
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
