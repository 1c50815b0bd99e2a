"""GET /healthz: can this node serve? The database answers and the job queue is reachable.

A load balancer takes a node out of rotation on 503; the body says which part failed, without
internals (no DSNs, no hostnames).
"""

import time

from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from huey.contrib.djhuey import HUEY


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
        checks["queue"] = {"ok": False}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )
