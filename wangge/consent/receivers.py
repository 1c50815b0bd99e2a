"""What consent hears from Django: after `migrate` (and after a flush, which ends the same way),
each kind of document without any version gets its first, so a district always has something
to agree to. The text is data (wangge/consent/data/); the operator publishes the district's
own version in the admin, and residents are then asked again."""

from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone

from wangge.consent.models import LegalDocument

SEED = Path(__file__).resolve().parent / "data"
FIRST = {
    LegalDocument.Kind.TERMS: ("原点在线用户服务协议", "terms.txt"),
    LegalDocument.Kind.PRIVACY: ("原点在线个人信息保护政策", "privacy.txt"),
}


def publish_first_versions(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    documents = LegalDocument.objects.using(using)
    with transaction.atomic(using=using):
        for kind, (title, name) in FIRST.items():
            if not documents.filter(kind=kind).exists():
                documents.create(
                    kind=kind,
                    version=1,
                    title=title,
                    body=(SEED / name).read_text(encoding="utf-8").strip(),
                    published_at=timezone.now(),
                )
