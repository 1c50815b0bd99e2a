"""A delivery as it goes on the wire: its row's payload, with the bytes of its photos put in.

A 办结 carries its 处置后 photos as Base64 (file name, MIME type, size, content), not as links:
the platform's network may not reach this server, and a link would have to outlive every
retry. The row names the photos (`attachment_id`); the bytes are read when it is sent, once the
photos have been cleaned (a photo still waiting for its cleaning job holds the delivery back,
so EXIF never leaves with it).
"""

import base64
from typing import Any

from django.core.files.storage import default_storage

from wangge.cases.models import CaseAttachment
from wangge.core.media import is_pending


def _photos(payload: dict[str, Any]) -> list[dict[str, Any]]:
    photos = payload.get("photos")
    return photos if isinstance(photos, list) else []


def _rows(payload: dict[str, Any]) -> dict[int, CaseAttachment]:
    ids = [p.get("attachment_id") for p in _photos(payload) if isinstance(p, dict)]
    return {a.pk: a for a in CaseAttachment.objects.filter(pk__in=[i for i in ids if i])}


def ready(payload: dict[str, Any]) -> bool:
    """Every photo the delivery names has been cleaned (or is gone)."""
    return not any(is_pending(a.image.name or "") for a in _rows(payload).values())


def expanded(payload: dict[str, Any]) -> dict[str, Any]:
    """The body to sign and post. A photo deleted since is left out rather than failing the
    delivery for ever."""
    if not _photos(payload):
        return payload
    rows = _rows(payload)
    photos = []
    for photo in _photos(payload):
        row = rows.get(photo.get("attachment_id") or 0)
        if row is None or not row.image.name:
            continue
        with default_storage.open(row.image.name, "rb") as f:
            data = f.read()
        photos.append(
            {
                "file_name": photo.get("file_name") or f"{row.pk}.jpg",
                "mime_type": "image/jpeg",
                "size": len(data),
                "content": base64.b64encode(data).decode("ascii"),
            }
        )
    return {**payload, "photos": photos}
