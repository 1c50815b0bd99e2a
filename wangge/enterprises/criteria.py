"""Policy criteria as data, and matching an enterprise against them with a reason per criterion.

Criteria are one JSON object; every key is optional and all present keys must hold:

    industries      ["C", "I"]          行业门类 in …
    sizes           ["small", "micro"]  规模 in …
    regions         ["410102001"]       located within the subtree of one of these grid nodes
    founded_before  "2023-12-31"        成立日期 on or before
    founded_after   "2020-01-01"        成立日期 on or after
    revenue_min     500                 营业收入 ≥ (万元)
    revenue_max     2000                营业收入 ≤ (万元)
    headcount_min   10                  从业人数 ≥
    headcount_max   300                 从业人数 ≤
    tags_any        ["高新技术企业"]      at least one of these tags
    tags_all        ["专精特新"]         every one of these tags
    questions       [{"text": "…", "expect": true}]  yes/no questions the enterprise answers

Matching never guesses: a missing fact (no founding date, a revenue band that straddles the
threshold, an unanswered question) is 待确认 (unknown), not a failure. This module imports no
Django models, so it is fast and tested on plain values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext as _

from wangge.core.errors import ValidationFailed
from wangge.enterprises.models import REVENUE_BOUNDS, Industry, RevenueBand, Size

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"
QUALIFIED, NOT_QUALIFIED, PENDING = "qualified", "not_qualified", "pending"

KEYS = (
    "industries",
    "sizes",
    "regions",
    "founded_before",
    "founded_after",
    "revenue_min",
    "revenue_max",
    "headcount_min",
    "headcount_max",
    "tags_any",
    "tags_all",
    "questions",
)
MAX_QUESTIONS = 10


@dataclass(frozen=True)
class Profile:
    """What matching needs to know about an enterprise."""

    industry: str
    size: str
    founded_on: date | None
    revenue_band: str
    headcount: int | None
    tags: frozenset[str]
    paths: tuple[str, ...]  # its micro-grid and exclusive grid paths
    answers: Mapping[str, bool]


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    path: str


@dataclass(frozen=True)
class Check:
    key: str
    label: str
    status: str
    reason: str

    @property
    def is_pass(self) -> bool:
        return self.status == PASS

    @property
    def is_fail(self) -> bool:
        return self.status == FAIL


@dataclass
class Match:
    checks: list[Check] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = {c.status for c in self.checks}
        if FAIL in statuses:
            return NOT_QUALIFIED
        return PENDING if UNKNOWN in statuses else QUALIFIED

    @property
    def is_qualified(self) -> bool:
        return self.status == QUALIFIED

    @property
    def can_apply(self) -> bool:
        """The 去申报 link is offered unless a criterion is known to fail: an unconfirmed fact
        is the applicant's to settle with the issuer."""
        return self.status != NOT_QUALIFIED

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.status == FAIL]

    @property
    def unknowns(self) -> list[Check]:
        return [c for c in self.checks if c.status == UNKNOWN]

    @property
    def status_label(self) -> str:
        return {
            QUALIFIED: _("符合条件"),
            NOT_QUALIFIED: _("不符合条件"),
            PENDING: _("待确认"),
        }[self.status]


def _list_of(raw: Any, name: str, allowed: Sequence[str] | None = None) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace("，", ",").replace("、", ",").split(",")
    if not isinstance(raw, list):
        raise ValidationFailed(_("%(name)s应为列表") % {"name": name})
    values = []
    for v in raw:
        v = str(v).strip()
        if not v or v in values:
            continue
        if allowed is not None and v not in allowed:
            raise ValidationFailed(_("%(name)s中的“%(v)s”无法识别") % {"name": name, "v": v})
        values.append(v)
    return values


def _date_of(raw: Any, name: str) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError as exc:
        raise ValidationFailed(
            _("%(name)s“%(v)s”不是有效日期（YYYY-MM-DD）") % {"name": name, "v": raw}
        ) from exc


