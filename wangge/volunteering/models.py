"""志愿服务: tasks and community activities, sign-ups (抢任务 with a waitlist), check-ins and the
hours an organiser certifies (谁组织谁记录，谁记录谁证明).

A task's `taken` counts its active sign-ups and is guarded by a CHECK (`taken <= slots`), so even
a bug in the grab path cannot overfill a task; the grab itself locks the task row.
"""

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What the service was: the earning rule and the party statements group by it."""

    POLICY = "policy", _("政策宣传")
    ENVIRONMENT = "environment", _("环境整治")
    MEDIATION = "mediation", _("矛盾调解")
    HEALTH = "health", _("医疗健康")
    CARE = "care", _("关爱帮扶")
    SAFETY = "safety", _("平安巡逻")
    CULTURE = "culture", _("文体活动")
    OTHER = "other", _("其他")


class Task(models.Model):
    class Kind(models.TextChoices):
        TASK = "task", _("志愿任务")
        ACTIVITY = "activity", _("社区活动")

    class PublisherKind(models.TextChoices):
        PARTY_ORG = "party_org", _("党组织")
        MASS_ORG = "mass_org", _("群团组织")
        SOCIAL_ORG = "social_org", _("社会组织")
        INDIVIDUAL = "individual", _("个人")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待审核")  # an individual's task, until community staff approve
        PUBLISHED = "published", _("报名中")
        ONGOING = "ongoing", _("进行中")
        FINISHED = "finished", _("待确认时长")
        SETTLED = "settled", _("已结算")
        CANCELLED = "cancelled", _("已取消")

    class PointsRule(models.TextChoices):
        """Which earning rule pays (the points themselves are data in points.EarningRule)."""

        PER_HOUR = "per_hour", _("按确认时长")
        FIXED = "fixed", _("每人固定")
        NONE = "none", _("不发放")

    class CheckinMethod(models.TextChoices):
        QR = "qr", _("现场扫码")
        GEOFENCE = "geofence", _("定位签到")
        EITHER = "either", _("扫码或定位")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.TASK)
    publisher_kind = models.CharField(_("发布方类型"), max_length=12, choices=PublisherKind.choices)
    publisher_name = models.CharField(_("发布方"), max_length=80)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        on_delete=models.PROTECT,
        related_name="organised_tasks",
    )
    # The micro-grid the place lies in (or the organiser's node when the place is outside every
    # grid); staff scope and "nearby" both read grid_path.
    grid = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    grid_path = models.CharField(max_length=400, db_index=True)
    title = models.CharField(_("标题"), max_length=80)
    description = models.TextField(_("内容"), max_length=4000, blank=True)
    category = models.CharField(
        _("服务类别"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    place = models.CharField(_("地点"), max_length=120)
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"), db_index=True)
    slots = models.PositiveIntegerField(_("名额"))
    taken = models.PositiveIntegerField(_("已报名"), default=0)
    skills = models.CharField(_("技能要求"), max_length=200, blank=True)
    circle_tag = models.CharField(_("圈子标签"), max_length=30, blank=True)
    points_rule = models.CharField(
        _("活力值规则"), max_length=10, choices=PointsRule.choices, default=PointsRule.PER_HOUR
    )
    checkin_method = models.CharField(
        _("签到方式"), max_length=10, choices=CheckinMethod.choices, default=CheckinMethod.QR
    )
    geofence_m = models.PositiveIntegerField(_("定位半径（米）"), default=200)
    # Per-task key for the rotating check-in code; never shown to anyone.
    qr_secret = models.CharField(max_length=64, editable=False)
    issuer = models.ForeignKey(
        "points.Account",
        verbose_name=_("发放账户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: ClassVar[models.Manager["Task"]]

    class Meta:
        verbose_name = _("志愿任务")
        verbose_name_plural = _("志愿任务")
        ordering = ("starts_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("slots")), name="task_not_overfilled"
            ),
            models.CheckConstraint(condition=models.Q(slots__gt=0), name="task_has_slots"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="task_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_activity(self) -> bool:
        return self.kind == self.Kind.ACTIVITY

    @property
    def pays_per_hour(self) -> bool:
        return self.points_rule == self.PointsRule.PER_HOUR

    @property
    def counts_hours(self) -> bool:
        """A task pays by certified hours; an activity records attendance."""
        return self.kind == self.Kind.TASK

    @property
    def is_individual(self) -> bool:
        """Published by a resident: community staff approve it before it opens."""
        return self.publisher_kind == self.PublisherKind.INDIVIDUAL

    @property
    def is_open(self) -> bool:
        """Taking sign-ups and presence (presence.checkin asks the same)."""
        return self.status in (self.Status.PUBLISHED, self.Status.ONGOING)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def shows_checkin_qr(self) -> bool:
        return self.uses_qr and self.is_open

    @property
    def free_slots(self) -> int:
        return max(self.slots - self.taken, 0)

    @property
    def uses_qr(self) -> bool:
        return self.checkin_method in (self.CheckinMethod.QR, self.CheckinMethod.EITHER)

    @property
    def uses_geofence(self) -> bool:
        return self.checkin_method in (self.CheckinMethod.GEOFENCE, self.CheckinMethod.EITHER)


class TaskEvent(models.Model):
    """The task's timeline: every change of state and every hours decision, with who and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        EDIT = "edit", _("修改")
        SUBMIT = "submit", _("提交审核")
        PUBLISH = "publish", _("发布")
        APPROVE = "approve", _("审核通过")
        REJECT = "reject", _("退回")
        CANCEL = "cancel", _("取消")
        START = "start", _("开始")
        FINISH = "finish", _("结束")
        HOURS = "hours", _("认定时长")
        SETTLE = "settle", _("结算")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=10, blank=True, choices=Task.Status.choices)
    to_status = models.CharField(max_length=10, blank=True, choices=Task.Status.choices)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class SignUp(models.Model):
    class Status(models.TextChoices):
        SIGNED = "signed", _("已报名")
        WAITLISTED = "waitlisted", _("候补中")
        CANCELLED = "cancelled", _("已取消")

    class Hours(models.TextChoices):
        PENDING = "pending", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        ADJUSTED = "adjusted", _("已调整")
        DECLINED = "declined", _("不予认定")

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="volunteer_signups"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SIGNED, db_index=True
    )
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # What the check-ins add up to, and what the organiser certified (None for an activity,
    # which records attendance, not hours).
    recorded_hours = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(0))
    hours_status = models.CharField(
        _("时长认定"), max_length=10, choices=Hours.choices, default=Hours.PENDING, db_index=True
    )
    hours = models.DecimalField(
        _("认定时长"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    hours_note = models.CharField(_("认定说明"), max_length=200, blank=True)
    hours_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # When the service happened (first check-in, else the task's start): the period key for
    # statements and honour lists.
    served_at = models.DateTimeField(null=True, blank=True, db_index=True)
    points = models.PositiveIntegerField(_("获得活力值"), default=0)
    points_transfer = models.ForeignKey(
        "points.Transfer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects: ClassVar[models.Manager["SignUp"]]

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                condition=models.Q(status__in=["signed", "waitlisted"]),
                name="one_open_signup_per_person",
            ),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.task_id} {self.user_id} {self.status}"

    @property
    def decided(self) -> bool:
        return self.hours_status != self.Hours.PENDING

    @property
    def is_signed(self) -> bool:
        """Holds a place: may check in, and has hours to certify."""
        return self.status == self.Status.SIGNED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED


class HoursDecision(models.Model):
    """Append-only: each confirm, adjustment or refusal of a person's hours, by whom and why."""

    signup = models.ForeignKey(SignUp, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(max_length=10, choices=SignUp.Hours.choices)
    recorded_hours = models.DecimalField(max_digits=6, decimal_places=2)
    hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.signup_id} {self.decision}"


class CheckIn(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("扫码")
        GEOFENCE = "geofence", _("定位")

    signup = models.ForeignKey(SignUp, on_delete=models.PROTECT, related_name="checkins")
    day = models.DateField()  # local (Asia/Shanghai) date, for the three-a-day limit
    checked_in_at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    # Nobody checked out: closed at the task's end by the sweep, for the organiser to look at.
    auto_closed = models.BooleanField(default=False)

    class Meta:
        ordering = ("checked_in_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["signup"],
                condition=models.Q(checked_out_at__isnull=True),
                name="one_open_checkin",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signup_id} {self.checked_in_at:%H:%M}"
