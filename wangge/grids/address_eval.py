"""Measure address resolution on a query set: what `wangge address_eval` prints.

Each line of the set is ``{"query", "expected", "kind"}``: ``expected`` is a building code, or
null when the query must be refused. Queries go through ``selectors.resolve_address``, the
path case intake, the hotline desk and the resident pages use, so the numbers are the
product's, not a side copy's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from wangge.grids import selectors
from wangge.grids.models import Building

OVERALL = "overall"
TOP_K = 3


@dataclass(frozen=True, slots=True)
class EvalQuery:
    query: str
    expected: str | None
    kind: str


@dataclass(frozen=True, slots=True)
class Outcome:
    query: EvalQuery
    answer: str | None  # the building code returned as THE answer
    candidates: tuple[str, ...]  # codes, best first

    @property
    def misrouted(self) -> bool:
        return self.answer is not None and self.answer != self.query.expected


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
    misroutes: int
    refusals: int
    refusal_precision: float | None
    refusal_recall: float | None

    @property
    def must_refuse(self) -> int:
        return self.queries - self.positives


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
        rows.append(EvalQuery(query=str(row["query"]), expected=expected or None, kind=kind))
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
    outcomes: list[Outcome] = []
    for query in queries:
        match = selectors.resolve_address(q=query.query)
        resolution = match.resolution
        answer = codes.get(resolution.building_id) if resolution.building_id else None
        candidates = tuple(
            codes[c.building_id] for c in resolution.candidates if c.building_id in codes
        )
        outcomes.append(Outcome(query=query, answer=answer, candidates=candidates))
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
    refused = [o for o in outcomes if o.answer is None]
    must_refuse = len(outcomes) - len(positives)
    rightly_refused = sum(1 for o in refused if o.query.expected is None)
    return Metrics(
        queries=len(outcomes),
        positives=len(positives),
        accuracy=_ratio(right, len(positives)),
        hit3=_ratio(hit3, len(positives)),
        mrr=_ratio(reciprocal, len(positives)),
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
        f"{'misrt':>5} {'refus':>5} {'r.prec':>6} {'r.rec':>6}"
    )
    lines = [header, "-" * len(header)]
    for kind, m in table.items():
        if kind == OVERALL:
            lines.append("-" * len(header))
        lines.append(
            f"{kind:<22} {m.queries:>4} {m.positives:>4} {_cell(m.accuracy):>6} "
            f"{_cell(m.hit3):>6} {_cell(m.mrr):>6} {m.misroutes:>5} {m.refusals:>5} "
            f"{_cell(m.refusal_precision):>6} {_cell(m.refusal_recall):>6}"
        )
    return "\n".join(lines)
