"""红色厨房: meals delivered to elderly residents who live alone, in an empty nest or with a
disability, point to point, by volunteers.

A kitchen enrols residents from the register (`Enrolment`: diet notes, the emergency contact or
监护人, who pays what); each day it plans a meal per grid with a delivery window (`MealPlan`,
with a volunteering task that volunteers take as any other); each enrolled resident's meal is a
`Delivery` the deliverer records as delivered, not at home or refused. A meal not delivered or
not taken raises one `Alert`: the grid worker is to visit that same day and the emergency
contact is told. It is a safety signal, not a statistic."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wangge.core import pii
from wangge.core.models import TimeStampedModel


class Kitchen(TimeStampedModel):
    """One 红色厨房 (a community canteen, a 党群服务中心's kitchen, a partner restaurant)."""

    name = models.CharField(_("名称"), max_length=80)
    # The unit it serves (a street or a community): residents under it may be enrolled.
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("服务范围"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("地址"), max_length=120)
    phone = models.CharField(_("厨房电话"), max_length=20, blank=True)
    # Where deliverers collect the meals: the volunteering task's place and check-in point.
    lon = models.FloatField(_("经度"))
    lat = models.FloatField(_("纬度"))
    is_active = models.BooleanField(_("运营中"), default=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Kitchen"]]

    class Meta:
        verbose_name = _("红色厨房")
        verbose_name_plural = _("红色厨房")
        ordering = ("grid_path", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(lon__gte=-180, lon__lte=180, lat__gte=-90, lat__lte=90),
                name="kitchen_point_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Payment(models.TextChoices):
    SELF = "self", _("自费")
    SHARED = "shared", _("个人付费＋补贴")
    FREE = "free", _("全额补贴")


class Meal(models.TextChoices):
    LUNCH = "lunch", _("午餐")
    SUPPER = "supper", _("晚餐")


class Enrolment(TimeStampedModel):
    """A resident who receives meals: the kitchen, what they must not eat, who to call, and who
    pays what for each meal."""

    person = models.ForeignKey(
        "residents.Person",
        verbose_name=_("老人"),
        on_delete=models.PROTECT,
        related_name="meal_enrolments",
    )
    kitchen = models.ForeignKey(
        Kitchen, verbose_name=_("红色厨房"), on_delete=models.PROTECT, related_name="enrolments"
    )
    meals = models.CharField(_("用餐"), max_length=20, default=Meal.LUNCH)  # comma-separated
    diet = models.CharField(_("饮食注意"), max_length=200, blank=True)
    contact_name = models.CharField(_("紧急联系人"), max_length=50)
    contact_relation = models.CharField(_("关系"), max_length=20, blank=True)
    contact_is_guardian = models.BooleanField(_("是监护人"), default=False)
    # Like a person's phone: encrypted, a keyed hash and the masked form lists show.
    contact_phone_encrypted = models.TextField(editable=False)
    contact_phone_hash = models.CharField(max_length=64, editable=False)
    contact_phone_masked = models.CharField(_("联系人电话"), max_length=12, editable=False)
    payment = models.CharField(_("付费方式"), max_length=8, choices=Payment.choices)
    # Yuan per meal: what the resident pays and what the subsidy covers.
    resident_pays = models.DecimalField(_("个人每餐（元）"), max_digits=6, decimal_places=2)
    subsidy = models.DecimalField(_("补贴每餐（元）"), max_digits=6, decimal_places=2)
    subsidy_source = models.CharField(_("补贴来源"), max_length=80, blank=True)
    # The grid worker's visit that found the need (and saw where the meal is to be left).
    assessed_visit = models.ForeignKey(
        "residents.Visit",
        verbose_name=_("评估走访"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    starts_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("停止日期"), null=True, blank=True)
    end_reason = models.CharField(_("停止原因"), max_length=100, blank=True)
    is_active = models.BooleanField(_("在册"), default=True, db_index=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    contact_phone = pii.ProtectedPhone("contact_phone")

    objects: ClassVar[models.Manager["Enrolment"]]

    class Meta:
        verbose_name = _("助餐登记")
        verbose_name_plural = _("助餐登记")
        ordering = ("grid_path", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_active=True), name="kitchen_one_active_enrolment"
            ),
            models.CheckConstraint(
                condition=Q(payment__in=Payment.values), name="kitchen_payment_known"
            ),
            models.CheckConstraint(
                condition=Q(resident_pays__gte=0, subsidy__gte=0), name="kitchen_amounts_positive"
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_on__isnull=True)
                | Q(is_active=False, ended_on__isnull=False),
                name="kitchen_enrolment_end_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kitchen} · {self.person_id}"

    @property
    def meal_list(self) -> list[str]:
        return [m for m in self.meals.split(",") if m]


class MealPlan(models.Model):
    """One kitchen's meal for one grid on one day, with the window it must arrive in."""

    kitchen = models.ForeignKey(
        Kitchen, verbose_name=_("红色厨房"), on_delete=models.PROTECT, related_name="plans"
    )
    grid = models.ForeignKey(
        "grids.GridNode", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("日期"), db_index=True)
    meal = models.CharField(_("餐次"), max_length=8, choices=Meal.choices)
    window_start = models.DateTimeField(_("送达开始"))
    window_end = models.DateTimeField(_("送达截止"), db_index=True)
    menu = models.CharField(_("菜单"), max_length=200, blank=True)
    task = models.ForeignKey(
        "volunteering.Task",
        verbose_name=_("送餐志愿任务"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by the sweep once the window has passed and every meal still waiting raised its alert.
    closed_at = models.DateTimeField(_("截止处理时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["MealPlan"]]

    class Meta:
        verbose_name = _("送餐计划")
        verbose_name_plural = _("送餐计划")
        ordering = ("-day", "window_start", "grid_path")
        constraints = [
            models.UniqueConstraint(
                fields=["kitchen", "grid", "day", "meal"], name="kitchen_plan_unique"
            ),
            models.CheckConstraint(
                condition=Q(window_end__gt=models.F("window_start")), name="kitchen_window_order"
            ),
            models.CheckConstraint(condition=Q(meal__in=Meal.values), name="kitchen_meal_known"),
        ]
        indexes = [models.Index(fields=["closed_at", "window_end"])]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("待送")
    DELIVERED = "delivered", _("已送达")
    NOT_HOME = "not_home", _("不在家")
    REFUSED = "refused", _("拒收")


# The outcomes that mean the meal was not taken: each raises an alert at once.
MISSED = (Outcome.NOT_HOME, Outcome.REFUSED)


class Delivery(models.Model):
    """One enrolled resident's meal of one plan."""

    plan = models.ForeignKey(
        MealPlan, verbose_name=_("送餐计划"), on_delete=models.CASCADE, related_name="deliveries"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("助餐登记"), on_delete=models.PROTECT, related_name="deliveries"
    )
    outcome = models.CharField(
        _("结果"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING
    )
    # The time at the door, as the deliverer's phone recorded it (sent later when offline).
    recorded_at = models.DateTimeField(_("记录时间"), null=True, blank=True)
    received_at = models.DateTimeField(_("收到时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送餐人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Delivery"]]

    class Meta:
        verbose_name = _("送餐记录")
        verbose_name_plural = _("送餐记录")
        ordering = ("plan", "grid_path", "pk")
        constraints = [
            models.UniqueConstraint(fields=["plan", "enrolment"], name="kitchen_delivery_unique"),
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="kitchen_outcome_known"
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.PENDING) | Q(recorded_at__isnull=False),
                name="kitchen_recorded_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.get_outcome_display()


class DeliveryEvent(models.Model):
    """An outcome as it was recorded at the door, kept when a later one replaces it: a 不在家
    that alerted the grid worker and texted the family stays readable after the meal was
    delivered on a second knock (or a tap on the wrong button was put right). Append-only."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("送餐记录"), on_delete=models.CASCADE, related_name="events"
    )
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    # The outcome this record replaced: empty for the first record of the meal.
    replaced = models.CharField(_("原结果"), max_length=10, choices=Outcome.choices, blank=True)
    recorded_at = models.DateTimeField(_("记录时间"))
    received_at = models.DateTimeField(_("收到时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送餐人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects: ClassVar[models.Manager["DeliveryEvent"]]

    class Meta:
        verbose_name = _("送餐结果记录")
        verbose_name_plural = _("送餐结果记录")
        ordering = ("delivery", "received_at", "pk")

    def __str__(self) -> str:
        return self.get_outcome_display()


class Alert(models.Model):
    """A meal not delivered or not taken: the grid worker visits the same day, the emergency
    contact is told. One per delivery, however often the sweep or the deliverer reports it."""

    delivery = models.OneToOneField(
        Delivery, verbose_name=_("送餐记录"), on_delete=models.CASCADE, related_name="alert"
    )
    person = models.ForeignKey(
        "residents.Person", verbose_name=_("老人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("原因"), max_length=10, choices=Outcome.choices)
    raised_at = models.DateTimeField(_("提醒时间"), db_index=True)
    # The visit is due before the end of the day the meal was missed.
    visit_due = models.DateTimeField(_("走访期限"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访网格员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_told_at = models.DateTimeField(_("已告知联系人"), null=True, blank=True)
    # Set when a later record shows the meal was taken after all (a second knock).
    withdrawn_at = models.DateTimeField(_("已撤销"), null=True, blank=True)
    grid_path = models.CharField(max_length=400, db_index=True, editable=False)

    objects: ClassVar[models.Manager["Alert"]]

    class Meta:
        verbose_name = _("助餐异常提醒")
        verbose_name_plural = _("助餐异常提醒")
        ordering = ("-raised_at",)

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.raised_at:%Y-%m-%d}"
