"""Who sees which camera, snapshot and alert: staff whose grid holds the camera, no one else."""

import math
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.errors import NotFound
from wangge.core.scope import in_scope
from wangge.video.models import AlertState, Camera, VideoAlert, VideoEvent


def cameras_visible(user: User) -> QuerySet[Camera]:
    if not user.is_authenticated or not user.is_grid_staff:
        return Camera.objects.none()
    return in_scope(user, Camera.objects.select_related("facility"), "facility__grid_path")


def access_camera(user: User, camera_id: int) -> Camera:
    found = cameras_visible(user).filter(pk=camera_id).first()
    if found is None:
        raise NotFound(_("摄像头不存在或无权查看"))
    return found


def is_online(camera: Camera) -> bool:
    if camera.last_seen_at is None:
        return False
    return timezone.now() - camera.last_seen_at <= timedelta(minutes=settings.VIDEO_ONLINE_MINUTES)


def alerts_visible(user: User) -> QuerySet[VideoAlert]:
    if not user.is_authenticated or not user.is_grid_staff:
        return VideoAlert.objects.none()
    return in_scope(user, VideoAlert.objects.all(), "grid_path")


def alerts_pending(user: User) -> QuerySet[VideoAlert]:
    return (
        alerts_visible(user)
        .filter(state=AlertState.PENDING)
        .select_related("camera__facility", "event_type")
        .order_by("-last_at")
    )


def access_alert(user: User, alert_id: int) -> VideoAlert:
    found = alerts_visible(user).select_related("camera__facility", "event_type", "case")
    alert = found.filter(pk=alert_id).first()
    if alert is None:
        raise NotFound(_("告警不存在或无权查看"))
    return alert


def events_of(alert: VideoAlert) -> QuerySet[VideoEvent]:
    return alert.events.order_by("-occurred_at", "-pk")


def snapshot_visible(user: User, name: str) -> bool:
    """A stored snapshot (or its thumbnail) is shown to staff whose grid holds its camera."""
    row = (
        VideoEvent.objects.filter(snapshot=name).values_list("camera_id", flat=True).first()
        or VideoEvent.objects.filter(thumb=name).values_list("camera_id", flat=True).first()
    )
    return row is not None and cameras_visible(user).filter(pk=row).exists()


NEAR_METRES = 300
NEAR_MAX = 5


def cameras_near(user: User, lon: float, lat: float) -> list[tuple[Camera, int]]:
    """The viewer's cameras with a stream within NEAR_METRES of a point, nearest first, with
    their distance in metres."""
    dlat = NEAR_METRES / 111_320
    dlon = dlat / max(0.1, math.cos(math.radians(lat)))
    rows = (
        cameras_visible(user)
        .exclude(stream_url="")
        .filter(lon__range=(lon - dlon, lon + dlon), lat__range=(lat - dlat, lat + dlat))
    )
    found = []
    for camera in rows[:200]:
        dx = (camera.lon - lon) * 111_320 * math.cos(math.radians(lat))
        dy = (camera.lat - lat) * 111_320
        metres = math.hypot(dx, dy)
        if metres <= NEAR_METRES:
            found.append((camera, round(metres)))
    return sorted(found, key=lambda pair: pair[1])[:NEAR_MAX]
