"""The KPI counters: derived rows that `cases.kpi_counts` keeps so that a district's or the
city's KPI table reads a few hundred sums instead of counting millions of cases. Rebuilt from
the cases at any time; nothing else writes them."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import GridNode


class KpiMonth(models.Model):
    """The KPI counts of one street for one calendar month (local time): of its cases due in
    the month, and of those followed up in it; kept by `kpi_counts.refresh` so that a district's
    or the city's KPI table over whole months adds up a few hundred rows instead of counting
    millions of cases. Derived data: rebuilt from the cases at any time.

    Cases without a micro-grid or a street (`loose`) are counted apart, per street or per
    place: they are the only ones a person can move from one unit to another, so every refresh
    recounts all of them, and a street's other rows need recounting only when one of its own
    cases changed."""

    month = models.DateField()
    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The grid path of the cases counted here when they have no street (a district's or the
    # city's desk); "" on a street's rows.
    place = models.CharField(max_length=400, blank=True)
    loose = models.BooleanField(default=False)
    due = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    reworked = models.PositiveIntegerField(default=0)
    extended = models.PositiveIntegerField(default=0)
    self_handled = models.PositiveIntegerField(default=0)
    followups = models.PositiveIntegerField(default=0)
    contacted = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basic = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["KpiMonth"]]

    class Meta:
        verbose_name = _("考核月度计数")
        verbose_name_plural = _("考核月度计数")
        # The refresh deletes and rewrites a street's rows; a page reads a range of months.
        indexes = [
            models.Index(fields=["street", "month"]),
            models.Index(fields=["month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.street_id or self.place}"


class KpiOpen(models.Model):
    """The open cases of one street (or of one place without a street), and how many of them
    were past their deadline, as of the last refresh of the KPI counters: a city's 150,000 open
    cases cost 0.3 s to count on every KPI page. Kept by `kpi_counts.refresh`, which counts a
    street again when one of its open cases passes its deadline, as when one changes."""

    street = models.ForeignKey(
        GridNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    place = models.CharField(max_length=400, blank=True)
    loose = models.BooleanField(default=False)
    open_cases = models.PositiveIntegerField(default=0)
    overdue_open = models.PositiveIntegerField(default=0)

    objects: ClassVar[models.Manager["KpiOpen"]]

    class Meta:
        verbose_name = _("考核在办计数")
        verbose_name_plural = _("考核在办计数")

    def __str__(self) -> str:
        return f"{self.street_id or self.place}"


class KpiMonthsRefresh(models.Model):
    """One row: when the monthly KPI counters were last refreshed, and last recounted in
    full."""

    refreshed_at = models.DateTimeField(null=True, blank=True)
    full_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[models.Manager["KpiMonthsRefresh"]]

    def __str__(self) -> str:
        return f"{self.refreshed_at}"