def _int_of(raw: Any, name: str) -> int:
    try:
        value = int(str(raw).strip())
    except ValueError as exc:
        raise ValidationFailed(_("%(name)s应为整数") % {"name": name}) from exc
    if value < 0 or value > 10**9:
        raise ValidationFailed(_("%(name)s超出范围") % {"name": name})
    return value


def clean(raw: Any, known_regions: Mapping[str, Region] | None = None) -> dict[str, Any]:
    """A validated, normalised criteria object; a Chinese ValidationFailed for the first
    problem. Empty values are dropped, so an unfilled form field is no criterion at all."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationFailed(_("申报条件格式不正确"))
    unknown = sorted(set(raw) - set(KEYS))
    if unknown:
        raise ValidationFailed(_("未知的条件类型：%(k)s") % {"k": "、".join(unknown)})
    out: dict[str, Any] = {}

    def present(key: str) -> bool:
        v = raw.get(key)
        return v not in (None, "", [])

    if present("industries"):
        out["industries"] = _list_of(raw["industries"], _("行业"), Industry.values)
    if present("sizes"):
        out["sizes"] = _list_of(raw["sizes"], _("企业规模"), Size.values)
    if present("regions"):
        regions = _list_of(raw["regions"], _("区域"))
        if known_regions is not None:
            missing = [c for c in regions if c not in known_regions]
            if missing:
                raise ValidationFailed(_("区域编码不存在：%(c)s") % {"c": "、".join(missing)})
        out["regions"] = regions
    for key, name in (("founded_before", _("成立日期上限")), ("founded_after", _("成立日期下限"))):
        if present(key):
            out[key] = _date_of(raw[key], name)
    for key, name in (
        ("revenue_min", _("营业收入下限")),
        ("revenue_max", _("营业收入上限")),
        ("headcount_min", _("从业人数下限")),
        ("headcount_max", _("从业人数上限")),
    ):
        if present(key):
            out[key] = _int_of(raw[key], name)
    after, before = out.get("founded_after"), out.get("founded_before")
    if after and before and after > before:
        raise ValidationFailed(_("成立日期下限晚于上限，没有企业能符合"))
    for low, high, name in (
        ("revenue_min", "revenue_max", _("营业收入")),
        ("headcount_min", "headcount_max", _("从业人数")),
    ):
        if low in out and high in out and out[low] > out[high]:
            raise ValidationFailed(_("%(name)s下限大于上限，没有企业能符合") % {"name": name})
    for key, name in (("tags_any", _("标签（任一）")), ("tags_all", _("标签（全部）"))):
        if present(key):
            out[key] = [t[:20] for t in _list_of(raw[key], name)]
    if present("questions"):
        qs = raw["questions"]
        if not isinstance(qs, list):
            raise ValidationFailed(_("自定义问题应为列表"))
        questions: list[dict[str, Any]] = []
        for q in qs:
            if isinstance(q, str):
                q = {"text": q, "expect": True}
            if not isinstance(q, dict) or not str(q.get("text", "")).strip():
                raise ValidationFailed(_("自定义问题需要题目"))
            text = str(q["text"]).strip()
            if len(text) > 100:
                raise ValidationFailed(_("自定义问题不能超过 100 字"))
            if any(existing["text"] == text for existing in questions):
                continue
            questions.append({"text": text, "expect": bool(q.get("expect", True))})
        if len(questions) > MAX_QUESTIONS:
            raise ValidationFailed(_("自定义问题最多 %(n)d 个") % {"n": MAX_QUESTIONS})
        out["questions"] = questions
    return out


def _labels(values: Sequence[str], choices: Any) -> str:
    known = frozenset(choices.values)
    return "、".join(str(choices(v).label) for v in values if v in known)


def _revenue_label(band: str) -> str:
    return str(RevenueBand(band).label)


def _silent(_message: str) -> str:
    return ""


def _label_of(value: str, choices: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def evaluate(
    criteria: Mapping[str, Any],
    p: Profile,
    regions: Mapping[str, Region] | None = None,
    *,
    explain: bool = True,
) -> Match:
    """Every criterion's verdict, in the order the policy lists them (KEYS order).

    `explain=False` gives the same verdicts with empty labels and reasons: a push run over ten
    thousand enterprises needs only the statuses, and translating every reason is most of the
    cost of a check."""
    _ = gettext if explain else _silent
    m = Match()
    add = m.checks.append
    c = criteria
    if "industries" in c:
        wanted = _labels(c["industries"], Industry) if explain else ""
        label = _("行业")
        mine = _label_of(p.industry, Industry) if explain else ""
        if p.industry in c["industries"]:
            add(Check("industries", label, PASS, _("行业“%(mine)s”在适用范围内") % {"mine": mine}))
        else:
            add(
                Check(
                    "industries",
                    label,
                    FAIL,
                    _("行业“%(mine)s”不在适用行业（%(wanted)s）内")
                    % {"mine": mine, "wanted": wanted},
                )
            )
    if "sizes" in c:
        wanted = _labels(c["sizes"], Size) if explain else ""
        label = _("企业规模")
        mine = _label_of(p.size, Size) if explain else ""
        if p.size in c["sizes"]:
            add(Check("sizes", label, PASS, _("企业规模为%(mine)s") % {"mine": mine}))
        else:
            add(
                Check(
                    "sizes",
                    label,
                    FAIL,
                    _("企业规模为%(mine)s，政策仅面向%(wanted)s企业")
                    % {"mine": mine, "wanted": wanted},
                )
            )
    if "regions" in c:
        label = _("所在区域")
        known = [regions[code] for code in c["regions"] if regions and code in regions]
        names = ("、".join(r.name for r in known) or "、".join(c["regions"])) if explain else ""
        if not p.paths:
            add(Check("regions", label, UNKNOWN, _("待确认：企业尚未标注经营位置")))
        elif any(path.startswith(r.path) for r in known for path in p.paths):
            add(Check("regions", label, PASS, _("位于%(names)s范围内") % {"names": names}))
        else:
            add(
                Check(
                    "regions",
                    label,
                    FAIL,
                    _("经营地点不在政策适用区域（%(names)s）内") % {"names": names},
                )
            )
    for key, before in (("founded_before", True), ("founded_after", False)):
        if key not in c:
            continue
        limit = c[key]
        label = _("成立日期")
        if p.founded_on is None:
            add(Check(key, label, UNKNOWN, _("待确认：企业未填写成立日期")))
            continue
        mine = p.founded_on.isoformat()
        ok = mine <= limit if before else mine >= limit
        if ok:
            text = (
                _("成立日期 %(d)s 不晚于 %(limit)s")
                if before
                else _("成立日期 %(d)s 不早于 %(limit)s")
            )
            add(Check(key, label, PASS, text % {"d": mine, "limit": limit}))
        else:
            text = (
                _("成立日期 %(d)s 晚于要求的 %(limit)s 之前")
                if before
                else _("成立日期 %(d)s 早于要求的 %(limit)s 之后")
            )
            add(Check(key, label, FAIL, text % {"d": mine, "limit": limit}))
    for key, at_least in (("revenue_min", True), ("revenue_max", False)):
        if key not in c:
            continue
        limit = c[key]
        label = _("营业收入")
        if p.revenue_band not in REVENUE_BOUNDS:
            add(Check(key, label, UNKNOWN, _("待确认：企业未填写营业收入")))
            continue
        low, high = REVENUE_BOUNDS[p.revenue_band]
        band = _revenue_label(p.revenue_band) if explain else ""
        args = {"band": band, "limit": limit}
        if at_least:
            # [low, high) ≥ limit for sure when low ≥ limit; surely not when high ≤ limit.
            if low >= limit:
                add(Check(key, label, PASS, _("营业收入%(band)s，不低于 %(limit)s 万元") % args))
            elif high is not None and high <= limit:
                add(
                    Check(
                        key,
                        label,
                        FAIL,
                        _("营业收入%(band)s，低于要求的 %(limit)s 万元") % args,
                    )
                )
            else:
                add(
                    Check(
                        key,
                        label,
                        UNKNOWN,
                        _("待确认：营业收入%(band)s，无法判断是否达到 %(limit)s 万元") % args,
                    )
                )
        else:
            if high is not None and high <= limit:
                add(Check(key, label, PASS, _("营业收入%(band)s，不超过 %(limit)s 万元") % args))
            elif low > limit:
                add(
                    Check(
                        key,
                        label,
                        FAIL,
                        _("营业收入%(band)s，超过上限 %(limit)s 万元") % args,
                    )
                )
            else:
                add(
                    Check(
                        key,
                        label,
                        UNKNOWN,
                        _("待确认：营业收入%(band)s，无法判断是否超过 %(limit)s 万元") % args,
                    )
                )
    for key, at_least in (("headcount_min", True), ("headcount_max", False)):
        if key not in c:
            continue
        limit = c[key]
        label = _("从业人数")
        if p.headcount is None:
            add(Check(key, label, UNKNOWN, _("待确认：企业未填写从业人数")))
            continue
        args = {"n": p.headcount, "limit": limit}
        if at_least:
            if p.headcount >= limit:
                add(Check(key, label, PASS, _("从业人数 %(n)d 人，不少于 %(limit)d 人") % args))
            else:
                add(Check(key, label, FAIL, _("从业人数 %(n)d 人，少于要求的 %(limit)d 人") % args))
        elif p.headcount <= limit:
            add(Check(key, label, PASS, _("从业人数 %(n)d 人，不超过 %(limit)d 人") % args))
        else:
            add(Check(key, label, FAIL, _("从业人数 %(n)d 人，超过上限 %(limit)d 人") % args))
    if "tags_any" in c:
        label = _("企业标签")
        hits = [t for t in c["tags_any"] if t in p.tags]
        wanted = "、".join(c["tags_any"])
        if hits:
            add(Check("tags_any", label, PASS, _("具有标签：%(t)s") % {"t": "、".join(hits)}))
        else:
            add(
                Check(
                    "tags_any",
                    label,
                    FAIL,
                    _("不具有以下任一标签：%(t)s") % {"t": wanted},
                )
            )
    if "tags_all" in c:
        label = _("企业标签")
        missing = [t for t in c["tags_all"] if t not in p.tags]
        if missing:
            add(
                Check(
                    "tags_all",
                    label,
                    FAIL,
                    _("缺少必需的标签：%(t)s") % {"t": "、".join(missing)},
                )
            )
        else:
            add(
                Check(
                    "tags_all",
                    label,
                    PASS,
                    _("具有全部必需标签：%(t)s") % {"t": "、".join(c["tags_all"])},
                )
            )
    for q in c.get("questions", []):
        text, expect = q["text"], q["expect"]
        label = text if explain else ""
        answer = p.answers.get(text)
        want = _("是") if expect else _("否")
        if answer is None:
            add(Check("question", label, UNKNOWN, _("待确认：请回答“%(q)s”") % {"q": text}))
        elif answer == expect:
            add(Check("question", label, PASS, _("“%(q)s”回答为%(a)s") % {"q": text, "a": want}))
        else:
            got = _("是") if answer else _("否")
            add(
                Check(
                    "question",
                    label,
                    FAIL,
                    _("“%(q)s”回答为%(a)s，政策要求为%(want)s")
                    % {"q": text, "a": got, "want": want},
                )
            )
    return m


def questions_of(criteria: Mapping[str, Any]) -> list[str]:
    return [q["text"] for q in criteria.get("questions", [])]
