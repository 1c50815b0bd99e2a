"""Write the place-description evaluation district: 山东省青岛市市南区.

    python bench/data/place_shinan_qd/make_district.py

One grid tree in two parts: an old-town and seaside core (中山路街道, 八大峡街道, 江苏路街道,
八大关街道, with roads named after provinces and cities, 里院 and 小区) and an invented
peri-urban east (湛山街道, 金门路街道, with 行政村 whose houses are written by 组 —
`市南区湛山街道麦岛村3组15号` — or numbered across the village — `市南区湛山街道湛山村28号`).
The 街道 and road names are 市南区's; the communities, villages, 里, door numbers, landmarks'
positions and all geometry are ours: a layout in metres over a 7.2 km x 3 km box with the sea
to the south, turned into WGS-84 at 青岛.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means.

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

from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 120.3150, 36.0550  # south-west corner of the box (the coast runs along y = 0)
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("370202", "市南区")
W, S, E, N = 0.0, 0.0, 7200.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    (
        "370202001",
        "中山路街道",
        (0, 1500, 2400, 3000),
        [("大鲍岛社区", "大鲍岛"), ("四方路社区", "四方路")],
    ),
    (
        "370202003",
        "八大峡街道",
        (0, 0, 2400, 1500),
        [("团岛社区", "团岛"), ("云南路社区", "云南路")],
    ),
    (
        "370202005",
        "江苏路街道",
        (2400, 1500, 4800, 3000),
        [("信号山社区", "信号山"), ("鱼山社区", "鱼山")],
    ),
    (
        "370202008",
        "八大关街道",
        (2400, 0, 4800, 1500),
        [("汇泉社区", "汇泉"), ("太平角社区", "太平角")],
    ),
]

# peri-urban streets (invented): code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar": six micro-grids named after the 组 (`麦岛村3组`); "plain": six plain micro-grids;
# "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "370202010",
        "湛山街道",
        (4800, 1500, 7200, 3000),
        [
            ("麦岛村", "MD", "zu_ar"),
            ("湛山村", "ZS", "small"),
            ("辛家庄村", "XJZ1", "small"),
            ("浮山所村", "FSS", "small"),
        ],
    ),
    (
        "370202012",
        "金门路街道",
        (4800, 0, 7200, 1500),
        [
            ("徐家麦岛村", "XJMD", "plain"),
            ("小麦岛村", "XMD", "small"),
            ("燕儿岛村", "YED", "small"),
            ("辛家庄村", "XJZ2", "small"),
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
AREAS: dict[str, Polygon] = {}  # community / village name -> area
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
            AREAS[c_name] = box(cw, s, ce, n)
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


# ---------------------------------------------------------------- roads
# Micro-grid borders lie on x = 0, 400, 800, ... and y = 0, 750, 1500, 2250, 3000.
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the seaside road, west to east
    ("太平路", "arterial", [(0, 150), (2400, 150)]),
    ("南海路", "arterial", [(2400, 150), (4800, 150)]),
    ("东海西路", "arterial", [(4800, 150), (7200, 150)]),
    # 中山路街道 / 八大峡街道
    ("中山路", "arterial", [(1000, 150), (1000, 3000)]),
    ("河南路", "secondary", [(600, 150), (600, 1900)]),
    ("云南路", "secondary", [(300, 300), (300, 1400)]),
    ("广西路", "secondary", [(200, 450), (2400, 450)]),
    ("湖南路", "secondary", [(0, 1100), (2400, 1100)]),
    ("湖北路", "secondary", [(0, 1900), (2400, 1900)]),
    ("四方路", "branch", [(500, 2450), (2000, 2450)]),
    ("北京路", "branch", [(300, 2700), (1800, 2700)]),
    ("天津路", "branch", [(1500, 1900), (1500, 2700)]),
    ("胶州路", "arterial", [(0, 3000), (2400, 3000)]),
    ("江宁路", "branch", [(1100, 2000), (1100, 2200)]),
    ("黄岛路", "branch", [(1300, 2300), (1750, 2300)]),
    ("易州路", "branch", [(1800, 2000), (1800, 2200)]),
    ("胶济铁路", "railway", [(100, 400), (100, 3000)]),
    # 江苏路 is the border of west and east
    ("江苏路", "arterial", [(2400, 150), (2400, 3000)]),
    # 江苏路街道
    ("大学路", "secondary", [(2900, 150), (2900, 3000)]),
    ("香港中路", "arterial", [(2400, 1500), (7200, 1500)]),
    ("南京路", "arterial", [(4300, 150), (4300, 3000)]),
    ("山东路", "arterial", [(3700, 1500), (3700, 3000)]),
    ("福州南路", "secondary", [(4050, 1500), (4050, 2600)]),
    ("宁夏路", "arterial", [(2400, 2600), (4800, 2600)]),
    ("闽江路", "secondary", [(2900, 2000), (4300, 2000)]),
    ("鱼山路", "secondary", [(2900, 1800), (3700, 1800)]),
    ("龙山路", "branch", [(2400, 2150), (2900, 2150)]),
    ("福山支路", "branch", [(3250, 2300), (3250, 2600)]),
    ("黄县路", "branch", [(2900, 2800), (3150, 2800)]),
    # 八大关街道
    ("正阳关路", "secondary", [(2400, 650), (4300, 650)]),
    ("居庸关路", "secondary", [(3300, 150), (3300, 1500)]),
    ("韶关路", "secondary", [(3900, 150), (3900, 1200)]),
    ("嘉峪关路", "branch", [(3450, 500), (3450, 800), (3750, 800), (3750, 500)]),
    ("函谷关路", "branch", [(2400, 1100), (3250, 1100)]),
    ("武胜关路", "branch", [(2500, 400), (3200, 400)]),
    # the invented peri-urban east
    ("麦岛路", "secondary", [(5000, 1600), (5000, 2900)]),
    ("徐家麦岛路", "branch", [(5300, 300), (5300, 1000), (5900, 1000)]),
    ("燕儿岛路", "secondary", [(6600, 150), (6600, 3000)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "市南区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "太平路": "TPL",
    "南海路": "NHL",
    "东海西路": "DHXL",
    "中山路": "ZSL",
    "河南路": "HENL",
    "云南路": "YNL",
    "广西路": "GXL",
    "湖南路": "HUNL",
    "湖北路": "HBL",
    "四方路": "SFL",
    "北京路": "BJL",
    "天津路": "TJL",
    "胶州路": "JZL",
    "江宁路": "JNL",
    "黄岛路": "HDL",
    "易州路": "YZL",
    "江苏路": "JSL",
    "大学路": "DXL",
    "香港中路": "XGZL",
    "南京路": "NJL",
    "山东路": "SDL",
    "福州南路": "FZNL",
    "宁夏路": "NXL",
    "闽江路": "MJL",
    "鱼山路": "YSL",
    "龙山路": "LSL",
    "福山支路": "FSZL",
    "黄县路": "HXL",
    "正阳关路": "ZYGL",
    "居庸关路": "JYGL",
    "韶关路": "SGL",
    "嘉峪关路": "JYUGL",
    "函谷关路": "HGGL",
    "武胜关路": "WSGL",
    "麦岛路": "MDL",
    "燕儿岛路": "YEDL",
    "广兴里": "GXLI",
    "积厚里": "JHLI",
    "瑞云里": "RYLI",
    "三江里": "SJLI",
    "同德里": "TDLI",
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
        add(f"SN{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"SN{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 里 known only through addresses: (number, x, y, aliases)."""
    for n, x, y, *al in points:
        add(
            f"SN{CODE_KEY[lane]}{n}",
            f"{CITY}{lane}{n}号",
            x,
            y,
            al[0] if al else [],
            road=lane,
            n=n,
        )


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


