"""Write the grid tree and buildings of the rural evaluation county: 安徽省合肥市肥东县.

    python bench/data/rural_county/make_district.py

Real towns and townships of 肥东县 (店埠镇, 撮镇镇, 长临河镇, 众兴乡, 马湖乡); the villages
(行政村), their 村民小组 and natural villages (郢, 庄, 湾, 岗) are names common across the
country, not checked against the county's register, and the house numbers are ours, written the
way rural registries write them: by group (和平村4组12号), by natural village (新丰村张郢9号) or
numbered across the whole village (新丰村128号). Two townships each have a 和平村; near-identical
village names sit side by side (新丰村 / 新峰村, 东风村 / 东丰村, 红旗村 / 红星村). The geometry is
ours: rectangles over the county's real area, not survey data. Official addresses mostly carry
肥东县, the rows of 众兴乡 安徽省合肥市肥东县; aliases are written as villagers know the places.

Outputs grids.geojson (for `wangge import_grids`) and buildings.csv (for
`wangge import_buildings`), both deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the layout the sets share, beside them

from district_layout import District, write  # noqa: E402

DISTRICT = ("340122", "肥东县")
WEST, SOUTH, EAST, NORTH = 117.40, 31.70, 117.80, 32.00
STREETS = [
    ("340122100", "店埠镇", [("340122100001", "龙泉社区"), ("340122100201", "和平村")]),
    ("340122101", "撮镇镇", [("340122101201", "新丰村"), ("340122101202", "新峰村")]),
    ("340122102", "长临河镇", [("340122102201", "东风村"), ("340122102202", "东丰村")]),
    ("340122200", "众兴乡", [("340122200201", "红旗村"), ("340122200202", "红星村")]),
    ("340122202", "马湖乡", [("340122202201", "和平村"), ("340122202202", "王庄村")]),
]
EXCLUSIVE = [
    ("340122101201901", "新丰小学", "学校", "340122101201"),
]

DIANBU = "肥东县店埠镇"
CUOZHEN = "肥东县撮镇镇"
CHANGLINHE = "肥东县长临河镇"
ZHONGXING = "安徽省合肥市肥东县众兴乡"
MAHU = "肥东县马湖乡"

Row = tuple[str, str, list[str]]


def short_name(community: str) -> str:
    return community.removesuffix("社区")


def groups(
    key: str,
    place: str,
    pairs: list[tuple[int, int]],
    aliases: dict[tuple[int, int], list[str]] | None = None,
) -> list[Row]:
    """Houses numbered within their 村民小组: {place}{g}组{n}号, code FD{key}G{g}H{n}."""
    return [
        (f"FD{key}G{g}H{n}", f"{place}{g}组{n}号", (aliases or {}).get((g, n), []))
        for g, n in pairs
    ]


def houses(
    key: str, place: str, numbers: list[int], aliases: dict[int, list[str]] | None = None
) -> list[Row]:
    """Houses numbered across a village or natural village: {place}{n}号, code FD{key}H{n}."""
    return [(f"FD{key}H{n}", f"{place}{n}号", (aliases or {}).get(n, [])) for n in numbers]


BLOCKS: list[tuple[str, list[Row]]] = [
    # 龙泉社区: the township seat, a road whose numbers contain each other and a 小区.
    (
        "340122100001",
        houses("LQ", DIANBU + "龙泉路", [2, 12, 21, 112, 120])
        + houses("LQ", DIANBU + "龙泉路", [88], {88: ["龙泉社区居委会"]}),
    ),
    ("340122100001", [(f"FDXFXQB{n}", f"{DIANBU}幸福小区{n}栋", []) for n in range(1, 7)]),
    # 和平村 of 店埠镇: houses by group, with group and house numbers that read alike when run
    # together (1组24号 / 12组4号, 4组12号 / 14组2号, 6组16号 / 6组61号) and the committee.
    (
        "340122100201",
        groups(
            "HP",
            DIANBU + "和平村",
            [(1, 1), (1, 24), (2, 4), (2, 14), (2, 24), (3, 5), (3, 15), (4, 2), (4, 12)],
            {(1, 1): ["和平村村委会", "店埠镇和平村村委会"]},
        ),
    ),
    (
        "340122100201",
        groups(
            "HP",
            DIANBU + "和平村",
            [(4, 21), (5, 1), (5, 11), (6, 6), (6, 16), (6, 61), (12, 4), (12, 12), (14, 2)],
        ),
    ),
    # 新丰村: houses numbered across the village (its committee and school among them), and two
    # natural villages numbered on their own; 张郢9号 also carries its village-wide number.
    (
        "340122101201",
        houses(
            "XF",
            CUOZHEN + "新丰村",
            [1, 2, 8, 12, 18, 28, 81, 118, 128, 212],
            {1: ["新丰村村委会", "新丰村委会"], 2: ["新丰小学", "撮镇镇新丰小学"]},
        ),
    ),
    (
        "340122101201",
        houses("XFZY", CUOZHEN + "新丰村张郢", [1, 2, 3, 5, 9, 12], {9: ["新丰村57号"]})
        + houses("XFLY", CUOZHEN + "新丰村李郢", [3, 9]),
    ),
    # 新峰村: by group.
    (
        "340122101202",
        groups(
            "XFENG",
            CUOZHEN + "新峰村",
            [(1, 12), (2, 2), (2, 20), (3, 5), (3, 9), (5, 5), (9, 3)],
        ),
    ),
    # 东风村: the natural villages 王庄 and 刘湾, and houses by group.
    (
        "340122102201",
        houses("DFWZ", CHANGLINHE + "东风村王庄", [1, 2, 3, 4, 5, 15])
        + houses("DFLW", CHANGLINHE + "东风村刘湾", [2, 7]),
    ),
    ("340122102201", groups("DF", CHANGLINHE + "东风村", [(2, 6), (7, 16)])),
    # 东丰村: by group, one house with the same group and number as one of 东风村.
    (
        "340122102202",
        groups("DFENG", CHANGLINHE + "东丰村", [(1, 1), (1, 10), (2, 6), (3, 3), (7, 1)]),
    ),
    # 红旗村: the natural villages 陈湾 and 大岗, and houses by group.
    (
        "340122200201",
        houses("HQCW", ZHONGXING + "红旗村陈湾", [1, 2, 3, 4, 5, 12])
        + houses("HQDG", ZHONGXING + "红旗村大岗", [1, 10]),
    ),
    ("340122200201", groups("HQ", ZHONGXING + "红旗村", [(1, 8), (10, 1)])),
    # 红星村: by group (1组8号 as in 红旗村) and the natural village 周湾.
    (
        "340122200202",
        groups(
            "HX", ZHONGXING + "红星村", [(1, 8), (2, 12), (5, 1), (5, 2), (5, 3), (5, 4), (12, 2)]
        )
        + houses("HXZW", ZHONGXING + "红星村周湾", [1, 2, 3]),
    ),
    # 和平村 of 马湖乡: the same village name as in 店埠镇, a 4组12号 of its own, and the
    # natural village 李庄.
    (
        "340122202201",
        groups(
            "MHHP",
            MAHU + "和平村",
            [(1, 1), (2, 3), (4, 6), (4, 12), (6, 8), (6, 18)],
            {(1, 1): ["和平村村委会", "马湖乡和平村村委会"]},
        )
        + houses("MHLZ", MAHU + "和平村李庄", [1, 9]),
    ),
    # 王庄村: a village named like 东风村's natural village 王庄.
    (
        "340122202202",
        groups("WZ", MAHU + "王庄村", [(1, 1), (1, 5), (2, 1), (2, 10), (3, 2), (3, 15), (5, 5)]),
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
