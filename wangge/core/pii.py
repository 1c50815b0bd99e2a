"""Protection of personal data at rest.

Resident ID numbers are encrypted with Fernet (AES-128-CBC + HMAC) under PII_KEY, so a database
dump alone reveals nothing; a keyed HMAC under a second key lets us find a person by ID number
(uniqueness, lookups) without decrypting every row.
"""

import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@cache
def _fernet() -> Fernet:
    try:
        return Fernet(settings.PII_KEY.encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "PII_KEY must be a Fernet key: 32 url-safe base64-encoded bytes "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')"
        ) from exc


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "PII_KEY does not match the key the data was written with"
        ) from exc


def lookup_hash(value: str) -> str:
    return hmac.new(settings.PII_HASH_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
