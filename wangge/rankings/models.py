"""Honour lists (荣誉榜单), computed from the ledger and the service records.

The ledger is the truth. Two aggregates keep a year's board fast: each resident's points earned
per day (`DailyPoints`), and each resident's total per week, month and year (`PeriodScore`). A
job rebuilds them from the entries (`aggregates.refresh`); `aggregates.verify` proves they equal
the entries. When a period ends its rows are frozen (`FrozenPeriod`) and their scores never
change again; recomputing them from the entries gives the same list (tests/rankings). Only their
grid paths follow a 网格调整 (grids.paths), which the frozen digest does not cover.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Board(models.TextChoices):
    VOLUNTEERS = "volunteers", _("志愿者榜")
    PARTY_ORGS = "party_orgs", _("党组织榜")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周榜")
    MONTH = "month", _("月榜")
    YEAR = "year", _("年榜")


class DailyPoints(models.Model):
    """Points a resident earned from verified work on one day (Asia/Shanghai): award transfers
    into their wallet, less reversals of such awards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    points = models.BigIntegerField()
    # The last scoring entry of the day: where the tie rule looks.
    last_at = models.DateTimeField()

    objects: ClassVar[models.Manager["DailyPoints"]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_points_once_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day} {self.points}"


class PeriodScore(models.Model):
    """A resident's line on the volunteers' board of one week, month or year."""

    period = models.CharField(max_length=5, choices=PeriodKind.choices)
    start = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    points = models.BigIntegerField()
    # When the resident reached the score they hold (their last scoring entry in the period):
    # of two equal scores, the one reached earlier ranks higher.
    reached_at = models.DateTimeField()
    # Where the resident lived (their home grid's path) when the row was last computed: the
    # board of a grid subtree is a prefix match. Frozen with the row when the period closes.
    home_path = models.CharField(max_length=400, blank=True)

    objects: ClassVar[models.Manager["PeriodScore"]]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "start", "user"], name="period_score_once_per_user"
            )
        ]
        indexes = [
            # The board's order, so the top of a year's board is an index range scan.
            models.Index(
                "period",
                "start",
                models.F("points").desc(),
                "reached_at",
                "user",
                name="period_score_board",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start} {self.user_id} {self.points}"


class OrgPeriodScore(models.Model):
    """A party organisation's line on a closed period's board (open periods are computed live:
    there are few organisations)."""

    period = models.CharField(max_length=5, choices=PeriodKind.choices)
    start = models.DateField()
    org = models.ForeignKey("party.PartyOrg", on_delete=models.CASCADE, related_name="+")
    members = models.PositiveIntegerField()
    hours = models.DecimalField(max_digits=12, decimal_places=2)
    score = models.DecimalField(max_digits=12, decimal_places=2)  # hours per member
    reached_at = models.DateTimeField(null=True)
    grid_path = models.CharField(max_length=400)

    objects: ClassVar[models.Manager["OrgPeriodScore"]]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "start", "org"], name="org_period_score_once_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.start} {self.org_id} {self.score}"


class FrozenPeriod(models.Model):
    """A closed period whose board no longer changes."""

    board = models.CharField(max_length=12, choices=Board.choices)
    period = models.CharField(max_length=5, choices=PeriodKind.choices)
    start = models.DateField()
    frozen_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField()
    # sha256 of the ranked rows (subject, score, reached_at): recomputing must give it again.
    digest = models.CharField(max_length=64)

    objects: ClassVar[models.Manager["FrozenPeriod"]]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "period", "start"], name="frozen_period_once")
        ]

    def __str__(self) -> str:
        return f"{self.board} {self.period} {self.start}"


class RefreshMark(models.Model):
    """How far the daily aggregate has read the ledger (the highest entry id seen)."""

    name = models.CharField(max_length=40, unique=True)
    last_entry_id = models.BigIntegerField(default=0)
    refreshed_at = models.DateTimeField(null=True)

    objects: ClassVar[models.Manager["RefreshMark"]]

    def __str__(self) -> str:
        return f"{self.name} {self.last_entry_id}"
