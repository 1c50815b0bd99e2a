from typing import Any

import pytest

from wangge.consent import services
from wangge.consent.models import Consent, LegalDocument
from wangge.notifications.sms import MemoryBackend


@pytest.fixture(autouse=True)
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Texts go out after commit, which never comes inside a test's transaction: send at once."""
    from types import SimpleNamespace

    from django.db import transaction

    shim = SimpleNamespace(atomic=transaction.atomic, on_commit=lambda f, **kw: f())
    monkeypatch.setattr("wangge.notifications.services.transaction", shim)
    MemoryBackend.outbox.clear()
    return MemoryBackend.outbox


@pytest.fixture
def new_versions(db: Any) -> tuple[LegalDocument, LegalDocument]:
    """The operator publishes a second version of both documents."""
    terms = services.document_publish(
        kind="terms",
        title="原点在线用户服务协议",
        body="一、账号\n\n新的条款。",
        changes="新增账号条款",
    )
    privacy = services.document_publish(
        kind="privacy",
        title="原点在线个人信息保护政策",
        body="一、我们收集哪些信息\n\n新的说明。",
        changes="新增微信订阅消息的说明",
    )
    return terms, privacy


def agree_now(user: Any, *, channel: str = "web", occasion: str = "sign_in") -> Consent:
    return services.consent_record(user=user, channel=channel, occasion=occasion)