TOWN_OF = {
    "MD": "湛山街道",
    "ZS": "湛山街道",
    "XJZ1": "湛山街道",
    "FSS": "湛山街道",
    "XJMD": "金门路街道",
    "XMD": "金门路街道",
    "YED": "金门路街道",
    "XJZ2": "金门路街道",
}
VILLAGE_OF = {
    "MD": "麦岛村",
    "ZS": "湛山村",
    "XJZ1": "辛家庄村",
    "FSS": "浮山所村",
    "XJMD": "徐家麦岛村",
    "XMD": "小麦岛村",
    "YED": "燕儿岛村",
    "XJZ2": "辛家庄村",
}
ZU_STYLE = {"MD": "ar", "XJMD": "cn"}
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
            f"SN{key}{zu or 0:02d}{n:03d}",
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
    frontage(
        "太平路",
        [
            (250, "L", ["青岛火车站", "青岛站"]),
            (500, "L", ["八大峡派出所"]),
            (900, "R", ["栈桥", "青岛栈桥", "回澜阁"]),
            (1300, "L", ["太平路小学"]),
            (1700, "R", []),
            (2100, "L", []),
        ],
    )
    frontage(
        "中山路",
        [
            (150, "L", []),
            (480, "R", ["利群商厦", "利群"]),
            (1050, "L", ["工商银行中山路支行", "工行中山路支行"]),
            (1600, "L", ["中山路天主教堂", "天主教堂", "圣弥厄尔大教堂"]),
            (1950, "R", ["青岛国货", "国货"]),
            (2450, "L", ["大鲍岛社区居委会"]),
            (2750, "R", []),
        ],
    )
    frontage("河南路", [(200, "L", []), (700, "R", []), (1250, "R", [])])
    frontage("云南路", [(300, "L", []), (600, "R", ["云南路社区居委会"])])
    frontage(
        "广西路",
        [
            (300, "L", []),
            (900, "R", ["团岛社区居委会"]),
            (1500, "L", ["广西路邮政局"]),
            (2000, "R", []),
        ],
    )
    frontage(
        "湖南路",
        [(150, "L", []), (450, "R", []), (850, "L", []), (1700, "R", []), (2200, "L", [])],
    )
    frontage(
        "湖北路",
        [
            (250, "L", []),
            (700, "R", ["湖北路菜市场"]),
            (1250, "L", ["中山路街道办事处"]),
            (1850, "R", []),
            (2300, "L", []),
        ],
    )
    frontage(
        "四方路", [(200, "L", []), (600, "R", ["大鲍岛游客中心"]), (900, "L", []), (1300, "R", [])]
    )
    frontage(
        "北京路", [(150, "L", []), (550, "R", []), (1050, "L", ["北京路小学"]), (1400, "R", [])]
    )
    frontage("天津路", [(150, "L", []), (450, "R", [])])
    frontage("胶州路", [(500, "R", ["青岛市立医院", "市立医院"]), (1400, "R", []), (2100, "R", [])])
    frontage("江宁路", [(30, "L", []), (100, "L", ["劈柴院"]), (170, "R", [])], step=10)
    frontage("黄岛路", [(50, "L", ["黄岛路市场"]), (400, "R", [])], step=10)
    frontage("易州路", [(40, "L", []), (160, "R", [])], step=10)
    frontage(
        "江苏路",
        [
            (300, "L", []),
            (700, "R", []),
            (1300, "L", ["青岛大学附属医院", "青大附院"]),
            (1650, "R", ["江苏路小学"]),
            (1900, "R", ["江苏路基督教堂", "基督教堂"]),
            (2300, "L", []),
            (2700, "R", ["信号山社区居委会"]),
        ],
    )
    frontage(
        "大学路",
        [
            (350, "R", []),
            (1100, "L", []),
            (1800, "R", ["鱼山社区居委会"]),
            (2300, "L", ["青岛美术馆"]),
            (2700, "R", []),
        ],
    )
    frontage("龙山路", [(300, "L", ["信号山公园"])])
    frontage("鱼山路", [(200, "L", ["中国海洋大学鱼山校区", "海大鱼山校区"]), (600, "R", [])])
    frontage(
        "闽江路",
        [(450, "R", ["鲁信长春花园", "鲁信长春花园南门"]), (1000, "L", []), (1300, "R", [])],
    )
    frontage(
        "宁夏路",
        [
            (350, "L", []),
            (1050, "R", ["海韵嘉园", "海韵嘉园北门"]),
            (1750, "L", ["宁夏路菜市场"]),
            (2250, "R", []),
        ],
    )
    frontage("山东路", [(100, "R", ["华润万象城", "万象城"]), (650, "L", []), (1300, "R", [])])
    frontage("福州南路", [(250, "L", []), (800, "R", [])])
    frontage(
        "南京路",
        [
            (300, "L", []),
            (900, "R", ["八大关派出所"]),
            (1550, "L", []),
            (2150, "R", []),
            (2700, "L", []),
        ],
    )
    frontage(
        "香港中路",
        [
            (300, "L", []),
            (900, "R", ["青岛银行香港中路支行"]),
            (1500, "L", ["海信广场"]),
            (2100, "R", []),
            (2900, "L", []),
            (3900, "R", []),
        ],
    )
    frontage(
        "南海路",
        [
            (250, "R", ["鲁迅公园"]),
            (450, "L", ["青岛海底世界", "海底世界"]),
            (700, "R", ["第一海水浴场", "一浴"]),
            (1300, "L", []),
            (2100, "R", ["五四广场"]),
        ],
    )
    frontage("正阳关路", [(700, "L", ["花石楼"]), (1250, "R", ["八大关宾馆"]), (1750, "L", [])])
    frontage("居庸关路", [(450, "L", []), (1050, "R", ["太平角社区居委会"])])
    frontage("韶关路", [(250, "R", []), (800, "L", [])])
    frontage("函谷关路", [(300, "R", []), (700, "L", ["汇泉社区居委会"])])
    frontage("武胜关路", [(200, "L", [])])
    frontage("嘉峪关路", [(100, "R", []), (500, "L", [])], step=10)
    frontage("黄县路", [(60, "L", ["老舍故居"]), (200, "R", [])], step=10)
    frontage("福山支路", [(80, "R", ["小鱼山公园", "小鱼山"]), (220, "L", [])], step=10)
    frontage("东海西路", [(300, "L", []), (1000, "R", []), (2200, "R", [])])
    frontage(
        "麦岛路",
        [(200, "R", ["湛山派出所"]), (800, "L", ["农商银行麦岛支行"])],
        prefix=CITY + "湛山街道",
    )
    frontage("燕儿岛路", [(500, "L", []), (1100, "R", ["燕儿岛路加油站"]), (1900, "L", [])])
    # 里 known only through addresses (里院 of the old town)
    lane_houses("广兴里", [(5, 700, 2560), (8, 740, 2580), (12, 720, 2625)])
    lane_houses("积厚里", [(3, 1350, 2550), (7, 1380, 2585)])
    lane_houses("瑞云里", [(2, 1900, 2100), (6, 1930, 2125)])
    lane_houses("三江里", [(1, 450, 900), (4, 480, 930), (9, 470, 965)])
    lane_houses("同德里", [(3, 2370, 1000), (6, 2430, 1000), (11, 2440, 1040)])
    # 小区: a gate door with the 小区's name, and its 号楼
    lc = door(450, "R")
    compound(
        f"闽江路{lc}号",
        "鲁信长春花园",
        "SNLXCC",
        [(3300, 1930), (3360, 1930), (3420, 1930), (3300, 1870), (3360, 1870)],
    )
    hy = door(1050, "R")
    compound(
        f"宁夏路{hy}号",
        "海韵嘉园",
        "SNHYJY",
        [(3400, 2520), (3460, 2520), (3400, 2460), (3460, 2460)],
    )
    frontage("云南路", [(700, "L", ["团岛花园", "团岛花园西门"])])
    td = door(700, "L")
    compound(
        f"云南路{td}号", "团岛花园", "SNTDHY", [(200, 960), (240, 960), (200, 1040), (240, 1040)]
    )
    # 湛山街道: 麦岛村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    al = {4: ["麦岛村委会", "麦岛村村委会"]}
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        rural_houses("MD", zu, c("MD", zu), nums, al if zu == 2 else None)
    # 金门路街道: 徐家麦岛村 (plain micro-grids; 三组 lies across two)
    rural_houses("XJMD", 1, c("XJMD", 1), [2, 6, 9])
    rural_houses("XJMD", 2, c("XJMD", 2), [1, 5, 8])
    rural_houses("XJMD", 3, (5200, 400), [3, 7, 14])
    rural_houses("XJMD", 4, c("XJMD", 4), [4, 8, 16], {8: ["徐家麦岛村委会"]})
    rural_houses("XJMD", 5, c("XJMD", 5), [2, 10])
    rural_houses("XJMD", 6, c("XJMD", 6), [5, 11, 17])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("ZS", None, (6200, 1900), [8, 28, 45, 90], {28: ["湛山寺"]})
    rural_houses("XJZ1", None, (6500, 2650), [12, 36, 59, 103], {36: ["辛家庄村委会"]})
    rural_houses("FSS", None, (7000, 1900), [7, 33, 70], {33: ["浮山所村委会"]})
    rural_houses("XMD", None, (6200, 420), [9, 26, 64])
    rural_houses("YED", None, (6480, 1080), [15, 52, 96, 128], {52: ["燕儿岛村委会"]})
    rural_houses("XJZ2", None, (7000, 500), [3, 18, 36, 77])


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


