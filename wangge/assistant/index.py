"""The per-process retrieval index over the knowledge base, rebuilt when the base changes.

Built lazily; the process that writes invalidates it at once (services call `invalidate`),
other processes notice within RECHECK_SECONDS through a count/max(updated_at) signature, as
wangge/grids/indexes.py does for the grid index. Today's date is part of the signature, so an
item whose valid_from/valid_to window opens or closes overnight enters or leaves the index.

The decision bars come from the base itself (`retrieval.calibrate`): services store them with
the base on every import and edit (`KbCalibration`, keyed by a fingerprint of the items and
synonyms they were learnt on) by a job after each commit; an index whose content has no
stored calibration yet decides with the last bars stored and queues that job.

With an encoder installed (settings.ASSISTANT_ENCODER), the index also holds the items'
passage vectors as one matrix, read from the stored `ItemVectors`, never computed here: an
item whose vectors are missing, stale (its texts changed) or made by another encoder or
version is found by words alone until the embedding job has made them, and building the
index queues that job. The bars are then learnt again with the vectors.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from wangge.assistant import embeddings
from wangge.assistant.memory import Memory
from wangge.assistant.models import (
    CalibrationSlot,
    ExampleKind,
    ExampleVectors,
    ItemVectors,
    KbCalibration,
    KnowledgeItem,
    ResolvedQuestion,
    Synonym,
)
from wangge.assistant.retrieval import (
    PRIOR,
    Calibration,
    DenseIndex,
    Doc,
    Encoder,
    Examples,
    Retriever,
    read_examples,
)
from wangge.assistant.retrieval import dense as dense_module

RECHECK_SECONDS = 2.0

# Re-entrant: building the index may run the embedding job at once (an immediate queue),
# and the job drops the index it is building.
_lock = threading.RLock()


def _current_signature() -> Any:
    items = KnowledgeItem.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    synonyms = Synonym.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    calibrations = KbCalibration.objects.aggregate(n=Count("id"), t=Max("computed_at"))
    vectors = ItemVectors.objects.aggregate(n=Count("id"), t=Max("computed_at"))
    told = ExampleVectors.objects.aggregate(n=Count("id"), t=Max("computed_at"))
    return (
        tuple(items.values()),
        tuple(synonyms.values()),
        tuple(calibrations.values()),
        tuple(vectors.values()),
        tuple(told.values()),
        timezone.localdate(),
    )


def content() -> tuple[list[Doc], dict[str, str]]:
    """The items valid today and the synonym table: what the index and its bars rest on."""
    today = timezone.localdate()
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    rows = (
        KnowledgeItem.objects.filter(valid)
        .order_by("code")
        .values_list("code", "question", "similar", "answer")
    )
    docs = [Doc(code, q, tuple(sim or ()), ans) for code, q, sim, ans in rows.iterator()]
    synonyms = dict(Synonym.objects.order_by("term").values_list("term", "canonical"))
    return docs, synonyms


def fingerprint(docs: list[Doc], synonyms: dict[str, str], encoder_key: str = "") -> str:
    """Names what bars were learnt on: the items, the synonyms and, when the bars include
    dense ones, the encoder whose vectors every item had."""
    payload = json.dumps(
        [
            [(d.id, d.question, d.similar, d.answer) for d in docs],
            sorted(synonyms.items()),
            encoder_key,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def encoder() -> Encoder | None:
    """The encoder this installation runs (None: words alone)."""
    return dense_module.encoder(settings.ASSISTANT_ENCODER)


def item_texts(doc: Doc) -> list[str]:
    return dense_module.passage_texts(doc.question, doc.similar, doc.answer)


def dense_index(docs: list[Doc], model: Encoder) -> tuple[DenseIndex, list[str]]:
    """The stored vectors of this encoder that match the items as they are now, and the
    codes of the items that have none yet (missing, stale or of another encoder)."""
    stored = {
        code: (source, dim, data)
        for code, source, dim, data in ItemVectors.objects.filter(
            encoder=model.key, item__code__in=[d.id for d in docs]
        )
        .values_list("item__code", "source", "dim", "data")
        .iterator()
    }
    blocks: list[Any] = []
    missing: list[str] = []
    for doc in docs:
        row = stored.get(doc.id)
        current = dense_module.source_hash(item_texts(doc))
        if row is None or row[0] != current or row[1] != model.dim:
            blocks.append(None)
            missing.append(doc.id)
        else:
            blocks.append(dense_module.unpack(row[2], model.dim))
    return DenseIndex.build(model, blocks), missing


def example_texts() -> dict[str, list[str]]:
    """Each list of examples (retrieval.examples) as the package's data holds it now."""
    return {kind: read_examples(kind) for kind in ExampleKind.values}


