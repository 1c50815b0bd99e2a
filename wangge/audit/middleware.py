"""Who made a change and from where, on the change-log rows (django-auditlog's LogEntry) that a
request writes.

django-auditlog's own middleware does this by connecting a `pre_save` receiver at the start of
every request and disconnecting it at the end: two passes through the signal's lock, and its
receiver cache emptied twice, on every request of every kind, for the few that change an audited
row. It also takes the address from the first entry of X-Forwarded-For, which the client writes
itself (nginx appends to it), so anyone could have put any address on the log; and it reads
the person once, before the view runs, so a change made through the API, whose bearer token is
only checked in the view, was logged without anyone.

Here one receiver is connected once (AuditConfig.ready), and the request is kept in a context
variable for as long as it is handled. The receiver reads the person when the row is written,
and the address from REMOTE_ADDR, which RealClientAddressMiddleware sets from a trusted proxy's
X-Real-IP and nothing else."""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from auditlog.cid import set_cid
from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("wangge_audited_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The correlation id (AUDITLOG_CID_HEADER) as django-auditlog's middleware records it.
        set_cid(request)
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def stamp_log_entry(sender: type, instance: Any, **kwargs: Any) -> None:
    """pre_save of LogEntry: the request's signed-in person and the client's address, where
    the row does not name them already (auditlog's `set_actor` in a command or a job does)."""
    request = _request.get()
    if request is None:
        return
    user = getattr(request, "user", None)
    if instance.actor_id is None and user is not None and user.is_authenticated:
        instance.actor = user
        instance.actor_email = getattr(user, "email", None)
    if instance.remote_addr is None and not getattr(
        settings, "AUDITLOG_DISABLE_REMOTE_ADDR", False
    ):
        instance.remote_addr = request.META.get("REMOTE_ADDR") or None
