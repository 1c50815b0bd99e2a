"""Write the place-description evaluation district: 辽宁省沈阳市苏家屯区.

    python bench/data/place_sujiatun/make_district.py

One grid tree in two parts: an urban core (湖西街道, 迎春街道, with 路 / 街 crossings, 胡同, 小区
and 大院 of 号楼) and a rural east (永乐街道, 陈相街道, with 行政村 whose houses are written by 组 —
`苏家屯区永乐街道大沟村3组15号` —, by 自然屯 — `苏家屯区永乐街道孤家子村王家屯12号` — or numbered
across the village — `苏家屯区永乐街道小堡村56号`). The 街道 and the urban road names are
苏家屯区's; the communities, villages, 屯, lanes, door numbers, landmarks' positions and all
geometry are ours: a layout in metres over a 6 km x 3 km box, turned into WGS-84 at 苏家屯.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. A vague word
without a rule of its own gets a narrow and a wide reading; the query is a positive only when
both land in the same micro-grid.

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
LON0, LAT0 = 123.3000, 41.6450  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    """Back from WGS-84 to the layout's metres (to the centimetre)."""
    return round((lon - LON0) * KX, 2), round((lat - LAT0) * KY, 2)


# ---------------------------------------------------------------- grid tree
DISTRICT = ("210111", "苏家屯区")
W, S, E, N = 0.0, 0.0, 6000.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name)
STREETS = [
    ("210111002", "湖西街道", (0, 1500, 2400, 3000), [("枫杨社区", "枫杨"), ("雪松社区", "雪松")]),
    ("210111003", "迎春街道", (0, 0, 2400, 1500), [("银杏社区", "银杏"), ("玫瑰社区", "玫瑰")]),
]

# rural streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu": six micro-grids named after the 组 (`大沟村3组`); "tun": six micro-grids named after
# the 自然屯 (`孤家子村王家屯`); "plain": six plain micro-grids; "small": a village numbered
# across, two micro-grids.
RURAL = [
    (
        "210111011",
        "永乐街道",
        (2400, 1500, 6000, 3000),
        [
            ("大沟村", "DG", "zu"),
            ("孤家子村", "GJZ", "tun"),
            ("沙岗子村", "SGY", "small"),
            ("小堡村", "XB", "small"),
            ("双台子村", "STZ", "small"),
        ],
    ),
    (
        "210111012",
        "陈相街道",
        (2400, 0, 6000, 1500),
        [
            ("姚家村", "YJ", "plain"),
            ("红旗村", "HQ", "plain"),
            ("沙岗子村", "SGC", "small"),
            ("四家子村", "SJZ", "small"),
            ("榆树村", "YS", "small"),
        ],
    ),
]
TUN_MICROS = ["王家屯", "李家屯", "前屯", "后屯", "腰屯", "东沟屯"]


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
CHAIN: dict[str, tuple[str, str]] = {}  # micro code -> (street, community or village)
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}  # village key -> box