def tolerance(dist, how) -> tuple[float, float]:
    if isinstance(how, tuple):  # a range written out (二三百米: 200-300)
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


def houses(town=None, village=None, zu=None, road=None, village_like=None):
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
        if village_like and village_like not in b["village"]:
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
    if kind == "disc":  # ("disc", origin spec, radius)
        o = origin(spec[1])
        return None if o is None else o.buffer(spec[2])
    if kind == "pt":  # ("pt", building code): the building itself
        b = BY_CODE[spec[1]]
        return Point(b["x"], b["y"])
    if kind == "near":  # ("near", [building codes], radius)
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(spec[2]) for c in spec[1]]
        )
    if kind == "area":  # ("area", community name): the whole community
        return AREAS.get(spec[1])
    if kind == "buf":  # ("buf", spec, metres): a region widened
        inner = place_region(spec[1])
        return None if inner is None else inner.buffer(spec[2])
    if kind == "shore":  # ("shore", building code, half width): from the building to the sea
        b = BY_CODE[spec[1]]
        return box(b["x"] - spec[2], S, b["x"] + spec[2], b["y"])
    if kind == "union":  # ("union", [specs]): every part must mean something
        parts = [place_region(s) for s in spec[1]]
        if any(p is None for p in parts):
            return None
        return unary_union(parts)
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
    if kind == "zu_like":  # ("zu_like", part of a village name, number)
        hs = houses(village_like=spec[1], zu=spec[2])
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
    if spec[0] == "two":  # a word the rules do not cover: both readings in one micro-grid
        m1, m2 = (truth(s)[1] for s in spec[1:])
        return (None, m1) if m1 is not None and m1 == m2 else (None, None)
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


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def NOWHERE():
    return ("near", [], R_NEAR)


