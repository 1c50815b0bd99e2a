"""Place names in front of an address, learnt from the data: which district is meant.

People put any chain of 省/市/区/街道/社区 names in front of a road, or none, or only some of
them: 洛阳市涧西区南昌路街道南昌路社区南昌路…, 洛阳南昌路…, 南昌路街道南昌路…. None of these
names is written in code: the grid tree gives the district, street, community and exclusive-grid
names with the subtree each covers, and the official addresses and aliases of a district's
buildings give its city and province (洛阳市 in front of 涧西区 in its 标准地址).

``Gazetteer.split`` reads the chain off the front of a normalized address and returns what is
left plus the *scopes* the names put the building in. A name the data knows restricts the
building to its subtree; a 省/市/区/县 name the data does not know, when the data knows names
of that level, restricts it to nowhere: a query naming another district or city is refused,
never resolved into ours. Where the data never names a district's city (or province), the
national list of divisions (`divisions`) says which may stand in front of it: those above it
(合肥市 and 安徽省 for 肥东县); any other city, county or province the list knows (巢湖市, beside
肥东县 under 合肥市) is another place and refused. A district the list does not know accepts any
city, since nothing contradicts it.

Only the country's provincial-level names are built into the reading: they are national, not
data of any district, and are what lets "河南洛阳…" be read without a 省.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from wangge.grids.addresses import divisions
from wangge.grids.addresses.text import (
    ADMIN_UNIT_RE,
    CJK,
    COMMUNITY_RE,
    LEADING_FILLERS,
    ROAD_RE,
    ROAD_SUFFIXES,
    starts_like_road_suffix,
    town_forms,
)

PROVINCE, CITY, DISTRICT, STREET, COMMUNITY, EXCLUSIVE = (
    "province",
    "city",
    "district",
    "street",
    "community",
    "exclusive",
)
# Levels whose names say which district (the unit a building's path starts with) is meant.
_DISTRICT_LEVELS = (PROVINCE, CITY, DISTRICT)

# fmt: off
_PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州",
    "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
    "澳门",
)
# fmt: on

# "我家在…", "地址是…" by their first character: most positions start none of them.
_FILLERS_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(f for f in LEADING_FILLERS if f[0] == first)
    for first in {f[0] for f in LEADING_FILLERS}
}
_PROVINCES_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _short_name in _PROVINCES:
    _PROVINCES_BY_FIRST[_short_name[0]] = (
        *_PROVINCES_BY_FIRST.get(_short_name[0], ()),
        _short_name,
    )
_PROVINCE_SUFFIXES = (
    "壮族自治区",
    "回族自治区",
    "维吾尔自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
# Characters typed for 省 or 市 after a province's name by pinyin input (sheng, shi).
_SUFFIX_SLIPS = {"生": "省", "声": "省", "胜": "省", "是": "市", "事": "市", "式": "市", "时": "市"}
_STREET_SUFFIXES = ("街道办事处", "街道办", "街道", "办事处")
_COMMUNITY_SUFFIXES = (
    "社区居民委员会",
    "社区居委会",
    "居民委员会",
    "村民委员会",
    "居委会",
    "村委会",
    "社区",
)
_VILLAGE_SUFFIX = "村"
# Not a name character of a province, city or district: where one of these is inside a
# "…区" it is a road, a number or a building (南昌路小区, 3号院东区).
_NOT_ADMIN = "路街巷号楼院栋幢座门"
# Words ending in 市 that are shops and markets, not cities: 太平超市, 农贸菜市, 东关夜市.
_MARKETS = ("超市", "菜市", "门市", "夜市", "集市", "早市", "花市", "鸟市", "街市")
# A direction and a road word: what ends a road's name (南路, 东大街), never a place's start.
_DIRECTED_ROAD_RE = re.compile(r"[东西南北中]{1,2}(?:大街|大道|路|街)")
_GENERIC_PROVINCE_RE = re.compile(f"[{CJK}]{{2,7}}?(?:自治区|省)")
_GENERIC_CITY_RE = re.compile(f"[{CJK}]{{2,6}}?(?:自治州|市)")
_GENERIC_DISTRICT_RE = re.compile(f"[{CJK}]{{2,6}}?(?:区|县|旗)")
# Names ending so are parts of a town, not districts (华山小区, 厂区, 河南科技大学西苑校区).
_NOT_DISTRICT_ENDINGS = (
    "小区",
    "社区",
    "园区",
    "校区",
    "厂区",
    "片区",
    "街区",
    "景区",
    "营区",
    "院区",
    "生活区",
    "家属区",
    "住宅区",
    "宿舍区",
)


def district_key(path: str) -> str:
    """A grid path's first code ("410305/"): its district where the tree starts at districts,
    and what `Gazetteer.district_of` falls back to when the data names no district; "" without
    a tree."""
    cut = path.find("/")
    return path[: cut + 1] if cut >= 0 else ""


# How deep a district may sit in a path: at the top, or under a city (a province above the city
# would be one more).
_DISTRICT_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a named place lets the building be: ``districts`` (district keys: each district's
    path) and/or path ``prefixes``; None is no restriction."""

    districts: frozenset[str] | None = None
    prefixes: tuple[str, ...] | None = None
    _district_starts: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.districts is not None:
            object.__setattr__(self, "_district_starts", tuple(sorted(self.districts)))

    def admits(self, path: str) -> bool:
        if self.districts is not None and not path.startswith(self._district_starts):
            return False
        return self.prefixes is None or path.startswith(self.prefixes)

    @property
    def empty(self) -> bool:
        return self.districts is not None and not self.districts


