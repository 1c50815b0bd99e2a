"""Write the place-description evaluation district: 湖南省长沙市天心区.

    python bench/data/place_tianxin/make_district.py

One grid tree in two parts: an urban north (坡子街街道, 城南路街道, 裕南街街道, with roads, lanes,
正街 and 小区) and a rural south (南托街道, 暮云街道, with 行政村 whose houses are written by 组 —
`天心区暮云街道许兴村3组15号`, `莲湖村五组7号` — by 屋场 / 湾 — `天心区南托街道牛角塘村李家湾7号` —
or numbered across the village — `天心区暮云街道高云村21号`). The 街道 and the urban road names
are 天心区's; the communities, villages, lanes, door numbers, landmarks' positions and all
geometry are ours: a layout in metres over a 3.6 km x 6 km box, turned into WGS-84 at 长沙.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Where a word has
no rule (边上, 对门, 咯里, 两三百米, 丁字路口 …) every reading listed for it is computed, and the
query is a positive only when all readings give the same micro-grid.

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
LON0, LAT0 = 112.9600, 28.1400  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("430103", "天心区")
W, S, E, N = 0.0, 0.0, 3600.0, 6000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name, box)
STREETS = [
    (
        "430103001",
        "坡子街街道",
        (0, 4500, 2400, 6000),
        [
            ("青山祠社区", "青山祠", (0, 4500, 1200, 6000)),
            ("文庙坪社区", "文庙坪", (1200, 4500, 2400, 6000)),
        ],
    ),
    (
        "430103002",
        "城南路街道",
        (0, 3000, 2400, 4500),
        [
            ("东瓜山社区", "东瓜山", (0, 3000, 1200, 4500)),
            ("燕子岭社区", "燕子岭", (1200, 3000, 2400, 4500)),
        ],
    ),
    (
        "430103003",
        "裕南街街道",
        (2400, 3000, 3600, 6000),
        [
            ("宝塔山社区", "宝塔山", (2400, 4500, 3600, 6000)),
            ("仰天湖社区", "仰天湖", (2400, 3000, 3600, 4500)),
        ],
    ),
]

# rural streets: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar": six micro-grids named after the 组 (`许兴村3组`); "wan": six micro-grids named after
# the 屋场 / 湾 (`牛角塘村李家湾`); "plain": six plain micro-grids; "small": a village numbered
# across, two micro-grids.
RURAL = [
    (
        "430103011",
        "南托街道",
        (0, 1500, 3600, 3000),
        [
            ("牛角塘村", "NJT", "wan"),
            ("沿江村", "YJ", "plain"),
            ("新塘村", "XTN", "small"),
            ("大湖村", "DH", "small"),
            ("滨洲村", "BZ", "small"),
        ],
    ),
    (
        "430103012",
        "暮云街道",
        (0, 0, 3600, 1500),
        [
            ("许兴村", "XX", "zu_ar"),
            ("莲湖村", "LH", "plain"),
            ("新塘村", "XTM", "small"),
            ("高云村", "GY", "small"),
            ("桂井村", "GJ", "small"),
        ],
    ),
]
WAN_NAMES = ["李家湾", "杨家屋场", "周家湾", "陈家屋场", "刘家湾", "谭家冲"]


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
            cw, s, _ce, _n = cb
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            for gi in range(2):
                gs, gn = s + gi * 750, s + (gi + 1) * 750
                g_code = f"{c_code}{gi + 1:03d}"
                g_name = f"{short}第{gi + 1}网格"
                gb = (cw, gs, cw + 1200, gn)
                FEATURES.append(feature(g_code, g_name, "grid", c_code, geo(rect(gb))))
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
                    elif style == "wan":
                        name = f"{v_name}{WAN_NAMES[m - 1]}"
                    else:
                        name = f"{v_name}第{gi + 1}网格{mi + 1}号微网格"
                    add_micro(f"{g_code}{mi + 1:03d}", name, g_code, mb)


def micro_centre(key: str, m: int) -> tuple[float, float]:
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 375 + 750 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("湘江中路", "arterial", [(150, 3000), (150, 6000)]),
    ("芙蓉中路", "arterial", [(2400, 4500), (2400, 6000)]),
    ("芙蓉南路", "arterial", [(2400, 0), (2400, 4500)]),
    ("黄兴南路", "arterial", [(1000, 4500), (1000, 6000)]),
    ("解放西路", "arterial", [(0, 5800), (3600, 5800)]),
    ("劳动西路", "arterial", [(0, 4500), (3600, 4500)]),
    ("城南西路", "secondary", [(150, 4900), (2400, 4900)]),
    ("坡子街", "secondary", [(150, 5450), (1000, 5450)]),
    ("太平街", "branch", [(600, 5450), (600, 5800)]),
    ("书院路", "secondary", [(600, 3000), (600, 4500)]),
    ("白沙路", "secondary", [(1800, 3100), (1800, 4450)]),
    ("建湘路", "branch", [(1400, 5050), (1400, 4750), (1700, 4750), (1700, 5050)]),
    ("友谊路", "arterial", [(600, 3400), (3600, 3400)]),
    ("新开铺路", "arterial", [(0, 3000), (3600, 3000)]),
    ("韶山南路", "arterial", [(3000, 3000), (3000, 6000)]),
    # lanes and 正街 in the road file
    ("樊西巷", "branch", [(300, 5100), (550, 5100)]),
    ("学宫街", "branch", [(1300, 3850), (1300, 4150)]),
    ("白果园", "branch", [(1650, 5600), (1950, 5600)]),
    ("化龙池", "branch", [(2600, 5300), (2600, 5650)]),
    ("都正街", "branch", [(900, 3100), (900, 3350)]),
    ("碧湘街", "branch", [(1300, 5300), (1550, 5300)]),
    # the rural south
    ("湘府西路", "arterial", [(0, 1500), (3600, 1500)]),
    ("南托大道", "secondary", [(0, 2600), (3400, 2600)]),
    ("暮云正街", "secondary", [(1300, 1150), (2350, 1150)]),
    ("中意一路", "arterial", [(0, 200), (3600, 200)]),
    ("许兴路", "branch", [(600, 100), (600, 1400)]),
    ("牛角塘路", "branch", [(600, 1600), (600, 2900)]),
    ("沿江路", "branch", [(1300, 1700), (1300, 2200), (2000, 2200)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "天心区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "湘江中路": "XJZL",
    "芙蓉中路": "FRZL",
    "芙蓉南路": "FRNL",
    "黄兴南路": "HXNL",
    "解放西路": "JFXL",
    "劳动西路": "LDXL",
    "城南西路": "CNXL",
    "坡子街": "PZJ",
    "太平街": "TPJ",
    "书院路": "SYL",
    "白沙路": "BSL",
    "建湘路": "JXL",
    "友谊路": "YYL",
    "新开铺路": "XKPL",
    "韶山南路": "SSNL",
    "樊西巷": "FXX",
    "学宫街": "XGJ",
    "白果园": "BGY",
    "化龙池": "HLC",
    "都正街": "DZJ",
    "碧湘街": "BXJ",
    "南托大道": "NTDD",
    "暮云正街": "MYZJ",
    "中意一路": "ZYYL",
    "西牌楼": "XPL",
    "吴家坪": "WJP",
    "太傅里": "TFL",
    "黎家坡": "LJP",
    "荷花湾": "HHW",
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
        add(f"TX{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"TX{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"TX{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 栋 of a 小区: `天心区书院路52号书香苑1栋`, aliases `书香苑1栋` / `书香苑1号楼`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}D{k}",
            f"{CITY}{address}{name}{k}栋",
            x,
            y,
            [f"{name}{k}栋", f"{name}{k}号楼"],
            compound=name,
        )


TOWN_OF = {
    "NJT": "南托街道",
    "YJ": "南托街道",
    "XTN": "南托街道",
    "DH": "南托街道",
    "BZ": "南托街道",
    "XX": "暮云街道",
    "LH": "暮云街道",
    "XTM": "暮云街道",
    "GY": "暮云街道",
    "GJ": "暮云街道",
}
VILLAGE_OF = {
    "NJT": "牛角塘村",
    "YJ": "沿江村",
    "XTN": "新塘村",
    "DH": "大湖村",
    "BZ": "滨洲村",
    "XX": "许兴村",
    "LH": "莲湖村",
    "XTM": "新塘村",
    "GY": "高云村",
    "GJ": "桂井村",
}
ZU_STYLE = {"XX": "ar", "YJ": "ar", "LH": "cn"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def zu_text(key: str, zu: int) -> str:
    return f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"


def rural_houses(key: str, zu: int | None, centre, numbers, aliases=None, wan: str = ""):
    """Houses of a 村民小组 (zu), of a 屋场 / 湾 (wan), or of a village numbered across."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        part = zu_text(key, zu) if zu else wan
        address = f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{part}{n}号"
        tag = f"{zu:02d}" if zu else (f"W{WAN_NAMES.index(wan) + 1}" if wan else "00")
        add(
            f"TX{key}{tag}{n:03d}",
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
        "湘江中路",
        [
            (300, "R", []),
            (1000, "R", ["东瓜山社区居委会"]),
            (1700, "L", ["湘江渔人码头", "渔人码头"]),
            (2400, "L", ["杜甫江阁"]),
            (2700, "R", []),
        ],
    )
    frontage(
        "芙蓉中路",
        [
            (60, "L", ["侯家塘地铁站"]),
            (500, "L", ["碧湘园东门"]),
            (900, "R", ["湖南省人民医院", "省人民医院", "省人医"]),
            (1200, "R", []),
            (1400, "L", []),
        ],
    )
    frontage(
        "芙蓉南路",
        [
            (2000, "R", ["芙蓉南路加油站"]),
            (3150, "L", []),
            (3600, "R", ["建设银行芙蓉南路支行", "建行芙蓉南路支行"]),
            (4200, "L", []),
            (4350, "R", []),
        ],
    )
    frontage(
        "黄兴南路",
        [
            (200, "L", []),
            (450, "L", ["南门口"]),
            (600, "R", ["南门口地铁站"]),
            (900, "R", ["黄兴路步行街", "黄兴南路步行街"]),
            (1200, "L", ["工商银行黄兴南路支行", "工行黄兴南路支行"]),
            (1400, "R", []),
        ],
    )
    frontage(
        "解放西路",
        [
            (300, "L", []),
            (700, "R", ["坡子街派出所"]),
            (1500, "L", ["文庙坪社区居委会"]),
            (1900, "R", ["邮政储蓄银行解放西路支行", "邮储解放西路支行"]),
            (2700, "L", []),
            (3300, "R", ["宝塔山社区居委会"]),
        ],
    )
    frontage(
        "劳动西路",
        [
            (500, "L", []),
            (1300, "R", ["城南路派出所"]),
            (2100, "L", []),
            (2700, "R", ["裕南街派出所"]),
            (3300, "L", []),
        ],
    )
    frontage(
        "城南西路",
        [
            (350, "L", []),
            (550, "R", ["长郡中学", "长郡"]),
            (950, "R", ["城南西路菜市场"]),
            (1300, "L", ["天心阁"]),
            (2150, "R", []),
        ],
    )
    frontage(
        "坡子街",
        [
            (180, "R", ["工商银行坡子街支行", "工行坡子街支行"]),
            (550, "L", ["火宫殿"]),
            (700, "R", []),
        ],
    )
    frontage("太平街", [(100, "L", ["贾谊故居"]), (250, "R", [])])
    frontage(
        "书院路",
        [
            (200, "L", []),
            (900, "L", ["湖南第一师范学院", "第一师范", "一师范"]),
            (1200, "R", ["书院路小学"]),
            (1400, "L", []),
        ],
    )
    frontage(
        "白沙路",
        [
            (200, "R", []),
            (400, "L", ["白沙井", "白沙古井"]),
            (700, "R", ["白沙路菜市场"]),
            (1100, "L", ["燕子岭社区居委会"]),
        ],
    )
    frontage("建湘路", [(450, "R", ["建湘路菜市场"])])
    frontage(
        "友谊路",
        [
            (700, "R", ["天心区实验小学"]),
            (1100, "L", ["长沙银行友谊路支行"]),
            (2500, "L", ["友谊路加油站"]),
            (2850, "R", []),
        ],
    )
    frontage(
        "新开铺路",
        [(300, "L", ["新开铺菜市场"]), (1000, "L", []), (2700, "L", ["仰天湖社区居委会"])],
    )
    frontage(
        "韶山南路",
        [
            (250, "R", ["裕南街小学"]),
            (900, "L", []),
            (1700, "R", ["建设银行韶山南路支行", "建行韶山南路支行"]),
            (2300, "L", ["裕南街街道办事处"]),
            (2650, "R", []),
        ],
    )
    # lanes and 正街 of the road file
    frontage("樊西巷", [(50, "L", []), (200, "R", [])], step=10)
    frontage("学宫街", [(60, "L", []), (220, "R", [])], step=10)
    frontage("白果园", [(40, "L", []), (200, "R", [])], step=10)
    frontage("化龙池", [(50, "L", []), (280, "R", [])], step=10)
    frontage("都正街", [(60, "L", []), (200, "R", [])], step=10)
    frontage("碧湘街", [(40, "L", []), (200, "R", [])], step=10)
    # lanes in no road file
    lane_houses("西牌楼", [(2, 300, 5650), (5, 330, 5662), (9, 360, 5650)])
    lane_houses("吴家坪", [(2, 2370, 3900), (5, 2430, 3900), (8, 2440, 3960)])
    lane_houses("太傅里", [(1, 650, 5620), (4, 680, 5640), (6, 710, 5620)])
    lane_houses("黎家坡", [(3, 3300, 3850), (7, 3340, 3862), (12, 3380, 3850)])
    lane_houses("荷花湾", [(1, 2100, 3200), (6, 2110, 3260), (10, 2100, 3320)])
    # 小区: gate doors (the west / north / south gate carries the 小区's name) and their 栋
    frontage("书院路", [(500, "R", ["书香苑", "书香苑西门"])])
    frontage("友谊路", [(120, "L", ["书香苑南门"]), (2000, "R", ["友谊新村", "友谊新村北门"])])
    frontage("城南西路", [(1760, "L", ["碧湘园", "碧湘园南门"])])
    compound(
        f"书院路{door(500, 'R')}号",
        "书香苑",
        "TXSXY",
        [(660, 3470), (720, 3470), (660, 3540), (720, 3540)],
    )
    compound(
        f"友谊路{door(2000, 'R')}号",
        "友谊新村",
        "TXYYXC",
        [(2520, 3300), (2600, 3300), (2680, 3300), (2520, 3230), (2600, 3230), (2680, 3230)],
    )
    compound(
        f"城南西路{door(1760, 'L')}号",
        "碧湘园",
        "TXBXY",
        [(1880, 4980), (1950, 4980), (1880, 5050), (1950, 5050)],
    )
    # the rural streets' main roads
    frontage(
        "南托大道",
        [
            (300, "L", ["南托派出所"]),
            (900, "R", ["南托街道社区卫生服务中心", "南托卫生院"]),
            (1500, "L", ["南托中学"]),
            (2100, "R", ["邮政储蓄银行南托支行", "邮储南托支行"]),
            (2600, "L", ["南托街道办事处"]),
            (3000, "R", []),
        ],
        prefix=CITY + "南托街道",
    )
    frontage(
        "暮云正街",
        [
            (100, "L", ["暮云街道社区卫生服务中心", "暮云卫生院"]),
            (400, "R", ["暮云派出所"]),
            (600, "L", ["长沙农商银行暮云支行", "暮云农商行"]),
            (900, "R", ["暮云中学"]),
            (1000, "L", ["暮云街道办事处"]),
        ],
        prefix=CITY + "暮云街道",
    )
    frontage(
        "中意一路",
        [(500, "L", ["中意一路加油站"]), (1800, "R", []), (2900, "L", ["暮云菜市场"])],
    )
    c = micro_centre
    # 南托街道: 牛角塘村 (houses by 屋场 / 湾, micro-grids named after them)
    for m, nums in enumerate([[3, 7, 12], [2, 5, 9], [4, 8], [1, 6, 11], [3, 10], [2, 7, 15]]):
        wan = WAN_NAMES[m]
        al = {5: ["牛角塘村村委会", "牛角塘村委会"]} if wan == "杨家屋场" else None
        rural_houses("NJT", None, c("NJT", m + 1), nums, al, wan=wan)
    # 沿江村 (plain micro-grids, 组 in digits; 3组 lies across two)
    rural_houses("YJ", 1, c("YJ", 1), [2, 6, 9])
    rural_houses("YJ", 2, c("YJ", 2), [1, 5, 12])
    rural_houses("YJ", 3, (2000, 1900), [3, 7, 14])
    rural_houses("YJ", 4, c("YJ", 4), [4, 8, 16], {8: ["沿江村村委会", "沿江村委会"]})
    rural_houses("YJ", 5, c("YJ", 5), [2, 10])
    rural_houses("YJ", 6, c("YJ", 6), [5, 11, 17])
    # 暮云街道: 许兴村 (1组 … 6组, micro-grids named after them)
    for zu, nums in enumerate(
        [[3, 8, 12], [4, 7, 11], [6, 9, 15, 21], [2, 5, 10], [1, 6, 13], [3, 8]], start=1
    ):
        al = {9: ["许兴村村委会", "许兴村委会"]} if zu == 3 else None
        rural_houses("XX", zu, c("XX", zu), nums, al)
    # 莲湖村 (plain micro-grids, 组 in Chinese numerals; 四组 lies across two)
    rural_houses("LH", 1, c("LH", 1), [3, 6, 11])
    rural_houses("LH", 2, c("LH", 2), [2, 8])
    rural_houses("LH", 3, c("LH", 3), [5, 9, 13], {9: ["莲湖村村委会", "莲湖村委会"]})
    rural_houses("LH", 4, (1600, 1000), [1, 4, 10])
    rural_houses("LH", 5, c("LH", 5), [4, 7, 12])
    rural_houses("LH", 6, c("LH", 6), [2, 6])
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("XTN", None, (2600, 1850), [8, 23, 51, 96], {23: ["南托街道新塘村村委会"]})
    rural_houses("DH", None, (3000, 1950), [5, 19, 42, 77])
    rural_houses("BZ", None, (3400, 2700), [11, 28, 60, 135], {28: ["滨洲村卫生室"]})
    rural_houses("XTM", None, (2600, 400), [9, 26, 51, 117], {26: ["暮云街道新塘村村委会"]})
    rural_houses("GY", None, (3000, 1100), [6, 21, 45, 88, 131], {21: ["高云村卫生室"]})
    rural_houses("GJ", None, (3400, 350), [3, 18, 40, 77])


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


