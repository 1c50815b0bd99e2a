"""What becomes of a camera's events: grouped into alerts, an alert into one case.

Every event is kept with its snapshot whatever it leads to. Under the camera's row lock, an
event joins the alert of its camera and type whose last sighting lies within the type's window
(and whose case is still open), or opens a new one: 自动派单 types make the case at once, 待确认
types wait on the desk, where a person makes the case or marks the alert a false alarm (误报:
later sightings of it stop there too). A camera under 维修 or 遮挡 has its events held.
"""

import hashlib
import io
import json
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from wangge.accounts.models import User
from wangge.cases import categories
from wangge.cases.actions import Event
from wangge.cases.models import OPEN_STATUSES, Case, CategorySource, Channel, Status
from wangge.cases.services import CITY_MANAGEMENT, CaseInput, case_intake
from wangge.cases.timeline import event_write
from wangge.core import raw
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.core.images import CleanImage, clean_bytes
from wangge.video import tasks
from wangge.video.models import (
    AlertMode,
    AlertState,
    Camera,
    EventOutcome,
    VideoAlert,
    VideoEvent,
    VideoEventType,
)

PLATFORM = "视频平台"
# The case's timeline shows the first sighting, then at most one row per this much time.
TIMELINE_EVERY = timedelta(minutes=10)
SNAPSHOT_FORMATS = {"JPEG": "jpg", "PNG": "png"}
MAX_SNAPSHOT_PIXELS = 16_000_000


@dataclass
class EventIn:
    event_id: str
    camera: str  # 编号 or 国标编码
    type: str
    occurred_at: datetime
    confidence: float
    box: list[float]
    snapshot: bytes
    review: bool = False  # 复核: a picture after the fix, not a sighting

    def fingerprint(self) -> str:
        key = [
            self.camera,
            self.type,
            self.occurred_at.isoformat(),
            round(self.confidence, 6),
            self.box,
            hashlib.sha256(self.snapshot).hexdigest(),
            self.review,
        ]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()


@dataclass
class Receipt:
    event: VideoEvent
    created: bool
    count: int | None = None  # the alert's sightings, this one included
    case_number: str | None = None


def snapshot_format(data: bytes) -> str:
    """The stored name's extension of a JPEG or PNG whose header is sound (the pixels are not
    decoded here: the thumbnail job does that); ValidationFailed otherwise."""
    try:
        with Image.open(io.BytesIO(data)) as img:
            kind, (w, h) = img.format or "", img.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationFailed(_("截图不是可识别的 JPEG 或 PNG 图片"), field="snapshot") from exc
    if kind not in SNAPSHOT_FORMATS:
        raise ValidationFailed(
            _("截图须为 JPEG 或 PNG（收到 %(f)s）") % {"f": kind}, field="snapshot"
        )
    if w * h > MAX_SNAPSHOT_PIXELS:
        raise ValidationFailed(
            _("截图像素过多（%(w)d×%(h)d）") % {"w": w, "h": h}, field="snapshot"
        )
    return SNAPSHOT_FORMATS[kind]


def _camera_locked_by_key(key: str) -> Camera:
    """The camera named by its 编号 or 国标编码, its row locked: one camera's events one at a
    time, so the count and the one case per alert stay exact. Written out: every event asks,
    and composing the ORM's query cost more than running it."""
    key = key.strip()
    connection = connections[router.db_for_write(Camera)]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    # Only placeholders and table names from the models go into the text.
    cameras = raw.reader(Camera)
    sql = f"SELECT {cameras.select_list('c')} FROM {Camera._meta.db_table} c"  # noqa: S608
    found = cameras.rows(
        f"{sql} WHERE c.code = %s OR c.gb_code = %s ORDER BY c.id LIMIT 1{lock}", [key, key]
    )
    if not found:
        raise ValidationFailed(
            _("未知摄像头“%(c)s”：请先导入摄像头清单") % {"c": key[:40]}, field="camera"
        )
    return found[0]


def _store_snapshot(camera: Camera, data: bytes, ext: str, when: datetime) -> str:
    local = timezone.localtime(when)
    name = f"video/{camera.pk}/{local:%Y%m%d}/{secrets.token_hex(8)}.{ext}"
    return default_storage.save(name, ContentFile(data))


