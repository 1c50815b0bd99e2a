"""Text messages through a pluggable backend, chosen by SMS_BACKEND (a dotted class path).

The default console backend prints the message (phone masked) to the log: a demo or a developer
machine never sends real texts. A production backend implements `send(phone, body)` and raises
on failure.
"""

import logging
import re
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from wangge.core.masking import mask_phone

logger = logging.getLogger("wangge.sms")


class SmsBackend(Protocol):
    name: str

    def send(self, phone: str, body: str) -> None: ...


_CODE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")


def redact_codes(body: str) -> str:
    """Verification codes never reach a log or the message record in clear."""
    return _CODE.sub(lambda m: "*" * len(m.group()), body)


class ConsoleBackend:
    name = "console"

    def send(self, phone: str, body: str) -> None:
        logger.info("短信 → %s：%s", mask_phone(phone), redact_codes(body))


class MemoryBackend:
    """Keeps messages in memory; for tests that assert what a person would receive."""

    name = "memory"
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, body: str) -> None:
        MemoryBackend.outbox.append((phone, body))


@cache
def backend() -> SmsBackend:
    cls = import_string(settings.SMS_BACKEND)
    instance: SmsBackend = cls()
    return instance
