"""鹰眼: the cameras the operations centre already watches, and what their AI analysis reports.

A camera is a row of the facility register (`ledgers.Facility`, kind 监控探头) with what a video
platform needs beside it (`Camera`: its 编号, the 20-digit GB/T 28181 code, the stream on the
district's video gateway). The platform's AI box reports what it sees as signed events
(`VideoEvent`); events of one camera and one type close together in time are one `VideoAlert`,
which becomes one case (自动派单) or waits on the desk for a person (待确认) as the type's row of
`VideoEventType` says. The types, their catalogue leaves, floors and windows are data the
operator edits, never code.
"""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel

GB_CODE_RE = r"^[0-9]{20}$"


class CameraType(models.TextChoices):
    DOME = "dome", _("球机")
    BULLET = "bullet", _("枪机")
    EAGLE = "eagle", _("鹰眼")


class CameraUnit(models.TextChoices):
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    SITE = "site", _("工地")
    COMPOUND = "compound", _("楼院")
    ROAD = "road", _("道路")


class CameraHold(models.TextChoices):
    NONE = "", _("正常")
    REPAIR = "repair", _("维修")
    BLOCKED = "blocked", _("遮挡")


class Camera(TimeStampedModel):
    facility = models.OneToOneField(
        "ledgers.Facility",
        verbose_name=_("设施"),
        on_delete=models.CASCADE,
        related_name="camera",
    )
    code = models.CharField(_("编号"), max_length=40, unique=True)
    gb_code = models.CharField(_("国标编码"), max_length=20, unique=True, null=True, blank=True)
    camera_type = models.CharField(_("类型"), max_length=10, choices=CameraType.choices)
    unit_type = models.CharField(_("所属单位"), max_length=10, choices=CameraUnit.choices)
    # On the district's video gateway (HLS .m3u8 or HTTP-FLV); shown to staff of its grid only.
    stream_url = models.CharField(_("视频地址"), max_length=500, blank=True)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    # 维修/遮挡: the picture cannot be trusted, so its events are kept but never become cases.
    hold = models.CharField(
        _("停用原因"), max_length=10, choices=CameraHold.choices, default="", blank=True
    )
    # The last event received or stream probe answered: online while recent.
    last_seen_at = models.DateTimeField(_("最近在线"), null=True, blank=True)

    objects: ClassVar[models.Manager["Camera"]]

    class Meta:
        verbose_name = _("监控摄像头")
        verbose_name_plural = _("监控摄像头")
        ordering = ("code",)
        constraints = [
            # 20 characters here; that they are digits is the import's check (a regular
            # expression is not portable to every SQLite connection, a restore's included).
            models.CheckConstraint(
                condition=Q(gb_code__isnull=True) | Q(Exact(Length("gb_code"), 20)),
                name="camera_gb_code_20",
            ),
            models.CheckConstraint(
                condition=Q(camera_type__in=CameraType.values), name="camera_type_known"
            ),
            models.CheckConstraint(
                condition=Q(unit_type__in=CameraUnit.values), name="camera_unit_known"
            ),
            models.CheckConstraint(
                condition=Q(hold__in=CameraHold.values), name="camera_hold_known"
            ),
            models.CheckConstraint(
                condition=Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="camera_point_on_earth",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.facility.name}"


class AlertMode(models.TextChoices):
    AUTO = "auto", _("自动派单")
    CONFIRM = "confirm", _("待确认")


class VideoEventType(models.Model):
    """What the AI box may report, and what the district does with it."""

    code = models.CharField(
        _("事件类型编码"), max_length=40, unique=True, help_text=_("与视频平台推送的 type 一致")
    )
    name = models.CharField(_("名称"), max_length=40)
    category_code = models.CharField(
        _("派单目录编码"), max_length=20, blank=True, help_text=_("立案时的事项分类（末级目录）")
    )
    min_confidence = models.FloatField(
        _("置信度下限"), default=0.6, help_text=_("低于此值的识别结果只记录，不立案")
    )
    mode = models.CharField(
        _("处置方式"), max_length=10, choices=AlertMode.choices, default=AlertMode.CONFIRM
    )
    window_minutes = models.PositiveIntegerField(
        _("合并时间窗（分钟）"),
        default=30,
        help_text=_("同一摄像头同一类型的事件，距上次不超过此时长的并入同一告警"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects: ClassVar[models.Manager["VideoEventType"]]

    class Meta:
        verbose_name = _("视频事件类型")
        verbose_name_plural = _("视频事件类型")
        ordering = ("code",)
        constraints = [
            models.CheckConstraint(
                condition=Q(min_confidence__gte=0, min_confidence__lte=1),
                name="video_type_floor_0_1",
            ),
            models.CheckConstraint(condition=Q(window_minutes__gte=1), name="video_type_window_1"),
            models.CheckConstraint(condition=Q(mode__in=AlertMode.values), name="video_mode_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class AlertState(models.TextChoices):
    PENDING = "pending", _("待确认")
    CASED = "cased", _("已立案")
    DISMISSED = "dismissed", _("误报")


class VideoAlert(TimeStampedModel):
    """One thing one camera keeps seeing: the events of a type close together in time."""

    camera = models.ForeignKey(
        Camera, verbose_name=_("摄像头"), on_delete=models.PROTECT, related_name="alerts"
    )
    type_code = models.CharField(_("事件类型"), max_length=40)
    event_type = models.ForeignKey(
        VideoEventType,
        verbose_name=_("事件类型"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("状态"), max_length=10, choices=AlertState.choices)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("案件"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="video_alert",
    )
    first_at = models.DateTimeField(_("首次发现"))
    last_at = models.DateTimeField(_("最近发现"), db_index=True)
    count = models.PositiveIntegerField(_("次数"), default=1)
    max_confidence = models.FloatField(_("最高置信度"), default=0)
    # The last sighting written on the case's timeline: one row per 10 minutes at most.
    noted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last sighting whose snapshot got a thumbnail: one a minute at most.
    thumbed_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("确认人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["VideoAlert"]]

    class Meta:
        verbose_name = _("视频告警")
        verbose_name_plural = _("视频告警")
        ordering = ("-last_at",)
        indexes = [
            models.Index(fields=["camera", "type_code", "-last_at"], name="video_alert_open")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="video_alert_counted"),
            models.CheckConstraint(
                condition=Q(state__in=AlertState.values), name="video_state_known"
            ),
            models.CheckConstraint(
                condition=~Q(state=AlertState.CASED) | Q(case__isnull=False),
                name="video_alert_cased_has_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.camera_id}·{self.type_code}·{self.count}"


class EventOutcome(models.TextChoices):
    CASED = "cased", _("已立案")
    GROUPED = "grouped", _("并入已有告警")
    PENDING = "pending", _("待确认")
    DISMISSED = "dismissed", _("并入误报告警")
    HELD = "held", _("摄像头维修/遮挡，暂存")
    BELOW_FLOOR = "below_floor", _("置信度不足，只记录")
    INACTIVE = "inactive", _("事件类型已停用，只记录")
    REVIEW = "review", _("复核截图")


class VideoEvent(models.Model):
    """One report of the AI box, kept whatever became of it, with its snapshot."""

    event_id = models.CharField(_("事件编号"), max_length=64, unique=True)
    camera = models.ForeignKey(
        Camera, verbose_name=_("摄像头"), on_delete=models.PROTECT, related_name="events"
    )
    alert = models.ForeignKey(
        VideoAlert,
        verbose_name=_("告警"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    type_code = models.CharField(_("事件类型"), max_length=40)
    occurred_at = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    confidence = models.FloatField(_("置信度"))
    # [x, y, w, h] in the snapshot's pixels, as the box drew it.
    box = models.JSONField(_("目标框"), default=list, blank=True)
    snapshot = models.FileField(
        _("截图"), max_length=200, blank=True, db_index=True, upload_to="video/"
    )
    thumb = models.FileField(
        _("缩略图"), max_length=200, blank=True, db_index=True, upload_to="video/"
    )
    outcome = models.CharField(_("处理结果"), max_length=12, choices=EventOutcome.choices)
    # What the body said, so that a resent event is told from a different one under its id.
    content_hash = models.CharField(max_length=64, editable=False)
    # Who sent it: the platform, or the staff member who took it from the player.
    taken_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("截图人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects: ClassVar[models.Manager["VideoEvent"]]

    class Meta:
        verbose_name = _("视频事件")
        verbose_name_plural = _("视频事件")
        ordering = ("-occurred_at", "-id")
        indexes = [models.Index(fields=["alert", "occurred_at"], name="video_event_alert")]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=0, confidence__lte=1), name="video_event_confidence"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=EventOutcome.values), name="video_outcome_known"
            ),
        ]

    def __str__(self) -> str:
        return self.event_id
