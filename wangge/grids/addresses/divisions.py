"""The country's administrative divisions down to the county level: which 省/市/区/县 names exist
and what each lies in.

The grid tree of a district knows its own names and the buildings' addresses teach the city and
province above it, but a registry that starts at the county and never writes 合肥市 teaches no
city at all, and then nothing tells 巢湖市 (a county-level city beside 肥东县) from a way of
writing 合肥. The national list does: a name it knows that is not above an imported district is
another place (`places.Gazetteer` refuses it).

The list is ``wangge/grids/data/divisions.csv`` (``code,name,parent``; source, licence and vintage
in the README beside it), read once per process on first use: a few milliseconds, and only a
query naming a place whose level the data never names pays for it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "divisions.csv"
FORMER = Path(__file__).resolve().parents[1] / "data" / "former_divisions.csv"

# What a province's name ends in, longest first: "河南" is 河南省, "北京" 北京市, "广西"
# 广西壮族自治区.
_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


@dataclass(frozen=True, slots=True)
class Divisions:
    """Codes by name (a name may be several places: 朝阳区, 鼓楼区), each code's name and parent,
    and the provinces by the name written without their suffix."""

    codes: dict[str, tuple[str, ...]]
    names: dict[str, str]
    parents: dict[str, str]
    provinces: dict[str, str]

    def knows(self, name: str) -> bool:
        return name in self.codes

    def province(self, short: str) -> str | None:
        """The full name of a province written without its suffix ("河南" → 河南省)."""
        return self.provinces.get(short)

    def chain(self, code: str) -> set[str]:
        """The names of the place and of everything above it: what may stand in front of it in
        an address (340122 → 肥东县, 合肥市, 安徽省)."""
        found: set[str] = set()
        while code:
            found.add(self.names[code])
            code = self.parents.get(code, "")
        return found


def _strip_province(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def read(lines: Iterable[str]) -> Divisions:
    """The list from its CSV lines (``code,name,parent``, a header first; no name holds a comma
    or a quote, so a line is split, not parsed: a third of `csv.DictReader`'s time)."""
    codes: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    provinces: dict[str, str] = {}
    rows = iter(lines)
    if next(rows, "").strip() != "code,name,parent":
        raise ValueError(f"{DATA.name}: not a code,name,parent list")
    for line in rows:
        if not line.strip():
            continue
        code, name, parent = line.rstrip("\r\n").split(",")
        codes.setdefault(name, []).append(code)
        names[code] = name
        if parent:
            parents[code] = parent
        else:
            provinces[_strip_province(name)] = name
    return Divisions({k: tuple(v) for k, v in codes.items()}, names, parents, provinces)


@functools.cache
def national() -> Divisions:
    return read(DATA.read_text(encoding="utf-8").splitlines())


@functools.cache
def _city_stems() -> frozenset[str]:
    """The national list's 地级 cities by their names without 市."""
    names = national().names
    return frozenset(
        name.removesuffix("市")
        for code, name in names.items()
        if code.endswith("00") and not code.endswith("0000") and name.endswith("市")
    )


def city_misspelt(stem: str) -> bool:
    """Whether ``stem`` is a 地级 city's name (without 市) with one character wrong (郑洲 for
    郑州): a slip, not another name."""
    return any(
        len(city) == len(stem) and sum(a != b for a, b in zip(city, stem, strict=True)) == 1
        for city in _city_stems()
    )


@functools.cache
def former() -> dict[str, tuple[frozenset[str], ...]]:
    """County-level names no longer in use (平江区, 崇文区, 吴县市), each with, per unit of that
    name, the codes in use today that its former area lies in (``former_divisions.csv``;
    source and licence in the README beside it). People and old registers still write them."""
    found: dict[str, list[frozenset[str]]] = {}
    lines = FORMER.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "name,code,city,until,now":
        raise ValueError(f"{FORMER.name}: not a name,code,city,until,now list")
    for line in lines[1:]:
        if line.strip():
            name, _code, _city, _until, now = line.rstrip("\r\n").split(",")
            found.setdefault(name, []).append(frozenset(now.split(";")))
    return {name: tuple(units) for name, units in found.items()}


def former_name_of(name: str, codes: Iterable[str]) -> bool:
    """Whether ``name`` is a former county-level unit whose whole area now lies in one of
    ``codes`` — and every former unit of that name does, and no unit in use bears it: 平江区
    of 苏州 is 姑苏区 (320508) now, but 郊区 was a district of thirty cities, and 吴县 is split
    between two districts today."""
    units = former().get(name)
    if not units or national().knows(name):
        return False
    wanted = set(codes)
    return all(len(now) == 1 and now <= wanted for now in units)
