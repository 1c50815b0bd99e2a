"""Photos people upload: accepted only if they are real images, and stored clean.

Every photo is decoded and re-encoded as JPEG. That drops EXIF (a phone photo's GPS position and
device serial are personal data), applies the orientation first so nothing appears sideways, caps
the size, and means the stored bytes are ours, never a file that merely claims to be an image.
Beside each photo a small thumbnail is stored for lists and timelines.

Decoding is where an upload can cost us: a 0.3 MB PNG can say it is 7000×7000 and take two
seconds of CPU and 150 MB of memory to decode. So the pixel count is read from the header and
checked before anything is decoded, with a generous cap for baseline JPEG, which decodes at 1/2,
1/4 or 1/8 scale in the DCT (`Image.draft`: a 48 MP phone photo costs about what a 3 MP one
does), and a lower one for everything that must be decoded in full: PNG, WebP, GIF, and
progressive JPEG. A progressive JPEG is drafted too, but only its last step is cheaper: every
scan of every coefficient of the full picture is still read and kept (a 49 MP one of 575 KB cost
six times a baseline one, docs/benchmarks.md). Phones' cameras write baseline JPEG, at up to
50 MP; progressive JPEGs come from apps and editors that re-save a picture, at a few megapixels.
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
# The stored original's long side. 2000 px shows a pothole or a pile of rubbish in full detail
# on any phone, and lets a 12 MP photo (4000×3000, 4032×3024) decode at half scale.
MAX_SIDE = 2000
# Lists and timelines show this (long side); the original opens on a tap.
THUMB_SIDE = 480
# JPEG: 48 and 50 MP phone sensors (8160×6144 = 50.1 MP) fit; drafted to 1/4 they decode as
# about 3 MP. Progressive JPEGs still hold every DCT coefficient (about 3 bytes a pixel), so the
# cap also bounds that memory to some 150 MB.
MAX_JPEG_PIXELS = 52_000_000
# PNG, WebP, GIF cannot be drafted, nor can a progressive JPEG's scans be skipped: every pixel
# is decoded (a 4000×4000 PNG is about 0.5 s here, a progressive JPEG of that size 0.1 s).
MAX_OTHER_PIXELS = 16_000_000
DRAFTABLE = {"JPEG", "MPO"}  # MPO: the multi-picture JPEG some phones write
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "MPO"}
MAX_PHOTOS = 9

# Pillow's own guard for every image the process opens (its error comes at twice this): far
# below its default of 89 MP, so anything past our caps that slipped through another path would
# still be refused rather than decoded.
Image.MAX_IMAGE_PIXELS = MAX_JPEG_PIXELS


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile[bytes]
    thumb: ContentFile[bytes]
    token: str
    width: int
    height: int


def _too_many_pixels(width: int, height: int, limit: int) -> ValidationFailed:
    return ValidationFailed(
        _("图片像素过多（%(w)d×%(h)d），请上传不超过 %(limit)d 万像素的图片")
        % {"w": width, "h": height, "limit": limit // 10_000}
    )


def _jpeg(img: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


def decoded_pixels_cap(img: Image.Image) -> int:
    """The most pixels an opened (not yet decoded) image may have: the generous cap only where
    decoding at reduced scale really is cheaper, a baseline JPEG."""
    if img.format in DRAFTABLE and not img.info.get("progressive"):
        return MAX_JPEG_PIXELS
    return MAX_OTHER_PIXELS


def _decode(data: bytes) -> Image.Image:
    """The upright RGB picture, no larger than MAX_SIDE, refused before decoding if its header
    promises too many pixels."""
    with Image.open(io.BytesIO(data)) as img:
        if img.format not in ALLOWED_FORMATS:
            raise ValidationFailed(_("只接受 JPEG、PNG、WebP 或 GIF 图片"))
        width, height = img.size
        if width * height > decoded_pixels_cap(img):
            raise _too_many_pixels(width, height, decoded_pixels_cap(img))
        picture: Image.Image = img
        if img.format in DRAFTABLE:
            # Ask for the box the stored copy will fill; the decoder picks the largest
            # power-of-two reduction that still covers it.
            scale = MAX_SIDE / max(width, height)
            if scale < 1:
                img.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
        elif img.mode not in ("RGB", "L"):
            picture = img.convert("RGB")  # palette and alpha images resample badly as they are
        # Shrink first, so turning and converting touch the stored size, not the upload's (the
        # box is square: which way up the picture is does not matter yet). A reducing gap of 1
        # halves by averaging pixel blocks before the resampling pass: same look, a third the
        # time. What is left is a reduction by less than two (a drafted 2016 px to 2000 px),
        # where Pillow's bilinear filter (a triangle as wide as the reduction, so no aliasing)
        # looks the same as bicubic at half its cost: 60 of a photo's 130 ms were this pass.
        picture.thumbnail(
            (MAX_SIDE, MAX_SIDE), resample=Image.Resampling.BILINEAR, reducing_gap=1.0
        )
        return ImageOps.exif_transpose(picture).convert("RGB")


def clean_image(upload: UploadedFile) -> CleanImage:
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    try:
        rgb = _decode(data)
    except Image.DecompressionBombError as exc:
        # Past twice Pillow's limit the header is refused inside Image.open, before our check.
        raise ValidationFailed(
            _("图片像素过多，请上传不超过 %(limit)d 万像素的图片")
            % {"limit": MAX_JPEG_PIXELS // 10_000}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(_("文件不是有效的图片")) from exc
    width, height = rgb.size
    original = _jpeg(rgb, quality=85)
    rgb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumb = _jpeg(rgb, quality=80)
    token = secrets.token_hex(8)
    return CleanImage(
        content=ContentFile(original, name=f"{token}.jpg"),
        thumb=ContentFile(thumb, name=f"{token}.thumb.jpg"),
        token=token,
        width=width,
        height=height,
    )


def clean_images(uploads: list[UploadedFile]) -> list[CleanImage]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(_("最多上传 %(n)d 张图片") % {"n": MAX_PHOTOS})
    return [clean_image(u) for u in uploads]


def store_image(row: Any, image: CleanImage, field: str = "image") -> None:
    """Write a cleaned photo into `row`'s image field, and its thumbnail into `thumb` where the
    model has one, then save the row. Stored names are the clean image's own token, never the
    uploader's file name; size fields are filled where the model has them."""
    for attr, value in (("token", image.token), ("width", image.width), ("height", image.height)):
        if hasattr(row, attr):
            setattr(row, attr, value)
    getattr(row, field).save(image.content.name or f"{image.token}.jpg", image.content, save=False)
    if hasattr(row, "thumb"):
        row.thumb.save(image.thumb.name or f"{image.token}.thumb.jpg", image.thumb, save=False)
    row.save()
