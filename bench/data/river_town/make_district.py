"""Write the river-town evaluation district: 广州市荔湾区 (西关 old town).

    python3 bench/data/river_town/make_district.py

Real street offices of 荔湾区 (多宝、逢源、龙津、华林街道) and roads of the old town (恩宁路,
宝华路, 多宝路, 宝源路, 逢源路, 文昌北路 / 南路, 龙津东路 / 西路, 华贵路, 第十甫路, 上九路,
下九路, 康王中路, 长寿东路 / 西路, 杨巷路, 带河路, 和平西路); the 社区, the 街 / 巷 / 里 / 坊 /
约 inside them, the door numbers, the aliases and the geometry are ours (rectangles over the
old town's real area, codes under 440103), not checked against the city's register.

Addresses are written the way Guangzhou's 标准地址 writes them: a road and a number
(恩宁路112号), annex numbers 之一 / 之二 / 之十二 (恩宁路12号之三, 康王中路500号之十二), streets
of one name told apart by their kind (耀华大街 / 耀华直街 / 耀华横街, 带河路 / 带河路直街 /
带河路横街, 逢源北街 / 逢源正街 / 逢源正中约), 里 / 巷 / 坊 under a road (恩宁路吉祥里3号,
宝华路十五甫三巷5号) or on their own (多宝坊3号), 甫 names that carry numerals (第十甫路,
十八甫北路, 十五甫), a 大院 with 自编 buildings (文昌南路88号大院自编2栋) and 小区 of 座
(宝苑2座, 蓬莱苑3座). Official addresses carry 广州市荔湾区, the rows of 华林街道 only 荔湾区.

Outputs grids.geojson (for `wangge import_grids`), buildings.csv (for
`wangge import_buildings`) and queries.jsonl (for `wangge address_eval`), all deterministic.
The queries are written by hand below, in the words of residents and 12345 operators.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DISTRICT = ("440103", "荔湾区")
# The 西关 old town between 中山八路 and the river, roughly.
WEST, SOUTH, EAST, NORTH = 113.236, 23.116, 113.262, 23.136

# Streets are the quadrants of the box (SW, NW, NE, SE); each holds a western and an
# eastern community.
STREETS = [
    ("440103011", "多宝街道", [("440103011001", "宝华社区"), ("440103011002", "多宝社区")]),
    ("440103013", "逢源街道", [("440103013001", "耀华社区"), ("440103013002", "文昌社区")]),
    ("440103014", "龙津街道", [("440103014001", "龙津社区"), ("440103014002", "蓬莱社区")]),
    ("440103010", "华林街道", [("440103010001", "华林社区"), ("440103010002", "杨巷社区")]),
]
QUADRANTS = [(0, 0), (0, 1), (1, 1), (1, 0)]  # (column, row) of each street
EXCLUSIVE = [
    ("440103011001901", "宝华小学", "学校", "440103011001"),
    ("440103014002901", "上下九商圈", "商圈", "440103014002"),
]

CITY = "广州市荔湾区"
LOCAL = "荔湾区"

Row = tuple[str, str, list[str]]


def rows(prefix: str, items: list[tuple[str, str, list[str]]]) -> list[Row]:
    return [(code, prefix + address, aliases) for code, address, aliases in items]


# One block = the buildings put in one micro-grid; a community's blocks go round its four
# micro-grids in order.
BLOCKS: list[tuple[str, list[Row]]] = [
    # 宝华社区: 恩宁路 12 / 112 / 121 with annexes, 30号 (also on 多宝路).
    (
        "440103011001",
        rows(
            CITY,
            [
                ("LWEN12", "恩宁路12号", []),
                ("LWEN12Z1", "恩宁路12号之一", []),
                ("LWEN12Z2", "恩宁路12号之二", []),
                ("LWEN12Z3", "恩宁路12号之三", []),
                ("LWEN112", "恩宁路112号", ["恩宁大楼"]),
                ("LWEN112Z1", "恩宁路112号之一", []),
                ("LWEN121", "恩宁路121号", ["恩宁大押"]),
                ("LWEN30", "恩宁路30号", []),
            ],
        ),
    ),
    # 吉祥里, once 吉祥坊: 3 and 13.
    (
        "440103011001",
        rows(
            CITY,
            [(f"LWJXL{n}", f"恩宁路吉祥里{n}号", [f"吉祥坊{n}号"]) for n in [1, 2, 3, 5, 6, 13]],
        ),
    ),
    # 十五甫: a name with a numeral, its 三巷 and its 正街.
    (
        "440103011001",
        rows(
            CITY,
            [
                *[(f"LWSWF3X{n}", f"宝华路十五甫三巷{n}号", []) for n in [1, 2, 3, 5]],
                ("LWSWFZ8", "宝华路十五甫正街8号", []),
                ("LWSWFZ18", "宝华路十五甫正街18号", []),
            ],
        ),
    ),
    (
        "440103011001",
        rows(
            CITY,
            [
                ("LWBH8", "宝华路8号", []),
                ("LWBH88", "宝华路88号", ["宝华大厦"]),
                ("LWBH88Z1", "宝华路88号之一", []),
                ("LWBH188", "宝华路188号", []),
            ],
        ),
    ),
    # 多宝社区: 多宝路 3 / 30 / 33 / 303 beside 多宝坊 1 / 2 / 3 / 5 / 13 / 20; 宝苑 小区.
    (
        "440103011002",
        rows(
            CITY,
            [
                ("LWDB3", "多宝路3号", []),
                ("LWDB30", "多宝路30号", []),
                ("LWDB30Z1", "多宝路30号之一", []),
                ("LWDB33", "多宝路33号", []),
                ("LWDB303", "多宝路303号", []),
            ],
        ),
    ),
    (
        "440103011002",
        rows(CITY, [(f"LWDBF{n}", f"多宝坊{n}号", []) for n in [1, 2, 3, 5, 13]]),
    ),
    (
        "440103011002",
        rows(
            CITY,
            [
                (f"LWDB{n}", f"多宝路{n}号", [f"宝苑{i}座", "宝苑小区"])
                for i, n in enumerate([126, 128, 130], start=1)
            ],
        ),
    ),
    (
        "440103011002",
        rows(
            CITY,
            [
                ("LWDB200", "多宝路200号", ["多宝街道办事处", "多宝街道办"]),
                ("LWDBF20", "多宝坊20号", ["多宝社区居委会", "多宝居委"]),
            ],
        ),
    ),
    # 耀华社区: 大街 / 直街 / 横街 of one name, 逢源北街 / 正街 / 正中约, 宝源路 / 宝源北街.
    (
        "440103013001",
        rows(
            CITY,
            [
                ("LWYHD1", "耀华大街1号", []),
                ("LWYHD11", "耀华大街11号", []),
                ("LWYHD21", "耀华大街21号", []),
                ("LWYHZ1", "耀华直街1号", []),
                ("LWYHZ11", "耀华直街11号", []),
                ("LWYHH1", "耀华横街1号", []),
            ],
        ),
    ),
    (
        "440103013001",
        rows(
            CITY,
            [
                ("LWFYB5", "逢源北街5号", []),
                ("LWFYB15", "逢源北街15号", []),
                ("LWFYB55", "逢源北街55号", []),
                ("LWFYZ5", "逢源正街5号", []),
                ("LWFYZY8", "逢源正中约8号", []),
            ],
        ),
    ),
    (
        "440103013001",
        rows(
            CITY,
            [
                ("LWBY18", "宝源路18号", []),
                ("LWBY18Z1", "宝源路18号之一", []),
                ("LWBY18Z2", "宝源路18号之二", []),
                ("LWBYB18", "宝源北街18号", []),
            ],
        ),
    ),
    (
        "440103013001",
        rows(
            CITY,
            [
                ("LWFY72", "逢源路72号", ["源昌大屋"]),
                ("LWFY76", "逢源路76号", ["黎家大屋"]),
                ("LWFY7", "逢源路7号", []),
            ],
        ),
    ),
    # 文昌社区: 文昌北路 / 南路 with the same 20号, 仁安里 / 仁爱里, a 大院 of 自编 buildings.
    (
        "440103013002",
        rows(
            CITY,
            [
                ("LWWCB20", "文昌北路20号", []),
                ("LWWCB20Z1", "文昌北路20号之一", []),
                ("LWWCN20", "文昌南路20号", []),
                ("LWWCB200", "文昌北路200号", []),
            ],
        ),
    ),
    (
        "440103013002",
        rows(
            CITY,
            [
                *[(f"LWRAL{n}", f"文昌北路仁安里{n}号", []) for n in [1, 2, 3]],
                *[(f"LWRIL{n}", f"文昌北路仁爱里{n}号", []) for n in [3, 4]],
            ],
        ),
    ),
    (
        "440103013002",
        rows(
            CITY,
            [(f"LWWCN88B{n}", f"文昌南路88号大院自编{n}栋", ["文南大院"]) for n in [1, 2, 3]],
        ),
    ),
    (
        "440103013002",
        rows(
            CITY,
            [
                ("LWWCB66", "文昌北路66号", []),
                ("LWWCB66Z1", "文昌北路66号之一", []),
                ("LWWCB6", "文昌北路6号", []),
                ("LWWCB166", "文昌北路166号", []),
            ],
        ),
    ),
    # 龙津社区: 龙津东路 / 西路 with the same numbers, 光雅里, 华贵路 33 / 333.
    (
        "440103014001",
        rows(
            CITY,
            [
                ("LWLJX50", "龙津西路50号", []),
                ("LWLJX150", "龙津西路150号", []),
                ("LWLJX50Z1", "龙津西路50号之一", []),
                ("LWLJD50", "龙津东路50号", []),
                ("LWLJD150", "龙津东路150号", []),
            ],
        ),
    ),
    (
        "440103014001",
        rows(
            CITY,
            [
                ("LWGYL1", "龙津西路光雅里1号", []),
                ("LWGYL2", "龙津西路光雅里2号", []),
                ("LWGYL3", "龙津西路光雅里3号", []),
                ("LWGYL12", "龙津西路光雅里12号", ["龙津社区居委会", "龙津居委"]),
            ],
        ),
    ),
    (
        "440103014001",
        rows(
            CITY,
            [
                ("LWHG33", "华贵路33号", ["华贵大楼"]),
                ("LWHG333", "华贵路333号", []),
                ("LWHG33Z1", "华贵路33号之一", []),
            ],
        ),
    ),
    # 蓬莱社区: 蓬莱正街 / 北街, 第十甫路 / 十八甫北路, 上九路 / 下九路, 蓬莱苑.
    (
        "440103014002",
        rows(
            CITY,
            [
                *[(f"LWPLZ{n}", f"蓬莱正街{n}号", []) for n in [1, 2, 3, 10]],
                *[(f"LWPLB{n}", f"蓬莱北街{n}号", []) for n in [1, 2]],
            ],
        ),
    ),
    (
        "440103014002",
        rows(
            CITY,
            [
                ("LWDSF8", "第十甫路8号", []),
                ("LWDSF18", "第十甫路18号", []),
                ("LWDSF108", "第十甫路108号", []),
                ("LWSBFB8", "十八甫北路8号", []),
            ],
        ),
    ),
    (
        "440103014002",
        rows(
            CITY,
            [
                ("LWSJ9", "上九路9号", []),
                ("LWXJ9", "下九路9号", []),
                ("LWXJ99", "下九路99号", []),
            ],
        ),
    ),
    (
        "440103014002",
        rows(
            CITY,
            [
                (f"LWPLB{n}", f"蓬莱北街{n}号", [f"蓬莱苑{i}座", "蓬莱苑"])
                for i, n in enumerate([20, 22, 24], start=1)
            ],
        ),
    ),
    # 华林社区 (written 荔湾区 only): 西来正街 / 后街, 长寿东路 / 西路, 康王中路 之二 / 之十二.
    (
        "440103010001",
        rows(
            LOCAL,
            [
                ("LWXLZ3", "西来正街3号", []),
                ("LWXLZ13", "西来正街13号", []),
                ("LWXLH3", "西来后街3号", []),
            ],
        ),
    ),
    (
        "440103010001",
        rows(
            LOCAL,
            [
                ("LWCSX8", "长寿西路8号", ["华林玉器城"]),
                ("LWCSD8", "长寿东路8号", []),
            ],
        ),
    ),
    (
        "440103010001",
        rows(
            LOCAL,
            [
                ("LWKW500", "康王中路500号", []),
                ("LWKW500Z2", "康王中路500号之二", []),
                ("LWKW500Z12", "康王中路500号之十二", []),
                ("LWKW50", "康王中路50号", []),
            ],
        ),
    ),
    # 杨巷社区 (荔湾区 only): 带河路 / 直街 / 横街 all 6号, 杨巷路 22 / 222, an old street name.
    (
        "440103010002",
        rows(
            LOCAL,
            [
                ("LWDH6", "带河路6号", []),
                ("LWDHZ6", "带河路直街6号", []),
                ("LWDHH6", "带河路横街6号", []),
            ],
        ),
    ),
    (
        "440103010002",
        rows(
            LOCAL,
            [
                ("LWYX22", "杨巷路22号", []),
                ("LWYX22Z1", "杨巷路22号之一", []),
                ("LWYX222", "杨巷路222号", []),
            ],
        ),
    ),
    (
        "440103010002",
        rows(LOCAL, [("LWHPX15", "和平西路15号", ["打铜街15号"])]),
    ),
    (
        "440103010002",
        rows(
            LOCAL,
            [("LWYX100", "杨巷路100号", ["华林街道社区服务中心", "华林街道党群服务中心"])],
        ),
    ),
]

# ---- queries, written by hand: (query, expected code or None) by kind ----

Q = dict[str, list[tuple[str, str | None]]]
QUERIES: Q = {
    "full": [
        ("广州市荔湾区恩宁路12号之二", "LWEN12Z2"),
        ("广州市荔湾区恩宁路112号", "LWEN112"),
        ("广州市荔湾区恩宁路吉祥里13号", "LWJXL13"),
        ("广州市荔湾区宝华路十五甫三巷5号", "LWSWF3X5"),
        ("广州市荔湾区多宝坊3号", "LWDBF3"),
        ("广州市荔湾区耀华直街11号", "LWYHZ11"),
        ("广州市荔湾区逢源正中约8号", "LWFYZY8"),
        ("广州市荔湾区文昌南路88号大院自编2栋", "LWWCN88B2"),
        ("广州市荔湾区龙津西路光雅里12号", "LWGYL12"),
        ("广州市荔湾区第十甫路108号", "LWDSF108"),
        ("荔湾区康王中路500号之十二", "LWKW500Z12"),
        ("荔湾区带河路横街6号", "LWDHH6"),
    ],
    "no_city": [
        ("恩宁路121号", "LWEN121"),
        ("荔湾恩宁路30号", "LWEN30"),
        ("广州恩宁路12号", "LWEN12"),
        ("广州荔湾多宝路303号", "LWDB303"),
        ("宝源路18号之二", "LWBY18Z2"),
        ("荔湾区逢源北街55号", "LWFYB55"),
        ("文昌北路200号", "LWWCB200"),
        ("广州市龙津东路150号", "LWLJD150"),
        ("蓬莱正街10号", "LWPLZ10"),
        ("下九路99号", "LWXJ99"),
        ("杨巷路222号", "LWYX222"),
        ("广州西来正街13号", "LWXLZ13"),
    ],
    "number_contain": [
        ("荔湾区恩宁路12号", "LWEN12"),
        ("恩宁路112号之一", "LWEN112Z1"),
        ("多宝路3号", "LWDB3"),
        ("多宝路33号", "LWDB33"),
        ("多宝路30号", "LWDB30"),
        ("宝华路8号", "LWBH8"),
        ("宝华路188号", "LWBH188"),
        ("多宝坊13号", "LWDBF13"),
        ("恩宁路吉祥里3号", "LWJXL3"),
        ("文昌北路6号", "LWWCB6"),
        ("文昌北路166号", "LWWCB166"),
        ("龙津西路150号", "LWLJX150"),
        ("华贵路333号", "LWHG333"),
        ("耀华大街21号", "LWYHD21"),
        ("逢源北街15号", "LWFYB15"),
        ("逢源路7号", "LWFY7"),
    ],
    "annex_zhi": [
        ("恩宁路12号之一", "LWEN12Z1"),
        ("恩宁路12号之3", "LWEN12Z3"),
        ("恩宁路12之二", "LWEN12Z2"),
        ("恩宁路12-1号", "LWEN12Z1"),
        ("多宝路30号之1", "LWDB30Z1"),
        ("宝源路18号之一", "LWBY18Z1"),
        ("宝源路18号之2", "LWBY18Z2"),
        ("康王中路500号之十二", "LWKW500Z12"),
        ("康王中路500号之12", "LWKW500Z12"),
        ("康王中路500号之二", "LWKW500Z2"),
        ("文昌北路66号之一", "LWWCB66Z1"),
        ("龙津西路50号之一", "LWLJX50Z1"),
        ("华贵路33号之一", "LWHG33Z1"),
        ("杨巷路22号之一", "LWYX22Z1"),
        ("宝华路88号之一", "LWBH88Z1"),
    ],
    "street_kind": [
        ("耀华大街1号", "LWYHD1"),
        ("耀华直街1号", "LWYHZ1"),
        ("耀华横街1号", "LWYHH1"),
        ("耀华大街11号", "LWYHD11"),
        ("带河路6号", "LWDH6"),
        ("带河路直街6号", "LWDHZ6"),
        ("带河直街6号", "LWDHZ6"),
        ("逢源正街5号", "LWFYZ5"),
        ("逢源北街5号", "LWFYB5"),
        ("西来后街3号", "LWXLH3"),
        ("西来正街3号", "LWXLZ3"),
        ("宝源北街18号", "LWBYB18"),
    ],
    "near_name": [
        ("龙津东路50号", "LWLJD50"),
        ("龙津西路50号", "LWLJX50"),
        ("文昌南路20号", "LWWCN20"),
        ("文昌北路20号", "LWWCB20"),
        ("上九路9号", "LWSJ9"),
        ("下九路9号", "LWXJ9"),
        ("文昌北路仁安里3号", "LWRAL3"),
        ("文昌北路仁爱里3号", "LWRIL3"),
        ("多宝坊5号", "LWDBF5"),
        ("荔湾多宝坊1号", "LWDBF1"),
        ("长寿东路8号", "LWCSD8"),
        ("长寿西路8号", "LWCSX8"),
        ("蓬莱北街2号", "LWPLB2"),
    ],
    "fu_numerals": [
        ("第十甫路18号", "LWDSF18"),
        ("第十甫路8号", "LWDSF8"),
        ("十八甫北路8号", "LWSBFB8"),
        ("十甫路108号", "LWDSF108"),
        ("第10甫路18号", "LWDSF18"),
        ("18甫北路8号", "LWSBFB8"),
        ("宝华路十五甫正街18号", "LWSWFZ18"),
        ("十五甫三巷2号", "LWSWF3X2"),
        ("宝华路15甫3巷1号", "LWSWF3X1"),
    ],
    "li_xiang_fang": [
        ("吉祥里6号", "LWJXL6"),
        ("恩宁路吉祥里1号", "LWJXL1"),
        ("光雅里2号", "LWGYL2"),
        ("龙津西路光雅里3号", "LWGYL3"),
        ("仁爱里4号", "LWRIL4"),
        ("十五甫三巷3号", "LWSWF3X3"),
        ("多宝坊2号", "LWDBF2"),
        ("荔湾逢源正中约8号", "LWFYZY8"),
        ("仁安里1号", "LWRAL1"),
        ("恩宁路吉祥里5号", "LWJXL5"),
    ],
    "floor_shop": [
        ("恩宁路112号首层", "LWEN112"),
        ("恩宁路12号之二二楼", "LWEN12Z2"),
        ("宝华路88号之一首层商铺", "LWBH88Z1"),
        ("多宝路30号地下", "LWDB30"),
        ("文昌北路66号铺", "LWWCB66"),
        ("龙津西路150号3楼", "LWLJX150"),
        ("耀华大街21号二楼", "LWYHD21"),
        ("下九路99号首层A铺", "LWXJ99"),
        ("杨巷路22号之一302房", "LWYX22Z1"),
        ("蓬莱正街2号阁楼", "LWPLZ2"),
        ("华贵路333号1001房", "LWHG333"),
        ("康王中路500号之十二 9楼", "LWKW500Z12"),
        ("逢源北街15号地铺", "LWFYB15"),
    ],
    "zibian": [
        ("文昌南路88号大院自编1栋", "LWWCN88B1"),
        ("文昌南路88号自编3栋", "LWWCN88B3"),
        ("文昌南路88号大院自编2号楼", "LWWCN88B2"),
        ("文南大院自编3栋", "LWWCN88B3"),
        ("文昌南路88号大院3栋", "LWWCN88B3"),
        ("文昌南路88号大院自编一栋", "LWWCN88B1"),
    ],
    "alias": [
        ("宝华大厦", "LWBH88"),
        ("恩宁大押", "LWEN121"),
        ("恩宁大楼", "LWEN112"),
        ("源昌大屋", "LWFY72"),
        ("黎家大屋", "LWFY76"),
        ("宝苑2座", "LWDB128"),
        ("蓬莱苑3座", "LWPLB24"),
        ("多宝街道办事处", "LWDB200"),
        ("多宝社区居委会", "LWDBF20"),
        ("龙津居委", "LWGYL12"),
        ("华林玉器城", "LWCSX8"),
        ("打铜街15号", "LWHPX15"),
        ("吉祥坊3号", "LWJXL3"),
        ("华林街道社区服务中心", "LWYX100"),
    ],
    "chain": [
        ("多宝街道宝华社区恩宁路12号之一", "LWEN12Z1"),
        ("荔湾区多宝街道多宝社区多宝坊13号", "LWDBF13"),
        ("逢源街道耀华社区耀华横街1号", "LWYHH1"),
        ("逢源街道文昌社区文昌北路仁爱里4号", "LWRIL4"),
        ("龙津街道龙津社区华贵路33号", "LWHG33"),
        ("龙津街道蓬莱社区下九路9号", "LWXJ9"),
        ("华林街道华林社区西来后街3号", "LWXLH3"),
        ("广州市荔湾区华林街道杨巷社区杨巷路222号", "LWYX222"),
    ],
    "traditional": [
        ("廣州市荔灣區恩寧路112號", "LWEN112"),
        ("恩寧路12號之三", "LWEN12Z3"),
        ("寶華路88號", "LWBH88"),
        ("寶華大廈", "LWBH88"),
        ("多寶坊5號", "LWDBF5"),
        ("龍津東路150號", "LWLJD150"),
        ("龍津西路光雅里1號", "LWGYL1"),
        ("蓬萊北街1號", "LWPLB1"),
        ("逢源北街55號", "LWFYB55"),
        ("華貴路33號之一", "LWHG33Z1"),
        ("長壽西路8號", "LWCSX8"),
        ("荔灣區帶河路直街6號", "LWDHZ6"),
        ("寶源路18號之二", "LWBY18Z2"),
    ],
    "cn_numerals": [
        ("恩宁路一一二号", "LWEN112"),
        ("恩宁路一百一十二号之一", "LWEN112Z1"),
        ("恩宁路十二号之三", "LWEN12Z3"),
        ("多宝路三十号", "LWDB30"),
        ("多宝路三零三号", "LWDB303"),
        ("龙津西路五十号", "LWLJX50"),
        ("龙津东路一五零号", "LWLJD150"),
        ("文昌北路二百号", "LWWCB200"),
        ("宝华路一八八号", "LWBH188"),
        ("康王中路五百号之十二", "LWKW500Z12"),
        ("杨巷路二十二号之一", "LWYX22Z1"),
        ("下九路九十九号", "LWXJ99"),
        ("逢源路七十二号", "LWFY72"),
    ],
    "fullwidth_space": [
        ("恩宁路１２号之一", "LWEN12Z1"),
        ("多宝路３０３号", "LWDB303"),
        ("恩宁路 121 号", "LWEN121"),
        ("文昌北路\u3000２００号", "LWWCB200"),
        ("龙津西路150#", "LWLJX150"),
        ("宝华路 88 号 之 一", "LWBH88Z1"),
        ("广州市 荔湾区 蓬莱正街 3号", "LWPLZ3"),
        ("华贵路３３３号", "LWHG333"),
        ("耀华大街 11号", "LWYHD11"),
        ("杨巷路１００号", "LWYX100"),
        ("康王中路 500号之 12", "LWKW500Z12"),
    ],
    "hotline_sentence": [
        ("市民来电反映恩宁路12号之二首层有商铺占道经营，请核实处理。", "LWEN12Z2"),
        ("市民来电反映：荔湾区多宝路30号之一楼顶违建搭建，要求处理。", "LWDB30Z1"),
        ("来电人称其住在宝源路18号之一，楼道灯坏了很久无人维修。", "LWBY18Z1"),
        ("市民反映龙津东路50号门口井盖缺失，存在安全隐患。", "LWLJD50"),
        ("12345转办：文昌北路仁安里2号外墙瓷砖脱落，请属地街道核查。", "LWRAL2"),
        ("市民来电投诉下九路9号首层铺位夜间噪音扰民。", "LWXJ9"),
        ("来电反映第十甫路18号骑楼底下堆放杂物，影响通行。", "LWDSF18"),
        ("市民称十八甫北路8号二楼漏水到楼下，要求协调。", "LWSBFB8"),
        ("来电人反映蓬莱苑2座电梯故障，已困人两次。", "LWPLB22"),
        ("工单：康王中路500号之二化粪池满溢，请华林街道处理。", "LWKW500Z2"),
        ("市民来电反映耀华直街11号有人饲养家禽，气味很大。", "LWYHZ11"),
        ("来电反映荔湾区杨巷路22号门前路灯不亮。", "LWYX22"),
    ],
    "resident_text": [
        ("我家住恩宁路121号三楼，楼下垃圾好几天没人收了", "LWEN121"),
        ("你好，我是多宝坊13号的住户，想问下疫苗接种在哪里登记", "LWDBF13"),
        ("逢源路76号屋顶有只猫下不来，有人能帮忙吗", "LWFY76"),
        ("麻烦网格员来一下华贵路33号，有老人需要帮助", "LWHG33"),
        ("我们楼是文昌北路20号之一，水压一直很低", "LWWCB20Z1"),
        ("西来正街3号门口的树枝快断了，小心啊", "LWXLZ3"),
        ("请问宝华路十五甫正街8号这边今天停水吗？", "LWSWFZ8"),
        ("我在杨巷路222号，楼道里堆满了纸皮", "LWYX222"),
        ("上九路9号二楼有人装修到晚上十一点", "LWSJ9"),
        ("光雅里1号的化粪池又堵了", "LWGYL1"),
    ],
    "cantonese": [
        ("我住喺恩宁路12号之一，楼梯灯坏咗", "LWEN12Z1"),
        ("唔该帮我睇下多宝路33号嗰度嘅水管", "LWDB33"),
        ("耀华大街1号门口有堆垃圾冇人清", "LWYHD1"),
        ("蓬莱正街1号楼上成日漏水落嚟", "LWPLZ1"),
        ("我哋喺宝源北街18号，停咗电成日", "LWBYB18"),
        ("吉祥里2号嗰间屋好似有人住返", "LWJXL2"),
        ("龙津西路光雅里12号居委嗰度几点开门呀", "LWGYL12"),
        ("带河路直街6号地下铺头装修好嘈", "LWDHZ6"),
    ],
    "refuse_road_only": [
        ("恩宁路", None),
        ("广州市荔湾区多宝路", None),
        ("耀华大街", None),
        ("恩宁路吉祥里", None),
        ("宝华路十五甫三巷", None),
        ("多宝坊", None),
        ("龙津西路光雅里", None),
        ("逢源正中约", None),
        ("荔湾区蓬莱正街", None),
        ("第十甫路", None),
    ],
    "refuse_missing_number": [
        ("恩宁路12号之五", None),
        ("恩宁路13号", None),
        ("多宝坊4号", None),
        ("康王中路500号之三", None),
        ("吉祥里4号", None),
        ("宝源路18号之三", None),
        ("耀华直街21号", None),
        ("文昌北路仁安里4号", None),
        ("龙津西路光雅里5号", None),
        ("蓬莱北街3号", None),
        ("下九路19号", None),
        ("文昌南路88号大院自编4栋", None),
        ("杨巷路22号之二", None),
    ],
    "refuse_contain": [
        ("恩宁路1号", None),
        ("恩宁路1121号", None),
        ("恩宁路2号", None),
        ("多宝路300号", None),
        ("宝华路888号", None),
        ("康王中路500号之一", None),
        ("康王中路5号", None),
        ("龙津西路5号", None),
        ("文昌北路2号", None),
        ("华贵路3号", None),
        ("逢源北街555号", None),
        ("第十甫路10号", None),
    ],
    "refuse_wrong_road": [
        ("龙津中路50号", None),
        ("文昌中路20号", None),
        ("蓬莱南街1号", None),
        ("宝源南街18号", None),
        ("宝华路12号之一", None),
        ("多宝路20号", None),
        ("上九路99号", None),
        ("康王南路500号", None),
        ("长寿中路8号", None),
        ("杨巷路6号", None),
    ],
    "refuse_ambiguous": [
        ("12号之一", None),
        ("龙津路50号", None),
        ("宝苑小区", None),
        ("蓬莱苑", None),
        ("文南大院", None),
        ("文昌南路88号大院", None),
        ("耀华街1号", None),
        ("文昌路20号", None),
        ("逢源街5号", None),
    ],
    "refuse_other_district": [
        ("越秀区恩宁路12号", None),
        ("广州市海珠区宝华路88号", None),
        ("天河区多宝路30号", None),
        ("广州市白云区龙津西路50号", None),
        ("中原区恩宁路112号", None),
        ("郑州市中原区多宝坊3号", None),
        ("广州市越秀区文昌北路20号", None),
        ("番禺区下九路9号", None),
        ("黄埔区康王中路500号", None),
        ("广州市花都区耀华大街1号", None),
    ],
    "refuse_other_city": [
        ("佛山市禅城区恩宁路12号", None),
        ("深圳市福田区宝华路88号", None),
        ("上海市长宁区多宝路30号", None),
        ("东莞市龙津西路50号", None),
        ("中山市蓬莱正街1号", None),
        ("北京市东城区下九路9号", None),
    ],
    "refuse_vague": [
        ("恩宁路12号对面", None),
        ("宝华大厦旁边", None),
        ("多宝路30号隔壁", None),
        ("荔湾区", None),
        ("多宝街道", None),
        ("西关那边", None),
        ("上下九附近", None),
        ("龙津西路50号斜对面", None),
        ("华林玉器城后面", None),
        ("恩宁路近多宝路口", None),
    ],
}


# ---- layout ----


def box(w: float, s: float, e: float, n: float) -> dict[str, Any]:
    ring = [[w, s], [e, s], [e, n], [w, n], [w, s]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def feature(
    code: str, name: str, level: str, parent: str | None, geom: dict[str, Any], kind: str = ""
) -> dict[str, Any]:
    props: dict[str, Any] = {"code": code, "name": name, "level": level, "parent_code": parent}
    if kind:
        props["kind"] = kind
    return {"type": "Feature", "properties": props, "geometry": geom}


def build() -> tuple[list[dict[str, Any]], dict[str, tuple[float, float, float, float]]]:
    """Streets are the four quadrants; a street's communities are its western and eastern
    halves; a community's grids its southern and northern halves; a grid's micro-grids its
    western and eastern halves."""
    features = [feature(DISTRICT[0], DISTRICT[1], "district", None, box(WEST, SOUTH, EAST, NORTH))]
    micro_boxes: dict[str, tuple[float, float, float, float]] = {}
    half_w, half_h = (EAST - WEST) / 2, (NORTH - SOUTH) / 2
    for (s_code, s_name, communities), (col, row) in zip(STREETS, QUADRANTS, strict=False):
        sw, ss = WEST + col * half_w, SOUTH + row * half_h
        se, sn = sw + half_w, ss + half_h
        features.append(feature(s_code, s_name, "street", DISTRICT[0], box(sw, ss, se, sn)))
        cwidth = (se - sw) / len(communities)
        for ci, (c_code, c_name) in enumerate(communities):
            cw, ce = sw + ci * cwidth, sw + (ci + 1) * cwidth
            features.append(feature(c_code, c_name, "community", s_code, box(cw, ss, ce, sn)))
            short = c_name.removesuffix("社区")
            for gi in range(2):
                gs, gn = ss + gi * (sn - ss) / 2, ss + (gi + 1) * (sn - ss) / 2
                g_code = f"{c_code}{gi + 1:03d}"
                features.append(
                    feature(g_code, f"{short}第{gi + 1}网格", "grid", c_code, box(cw, gs, ce, gn))
                )
                for mi in range(2):
                    mw, me = cw + mi * (ce - cw) / 2, cw + (mi + 1) * (ce - cw) / 2
                    m_code = f"{g_code}{mi + 1:03d}"
                    name = f"{short}第{gi + 1}网格{mi + 1}号微网格"
                    features.append(feature(m_code, name, "micro", g_code, box(mw, gs, me, gn)))
                    micro_boxes[m_code] = (mw, gs, me, gn)
    for code, name, kind, parent in EXCLUSIVE:
        w, s, e, n = micro_boxes[f"{parent}002002"]
        features.append(
            feature(
                code,
                name,
                "exclusive",
                parent,
                box(w + 0.6 * (e - w), s + 0.6 * (n - s), w + 0.9 * (e - w), s + 0.9 * (n - s)),
                kind,
            )
        )
    return features, micro_boxes


MICRO_ORDER = ["001001", "001002", "002001", "002002"]


def buildings(micro_boxes: dict[str, tuple[float, float, float, float]]) -> str:
    """A community's blocks go round its micro-grids; a block's houses sit in rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["address", "lon", "lat", "code", "aliases", "micro_grid_code"])
    blocks_seen: dict[str, int] = {}
    placed: dict[str, int] = {}
    for community, block in BLOCKS:
        k = blocks_seen.get(community, 0)
        blocks_seen[community] = k + 1
        micro = community + MICRO_ORDER[k % 4]
        w, s, e, n = micro_boxes[micro]
        for code, address, aliases in block:
            i = placed.get(micro, 0)
            placed[micro] = i + 1
            lon = w + (e - w) * (0.08 + 0.1 * (i % 9))
            lat = s + (n - s) * (0.1 + 0.1 * (i // 9))
            writer.writerow([address, f"{lon:.6f}", f"{lat:.6f}", code, "|".join(aliases), micro])
    return out.getvalue()


def queries() -> str:
    lines = [
        json.dumps({"query": q, "expected": code, "kind": kind}, ensure_ascii=False)
        for kind, items in QUERIES.items()
        for q, code in items
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    features, micro_boxes = build()
    geojson = {"type": "FeatureCollection", "features": features}
    (HERE / "grids.geojson").write_text(
        json.dumps(geojson, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    (HERE / "buildings.csv").write_text(buildings(micro_boxes), encoding="utf-8")
    (HERE / "queries.jsonl").write_text(queries(), encoding="utf-8")


if __name__ == "__main__":
    main()