def event_receive(data: EventIn) -> Receipt:
    """Keep the platform's event and do what its type says. Idempotent on `event_id`: the same
    event again answers as the first time; another event under that id is a Conflict.

    A resent event is found by the unique event_id when its insert fails (resending is rare;
    a look-up first would cost every event a query), and its snapshot is removed again."""
    fingerprint = data.fingerprint()
    ext = snapshot_format(data.snapshot) if data.snapshot else ""
    stored: list[str] = []
    try:
        with transaction.atomic():
            receipt = _file_event(data, fingerprint, ext, stored)
    except IntegrityError:
        _forget(stored)
        existing = (
            VideoEvent.objects.select_related("alert__case").filter(event_id=data.event_id).first()
        )
        if existing is None:
            raise
        return _answer(_same_or_conflict(existing, fingerprint), created=False)
    except BaseException:
        _forget(stored)
        raise
    return receipt


def _forget(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


def _answer(event: VideoEvent, *, created: bool) -> Receipt:
    alert = event.alert
    case = alert.case if alert is not None else None
    return Receipt(
        event,
        created,
        count=alert.count if alert is not None else None,
        case_number=case.number if case is not None else None,
    )


def _same_or_conflict(existing: VideoEvent, fingerprint: str) -> VideoEvent:
    if existing.content_hash != fingerprint:
        raise Conflict(_("事件编号“%(id)s”已存在且内容不同") % {"id": existing.event_id})
    return existing


def _queue_thumb(event_id: int) -> None:
    transaction.on_commit(lambda: tasks.video_thumb(event_id))


def _camera_locked(camera_id: int) -> Camera:
    return (
        Camera.objects.select_for_update(of=("self",)).select_related("facility").get(pk=camera_id)
    )


# A camera heard from within this long is not written again (it is online either way).
SEEN_EVERY = timedelta(minutes=1)


def _file_event(data: EventIn, fingerprint: str, ext: str, stored: list[str]) -> Receipt:
    camera = _camera_locked_by_key(data.camera)
    now = timezone.now()
    if camera.last_seen_at is None or now - camera.last_seen_at >= SEEN_EVERY:
        Camera.objects.filter(pk=camera.pk).update(last_seen_at=now)
    if ext:
        stored.append(_store_snapshot(camera, data.snapshot, ext, data.occurred_at))
    event = VideoEvent(
        event_id=data.event_id,
        camera=camera,
        type_code=data.type,
        occurred_at=data.occurred_at,
        confidence=data.confidence,
        box=data.box,
        snapshot=stored[0] if stored else "",
        content_hash=fingerprint,
    )
    if data.review:
        event.alert = _reviewed_alert(camera, data.occurred_at)
        event.outcome = EventOutcome.REVIEW
        event.save(force_insert=True)
        if event.alert is not None and event.alert.case is not None:
            _note(
                event.alert.case, _("视频平台复核截图（%(cam)s）") % {"cam": camera.facility.name}
            )
        if stored:
            _queue_thumb(event.pk)
        return _answer(event, created=True)
    kind = kind_for(data.type)
    thumb, case_number = False, None
    if camera.hold:
        event.outcome = EventOutcome.HELD
    elif kind is not None and not kind.is_active:
        event.outcome = EventOutcome.INACTIVE
    elif kind is not None and data.confidence < kind.min_confidence:
        event.outcome = EventOutcome.BELOW_FLOOR
    else:
        thumb, case_number = _join_or_open(camera, kind, event, None)
    event.save(force_insert=True)
    if thumb and stored:
        _queue_thumb(event.pk)
    alert = event.alert
    return Receipt(event, True, count=alert.count if alert else None, case_number=case_number)


_TYPES_TTL = 30.0
_types: dict[str, VideoEventType] = {}
_types_loaded = 0.0


def event_types() -> dict[str, VideoEventType]:
    """The operator's table by code, kept for 30 s (or until a row is saved in this process):
    every event asks. The objects are shared; never modify them."""
    global _types, _types_loaded
    if time.monotonic() - _types_loaded > _TYPES_TTL:
        _types = {t.code: t for t in VideoEventType.objects.all()}
        _types_loaded = time.monotonic()
    return _types


def invalidate_event_types(**_: object) -> None:
    global _types_loaded
    _types_loaded = 0.0


def kind_for(code: str) -> VideoEventType | None:
    """The operator's row for a type code; else, for a 数字城管 部件/事件 code (GB/T 30428.2, as a
    city-management system sends it: 事件0501, 部件0301), the catalogue leaf that lists it, made
    at once (a 监督员 has already checked what such a system sends). None: a code no one knows,
    which waits on the desk."""
    kind = event_types().get(code)
    if kind is not None:
        return kind
    leaf = categories.leaf_by_external(CITY_MANAGEMENT, code)
    if leaf is None:
        return None
    return VideoEventType(
        code=code, name=leaf.name, category_code=leaf.code, min_confidence=0, mode=AlertMode.AUTO
    )


def _window(kind: VideoEventType | None) -> timedelta:
    return timedelta(minutes=kind.window_minutes if kind else 30)


def _open_alert(
    camera: Camera, type_code: str, when: datetime, window: timedelta
) -> tuple[VideoAlert, str | None] | None:
    """The alert this sighting joins, with its case's number: of the camera and type, its last
    sighting within the window, its case (if any) still open."""
    connection = connections[router.db_for_write(VideoAlert)]
    adapt = connection.ops.adapt_datetimefield_value
    # Only placeholders and table names from the models go into the text.
    alerts = raw.reader(VideoAlert)
    sql = f"SELECT {alerts.select_list('a')} FROM {VideoAlert._meta.db_table} a"  # noqa: S608
    candidates = alerts.rows(
        f"{sql} WHERE a.camera_id = %s AND a.type_code = %s AND a.last_at >= %s"
        " AND a.first_at <= %s ORDER BY a.last_at DESC LIMIT 3",
        [camera.pk, type_code, adapt(when - window), adapt(when + window)],
    )
    case_sql = f"SELECT status, number FROM {Case._meta.db_table} WHERE id = %s"  # noqa: S608
    for alert in candidates:
        if alert.case_id is None:
            return alert, None
        with connection.cursor() as cursor:
            cursor.execute(case_sql, [alert.case_id])
            status, number = cursor.fetchone()
        if status in OPEN_STATUSES:
            return alert, number
    return None


# Thumbnails for the sightings the pages show first: an alert's first, then one a minute. The
# others keep their snapshot, shown in full when opened; a box seeing one thing 200 times an
# hour would otherwise have the worker draw 200 thumbnails nobody looks at.
THUMB_EVERY = timedelta(minutes=1)


def _join_or_open(
    camera: Camera, kind: VideoEventType | None, event: VideoEvent, actor: User | None
) -> tuple[bool, str | None]:
    """Files the event under its alert (a new one if none is open). Answers whether its
    snapshot is to have a thumbnail, and the alert's case number."""
    when = event.occurred_at
    found = _open_alert(camera, event.type_code, when, _window(kind))
    if found is None:
        alert = VideoAlert.objects.create(
            camera=camera,
            type_code=event.type_code,
            event_type=kind if kind is not None and kind.pk else None,
            state=AlertState.PENDING,
            first_at=when,
            last_at=when,
            count=1,
            max_confidence=event.confidence,
            grid_path=camera.facility.grid_path,
            thumbed_at=when,
        )
        event.alert = alert
        if kind is not None and kind.mode == AlertMode.AUTO and kind.category_code:
            case = _make_case(alert, camera, kind, event, actor)
            event.outcome = EventOutcome.CASED
            return True, case.number
        event.outcome = EventOutcome.PENDING
        return True, None
    alert, case_number = found
    changes: dict[str, object] = {
        "count": F("count") + 1,
        "first_at": min(alert.first_at, when),
        "last_at": max(alert.last_at, when),
        "max_confidence": max(alert.max_confidence, event.confidence),
        "updated_at": timezone.now(),
    }
    thumb = alert.thumbed_at is None or when - alert.thumbed_at >= THUMB_EVERY
    if thumb:
        changes["thumbed_at"] = when
    noted = alert.case_id is not None and (
        alert.noted_at is None or when - alert.noted_at >= TIMELINE_EVERY
    )
    if noted:
        changes["noted_at"] = when
    # Under the camera's lock: the count read with the alert is the count.
    VideoAlert.objects.filter(pk=alert.pk).update(**changes)
    alert.count += 1
    event.alert = alert
    event.outcome = {
        AlertState.CASED: EventOutcome.GROUPED,
        AlertState.PENDING: EventOutcome.PENDING,
        AlertState.DISMISSED: EventOutcome.DISMISSED,
    }[AlertState(alert.state)]
    if noted:
        _note(
            Case.objects.get(pk=alert.case_id or 0),
            _("视频平台再次识别到“%(type)s”（第 %(n)d 次，置信度 %(c).2f）")
            % {"type": _type_name(kind, event.type_code), "n": alert.count, "c": event.confidence},
        )
    return thumb, case_number


def _type_name(kind: VideoEventType | None, code: str) -> str:
    return kind.name if kind else code


def _note(case: Case, text: str) -> None:
    event_write(case, action=Event.SUPPLEMENT, actor=None, note=text, actor_label=PLATFORM)


def _snapshot_photo(event: VideoEvent) -> list[CleanImage]:
    name = event.snapshot.name
    if not name:
        return []
    # Stored a moment ago by this request: read back for the case's own photo.
    with default_storage.open(name, "rb") as fh:
        return [clean_bytes(fh.read())]


def _make_case(
    alert: VideoAlert,
    camera: Camera,
    kind: VideoEventType | None,
    event: VideoEvent,
    actor: User | None,
    description: str = "",
    category_code: str = "",
) -> Case:
    type_name = _type_name(kind, event.type_code)
    local = timezone.localtime(event.occurred_at)
    text = description or _("视频AI识别：%(cam)s 于 %(when)s 发现“%(type)s”（置信度 %(c).2f）") % {
        "cam": camera.facility.name,
        "when": f"{local:%m-%d %H:%M}",
        "type": type_name,
        "c": event.confidence,
    }
    case, _created = case_intake(
        data=CaseInput(
            description=text,
            title=_("%(type)s（%(cam)s）") % {"type": type_name, "cam": camera.facility.name},
            category_code=category_code or (kind.category_code if kind else ""),
            category_source=CategorySource.STAFF if actor else CategorySource.PLATFORM,
            lon=camera.lon,
            lat=camera.lat,
            crs="wgs84",
            address=camera.facility.name,
            channel=Channel.VIDEO,
            external_id=f"VA-{alert.pk}",
        ),
        actor=actor,
        photos=_snapshot_photo(event),
    )
    VideoAlert.objects.filter(pk=alert.pk).update(
        state=AlertState.CASED, case=case, noted_at=event.occurred_at
    )
    alert.state, alert.case, alert.noted_at = AlertState.CASED, case, event.occurred_at
    return case


def _reviewed_alert(camera: Camera, when: datetime) -> VideoAlert | None:
    """The camera's alert whose case waits for its 复核 picture: resolved, not yet verified."""
    return (
        VideoAlert.objects.select_related("case")
        .filter(camera=camera, case__status=Status.RESOLVED, last_at__lt=when)
        .order_by("-last_at")
        .first()
    )


# --- the desk -------------------------------------------------------------------------------


@transaction.atomic
def alert_confirm(*, alert_id: int, actor: User, category_code: str = "", note: str = "") -> Case:
    """待确认 → a case, routed to the camera's micro-grid, with the latest snapshot."""
    alert = _alert_locked(alert_id)
    if alert.state == AlertState.CASED and alert.case is not None:
        return alert.case
    kind = alert.event_type
    code = category_code or (kind.category_code if kind else "")
    if not code:
        raise ValidationFailed(_("请选择事项分类"), field="category")
    latest = alert.events.order_by("-occurred_at", "-pk").first()
    if latest is None:
        raise NotFound(_("告警没有事件"))
    alert.decided_by, alert.decided_at = actor, timezone.now()
    alert.save(update_fields=["decided_by", "decided_at", "updated_at"])
    description = ""
    if note.strip():
        description = f"{note.strip()}（{_type_name(kind, alert.type_code)}，{alert.count} 次识别）"
    case = _make_case(alert, alert.camera, kind, latest, actor, description, code)
    VideoEvent.objects.filter(alert=alert, outcome=EventOutcome.PENDING).update(
        outcome=EventOutcome.GROUPED
    )
    return case


@transaction.atomic
def alert_dismiss(*, alert_id: int, actor: User) -> VideoAlert:
    """误报: the alert and its later sightings stay off the case list."""
    alert = _alert_locked(alert_id)
    if alert.state == AlertState.CASED:
        raise Conflict(_("该告警已立案，请在案件中处理"))
    alert.state = AlertState.DISMISSED
    alert.decided_by, alert.decided_at = actor, timezone.now()
    alert.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    VideoEvent.objects.filter(alert=alert, outcome=EventOutcome.PENDING).update(
        outcome=EventOutcome.DISMISSED
    )
    return alert


def _alert_locked(alert_id: int) -> VideoAlert:
    camera_id = VideoAlert.objects.filter(pk=alert_id).values_list("camera_id", flat=True).first()
    if camera_id is None:
        raise NotFound(_("告警不存在"))
    # The camera's lock first, as its events take it: no sighting lands between the two.
    Camera.objects.select_for_update().filter(pk=camera_id).first()
    alert = (
        VideoAlert.objects.select_for_update(of=("self",))
        .select_related("camera__facility", "event_type", "case")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise NotFound(_("告警不存在"))
    return alert


@transaction.atomic
def camera_hold_set(*, camera_id: int, hold: str) -> Camera:
    camera = Camera.objects.select_for_update().get(pk=camera_id)
    camera.hold = hold
    camera.save(update_fields=["hold", "updated_at"])
    return camera


# --- pictures taken from the player ---------------------------------------------------------

MANUAL_TYPE = "截图立案"


@transaction.atomic
def snapshot_case(
    *, camera_id: int, actor: User, image: bytes, description: str, category_code: str
) -> Case:
    """截图立案: a frame the viewer took from the live stream starts a case in the camera's
    micro-grid, the frame its photo."""
    if not description.strip():
        raise ValidationFailed(_("请填写问题描述"), field="description")
    if not category_code:
        raise ValidationFailed(_("请选择事项分类"), field="category")
    camera = _camera_locked(camera_id)
    now = timezone.now()
    event = _staff_event(camera, actor, image, now, MANUAL_TYPE)
    alert = VideoAlert.objects.create(
        camera=camera,
        type_code=MANUAL_TYPE,
        state=AlertState.PENDING,
        first_at=now,
        last_at=now,
        max_confidence=1.0,
        grid_path=camera.facility.grid_path,
        decided_by=actor,
        decided_at=now,
    )
    event.alert, event.outcome = alert, EventOutcome.CASED
    event.save(force_insert=True)
    _queue_thumb(event.pk)
    return _make_case(alert, camera, None, event, actor, description.strip(), category_code)


@transaction.atomic
def snapshot_review(*, camera_id: int, actor: User, image: bytes, case_id: int) -> VideoEvent:
    """复核: a frame after the fix, from the camera that saw the problem, on the case."""
    camera = _camera_locked(camera_id)
    alert = VideoAlert.objects.select_related("case").filter(case_id=case_id).first()
    if alert is None or alert.camera_id != camera.pk:
        raise ValidationFailed(_("复核截图须取自发现该问题的摄像头"), field="camera")
    now = timezone.now()
    event = _staff_event(camera, actor, image, now, alert.type_code)
    event.alert, event.outcome = alert, EventOutcome.REVIEW
    event.save(force_insert=True)
    _queue_thumb(event.pk)
    assert alert.case is not None
    _note(
        alert.case,
        _("%(who)s从监控截图复核（%(cam)s）") % {"who": actor.name, "cam": camera.facility.name},
    )
    return event


def _staff_event(
    camera: Camera, actor: User, image: bytes, now: datetime, type_code: str
) -> VideoEvent:
    ext = snapshot_format(image)
    name = _store_snapshot(camera, image, ext, now)
    event = VideoEvent(
        event_id=f"staff-{secrets.token_hex(12)}",
        camera=camera,
        type_code=type_code,
        occurred_at=now,
        confidence=1.0,
        snapshot=name,
        content_hash=hashlib.sha256(image).hexdigest(),
        taken_by=actor,
    )
    return event
