"""Reads about the documents in force and a person's consent to them."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from wangge.accounts.models import User
from wangge.consent.models import Consent, LegalDocument

Kind = LegalDocument.Kind


@dataclass(frozen=True)
class InForce:
    """The 用户协议 and 隐私政策 a person agrees to now."""

    terms: LegalDocument
    privacy: LegalDocument


def published() -> QuerySet[LegalDocument]:
    return LegalDocument.objects.filter(published_at__lte=timezone.now())


def current_document(kind: str) -> LegalDocument | None:
    """The newest published version of one kind (None before the first is published)."""
    return published().filter(kind=kind).order_by("-version").first()


def in_force() -> InForce | None:
    """Both documents in force, or None while either has no published version."""
    terms, privacy = current_document(Kind.TERMS), current_document(Kind.PRIVACY)
    if terms is None or privacy is None:
        return None
    return InForce(terms=terms, privacy=privacy)


def document_version(kind: str, version: int) -> LegalDocument | None:
    return published().filter(kind=kind, version=version).first()


def live_consent(user: User) -> Consent | None:
    """The person's latest consent not withdrawn, with its documents."""
    return (
        Consent.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("terms", "privacy")
        .order_by("-agreed_at", "-pk")
        .first()
    )


def agrees_to(consent: Consent | None, documents: InForce | None) -> bool:
    """Whether a consent covers the documents in force (nothing in force: nothing to agree to)."""
    if documents is None:
        return True
    return (
        consent is not None
        and consent.terms_id == documents.terms.pk
        and consent.privacy_id == documents.privacy.pk
    )


def has_current_consent(user: User) -> bool:
    return agrees_to(live_consent(user), in_force())


def needs_renewal(user: User) -> bool:
    """Someone who agreed to an older version: asked again before pages that collect personal
    data. Agreement is asked of everyone else where they first give personal data (sign-in,
    real-name verification, the mini-program's binding)."""
    consent = live_consent(user)
    return consent is not None and not agrees_to(consent, in_force())


def consent_history(user: User) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(user=user)
        .select_related("terms", "privacy")
        .order_by("-agreed_at", "-pk")
    )
