"""Text messages through a pluggable backend, chosen by SMS_BACKEND (a dotted class path).

The default console backend prints the message (phone masked) to the log: a demo or a developer
machine never sends real texts. `wangge.notifications.sms_tencent.TencentCloudBackend` sends
through Tencent Cloud SMS. A backend implements `send(phone, body, template=…, params=…)`,
returns the provider's reference for the message (or ""), raises `SmsRejected` when the
provider refused the message for good (a wrong number, a template not approved) and any other
exception when it may work later (the gateway down, a timeout): those are retried with back-off
(`notifications.tasks.sms_deliver`).

Chinese gateways send approved templates only, so each message names its template kind
(`SMS_TEMPLATES` maps kinds to the provider's template ids) and the values that fill it; `body`
is the full text as a person reads it, for the log and the console.
"""

import logging
import re
from collections.abc import Sequence
from functools import cache
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from wangge.core.masking import mask_phone

logger = logging.getLogger("wangge.sms")

# Template kinds: a notice (one value: the text after the 【sign】) and a verification code.
NOTICE, CODE = "notice", "code"


class SmsRejected(Exception):
    """The provider refused this message for good; sending it again would not help."""


class SmsBackend(Protocol):
    name: str

    def send(
        self, phone: str, body: str, *, template: str = NOTICE, params: Sequence[str] = ()
    ) -> str: ...


_CODE = re.compile(r"(?<!\d)\d{4,8}(?!\d)")
_SIGN = re.compile(r"^【[^】]*】")


def redact_codes(body: str) -> str:
    """Verification codes never reach a log or the message record in clear."""
    return _CODE.sub(lambda m: "*" * len(m.group()), body)


def notice_params(body: str) -> list[str]:
    """A notice's one template value: the text without its 【sign】 (the gateway adds its own)."""
    return [_SIGN.sub("", body).strip()]


class ConsoleBackend:
    name = "console"

    def send(
        self, phone: str, body: str, *, template: str = NOTICE, params: Sequence[str] = ()
    ) -> str:
        logger.info("短信 → %s：%s", mask_phone(phone), redact_codes(body))
        return ""


class MemoryBackend:
    """Keeps messages in memory; for tests that assert what a person would receive."""

    name = "memory"
    outbox: list[tuple[str, str]] = []

    def send(
        self, phone: str, body: str, *, template: str = NOTICE, params: Sequence[str] = ()
    ) -> str:
        MemoryBackend.outbox.append((phone, body))
        return ""


@cache
def backend() -> SmsBackend:
    cls = import_string(settings.SMS_BACKEND)
    instance: SmsBackend = cls()
    return instance