def stale_examples(model: Encoder, texts: dict[str, list[str]] | None = None) -> list[str]:
    """The kinds of examples whose stored vectors are missing, or made by another encoder or
    from other texts (a list with no examples needs none). `texts`: `example_texts()`."""
    texts = example_texts() if texts is None else texts
    stored = dict(
        ExampleVectors.objects.filter(encoder=model.key, dim=model.dim).values_list(
            "kind", "source"
        )
    )
    return [
        kind
        for kind, lines in texts.items()
        if lines and stored.get(kind) != dense_module.source_hash(lines)
    ]


def examples(model: Encoder, texts: dict[str, list[str]] | None = None) -> Examples | None:
    """Both lists' stored vectors of this encoder, made from the texts as they are now, with
    the margin of the setting; None while either is missing or stale (the job makes them), or
    when a list has no examples. `texts`: `example_texts()`."""
    texts = example_texts() if texts is None else texts
    if not all(texts.values()) or stale_examples(model, texts):
        return None
    rows = dict(ExampleVectors.objects.filter(encoder=model.key).values_list("kind", "data"))
    return Examples(
        complaints=dense_module.unpack(rows[ExampleKind.COMPLAINT], model.dim),
        questions=dense_module.unpack(rows[ExampleKind.QUESTION], model.dim),
        margin=settings.ASSISTANT_COMPLAINT_MARGIN,
    )


# Queueing the jobs belongs to the jobs module, a floor above this one (the jobs work
# through services, which read this index): AssistantConfig.ready registers them.
_calibrate_job: list[Callable[[], Any]] = []
_embed_job: list[Callable[[], Any]] = []


def register_calibrate_job(job: Callable[[], Any]) -> None:
    _calibrate_job[:] = [job]


def register_embed_job(job: Callable[[], Any]) -> None:
    _embed_job[:] = [job]


def kb_calibrate_later() -> None:
    """Queue the calibration job (run at once when huey is immediate, as under tests)."""
    for job in _calibrate_job:
        job()


def kb_embed_later() -> None:
    """Queue the job that makes the vectors items lack; it queues calibration when done.
    Without an encoder there is nothing to make: calibration is queued instead."""
    if not encoders():
        kb_calibrate_later()
        return
    for job in _embed_job:
        job()


