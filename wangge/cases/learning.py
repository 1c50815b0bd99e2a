"""The category model a district learns from its own dispatching, and the one every intake asks.

Every case whose category a person chose — a dispatcher who set, confirmed or corrected it, or
the platform history a district imported — is a labelled example (`LABELLED_SOURCES`). A job
(`classifier_train`, nightly and on demand) fits a model on them, judges it on a held-out
slice, and keeps it only when it beats the model in use there; a kept model is then fitted
again on all the history and put in use. Every process finds the model in use in the database
and changes to a new one within a minute, without a restart.

Before a district has a history (or while no trained model has been kept), the catalogue's own
keywords and examples answer, as they always have (`classifier.CategoryClassifier`), built from
the active leaves in the database, whichever file loaded them.

Never confidently wrong: a trained model sets a case's category only above a probability
calibrated on the held-out slice so that its own picks are in a wrong family at most
`CLASSIFIER_PICK_ERROR` of the time; below it, the case waits for the desk with the model's
three best leaves as suggestions.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.cases import textmodel
from wangge.cases.models import (
    LABELLED_SOURCES,
    Case,
    Category,
    CategorySource,
    ClassifierModel,
)

logger = logging.getLogger(__name__)

# How often a process asks which model is in use (the bar: a new one is used within a minute).
_CHECK_EVERY = 30.0
# Below this many labelled cases (or two leaves) nothing is learnt: the catalogue answers.
MIN_EXAMPLES = 200
# One case in HOLD_OUT_EVERY is held out, chosen by its id alone, so that a case held out
# once stays held out for every later model, and the model it is judged against never saw it.
HOLD_OUT_EVERY = 5
SUGGESTIONS = 3
# The catalogue's model (keywords and examples, before a district has history): below this its
# suggestion is not trusted, the case keeps no category and a person decides. A trained model
# calibrates its own threshold on held-out history.
CATALOGUE_THRESHOLD = 0.45
# A leaf the catalogue gives fewer examples than this is known by its name and keywords only.
MIN_TAUGHT = 3


@dataclass(frozen=True)
class Suggested:
    code: str
    name: str
    probability: float
    words: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "probability": round(self.probability, 4),
            "words": list(self.words),
        }


@dataclass(frozen=True)
class Guess:
    """What the model says of one text: the leaf it files it under (or None: the desk decides),
    how, and its best three."""

    pick: Category | None
    method: str  # CategorySource.MODEL or KEYWORD when it picked
    how: str
    suggestions: list[Suggested] = field(default_factory=list)
    version: int | None = None


class Engine(Protocol):
    version: int | None

    def guess(self, text: str, leaves: dict[str, Category], families: dict[str, str]) -> Guess: ...


def family_of(category: Category | None, parents: dict[int, Category] | None = None) -> str:
    """The code of a leaf's top-level family (the leaf itself when it has no parent)."""
    while category is not None and category.parent_id:
        parent = parents.get(category.parent_id) if parents else category.parent
        if parent is None:
            break
        category = parent
    return category.code if category else ""


# --- the catalogue's model, before there is a history ------------------------------------------


class CatalogueEngine:
    """The catalogue's keywords and examples (naive Bayes + keywords), as before history."""

    version: int | None = None

    def __init__(self, categories: list[dict[str, Any]], threshold: float) -> None:
        # Imported here: jieba's dictionary loads with it, which a process using a trained
        # model never needs.
        from wangge.cases.classifier import CategoryClassifier

        self.model = CategoryClassifier(categories)
        self.threshold = threshold
        # Leaves whose examples the model learnt from; a leaf known by its name alone is
        # suggested, never picked by the model.
        self.taught = {
            str(c["code"]) for c in categories if len(c.get("examples") or ()) >= MIN_TAUGHT
        }

    def guess(self, text: str, leaves: dict[str, Category], families: dict[str, str]) -> Guess:
        found = [s for s in self.model.suggest(text, limit=SUGGESTIONS + 2) if s.code in leaves]
        suggestions = [
            Suggested(s.code, leaves[s.code].name, s.score, s.matched) for s in found[:SUGGESTIONS]
        ]
        best = found[0] if found else None
        if best is None or best.score < self.threshold:
            return Guess(None, "", "", suggestions)
        if len(text) > settings.CATALOGUE_PICK_MAX_CHARS:
            # The catalogue's keywords and examples are what residents type into a report; in
            # a long call record a keyword met in passing decides nothing (教育资源不足 filed
            # under 养老机构 for one 入住): the desk decides, with the three suggestions.
            return Guess(None, "", "", suggestions)
        if best.method != "keyword" and best.code not in self.taught:
            return Guess(None, "", "", suggestions)
        if best.method == "keyword":
            how = _("关键词“%(k)s”") % {"k": "、".join(best.matched[:3])}
            method = CategorySource.KEYWORD
        else:
            how = _("文本模型，置信度 %(s).2f") % {"s": best.score}
            method = CategorySource.MODEL
        return Guess(leaves[best.code], method, how, suggestions)


