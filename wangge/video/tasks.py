"""The video jobs: a thumbnail for each stored snapshot (never made in the request, which must
take hundreds of events a second), and the probe that says which cameras are online."""

import io
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task
from PIL import Image, UnidentifiedImageError

from wangge.video.models import Camera, VideoEvent

logger = logging.getLogger(__name__)
THUMB_SIDE = 320


def thumb_make(event_id: int) -> str:
    event = VideoEvent.objects.filter(pk=event_id).only("snapshot", "thumb").first()
    if event is None or not event.snapshot.name or event.thumb:
        return "none"
    stored: str = event.snapshot.name
    try:
        with default_storage.open(stored, "rb") as fh, Image.open(fh) as img:
            img.draft("RGB", (THUMB_SIDE, THUMB_SIDE))
            rgb = img.convert("RGB")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        # The header was sound but the pixels are not (a cut-off upload): the original stays
        # for whoever wants to look; there is no thumbnail to make.
        logger.warning("video snapshot %s: no thumbnail: %s", stored, exc)
        return "broken"
    rgb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=80)
    base = stored.rsplit(".", 1)[0]
    name = default_storage.save(
        f"{base}.{secrets.token_hex(4)}.thumb.jpg", ContentFile(out.getvalue())
    )
    VideoEvent.objects.filter(pk=event_id).update(thumb=name)
    return "made"


@db_task(retries=3, retry_delay=30)
def video_thumb(event_id: int) -> str:
    return thumb_make(event_id)


def probe_one(camera: Camera, timeout: float) -> bool:
    """Whether the camera's stream answers on the gateway (an HLS playlist or the first bytes
    of an HTTP-FLV stream)."""
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True) as client,
            client.stream("GET", camera.stream_url) as reply,
        ):
            if reply.status_code != 200:
                return False
            for chunk in reply.iter_bytes():
                return bool(chunk)
    except httpx.HTTPError:
        return False
    return False


def cameras_probe() -> int:
    """Probe the streams of cameras not heard from lately; returns how many answered."""
    quiet = timezone.now() - timedelta(minutes=settings.VIDEO_ONLINE_MINUTES / 2)
    cameras = list(Camera.objects.exclude(stream_url="").exclude(last_seen_at__gte=quiet))
    # A gateway answers slowly for a camera that is down: ask several at once.
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda c: probe_one(c, settings.VIDEO_PROBE_TIMEOUT), cameras))
    up = [c.pk for c, ok in zip(cameras, results, strict=True) if ok]
    Camera.objects.filter(pk__in=up).update(last_seen_at=timezone.now())
    return len(up)


@db_periodic_task(crontab(minute="*/5"))
def probe_cameras() -> int:
    """Every five minutes: is each quiet camera's stream still there?"""
    return cameras_probe()
