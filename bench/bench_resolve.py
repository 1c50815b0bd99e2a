"""Benchmark AddressIndex on a district-sized synthetic address book (no Django needed).

    python bench/bench_resolve.py [--buildings 50000] [--queries 20000] [--seed 7]

Generates plausible 中原区 buildings deterministically (roads of the district, thousands of
compound names built from name stems and suffixes, 号院 courtyards, old-name aliases, 1–30
buildings each), builds the index, then resolves a realistic mix of queries:

* 60 % variants that normalise to an exact key (prefixes, 栋/幢/#/chains, Chinese and
  full-width numerals, unit/room, punctuation, strays, 小区 added or dropped, road omitted
  where the compound name is unique, aliases);
* 25 % of those variants with one typo in the road or compound name (a wrong character,
  half of those homophones as pinyin input makes them, or a missing or extra one);
* 15 % that must be refused (building number the place lacks, a road outside the district,
  a district road that lacks the place, gibberish, empty, a place with several buildings but
  no building number, road plus building number only).

Reports build seconds, resolutions/s, the resolved/refused split, accuracy per class and the
wrong-resolution count (the number that matters for dispatch). The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wangge.grids.addresses import (
    AddressIndex,
    canonical_compound,
    parse_address,
)

ROADS = [
    "伊河路", "桐柏路", "建设路", "建设西路", "中原路", "中原西路", "棉纺路", "棉纺西路",
    "秦岭路", "汝河路", "颍河西路", "工人路", "朱屯西路", "航海西路", "淮河路", "嵩山北路",
    "须水河东路", "化工路", "陇海西路", "华山路", "友爱路", "百花路", "互助路", "西站路",
]  # fmt: skip
# Real Zhengzhou roads outside 中原区, none within one edit of a district road.
FOREIGN_ROADS = ["文化路", "人民路", "解放路", "经三路", "农业路", "大学路", "金水路", "紫荆山路"]
STREETS = ["林山寨", "建设路", "桐柏路", "中原西路", "三官庙", "绿东村", "秦岭路", "棉纺路"]
NAME_STEMS = [
    "百花", "华山", "锦绣", "绿都", "碧水", "金桂", "银杏", "康桥", "嵩岳", "秦川", "幸福",
    "和谐", "阳光", "怡景", "雅居", "书香", "翠竹", "紫荆", "丹桂", "梧桐", "颐和", "丽景",
    "瑞祥", "祥和", "盛世", "富田", "正商", "建业", "鑫苑", "永威", "亚星", "升龙", "万科",
    "碧桂", "保利", "名门", "天伦", "东方", "西湖", "南山", "北辰", "春华", "秋实", "兴华",
    "振兴", "郑纺", "国棉", "电力", "煤炭", "电缆", "纺机", "水利", "农科", "林业", "邮电",
    "铁建", "中储", "五建", "恒大", "融创", "美景", "清华", "园博", "泰和", "御景", "兰庭",
    "凤凰", "龙湖", "海棠", "玉兰", "芙蓉", "牡丹", "荷塘", "樱花", "青枫", "松柏", "绿洲",
    "长城", "光华", "启明", "文苑", "博雅", "翰林", "明珠", "金色", "银河", "星河", "朝阳",
    "锦江", "汇智", "安和", "静园", "馨苑", "云鹤", "晨曦", "瑞景", "福临", "嘉禾", "和平",
    "育才", "立信", "德馨", "致远", "仁和", "鸿运", "裕华", "昌盛", "华庭", "荣华", "锦城",
    "枫林", "桃源", "杏林", "柳岸", "竹韵", "梅园", "菊香", "兰亭", "雅典", "威尼", "剑桥",
]  # fmt: skip
MODIFIERS = ["", "", "", "新", "东", "西", "南", "北", "名", "佳"]
SUFFIXES = [
    "小区", "花园", "家园", "新村", "里", "苑", "园", "城", "公寓", "家属院", "雅苑", "嘉园",
    "华府", "名苑", "佳苑", "花城", "广场", "大院", "新城", "山庄", "庭院", "尚都", "御府",
]  # fmt: skip
FACTORIES = ["纺织厂", "棉纺厂", "机械厂", "化工厂", "电缆厂", "砂轮厂", "油泵厂", "面粉厂"]
TYPO_CHARS = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"  # noqa: E501
# Typos are wrong name characters, not structural words or numerals that change the parse.
TYPO_CHARS = "".join(
    sorted(
        set(TYPO_CHARS)
        - set("号楼栋幢单元室层座期户门排组区院路街道巷大第零一二三四五六七八九十百千两万")
    )
)


@dataclass(frozen=True, slots=True)
class Building:
    building_id: int
    road: str
    number: int | None
    compound: str | None
    building: int
    alias_compound: str | None

    @property
    def address(self) -> str:
        return render_address(self.road, self.number, self.compound, str(self.building))

    @property
    def aliases(self) -> list[str]:
        if self.alias_compound is None:
            return []
        return [f"{self.alias_compound}{self.building}号楼"]


def render_address(road: str, number: int | None, compound: str | None, building: str) -> str:
    place = road
    if number is not None:
        place += f"{number}号院" if compound is None else f"{number}号"
    return f"中原区{place}{compound or ''}{building}号楼"


def generate_buildings(target: int, rng: random.Random) -> list[Building]:
    buildings: list[Building] = []
    used_canonical: set[str] = set()
    used_numbers: set[tuple[str, int]] = set()
    alias_names = iter(
        f"原{stem}{factory}家属院"
        for stem in ["郑州", "中原", "河南", "第一", "第二", "第三", "国营", "市属"]
        for factory in FACTORIES
    )

    def new_compound() -> str:
        while True:
            name = rng.choice(NAME_STEMS) + rng.choice(MODIFIERS) + rng.choice(SUFFIXES)
            canonical = canonical_compound(name)
            assert canonical is not None
            if canonical not in used_canonical:
                used_canonical.add(canonical)
                return name

    def new_number(road: str) -> int:
        while True:
            number = rng.randint(1, 400)
            if (road, number) not in used_numbers:
                used_numbers.add((road, number))
                return number

    shared_names: list[str] = []
    while len(buildings) < target:
        road = rng.choice(ROADS)
        size = min(rng.randint(3, 30), target - len(buildings))
        style = rng.random()
        number: int | None = None
        compound: str | None = None
        if style < 0.30:
            number = new_number(road)
        else:
            # A few compound names recur on a second road, as 百花里 does in real data.
            if shared_names and rng.random() < 0.03:
                compound = shared_names.pop()
            else:
                compound = new_compound()
                shared_names.append(compound)
            if style > 0.95:
                number = new_number(road)
        alias = next(alias_names, None) if rng.random() < 0.05 else None
        for n in range(1, size + 1):
            buildings.append(Building(len(buildings) + 1, road, number, compound, n, alias))
    return buildings


# -- query rendering ------------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int, rng: random.Random) -> str:
    if rng.random() < 0.3 and value >= 10:
        return "".join(CN_DIGITS[int(d)] for d in str(value))  # 一二三 style
    if value == 2 and rng.random() < 0.5:
        return "两"
    if value < 10:
        return CN_DIGITS[value]
    if value < 20:
        return "十" + (CN_DIGITS[value - 10] if value % 10 else "")
    if value < 100:
        tens, ones = divmod(value, 10)
        return CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(value, 100)
    text = CN_DIGITS[hundreds] + "百"
    if rest == 0:
        return text
    if rest < 10:
        return text + "零" + CN_DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return text + CN_DIGITS[tens] + "十" + (CN_DIGITS[ones] if ones else "")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" else ch for ch in text)


def number_text(value: int, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.25:
        return chinese_number(value, rng)
    if roll < 0.35:
        return full_width(str(value))
    return str(value)


def render_variant(
    b: Building, rng: random.Random, unique_compounds: set[str], *, keep_names: bool = False
) -> tuple[str, str, str | None]:
    """A free-text rendering of building ``b``; also returns the road and compound as written
    so a typo can be planted in them."""
    prefix = rng.choice(
        [
            "", "", "", "中原区", "郑州市中原区", "河南省郑州市中原区", "郑州中原区", "河南郑州",
            f"{rng.choice(STREETS)}街道", f"郑州市中原区{rng.choice(STREETS)}街道办事处",
        ]
    )  # fmt: skip
    use_alias = b.alias_compound is not None and rng.random() < 0.3
    compound = b.alias_compound if use_alias else b.compound
    if compound is not None and not use_alias and rng.random() < 0.3:
        canonical = canonical_compound(compound)
        compound = canonical if compound.endswith("小区") else f"{canonical}小区"
    road: str = b.road
    omit_road = (
        not keep_names
        and compound is not None
        and b.number is None
        and canonical_compound(b.compound) in unique_compounds
        and rng.random() < 0.2
    )
    parts = [prefix]
    if not omit_road and not use_alias:
        parts.append(road)
    if b.number is not None and not use_alias:
        suffix = "号" if b.compound is not None else rng.choice(["号院", "号院", "号"])
        parts.append(number_text(b.number, rng) + suffix)
    if compound is not None:
        parts.append(compound)
    marker = rng.choice(["号楼", "号楼", "号楼", "栋", "幢", "号", "#楼", "#"])
    building = number_text(b.building, rng)
    tail_roll = rng.random()
    if tail_roll < 0.15:
        parts.append(f"{b.building}-{rng.randint(1, 6)}-{rng.randint(1, 18)}0{rng.randint(1, 4)}")
    else:
        parts.append(building + marker)
        if tail_roll < 0.35:
            parts.append(f"{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}")
        elif tail_roll < 0.45:
            parts.append(f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室")
    if rng.random() < 0.1:
        # Words that put the address at the place. 附近 / 对面 put it relative to the place
        # and are refused (never the landmark at full confidence), so they are not variants.
        parts.append(rng.choice(["院内", "门口", "大门口", "楼下"]))
    separator = rng.choice(["", "", "", "", " ", "，"])
    text = separator.join(part for part in parts if part)
    if rng.random() < 0.05:
        text = text + "。"
    return text, road if not omit_road and not use_alias else "", compound


@dataclass(slots=True)
class Catalogue:
    """What the query generator needs to know about the generated address book."""

    buildings: list[Building]
    unique_compounds: set[str]
    multi_building_places: list[list[Building]]
    known_names: set[str]
    existing: set[tuple[str, int | None, str | None, int]]
    homophones: dict[str, list[str]]

    @classmethod
    def of(cls, buildings: list[Building]) -> Catalogue:
        from pypinyin import lazy_pinyin

        counts = Counter(canonical_compound(b.compound) for b in buildings if b.building == 1)
        places: dict[tuple[str, int | None, str | None], list[Building]] = {}
        for b in buildings:
            places.setdefault((b.road, b.number, b.compound), []).append(b)
        known_names = set(ROADS)
        for b in buildings:
            for name in (b.compound, b.alias_compound):
                if name:
                    known_names.update({name, canonical_compound(name) or name})
        chars = sorted(set(TYPO_CHARS) | {ch for name in known_names for ch in name})
        by_reading: dict[str, list[str]] = {}
        for ch in chars:
            by_reading.setdefault(lazy_pinyin(ch)[0], []).append(ch)
        homophones = {
            ch: [other for other in by_reading[lazy_pinyin(ch)[0]] if other != ch] for ch in chars
        }
        return cls(
            buildings=buildings,
            unique_compounds={name for name, n in counts.items() if name and n == 1},
            multi_building_places=[group for group in places.values() if len(group) > 1],
            known_names=known_names,
            # Also under road+门牌号 alone: "朱屯西路32号院12号楼" names 32号振兴公寓12号楼.
            existing={
                (b.road, b.number, compound, b.building)
                for b in buildings
                for compound in {canonical_compound(b.compound), None}
            },
            homophones=homophones,
        )


def plant_typo(text: str, name: str, catalogue: Catalogue, rng: random.Random) -> str:
    """One substitution (half of them by a homophone, as pinyin input produces), deletion or
    insertion inside ``name``; never on a final 路, so the road still parses as a road. A typo
    that spells another real road or compound is re-drawn: that query names a different
    place, correctly."""
    editable = len(name) - 1 if name.endswith("路") else len(name)
    while True:
        position = rng.randrange(editable)
        roll = rng.random()
        sounds_alike = catalogue.homophones.get(name[position], [])
        if roll < 0.35 and sounds_alike:
            typo = name[:position] + rng.choice(sounds_alike) + name[position + 1 :]
        elif roll < 0.7:
            replacement = rng.choice([ch for ch in TYPO_CHARS if ch != name[position]])
            typo = name[:position] + replacement + name[position + 1 :]
        elif roll < 0.85 and len(name) > 2:
            typo = name[:position] + name[position + 1 :]
        else:
            typo = name[:position] + rng.choice(TYPO_CHARS) + name[position:]
        known = catalogue.known_names
        if typo not in known and canonical_compound(typo) not in known:
            return text.replace(name, typo, 1)


def make_queries(
    catalogue: Catalogue, count: int, rng: random.Random
) -> list[tuple[str, str, int | None]]:
    """(kind, query, expected building id or None)."""
    queries: list[tuple[str, str, int | None]] = []
    for _ in range(count):
        roll = rng.random()
        b = rng.choice(catalogue.buildings)
        if roll < 0.60:
            text, _, _ = render_variant(b, rng, catalogue.unique_compounds)
            queries.append(("variant", text, b.building_id))
        elif roll < 0.85:
            text, road, compound = render_variant(
                b, rng, catalogue.unique_compounds, keep_names=True
            )
            name = rng.choice([name for name in (road, compound) if name])
            queries.append(("typo", plant_typo(text, name, catalogue, rng), b.building_id))
        else:
            queries.append(("refuse", make_refusal(b, catalogue, rng), None))
    return queries


def make_refusal(b: Building, catalogue: Catalogue, rng: random.Random) -> str:
    kind = rng.randrange(7)
    if kind == 0:  # a building number the place does not have
        missing = rng.choice([31, 35, 40, 50, 66, 88, 99])
        return render_address(b.road, b.number, b.compound, str(missing))
    if kind == 1:  # a road that is not in the district
        foreign = rng.choice(FOREIGN_ROADS)
        return render_address(foreign, b.number, b.compound, str(b.building))
    if kind == 2:  # a real district road that does not have this place
        compound = canonical_compound(b.compound)
        roads = [
            road
            for road in ROADS
            if (road, b.number, compound, b.building) not in catalogue.existing
        ]
        return render_address(rng.choice(roads), b.number, b.compound, str(b.building))
    if kind == 3:
        length = rng.randint(2, 12)
        if rng.random() < 0.5:
            return "".join(
                rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(length)
            )
        return "".join(rng.choice(TYPO_CHARS) for _ in range(length))
    if kind == 4:
        return rng.choice(["", " ", "中原区", "郑州市中原区", "河南省郑州市", "？？"])
    if kind == 5:  # a place with several buildings, no building number
        first = rng.choice(catalogue.multi_building_places)[0]
        place = first.compound or f"{first.road}{first.number}号院"
        return rng.choice(["", "中原区"]) + (place if rng.random() < 0.5 else first.road + place)
    # only a road and a building number
    return f"{b.road}{b.building}号楼"


# -- run ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buildings", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    buildings = generate_buildings(args.buildings, rng)
    bad_parses = sum(parse_address(b.address).building != str(b.building) for b in buildings[:2000])
    entries = [(b.building_id, b.address, b.aliases) for b in buildings]
    compounds = {b.compound for b in buildings if b.compound}

    started = time.perf_counter()
    index = AddressIndex(entries)
    build_seconds = time.perf_counter() - started
    # The first resolve once the index is built (what the first request after a start pays
    # where the warm start built the index before the workers forked).
    tick = time.process_time()
    index.resolve(entries[0][1])
    first_ms = (time.process_time() - tick) * 1000

    catalogue = Catalogue.of(buildings)
    queries = make_queries(catalogue, args.queries, random.Random(args.seed + 1))
    # CPU time of this process (one thread): what the bar counts, so that a busy
    # machine does not decide it; the wall time beside it.
    started, cpu_started = time.perf_counter(), time.process_time()
    results = [index.resolve(text) for _, text, _ in queries]
    resolve_seconds = time.perf_counter() - started
    resolve_cpu = time.process_time() - cpu_started
    rate = len(queries) / resolve_seconds
    cpu_rate = len(queries) / resolve_cpu
    # Second pass, timed per query, to show what each class costs (the exact path is a few
    # dictionary lookups, typos and refusals go through candidate generation).
    per_kind: dict[str, float] = {}
    for kind, text, _ in queries:
        tick = time.perf_counter()
        index.resolve(text)
        per_kind[kind] = per_kind.get(kind, 0.0) + time.perf_counter() - tick
    kind_counts = Counter(kind for kind, _, _ in queries)
    # What intake calls: the same queries, and the search for an address inside text that a
    # refusal goes on to; must never resolve where resolve() refused.
    started = time.perf_counter()
    in_text = [index.resolve_in_text(text) for _, text, _ in queries]
    in_text_micros = (time.perf_counter() - started) / len(queries) * 1e6
    in_text_changed = sum(
        a.building_id != b.building_id for a, b in zip(results, in_text, strict=True)
    )

    tally: dict[str, Counter[str]] = {}
    wrong_examples: list[tuple[str, str, int | None, int | None]] = []
    for (kind, text, expected), result in zip(queries, results, strict=True):
        outcome = (
            "refused"
            if result.building_id is None
            else "correct"
            if result.building_id == expected
            else "wrong"
        )
        tally.setdefault(kind, Counter())[outcome] += 1
        if outcome == "wrong" and len(wrong_examples) < 10:
            wrong_examples.append((kind, text, expected, result.building_id))

    def share(kind: str, outcome: str) -> float:
        total = sum(tally.get(kind, Counter()).values())
        return tally.get(kind, Counter())[outcome] / total if total else 0.0

    resolved = sum(r.building_id is not None for r in results) / len(results)
    print(f"buildings           {len(index):>10,}  ({len(compounds):,} named compounds)")
    print(f"address self-parse  {bad_parses:>10}  mismatches in the first 2,000")
    print(f"build               {build_seconds:>10.2f} s")
    print(f"queries             {len(queries):>10,}  {dict(kind_counts)}")
    print(f"first resolve       {first_ms:>10.2f} ms CPU after the build")
    print(f"resolve             {resolve_seconds:>10.2f} s  = {rate:,.0f} resolutions/s (wall)")
    print(
        f"resolve             {resolve_cpu:>10.2f} s CPU = {cpu_rate:,.0f} "
        "resolutions per CPU-second"
    )
    for kind in ("variant", "typo", "refuse"):
        micros = per_kind.get(kind, 0.0) / max(1, kind_counts[kind]) * 1e6
        print(f"  {kind:<8} {micros:>15.0f} µs per query")
    print(
        f"resolve_in_text     {in_text_micros:>10.0f} µs per query, "
        f"{in_text_changed} answers changed"
    )
    print(f"resolved / refused  {resolved:>10.1%} / {1 - resolved:.1%}")
    for kind in ("variant", "typo", "refuse"):
        counts = tally.get(kind, Counter())
        print(f"  {kind:<8} {dict(counts)}")
    print(f"accuracy variants   {share('variant', 'correct'):>10.2%}")
    print(
        f"typos               {share('typo', 'correct'):>10.2%} correct, "
        f"{share('typo', 'refused'):.2%} refused, {share('typo', 'wrong'):.2%} wrong"
    )
    print(f"refusals honoured   {share('refuse', 'refused'):>10.2%}")
    for example in wrong_examples:
        print("  wrong:", example)

    summary = {
        "buildings": len(index),
        "queries": len(queries),
        "build_seconds": round(build_seconds, 3),
        "resolutions_per_second": round(rate),
        "resolutions_per_cpu_second": round(cpu_rate),
        "first_resolve_ms": round(first_ms, 2),
        "resolved_fraction": round(resolved, 4),
        "refused_fraction": round(1 - resolved, 4),
        "variant_accuracy": round(share("variant", "correct"), 4),
        "typo_accuracy": round(share("typo", "correct"), 4),
        "typo_wrong": round(share("typo", "wrong"), 4),
        "refusal_precision": round(share("refuse", "refused"), 4),
        "wrong_total": sum(c["wrong"] for c in tally.values()),
        "resolve_in_text_us": round(in_text_micros),
        "resolve_in_text_changed": in_text_changed,
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
