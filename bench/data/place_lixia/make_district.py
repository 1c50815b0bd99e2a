"""Write the place-description evaluation district: 山东省济南市历下区.

    python bench/data/place_lixia/make_district.py

One grid tree in two parts: an old urban core (泉城路街道, 大明湖街道, 解放路街道, with 路, 街, 巷,
胡同, 里 and 小区) and 龙洞街道 at the east edge, whose 行政村 write their houses by 组
(`历下区龙洞街道孟家庄村3组15号`, `黄岭村二组5号`), by 自然村 (`历下区龙洞街道石河峪村西峪12号`) or
numbered across the village (`历下区龙洞街道土屋村36号`). The 街道 and the urban road names are
历下区's; the communities, villages, lanes, door numbers, landmarks' positions and all geometry
are ours: a layout in metres over a 6 km x 3 km box, turned into WGS-84 around 济南's old town.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules). Words that place_xian's rules do not cover get two readings, a narrow and a wide
one; both are computed, and the query is a positive only when both land in the same micro-grid.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically, then
reads the four files back and checks them.
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
LON0, LAT0 = 117.0100, 36.6500  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("370102", "历下区")
DISTRICT_AREA = box(0.0, 0.0, 6000.0, 3000.0)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, communities (name, short name, box); each community is
# 1200 m x 1500 m: two grids of 750 m, each of three micro-grids of 400 m.
STREETS = [
    (
        "370102001",
        "泉城路街道",
        (0, 0, 2400, 1500),
        [
            ("趵突泉社区", "趵突泉", (0, 0, 1200, 1500)),
            ("黑虎泉社区", "黑虎泉", (1200, 0, 2400, 1500)),
        ],
    ),
    (
        "370102002",
        "大明湖街道",
        (0, 1500, 2400, 3000),
        [
            ("曲水亭社区", "曲水亭", (0, 1500, 1200, 3000)),
            ("百花洲社区", "百花洲", (1200, 1500, 2400, 3000)),
        ],
    ),
    (
        "370102003",
        "解放路街道",
        (2400, 0, 3600, 3000),
        [
            ("燕子山社区", "燕子山", (2400, 0, 3600, 1500)),
            ("和平路社区", "和平路", (2400, 1500, 3600, 3000)),
        ],
    ),
]

# the edge street and its villages: name, key, style, box
# "zu": six micro-grids named after the 组 (`孟家庄村3组`), houses by 组;
# "zrc": six micro-grids named after the 自然村 (`石河峪村西峪`), houses by 自然村;
# "plain": six plain micro-grids, houses by 组 in Chinese numerals (`黄岭村三组`);
# "small": 400 m x 1500 m, two micro-grids `土屋村1号微网格`, houses numbered across the village
# (涝坡村's by 自然村).
RURAL = (
    "370102010",
    "龙洞街道",
    (3600, 0, 6000, 3000),
    [
        ("孟家庄村", "MJZ", "zu", (3600, 1500, 4800, 3000)),
        ("石河峪村", "SHY", "zrc", (4800, 1500, 6000, 3000)),
        ("黄岭村", "HL", "plain", (3600, 0, 4800, 1500)),
        ("土屋村", "TW", "small", (4800, 0, 5200, 1500)),
        ("涝坡村", "LP", "small", (5200, 0, 5600, 1500)),
        ("桃园村", "TY", "small", (5600, 0, 6000, 1500)),
    ],
)
SHY_ZRC = ["前河", "后河", "东峪", "西峪", "岭上", "窑头"]  # micro-grids 1..6 of 石河峪村
ZRC_KEY = {
    "前河": "QH",
    "后河": "HH",
    "东峪": "DY",
    "西峪": "XY",
    "岭上": "LS",
    "窑头": "YT",
    "前坡": "QP",
    "后坡": "HP",
}


def rect(b) -> Polygon:
    return box(*b)


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    return {"type": "Feature", "properties": props, "geometry": geom}


FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
MICRO_NAMES: dict[str, str] = {}
MICRO_UP: dict[str, tuple[str, str]] = {}  # micro code -> (街道, community or village)
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}


def add_micro(code: str, name: str, parent: str, b, street: str, community: str) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name
    MICRO_UP[code] = (street, community)


def micro_name(style: str, name: str, g_name: str, mi: int, m: int) -> str:
    if style == "zu":
        return f"{name}{m}组"
    if style == "zrc":
        return f"{name}{SHY_ZRC[m - 1]}"
    return f"{g_name}{mi + 1}号微网格"


def six_micros(code: str, name: str, b, street: str, community: str, style: str) -> None:
    """Two grids (south, north) of three micro-grids (west to east) over a 1200 x 1500 box."""
    w, s, _e, _n = b
    for gi in range(2):
        gs, gn = s + gi * 750, s + (gi + 1) * 750
        g_code = f"{code}{gi + 1:03d}"
        g_name = f"{name}第{gi + 1}网格"
        FEATURES.append(feature(g_code, g_name, "grid", code, geo(box(w, gs, w + 1200, gn))))
        for mi in range(3):
            mb = (w + mi * 400, gs, w + (mi + 1) * 400, gn)
            m = gi * 3 + mi + 1
            m_name = micro_name(style, name, g_name, mi, m)
            add_micro(f"{g_code}{mi + 1:03d}", m_name, g_code, mb, street, community)


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, communities in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        for ci, (c_name, short, cb) in enumerate(communities):
            c_code = f"{s_code}{ci + 1:03d}"
            FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(cb))))
            six_micros(c_code, short, cb, s_name, c_name, "plain")
    t_code, t_name, tb, villages = RURAL
    FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
    for vi, (v_name, key, style, vb) in enumerate(villages):
        v_code = f"{t_code}{200 + vi + 1:03d}"
        VILLAGE_BOX[key] = vb
        FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
        if style == "small":
            g_code = f"{v_code}001"
            FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
            for mi in range(2):
                mb = (vb[0], vb[1] + mi * 750, vb[2], vb[1] + (mi + 1) * 750)
                add_micro(
                    f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb, t_name, v_name
                )
            continue
        six_micros(v_code, v_name, vb, t_name, v_name, style)


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("泉城路", "arterial", [(0, 1500), (3600, 1500)]),
    ("经十路", "arterial", [(0, 400), (6000, 400)]),
    ("历山路", "arterial", [(2400, 0), (2400, 3000)]),
    ("二环东路", "arterial", [(3600, 0), (3600, 3000)]),
    ("文化西路", "secondary", [(0, 1000), (2400, 1000)]),
    ("文化东路", "secondary", [(2400, 1000), (3600, 1000)]),
    ("明湖路", "secondary", [(0, 2600), (2400, 2600)]),
    ("解放路", "arterial", [(2400, 2000), (4700, 2000)]),
    ("和平路", "secondary", [(2400, 2700), (3600, 2700)]),
    ("山大路", "secondary", [(3000, 1500), (3000, 3000)]),
    ("趵突泉北路", "secondary", [(400, 0), (400, 1500)]),
    ("燕子山路", "secondary", [(2900, 0), (2900, 1500)]),
    ("舜井街", "branch", [(1400, 400), (1400, 1500)]),
    ("黑虎泉西路", "secondary", [(1250, 1250), (2350, 1250)]),
    ("宽厚所街", "branch", [(1900, 1150), (1900, 850), (2200, 850), (2200, 1150)]),
    ("芙蓉街", "branch", [(1000, 1500), (1000, 2200)]),
    ("曲水亭街", "branch", [(600, 2300), (600, 2900)]),
    ("县西巷", "branch", [(1600, 1500), (1600, 2600)]),
    # lanes in the road file
    ("金菊巷", "branch", [(1000, 1800), (1180, 1800)]),
    ("鞭指巷", "branch", [(200, 650), (200, 880)]),
    ("剪子巷", "branch", [(1650, 200), (1950, 200)]),
    ("泉乐胡同", "branch", [(2600, 1700), (2600, 1950)]),
    ("马家胡同", "branch", [(3300, 500), (3300, 700)]),
    ("福康里", "branch", [(100, 2100), (350, 2100)]),
    # 龙洞街道
    ("旅游路", "arterial", [(3600, 1500), (6000, 1500)]),
    ("龙洞路", "secondary", [(5000, 0), (5000, 3000)]),
    ("孟家庄路", "branch", [(4200, 1600), (4200, 2900)]),
    ("石河峪路", "branch", [(4900, 2600), (5900, 2600)]),
    ("黄岭路", "branch", [(3800, 200), (3800, 700), (4500, 700)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "历下区"
TOWN = "龙洞街道"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "泉城路": "QCL",
    "经十路": "JSL",
    "历山路": "LSL",
    "二环东路": "EHDL",
    "文化西路": "WHXL",
    "文化东路": "WHDL",
    "明湖路": "MHL",
    "解放路": "JFL",
    "和平路": "HPL",
    "山大路": "SDL",
    "趵突泉北路": "BTQBL",
    "燕子山路": "YZSL",
    "舜井街": "SJJ",
    "黑虎泉西路": "HHQXL",
    "宽厚所街": "KHSJ",
    "芙蓉街": "FRJ",
    "曲水亭街": "QSTJ",
    "县西巷": "XXX",
    "金菊巷": "JJX",
    "鞭指巷": "BZX",
    "剪子巷": "JZX",
    "泉乐胡同": "QLHT",
    "马家胡同": "MJHT",
    "福康里": "FKL",
    "旅游路": "LYL",
    "龙洞路": "LDL",
    "平泉胡同": "PQHT",
    "双井胡同": "SJHT",
    "仁和里": "RHL",
    "东仓巷": "DCX",
    "甜水巷": "TSX",
}
STEP = {  # door numbers: two per `step` metres, odd on the left
    "芙蓉街": 10,
    "曲水亭街": 10,
    "县西巷": 10,
    "金菊巷": 10,
    "鞭指巷": 10,
    "剪子巷": 10,
    "泉乐胡同": 10,
    "马家胡同": 10,
    "福康里": 10,
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


def door(road: str, s: float, side: str) -> int:
    return 2 * int(s // STEP.get(road, 20)) + (1 if side == "L" else 2)


def frontage(road: str, items, prefix=CITY):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(road, s, side)
        x, y = on_road(road, s, side)
        add(f"LX{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road: str, s: float, side: str) -> dict:
    return BY_CODE[f"LX{CODE_KEY[road]}{door(road, s, side)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"LX{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def attached(base: dict, suffix: str, key: str, x: float, y: float, aliases=()):
    """A door written below another: `…31号附1号`, `…91-1号`."""
    address = base["address"][:-1] + suffix if suffix.startswith("-") else base["address"] + suffix
    add(base["code"] + key, address, x, y, aliases, road=base["road"], n=base["n"], sub=suffix)


def compound(base: dict, name: str, code: str, spots):
    """A 小区 behind its gate door: `<door>院N号楼`, alias `<小区>N号楼` and `<小区>N栋`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(
            f"{code}B{k}",
            f"{base['address']}院{k}号楼",
            x,
            y,
            [f"{name}{k}号楼", f"{name}{k}栋"],
            compound=name,
            bno=k,
        )


