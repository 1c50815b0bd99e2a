"""The per-process retrieval index over the knowledge base, rebuilt when the base changes.

Built lazily; the process that writes invalidates it at once (services call `invalidate`),
other processes notice within RECHECK_SECONDS through a count/max(updated_at) signature, as
wangge/grids/indexes.py does for the grid index. Today's date is part of the signature, so an
item whose valid_from/valid_to window opens or closes overnight enters or leaves the index.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from wangge.assistant.models import KnowledgeItem, Synonym
from wangge.assistant.retrieval import Doc, Retriever

RECHECK_SECONDS = 2.0

_lock = threading.Lock()
_value: Retriever | None = None
_signature: Any = None
_checked_at = 0.0


def _current_signature() -> Any:
    items = KnowledgeItem.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    synonyms = Synonym.objects.aggregate(n=Count("id"), t=Max("updated_at"))
    return (tuple(items.values()), tuple(synonyms.values()), timezone.localdate())


def _build() -> Retriever:
    today = timezone.localdate()
    valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    rows = KnowledgeItem.objects.filter(valid).values_list("code", "question", "similar", "answer")
    docs = [Doc(code, q, tuple(sim or ()), ans) for code, q, sim, ans in rows.iterator()]
    synonyms = dict(Synonym.objects.values_list("term", "canonical"))
    return Retriever(docs, synonyms)


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
