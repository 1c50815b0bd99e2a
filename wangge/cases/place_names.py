"""The administrative places a text names: ours, or somewhere else (地点不在本区).

No national gazetteer is built in (only the provinces, in the address package). A place is ours
when the imported data names it: the tree's cities, districts, streets and communities, and the
省/市/区 the buildings' addresses are written under. Any other name of an administrative unit —
a 省, a 市, a 区/县/旗, or a 街道 under one of them — is somewhere else. Routing asks this
before it trusts a building or a place read out of free text (`cases.routing`); it is apart
because reading the names is a grammar of its own, with no tier or grid worker in it.
"""

import re
from dataclasses import dataclass

from wangge.grids import indexes
from wangge.grids.addresses import normalize_text
from wangge.grids.addresses.places import CITY, COMMUNITY, DISTRICT, PROVINCE, STREET, Gazetteer
from wangge.grids.addresses.text import LEADING_FILLERS, starts_like_road_suffix
from wangge.grids.models import GridLevel

# Levels whose name puts a place inside one district.
_INSIDE = frozenset({DISTRICT, STREET, COMMUNITY})
# A place name never runs across these; a clause is read on its own.
_CLAUSE_RE = re.compile(r"[，,。.；;！!？?\s：:、（）()\[\]【】《》<>“”\"'‘’/\\|]+")
# Characters that no administrative name contains and after which one may start (我在长沙市,
# 到岳麓区). Not 和, 于, 从, 向, 都 or 个, which begin or sit in real names (和平区, 于洪区,
# 从化区, 向阳区, 成都市, 个旧市).
_STOPS = frozenset("的在是与及或到往去我你他她它们这那了着过也就还又很请称说把被给让因但且并对住")
# Words after which a place name usually begins (市民来电称长沙市…, 投诉岳麓区…).
# fmt: off
_LEAD_INS = (
    "来电称", "来电", "反映", "反应", "投诉", "举报", "咨询", "建议", "希望", "要求", "位于",
    "地址", "住在", "家住", "家在", "来自", "关于", "我是",
)
_ADMIN_SUFFIXES = sorted(
    (
        "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
        "自治旗", "省", "市", "区", "县", "旗", "盟", "街道办事处", "街道办", "街道", "办事处",
        "镇", "乡", "社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "村委会",
        "居委会", "社区", "村",
    ),
    key=len,
    reverse=True,
)
# fmt: on
_LEVEL_OF_SUFFIX = {
    "特别行政区": PROVINCE,
    "自治区": PROVINCE,
    "省": PROVINCE,
    "市": CITY,
    "自治州": CITY,
    "盟": CITY,
    "区": DISTRICT,
    "县": DISTRICT,
    "旗": DISTRICT,
    "街道": STREET,
    "办事处": STREET,
    "街道办": STREET,
    "镇": STREET,
    "乡": STREET,
    "社区": COMMUNITY,
    "居委会": COMMUNITY,
    "村委会": COMMUNITY,
    "委员会": COMMUNITY,
    "村": COMMUNITY,
}
# The longest name a level is read with, without its suffix (乌鲁木齐市, 管城回族区 is missed):
# a longer run is a sentence, not a name (今天石家庄市).
_LONGEST_STEM = {PROVINCE: 3, CITY: 4, DISTRICT: 4, STREET: 5, COMMUNITY: 8}
# A 市 ending these is a shop, a market or a town in general, not a city.
# fmt: off
_NOT_CITY = (
    "超市", "城市", "都市", "门市", "夜市", "早市", "集市", "股市", "楼市", "车市", "花市",
    "菜市", "黑市", "上市", "开市", "闹市", "街市",
)
# fmt: on
# A 区 ending these is a zone, a part of a town or a kind of area, not a district.
# fmt: off
_NOT_DISTRICT = (
    "小区", "社区", "园区", "校区", "厂区", "片区", "街区", "景区", "院区", "市区", "郊区",
    "灾区", "辖区", "禁区", "病区", "展区", "学区", "大湾区", "居民区", "深水区", "浅水区",
    "战区", "军区", "老城区", "新城区", "主城区", "开发区", "高新区", "经开区", "保税区",
    "自贸区", "示范区", "试验区", "实验区", "功能区", "核心区", "中心区", "风景区", "旅游区",
    "度假区", "保护区", "商业区", "工业区", "住宅区", "居住区", "生活区", "办公区", "服务区",
    "停车区", "施工区", "作业区", "隔离区", "安置区", "拆迁区", "棚户区", "别墅区", "商务区",
    "物流区", "产业区", "集聚区", "聚集区", "家属区", "宿舍区",
)
# fmt: on
# Words that end like a unit's name and name none (隔壁区, 老家县城, 某某市).
# fmt: off
_NOT_NAMES = frozenset({
    "隔壁", "附近", "周边", "周围", "邻近", "相邻", "老家", "外地", "本地", "其他", "其它",
    "别的", "整个", "各个", "所在", "所属", "某某",
})
# fmt: on
# 区域, 区别, 区分, 区间, 区块: the word, not a district.
_NOT_DISTRICT_NEXT = "域别分间块"
# 省心, 省钱, 省事 …: the verb, not a province.
_NOT_PROVINCE_NEXT = "心钱事力略电时油"
# An estate's part (锦绣城东区, 阳光苑北区): a direction after an estate's last character.
_ESTATE_ENDS = "城园苑里村庭府院居湾"
_DIRECTIONS = "东西南北中"
# Units named by letters, as an anonymised board writes them (A市, A1区, K8县). A letter and 区
# (A区) is a part of an estate too: read only after another unit (A市B区).
_CODED_UNIT_RE = re.compile(r"[A-Z][0-9]{0,3}[市县]|[A-Z][0-9]{1,3}区")
_LETTER_UNIT_RE = re.compile(r"[A-Z]{1,2}[市区县]")
# What follows a lettered 区 that is a part of an estate or a car park (B2区停车场, A区3号楼).
_ESTATE_PART_RE = re.compile(r"[0-9]|停车|车库|车位|地库|号楼|栋|幢|单元|楼|层")
# Appended to a clause so that a name at its end is read (the reader wants something after
# a name, to tell 华山街道 the place from 华山街道3号 the address).
_END = "|"
_MAX_TEXT = 2_000


