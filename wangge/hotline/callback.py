"""The wire side of 回传: how a result is signed, posted, and when a failed one is tried again."""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

TIMEOUT_SECONDS = 10.0
MAX_ATTEMPTS = 12
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=30)
# How long one attempt owns a row. Longer than the HTTP timeout, so a slow answer is never
# overtaken by a second worker; a worker that dies mid-send frees the row when it runs out.
LEASE = timedelta(seconds=60)
SIGNATURE_HEADER = "X-Wangge-Signature"
DELIVERY_HEADER = "X-Wangge-Delivery"


def backoff(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failure: 30 s, 1 min, 2 min … never more than 30 min."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def body_of(payload: dict[str, Any]) -> bytes:
    # Sorted keys and no spaces: the receiver can re-serialise to check a signature if it must,
    # though it should verify the raw bytes it received.
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str) -> bool:
    """What the hotline side does; kept here so tests and integrators share one definition."""
    return hmac.compare_digest(sign(body, secret), signature)


# Answers that a retry may change: the platform busy, overloaded or timing out. Any other 4xx
# (401 bad signature, 404 unknown order, 409 a conflicting repeat, 422) is the same next time.
RETRYABLE_4XX = frozenset({408, 425, 429})


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    error: str
    # The platform refused it in a way no retry changes: a person must look.
    permanent: bool = False


def post(*, url: str, secret: str, delivery_id: int, payload: dict[str, Any]) -> Outcome:
    body = body_of(payload)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(body, secret),
        DELIVERY_HEADER: str(delivery_id),
        "User-Agent": "wangge-hotline/1",
    }
    # Imported here: httpx is megabytes at import in every web worker, and only the job worker
    # posts results.
    import httpx

    try:
        response = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        return Outcome(ok=False, status_code=None, error=f"{type(exc).__name__}: {exc}"[:500])
    if 200 <= response.status_code < 300:
        return Outcome(ok=True, status_code=response.status_code, error="")
    return Outcome(
        ok=False,
        status_code=response.status_code,
        error=f"HTTP {response.status_code}: {response.text[:300]}",
        permanent=400 <= response.status_code < 500 and response.status_code not in RETRYABLE_4XX,
    )