def points_of(hs):
    return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None


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
                min(o.x + sx, o.x + sx * radius),
                min(o.y + sy, o.y + sy * radius),
                max(o.x + sx, o.x + sx * radius),
                max(o.y + sy, o.y + sy * radius),
            )
            return quad.intersection(o.buffer(radius))
        return o.buffer(radius)
    if kind == "off":  # ("off", origin spec, dir, (lo, hi), (road, side) or None)
        _, ospec, d, (lo, hi), side = spec
        o = origin(ospec)
        if o is None:
            return None
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
    if kind == "near":  # ("near", [building codes], radius): radius 0 is the building itself
        _, codes, radius = spec
        if not codes:
            return None
        pts = [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]) for c in codes]
        return unary_union([p.buffer(radius) if radius else p for p in pts])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, number)
        return points_of(houses(town=spec[1], village=spec[2], zu=spec[3]))
    if kind == "wan":  # ("wan", town or None, village, 屋场 / 湾 name)
        return points_of(houses(town=spec[1], village=spec[2], wan=spec[3]))
    if kind == "village":  # ("village", town or None, village): all its houses
        return points_of(houses(town=spec[1], village=spec[2]))
    if kind == "buf":  # ("buf", place spec, metres): a place and what lies around it
        region = place_region(spec[1])
        return None if region is None else region.buffer(spec[2])
    raise SystemExit(spec)


