"""Photos people upload: accepted only if they are real images, and stored clean.

Every photo is decoded and re-encoded as JPEG. That drops EXIF (a phone photo's GPS position and
device serial are personal data), applies the orientation first so nothing appears sideways, caps
the size, and means the stored bytes are ours, never a file that merely claims to be an image.
Beside each photo a small thumbnail is stored for lists and timelines.

Decoding is where an upload can cost us: a 0.3 MB PNG can say it is 7000×7000 and take
seconds of CPU and over a hundred MB of memory to decode. So the pixel count is read from the header
and checked before anything is decoded, with a generous cap for baseline JPEG, which decodes at 1/2,
1/4 or 1/8 scale in the DCT (`Image.draft`: a 48 MP phone photo costs about what a 3 MP one
does), and a lower one for everything that must be decoded in full: PNG, WebP, GIF, and
progressive JPEG. A progressive JPEG is drafted too, but only its last step is cheaper: every
scan of every coefficient of the full picture is still read and kept (a 49 MP one of 575 KB cost
six times a baseline one, docs/benchmarks.md). Phones' cameras write baseline JPEG, at up to
50 MP; progressive JPEGs come from apps and editors that re-save a picture, at a few megapixels.

Even so a photo costs a tenth of a second of CPU, and a report carries up to nine: cleaned on the
request's thread, four such reports at once hold every thread of a node, and a bystander's tap
waits seconds behind them (docs/benchmarks.md). So in production a request only checks the
header (format and pixel count: a refusal still comes at once, in Chinese) and keeps the bytes
as sent in `pending/`, a folder no app registers, so /media/ never serves them (their EXIF is
still in them); the job `photo_clean` decodes and re-encodes them once the row is
committed, and until then pages show a placeholder (`core.media.PENDING_PICTURE`). Tests and
seeding clean in the request (`PHOTOS_CLEANED_BY_JOB`), where nothing waits behind them.
"""

import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task
from PIL import Image, ImageOps, UnidentifiedImageError

from wangge.core.errors import ValidationFailed
from wangge.core.media import PENDING_FOLDER

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# The stored original's long side. 2000 px shows a pothole or a pile of rubbish in full detail
# on any phone, and lets a 12 MP photo (4000×3000, 4032×3024) decode at half scale.
MAX_SIDE = 2000
# Lists and timelines show this (long side); the original opens on a tap.
THUMB_SIDE = 480
# JPEG: 48 and 50 MP phone sensors (8160×6144 = 50.1 MP) fit; drafted to 1/4 they decode as
# about 3 MP. Progressive JPEGs still hold every DCT coefficient (about 3 bytes a pixel), so the
# cap also bounds that memory.
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
    # The upload as sent, its header checked: `content` is those bytes and `thumb` is empty
    # until the job has cleaned them (`store_image` keeps them in PENDING_FOLDER).
    pending: bool = False


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


def _check_header(img: Image.Image) -> tuple[int, int]:
    """The opened (not decoded) image's size, if its format and pixel count are ones we take."""
    if img.format not in ALLOWED_FORMATS:
        raise ValidationFailed(_("只接受 JPEG、PNG、WebP 或 GIF 图片"))
    width, height = img.size
    if width * height > decoded_pixels_cap(img):
        raise _too_many_pixels(width, height, decoded_pixels_cap(img))
    return width, height


def _decode(data: bytes) -> Image.Image:
    """The upright RGB picture, no larger than MAX_SIDE, refused before decoding if its header
    promises too many pixels."""
    with Image.open(io.BytesIO(data)) as img:
        width, height = _check_header(img)
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
        # looks the same as bicubic at half its cost, and this pass was half a photo's time.
        picture.thumbnail(
            (MAX_SIDE, MAX_SIDE), resample=Image.Resampling.BILINEAR, reducing_gap=1.0
        )
        return ImageOps.exif_transpose(picture).convert("RGB")