# --- a trained model --------------------------------------------------------------------------


class TrainedEngine:
    def __init__(self, model: textmodel.TextModel, version: int | None, threshold: float) -> None:
        self.model = model
        self.version = version
        self.threshold = threshold

    def ranked(
        self, text: str, leaves: dict[str, Category], families: dict[str, str]
    ) -> tuple[list[Suggested], float]:
        """The best leaves, and the probability of the first one's family.

        The first is the best leaf of the likeliest family (the family is what sends a case to
        the right desk and department: a family's probability is its leaves' sum); the other two
        are the best leaves of the next families, so the desk's three choices are three
        different kinds of problem."""
        scored = self.model.score(text)
        probabilities = scored.probabilities
        by_family: dict[str, list[tuple[float, int]]] = {}
        for index, code in enumerate(self.model.classes):
            if code in leaves:
                family = families.get(code, code)
                by_family.setdefault(family, []).append((float(probabilities[index]), index))
        if not by_family:
            return [], 0.0
        total = sum(p for members in by_family.values() for p, _i in members) or 1.0
        order = sorted(by_family.items(), key=lambda kv: -sum(p for p, _i in kv[1]))
        suggestions: list[Suggested] = []
        for _family, members in order[:SUGGESTIONS]:
            p, index = max(members)
            code = self.model.classes[index]
            suggestions.append(
                Suggested(code, leaves[code].name, p / total, self.model.words(scored, index))
            )
        if len(suggestions) < SUGGESTIONS:
            # Fewer families than choices: the next leaves of the families already named.
            named = {s.code for s in suggestions}
            rest = sorted(
                ((p, i) for members in by_family.values() for p, i in members),
                reverse=True,
            )
            for p, index in rest:
                code = self.model.classes[index]
                if code not in named and len(suggestions) < SUGGESTIONS:
                    suggestions.append(Suggested(code, leaves[code].name, p / total))
        family_probability = sum(p for p, _i in order[0][1]) / total
        return suggestions, family_probability

    def guess(self, text: str, leaves: dict[str, Category], families: dict[str, str]) -> Guess:
        suggestions, confidence = self.ranked(text, leaves, families)
        if not suggestions or confidence < self.threshold:
            return Guess(None, "", "", suggestions, self.version)
        best = suggestions[0]
        how = _("分类模型 v%(v)s，置信度 %(p).2f") % {"v": self.version, "p": confidence}
        return Guess(leaves[best.code], CategorySource.MODEL, how, suggestions, self.version)


def family_table(leaves: dict[str, Category], every: Iterable[Category]) -> dict[str, str]:
    """Leaf code → its family's code, for the leaves given (`every`: all categories, for the
    parents)."""
    parents = {c.pk: c for c in every}
    return {code: family_of(leaf, parents) for code, leaf in leaves.items()}


# --- which engine answers ---------------------------------------------------------------------


_lock = threading.Lock()
_engine: Engine | None = None
_engine_key: object = None
_checked = 0.0


def _catalogue_rows() -> list[dict[str, Any]]:
    # Retired leaves are learnt too, and only never suggested (`guess` is given the active
    # ones): a text about a retired category is not pushed onto its neighbour.
    rows = Category.objects.select_related("parent")
    return [
        {
            "code": c.code,
            "name": c.name,
            "parent": c.parent.code if c.parent_id and c.parent else None,
            "keywords": list(c.keywords or ()),
            "examples": list(c.examples or ()),
        }
        for c in rows
    ]


def _catalogue_key(rows: Sequence[dict[str, Any]]) -> str:
    digest = hashlib.sha256()
    for row in sorted(rows, key=lambda r: r["code"]):
        digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def model_folder(version: int, artefact: bytes) -> Path:
    """Where a model's arrays are unpacked on this machine: named by its content too, since a
    version number is only unique within one database (a restored backup, a test run)."""
    digest = hashlib.sha256(artefact).hexdigest()[:16]
    return Path(settings.VAR_DIR) / "classifier" / f"v{version}-{digest}"


