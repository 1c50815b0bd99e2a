"""A district's own embedding model beside the packaged encoder (off by default).

A district that serves an embedding model behind an OpenAI-compatible `/v1/embeddings`
(vLLM, Ollama, Xinference, Text Embeddings Inference, a 政务云 model service) may let 小原 rank
by it: the items' vectors of that model are stored beside the packaged encoder's
(`ItemVectors` per item and encoder), the base's bars are learnt for it too, and a question is
encoded by the district's model first. An error, a reply that is not a vector of the right
size, or no reply within `ASSISTANT_MODEL_TIMEOUT` seconds: the question is answered by the
offline path as if no district model were set, and the turn records the fallback.

Nothing is called unless `ASSISTANT_MODEL_URL` and `ASSISTANT_EMBEDDING_MODEL` are set.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, Final

import httpx
import numpy as np
from django.conf import settings

from wangge.assistant import district

logger = logging.getLogger(__name__)

# Texts per request when the job embeds the base: one request per item would cost a large
# base thousands of round trips; servers take batches of this size without trouble.
BATCH: Final = 32
# The job's time per batch (seconds): a base is embedded once, nobody waits on a request.
BATCH_TIMEOUT: Final = 60.0
# After a failure the model is not asked again for this long (seconds): a dead server costs
# one timeout, not one per question.
RETRY_AFTER: Final = 30.0


class EmbeddingUnavailable(Exception):
    """The district's embedding model did not give the vectors (error, timeout, bad reply)."""


class RemoteEncoder:
    """`retrieval.dense.Encoder` over a district's `/v1/embeddings`.

    `key` names the model and the endpoint (no credentials), so its vectors are never compared
    with another model's. Asymmetric models (e5, bge) want their queries and passages marked:
    the request says `input_type` (servers that know it use it) and the settings' prefixes are
    put before the texts for servers that do not."""

    def __init__(self, endpoint: district.Endpoint, model: str, dim: int) -> None:
        self.endpoint = endpoint
        self.model = model
        self.dim = dim
        self.key = f"{model}@{endpoint.label}"[:80]
        self.query_prefix = settings.ASSISTANT_EMBEDDING_QUERY_PREFIX
        self.passage_prefix = settings.ASSISTANT_EMBEDDING_PASSAGE_PREFIX

    @property
    def label(self) -> str:
        """Recorded beside each answer it ranked."""
        return f"{self.model} @ {self.endpoint.label}"

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """A question's vector within the time limit, or EmbeddingUnavailable. Many texts at
        once (calibration's probes, the examples) are the job's: batched, as passages are."""
        if len(texts) != 1:
            return self._batched(texts, "query", self.query_prefix)
        if _failed_recently():
            raise EmbeddingUnavailable("failed recently")
        data = _within_limit(self.endpoint, self.body(texts, "query", self.query_prefix))
        try:
            if data is not None:
                return self._rows(data, len(texts))
        except ValueError as exc:  # a reply of another shape: the offline path answers
            _failed(str(exc))
        raise EmbeddingUnavailable(self.key)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """The items' vectors for the job; EmbeddingUnavailable on any fault."""
        return self._batched(texts, "passage", self.passage_prefix)

    def _batched(self, texts: Sequence[str], kind: str, prefix: str) -> np.ndarray:
        blocks = []
        for start in range(0, len(texts), BATCH):
            chunk = texts[start : start + BATCH]
            try:
                data = _post(self.endpoint, self.body(chunk, kind, prefix), BATCH_TIMEOUT)
                blocks.append(self._rows(data, len(chunk)))
            except Exception as exc:
                _failed(str(exc))
                raise EmbeddingUnavailable(self.key) from exc
        if not blocks:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(blocks)

    def body(self, texts: Sequence[str], kind: str, prefix: str) -> dict[str, Any]:
        return {
            "model": self.model,
            "input": [f"{prefix}{t}" for t in texts],
            "input_type": kind,
            "encoding_format": "float",
        }

    def _rows(self, data: dict[str, Any], n: int) -> np.ndarray:
        return _read(data, n, self.dim)


