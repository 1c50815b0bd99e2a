"""Write the rural place-description evaluation county: 吉林省四平市梨树县.

    python bench/data/place_county/make_district.py

Real towns of 梨树县 (梨树镇、郭家店镇、榆树台镇、孤家子镇); the villages (行政村), their
村民小组 and 屯, the house numbers, the landmarks' positions, the road numbers and all geometry
are ours: a county laid out in metres over a 12 km x 9 km box, turned into WGS-84 around the
county. The registry starts at the county. Micro-grids are rectangles; some are named after the
组 whose houses lie in them, and some groups and 屯 have houses in two micro-grids.

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
from shapely.ops import unary_union

HERE = Path(__file__).resolve().parent

LON0, LAT0 = 124.2000, 43.2400  # south-west corner of the box
KX = 111320.0 * math.cos(math.radians(LAT0))
KY = 110574.0


def ll(x: float, y: float) -> list[float]:
    return [round(LON0 + x / KX, 7), round(LAT0 + y / KY, 7)]


COUNTY = ("220322", "梨树县")
W, S, E, N = 0.0, 0.0, 12000.0, 9000.0
CN = "一二三四五六七八九十"

# town code, town, x0; its villages from south to north: (key, name, style, west split, east split)
#   style A: 第1网格1号微网格; B: named after the 组 inside; C: 第一网格, 第二网格 …
#   a split is the y (from the village's south edge) where the grid's micro-grids meet, or a
#   tuple of two for three micro-grids
TOWNS = [
    (
        "220322100",
        "梨树镇",
        0,
        [
            ("BLM", "八里庙村", "A", 1500, 1500),
            ("TP", "太平村", "B", 1500, 1000),
            ("XJ", "夏家村", "C", 1500, 1500),
        ],
    ),
    (
        "220322101",
        "郭家店镇",
        3000,
        [
            ("HP", "和平村", "B", 1500, 1500),
            ("XL", "兴隆村", "C", 1500, 1500),
            ("XLI", "新立村", "A", 1500, 1000),
        ],
    ),
    (
        "220322102",
        "榆树台镇",
        6000,
        [
            ("YA", "永安村", "A", 1500, 1500),
            ("HG", "红光村", "B", 1500, 1000),
            ("DS", "东升村", "C", (1000, 2000), 1500),
        ],
    ),
    (
        "220322103",
        "孤家子镇",
        9000,
        [
            ("GHP", "和平村", "B", 1500, 1500),
            ("SS", "双山村", "A", 1500, 1500),
            ("SJZ", "三家子村", "C", 1500, 1500),
        ],
    ),
]

ROADS: list[tuple[str, str, list[tuple[float, float]]]] = [
    ("X031", "secondary", [(0, 4300), (6000, 4300), (12000, 4800)]),
    ("X035", "secondary", [(4700, 0), (4700, 9000)]),
    ("X047", "secondary", [(10500, 0), (10500, 9000)]),
    ("Y108", "branch", [(0, 1500), (7000, 1500)]),
    ("Y112", "branch", [(2000, 7400), (12000, 7400)]),
    ("Y115", "branch", [(6200, 3100), (8800, 8800)]),
    ("Y120", "branch", [(8000, 800), (12000, 800)]),
    ("八里庙村路", "branch", [(1200, 300), (1200, 2700)]),
    ("太平村村路", "branch", [(300, 3900), (2800, 3900)]),
    ("兴隆村环村路", "branch", [(4700, 3400), (5300, 3400), (5300, 3900), (4700, 3900)]),
    ("新立村村路", "branch", [(3200, 7000), (5800, 7000)]),
    ("永安村路", "branch", [(6800, 600), (6800, 2800)]),
    ("红光村路", "branch", [(6000, 4000), (8700, 4000)]),
    ("东升村路", "branch", [(8200, 6200), (8200, 8800)]),
    ("和平村村路", "branch", [(9800, 200), (9800, 2800)]),
    ("三家子村路", "branch", [(9100, 7800), (11800, 7800)]),
    ("夏家村村路", "branch", [(900, 6200), (900, 8800)]),
]
ROAD = {name: LineString(pts) for name, _k, pts in ROADS}

# village key -> clusters: (group number or 屯 name, x, y, house numbers, orientation, aliases)
# x, y are the county's metres; houses sit 30 m apart around (x, y)
CLUSTERS: dict[str, list] = {
    "BLM": [
        (1, 900, 700, [3, 8, 15], "h"),
        (2, 900, 2300, [2, 11], "h"),
        (3, 2200, 600, [5, 12, 21], "h"),
        (4, 1500, 2200, [1, 6, 9, 14], "h"),
        (5, 2300, 2400, [7, 18], "h"),
    ],
    "TP": [
        (1, 700, 3500, [2, 9, 16], "h"),
        (2, 800, 5200, [4, 12], "h"),
        (3, 2200, 3500, [3, 15, 27], "h"),
        (4, 2300, 4700, [8, 10], "h"),
        (5, 600, 4500, [1, 5, 11, 22], "v"),
        (6, 2100, 5600, [6, 13], "h"),
    ],
    "XJ": [
        ("夏家屯", 800, 6800, [1, 4, 7, 10], "h"),
        ("杨家围子", 2300, 8300, [2, 5, 8], "h"),
        (3, 2400, 6600, [6, 16], "h"),
    ],
    "HP": [
        (1, 3600, 700, [3, 10], "h"),
        (2, 3800, 2200, [2, 8, 17], "h"),
        (3, 5300, 600, [5, 9], "h"),
        (4, 5400, 2300, [1, 12], "h"),
    ],
    "XL": [
        ("王家屯", 3600, 3600, [1, 3, 6, 8, 12], "h"),
        ("李家屯", 3700, 5400, [2, 5, 9], "h"),
        ("后窝堡", 4500, 5300, [1, 4, 7, 10], "h"),
    ],
    "XLI": [
        (1, 3500, 6500, [2, 7, 13], "h"),
        (2, 3700, 8400, [5, 11], "h"),
        (3, 5300, 6400, [1, 8], "h"),
        (4, 5300, 7600, [3, 16, 20], "h"),
        (5, 5400, 8600, [6, 9], "h"),
    ],
    "YA": [("张家屯", 6600, 2300, [1, 3, 5, 8], "h"), ("刘家窝堡", 8200, 600, [2, 4, 9], "h")],
    "HG": [
        (1, 6500, 3500, [4, 9], "h"),
        (2, 6600, 5300, [3, 12], "h"),
        (3, 8300, 3500, [1, 7, 15], "h"),
        ("李家屯", 8200, 5300, [2, 6, 11], "h"),
    ],
    "DS": [("前进屯", 6700, 6600, [1, 5, 9], "h"), ("靠山屯", 7000, 8500, [2, 6, 10, 14], "h")],
    "GHP": [
        (1, 9600, 500, [2, 6], "h"),
        (2, 9700, 2200, [1, 9, 12], "h"),
        (3, 11200, 700, [4, 8], "h"),
        (4, 11300, 2400, [3, 10], "h"),
    ],
    "SS": [("大双山屯", 9700, 3600, [1, 4, 8], "h"), ("小双山屯", 11300, 5300, [2, 5, 7], "h")],
    "SJZ": [("三家子屯", 9600, 6600, [1, 3, 6], "h"), ("于家屯", 9700, 7500, [2, 4, 7, 9], "v")],
}
# landmarks: village key, the place in the address (group number, 屯, or None for a
# village-wide number), house number, x, y, aliases
LANDMARKS = [
    ("BLM", 1, 1, 1215, 900, ["八里庙村村委会", "八里庙村委会"]),
    ("BLM", 2, 20, 1185, 2000, ["八里庙村卫生室"]),
    ("TP", 5, 30, 1300, 4318, ["太平村村委会", "太平村部"]),
    ("TP", 4, 1, 2600, 4285, ["太平超市"]),
    ("XJ", 3, 1, 2050, 7385, ["夏家村村委会"]),
    ("HP", 2, 1, 4685, 2150, ["和平村村委会", "郭家店镇和平村村委会"]),
    ("HP", 3, 30, 4730, 1000, ["郭家店镇中心小学", "郭家店中心校"]),
    ("XL", None, 1, 4718, 4650, ["兴隆村村委会", "兴隆村委会"]),
    ("XL", None, 2, 4685, 4280, ["兴隆超市"]),
    ("XLI", 4, 1, 4720, 7200, ["新立村村委会"]),
    ("XLI", 2, 1, 4680, 7700, ["新立村卫生室"]),
    ("YA", "张家屯", 10, 6815, 2000, ["永安村村委会"]),
    ("YA", "刘家窝堡", 20, 8500, 1300, ["榆树台粮库"]),
    ("HG", 1, 1, 7000, 4018, ["红光村村委会"]),
    ("HG", 3, 2, 8000, 3985, ["红光村卫生室"]),
    ("DS", None, 1, 8215, 6800, ["东升村村委会"]),
    ("DS", "前进屯", 30, 6900, 7385, ["榆树台镇卫生院"]),
    ("GHP", 1, 1, 9815, 1200, ["和平村村委会", "孤家子镇和平村村委会"]),
    ("SS", "大双山屯", 20, 10300, 4200, ["双山村村委会"]),
    ("SS", "小双山屯", 30, 11000, 4800, ["孤家子加油站"]),
    ("SJZ", None, 1, 10520, 7830, ["三家子村村委会", "三家子村部"]),
]
PINYIN_TOWN = {
    "梨树镇": "Lishu Town",
    "郭家店镇": "Guojiadian Town",
    "榆树台镇": "Yushutai Town",
    "孤家子镇": "Gujiazi Town",
}
PINYIN_VILLAGE = {
    "八里庙村": "Balimiao Village",
    "太平村": "Taiping Village",
    "夏家村": "Xiajia Village",
    "和平村": "Heping Village",
    "兴隆村": "Xinglong Village",
    "新立村": "Xinli Village",
    "永安村": "Yong'an Village",
    "红光村": "Hongguang Village",
    "东升村": "Dongsheng Village",
    "双山村": "Shuangshan Village",
    "三家子村": "Sanjiazi Village",
}

FEATURES: list[dict] = []
MICROS: dict[str, Polygon] = {}
VILLAGES: dict[str, dict] = {}  # key -> town, name, code, box
BUILDINGS: list[dict] = []
BY_CODE: dict[str, dict] = {}


def geo(poly: Polygon) -> dict:
    return {"type": "Polygon", "coordinates": [[ll(x, y) for x, y in poly.exterior.coords]]}


def feature(code, name, level, parent, geom, kind=""):
    props = {"code": code, "name": name, "level": level, "parent_code": parent}
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def house_spots(x, y, k, orient):
    a, b = (-45, -15, 15, 45)[k % 4], -30 * (k // 4)
    return (x + a, y + b) if orient == "h" else (x + b, y + a)


def add(code, address, x, y, aliases, village, group=None, tun=None):
    if code in BY_CODE:
        raise SystemExit(f"duplicate {code}")
    b = {
        "code": code,
        "address": address,
        "x": x,
        "y": y,
        "aliases": list(aliases),
        "village": village,
        "group": group,
        "tun": tun,
    }
    BUILDINGS.append(b)
    BY_CODE[code] = b


def addr(key, place, n):
    v = VILLAGES[key]
    prefix = "吉林省四平市梨树县" if v["town"] == "孤家子镇" else "梨树县"
    if place is None:
        return f"{prefix}{v['town']}{v['name']}{n}号", f"LS{key}H{n}"
    if isinstance(place, int):
        return f"{prefix}{v['town']}{v['name']}{place}组{n}号", f"LS{key}G{place}H{n}"
    tk = {
        "夏家屯": "XJT",
        "杨家围子": "YJWZ",
        "王家屯": "WJT",
        "李家屯": "LJT",
        "后窝堡": "HWP",
        "张家屯": "ZJT",
        "刘家窝堡": "LJWP",
        "前进屯": "QJT",
        "靠山屯": "KST",
        "大双山屯": "DSST",
        "小双山屯": "XSST",
        "三家子屯": "SJZT",
        "于家屯": "YJT",
    }[place]
    return f"{prefix}{v['town']}{v['name']}{place}{n}号", f"LS{key}{tk}H{n}"


def build() -> None:
    FEATURES.append(feature(COUNTY[0], COUNTY[1], "district", None, geo(box(W, S, E, N))))
    for t_code, town, x0, villages in TOWNS:
        FEATURES.append(feature(t_code, town, "street", COUNTY[0], geo(box(x0, S, x0 + 3000, N))))
        for vi, (key, name, style, split_w, split_e) in enumerate(villages):
            v_code = f"{t_code}{201 + vi:03d}"
            y0 = vi * 3000
            VILLAGES[key] = {"town": town, "name": name, "code": v_code, "style": style}
            FEATURES.append(
                feature(v_code, name, "community", t_code, geo(box(x0, y0, x0 + 3000, y0 + 3000)))
            )
            micro_seq = 0
            for gi, split in enumerate((split_w, split_e)):
                gx0, gx1 = x0 + gi * 1500, x0 + (gi + 1) * 1500
                g_code = f"{v_code}{gi + 1:03d}"
                g_name = f"{name}{'西东'[gi]}片网格" if style == "C" else f"{name}第{gi + 1}网格"
                FEATURES.append(
                    feature(g_code, g_name, "grid", v_code, geo(box(gx0, y0, gx1, y0 + 3000)))
                )
                cuts = [0, *((split,) if isinstance(split, int) else split), 3000]
                for mi in range(len(cuts) - 1):
                    micro_seq += 1
                    poly = box(gx0, y0 + cuts[mi], gx1, y0 + cuts[mi + 1])
                    m_code = f"{g_code}{mi + 1:03d}"
                    MICROS[m_code] = poly
                    VILLAGES[key].setdefault("micros", []).append(
                        (m_code, g_code, mi, micro_seq, poly)
                    )
    # houses
    for key, clusters in CLUSTERS.items():
        for place, x, y, numbers, orient in clusters:
            for k, n in enumerate(numbers):
                hx, hy = house_spots(x, y, k, orient)
                address, code = addr(key, place, n)
                add(
                    code,
                    address,
                    hx,
                    hy,
                    [],
                    key,
                    place if isinstance(place, int) else None,
                    place if isinstance(place, str) else None,
                )
    for key, place, n, x, y, aliases in LANDMARKS:
        address, code = addr(key, place, n)
        add(
            code,
            address,
            x,
            y,
            aliases,
            key,
            place if isinstance(place, int) else None,
            place if isinstance(place, str) else None,
        )
    # micro-grid names, now that the houses are known
    for key, v in VILLAGES.items():
        for m_code, g_code, mi, seq, poly in v["micros"]:
            if v["style"] == "A":
                name = f"{v['name']}第{int(g_code[-1])}网格{mi + 1}号微网格"
            elif v["style"] == "C":
                name = f"{v['name']}第{CN[seq - 1]}网格"
            else:
                groups = sorted(
                    {
                        b["group"]
                        for b in BUILDINGS
                        if b["village"] == key
                        and b["group"]
                        and poly.contains(Point(b["x"], b["y"]))
                    }
                )
                name = (
                    f"{v['name']}{''.join(f'{g}组' for g in groups)}网格"
                    if groups
                    else f"{v['name']}第{seq}网格"
                )
            FEATURES.append(feature(m_code, name, "micro", g_code, geo(poly)))
    FEATURES.append(
        feature(
            f"{VILLAGES['HP']['code']}901",
            "郭家店镇中心小学",
            "exclusive",
            VILLAGES["HP"]["code"],
            geo(box(4720, 960, 4800, 1060)),
            "学校",
        )
    )


# ---------------------------------------------------------------- locating
def micro_of_point(x: float, y: float) -> str:
    p = Point(x, y)
    hits = [c for c, poly in MICROS.items() if poly.contains(p)]
    if len(hits) != 1 or MICROS[hits[0]].exterior.distance(p) < 1.0:
        raise SystemExit(f"point {x:.1f},{y:.1f} is not clearly inside one micro-grid: {hits}")
    return hits[0]


AREA = box(W, S, E, N)


def micro_of_region(region) -> str | None:
    if not AREA.buffer(0.01).contains(region):
        return None
    hits = [c for c, poly in MICROS.items() if poly.buffer(0.01).contains(region)]
    return hits[0] if len(hits) == 1 else None


R_CROSS, R_NEAR, LATERAL = 30.0, 50.0, 20.0
DIRS = {"东": (1, 0), "西": (-1, 0), "南": (0, -1), "北": (0, 1)}
CORNERS = {"东北": (1, 1), "西北": (-1, 1), "东南": (1, -1), "西南": (-1, -1)}


def crossings(a, b):
    inter = ROAD[a].intersection(ROAD[b])
    if inter.is_empty:
        return []
    if isinstance(inter, Point):
        return [inter]
    if isinstance(inter, MultiPoint):
        return list(inter.geoms)
    raise SystemExit(f"{a} and {b} overlap")


def tolerance(dist, how):
    if how == "about":
        return 0.8 * dist, 1.2 * dist
    if how == "more":
        return dist, 1.5 * dist
    d = max(0.1 * dist, 20.0)
    return dist - d, dist + d


def band(o, d, lo, hi, lateral=LATERAL):
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


def side_of(road, side):
    line = ROAD[road]
    strips = [line.buffer(30, single_sided=True), line.buffer(-30, single_sided=True)]
    ux, uy = DIRS[side]
    mid = line.interpolate(0.5, normalized=True)
    probe = Point(mid.x + 10 * ux, mid.y + 10 * uy)
    return next(s for s in strips if s.contains(probe)).difference(line.buffer(2))


def origin(spec):
    if spec[0] == "b":
        b = BY_CODE[spec[1]]
        return Point(b["x"], b["y"])
    if spec[0] == "x":
        pts = crossings(spec[1], spec[2])
        return pts[0] if len(pts) == 1 else None
    return None


def villages_named(town, name):
    return [
        k for k, v in VILLAGES.items() if v["name"] == name and (town is None or v["town"] == town)
    ]


def region_of(spec):
    kind = spec[0]
    if kind == "x":
        _, a, b, corner, offset = spec
        pts = crossings(a, b)
        if len(pts) != 1:
            return None
        o = pts[0]
        if offset:
            lo, hi = tolerance(offset[1], offset[2])
            return band(o, offset[0], lo, hi)
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
    if kind == "off":
        _, ospec, d, dist, how, side = spec
        o = origin(ospec)
        if o is None:
            return None
        lo, hi = tolerance(dist, how)
        if side:
            wide = band(o, d, lo, hi, lateral=60)
            if not AREA.contains(wide):
                return wide
            region = wide.intersection(side_of(*side))
            if region.area < 100:
                raise SystemExit(f"{spec}: the side strip misses the offset")
            return region
        return band(o, d, lo, hi)
    if kind == "near":
        if not spec[1]:
            return None
        return unary_union(
            [Point(BY_CODE[c]["x"], BY_CODE[c]["y"]).buffer(R_NEAR) for c in spec[1]]
        )
    if kind in ("group", "tun"):  # ("group", town, village, g) / ("tun", town, village, name)
        _, town, village, what = spec
        if village is None and kind == "group":
            return None  # a group number names a group only inside its village
        if village is None:  # a 屯 alone: every village that has one of that name
            keys = [k for k in VILLAGES if town is None or VILLAGES[k]["town"] == town]
        else:
            keys = villages_named(town, village)
        field = "group" if kind == "group" else "tun"
        owners = {b["village"] for b in BUILDINGS if b["village"] in keys and b[field] == what}
        if len(owners) != 1:
            return None  # none, or two villages with it
        pts = [
            Point(b["x"], b["y"]) for b in BUILDINGS if b["village"] in owners and b[field] == what
        ]
        return unary_union(pts)
    raise SystemExit(spec)


def truth(spec):
    if spec[0] == "bld":
        if spec[1] is None:
            return None, None
        b = BY_CODE[spec[1]]
        return spec[1], micro_of_point(b["x"], b["y"])
    region = region_of(spec)
    if region is None or region.is_empty:
        return None, None
    return None, micro_of_region(region)


def X(a, b, corner=None, offset=None):
    return ("x", a, b, corner, offset)


def OFF(ospec, d, dist, how="exact", side=None):
    return ("off", ospec, d, dist, how, side)


def A(alias):
    hits = [b["code"] for b in BUILDINGS if alias in b["aliases"]]
    if len(hits) != 1:
        raise SystemExit(f"alias {alias}: {hits}")
    return ("b", hits[0])


def NEAR(*aliases):
    return ("near", [A(a)[1] for a in aliases])


def TUN_NEAR(key, tun):
    return ("near", [b["code"] for b in BUILDINGS if b["village"] == key and b["tun"] == tun])


def G(village, g, town=None):
    return ("group", town, village, g)


def T(tun, village=None, town=None):
    return ("tun", town, village, tun)


def queries():
    Q = []

    def q(kind, text, spec):
        Q.append((kind, text, spec))

    # --- intersection ------------------------------------------------------------------
    x = "intersection"
    q(x, "X035与X031交叉口有大车压坏路面", X("X035", "X031"))
    q(x, "来电人反映X035和X031交汇处东北角有人占道卖西瓜", X("X035", "X031", "东北"))
    q(x, "X031、X035路口西南角排水沟堵了", X("X031", "X035", "西南"))
    q(x, "县道X035与乡道Y108交叉口路面塌陷", X("X035", "Y108"))
    q(x, "X035与Y108交叉口西南角有积水", X("X035", "Y108", "西南"))
    q(x, "X035/Y108 东北角 秸秆堆放占道", X("X035", "Y108", "东北"))
    q(x, "X035与Y112交叉口有人焚烧秸秆", X("X035", "Y112"))
    q(x, "X035 Y112路口西北角树倒了", X("X035", "Y112", "西北"))
    q(x, "X035与新立村村路交叉口有大坑", X("X035", "新立村村路"))
    q(x, "X035与新立村村路交叉口东北角垃圾堆放", X("X035", "新立村村路", "东北"))
    q(x, "兴隆村环村路与X035交叉口路灯不亮", X("兴隆村环村路", "X035"))
    q(x, "兴隆村环村路和X031交叉口有人烧荒", X("兴隆村环村路", "X031"))
    q(x, "Y108与Y112交叉口积水", X("Y108", "Y112"))
    q(x, "八里庙村路与Y108交叉口有死狗", X("八里庙村路", "Y108"))
    q(x, "八里庙村路与Y108交叉口东北角的电线杆歪了", X("八里庙村路", "Y108", "东北"))
    q(x, "永安村路与Y108交叉口西北角有人倾倒垃圾", X("永安村路", "Y108", "西北"))
    q(x, "永安村路Y108路口车辆乱停", X("永安村路", "Y108"))
    q(x, "红光村路与Y115交叉口路面结冰", X("红光村路", "Y115"))
    q(x, "红光村路和Y115交汇处西南角有违建", X("红光村路", "Y115", "西南"))
    q(x, "Y115与Y112交叉口有人烧秸秆", X("Y115", "Y112"))
    q(x, "Y115与X031交叉口信号灯坏了", X("Y115", "X031"))
    q(x, "东升村路与Y112交叉口道路破损", X("东升村路", "Y112"))
    q(x, "东升村路与Y115交叉口有积水", X("东升村路", "Y115"))
    q(x, "X047与X031交叉口车辆违停", X("X047", "X031"))
    q(x, "X047与X031交叉口西北角有人摆摊", X("X047", "X031", "西北"))
    q(x, "X047、Y112路口东南角堆放杂物", X("X047", "Y112", "东南"))
    q(x, "X047与三家子村路交叉口路灯不亮", X("X047", "三家子村路"))
    q(x, "X047与三家子村路交叉口西南角有垃圾", X("X047", "三家子村路", "西南"))
    q(x, "和平村村路与Y120交叉口有人焚烧垃圾", X("和平村村路", "Y120"))
    q(x, "X047与Y120交叉口路面坑洼", X("X047", "Y120"))
    q(x, "夏家村村路与Y112交叉口积水", X("夏家村村路", "Y112"))
    q(x, "太平村村路与X031交叉口有大车违停", X("太平村村路", "X031"))
    q(x, "X035与X031交叉口往北500米路面坍塌", X("X035", "X031", None, ("北", 500, "exact")))
    q(x, "X031与Y115交叉口往东约1公里有人烧荒", X("X031", "Y115", None, ("东", 1000, "about")))
    q(x, "Y112与X035交叉口往西300米左右", X("Y112", "X035", None, ("西", 300, "about")))

    # --- landmark_offset ----------------------------------------------------------------
    o = "landmark_offset"
    q(
        o,
        "八里庙村村委会向北200米路西有人焚烧秸秆",
        OFF(A("八里庙村村委会"), "北", 200, side=("八里庙村路", "西")),
    )
    q(o, "八里庙村卫生室往南走400多米有死鸡乱扔", OFF(A("八里庙村卫生室"), "南", 400, "more"))
    q(o, "郭家店镇中心小学往东走100多米有人烧垃圾", OFF(A("郭家店镇中心小学"), "东", 100, "more"))
    q(o, "郭家店中心校以北约300米，路边有动物尸体", OFF(A("郭家店中心校"), "北", 300, "about"))
    q(
        o,
        "来电人反映太平村村委会以南约300米有人私建猪圈",
        OFF(A("太平村村委会"), "南", 300, "about"),
    )
    q(o, "太平超市往东1公里", OFF(A("太平超市"), "东", 1000))
    q(o, "兴隆村村委会向西200米有人倒垃圾", OFF(A("兴隆村村委会"), "西", 200))
    q(
        o,
        "兴隆超市向北约500米路东的边沟堵了",
        OFF(A("兴隆超市"), "北", 500, "about", ("X035", "东")),
    )
    q(
        o,
        "新立村村委会往北300米路西有秸秆堆",
        OFF(A("新立村村委会"), "北", 300, side=("X035", "西")),
    )
    q(o, "新立村卫生室以东约200米", OFF(A("新立村卫生室"), "东", 200, "about"))
    q(o, "永安村村委会往南走300多米有人烧荒", OFF(A("永安村村委会"), "南", 300, "more"))
    q(o, "榆树台粮库西侧50米路面塌了", OFF(A("榆树台粮库"), "西", 50))
    q(o, "红光村村委会向东约500米有违建", OFF(A("红光村村委会"), "东", 500, "about"))
    q(o, "红光村卫生室以北100米有积水", OFF(A("红光村卫生室"), "北", 100))
    q(o, "东升村村委会往西300米", OFF(A("东升村村委会"), "西", 300))
    q(o, "榆树台镇卫生院以南约1公里有人放牛踩坏庄稼", OFF(A("榆树台镇卫生院"), "南", 1000, "about"))
    q(
        o,
        "孤家子镇和平村村委会往东走200多米有垃圾",
        OFF(A("孤家子镇和平村村委会"), "东", 200, "more"),
    )
    q(o, "双山村村委会以北约200米有人挖沙", OFF(A("双山村村委会"), "北", 200, "about"))
    q(o, "孤家子加油站往东500米路南有大坑", OFF(A("孤家子加油站"), "东", 500, side=("X031", "南")))
    q(o, "三家子村村委会向南约300米有人焚烧秸秆", OFF(A("三家子村村委会"), "南", 300, "about"))
    q(o, "夏家村村委会往北200米", OFF(A("夏家村村委会"), "北", 200))
    q(
        o,
        "X035与X031交叉口往西2公里路北",
        OFF(("x", "X035", "X031"), "西", 2000, side=("X031", "北")),
    )
    q(o, "Y108与X035交叉口以南约2公里", OFF(("x", "Y108", "X035"), "南", 2000, "about"))
    q(o, "X047与Y120交叉口往东3公里", OFF(("x", "X047", "Y120"), "东", 3000))
    q(
        o,
        "X047与Y112交叉口向北500米路东",
        OFF(("x", "X047", "Y112"), "北", 500, side=("X047", "东")),
    )
    q(o, "梨树县第一中学往北200米有人烧垃圾", OFF(("none",), "北", 200))
    q(o, "村委会向北200米有人烧秸秆", OFF(("none",), "北", 200))
    q(o, "和平村村委会往南100米", OFF(("none",), "南", 100))

    # --- group_alone --------------------------------------------------------------------
    g = "group_alone"
    q(g, "八里庙村3组有人焚烧秸秆", G("八里庙村", 3))
    q(g, "梨树镇八里庙村第一村民小组道路结冰", G("八里庙村", 1, "梨树镇"))
    q(g, "八里庙村二组路灯不亮", G("八里庙村", 2))
    q(g, "八里庙村4组有人私拉电网", G("八里庙村", 4))
    q(g, "八里庙村五组有人私建猪圈", G("八里庙村", 5))
    q(g, "太平村3组有人焚烧秸秆", G("太平村", 3))
    q(g, "太平村第二村民小组自来水停了三天", G("太平村", 2))
    q(g, "太平村5组的排水沟堵了", G("太平村", 5))
    q(g, "梨树镇太平村6组垃圾堆放", G("太平村", 6, "梨树镇"))
    q(g, "太平村四组的路被拉粮车压坏了", G("太平村", 4))
    q(g, "太平村9组有人烧荒", G("太平村", 9))
    q(g, "新立村1组有人违规建房", G("新立村", 1))
    q(g, "新立村三组狗咬人", G("新立村", 3))
    q(g, "郭家店镇新立村第4村民小组路灯不亮", G("新立村", 4, "郭家店镇"))
    q(g, "新立村2组的井盖没了", G("新立村", 2))
    q(g, "郭家店镇和平村3组有人焚烧秸秆", G("和平村", 3, "郭家店镇"))
    q(g, "郭家店镇和平村2组", G("和平村", 2, "郭家店镇"))
    q(g, "和平村1组有人烧荒", G("和平村", 1))
    q(g, "孤家子镇和平村4组有人往沟里倒垃圾", G("和平村", 4, "孤家子镇"))
    q(g, "孤家子镇和平村第二村民小组停电了", G("和平村", 2, "孤家子镇"))
    q(g, "红光村1组有人焚烧秸秆", G("红光村", 1))
    q(g, "红光村三组道路积水", G("红光村", 3))
    q(g, "夏家村3组有人烧秸秆，浓烟很大", G("夏家村", 3))
    q(g, "三组有人焚烧秸秆", G(None, 3))
    q(g, "第三村民小组有人私拉电线", G(None, 3))
    q(g, "6组有人放鞭炮", G(None, 6))
    q(g, "东升村2组", G("东升村", 2))
    q(g, "榆树台镇红光村2组垃圾没人清", G("红光村", 2, "榆树台镇"))

    # --- tun_alone ----------------------------------------------------------------------
    t = "tun_alone"
    q(t, "王家屯有人焚烧秸秆", T("王家屯"))
    q(t, "兴隆村王家屯路灯不亮", T("王家屯", "兴隆村"))
    q(t, "张家屯自来水管冻裂了", T("张家屯"))
    q(t, "永安村刘家窝堡有人私挖河沙", T("刘家窝堡", "永安村"))
    q(t, "前进屯有人烧荒", T("前进屯"))
    q(t, "榆树台镇靠山屯路灯不亮", T("靠山屯", None, "榆树台镇"))
    q(t, "大双山屯垃圾堆放", T("大双山屯"))
    q(t, "小双山屯有人养狗扰民", T("小双山屯"))
    q(t, "三家子屯道路结冰", T("三家子屯"))
    q(t, "夏家屯有人焚烧秸秆", T("夏家屯"))
    q(t, "夏家村杨家围子自然村有人私建", T("杨家围子", "夏家村"))
    q(t, "兴隆村李家屯排水沟堵塞", T("李家屯", "兴隆村"))
    q(t, "红光村李家屯有人焚烧垃圾", T("李家屯", "红光村"))
    q(t, "李家屯有人烧荒", T("李家屯"))
    q(t, "后窝堡停电了", T("后窝堡"))
    q(t, "于家屯有人私拉电网", T("于家屯"))
    q(t, "赵家屯路灯坏了", T("赵家屯"))
    q(t, "马家屯有人焚烧秸秆", T("马家屯"))

    # --- near ---------------------------------------------------------------------------
    n = "near"
    q(n, "八里庙村村委会旁边有人焚烧垃圾", NEAR("八里庙村村委会"))
    q(n, "八里庙村卫生室门口积水", NEAR("八里庙村卫生室"))
    q(n, "太平村村委会对面有人乱堆柴草", NEAR("太平村村委会"))
    q(n, "太平超市门口车辆乱停", NEAR("太平超市"))
    q(n, "郭家店镇中心小学门口有流动摊贩", NEAR("郭家店镇中心小学"))
    q(n, "郭家店镇和平村村委会附近有人烧秸秆", NEAR("郭家店镇和平村村委会"))
    q(n, "和平村村委会附近路灯不亮", ("near", None))
    q(n, "兴隆村村委会隔壁养狗扰民", NEAR("兴隆村村委会"))
    q(n, "兴隆超市旁边有个大坑", NEAR("兴隆超市"))
    q(n, "新立村村委会对面的边沟堵了", NEAR("新立村村委会"))
    q(n, "新立村卫生室门口有垃圾", NEAR("新立村卫生室"))
    q(n, "永安村村委会旁边有人私建", NEAR("永安村村委会"))
    q(n, "榆树台粮库附近有人焚烧秸秆", NEAR("榆树台粮库"))
    q(n, "红光村卫生室对面有人倾倒垃圾", NEAR("红光村卫生室"))
    q(n, "东升村村委会门口路面塌了", NEAR("东升村村委会"))
    q(n, "榆树台镇卫生院门口车辆乱停", NEAR("榆树台镇卫生院"))
    q(n, "双山村村委会附近有人挖沙", NEAR("双山村村委会"))
    q(n, "孤家子加油站旁边有人卖散装汽油", NEAR("孤家子加油站"))
    q(n, "三家子村部对面有人烧荒", NEAR("三家子村部"))
    q(n, "梨树县人民医院附近有人乱停车", ("near", None))
    q(n, "王家屯附近有人焚烧秸秆", TUN_NEAR("XL", "王家屯"))
    q(n, "后窝堡附近停电", TUN_NEAR("XL", "后窝堡"))
    q(n, "红光村村委会旁边有人乱倒垃圾", NEAR("红光村村委会"))
    q(n, "夏家村村委会门口积水", NEAR("夏家村村委会"))

    # --- county_city --------------------------------------------------------------------
    c = "county_city"
    for right, wrong in [
        (("吉林省四平市梨树县郭家店镇和平村3组5号", "LSHPG3H5"), "双辽市郭家店镇和平村3组5号"),
        (("四平市梨树县梨树镇八里庙村3组12号", "LSBLMG3H12"), "公主岭市梨树镇八里庙村3组12号"),
        (("吉林梨树榆树台永安村张家屯5号", "LSYAZJTH5"), "伊通县榆树台镇永安村张家屯5号"),
        (
            ("四平梨树县孤家子镇双山村大双山屯4号", "LSSSDSSTH4"),
            "四平市铁东区孤家子镇双山村大双山屯4号",
        ),
        (("吉林省四平市梨树县梨树镇太平村6组13号", "LSTPG6H13"), "双辽市太平村6组13号"),
        (("梨树县郭家店镇兴隆村王家屯8号", "LSXLWJTH8"), "公主岭市兴隆村王家屯8号"),
        (("四平市梨树县榆树台镇红光村李家屯6号", "LSHGLJTH6"), "四平市铁西区红光村李家屯6号"),
        (
            ("吉林省梨树县孤家子镇三家子村三家子屯3号", "LSSJZSJZTH3"),
            "伊通满族自治县三家子村三家子屯3号",
        ),
        (("四平市梨树县郭家店镇新立村4组16号", "LSXLIG4H16"), "吉林省双辽市郭家店镇新立村4组16号"),
        (
            ("吉林省四平市梨树县榆树台镇东升村靠山屯10号", "LSDSKSTH10"),
            "辽宁省昌图县东升村靠山屯10号",
        ),
        (
            ("吉林省四平市梨树县孤家子镇和平村2组9号", "LSGHPG2H9"),
            "吉林省长春市公主岭市孤家子镇和平村2组9号",
        ),
    ]:
        q(c, right[0], ("bld", right[1]))
        q(c, wrong, ("bld", None))

    # --- english_order ------------------------------------------------------------------
    e = "english_order"
    for text, code in [
        ("12号，3组，八里庙村，梨树镇，梨树县", "LSBLMG3H12"),
        (
            "No. 12, Group 3, Balimiao Village, Lishu Town, Lishu County, Siping, Jilin",
            "LSBLMG3H12",
        ),
        ("15号 3组 太平村 梨树镇 梨树县", "LSTPG3H15"),
        ("No. 15, Group 3, Taiping Village, Lishu Town, Lishu County", "LSTPG3H15"),
        ("8号，王家屯，兴隆村，郭家店镇，梨树县，四平市", "LSXLWJTH8"),
        ("No. 8, Wangjiatun, Xinglong Village, Guojiadian Town, Lishu County", "LSXLWJTH8"),
        ("No. 9, Group 3, Heping Village, Guojiadian Town, Lishu County, Jilin", "LSHPG3H9"),
        ("4号，刘家窝堡，永安村，榆树台镇，梨树县", "LSYALJWPH4"),
        ("No. 6, Qianjintun, Dongsheng Village, Yushutai Town, Lishu County", None),
        ("No. 5, Qianjintun, Dongsheng Village, Yushutai Town, Lishu County", "LSDSQJTH5"),
        ("10号，4组，和平村，孤家子镇，梨树县，四平市，吉林省", "LSGHPG4H10"),
        ("No. 7, Group 1, Xinli Village, Guojiadian Town, Lishu County", "LSXLIG1H7"),
        ("20号，大双山屯，双山村，孤家子镇，梨树县", "LSSSDSSTH20"),
        ("1号，兴隆村，郭家店镇，梨树县", "LSXLH1"),
        ("No. 2, Xiajiatun, Xiajia Village, Lishu Town, Lishu County", None),
        ("No. 7, Group 3, Hongguang Village, Yushutai Town, Lishu County", "LSHGG3H7"),
    ]:
        q(e, text, ("bld", code))

    # --- building -----------------------------------------------------------------------
    bq = "building"
    for text, code in [
        ("梨树县梨树镇八里庙村1组15号", "LSBLMG1H15"),
        ("梨树镇八里庙村4组9号", "LSBLMG4H9"),
        ("梨树县梨树镇太平村5组22号", "LSTPG5H22"),
        ("梨树县梨树镇夏家村夏家屯7号", "LSXJXJTH7"),
        ("夏家村杨家围子5号", "LSXJYJWZH5"),
        ("郭家店镇和平村1组10号", "LSHPG1H10"),
        ("梨树县郭家店镇兴隆村后窝堡7号", "LSXLHWPH7"),
        ("兴隆村李家屯9号", "LSXLLJTH9"),
        ("郭家店镇新立村5组9号", "LSXLIG5H9"),
        ("榆树台镇永安村张家屯3号", "LSYAZJTH3"),
        ("红光村2组12号", "LSHGG2H12"),
        ("东升村靠山屯14号", "LSDSKSTH14"),
        ("孤家子镇和平村3组8号", "LSGHPG3H8"),
        ("双山村小双山屯7号", "LSSSXSSTH7"),
        ("三家子村于家屯9号", "LSSJZYJTH9"),
        ("八里庙村村委会", A("八里庙村村委会")[1]),
        ("兴隆村委会", A("兴隆村委会")[1]),
        ("郭家店中心校", A("郭家店中心校")[1]),
        ("榆树台粮库", A("榆树台粮库")[1]),
        ("榆树台镇卫生院", A("榆树台镇卫生院")[1]),
        ("孤家子加油站", A("孤家子加油站")[1]),
        ("八里庙村3组13号", None),
        ("梨树县梨树镇太平村7组2号", None),
        ("兴隆村王家屯4号", None),
        ("三家子村三家子屯30号", None),
        ("和平村2组1号", None),
    ]:
        assert code is None or code in BY_CODE, code
        q(bq, text, ("bld", code))
    return Q


def write_all() -> None:
    build()
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
    lines, stats = [], Counter()
    for kind, text, spec in queries():
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
        print(f"{k:16} positive {stats[(k, True)]:3}  refuse {stats[(k, False)]:3}")
    print(f"buildings {len(BUILDINGS)}, micro-grids {len(MICROS)}, queries {len(lines)}")


if __name__ == "__main__":
    write_all()