def _build(model: Encoder | None, slot: str) -> tuple[Retriever, bool]:
    """The retriever over the base with `model`'s vectors, and whether it is whole: every
    item has this encoder's vectors and the bars learnt for exactly this content are stored."""
    docs, synonyms = content()
    dense: DenseIndex | None = None
    missing: list[str] = []
    told: Examples | None = None
    if model is not None and docs:
        dense, missing = dense_index(docs, model)
        lists = example_texts()  # read once for both checks below
        if missing or stale_examples(model, lists):
            # A new or edited item, a new encoder version or edited examples: the job makes
            # the vectors (and then the bars); until then that item is found by words alone,
            # and complaints are told by their words alone.
            kb_embed_later()
            dense, missing = dense_index(docs, model)  # an immediate queue made them
        told = examples(model, lists)
    key = model.key if model is not None and dense is not None and not missing else ""
    wanted = fingerprint(docs, synonyms, key)
    stored = KbCalibration.objects.filter(fingerprint=wanted).first()
    if stored is not None:
        bars = Calibration.from_dict(stored.values)
        return Retriever(docs, synonyms, bars, dense=dense, examples=told), not missing
    # No bars for this content yet (the job after an import has not finished, or an item's
    # validity window opened overnight): decide with the last bars stored, or the prior on a
    # base never calibrated, and have the job learn this content's bars. Learning them here
    # would hold every question of this process for as long as calibration takes.
    if not missing:
        kb_calibrate_later()
    # An immediate queue (tests, HUEY_IMMEDIATE) has stored them already.
    stored = KbCalibration.objects.filter(fingerprint=wanted).first()
    whole = stored is not None and not missing
    if stored is None:
        stored = KbCalibration.objects.filter(slot=slot).order_by("-computed_at").first()
    calibration = Calibration.from_dict(stored.values) if stored else PRIOR
    return Retriever(docs, synonyms, calibration, dense=dense, examples=told), whole


# Per slot: the retriever, whether it is whole, the signature it was built on, when checked.
_built: dict[str, tuple[Retriever, bool, Any, float]] = {}


def _cached(model: Encoder | None, slot: str) -> tuple[Retriever, bool]:
    now = time.monotonic()
    found = _built.get(slot)
    key = model.key if model is not None else ""
    if found is not None and now - found[3] < RECHECK_SECONDS and found[2][1] == key:
        return found[0], found[1]
    with _lock:
        sig = (_current_signature(), key)
        found = _built.get(slot)
        if found is None or found[2] != sig:
            value, whole = _build(model, slot)
        else:
            value, whole = found[0], found[1]
        _built[slot] = (value, whole, sig, time.monotonic())
        return value, whole


def retriever() -> Retriever:
    """The offline path: words, and the packaged encoder's meaning when installed."""
    return _cached(encoder(), CalibrationSlot.OFFLINE)[0]


# Encoded at the warm start (any question would do; this one is in the seed base).
_WARM_QUESTION = "居住证怎么办理"


def warm() -> Retriever:
    """The warm start's step: the offline retriever, and one question encoded with it. The
    encoder maps its weights from a file and reads them on its first question; read in the
    gunicorn master, those pages are shared by every worker it forks instead of counted in
    each (2 MB less per worker on the demo, docs/benchmarks.md), and the first resident to
    ask does not wait for them."""
    found = retriever()
    if found.dense is not None:
        found.dense.query(_WARM_QUESTION)
    return found


def district_retriever() -> Retriever | None:
    """The retriever that ranks by the district's own embedding model, once every item has its
    vectors and its bars are learnt; None until then, when it is not set or not reachable
    (the offline path answers)."""
    model = district_encoder()
    if model is None:
        return None
    value, whole = _cached(model, CalibrationSlot.DISTRICT)
    return value if whole else None


def district_encoder() -> embeddings.RemoteEncoder | None:
    return embeddings.encoder()


def encoders() -> list[tuple[str, Encoder]]:
    """Each encoder whose vectors the base keeps, with its slot: the packaged one first."""
    found: list[tuple[str, Encoder]] = []
    offline = encoder()
    if offline is not None:
        found.append((CalibrationSlot.OFFLINE, offline))
    district = district_encoder()
    if district is not None:
        found.append((CalibrationSlot.DISTRICT, district))
    return found


def invalidate() -> None:
    global _memory_checked_at
    with _lock:
        _built.clear()
        _memory_checked_at = 0.0


# -- the memory of resolved questions ---------------------------------------------------------

_memory: Memory | None = None
_memory_signature: Any = None
_memory_checked_at = 0.0


