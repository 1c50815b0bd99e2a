"""Protection of personal data at rest.

Resident ID numbers and phone numbers are encrypted with Fernet (AES-128-CBC + HMAC) under
PII_KEY, so a database dump alone reveals nothing; a keyed HMAC under a second key lets us find
a person by ID number or phone (uniqueness, lookups: "this caller's earlier cases") without
decrypting every row. Only the login (accounts.User.phone) keeps a phone in clear: it is what
people sign in with.
"""

import hashlib
import hmac
from functools import cache
from typing import Any, overload

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wangge.core.masking import mask_phone


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


def decrypt_or_blank(token: str) -> str:
    return decrypt(token) if token else ""


def phone_hash(phone: str) -> str:
    """The keyed hash of an already-normalised phone ("" for none). The same number gives the
    same hash in every table, so one lookup finds it wherever it was stored."""
    return lookup_hash(phone) if phone else ""


# The digits a masked phone keeps (core.masking.mask_phone): what a caller reads out.
PHONE_TAIL_DIGITS = 4
# Kept apart from the full numbers' hashes: a tail's hash never equals a whole number's.
_TAIL_DOMAIN = "phone-tail:"


def phone_tail(phone_or_masked: str) -> str:
    """The last digits a masked phone shows ("138****5678" → "5678"), from the number or from
    its masked form alike; "" when the mask shows none (a number too short to keep any)."""
    masked = mask_phone(phone_or_masked) if "*" not in phone_or_masked else phone_or_masked
    tail = masked[-PHONE_TAIL_DIGITS:]
    return tail if len(tail) == PHONE_TAIL_DIGITS and tail.isdigit() else ""


def phone_tail_hash(tail: str) -> str:
    """The keyed hash of a phone's last four digits ("" for none).

    Four digits are 10,000 values: whoever holds PII_HASH_KEY can reverse this hash by trying
    them all. That reveals no more than the masked column already shows (the same four digits),
    and only the search of staff, within their grid scope, asks with it; the full number's hash
    and its encryption are untouched. It is keyed, not clear, so the column alone says nothing
    and matches nothing outside this lookup."""
    return lookup_hash(_TAIL_DOMAIN + tail) if tail else ""


def protect_phone(phone: str) -> tuple[str, str, str]:
    """(encrypted, keyed hash, masked) of an already-normalised phone; blanks for none."""
    if not phone:
        return "", "", ""
    return encrypt(phone), phone_hash(phone), mask_phone(phone)


class ProtectedPhone(property):
    """A model's phone number kept as three columns, `<name>_encrypted`, `<name>_hash` and
    `<name>_masked` (and `<name>_tail_hash` where the model has it): reading gives the clear
    number (only the audited reveal paths may show it), writing an already-normalised number
    (accounts.identity.normalize_contact_phone) fills them all. A property, so
    `Model(<name>=…)` and `objects.create(<name>=…)` accept it too."""

    def __init__(self, name: str) -> None:
        self.column = name
        super().__init__(self._read, self._write)

    def _read(self, row: Any) -> str:
        return decrypt_or_blank(getattr(row, f"{self.column}_encrypted"))

    def _write(self, row: Any, phone: str) -> None:
        encrypted, hashed, masked = protect_phone(phone)
        setattr(row, f"{self.column}_encrypted", encrypted)
        setattr(row, f"{self.column}_hash", hashed)
        setattr(row, f"{self.column}_masked", masked)
        # Where the model also finds people by the number's end (Case: the desk's search).
        if hasattr(type(row), f"{self.column}_tail_hash"):
            setattr(row, f"{self.column}_tail_hash", phone_tail_hash(phone_tail(phone)))

    @overload
    def __get__(self, row: None, owner: type | None = None) -> "ProtectedPhone": ...
    @overload
    def __get__(self, row: object, owner: type | None = None) -> str: ...
    def __get__(self, row: object | None, owner: type | None = None) -> "ProtectedPhone | str":
        return self if row is None else self._read(row)

    def __set__(self, row: object, phone: str) -> None:
        self._write(row, phone)