def add_micro(code: str, name: str, parent: str, b, chain: tuple[str, str]) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name
    CHAIN[code] = chain


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
                    name = f"{g_name}{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, (s_name, c_name))
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
                    name = f"{v_name}{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, (t_name, v_name))
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
                    elif style == "tun":
                        name = f"{v_name}{TUN_MICROS[m - 1]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb, (t_name, v_name))


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("沈本大街", "arterial", [(1200, 0), (1200, 3000)]),
    ("海丰路", "arterial", [(0, 1500), (2400, 1500)]),
    ("枫杨路", "arterial", [(600, 0), (600, 3000)]),
    ("雪松路", "secondary", [(0, 1900), (2400, 1900)]),
    ("香杨路", "secondary", [(1750, 1500), (1750, 3000)]),
    ("迎春街", "arterial", [(0, 1050), (3500, 1050)]),
    ("银杏路", "arterial", [(0, 350), (2400, 350)]),
    ("玫瑰街", "arterial", [(2400, 0), (2400, 3000)]),
    ("丁香街", "secondary", [(250, 1550), (250, 2950)]),
    ("海棠街", "branch", [(1350, 2050), (1350, 1750), (1550, 1750), (1550, 2050)]),
    ("樱桃街", "branch", [(900, 2350), (900, 2650)]),
    # 胡同 in the road file
    ("粮库胡同", "branch", [(450, 2100), (450, 2400)]),
    ("机务段胡同", "branch", [(1300, 2500), (1550, 2500)]),
    ("铁路胡同", "branch", [(900, 1150), (900, 1420)]),
    ("合作胡同", "branch", [(1650, 200), (1950, 200)]),
    ("新民胡同", "branch", [(2150, 1620), (2150, 1900)]),
    ("站前胡同", "branch", [(2050, 1250), (2400, 1250)]),
    # the rural east
    ("永陈公路", "arterial", [(2400, 1500), (6000, 1500)]),
    ("永乐大街", "secondary", [(2400, 2650), (5900, 2650)]),
    ("永佟路", "secondary", [(4800, 0), (4800, 3000)]),
    ("陈相大街", "secondary", [(3650, 1100), (4750, 1100)]),
    ("陈白公路", "arterial", [(2400, 400), (6000, 400)]),
    ("大沟路", "branch", [(3050, 1600), (3050, 2900)]),
    ("孤家子路", "branch", [(4360, 1600), (4360, 2900)]),
    ("姚家路", "branch", [(2650, 150), (2650, 650), (3300, 650)]),
    ("红旗路", "branch", [(4150, 100), (4150, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "苏家屯区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "沈本大街": "SBDJ",
    "海丰路": "HFL",
    "枫杨路": "FYL",
    "雪松路": "XSL",
    "香杨路": "XYL",
    "迎春街": "YCJ",
    "银杏路": "YXL",
    "玫瑰街": "MGJ",
    "丁香街": "DXJ",
    "海棠街": "HTJ",
    "樱桃街": "YTJ",
    "粮库胡同": "LKHT",
    "机务段胡同": "JWDHT",
    "铁路胡同": "TLHT",
    "合作胡同": "HZHT",
    "新民胡同": "XMHT",
    "站前胡同": "ZQHT",
    "永乐大街": "YLDJ",
    "陈相大街": "CXDJ",
    "陈白公路": "CBGL",
    "幸福胡同": "XFHT",
    "前进胡同": "QJHT",
    "友好胡同": "YHHT",
    "红星胡同": "HXHT",
    "团结胡同": "TJHT",
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
        add(f"SJ{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def annex(road: str, s: float, side: str, k: int):
    """`…N号附k号`: a house behind door N, a little further along the road."""
    n = door(s, side)
    x, y = on_road(road, s + 6 * k, side, setback=35.0)
    add(f"SJ{CODE_KEY[road]}{n}F{k}", f"{CITY}{road}{n}号附{k}号", x, y, road=road, n=n, annex=k)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"SJ{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 胡同 known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"SJ{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 号楼 of a 小区 or 大院 behind its gate door `address`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}{name}{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


TOWN_OF = {
    "DG": "永乐街道",
    "GJZ": "永乐街道",
    "SGY": "永乐街道",
    "XB": "永乐街道",
    "STZ": "永乐街道",
}
TOWN_OF |= {
    "YJ": "陈相街道",
    "HQ": "陈相街道",
    "SGC": "陈相街道",
    "SJZ": "陈相街道",
    "YS": "陈相街道",
}
VILLAGE_OF = {
    "DG": "大沟村",
    "GJZ": "孤家子村",
    "SGY": "沙岗子村",
    "XB": "小堡村",
    "STZ": "双台子村",
    "YJ": "姚家村",
    "HQ": "红旗村",
    "SGC": "沙岗子村",
    "SJZ": "四家子村",
    "YS": "榆树村",
}
ZU_CN = {"YJ"}  # 姚家村 writes its 组 in Chinese numerals (`姚家村二组`)
TUN_NO = {
    "王家屯": 1,
    "李家屯": 2,
    "前屯": 3,
    "后屯": 4,
    "腰屯": 5,
    "东沟屯": 6,
    "张家屯": 7,
    "新立屯": 8,
    "李家窝棚": 9,
}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, centre, numbers, zu=None, tun=None, aliases=None):
    """Houses of a 组, of a 屯, or of a village numbered across (neither) around a centre."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        if zu:
            part, tag = (f"{CN[zu]}组" if key in ZU_CN else f"{zu}组"), f"Z{zu}"
        elif tun:
            part, tag = tun, f"T{TUN_NO[tun]}"
        else:
            part, tag = "", "N"
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{part}{n}号"
        add(
            f"SJ{key}{tag}{n:03d}",
            address,
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            tun=tun,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "枫杨路",
        [
            (200, "L", []),
            (520, "R", ["银杏社区居委会"]),
            (560, "R", ["枫杨小区西门"]),
            (900, "L", ["迎春派出所"]),
            (1130, "R", []),
            (1300, "R", ["苏家屯区中心医院", "区中心医院"]),
            (1650, "L", ["枫杨路地铁站"]),
            (2050, "R", ["盛京银行苏家屯支行", "盛京银行"]),
            (2400, "L", ["枫杨社区居委会"]),
            (2600, "L", ["粮库大院"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "沈本大街",
        [
            (250, "L", []),
            (650, "R", ["沈阳农商银行迎春支行", "农商银行迎春支行"]),
            (1150, "L", ["兴隆大家庭苏家屯店", "兴隆大家庭"]),
            (1700, "R", ["湖西派出所"]),
            (2050, "L", ["雪松家园东门"]),
            (2200, "L", ["苏家屯区第一中学", "区一中"]),
            (2450, "R", ["机务段大院"]),
            (2800, "R", []),
        ],
    )
    frontage(
        "海丰路",
        [
            (150, "L", []),
            (500, "R", ["海丰路早市"]),
            (950, "L", ["工商银行苏家屯支行", "工行苏家屯支行"]),
            (1450, "R", []),
            (1900, "L", ["雪松社区居委会"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "雪松路",
        [
            (100, "L", []),
            (500, "R", ["湖西小学"]),
            (850, "L", ["雪松家园", "雪松家园南门"]),
            (1050, "R", []),
            (1450, "L", ["雪松路菜市场"]),
            (1950, "R", ["建设银行湖西支行", "建行湖西支行"]),
            (2300, "L", []),
        ],
    )
    frontage(
        "香杨路",
        [
            (100, "L", []),
            (350, "R", []),
            (600, "L", ["香杨小区", "香杨小区大门"]),
            (1000, "R", ["湖西街道社区卫生服务中心"]),
            (1350, "L", []),
        ],
    )
    frontage(
        "迎春街",
        [
            (150, "L", []),
            (450, "R", ["迎春街早市"]),
            (870, "L", ["苏家屯区实验小学", "实验小学"]),
            (1000, "R", []),
            (1400, "L", ["迎春街道办事处"]),
            (1850, "R", ["邮政储蓄银行迎春街支行", "邮储迎春街支行"]),
            (2200, "L", []),
            (2700, "R", []),
            (3300, "L", []),
        ],
    )
    frontage(
        "银杏路",
        [
            (100, "L", []),
            (300, "R", ["迎春中学"]),
            (700, "L", ["枫杨小区", "枫杨小区南门"]),
            (1050, "R", ["大润发苏家屯店", "大润发"]),
            (1500, "L", ["玫瑰社区居委会"]),
            (1950, "R", []),
            (2250, "L", []),
        ],
    )
    frontage(
        "玫瑰街",
        [
            (300, "L", []),
            (700, "R", []),
            (1320, "L", ["苏家屯站", "苏家屯火车站"]),
            (1800, "R", []),
            (2350, "L", ["湖西街道办事处"]),
            (2800, "R", []),
        ],
    )
    frontage("丁香街", [(200, "L", ["丁香街菜市场"]), (900, "R", [])])
    frontage("海棠街", [(120, "R", []), (420, "L", [])])
    frontage("樱桃街", [(60, "L", []), (220, "R", [])], step=10)
    # 胡同 of the road file
    frontage("粮库胡同", [(50, "L", []), (250, "R", [])], step=10)
    frontage("机务段胡同", [(40, "L", []), (180, "R", [])], step=10)
    frontage("铁路胡同", [(60, "L", []), (220, "R", [])], step=10)
    frontage("合作胡同", [(50, "L", []), (250, "R", [])], step=10)
    frontage("新民胡同", [(40, "L", []), (200, "R", [])], step=10)
    frontage("站前胡同", [(60, "L", []), (220, "R", [])], step=10)
    # 胡同 in no road file
    lane_houses("幸福胡同", [(2, 300, 600), (5, 340, 612), (9, 380, 600)])
    lane_houses("前进胡同", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("友好胡同", [(1, 2150, 2600), (6, 2160, 2660), (10, 2150, 2720)])
    lane_houses("红星胡同", [(4, 1450, 1250), (7, 1500, 1262)])
    lane_houses("团结胡同", [(2, 1170, 2700), (5, 1230, 2700), (8, 1240, 2760)])
    # 附N号: houses behind a door
    annex("迎春街", 1000, "R", 1)
    annex("枫杨路", 200, "L", 1)
    annex("枫杨路", 200, "L", 2)
    # 小区 and 大院: a gate door with the name, and its 号楼
    compound(
        f"雪松路{door(850, 'L')}号",
        "雪松家园",
        "SJXSJY",
        [(900, 2000), (980, 2000), (1060, 2000), (900, 2080), (980, 2080), (1160, 2080)],
    )
    compound(
        f"香杨路{door(600, 'L')}号",
        "香杨小区",
        "SJXYXQ",
        [(1660, 1970), (1710, 1970), (1660, 2050), (1710, 2050)],
    )
    compound(
        f"银杏路{door(700, 'L')}号",
        "枫杨小区",
        "SJFYXQ",
        [(650, 450), (730, 450), (650, 530), (730, 530), (690, 620)],
    )
    compound(
        f"沈本大街{door(2450, 'R')}号",
        "机务段大院",
        "SJJWDY",
        [(1280, 2380), (1360, 2380), (1440, 2380), (1400, 2570)],
    )
    compound(
        f"枫杨路{door(2600, 'L')}号", "粮库大院", "SJLKDY", [(480, 2650), (520, 2730), (480, 2810)]
    )
    # the rural streets' main roads
    frontage(
        "永乐大街",
        [
            (300, "L", ["永乐派出所"]),
            (870, "R", ["永乐街道卫生院", "永乐卫生院"]),
            (1300, "L", ["永乐中心小学"]),
            (1850, "R", ["邮政储蓄银行永乐支行", "邮储永乐支行"]),
            (2300, "L", ["永乐街道办事处"]),
            (2850, "R", ["永乐早市"]),
            (3300, "L", []),
        ],
        prefix=CITY + "永乐街道",
    )
    frontage(
        "陈相大街",
        [
            (100, "L", ["陈相街道卫生院", "陈相卫生院"]),
            (400, "R", ["陈相派出所"]),
            (650, "L", ["沈阳农商银行陈相支行", "陈相农商行"]),
            (900, "R", ["陈相中学"]),
        ],
        prefix=CITY + "陈相街道",
    )
    frontage("陈白公路", [(500, "L", ["陈白公路加油站"]), (2200, "R", [])])
    # 永乐街道: 大沟村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    for zu, centre, nums in [
        (1, c("DG", 1), [3, 8, 12]),
        (2, c("DG", 2), [5, 9, 16]),
        (3, c("DG", 3), [2, 6, 11, 15]),
        (4, (2600, 2480), [1, 7, 13]),
        (5, (2950, 2480), [4, 10, 14]),
        (6, (3400, 2480), [3, 8]),
    ]:
        al = {9: ["大沟村委会", "大沟村村委会"]} if zu == 2 else None
        rural_houses("DG", centre, nums, zu=zu, aliases=al)
    # 孤家子村 (houses by 屯, micro-grids named after them)
    for tun, centre, nums in [
        ("王家屯", c("GJZ", 1), [3, 7, 12, 18]),
        ("李家屯", c("GJZ", 2), [2, 5, 9]),
        ("前屯", c("GJZ", 3), [4, 8, 11]),
        ("后屯", (3800, 2480), [1, 6, 10]),
        ("腰屯", (4200, 2480), [3, 9]),
        ("东沟屯", (4600, 2480), [2, 7, 13]),
    ]:
        al = {5: ["孤家子村委会", "孤家子村村委会"]} if tun == "李家屯" else None
        rural_houses("GJZ", centre, nums, tun=tun, aliases=al)
    # 陈相街道: 姚家村 (plain micro-grids, 一组 … 六组; 四组 lies across two)
    rural_houses("YJ", (2550, 260), [2, 6, 9], zu=1)
    rural_houses("YJ", (3000, 300), [1, 8, 12], zu=2, aliases={8: ["姚家村委会", "姚家村村委会"]})
    rural_houses("YJ", (3400, 300), [3, 7], zu=3)
    rural_houses("YJ", (2800, 1250), [4, 10, 15], zu=4)
    rural_houses("YJ", (3050, 1300), [5, 11], zu=5)
    rural_houses("YJ", (3400, 1250), [2, 6, 13], zu=6)
    # 红旗村 (plain micro-grids, houses by 屯; 张家屯 lies across two)
    rural_houses("HQ", (3800, 250), [3, 7, 12], tun="王家屯")
    rural_houses("HQ", (4400, 250), [2, 6, 9], tun="张家屯")
    rural_houses("HQ", (3800, 1250), [1, 5, 8], tun="新立屯")
    rural_houses("HQ", (4280, 1280), [4, 10], tun="腰屯")
    rural_houses("HQ", (4600, 1280), [3, 6, 11], tun="李家窝棚", aliases={6: ["红旗村委会"]})
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("SGY", (5000, 1900), [9, 26, 40, 64, 117])
    rural_houses("XB", (5400, 2450), [12, 37, 56, 103], aliases={37: ["小堡村委会"]})
    rural_houses("STZ", (5800, 1900), [7, 33, 70])
    rural_houses("SGC", (5000, 560), [15, 40, 52, 96])
    rural_houses("SJZ", (5400, 1100), [21, 45, 88, 131])
    rural_houses("YS", (5800, 250), [3, 18, 40, 77], aliases={18: ["榆树村委会"]})


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float, micros=None) -> str:
    micros = MICROS if micros is None else micros
    p = Point(x, y)
    hits = [c for c, poly in micros.items() if poly.contains(p)]
    if len(hits) != 1 or micros[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


def micro_of_region(region, micros=None, area=None) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    micros = MICROS if micros is None else micros
    area = DISTRICT_AREA if area is None else area
    if not area.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in micros.items() if poly.buffer(0.01).contains(region)]
    return hits[0] if len(hits) == 1 else None


# ---------------------------------------------------------------- places
R_CROSS = 30.0  # a crossing without a corner: every point within 30 m
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 门口 / 附近 / 周边: every point within 50 m
LATERAL = 20.0  # an offset says nothing about the side: 20 m either way
DIRS = {"东": (1, 0), "西": (-1, 0), "南": (0, -1), "北": (0, 1)}
CORNERS = {"东北": (1, 1), "西北": (-1, 1), "东南": (1, -1), "西南": (-1, -1)}
# the two readings of the vague words (metres): (narrow, wide)
VAGUE = {
    "边上": (50.0, 100.0),
    "跟前": (30.0, 50.0),
    "对过": (50.0, 100.0),
    "那旮沓": (50.0, 150.0),
    "前后": (50.0, 100.0),  # 前边 / 后边 of a landmark
    "楼头": (20.0, 50.0),
    "拐弯": (30.0, 60.0),
    "胡同口": (20.0, 50.0),
}


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


def side_of(road: str, side: str, mode: str):
    """One side of a road: the strip 2-30 m from the centreline (路东 …, mode "strip") or the
    whole 0-60 m (the wide reading of 道东 …, mode "half")."""
    line = ROAD[road]
    width = 30 if mode == "strip" else 60
    strips = [line.buffer(width, single_sided=True), line.buffer(-width, single_sided=True)]
    ux, uy = DIRS[side]
    mid = line.interpolate(0.5, normalized=True)
    probe = Point(mid.x + 10 * ux, mid.y + 10 * uy)
    strip = next(s for s in strips if s.contains(probe))
    return strip.difference(line.buffer(2)) if mode == "strip" else strip


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


def pts_of(bs):
    return MultiPoint([(b["x"], b["y"]) for b in bs]) if bs else None


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
    if kind == "xdisc":  # ("xdisc", A, B, r): a disc around a crossing met exactly once
        pts = crossings(spec[1], spec[2])
        return pts[0].buffer(spec[3]) if len(pts) == 1 else None
    if kind == "off":  # ("off", origin spec, dir, dist, how, (road, side, mode) or None)
        _, ospec, d, dist, how, side = spec
        o = origin(ospec)
        if o is None:
            return None
        lo, hi = tolerance(dist, how)
        if side:
            road, sd, mode = side
            wide = band(o, d, lo, hi, lateral=60)
            if not DISTRICT_AREA.contains(wide):
                return wide  # it runs out of the district
            region = wide.intersection(side_of(road, sd, mode))
            if region.area < 100:
                raise SystemExit(f"{spec}: the side strip misses the offset")
            return region
        return band(o, d, lo, hi)
    if kind == "discs":  # ("discs", [building codes], r): every point within r of them
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(spec[2]) for c in spec[1]]
        )
    if kind == "pts":  # ("pts", [building codes]): the buildings themselves
        return pts_of([BY_CODE[c] for c in spec[1]])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "mouth":  # ("mouth", lane, r, "road" | "both"): discs at the lane's ends
        _, name, r, which = spec
        if name not in ROAD:
            return None
        line = ROAD[name]
        ends = [Point(line.coords[0]), Point(line.coords[-1])]
        if which == "road":
            on = [p for p in ends if any(ROAD[o].distance(p) < 0.01 for o in ROAD if o != name)]
            ends = on or ends
        return unary_union([p.buffer(r) for p in ends])
    if kind == "zu":  # ("zu", town or None, village or None, number)
        return pts_of(houses(town=spec[1], village=spec[2], zu=spec[3]))
    if kind == "tun":  # ("tun", town or None, village or None, 屯)
        return pts_of(houses(town=spec[1], village=spec[2], tun=spec[3]))
    if kind == "village":  # ("village", town or None, village): all its houses
        return pts_of(houses(town=spec[1], village=spec[2]))
    raise SystemExit(spec)


def micro_of_spec(spec, micros=None, area=None) -> str | None:
    """The micro-grid a place spec lands in; a "two" spec needs both readings to agree."""
    if spec[0] == "two":
        a = micro_of_spec(spec[1], micros, area)
        b = micro_of_spec(spec[2], micros, area)
        return a if a is not None and a == b else None
    region = place_region(spec)
    if region is None or region.is_empty:
        return None
    return micro_of_region(region, micros, area)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    return None, micro_of_spec(spec)


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    """An offset; side (road, 东/西/南/北) is 路东 …: the 2-30 m strip."""
    return ("off", ospec, d, dist, how, (*side, "strip") if side else None)


def DAO(ospec, d, dist, how, road, sd):
    """An offset with 道东 / 道西 / 道南 / 道北: narrow 2-30 m strip, wide 0-60 m."""
    return (
        "two",
        ("off", ospec, d, dist, how, (road, sd, "strip")),
        ("off", ospec, d, dist, how, (road, sd, "half")),
    )


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("discs", [code_of_alias(a) for a in aliases], R_NEAR)


def NOWHERE():
    return ("discs", [], R_NEAR)


def members(name: str) -> list[str]:
    return [b["code"] for b in BUILDINGS if b.get("compound") == name]


def gates(name: str) -> list[str]:
    return [b["code"] for b in BUILDINGS if any(a.startswith(name) for a in b["aliases"])]


def NEAR_COMPOUND(name: str):
    """周边 / 附近 of a 小区: within 50 m of every 号楼 and gate."""
    return ("discs", sorted(set(members(name)) | set(gates(name))), R_NEAR)


def VAGUE_NEAR(word: str, alias: str):
    narrow, wide = VAGUE[word]
    code = code_of_alias(alias)
    return ("two", ("discs", [code], narrow), ("discs", [code], wide))


def INSIDE(name: str):
    """往里走 from a gate / 大院里: narrow its 号楼, wide 50 m around 号楼 and gates."""
    return ("two", ("pts", members(name)), NEAR_COMPOUND(name))


def TURN(a, b):
    narrow, wide = VAGUE["拐弯"]
    return ("two", ("xdisc", a, b, narrow), ("xdisc", a, b, wide))


def MOUTH(lane):
    narrow, wide = VAGUE["胡同口"]
    return ("two", ("mouth", lane, narrow, "road"), ("mouth", lane, wide, "both"))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def TUN(tun, village=None, town=None):
    return ("tun", town, village, tun)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, part, n):
    """A rural house: part is the 组 number, the 屯's name, or None (numbered across)."""
    if part is None:
        tag = "N"
    elif isinstance(part, int):
        tag = f"Z{part}"
    else:
        tag = f"T{TUN_NO[part]}"
    return BY_CODE[f"SJ{key}{tag}{n:03d}"]


def no(b) -> int:
    return b["n"]


def chain(b) -> tuple[str, str]:
    return CHAIN[micro_of_point(b["x"], b["y"])]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_number(n: int) -> str:
    """Door numbers in Chinese numerals: 15 -> 十五, 36 -> 三十六, 102 -> 一百零二."""
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
    return CN[h] + "百" + (CN[r // 10] + "十" + (CN[r % 10] if r % 10 else ""))


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    fy = {s: fb("枫杨路", s, d) for s, d in [(2800, "R"), (1130, "R"), (200, "L"), (2050, "R")]}
    sb250, xy100 = fb("沈本大街", 250, "L"), fb("香杨路", 100, "L")
    yx1950, hf150 = fb("银杏路", 1950, "R"), fb("海丰路", 150, "L")
    xs1050, yc2200 = fb("雪松路", 1050, "R"), fb("迎春街", 2200, "L")
    xy350, xs2300 = fb("香杨路", 350, "R"), fb("雪松路", 2300, "L")
    yx2250, yc102 = fb("银杏路", 2250, "L"), fb("迎春街", 1000, "R")
    s1, c1 = chain(xy100)
    s2, c2 = chain(yx1950)
    for text, code in [
        (f"辽宁省沈阳市苏家屯区枫杨路{no(fy[2800])}号", fy[2800]["code"]),
        (f"沈阳市苏家屯区沈本大街{no(sb250)}号", sb250["code"]),
        (f"苏家屯区{s1}{c1}香杨路{no(xy100)}号", xy100["code"]),
        (f"{s2}{c2}银杏路{no(yx1950)}号", yx1950["code"]),
        (f"海丰路{no(hf150)}号", hf150["code"]),
        (f"雪松路{no(xs1050)}号2单元302室", xs1050["code"]),
        (f"枫杨路{no(fy[1130])}号3楼302", fy[1130]["code"]),
        (f"迎春街{no(yc2200)}号3-302", yc2200["code"]),
        ("雪松家园3号楼", "SJXSJYB3"),
        ("雪松家园4栋2单元501", "SJXSJYB4"),
        ("香杨小区2幢", "SJXYXQB2"),
        ("枫杨小区5号楼3单元", "SJFYXQB5"),
        (f"雪松路{door(850, 'L')}号雪松家园1号楼", "SJXSJYB1"),
        ("苏家屯区机务段大院2号楼", "SJJWDYB2"),
        ("粮库大院3栋", "SJLKDYB3"),
        ("苏家屯区雪松家园５号楼１单元", "SJXSJYB5"),
        ("香杨小区三号楼", "SJXYXQB3"),
        ("枫杨小区1号楼2-401", "SJFYXQB1"),
        ("苏家屯区中心医院", code_of_alias("苏家屯区中心医院")),
        ("苏家屯站", code_of_alias("苏家屯站")),
        ("湖西派出所", code_of_alias("湖西派出所")),
        ("永乐卫生院", code_of_alias("永乐卫生院")),
        ("大沟村委会", code_of_alias("大沟村委会")),
        ("苏家屯区永乐街道大沟村3组15号", H("DG", 3, 15)["code"]),
        ("永乐街道大沟村三组6号", H("DG", 3, 6)["code"]),
        ("大沟村5组10号", H("DG", 5, 10)["code"]),
        ("陈相街道姚家村二组12号", H("YJ", 2, 12)["code"]),
        ("苏家屯区永乐街道孤家子村王家屯12号", H("GJZ", "王家屯", 12)["code"]),
        ("孤家子村东沟屯7号", H("GJZ", "东沟屯", 7)["code"]),
        ("东沟屯13号", H("GJZ", "东沟屯", 13)["code"]),
        ("陈相街道红旗村新立屯5号", H("HQ", "新立屯", 5)["code"]),
        ("红旗村王家屯3号", H("HQ", "王家屯", 3)["code"]),
        ("永乐街道小堡村56号", H("XB", None, 56)["code"]),
        ("陈相街道榆树村40号", H("YS", None, 40)["code"]),
        ("沈阳市苏家屯区陈相街道四家子村88号", H("SJZ", None, 88)["code"]),
        ("永乐街道沙岗子村40号", H("SGY", None, 40)["code"]),
        (f"迎春街{no(yc102)}号附1号", "SJYCJ102F1"),
        (f"迎春街{no(yc102)}-1号", "SJYCJ102F1"),
        (f"苏家屯区枫杨路{no(fy[200])}号附2号", "SJFYL21F2"),
        (f"枫杨路{str(no(fy[2050])).translate(FULL)}号", fy[2050]["code"]),
        (f"海丰路{cn_number(no(hf150))}号", hf150["code"]),
        (f"香杨路{cn_number(no(xy350))}号", xy350["code"]),
        (f"苏家屯区 雪松路 {no(xs2300)}号", xs2300["code"]),
        (f"沈阳市，苏家屯区，银杏路{no(yx2250)}号。", yx2250["code"]),
        ("苏家屯区幸福胡同5号", "SJXFHT5"),
        (
            f"新民胡同{no(fb('新民胡同', 200, 'R', 10))}号1单元101室",
            fb("新民胡同", 200, "R", 10)["code"],
        ),
        (
            f"苏家屯区陈相街道陈相大街{no(fb('陈相大街', 650, 'L'))}号",
            fb("陈相大街", 650, "L")["code"],
        ),
    ]:
        q(bq, text, BLD(code))
    # one-character homophone typos of road names
    for typo, road, s, side in [
        ("风杨路", "枫杨路", 2400, "L"),
        ("海峰路", "海丰路", 1450, "R"),
        ("雪凇路", "雪松路", 100, "L"),
        ("香洋路", "香杨路", 1350, "L"),
        ("营春街", "迎春街", 150, "L"),
        ("银兴路", "银杏路", 100, "L"),
        ("梅瑰街", "玫瑰街", 300, "L"),
        ("沈本大接", "沈本大街", 2800, "R"),
    ]:
        b = fb(road, s, side)
        q(bq, f"{typo}{no(b)}号", BLD(b["code"]))
    # doors, 号楼, 组 and 屯 houses that do not exist, and addresses that name two places
    hf_missing = door(700, "R")
    for miss in [
        "枫杨路999号",
        f"海丰路{hf_missing}号",
        "香杨路8号",
        "雪松家园9号楼",
        "香杨小区7号楼",
        "机务段大院8号楼",
        "大沟村3组99号",
        "大沟村7组2号",
        "姚家村九组3号",
        "孤家子村王家屯88号",
        "孤家子村张家屯2号",
        "红旗村东沟屯7号",
        "小堡村300号",
        f"迎春街{no(yc102)}号附3号",
        "幸福胡同40号",
        "银杏路1000号",
        "东沟屯99号",
        "榆树村3组5号",
    ]:
        absent(miss)
    for text in [
        "苏家屯区枫杨路999号",
        f"海丰路{hf_missing}号2单元301室",
        "香杨路8号",
        "雪松家园9号楼",
        "香杨小区7栋",
        "机务段大院8号楼3单元",
        "永乐街道大沟村3组99号",
        "苏家屯区永乐街道大沟村7组2号",
        "陈相街道姚家村九组3号",
        "孤家子村王家屯88号",
        "孤家子村张家屯2号",
        "红旗村东沟屯7号",
        "王家屯12号",
        "沙岗子村40号",
        "永乐街道小堡村300号",
        f"迎春街{no(yc102)}号附3号",
        f"迎春街{no(yc102)}-3号",
        "苏家屯区幸福胡同40号",
        f"苏家屯区湖西街道银杏路{no(yx2250)}号",
        "银杏路1000号",
        "苏家屯区第二人民医院",
        "苏家屯南站",
        "风杨路999号",
        "东沟屯99号",
        "陈相街道榆树村3组5号",
    ]:
        q(bq, text, BLD(None))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "枫杨路与雪松路十字路口井盖没了", X("枫杨路", "雪松路"))
    q(x, "枫杨路银杏路交叉口有人摆摊卖菜", X("枫杨路", "银杏路"))
    q(x, "枫杨路与海丰路交叉口积水严重", X("枫杨路", "海丰路"))
    q(x, "枫杨路海丰路交口东北角有人烧纸", X("枫杨路", "海丰路", "东北"))
    q(x, "沈本大街与雪松路十字路口车辆乱停", X("沈本大街", "雪松路"))
    q(x, "沈本大街雪松路交叉口西南角垃圾桶满了", X("沈本大街", "雪松路", "西南"))
    q(x, "沈本大街和迎春街交口有渣土车撒漏", X("沈本大街", "迎春街"))
    q(x, "沈本大街迎春街十字西北角有人发小广告", X("沈本大街", "迎春街", "西北"))
    q(x, "沈本大街与海丰路交叉口东北角护栏倒了", X("沈本大街", "海丰路", "东北"))
    q(x, "香杨路雪松路交叉口下水道冒水", X("香杨路", "雪松路"))
    q(x, "丁香街与海丰路交口有人占道经营", X("丁香街", "海丰路"))
    q(x, "海棠街与雪松路交叉口有流浪狗", X("海棠街", "雪松路"))
    q(x, "银杏路与迎春街交叉口堵车", X("银杏路", "迎春街"))
    q(x, "迎春街与玫瑰街交叉口有人卖水果占道", X("迎春街", "玫瑰街"))
    q(x, "迎春街玫瑰街交口西北角有违章广告牌", X("迎春街", "玫瑰街", "西北"))
    q(
        x,
        "枫杨路、海丰路路口往北100米有个大坑",
        X("枫杨路", "海丰路", None, ("北", 100, "exact")),
    )
    q(
        x,
        "香杨路雪松路路口往东50米人行道塌了",
        X("香杨路", "雪松路", None, ("东", 50, "exact")),
    )
    q(x, "陈白公路与姚家路交叉口有人焚烧秸秆", X("陈白公路", "姚家路"))
    q(x, "陈相大街与永佟路交叉口有人摆摊", X("陈相大街", "永佟路"))
    q(x, "永乐大街大沟路交叉口有人晒苞米占道", X("永乐大街", "大沟路"))
    q(x, "永乐大街与孤家子路交口有死狗", X("永乐大街", "孤家子路"))
    q(x, "永乐大街与永佟路交叉口东北角堆了建筑垃圾", X("永乐大街", "永佟路", "东北"))
    q(x, "永陈公路永佟路十字路口西北角有人倒垃圾", X("永陈公路", "永佟路", "西北"))
    q(x, "大沟路与永陈公路交叉口有坑", X("大沟路", "永陈公路"))
    q(x, "玫瑰街与永陈公路交叉口东南角路灯不亮", X("玫瑰街", "永陈公路", "东南"))
    q(x, "迎春街与姚家路交口积水", X("迎春街", "姚家路"))
    q(x, "枫杨路雪松路拐弯那块儿井盖坏了", TURN("枫杨路", "雪松路"))
    q(x, "香杨路和雪松路拐弯的地方有人烧垃圾", TURN("香杨路", "雪松路"))
    q(x, "陈白公路姚家路拐弯处有人卖菜", TURN("陈白公路", "姚家路"))
    q(x, "永乐大街孤家子路拐弯那块有人烧秸秆", TURN("永乐大街", "孤家子路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "苏家屯区中心医院往北走一百来米有人占道", OFF(A("苏家屯区中心医院"), "北", 100, "about"))
    q(
        o,
        "中心医院往南300米道东有个井盖没了",
        DAO(A("苏家屯区中心医院"), "南", 300, "exact", "枫杨路", "东"),
    )
    q(o, "兴隆大家庭往东二百来米有人摆摊", OFF(A("兴隆大家庭"), "东", 200, "about"))
    q(o, "兴隆大家庭往北走了三百多米路灯不亮", OFF(A("兴隆大家庭"), "北", 300, "more"))
    q(
        o,
        "湖西派出所往北200米道东有车辆违停",
        DAO(A("湖西派出所"), "北", 200, "exact", "沈本大街", "东"),
    )
    q(o, "湖西派出所往西100米垃圾没人收", OFF(A("湖西派出所"), "西", 100))
    q(
        o,
        "盛京银行往南150米道西人行道被占",
        DAO(A("盛京银行"), "南", 150, "exact", "枫杨路", "西"),
    )
    q(o, "海丰路早市往东走一百多米有人乱扔垃圾", OFF(A("海丰路早市"), "东", 100, "more"))
    q(o, "海丰路早市往南200米下水道堵了", OFF(A("海丰路早市"), "南", 200))
    q(o, "迎春街早市往西约300米有人遛狗不牵绳", OFF(A("迎春街早市"), "西", 300, "about"))
    q(
        o,
        "实验小学往东200米道北有流动摊贩",
        DAO(A("实验小学"), "东", 200, "exact", "迎春街", "北"),
    )
    q(o, "实验小学往北走了五百来米有人私搭乱建", OFF(A("实验小学"), "北", 500, "about"))
    q(o, "苏家屯站往北100米有人拉客", OFF(A("苏家屯站"), "北", 100))
    q(
        o,
        "雪松路菜市场往东100米道南有人卖活禽",
        DAO(A("雪松路菜市场"), "东", 100, "exact", "雪松路", "南"),
    )
    q(
        o,
        "湖西小学向东大约150米道北有人占道",
        DAO(A("湖西小学"), "东", 150, "about", "雪松路", "北"),
    )
    q(
        o,
        "工行苏家屯支行往西走了两百来米有人乱贴小广告",
        OFF(A("工行苏家屯支行"), "西", 200, "about"),
    )
    q(
        o,
        "永乐派出所往东约200米道南有人倒渣土",
        DAO(A("永乐派出所"), "东", 200, "about", "永乐大街", "南"),
    )
    q(o, "永乐卫生院往西走了三百来米有人焚烧秸秆", OFF(A("永乐卫生院"), "西", 300, "about"))
    q(o, "永乐中心小学往北五百米有人私挖鱼塘", OFF(A("永乐中心小学"), "北", 500))
    q(o, "陈相派出所往南约300米有人电鱼", OFF(A("陈相派出所"), "南", 300, "about"))
    q(o, "陈相中学往东走了一百多米有人放养的狗咬人", OFF(A("陈相中学"), "东", 100, "more"))
    q(
        o,
        "陈白公路加油站往东100米道北路面塌陷",
        DAO(A("陈白公路加油站"), "东", 100, "exact", "陈白公路", "北"),
    )
    q(o, "大沟村委会往北约300米有人私建猪圈", OFF(A("大沟村委会"), "北", 300, "about"))
    q(o, "红旗村委会往南1公里有人烧荒", OFF(A("红旗村委会"), "南", 1000))
    q(
        o,
        "沈本大街与迎春街交叉口往东300米道南，商户占道",
        DAO(XO("沈本大街", "迎春街"), "东", 300, "exact", "迎春街", "南"),
    )
    q(
        o,
        "永乐大街大沟路交叉口往西约200米有垃圾堆",
        OFF(XO("永乐大街", "大沟路"), "西", 200, "about"),
    )
    q(o, "苏家屯区第二人民医院往东200米有人占道", OFF(("none",), "东", 200))
    q(o, "苏家屯南站往北100米积水", OFF(("none",), "北", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "海丰路早市门口垃圾堆成山", NEAR("海丰路早市"))
    q(n, "中心医院门口有人乱停车", NEAR("苏家屯区中心医院"))
    q(n, "湖西小学附近有流动摊贩，影响学生上学", NEAR("湖西小学"))
    q(n, "枫杨小区周边夜里广场舞声音大", NEAR_COMPOUND("枫杨小区"))
    q(n, "雪松家园周边施工扰民", NEAR_COMPOUND("雪松家园"))
    q(n, "建行湖西支行隔壁在装修，噪音大", NEAR("建行湖西支行"))
    q(n, "迎春街早市边上有人卖活禽", VAGUE_NEAR("边上", "迎春街早市"))
    q(n, "陈相卫生院边上有人摆摊", VAGUE_NEAR("边上", "陈相卫生院"))
    q(n, "实验小学跟前有人卖三无食品", VAGUE_NEAR("跟前", "实验小学"))
    q(n, "湖西派出所跟前的人行道被占", VAGUE_NEAR("跟前", "湖西派出所"))
    q(n, "苏家屯站那旮沓有黑车趴活", VAGUE_NEAR("那旮沓", "苏家屯站"))
    q(n, "大沟村委会那嘎达有人焚烧垃圾", VAGUE_NEAR("那旮沓", "大沟村委会"))
    q(n, "陈相派出所对过有人打架", VAGUE_NEAR("对过", "陈相派出所"))
    q(n, "中心医院对过有人发小广告", VAGUE_NEAR("对过", "区中心医院"))
    q(n, "盛京银行前边有个井盖缺失", VAGUE_NEAR("前后", "盛京银行"))
    q(n, "香杨小区大门往里走，垃圾堆了好几天", INSIDE("香杨小区"))
    q(n, "雪松家园南门往里走有辆僵尸车", INSIDE("雪松家园"))
    q(n, "机务段大院里下水道冒了", INSIDE("机务段大院"))
    q(n, "粮库大院里头有人私搭棚子", INSIDE("粮库大院"))
    q(n, "雪松家园3号楼楼头有人烧纸", VAGUE_NEAR("楼头", "雪松家园3号楼"))
    q(n, "雪松家园6号楼楼头堆了杂物", VAGUE_NEAR("楼头", "雪松家园6号楼"))
    q(n, "红旗村委会旁边有个水塘没有护栏", NEAR("红旗村委会"))
    q(n, "湖西街道敬老院附近有人烧垃圾", NOWHERE())

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("粮库胡同路灯坏了好几天了", "粮库胡同"),
        ("来电人反映机务段胡同里有车辆长期占道", "机务段胡同"),
        ("铁路胡同下水道堵了，污水漫到道上", "铁路胡同"),
        ("新民胡同的道坑坑洼洼", "新民胡同"),
        ("站前胡同垃圾几天没人收", "站前胡同"),
        ("团结胡同有人半夜装修", "团结胡同"),
        ("市民称幸福胡同里头电线乱拉", "幸福胡同"),
        ("友好胡同 有人占用消防通道", "友好胡同"),
        ("海棠街有人占道烧烤", "海棠街"),
        ("樱桃街路面结冰，老人出行困难", "樱桃街"),
        ("丁香街有人遛狗不牵绳", "丁香街"),
        ("光明胡同有人半夜施工", "光明胡同"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "新民胡同口有人摆摊", MOUTH("新民胡同"))
    q(la, "站前胡同口黑车乱停", MOUTH("站前胡同"))

    # --- group (组 and 屯, alone or with the village) --------------------------------------
    g = "group"
    q(g, "大沟村3组有人焚烧秸秆", ZU("大沟村", 3))
    q(g, "大沟村五组有人在地头烧垃圾", ZU("大沟村", 5))
    q(g, "永乐街道大沟村第一村民小组有人违建", ZU("大沟村", 1, "永乐街道"))
    q(g, "大沟村7组有人烧荒", ZU("大沟村", 7))
    q(g, "姚家村二组路灯不亮", ZU("姚家村", 2))
    q(g, "姚家村4组有人私挖鱼塘", ZU("姚家村", 4))
    q(g, "陈相街道姚家村第6村民小组有人偷倒建筑垃圾", ZU("姚家村", 6, "陈相街道"))
    q(g, "孤家子村王家屯有人放养的狗咬人", TUN("王家屯", "孤家子村"))
    q(g, "永乐孤家子村东沟屯有人私搭乱建", TUN("东沟屯", "孤家子村", "永乐街道"))
    q(g, "红旗村新立屯有人在河边洗车", TUN("新立屯", "红旗村"))
    q(g, "红旗村张家屯路面塌陷", TUN("张家屯", "红旗村"))
    q(g, "红旗村王家屯有人在道边晒粮", TUN("王家屯", "红旗村"))
    q(g, "王家屯有人焚烧垃圾", TUN("王家屯"))
    q(g, "新立屯自来水停了", TUN("新立屯"))
    q(g, "东沟屯有人电鱼", TUN("东沟屯"))
    q(g, "李家窝棚有人私拉电网", TUN("李家窝棚"))
    q(g, "腰屯垃圾没人收", TUN("腰屯"))
    q(g, "3组有人烧秸秆", ZU(None, 3))
    q(g, "陈相街道大沟村2组有人违建", ZU("大沟村", 2, "陈相街道"))
    q(g, "小堡村2组有人私拉电线", ZU("小堡村", 2))

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "小堡村有人烧秸秆，烟很大", VIL("小堡村"))
    q(v, "双台子村有人私拉电网捕鱼", VIL("双台子村"))
    q(v, "榆树村自来水停了", VIL("榆树村"))
    q(v, "四家子村狗咬人", VIL("四家子村"))
    q(v, "永乐街道沙岗子村有人焚烧垃圾", VIL("沙岗子村", "永乐街道"))
    q(v, "陈相沙岗子村路面塌陷", VIL("沙岗子村", "陈相街道"))
    q(v, "沙岗子村有人私建猪圈", VIL("沙岗子村"))
    q(v, "苏家屯区陈相街道榆树村有人占用耕地建房", VIL("榆树村", "陈相街道"))
    q(v, "大沟村垃圾堆放", VIL("大沟村"))
    q(v, "红旗村有人砍伐树木", VIL("红旗村"))
    q(v, "孤家子村有人电鱼", VIL("孤家子村"))
    q(v, "姚家村排水沟堵了", VIL("姚家村"))
    q(v, "陈相街道小堡村有人违建", VIL("小堡村", "陈相街道"))
    q(v, "黄土坎村有人烧荒", VIL("黄土坎村"))

    # --- other_county (沈阳's other 县级 units, 本溪, 辽阳县 in front of our addresses) ------
    oc = "other_county"
    sb = fb("沈本大街", 2800, "R")
    yc = fb("迎春街", 150, "L")
    fy282 = fy[2800]
    for text, code in [
        (f"和平区枫杨路{no(fy282)}号", None),
        (f"沈阳市沈河区沈本大街{no(sb)}号", None),
        ("浑南区永乐街道大沟村3组15号", None),
        (f"于洪区迎春街{no(yc)}号", None),
        ("辽中区陈相街道姚家村二组12号", None),
        ("本溪市永乐街道孤家子村王家屯12号", None),
        ("辽宁省辽阳县陈相街道榆树村40号", None),
        (f"沈阳市苏家屯区枫杨路{no(fy282)}号", fy282["code"]),
        (f"辽宁省沈阳市苏家屯区沈本大街{no(sb)}号", sb["code"]),
        ("沈阳市苏家屯区永乐街道大沟村3组15号", H("DG", 3, 15)["code"]),
        (f"苏家屯区迎春街{no(yc)}号", yc["code"]),
        ("苏家屯区陈相街道姚家村二组12号", H("YJ", 2, 12)["code"]),
        ("沈阳市苏家屯区永乐街道孤家子村王家屯12号", H("GJZ", "王家屯", 12)["code"]),
        ("辽宁省沈阳市苏家屯区陈相街道榆树村40号", H("YS", None, 40)["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    e1, e4 = fb("枫杨路", 1650, "L"), fb("香杨路", 1350, "L")
    xs85 = door(850, "L")
    absent("大沟村3组99号")
    absent("枫杨路999号")
    for text, code in [
        (
            "No. 15, Group 3, Dagou Village, Yongle Subdistrict, Sujiatun District, Shenyang",
            H("DG", 3, 15)["code"],
        ),
        (
            "No. 12, Wangjiatun, Gujiazi Village, Yongle Subdistrict, Sujiatun District",
            H("GJZ", "王家屯", 12)["code"],
        ),
        (
            "No. 12, Group 2, Yaojia Village, Chenxiang Subdistrict, Sujiatun District, Shenyang,"
            " Liaoning",
            H("YJ", 2, 12)["code"],
        ),
        (
            "No. 56, Xiaobao Village, Yongle Subdistrict, Sujiatun District",
            H("XB", None, 56)["code"],
        ),
        (f"No. {no(e1)}, Fengyang Road, Sujiatun District, Shenyang", e1["code"]),
        (f"Building 3, Xuesong Jiayuan, No. {xs85} Xuesong Road, Sujiatun District", "SJXSJYB3"),
        ("Building 2, Fengyang Xiaoqu, Sujiatun District, Shenyang", "SJFYXQB2"),
        (f"Liaoning Sheng Shenyang Shi Sujiatun Qu Xiangyang Lu {no(e4)} Hao", e4["code"]),
        ("Sujiatun Qu Yongle Jiedao Dagou Cun 5 Zu 10 Hao", H("DG", 5, 10)["code"]),
        ("302室，2单元，3号楼，雪松家园，苏家屯区", "SJXSJYB3"),
        ("15号，3组，大沟村，永乐街道，苏家屯区，沈阳市", H("DG", 3, 15)["code"]),
        ("7号，东沟屯，孤家子村，永乐街道", H("GJZ", "东沟屯", 7)["code"]),
        ("No. 99, Group 3, Dagou Village, Yongle Subdistrict, Sujiatun District", None),
        ("No. 999, Fengyang Road, Sujiatun District, Shenyang", None),
        ("Building 9, Xuesong Jiayuan, Sujiatun District", None),
        ("No. 40, Shagangzi Village, Sujiatun District, Shenyang", None),
    ]:
        q(e, text, BLD(code))
    q(
        e,
        "Xinlitun, Hongqi Village, Chenxiang Subdistrict, Sujiatun District",
        TUN("新立屯", "红旗村"),
    )
    q(e, "Group 4, Yaojia Village, Chenxiang Subdistrict, Sujiatun District", ZU("姚家村", 4))
    return Q


# ---------------------------------------------------------------- output
def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all() -> None:
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
    specs = []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        if spec[0] != "bld" and expected is not None:
            raise SystemExit(f"a place query with a building: {text}")
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        specs.append(spec)
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    check_files(specs)
    for k in sorted({k for k, _ in stats}):
        print(f"{k:16} n {stats[(k, True)] + stats[(k, False)]:3}  positive {stats[(k, True)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {len(lines)}, refused {refused}"
    )


# ---------------------------------------------------------------- reading back
def snap(v: float) -> float:
    """Layout coordinates of the grid are whole metres: undo the rounding of WGS-84."""
    r = round(v)
    if abs(v - r) > 0.05:
        raise SystemExit(f"grid coordinate {v} is not a whole metre")
    return float(r)


def check_files(specs) -> None:
    """Read the four files back and check them against each other and the geometry."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes, micros, area = set(), {}, None
    for f in grids["features"]:
        p = f["properties"]
        if p["code"] in codes:
            raise SystemExit(f"grid code {p['code']} twice")
        codes.add(p["code"])
        if p["parent_code"] is not None and p["parent_code"] not in codes:
            raise SystemExit(f"{p['code']}: parent {p['parent_code']} not before it")
        ring = [(snap(a), snap(b)) for a, b in (xy(*c) for c in f["geometry"]["coordinates"][0])]
        poly = Polygon(ring)
        if not shape(f["geometry"]).is_valid or not poly.is_valid:
            raise SystemExit(f"{p['code']}: invalid polygon")
        if p["level"] == "micro":
            micros[p["code"]] = poly
        if p["level"] == "district":
            area = poly
    if micros.keys() != MICROS.keys() or area is None:
        raise SystemExit("micro-grids differ on reading back")
    if abs(unary_union(list(micros.values())).area - area.area) > 1.0:
        raise SystemExit("the micro-grids do not tile the district")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = {r["code"]: r for r in rows}
    by_address = {}
    for r in rows:
        if r["address"] in by_address:
            raise SystemExit(f"address {r['address']} twice")
        by_address[r["address"]] = r
        if r["micro_grid_code"] not in micros:
            raise SystemExit(f"{r['address']}: unknown micro-grid")
        x, y = xy(float(r["lon"]), float(r["lat"]))
        if micro_of_point(x, y, micros) != r["micro_grid_code"]:
            raise SystemExit(f"{r['address']} is not in its micro-grid")
    aliases = Counter(a for r in rows for a in r["aliases"].split("|") if a)
    if any(v > 1 for v in aliases.values()):
        raise SystemExit(f"aliases twice: {[a for a, v in aliases.items() if v > 1]}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))
    if [f["properties"]["name"] for f in roads["features"]] != list(ROAD):
        raise SystemExit("roads differ on reading back")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(specs):
        raise SystemExit("queries differ on reading back")
    for line, spec in zip(lines, specs, strict=True):
        rec = json.loads(line)
        if set(rec) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"bad record {line}")
        exp, micro = rec["expected"], rec["micro_grid"]
        if (exp is None) != (micro is None) and spec[0] == "bld":
            raise SystemExit(f"{rec['query']}: building without micro-grid or the reverse")
        if exp is not None and by_code[exp]["micro_grid_code"] != micro:
            raise SystemExit(f"{rec['query']}: expected building is not in {micro}")
        if micro is not None and micro not in micros:
            raise SystemExit(f"{rec['query']}: unknown micro-grid {micro}")
        if spec[0] != "bld":
            if exp is not None:
                raise SystemExit(f"{rec['query']}: a place with a building")
            if micro_of_spec(spec, micros, area) != micro:
                raise SystemExit(f"{rec['query']}: the place does not lie in {micro}")


if __name__ == "__main__":
    write_all()
