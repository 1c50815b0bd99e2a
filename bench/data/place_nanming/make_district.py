"""Write the place-description evaluation district: 贵州省贵阳市南明区.

    python bench/data/place_nanming/make_district.py

One grid tree in two parts: an urban core (遵义路街道, 油榨街道, 花果园街道, 兴关路街道, with roads,
lanes, 小区 and the 区 of 花果园) and a rural east (云关乡, 小碧布依族苗族乡, 永乐乡, with 行政村
whose houses are written by 组 — `南明区云关乡尖坡村3组15号` —, by 寨 / 屯 / 坝 —
`南明区云关乡云关村后寨8号` — or numbered across the village — `南明区云关乡茶店村37号`).
The 街道 / 乡 and the urban road names are 南明区's; the communities, villages, natural villages,
lanes, door numbers, landmarks' positions and all geometry are ours: a layout in metres over a
7.2 km x 3 km box, turned into WGS-84 around 贵阳.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Words the rules do
not cover (`那点`, `对门`, `坎坎下`, `坡坡上`, `往下走`, `转拐那点`, `巷巷头`) get two readings, a
narrow and a wide one; such a query is positive only when both land in the same micro-grid.

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
LON0, LAT0 = 106.6800, 26.5450  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    """The inverse of ll, for reading the files back."""
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("520102", "南明区")
W, S, E, N = 0.0, 0.0, 7200.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban streets: code, name, box, community (name, short name); one community each
STREETS = [
    ("520102010", "遵义路街道", (0, 1500, 1200, 3000), ("朝阳社区", "朝阳")),
    ("520102011", "油榨街道", (1200, 1500, 2400, 3000), ("水口寺社区", "水口寺")),
    ("520102012", "花果园街道", (0, 0, 1200, 1500), ("五里冲社区", "五里冲")),
    ("520102013", "兴关路街道", (1200, 0, 2400, 1500), ("沙冲社区", "沙冲")),
]

# rural townships: code, name, box, villages (name, key, style, box)
# "zu_ar" / "zu_cn": six micro-grids named after the 组 (`尖坡村3组`, `小碧村三组`);
# "zhai": six micro-grids named after the natural villages (`云关村后寨`);
# "plain": six plain micro-grids; "small": a village numbered across, two micro-grids.
XIAOBI = "小碧布依族苗族乡"
RURAL = [
    (
        "520102200",
        "云关乡",
        (2400, 1500, 6000, 3000),
        [
            ("尖坡村", "JP", "zu_ar", (2400, 1500, 3600, 3000)),
            ("云关村", "YG", "zhai", (3600, 1500, 4800, 3000)),
            ("茶店村", "CD", "small", (4800, 1500, 5200, 3000)),
            ("水塘村", "ST", "small", (5200, 1500, 5600, 3000)),
            ("谷脚村", "GJ", "small", (5600, 1500, 6000, 3000)),
        ],
    ),
    (
        "520102201",
        XIAOBI,
        (2400, 0, 6000, 1500),
        [
            ("小碧村", "XB", "zu_cn", (2400, 0, 3600, 1500)),
            ("石龙村", "SL", "plain", (3600, 0, 4800, 1500)),
            ("黄土村", "HT", "small", (4800, 0, 5200, 1500)),
            ("龙井村", "LJX", "small", (5200, 0, 5600, 1500)),
            ("关口村", "GK", "small", (5600, 0, 6000, 1500)),
        ],
    ),
    (
        "520102202",
        "永乐乡",
        (6000, 0, 7200, 3000),
        [
            ("永乐村", "YL", "plain", (6000, 1500, 7200, 3000)),
            ("羊角村", "YJ", "small", (6000, 0, 6400, 1500)),
            ("龙井村", "LJY", "small", (6400, 0, 6800, 1500)),
            ("干井村", "GJJ", "small", (6800, 0, 7200, 1500)),
        ],
    ),
]
# natural villages of 云关村, one per micro-grid (the micro-grids carry their names)
YG_ZHAI = ["", "大寨", "后寨", "杨柳寨", "上坝", "下坝", "王家屯"]
# natural villages of 石龙村 (plain micro-grids; 牛场坝 lies across two of them)
SL_ZHAI = ["", "龙潭寨", "大坡寨", "石板寨", "牛场坝", "田坝", "羊场屯"]


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
TOWN_OF: dict[str, str] = {}  # village key -> township
VILLAGE_OF: dict[str, str] = {}  # village key -> village name


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)
    MICRO_NAMES[code] = name


def six_micros(v_code: str, v_name: str, vb, namer) -> None:
    """Two grids (south, north) of three micro-grids (west to east) over a 1200 m x 1500 m box."""
    x0, y0, _x1, _y1 = vb
    for gi in range(2):
        gs, gn = y0 + gi * 750, y0 + (gi + 1) * 750
        g_code = f"{v_code}{gi + 1:03d}"
        gb = (x0, gs, x0 + 1200, gn)
        FEATURES.append(feature(g_code, namer(gi, None), "grid", v_code, geo(rect(gb))))
        for mi in range(3):
            mb = (x0 + mi * 400, gs, x0 + (mi + 1) * 400, gn)
            add_micro(f"{g_code}{mi + 1:03d}", namer(gi, mi), g_code, mb)


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for s_code, s_name, sb, (c_name, short) in STREETS:
        FEATURES.append(feature(s_code, s_name, "street", DISTRICT[0], geo(rect(sb))))
        c_code = f"{s_code}001"
        FEATURES.append(feature(c_code, c_name, "community", s_code, geo(rect(sb))))

        def urban(gi, mi, short=short):
            base = f"{short}第{gi + 1}网格"
            return base if mi is None else f"{base}{mi + 1}号微网格"

        six_micros(c_code, c_name, sb, urban)
    for t_code, t_name, tb, villages in RURAL:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        for vi, (v_name, key, style, vb) in enumerate(villages):
            TOWN_OF[key] = t_name
            VILLAGE_OF[key] = v_name
            v_code = f"{t_code}{200 + vi + 1:03d}"
            FEATURES.append(feature(v_code, v_name, "community", t_code, geo(rect(vb))))
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{v_name}网格", "grid", v_code, geo(rect(vb))))
                x0, y0, x1, _y1 = vb
                for mi in range(2):
                    mb = (x0, y0 + mi * 750, x1, y0 + (mi + 1) * 750)
                    add_micro(f"{g_code}{mi + 1:03d}", f"{v_name}{mi + 1}号微网格", g_code, mb)
                continue

            def rural(gi, mi, v_name=v_name, style=style):
                if mi is None:
                    return f"{v_name}第{gi + 1}网格"
                m = gi * 3 + mi + 1
                if style == "zu_ar":
                    return f"{v_name}{m}组"
                if style == "zu_cn":
                    return f"{v_name}{CN[m]}组"
                if style == "zhai":
                    return f"{v_name}{YG_ZHAI[m]}"
                return f"{v_name}第{gi + 1}网格{mi + 1}号微网格"

            six_micros(v_code, v_name, vb, rural)


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the urban core
    ("中华南路", "arterial", [(1200, 0), (1200, 3000)]),
    ("宝山南路", "arterial", [(800, 0), (800, 3000)]),
    ("遵义路", "arterial", [(0, 1500), (2400, 1500)]),
    ("兴关路", "arterial", [(2400, 0), (2400, 3000)]),
    ("市南路", "arterial", [(0, 1000), (3400, 1000)]),
    ("花果园大街", "arterial", [(0, 400), (2400, 400)]),
    ("解放路", "secondary", [(0, 1900), (2400, 1900)]),
    ("油榨街", "secondary", [(1800, 1500), (1800, 3000)]),
    ("沙冲路", "secondary", [(1500, 50), (1500, 1450)]),
    ("新华路", "branch", [(300, 2050), (300, 1750), (650, 1750), (650, 2050)]),
    ("青云路", "branch", [(1300, 2750), (1700, 2750), (1700, 2350)]),
    # lanes in the road file
    ("翠微巷", "branch", [(1300, 2600), (1550, 2600)]),
    ("打铁巷", "branch", [(500, 2100), (500, 2400)]),
    ("水井巷", "branch", [(1000, 1150), (1000, 1400)]),
    ("花香巷", "branch", [(1650, 250), (1950, 250)]),
    ("盐务巷", "branch", [(2200, 1600), (2200, 1850)]),
    ("马棚巷", "branch", [(100, 600), (350, 600)]),
    # the rural east
    ("210国道", "arterial", [(2400, 1500), (7200, 1500)]),
    ("东二环路", "arterial", [(6000, 0), (6000, 3000)]),
    ("云关路", "secondary", [(4800, 0), (4800, 3000)]),
    ("云关大街", "secondary", [(2400, 2800), (5800, 2800)]),
    ("小碧路", "secondary", [(2400, 400), (6000, 400)]),
    ("永乐路", "secondary", [(6050, 2000), (7150, 2000)]),
    ("尖坡路", "branch", [(3000, 1600), (3000, 2900)]),
    ("碧溪路", "branch", [(2600, 200), (2600, 700), (3300, 700)]),
    ("石龙路", "branch", [(4200, 100), (4200, 1400)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "南明区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "中华南路": "ZHNL",
    "宝山南路": "BSNL",
    "遵义路": "ZYL",
    "市南路": "SNL",
    "花果园大街": "HGYDJ",
    "解放路": "JFL",
    "油榨街": "YZJ",
    "沙冲路": "SCL",
    "新华路": "XHL",
    "青云路": "QYL",
    "翠微巷": "CWX",
    "打铁巷": "DTX",
    "水井巷": "SJX",
    "花香巷": "HXX",
    "盐务巷": "YWX",
    "马棚巷": "MPX",
    "牛角巷": "NJX",
    "豆芽巷": "DYX",
    "杨家巷": "YJX",
    "书院巷": "SYX",
    "大井巷": "DJX",
    "云关大街": "YGDJ",
    "小碧路": "XBL",
    "永乐路": "YLL",
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
        add(
            f"NM{CODE_KEY[road]}{n}",
            f"{prefix}{road}{n}号",
            x,
            y,
            aliases,
            road=road,
            n=n,
            s=s,
            side=side,
        )


def fb(road, s, side, step=20.0):
    return BY_CODE[f"NM{CODE_KEY[road]}{door(s, side, step)}"]


def attached(road: str, n: int, how: str, k: int, dx: float, dy: float):
    """A door hanging off door n: `解放路101号附3号` (how "附") or `市南路66-1号` (how "-")."""
    main = BY_CODE[f"NM{CODE_KEY[road]}{n}"]
    if how == "附":
        code, address = f"NM{CODE_KEY[road]}{n}F{k}", f"{CITY}{road}{n}号附{k}号"
    else:
        code, address = f"NM{CODE_KEY[road]}{n}D{k}", f"{CITY}{road}{n}-{k}号"
    add(code, address, main["x"] + dx, main["y"] + dy, attached_to=main["code"])


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"NM{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    """The 栋 of a 小区 (or of one 区 of 花果园), its gate being the door `address`."""
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}{name}{k}栋", x, y, [f"{name}{k}栋"], compound=name)


ZU_STYLE = {"JP": "ar", "XB": "cn", "YL": "ar"}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def rural_houses(key: str, part: int | None, centre, numbers, aliases=None):
    """Houses of a 组 / 寨 (part) or of a village numbered across (part None) around a centre."""
    cx, cy = centre
    zu = part if key in ZU_STYLE else None
    zhai = None
    if key == "YG":
        zhai = YG_ZHAI[part]
    elif key == "SL":
        zhai = SL_ZHAI[part]
    label = zhai or ""
    if zu:
        label = f"{CN[zu]}组" if ZU_STYLE[key] == "cn" else f"{zu}组"
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        add(
            f"NM{key}{part or 0:02d}{n:03d}",
            f"{CITY}{TOWN_OF[key]}{VILLAGE_OF[key]}{label}{n}号",
            cx + dx,
            cy + dy,
            (aliases or {}).get(n, []),
            town=TOWN_OF[key],
            village=VILLAGE_OF[key],
            vkey=key,
            zu=zu,
            zhai=zhai,
            n=n,
        )


def build_buildings() -> None:
    frontage(
        "中华南路",
        [
            (300, "L", []),
            (700, "R", ["兴关路派出所"]),
            (1150, "L", ["贵州银行中华南路支行", "贵州银行"]),
            (1700, "R", ["贵州省人民医院", "省人民医院", "省医"]),
            (2150, "L", []),
            (2500, "R", ["贵阳市第六中学", "贵阳六中"]),
            (2850, "L", []),
        ],
    )
    frontage(
        "宝山南路",
        [
            (200, "R", []),
            (600, "L", ["花果园购物中心"]),
            (760, "L", ["花果园M区"]),
            (1250, "R", []),
            (2150, "L", ["富源小区东门"]),
            (2400, "R", ["贵阳市第一人民医院", "市一医"]),
            (2800, "L", []),
        ],
    )
    frontage(
        "遵义路",
        [
            (150, "L", []),
            (600, "R", []),
            (1000, "L", ["遵义路派出所"]),
            (1500, "R", ["贵阳火车站", "贵阳站"]),
            (2100, "L", []),
            (2300, "R", []),
        ],
    )
    frontage(
        "市南路",
        [
            (200, "L", []),
            (650, "R", ["五里冲社区服务中心"]),
            (1400, "L", ["市南路菜场"]),
            (1850, "R", ["中石化市南路加油站", "市南路加油站"]),
            (2700, "L", []),
            (3300, "R", []),
        ],
    )
    frontage(
        "花果园大街",
        [
            (150, "L", []),
            (220, "R", ["花果园D区"]),
            (500, "R", ["花果园派出所"]),
            (650, "L", ["花果园B区"]),
            (1000, "L", []),
            (1450, "R", ["兴关小区", "兴关小区南门"]),
            (1900, "L", ["沙冲社区服务中心"]),
            (2250, "R", []),
        ],
    )
    frontage(
        "解放路",
        [
            (100, "L", []),
            (550, "R", ["朝阳社区服务中心"]),
            (600, "L", ["富源小区南门"]),
            (1000, "L", []),
            (1450, "R", ["水口寺社区服务中心"]),
            (1900, "L", ["青云花园南门"]),
            (2250, "L", ["邮储银行解放路支行", "邮储解放路支行"]),
            (2350, "R", []),
        ],
    )
    frontage(
        "油榨街",
        [
            (100, "L", []),
            (300, "L", []),
            (620, "R", ["青云花园", "青云花园东门"]),
            (1000, "R", ["筑城广场"]),
            (1300, "L", ["油榨街派出所"]),
        ],
    )
    frontage("沙冲路", [(100, "L", []), (400, "R", []), (1100, "R", ["南明区图书馆"])])
    frontage("新华路", [(450, "R", ["新华路菜场"])])
    frontage("青云路", [(100, "L", []), (500, "R", [])])
    # lanes of the road file
    frontage("翠微巷", [(50, "L", ["甲秀楼"]), (180, "R", [])], step=10)
    frontage("打铁巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("水井巷", [(60, "L", []), (220, "R", [])], step=10)
    frontage("花香巷", [(50, "L", []), (250, "R", [])], step=10)
    frontage("盐务巷", [(30, "L", []), (200, "R", [])], step=10)
    frontage("马棚巷", [(40, "R", []), (200, "L", [])], step=10)
    # lanes in no road file
    lane_houses("牛角巷", [(2, 600, 2800), (5, 640, 2812), (9, 680, 2800)])
    lane_houses("豆芽巷", [(3, 1000, 550), (8, 1012, 600), (12, 1000, 650)])
    lane_houses("杨家巷", [(1, 2150, 2600), (6, 2160, 2660), (10, 2150, 2720)])
    lane_houses("书院巷", [(4, 1400, 1250), (7, 1450, 1262)])
    lane_houses("大井巷", [(2, 1170, 2600), (5, 1230, 2600), (8, 1240, 2660)])
    # doors hanging off other doors: 附N号 and N-1号
    attached("解放路", door(1000, "L"), "附", 1, -15, 27)
    attached("解放路", door(1000, "L"), "附", 3, 10, 32)
    attached("遵义路", door(600, "R"), "附", 2, 15, -27)
    attached("市南路", door(650, "R"), "-", 1, 20, -22)
    attached("油榨街", door(1000, "R"), "-", 1, 22, 20)
    # 小区 and the 区 of 花果园: a gate door carrying the name, and its 栋
    compound(
        f"宝山南路{door(2150, 'L')}号",
        "富源小区",
        "NMFYXQ",
        [(480, 2100), (560, 2100), (640, 2100), (480, 2180), (560, 2180)],
    )
    compound(
        f"油榨街{door(620, 'R')}号",
        "青云花园",
        "NMQYHY",
        [(1850, 2080), (1930, 2080), (1850, 2160), (1930, 2160)],
    )
    compound(
        f"花果园大街{door(1450, 'R')}号",
        "兴关小区",
        "NMXGXQ",
        [(1380, 250), (1440, 250), (1380, 320)],
    )
    compound(
        f"花果园大街{door(650, 'L')}号",
        "花果园B区",
        "NMHGYB",
        [(450, 520), (520, 520), (590, 520), (450, 600), (520, 600), (590, 600)],
    )
    compound(
        f"花果园大街{door(220, 'R')}号",
        "花果园D区",
        "NMHGYD",
        [(150, 200), (220, 200), (150, 280)],
    )
    compound(
        f"宝山南路{door(760, 'L')}号",
        "花果园M区",
        "NMHGYM",
        [(520, 690), (600, 690), (520, 810), (600, 810)],
    )
    # the townships' main streets
    frontage(
        "云关大街",
        [
            (300, "L", []),
            (900, "R", ["云关乡卫生院"]),
            (1400, "L", ["云关乡政府", "云关乡人民政府"]),
            (1900, "R", ["邮储银行云关支行", "邮储云关支行"]),
            (2300, "L", ["云关派出所"]),
            (2650, "R", ["农商银行云关支行", "云关农商行"]),
        ],
        prefix=CITY + "云关乡",
    )
    frontage(
        "小碧路",
        [
            (100, "L", ["小碧乡卫生院"]),
            (500, "R", ["小碧派出所"]),
            (900, "L", ["小碧乡中心小学"]),
            (1300, "R", ["小碧乡政府", "小碧乡人民政府"]),
            (2300, "L", ["石龙村卫生室"]),
            (2900, "R", []),
        ],
        prefix=CITY + XIAOBI,
    )
    frontage(
        "永乐路",
        [
            (150, "L", ["永乐乡卫生院"]),
            (500, "R", ["永乐乡政府", "永乐乡人民政府"]),
            (800, "L", ["永乐派出所"]),
            (1000, "R", ["永乐农商行"]),
        ],
        prefix=CITY + "永乐乡",
    )
    # 云关乡: 尖坡村 (1组 … 6组, micro-grids named after them)
    for zu, centre, nums in [
        (1, (2600, 1875), [3, 8, 12]),
        (2, (3100, 1875), [4, 7, 11]),
        (3, (3400, 1875), [6, 9, 15, 21]),
        (4, (2600, 2550), [2, 5, 10]),
        (5, (3100, 2550), [1, 6, 13]),
        (6, (3400, 2550), [3, 8]),
    ]:
        al = {4: ["尖坡村委会", "尖坡村村委会"]} if zu == 2 else None
        rural_houses("JP", zu, centre, nums, al)
    # 云关村 (micro-grids named after its 寨 / 坝 / 屯, houses written by them)
    for part, centre, nums in [
        (1, (3800, 1875), [3, 9, 15]),
        (2, (4200, 1875), [2, 8, 12]),
        (3, (4600, 1875), [4, 7]),
        (4, (3800, 2550), [5, 11, 16]),
        (5, (4200, 2550), [1, 6]),
        (6, (4600, 2550), [2, 10, 13]),
    ]:
        al = {11: ["云关村委会", "云关村村委会"]} if part == 4 else None
        rural_houses("YG", part, centre, nums, al)
    # 小碧布依族苗族乡: 小碧村 (一组 … 六组, micro-grids named after them)
    for zu, centre, nums in [
        (1, (2710, 220), [2, 6, 9]),
        (2, (3000, 220), [1, 5, 12]),
        (3, (3420, 220), [3, 8, 14]),
        (4, (2600, 1250), [4, 8, 16]),
        (5, (3000, 1250), [2, 10]),
        (6, (3400, 1250), [5, 11, 17]),
    ]:
        al = {8: ["小碧村委会", "小碧村村委会"]} if zu == 4 else None
        rural_houses("XB", zu, centre, nums, al)
    # 石龙村 (plain micro-grids, houses written by 寨 / 坝 / 屯; 牛场坝 lies across two)
    for part, centre, nums in [
        (1, (3800, 220), [6, 12, 18]),
        (2, (4100, 220), [2, 9]),
        (3, (4600, 220), [3, 7, 15]),
        (4, (4000, 900), [1, 5, 8, 14]),
        (5, (3750, 1300), [4, 10]),
        (6, (4600, 1125), [2, 11, 19]),
    ]:
        al = {12: ["石龙村委会", "石龙村村委会"]} if part == 1 else None
        rural_houses("SL", part, centre, nums, al)
    # 永乐乡: 永乐村 (plain micro-grids, houses by 组; 3组 lies across two)
    for zu, centre, nums in [
        (1, (6200, 1750), [6, 9, 14]),
        (2, (6600, 1750), [3, 7]),
        (3, (6800, 2600), [1, 4, 10]),
        (4, (6200, 2600), [2, 8]),
        (5, (7000, 1750), [5, 11, 13]),
        (6, (6500, 2750), [3, 12]),
    ]:
        al = {11: ["永乐村委会", "永乐村村委会"]} if zu == 5 else None
        rural_houses("YL", zu, centre, nums, al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("CD", None, (5000, 1875), [12, 37, 58, 103], {58: ["茶店村委会"]})
    rural_houses("ST", None, (5400, 2450), [6, 21, 45, 88, 131], {21: ["水塘村委会"]})
    rural_houses("GJ", None, (5800, 1900), [7, 33, 70])
    rural_houses("HT", None, (5000, 550), [9, 26, 64, 117])
    rural_houses("LJX", None, (5400, 1100), [15, 26, 52, 96])
    rural_houses("GK", None, (5800, 230), [3, 18, 40, 77], {18: ["关口村委会"]})
    rural_houses("YJ", None, (6200, 400), [5, 23, 61])
    rural_houses("LJY", None, (6600, 1100), [11, 26, 48])
    rural_houses("GJJ", None, (7000, 500), [8, 30, 72])


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float, micros=None) -> str:
    micros = micros or MICROS
    p = Point(x, y)
    hits = [c for c, poly in micros.items() if poly.contains(p)]
    if len(hits) != 1 or micros[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


def micro_of_region(region, micros=None) -> str | None:
    """The one micro-grid that holds the whole region, or None (two or more, or outside)."""
    micros = micros or MICROS
    if region is None or region.is_empty:
        return None
    if not DISTRICT_AREA.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in micros.items() if poly.buffer(0.01).contains(region)]
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


def band_u(o: Point, u: tuple[float, float], lo: float, hi: float, lateral=LATERAL):
    ux, uy = u
    nx, ny = -uy, ux
    return Polygon(
        [
            (o.x + lo * ux - lateral * nx, o.y + lo * uy - lateral * ny),
            (o.x + hi * ux - lateral * nx, o.y + hi * uy - lateral * ny),
            (o.x + hi * ux + lateral * nx, o.y + hi * uy + lateral * ny),
            (o.x + lo * ux + lateral * nx, o.y + lo * uy + lateral * ny),
        ]
    )


def band(o: Point, d: str, lo: float, hi: float, lateral=LATERAL):
    return band_u(o, DIRS[d], lo, hi, lateral)


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


def houses(town=None, village=None, zu=None, zhai=None, road=None):
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
        if zhai is not None and b["zhai"] != zhai:
            continue
        out.append(b)
    return out


def road_tangent(b: dict) -> tuple[float, float]:
    line = ROAD[b["road"]]
    p, q = line.interpolate(b["s"] - 1.0), line.interpolate(b["s"] + 1.0)
    L = math.hypot(q.x - p.x, q.y - p.y)
    return (q.x - p.x) / L, (q.y - p.y) / L


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
    if kind == "near":  # ("near", [building codes]): the 50 m rule
        return place_region(("disc", spec[1], R_NEAR))
    if kind == "disc":  # ("disc", [building codes], radius)
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(spec[2]) for c in spec[1]]
        )
    if kind == "mirror":  # ("mirror", code, radius): across the building's road
        b = BY_CODE[spec[1]]
        line, pt = ROAD[b["road"]], Point(b["x"], b["y"])
        foot = line.interpolate(line.project(pt))
        return Point(2 * foot.x - pt.x, 2 * foot.y - pt.y).buffer(spec[2])
    if kind == "along":  # ("along", code, lo, hi, both ways): along the building's road
        _, code, lo, hi, both = spec
        b = BY_CODE[code]
        o, (ux, uy) = Point(b["x"], b["y"]), road_tangent(b)
        parts = [band_u(o, (ux, uy), lo, hi)]
        if both:
            parts.append(band_u(o, (-ux, -uy), lo, hi))
        return unary_union(parts)
    if kind == "bend":  # ("bend", road, radius): every inner vertex of the road
        inner = list(ROAD[spec[1]].coords)[1:-1]
        if not inner:
            return None
        return unary_union([Point(p).buffer(spec[2]) for p in inner])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "lanewide":  # ("lanewide", lane, r): the whole line buffered r, and its houses
        name = spec[1]
        parts = [Point(b["x"], b["y"]) for b in houses(road=name)]
        if name in ROAD:
            parts.append(ROAD[name].buffer(spec[2]))
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, number)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "zhai":  # ("zhai", town or None, village or None, name)
        hs = houses(town=spec[1], village=spec[2], zhai=spec[3])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    raise SystemExit(spec)


def place_micro(spec, micros=None) -> str | None:
    """The micro-grid of a place query; a two-reading word needs both readings to agree."""
    if spec[0] == "read":
        _, _word, narrow, wide = spec
        a = micro_of_region(place_region(narrow), micros)
        b = micro_of_region(place_region(wide), micros)
        return a if a is not None and a == b else None
    return micro_of_region(place_region(spec), micros)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "bld":
        code = spec[1]
        if code is None:
            return None, None
        b = BY_CODE[code]
        return code, micro_of_point(b["x"], b["y"])
    return None, place_micro(spec)


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
    codes = [b["code"] for b in BUILDINGS if b.get("compound") == name]
    return ("near", codes + [code_of_alias(g) for g in gates])


# the words the rules do not cover: (narrow reading, wide reading)
def NADIAN(alias):  # 那点 / 哪点: "over there at"
    c = code_of_alias(alias)
    return ("read", "那点", ("disc", [c], 30.0), ("disc", [c], 100.0))


def DUIMEN(alias):  # 对门: "the door across"
    c = code_of_alias(alias)
    return ("read", "对门", ("mirror", c, 20.0), ("disc", [c], 60.0))


def KANKAN(alias):  # 坎坎下: "below the bank"
    c = code_of_alias(alias)
    return ("read", "坎坎下", ("disc", [c], 30.0), ("disc", [c], 80.0))


def POPO(alias):  # 坡坡上: "up on the slope"
    c = code_of_alias(alias)
    return ("read", "坡坡上", ("disc", [c], 50.0), ("disc", [c], 150.0))


def WANGXIA(alias, dist, how):  # 往下走N米: "walk on down"
    c = code_of_alias(alias)
    lo, hi = tolerance(dist, how)
    return ("read", "往下走", ("along", c, lo, hi, False), ("along", c, lo, hi, True))


def ZHUANGUAI(road):  # 转拐那点: "where it turns"
    return ("read", "转拐那点", ("bend", road, 30.0), ("bend", road, 60.0))


def XIANGXIANG(lane):  # 巷巷头: "in the alley"
    return ("read", "巷巷头", ("lane", lane), ("lanewide", lane, 20.0))


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def ZHAI(village, name, town=None):
    return ("zhai", town, village, name)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, part, n):  # a rural house (part 0: a village numbered across)
    return BY_CODE[f"NM{key}{part:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(text in b["address"] or text in b["aliases"] for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def nowhere(town: str, village: str) -> None:
    """A refusal by a wrong 乡 / 街道: that village is not in that township."""
    if houses(town=town, village=village):
        raise SystemExit(f"{town}{village} exists")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "油榨街与解放路交叉口有人占道经营", X("油榨街", "解放路"))
    q(x, "油榨街解放路十字路口西北角井盖缺失", X("油榨街", "解放路", "西北"))
    q(x, "新华路和解放路路口积水严重", X("新华路", "解放路"))
    q(x, "中华南路与解放路交叉口红绿灯坏了", X("中华南路", "解放路"))
    q(x, "中华南路解放路交叉口东北角有人摆摊", X("中华南路", "解放路", "东北"))
    q(
        x,
        "中华南路、解放路路口往东30米人行道塌了",
        X("中华南路", "解放路", None, ("东", 30, "exact")),
    )
    q(x, "宝山南路跟市南路十字路口车辆乱停", X("宝山南路", "市南路"))
    q(x, "宝山南路市南路交叉口西南角垃圾桶满了", X("宝山南路", "市南路", "西南"))
    q(x, "中华南路遵义路交叉口东南角有人发小广告", X("中华南路", "遵义路", "东南"))
    q(x, "沙冲路与遵义路交叉口下水道冒水", X("沙冲路", "遵义路"))
    q(x, "沙冲路和市南路十字路口信号灯故障", X("沙冲路", "市南路"))
    q(
        x,
        "沙冲路、市南路路口往北50米有个大坑",
        X("沙冲路", "市南路", None, ("北", 50, "exact")),
    )
    q(x, "沙冲路与花果园大街交汇处有渣土车撒漏", X("沙冲路", "花果园大街"))
    q(x, "花果园大街与市南路交叉口有人乱扔垃圾", X("花果园大街", "市南路"))
    q(x, "油榨街与遵义路交叉口有流浪狗", X("油榨街", "遵义路"))
    q(x, "油榨街遵义路路口东北角共享单车乱放", X("油榨街", "遵义路", "东北"))
    q(x, "青云路与油榨街交叉口路灯不亮", X("青云路", "油榨街"))
    q(x, "青云路转拐那点有个井盖翘起来了", ZHUANGUAI("青云路"))
    q(x, "新华路转拐那点有人占道摆摊", ZHUANGUAI("新华路"))
    q(x, "碧溪路转拐那点有人倒建筑垃圾", ZHUANGUAI("碧溪路"))
    q(x, "尖坡路与云关大街十字有人晒苞谷占道", X("尖坡路", "云关大街"))
    q(x, "尖坡路与210国道交叉口有坑", X("尖坡路", "210国道"))
    q(x, "云关大街云关路交叉口西南角堆了建筑垃圾", X("云关大街", "云关路", "西南"))
    q(x, "小碧路与石龙路交叉口有人焚烧秸秆", X("小碧路", "石龙路"))
    q(
        x,
        "小碧路和碧溪路路口往东50米路面塌陷",
        X("小碧路", "碧溪路", None, ("东", 50, "exact")),
    )
    q(x, "东二环路与小碧路交叉口有人卖水果占道", X("东二环路", "小碧路"))
    q(x, "东二环路小碧路交叉口西北角路灯不亮", X("东二环路", "小碧路", "西北"))
    q(x, "市南路与兴关路交叉口东北角有违章广告牌", X("市南路", "兴关路", "东北"))
    q(x, "永乐路与东二环路交叉口积水", X("永乐路", "东二环路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "甲秀楼往东约100米有人乱贴小广告", OFF(A("甲秀楼"), "东", 100, "about"))
    q(o, "甲秀楼北侧50米路灯不亮", OFF(A("甲秀楼"), "北", 50))
    q(
        o,
        "省医往北大约200米路东有人占道",
        OFF(A("省医"), "北", 200, "about", ("中华南路", "东")),
    )
    q(
        o,
        "贵州省人民医院往南走了三百来米，有个井盖没了",
        OFF(A("贵州省人民医院"), "南", 300, "about"),
    )
    q(
        o,
        "贵阳火车站往西约150米路南有车辆违停",
        OFF(A("贵阳火车站"), "西", 150, "about", ("遵义路", "南")),
    )
    q(o, "遵义路派出所往西约300米有人占道卖菜", OFF(A("遵义路派出所"), "西", 300, "about"))
    q(o, "花果园派出所往东走了三百来米有人烧垃圾", OFF(A("花果园派出所"), "东", 300, "about"))
    q(o, "花果园派出所往北150米有堆放的杂物", OFF(A("花果园派出所"), "北", 150))
    q(o, "五里冲社区服务中心往北200米有人遛狗不牵绳", OFF(A("五里冲社区服务中心"), "北", 200))
    q(o, "市南路加油站往东约100米路面破损", OFF(A("市南路加油站"), "东", 100, "about"))
    q(o, "沙冲社区服务中心往南一百多米有人乱倒垃圾", OFF(A("沙冲社区服务中心"), "南", 100, "more"))
    q(o, "南明区图书馆往北约300米下水道堵了", OFF(A("南明区图书馆"), "北", 300, "about"))
    q(o, "青云花园东门往北50米垃圾没人清", OFF(A("青云花园东门"), "北", 50))
    q(
        o,
        "邮储解放路支行往西约300米路北有人摆摊",
        OFF(A("邮储解放路支行"), "西", 300, "about", ("解放路", "北")),
    )
    q(o, "筑城广场往南约300米店铺油烟扰民", OFF(A("筑城广场"), "南", 300, "about"))
    q(o, "贵阳六中往西走了两百来米，路灯杆歪了", OFF(A("贵阳六中"), "西", 200, "about"))
    q(o, "市一医往东约150米有人发传单", OFF(A("市一医"), "东", 150, "about"))
    q(
        o,
        "云关乡卫生院往东约200米路南有人倒渣土",
        OFF(A("云关乡卫生院"), "东", 200, "about", ("云关大街", "南")),
    )
    q(o, "云关派出所往东走了两百来米有人焚烧秸秆", OFF(A("云关派出所"), "东", 200, "about"))
    q(o, "小碧乡政府往北约300米有人私挖鱼塘", OFF(A("小碧乡政府"), "北", 300, "about"))
    q(o, "永乐乡政府往南1公里有人私建猪圈", OFF(A("永乐乡政府"), "南", 1000))
    q(o, "永乐乡卫生院往北约500米有人烧垃圾", OFF(A("永乐乡卫生院"), "北", 500, "about"))
    q(o, "关口村委会往南1公里有人电鱼", OFF(A("关口村委会"), "南", 1000))
    q(
        o,
        "油榨街与解放路交叉口往北200米路东，商户占道",
        OFF(XO("油榨街", "解放路"), "北", 200, side=("油榨街", "东")),
    )
    q(
        o,
        "小碧路与石龙路交叉口以西约150米路北有垃圾堆",
        OFF(XO("小碧路", "石龙路"), "西", 150, "about", ("小碧路", "北")),
    )
    q(o, "油榨街派出所往下走一百多米有人占道", WANGXIA("油榨街派出所", 100, "more"))
    q(o, "市南路菜场往下走一百多米，路边堆满了垃圾", WANGXIA("市南路菜场", 100, "more"))
    q(o, "小碧乡卫生院往下走一百多米有条狗咬人", WANGXIA("小碧乡卫生院", 100, "more"))
    q(o, "朝阳社区服务中心往下走两百多米有人烧纸", WANGXIA("朝阳社区服务中心", 200, "more"))
    q(o, "黔灵山公园往南200米有人占道", OFF(("none",), "南", 200))
    q(o, "南明区第二人民医院往东100米有积水", OFF(("none",), "东", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "甲秀楼旁边有人乱停车", NEAR("甲秀楼"))
    q(n, "花果园购物中心门口有人卖假货", NEAR("花果园购物中心"))
    q(n, "花果园派出所对面的人行道被占", NEAR("花果园派出所"))
    q(n, "五里冲社区服务中心附近有人遛狗不拴绳", NEAR("五里冲社区服务中心"))
    q(n, "市南路菜场旁边垃圾堆成山", NEAR("市南路菜场"))
    q(n, "贵州省人民医院门口有黄牛", NEAR("贵州省人民医院"))
    q(n, "市一医对面有人发小广告", NEAR("市一医"))
    q(n, "朝阳社区服务中心门口有共享单车堆放", NEAR("朝阳社区服务中心"))
    q(n, "水口寺社区服务中心附近施工扰民", NEAR("水口寺社区服务中心"))
    q(n, "青云花园周边夜里广场舞声音大", NEAR_COMPOUND("青云花园", ["青云花园", "青云花园南门"]))
    q(n, "富源小区周边有人乱搭棚子", NEAR_COMPOUND("富源小区", ["富源小区东门", "富源小区南门"]))
    q(n, "兴关小区附近路灯不亮", NEAR_COMPOUND("兴关小区", ["兴关小区"]))
    q(n, "云关乡卫生院门口有人摆摊", NEAR("云关乡卫生院"))
    q(n, "小碧派出所附近有人打架", NEAR("小碧派出所"))
    q(n, "尖坡村委会旁边有人焚烧垃圾", NEAR("尖坡村委会"))
    q(n, "南明区第二人民医院门口有人乱停车", ("near", []))
    q(n, "黔灵山公园门口有人卖东西占道", ("near", []))
    q(n, "甲秀楼那点有人在河边烧纸", NADIAN("甲秀楼"))
    q(n, "遵义路派出所那点有个井盖没盖", NADIAN("遵义路派出所"))
    q(n, "筑城广场哪点有人跳舞声音好大", NADIAN("筑城广场"))
    q(n, "市南路加油站对门有人卖散装汽油", DUIMEN("市南路加油站"))
    q(n, "贵阳六中对门的小卖部油烟扰民", DUIMEN("贵阳六中"))
    q(n, "云关乡政府坎坎下有人倒垃圾", KANKAN("云关乡政府"))
    q(n, "兴关路派出所坎坎下污水横流", KANKAN("兴关路派出所"))
    q(n, "油榨街派出所后面坡坡上有人乱搭乱建", POPO("油榨街派出所"))
    q(n, "南明区图书馆后面坡坡上有人烧荒", POPO("南明区图书馆"))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane in [
        ("翠微巷路灯坏了好几天了", "翠微巷"),
        ("来电人反映打铁巷里有车辆长期占道", "打铁巷"),
        ("水井巷下水道堵了，污水漫到路上", "水井巷"),
        ("花香巷有人养狗扰民", "花香巷"),
        ("盐务巷的路面坑坑洼洼", "盐务巷"),
        ("马棚巷垃圾几天没人收", "马棚巷"),
        ("牛角巷有人半夜装修", "牛角巷"),
        ("市民称豆芽巷里面电线乱拉", "豆芽巷"),
        ("杨家巷化粪池满了往外冒", "杨家巷"),
        ("书院巷 有人占用消防通道", "书院巷"),
        ("大井巷路面结冰，老人出行困难", "大井巷"),
        ("柿子巷有人半夜施工", "柿子巷"),
        ("青石巷路灯不亮", "青石巷"),
    ]:
        q(la, text, ("lane", lane))
    q(la, "翠微巷那个巷巷头有人乱堆杂物", XIANGXIANG("翠微巷"))
    q(la, "打铁巷巷巷头黑黢黢的，路灯不亮", XIANGXIANG("打铁巷"))

    # --- group (组 or 寨 / 屯 / 坝 named with its village) -------------------------------
    g = "group"
    q(g, "尖坡村3组有人焚烧秸秆", ZU("尖坡村", 3))
    q(g, "尖坡村五组有人在田边烧垃圾", ZU("尖坡村", 5))
    q(g, "云关乡尖坡村第一村民小组有人违建", ZU("尖坡村", 1, "云关乡"))
    q(g, "南明区云关乡尖坡村6组自来水停了", ZU("尖坡村", 6, "云关乡"))
    q(g, "小碧村二组路灯不亮", ZU("小碧村", 2))
    q(g, "小碧村4组有人私挖鱼塘", ZU("小碧村", 4))
    q(g, "小碧村第三村民小组有人偷倒建筑垃圾", ZU("小碧村", 3))
    q(g, "永乐村1组有人放养的狗咬人", ZU("永乐村", 1))
    q(g, "永乐村3组排水渠堵塞", ZU("永乐村", 3))
    q(g, "永乐乡永乐村第五村民小组有人私搭乱建", ZU("永乐村", 5, "永乐乡"))
    q(g, "云关村后寨有人在河边洗车", ZHAI("云关村", "后寨"))
    q(g, "云关乡云关村王家屯路面塌陷", ZHAI("云关村", "王家屯", "云关乡"))
    q(g, "石龙村龙潭寨有人在路边晒粮", ZHAI("石龙村", "龙潭寨"))
    q(g, "石龙村牛场坝有人焚烧垃圾", ZHAI("石龙村", "牛场坝"))
    q(g, "羊场屯有人乱砍树", ZHAI(None, "羊场屯"))
    q(g, "尖坡村八组有人烧秸秆", ZU("尖坡村", 8))
    q(g, "小碧乡尖坡村2组有人违建", ZU("尖坡村", 2, XIAOBI))
    q(g, "茶店村2组有人私拉电线", ZU("茶店村", 2))
    q(g, "云关村石头寨有人放火烧山", ZHAI("云关村", "石头寨"))

    # --- village (a 行政村 named alone, or with its 乡) ----------------------------------
    v = "village"
    q(v, "茶店村有人烧秸秆，烟很大", VIL("茶店村"))
    q(v, "云关乡茶店村路灯不亮", VIL("茶店村", "云关乡"))
    q(v, "水塘村有人私拉电网捕鱼", VIL("水塘村"))
    q(v, "谷脚村狗咬人", VIL("谷脚村"))
    q(v, "黄土村有人往河沟里倒垃圾", VIL("黄土村"))
    q(v, "关口村自来水停了", VIL("关口村"))
    q(v, "南明区永乐乡羊角村有人占用耕地建房", VIL("羊角村", "永乐乡"))
    q(v, "小碧乡龙井村有人焚烧垃圾", VIL("龙井村", XIAOBI))
    q(v, "永乐龙井村路面塌陷", VIL("龙井村", "永乐乡"))
    q(v, "龙井村有人私建猪圈", VIL("龙井村"))
    q(v, "尖坡村垃圾堆放", VIL("尖坡村"))
    q(v, "石龙村有人电鱼", VIL("石龙村"))
    q(v, "云关乡黄土村有人焚烧秸秆", VIL("黄土村", "云关乡"))
    q(v, "大塘村有人烧荒", VIL("大塘村"))

    # --- other_county (贵阳's other 县级 units, or another 市, in front of our addresses) --
    oc = "other_county"
    jf, yz = fb("解放路", 1000, "L"), fb("油榨街", 1300, "L")
    for t, vil in [(XIAOBI, "尖坡村"), ("云关乡", "永乐村"), ("云关乡", "黄土村")]:
        nowhere(t, vil)
    for text, code in [
        ("云岩区云关乡尖坡村3组15号", None),
        ("贵阳市花溪区小碧乡小碧村三组8号", None),
        ("乌当区永乐乡永乐村1组6号", None),
        (f"贵州省贵阳市白云区解放路{no(jf)}号", None),
        ("观山湖区花果园B区3栋", None),
        ("清镇市云关乡茶店村37号", None),
        (f"遵义市南明区油榨街{no(yz)}号", None),
        ("贵阳市南明区云关乡尖坡村3组15号", H("JP", 3, 15)["code"]),
        ("贵州省贵阳市南明区小碧布依族苗族乡小碧村三组8号", H("XB", 3, 8)["code"]),
        ("南明区永乐乡永乐村1组6号", H("YL", 1, 6)["code"]),
        (f"贵州省贵阳市南明区解放路{no(jf)}号", jf["code"]),
        ("贵阳市南明区花果园B区3栋", "NMHGYBB3"),
        ("云关乡茶店村37号", H("CD", 0, 37)["code"]),
        (f"贵阳南明油榨街{no(yz)}号", yz["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    sn, jf2 = fb("市南路", 1400, "L"), fb("解放路", 1450, "R")
    cw = fb("翠微巷", 180, "R", 10)
    absent("尖坡村3组30号")
    absent("永乐乡龙井村40号")
    absent("豆芽巷7号")
    absent("花果园B区9栋")
    for text, code in [
        (
            "No. 15, Group 3, Jianpo Village, Yunguan Township, Nanming District, Guiyang",
            H("JP", 3, 15)["code"],
        ),
        (
            "No. 8, Group 3, Xiaobi Village, Xiaobi Buyei and Miao Ethnic Township,"
            " Nanming District",
            H("XB", 3, 8)["code"],
        ),
        (
            "No. 12, Houzhai, Yunguan Village, Yunguan Township, Nanming District, Guiyang",
            H("YG", 2, 12)["code"],
        ),
        (
            "No. 6, Longtanzhai, Shilong Village, Xiaobi Township, Nanming District",
            H("SL", 1, 6)["code"],
        ),
        (
            "No. 37, Chadian Village, Yunguan Township, Nanming District, Guiyang, Guizhou",
            H("CD", 0, 37)["code"],
        ),
        ("No. 30, Group 3, Jianpo Village, Yunguan Township, Nanming District", None),
        (f"No. {no(jf)}, Jiefang Road, Nanming District, Guiyang", jf["code"]),
        (f"No. {no(yz)} Youzha Street, Nanming District, Guiyang, Guizhou", yz["code"]),
        (f"No. {no(sn)}, Shinan Road, Nanming District", sn["code"]),
        ("Room 501, Unit 2, Building 3, Qingyun Garden, Nanming District, Guiyang", "NMQYHYB3"),
        ("Building 3, Block B, Huaguoyuan, Nanming District, Guiyang", "NMHGYBB3"),
        ("Building 9, Block B, Huaguoyuan, Nanming District", None),
        (f"No. {no(cw)}, Cuiwei Lane, Nanming District, Guiyang", cw["code"]),
        (f"Guiyang Shi Nanming Qu Jiefang Lu {no(jf2)} Hao", jf2["code"]),
        (
            "Guizhou Sheng Guiyang Shi Nanming Qu Yunguan Xiang Jianpo Cun 5 Zu 13 Hao",
            H("JP", 5, 13)["code"],
        ),
        ("15号，3组，尖坡村，云关乡，南明区，贵阳市", H("JP", 3, 15)["code"]),
        ("502室，2单元，3栋，富源小区，南明区", "NMFYXQB3"),
        ("7号，豆芽巷，南明区", None),
        ("No. 40, Longjing Village, Yongle Township, Nanming District", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Group 5, Yongle Village, Yongle Township, Nanming District", ZU("永乐村", 5, "永乐乡"))
    q(e, "Group 3, Yongle Village, Yongle Township, Nanming District", ZU("永乐村", 3, "永乐乡"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    zh, bs = fb("中华南路", 300, "L"), fb("宝山南路", 1250, "R")
    zh2, jf3 = fb("中华南路", 2150, "L"), fb("解放路", 2350, "R")
    zy, sn2 = fb("遵义路", 150, "L"), fb("市南路", 200, "L")
    t1, t2 = fb("遵义路", 2100, "L"), fb("中华南路", 2500, "R")
    t3, t4 = fb("花果园大街", 1900, "L"), fb("沙冲路", 400, "R")
    t5, t6 = fb("油榨街", 300, "L"), fb("宝山南路", 2800, "L")
    hg, yl = fb("花果园大街", 500, "R"), fb("永乐路", 500, "R")
    sc = fb("沙冲路", 1100, "R")
    yz2 = fb("油榨街", 1000, "R")
    xb = fb("小碧路", 2900, "R")
    for miss in [
        "解放路999号",
        f"解放路{no(jf)}号附9号",
        "市南路66-3号",
        "富源小区9栋",
        "青云花园6栋",
        "花果园Z区",
        "尖坡村3组99号",
        "云关村后寨99号",
        "翠微巷3号",
        "牛角巷7号",
        "永乐村7组",
        "柿子巷",
        "中华南路1000号",
        f"遵义路{no(zy)}号附1号",
        "黔灵山公园",
        "贵阳北站",
        "南明区第二人民医院",
    ]:
        absent(miss)
    if {b["vkey"] for b in houses(village="龙井村") if b["n"] == 26} != {"LJX", "LJY"}:
        raise SystemExit("both 龙井村 must have a 26号")
    nowhere("云关乡", "永乐村")
    for text, code in [
        (zh["address"], zh["code"]),
        (f"宝山南路{no(bs)}号", bs["code"]),
        ("甲秀楼", code_of_alias("甲秀楼")),
        ("贵州省人民医院", code_of_alias("贵州省人民医院")),
        ("省医", code_of_alias("省医")),
        ("贵阳火车站", code_of_alias("贵阳火车站")),
        ("花果园购物中心", code_of_alias("花果园购物中心")),
        ("市一医", code_of_alias("市一医")),
        ("贵阳六中", code_of_alias("贵阳六中")),
        ("云关乡卫生院", code_of_alias("云关乡卫生院")),
        ("尖坡村委会", code_of_alias("尖坡村委会")),
        ("小碧乡政府", code_of_alias("小碧乡政府")),
        ("永乐派出所", code_of_alias("永乐派出所")),
        ("富源小区3栋", "NMFYXQB3"),
        ("富源小区3栋2单元5楼2号", "NMFYXQB3"),
        ("青云花园2-1-302", "NMQYHYB2"),
        (f"南明区宝山南路{door(2150, 'L')}号富源小区4栋", "NMFYXQB4"),
        ("花果园B区3栋", "NMHGYBB3"),
        ("花果园M区2栋", "NMHGYMB2"),
        ("花果园D区1栋1单元1802", "NMHGYDB1"),
        ("花果园B区5栋2单元28楼3号", "NMHGYBB5"),
        ("兴关小区1栋", "NMXGXQB1"),
        (f"解放路{no(jf)}号附3号", f"{jf['code']}F3"),
        (f"南明区遵义路{door(600, 'R')}号附2号", f"NMZYL{door(600, 'R')}F2"),
        (f"市南路{door(650, 'R')}-1号", f"NMSNL{door(650, 'R')}D1"),
        (f"油榨街{no(yz2)}-1号", f"{yz2['code']}D1"),
        (f"南明区解放路{fullwidth(no(jf))}号", jf["code"]),
        (f"花果园Ｂ区{fullwidth(3)}栋", "NMHGYBB3"),
        (f"中华南路{chinese(no(zh2))}号", zh2["code"]),
        ("富源小区三栋二单元", "NMFYXQB3"),
        (f"南明区 解放路 {no(jf2)}号", jf2["code"]),
        (f"贵州省，贵阳市，南明区，油榨街{no(yz)}号", yz["code"]),
        ("贵阳市南明区云关乡尖坡村5组6号", H("JP", 5, 6)["code"]),
        ("南明区云关乡云关村后寨8号", H("YG", 2, 8)["code"]),
        ("石龙村牛场坝5号", H("SL", 4, 5)["code"]),
        ("永乐乡永乐村3组4号", H("YL", 3, 4)["code"]),
        ("小碧乡龙井村52号", H("LJX", 0, 52)["code"]),
        ("永乐乡龙井村48号", H("LJY", 0, 48)["code"]),
        (f"翠微巷{no(cw)}号", cw["code"]),
        ("牛角巷5号", "NMNJX5"),
        ("南明区大井巷5号", "NMDJX5"),
        ("豆芽巷8号", "NMDYX8"),
        (f"尊义路{no(t1)}号", t1["code"]),
        (f"中化南路{no(t2)}号", t2["code"]),
        (f"花果圆大街{no(t3)}号", t3["code"]),
        (f"南明区沙充路{no(t4)}号", t4["code"]),
        (f"油炸街{no(t5)}号", t5["code"]),
        (f"保山南路{no(t6)}号", t6["code"]),
        (f"贵洲省贵阳市南明区解放路{no(jf3)}号", jf3["code"]),
        (f"贵杨市南明区市南路{no(sn2)}号", sn2["code"]),
        (f"黔 贵阳市南明区遵义路{no(zy)}号", zy["code"]),
        ("南明区小碧布依族苗族乡小碧村二组5号", H("XB", 2, 5)["code"]),
        ("小碧乡小碧村六组11号", H("XB", 6, 11)["code"]),
        (f"云关乡云关大街{door(1400, 'L')}号", code_of_alias("云关乡政府")),
        (f"永乐乡永乐路{no(yl)}号", yl["code"]),
        (f"南明区花果园街道花果园大街{no(hg)}号", hg["code"]),
        (
            f"贵阳市南明区遵义路街道朝阳社区解放路{door(550, 'R')}号",
            code_of_alias("朝阳社区服务中心"),
        ),
        (f"兴关路街道沙冲路{no(sc)}号", sc["code"]),
        (f"小碧乡小碧路{no(xb)}号", xb["code"]),
        ("南明区解放路999号", None),
        (f"解放路{no(jf)}号附9号", None),
        ("市南路66-3号", None),
        ("富源小区9栋", None),
        ("花果园B区9栋", None),
        ("青云花园6-1-302", None),
        ("花果园Z区3栋", None),
        ("云关乡尖坡村3组99号", None),
        ("云关村后寨99号", None),
        ("翠微巷3号", None),
        ("南明区牛角巷7号", None),
        ("龙井村26号", None),
        ("小碧乡尖坡村3组15号", None),
        (f"油榨街道花果园大街{no(hg)}号", None),
        ("云关乡永乐村1组6号", None),
        ("永乐村7组3号", None),
        ("南明区柿子巷5号", None),
        ("中华南路1000号", None),
        (f"遵义路{no(zy)}号附1号", None),
        ("黔灵山公园", None),
        ("贵阳北站", None),
        ("南明区第二人民医院", None),
    ]:
        q(bq, text, BLD(code))
    return Q


def fullwidth(n: int) -> str:
    return "".join(chr(ord(c) + 0xFEE0) for c in str(n))


def chinese(n: int) -> str:
    """100 <= n < 1000 in Chinese numerals: 215 -> 二百一十五."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = CN[h] + "百"
    if t:
        out += CN[t] + "十"
    elif u:
        out += "零"
    if u:
        out += CN[u]
    return out


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
    lines = []
    seen = set()
    qs = queries()
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