# The longest suffix a name ends with, after at least one character of its own.
_SUFFIX_RE = re.compile("(?<=.)(" + "|".join(_ADMIN_SUFFIXES) + ")$")


def _stem(name: str) -> str:
    found = _SUFFIX_RE.search(name)
    return name[: found.start()] if found else name


def _level_of(name: str) -> str | None:
    found = _SUFFIX_RE.search(name)
    if found is None:
        return None
    suffix = found.group(1)
    return next((level for end, level in _LEVEL_OF_SUFFIX.items() if suffix.endswith(end)), None)


@dataclass(frozen=True)
class _OurPlaces:
    """The administrative names of the imported data, by the level they name."""

    levels: dict[str, str]  # every form of a name → its level
    by_first: dict[str, list[str]]  # first character → forms, longest first
    regions: frozenset[str]  # our provinces and cities without 省/市 (河南, 郑州)
    knows_city: bool
    knows_province: bool

    def owns(self, level: str, name: str) -> bool:
        if name in self.levels:
            return True
        if level in (PROVINCE, CITY):
            return _stem(name) in self.regions
        # 郑州中原区: a city written without 市 in front of one of our names.
        return any(self.levels.get(name[k:]) in _INSIDE for k in range(1, len(name) - 1))


_STREET_FORMS = ("街道办事处", "街道办", "街道", "办事处")
# fmt: off
_COMMUNITY_FORMS = (
    "社区居民委员会", "社区居委会", "居民委员会", "村民委员会", "村委会", "居委会", "社区",
)
# fmt: on
_TREE_LEVELS: dict[str, str] = {
    GridLevel.CITY: CITY,
    GridLevel.DISTRICT: DISTRICT,
    GridLevel.STREET: STREET,
    GridLevel.COMMUNITY: COMMUNITY,
}


def _forms(name: str, level: str) -> set[str]:
    """The ways people write a node's name (林山寨街道, 林山寨办事处; 碧沙岗社区, 碧沙岗居委会)."""
    forms = {name}
    if level == STREET:
        stem = next((name[: -len(s)] for s in _STREET_FORMS if name.endswith(s)), "")
        if len(stem) >= 2:
            forms.update(stem + s for s in _STREET_FORMS)
    elif level == COMMUNITY:
        suffix = next((s for s in _COMMUNITY_FORMS if name.endswith(s)), "")
        stem = name[: -len(suffix)] if suffix else ""
        if len(stem) >= 2:
            village = suffix in ("村民委员会", "村委会")
            ends = ("村", "村委会") if village else ("社区", "社区居委会", "居委会")
            forms.update(stem + s for s in ends)
    return forms


_ours_built: list[tuple[object, object, _OurPlaces]] = []