def readings(spec) -> list:
    """The place specs a query may mean: one, or every reading of a word without a rule."""
    return list(spec[1]) if spec[0] == "alt" else [spec]


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    micros = set()
    for one in readings(spec):
        region = place_region(one)
        micros.add(None if region is None or region.is_empty else micro_of_region(region))
    if len(micros) != 1:
        return None, None  # the readings disagree: refuse rather than guess
    return None, micros.pop()


# ---------------------------------------------------------------- query helpers
def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset, R_CROSS)


def XW(a, b):
    """A crossing said without a rule (丁字路口, 红绿灯那里, 天桥底下, 转角, 交界): 30 m or 60 m."""
    return ("alt", [("x", a, b, None, None, R_CROSS), ("x", a, b, None, None, 60.0)])


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, tolerance(dist, how), side)


def OFFR(ospec, d, lo, hi):
    return ("off", ospec, d, (lo, hi), None)


def SPAN(ospec, d, lo, hi):
    """`走个两三百米`, `百把米`: the span as said, and the span widened by a fifth each way."""
    return ("alt", [OFFR(ospec, d, lo, hi), OFFR(ospec, d, 0.8 * lo, 1.2 * hi)])


def code_of_alias(alias: str) -> str:
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return hits[0]


def A(alias):
    return ("b", code_of_alias(alias))


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases], R_NEAR)


