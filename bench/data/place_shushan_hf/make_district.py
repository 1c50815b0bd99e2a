"""Write the place-description evaluation district: 安徽省合肥市蜀山区.

    python bench/data/place_shushan_hf/make_district.py

One grid tree in two parts: an urban core (six 街道 with roads, lanes, 小区 and a river with two
bridges on record) and a peri-urban west (井岗镇, 南岗镇, with 行政村 whose houses are written by
组 — `蜀山区井岗镇藕塘村3组15号`, `蜀山区井岗镇东岗村三组7号` — or numbered across the village —
`蜀山区南岗镇柏堰村46号`). The 街道 / 镇 and the road names are 蜀山区's; the communities,
villages, lanes, door numbers, landmarks' positions and all geometry are ours: a layout in metres
over a 6.4 km x 3 km box, turned into WGS-84 with its south-west corner at 117.20 E, 31.83 N.

The truth of every query is computed here from this geometry with shapely (see README.md for
the rules); nothing is decided by hand but which place each sentence means. Each query also
carries the outcome its author meant (positive or refused); the script stops when the computed
truth disagrees, and it reads the written files back and checks them.

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
LON0, LAT0 = 117.2000, 31.8300  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


def xy(lon: float, lat: float) -> tuple[float, float]:
    return (lon - LON0) * KX, (lat - LAT0) * KY


# ---------------------------------------------------------------- grid tree
DISTRICT = ("340104", "蜀山区")
W, S, E, N = 0.0, 0.0, 6400.0, 3000.0
DISTRICT_AREA = box(W, S, E, N)
CN = "零一二三四五六七八九"

# urban 街道: code, name, box, communities (name, short name); one community each
STREETS = [
    ("340104006", "笔架山街道", (2800, 1500, 4000, 3000), [("翠竹社区", "翠竹")]),
    ("340104002", "稻香村街道", (4000, 1500, 5200, 3000), [("稻香社区", "稻香")]),
    ("340104003", "琥珀街道", (5200, 1500, 6400, 3000), [("杏林社区", "杏林")]),
    ("340104005", "五里墩街道", (2800, 0, 4000, 1500), [("桂园社区", "桂园")]),
    ("340104001", "三里庵街道", (4000, 0, 5200, 1500), [("庵南社区", "庵南")]),
    ("340104004", "西园街道", (5200, 0, 6400, 1500), [("银杏社区", "银杏")]),
]

# peri-urban 镇: code, name, box, villages (name, key, micro-grid naming style)
# "zu_ar" / "zu_cn": six micro-grids named after the 组 (`藕塘村3组`, `桃园村三组`);
# "plain": six plain micro-grids; "small": a village numbered across, two micro-grids.
RURAL = [
    (
        "340104100",
        "井岗镇",
        (0, 1500, 2800, 3000),
        [("藕塘村", "OT", "zu_ar"), ("东岗村", "DG", "plain"), ("大郢村", "DYJ", "small")],
    ),
    (
        "340104101",
        "南岗镇",
        (0, 0, 2800, 1500),
        [
            ("桃园村", "TY", "zu_cn"),
            ("大郢村", "DYN", "small"),
            ("柏堰村", "BY", "small"),
            ("王岗村", "WG", "small"),
            ("朱岗村", "ZG", "small"),
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


def micro_named(name: str) -> str:
    hits = [c for c, n in MICRO_NAMES.items() if n == name]
    if len(hits) != 1:
        raise SystemExit(f"micro-grid {name}: {hits}")
    return hits[0]


# ---------------------------------------------------------------- roads
ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    # district edges: north, south (urban part), east
    ("长江西路", "arterial", [(0, 3000), (6400, 3000)]),
    ("望江西路", "arterial", [(2800, 0), (6400, 0)]),
    ("金寨路", "arterial", [(6400, 0), (6400, 3000)]),
    # borders
    ("黄山路", "arterial", [(0, 1500), (6400, 1500)]),
    ("科学大道", "arterial", [(2800, 0), (2800, 3000)]),
    ("潜山路", "arterial", [(4000, 0), (4000, 3000)]),
    ("合作化路", "arterial", [(5200, 0), (5200, 3000)]),
    ("玉兰大道", "arterial", [(1200, 0), (1200, 3000)]),
    # through micro-grids
    ("肥西路", "secondary", [(5800, 0), (5800, 2950)]),
    ("湖光路", "secondary", [(3400, 0), (3400, 3000)]),
    ("绩溪路", "secondary", [(4600, 0), (4600, 3000)]),
    ("青阳路", "secondary", [(2800, 2600), (5200, 2600)]),
    ("清溪路", "secondary", [(2800, 2000), (4000, 2000)]),
    ("霍山路", "secondary", [(4000, 1900), (6400, 1900)]),
    ("史河路", "secondary", [(2800, 1100), (6400, 1100)]),
    ("淠河路", "secondary", [(2800, 400), (3900, 400)]),
    ("西园路", "secondary", [(6150, 100), (6150, 1500)]),
    ("环城路", "branch", [(5300, 2050), (5300, 1750), (5500, 1750), (5500, 2050)]),
    # lanes in the road file
    ("杏花巷", "branch", [(3100, 2400), (3300, 2400)]),
    ("桂花巷", "branch", [(4100, 2300), (4350, 2300)]),
    ("板桥巷", "branch", [(5300, 600), (5550, 600)]),
    ("西园巷", "branch", [(6300, 300), (6300, 600)]),
    # the peri-urban west
    ("井岗路", "secondary", [(0, 2500), (2800, 2500)]),
    ("南岗路", "secondary", [(0, 1000), (2800, 1000)]),
    ("藕塘路", "branch", [(700, 1600), (700, 2900)]),
    ("东岗路", "branch", [(1800, 1500), (1800, 2400)]),
    ("桃园路", "branch", [(300, 150), (300, 600), (1000, 600)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# 十五里河: in no file; known to the set only through the two bridges on record
RIVER = LineString([(2800, 250), (4900, 250), (5000, 0)])

# ---------------------------------------------------------------- buildings
CITY = "蜀山区"
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}
CODE_KEY = {
    "长江西路": "CJXL",
    "望江西路": "WJXL",
    "金寨路": "JZL",
    "黄山路": "HSL",
    "科学大道": "KXDD",
    "潜山路": "QSL",
    "合作化路": "HZHL",
    "玉兰大道": "YLDD",
    "肥西路": "FXL",
    "湖光路": "HGL",
    "绩溪路": "JXL",
    "青阳路": "QYL",
    "清溪路": "QXL",
    "霍山路": "HOSL",
    "史河路": "SHL",
    "淠河路": "PHL",
    "西园路": "XYL",
    "环城路": "HCL",
    "杏花巷": "XHX",
    "桂花巷": "GHX",
    "板桥巷": "BQX",
    "西园巷": "XYX",
    "井岗路": "JGL",
    "南岗路": "NGL",
    "双井巷": "SJX",
    "荷花巷": "HHX",
    "竹竿巷": "ZGX",
    "柳树巷": "LSX",
    "马家巷": "MJX",
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
        add(f"SS{CODE_KEY[road]}{n}", f"{prefix}{road}{n}号", x, y, aliases, road=road, n=n)


def fb(road, s, side, step=20.0):
    return BY_CODE[f"SS{CODE_KEY[road]}{door(s, side, step)}"]


def lane_houses(lane: str, points):
    """Houses of a lane known only through addresses: (number, x, y)."""
    for n, x, y in points:
        add(f"SS{CODE_KEY[lane]}{n}", f"{CITY}{lane}{n}号", x, y, road=lane, n=n)


def compound(address: str, name: str, code: str, spots):
    for k, (x, y) in enumerate(spots, start=1):
        add(f"{code}B{k}", f"{CITY}{address}院{k}号楼", x, y, [f"{name}{k}号楼"], compound=name)


TOWN_OF = {
    "OT": "井岗镇",
    "DG": "井岗镇",
    "DYJ": "井岗镇",
    "TY": "南岗镇",
    "DYN": "南岗镇",
    "BY": "南岗镇",
    "WG": "南岗镇",
    "ZG": "南岗镇",
}
VILLAGE_OF = {
    "OT": "藕塘村",
    "DG": "东岗村",
    "DYJ": "大郢村",
    "TY": "桃园村",
    "DYN": "大郢村",
    "BY": "柏堰村",
    "WG": "王岗村",
    "ZG": "朱岗村",
}
ZU_STYLE = {"OT": "ar", "DG": "cn", "TY": "ar"}
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
            f"SS{key}{zu or 0:02d}{n:03d}",
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


def bridge(road: str, code: str, aliases) -> None:
    p = ROAD[road].intersection(RIVER)
    if not isinstance(p, Point):
        raise SystemExit(f"{road} does not cross the river once")
    add(code, f"{CITY}{road}十五里河桥", p.x, p.y, aliases, bridge=road)


def build_buildings() -> None:
    # district edges: doors on the inner side only
    frontage(
        "长江西路",
        [
            (500, "R", []),
            (1900, "R", []),
            (3100, "R", []),
            (3700, "R", ["之心城", "之心城购物中心"]),
            (4450, "R", ["中石化长江西路加油站", "长江西路加油站"]),
            (4900, "R", ["稻香楼宾馆", "稻香楼"]),
            (5500, "R", []),
        ],
    )
    frontage(
        "望江西路",
        [
            (300, "L", []),
            (1000, "L", ["望江西路加油站"]),
            (1900, "L", ["徽商银行望江西路支行"]),
            (3300, "L", []),
        ],
    )
    frontage("金寨路", [(500, "L", []), (2500, "L", [])])
    # borders: doors on both sides
    frontage(
        "黄山路",
        [
            (300, "L", []),
            (900, "R", ["南岗派出所"]),
            (2100, "L", ["井岗派出所"]),
            (2500, "R", []),
            (3000, "L", ["合家福超市黄山路店", "黄山路合家福"]),
            (3300, "R", ["五里墩派出所"]),
            (4300, "L", ["稻香村街道办事处"]),
            (4700, "R", ["工商银行黄山路支行", "工行黄山路支行"]),
            (5500, "L", ["琥珀派出所"]),
            (6150, "L", ["琥珀山庄南门"]),
            (6300, "R", []),
        ],
    )
    frontage(
        "科学大道",
        [
            (300, "R", ["五里墩街道办事处"]),
            (1300, "L", []),
            (2200, "R", ["合肥五十中西校", "五十中西校"]),
            (2700, "L", []),
        ],
    )
    frontage(
        "潜山路",
        [
            (200, "L", []),
            (700, "R", ["三里庵国购广场", "国购广场", "三里庵国购"]),
            (1250, "L", []),
            (1700, "R", ["中国银行潜山路支行", "中行潜山路支行"]),
            (2400, "L", ["笔架山街道办事处"]),
            (2850, "R", ["百盛购物中心", "三里庵百盛", "百盛"]),
        ],
    )
    frontage(
        "合作化路",
        [
            (300, "R", []),
            (900, "L", ["三里庵派出所"]),
            (2100, "L", ["合肥科技农商银行稻香村支行", "科技农商行稻香村支行"]),
            (2700, "R", []),
        ],
    )
    frontage("玉兰大道", [(600, "R", []), (2300, "L", [])])
    # through micro-grids
    frontage(
        "肥西路",
        [
            (200, "L", []),
            (1000, "R", ["安徽大学", "安大", "安徽大学老校区", "安大老校区"]),
            (1300, "L", []),
            (2300, "R", []),
            (2700, "L", []),
        ],
    )
    frontage(
        "湖光路",
        [
            (550, "L", ["五里墩社区卫生服务中心"]),
            (1300, "R", []),
            (1700, "L", ["金色池塘东门", "金色池塘"]),
            (2700, "R", []),
        ],
    )
    frontage(
        "绩溪路",
        [
            (600, "R", ["安徽医科大学第一附属医院", "安医大一附院", "安医一附院", "医大一附院"]),
            (1300, "L", ["庵南社区服务中心"]),
            (2100, "L", ["合肥市第四十五中学", "四十五中"]),
            (2500, "R", ["稻香社区服务中心"]),
        ],
    )
    frontage(
        "青阳路",
        [
            (300, "L", []),
            (900, "R", ["翠竹社区服务中心"]),
            (1500, "L", ["稻香村派出所"]),
            (2200, "R", []),
        ],
    )
    frontage("清溪路", [(200, "R", ["清溪路菜市场"]), (900, "L", [])])
    frontage(
        "霍山路",
        [
            (300, "L", ["建设银行霍山路支行", "建行霍山路支行"]),
            (1000, "R", []),
            (1700, "L", ["杏林社区服务中心"]),
            (2150, "R", ["琥珀山庄北门", "琥珀山庄"]),
        ],
    )
    frontage(
        "史河路",
        [
            (250, "L", ["桂园社区服务中心"]),
            (900, "R", ["合家福超市史河路店", "史河路合家福"]),
            (1500, "L", []),
            (2100, "R", ["徽商银行史河路支行"]),
            (2700, "L", []),
            (3450, "R", ["西园新村北门"]),
        ],
    )
    frontage("淠河路", [(300, "L", []), (850, "R", [])])
    frontage(
        "西园路",
        [
            (500, "R", ["西园派出所"]),
            (800, "R", ["西园新村西门", "西园新村"]),
            (1200, "L", ["西园新村小学"]),
            (1300, "R", ["西园街道办事处"]),
        ],
    )
    frontage("环城路", [(400, "L", ["环城路菜市场"])])
    # lanes of the road file
    frontage("杏花巷", [(40, "L", []), (160, "R", [])], step=10)
    frontage("桂花巷", [(50, "L", []), (200, "R", [])], step=10)
    frontage("板桥巷", [(40, "R", []), (180, "L", [])], step=10)
    frontage("西园巷", [(60, "L", []), (220, "R", [])], step=10)
    # lanes in no road file; 马家巷's houses stand on both sides of 合作化路
    lane_houses("双井巷", [(2, 3700, 850), (5, 3712, 900), (9, 3700, 950)])
    lane_houses("荷花巷", [(3, 4900, 2700), (8, 4912, 2750), (12, 4900, 2800)])
    lane_houses("竹竿巷", [(4, 5400, 1300), (7, 5450, 1312)])
    lane_houses("柳树巷", [(1, 3000, 600), (6, 3012, 650), (10, 3000, 700)])
    lane_houses("马家巷", [(2, 5170, 2400), (5, 5230, 2400), (8, 5240, 2460)])
    # the two bridges on record
    bridge("湖光路", "SSHGLQ", ["湖光路十五里河桥", "湖光路桥"])
    bridge("绩溪路", "SSJXLQ", ["绩溪路十五里河桥", "绩溪路桥"])
    # 小区: a door with the 小区's name and gate, and its 号楼
    compound(
        f"霍山路{door(2150, 'R')}号",
        "琥珀山庄",
        "SSHPSZ",
        [(6080, 1650), (6160, 1650), (6240, 1650), (6080, 1730), (6160, 1730), (6240, 1730)],
    )
    compound(
        f"西园路{door(800, 'R')}号",
        "西园新村",
        "SSXYXC",
        [(6230, 850), (6310, 850), (6230, 930), (6310, 930)],
    )
    compound(
        f"湖光路{door(1700, 'L')}号",
        "金色池塘",
        "SSJSCT",
        [(3270, 1620), (3330, 1620), (3270, 1690)],
    )
    # the peri-urban main roads
    frontage(
        "井岗路",
        [
            (300, "L", ["井岗镇卫生院"]),
            (1000, "R", []),
            (1400, "L", ["大蜀山森林公园", "大蜀山", "蜀山森林公园"]),
            (2200, "R", ["合肥植物园", "植物园"]),
            (2600, "L", ["邮政储蓄银行井岗支行", "邮储井岗支行"]),
        ],
        prefix=CITY + "井岗镇",
    )
    frontage(
        "南岗路",
        [
            (500, "R", ["南岗镇卫生院"]),
            (1000, "L", ["合家福超市南岗店", "南岗合家福"]),
            (1700, "R", []),
            (2200, "L", ["南岗路加油站"]),
            (2600, "R", []),
        ],
        prefix=CITY + "南岗镇",
    )
    c = micro_centre
    # 井岗镇: 藕塘村 (1组 … 6组, micro-grids named after them, houses `3组`)
    for zu, nums in [
        (1, [3, 8, 12]),
        (2, [4, 7, 11]),
        (3, [6, 9, 15, 21]),
        (4, [2, 5, 10]),
        (5, [1, 6, 13]),
        (6, [3, 8]),
    ]:
        al = {7: ["藕塘村委会", "藕塘村村委会"]} if zu == 2 else None
        rural_houses("OT", zu, c("OT", zu), nums, al)
    # 东岗村 (plain micro-grids, houses `三组`; 三组 lies across two)
    rural_houses("DG", 1, c("DG", 1), [2, 6, 9])
    rural_houses("DG", 2, c("DG", 2), [1, 5, 12])
    rural_houses("DG", 3, (2000, 1900), [3, 7, 14])
    rural_houses("DG", 4, c("DG", 4), [4, 8, 16], {8: ["东岗村委会"]})
    rural_houses("DG", 5, c("DG", 5), [2, 10])
    rural_houses("DG", 6, c("DG", 6), [5, 11, 17])
    # 南岗镇: 桃园村 (一组 … 六组, micro-grids named after them, houses written `3组`)
    for zu, nums in [
        (1, [4, 9]),
        (2, [1, 7, 12]),
        (3, [3, 8, 15]),
        (4, [2, 6, 11]),
        (5, [5, 9, 13]),
        (6, [4, 10]),
    ]:
        al = {9: ["桃园村委会", "桃园村村委会"]} if zu == 5 else None
        rural_houses("TY", zu, c("TY", zu), nums, al)
    # villages numbered across, their houses in one of their two micro-grids
    rural_houses("DYJ", None, (2600, 2700), [8, 26, 58, 91])
    rural_houses("DYN", None, (1400, 400), [5, 33, 58, 120])
    rural_houses("BY", None, (1800, 1250), [7, 19, 46, 88, 132], {19: ["柏堰村委会"]})
    rural_houses("WG", None, (2200, 350), [3, 21, 64, 105], {21: ["王岗村委会"]})
    rural_houses("ZG", None, (2600, 1250), [11, 37, 72], {37: ["朱岗村卫生室"]})


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
R_NEAR = 50.0  # 旁边 / 隔壁 / 对面 / 对过 / 门口 / 附近 / 周边: every point within 50 m
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


def tolerance(dist, how: str) -> tuple[float, float]:
    if how == "range":  # 两三百米: the band is given
        return float(dist[0]), float(dist[1])
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


def pt(code: str) -> Point:
    return Point(BY_CODE[code]["x"], BY_CODE[code]["y"])


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
                min(o.x + sx, o.x + sx * R_CROSS),
                min(o.y + sy, o.y + sy * R_CROSS),
                max(o.x + sx, o.x + sx * R_CROSS),
                max(o.y + sy, o.y + sy * R_CROSS),
            )
            return quad.intersection(o.buffer(R_CROSS))
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
    if kind == "near":  # ("near", [building codes], radius)
        if not spec[1]:
            return None
        return unary_union([pt(c).buffer(spec[2]) for c in spec[1]])
    if kind == "lane":  # its line without 10 m at each end, and its houses
        name = spec[1]
        parts = []
        if name in ROAD:
            line = ROAD[name]
            parts.append(substring(line, 10, line.length - 10))
        parts += [Point(b["x"], b["y"]) for b in houses(road=name)]
        return unary_union(parts) if parts else None
    if kind == "mouth":  # ("mouth", lane, both ends?, radius)
        _, name, both, radius = spec
        if name not in ROAD:
            return None
        cs = list(ROAD[name].coords)
        ends = [cs[0], cs[-1]] if both else [cs[0]]
        return unary_union([Point(p).buffer(radius) for p in ends])
    if kind == "zu":  # ("zu", town or None, village, number, radius)
        hs = houses(town=spec[1], village=spec[2], zu=spec[3])
        if not hs:
            return None
        region = MultiPoint([(b["x"], b["y"]) for b in hs])
        return region.buffer(spec[4]) if spec[4] else region
    if kind == "nowhere":  # ("nowhere", why): a place not in the set, or several of one name
        return None
    if kind == "micro":  # a micro-grid by its name
        return MICROS[micro_named(spec[1])]
    if kind == "village":  # ("village", town or None, village): all its houses
        hs = houses(town=spec[1], village=spec[2])
        return MultiPoint([(b["x"], b["y"]) for b in hs]) if hs else None
    if kind == "varea":  # ("varea", town or None, village): the village's whole area
        keys = [
            k
            for k, v in VILLAGE_OF.items()
            if v == spec[2] and (spec[1] is None or TOWN_OF[k] == spec[1])
        ]
        return unary_union([rect(VILLAGE_BOX[k]) for k in keys]) if keys else None
    raise SystemExit(spec)


def truth(spec) -> tuple[str | None, str | None]:
    if spec[0] == "two":  # two readings: a positive only when both give the same answer
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
def X(a, b, corner=None, offset=None, radius=R_CROSS):
    return ("x", a, b, corner, offset, radius)


def XO(a, b):  # a crossing as the origin of an offset
    return ("x", a, b)


def NOWHERE(why: str):
    return ("nowhere", why)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def TWO(narrow, wide):
    return ("two", narrow, wide)


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


def ZU(village, zu, town=None, r=0.0):
    return ("zu", town, village, zu, r)


def VIL(village, town=None):
    return ("village", town, village)


def H(key, zu, n):  # a rural house (zu 0: a village numbered across)
    return BY_CODE[f"SS{key}{zu:02d}{n:03d}"]


def no(b) -> int:
    return b["n"]


def BLD(code):
    assert code is None or code in BY_CODE, code
    return ("bld", code)


def absent(text: str) -> None:
    """A refusal that names a door: no building may carry that address."""
    if any(b["address"].endswith(text) for b in BUILDINGS):
        raise SystemExit(f"{text} exists")


def cn_number(n: int) -> str:
    """Chinese numerals for 1-999 as written in addresses (一百零三, 二十六)."""

    def tens(k: int) -> str:
        if k < 10:
            return CN[k]
        t, u = divmod(k, 10)
        return ("" if t == 1 else CN[t]) + "十" + (CN[u] if u else "")

    if n < 100:
        return tens(n)
    h, r = divmod(n, 100)
    if r == 0:
        return CN[h] + "百"
    if r < 10:
        return CN[h] + "百零" + CN[r]
    t, u = divmod(r, 10)
    return CN[h] + "百" + CN[t] + "十" + (CN[u] if u else "")


FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def queries():
    Q = []

    def q(kind, text, spec, want):
        """want: "P" (the author means a positive) or "R" (must refuse); checked later."""
        Q.append((kind, text, spec, want))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "俺家那块湖光路跟清溪路十字路口，红绿灯坏掉好几天了", X("湖光路", "清溪路"), "P")
    q(x, "湖光路青阳路路口东北角有人占道卖菜", X("湖光路", "青阳路", "东北"), "P")
    q(x, "湖光路与史河路交叉口下水道冒水喂", X("湖光路", "史河路"), "P")
    q(x, "湖光路淠河路路口有个大坑，骑电瓶车的都摔了", X("湖光路", "淠河路"), "P")
    q(x, "绩溪路和青阳路十字路口有人发小广告", X("绩溪路", "青阳路"), "P")
    q(
        x,
        "绩溪路霍山路交叉口西南角堆了一大堆建筑垃圾，搞么事哦",
        X("绩溪路", "霍山路", "西南"),
        "P",
    )
    q(x, "绩溪路与史河路交叉口渣土车撒了一路", X("绩溪路", "史河路"), "P")
    q(x, "肥西路跟霍山路路口共享单车堆成山了", X("肥西路", "霍山路"), "P")
    q(x, "肥西路史河路十字路口东南角井盖没得了", X("肥西路", "史河路", "东南"), "P")
    q(x, "西园路史河路路口路灯不亮", X("西园路", "史河路"), "P")
    q(x, "藕塘路与井岗路交叉口有人烧秸秆", X("藕塘路", "井岗路"), "P")
    q(x, "潜山路青阳路路口东北角有人摆摊卖水果", X("潜山路", "青阳路", "东北"), "P")
    q(x, "合作化路霍山路交叉口西北角护栏倒了", X("合作化路", "霍山路", "西北"), "P")
    q(x, "黄山路绩溪路路口东南角有个井盖翘起来了", X("黄山路", "绩溪路", "东南"), "P")
    q(x, "黄山路潜山路十字西北角有人乱贴广告", X("黄山路", "潜山路", "西北"), "P")
    q(x, "科学大道黄山路交叉口东北角积水严重", X("科学大道", "黄山路", "东北"), "P")
    q(x, "玉兰大道井岗路路口西北角有人倒垃圾", X("玉兰大道", "井岗路", "西北"), "P")
    q(x, "长江西路绩溪路路口西南角有辆车停了一个礼拜", X("长江西路", "绩溪路", "西南"), "P")
    q(x, "金寨路望江西路路口西北角有人占道经营", X("金寨路", "望江西路", "西北"), "P")
    q(x, "金寨路史河路路口西北角有人烧纸", X("金寨路", "史河路", "西北"), "P")
    q(
        x,
        "绩溪路、史河路路口往北200米有个坑",
        X("绩溪路", "史河路", None, ("北", 200, "exact")),
        "P",
    )
    q(
        x,
        "肥西路霍山路路口拐过去往东走50米，有人在路边杀鸡",
        X("肥西路", "霍山路", None, ("东", 50, "exact")),
        "P",
    )
    q(
        x,
        "潜山路青阳路路口往东100米路灯杆歪了",
        X("潜山路", "青阳路", None, ("东", 100, "exact")),
        "P",
    )
    q(
        x,
        "湖光路史河路路口往南去个一百来米有人占道",
        X("湖光路", "史河路", None, ("南", 100, "about")),
        "P",
    )
    q(
        x,
        "绩溪路霍山路路口边上有人卖烤红薯",
        TWO(X("绩溪路", "霍山路"), X("绩溪路", "霍山路", radius=50)),
        "P",
    )
    q(x, "潜山路跟青阳路十字路口早上堵得要死", X("潜山路", "青阳路"), "R")
    q(x, "合作化路史河路交叉口有人违停", X("合作化路", "史河路"), "R")
    q(x, "黄山路肥西路路口有个井盖缺了", X("黄山路", "肥西路"), "R")
    q(x, "科学大道黄山路十字有人乱扔垃圾", X("科学大道", "黄山路"), "R")
    q(x, "玉兰大道南岗路交叉口信号灯坏了", X("玉兰大道", "南岗路"), "R")
    q(x, "长江西路绩溪路路口有人散发传单", X("长江西路", "绩溪路"), "R")
    q(x, "金寨路望江西路路口，就是南七那块，天天堵车", X("金寨路", "望江西路"), "R")
    q(x, "清溪路跟青阳路交叉口有人占道", X("清溪路", "青阳路"), "R")
    q(x, "肥西路长江西路路口路灯不亮", X("肥西路", "长江西路"), "R")
    q(x, "西园路望江西路路口有人摆摊", X("西园路", "望江西路"), "R")
    q(x, "淠河路潜山路交叉口积水", X("淠河路", "潜山路"), "R")
    q(x, "东岗路与井岗路交叉口有人焚烧垃圾", X("东岗路", "井岗路"), "R")
    q(x, "环城路霍山路路口有人乱停车", X("环城路", "霍山路"), "R")
    q(
        x,
        "潜山路青阳路路口边上有人卖花",
        TWO(X("潜山路", "青阳路"), X("潜山路", "青阳路", radius=50)),
        "R",
    )
    q(x, "桃园路南岗路路口有死狗", X("桃园路", "南岗路"), "R")

    # --- landmark_offset ---------------------------------------------------------------
    o = "landmark_offset"
    q(o, "安大往北去个一百来米有人占道摆摊咯", OFF(A("安大"), "北", 100, "about"), "P")
    q(
        o,
        "安医大一附院往南约200米路东有车子乱停",
        OFF(A("安医大一附院"), "南", 200, "about", ("绩溪路", "东")),
        "P",
    )
    q(
        o,
        "安医大一附院往北去个一百来米，人行道砖都翘起来了",
        OFF(A("安医大一附院"), "北", 100, "about"),
        "P",
    )
    q(o, "之心城往南150米有人乱贴小广告", OFF(A("之心城"), "南", 150), "P")
    q(
        o,
        "国购广场往北200米路东有人占道",
        OFF(A("国购广场"), "北", 200, side=("潜山路", "东")),
        "P",
    )
    q(
        o,
        "三里庵百盛往南一百多米路西有辆僵尸车",
        OFF(A("三里庵百盛"), "南", 100, "more", ("潜山路", "西")),
        "P",
    )
    q(o, "稻香楼往南走了三百来米，路面塌了个洞", OFF(A("稻香楼"), "南", 300, "about"), "P")
    q(o, "翠竹社区服务中心往西200米垃圾桶满了没人收", OFF(A("翠竹社区服务中心"), "西", 200), "P")
    q(o, "稻香村派出所朝东走了三百来米有人烧纸", OFF(A("稻香村派出所"), "东", 300, "about"), "P")
    q(o, "建行霍山路支行往东约400米有人卖菜", OFF(A("建行霍山路支行"), "东", 400, "about"), "P")
    q(o, "琥珀山庄北门往西二百米有个窨井盖坏了", OFF(A("琥珀山庄北门"), "西", 200), "P")
    q(o, "环城路菜市场往北100米有人乱倒泔水", OFF(A("环城路菜市场"), "北", 100), "P")
    q(
        o,
        "史河路合家福往东200米路南，有人占道修车",
        OFF(A("史河路合家福"), "东", 200, side=("史河路", "南")),
        "P",
    )
    q(
        o,
        "徽商银行史河路支行往西约300米有人烧垃圾",
        OFF(A("徽商银行史河路支行"), "西", 300, "about"),
        "P",
    )
    q(
        o,
        "西园派出所往北走个两三百米，那块路灯坏了",
        TWO(
            OFF(A("西园派出所"), "北", (200, 300), "range"),
            OFF(A("西园派出所"), "北", (160, 360), "range"),
        ),
        "P",
    )
    q(o, "西园新村小学往南约200米下水道堵了", OFF(A("西园新村小学"), "南", 200, "about"), "P")
    q(
        o,
        "五里墩社区卫生服务中心往北约300米有人遛狗不牵绳",
        OFF(A("五里墩社区卫生服务中心"), "北", 300, "about"),
        "P",
    )
    q(o, "湖光路过了十五里河桥往南100米有人电鱼", OFF(A("湖光路十五里河桥"), "南", 100), "P")
    q(
        o,
        "绩溪路过了十五里河桥再往北一百多米，有人倒渣土",
        OFF(A("绩溪路十五里河桥"), "北", 100, "more"),
        "P",
    )
    q(o, "井岗镇卫生院往东约300米有人烧秸秆", OFF(A("井岗镇卫生院"), "东", 300, "about"), "P")
    q(
        o,
        "大蜀山森林公园往南约500米有人私挖乱采",
        OFF(A("大蜀山森林公园"), "南", 500, "about"),
        "P",
    )
    q(
        o,
        "合肥植物园往西走了四百来米，路边有人烧垃圾",
        OFF(A("合肥植物园"), "西", 400, "about"),
        "P",
    )
    q(
        o,
        "南岗镇卫生院往南约300米有人倒建筑垃圾",
        OFF(A("南岗镇卫生院"), "南", 300, "about"),
        "P",
    )
    q(o, "南岗路加油站往西150米有人卖散装油", OFF(A("南岗路加油站"), "西", 150), "P")
    q(o, "藕塘村委会往北约300米有人私搭猪圈", OFF(A("藕塘村委会"), "北", 300, "about"), "P")
    q(o, "柏堰村委会往南1公里有人在塘边钓鱼占道", OFF(A("柏堰村委会"), "南", 1000), "P")
    q(o, "井岗派出所往北200米有人晒稻子占道", OFF(A("井岗派出所"), "北", 200), "P")
    q(
        o,
        "工行黄山路支行往西100米路南有人摆摊",
        OFF(A("工行黄山路支行"), "西", 100, side=("黄山路", "南")),
        "P",
    )
    q(
        o,
        "中行潜山路支行往北约200米路西，有人占道",
        OFF(A("中行潜山路支行"), "北", 200, "about", ("潜山路", "西")),
        "P",
    )
    q(o, "五十中西校朝东走了三百来米有人烧落叶", OFF(A("五十中西校"), "东", 300, "about"), "P")
    q(
        o,
        "潜山路与史河路交叉口往东200米路北，门面房占道",
        OFF(XO("潜山路", "史河路"), "东", 200, side=("史河路", "北")),
        "P",
    )
    q(
        o,
        "肥西路霍山路路口往北去个一百来米有人乱停车",
        OFF(XO("肥西路", "霍山路"), "北", 100, "about"),
        "P",
    )
    q(o, "琥珀派出所往北约200米有人遛狗", OFF(A("琥珀派出所"), "北", 200, "about"), "P")
    q(o, "之心城往北100米有人占道", OFF(A("之心城"), "北", 100), "R")
    q(o, "国购广场往北200米有人摆摊", OFF(A("国购广场"), "北", 200), "R")
    q(o, "稻香楼往东约200米有人乱停车", OFF(A("稻香楼"), "东", 200, "about"), "R")
    q(
        o,
        "安大朝南走个两三百米那块井盖没得了",
        TWO(
            OFF(A("安大"), "南", (200, 300), "range"),
            OFF(A("安大"), "南", (160, 360), "range"),
        ),
        "R",
    )
    q(o, "十五里河桥往东100米有人电鱼", NOWHERE("two bridges on record"), "R")
    q(o, "安大往南过了桥那块有人钓鱼", NOWHERE("no bridge named"), "R")
    q(o, "合家福往北100米有人卖菜", NOWHERE("three stores"), "R")
    q(o, "省立医院往东200米有人占道", NOWHERE("not in the set"), "R")
    q(
        o,
        "南岗合家福往东200米路北有人倒垃圾",
        OFF(A("南岗合家福"), "东", 200, side=("南岗路", "北")),
        "R",
    )
    q(o, "三里庵派出所往北300米有人乱停车", OFF(A("三里庵派出所"), "北", 300), "R")
    q(o, "朱岗村卫生室往南2公里有人烧秸秆", OFF(A("朱岗村卫生室"), "南", 2000), "R")
    q(
        o,
        "绩溪路霍山路路口朝西走个两三百米有人卖菜",
        TWO(
            OFF(XO("绩溪路", "霍山路"), "西", (200, 300), "range"),
            OFF(XO("绩溪路", "霍山路"), "西", (160, 360), "range"),
        ),
        "R",
    )

    # --- near --------------------------------------------------------------------------
    n = "near"
    q(n, "安大门口子天天有人摆摊卖烧饼，堵得要死咯", NEAR("安大"), "P")
    q(n, "安医大一附院对过有人拉客", NEAR("安医大一附院"), "P")
    q(n, "翠竹社区服务中心旁边那个垃圾站臭死了", NEAR("翠竹社区服务中心"), "P")
    q(n, "稻香村派出所对面人行道被占了", NEAR("稻香村派出所"), "P")
    q(n, "清溪路菜市场附近污水横流", NEAR("清溪路菜市场"), "P")
    q(n, "建行霍山路支行隔壁在装修，吵死人喂", NEAR("建行霍山路支行"), "P")
    q(n, "琥珀山庄北门旁边堆了好多杂物", NEAR("琥珀山庄北门"), "P")
    q(
        n,
        "西园新村附近夜里广场舞声音太大",
        NEAR_COMPOUND("西园新村", ["西园新村北门", "西园新村西门"]),
        "P",
    )
    q(n, "西园派出所门口有人乱停车", NEAR("西园派出所"), "P")
    q(n, "环城路菜市场门口子占道经营", NEAR("环城路菜市场"), "P")
    q(n, "徽商银行史河路支行旁边有个井盖没盖", NEAR("徽商银行史河路支行"), "P")
    q(n, "史河路合家福门口电瓶车乱停", NEAR("史河路合家福"), "P")
    q(n, "庵南社区服务中心对过有人烧纸", NEAR("庵南社区服务中心"), "P")
    q(n, "井岗镇卫生院门口有人摆摊", NEAR("井岗镇卫生院"), "P")
    q(n, "大蜀山周边有人乱停车，路都堵了", NEAR("大蜀山"), "P")
    q(n, "合肥植物园附近有人卖野生鱼", NEAR("合肥植物园"), "P")
    q(n, "藕塘村委会旁边有人烧垃圾", NEAR("藕塘村委会"), "P")
    q(n, "金色池塘附近路灯不亮", NEAR_COMPOUND("金色池塘", ["金色池塘东门"]), "P")
    q(
        n,
        "安医大一附院斜对过有人占道卖水果",
        TWO(NEAR("安医大一附院"), NEAR("安医大一附院", r=80)),
        "P",
    )
    q(
        n,
        "西园新村小学后头有人烧垃圾",
        TWO(NEAR("西园新村小学"), NEAR("西园新村小学", r=100)),
        "P",
    )
    q(n, "安大那一块儿晚上路灯全是黑的", TWO(NEAR("安大"), NEAR("安大", r=150)), "P")
    q(
        n,
        "琥珀山庄3号楼楼底下有人乱堆东西",
        TWO(NEAR("琥珀山庄3号楼", r=10), NEAR("琥珀山庄3号楼")),
        "P",
    )
    q(n, "西园派出所边上有人卖菜", TWO(NEAR("西园派出所"), NEAR("西园派出所", r=80)), "P")
    q(n, "之心城门口天天有人发传单", NEAR("之心城"), "R")
    q(n, "国购广场旁边电动车乱停", NEAR("国购广场"), "R")
    q(n, "三里庵百盛对过有人摆摊", NEAR("三里庵百盛"), "R")
    q(n, "中行潜山路支行门口子有人发小广告", NEAR("中行潜山路支行"), "R")
    q(n, "工行黄山路支行旁边井盖坏了", NEAR("工行黄山路支行"), "R")
    q(n, "五十中西校门口放学时候堵得要死咯", NEAR("五十中西校"), "R")
    q(n, "稻香楼附近有人钓鱼", NEAR("稻香楼"), "R")
    q(
        n,
        "琥珀山庄周边停车乱得很",
        NEAR_COMPOUND("琥珀山庄", ["琥珀山庄北门", "琥珀山庄南门"]),
        "R",
    )
    q(n, "合家福门口有人卖菜", NEAR("黄山路合家福", "史河路合家福", "南岗合家福"), "R")
    q(n, "省立医院门口有黑车拉客", NOWHERE("not in the set"), "R")
    q(n, "蜀山区政府旁边有人拉横幅", NOWHERE("not in the set"), "R")
    q(n, "三里庵派出所对过有人占道", NEAR("三里庵派出所"), "R")
    q(n, "井岗派出所门口有人摆摊", NEAR("井岗派出所"), "R")
    q(n, "南七那块有人占道", NOWHERE("a neighbourhood, not a record"), "R")
    q(
        n,
        "稻香村派出所那一块儿有人烧垃圾",
        TWO(NEAR("稻香村派出所"), NEAR("稻香村派出所", r=150)),
        "R",
    )
    q(
        n,
        "科技农商行稻香村支行边上井盖坏了",
        TWO(NEAR("科技农商行稻香村支行"), NEAR("科技农商行稻香村支行", r=80)),
        "R",
    )
    q(n, "之心城后头有人乱倒垃圾", TWO(NEAR("之心城"), NEAR("之心城", r=100)), "R")

    # --- lane_alone --------------------------------------------------------------------
    la = "lane_alone"
    for text, lane, want in [
        ("俺家住桂花巷子里头，路灯坏了一个多月了", "桂花巷", "P"),
        ("板桥巷垃圾好几天没人收了", "板桥巷", "P"),
        ("西园巷里有人半夜装修", "西园巷", "P"),
        ("双井巷下水道堵了，污水漫到路上", "双井巷", "P"),
        ("荷花巷有人养鸡，臭得很", "荷花巷", "P"),
        ("竹竿巷电线乱拉，吓死人", "竹竿巷", "P"),
        ("柳树巷路面坑坑洼洼的", "柳树巷", "P"),
        ("环城路上有人占道修车", "环城路", "P"),
        ("杏花巷路灯不亮", "杏花巷", "R"),
        ("马家巷有人占用消防通道", "马家巷", "R"),
        ("史河路有人乱扔垃圾", "史河路", "R"),
        ("大井巷有人半夜唱歌", "大井巷", "R"),
        ("龙王巷的路灯坏了", "龙王巷", "R"),
    ]:
        q(la, text, ("lane", lane), want)
    for text, lane, want in [
        ("西园巷口有人摆摊卖菜", "西园巷", "P"),
        ("桂花巷口有个井盖没得了", "桂花巷", "P"),
        ("杏花巷口有人烧纸", "杏花巷", "R"),
    ]:
        q(la, text, TWO(("mouth", lane, False, 20), ("mouth", lane, True, 30)), want)

    # --- group (村民小组 named with its village) -----------------------------------------
    g = "group"
    q(g, "藕塘村3组有人烧秸秆，烟呛死人咯", ZU("藕塘村", 3), "P")
    q(g, "藕塘村五组有人在田边倒垃圾", ZU("藕塘村", 5), "P")
    q(g, "井岗镇藕塘村第一村民小组有人违建", ZU("藕塘村", 1, "井岗镇"), "P")
    q(g, "蜀山区井岗镇藕塘村6组自来水停了", ZU("藕塘村", 6, "井岗镇"), "P")
    q(g, "俺家在藕塘村2组，沟堵掉了，水漫到路上", ZU("藕塘村", 2), "P")
    q(g, "东岗村二组路灯不亮", ZU("东岗村", 2), "P")
    q(g, "东岗村4组有人私挖鱼塘", ZU("东岗村", 4), "P")
    q(g, "东岗村第6村民小组有人偷倒建筑垃圾", ZU("东岗村", 6), "P")
    q(g, "东岗村一组有人放狗咬人", ZU("东岗村", 1), "P")
    q(g, "桃园村3组有人焚烧垃圾", ZU("桃园村", 3), "P")
    q(g, "桃园村四组排水沟堵了", ZU("桃园村", 4), "P")
    q(g, "南岗镇桃园村5组有人私搭乱建", ZU("桃园村", 5, "南岗镇"), "P")
    q(g, "桃园六组路面塌了", ZU("桃园村", 6), "P")
    q(g, "井岗藕塘村4组有人在路边晒稻子", ZU("藕塘村", 4, "井岗镇"), "P")
    q(
        g,
        "东岗村五组那一块儿有人烧秸秆",
        TWO(ZU("东岗村", 5), ZU("东岗村", 5, r=100)),
        "P",
    )
    q(
        g,
        "藕塘村3组那一块儿搞么事，天天有人倒垃圾",
        TWO(ZU("藕塘村", 3), ("micro", "藕塘村3组")),
        "P",
    )
    q(g, "东岗村三组有人焚烧垃圾", ZU("东岗村", 3), "R")
    q(g, "藕塘村八组有人烧秸秆", ZU("藕塘村", 8), "R")
    q(g, "南岗镇藕塘村2组有人违建", ZU("藕塘村", 2, "南岗镇"), "R")
    q(g, "大郢村2组有人私拉电线", ZU("大郢村", 2), "R")
    q(g, "柏堰村3组有人乱倒垃圾", ZU("柏堰村", 3), "R")
    q(
        g,
        "东岗村三组那一块儿路灯不亮",
        TWO(ZU("东岗村", 3), ZU("东岗村", 3, r=100)),
        "R",
    )
    q(g, "桃园村七组有人电鱼", ZU("桃园村", 7), "R")

    # --- village (a 行政村 named alone, or with its 镇) -----------------------------------
    v = "village"
    q(v, "柏堰村有人烧秸秆，烟大得很", VIL("柏堰村"), "P")
    q(v, "南岗镇柏堰村路灯不亮", VIL("柏堰村", "南岗镇"), "P")
    q(v, "俺是王岗村的，村里自来水停了三天了", VIL("王岗村"), "P")
    q(v, "朱岗村有人私拉电网捕鱼", VIL("朱岗村"), "P")
    q(v, "井岗镇大郢村有人焚烧垃圾", VIL("大郢村", "井岗镇"), "P")
    q(v, "南岗大郢村路面塌陷", VIL("大郢村", "南岗镇"), "P")
    q(v, "蜀山区南岗镇王岗村有人占用耕地建房", VIL("王岗村", "南岗镇"), "P")
    q(v, "南岗镇朱岗村狗咬人", VIL("朱岗村", "南岗镇"), "P")
    q(v, "大郢村有人私建猪圈", VIL("大郢村"), "R")
    q(v, "藕塘村垃圾堆成山了", VIL("藕塘村"), "R")
    q(v, "东岗村有人电鱼", VIL("东岗村"), "R")
    q(v, "桃园村排水沟堵了", VIL("桃园村"), "R")
    q(v, "井岗镇柏堰村有人违建", VIL("柏堰村", "井岗镇"), "R")
    q(v, "柏堰村那一块儿有人烧荒", TWO(VIL("柏堰村"), ("varea", None, "柏堰村")), "R")
    q(v, "黄岗村有人烧荒", VIL("黄岗村"), "R")
    q(v, "王岗这块有人乱倒垃圾喂", TWO(VIL("王岗村"), ("varea", None, "王岗村")), "R")

    # --- other_county (合肥's other 县级 units, or a 功能区, in front of our addresses) ----
    oc = "other_county"
    hs, sh = fb("黄山路", 6300, "R"), fb("史河路", 1500, "L")
    qs, jx = fb("潜山路", 200, "L"), fb("绩溪路", 2500, "R")
    ad = code_of_alias("安大")
    for text, code, want in [
        ("庐阳区井岗镇藕塘村3组15号", None, "R"),
        (f"合肥市包河区黄山路{no(hs)}号", None, "R"),
        ("瑶海区南岗镇柏堰村46号", None, "R"),
        (f"肥西县肥西路{no(BY_CODE[ad])}号", None, "R"),
        ("安徽省合肥市肥东县井岗镇东岗村四组8号", None, "R"),
        ("长丰县南岗镇桃园村5组9号", None, "R"),
        (f"庐江县史河路{no(sh)}号", None, "R"),
        ("巢湖市井岗镇大郢村91号", None, "R"),
        ("安徽省合肥市蜀山区井岗镇藕塘村3组15号", H("OT", 3, 15)["code"], "P"),
        (f"合肥市蜀山区黄山路{no(hs)}号", hs["code"], "P"),
        ("蜀山区南岗镇柏堰村46号", H("BY", 0, 46)["code"], "P"),
        (f"肥西路{no(BY_CODE[ad])}号", ad, "P"),
        ("井岗镇东岗村四组8号", H("DG", 4, 8)["code"], "P"),
        ("南岗镇桃园村5组9号", H("TY", 5, 9)["code"], "P"),
        (f"合肥史河路{no(sh)}号", sh["code"], "P"),
        ("安徽合肥蜀山区井岗镇大郢村91号", H("DYJ", 0, 91)["code"], "P"),
    ]:
        q(oc, text, BLD(code), want)
    # a 功能区 in front: another area (nothing) or no 县级 unit at all (the building)
    for text, code in [
        ("高新区南岗镇桃园村3组8号", H("TY", 3, 8)["code"]),
        (f"合肥市政务区潜山路{no(qs)}号", qs["code"]),
        (f"经开区绩溪路{no(jx)}号", jx["code"]),
    ]:
        q(oc, text, TWO(BLD(None), BLD(code)), "R")

    # --- english_order -----------------------------------------------------------------
    e = "english_order"
    b1, b3 = fb("黄山路", 300, "L"), fb("长江西路", 5500, "R")
    b4, b5 = fb("史河路", 2700, "L"), fb("桂花巷", 200, "R", 10)
    b6, dg = fb("潜山路", 1250, "L"), H("DG", 3, 7)
    hp = door(2150, "R")
    absent("藕塘村3组30号")
    absent("黄山路999号")
    absent("竹竿巷9号")
    for text, code, want in [
        (
            "No. 15, Group 3, Outang Village, Jinggang Town, Shushan District, Hefei",
            H("OT", 3, 15)["code"],
            "P",
        ),
        (
            "No. 12, Group 2, Donggang Village, Jinggang Town, Shushan District",
            H("DG", 2, 12)["code"],
            "P",
        ),
        (
            "No. 13, Group 5, Taoyuan Village, Nangang Town, Shushan District, Hefei, Anhui",
            H("TY", 5, 13)["code"],
            "P",
        ),
        (
            "No. 46, Baiyan Village, Nangang Town, Shushan District, Hefei",
            H("BY", 0, 46)["code"],
            "P",
        ),
        ("No. 91, Daying Village, Jinggang Town, Shushan District", H("DYJ", 0, 91)["code"], "P"),
        (f"No. {no(BY_CODE[ad])}, Feixi Road, Shushan District, Hefei", ad, "P"),
        (f"No. {no(b1)} Huangshan Road, Shushan District, Hefei, Anhui", b1["code"], "P"),
        (f"No. {no(jx)}, Jixi Road, Shushan District", jx["code"], "P"),
        (f"No. {no(b3)}, Changjiang West Road, Shushan District, Hefei", b3["code"], "P"),
        (f"No. {no(b4)} Shihe Road, Shushan Dist., Hefei", b4["code"], "P"),
        (f"Building 2, No. {hp} Huoshan Road, Shushan District, Hefei", "SSHPSZB2", "P"),
        (f"No. {no(b5)}, Guihua Lane, Shushan District, Hefei", b5["code"], "P"),
        ("No. 5, Shuangjing Lane, Shushan District", "SSSJX5", "P"),
        ("15号，3组，藕塘村，井岗镇，蜀山区，合肥市", H("OT", 3, 15)["code"], "P"),
        (f"{no(dg)}号，三组，东岗村，井岗镇，蜀山区", dg["code"], "P"),
        (f"{no(b6)}号，潜山路，蜀山区，合肥市", b6["code"], "P"),
        ("3号楼，琥珀山庄，蜀山区，合肥", "SSHPSZB3", "P"),
        ("No. 30, Group 3, Outang Village, Jinggang Town, Shushan District", None, "R"),
        ("No. 58, Daying Village, Shushan District, Hefei", None, "R"),
        ("No. 999, Huangshan Road, Shushan District, Hefei", None, "R"),
        ("9号，竹竿巷，蜀山区", None, "R"),
        (f"No. {no(b1)}, Huangshan Road, Baohe District, Hefei", None, "R"),
    ]:
        q(e, text, BLD(code), want)

    # --- building ----------------------------------------------------------------------
    bq = "building"
    d1, d2 = fb("黄山路", 2500, "R"), fb("潜山路", 200, "L")
    t1, t2 = fb("黄山路", 300, "L"), fb("潜山路", 1250, "L")
    t3, t4 = fb("肥西路", 1300, "L"), fb("史河路", 2700, "L")
    t5, t6 = fb("绩溪路", 1300, "L"), fb("霍山路", 1000, "R")
    t7, t8 = fb("合作化路", 2700, "R"), fb("湖光路", 1300, "R")
    t9 = fb("史河路", 2100, "R")
    for miss in ["黄山路999号", "潜山路7号", "藕塘村3组99号", "桂花巷50号", "柏堰村200号"]:
        absent(miss)
    absent("东岗村七组3号")
    assert H("DYJ", 0, 58) and H("DYN", 0, 58)  # both 大郢村 have a 58号
    for text, code, want in [
        (d1["address"], d1["code"], "P"),
        (f"潜山路{no(d2)}号", d2["code"], "P"),
        ("安徽大学", ad, "P"),
        ("安医大一附院", code_of_alias("安医大一附院"), "P"),
        ("安徽医科大学第一附属医院", code_of_alias("安医大一附院"), "P"),
        ("之心城", code_of_alias("之心城"), "P"),
        ("三里庵国购", code_of_alias("三里庵国购"), "P"),
        ("稻香楼", code_of_alias("稻香楼"), "P"),
        ("大蜀山森林公园", code_of_alias("大蜀山森林公园"), "P"),
        ("合肥植物园", code_of_alias("合肥植物园"), "P"),
        ("琥珀山庄2号楼", "SSHPSZB2", "P"),
        ("琥珀山庄3号楼2单元501室", "SSHPSZB3", "P"),
        ("西园新村4号楼1单元302", "SSXYXCB4", "P"),
        ("金色池塘1号楼", "SSJSCTB1", "P"),
        (f"霍山路{hp}号院5号楼", "SSHPSZB5", "P"),
        ("双井巷5号", "SSSJX5", "P"),
        ("蜀山区荷花巷8号", "SSHHX8", "P"),
        ("南岗镇柏堰村88号", H("BY", 0, 88)["code"], "P"),
        ("井岗镇大郢村26号", H("DYJ", 0, 26)["code"], "P"),
        (f"皇山路{no(t1)}号", t1["code"], "P"),
        (f"蜀山区前山路{no(t2)}号", t2["code"], "P"),
        (f"飞西路{no(t3)}号", t3["code"], "P"),
        (f"合肥市蜀山区使河路{no(t4)}号", t4["code"], "P"),
        (f"积溪路{no(t5)}号", t5["code"], "P"),
        (f"货山路{no(t6)}号", t6["code"], "P"),
        (f"合作花路{no(t7)}号", t7["code"], "P"),
        (f"胡光路{no(t8)}号", t8["code"], "P"),
        ("井岗镇偶塘村3组9号", H("OT", 3, 9)["code"], "P"),
        (f"肥西路{no(BY_CODE[ad])}号".translate(FULL), ad, "P"),
        (f"史河路{cn_number(no(t9))}号", t9["code"], "P"),
        ("琥珀山庄5号楼".translate(FULL), "SSHPSZB5", "P"),
        ("西园新村小学", code_of_alias("西园新村小学"), "P"),
        ("徽商银行史河路支行", code_of_alias("徽商银行史河路支行"), "P"),
        ("安医一附院", code_of_alias("安医一附院"), "P"),
        ("合家福", None, "R"),
        ("大郢村58号", None, "R"),
        ("黄山路999号", None, "R"),
        ("蜀山区潜山路7号", None, "R"),
        ("琥珀山庄12号楼", None, "R"),
        ("井岗镇藕塘村3组99号", None, "R"),
        ("桂花巷50号", None, "R"),
        ("南岗镇柏堰村200号", None, "R"),
        ("井岗镇东岗村七组3号", None, "R"),
        ("蜀山区人民政府", None, "R"),
        ("省立医院", None, "R"),
        ("合肥南站", None, "R"),
        ("安徽农业大学", None, "R"),
    ]:
        q(bq, text, BLD(code), want)
    return Q


# ---------------------------------------------------------------- output
def write_all() -> list[tuple[str, bool]]:
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
    wrong = []
    kinds_seen: list[tuple[str, bool]] = []
    for kind, text, spec, want in queries():
        if text in seen:
            raise SystemExit(f"duplicate query {text}")
        seen.add(text)
        expected, micro = truth(spec)
        if (micro is not None) != (want == "P"):
            wrong.append(f"{kind}: {text} -> {expected} {micro} (meant {want})")
        lines.append(
            json.dumps(
                {"query": text, "expected": expected, "micro_grid": micro, "kind": kind},
                ensure_ascii=False,
            )
        )
        stats[(kind, micro is not None)] += 1
        kinds_seen.append((kind, spec[0] == "two"))
    if wrong:
        raise SystemExit("computed truth differs from the meant outcome:\n" + "\n".join(wrong))
    (HERE / "queries.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = list(dict.fromkeys(k for k, _ in stats))
    refused = 0
    for k in kinds:
        refused += stats[(k, False)]
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    total = len(lines)
    print(
        f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {total}, "
        f"refuse {refused} ({100 * refused / total:.0f} %)"
    )
    return kinds_seen


# ---------------------------------------------------------------- self-check
def check_files() -> None:
    """Read the written files back and check them against each other."""
    grids = json.loads((HERE / "grids.geojson").read_text(encoding="utf-8"))
    micros = {}
    for f in grids["features"]:
        if f["properties"]["level"] == "micro":
            ring = [xy(lon, lat) for lon, lat in f["geometry"]["coordinates"][0]]
            micros[f["properties"]["code"]] = Polygon(ring)
    codes = {f["properties"]["code"] for f in grids["features"]}
    for f in grids["features"]:
        parent = f["properties"]["parent_code"]
        if parent is not None and parent not in codes:
            raise SystemExit(f"{f['properties']['code']}: no parent {parent}")
    with (HERE / "buildings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    where = {}
    aliases: Counter = Counter()
    addresses: Counter = Counter()
    for r in rows:
        p = Point(xy(float(r["lon"]), float(r["lat"])))
        m = r["micro_grid_code"]
        if m not in micros or not micros[m].buffer(-1.0).contains(p):
            raise SystemExit(f"{r['code']} is not clearly inside {m}")
        where[r["code"]] = m
        addresses[r["address"]] += 1
        for a in filter(None, r["aliases"].split("|")):
            aliases[a] += 1
    for name, counts in (("alias", aliases), ("address", addresses)):
        doubled = [a for a, k in counts.items() if k > 1]
        if doubled:
            raise SystemExit(f"{name} used twice: {doubled}")
    for line in (HERE / "queries.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        exp, micro = rec["expected"], rec["micro_grid"]
        if micro is not None and micro not in micros:
            raise SystemExit(f"{rec['query']}: no micro-grid {micro}")
        if exp is not None and where.get(exp) != micro:
            raise SystemExit(f"{rec['query']}: {exp} is not in {micro}")
        if exp is not None and rec["kind"] not in ("other_county", "english_order", "building"):
            raise SystemExit(f"{rec['query']}: a place query carries a building")
        if (exp is None) != (micro is None) and rec["kind"] in (
            "other_county",
            "english_order",
            "building",
        ):
            raise SystemExit(f"{rec['query']}: a building query without its building")
    print("self-check passed")


if __name__ == "__main__":
    seen_kinds = write_all()
    check_files()
    two = Counter(k for k, t in seen_kinds if t)
    print("two readings:", sum(two.values()), dict(two))
