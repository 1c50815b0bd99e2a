"""Write the place-description evaluation district: 上海市嘉定区.

    python bench/data/place_jiading/make_district.py

One grid tree in two halves: a town north (新成路街道, 嘉定镇街道, with roads, named 弄, numbered
弄 with 支弄, a 新村 and a 小区) and a rural south (马陆镇, 南翔镇, with 行政村 whose houses are
written by 组 — `嘉定区马陆镇大裕村3组15号` — by 宅 — `嘉定区马陆镇戬浜村沈家宅12号` — or numbered
across the village — `嘉定区南翔镇永乐村1028号`). The 街道 / 镇, most road names and the
landmarks' names are 嘉定区's; the codes, the 居委会, most villages, the 弄, the door numbers, the
landmarks' positions and all geometry are ours: a layout in metres over a 4.8 km x 3.2 km box,
turned into WGS-84 around 121.25 E, 31.38 N.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. After writing, the
files are read back and checked.

Writes grids.geojson, buildings.csv, roads.geojson and queries.jsonl, deterministically.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon, box, shape
from shapely.ops import substring, unary_union

HERE = Path(__file__).resolve().parent

# ---------------------------------------------------------------- coordinates
LON0, LAT0 = 121.2250, 31.3660  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


# ---------------------------------------------------------------- grid tree
DISTRICT = ("310114", "嘉定区")
W, S, E, N = 0.0, 0.0, 4800.0, 3200.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# code, name, box, units. A unit is a 居委会 ("juwei", name, short name, width) or a 行政村
# ("village", name, key, style, width). Styles: "zu" — six micro-grids named after the 组
# (`大裕村3组`); "zhai" — four plain micro-grids, houses written by 宅; "small" — a village
# numbered across, two micro-grids. A 居委会 has two grids of three micro-grids.
TOWNS = [
    (
        "310114002",
        "新成路街道",
        (0, 1600, 2400, 3200),
        [("juwei", "清河居委会", "清河", 1200), ("juwei", "塔城居委会", "塔城", 1200)],
    ),
    (
        "310114001",
        "嘉定镇街道",
        (2400, 1600, 4800, 3200),
        [("juwei", "州桥居委会", "州桥", 1200), ("juwei", "北门居委会", "北门", 1200)],
    ),
    (
        "310114103",
        "马陆镇",
        (0, 0, 2400, 1600),
        [
            ("village", "大裕村", "DY", "zu", 1200),
            ("village", "戬浜村", "JB", "zhai", 800),
            ("village", "新华村", "XHM", "small", 400),
        ],
    ),
    (
        "310114101",
        "南翔镇",
        (2400, 0, 4800, 1600),
        [
            ("juwei", "古猗居委会", "古猗", 1200),
            ("village", "新华村", "XHN", "small", 400),
            ("village", "永乐村", "YL", "small", 400),
            ("village", "红翔村", "HX", "small", 400),
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
VILLAGE_BOX: dict[str, tuple[float, float, float, float]] = {}  # village key -> box


def add_micro(code: str, name: str, parent: str, b) -> None:
    FEATURES.append(feature(code, name, "micro", parent, geo(rect(b))))
    MICROS[code] = rect(b)


def add_grid(code, name, parent, b, cols, micro_name) -> None:
    """A grid box split into cols micro-grids side by side."""
    FEATURES.append(feature(code, name, "grid", parent, geo(rect(b))))
    w, s, e, n = b
    step = (e - w) / cols
    for mi in range(cols):
        mb = (w + mi * step, s, w + (mi + 1) * step, n)
        add_micro(f"{code}{mi + 1:03d}", micro_name(mi + 1), code, mb)


def build_tree() -> None:
    FEATURES.append(feature(DISTRICT[0], DISTRICT[1], "district", None, geo(DISTRICT_AREA)))
    for t_code, t_name, tb, units in TOWNS:
        FEATURES.append(feature(t_code, t_name, "street", DISTRICT[0], geo(rect(tb))))
        x, s, _e, n = tb
        mid = (s + n) / 2
        jw = vi = 0
        for unit in units:
            width = unit[-1]
            ub = (x, s, x + width, n)
            x += width
            if unit[0] == "juwei":
                _, name, short, _w = unit
                jw += 1
                c_code = f"{t_code}{jw:03d}"
                FEATURES.append(feature(c_code, name, "community", t_code, geo(rect(ub))))
                for gi, (gs, gn) in enumerate([(s, mid), (mid, n)], start=1):
                    g_name = f"{short}第{gi}网格"
                    add_grid(
                        f"{c_code}{gi:03d}",
                        g_name,
                        c_code,
                        (ub[0], gs, ub[2], gn),
                        3,
                        lambda m, g_name=g_name: f"{g_name}{m}号微网格",
                    )
                continue
            _, name, key, style, _w = unit
            vi += 1
            v_code = f"{t_code}{200 + vi:03d}"
            VILLAGE_BOX[key] = ub
            FEATURES.append(feature(v_code, name, "community", t_code, geo(rect(ub))))
            if style == "small":
                g_code = f"{v_code}001"
                FEATURES.append(feature(g_code, f"{name}网格", "grid", v_code, geo(rect(ub))))
                for mi, (ms, mn) in enumerate([(s, mid), (mid, n)], start=1):
                    mb = (ub[0], ms, ub[2], mn)
                    add_micro(f"{g_code}{mi:03d}", f"{name}{mi}号微网格", g_code, mb)
                continue
            cols = 3 if style == "zu" else 2
            for gi, (gs, gn) in enumerate([(s, mid), (mid, n)], start=1):
                g_name = f"{name}第{gi}网格"
                if style == "zu":

                    def micro_name(m, gi=gi, name=name):
                        return f"{name}{(gi - 1) * 3 + m}组"
                else:

                    def micro_name(m, g_name=g_name):
                        return f"{g_name}{m}号微网格"

                add_grid(
                    f"{v_code}{gi:03d}", g_name, v_code, (ub[0], gs, ub[2], gn), cols, micro_name
                )


def micro_centre(key: str, m: int) -> tuple[float, float]:
    """Centre of the m-th micro-grid of a 组 village (1-3 south row, 4-6 north row)."""
    x0, y0, _e, _n = VILLAGE_BOX[key]
    g, c = divmod(m - 1, 3)
    return x0 + 200 + 400 * c, y0 + 400 + 800 * g


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # the town
    ("城北路", "arterial", [(0, 3000), (4800, 3000)]),
    ("城中路", "secondary", [(0, 2100), (4800, 2100)]),
    ("博乐路", "secondary", [(0, 2400), (2400, 2400)]),
    ("宝安公路", "arterial", [(0, 1600), (4800, 1600)]),
    ("新成路", "secondary", [(600, 1600), (600, 3200)]),
    ("清河路", "secondary", [(1000, 1650), (1000, 3200)]),
    ("塔城路", "secondary", [(1800, 1600), (1800, 3200)]),
    ("沪宜公路", "arterial", [(2400, 0), (2400, 3200)]),
    ("西大街", "branch", [(2400, 2700), (3400, 2700)]),
    ("东大街", "branch", [(3400, 2700), (4800, 2700)]),
    ("南大街", "branch", [(3400, 2700), (3400, 1600)]),
    ("北大街", "branch", [(3400, 2700), (3400, 3200)]),
    ("梅园路", "branch", [(3800, 2250), (3800, 1950), (4300, 1950), (4300, 2250)]),
    # named 弄 in the road file
    ("叶池弄", "branch", [(3000, 2100), (3000, 2350)]),
    ("仓桥弄", "branch", [(3900, 2700), (3900, 2950)]),
    ("药局弄", "branch", [(2500, 2850), (2750, 2850)]),
    ("钱家弄", "branch", [(1100, 2330), (1300, 2330)]),
    ("香花弄", "branch", [(3250, 400), (3500, 400)]),
    # the rural south
    ("嘉戬公路", "arterial", [(0, 1000), (3400, 1000)]),
    ("白银路", "secondary", [(700, 0), (700, 1600)]),
    ("大裕路", "branch", [(100, 400), (1100, 400)]),
    ("戬浜路", "branch", [(1400, 200), (1400, 1500)]),
    ("古猗园路", "secondary", [(3000, 0), (3000, 1600)]),
    ("民主街", "branch", [(2400, 600), (3600, 600)]),
    ("解放街", "branch", [(2600, 1200), (3500, 1200)]),
    ("德华路", "secondary", [(2400, 800), (4800, 800)]),
    ("永乐路", "branch", [(4200, 100), (4200, 1500)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# ---------------------------------------------------------------- buildings
CITY = "嘉定区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "城北路": "CBL",
    "城中路": "CZL",
    "博乐路": "BLL",
    "宝安公路": "BAGL",
    "新成路": "XCL",
    "清河路": "QHL",
    "塔城路": "TCL",
    "沪宜公路": "HYGL",
    "西大街": "XDJ",
    "东大街": "DDJ",
    "南大街": "NDJ",
    "北大街": "BDJ",
    "梅园路": "MYL",
    "叶池弄": "YCN",
    "仓桥弄": "CQN",
    "药局弄": "YJN",
    "钱家弄": "QJN",
    "香花弄": "XHN",
    "嘉戬公路": "JJGL",
    "白银路": "BYL",
    "古猗园路": "GYYL",
    "民主街": "MZJ",
    "解放街": "JFJ",
    "德华路": "DHL",
    "柳条弄": "LTN",
    "石皮弄": "SPN",
    "唐家弄": "TJN",
}
# door numbering: (metres per pair of doors, first number's offset)
NUMBERING = {"城北路": (5, 0), "城中路": (20, 0), "塔城路": (5, 0), "沪宜公路": (2, 1000)}


def add(code, address, x, y, aliases=(), **meta):
    if code in BY_CODE:
        raise SystemExit(f"duplicate code {code}")
    b = {
        "code": code,
        "address": address,
        "x": round(x, 2),
        "y": round(y, 2),
        "aliases": list(aliases),
        "lanes": [],
        **meta,
    }
    BUILDINGS.append(b)
    BY_CODE[code] = b
    return b


def frame(road: str, s: float, side: str):
    """Point s metres along the road, the unit vector along it and the unit normal to the side."""
    line = ROAD[road]
    p = line.interpolate(s)
    q = line.interpolate(min(s + 1.0, line.length))
    if q.equals(p):
        q, p = p, line.interpolate(s - 1.0)
    dx, dy = q.x - p.x, q.y - p.y
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux  # left normal
    if side == "R":
        nx, ny = -nx, -ny
    return line.interpolate(s), (ux, uy), (nx, ny)


def on_road(road: str, s: float, side: str, setback: float = 18.0):
    p, _u, (nx, ny) = frame(road, s, side)
    return round(p.x + setback * nx, 2), round(p.y + setback * ny, 2)


def numbering(road: str, step: float | None) -> tuple[float, int]:
    if step is not None:
        return step, 0
    return NUMBERING.get(road, (10, 0))


def door(road: str, s: float, side: str, step: float | None = None) -> int:
    st, base = numbering(road, step)
    return base + 2 * int(s // st) + (1 if side == "L" else 2)


def door_s(road: str, n: int) -> tuple[float, str]:
    """Where door n stands: s in the middle of its step, odd numbers on the left."""
    st, base = numbering(road, None)
    side = "L" if n % 2 else "R"
    s = ((n - base - 1) // 2) * st + st / 2
    if door(road, s, side) != n:
        raise SystemExit(f"{road} {n}: no such door")
    return s, side


def frontage(road: str, items, step: float | None = None):
    """Buildings on a road: (s, side, aliases); the door number follows s (odd on the left)."""
    for s, side, aliases in items:
        n = door(road, s, side, step)
        x, y = on_road(road, s, side)
        b = add(f"JD{CODE_KEY[road]}{n}", f"{CITY}{road}{n}号", x, y, aliases, road=road, n=n)
        b["lanes"].append(road)


def fb(road, s, side, step=None):
    return BY_CODE[f"JD{CODE_KEY[road]}{door(road, s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a 弄 known only through addresses: (number, x, y)."""
    for n, x, y in points:
        b = add(f"JD{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)
        b["lanes"].append(lane)


def nong(road: str, lane_no: int, houses, compound=None, alias=None):
    """Houses of a numbered 弄 off a road: (number, 支弄 or 0, depth, lateral).

    The 弄 starts at door `lane_no` of the road and runs away from it (depth); lateral is along the
    road. `alias` formats a house's alias from its number (`桃园新村{n}号`, `城北花苑{n}号楼`).
    """
    s, side = door_s(road, lane_no)
    p, (ux, uy), (nx, ny) = frame(road, s, side)
    lane = f"{road}{lane_no}弄"
    key = f"JD{CODE_KEY[road]}{lane_no}N"
    for n, zhi, depth, lateral in houses:
        x = p.x + depth * nx + lateral * ux
        y = p.y + depth * ny + lateral * uy
        if zhi:
            address, code = f"{CITY}{lane}{zhi}支弄{n}号", f"{key}{zhi}Z{n}"
        else:
            address, code = f"{CITY}{lane}{n}号", f"{key}{n}"
        aliases = [alias.format(n=n)] if alias else []
        b = add(code, address, x, y, aliases, road=lane, n=n, compound=compound)
        b["lanes"].append(lane)
        if zhi:
            b["lanes"].append(f"{lane}{zhi}支弄")


TOWN_OF = {
    "DY": "马陆镇",
    "JB": "马陆镇",
    "XHM": "马陆镇",
    "XHN": "南翔镇",
    "YL": "南翔镇",
    "HX": "南翔镇",
}
VILLAGE_OF = {
    "DY": "大裕村",
    "JB": "戬浜村",
    "XHM": "新华村",
    "XHN": "新华村",
    "YL": "永乐村",
    "HX": "红翔村",
}
SPREAD = [(-40, -30), (30, -35), (-20, 40), (45, 25)]


def part_tag(part) -> str:
    """The code part of a house's 组 (`03`), 宅 (`Z0`) or none (`00`)."""
    if isinstance(part, str):
        return f"Z{list(ZHAI_AT).index(part)}"
    return f"{part or 0:02d}"


def rural_houses(key: str, part, centre, numbers, aliases=None):
    """Houses around a centre: of a 组 (int), of a 宅 (str) or numbered across (None)."""
    cx, cy = centre
    zu = part if isinstance(part, int) else None
    zhai = part if isinstance(part, str) else None
    label = f"{zu}组" if zu else (zhai or "")
    tag = part_tag(part)
    for i, n in enumerate(numbers):
        dx, dy = SPREAD[i % 4]
        dx, dy = dx * (1 + i // 4), dy * (1 + i // 4)
        add(
            f"JD{key}{tag}{n:04d}",
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


# 戬浜村's 宅 (自然村) and where their houses stand
ZHAI_AT = {
    "沈家宅": (1300, 300),
    "东宅": (1800, 400),
    "西宅": (1300, 1250),
    "钱家宅": (1800, 1300),
}
ZHAI_AT["陆家宅"] = (1600, 600)  # across the line between two micro-grids


def build_buildings() -> None:
    # ---- the town: roads
    frontage(
        "城北路",
        [
            (300, "L", []),
            (500, "R", ["嘉定一中", "上海市嘉定区第一中学"]),
            (1400, "L", ["迎园中学"]),
            (2600, "L", []),
            (3100, "L", ["嘉定区中心医院", "中心医院"]),
            (3750, "R", ["北门居委会"]),
            (4250, "L", ["嘉定北站", "地铁嘉定北站", "11号线嘉定北站"]),
            (4600, "R", []),
        ],
    )
    frontage(
        "城中路",
        [
            (200, "L", []),
            (700, "R", ["工商银行新成路支行", "工行新成路支行"]),
            (1500, "R", ["塔城居委会"]),
            (2600, "R", ["嘉定区实验小学", "实验小学"]),
            (3700, "L", ["工商银行嘉定支行", "工行嘉定支行"]),
            (4550, "R", ["城中路菜场"]),
        ],
    )
    frontage(
        "博乐路",
        [
            (300, "L", []),
            (1000, "L", ["嘉定区中医医院", "中医医院"]),
            (1500, "R", []),
            (2100, "L", ["建设银行博乐路支行", "建行博乐路支行"]),
        ],
    )
    frontage(
        "宝安公路",
        [
            (500, "R", []),
            (1500, "L", []),
            (3100, "R", ["中石化宝安公路加油站", "宝安公路加油站"]),
            (4600, "L", []),
        ],
        step=5,
    )
    frontage(
        "新成路",
        [
            (200, "L", []),
            (350, "R", ["新成路派出所"]),
            (650, "L", ["清河居委会"]),
            (1100, "R", []),
            (1350, "L", ["新成路街道社区卫生服务中心", "新成路社区卫生服务中心"]),
        ],
    )
    frontage(
        "清河路",
        [
            (300, "R", ["清河路菜场"]),
            (900, "R", ["农业银行清河路支行", "农行清河路支行"]),
            (1200, "L", []),
        ],
    )
    frontage(
        "塔城路",
        [
            (200, "L", []),
            (1050, "R", ["邮政储蓄银行塔城路支行", "邮储塔城路支行"]),
            (1300, "L", []),
        ],
    )
    frontage(
        "沪宜公路",
        [
            (300, "L", []),
            (900, "R", ["中石化沪宜公路加油站", "沪宜公路加油站"]),
            (1900, "L", []),
            (2200, "R", ["嘉定镇派出所"]),
            (2800, "L", []),
        ],
    )
    frontage("西大街", [(300, "R", ["州桥居委会"]), (700, "L", [])], step=5)
    frontage(
        "东大街",
        [
            (300, "R", ["秋霞圃"]),
            (800, "L", ["上海农商银行嘉定支行", "农商银行嘉定支行"]),
            (1200, "R", []),
        ],
        step=5,
    )
    frontage(
        "南大街",
        [
            (80, "L", ["法华塔"]),
            (350, "R", ["南大街菜场"]),
            (457, "L", ["嘉定孔庙", "孔庙"]),
            (520, "L", ["汇龙潭", "汇龙潭公园"]),
            (800, "R", []),
            (1000, "L", []),
        ],
        step=5,
    )
    frontage("北大街", [(150, "R", [])], step=5)
    frontage("梅园路", [(150, "R", []), (550, "L", [])])
    add("JDZQ", f"{CITY}南大街州桥", 3400, 2680, ["州桥"])
    # named 弄 of the road file
    frontage("叶池弄", [(40, "L", []), (180, "R", [])])
    frontage("仓桥弄", [(60, "L", []), (200, "R", [])])
    frontage("药局弄", [(40, "L", []), (190, "R", [])])
    frontage("钱家弄", [(40, "L", []), (180, "R", [])])  # across the 居委会 border x = 1200
    frontage("香花弄", [(50, "L", []), (200, "R", [])])
    # 弄 in no road file
    lane_houses("柳条弄", [(3, 4100, 2350), (8, 4130, 2362), (15, 4160, 2350)])
    lane_houses("石皮弄", [(2, 2700, 1250), (7, 2730, 1262), (11, 2760, 1250)])
    lane_houses(
        "唐家弄", [(4, 2380, 2850), (9, 2420, 2850), (13, 2430, 2900)]
    )  # 沪宜公路 both sides
    # numbered 弄: (number, 支弄, depth, lateral)
    nong(
        "城中路",
        123,
        [
            (2, 0, 30, 8),
            (8, 0, 60, 20),
            (15, 0, 90, 8),
            (23, 0, 120, 20),
            (31, 0, 140, 8),
            (45, 0, 160, 20),
        ],
    )
    nong("城中路", 291, [(3, 0, 40, -15), (10, 0, 90, 15), (18, 0, 140, -15)])
    nong(
        "塔城路",
        268,
        [
            (2, 0, 30, 12),
            (12, 0, 110, -12),
            (20, 0, 170, 12),
            (3, 1, 60, 30),
            (6, 1, 60, -30),
            (1, 2, 100, 40),
            (7, 2, 100, -40),
            (2, 3, 140, 30),
            (5, 3, 140, 70),
            (9, 3, 140, -50),
        ],
    )
    # 桃园新村: 清河路99弄, its 号 are the 新村's buildings
    nong(
        "清河路",
        99,
        [(k, 0, 40 + 30 * ((k - 1) % 4), -25 + 35 * ((k - 1) // 4)) for k in range(1, 13)],
        compound="桃园新村",
        alias="桃园新村{n}号",
    )
    # 城北花苑: 城北路888弄, called by 号楼
    nong(
        "城北路",
        888,
        [(k, 0, 40 + 60 * ((k - 1) // 4), -150 + 80 * ((k - 1) % 4)) for k in range(1, 9)],
        compound="城北花苑",
        alias="城北花苑{n}号楼",
    )
    # ---- the rural south: roads
    frontage(
        "嘉戬公路",
        [
            (300, "L", []),
            (1050, "R", ["马陆小学"]),
            (1700, "L", ["上海农商银行马陆支行", "农商银行马陆支行"]),
            (2200, "R", ["马陆镇社区卫生服务中心", "马陆社区卫生服务中心"]),
            (2650, "L", ["嘉戬公路加油站"]),
            (3300, "R", []),
        ],
        step=5,
    )
    frontage(
        "白银路",
        [
            (150, "R", []),
            (1150, "R", ["马陆派出所"]),
            (1300, "L", ["马陆站", "地铁马陆站", "11号线马陆站"]),
        ],
        step=5,
    )
    frontage(
        "古猗园路",
        [
            (200, "L", ["南翔中学"]),
            (400, "R", ["古猗居委会"]),
            (1350, "R", ["古猗园"]),
            (1450, "L", ["南翔站", "地铁南翔站", "11号线南翔站"]),
        ],
        step=5,
    )
    frontage(
        "民主街",
        [
            (200, "L", ["上海农商银行南翔支行", "农商银行南翔支行"]),
            (500, "R", ["南翔菜场"]),
            (950, "L", []),
        ],
        step=5,
    )
    frontage(
        "解放街", [(120, "L", ["南翔派出所"]), (500, "R", ["南翔医院"]), (800, "L", [])], step=5
    )
    frontage(
        "德华路",
        [(500, "L", []), (1400, "R", ["邮政储蓄银行南翔支行", "邮储南翔支行"]), (2100, "L", [])],
        step=5,
    )
    # 马陆镇: 大裕村 (1组 … 6组, micro-grids named after them)
    c = micro_centre
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [5, 9, 16]),
        (3, [6, 15, 21, 27]),
        (4, [2, 7, 11]),
        (5, [4, 10, 13]),
        (6, [1, 9, 18]),
    ]:
        al = {21: ["大裕村村委会", "大裕村委会"]} if zu == 3 else None
        rural_houses("DY", zu, c("DY", zu), nums, al)
    # 戬浜村, written by 宅
    for zhai, nums in [
        ("沈家宅", [3, 12, 18, 25]),
        ("东宅", [2, 6, 12]),
        ("西宅", [5, 8, 14]),
        ("钱家宅", [1, 7, 10]),
        ("陆家宅", [4, 9, 16]),
    ]:
        al = {18: ["戬浜村村委会", "戬浜村委会"]} if zhai == "沈家宅" else None
        rural_houses("JB", zhai, ZHAI_AT[zhai], nums, al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("XHM", None, (2200, 1350), [118, 236, 402, 517])
    rural_houses("XHN", None, (3800, 350), [35, 160, 288, 1012])
    rural_houses("YL", None, (4200, 1200), [56, 203, 377, 1028, 1046], {203: ["永乐村村委会"]})
    rural_houses("HX", None, (4600, 400), [12, 88, 245, 630])


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
R_NEAR = 50.0  # 门口 / 旁边 / 对面 / 隔壁 / 附近: every point within 50 m
LATERAL = 20.0  # an offset says nothing about the side: 20 m either way
DIRS = {"东": (1, 0), "西": (-1, 0), "南": (0, -1), "北": (0, 1)}
CORNERS = {"东北": (1, 1), "西北": (-1, 1), "东南": (1, -1), "西南": (-1, -1)}
OPPOSITE = {"东": "西", "西": "东", "南": "北", "北": "南"}


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
    """The strip 2-30 m from the road's centreline on the named side (路东 / 路西 / 路南 / 路北)."""
    line = ROAD[road]
    strips = [line.buffer(30, single_sided=True), line.buffer(-30, single_sided=True)]
    ux, uy = DIRS[side]
    mid = line.interpolate(0.5, normalized=True)
    probe = Point(mid.x + 10 * ux, mid.y + 10 * uy)
    strip = next(s for s in strips if s.contains(probe))
    return strip.difference(line.buffer(2))


def side_of_building(alias: str, road: str) -> str:
    """Which side of a straight road (路东 / 路西 / 路南 / 路北) a landmark stands on."""
    b = BY_CODE[code_of_alias(alias)]
    (x0, y0), (x1, y1) = ROAD[road].coords[0], ROAD[road].coords[-1]
    if x0 == x1:
        return "东" if b["x"] > x0 else "西"
    if y0 == y1:
        return "北" if b["y"] > y0 else "南"
    raise SystemExit(f"{road} is not straight")


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


def houses(town=None, village=None, zu=None, zhai=None, lane=None):
    out = []
    for b in BUILDINGS:
        if lane is not None:
            if lane in b["lanes"]:
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


def points(bs):
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
        parts += [Point(b["x"], b["y"]) for b in houses(lane=name)]
        return unary_union(parts) if parts else None
    if kind == "zu":  # ("zu", town or None, village, number)
        return points(houses(town=spec[1], village=spec[2], zu=spec[3]))
    if kind == "zhai":  # ("zhai", town or None, village, 宅)
        return points(houses(town=spec[1], village=spec[2], zhai=spec[3]))
    if kind == "village":  # ("village", town or None, village): all its houses
        return points(houses(town=spec[1], village=spec[2]))
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


def ACROSS(alias: str, road: str):
    """马路对面: the side of the landmark's road away from the landmark."""
    return (road, OPPOSITE[side_of_building(alias, road)])


def NEAR(*aliases):
    return ("near", [code_of_alias(a) for a in aliases])


def NEAR_COMPOUND(name: str):
    return ("near", [b["code"] for b in BUILDINGS if b.get("compound") == name])


def LANE(name):
    return ("lane", name)


def ZU(village, zu, town=None):
    return ("zu", town, village, zu)


def ZHAI(village, zhai, town=None):
    return ("zhai", town, village, zhai)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, part, n):  # a rural house: part is the 组 (int), the 宅 (str) or 0 (numbered across)
    return BY_CODE[f"JD{key}{part_tag(part)}{n:04d}"]["code"]


def NG(road, lane_no, n, zhi=0):  # a house of a numbered 弄
    key = f"JD{CODE_KEY[road]}{lane_no}N"
    code = f"{key}{zhi}Z{n}" if zhi else f"{key}{n}"
    if code not in BY_CODE:
        raise SystemExit(f"no house {code}")
    return code


def no(b) -> int:
    return b["n"]


def BLD(code):
    if code is not None and code not in BY_CODE:
        raise SystemExit(f"no building {code}")
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address or alias."""
    for b in BUILDINGS:
        if b["address"].endswith(text) or text in b["aliases"]:
            raise SystemExit(f"{text} exists")


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "城中路清河路路口有人占道设摊", X("城中路", "清河路"))
    q(x, "城北路近塔城路这边窨井盖没了", X("城北路", "塔城路"))
    q(x, "城中路塔城路交叉口西南角共享单车堆成山", X("城中路", "塔城路", "西南"))
    q(x, "新成路城中路路口红绿灯坏了", X("新成路", "城中路"))
    q(x, "新成路博乐路路口有人乱倒垃圾", X("新成路", "博乐路"))
    q(x, "新成路博乐路交叉口东北角有违章搭建", X("新成路", "博乐路", "东北"))
    q(x, "清河路博乐路交叉口西南角窨井冒水", X("清河路", "博乐路", "西南"))
    q(x, "城北路清河路路口晚上有人摆摊烧烤", X("城北路", "清河路"))
    q(
        x,
        "城北路新成路路口往东50米人行道地砖翘起来了",
        X("城北路", "新成路", None, ("东", 50, "exact")),
    )
    q(x, "沪宜公路城中路路口有大货车违停", X("沪宜公路", "城中路"))
    q(x, "沪宜公路城中路交叉口东北角有人摆摊卖水果", X("沪宜公路", "城中路", "东北"))
    q(x, "沪宜公路嘉戬公路路口积水严重", X("沪宜公路", "嘉戬公路"))
    q(x, "沪宜公路嘉戬公路交叉口西南角堆了建筑垃圾", X("沪宜公路", "嘉戬公路", "西南"))
    q(x, "沪宜公路宝安公路交叉口东北角有人发小广告", X("沪宜公路", "宝安公路", "东北"))
    q(x, "城中路叶池弄口路灯坏了", X("城中路", "叶池弄"))
    q(x, "南大街城中路路口有人发小广告", X("南大街", "城中路"))
    q(x, "州桥那边东大街南大街路口东南角有黑车拉客", X("东大街", "南大街", "东南"))
    q(x, "西大街北大街路口垃圾桶满出来了", X("西大街", "北大街"))
    q(x, "梅园路城中路路口有人卖菜", X("梅园路", "城中路"))
    q(x, "梅园路城中路交叉口东北角有棵树倒了", X("梅园路", "城中路", "东北"))
    q(x, "清河路宝安公路路口有人乱停车", X("清河路", "宝安公路"))
    q(x, "清河路塔城路路口有人吵架", X("清河路", "塔城路"))
    q(x, "博乐路城中路路口有人卖假烟", X("博乐路", "城中路"))
    q(x, "宝安公路塔城路路口经常有渣土车闯红灯", X("宝安公路", "塔城路"))
    q(x, "宝安公路塔城路交叉口东北角人行道塌了", X("宝安公路", "塔城路", "东北"))
    q(x, "白银路嘉戬公路路口有人倒垃圾", X("白银路", "嘉戬公路"))
    q(
        x,
        "白银路大裕路路口往北100米有条死狗",
        X("白银路", "大裕路", None, ("北", 100, "exact")),
    )
    q(x, "嘉戬公路戬浜路路口有人晒稻谷占道", X("嘉戬公路", "戬浜路"))
    q(x, "大裕路戬浜路路口有人烧垃圾", X("大裕路", "戬浜路"))
    q(x, "古猗园路民主街路口有人占道经营", X("古猗园路", "民主街"))
    q(x, "古猗园路德华路路口坑坑洼洼", X("古猗园路", "德华路"))
    q(x, "古猗园路德华路交叉口西北角有人乱贴小广告", X("古猗园路", "德华路", "西北"))
    q(x, "沪宜公路民主街交叉口东北角有人焚烧垃圾", X("沪宜公路", "民主街", "东北"))
    q(
        x,
        "嘉戬公路古猗园路路口往西30米路面塌陷",
        X("嘉戬公路", "古猗园路", None, ("西", 30, "exact")),
    )
    q(x, "永乐路德华路路口有拖拉机漏油", X("永乐路", "德华路"))

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "嘉定孔庙往北200米有人乱停车", OFF(A("孔庙"), "北", 200))
    q(
        o,
        "孔庙往南一百多米路东人行道被占了",
        OFF(A("孔庙"), "南", 100, "more", ("南大街", "东")),
    )
    q(o, "汇龙潭往东走了三百来米，有人在河边钓鱼", OFF(A("汇龙潭"), "东", 300, "about"))
    q(o, "法华塔往西200米左右有人摆摊", OFF(A("法华塔"), "西", 200, "about"))
    q(o, "州桥往南100米有个窨井盖翘起来了", OFF(A("州桥"), "南", 100))
    q(
        o,
        "秋霞圃往东200米路南有人乱倒垃圾",
        OFF(A("秋霞圃"), "东", 200, side=("东大街", "南")),
    )
    q(o, "嘉定区中心医院往西300米左右有人占道", OFF(A("嘉定区中心医院"), "西", 300, "about"))
    q(
        o,
        "中心医院往东两百米路北有黑车",
        OFF(A("中心医院"), "东", 200, side=("城北路", "北")),
    )
    q(o, "嘉定北站往南200米有车子乱停", OFF(A("嘉定北站"), "南", 200))
    q(
        o,
        "嘉定北站往西走了三百来米路南有人设摊",
        OFF(A("嘉定北站"), "西", 300, "about", ("城北路", "南")),
    )
    q(o, "嘉定一中往东两百米有人焚烧树叶", OFF(A("嘉定一中"), "东", 200))
    q(o, "嘉定一中北面五十米路灯不亮", OFF(A("嘉定一中"), "北", 50))
    q(o, "嘉定一中往西500米有人焚烧垃圾", OFF(A("嘉定一中"), "西", 500))
    q(
        o,
        "迎园中学往西约200米路北有人占道卖菜",
        OFF(A("迎园中学"), "西", 200, "about", ("城北路", "北")),
    )
    q(o, "迎园中学朝东走一百多米有个大坑", OFF(A("迎园中学"), "东", 100, "more"))
    q(
        o,
        "清河路菜场往北两百米左右路西有人乱扔垃圾",
        OFF(A("清河路菜场"), "北", 200, "about", ("清河路", "西")),
    )
    q(o, "新成路派出所往北约500米有人违章搭建", OFF(A("新成路派出所"), "北", 500, "about"))
    q(
        o,
        "新成路派出所往南两百米左右马路对面有人摆摊",
        OFF(A("新成路派出所"), "南", 200, "about", ACROSS("新成路派出所", "新成路")),
    )
    q(
        o,
        "沪宜公路加油站往北200米路东有大货车违停",
        OFF(A("沪宜公路加油站"), "北", 200, side=("沪宜公路", "东")),
    )
    q(
        o,
        "沪宜公路加油站往北两百米马路对面护栏撞坏了",
        OFF(A("沪宜公路加油站"), "北", 200, side=ACROSS("沪宜公路加油站", "沪宜公路")),
    )
    q(o, "沪宜公路加油站往南1公里有人焚烧秸秆", OFF(A("沪宜公路加油站"), "南", 1000))
    q(o, "嘉定镇派出所往东300米路面破损", OFF(A("嘉定镇派出所"), "东", 300))
    q(o, "实验小学朝东走一百多米有人卖小吃", OFF(A("实验小学"), "东", 100, "more"))
    q(o, "城中路菜场往东500米有人偷倒渣土", OFF(A("城中路菜场"), "东", 500))
    q(o, "马陆站往东走了四百来米有人烧秸秆", OFF(A("马陆站"), "东", 400, "about"))
    q(o, "马陆小学往西500米有人私搭棚子", OFF(A("马陆小学"), "西", 500))
    q(o, "农商银行马陆支行往南约300米有人倒垃圾", OFF(A("农商银行马陆支行"), "南", 300, "about"))
    q(o, "大裕村村委会往北300米有人私挖鱼塘", OFF(A("大裕村村委会"), "北", 300))
    q(o, "戬浜村村委会往东两百米左右河道里有死鱼", OFF(A("戬浜村村委会"), "东", 200, "about"))
    q(
        o,
        "古猗园往南两百米左右路东有人占道",
        OFF(A("古猗园"), "南", 200, "about", ("古猗园路", "东")),
    )
    q(o, "古猗园往北300米有人发传单", OFF(A("古猗园"), "北", 300))
    q(o, "南翔中学往南300米有人焚烧垃圾", OFF(A("南翔中学"), "南", 300))
    q(o, "南翔医院往西一百多米有人乱停车", OFF(A("南翔医院"), "西", 100, "more"))
    q(
        o,
        "城中路塔城路路口往北200米路东有人占道施工",
        OFF(XO("城中路", "塔城路"), "北", 200, side=("塔城路", "东")),
    )
    q(
        o,
        "古猗园路民主街路口往东约400米路南，垃圾没人收",
        OFF(XO("古猗园路", "民主街"), "东", 400, "about", ("民主街", "南")),
    )
    q(o, "嘉定区妇幼保健院往北200米有人占道", OFF(("none",), "北", 200))
    q(o, "马陆镇敬老院往东100米有积水", OFF(("none",), "东", 100))

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "嘉定孔庙门口有人乱发小广告", NEAR("孔庙"))
    q(n, "汇龙潭旁边有人钓鱼", NEAR("汇龙潭"))
    q(n, "法华塔附近有人放风筝挂到电线上了", NEAR("法华塔"))
    q(n, "秋霞圃对面有人占道摆摊", NEAR("秋霞圃"))
    q(n, "州桥附近有黑车拉客", NEAR("州桥"))
    q(n, "嘉定区中心医院门口有黄牛", NEAR("嘉定区中心医院"))
    q(n, "中医医院门口车子乱停", NEAR("中医医院"))
    q(n, "嘉定北站旁边黑车揽客", NEAR("嘉定北站"))
    q(n, "嘉定镇派出所对面有人烧纸", NEAR("嘉定镇派出所"))
    q(n, "沪宜公路加油站隔壁有人卖散装汽油", NEAR("沪宜公路加油站"))
    q(n, "清河路菜场门口地上全是烂菜叶", NEAR("清河路菜场"))
    q(n, "城中路菜场附近有人杀活禽", NEAR("城中路菜场"))
    q(n, "州桥居委会门口垃圾没人清", NEAR("州桥居委会"))
    q(n, "清河居委会旁边有人装修扰民", NEAR("清河居委会"))
    q(n, "桃园新村附近晚上跳广场舞太吵", NEAR_COMPOUND("桃园新村"))
    q(n, "城北花苑附近有人偷倒建筑垃圾", NEAR_COMPOUND("城北花苑"))
    q(n, "古猗园门口有人拉客", NEAR("古猗园"))
    q(n, "南翔菜场旁边下水道堵了", NEAR("南翔菜场"))
    q(n, "邮储南翔支行门口共享单车堆放", NEAR("邮储南翔支行"))
    q(n, "宝安公路加油站附近有人乱倒渣土", NEAR("宝安公路加油站"))
    q(n, "大裕村村委会附近有人烧秸秆", NEAR("大裕村村委会"))
    q(n, "永乐村村委会对面的路灯不亮", NEAR("永乐村村委会"))
    q(n, "马陆站附近有人发小广告", NEAR("马陆站"))
    q(n, "嘉戬公路加油站旁边有人洗车污水横流", NEAR("嘉戬公路加油站"))
    absent("嘉定区妇幼保健院")
    absent("南翔镇敬老院")
    q(n, "嘉定区妇幼保健院门口乱停车", ("near", []))
    q(n, "南翔镇敬老院附近有人烧垃圾", ("near", []))

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    absent("银杏弄")
    absent("小桥弄")
    for text, lane in [
        ("叶池弄里路灯坏了好几天", "叶池弄"),
        ("来电人反映仓桥弄里电线乱拉", "仓桥弄"),
        ("药局弄有人养鸽子扰民", "药局弄"),
        ("钱家弄下水道堵了", "钱家弄"),
        ("香花弄路面坑坑洼洼", "香花弄"),
        ("柳条弄有人半夜装修", "柳条弄"),
        ("石皮弄化粪池满了往外冒", "石皮弄"),
        ("唐家弄垃圾几天没人收", "唐家弄"),
        ("城中路123弄里面有群租", "城中路123弄"),
        ("城中路291弄弄堂里堆满杂物", "城中路291弄"),
        ("塔城路268弄3支弄有人乱搭电线", "塔城路268弄3支弄"),
        ("清河路99弄有人占用消防通道", "清河路99弄"),
        ("城中路123弄3支弄有人乱接电线", "城中路123弄3支弄"),
        ("银杏弄路灯不亮", "银杏弄"),
        ("市民称小桥弄有人半夜施工", "小桥弄"),
    ]:
        q(la, text, LANE(lane))

    # --- group (村民小组 or 宅 named with its village) ------------------------------------
    g = "group"
    q(g, "马陆镇大裕村3组有人焚烧秸秆", ZU("大裕村", 3, "马陆镇"))
    q(g, "大裕村五组有人在河边烧垃圾", ZU("大裕村", 5))
    q(g, "大裕村第一村民小组有人违章搭建", ZU("大裕村", 1))
    q(g, "嘉定区马陆镇大裕村6组自来水停了", ZU("大裕村", 6, "马陆镇"))
    q(g, "大裕村2组路灯不亮", ZU("大裕村", 2))
    q(g, "大裕村第4村民小组有人私挖鱼塘", ZU("大裕村", 4))
    q(g, "马陆大裕村三组有人养狗不拴", ZU("大裕村", 3, "马陆镇"))
    q(g, "戬浜村沈家宅有人私搭乱建", ZHAI("戬浜村", "沈家宅"))
    q(g, "马陆镇戬浜村东宅垃圾没人收", ZHAI("戬浜村", "东宅", "马陆镇"))
    q(g, "戬浜村西宅河道里有死鱼", ZHAI("戬浜村", "西宅"))
    q(g, "戬浜村钱家宅有人电鱼", ZHAI("戬浜村", "钱家宅"))
    q(g, "戬浜村陆家宅有人烧垃圾", ZHAI("戬浜村", "陆家宅"))
    q(g, "戬浜村张家宅有人私拉电线", ZHAI("戬浜村", "张家宅"))
    q(g, "大裕村9组有人焚烧秸秆", ZU("大裕村", 9))
    q(g, "南翔镇大裕村2组有人违建", ZU("大裕村", 2, "南翔镇"))
    q(g, "大裕村东宅有人乱倒垃圾", ZHAI("大裕村", "东宅"))
    q(g, "永乐村3组狗咬人", ZU("永乐村", 3))

    # --- village (a 行政村 named alone, or with its 镇) ------------------------------------
    v = "village"
    q(v, "永乐村有人烧秸秆，烟很大", VIL("永乐村"))
    q(v, "南翔镇永乐村路灯不亮", VIL("永乐村", "南翔镇"))
    q(v, "红翔村有人电鱼", VIL("红翔村"))
    q(v, "南翔镇红翔村自来水发黄", VIL("红翔村", "南翔镇"))
    q(v, "马陆镇新华村有人私拉电线", VIL("新华村", "马陆镇"))
    q(v, "南翔新华村路面塌陷", VIL("新华村", "南翔镇"))
    q(v, "嘉定区南翔镇新华村有人占用耕地建房", VIL("新华村", "南翔镇"))
    q(v, "马陆新华村狗咬人", VIL("新华村", "马陆镇"))
    q(v, "新华村有人养鸡扰民", VIL("新华村"))
    q(v, "大裕村垃圾堆放", VIL("大裕村"))
    q(v, "马陆镇大裕村有人私建猪棚", VIL("大裕村", "马陆镇"))
    q(v, "戬浜村有人砍树", VIL("戬浜村"))
    q(v, "马陆镇永乐村有人违建", VIL("永乐村", "马陆镇"))
    q(v, "南翔镇戬浜村有人焚烧垃圾", VIL("戬浜村", "南翔镇"))
    q(v, "永丰村有人烧荒", VIL("永丰村"))

    # --- other_county (Shanghai's other districts and 江苏's cities in front) ------------
    oc = "other_county"
    dd = fb("东大街", 1200, "R", 5)
    for text, code in [
        ("宝山区城中路123弄45号", None),
        ("上海市青浦区马陆镇大裕村3组15号", None),
        ("普陀区塔城路268弄3支弄5号", None),
        ("江苏省昆山市南翔镇永乐村1028号", None),
        ("太仓市城北路888弄3号", None),
        ("上海市闵行区清河路99弄12号", None),
        (f"静安区东大街{no(dd)}号", None),
        ("上海市嘉定区城中路123弄45号", NG("城中路", 123, 45)),
        ("嘉定区马陆镇大裕村3组15号", H("DY", 3, 15)),
        ("上海市嘉定区塔城路268弄3支弄5号", NG("塔城路", 268, 5, 3)),
        ("上海嘉定南翔镇永乐村1028号", H("YL", 0, 1028)),
        ("嘉定区城北路888弄3号", NG("城北路", 888, 3)),
        ("上海市嘉定区清河路99弄12号", NG("清河路", 99, 12)),
        (f"上海市嘉定区东大街{no(dd)}号", dd["code"]),
    ]:
        q(oc, text, BLD(code))

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    hy, bl = fb("沪宜公路", 1900, "L"), fb("博乐路", 1500, "R")
    kong = BY_CODE[code_of_alias("孔庙")]
    absent("城中路123弄99号")
    absent("大裕村3组30号")
    absent("塔城路268弄5支弄9号")
    for text, code in [
        ("No. 45, Lane 123, Chengzhong Road, Jiading District, Shanghai", NG("城中路", 123, 45)),
        (
            "Room 601, No. 8, Lane 123, Chengzhong Road, Jiading District, Shanghai",
            NG("城中路", 123, 8),
        ),
        ("No. 5, Alley 3, Lane 268, Tacheng Road, Jiading District", NG("塔城路", 268, 5, 3)),
        ("No. 12, Lane 99, Qinghe Road, Jiading District, Shanghai", NG("清河路", 99, 12)),
        ("Building 3, Lane 888, Chengbei Road, Jiading District", NG("城北路", 888, 3)),
        (
            "No. 15, Group 3, Dayu Village, Malu Town, Jiading District, Shanghai",
            H("DY", 3, 15),
        ),
        ("No. 1028, Yongle Village, Nanxiang Town, Jiading District", H("YL", 0, 1028)),
        ("No. 12, Shenjiazhai, Jianbang Village, Malu Town, Jiading", H("JB", "沈家宅", 12)),
        (f"No. {no(hy)}, Huyi Highway, Jiading District, Shanghai", hy["code"]),
        (f"No. {no(bl)} Bole Road, Jiading, Shanghai", bl["code"]),
        (f"No. {no(kong)}, Nandajie, Jiading District, Shanghai", kong["code"]),
        ("45号，123弄，城中路，嘉定区，上海市", NG("城中路", 123, 45)),
        ("5号，3支弄，268弄，塔城路，嘉定区", NG("塔城路", 268, 5, 3)),
        ("15号，3组，大裕村，马陆镇，嘉定区", H("DY", 3, 15)),
        ("8号，柳条弄，上海市嘉定区", "JDLTN8"),
        ("No. 99, Lane 123, Chengzhong Road, Jiading District", None),
        ("No. 30, Group 3, Dayu Village, Malu Town, Jiading District", None),
        ("No. 9, Alley 5, Lane 268, Tacheng Road, Jiading", None),
    ]:
        q(e, text, BLD(code))
    q(e, "Lane 268, Tacheng Road, Jiading District", LANE("塔城路268弄"))

    # --- building ----------------------------------------------------------------------
    bq = "building"
    hy2, bl2 = fb("沪宜公路", 2800, "L"), fb("博乐路", 300, "L")
    gy, jj = fb("古猗园路", 400, "R", 5), fb("嘉戬公路", 300, "L", 5)
    for miss in [
        "城中路123弄99号",
        "塔城路268弄5支弄3号",
        "城北路9999号",
        "永乐村9999号",
        "城中路125弄3号",
        "叶池弄50号",
    ]:
        absent(miss)
    for miss in ["大裕村3组99号", "戬浜村沈家宅99号", "桃园新村30号", "城北花苑15号楼"]:
        absent(miss)
    for text, code in [
        ("嘉定区城中路123弄45号", NG("城中路", 123, 45)),
        ("嘉定城中路123弄8号601室", NG("城中路", 123, 8)),
        ("塔城路268弄3支弄5号", NG("塔城路", 268, 5, 3)),
        ("清河路99弄桃园新村12号", NG("清河路", 99, 12)),
        ("桃园新村7号", NG("清河路", 99, 7)),
        ("桃园新村3号楼", NG("清河路", 99, 3)),
        ("城北花苑3号楼", NG("城北路", 888, 3)),
        ("城北路888弄5号502室", NG("城北路", 888, 5)),
        ("嘉定孔庙", code_of_alias("孔庙")),
        ("嘉定区中心医院", code_of_alias("嘉定区中心医院")),
        ("古猗园", code_of_alias("古猗园")),
        ("嘉定区马陆镇大裕村5组10号", H("DY", 5, 10)),
        ("马陆镇戬浜村沈家宅12号", H("JB", "沈家宅", 12)),
        ("南翔镇永乐村1028号", H("YL", 0, 1028)),
        ("成中路123弄45号", NG("城中路", 123, 45)),
        ("嘉定区塔程路268弄12号", NG("塔城路", 268, 12)),
        ("青河路99弄5号", NG("清河路", 99, 5)),
        (f"沪仪公路{no(hy2)}号", hy2["code"]),
        (f"博勒路{no(bl2)}号", bl2["code"]),
        (f"古漪园路{no(gy)}号", gy["code"]),
        (f"嘉定区嘉剪公路{no(jj)}号", jj["code"]),
        ("城中路123弄99号", None),
        ("塔城路268弄5支弄3号", None),
        ("桃园新村30号", None),
        ("城北花苑15号楼", None),
        ("嘉定区马陆镇大裕村3组99号", None),
        ("戬浜村沈家宅99号", None),
        ("南翔镇永乐村9999号", None),
        ("上海市嘉定区城北路9999号", None),
        ("城中路125弄3号", None),
        ("叶池弄50号", None),
    ]:
        q(bq, text, BLD(code))
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[dict]:
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
    rows = []
    regions = []
    seen = set()
    for kind, text, spec in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        rows.append({"query": text, "expected": expected, "micro_grid": micro, "kind": kind})
        regions.append(None if spec[0] == "bld" or micro is None else place_region(spec))
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [{**r, "region": g} for r, g in zip(rows, regions, strict=True)]


# ---------------------------------------------------------------- checking the files
def to_metres(coords):
    return (coords - [LON0, LAT0]) * [KX, KY]


def check(rows: list[dict]) -> None:
    """Read the written files back and check every truth against them, not against memory."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    codes = {f["properties"]["code"]: f for f in grids["features"]}
    for c, f in codes.items():
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{c}: parent {parent} missing")
    micros = {
        c: shape(f["geometry"]) for c, f in codes.items() if f["properties"]["level"] == "micro"
    }
    # the written micro-grids back in metres; 0.05 m covers the 7-decimal rounding
    held = {c: shapely.transform(poly, to_metres).buffer(0.05) for c, poly in micros.items()}
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        built = {r["code"]: r for r in csv.DictReader(fh)}
    for r in built.values():
        p = Point(float(r["lon"]), float(r["lat"]))
        hits = [c for c, poly in micros.items() if poly.contains(p)]
        if hits != [r["micro_grid_code"]]:
            raise SystemExit(f"{r['code']}: stated {r['micro_grid_code']}, lies in {hits}")
    text = (HERE / "queries.jsonl").read_text(encoding="utf-8")
    back = [json.loads(line) for line in text.splitlines()]
    if len(back) != len(rows):
        raise SystemExit("queries.jsonl does not read back")
    for q, row in zip(back, rows, strict=True):
        if q["query"] != row["query"] or q["micro_grid"] != row["micro_grid"]:
            raise SystemExit(f"{q['query']}: read back differently")
        if q["micro_grid"] is None:
            if q["expected"] is not None:
                raise SystemExit(f"{q['query']}: a building without a micro-grid")
            continue
        if q["micro_grid"] not in micros:
            raise SystemExit(f"{q['query']}: no micro-grid {q['micro_grid']}")
        if q["expected"] is not None:
            b = built.get(q["expected"])
            if b is None or b["micro_grid_code"] != q["micro_grid"]:
                raise SystemExit(f"{q['query']}: {q['expected']} not in {q['micro_grid']}")
            continue
        holders = [c for c, poly in held.items() if poly.contains(row["region"])]
        if holders != [q["micro_grid"]]:
            raise SystemExit(f"{q['query']}: region lies in {holders}")
    stats: Counter = Counter((q["kind"], q["micro_grid"] is not None) for q in back)
    for k in sorted({k for k, _ in stats}):
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    refuse = sum(v for (_k, pos), v in stats.items() if not pos)
    print(
        f"buildings {len(built)}, micro-grids {len(micros)}, roads {len(ROADS)}, "
        f"queries {len(back)}, refuse {refuse} ({100 * refuse / len(back):.0f} %)"
    )


if __name__ == "__main__":
    check(write_all())