def _opened(data: bytes, read: Any) -> Any:
    """`read(data)`, with Pillow's and the decoders' own complaints said in Chinese."""
    try:
        return read(data)
    except Image.DecompressionBombError as exc:
        # Past twice Pillow's limit the header is refused inside Image.open, before our check.
        raise ValidationFailed(
            _("图片像素过多，请上传不超过 %(limit)d 万像素的图片")
            % {"limit": MAX_JPEG_PIXELS // 10_000}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed(_("文件不是有效的图片")) from exc


def _header_size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as img:
        return _check_header(img)


def clean_bytes(data: bytes, token: str | None = None) -> CleanImage:
    """Decode and re-encode an upload's bytes: the stored JPEG and its thumbnail."""
    rgb: Image.Image = _opened(data, _decode)
    width, height = rgb.size
    original = _jpeg(rgb, quality=85)
    rgb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    thumb = _jpeg(rgb, quality=80)
    token = token or secrets.token_hex(8)
    return CleanImage(
        content=ContentFile(original, name=f"{token}.jpg"),
        thumb=ContentFile(thumb, name=f"{token}.thumb.jpg"),
        token=token,
        width=width,
        height=height,
    )


def clean_image(upload: UploadedFile, *, by_job: bool | None = None) -> CleanImage:
    """An upload taken as a photo: refused at once (in Chinese) if it is too large, not an image
    of ours or has too many pixels; cleaned here, or (`by_job`, settings.PHOTOS_CLEANED_BY_JOB
    by default) kept as sent for the job to clean once its row is stored."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("图片不能超过 10 MB"))
    if by_job is None:
        by_job = settings.PHOTOS_CLEANED_BY_JOB
    if not by_job:
        return clean_bytes(data)
    width, height = _opened(data, _header_size)
    token = secrets.token_hex(8)
    return CleanImage(
        content=ContentFile(data, name=f"{token}.upload"),
        thumb=ContentFile(b"", name=f"{token}.thumb.jpg"),
        token=token,
        width=width,
        height=height,
        pending=True,
    )


def clean_images(uploads: list[UploadedFile]) -> list[CleanImage]:
    if len(uploads) > MAX_PHOTOS:
        raise ValidationFailed(_("最多上传 %(n)d 张图片") % {"n": MAX_PHOTOS})
    return [clean_image(u) for u in uploads]


def store_image(row: Any, image: CleanImage, field: str = "image") -> None:
    """Write a cleaned photo into `row`'s image field, and its thumbnail into `thumb` where the
    model has one, then save the row. Stored names are the clean image's own token, never the
    uploader's file name; size fields are filled where the model has them. A pending photo is
    kept in PENDING_FOLDER and its cleaning queued for when the row is committed."""
    fields = [field]
    for attr, value in (("token", image.token), ("width", image.width), ("height", image.height)):
        if hasattr(row, attr):
            setattr(row, attr, value)
            fields.append(attr)
    if image.pending:
        name = default_storage.save(f"{PENDING_FOLDER}/{image.token}.upload", image.content)
        getattr(row, field).name = name
        row.save()
        label, pk = row._meta.label, row.pk
        transaction.on_commit(lambda: _queue_clean(label, pk, field, name))
        return
    getattr(row, field).save(image.content.name or f"{image.token}.jpg", image.content, save=False)
    if hasattr(row, "thumb"):
        row.thumb.save(image.thumb.name or f"{image.token}.thumb.jpg", image.thumb, save=False)
        fields.append("thumb")
    if row.pk is None:
        row.save()
    else:  # the job's second write: only what it changed, whatever else moved meanwhile
        row.save(update_fields=fields)


def _queue_clean(label: str, pk: int, field: str, name: str) -> None:
    try:
        photo_clean(label, pk, field, name)
    except Exception:
        # The queue is away (Redis restarting): the report is stored and answered all the same,
        # and `photos_pending_rescue` queues the photo again once it has waited a while.
        logger.warning("photo %s of %s %s not queued; the rescue sweep will", name, label, pk)


def photos_pending(older_than: float) -> list[tuple[str, int, str, str]]:
    """Photos still kept as sent whose file is older than `older_than` seconds: (model label,
    row id, field, stored name), from every model with an image field."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    found: list[tuple[str, int, str, str]] = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.ImageField):
                continue
            rows = model._default_manager.filter(
                **{f"{field.name}__startswith": PENDING_FOLDER + "/"}
            ).values_list("pk", field.name)
            for pk, name in rows:
                try:
                    modified = default_storage.get_modified_time(name)
                except OSError:
                    continue  # gone already: the job that cleaned it removed it
                if modified <= cutoff:
                    found.append((model._meta.label, pk, field.name, name))
    return found


# A photo taken at the door is cleaned within seconds; a failure (storage briefly away) is tried
# again, and a file the decoder refuses after its header passed is dropped with its row.
@db_task(retries=3, retry_delay=30)
def photo_clean(label: str, pk: int, field: str, name: str) -> str:
    """Clean an upload kept as sent in `pending/` (core.images) and put the clean JPEG and its
    thumbnail in the row's place; answers what became of it."""
    model = apps.get_model(label)
    row = model._default_manager.filter(pk=pk).first()
    if row is None or getattr(row, field).name != name:
        # The row went (its case deleted) or was cleaned by an earlier try: nothing to keep.
        if default_storage.exists(name):
            default_storage.delete(name)
        return "gone"
    with default_storage.open(name, "rb") as pending:
        data = pending.read()
    try:
        image = clean_bytes(data, token=getattr(row, "token", None) or None)
    except ValidationFailed as exc:
        # The header was a picture's, the rest was not (a cut-off upload): there is nothing to
        # show, and a row with no picture would show a broken one.
        logger.warning("photo %s of %s %s dropped: %s", name, label, pk, exc)
        row.delete()
        default_storage.delete(name)
        return "refused"
    store_image(row, image, field)
    default_storage.delete(name)
    return "cleaned"