# ---------------------------------------------------------------- reading back
def check(qs) -> None:
    """Read the four files back and check them against the geometry they were made from."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))["features"]
    codes = {f["properties"]["code"] for f in grids}
    micros: dict[str, Polygon] = {}
    for f in grids:
        p = f["properties"]
        if p["parent_code"] is not None and p["parent_code"] not in codes:
            raise SystemExit(f"{p['code']}: no parent {p['parent_code']}")
        if p["level"] == "micro":
            ring = [xy(*c) for c in f["geometry"]["coordinates"][0]]
            micros[p["code"]] = Polygon([(round(a, 1), round(b, 1)) for a, b in ring])
    if abs(sum(m.area for m in micros.values()) - DISTRICT_AREA.area) > 1.0:
        raise SystemExit("the micro-grids do not tile the district")
    if abs(unary_union(list(micros.values())).area - DISTRICT_AREA.area) > 1.0:
        raise SystemExit("the micro-grids overlap or leave a hole")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    where: dict[str, str] = {}
    for r in rows:
        x, y = xy(float(r["lon"]), float(r["lat"]))
        m = r["micro_grid_code"]
        if m not in micros or micro_of_point(x, y, micros) != m:
            raise SystemExit(f"{r['code']} does not lie in {m}")
        where[r["code"]] = m
    if len(where) != len(rows):
        raise SystemExit("duplicate building codes")
    roads = json.loads((HERE / "roads.geojson").read_text(encoding="utf-8"))["features"]
    for f, (name, _k, pts) in zip(roads, ROADS, strict=True):
        line = LineString([xy(*c) for c in f["geometry"]["coordinates"]])
        if f["properties"]["name"] != name or line.hausdorff_distance(LineString(pts)) > 0.05:
            raise SystemExit(f"road {name} was not written back as made")
        if shape(f["geometry"]).length <= 0:
            raise SystemExit(f"road {name} is empty")
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    if len(lines) != len(qs):
        raise SystemExit("queries.jsonl has the wrong length")
    for line, (kind, text, spec) in zip(lines, qs, strict=True):
        rec = json.loads(line)
        if list(rec) != ["query", "expected", "micro_grid", "kind"] or rec["query"] != text:
            raise SystemExit(f"bad record {line}")
        if rec["kind"] != kind:
            raise SystemExit(f"bad kind {line}")
        mg = rec["micro_grid"]
        if mg is not None and mg not in micros:
            raise SystemExit(f"{text}: no micro-grid {mg}")
        if spec[0] == "bld":
            if rec["expected"] is None:
                if mg is not None:
                    raise SystemExit(f"{text}: a refusal with a micro-grid")
            elif where.get(rec["expected"]) != mg:
                raise SystemExit(f"{text}: {rec['expected']} is not in {mg}")
            continue
        if rec["expected"] is not None:
            raise SystemExit(f"{text}: a place query with a building")
        readings = [spec[2], spec[3]] if spec[0] == "read" else [spec]
        got = [micro_of_region(place_region(r), micros) for r in readings]
        if mg is not None and any(m != mg for m in got):
            raise SystemExit(f"{text}: not within {mg} under every reading: {got}")
        if mg is None and got[0] is not None and all(m == got[0] for m in got):
            raise SystemExit(f"{text}: refused, but lies in {got[0]}")


def report(qs) -> None:
    stats: Counter = Counter()
    words: Counter = Counter()
    lines = (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    for line, (_kind, _text, spec) in zip(lines, qs, strict=True):
        rec = json.loads(line)
        pos = rec["micro_grid"] is not None
        stats[(rec["kind"], pos)] += 1
        if spec[0] == "read":
            words[(spec[1], pos)] += 1
    for k in sorted({k for k, _ in stats}):
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    for w in sorted({w for w, _ in words}):
        print(f"word {w:6} positive {words[(w, True)]:3}  refuse {words[(w, False)]:3}")
    refused = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)},"
        f" refused {refused} ({100 * refused / len(lines):.0f} %)"
    )


if __name__ == "__main__":
    done = write_all()
    check(done)
    report(done)
