"""Write the grid tree and buildings of the lane-city evaluation district: 上海市长宁区.

    python bench/data/lane_city/make_district.py

Real street offices (华阳路、江苏路、新华路、天山路街道), 居民区 and roads of 长宁区
(长宁路, 愚园路, 定西路, 安化路, 镇宁路, 江苏路, 华山路, 新华路, 番禺路, 法华镇路, 武夷路, 天山路),
with addresses
written the way the city writes them: lanes (长宁路1088弄3号), branch lanes (愚园路1032弄12支弄5号),
annexes (定西路30号附2号), stem numbers (安化路66甲号), 新村 (天山四村12号) and 小区. Lane and
door numbers are ours; so is the geometry: rectangles over the district's real area, not
survey data. Official addresses mostly carry 上海市长宁区, the rows of 华五居民区 only 长宁区;
aliases are written as people know the places.

Outputs grids.geojson (for `wangge import_grids`) and buildings.csv (for
`wangge import_buildings`), both deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the layout the sets share, beside them

from district_layout import District, write  # noqa: E402

DISTRICT = ("310105", "长宁区")
WEST, SOUTH, EAST, NORTH = 121.37, 31.20, 121.45, 31.23
STREETS = [
    (
        "310105001",
        "华阳路街道",
        [("310105001001", "姚家角居民区"), ("310105001002", "华五居民区")],
    ),
    (
        "310105002",
        "江苏路街道",
        [("310105002001", "岐山居民区"), ("310105002002", "华山居民区")],
    ),
    (
        "310105004",
        "新华路街道",
        [("310105004001", "新华居民区"), ("310105004002", "梅泉居民区")],
    ),
    (
        "310105006",
        "天山路街道",
        [("310105006001", "天山四村居民区"), ("310105006002", "天山五村居民区")],
    ),
]
EXCLUSIVE = [
    ("310105001001901", "长宁路商圈", "商圈", "310105001001"),
    ("310105006002901", "天山第五小学", "学校", "310105006002"),
]

CITY = "上海市长宁区"
LOCAL = "长宁区"

Row = tuple[str, str, list[str]]


def short_name(community: str) -> str:
    return community.removesuffix("居民区")


def lane(
    key: str, prefix: str, road_lane: str, numbers: list[int], aliases: tuple[str, ...] = ()
) -> list[Row]:
    """Houses of one lane: {prefix}{road_lane}{n}号, code CN{key}H{n}."""
    return [
        (f"CN{key}H{n}", f"{prefix}{road_lane}{n}号", [a.format(n=n) for a in aliases])
        for n in numbers
    ]


BLOCKS: list[tuple[str, list[Row]]] = [
    # 姚家角: four lanes of 长宁路 whose numbers contain each other, and a door number 112号.
    ("310105001001", lane("L1088", CITY, "长宁路1088弄", list(range(1, 11)))),
    ("310105001001", lane("L12", CITY, "长宁路12弄", [1, 2, 3, 4])),
    ("310105001001", lane("L112", CITY, "长宁路112弄", [1, 2, 3, 5, 6, 12])),
    (
        "310105001001",
        [
            *lane("L1122", CITY, "长宁路1122弄", [1, 2, 3, 4, 5]),
            ("CNR112", CITY + "长宁路112号", ["长宁路112号商铺"]),
        ],
    ),
    # 华五: annexes, stem numbers and a short lane; written with 长宁区 only.
    (
        "310105001002",
        [
            ("CNDX30", LOCAL + "定西路30号", []),
            ("CNDX30F1", LOCAL + "定西路30号附1号", []),
            ("CNDX30F2", LOCAL + "定西路30号附2号", []),
            ("CNDX30F3", LOCAL + "定西路30号附3号", []),
            ("CNDX300", LOCAL + "定西路300号", []),
            ("CNDX3", LOCAL + "定西路3号", []),
        ],
    ),
    (
        "310105001002",
        [
            ("CNAH66", LOCAL + "安化路66号", []),
            ("CNAH66J", LOCAL + "安化路66甲号", []),
            ("CNAH66Y", LOCAL + "安化路66乙号", []),
            ("CNAH66B", LOCAL + "安化路66丙号", []),
        ],
    ),
    ("310105001002", lane("ZN405", LOCAL, "镇宁路405弄", [1, 2, 3, 4, 5])),
    # 岐山: 愚园路1032弄 (岐山村) with its branch lanes 2支弄 and 12支弄, and a house 12号
    # in the main lane; 愚园路1088弄 shares its lane number with 长宁路1088弄.
    (
        "310105002001",
        [
            *lane("Y1032", CITY, "愚园路1032弄", [1, 2, 3, 4, 5, 6, 7, 8, 12], ("岐山村{n}号",)),
            ("CNY1032H30", CITY + "愚园路1032弄30号", ["岐山居民区居委会", "岐山居委会"]),
        ],
    ),
    ("310105002001", lane("Y1032Z12", CITY, "愚园路1032弄12支弄", [1, 2, 3, 4, 5])),
    ("310105002001", lane("Y1032Z2", CITY, "愚园路1032弄2支弄", [1, 2, 3])),
    ("310105002001", lane("Y1088", CITY, "愚园路1088弄", [1, 2, 3])),
    # 华山: 安定坊 and a lane of 华山路 numbered 1120.
    ("310105002002", lane("J284", CITY, "江苏路284弄", [1, 2, 3, 4, 5, 6], ("安定坊{n}号",))),
    ("310105002002", lane("H1120", CITY, "华山路1120弄", [1, 2, 3, 4])),
    # 新华: garden lanes and the street's service centre.
    ("310105004001", lane("X211", CITY, "新华路211弄", [1, 2, 3, 4, 5, 6], ("新华别墅{n}号",))),
    ("310105004001", lane("F222", CITY, "番禺路222弄", [1, 2, 3, 4, 5])),
    (
        "310105004001",
        [
            (
                "CNFHZ535",
                CITY + "法华镇路535号",
                ["新华路街道社区事务受理服务中心", "新华社区事务受理中心"],
            )
        ],
    ),
    # 梅泉: a 小区 inside a lane.
    (
        "310105004002",
        [(f"CNWY333H{n}", f"{CITY}武夷路333弄武夷小区{n}号", []) for n in range(1, 7)],
    ),
    # 天山四村 / 天山五村: two 新村 of near-identical name, each also known by its lane.
    (
        "310105006001",
        [
            (f"CNTS4H{n}", f"{CITY}天山四村{n}号", [f"天山路600弄{n}号"])
            for n in [*range(1, 11), 12]
        ],
    ),
    (
        "310105006002",
        [(f"CNTS5H{n}", f"{CITY}天山五村{n}号", [f"天山路800弄{n}号"]) for n in [*range(1, 9), 12]],
    ),
]


def main() -> None:
    write(
        District(
            here=HERE,
            district=DISTRICT,
            streets=STREETS,
            exclusive=EXCLUSIVE,
            blocks=BLOCKS,
            west=WEST,
            south=SOUTH,
            east=EAST,
            north=NORTH,
            short_name=short_name,
        )
    )


if __name__ == "__main__":
    main()