def _open_trained(row: ClassifierModel) -> TrainedEngine:
    artefact = bytes(row.artefact)
    folder = model_folder(row.version, artefact)
    if not (folder / "complete").exists():
        textmodel.unpack(artefact, folder)
    return TrainedEngine(textmodel.TextModel.open(folder), row.version, row.threshold)


def engine() -> Engine:
    """The engine every intake asks: the trained model in use, else the catalogue's.

    Checked at most every 30 s: one indexed query for the version in use (and, without one,
    one read of the catalogue to see whether it changed)."""
    global _engine, _engine_key, _checked
    now = time.monotonic()
    if _engine is not None and now - _checked < _CHECK_EVERY:
        return _engine
    with _lock:
        if _engine is not None and time.monotonic() - _checked < _CHECK_EVERY:
            return _engine
        row = ClassifierModel.objects.filter(in_use=True).defer("artefact").first()
        if row is not None:
            key: object = ("trained", row.version)
            if key != _engine_key:
                full = ClassifierModel.objects.get(pk=row.pk)
                _engine = _open_trained(full)
                _engine_key = key
                logger.info("category model v%s in use", row.version)
        else:
            rows = _catalogue_rows()
            key = ("catalogue", _catalogue_key(rows))
            if key != _engine_key:
                _engine = _catalogue_engine(rows)
                _engine_key = key
        _checked = time.monotonic()
        assert _engine is not None
        return _engine


def _catalogue_engine(rows: list[dict[str, Any]]) -> Engine:
    try:
        return CatalogueEngine(rows, CATALOGUE_THRESHOLD)
    except ValueError:
        return _Empty()


class _Empty:
    """No catalogue loaded: nothing to suggest."""

    version: int | None = None

    def guess(self, text: str, leaves: dict[str, Category], families: dict[str, str]) -> Guess:
        return Guess(None, "", "")


def forget() -> None:
    """Ask the database again on the next call (tests; a process that just trained)."""
    global _engine, _engine_key, _checked
    with _lock:
        _engine, _engine_key, _checked = None, None, 0.0


# --- training -----------------------------------------------------------------------------------


@dataclass
class Figures:
    n: int = 0
    top1: float = 0.0
    top3: float = 0.0
    family_top1: float = 0.0
    wrong_family: float = 0.0  # share of all held-out cases picked into a wrong family
    auto_share: float = 0.0


@dataclass
class TrainResult:
    kept: bool
    message: str
    candidate: ClassifierModel | None = None
    in_use: ClassifierModel | None = None


def _text(title: str, description: str) -> str:
    # As intake reads it (services.intake._suggestion_text): a title that is the text's own
    # opening words is not read twice.
    title = title.removesuffix("…")
    if description.replace("\n", " ").startswith(title):
        return description
    return f"{title} {description}"


def labelled_examples() -> list[tuple[int, str, str]]:
    """(case id, text, leaf code) of every case whose category a person chose, on an active
    leaf, oldest first."""
    active = set(
        Category.objects.filter(is_active=True, children__isnull=True).values_list(
            "code", flat=True
        )
    )
    rows = (
        Case.objects.filter(category__isnull=False, category_source__in=LABELLED_SOURCES)
        .order_by("id")
        .values_list("id", "title", "description", "category__code")
    )
    return [
        (pk, _text(title, description), code)
        for pk, title, description, code in rows.iterator(chunk_size=5000)
        if code in active
    ]


def _held_out(case_id: int) -> bool:
    # A multiplicative hash spreads consecutive ids (a day's cases) over both slices.
    return (case_id * 2654435761) % 2**32 % HOLD_OUT_EVERY == 0


def _keywords() -> dict[str, list[str]]:
    return {
        code: list(words or ())
        for code, words in Category.objects.filter(children__isnull=True).values_list(
            "code", "keywords"
        )
    }


def _leaves() -> dict[str, Category]:
    return {c.code: c for c in Category.objects.filter(is_active=True, children__isnull=True)}


