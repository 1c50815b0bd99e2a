"""Files the platform sends with an order or after it (附件, 通话录音): checked, then kept once.

A file arrives inside the JSON as Base64, with its file name and MIME type: the platform sits
on a network this server cannot reach, so a URL to fetch it from would be of no use. Photos
become the case's photos (cleaned and re-encoded like every upload, core.images); recordings
are kept as sent, in a folder the media view serves only to those who may see the case.

Sizes are capped per file, and the whole request by DATA_UPLOAD_MAX_MEMORY_SIZE (10 MB, a 413
past it): Base64 adds a third, so one message carries a few photos or one recording of some
minutes (MP3 at 32 kbit/s is 240 KB a minute).
"""

import base64
import binascii
import hashlib
import io
import secrets
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from wangge.cases.models import Case
from wangge.core.images import ALLOWED_FORMATS, CleanImage, clean_image
from wangge.hotline.models import AUDIO_TYPES, HotlineOrder, InboundMessage, Recording

PHOTO_TYPES = frozenset({"image/jpeg", "image/jpg", "image/png", "image/webp", "image/gif"})
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_RECORDING_BYTES = 6 * 1024 * 1024
MAX_PHOTOS = 9
MAX_RECORDINGS = 3
# A key of ours for a photo the platform sent: the case keeps one photo per key.
PHOTO_KEY_PREFIX = "12345:"


@dataclass(frozen=True)
class PlatformFile:
    file_name: str
    mime_type: str
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def is_photo(self) -> bool:
        return self.mime_type in PHOTO_TYPES

    def describe(self) -> dict[str, object]:
        """What is stored and logged of the file: never its bytes."""
        return {
            "file_name": self.file_name,
            "mime_type": self.mime_type,
            "size": len(self.data),
            "sha256": self.digest,
        }


def _audio_looks_like(mime_type: str, data: bytes) -> bool:
    """The bytes begin the way a file of that type does (a WAV that is a WAV)."""
    ext = AUDIO_TYPES[mime_type]
    if ext == ".mp3":
        return data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0)
    if ext == ".wav":
        return data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    if ext == ".ogg":
        return data[:4] == b"OggS"
    return data[4:8] == b"ftyp"  # .m4a: an MP4 container


def _photo_looks_like(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as img:
            return img.format in ALLOWED_FORMATS
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False


def decode_file(*, file_name: str, mime_type: str, content: str) -> PlatformFile:
    """A file as the platform sent it, or ValueError saying in Chinese what is wrong with it
    (the API names the field around it)."""
    mime_type = mime_type.strip().lower()
    if mime_type not in PHOTO_TYPES and mime_type not in AUDIO_TYPES:
        raise ValueError(
            _(
                "“%(name)s”的类型 %(type)s 不受支持：照片须为 JPEG、PNG、WebP 或 GIF，录音须为 "
                "MP3、WAV、OGG 或 M4A"
            )
            % {"name": file_name, "type": mime_type}
        )
    limit = MAX_PHOTO_BYTES if mime_type in PHOTO_TYPES else MAX_RECORDING_BYTES
    text = "".join(content.split())
    if text.startswith("data:") and "," in text:
        text = text.split(",", 1)[1]  # a data: URL's header
    if len(text) > (limit + 2) // 3 * 4:
        raise ValueError(
            _("“%(name)s”超过 %(mb)d MB") % {"name": file_name, "mb": limit // (1024 * 1024)}
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(_("“%(name)s”的内容不是有效的 Base64") % {"name": file_name}) from exc
    if not data:
        raise ValueError(_("“%(name)s”是空文件") % {"name": file_name})
    looks_right = (
        _photo_looks_like(data) if mime_type in PHOTO_TYPES else _audio_looks_like(mime_type, data)
    )
    if not looks_right:
        raise ValueError(
            _("“%(name)s”的内容不是 %(type)s 文件") % {"name": file_name, "type": mime_type}
        )
    return PlatformFile(file_name=file_name.strip()[:120], mime_type=mime_type, data=data)


def check_counts(files: list[PlatformFile]) -> None:
    photos = sum(1 for f in files if f.is_photo)
    if photos > MAX_PHOTOS:
        raise ValueError(_("照片最多 %(n)d 张") % {"n": MAX_PHOTOS})
    if len(files) - photos > MAX_RECORDINGS:
        raise ValueError(_("录音最多 %(n)d 段") % {"n": MAX_RECORDINGS})


def photos_of(files: list[PlatformFile]) -> list[tuple[str, CleanImage]]:
    """The photos among `files`, cleaned (or, in production, checked and queued for the
    cleaning job) and keyed by their digest, so the case keeps each once."""
    return [
        (
            PHOTO_KEY_PREFIX + f.digest[:40],
            clean_image(SimpleUploadedFile(f.file_name or "photo", f.data, f.mime_type)),
        )
        for f in files
        if f.is_photo
    ]


def recordings_keep(
    *,
    case: Case,
    order: HotlineOrder,
    files: list[PlatformFile],
    message: InboundMessage | None = None,
) -> list[Recording]:
    """The recordings among `files` that the case does not have yet, stored."""
    have = set(
        Recording.objects.filter(case=case, digest__in=[f.digest for f in files]).values_list(
            "digest", flat=True
        )
    )
    kept = []
    for f in files:
        if f.is_photo or f.digest in have:
            continue
        row = Recording(
            case=case,
            order=order,
            message=message,
            token=secrets.token_hex(8),
            mime_type=f.mime_type,
            size=len(f.data),
            file_name=f.file_name,
            digest=f.digest,
        )
        row.file.save("recording", ContentFile(f.data), save=False)
        row.save()
        have.add(f.digest)
        kept.append(row)
    return kept