def NEARW(alias):
    """边上 / 隔壁子 / 对门 / 背后 / 那边: within 50 m, or within 100 m."""
    codes = [code_of_alias(alias)]
    return ("alt", [("near", codes, R_NEAR), ("near", codes, 100.0)])


def AT(alias):
    """咯里 (right there): the building itself, or within 50 m."""
    codes = [code_of_alias(alias)]
    return ("alt", [("near", codes, 0.0), ("near", codes, R_NEAR)])


def NEAR_COMPOUND(name: str, gates: list[str]):
    return (
        "near",
        [b["code"] for b in BUILDINGS if b.get("compound") == name]
        + [code_of_alias(g) for g in gates],
        R_NEAR,
    )


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def WAN(village, wan, town=None):
    return ("wan", town, village, wan)


def VIL(village, town=None):
    return ("village", town, village)


def ROUND(spec):
    """`…那边` after a 组 or a village: its houses, or its houses and 100 m around them."""
    return ("alt", [spec, ("buf", spec, 100.0)])


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"TX{key}{zu:02d}{n:03d}"]


def HW(wan, n):  # a house of 牛角塘村 by its 屋场 / 湾
    return BY_CODE[f"TXNJTW{WAN_NAMES.index(wan) + 1}{n:03d}"]


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
    q(x, "黄兴南路与解放西路交叉口有人占道摆摊", X("黄兴南路", "解放西路"))
    q(x, "坡子街跟黄兴南路丁字路口晚上烧烤油烟好大", XW("坡子街", "黄兴南路"))
    q(
        x,
        "湘江中路坡子街路口往东50米有个坑",
        X("湘江中路", "坡子街", None, ("东", 50, "exact")),
    )
    q(x, "太平街解放西路口有人乱停车", X("太平街", "解放西路"))
    q(x, "城南西路湘江中路转角那里有人卖槟榔占道", XW("湘江中路", "城南西路"))
    q(x, "黄兴南路城南西路口红绿灯那里有人发传单", XW("黄兴南路", "城南西路"))
    q(x, "黄兴南路与劳动西路交叉口积水好深", X("黄兴南路", "劳动西路"))
    q(x, "黄兴南路劳动西路路口东北角有人卖水果占道", X("黄兴南路", "劳动西路", "东北"))
    q(x, "城南西路与芙蓉中路交叉口信号灯坏了", X("城南西路", "芙蓉中路"))
    q(x, "芙蓉中路城南西路交叉口西北角共享单车堆成一坨", X("芙蓉中路", "城南西路", "西北"))
    q(x, "解放西路和芙蓉中路十字路口地面塌陷", X("解放西路", "芙蓉中路"))
    q(x, "解放西路芙蓉中路口东南角有人乱贴小广告", X("解放西路", "芙蓉中路", "东南"))
    q(x, "韶山南路劳动西路口有人占道经营", X("韶山南路", "劳动西路"))
    q(x, "韶山南路与劳动西路交叉口西北角路灯不亮", X("韶山南路", "劳动西路", "西北"))
    q(x, "书院路友谊路丁字路口有台车停了好几天", XW("书院路", "友谊路"))
    q(x, "书院路和新开铺路交界的地方有人倒垃圾", XW("书院路", "新开铺路"))
    q(x, "书院路新开铺路交叉口东北角有个窨井盖冇得了", X("书院路", "新开铺路", "东北"))
    q(x, "白沙路与友谊路交叉口有人乱扔垃圾", X("白沙路", "友谊路"))
    q(
        x,
        "白沙路、友谊路路口往北100米人行道砖松了",
        X("白沙路", "友谊路", None, ("北", 100, "exact")),
    )
    q(x, "白沙路与劳动西路交叉口有人摆摊", X("白沙路", "劳动西路"))
    q(x, "友谊路与芙蓉南路交叉口有人发小广告", X("友谊路", "芙蓉南路"))
    q(x, "芙蓉南路友谊路口东北角有家店占道经营", X("芙蓉南路", "友谊路", "东北"))
    q(x, "韶山南路友谊路口天桥底下有流浪汉睡觉", XW("韶山南路", "友谊路"))
    q(x, "建湘路与城南西路交叉口有人占道", X("建湘路", "城南西路"))
    q(x, "韶山南路和黄兴南路交叉口有车辆违停", X("韶山南路", "黄兴南路"))
    q(x, "坡子街与解放西路交叉口有人摆摊", X("坡子街", "解放西路"))
    q(x, "韶山南路新开铺路口西北角有人焚烧垃圾", X("韶山南路", "新开铺路", "西北"))
    q(x, "芙蓉中路与劳动西路交叉口东南角有人占道卖菜", X("芙蓉中路", "劳动西路", "东南"))
    q(x, "南托大道与牛角塘路十字路口有人晒谷子占道", X("南托大道", "牛角塘路"))
    q(x, "南托大道芙蓉南路交叉口西南角有人倒渣土", X("南托大道", "芙蓉南路", "西南"))
    q(
        x,
        "中意一路、许兴路路口往北200米有人烧秸秆",
        X("中意一路", "许兴路", None, ("北", 200, "exact")),
    )
    q(x, "暮云正街跟芙蓉南路交界处路面塌陷", XW("暮云正街", "芙蓉南路"))
    q(x, "湘府西路与芙蓉南路交叉口东北角有人乱搭棚子", X("湘府西路", "芙蓉南路", "东北"))
    q(x, "沿江路与南托大道交叉口积水", X("沿江路", "南托大道"))
    q(x, "牛角塘路与湘府西路交叉口有人烧垃圾", X("牛角塘路", "湘府西路"))
    q(x, "中意一路芙蓉南路交叉口有人卖西瓜占道", X("中意一路", "芙蓉南路"))
    q(
        x,
        "市民反映每天早上七点多黄兴南路跟城南西路交叉口都有渣土车掉土，路面好滑，希望处理一下",
        X("黄兴南路", "城南西路"),
    )

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "杜甫江阁往北走了两百来米有人在江边烧烤", OFF(A("杜甫江阁"), "北", 200, "about"))
    q(o, "渔人码头往北约300米有人游泳", OFF(A("渔人码头"), "北", 300, "about"))
    q(o, "火宫殿往东走个两三百米有个下水道冒水", SPAN(A("火宫殿"), "东", 200, 300))
    q(
        o,
        "火宫殿往西200米路北有人占道摆摊",
        OFF(A("火宫殿"), "西", 200, side=("坡子街", "北")),
    )
    q(
        o,
        "黄兴路步行街往南大约300米路东有辆车堵了消防通道",
        OFF(A("黄兴路步行街"), "南", 300, "about", ("黄兴南路", "东")),
    )
    q(o, "省人医往东200米有人乱停车", OFF(A("省人医"), "东", 200))
    q(o, "省人民医院往西约300米有家店油烟扰民", OFF(A("省人民医院"), "西", 300, "about"))
    q(o, "长郡中学往南约500米有人占道", OFF(A("长郡中学"), "南", 500, "about"))
    q(o, "天心阁往北走个两三百米有人乱倒垃圾", SPAN(A("天心阁"), "北", 200, 300))
    q(
        o,
        "天心阁往西150米路南人行道被占",
        OFF(A("天心阁"), "西", 150, side=("城南西路", "南")),
    )
    q(o, "天心阁往东大概200米有人摆摊卖水果", OFF(A("天心阁"), "东", 200, "about"))
    q(o, "贾谊故居往南50米有人乱扔垃圾", OFF(A("贾谊故居"), "南", 50))
    q(o, "贾谊故居往北走百把米有个坑", SPAN(A("贾谊故居"), "北", 80, 120))
    q(o, "白沙井往北大约300米有车辆违停", OFF(A("白沙井"), "北", 300, "about"))
    q(o, "白沙井往南两百来米水管爆了", OFF(A("白沙井"), "南", 200, "about"))
    q(
        o,
        "一师范往北200米路西有人摆摊",
        OFF(A("一师范"), "北", 200, side=("书院路", "西")),
    )
    q(o, "第一师范往南走了三百来米有棵树倒了", OFF(A("第一师范"), "南", 300, "about"))
    q(
        o,
        "南门口地铁站往南100米路东有人卖臭豆腐占道",
        OFF(A("南门口地铁站"), "南", 100, side=("黄兴南路", "东")),
    )
    q(o, "友谊新村北门往东大概400米有个井盖坏了", OFF(A("友谊新村北门"), "东", 400, "about"))
    q(o, "侯家塘地铁站往北一百多米有人摆摊", OFF(A("侯家塘地铁站"), "北", 100, "more"))
    q(o, "城南路派出所往南200米有人打架", OFF(A("城南路派出所"), "南", 200))
    q(o, "裕南街派出所往东走了三百来米有个坑", OFF(A("裕南街派出所"), "东", 300, "about"))
    q(o, "白沙路菜市场往北约300米有人占道", OFF(A("白沙路菜市场"), "北", 300, "about"))
    q(
        o,
        "长沙银行友谊路支行往东100米路北有车辆违停",
        OFF(A("长沙银行友谊路支行"), "东", 100, side=("友谊路", "北")),
    )
    q(o, "暮云卫生院往南大约300米有人烧垃圾", OFF(A("暮云卫生院"), "南", 300, "about"))
    q(o, "暮云中学往东300米有人倒建筑垃圾", OFF(A("暮云中学"), "东", 300))
    q(o, "南托派出所往北一百多米有人私搭棚子", OFF(A("南托派出所"), "北", 100, "more"))
    q(o, "许兴村村委会往北约500米有人私挖鱼塘", OFF(A("许兴村村委会"), "北", 500, "about"))
    q(o, "许兴村委会往西200米有人烧秸秆", OFF(A("许兴村委会"), "西", 200))
    q(o, "滨洲村卫生室往东500米有人非法采砂", OFF(A("滨洲村卫生室"), "东", 500))
    q(
        o,
        "黄兴南路与解放西路交叉口往南200米路西有人乱停车",
        OFF(XO("黄兴南路", "解放西路"), "南", 200, side=("黄兴南路", "西")),
    )
    q(
        o,
        "友谊路、韶山南路路口往东约400米路南有垃圾堆",
        OFF(XO("友谊路", "韶山南路"), "东", 400, "about", ("友谊路", "南")),
    )
    q(o, "五一广场往南200米有人摆摊", OFF(("none",), "南", 200))
    q(o, "天心区第三人民医院往东100米有积水", OFF(("none",), "东", 100))
    q(
        o,
        "从天心阁往前走个两三百米有个下水道冒水",
        ("alt", [OFFR(A("天心阁"), d, 200, 300) for d in "东西南北"]),
    )
    q(
        o,
        "我住书香苑，从书香苑南门出来往东走了大概200米，路边有棵树倒了挡住了路",
        OFF(A("书香苑南门"), "东", 200, "about"),
    )

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("樊西巷路灯坏了好几天了", "樊西巷"),
        ("来电人反映学宫街有车辆长期占道", "学宫街"),
        ("白果园下水道堵了，污水漫到路上", "白果园"),
        ("化龙池酒吧一条街半夜还好吵", "化龙池"),
        ("都正街的路面坑坑洼洼", "都正街"),
        ("碧湘街垃圾几天冇人收", "碧湘街"),
        ("西牌楼有人半夜装修", "西牌楼"),
        ("市民称吴家坪里面电线乱拉", "吴家坪"),
        ("太傅里化粪池满了往外冒", "太傅里"),
        ("黎家坡 有人占用消防通道", "黎家坡"),
        (
            "荷花湾那条巷子下雨就积水，老人家出门要蹚水，反映好多次了冇人管",
            "荷花湾",
        ),
        ("福庆街有人半夜施工", "福庆街"),
        ("马家巷路灯不亮", "马家巷"),
    ]:
        q(la, text, ("lane", lane))

    # --- group (村民小组 / 屋场 / 湾 named with its village) ---------------------------------
    g = "group"
    q(g, "许兴村3组有人焚烧秸秆", ZU("许兴村", 3))
    q(g, "许兴村五组有人在塘边烧垃圾", ZU("许兴村", 5))
    q(g, "暮云街道许兴村第一村民小组有人违建", ZU("许兴村", 1, "暮云街道"))
    q(g, "天心区暮云街道许兴村6组停水了", ZU("许兴村", 6, "暮云街道"))
    q(g, "莲湖村二组路灯不亮", ZU("莲湖村", 2))
    q(g, "莲湖村第3村民小组有人电鱼", ZU("莲湖村", 3))
    q(g, "莲湖村四组有人占用耕地建房", ZU("莲湖村", 4))
    q(g, "莲湖村六组有人烧垃圾", ZU("莲湖村", 6))
    q(g, "沿江村1组有人乱倒垃圾", ZU("沿江村", 1))
    q(g, "沿江村3组排水沟堵了", ZU("沿江村", 3))
    q(g, "南托街道沿江村第五村民小组有人私搭乱建", ZU("沿江村", 5, "南托街道"))
    q(g, "牛角塘村李家湾有人烧秸秆", WAN("牛角塘村", "李家湾"))
    q(g, "牛角塘村杨家屋场有条狗天天追人", WAN("牛角塘村", "杨家屋场"))
    q(g, "南托牛角塘村谭家冲有人挖山", WAN("牛角塘村", "谭家冲", "南托街道"))
    q(g, "牛角塘村周家湾有人往塘里倒垃圾", WAN("牛角塘村", "周家湾"))
    q(g, "牛角塘村3组有人私挖鱼塘", ZU("牛角塘村", 3))
    q(g, "许兴村八组有人烧秸秆", ZU("许兴村", 8))
    q(g, "南托街道许兴村2组有人违建", ZU("许兴村", 2, "南托街道"))
    q(g, "新塘村2组有人私拉电线", ZU("新塘村", 2))
    q(g, "莲湖村李家湾有人砍树", WAN("莲湖村", "李家湾"))
    q(
        g,
        "暮云街道莲湖村一组那边有人天天晚上在田里烧垃圾，烟熏得人睡不着觉",
        ROUND(ZU("莲湖村", 1, "暮云街道")),
    )

    # --- village (a 行政村 named alone, or with its street) --------------------------------
    v = "village"
    q(v, "高云村有人烧秸秆，烟好大", VIL("高云村"))
    q(v, "暮云街道高云村路灯不亮", VIL("高云村", "暮云街道"))
    q(v, "桂井村有人私拉电网捕鱼", VIL("桂井村"))
    q(v, "大湖村有人往塘里倒垃圾", VIL("大湖村"))
    q(v, "南托街道大湖村狗咬人", VIL("大湖村", "南托街道"))
    q(v, "滨洲村自来水停了三天", VIL("滨洲村"))
    q(v, "南托街道新塘村有人焚烧垃圾", VIL("新塘村", "南托街道"))
    q(v, "暮云新塘村路面塌陷", VIL("新塘村", "暮云街道"))
    q(v, "新塘村有人私建猪圈", VIL("新塘村"))
    q(v, "许兴村垃圾乱堆乱放", VIL("许兴村"))
    q(v, "莲湖村有人电鱼", VIL("莲湖村"))
    q(v, "沿江村有人乱砍树", VIL("沿江村"))
    q(v, "牛角塘村排水沟堵了", VIL("牛角塘村"))
    q(v, "暮云街道大湖村有人违建", VIL("大湖村", "暮云街道"))
    q(v, "南托街道桂井村有人烧荒", VIL("桂井村", "南托街道"))
    q(v, "黄土岭村有人烧荒", VIL("黄土岭村"))
    q(
        v,
        "来电人称天心区南托街道滨洲村那边有人在河边非法采砂，晚上机器声音好大",
        ROUND(VIL("滨洲村", "南托街道")),
    )

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "火宫殿门口排长队占了人行道", NEAR("火宫殿"))
    q(n, "贾谊故居旁边有人乱扔烟头", NEAR("贾谊故居"))
    q(n, "杜甫江阁边上有人夜钓还放好大声的音乐", NEARW("杜甫江阁"))
    q(n, "天心阁对门那家店晚上噪音扰民", NEARW("天心阁"))
    q(n, "长郡中学门口放学时间车辆乱停", NEAR("长郡中学"))
    q(n, "南门口地铁站隔壁子在装修，天天电钻响", NEARW("南门口地铁站"))
    q(n, "白沙井旁边有人洗车", NEAR("白沙井"))
    q(n, "第一师范背后有人乱倒建筑垃圾", NEARW("第一师范"))
    q(
        n,
        "书香苑周边晚上广场舞太吵了",
        NEAR_COMPOUND("书香苑", ["书香苑", "书香苑南门"]),
    )
    q(n, "碧湘园周边路灯都不亮", NEAR_COMPOUND("碧湘园", ["碧湘园", "碧湘园东门"]))
    q(n, "碧湘园南门门口有个井盖一踩就响", NEAR("碧湘园南门"))
    q(n, "友谊新村附近有人私拉电线充电", NEAR_COMPOUND("友谊新村", ["友谊新村"]))
    q(n, "省人医门口出租车乱停", NEAR("省人医"))
    q(n, "侯家塘地铁站旁边有人摆摊", NEAR("侯家塘地铁站"))
    q(n, "建行芙蓉南路支行对面有个坑", NEAR("建行芙蓉南路支行"))
    q(n, "城南路派出所附近有人打架", NEAR("城南路派出所"))
    q(n, "新开铺菜市场边上污水横流", NEARW("新开铺菜市场"))
    q(n, "城南西路菜市场咯里有人卖活禽", AT("城南西路菜市场"))
    q(n, "暮云派出所门口有人吵架", NEAR("暮云派出所"))
    q(n, "宝塔山社区居委会门口有人乱停电动车", NEAR("宝塔山社区居委会"))
    q(n, "南托卫生院对面有人摆摊卖菜", NEAR("南托卫生院"))
    q(n, "牛角塘村村委会旁边有人焚烧垃圾", NEAR("牛角塘村村委会"))
    q(n, "暮云街道新塘村村委会附近有人焚烧垃圾", NEAR("暮云街道新塘村村委会"))
    q(
        n,
        "新塘村村委会门口堆满了杂物",
        NEAR("南托街道新塘村村委会", "暮云街道新塘村村委会"),
    )
    q(n, "天心区第二人民医院门口有人乱停车", ("near", [], R_NEAR))
    q(n, "五一广场旁边有人发小广告", ("near", [], R_NEAR))
    q(
        n,
        "我家就在黄兴路步行街那边，隔壁子那栋楼的空调外机滴水，滴到楼下人身上了",
        NEARW("黄兴路步行街"),
    )

    # --- other_county (长沙's other 县级 units in front of our addresses) ------------------
    oc = "other_county"
    hx, xj = fb("黄兴南路", 1400, "R"), fb("湘江中路", 2700, "R")
    pz, sy = fb("坡子街", 700, "R"), fb("书院路", 1400, "L")
    for text, code in [
        (f"芙蓉区黄兴南路{no(hx)}号", None),
        (f"长沙市岳麓区湘江中路{no(xj)}号", None),
        (f"开福区坡子街{no(pz)}号", None),
        ("雨花区暮云街道许兴村3组15号", None),
        ("长沙市望城区南托街道牛角塘村李家湾7号", None),
        ("长沙县暮云街道高云村45号", None),
        (f"湖南省长沙市雨花区书院路{no(sy)}号", None),
        (f"湖南省长沙市天心区黄兴南路{no(hx)}号", hx["code"]),
        (f"长沙市天心区湘江中路{no(xj)}号", xj["code"]),
        (f"天心区坡子街{no(pz)}号", pz["code"]),
        ("天心区暮云街道许兴村3组15号", H("XX", 3, 15)["code"]),
        ("南托街道牛角塘村李家湾7号", HW("李家湾", 7)["code"]),
        ("暮云街道高云村45号", H("GY", 0, 45)["code"]),
        (f"长沙市天心区书院路{no(sy)}号", sy["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b2 = fb("黄兴南路", 200, "L"), fb("湘江中路", 300, "R")
    b3 = fb("坡子街", 180, "R")
    b5, b6 = fb("解放西路", 2700, "L"), fb("芙蓉中路", 1400, "L")
    b7 = fb("韶山南路", 2650, "R")
    sx = door(500, "R")
    absent("许兴村3组30号")
    absent("大湖村40号")
    absent("太傅里9号")
    for text, code in [
        (
            "No. 15, Group 3, Xuxing Village, Muyun Subdistrict, Tianxin District, Changsha",
            H("XX", 3, 15)["code"],
        ),
        (
            "No. 12, Group 2, Yanjiang Village, Nantuo Subdistrict, Tianxin District",
            H("YJ", 2, 12)["code"],
        ),
        (
            "No. 7, Lijiawan, Niujiaotang Village, Nantuo Subdistrict, Tianxin District, Changsha,"
            " Hunan",
            HW("李家湾", 7)["code"],
        ),
        (
            "No. 7, Group 5, Lianhu Village, Muyun Street, Tianxin District, Changsha",
            H("LH", 5, 7)["code"],
        ),
        ("No. 30, Group 3, Xuxing Village, Muyun Subdistrict, Tianxin District", None),
        (f"No. {no(b1)}, Huangxing South Road, Tianxin District, Changsha", b1["code"]),
        (f"No. {no(b2)} Xiangjiang Middle Road, Tianxin District, Changsha, Hunan", b2["code"]),
        (f"No. {no(b3)}, Pozi Street, Tianxin District", b3["code"]),
        (f"Building 2, Shuxiangyuan, No. {sx} Shuyuan Road, Tianxin District", "TXSXYD2"),
        (
            "Building 3, Unit 2, Youyi Xincun, Youyi Road, Tianxin District, Changsha",
            "TXYYXCD3",
        ),
        ("No. 5, Xipailou, Tianxin District, Changsha", "TXXPL5"),
        (f"Tianxin Qu Jiefang Xilu {no(b5)} Hao", b5["code"]),
        (f"Changsha Shi Tianxin Qu Furong Zhonglu {no(b6)} Hao", b6["code"]),
        (
            "Hunan Sheng Changsha Shi Tianxin Qu Muyun Jiedao Gaoyun Cun 88 Hao",
            H("GY", 0, 88)["code"],
        ),
        ("15号，3组，许兴村，暮云街道，天心区，长沙市", H("XX", 3, 15)["code"]),
        (f"{no(b7)}号，韶山南路，天心区，长沙市", b7["code"]),
        ("1栋2单元，碧湘园，城南西路，天心区", "TXBXYD1"),
        ("9号，太傅里，长沙市天心区", None),
        ("No. 40, Dahu Village, Nantuo Subdistrict, Tianxin District", None),
    ]:
        q(e, text, BLD(code))
    q(
        e,
        "Group 2, Xuxing Village, Muyun Subdistrict, Tianxin District",
        ZU("许兴村", 2, "暮云街道"),
    )
    q(
        e,
        "Group 3, Yanjiang Village, Nantuo Subdistrict, Tianxin District",
        ZU("沿江村", 3, "南托街道"),
    )

    # --- building ----------------------------------------------------------------------
    bq = "building"
    jf, cn = fb("解放西路", 300, "L"), fb("城南西路", 2150, "R")
    dz = fb("都正街", 200, "R", 10)
    t1, t2 = fb("芙蓉中路", 1200, "R"), fb("书院路", 200, "L")
    t3, t4 = fb("劳动西路", 2100, "L"), fb("城南西路", 350, "L")
    t5, t6 = fb("韶山南路", 2650, "R"), fb("芙蓉南路", 4200, "L")
    for miss in [
        "黄兴南路999号",
        "解放西路7号",
        "许兴村3组99号",
        "太傅里20号",
        "高云村200号",
        "芙蓉中路2000号",
        "书香苑9栋",
    ]:
        absent(miss)
    both = [b for b in BUILDINGS if b["address"].endswith("新塘村51号")]
    if len(both) != 2:
        raise SystemExit("新塘村51号 must be a door of both 新塘村")
    for text, code in [
        (jf["address"], jf["code"]),
        (f"城南西路{no(cn)}号", cn["code"]),
        ("杜甫江阁", code_of_alias("杜甫江阁")),
        ("天心阁", code_of_alias("天心阁")),
        ("省人医", code_of_alias("省人医")),
        ("长郡中学", code_of_alias("长郡中学")),
        ("火宫殿", code_of_alias("火宫殿")),
        ("许兴村村委会", code_of_alias("许兴村村委会")),
        ("暮云农商行", code_of_alias("暮云农商行")),
        ("书香苑3栋", "TXSXYD3"),
        ("友谊新村5栋2单元301", "TXYYXCD5"),
        ("碧湘园4栋1单元602室", "TXBXYD4"),
        ("天心区黎家坡7号", "TXLJP7"),
        (f"都正街{no(dz)}号", dz["code"]),
        ("天心区南托街道滨洲村60号", H("BZ", 0, 60)["code"]),
        ("暮云街道桂井村18号", H("GJ", 0, 18)["code"]),
        ("牛角塘村陈家屋场6号", HW("陈家屋场", 6)["code"]),
        (f"胡蓉中路{no(t1)}号", t1["code"]),
        (f"福南省长沙市天心区书院路{no(t2)}号", t2["code"]),
        (f"脑动西路{no(t3)}号", t3["code"]),
        (f"天心区城兰西路{no(t4)}号", t4["code"]),
        (f"韶山兰路{no(t5)}号", t5["code"]),
        (f"湖蓉南路{no(t6)}号", t6["code"]),
        ("兰托街道大湖村42号", H("DH", 0, 42)["code"]),
        ("长沙市天心区黄兴南路999号", None),
        ("解放西路7号", None),
        ("书香苑9栋", None),
        ("暮云街道许兴村3组99号", None),
        ("新塘村51号", None),
        ("天心区太傅里20号", None),
        ("暮云街道高云村200号", None),
        ("天心区芙蓉中路2000号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
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


def write_all():
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
    specs = {}
    stats: Counter = Counter()
    for kind, text, spec in queries():
        if text in specs:
            raise SystemExit(f"duplicate query {text}")
        specs[text] = spec
        expected, micro = truth(spec)
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for k in sorted({k for k, _ in stats}):
        t, f = stats[(k, True)], stats[(k, False)]
        print(f"{k:16} n {t + f:3}  positive {t:3}  refuse {f:3}")
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}")
    return specs


# ---------------------------------------------------------------- reading back
def check_files(specs) -> None:
    """Read the four files back and check them against each other and against the rules."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["code"]: f for f in grids}
    if len(by_code) != len(grids):
        raise SystemExit("grid codes are not unique")
    for f in grids:
        p = f["properties"]
        if p["level"] != "district" and p["parent_code"] not in by_code:
            raise SystemExit(f"{p['code']}: parent {p['parent_code']} missing")
    # micro-grids back in metres
    micro = {
        c: Polygon([xy(lon, lat) for lon, lat in f["geometry"]["coordinates"][0]])
        for c, f in by_code.items()
        if f["properties"]["level"] == "micro"
    }
    micro_ll = {c: shape(by_code[c]["geometry"]) for c in micro}
    if set(micro) != set(MICROS):
        raise SystemExit("micro-grids in the file differ from the layout")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    where = {}
    addresses = set()
    for r in rows:
        if r["code"] in where or r["address"] in addresses:
            raise SystemExit(f"duplicate building {r['code']} {r['address']}")
        addresses.add(r["address"])
        pt = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micro_ll.items() if poly.contains(pt)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']} lies in {hits}, not {r['micro_grid_code']}")
        where[r["code"]] = r["micro_grid_code"]
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    if [f["properties"]["name"] for f in roads] != [name for name, _k, _p in ROADS]:
        raise SystemExit("roads.geojson differs from the layout")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    refused = 0
    for line in lines:
        d = json.loads(line)
        if set(d) != {"query", "expected", "micro_grid", "kind"} or d["kind"] not in KINDS:
            raise SystemExit(f"bad query line {line}")
        spec = specs[d["query"]]
        if d["micro_grid"] is None:
            refused += 1
            if d["expected"] is not None:
                raise SystemExit(f"refusal with a building: {line}")
            continue
        if d["micro_grid"] not in micro:
            raise SystemExit(f"unknown micro-grid: {line}")
        if spec[0] == "bld":
            if where.get(d["expected"]) != d["micro_grid"]:
                raise SystemExit(f"building not in its micro-grid: {line}")
            continue
        if d["expected"] is not None:
            raise SystemExit(f"a place query with a building: {line}")
        for one in readings(spec):
            region = place_region(one)
            hits = [c for c, poly in micro.items() if poly.buffer(0.05).contains(region)]
            if hits != [d["micro_grid"]]:
                raise SystemExit(f"place region lies in {hits}: {line}")
    share = refused / len(lines)
    if not 0.28 <= share <= 0.40:
        raise SystemExit(f"refusals {share:.0%}, not about a third")
    print(f"checked: {len(rows)} buildings, {len(lines)} queries, {refused} refusals ({share:.0%})")


if __name__ == "__main__":
    check_files(write_all())
