"""The video platform's side (docs/video.md): its AI box's events in, signed; and for staff, the
cameras of their grids as GeoJSON for the map.

POST /api/v1/video/events carries no account: the platform signs each body with the key both
sides hold. `X-Wangge-Timestamp` is the sending time in Unix seconds and `X-Wangge-Signature`
is `sha256=<hex>` of HMAC-SHA256 over `<timestamp>.<body>`; a request without them, older than
VIDEO_SIGNATURE_MAX_AGE or signed wrongly is refused with 401, the first two before its body is
read. The event is idempotent on `event_id`.
"""

import base64
import binascii
import hmac
import time
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply
from pydantic import field_validator

from wangge.core.errors import DomainError, ValidationFailed
from wangge.core.schemas import ApiDateTime, BodyIn, read_body, validate_body
from wangge.core.web import AuthedRequest
from wangge.video import selectors, services, signing
from wangge.video.models import CameraType, CameraUnit
from wangge.video.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER

router = Router(tags=["鹰眼视频"])


class Detail(Schema):
    detail: str


class SignatureInvalid(DomainError):
    status_code = 401


class TooLarge(DomainError):
    status_code = 413


def _headers_checked(request: HttpRequest) -> tuple[str, str, str]:
    """The key, timestamp and signature, refused before the body is read when any is missing
    or the timestamp is stale; and a body too large is refused before it is read too."""
    secret = settings.VIDEO_PLATFORM_SECRET
    if not secret:
        raise SignatureInvalid(_("本系统未配置视频平台密钥（VIDEO_PLATFORM_SECRET），不接收事件"))
    stamp = request.headers.get(TIMESTAMP_HEADER, "").strip()
    signature = request.headers.get(SIGNATURE_HEADER, "").strip()
    if not stamp or not signature:
        raise SignatureInvalid(
            _("缺少签名：请求头须带 %(t)s（Unix 秒）与 %(s)s（sha256=HMAC-SHA256）")
            % {"t": TIMESTAMP_HEADER, "s": SIGNATURE_HEADER}
        )
    try:
        sent = int(stamp)
    except ValueError as exc:
        raise SignatureInvalid(_("时间戳须为 Unix 秒")) from exc
    if abs(time.time() - sent) > settings.VIDEO_SIGNATURE_MAX_AGE:
        raise SignatureInvalid(
            _("时间戳与本机时间相差超过 %(n)d 秒：请求已过期或时钟不准，拒绝重放")
            % {"n": settings.VIDEO_SIGNATURE_MAX_AGE}
        )
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > max_body_bytes():
        raise TooLarge(
            _("请求体过大：截图不超过 %(n)d KB") % {"n": settings.VIDEO_SNAPSHOT_MAX_BYTES // 1024}
        )
    return secret, stamp, signature


def max_body_bytes() -> int:
    # Base64 grows the picture by a third; the rest of the body is small.
    return settings.VIDEO_SNAPSHOT_MAX_BYTES * 4 // 3 + 16 * 1024


def _verified(request: HttpRequest) -> None:
    secret, stamp, signature = _headers_checked(request)
    if not hmac.compare_digest(signing.signature_of(request.body, stamp, secret), signature):
        raise SignatureInvalid(
            _("签名校验失败：%(s)s 须为“时间戳.请求体”的 HMAC-SHA256") % {"s": SIGNATURE_HEADER}
        )


class VideoEventIn(BodyIn):
    event_id: str = Field(..., min_length=1, max_length=64, pattern=r"^[0-9A-Za-z_.:-]+$")
    camera: str = Field(..., min_length=1, max_length=40, description="摄像头编号或国标编码")
    type: str = Field(..., min_length=1, max_length=40, description="事件类型编码")
    occurred_at: ApiDateTime
    confidence: float = Field(..., ge=0, le=1)
    box: list[float] = Field(default_factory=list, max_length=8, description="目标框 [x, y, w, h]")
    snapshot: str = Field("", description="截图，JPEG 或 PNG 的 Base64")
    purpose: Literal["alarm", "review"] = Field("alarm", description="alarm 告警；review 复核截图")

    @field_validator("snapshot")
    @classmethod
    def _size(cls, value: str) -> str:
        if len(value) > settings.VIDEO_SNAPSHOT_MAX_BYTES * 4 // 3 + 4:
            raise ValueError(
                _("截图不超过 %(n)d KB") % {"n": settings.VIDEO_SNAPSHOT_MAX_BYTES // 1024}
            )
        return value


FIELD_HINTS = {
    "event_id": _("事件编号 event_id"),
    "camera": _("摄像头 camera"),
    "type": _("事件类型 type"),
    "occurred_at": _("发生时间 occurred_at"),
    "confidence": _("置信度 confidence（0–1）"),
    "box": _("目标框 box"),
    "snapshot": _("截图 snapshot"),
    "purpose": _("用途 purpose"),
}


class VideoEventOut(Schema):
    event_id: str
    outcome: str
    outcome_label: str
    alert_id: int | None
    count: int | None
    case_number: str | None


def _decoded(text: str) -> bytes:
    if not text:
        return b""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValidationFailed(_("截图不是有效的 Base64"), field="snapshot") from exc


@router.post(
    "/events",
    auth=None,
    response={
        201: VideoEventOut,
        200: VideoEventOut,
        401: Detail,
        409: Detail,
        413: Detail,
        422: Detail,
    },
    summary="接收视频 AI 事件（签名；按 event_id 幂等）",
)
def receive_event(request: HttpRequest) -> Reply[VideoEventOut]:
    _verified(request)
    body, _files = read_body(request)
    data = validate_body(VideoEventIn, body, labels=FIELD_HINTS, lead=_("事件参数不正确"))
    snapshot = _decoded(data.snapshot)
    if len(snapshot) > settings.VIDEO_SNAPSHOT_MAX_BYTES:
        raise TooLarge(_("截图不超过 %(n)d KB") % {"n": settings.VIDEO_SNAPSHOT_MAX_BYTES // 1024})
    if data.purpose == "alarm" and not snapshot:
        raise ValidationFailed(_("告警事件须带截图"), field="snapshot")
    receipt = services.event_receive(
        services.EventIn(
            event_id=data.event_id,
            camera=data.camera,
            type=data.type.strip(),
            occurred_at=data.occurred_at,
            confidence=data.confidence,
            box=list(data.box),
            snapshot=snapshot,
            review=data.purpose == "review",
        )
    )
    event = receipt.event
    return Reply(
        201 if receipt.created else 200,
        VideoEventOut(
            event_id=event.event_id,
            outcome=event.outcome,
            outcome_label=str(event.get_outcome_display()),
            alert_id=event.alert_id,
            count=receipt.count,
            case_number=receipt.case_number,
        ),
    )


# --- staff: the cameras of their grids --------------------------------------------------------


@router.get("/cameras.geojson", response={200: dict[str, Any]}, summary="摄像头图层（本人网格内）")
def cameras_layer(request: AuthedRequest, unit: str = "") -> dict[str, Any]:
    """Points for the ops map: name, type, unit, online or not, hold, and the live page's link.
    The stream address itself is not in it: the live page gives it, and records who watched."""
    rows = selectors.cameras_visible(request.user)
    if unit:
        if unit not in CameraUnit.values:
            raise ValidationFailed(
                _("所属单位须为 %(u)s 之一") % {"u": "、".join(CameraUnit.values)}
            )
        rows = rows.filter(unit_type=unit)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
            "properties": {
                "id": c.pk,
                "code": c.code,
                "name": c.facility.name,
                "camera_type": str(CameraType(c.camera_type).label),
                "unit": c.unit_type,
                "unit_label": str(CameraUnit(c.unit_type).label),
                "online": selectors.is_online(c),
                "hold": str(c.get_hold_display()) if c.hold else "",
                "live": bool(c.stream_url),
                "url": reverse("video:camera", args=[c.pk]),
            },
        }
        for c in rows.order_by("code")[:5000]
    ]
    return {"type": "FeatureCollection", "features": features}