def _our_places() -> _OurPlaces:
    """Made once for each node table and set of place names the process holds."""
    table, names = indexes.node_table(), indexes.place_names()
    if _ours_built and _ours_built[0][0] is table and _ours_built[0][1] is names:
        return _ours_built[0][2]
    levels: dict[str, str] = {}
    for node in table.by_id.values():
        level = _TREE_LEVELS.get(node.level)
        if level is not None and len(node.name.strip()) >= 2:
            for form in _forms(node.name.strip(), level):
                levels.setdefault(form, level)
    for form in names:
        # The names in front of the buildings' addresses (洛阳市涧西区…), and the tree's
        # own forms the address package adds; a bare 洛阳 counts through `regions`.
        level = _level_of(form)
        if level is not None:
            levels.setdefault(form, level)
    by_first: dict[str, list[str]] = {}
    for form in sorted(levels, key=lambda f: (-len(f), f)):
        by_first.setdefault(form[0], []).append(form)
    regions = frozenset(_stem(f) for f, level in levels.items() if level in (PROVINCE, CITY))
    ours = _OurPlaces(
        levels=levels,
        by_first=by_first,
        regions=regions,
        knows_city=CITY in levels.values(),
        knows_province=PROVINCE in levels.values(),
    )
    _ours_built[:] = [(table, names, ours)]
    return ours


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    level: str
    name: str
    ours: bool
    glued: bool = False  # a letter-named unit shown with the name before it (西地省A市)
    coded: bool = False  # named by letters (A市, A1区)


@dataclass(frozen=True)
class PlacesHeard:
    """What a text's places say: ``elsewhere``, the names of places not ours when it names
    none of ours (empty otherwise); ``surely``, whether one of them is of a level whose names
    the data knows (a district always; a city or province once the data names ours)."""

    elsewhere: list[str]
    surely: bool


# Reads 省/市/区/街道 chains with the address package's rules and no data of ours: every name
# it reads is generic, and `_OurPlaces` says whose it is.
_READER = Gazetteer()


def _no_road(text: str, pos: int) -> int:
    # A blocker that knows no road: also keeps the reader from caching sentences.
    return 0


def places_named(*texts: str) -> PlacesHeard:
    """What the places `texts` name say: where, if not among ours, and how surely."""
    ours = _our_places()
    chains: list[list[_Token]] = []
    for text in texts:
        for raw_clause in _CLAUSE_RE.split(text[:_MAX_TEXT]):
            clause = normalize_text(raw_clause)
            if len(clause) >= 3:
                chains.extend(_chains(clause, ours))
    verdicts = [(_judge(chain, ours), chain) for chain in chains]
    said = {verdict for verdict, _chain in verdicts}
    # One of our districts or streets settles it, whatever else the text names (我在长沙出差，
    # 家住中原区…). One of our communities' names only outweighs a city the data cannot
    # place: 百花社区 is in many towns, 天心区 in one.
    if _OURS in said or (_OUR_COMMUNITY in said and _SURELY not in said):
        return PlacesHeard(elsewhere=[], surely=False)
    words: list[str] = []
    for verdict, chain in verdicts:
        if verdict not in (_SURELY, _MAYBE):
            continue
        for tok in chain:
            if tok.ours or not _counts(chain, tok):
                continue
            if tok.glued and words:
                words[-1] += tok.name
            elif tok.name not in words:
                words.append(tok.name)
    return PlacesHeard(elsewhere=words, surely=_SURELY in said)


def _counts(chain: list[_Token], tok: _Token) -> bool:
    # A community's name repeats from city to city (和平社区), and a 街道 read alone may be the
    # word for a street (这条街道): neither tells a place is elsewhere.
    return tok.level != COMMUNITY and not (tok.level == STREET and tok is chain[0])


# What a chain of names says (`_judge`).
_OURS, _OUR_COMMUNITY, _SURELY, _MAYBE = "ours", "our community", "surely", "maybe"


def _judge(chain: list[_Token], ours: _OurPlaces) -> str | None:
    """Whether a chain puts the place in one of our districts (`_OURS` by a district or street
    of ours, `_OUR_COMMUNITY` by a community's name alone), or elsewhere: `_SURELY` by a
    unit of a level whose names the data knows, `_MAYBE` by a city or province where the data
    names none of ours. None when it says neither (our city alone, a 街道 read alone)."""
    maybe = community = False
    for tok in chain:
        if tok.ours:
            if tok.level in (DISTRICT, STREET):
                return _OURS  # 郑州市中原区: our district under a city the data never names
            community = community or tok.level == COMMUNITY
            continue
        if not _counts(chain, tok):
            continue
        if tok.level in _INSIDE:
            return _SURELY  # a district, county or 街道 no imported tree has
        if (tok.level == CITY and ours.knows_city) or (
            tok.level == PROVINCE and ours.knows_province
        ):
            return _SURELY
        maybe = True
    if community:
        return _OUR_COMMUNITY
    return _MAYBE if maybe else None