VILLAGE_OF = {key: name for name, key, _s, _b in RURAL[3]}
ZU_STYLE = {"MJZ": "ar", "HL": "cn"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, sub, centre, numbers, aliases=None):
    """Houses around a centre: of a 组 (sub an int), of a 自然村 (sub its name), or of a village
    numbered across (sub None)."""
    cx, cy = centre
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        if sub is None:
            text, ckey, zu, zrc = "", "00", None, None
        elif isinstance(sub, int):
            text = f"{CN[sub]}组" if ZU_STYLE[key] == "cn" else f"{sub}组"
            ckey, zu, zrc = f"{sub:02d}", sub, None
        else:
            text, ckey, zu, zrc = sub, ZRC_KEY[sub], None, sub
        add(
            f"LX{key}{ckey}{n:03d}",
            f"{CITY}{TOWN}{VILLAGE_OF[key]}{text}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN,
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            zrc=zrc,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "泉城路",
        [
            (300, "L", []),
            (700, "R", ["泉城广场地铁站"]),
            (1100, "L", ["工商银行泉城路支行", "工行泉城路支行"]),
            (1500, "R", ["泉城路派出所"]),
            (1900, "L", ["泉城路新华书店"]),
            (2700, "R", []),
            (3300, "L", []),
        ],
    )
    frontage(
        "经十路",
        [
            (200, "L", []),
            (950, "R", ["千佛山公园北门", "千佛山北门"]),
            (1700, "L", ["山东省立医院东院", "省立医院东院", "省立医院"]),
            (3100, "L", ["燕山学校"]),
            (3900, "L", ["经十路加油站"]),
            (5300, "R", []),
        ],
    )
    frontage(
        "历山路",
        [
            (300, "L", []),
            (1200, "R", ["农业银行历山路支行", "农行历山路支行"]),
            (1800, "L", []),
            (2300, "R", []),
            (2800, "L", ["解放阁"]),
        ],
    )
    frontage(
        "二环东路",
        [
            (200, "L", []),
            (880, "L", ["燕子山小区东门"]),
            (1700, "R", []),
            (2300, "L", ["二环东路加油站"]),
        ],
    )
    frontage(
        "文化西路",
        [
            (150, "L", []),
            (600, "R", ["山东中医药大学附属医院", "省中医"]),
            (1050, "L", ["山东大学齐鲁医院", "齐鲁医院"]),
            (1700, "R", ["建设银行文化西路支行", "建行文化西路支行"]),
            (2250, "L", []),
        ],
    )
    frontage(
        "文化东路",
        [
            (300, "L", ["齐鲁银行文化东路支行"]),
            (900, "R", ["燕子山小区", "燕子山小区北门"]),
            (1100, "L", []),
        ],
    )
    frontage(
        "明湖路",
        [
            (200, "L", ["大明湖公园南门", "大明湖南门"]),
            (700, "R", ["大明湖派出所"]),
            (1400, "R", ["明湖小区", "明湖小区南门"]),
            (1900, "L", ["大明湖小学"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "解放路",
        [
            (200, "L", ["解放路派出所"]),
            (500, "R", ["邮政储蓄银行解放路支行", "邮储解放路支行"]),
            (900, "L", ["甸柳新村", "甸柳新村南门"]),
            (1170, "R", ["解放路菜市场"]),
            (2100, "L", []),
        ],
    )
    frontage(
        "和平路",
        [
            (200, "L", ["和平路菜市场"]),
            (500, "R", ["历下区人民医院"]),
            (900, "L", ["和平路社区居委会"]),
        ],
    )
    frontage(
        "山大路",
        [
            (150, "L", []),
            (600, "R", ["甸柳新村西门"]),
            (900, "L", ["山大路地铁站"]),
            (1300, "R", ["山东省实验中学", "省实验"]),
        ],
    )
    frontage(
        "趵突泉北路",
        [
            (300, "L", []),
            (700, "R", ["趵突泉公园", "趵突泉公园东门", "趵突泉"]),
            (1200, "L", ["趵突泉社区居委会"]),
        ],
    )
    frontage(
        "燕子山路",
        [(200, "R", ["燕山派出所"]), (700, "L", []), (1200, "R", ["燕子山社区居委会"])],
    )
    frontage("舜井街", [(150, "L", ["舜井"]), (500, "R", ["舜井街菜市场"]), (950, "L", [])])
    frontage(
        "黑虎泉西路",
        [(200, "R", ["黑虎泉"]), (550, "L", ["黑虎泉社区居委会"]), (950, "R", [])],
    )
    frontage("宽厚所街", [(100, "L", []), (450, "L", ["宽厚所街早市"]), (800, "R", [])])
    frontage(
        "芙蓉街",
        [(60, "R", []), (250, "L", []), (400, "R", ["府学文庙", "文庙"]), (550, "L", [])],
    )
    frontage(
        "曲水亭街",
        [(80, "R", []), (150, "L", ["王府池子", "濯缨泉"]), (450, "R", ["曲水亭社区居委会"])],
    )
    frontage(
        "县西巷",
        [
            (100, "L", []),
            (300, "R", ["县西巷菜市场"]),
            (700, "L", []),
            (950, "R", ["百花洲社区居委会"]),
        ],
    )
    # lanes of the road file
    frontage("金菊巷", [(40, "L", []), (140, "R", [])])
    frontage("鞭指巷", [(30, "L", []), (200, "R", [])])
    frontage("剪子巷", [(50, "L", []), (250, "R", [])])
    frontage("泉乐胡同", [(40, "L", []), (200, "R", [])])
    frontage("马家胡同", [(30, "L", []), (170, "R", [])])
    frontage("福康里", [(40, "R", []), (200, "L", [])])
    # lanes in no road file
    lane_houses("平泉胡同", [(3, 700, 1180), (6, 740, 1200), (11, 690, 1240)])
    lane_houses("双井胡同", [(2, 2100, 2800), (7, 2140, 2812), (12, 2100, 2850)])
    lane_houses("仁和里", [(1, 2700, 1250), (4, 2712, 1300), (9, 2700, 1350)])
    lane_houses("东仓巷", [(2, 1880, 1470), (5, 1920, 1530), (8, 1950, 1530)])
    lane_houses("甜水巷", [(3, 200, 2700), (8, 240, 2712), (14, 200, 2760)])
    # doors written below another door
    qs = fb("曲水亭街", 150, "L")
    attached(qs, "附1号", "F1", 560, 2470)
    attached(qs, "附2号", "F2", 545, 2495)
    xx = fb("县西巷", 100, "L")
    attached(xx, "附1号", "F1", 1565, 1630)
    hp = fb("和平路", 900, "L")
    attached(hp, "-1号", "D1", 3320, 2740)
    # 小区: gate doors carry the 小区's name; its 号楼 stand behind
    compound(
        fb("文化东路", 900, "R"),
        "燕子山小区",
        "LXYZSXQ",
        [(3300, 900), (3380, 900), (3460, 900), (3300, 820), (3380, 820), (3460, 820)],
    )
    compound(
        fb("解放路", 900, "L"),
        "甸柳新村",
        "LXDLXC",
        [(3250, 2100), (3330, 2100), (3410, 2100), (3250, 2180), (3330, 2180)],
    )
    compound(
        fb("明湖路", 1400, "R"),
        "明湖小区",
        "LXMHXQ",
        [(1300, 2450), (1380, 2450), (1460, 2450), (1300, 2370), (1380, 2370)],
    )
    # 龙洞街道's main roads
    frontage(
        "龙洞路",
        [
            (250, "L", ["龙洞派出所"]),
            (600, "R", ["济南农商银行龙洞支行", "农商行龙洞支行"]),
            (1100, "L", ["龙洞街道社区卫生服务中心", "龙洞卫生院"]),
            (1900, "R", ["龙洞中学"]),
            (2450, "L", ["龙洞街道办事处"]),
            (2800, "R", []),
        ],
        prefix=CITY + TOWN,
    )
    frontage("旅游路", [(700, "L", []), (1500, "R", ["旅游路加油站"])], prefix=CITY + TOWN)
    # 孟家庄村: 1组 … 6组, one micro-grid each
    for zu, centre, nums in [
        (1, (3800, 1850), [3, 8, 12]),
        (2, (4300, 1800), [4, 7, 11, 16]),
        (3, (4600, 1850), [6, 9, 15, 21]),
        (4, (3800, 2650), [2, 5, 10]),
        (5, (4300, 2650), [1, 6, 13]),
        (6, (4600, 2650), [3, 8]),
    ]:
        al = {7: ["孟家庄村委会", "孟家庄村村委会"]} if zu == 2 else None
        rural_houses("MJZ", zu, centre, nums, al)
    # 石河峪村: six 自然村, one micro-grid each
    for zrc, centre, nums in [
        ("前河", (5100, 1850), [2, 7, 12]),
        ("后河", (5400, 1850), [5, 9, 14]),
        ("东峪", (5800, 1850), [3, 6]),
        ("西峪", (5100, 2720), [4, 8, 12, 19]),
        ("岭上", (5400, 2750), [1, 6, 10]),
        ("窑头", (5800, 2750), [3, 11]),
    ]:
        al = {6: ["石河峪村委会", "石河峪村村委会"]} if zrc == "岭上" else None
        rural_houses("SHY", zrc, centre, nums, al)
    # 黄岭村: 一组 … 六组 in plain micro-grids; 三组 lies across two
    for zu, centre, nums in [
        (1, (3700, 580), [2, 6, 9]),
        (2, (4200, 230), [1, 5, 12]),
        (3, (4400, 560), [3, 7, 14]),
        (4, (3800, 1100), [4, 8, 16]),
        (5, (4200, 1100), [2, 10]),
        (6, (4600, 1100), [5, 11, 17]),
    ]:
        al = {10: ["黄岭村委会", "黄岭村村委会"]} if zu == 5 else None
        rural_houses("HL", zu, centre, nums, al)
    # small villages: 土屋村 and 桃园村 numbered across, 涝坡村 by 自然村 (后坡 across two)
    rural_houses("TW", None, (5100, 1150), [12, 36, 58, 103], {36: ["土屋村委会"]})
    rural_houses("LP", "前坡", (5400, 300), [2, 5, 9], {5: ["涝坡村委会"]})
    rural_houses("LP", "后坡", (5400, 750), [3, 7, 12])
    rural_houses(
        "TY", None, (5800, 300), [8, 27, 45, 91, 130], {27: ["桃园村委会"], 45: ["桃园村卫生室"]}
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


# ---------------------------------------------------------------- places (place_xian's rules)
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


def band_u(o: Point, ux: float, uy: float, lo: float, hi: float, lateral: float) -> Polygon:
    nx, ny = -uy, ux
    return Polygon(
        [
            (o.x + lo * ux - lateral * nx, o.y + lo * uy - lateral * ny),
            (o.x + hi * ux - lateral * nx, o.y + hi * uy - lateral * ny),
            (o.x + hi * ux + lateral * nx, o.y + hi * uy + lateral * ny),
            (o.x + lo * ux + lateral * nx, o.y + lo * uy + lateral * ny),
        ]
    )


def band(o: Point, d: str, lo: float, hi: float, lateral: float = LATERAL) -> Polygon:
    ux, uy = DIRS[d]
    return band_u(o, ux, uy, lo, hi, lateral)


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


def houses(village=None, zu=None, zrc=None, town=None, road=None):
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
        if zrc is not None and b["zrc"] != zrc:
            continue
        out.append(b)
    return out


def lane_parts(name: str, trim: float) -> list:
    parts = []
    if name in ROAD:
        line = ROAD[name]
        parts.append(substring(line, trim, line.length - trim) if trim else line)
    parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
    return parts


# ---------------------------------------------------------------- places (two readings)
def foot(code: str) -> tuple[LineString, float, Point]:
    """A door's road, the distance along it of the door's foot, and the door."""
    b = BY_CODE[code]
    line = ROAD[b["road"]]
    p = Point(b["x"], b["y"])
    return line, line.project(p), p


def far_side(code: str, a_lo: float, a_hi: float, depth: float = 40.0, gap: float = 2.0):
    """The strip across the door's road (gap-depth m from its centreline), a_lo-a_hi m along
    the road either way from the door's foot."""
    line, s, p = foot(code)
    pieces = []
    spans = [(s - a_hi, s - a_lo), (s + a_lo, s + a_hi)]
    if a_lo == 0:
        spans = [(s - a_hi, s + a_hi)]
    for s0, s1 in spans:
        s0, s1 = max(s0, 0.0), min(s1, line.length)
        if s1 - s0 < 1:
            continue
        seg = substring(line, s0, s1)
        left, right = seg.buffer(depth, single_sided=True), seg.buffer(-depth, single_sided=True)
        pieces.append(right if left.distance(p) < right.distance(p) else left)
    return unary_union(pieces).difference(line.buffer(gap))


def road_end(road: str, d: str, length: float):
    line = ROAD[road]
    ux, uy = DIRS[d]
    a, b = line.coords[0], line.coords[-1]
    if a[0] * ux + a[1] * uy > b[0] * ux + b[1] * uy:
        return substring(line, 0, length)
    return substring(line, line.length - length, line.length)


def lane_mouths(name: str) -> list[Point]:
    line = ROAD[name]
    ends = [Point(line.coords[0]), Point(line.coords[-1])]
    touching = [e for e in ends if any(ROAD[o].distance(e) < 0.5 for o in ROAD if o != name)]
    return touching or ends


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
    if kind == "near":  # ("near", [building codes]) — also a disc of another radius
        if not spec[1]:
            return None
        r = spec[2] if len(spec) > 2 else R_NEAR
        return unary_union([Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(r) for c in spec[1]])
    if kind == "xdisc":  # ("xdisc", A, B, r): a disc around a crossing met once
        pts = crossings(spec[1], spec[2])
        return pts[0].buffer(spec[3]) if len(pts) == 1 else None
    if kind == "lane":  # its line without 10 m at each end, and its houses
        parts = lane_parts(spec[1], 10)
        return unary_union(parts) if parts else None
    if kind == "lanebuf":  # ("lanebuf", lane, r): the whole line and its houses, r m round
        parts = lane_parts(spec[1], 0)
        return unary_union(parts).buffer(spec[2]) if parts else None
    if kind == "mouth":  # ("mouth", lane, r): discs at the ends touching another road
        if spec[1] not in ROAD:
            return None
        return unary_union([e.buffer(spec[2]) for e in lane_mouths(spec[1])])
    if kind == "bend":  # ("bend", road, r): discs at the road's turns
        inner = [Point(c) for c in ROAD[spec[1]].coords[1:-1]]
        return unary_union([p.buffer(spec[2]) for p in inner]) if inner else None
    if kind == "end":  # ("end", road, dir, length): its last metres at that end
        return road_end(spec[1], spec[2], spec[3])
    if kind == "bandv":  # ("bandv", origin spec, dir, lo, hi, lateral)
        o = origin(spec[1])
        return None if o is None else band(o, spec[2], spec[3], spec[4], spec[5])
    if kind == "away":  # ("away", code, lo, hi, lateral): straight back from the door's road
        line, s, p = foot(spec[1])
        f = line.interpolate(s)
        d = math.hypot(p.x - f.x, p.y - f.y)
        return band_u(p, (p.x - f.x) / d, (p.y - f.y) / d, spec[2], spec[3], spec[4])
    if kind == "front":  # ("front", code, along, r): the door's road in front of it
        line, s, _p = foot(spec[1])
        if spec[2] == 0:
            return line.interpolate(s).buffer(spec[3])
        seg = substring(line, max(s - spec[2], 0), min(s + spec[2], line.length))
        return seg.buffer(spec[3])
    if kind == "across":  # ("across", code, a_lo, a_hi)
        return far_side(spec[1], spec[2], spec[3])
    if kind == "zu":  # ("zu", town or None, village, number)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "zrc":  # ("zrc", town or None, village, 自然村)
        hs = houses(town=spec[1], village=spec[2], zrc=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def regions(spec) -> list:
    """The region(s) a place query is judged on: one, or a word's narrow and wide readings."""
    if spec[0] == "two":
        return [place_region(spec[2]), place_region(spec[3])]
    return [place_region(spec)]


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    micros = []
    for region in regions(spec):
        if region is None or region.is_empty:
            return None, None
        micros.append(micro_of_region(region))
    if micros[0] is None or any(m != micros[0] for m in micros):
        return None, None
    return None, micros[0]


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


def C(alias) -> str:
    return code_of_alias(alias)


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases])


def compound_codes(name: str) -> list[str]:
    """All 号楼 and gates of a 小区."""
    return [b["code"] for b in BUILDINGS if b.get("compound") == name] + [
        b["code"]
        for b in BUILDINGS
        if any(a.startswith(name) for a in b["aliases"]) and "compound" not in b
    ]


def NEAR_COMPOUND(name: str):
    return ("near", compound_codes(name))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def ZRC(village, name, town=None):
    return ("zrc", town, village, name)


def VIL(village, town=None):
    return ("village", town, village)


def LANE(name):
    return ("lane", name)


# words with no rule in place_xian: (narrow reading, wide reading)
def GENQIAN(codes):  # 跟前
    return ("two", "跟前", ("near", codes, 50.0), ("near", codes, 100.0))


def AIZHE(code):  # 挨着
    return ("two", "挨着", ("near", [code], 20.0), ("near", [code], 50.0))


def DUIGUO(code):  # 对过
    return ("two", "对过", ("near", [code], 50.0), ("across", code, 0, 100))


def XIEDUIGUO(code):  # 斜对过
    return ("two", "斜对过", ("across", code, 20, 100), ("across", code, 0, 150))


def YIPIAN(spec):  # 那一片 / 那片儿 / 一带: a landmark's codes or a crossing ("x", A, B)
    if spec[0] == "x":
        return (
            "two",
            "那一片",
            ("xdisc", spec[1], spec[2], 30.0),
            ("xdisc", spec[1], spec[2], 150.0),
        )
    return ("two", "那一片", ("near", spec, 50.0), ("near", spec, 150.0))


def TOULI(code):  # 头里 / 前头
    return ("two", "头里", ("front", code, 0, 20.0), ("front", code, 60.0, 30.0))


def HOUTOU(code):  # 后头 / 后边儿
    return ("two", "后头", ("away", code, 0, 50, 20.0), ("away", code, 0, 150, 40.0))


def BIANR(ospec, d):  # 东边儿 / 西边儿 / 南边儿 / 北边儿
    return ("two", "边儿", ("bandv", ospec, d, 0, 100, 20.0), ("bandv", ospec, d, 0, 300, 50.0))


def SHOU(ospec, d):  # 东首 / 西首 / 南首 / 北首
    return ("two", "首", ("bandv", ospec, d, 0, 50, 20.0), ("bandv", ospec, d, 0, 150, 30.0))


def TOU(road, d):  # 东头 / 西头 / 南头 / 北头 of a road or lane
    return ("two", "头", ("end", road, d, 50.0), ("end", road, d, 150.0))


def LITOU(lane):  # 里头 / 里边儿 of a lane
    return ("two", "里头", ("lane", lane), ("lanebuf", lane, 30.0))


def KOU(lane):  # 巷口 / 胡同口
    return ("two", "口", ("mouth", lane, 20.0), ("mouth", lane, 50.0))


def GUAIWAN(road):  # 拐弯儿 (where a road turns)
    return ("two", "拐弯儿", ("bend", road, 30.0), ("bend", road, 80.0))


def GUAIJIAO(a, b):  # 拐角 (of a crossing, no corner named)
    return ("two", "拐角", ("xdisc", a, b, 30.0), ("xdisc", a, b, 60.0))


def YIDIAN(a, b, d):  # 路口往东一点儿 / 往东不远 (no number)
    o = XO(a, b)
    return ("two", "一点儿", ("bandv", o, d, 10, 50, 20.0), ("bandv", o, d, 10, 150, 20.0))


def BAISHI(ospec, d):  # 百十米
    return ("two", "百十米", ("bandv", ospec, d, 80, 120, 20.0), ("bandv", ospec, d, 50, 150, 20.0))


def ERSANBAI(ospec, d):  # 二三百米
    return (
        "two",
        "二三百米",
        ("bandv", ospec, d, 200, 300, 20.0),
        ("bandv", ospec, d, 160, 360, 20.0),
    )


def H(key, sub, n):  # a rural house: sub a 组 number, a 自然村 or 0 (numbered across)
    if sub == 0:
        ck = "00"
    elif isinstance(sub, int):
        ck = f"{sub:02d}"
    else:
        ck = ZRC_KEY[sub]
    return BY_CODE[f"LX{key}{ck}{n:03d}"]


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


FULL = str.maketrans("0123456789-", "０１２３４５６７８９－")


def cn_num(n: int) -> str:
    """A door number in Chinese numerals, as it is read out: 31 三十一, 105 一百零五."""
    if n < 10:
        return CN[n]
    if n < 20:
        return "十" + (CN[n % 10] if n % 10 else "")
    if n < 100:
        return CN[n // 10] + "十" + (CN[n % 10] if n % 10 else "")
    h, r = divmod(n, 100)
    if r == 0:
        tail = ""
    elif r < 10:
        tail = "零" + CN[r]
    else:
        tail = CN[r // 10] + "十" + (CN[r % 10] if r % 10 else "")
    return CN[h] + "百" + tail


def street_of(b) -> tuple[str, str]:
    return MICRO_UP[micro_of_point(b["x"], b["y"])]


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "山大路与解放路十字路口有人占道经营", X("山大路", "解放路"))
    q(x, "山大路和平路交叉口东北角井盖缺失", X("山大路", "和平路", "东北"))
    q(x, "舜井街与文化西路十字路口积水", X("舜井街", "文化西路"))
    q(
        x,
        "燕子山路、经十路路口往北200米护栏倒了",
        X("燕子山路", "经十路", None, ("北", 200, "exact")),
    )
    q(x, "曲水亭街与明湖路交叉口有人乱停车", X("曲水亭街", "明湖路"))
    q(x, "芙蓉街金菊巷路口地砖松动", X("芙蓉街", "金菊巷"))
    q(x, "舜井街与黑虎泉西路交叉口西南角垃圾满了", X("舜井街", "黑虎泉西路", "西南"))
    q(x, "孟家庄路与解放路十字有人晒粮食占道", X("孟家庄路", "解放路"))
    q(x, "龙洞路经十路交叉口东南角有人烧纸", X("龙洞路", "经十路", "东南"))
    q(x, "黄岭路与经十路交叉口下水道冒水", X("黄岭路", "经十路"))
    q(x, "泉城路与历山路十字路口有人发小广告", X("泉城路", "历山路"))
    q(x, "趵突泉北路与经十路交叉口西北角有共享单车堆放", X("趵突泉北路", "经十路", "西北"))
    q(x, "趵突泉北路经十路路口有人倒垃圾", X("趵突泉北路", "经十路"))
    q(x, "历山路与解放路交叉口东北角有违章广告牌", X("历山路", "解放路", "东北"))
    q(x, "二环东路与经十路交叉口西南角有人卖水果", X("二环东路", "经十路", "西南"))
    q(x, "龙洞路与旅游路十字路口车辆乱停", X("龙洞路", "旅游路"))
    q(x, "芙蓉街与泉城路路口人太多有人拉客", X("芙蓉街", "泉城路"))
    q(x, "明湖路与泉城路交叉口有人占道", X("明湖路", "泉城路"))
    q(x, "解放路与龙洞路交叉口积水", X("解放路", "龙洞路"))
    q(x, "黑虎泉西路与历山路交叉口有人乱扔垃圾", X("黑虎泉西路", "历山路"))
    q(x, "孟家庄路与旅游路十字有人焚烧秸秆", X("孟家庄路", "旅游路"))
    q(x, "宽厚所街与文化西路交叉口店铺占道", X("宽厚所街", "文化西路"))
    q(
        x,
        "舜井街、文化西路路口往南300米有个大坑",
        X("舜井街", "文化西路", None, ("南", 300, "exact")),
    )
    q(x, "山大路和平路路口北首有人私搭乱建", SHOU(XO("山大路", "和平路"), "北"))
    q(x, "解放路山大路路口往东一点儿，路面塌了", YIDIAN("解放路", "山大路", "东"))
    q(x, "经十路燕子山路路口往西不远有人烧烤", YIDIAN("经十路", "燕子山路", "西"))
    q(x, "文化东路燕子山路拐角有人卖菜", GUAIJIAO("文化东路", "燕子山路"))
    q(x, "黄岭路拐弯儿那里有个坑", GUAIWAN("黄岭路"))
    q(x, "龙洞路经十路那一片晚上没有路灯", YIPIAN(XO("龙洞路", "经十路")))
    q(x, "泉城路历山路那一片有人发小广告", YIPIAN(XO("泉城路", "历山路")))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "省中医北侧50米路灯不亮", OFF(A("省中医"), "北", 50))
    q(
        o,
        "省立医院往东约100米路南公交站牌坏了",
        OFF(A("省立医院"), "东", 100, "about", ("经十路", "南")),
    )
    q(o, "黑虎泉往东200米有人钓鱼", OFF(A("黑虎泉"), "东", 200))
    q(o, "王府池子往北走了一百多米，有个井盖没了", OFF(A("王府池子"), "北", 100, "more"))
    q(o, "大明湖南门往东约300米有人摆摊", OFF(A("大明湖南门"), "东", 300, "about"))
    q(o, "泉城路派出所往南300米有人倒建筑垃圾", OFF(A("泉城路派出所"), "南", 300))
    q(o, "工行泉城路支行往东300米路面破损", OFF(A("工行泉城路支行"), "东", 300))
    q(o, "甸柳新村南门往东走了两百来米，路灯杆歪了", OFF(A("甸柳新村南门"), "东", 200, "about"))
    q(o, "解放路派出所往北约200米有人遛狗不牵绳", OFF(A("解放路派出所"), "北", 200, "about"))
    q(
        o,
        "山大路地铁站往北300米路东有人乱贴小广告",
        OFF(A("山大路地铁站"), "北", 300, side=("山大路", "东")),
    )
    q(o, "省实验往南走了四百来米有人烧落叶", OFF(A("省实验"), "南", 400, "about"))
    q(o, "燕山派出所往北约500米有人私搭乱建", OFF(A("燕山派出所"), "北", 500, "about"))
    q(o, "千佛山北门往西200米有流动摊贩", OFF(A("千佛山北门"), "西", 200))
    q(o, "千佛山北门往南1公里有人烧荒", OFF(A("千佛山北门"), "南", 1000))
    q(o, "龙洞派出所往南500米有人私挖", OFF(A("龙洞派出所"), "南", 500))
    q(o, "孟家庄村委会往东走了两百来米有人焚烧秸秆", OFF(A("孟家庄村委会"), "东", 200, "about"))
    q(o, "石河峪村委会往南约300米有人私建猪圈", OFF(A("石河峪村委会"), "南", 300, "about"))
    q(
        o,
        "经十路加油站往东150米路北有人倒渣土",
        OFF(A("经十路加油站"), "东", 150, side=("经十路", "北")),
    )
    q(
        o,
        "齐鲁医院向东大约150米路北有违停车辆",
        OFF(A("齐鲁医院"), "东", 150, "about", ("文化西路", "北")),
    )
    q(
        o,
        "山大路与解放路交叉口往北200米路西，商户占道",
        OFF(XO("山大路", "解放路"), "北", 200, side=("山大路", "西")),
    )
    q(
        o,
        "文化西路舜井街交叉口以东约300米路南井盖缺失",
        OFF(XO("文化西路", "舜井街"), "东", 300, "about", ("文化西路", "南")),
    )
    q(o, "济南站往东200米有人拉客", OFF(("none",), "东", 200))
    q(o, "历下区第二人民医院往北100米有积水", OFF(("none",), "北", 100))
    q(o, "大明湖派出所往西百十米有人卖散装汽油", BAISHI(A("大明湖派出所"), "西"))
    q(o, "舜井街菜市场往北走个百十米，路面坑坑洼洼", BAISHI(A("舜井街菜市场"), "北"))
    q(o, "甸柳新村南门往东二三百米有人烧垃圾", ERSANBAI(A("甸柳新村南门"), "东"))
    q(o, "齐鲁医院东边儿有人乱停车", BIANR(A("齐鲁医院"), "东"))
    q(o, "省实验南边儿有人摆摊卖早点", BIANR(A("省实验"), "南"))
    q(o, "王府池子北首有人洗衣服", SHOU(A("王府池子"), "北"))
    q(o, "省立医院后头有人私搭乱建", HOUTOU(C("省立医院")))
    q(o, "齐鲁医院头里有人拉客", TOULI(C("齐鲁医院")))
    q(o, "泉城路派出所前头有人摆摊", TOULI(C("泉城路派出所")))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "省中医门口有人乱停车", NEAR("省中医"))
    q(n, "齐鲁医院对面有人发小广告", NEAR("齐鲁医院"))
    q(n, "泉城路派出所旁边有个井盖缺失", NEAR("泉城路派出所"))
    q(n, "工行泉城路支行附近有人乞讨", NEAR("工行泉城路支行"))
    q(n, "趵突泉公园门口有人拉客", NEAR("趵突泉公园"))
    q(n, "黑虎泉附近有人占道摆摊", NEAR("黑虎泉"))
    q(n, "甸柳新村周边夜里广场舞声音大", NEAR_COMPOUND("甸柳新村"))
    q(n, "明湖小区周边垃圾没人清", NEAR_COMPOUND("明湖小区"))
    q(n, "燕子山小区周边施工扰民", NEAR_COMPOUND("燕子山小区"))
    q(n, "燕子山小区北门旁边堆满了杂物", NEAR("燕子山小区北门"))
    q(n, "历下区人民医院隔壁在装修，噪音大", NEAR("历下区人民医院"))
    q(n, "解放路菜市场附近有人占道卖菜", NEAR("解放路菜市场"))
    q(n, "龙洞卫生院门口有流动摊贩", NEAR("龙洞卫生院"))
    q(n, "孟家庄村委会旁边有人焚烧垃圾", NEAR("孟家庄村委会"))
    q(n, "黄岭村委会附近有个水塘没有护栏", NEAR("黄岭村委会"))
    q(n, "省妇幼保健院门口有人乱停车", ("near", []))
    q(n, "历下区图书馆旁边有人打架", ("near", []))
    q(n, "齐鲁医院对过有人卖假药", DUIGUO(C("齐鲁医院")))
    q(n, "千佛山北门对过有人摆摊", DUIGUO(C("千佛山北门")))
    q(n, "工行泉城路支行对过有人散发传单", DUIGUO(C("工行泉城路支行")))
    q(n, "省中医斜对过有人占道洗车", XIEDUIGUO(C("省中医")))
    q(n, "王府池子跟前有人烧纸", GENQIAN([C("王府池子")]))
    q(n, "挨着省实验有人摆摊卖小吃", AIZHE(C("省实验")))
    q(n, "挨着解放阁有人乱停车", AIZHE(C("解放阁")))
    q(n, "和平路菜市场那一片下水道老是堵", YIPIAN([C("和平路菜市场")]))
    q(n, "明湖小区那片儿晚上路灯不亮", YIPIAN(compound_codes("明湖小区")))
    q(n, "黑虎泉后头有人私搭乱建", HOUTOU(C("黑虎泉")))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("金菊巷路灯坏了好几天了", "金菊巷"),
        ("来电人反映鞭指巷有车辆长期占道", "鞭指巷"),
        ("剪子巷下水道堵了，污水漫到路上", "剪子巷"),
        ("泉乐胡同有人养狗扰民", "泉乐胡同"),
        ("福康里垃圾几天没人收", "福康里"),
        ("县西巷有人半夜卸货", "县西巷"),
        ("平泉胡同有人半夜装修", "平泉胡同"),
        ("市民称双井胡同电线乱拉", "双井胡同"),
        ("仁和里化粪池满了往外冒", "仁和里"),
        ("东仓巷 有人占用消防通道", "东仓巷"),
        ("柳荫胡同有人半夜施工", "柳荫胡同"),
    ]:
        q(la, text, LANE(lane))
    q(la, "金菊巷口有人摆摊堵路", KOU("金菊巷"))
    q(la, "鞭指巷北头有个井盖没了", TOU("鞭指巷", "北"))
    q(la, "泉乐胡同里头有人私搭乱建", LITOU("泉乐胡同"))
    q(la, "剪子巷东头墙皮掉下来了", TOU("剪子巷", "东"))
    q(la, "县西巷北头有人乱倒垃圾", TOU("县西巷", "北"))
    q(la, "福康里西头有人烧蜂窝煤", TOU("福康里", "西"))
    q(la, "芙蓉街北头游客太多有人拉客", TOU("芙蓉街", "北"))
    q(la, "曲水亭街南头有人乱扔垃圾", TOU("曲水亭街", "南"))

    # --- group (a 组 or a 自然村 named with its village) -----------------------------------
    g = "group"
    q(g, "孟家庄村3组有人焚烧秸秆", ZU("孟家庄村", 3))
    q(g, "孟家庄村五组有人在田边烧垃圾", ZU("孟家庄村", 5))
    q(g, "龙洞街道孟家庄村第一村民小组有人违建", ZU("孟家庄村", 1, TOWN))
    q(g, "历下区龙洞街道孟家庄村6组自来水停了", ZU("孟家庄村", 6, TOWN))
    q(g, "孟家庄村8组有人私挖鱼塘", ZU("孟家庄村", 8))
    q(g, "石河峪村西峪有人砍树", ZRC("石河峪村", "西峪"))
    q(g, "龙洞街道石河峪村前河有人往河里倒垃圾", ZRC("石河峪村", "前河", TOWN))
    q(g, "石河峪村后坡有人烧荒", ZRC("石河峪村", "后坡"))
    q(g, "黄岭村二组路灯不亮", ZU("黄岭村", 2))
    q(g, "黄岭村4组有人私搭乱建", ZU("黄岭村", 4))
    q(g, "黄岭村三组排水沟堵塞", ZU("黄岭村", 3))
    q(g, "黄岭村第6村民小组有人偷倒建筑垃圾", ZU("黄岭村", 6))
    q(g, "涝坡村前坡有人电鱼", ZRC("涝坡村", "前坡"))
    q(g, "涝坡村后坡狗咬人", ZRC("涝坡村", "后坡"))
    q(g, "土屋村2组有人私拉电线", ZU("土屋村", 2))
    q(g, "解放路街道孟家庄村2组有人违建", ZU("孟家庄村", 2, "解放路街道"))

    # --- village -----------------------------------------------------------------------
    v = "village"
    q(v, "土屋村有人烧秸秆，烟很大", VIL("土屋村"))
    q(v, "龙洞街道土屋村路灯不亮", VIL("土屋村", TOWN))
    q(v, "桃园村有人私拉电网捕鱼", VIL("桃园村"))
    q(v, "历下区龙洞街道桃园村有人占用耕地建房", VIL("桃园村", TOWN))
    q(v, "龙洞土屋村自来水停了", VIL("土屋村", TOWN))
    q(v, "涝坡村有人往沟里倒垃圾", VIL("涝坡村"))
    q(v, "孟家庄村垃圾堆放", VIL("孟家庄村"))
    q(v, "石河峪村有人砍伐树木", VIL("石河峪村"))
    q(v, "黄岭村排水沟堵了", VIL("黄岭村"))
    q(v, "泉城路街道桃园村有人违建", VIL("桃园村", "泉城路街道"))
    q(v, "王家庄村有人烧荒", VIL("王家庄村"))

    # --- other_county (济南's other 县级 units, and 淄博's, in front of our addresses) ---------
    oc = "other_county"
    js, wx = fb("经十路", 950, "R"), fb("文化西路", 2250, "L")
    mh, qc = fb("明湖路", 2250, "R"), fb("泉城路", 3300, "L")
    hp = fb("和平路", 200, "L")
    for text, code in [
        (f"市中区经十路{no(js)}号", None),
        (f"济南市槐荫区文化西路{no(wx)}号", None),
        (f"天桥区明湖路{no(mh)}号", None),
        ("历城区龙洞街道孟家庄村2组7号", None),
        ("济南市章丘区龙洞街道黄岭村一组6号", None),
        (f"山东省济南市长清区泉城路{no(qc)}号", None),
        (f"山东省淄博市张店区和平路{no(hp)}号", None),
        (f"历下区经十路{no(js)}号", js["code"]),
        (f"济南市历下区文化西路{no(wx)}号", wx["code"]),
        (f"济南市历下区明湖路{no(mh)}号", mh["code"]),
        ("历下区龙洞街道孟家庄村2组7号", H("MJZ", 2, 7)["code"]),
        ("济南市历下区龙洞街道黄岭村一组6号", H("HL", 1, 6)["code"]),
        (f"山东省济南市历下区泉城路{no(qc)}号", qc["code"]),
        (f"山东省济南市历下区和平路{no(hp)}号", hp["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    q1, q2 = fb("泉城路", 1900, "L"), fb("泉城路", 1500, "R")
    w1, j1 = fb("文化西路", 1700, "R"), fb("解放路", 2100, "L")
    s1 = fb("曲水亭街", 80, "R")
    absent("孟家庄村3组99号")
    absent("金菊巷50号")
    absent("山大路7号")
    for text, code in [
        (f"No. {no(q1)}, Quancheng Road, Lixia District, Jinan", q1["code"]),
        (f"Lixia Qu Quancheng Lu {no(q2)} Hao", q2["code"]),
        (f"Jinan Shi Lixia Qu Wenhua Xilu {no(w1)} Hao", w1["code"]),
        (f"No. {no(j1)} Jiefang Road, Lixia District, Jinan, Shandong", j1["code"]),
        (
            "Building 2, Yanzishan Xiaoqu, No. 92 Wenhua East Road, Lixia District",
            "LXYZSXQB2",
        ),
        (
            "No. 15, Group 3, Mengjiazhuang Village, Longdong Subdistrict, Lixia District, Jinan",
            H("MJZ", 3, 15)["code"],
        ),
        (
            "No. 12, Xiyu, Shiheyu Village, Longdong Subdistrict, Lixia District",
            H("SHY", "西峪", 12)["code"],
        ),
        (
            "No. 36, Tuwu Village, Longdong Subdistrict, Lixia District, Jinan",
            H("TW", 0, 36)["code"],
        ),
        ("No. 9, Jinju Lane, Lixia District, Jinan", fb("金菊巷", 40, "L")["code"]),
        ("No. 42, Quanle Hutong, Lixia District", fb("泉乐胡同", 200, "R")["code"]),
        (f"{no(s1)}号，曲水亭街，历下区，济南市", s1["code"]),
        ("7号，2组，孟家庄村，龙洞街道，历下区", H("MJZ", 2, 7)["code"]),
        ("502室，3单元，2号楼，甸柳新村，历下区", "LXDLXCB2"),
        ("No. 99, Group 3, Mengjiazhuang Village, Longdong Subdistrict", None),
        ("No. 50, Jinju Lane, Lixia District", None),
        ("Lixia Qu Shanda Lu 7 Hao", None),
        ("Building 9, Yanzishan Xiaoqu, Lixia District, Jinan", None),
    ]:
        q(e, text, BLD(code))
    q(
        e,
        "Group 3, Mengjiazhuang Village, Longdong Subdistrict, Lixia District",
        ZU("孟家庄村", 3, TOWN),
    )
    q(e, "Group 3, Huangling Village, Longdong Subdistrict", ZU("黄岭村", 3, TOWN))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    B = fb
    t = {
        "wx15": B("文化西路", 150, "L"),
        "qc31": B("泉城路", 300, "L"),
        "sd15": B("山大路", 150, "L"),
        "hp52": B("和平路", 500, "R"),
        "qst18": B("曲水亭街", 80, "R"),
        "sjj95": B("舜井街", 950, "L"),
        "sd132": B("山大路", 1300, "R"),
        "wd111": B("文化东路", 1100, "L"),
        "yzs71": B("燕子山路", 700, "L"),
        "qc272": B("泉城路", 2700, "R"),
        "wx172": B("文化西路", 1700, "R"),
        "ls31": B("历山路", 300, "L"),
        "jf118": B("解放路", 1170, "R"),
        "sd91": B("山大路", 900, "L"),
        "fr14": B("芙蓉街", 60, "R"),
        "mh72": B("明湖路", 700, "R"),
        "sjj52": B("舜井街", 500, "R"),
        "js21": B("经十路", 200, "L"),
        "yzs122": B("燕子山路", 1200, "R"),
        "xx62": B("县西巷", 300, "R"),
        "eh21": B("二环东路", 200, "L"),
        "jz11": B("剪子巷", 50, "L"),
        "ld282": B("龙洞路", 2800, "R"),
        "qst92": B("曲水亭街", 450, "R"),
        "jj30": B("金菊巷", 140, "R"),
        "ls": B("历山路", 1800, "L"),
    }
    for miss in [
        "文化西路999号",
        "芙蓉街8号",
        "金菊巷52号",
        "燕子山小区9号楼",
        "孟家庄村3组99号",
        "黄岭村七组3号",
        "石河峪村西峪88号",
        "土屋村300号",
        "涝坡村前坡40号",
        "曲水亭街31号附5号",
        "和平路91-3号",
        "泉城路9999号",
        "泉乐胡同40号",
        "孟家庄村7组5号",
        "石河峪村南峪3号",
        "山大路7号",
        "趵突泉北路999号",
        "平泉胡同20号",
        "县西巷21号附2号",
        "土屋村2组12号",
        "第二人民医院",
    ]:
        absent(miss)
    st, cm = street_of(t["sjj95"])
    st2, cm2 = street_of(t["sd132"])
    st3, _ = street_of(t["qst18"])
    yz, dl, mx = "燕子山小区", "甸柳新村", "明湖小区"
    for text, code in [
        (f"山东省济南市历下区文化西路{no(t['wx15'])}号", t["wx15"]),
        (f"济南市历下区泉城路{no(t['qc31'])}号", t["qc31"]),
        (f"济南历下山大路{no(t['sd15'])}号", t["sd15"]),
        (f"历下和平路{no(t['hp52'])}号", t["hp52"]),
        (f"历下区{st3}曲水亭街{no(t['qst18'])}号", t["qst18"]),
        (f"历下区{st}{cm}舜井街{no(t['sjj95'])}号", t["sjj95"]),
        (f"济南市历下区{st2}{cm2}山大路{no(t['sd132'])}号", t["sd132"]),
        ("山东省济南市历下区龙洞街道孟家庄村3组15号", H("MJZ", 3, 15)),
        ("龙洞街道石河峪村西峪12号", H("SHY", "西峪", 12)),
        ("历下区龙洞街道黄岭村二组5号", H("HL", 2, 5)),
        ("土屋村58号", H("TW", 0, 58)),
        ("涝坡村前坡9号", H("LP", "前坡", 9)),
        ("历下区龙洞街道涝坡村后坡7号", H("LP", "后坡", 7)),
        ("济南历下龙洞街道桃园村91号", H("TY", 0, 91)),
        ("历下区文化东路92号院3号楼2单元301室", BY_CODE["LXYZSXQB3"]),
        (f"{yz}5号楼", BY_CODE["LXYZSXQB5"]),
        (f"{yz}2栋1单元", BY_CODE["LXYZSXQB2"]),
        (f"{yz}6-2-301", BY_CODE["LXYZSXQB6"]),
        (f"{dl}2号楼3单元502室", BY_CODE["LXDLXCB2"]),
        (f"{mx}4号楼", BY_CODE["LXMHXQB4"]),
        (f"{mx}1-1-101", BY_CODE["LXMHXQB1"]),
        (f"{mx}2号楼3-302", BY_CODE["LXMHXQB2"]),
        ("齐鲁医院", BY_CODE[C("齐鲁医院")]),
        ("省中医", BY_CODE[C("省中医")]),
        ("省立医院", BY_CODE[C("省立医院")]),
        ("省实验", BY_CODE[C("省实验")]),
        ("泉城路派出所", BY_CODE[C("泉城路派出所")]),
        ("王府池子", BY_CODE[C("王府池子")]),
        ("龙洞街道社区卫生服务中心", BY_CODE[C("龙洞街道社区卫生服务中心")]),
        ("孟家庄村委会", BY_CODE[C("孟家庄村委会")]),
        ("山大路地铁站", BY_CODE[C("山大路地铁站")]),
        ("平泉胡同6号", BY_CODE["LXPQHT6"]),
        ("福康里41号", fb("福康里", 200, "L")),
        ("历下区金菊巷9号", fb("金菊巷", 40, "L")),
        ("曲水亭街31号附1号", BY_CODE["LXQSTJ31F1"]),
        ("县西巷21号附1号", BY_CODE["LXXXX21F1"]),
        ("和平路91-1号", BY_CODE["LXHPL91D1"]),
        ("济南市历下区和平路91号", BY_CODE["LXHPL91"]),
        (f"文化西路{no(t['wx172'])}号".translate(FULL), t["wx172"]),
        (f"历下区二环东路{no(t['eh21'])}号".translate(FULL), t["eh21"]),
        (f"曲水亭街{cn_num(no(t['qst92']))}号", t["qst92"]),
        (f"金菊巷{cn_num(no(t['jj30']))}号", t["jj30"]),
        (f"历下区 文化东路 {no(t['wd111'])} 号", t["wd111"]),
        (f"济南市，历下区，燕子山路{no(t['yzs71'])}号", t["yzs71"]),
        (f"全城路{no(t['qc272'])}号", t["qc272"]),
        (f"历下区力山路{no(t['ls31'])}号", t["ls31"]),
        (f"解方路{no(t['jf118'])}号", t["jf118"]),
        (f"山达路{no(t['sd91'])}号", t["sd91"]),
        (f"芙容街{no(t['fr14'])}号", t["fr14"]),
        (f"历下区名湖路{no(t['mh72'])}号", t["mh72"]),
        (f"顺井街{no(t['sjj52'])}号", t["sjj52"]),
        (f"山冬省济南市历下区经十路{no(t['js21'])}号", t["js21"]),
        (f"山东省济楠市历下区燕子山路{no(t['yzs122'])}号", t["yzs122"]),
        (f"县西巷{no(t['xx62'])}号302室", t["xx62"]),
        (f"历下区历山路{no(t['ls'])}号3楼302", t["ls"]),
        (f"剪子巷{no(t['jz11'])}号3-302", t["jz11"]),
        (f"历下区龙洞街道龙洞路{no(t['ld282'])}号", t["ld282"]),
        ("济南市历下区文化西路999号", None),
        ("芙蓉街8号", None),
        ("金菊巷52号", None),
        ("燕子山小区9号楼", None),
        ("明湖小区7栋", None),
        ("龙洞街道孟家庄村3组99号", None),
        ("历下区龙洞街道黄岭村七组3号", None),
        ("石河峪村西峪88号", None),
        ("土屋村300号", None),
        ("涝坡村前坡40号", None),
        ("曲水亭街31号附5号", None),
        ("和平路91-3号", None),
        ("历下区泉城路9999号", None),
        ("历下区第二人民医院", None),
        ("泉乐胡同40号", None),
        ("孟家庄村7组5号", None),
        ("石河峪村南峪3号", None),
        ("历下区山大路7号", None),
        ("趵突泉北路999号", None),
        ("平泉胡同20号", None),
        ("县西巷21号附2号", None),
        ("土屋村2组12号", None),
        ("甸柳新村8号楼", None),
    ]:
        q(bq, text, BLD(code if code is None or isinstance(code, str) else code["code"]))
    return Q


# ---------------------------------------------------------------- output
def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def write_all():
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
    lines, rows = [], []
    stats: Counter = Counter()
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        row = {"query": text, "expected": expected, "micro_grid": micro, "kind": kind}
        lines.append(json.dumps(row, ensure_ascii=False))
        rows.append((row, spec))
        stats[(kind, micro is not None)] += 1
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return rows, stats


# ---------------------------------------------------------------- read back and check
def check(rows) -> None:
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = [f["properties"]["code"] for f in grids["features"]]
    if len(codes) != len(set(codes)):
        raise SystemExit("grid codes are not unique")
    levels = {f["properties"]["code"]: f["properties"]["level"] for f in grids["features"]}
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in levels:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    micro = {
        f["properties"]["code"]: Polygon([xy(*c) for c in f["geometry"]["coordinates"][0]])
        for f in grids["features"]
        if f["properties"]["level"] == "micro"
    }
    if set(micro) != set(MICROS):
        raise SystemExit("micro-grids read back differ")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        written = {r["code"]: r for r in csv.DictReader(fh)}
    if len(written) != len(BUILDINGS):
        raise SystemExit("building codes are not unique")
    addresses = Counter(r["address"] for r in written.values())
    if max(addresses.values()) != 1:
        raise SystemExit("two buildings share an address")
    for code, r in written.items():
        p = Point(xy(float(r["lon"]), float(r["lat"])))
        hits = [m for m, poly in micro.items() if poly.contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{code} lies in {hits}, written {r['micro_grid_code']}")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))
    if [f["properties"]["name"] for f in roads["features"]] != [r[0] for r in ROADS]:
        raise SystemExit("roads read back differ")
    for f in roads["features"]:
        line = shape(f["geometry"])
        if line.geom_type != "LineString" or len(line.coords) < 2:
            raise SystemExit(f"road {f['properties']['name']} is not a line")
    read = [
        json.loads(line)
        for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    if len(read) != len(rows):
        raise SystemExit("queries read back differ")
    for got, (row, spec) in zip(read, rows, strict=True):
        if got != row or set(got) != {"query", "expected", "micro_grid", "kind"}:
            raise SystemExit(f"query read back differs: {got}")
        exp, mg = got["expected"], got["micro_grid"]
        if mg is not None and mg not in micro:
            raise SystemExit(f"{got['query']}: no micro-grid {mg}")
        if exp is not None:
            if spec[0] != "bld" or written[exp]["micro_grid_code"] != mg:
                raise SystemExit(f"{got['query']}: {exp} is not in {mg}")
        elif mg is not None:
            if spec[0] == "bld":
                raise SystemExit(f"{got['query']}: a building query without a building")
            for region in regions(spec):
                holders = [m for m, poly in micro.items() if poly.buffer(0.05).contains(region)]
                if holders != [mg]:
                    raise SystemExit(f"{got['query']}: region held by {holders}, not {mg}")


def main() -> None:
    rows, stats = write_all()
    check(rows)
    for k in sorted({k for k, _ in stats}):
        n = stats[(k, True)] + stats[(k, False)]
        print(f"{k:16} n {n:3}  positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    total = sum(stats.values())
    refused = sum(v for (k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, roads {len(ROADS)}, "
        f"queries {total}, refuse {refused}"
    )


if __name__ == "__main__":
    main()
