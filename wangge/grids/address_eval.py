"""Measure address resolution on a query set: what `wangge address_eval` prints.

Each line of the set is ``{"query", "expected", "kind"}`` and, for places, ``"micro_grid"``:
``expected`` is a building code; a place description (a crossing, an offset, a lane named
alone) has ``expected`` null and ``micro_grid`` the code of the micro-grid it lies in; a query
that must be refused has both null. A building answered counts for a place query when it lies
in that micro-grid; any answer to a must-refuse query, or in another micro-grid, is a
misroute. Queries go through ``selectors.resolve_address``, the path case intake, the hotline
desk and the resident pages use, so the numbers are the product's, not a side copy's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wangge.grids import selectors
from wangge.grids.addresses import normalize_text
from wangge.grids.models import Building

OVERALL = "overall"
TOP_K = 3


@dataclass(frozen=True, slots=True)
class EvalQuery:
    query: str
    expected: str | None
    kind: str
    micro_grid: str | None = None  # a place query's micro-grid (a building's is its own)

    @property
    def is_place(self) -> bool:
        return self.expected is None and self.micro_grid is not None


@dataclass(frozen=True, slots=True)
class Outcome:
    query: EvalQuery
    answer: str | None  # the building code returned as THE answer
    candidates: tuple[str, ...]  # codes, best first
    # The micro-grid answered (the building's or the place's), and whether by a place.
    answer_grid: str | None = None
    placed: bool = False
    # The building's micro-grid when the query expects a building (from the database).
    expected_grid: str | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None or self.answer_grid is not None

    @property
    def right_place(self) -> bool:
        return self.query.is_place and self.answer_grid == self.query.micro_grid

    @property
    def misrouted(self) -> bool:
        if not self.answered:
            return False
        if self.query.expected is not None and self.answer is not None:
            return self.answer != self.query.expected
        if self.query.expected is not None:
            # A place answered for a building: right when it is in the building's micro-grid.
            return self.answer_grid != self.expected_grid
        if self.query.micro_grid is None:
            return True  # anything answered to a query that must be refused
        return self.answer_grid != self.query.micro_grid


@dataclass(frozen=True, slots=True)
class Metrics:
    """``accuracy``, ``hit3`` and ``mrr`` are over the queries with an expected building;
    refusal precision/recall over the refused and the must-refuse queries. None where the
    denominator is empty."""

    queries: int
    positives: int
    accuracy: float | None
    hit3: float | None
    mrr: float | None
    places: int
    place_accuracy: float | None
    misroutes: int
    refusals: int
    refusal_precision: float | None
    refusal_recall: float | None

    @property
    def must_refuse(self) -> int:
        return self.queries - self.positives - self.places


class EvalFileError(ValueError):
    pass


def read_queries(text: str) -> list[EvalQuery]:
    """Parse a JSONL query set; EvalFileError names the first bad line."""
    rows: list[EvalQuery] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise EvalFileError(_("第 %(n)d 行不是 JSON") % {"n": number}) from exc
        if not isinstance(row, dict) or not str(row.get("query") or "").strip():
            raise EvalFileError(_("第 %(n)d 行缺少 query") % {"n": number})
        if "expected" not in row:
            raise EvalFileError(_("第 %(n)d 行缺少 expected（楼栋编码或 null）") % {"n": number})
        expected = row["expected"]
        if expected is not None and not isinstance(expected, str):
            raise EvalFileError(_("第 %(n)d 行的 expected 须为楼栋编码或 null") % {"n": number})
        kind = str(row.get("kind") or "").strip() or "-"
        micro_grid = row.get("micro_grid")
        if micro_grid is not None and not isinstance(micro_grid, str):
            raise EvalFileError(_("第 %(n)d 行的 micro_grid 须为微网格编码或 null") % {"n": number})
        rows.append(
            EvalQuery(
                query=str(row["query"]),
                expected=expected or None,
                kind=kind,
                micro_grid=micro_grid or None,
            )
        )
    if not rows:
        raise EvalFileError(_("文件中没有查询"))
    return rows


def unknown_codes(queries: Iterable[EvalQuery]) -> list[str]:
    """Expected building codes that are not in the database (a set evaluated on the wrong
    data would otherwise look like a resolver failure)."""
    wanted = {q.expected for q in queries if q.expected is not None}
    known = set(Building.objects.filter(code__in=wanted).values_list("code", flat=True))
    return sorted(wanted - known)


def run(queries: Sequence[EvalQuery]) -> list[Outcome]:
    codes = dict(Building.objects.values_list("id", "code"))
    grid_of = dict(Building.objects.values_list("code", "micro_grid__code"))
    outcomes: list[Outcome] = []
    for query in queries:
        match = selectors.resolve_address(q=query.query)
        resolution = match.resolution
        answer = codes.get(resolution.building_id) if resolution.building_id else None
        candidates = tuple(
            codes[c.building_id] for c in resolution.candidates if c.building_id in codes
        )
        micro = match.micro_grid
        outcomes.append(
            Outcome(
                query=query,
                answer=answer,
                candidates=candidates,
                answer_grid=micro.code if micro is not None else None,
                placed=match.place is not None,
                expected_grid=grid_of.get(query.expected) if query.expected else None,
            )
        )
    return outcomes


def _ratio(num: float, den: int) -> float | None:
    return num / den if den else None


def metrics(outcomes: Sequence[Outcome]) -> Metrics:
    positives = [o for o in outcomes if o.query.expected is not None]
    right = sum(1 for o in positives if o.answer == o.query.expected)
    hit3 = sum(1 for o in positives if o.query.expected in o.candidates[:TOP_K])
    reciprocal = sum(
        1.0 / (o.candidates.index(o.query.expected) + 1)
        for o in positives
        if o.query.expected in o.candidates
    )
    places = [o for o in outcomes if o.query.is_place]
    refused = [o for o in outcomes if not o.answered]
    must_refuse = len(outcomes) - len(positives) - len(places)
    rightly_refused = sum(1 for o in refused if o.query.expected is None and not o.query.is_place)
    return Metrics(
        queries=len(outcomes),
        positives=len(positives),
        accuracy=_ratio(right, len(positives)),
        hit3=_ratio(hit3, len(positives)),
        mrr=_ratio(reciprocal, len(positives)),
        places=len(places),
        place_accuracy=_ratio(sum(1 for o in places if o.right_place), len(places)),
        misroutes=sum(1 for o in outcomes if o.misrouted),
        refusals=len(refused),
        refusal_precision=_ratio(rightly_refused, len(refused)),
        refusal_recall=_ratio(rightly_refused, must_refuse),
    )


def by_kind(outcomes: Sequence[Outcome]) -> dict[str, Metrics]:
    """Metrics per kind in first-seen order, then ``OVERALL``."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.query.kind, []).append(outcome)
    table = {kind: metrics(group) for kind, group in groups.items()}
    table[OVERALL] = metrics(outcomes)
    return table


