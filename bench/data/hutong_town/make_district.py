"""Write the grid tree and buildings of the old-town evaluation district: 北京市东城区.

    python bench/data/hutong_town/make_district.py

Real street offices (交道口、北新桥、东四、朝阳门、和平里、前门街道), communities and 胡同 / 条 / 巷
of 东城区 (南锣鼓巷, 帽儿胡同, 菊儿胡同, 东四六条 … 东四十四条, 史家胡同, 草厂头条 … 草厂十条,
长巷头条 … 长巷三条, 和平里七区), with addresses written the way the old town writes them:
door numbers with 甲 / 乙 (东四十条甲22号), courtyards with buildings (东四十条94号院2号楼), a
大院 (演乐胡同66号大院), 里 with 区 and 号楼 (和平里七区12号楼). The door numbers are ours except
where an alias names a known house (齐白石旧居, 婉容故居, 可园, 叶圣陶故居, 史家胡同博物馆); the
geometry is ours too: rectangles over the district's real area, not survey data. Official
addresses mostly carry 北京市东城区, the rows of 前门街道 only 东城区.

Outputs grids.geojson (for `wangge import_grids`) and buildings.csv (for
`wangge import_buildings`), both deterministic.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the layout the sets share, beside them

from district_layout import District, write  # noqa: E402

DISTRICT = ("110101", "东城区")
WEST, SOUTH, EAST, NORTH = 116.38, 39.87, 116.44, 39.97
STREETS = [
    ("110101003", "交道口街道", [("110101003001", "福祥社区"), ("110101003002", "菊儿社区")]),
    ("110101005", "北新桥街道", [("110101005001", "民安社区"), ("110101005002", "九道湾社区")]),
    ("110101006", "东四街道", [("110101006001", "豆瓣社区"), ("110101006002", "八条社区")]),
    ("110101007", "朝阳门街道", [("110101007001", "史家社区"), ("110101007002", "演乐社区")]),
    ("110101010", "和平里街道", [("110101010001", "七区社区"), ("110101010002", "九区社区")]),
    ("110101011", "前门街道", [("110101011001", "草厂社区"), ("110101011002", "西兴隆社区")]),
]
EXCLUSIVE = [
    ("110101003001901", "南锣鼓巷商业街", "商圈", "110101003001"),
    ("110101007001901", "史家小学", "学校", "110101007001"),
]

CITY = "北京市东城区"
LOCAL = "东城区"

Row = tuple[str, str, list[str]]
STEMS = {"甲": "J", "乙": "Y", "丙": "B"}


def short_name(community: str) -> str:
    return community.removesuffix("社区")


def doors(
    key: str,
    prefix: str,
    street: str,
    numbers: list[int | str],
    aliases: dict[str, str] | None = None,
) -> list[Row]:
    """Door numbers of one 胡同: {prefix}{street}{n}号, code DC{key}{n}; 甲22 → DC{key}J22."""
    rows = []
    for n in numbers:
        label = str(n)
        suffix = STEMS[label[0]] + label[1:] if label[0] in STEMS else label
        alias = (aliases or {}).get(label)
        rows.append((f"DC{key}{suffix}", f"{prefix}{street}{label}号", [alias] if alias else []))
    return rows


def towers(key: str, prefix: str, yard: str, numbers: list[int]) -> list[Row]:
    """Buildings of one courtyard or 区: {prefix}{yard}{n}号楼, code DC{key}B{n}."""
    return [(f"DC{key}B{n}", f"{prefix}{yard}{n}号楼", []) for n in numbers]


BLOCKS: list[tuple[str, list[Row]]] = [
    # 福祥: 南锣鼓巷 with door numbers that contain each other (8, 18, 81, 118, 甲8).
    (
        "110101003001",
        doors("NL", CITY, "南锣鼓巷", [1, 3, 8, "甲8", 13, 18, 59, 81, 118]),
    ),
    ("110101003001", doors("FX", CITY, "福祥胡同", [5, 7, 25])),
    (
        "110101003001",
        doors("ME", CITY, "帽儿胡同", [9, 11, 35, 37], {"9": "可园", "35": "婉容故居"}),
    ),
    # 菊儿: 菊儿胡同 and 雨儿胡同 (near-identical names), 东棉花胡同 with a 甲 number.
    ("110101003002", doors("JE", CITY, "菊儿胡同", [3, 5, 7, 41])),
    ("110101003002", doors("YE", CITY, "雨儿胡同", [13, 15, 31], {"13": "齐白石旧居"})),
    ("110101003002", doors("DMH", CITY, "东棉花胡同", [15, "甲15", 51])),
    # 民安: 东四十四条 and 东四十三条 (which contain 东四十条 / 东四四条 / 东四三条), 北新桥 条.
    ("110101005001", doors("DS14T", CITY, "东四十四条", [5, 31, 84])),
    (
        "110101005001",
        doors("DS13T", CITY, "东四十三条", [5])
        + doors("BXQ1T", CITY, "北新桥头条", [8])
        + doors("BXQ3T", CITY, "北新桥三条", [8]),
    ),
    # 九道湾: 胡同 and a courtyard of numbered buildings.
    (
        "110101005002",
        doors("JDW", CITY, "九道湾胡同", [1, 11, 21]) + doors("XE", CITY, "香饵胡同", [20]),
    ),
    ("110101005002", towers("DZM14", CITY, "东直门南小街14号院", [1, 2, 3, 4])),
    # 豆瓣: 东四六条 / 四条 / 三条 and 东四北大街 with 甲 and 乙 numbers.
    ("110101006001", doors("DS6T", CITY, "东四六条", [5, 55, 63, 65])),
    (
        "110101006001",
        doors("DS4T", CITY, "东四四条", [5, 15]) + doors("DS3T", CITY, "东四三条", [3]),
    ),
    ("110101006001", doors("DSBD", CITY, "东四北大街", [107, "甲107", "乙107"])),
    # 八条: 东四八条, 东四十条 (甲22 / 乙22 beside 22, 2) and 东四十条94号院.
    ("110101006002", doors("DS8T", CITY, "东四八条", [3, 71, 111], {"71": "叶圣陶故居"})),
    ("110101006002", doors("DS10T", CITY, "东四十条", [2, 6, 22, "甲22", "乙22"])),
    ("110101006002", towers("DS10T94", CITY, "东四十条94号院", [1, 2, 3])),
    # 史家: 史家胡同 (20 / 甲20) and 内务部街.
    (
        "110101007001",
        doors("SJ", CITY, "史家胡同", [5, 20, "甲20", 24, 51, 53], {"24": "史家胡同博物馆"}),
    ),
    ("110101007001", doors("NWB", CITY, "内务部街", [11, "甲11", 15])),
    # 演乐: a 大院 and 礼士胡同.
    (
        "110101007002",
        [
            ("DCYL66DY", CITY + "演乐胡同66号大院", ["演乐大院"]),
            *doors("YL", CITY, "演乐胡同", [71, 77]),
        ],
    ),
    ("110101007002", doors("LS", CITY, "礼士胡同", [43, "甲43", 129])),
    # 和平里: 七区 and 九区, both with a 12号楼.
    ("110101010001", towers("HPL7", CITY, "和平里七区", [1, 2, 3, 4, 5, 6, 7, 8, 12])),
    ("110101010002", towers("HPL9", CITY, "和平里九区", [1, 2, 3, 4, 12])),
    # 草厂 and 长巷: two series of 头条 / 二条 / 三条 (and 草厂十条), written with 东城区 only.
    (
        "110101011001",
        doors("CC1T", LOCAL, "草厂头条", [1, 10])
        + doors("CC2T", LOCAL, "草厂二条", [2])
        + doors("CC3T", LOCAL, "草厂三条", [3])
        + [("DCCC3T30", LOCAL + "草厂三条30号", ["草厂社区居委会"])]
        + doors("CC10T", LOCAL, "草厂十条", [1, 10]),
    ),
    (
        "110101011002",
        doors("CX1T", LOCAL, "长巷头条", [1, 10])
        + doors("CX2T", LOCAL, "长巷二条", [2])
        + doors("CX3T", LOCAL, "长巷三条", [3, 30])
        + doors("XXL", LOCAL, "西兴隆街", [13]),
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