def memory() -> Memory:
    """The resolved questions (wangge.assistant.memory), with the vectors of the installed
    encoder where made; rebuilt when a row changes, checked as the index is."""
    global _memory, _memory_signature, _memory_checked_at
    now = time.monotonic()
    if _memory is not None and now - _memory_checked_at < RECHECK_SECONDS:
        return _memory
    with _lock:
        model = encoder()
        rows = ResolvedQuestion.objects.all()
        counted = rows.aggregate(n=Count("id"), t=Max("updated_at"))
        sig = (tuple(counted.values()), model.key if model is not None else "")
        if _memory is None or sig != _memory_signature:
            _memory = _build_memory(model)
            _memory_signature = sig
        _memory_checked_at = time.monotonic()
        return _memory


def _build_memory(model: Encoder | None) -> Memory:
    rows = list(
        ResolvedQuestion.objects.order_by("id").values_list(
            "text", "item__code", "encoder", "dim", "vector"
        )
    )
    entries = [(text, code) for text, code, *_rest in rows]
    if model is None or not rows:
        return Memory(entries)
    # A row without a vector of this encoder (made before it was installed, the job has not
    # reached it) is a zero row: it can still answer by its words, never by meaning.
    matrix = np.zeros((len(rows), model.dim), dtype=np.float32)
    for n, (_text, _code, key, dim, data) in enumerate(rows):
        if key == model.key and dim == model.dim and data:
            matrix[n] = dense_module.unpack(data, dim)[0]
    return Memory(entries, model.key, matrix)


def stale_memory(model: Encoder) -> list[int]:
    """The resolved questions without a vector of this encoder (ids)."""
    fresh = Q(encoder=model.key, dim=model.dim, vector__isnull=False)
    return list(ResolvedQuestion.objects.exclude(fresh).values_list("id", flat=True))


# -- whether the vectors are there ------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Which retriever serves, and how many items it finds by words alone for lack of vectors."""

    encoder: str | None  # the installed encoder's key; None: words alone by choice
    items: int
    without_vectors: int
    calibrated: bool  # the bars include the encoder's (else decided by the words' bars)

    @property
    def retriever(self) -> str:
        if self.encoder is None:
            return "words"
        if self.without_vectors or not self.calibrated:
            return "words+partial-meaning"
        return "words+meaning"


_coverage: tuple[Any, Coverage] | None = None


def coverage() -> Coverage:
    """What `/healthz` and the admin report, without building the index: item texts against
    the stored vectors' fingerprints, kept until the base or the vectors change."""
    global _coverage
    model = encoder()
    sig = (_current_signature(), model.key if model is not None else "")
    if _coverage is not None and _coverage[0] == sig:
        return _coverage[1]
    docs, synonyms = content()
    if model is None:
        found = Coverage(None, len(docs), len(docs), True)
    else:
        stored = dict(
            ItemVectors.objects.filter(encoder=model.key, dim=model.dim).values_list(
                "item__code", "source"
            )
        )
        lacking = sum(stored.get(d.id) != dense_module.source_hash(item_texts(d)) for d in docs)
        bars = KbCalibration.objects.filter(fingerprint=fingerprint(docs, synonyms, model.key))
        found = Coverage(model.key, len(docs), lacking, lacking == 0 and bars.exists())
    _coverage = (sig, found)
    return found


def health() -> dict[str, object]:
    """小原's part of /healthz: which retriever serves, and whether any item lacks a vector.
    Missing vectors do not fail the node: it answers, by words, until the job makes them."""
    state = coverage()
    found: dict[str, object] = {
        "ok": True,
        "retriever": state.retriever,
        "encoder": state.encoder,
        "items": state.items,
        "items_without_vectors": state.without_vectors,
        "calibrated": state.calibrated,
    }
    if embeddings.configured():
        # The district's embedding model: reached (its key, else None: down, or not asked yet
        # on this node), and ranking (every item has its vectors and its bars are learnt) or
        # not yet, when the offline path answers. Neither fails the node, and neither asks the
        # model: a health check never waits on it.
        model = embeddings.known_encoder()
        found["district_model"] = {
            "encoder": model.key if model is not None else None,
            "ranking": model is not None and district_retriever() is not None,
        }
    return found