@dataclass(slots=True)
class Split:
    """What ``Gazetteer.split`` read: the text after the place names, the scopes they impose,
    and the names themselves (for display and tests)."""

    rest: str
    scopes: list[Scope] = field(default_factory=list)
    names: list[tuple[str, str]] = field(default_factory=list)  # (level, name as written)
    # A district named by its former name (苏州市平江区, now 姑苏区): admitted, but listed for
    # a person to confirm, never answered on it alone.
    former: bool = False

    @property
    def impossible(self) -> bool:
        return any(scope.empty for scope in self.scopes)

    def admits(self, path: str) -> bool:
        return all(scope.admits(path) for scope in self.scopes)


@dataclass(frozen=True, slots=True)
class _Name:
    level: str
    canonical: str  # the name as the data writes it (洛阳市 for 洛阳)
    path: str  # the node's subtree for tree names; "" for names of a district's region
    bare: bool = False  # written without its 省/市 (洛阳, 河南): never in front of 路


def _strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


_SHORT_ROAD_RE = re.compile(f"[{CJK}]{{1,5}}?(?:大道|大街|路|街)")


def _overlaps_name(text: str, pos: int, end: int, blocker: Blocker) -> bool:
    """A known road or compound name starts inside text[pos:end] and runs past it: the
    characters are that name's, not a place name's (郑州原市 in 郑州原市属砂轮厂家属院)."""
    return any(blocker(text, k) > end - k for k in range(pos, end))


def _short(level: str, name: str) -> str:
    # 河南 = 河南省, 北京 = 北京市: a province is compared without its suffix.
    return _strip_suffix(name, _PROVINCE_SUFFIXES) if level == PROVINCE else name


# Finds the longest known road or compound name at a position (0 when none): a place name
# that is the start of one of those is not a place name there (广州市 in 广州市场大厦).
Blocker = Callable[[str, int], int]


def _no_blocker(text: str, pos: int) -> int:
    return 0


