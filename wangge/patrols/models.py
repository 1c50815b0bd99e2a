"""日巡查: a grid worker's daily patrol, its track on the map, and what was found on the way.

A finding is always a case (cases.Case, channel 巡查上报): reported for someone to handle, or
fixed on the spot and closed at once. The patrol keeps the link and the hazard it was about.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.core.models import TimeStampedModel


class Patrol(TimeStampedModel):
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员"),
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    # The grid the worker patrols (their grant's node), copied for the scope filter.
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    grid_name = models.CharField(_("网格"), max_length=100, editable=False)
    started_at = models.DateTimeField(_("开始时间"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    summary = models.TextField(_("巡查小结"), blank=True)

    objects: ClassVar[models.Manager["Patrol"]]

    class Meta:
        verbose_name = _("巡查")
        verbose_name_plural = _("巡查")
        ordering = ("-started_at",)
        constraints = [
            # One patrol under way per worker at a time.
            models.UniqueConstraint(
                fields=["worker"],
                condition=models.Q(ended_at__isnull=True),
                name="patrol_one_open_per_worker",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(ended_at__gte=models.F("started_at")),
                name="patrol_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grid_name} {self.started_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class TrackPoint(models.Model):
    patrol = models.ForeignKey(Patrol, on_delete=models.CASCADE, related_name="points")
    at = models.DateTimeField(_("时间"))
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))

    objects: ClassVar[models.Manager["TrackPoint"]]

    class Meta:
        verbose_name = _("轨迹点")
        verbose_name_plural = _("轨迹点")
        ordering = ("at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="trackpoint_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lon:.6f},{self.lat:.6f}"


class Hazard(models.TextChoices):
    FLYING_WIRE = "flying_wire", _("飞线充电")
    FIRE_LANE = "fire_lane", _("消防通道")
    GAS = "gas", _("燃气")
    DANGEROUS_WALL = "dangerous_wall", _("危墙")
    SNOW = "snow", _("积雪")
    ILLEGAL_BUILDING = "illegal_building", _("私搭乱建")
    OTHER = "other", _("其他")


class Finding(models.Model):
    class Kind(models.TextChoices):
        REPORTED = "reported", _("上报事件")
        FIXED = "fixed", _("自行处置")

    patrol = models.ForeignKey(Patrol, on_delete=models.PROTECT, related_name="findings")
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("事件"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("方式"), max_length=10, choices=Kind.choices)
    hazard = models.CharField(_("隐患类型"), max_length=20, choices=Hazard.choices)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects: ClassVar[models.Manager["Finding"]]

    class Meta:
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")
        ordering = ("created_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hazard__in=Hazard.values), name="finding_hazard_known"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["reported", "fixed"]), name="finding_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.get_hazard_display()


class PatrolReport(models.Model):
    """A 周报告 or 月汇总 of patrols for a community or grid, archived with its figures so the
    archive shows what was reported even after the data moves on."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("周报告")
        MONTHLY = "monthly", _("月汇总")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(_("网格路径"), max_length=400, db_index=True, editable=False)
    # [period_start, period_end) in local dates.
    period_start = models.DateField(_("统计期开始"))
    period_end = models.DateField(_("统计期结束（不含）"))
    generated_at = models.DateTimeField(_("生成时间"))
    figures = models.JSONField(_("数据"), default=dict)

    objects: ClassVar[models.Manager["PatrolReport"]]

    class Meta:
        verbose_name = _("巡查报告")
        verbose_name_plural = _("巡查报告")
        ordering = ("-period_start", "grid_path")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "node", "period_start"], name="patrolreport_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gt=models.F("period_start")),
                name="patrolreport_period_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.figures.get('title', '')}"
