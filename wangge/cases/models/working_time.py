"""The working calendar deadlines are counted on: official holidays and make-up workdays, the
years whose arrangement is loaded, and office hours. Loaded by `cases.holidays` and read into
one calendar by `cases.deadlines`; no case points at them."""

from datetime import time
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An exception to Monday–Friday: an official holiday, or a make-up workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}"


class CalendarYear(models.Model):
    """A year whose official arrangement (放假调休) has been loaded. Deadlines that reach into a
    year without a row here are computed on plain weekdays and marked provisional."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("来源"), max_length=120)
    holidays = models.PositiveSmallIntegerField(_("节假日天数"), default=0)
    workdays = models.PositiveSmallIntegerField(_("调休上班天数"), default=0)
    loaded_at = models.DateTimeField(_("导入时间"), auto_now=True)

    objects: ClassVar[models.Manager["CalendarYear"]]

    class Meta:
        verbose_name = _("节假日年度安排")
        verbose_name_plural = _("节假日年度安排")
        ordering = ("-year",)

    def __str__(self) -> str:
        return str(self.year)


class WorkingHours(models.Model):
    """Office hours for working-time deadlines; the newest row is in force."""

    morning_start = models.TimeField(_("上午上班"), default=time(9, 0))
    morning_end = models.TimeField(_("上午下班"), default=time(12, 0))
    afternoon_start = models.TimeField(_("下午上班"), default=time(13, 0))
    afternoon_end = models.TimeField(_("下午下班"), default=time(17, 0))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作时间")
        verbose_name_plural = _("工作时间")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end")),
                name="working_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.morning_start:%H:%M}–{self.morning_end:%H:%M}，"
            f"{self.afternoon_start:%H:%M}–{self.afternoon_end:%H:%M}"
        )