def TWO(narrow, wide):
    return ("two", narrow, wide)


def SHORE(alias: str):
    """海边 of a seaside landmark: narrow 50 m, wide 120 m either side, down to the sea."""
    code = code_of_alias(alias)
    return TWO(("shore", code, 50), ("shore", code, 120))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"SN{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_number(n: int) -> str:
    """23 -> 二十三, 106 -> 一百零六 (as written in addresses)."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    h, r = divmod(n, 100)
    if r == 0:
        return CN[h] + "百"
    if r < 10:
        return CN[h] + "百零" + CN[r]
    if r < 20:
        return CN[h] + "百一十" + (CN[r % 10] if r % 10 else "")
    return CN[h] + "百" + cn_number(r)


def up_down(alias: str, road_dir: str, near: tuple, far: tuple | None = None):
    """上坡 / 下坡 along a street: narrow the named way only, wide either way along it.

    near / far are the distance ranges of the narrow and the wide reading (百十米: 80-120 m
    and 50-150 m); far defaults to near.
    """
    far = far or near
    other = {"北": "南", "南": "北", "东": "西", "西": "东"}[road_dir]
    one = OFF(A(alias), road_dir, None, near)
    both = ("union", [OFF(A(alias), road_dir, None, far), OFF(A(alias), other, None, far)])
    return TWO(one, both)


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "市民来电反映：中山路与湖南路交叉口有人占道经营", X("中山路", "湖南路"))
    q(x, "湖南路中山路路口东北角井盖没了", X("湖南路", "中山路", "东北"))
    q(x, "中山路湖北路十字路口红绿灯不亮", X("中山路", "湖北路"))
    q(x, "中山路、广西路路口往南50米有个大坑", X("中山路", "广西路", None, ("南", 50, "exact")))
    q(x, "中山路跟四方路交叉口有人乱扔垃圾", X("中山路", "四方路"))
    q(x, "中山路北京路路口西南角共享单车堆了一堆", X("中山路", "北京路", "西南"))
    q(x, "河南路与湖南路交叉口下雨就积水", X("河南路", "湖南路"))
    q(x, "河南路广西路交叉口西北角有人烧纸", X("河南路", "广西路", "西北"))
    q(x, "云南路和湖南路交叉口下水道往外冒水", X("云南路", "湖南路"))
    q(x, "天津路四方路路口有人摆摊卖海货", X("天津路", "四方路"))
    q(x, "天津路与黄岛路交叉口路面塌了", X("天津路", "黄岛路"))
    q(x, "大学路与鱼山路交叉口有渣土车撒漏", X("大学路", "鱼山路"))
    q(x, "大学路闽江路路口东南角有人发小广告", X("大学路", "闽江路", "东南"))
    q(x, "山东路与闽江路交叉口西北角护栏倒了", X("山东路", "闽江路", "西北"))
    q(x, "山东路宁夏路十字路口信号灯坏了", X("山东路", "宁夏路"))
    q(
        x,
        "南京路与宁夏路交叉口往南100米有车辆违停",
        X("南京路", "宁夏路", None, ("南", 100, "exact")),
    )
    q(x, "南京路正阳关路路口有个井盖松动", X("南京路", "正阳关路"))
    q(x, "居庸关路与正阳关路交叉口有人拍婚纱照占道", X("居庸关路", "正阳关路"))
    q(x, "韶关路南海路路口东北角垃圾桶满了", X("韶关路", "南海路", "东北"))
    q(x, "燕儿岛路与东海西路交叉口有人钓鱼占道", X("燕儿岛路", "东海西路"))
    q(x, "胶济铁路湖南路桥洞子底下积水过不去车", X("胶济铁路", "湖南路"))
    q(x, "江苏路与湖南路交叉口有人发小广告", X("江苏路", "湖南路"))
    q(x, "江苏路湖南路交叉口西南角有个坑", X("江苏路", "湖南路", "西南"))
    q(x, "来电人称香港中路南京路十字路口有人闯红灯卖花", X("香港中路", "南京路"))
    q(x, "香港中路与南京路交叉口东北角有人摆摊", X("香港中路", "南京路", "东北"))
    q(x, "香港中路山东路路口有积水", X("香港中路", "山东路"))
    q(x, "胶州路中山路路口有人乱停车", X("胶州路", "中山路"))
    q(x, "胶州路和中山路交叉口东南角有人卖菜", X("胶州路", "中山路", "东南"))
    q(x, "胶州路中山路交叉口西北角有违章广告牌", X("胶州路", "中山路", "西北"))
    q(x, "湖南路与湖北路交叉口有人占道", X("湖南路", "湖北路"))
    q(x, "函谷关路与居庸关路交叉口落叶没人扫", X("函谷关路", "居庸关路"))
    q(x, "嘉峪关路正阳关路路口有人拍照堵路", X("嘉峪关路", "正阳关路"))
    q(x, "武胜关路和正阳关路交叉口路灯坏了", X("武胜关路", "正阳关路"))
    q(x, "韶关路与香港中路交叉口有人乱倒垃圾", X("韶关路", "香港中路"))
    q(x, "麦岛路香港中路路口有人卖水果占道", X("麦岛路", "香港中路"))
    q(
        x,
        "江苏路、宁夏路路口往东50米人行道塌了",
        X("江苏路", "宁夏路", None, ("东", 50, "exact")),
    )
    q(x, "中山路和江苏路交叉口有人摆摊", X("中山路", "江苏路"))
    q(x, "太平路与南海路交口有人钓鱼", X("太平路", "南海路"))
    q(
        x,
        "中山路湖南路路口这嘎达路灯坏了好几天",
        TWO(("disc", XO("中山路", "湖南路"), 30), ("disc", XO("中山路", "湖南路"), 100)),
    )
    q(
        x,
        "中山路四方路路口那嘎达有人半夜烧烤",
        TWO(("disc", XO("中山路", "四方路"), 30), ("disc", XO("中山路", "四方路"), 100)),
    )
    q(
        x,
        "天津路黄岛路路口这嘎达天天有人摆摊",
        TWO(("disc", XO("天津路", "黄岛路"), 30), ("disc", XO("天津路", "黄岛路"), 100)),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "中山路天主教堂往北约150米路西有人占道",
        OFF(A("天主教堂"), "北", 150, "about", ("中山路", "西")),
    )
    q(
        o,
        "栈桥往西走个二三百米有人钓鱼占道",
        TWO(OFF(A("栈桥"), "西", None, (200, 300)), OFF(A("栈桥"), "西", None, (160, 360))),
    )
    q(
        o,
        "栈桥往东走个二三百米有人乱停车",
        TWO(OFF(A("栈桥"), "东", None, (200, 300)), OFF(A("栈桥"), "东", None, (160, 360))),
    )
    q(o, "栈桥往南300米有人违规下海", OFF(A("栈桥"), "南", 300))
    q(o, "栈桥往北走了二百来米井盖缺失", OFF(A("栈桥"), "北", 200, "about"))
    q(o, "青岛火车站往北走了三百来米有人拉客", OFF(A("青岛火车站"), "北", 300, "about"))
    q(o, "火车站往东约500米有流动摊贩", OFF(A("青岛火车站"), "东", 500, "about"))
    q(o, "市民反映基督教堂往东100米有人私搭乱建，请核实", OFF(A("基督教堂"), "东", 100))
    q(o, "江苏路基督教堂往西50米路面破损", OFF(A("基督教堂"), "西", 50))
    q(o, "基督教堂往南走了三百来米有人占道", OFF(A("基督教堂"), "南", 300, "about"))
    q(o, "青大附院往西200米有人倒垃圾", OFF(A("青大附院"), "西", 200))
    q(
        o,
        "青岛大学附属医院往北约100米路西有黑车拉客",
        OFF(A("青大附院"), "北", 100, "about", ("江苏路", "西")),
    )
    q(o, "海大鱼山校区往东走了三百来米有人烧树叶", OFF(A("海大鱼山校区"), "东", 300, "about"))
    q(o, "一浴往西一百多米有人卖烧烤", OFF(A("一浴"), "西", 100, "more"))
    q(o, "第一海水浴场往北约500米垃圾没人清", OFF(A("第一海水浴场"), "北", 500, "about"))
    q(
        o,
        "一浴往北走个二三百米有人占道卖泳圈",
        TWO(OFF(A("一浴"), "北", None, (200, 300)), OFF(A("一浴"), "北", None, (160, 360))),
    )
    q(o, "花石楼往南200米有游客乱扔垃圾", OFF(A("花石楼"), "南", 200))
    q(
        o,
        "花石楼往东约400米路北有人拍婚纱照堵路",
        OFF(A("花石楼"), "东", 400, "about", ("正阳关路", "北")),
    )
    q(o, "鲁迅公园往东走了三百来米有人海边烧烤", OFF(A("鲁迅公园"), "东", 300, "about"))
    q(o, "五四广场往西走了四百来米有人放风筝挂电线上了", OFF(A("五四广场"), "西", 400, "about"))
    q(o, "五四广场往东1公里有人私搭棚子", OFF(A("五四广场"), "东", 1000))
    q(o, "五四广场往南200米有人违规游泳", OFF(A("五四广场"), "南", 200))
    q(
        o,
        "五四广场往东走个二三百米有人卖气球",
        TWO(OFF(A("五四广场"), "东", None, (200, 300)), OFF(A("五四广场"), "东", None, (160, 360))),
    )
    q(o, "万象城往北200米路东有车辆违停", OFF(A("万象城"), "北", 200, side=("山东路", "东")))
    q(o, "万象城往南300米有人占道", OFF(A("万象城"), "南", 300))
    q(o, "利群往北走了二百来米有人乱贴小广告", OFF(A("利群"), "北", 200, "about"))
    q(
        o,
        "利群往南走个百十米有个井盖没盖",
        TWO(OFF(A("利群"), "南", None, (80, 120)), OFF(A("利群"), "南", None, (50, 150))),
    )
    q(
        o,
        "劈柴院往东走个百十米油烟扰民",
        TWO(OFF(A("劈柴院"), "东", None, (80, 120)), OFF(A("劈柴院"), "东", None, (50, 150))),
    )
    q(
        o,
        "青岛国货往北约100米路东有人占道",
        OFF(A("青岛国货"), "北", 100, "about", ("中山路", "东")),
    )
    q(o, "信号山公园往北走了二百来米有人砍树", OFF(A("信号山公园"), "北", 200, "about"))
    q(o, "信号山公园往西150米有人遛狗不牵绳", OFF(A("信号山公园"), "西", 150))
    q(
        o,
        "从工行中山路支行沿着中山路往上坡走一百来米，有个井盖响",
        up_down("工行中山路支行", "北", (80, 120)),
    )
    q(o, "利群顺着中山路往上走二百来米有人摆摊", up_down("利群", "北", (160, 240)))
    q(o, "青岛美术馆往上坡走了一百多米有人乱扔垃圾", up_down("青岛美术馆", "北", (100, 150)))
    q(o, "天主教堂往下坡走二百来米有人堵路", up_down("天主教堂", "南", (160, 240)))
    q(o, "江苏路小学往下坡走了百十米有积水", up_down("江苏路小学", "南", (80, 120), (50, 150)))
    q(o, "八大关派出所往北约300米有人占道", OFF(A("八大关派出所"), "北", 300, "about"))
    q(o, "湛山寺往南走了二百来米有人烧荒", OFF(A("湛山寺"), "南", 200, "about"))
    q(o, "麦岛村委会往北约300米有人私建棚子", OFF(A("麦岛村委会"), "北", 300, "about"))
    q(o, "市立医院往南300米有人占道", OFF(A("市立医院"), "南", 300))
    q(o, "市立医院往北100米有人摆摊", OFF(A("市立医院"), "北", 100))
    q(
        o,
        "燕儿岛路加油站往北约200米路西有人倒建筑垃圾",
        OFF(A("燕儿岛路加油站"), "北", 200, "about", ("燕儿岛路", "西")),
    )
    q(
        o,
        "河南路与湖南路交叉口往东150米路南有商户占道",
        OFF(XO("河南路", "湖南路"), "东", 150, side=("湖南路", "南")),
    )
    q(
        o,
        "南京路宁夏路路口往西约300米路北有人摆摊",
        OFF(XO("南京路", "宁夏路"), "西", 300, "about", ("宁夏路", "北")),
    )
    q(o, "山东路闽江路交叉口往北200米有人乱停车", OFF(XO("山东路", "闽江路"), "北", 200))
    q(o, "青岛啤酒博物馆往南100米有人占道", OFF(("none",), "南", 100))
    q(o, "台东步行街往西200米有人摆摊", OFF(("none",), "西", 200))
    q(o, "市南区第三人民医院往北100米有积水", OFF(("none",), "北", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "天主教堂门口有人乱停车", NEAR("天主教堂"))
    q(n, "栈桥旁边有人卖假珍珠", NEAR("栈桥"))
    q(n, "劈柴院门口油烟太大", NEAR("劈柴院"))
    q(n, "黄岛路市场门口污水横流", NEAR("黄岛路市场"))
    q(n, "青大附院门口黑车拉客", NEAR("青大附院"))
    q(n, "基督教堂旁边有人占道拍照", NEAR("基督教堂"))
    q(n, "江苏路小学门口早上堵车", NEAR("江苏路小学"))
    q(n, "海信广场对面有人发传单", NEAR("海信广场"))
    q(n, "青岛银行香港中路支行门口有共享单车堆放", NEAR("青岛银行香港中路支行"))
    q(n, "来电人反映万象城旁边有人占道卖花，影响通行", NEAR("万象城"))
    q(n, "鲁信长春花园周边晚上广场舞太吵", NEAR_COMPOUND("鲁信长春花园", ["鲁信长春花园"]))
    q(n, "海韵嘉园附近施工扰民", NEAR_COMPOUND("海韵嘉园", ["海韵嘉园"]))
    q(n, "团岛花园周边垃圾堆放", NEAR_COMPOUND("团岛花园", ["团岛花园"]))
    q(n, "海大鱼山校区门口有流动摊贩", NEAR("海大鱼山校区"))
    q(n, "信号山公园门口有人乱停车", NEAR("信号山公园"))
    q(n, "小鱼山旁边有人私搭乱建", NEAR("小鱼山"))
    q(n, "老舍故居对面有人卖纪念品占道", NEAR("老舍故居"))
    q(n, "一浴附近有人乱扔垃圾", NEAR("一浴"))
    q(n, "五四广场周边有人放无人机", NEAR("五四广场"))
    q(n, "市立医院门口有人卖假药", NEAR("市立医院"))
    q(n, "麦岛村委会旁边有人焚烧垃圾", NEAR("麦岛村委会"))
    q(n, "湛山寺门口有人乱停车", NEAR("湛山寺"))
    q(
        n,
        "花石楼跟前儿有人拍照堵路",
        TWO(NEAR("花石楼"), NEAR("花石楼", r=100)),
    )
    q(n, "利群跟前有人发小广告", TWO(NEAR("利群"), NEAR("利群", r=100)))
    q(
        n,
        "大鲍岛这嘎达晚上有人大声喧哗",
        TWO(("area", "大鲍岛社区"), ("buf", ("area", "大鲍岛社区"), 100)),
    )
    q(
        n,
        "五四广场这嘎达有人放孔明灯",
        TWO(NEAR("五四广场", r=30), NEAR("五四广场", r=100)),
    )
    hn = fb("湖南路", 850, "L")
    q(
        n,
        f"俺家楼下下水道堵了，俺家是湖南路{no(hn)}号",
        TWO(("pt", hn["code"]), ("near", [hn["code"]], R_NEAR)),
    )
    js = fb("江苏路", 2300, "L")
    q(
        n,
        f"俺家楼下有人半夜烧烤，江苏路{no(js)}号",
        TWO(("pt", js["code"]), ("near", [js["code"]], R_NEAR)),
    )
    q(n, "鲁迅公园海边有人烧烤", SHORE("鲁迅公园"))
    q(n, "栈桥海边有人卖假珍珠", SHORE("栈桥"))
    q(n, "台东利群门口有人摆摊", NOWHERE())
    q(n, "青岛啤酒博物馆门口游客乱停车", NOWHERE())
    q(n, "市南区第二人民医院附近有人乱停车", NOWHERE())

    # --- lane_alone (a short 路 or a 里 named alone) -------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("江宁路里头有人占道摆摊", "江宁路"),
        ("易州路那个里院路灯坏了", "易州路"),
        ("福山支路有人乱停车堵路", "福山支路"),
        ("黄县路路面坑坑洼洼", "黄县路"),
        ("黄岛路有人占道卖海鲜", "黄岛路"),
        ("嘉峪关路有人乱停车", "嘉峪关路"),
        ("龙山路有人违停，车都过不去", "龙山路"),
        ("武胜关路落叶堵了下水道", "武胜关路"),
        ("广兴里里院有人私拉电线", "广兴里"),
        ("积厚里厕所堵了", "积厚里"),
        ("积厚里里院漏雨没人管", "积厚里"),
        ("瑞云里有人养鸽子扰民", "瑞云里"),
        ("三江里化粪池往外冒", "三江里"),
        ("来电人称同德里有人半夜装修，多次沟通无果", "同德里"),
        ("平安里有人私搭乱建", "平安里"),
        ("福寿里路灯不亮", "福寿里"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "市民来电：麦岛村3组有人焚烧垃圾，烟味很大", ZU("麦岛村", 3))
    q(g, "麦岛村五组有人私建棚子", ZU("麦岛村", 5))
    q(g, "湛山街道麦岛村第一村民小组有人违建", ZU("麦岛村", 1, "湛山街道"))
    q(g, "青岛市市南区湛山街道麦岛村6组自来水停了", ZU("麦岛村", 6, "湛山街道"))
    q(g, "麦岛村2组有人乱倒渣土", ZU("麦岛村", 2))
    q(g, "徐家麦岛村二组路灯不亮", ZU("徐家麦岛村", 2))
    q(g, "徐家麦岛村4组有人私挖", ZU("徐家麦岛村", 4))
    q(g, "徐家麦岛村第六村民小组有人偷倒垃圾", ZU("徐家麦岛村", 6))
    q(g, "徐家麦岛村一组排水沟堵了", ZU("徐家麦岛村", 1))
    q(g, "徐家麦岛村三组垃圾没人收", ZU("徐家麦岛村", 3))
    q(g, "麦岛村七组有人烧荒", ZU("麦岛村", 7))
    q(g, "金门路街道麦岛村2组有人违建", ZU("麦岛村", 2, "金门路街道"))
    q(g, "湛山村2组有人私拉电线", ZU("湛山村", 2))
    q(g, "麦岛2组有人养狗扰民", TWO(ZU("麦岛村", 2), ("zu_like", "麦岛", 2)))
    q(g, "麦岛村4组那嘎达有人焚烧秸秆", TWO(ZU("麦岛村", 4), ("buf", ZU("麦岛村", 4), 100)))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "湛山村有人烧垃圾，烟很大", VIL("湛山村"))
    q(v, "浮山所村有人私拉电网", VIL("浮山所村"))
    q(v, "湛山街道浮山所村狗咬人", VIL("浮山所村", "湛山街道"))
    q(v, "小麦岛村有人往海里倒垃圾", VIL("小麦岛村"))
    q(v, "市南区小麦岛村自来水停了", VIL("小麦岛村"))
    q(v, "燕儿岛村有人占用耕地建房", VIL("燕儿岛村"))
    q(v, "湛山街道辛家庄村有人焚烧垃圾", VIL("辛家庄村", "湛山街道"))
    q(v, "金门路街道辛家庄村路面塌陷", VIL("辛家庄村", "金门路街道"))
    q(v, "金门路辛家庄村有人私建猪圈", VIL("辛家庄村", "金门路街道"))
    q(v, "辛家庄村有人私建猪圈", VIL("辛家庄村"))
    q(v, "麦岛村垃圾堆放", VIL("麦岛村"))
    q(v, "徐家麦岛村有人电鱼", VIL("徐家麦岛村"))
    q(v, "湛山街道燕儿岛村有人违建", VIL("燕儿岛村", "湛山街道"))
    q(v, "大麦岛村有人烧荒", VIL("大麦岛村"))

    # --- other_county (青岛's other 县级 units, other cities, in front of our addresses) ----
    oc = "other_county"
    nx_, jz = fb("宁夏路", 350, "L"), fb("胶州路", 1400, "R")
    hd, hun = fb("黄岛路", 400, "R", 10), fb("湖南路", 1700, "R")
    nj, hb = fb("南京路", 1550, "L"), fb("湖北路", 1850, "R")
    xg, zs = fb("香港中路", 300, "L"), fb("中山路", 2750, "R")
    yed, sd = fb("燕儿岛路", 500, "L"), fb("山东路", 650, "L")
    fz, jsl = fb("福州南路", 250, "L"), fb("江苏路", 700, "R")
    xg2 = fb("香港中路", 2100, "R")
    for text, code in [
        (f"青岛市市北区宁夏路{no(nx_)}号", None),
        (f"市北区胶州路{no(jz)}号", None),
        ("崂山区湛山街道麦岛村3组15号", None),
        (f"青岛市崂山区燕儿岛路{no(yed)}号", None),
        (f"黄岛区黄岛路{no(hd)}号", None),
        (f"胶州市胶州路{no(jz)}号", None),
        (f"江苏省南京市湖南路{no(hun)}号", None),
        (f"上海市南京路{no(nj)}号", None),
        (f"李沧区湖北路{no(hb)}号", None),
        (f"城阳区香港中路{no(xg)}号", None),
        ("即墨区金门路街道徐家麦岛村二组8号", None),
        (f"平度市中山路{no(zs)}号", None),
        (f"山东省青岛市市南区山东路{no(sd)}号", sd["code"]),
        (f"青岛市市南区宁夏路{no(nx_)}号", nx_["code"]),
        (f"市南区胶州路{no(jz)}号", jz["code"]),
        (f"青岛市市南区黄岛路{no(hd)}号", hd["code"]),
        ("青岛市市南区湛山街道麦岛村3组15号", H("MD", 3, 15)["code"]),
        (f"青岛市南京路{no(nj)}号", nj["code"]),
        (f"山东青岛市南区福州南路{no(fz)}号", fz["code"]),
        (f"青岛市市南区湖南路{no(hun)}号", hun["code"]),
        (f"山东省青岛市市南区江苏路{no(jsl)}号", jsl["code"]),
        ("市南区金门路街道徐家麦岛村二组8号", H("XJMD", 2, 8)["code"]),
        (f"青岛市市南区中山路{no(zs)}号", zs["code"]),
        (f"山东省青岛市香港中路{no(xg2)}号", xg2["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    e1, e2 = fb("江苏路", 300, "L"), fb("湖南路", 150, "L")
    e3, e4 = fb("中山路", 150, "L"), fb("南京路", 2700, "L")
    e5, e6 = fb("宁夏路", 2250, "R"), fb("香港中路", 1500, "L")
    e7, e8 = fb("山东路", 1300, "R"), fb("黄岛路", 50, "L", 10)
    lc = door(450, "R")
    absent("中山路999号")
    absent("麦岛村3组30号")
    for text, code in [
        (f"No. {no(e1)}, Jiangsu Road, Shinan District, Qingdao", e1["code"]),
        (f"No. {no(e2)} Hunan Road, Shinan District, Qingdao, Shandong", e2["code"]),
        (f"No. {no(e3)}, Zhongshan Road, Shinan District", e3["code"]),
        (f"No. {no(e4)}, Nanjing Road, Shinan District, Qingdao", e4["code"]),
        (f"No. {no(e5)}, Ningxia Road, Qingdao", e5["code"]),
        (f"No. {no(e6)}, Hong Kong Middle Road, Shinan District, Qingdao", e6["code"]),
        (
            f"No. {no(e7)}, Shandong Road, Shinan District, Qingdao, Shandong Province",
            e7["code"],
        ),
        (f"No. {no(e8)}, Huangdao Road, Shinan District, Qingdao", e8["code"]),
        (
            "No. 15, Group 3, Maidao Village, Zhanshan Subdistrict, Shinan District, Qingdao",
            H("MD", 3, 15)["code"],
        ),
        (
            "No. 8, Group 2, Xujiamaidao Village, Jinmenlu Subdistrict, Shinan District",
            H("XJMD", 2, 8)["code"],
        ),
        ("No. 28, Zhanshan Village, Zhanshan Subdistrict, Shinan District", H("ZS", 0, 28)["code"]),
        (
            f"Building 2, Luxin Changchun Garden, No. {lc} Minjiang Road, Shinan District",
            "SNLXCCB2",
        ),
        ("No. 5, Guangxing Li, Shinan District, Qingdao", "SNGXLI5"),
        (f"{no(e1)}号，江苏路，市南区，青岛市", e1["code"]),
        ("15号，3组，麦岛村，湛山街道，市南区", H("MD", 3, 15)["code"]),
        ("2号楼，鲁信长春花园，市南区", "SNLXCCB2"),
        (f"{no(e5)}号，宁夏路，市北区，青岛市", None),
        (f"No. {no(e1)}, Jiangsu Road, Nanjing, Jiangsu", None),
        (f"No. {no(e2)}, Hunan Road, Shibei District, Qingdao", None),
        ("No. 999, Zhongshan Road, Shinan District, Qingdao", None),
        ("No. 30, Group 3, Maidao Village, Zhanshan Subdistrict, Shinan District", None),
        (f"No. {no(e8)}, Huangdao Road, Huangdao District, Qingdao", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 5, Maidao Village, Zhanshan Subdistrict, Shinan District", ZU("麦岛村", 5))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    b1, b2 = fb("太平路", 1700, "R"), fb("湖南路", 450, "R")
    b3, b4 = fb("江苏路", 1300, "L"), fb("四方路", 200, "L")
    b5, b6 = fb("湖南路", 2200, "L"), fb("江苏路", 2700, "R")
    b7, b8 = fb("闽江路", 1000, "L"), fb("宁夏路", 1750, "L")
    b9, b10 = fb("韶关路", 800, "L"), fb("正阳关路", 1750, "L")
    b11, b12 = fb("香港中路", 2900, "L"), fb("湖北路", 250, "L")
    b13, b14 = fb("黄岛路", 400, "R", 10), fb("胶州路", 2100, "R")
    b15, b16 = fb("南京路", 300, "L"), fb("山东路", 1300, "R")
    b17 = fb("北京路", 550, "R")
    for miss in ["湖南路7号", "鲁信长春花园9号楼", "麦岛村3组99号", "湛山村200号", "广兴里30号"]:
        absent(miss)
    absent("徐家麦岛村七组3号")
    absent("江苏路9号")
    assert H("XJZ1", 0, 36) and H("XJZ2", 0, 36)  # 辛家庄村36号: both villages have it
    for text, code in [
        (b1["address"], b1["code"]),
        (f"湖南路{cn_number(no(b2))}号", b2["code"]),
        (f"江苏路{str(no(b3)).translate(FULL)}号", b3["code"]),
        ("栈桥", code_of_alias("栈桥")),
        ("中山路天主教堂", code_of_alias("天主教堂")),
        ("青大附院", code_of_alias("青大附院")),
        ("江苏路基督教堂", code_of_alias("基督教堂")),
        ("海大鱼山校区", code_of_alias("海大鱼山校区")),
        ("八大关花石楼", code_of_alias("花石楼")),
        ("华润万象城", code_of_alias("万象城")),
        ("青岛火车站", code_of_alias("青岛火车站")),
        ("鲁信长春花园3号楼", "SNLXCCB3"),
        ("海韵嘉园2号楼", "SNHYJYB2"),
        (f"四方路{no(b4)}号院", b4["code"]),
        ("广兴里8号", "SNGXLI8"),
        ("市南区积厚里3号", "SNJHLI3"),
        ("市南区湛山街道湛山村45号", H("ZS", 0, 45)["code"]),
        ("金门路街道辛家庄村18号", H("XJZ2", 0, 18)["code"]),
        ("麦岛村3组15号", H("MD", 3, 15)["code"]),
        ("徐家麦岛村三组7号", H("XJMD", 3, 7)["code"]),
        (f"胡南路{no(b5)}号", b5["code"]),
        (f"市南区姜苏路{no(b6)}号", b6["code"]),
        (f"敏江路{no(b7)}号", b7["code"]),
        (f"青岛市宁厦路{no(b8)}号", b8["code"]),
        (f"绍关路{no(b9)}号", b9["code"]),
        (f"正杨关路{no(b10)}号", b10["code"]),
        (f"香港中陆{no(b11)}号", b11["code"]),
        ("鲁信长春花园1号楼2单元301户", "SNLXCCB1"),
        (f"湖北路{no(b12)}号3单元502", b12["code"]),
        (f"黄岛路{no(b13)}号", b13["code"]),
        (f"胶州路{no(b14)}号", b14["code"]),
        (f"南京路{no(b15)}号", b15["code"]),
        (f"山东路{cn_number(no(b16))}号", b16["code"]),
        (f"北京路{str(no(b17)).translate(FULL)}号", b17["code"]),
        ("青岛市市南区中山路999号", None),
        ("湖南路7号", None),
        ("鲁信长春花园9号楼", None),
        ("湛山街道麦岛村3组99号", None),
        ("市南区湛山村200号", None),
        ("辛家庄村36号", None),
        ("广兴里30号", None),
        ("平安里5号", None),
        ("金门路街道徐家麦岛村七组3号", None),
        (f"市南区香港西路{no(b11)}号", None),
        ("江苏路9号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, dict, object]]:
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
    rows = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        row = {"query": text, "expected": expected, "micro_grid": micro, "kind": kind}
        rows.append((kind, row, spec))
        lines.append(json.dumps(row, ensure_ascii=False))
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = sorted({k for k, _ in stats})
    for k in kinds:
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {len(lines)}, refused {refused}"
    )
    return rows


# ---------------------------------------------------------------- read back and check
def check(rows) -> None:
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"] for f in grids["features"]}
    micro_poly = {
        f["properties"]["code"]: shape(f["geometry"])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    with (HERE / "buildings.csv").open(encoding="utf-8") as fh:
        blds = {r["code"]: r for r in csv.DictReader(fh)}
    for r in blds.values():
        p = Point(float(r["lon"]), float(r["lat"]))
        if not micro_poly[r["micro_grid_code"]].contains(p):
            raise SystemExit(f"building {r['code']} is not in its micro-grid")
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["micro_grid"] is not None and row["micro_grid"] not in codes:
            raise SystemExit(f"unknown micro-grid in {row}")
        if row["expected"] is not None:
            if blds[row["expected"]]["micro_grid_code"] != row["micro_grid"]:
                raise SystemExit(f"expected building not in the stated micro-grid: {row}")
        elif row["micro_grid"] is None:
            continue
    for _kind, row, spec in rows:
        if row["micro_grid"] is None or spec[0] in ("bld", "two"):
            continue
        region = place_region(spec)
        hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
        if hits != [row["micro_grid"]]:
            raise SystemExit(f"place region not in exactly one micro-grid: {row}")
    print("checked: files read back, buildings and truths consistent")


if __name__ == "__main__":
    check(write_all())
