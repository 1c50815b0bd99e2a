"""Photos people upload: accepted only if they are real images, and stored clean.

Every photo is decoded and re-encoded as JPEG. That drops EXIF (a phone photo's GPS position and
device serial are personal data), applies the orientation first so nothing appears sideways, caps
the size, and means the stored bytes are ours, never a file that merely claims to be an image.
"""

import io
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from wangge.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 2560
MAX_PIXELS = 50_000_000  # refuse decompression bombs before decoding
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 9


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile[bytes]
    token: str
    width: int
    height: int


def clean_image(upload: UploadedFile) -> CleanImage:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise ValidationFailed(_("只接受 JPEG、PNG、WebP 或 GIF 图片"))
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationFailed(_("图片尺寸过大"))
            probe.verify()
        with Image.open(io.BytesIO(data)) as original:
            upright = ImageOps.exif_transpose(original)
            rgb = upright.convert("RGB")
            rgb.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=85, optimize=True)
            width, height = rgb.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(_("文件不是有效的图片")) from exc
    token = secrets.token_hex(8)
    return CleanImage(
        content=ContentFile(out.getvalue(), name=f"{token}.jpg"),
        token=token,
        width=width,
        height=height,
    )


def clean_images(uploads: list[UploadedFile]) -> list[CleanImage]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(_("最多上传 %(n)d 张图片") % {"n": MAX_PHOTOS})
    return [clean_image(u) for u in uploads]


def store_image(row: Any, image: CleanImage, field: str = "image") -> None:
    """Write a cleaned photo into `row`'s image field and save the row. The stored name is the
    clean image's own token, never the uploader's file name; size fields are filled where the
    model has them."""
    for attr, value in (("token", image.token), ("width", image.width), ("height", image.height)):
        if hasattr(row, attr):
            setattr(row, attr, value)
    getattr(row, field).save(image.content.name or f"{image.token}.jpg", image.content, save=False)
    row.save()
