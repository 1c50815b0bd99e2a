from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.grids.models import GridNode


class Circular(models.Model):
    """A 周通报 (or 月通报) of a street or the district, archived with its figures and files."""

    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("周通报")
        MONTHLY = "monthly", _("月通报")
        ANNUAL = "annual", _("年度考核")

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


# The KPIs an annual assessment weighs (cases.selectors.Kpi fields) and their labels.
ASSESSMENT_KPIS = (
    ("completion", "completion_rate", _("办结率")),
    ("on_time", "on_time_rate", _("按期办结率")),
    ("response", "response_rate", _("响应率")),
    ("resolution", "resolution_rate", _("解决率")),
    ("satisfaction", "satisfaction_rate", _("满意率")),
)
# Until an administrator sets a year's weights: on-time work and the residents' verdict first.
DEFAULT_ASSESSMENT_WEIGHTS = {
    "completion": 20,
    "on_time": 20,
    "response": 10,
    "resolution": 25,
    "satisfaction": 25,
}


class AssessmentWeights(models.Model):
    """The weights (in points of 100) of the annual assessment of communities (年度考核), set
    per year by the district's administrators. A community's score is the weighted sum of its
    year's KPIs, so the weights must add up to exactly 100."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    completion = models.PositiveSmallIntegerField(_("办结率权重"), default=20)
    on_time = models.PositiveSmallIntegerField(_("按期办结率权重"), default=20)
    response = models.PositiveSmallIntegerField(_("响应率权重"), default=10)
    resolution = models.PositiveSmallIntegerField(_("解决率权重"), default=25)
    satisfaction = models.PositiveSmallIntegerField(_("满意率权重"), default=25)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["AssessmentWeights"]]

    class Meta:
        verbose_name = _("年度考核权重")
        verbose_name_plural = _("年度考核权重")
        ordering = ("-year",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    completion=100
                    - models.F("on_time")
                    - models.F("response")
                    - models.F("resolution")
                    - models.F("satisfaction")
                ),
                name="assessment_weights_sum_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # Every write path (admin, shell, a migration) is held to the same rule.
        self.clean()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, int]:
        return {key: getattr(self, key) for key, _field, _label in ASSESSMENT_KPIS}

    def clean(self) -> None:
        total = sum(self.as_dict().values())
        if total != 100:
            raise ValidationError(_("各项权重之和须为 100，现为 %(n)s") % {"n": total})

    def validate_constraints(self, exclude: object = None) -> None:
        # clean() says what is wrong with the sum, with the figure; the database constraint
        # saying the same in general words would only repeat it on the form.
        if sum(self.as_dict().values()) == 100:
            super().validate_constraints(exclude=exclude)  # type: ignore[arg-type]
