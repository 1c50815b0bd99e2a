"""Can this node serve? `/healthz/live`: the process answers (nothing else is asked; a
supervisor restarts a node that fails it). `/healthz/ready` (and `/healthz`, the same): the
database answers and the job queue takes jobs — the check a load balancer uses.

Redis being away does not make a node unready: the cache then answers as empty and the queue
keeps its jobs in the database (wangge.core.redis_outage), so every node still serves, and a
Redis shared by all nodes cannot take all of them out of rotation at once. The answer says so
(`"status": "degraded"`, the queue `"spooling": true`) with 200.

Apps above the core add what an operator must see of theirs (`register`): 小原 says which
retriever is serving and how many items lack their vectors. Those reports inform and never
take the node out of rotation (it still serves); one that raises reads `ok: false`.

A load balancer takes a node out of rotation on 503; the body says which part failed, without
internals (no DSNs, no hostnames).
"""

import time
from collections.abc import Callable

from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY

_reports: dict[str, Callable[[], dict[str, object]]] = {}


def register(name: str, report: Callable[[], dict[str, object]]) -> None:
    """Add an app's part of the answer (from its `AppConfig.ready()`): a dict with "ok"."""
    _reports[name] = report


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        checks["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    except Exception:  # any failure means "not healthy"; the reason is in the server log
        checks["database"] = {"ok": False}
    started = time.perf_counter()
    try:
        pending = HUEY.pending_count()
        checks["queue"] = {
            "ok": True,
            "pending": pending,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    except Exception:
        # Redis away: the queue's storage keeps jobs in the database meanwhile.
        spooling = bool(getattr(HUEY.storage, "spools_when_away", False))
        checks["queue"] = {"ok": False, "spooling": spooling}
    ok = checks["database"]["ok"] and (checks["queue"]["ok"] or checks["queue"].get("spooling"))
    degraded = not checks["queue"]["ok"]
    for name, report in _reports.items():
        try:
            checks[name] = report()
        except Exception:
            checks[name] = {"ok": False}
    status = "unavailable" if not ok else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ok else 503)