def _cell(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def format_table(table: dict[str, Metrics]) -> str:
    header = (
        f"{'kind':<22} {'n':>4} {'pos':>4} {'acc':>6} {'hit@3':>6} {'MRR':>6} "
        f"{'place':>5} {'p.acc':>6} {'misrt':>5} {'refus':>5} {'r.prec':>6} {'r.rec':>6}"
    )
    lines = [header, "-" * len(header)]
    for kind, m in table.items():
        if kind == OVERALL:
            lines.append("-" * len(header))
        lines.append(
            f"{kind:<22} {m.queries:>4} {m.positives:>4} {_cell(m.accuracy):>6} "
            f"{_cell(m.hit3):>6} {_cell(m.mrr):>6} {m.places:>5} {_cell(m.place_accuracy):>6} "
            f"{m.misroutes:>5} {m.refusals:>5} "
            f"{_cell(m.refusal_precision):>6} {_cell(m.refusal_recall):>6}"
        )
    return "\n".join(lines)


# --- The registry read back: every building's own address and every alias --------------------


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One address or alias of the registry that does not resolve to its own building."""

    code: str
    text: str
    source: str  # "address" or "alias"
    kind: str  # DUPLICATE / SHARED (listed, allowed) or FAILED
    reason: str
    others: tuple[str, ...]  # the codes it cannot be told from


DUPLICATE = "duplicate"  # the same address as another row: no text can tell them apart
SHARED = "shared"  # an alias several buildings carry
FAILED = "failed"


@dataclass(frozen=True, slots=True)
class RegistryReport:
    buildings: int
    addresses_resolved: int
    aliases: int
    aliases_resolved: int
    entries: list[RegistryEntry]

    @property
    def failed(self) -> list[RegistryEntry]:
        return [e for e in self.entries if e.kind == FAILED]


def registry_check() -> RegistryReport:
    """Resolve every imported building's own address and every alias through the product's path
    (``selectors.resolve_address``), and say why each one that does not come back to its own
    building fails: a duplicate of another row, an alias several buildings share, or the
    resolver's answer (another building, or candidates it cannot choose between)."""
    rows = list(Building.objects.order_by("code").values_list("id", "code", "address", "aliases"))
    codes = {pk: code for pk, code, _address, _aliases in rows}
    same_address: dict[str, list[str]] = {}
    same_alias: dict[str, list[str]] = {}
    for _pk, code, address, aliases in rows:
        same_address.setdefault(normalize_text(address), []).append(code)
        for alias in aliases or []:
            same_alias.setdefault(normalize_text(str(alias)), []).append(code)

    entries: list[RegistryEntry] = []
    resolved = aliases_total = aliases_resolved = 0
    for pk, code, address, aliases in rows:
        twins = [c for c in same_address[normalize_text(address)] if c != code]
        answer = _read_back(pk, code, address, "address", twins, DUPLICATE, codes)
        if answer is None:
            resolved += 1
        else:
            entries.append(answer)
        for alias in aliases or []:
            aliases_total += 1
            text = str(alias)
            sharing = [c for c in same_alias[normalize_text(text)] if c != code]
            answer = _read_back(pk, code, text, "alias", sharing, SHARED, codes)
            if answer is None:
                aliases_resolved += 1
            else:
                entries.append(answer)
    return RegistryReport(
        buildings=len(rows),
        addresses_resolved=resolved,
        aliases=aliases_total,
        aliases_resolved=aliases_resolved,
        entries=entries,
    )


def _read_back(
    pk: int,
    code: str,
    text: str,
    source: str,
    twins: list[str],
    twin_kind: str,
    codes: dict[int, str],
) -> RegistryEntry | None:
    resolution = selectors.resolve_address(q=text).resolution
    if resolution.building_id == pk:
        return None
    if twins:
        reason = (
            _("与 %(codes)s 的地址完全相同，无法区分")
            if twin_kind == DUPLICATE
            else _("别名由 %(codes)s 共用")
        ) % {"codes": "、".join(twins)}
        return RegistryEntry(code, text, source, twin_kind, reason, tuple(twins))
    candidates = tuple(
        codes[c.building_id] for c in resolution.candidates if c.building_id in codes
    )
    if resolution.building_id is not None:
        other = codes.get(resolution.building_id, "?")
        reason = _("解析成了 %(other)s") % {"other": other}
        return RegistryEntry(code, text, source, FAILED, reason, (other,))
    if candidates:
        reason = _("无法在候选 %(codes)s 中确定（置信度 %(c).2f）") % {
            "codes": "、".join(candidates[:3]),
            "c": resolution.confidence,
        }
        return RegistryEntry(code, text, source, FAILED, reason, candidates[:3])
    return RegistryEntry(code, text, source, FAILED, _("找不到任何楼栋"), ())


def format_registry(report: RegistryReport) -> str:
    lines = [
        _("楼栋 %(n)d 栋：按自身地址解析正确 %(ok)d 栋（%(pct).1f%%）")
        % {
            "n": report.buildings,
            "ok": report.addresses_resolved,
            "pct": 100.0 * report.addresses_resolved / report.buildings if report.buildings else 0,
        },
        _("别名 %(n)d 个：解析正确 %(ok)d 个")
        % {"n": report.aliases, "ok": report.aliases_resolved},
    ]
    labels = {DUPLICATE: _("重复"), SHARED: _("共用别名"), FAILED: _("无法解析")}
    for entry in report.entries:
        source = _("地址") if entry.source == "address" else _("别名")
        lines.append(f"[{labels[entry.kind]}] {entry.code} {source}“{entry.text}”：{entry.reason}")
    return "\n".join(lines)