def evaluate(
    eng: Engine,
    examples: Sequence[tuple[str, str]],
    leaves: dict[str, Category],
    families: dict[str, str],
) -> tuple[Figures, list[tuple[float, bool]]]:
    """Held-out figures of an engine, and (confidence, family right) per example for the
    threshold. For the catalogue's engine the confidence is its own score."""
    right1 = right3 = family1 = wrong = picked = 0
    scored: list[tuple[float, bool]] = []
    for text, code in examples:
        if isinstance(eng, TrainedEngine):
            suggestions, confidence = eng.ranked(text, leaves, families)
            pick = suggestions[0].code if suggestions and confidence >= eng.threshold else None
        else:
            guess = eng.guess(text, leaves, families)
            suggestions = guess.suggestions
            confidence = suggestions[0].probability if suggestions else 0.0
            pick = guess.pick.code if guess.pick else None
        codes = [s.code for s in suggestions]
        first = codes[0] if codes else None
        right1 += first == code
        right3 += code in codes[:SUGGESTIONS]
        family_right = first is not None and families.get(first) == families.get(code)
        family1 += family_right
        scored.append((confidence, family_right))
        if pick is not None:
            picked += 1
            wrong += families.get(pick) != families.get(code)
    n = len(examples) or 1
    figures = Figures(
        n=len(examples),
        top1=right1 / n,
        top3=right3 / n,
        family_top1=family1 / n,
        wrong_family=wrong / n,
        auto_share=picked / n,
    )
    return figures, scored


def calibrate(scored: Sequence[tuple[float, bool]], tolerated: float) -> float:
    """The lowest confidence above which the picks are wrong-family at most `tolerated` of the
    time (1.0, meaning never pick, when no such band exists).

    Walks down from the most confident example: the band's error rate is that of every example
    at or above the threshold, so the answer is where the running rate last stays within."""
    ranked = sorted(scored, key=lambda s: -s[0])
    threshold, wrong = 1.0, 0
    for count, (confidence, right) in enumerate(ranked, start=1):
        wrong += not right
        if wrong / count <= tolerated and count >= 20:
            threshold = confidence
    # Never below a coin toss between two families.
    return max(threshold, 0.5) if threshold < 1.0 else 1.0


def _incumbent() -> tuple[Engine, ClassifierModel | None]:
    """What a candidate must beat: the newest kept model trained without the held-out slice
    (its refit in use has seen that slice), else the catalogue's engine."""
    row = ClassifierModel.objects.filter(kind=ClassifierModel.Kind.TRAINED, kept=True).first()
    if row is None:
        return _catalogue_engine(_catalogue_rows()), None
    return _open_trained(row), row