def _chains(clause: str, ours: _OurPlaces) -> list[list[_Token]]:
    """The chains of administrative names in a clause (长沙市岳麓区, 中原区林山寨街道), each read
    from where a name may start: the clause's start, after a stop character or a lead-in word,
    or where one of our names starts or ends."""
    hits = _our_hits(clause, ours)
    starts = {0} | {i + 1 for i, ch in enumerate(clause) if ch in _STOPS}
    for word in _LEAD_INS:
        at = clause.find(word)
        while at >= 0:
            starts.add(at + len(word))
            at = clause.find(word, at + 1)
    for hit in hits:
        starts.update((hit.start, hit.end))
    # A lettered unit may stand anywhere (投诉A市…, …到K8县), but a lettered 区 right after
    # other words is a part of what they name (阳光城A1区).
    inside = {found.start() for found in _CODED_UNIT_RE.finditer(clause)} - starts
    chains: list[list[_Token]] = []
    covered = 0
    for start in sorted(starts | inside):
        if start < covered or start >= len(clause):
            continue
        chain = _read_chain(clause, start, ours)
        if chain and start in inside and chain[0].name.endswith("区"):
            continue
        if chain:
            chains.append(chain)
            covered = chain[-1].end
    # Our names the reader did not take (inside a longer word, after a word it stops at).
    for hit in hits:
        if not any(c[0].start <= hit.start < c[-1].end for c in chains):
            chains.append([hit])
    return chains


def _our_hits(clause: str, ours: _OurPlaces) -> list[_Token]:
    hits = []
    pos = 0
    while pos < len(clause):
        form = next(
            (f for f in ours.by_first.get(clause[pos], ()) if clause.startswith(f, pos)), None
        )
        if form is None:
            pos += 1
            continue
        hits.append(_Token(pos, pos + len(form), ours.levels[form], form, ours=True))
        pos += len(form)
    return hits


def _read_chain(clause: str, start: int, ours: _OurPlaces) -> list[_Token]:
    text = clause[start:] + _END
    tokens: list[_Token] = []
    pos = 0
    while True:
        at = pos
        pos = _read_coded(text, pos, start, tokens)
        pos = _read_named(text, pos, start, tokens, ours)
        if pos == at:
            return tokens


def _read_coded(text: str, pos: int, start: int, tokens: list[_Token]) -> int:
    """Units an anonymised board names by letters (A市, A1区, K8县, 西地省A市, …A市B区): never
    ours, whose names are the tree's."""
    while True:
        found = _CODED_UNIT_RE.match(text, pos)
        if found is None and tokens:
            found = _LETTER_UNIT_RE.match(text, pos)
        if found is None or (
            found.group(0).endswith("区") and _ESTATE_PART_RE.match(text, found.end())
        ):
            return pos
        name = found.group(0)
        # 西地省A市: the province's city, shown as one name.
        glued = bool(tokens) and tokens[-1].level == PROVINCE
        level = _level_of(name) or CITY
        tokens.append(
            _Token(start + pos, start + found.end(), level, name, False, glued=glued, coded=True)
        )
        pos = found.end()


def _read_named(text: str, pos: int, start: int, tokens: list[_Token], ours: _OurPlaces) -> int:
    """The names the address package reads at `pos` (长沙市岳麓区, 湖南湘潭), each checked."""
    for level, name in _READER.split(text[pos:], _no_road).names:
        filler = next((f for f in LEADING_FILLERS if text.startswith(f, pos)), None)
        if filler is not None:
            pos += len(filler)
        if text.startswith(name, pos):
            written = name
        elif name.endswith("市") and text.startswith(name[:-1], pos):
            written = name[:-1]  # 湖南湘潭: a city after its province, written without 市
        else:
            break
        end = pos + len(written)
        if not _plausible(level, name, text[end:]):
            break
        tokens.append(_Token(start + pos, start + end, level, name, ours.owns(level, name)))
        pos = end
    return pos


def _plausible(level: str, name: str, rest: str) -> bool:
    """Whether a name the reader took is a unit's, not words of a sentence that end like one
    (``rest``: what follows it)."""
    stem = _stem(name)
    if len(stem) < 2 or len(stem) > _LONGEST_STEM.get(level, 8) or stem in _NOT_NAMES:
        return False
    if any(ch in _STOPS for ch in name) or any(word in name for word in _LEAD_INS):
        return False
    if any(ch in "省市区县某" for ch in stem) or any(ch in "乡镇村" for ch in stem[1:]):
        # 市委市(政府), 众兴乡红旗(村): a unit's name holds no other unit's suffix (镇江 may
        # begin with one).
        return False
    if starts_like_road_suffix(rest):
        return False  # 湖北路, 长沙路: a road named after a place, not the place
    following = rest[:1]
    if level == PROVINCE:
        return not (following and following in _NOT_PROVINCE_NEXT)
    if level == CITY:
        return following != "民" and not name.endswith(_NOT_CITY)  # 市民, 超市
    if level == DISTRICT:
        if name.endswith(_NOT_DISTRICT) or (following and following in _NOT_DISTRICT_NEXT):
            return False
        return not (len(stem) >= 3 and stem[-1] in _DIRECTIONS and stem[-2] in _ESTATE_ENDS)
    return True
