"""Exactly-once answers for work a phone queues offline and may send more than once.

A client sends `Idempotency-Key: <uuid made on the device>` with a write. The first request
with that key runs and its answer (status and JSON body, refusals included) is stored with the
key; any later request with the same key from the same person gets that stored answer and
writes nothing. The key is reserved by inserting its row before the work runs, in the same
transaction: on PostgreSQL a concurrent duplicate's insert waits on the unique index until the
first commits, then finds the stored answer; if the first failed and rolled back, the duplicate
does the work itself. A server error stores nothing, so the device's retry runs afresh.
"""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core.errors import DomainError, ValidationFailed
from wangge.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
# The person who did the work on the phone (the outbox stores it with each item). A phone is
# shared: when someone else has signed in on it since, the item must not be written under their
# name, so the request is refused like an expired session and the item waits for its owner.
OWNER_HEADER = "X-Outbox-Owner"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


class NotTheOwner(DomainError):
    """Answered 401, as to a signed-out phone: the outbox keeps the item and asks for sign-in."""

    status_code = 401


def request_key(request: HttpRequest) -> str:
    """The request's idempotency key, or "" when it sent none; a malformed one is refused, and
    so is a request made for someone other than the person signed in."""
    owner = (request.headers.get(OWNER_HEADER) or "").strip()
    if owner and owner != str(getattr(request.user, "pk", "")):
        raise NotTheOwner(_("这条记录属于另一个账号：请用填写它的账号重新登录后自动发送"))
    key = (request.headers.get(HEADER) or "").strip()
    if key and not _KEY.match(key):
        raise ValidationFailed(_("请求编号格式不正确（8–64 位字母、数字或 -_.:）"))
    return key


def _as_json(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if dump is not None else value


def error_body(exc: DomainError) -> dict[str, Any]:
    """The API's `{"detail": …}` for a refusal, with the extras the API handler adds."""
    body: dict[str, Any] = {"detail": exc.message}
    for extra in ("problems", "allowed"):
        value = getattr(exc, extra, None)
        if value is not None:
            body[extra] = value
    return body


def _stored(actor_id: int, key: str, scope: str) -> tuple[int, Any]:
    row = IdempotencyKey.objects.get(actor_id=actor_id, key=key)
    if row.scope != scope:
        raise ValidationFailed(_("该请求编号已用于另一项操作，请重新提交"))
    return row.status, row.body


def run_once(
    *, actor_id: int, key: str, scope: str, work: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `work` (returning status and a schema or JSON-able body) once per (actor, key).

    Without a key the work simply runs and a refusal is raised as usual. With a key, a refusal
    (a DomainError: the case was closed meanwhile, say) is an answer like any other: stored,
    and returned again to a repeat, so a retry never turns a refusal into a write later.
    """
    if not key:
        status, body = work()
        return status, _as_json(body)
    if IdempotencyKey.objects.filter(actor_id=actor_id, key=key).exists():
        return _stored(actor_id, key, scope)
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    row = IdempotencyKey.objects.create(
                        actor_id=actor_id, key=key, scope=scope[:80], status=0, body={}
                    )
            except IntegrityError:
                raise _Replay from None
            try:
                with transaction.atomic():
                    status, body = work()
                    body = _as_json(body)
            except DomainError as exc:
                status, body = exc.status_code, error_body(exc)
            row.status, row.body = status, body
            row.save(update_fields=["status", "body"])
    except _Replay:
        # Another request with this key was first (and has committed): its answer is ours.
        return _stored(actor_id, key, scope)
    return status, body


class _Replay(Exception):
    """The key's row already exists: answer from it, outside the failed transaction."""


# A phone's outbox keeps a sent item a day and retries a waiting one until it is answered; a
# month covers a phone left without signal for weeks. Older answers are not needed again.
KEEP_DAYS = 30


def keys_purge(*, now: datetime | None = None) -> int:
    """Drop stored answers older than KEEP_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