def _next_version() -> int:
    return (ClassifierModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1


def _libraries() -> dict[str, str]:
    import sklearn

    return {"scikit-learn": sklearn.__version__, "numpy": np.__version__}


def classifier_train(*, force: bool = False) -> TrainResult:
    """Fit a model on the labelled history, judge it on the held-out slice, keep it only when it
    beats the model in use there (`force`: keep it anyway, for an operator who knows why), and
    put its refit on all the history in use."""
    examples = labelled_examples()
    leaves = _leaves()
    families = family_table(leaves, Category.objects.all())
    codes = {code for _pk, _t, code in examples}
    if len(examples) < MIN_EXAMPLES or len(codes) < 2:
        return TrainResult(
            False,
            _(
                "已确认分类的事件 %(n)d 件（至少需要 %(m)d 件、两个分类），"
                "继续使用派单目录的关键词和示例"
            )
            % {"n": len(examples), "m": MIN_EXAMPLES},
        )
    train = [(t, c) for pk, t, c in examples if not _held_out(pk)]
    held = [(t, c) for pk, t, c in examples if _held_out(pk)]
    keywords = _keywords()
    started = time.monotonic()
    # Every text read once, for both fits.
    prepared = textmodel.Prepared.of([t for _pk, t, _c in examples])
    rows = [i for i, (pk, _t, _c) in enumerate(examples) if not _held_out(pk)]
    arrays = textmodel.fit(prepared.take(rows), [c for _t, c in train], keywords)
    candidate = TrainedEngine(textmodel.TextModel.from_arrays(arrays), None, 1.0)
    figures, scored = evaluate(candidate, held, leaves, families)
    candidate.threshold = calibrate(scored, settings.CLASSIFIER_PICK_ERROR)
    figures, _scored = evaluate(candidate, held, leaves, families)
    incumbent, incumbent_row = _incumbent()
    incumbent_figures, _scored = evaluate(incumbent, held, leaves, families)
    mine, theirs = figures, incumbent_figures
    beats = (mine.family_top1, mine.top1) > (theirs.family_top1, theirs.top1)
    kept = beats or force
    against = (
        _("在用模型 v%(v)d") % {"v": incumbent_row.version}
        if incumbent_row is not None
        else _("派单目录关键词和示例")
    )
    note = _(
        "验证 %(n)d 件：大类首选 %(f).1f%%（%(against)s %(i).1f%%），"
        "首选 %(t1).1f%%，前三 %(t3).1f%%，自动分类 %(a).1f%%，"
        "其中错大类占全部 %(w).1f%%；训练用时 %(s).0f 秒"
    ) % {
        "n": figures.n,
        "f": figures.family_top1 * 100,
        "against": against,
        "i": incumbent_figures.family_top1 * 100,
        "t1": figures.top1 * 100,
        "t3": figures.top3 * 100,
        "a": figures.auto_share * 100,
        "w": figures.wrong_family * 100,
        "s": time.monotonic() - started,
    }
    row = _store(
        arrays,
        kind=ClassifierModel.Kind.TRAINED,
        trained_on=len(train),
        held_out=len(held),
        figures=figures,
        incumbent_top1=incumbent_figures.family_top1,
        threshold=candidate.threshold,
        kept=kept,
        note=note,
    )
    if not kept:
        return TrainResult(False, _("未采用：不优于%(a)s。") % {"a": against} + note, row)
    refit = textmodel.fit(prepared, [c for _pk, _t, c in examples], keywords)
    in_use = _store(
        refit,
        kind=ClassifierModel.Kind.REFIT,
        trained_on=len(examples),
        held_out=len(held),
        figures=figures,
        incumbent_top1=incumbent_figures.family_top1,
        threshold=candidate.threshold,
        kept=True,
        note=_("v%(v)d 采用后以全部 %(n)d 件重新训练；验证数据为 v%(v)d 的")
        % {"v": row.version, "n": len(examples)},
        in_use=True,
    )
    forget()
    return TrainResult(True, _("已采用。") + note, row, in_use)


def _store(
    arrays: dict[str, Any],
    *,
    kind: str,
    trained_on: int,
    held_out: int,
    figures: Figures,
    incumbent_top1: float | None,
    threshold: float,
    kept: bool,
    note: str,
    in_use: bool = False,
) -> ClassifierModel:
    with transaction.atomic():
        if in_use:
            ClassifierModel.objects.filter(in_use=True).update(in_use=False)
        return ClassifierModel.objects.create(
            version=_next_version(),
            kind=kind,
            trained_on=trained_on,
            held_out=held_out,
            leaves=len(arrays["classes"]),
            top1=figures.top1,
            top3=figures.top3,
            family_top1=figures.family_top1,
            wrong_family=figures.wrong_family,
            auto_share=figures.auto_share,
            incumbent_top1=incumbent_top1,
            threshold=threshold,
            kept=kept,
            in_use=in_use,
            note=note,
            artefact=textmodel.to_bytes(arrays),
            libraries=_libraries(),
        )


def adoption(days: int = 30, path: str = "") -> tuple[int, int]:
    """Of the cases of the last `days` (under the grid `path`) the model scored, how many ended
    under its first suggestion: (adopted, scored). A person's correction counts against it."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        Case.objects.filter(
            created_at__gte=since,
            is_history=False,
            category__isnull=False,
            grid_path__startswith=path,
        )
        .exclude(category_suggestions=[])
        .values_list("category__code", "category_suggestions")
    )
    scored = adopted = 0
    for code, suggestions in rows.iterator(chunk_size=2000):
        if suggestions:
            scored += 1
            adopted += suggestions[0].get("code") == code
    return adopted, scored


@dataclass(frozen=True)
class ModelStatus:
    """What the operations centre is told of the category model."""

    in_use: ClassifierModel | None
    latest: ClassifierModel | None  # the newest candidate judged, kept or not
    adopted: int
    scored: int

    @property
    def adoption_rate(self) -> float | None:
        return self.adopted / self.scored if self.scored else None


def model_status(path: str = "") -> ModelStatus:
    fields = ("artefact",)
    in_use = ClassifierModel.objects.filter(in_use=True).defer(*fields).first()
    latest = (
        ClassifierModel.objects.filter(kind=ClassifierModel.Kind.TRAINED).defer(*fields).first()
    )
    adopted, scored = adoption(path=path)
    return ModelStatus(in_use, latest, adopted, scored)
