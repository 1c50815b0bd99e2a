"""The per-process retrieval index over the knowledge base, rebuilt when the base changes.

Built lazily; the process that writes invalidates it at once (services call `invalidate`),
other processes notice within RECHECK_SECONDS through a count/max(updated_at) signature, as
wangge/grids/indexes.py does for the grid index. Today's date is part of the signature, so an
item whose valid_from/valid_to window opens or closes overnight enters or leaves the index.

The decision bars come from the base itself (`retrieval.calibrate`): services store them with
the base on every import and edit (`KbCalibration`, keyed by a fingerprint of the items and
synonyms they were learnt on) by a job after each commit; an index whose content has no
stored calibration yet decides with the last bars stored and queues that job.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from wangge.assistant.models import KbCalibration, KnowledgeItem, Synonym
from wangge.assistant.retrieval import PRIOR, Calibration, Doc, Retriever

RECHECK_SECONDS = 2.0

_lock = threading.Lock()
_value: Retriever | None = None
_signature: Any = None
_checked_at = 0.0


def _current_signature() -> Any:
    items = KnowledgeItem.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    synonyms = Synonym.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    calibrations = KbCalibration.objects.aggregate(n=Count("id"), t=Max("computed_at"))
    return (
        tuple(items.values()),
        tuple(synonyms.values()),
        tuple(calibrations.values()),
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


def fingerprint(docs: list[Doc], synonyms: dict[str, str]) -> str:
    payload = json.dumps(
        [[(d.id, d.question, d.similar, d.answer) for d in docs], sorted(synonyms.items())],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


# Queueing the calibration job belongs to the jobs module, a floor above this one (the job
# calibrates through services, which read this index): AssistantConfig.ready registers it.
_calibrate_job: list[Callable[[], Any]] = []


def register_calibrate_job(job: Callable[[], Any]) -> None:
    _calibrate_job[:] = [job]


def kb_calibrate_later() -> None:
    """Queue the calibration job (run at once when huey is immediate, as under tests)."""
    for job in _calibrate_job:
        job()


def _build() -> Retriever:
    docs, synonyms = content()
    stored = KbCalibration.objects.filter(fingerprint=fingerprint(docs, synonyms)).first()
    if stored is not None:
        return Retriever(docs, synonyms, Calibration.from_dict(stored.values))
    # No bars for this content yet (the job after an import has not finished, or an item's
    # validity window opened overnight): decide with the last bars stored, or the prior on a
    # base never calibrated, and have the job learn this content's bars. Learning them here
    # would hold every question of this process for as long as calibration takes.
    kb_calibrate_later()
    # An immediate queue (tests, HUEY_IMMEDIATE) has stored them already.
    stored = KbCalibration.objects.filter(fingerprint=fingerprint(docs, synonyms)).first()
    if stored is None:
        stored = KbCalibration.objects.order_by("-computed_at").first()
    calibration = Calibration.from_dict(stored.values) if stored else PRIOR
    return Retriever(docs, synonyms, calibration)


def retriever() -> Retriever:
    global _value, _signature, _checked_at
    now = time.monotonic()
    if _value is not None and now - _checked_at < RECHECK_SECONDS:
        return _value
    with _lock:
        sig = _current_signature()
        if _value is None or sig != _signature:
            _value = _build()
            _signature = sig
        _checked_at = time.monotonic()
        return _value


def invalidate() -> None:
    global _checked_at, _signature
    with _lock:
        _checked_at = 0.0
        _signature = None
