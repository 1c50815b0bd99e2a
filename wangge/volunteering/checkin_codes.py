"""The rotating check-in code the organiser shows at the place.

A code is an HMAC of the task id and the current 60-second step, keyed by the site secret and
the task's own secret; the current and the previous step are accepted, so a code scanned just
before it turns over still works, and a photo of it sent home is useless a minute later.
"""

import hashlib
import hmac
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from wangge.volunteering.models import Task

STEP_SECONDS = 60


def _step(at: datetime) -> int:
    return int(at.timestamp()) // STEP_SECONDS


def _code(task: Task, step: int) -> str:
    key = f"{settings.SECRET_KEY}:volunteering:{task.qr_secret}".encode()
    return hmac.new(key, f"{task.pk}:{step}".encode(), hashlib.sha256).hexdigest()[:16]


def current_code(task: Task, at: datetime | None = None) -> str:
    return _code(task, _step(at or timezone.now()))


def seconds_left(at: datetime | None = None) -> int:
    now = at or timezone.now()
    return STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS


def code_valid(task: Task, code: str, at: datetime | None = None) -> bool:
    if not code:
        return False
    step = _step(at or timezone.now())
    return any(hmac.compare_digest(code, _code(task, s)) for s in (step, step - 1))