def _read(data: dict[str, Any], n: int, dim: int | None) -> np.ndarray:
    """The reply's vectors in the order asked, L2-normalised (not every server normalises);
    ValueError for a reply of another shape."""
    rows = data.get("data")
    if not isinstance(rows, list) or len(rows) != n:
        raise ValueError("the reply does not hold one vector per text")
    ordered = sorted(rows, key=lambda row: int(row.get("index", 0)))
    matrix = np.asarray([row["embedding"] for row in ordered], dtype=np.float32)
    if matrix.ndim != 2 or (dim is not None and matrix.shape[1] != dim) or not matrix.size:
        raise ValueError("the reply's vectors are not of the model's size")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if not np.all(np.isfinite(matrix)) or np.any(norms == 0):
        raise ValueError("the reply holds an empty vector")
    return matrix / norms


def _post(endpoint: district.Endpoint, body: dict[str, Any], timeout: float) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {endpoint.key}"} if endpoint.key else {}
    response = httpx.post(
        f"{endpoint.url}/embeddings", json=body, headers=headers, timeout=httpx.Timeout(timeout)
    )
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _within_limit(endpoint: district.Endpoint, body: dict[str, Any]) -> dict[str, Any] | None:
    """The reply within the endpoint's time limit for the whole call (httpx's timeout is per
    connect / read / write: a server that trickles bytes would hold a resident longer), or
    None, the failure remembered."""
    future = district.executor().submit(_post, endpoint, body, endpoint.timeout)
    try:
        return future.result(timeout=endpoint.timeout)
    except FutureTimeout:
        future.cancel()
        _failed(f"no reply within {endpoint.timeout:.1f} s")
    except Exception as exc:  # any fault of an optional server: the offline path answers
        _failed(str(exc))
    return None


_lock = threading.Lock()
_failed_at = 0.0
_encoder: tuple[tuple[str, ...], RemoteEncoder] | None = None


def _failed(reason: str) -> None:
    global _failed_at
    logger.warning("district embedding model: %s", reason)
    with _lock:
        _failed_at = time.monotonic()


def _failed_recently() -> bool:
    return _failed_at > 0 and time.monotonic() - _failed_at < RETRY_AFTER


def forget() -> None:
    """Drop the encoder and the memory of a failure (settings changed; tests)."""
    global _encoder, _failed_at
    with _lock:
        _encoder = None
        _failed_at = 0.0


def configured() -> bool:
    return bool((settings.ASSISTANT_MODEL_URL or "").strip()) and bool(
        (settings.ASSISTANT_EMBEDDING_MODEL or "").strip()
    )


def _wanted() -> tuple[str, ...]:
    """What the settings ask for: an encoder made for other settings is not this one."""
    return (
        settings.ASSISTANT_MODEL_URL.strip().rstrip("/"),
        settings.ASSISTANT_EMBEDDING_MODEL.strip(),
        settings.ASSISTANT_MODEL_KEY,
        str(settings.ASSISTANT_MODEL_TIMEOUT),
        settings.ASSISTANT_EMBEDDING_QUERY_PREFIX,
        settings.ASSISTANT_EMBEDDING_PASSAGE_PREFIX,
    )


def known_encoder() -> RemoteEncoder | None:
    """The district's model as last reached, without asking it again: for /healthz, which a
    load balancer polls every few seconds and which must not wait on a server that is down."""
    found = _encoder
    return found[1] if configured() and found is not None and found[0] == _wanted() else None


def encoder() -> RemoteEncoder | None:
    """The district's embedding model, or None: not set, or not reachable to learn its size
    (asked once, again only after RETRY_AFTER)."""
    global _encoder
    if not configured():
        return None
    wanted = _wanted()
    url, model = wanted[0], wanted[1]
    found = _encoder
    if found is not None and found[0] == wanted:
        return found[1]
    if _failed_recently():
        return None
    endpoint = district.Endpoint(
        url, settings.ASSISTANT_MODEL_KEY, "", settings.ASSISTANT_MODEL_TIMEOUT
    )
    # The model's size, from one short text: the stored vectors and the index are made for it.
    # Asked on a resident's question, so held to the same whole-call limit as a question.
    probe = RemoteEncoder(endpoint, model, 0)
    data = _within_limit(endpoint, probe.body(["维度"], "query", probe.query_prefix))
    if data is None:
        return None
    try:
        dim = int(_read(data, 1, None).shape[1])
    except ValueError as exc:
        _failed(str(exc))
        return None
    made = RemoteEncoder(endpoint, model, dim)
    with _lock:
        _encoder = (wanted, made)
    return made
