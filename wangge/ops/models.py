from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import GridNode


class Circular(models.Model):
    """A 周通报 (or 月通报) of a street or the district, archived with its figures and files."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("周通报")
        MONTHLY = "monthly", _("月通报")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.WEEKLY)
    node = models.ForeignKey(
        GridNode, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="circulars"
    )
    # [period_start, period_end) in local dates; period_end is the day after the last day.
    period_start = models.DateField(_("统计期开始"))
    period_end = models.DateField(_("统计期结束（不含）"))
    generated_at = models.DateTimeField(_("生成时间"))
    pdf = models.FileField(_("PDF"), upload_to="circulars/%Y/")
    xlsx = models.FileField(_("Excel"), upload_to="circulars/%Y/")
    # The figures as printed, so the archive still shows what was circulated after data changes.
    figures = models.JSONField(_("数据"), default=dict)

    objects: ClassVar[models.Manager["Circular"]]

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ("-period_start", "node__path")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "node", "period_start"], name="circular_one_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node.name} {self.get_kind_display()} {self.period_start}"


class UnitFigures(models.Model):
    """The dashboard's counters of one unit (a community, or the cases held above community
    level), as of the last refresh (aggregates.py). Derived data: rebuilt from the cases."""

    # The community-level path of the cases counted here ("410102/410102001/410102001002/").
    unit_path = models.CharField(max_length=400, db_index=True)
    community = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    data = models.JSONField(default=dict)

    objects: ClassVar[models.Manager["UnitFigures"]]

    class Meta:
        verbose_name = _("单位统计")
        verbose_name_plural = _("单位统计")

    def __str__(self) -> str:
        return self.unit_path


class FiguresRefresh(models.Model):
    """One row: when the counters were last refreshed, and last recounted in full."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    full_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["FiguresRefresh"]]

    def __str__(self) -> str:
        return f"{self.refreshed_at}"