class Gazetteer:
    """The place names of the imported data, and the districts each one points to."""

    def __init__(self) -> None:
        self._names: dict[str, list[_Name]] = {}
        self._by_first: dict[str, list[str]] = {}
        # Per district key: its names at each district level ({"city": {"洛阳市"}, …}).
        self._regions: dict[str, dict[str, set[str]]] = {}
        # The district nodes' own paths: under a city a district is "410100/410305/", and the
        # first code of its paths is the city's, shared by every district.
        self._district_paths: set[str] = set()
        self._district_forms: set[str] = set()
        # The districts' names without their 区 / 县 (鼓楼 → 鼓楼区), read in queries only.
        self._bare_districts: dict[str, dict[str, str]] = {}
        self._chain_cache: dict[str, tuple[list[tuple[str, str, int]], int]] = {}
        self._name_set: frozenset[str] | None = None
        # The tree's nodes above its districts (a 市 node over them) by path: the city each
        # district under it lies in, whether or not its addresses write it.
        self._above: dict[str, str] = {}
        # Per district key: the names the national list puts around it (`_around`), None for
        # a district the list does not know; worked out on first use, dropped when it learns.
        self._around_cache: dict[str, frozenset[str] | None] = {}
        # Each (level, name)'s scope, worked out once until a name or district is learnt: a
        # query's names are few and the same ones come again.
        self._scope_cache: dict[tuple[str, str], Scope | None] = {}
        # Where the database engine made it: `learnt_digest` with the parser's code, which the
        # forms of a building parsed over it are stored against (`dbengine.fill_forms`).
        self.digest = ""

    # -- learning -------------------------------------------------------------------------

    def add_district(self, key: str) -> None:
        if key not in self._regions:
            self._regions[key] = {level: set() for level in _DISTRICT_LEVELS}
            self._scope_cache.clear()

    def add_node(self, name: str, level: str, path: str) -> None:
        """A node of the grid tree: its name (and the forms people write it in) stands for
        its subtree; an exclusive grid for the unit that runs it; a city above the districts
        says which city they lie in."""
        name = name.strip()
        if len(name) < 2:
            return
        self._around_cache.clear()
        self._scope_cache.clear()
        if level not in (DISTRICT, STREET, COMMUNITY, EXCLUSIVE):
            self._above[path if path.endswith("/") else path + "/"] = name
            return
        if level == DISTRICT:
            key = path if path.endswith("/") else district_key(path)
            self._district_paths.add(key)
            self.add_district(key)
            self._regions[key][DISTRICT].add(name)
            self._add(name, _Name(DISTRICT, name, ""))
            if name.endswith(("区", "县", "旗")) and len(name) >= 3:
                self._bare_districts.setdefault(name[0], {})[name[:-1]] = name
            return
        if level == EXCLUSIVE:
            path = path[: path.rstrip("/").rfind("/") + 1]
            self._add(name, _Name(EXCLUSIVE, name, path))
            return
        forms = {name}
        if level == STREET:
            stem = _strip_suffix(name, _STREET_SUFFIXES)
            if stem != name:
                forms.update(stem + suffix for suffix in _STREET_SUFFIXES)
            forms.update(town_forms(name))
        elif level == COMMUNITY:
            stem = _strip_suffix(name, _COMMUNITY_SUFFIXES)
            if stem != name:
                forms.update(stem + suffix for suffix in ("社区", "社区居委会", "居委会"))
        else:
            return
        for form in forms:
            self._add(form, _Name(level, name, path))

    def district_of(self, path: str) -> str:
        """The district a grid path lies in, as its key: the path of the tree's district node
        above it ("410305/" at the top of the tree, "410100/410305/" under a city); its first
        code when the data names no district above it."""
        end = -1
        for _ in range(_DISTRICT_DEPTH):
            end = path.find("/", end + 1)
            if end < 0:
                break
            if path[: end + 1] in self._district_paths:
                return path[: end + 1]
        return district_key(path)

    def learn(self, text: str, key: str) -> None:
        """Read the 省/市/区 names in front of one of the district's normalized addresses."""
        self.add_district(key)
        self._around_cache.clear()
        self._scope_cache.clear()
        region = self._regions[key]
        for level, name, _end in self._stored_chain(text)[0]:
            if level not in _DISTRICT_LEVELS:
                continue
            region[level].add(name)
            if level == CITY:
                self._add(name, _Name(CITY, name, ""))
                bare = name.removesuffix("市")
                if len(bare) >= 2 and bare != name:
                    self._add(bare, _Name(CITY, name, "", bare=True))
            elif level == PROVINCE:
                self._add(name, _Name(PROVINCE, name, ""))
            elif level == DISTRICT:
                self._add(name, _Name(DISTRICT, name, ""))

    def teaches(self, text: str, key: str) -> bool:
        """Whether `learn` would learn anything from this address: a district not known yet, or
        a 省/市/区 name in front of it that its district's region does not hold (`learn` adds a
        name and its region together)."""
        region = self._regions.get(key)
        if region is None:
            return True
        return any(
            level in _DISTRICT_LEVELS and name not in region[level]
            for level, name, _end in self._stored_chain(text)[0]
        )

    def learnt(self) -> None:
        """Learning is over: drop the readings of the stored addresses kept while learning
        (one per distinct front, 24,000 and several MB at the demo district's size). A query's
        reading is not kept: an index reads queries with a blocker (see `split`)."""
        self._chain_cache = {}

    def _add(self, form: str, name: _Name) -> None:
        self._chain_cache.clear()
        self._scope_cache.clear()
        self._name_set = None
        if name.level == DISTRICT:
            self._district_forms.add(form)
        entries = self._names.setdefault(form, [])
        if name not in entries:
            entries.append(name)
            if len(entries) == 1:
                self._by_first.setdefault(form[0], []).append(form)
                self._by_first[form[0]].sort(key=lambda f: (-len(f), f))

    def learnt_digest(self) -> str:
        """A digest of what it has learnt, each form's names in the order a reading takes them
        (the first wins): two gazetteers of one digest read every address alike, however many
        addresses taught them the same names."""
        digest = hashlib.sha256()
        for form in sorted(self._names):
            digest.update(repr((form, self._names[form])).encode())
        for key in sorted(self._regions):
            levels = sorted((level, sorted(names)) for level, names in self._regions[key].items())
            digest.update(repr((key, levels)).encode())
        digest.update(repr(sorted(self._district_paths)).encode())
        return digest.hexdigest()

    def names(self) -> list[str]:
        """Every form of every place name known (for finding one written in pinyin)."""
        return list(self._names)

    def names_with_around(self) -> list[str]:
        """`names`, with the cities and provinces the national list puts around the districts
        (an address written in English ends with its city, "…, Wuming District, Nanning",
        which the tree, starting at the district, does not hold)."""
        found = set(self._names)
        for key in list(self._regions):
            found |= self._around(key) or frozenset()
        return sorted(found)

    def name_set(self) -> frozenset[str]:
        """The same, as a set kept until a name is added (asked once a query)."""
        if self._name_set is None:
            self._name_set = frozenset(self._names)
        return self._name_set

    # -- reading a query ------------------------------------------------------------------

    def split(self, text: str, blocker: Blocker = _no_blocker) -> Split:
        """Read the place names off the front of normalized ``text``."""
        if blocker is _no_blocker:
            tokens, pos = self._stored_chain(text)
        else:
            tokens, pos = self._chain(text, blocker)
        result = Split(rest=text[pos:])
        for level, name, _end in tokens:
            result.names.append((level, name))
            scope = self._scope(level, name)
            if scope is not None:
                result.scopes.append(scope)
            if level == DISTRICT and (scope is None or not scope.empty) and self._former_only(name):
                result.former = True
        return result

    def _former_only(self, name: str) -> bool:
        """Whether a district name is no district's own, only a former name of one."""
        if name in self._names or divisions.national().knows(name):
            return False
        return any(self._former_own(key, name) for key in self._regions)

    def stored_rest(self, text: str) -> str:
        """What follows the place names in front of a stored address: `split`'s rest, without
        the scopes, which an index reading its own buildings never asks for (working them out
        was a tenth of the database engine's time per query)."""
        return text[self._stored_chain(text)[1] :]

    def ends_here(self, text: str, pos: int) -> bool:
        """Whether a place name ends right before ``pos`` (so an address starting there is
        the tail of a longer chain, read in full from the chain's start)."""
        head = text[:pos]
        if head.endswith(("省", "市", "区", "县", "旗", "州", "街道", "办事处", "街道办", "社区")):
            return True
        if head.endswith(("居委会", "村委会")):
            return True
        return any(head[-size:] in self._names for size in range(2, min(pos, 16) + 1))

    def starts_here(self, text: str, pos: int) -> bool:
        """Whether a place name the data knows starts at ``pos``."""
        return any(text.startswith(form, pos) for form in self._by_first.get(text[pos], ()))

    def _scope(self, level: str, name: str) -> Scope | None:
        key = (level, name)
        if key not in self._scope_cache:
            self._scope_cache[key] = self._scope_of(level, name)
        return self._scope_cache[key]

    def _scope_of(self, level: str, name: str) -> Scope | None:
        entries = [n for n in self._names.get(name, ()) if n.level == level]
        if level in (STREET, COMMUNITY, EXCLUSIVE):
            if not entries:
                return None  # a street we have no tree for: nothing to check it against
            return Scope(prefixes=tuple(sorted({n.path for n in entries})))
        canonical = {_short(level, n.canonical) for n in entries} or {_short(level, name)}
        # The national list is asked only where a district's data names no place of this level
        # (most queries name one the data has, or none).
        national = (
            self._national(level, {name} | {n.canonical for n in entries})
            if any(not region[level] for region in self._regions.values())
            else frozenset()
        )
        allowed = frozenset(
            key
            for key, region in self._regions.items()
            if (
                self._names_own(level, {_short(level, n) for n in region[level]}, canonical)
                or (level == DISTRICT and self._former_own(key, name))
                if region[level]
                else self._may_lie_in(key, national)
            )
        )
        if len(allowed) == len(self._regions):
            return None  # every district admits it (or there are none)
        return Scope(districts=allowed)

    def _names_own(self, level: str, own: set[str], asked: set[str]) -> bool:
        """Whether a 省, 市 or 区 asked is the district's own: by name, or misspelt by one
        character (福南省 for 湖南省, 蓝京市 for 南京市, 乔西区 for 桥西区) into a name the
        national list does not know — 河南省 for 湖南省 is another province, and refused."""
        if own & asked:
            return True
        if level not in (PROVINCE, CITY, DISTRICT):
            return False
        return any(
            len(a) == len(o) >= 2
            and sum(x != y for x, y in zip(a, o, strict=True)) == 1
            and not self._national(level, {a})
            for a in asked
            for o in own
        )

    def _former_own(self, key: str, name: str) -> bool:
        """Whether a district name no longer in use is all of it now in this district (苏州的
        平江区, merged into 姑苏区 in 2012): people and old registers still write it. Only
        where the district is one place of the national list, so the merge is certainly its."""
        codes = self._codes(key)
        return len(codes) == 1 and divisions.former_name_of(name, codes)

    def _national(self, level: str, names: set[str]) -> frozenset[str]:
        """The national list's spellings of a 省/市/区/县 name read in front of an address
        (河南 → 河南省, 郑州 in front of 中原区 → 郑州市); empty when the list does not know it."""
        known = divisions.national()
        found: set[str] = set()
        for name in names:
            if level == PROVINCE:
                full = known.province(_short(PROVINCE, name))
                if full is not None:
                    found.add(full)
            elif known.knows(name):
                found.add(name)
            elif level == CITY and not name.endswith("市") and known.knows(name + "市"):
                # Only a city the reading already took without its 市 (in front of a
                # district, or after a province): a bare 巢湖 elsewhere may be a road or a
                # village and is never read as a place.
                found.add(name + "市")
        return frozenset(found)

    def _may_lie_in(self, key: str, national: frozenset[str]) -> bool:
        """Whether a district whose data never names this level admits a place of the national
        list: when the list knows the district, only a place above it (or the district itself)
        may be named in front of it; a place the list does not know, or any place in front of
        a district it does not know, is admitted as before."""
        if not national:
            return True
        around = self._around(key)
        return around is None or not national.isdisjoint(around)

    def _around(self, key: str) -> frozenset[str] | None:
        """The names the national list puts at or above a district (its readings: every place
        of the list called as the tree and its addresses call it), with the tree's own nodes
        above it; None when the list knows none of its names."""
        if key in self._around_cache:
            return self._around_cache[key]
        known = divisions.national()
        chains = [known.chain(code) for code in self._codes(key)]
        above = {name for path, name in self._above.items() if key.startswith(path)}
        around = frozenset(above).union(*chains) if chains else None
        self._around_cache[key] = around
        return around

    def _codes(self, key: str) -> list[str]:
        """The national list's codes for a district: one, or several where its name is shared
        across the country (鼓楼区 in 南京, 福州, 徐州, 开封) and neither the tree nor the data
        names its city or province; then only those under the city or province named."""
        known = divisions.national()
        region = self._regions[key]
        codes = [code for name in region[DISTRICT] for code in known.codes.get(name, ())]
        above = {name for path, name in self._above.items() if key.startswith(path)}
        for named in (
            self._national(CITY, above),
            self._national(CITY, region[CITY]),
            self._national(PROVINCE, region[PROVINCE]),
        ):
            narrowed = [code for code in codes if not named.isdisjoint(known.chain(code))]
            if narrowed:
                codes = narrowed
        return codes

    def _stored_chain(self, text: str) -> tuple[list[tuple[str, str, int]], int]:
        # The names of a stored address never reach past its first digit (a name is never
        # followed by one), so addresses sharing their front up to it share the reading.
        # Learning adds names, so the cache is kept only until the next one is learnt.
        digit = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text) - 1)
        key = text[: digit + 1]
        cached = self._chain_cache.get(key)
        if cached is None:
            if len(self._chain_cache) >= 50_000:
                self._chain_cache.clear()
            cached = self._chain_cache[key] = self._chain(key, _no_blocker)
        return cached

    def _chain(self, text: str, blocker: Blocker) -> tuple[list[tuple[str, str, int]], int]:
        """The place names at the front of ``text`` as (level, canonical name, end), and
        where the address proper starts (after them and the "我家在…" in front)."""
        found: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            fillers = _FILLERS_BY_FIRST.get(text[pos])
            if fillers is not None:
                filler = next(
                    (f for f in fillers if text.startswith(f, pos) and len(text) > pos + len(f)),
                    None,
                )
                if filler is not None:
                    pos += len(filler)
                    continue
            token = self._known(text, pos, blocker) or self._generic(text, pos, blocker)
            if token is None and found and found[-1][0] == PROVINCE:
                token = self._bare_city(text, pos, blocker)
            if token is None and blocker is not _no_blocker:
                token = self._bare_district(text, pos, blocker)
            if token is None and not found and blocker is not _no_blocker:
                token = self._national_city(text, pos, blocker)
            if token is None:
                break
            level, name, end = token
            if (
                level == CITY
                and text[end - 1 : end] == "市"
                and not self.starts_here(text, end)
                and self.starts_here(text, end - 1)
            ):
                # 青岛市南区, 济南市中区: the city written without its 市 before a district
                # whose name starts with 市 (市南区, 市中区); its 市 is the district's.
                token = (level, name, end - 1)
            found.append(token)
            if token[0] == COMMUNITY and token[1].endswith(_VILLAGE_SUFFIX):
                # A 行政村 scopes the address and stays part of it: its 组, its natural
                # villages and its houses are numbered inside it (和平村4组12号).
                break
            pos = token[2]
        return found, pos

    def _known(self, text: str, pos: int, blocker: Blocker) -> tuple[str, str, int] | None:
        for form in self._by_first.get(text[pos], ()):
            if not text.startswith(form, pos):
                continue
            end = pos + len(form)
            rest = text[end:]
            if rest and (
                rest[0].isdigit()
                # 道 begins 道里区 as well as ends 郑州道: a place name next is no road word.
                or (starts_like_road_suffix(rest) and not self.starts_here(text, end))
            ):
                continue  # "华山街道3号", "郑州路": the name is the place itself
            if blocker(text, pos) >= len(form):
                continue
            # A community the tree knows scopes the query, so it may go even when it is
            # named after a road and no road follows.
            entry = self._names[form][0]
            if not rest and entry.level in (COMMUNITY, EXCLUSIVE):
                continue  # "草厂社区居委会", "新丰小学" alone: the place itself (an alias)
            if entry.bare and not self._place_or_road_follows(text, end, blocker):
                continue  # 兰州大学, 郑州银行: a name that starts with the city's, not the city
            if entry.level == PROVINCE:
                # A province learnt without its suffix (贵州, from 贵州银行) written with it.
                end += next((len(x) for x in _PROVINCE_SUFFIXES if rest.startswith(x)), 0)
            if (
                entry.level in (PROVINCE, CITY)
                and end == pos + len(form)
                and rest[:1] in _SUFFIX_SLIPS
                and self._follows(text, end + 1, blocker)
            ):
                end += 1  # 江苏生苏州, 天津是河西区: the suffix typed as its sound
            return entry.level, entry.canonical, end
        return None

    def _generic(self, text: str, pos: int, blocker: Blocker) -> tuple[str, str, int] | None:
        token = self._generic_admin(text, pos, blocker)
        if token is not None:
            level, end = token
            rest = text[end:]
            if rest and not rest[0].isdigit() and not _overlaps_name(text, pos, end, blocker):
                name = text[pos:end]
                if level in (PROVINCE, CITY) and name[-1] in _SUFFIX_SLIPS:
                    name = name[:-1] + _SUFFIX_SLIPS[name[-1]]  # 江苏生 is 江苏省
                elif level == CITY and not name.endswith("市"):
                    name += "市"  # 石加庄桥西区: a city without 市 is compared with 市, as 石家庄市
                return level, name, end
        match = ADMIN_UNIT_RE.match(text, pos)
        if match:
            rest = text[match.end() :]
            # "华山街道3号" keeps its name: without it nothing identifies a place.
            if rest and not rest[0].isdigit():
                return STREET, match.group(0), match.end()
        match = COMMUNITY_RE.match(text, pos)
        if match:
            rest = text[match.end() :]
            name = match.group(0)
            if rest and not rest[0].isdigit() and self._community_may_go(COMMUNITY, name, rest):
                return COMMUNITY, name, match.end()
        return None

    def _generic_admin(self, text: str, pos: int, blocker: Blocker) -> tuple[str, int] | None:
        for short in _PROVINCES_BY_FIRST.get(text[pos], ()):
            if text.startswith(short, pos):
                end = pos + len(short)
                for suffix in _PROVINCE_SUFFIXES:
                    if text.startswith(suffix, end):
                        if suffix == "市" and text.startswith("场", end + 1):
                            break  # 上海市场 is a market
                        return PROVINCE if suffix != "市" else CITY, end + len(suffix)
                slip = _SUFFIX_SLIPS.get(text[end : end + 1])
                if slip is not None and self._follows(text, end + 1, blocker):
                    # 江苏生, 天津是: a 省 or 市 typed as the character that sounds like it.
                    return PROVINCE if slip == "省" else CITY, end + 1
                if self._follows(text, end, blocker):
                    return PROVINCE, end
        for regex, level in (
            (_GENERIC_PROVINCE_RE, PROVINCE),
            (_GENERIC_CITY_RE, CITY),
            (_GENERIC_DISTRICT_RE, DISTRICT),
        ):
            match = regex.match(text, pos)
            if match is None:
                continue
            name = match.group(0)
            # 门 and 门市 are a gate and a shop front, but 厦门市, 江门市, 石门县 and 天门市
            # are places: a name of the national list is one whatever its characters.
            listed = divisions.national().knows(name)
            if (
                (not listed and any(ch in _NOT_ADMIN for ch in name))
                or (not listed and level == CITY and name.endswith(_MARKETS))
                or _overlaps_name(text, pos, match.end(), blocker)
            ):
                continue
            if level != DISTRICT and any(ch in "区县" for ch in name):
                continue  # a city or province does not contain a district
            if level == CITY and text.startswith("场", match.end()):
                continue  # 广州市场, 菜市场
            if level == DISTRICT and name.endswith(_NOT_DISTRICT_ENDINGS):
                continue
            if level == DISTRICT:
                # "郑州中原区": a city written without 市 in front of a district we know.
                for form in self._district_forms:
                    if name.endswith(form) and len(name) >= len(form) + 2:
                        return CITY, match.end() - len(form)
            return level, match.end()
        return None

    def _place_or_road_follows(self, text: str, pos: int, blocker: Blocker) -> bool:
        """A place name, or a road and its door number, follows at ``pos``: what makes a city
        written without 市 (兰州天水路171号) a city rather than the start of a name."""
        if self._follows(text, pos, blocker):
            return True
        road = ROAD_RE.match(text, pos)
        return road is not None and text[road.end() : road.end() + 1].isdigit()

    def _follows(self, text: str, pos: int, blocker: Blocker) -> bool:
        """A place name follows at ``pos`` (what makes a bare 河南 a province)."""
        if pos >= len(text):
            return False
        if self.starts_here(text, pos) or self._generic_admin(text, pos, blocker) is not None:
            return True
        return self._bare_city(text, pos, blocker) is not None

    def _bare_district(self, text: str, pos: int, blocker: Blocker) -> tuple[str, str, int] | None:
        """A district of the data written without its 区 or 县 in a query (福州鼓楼湖东路), only
        in front of a road or a place the data knows: 鼓楼医院 is a hospital's name. Never in
        a stored address or alias, which names its district in full."""
        for stem, name in self._bare_districts.get(text[pos], {}).items():
            end = pos + len(stem)
            if not text.startswith(stem, pos) or text.startswith(name, pos) or end >= len(text):
                continue
            if starts_like_road_suffix(text[end:]):
                continue  # 鼓楼路, 和平街: a road
            if blocker(text, end) or self.starts_here(text, end):
                return DISTRICT, name, end
        return None

    def _national_city(self, text: str, pos: int, blocker: Blocker) -> tuple[str, str, int] | None:
        """A city of the national list written first without its 市 (郑州伊河路88号, 南京河西
        珠江道: another city's, in front of our district written without 区), where the
        data's own addresses never name their city: only in front of a road or a place the
        data knows, not when a road word follows (郑州路 is a road of 青岛), nor where a
        name the data knows starts."""
        for size in (2, 3):
            end = pos + size
            name = text[pos:end] + "市"
            if end >= len(text) or not divisions.national().knows(name):
                continue
            rest = text[end:]
            if rest[0].isdigit() or starts_like_road_suffix(rest) or _DIRECTED_ROAD_RE.match(rest):
                continue  # 保山南路 is a road of its own, not the city 保山 and a 南路
            if blocker(text, pos) or _overlaps_name(text, pos, end, blocker):
                continue
            follows = blocker(text, end) or self.starts_here(text, end)
            if not (follows or self._bare_district(text, end, blocker) is not None):
                continue  # 中山是路: a misspelt 中山四路, not the city 中山 and a road 是路
            return CITY, name, end
        return None

    def _bare_city(self, text: str, pos: int, blocker: Blocker) -> tuple[str, str, int] | None:
        """After a province, a city is often written without 市 ("河南郑州伊河路"): two or
        three characters followed by a name we know, or two followed by a short road (which
        may be misspelt: 河南郑州桐路…)."""
        for size in (2, 3):
            end = pos + size
            if end >= len(text) or not all("\u4e00" <= ch <= "\u9fff" for ch in text[pos:end]):
                return None
            stem = text[pos:end]
            national = divisions.national().knows(stem + "市")
            known_next = blocker(text, end) or self.starts_here(text, end)
            if national or known_next or (size == 2 and _SHORT_ROAD_RE.match(text, end)):
                if _overlaps_name(text, pos, end, blocker) or blocker(text, pos):
                    return None  # a name starts here or inside: not a city
                if not (national or divisions.city_misspelt(stem)):
                    continue  # 贵州银行中华南路支行: a bank of the province, not a city 银行
                return CITY, stem + "市", end
        return None

    @staticmethod
    def _community_may_go(level: str, name: str, rest: str) -> bool:
        # A 社区 named after a road ("伊河路社区百花里…") may be the only road information
        # when the community is not in the tree, so it is dropped only when the remainder
        # names a road itself. A community the tree knows scopes the query instead.
        if level != COMMUNITY:
            return True
        names_road = any(suffix in name for suffix in ROAD_SUFFIXES)
        return not names_road or ROAD_RE.match(rest) is not None
