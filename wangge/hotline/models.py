"""The 12345 adapter's own records: every order received, and every result sent back."""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wangge.cases.models import Case, Category


class HotlineOrder(models.Model):
    """One 12345 work order as it arrived. The hotline retries, so one row counts the repeats."""

    class Source(models.TextChoices):
        API = "api", _("热线接口")
        DESK = "desk", _("受理台录入")
        HISTORY = "history", _("历史工单导入")

    order_no = models.CharField(_("工单编号"), max_length=64, unique=True)
    received_at = models.DateTimeField(_("来电/受理时间"))
    # What was posted, with the caller's phone masked: logs and the admin never hold it in clear.
    payload = models.JSONField(_("工单内容"), default=dict)
    case = models.ForeignKey(
        Case, verbose_name=_("事件"), on_delete=models.PROTECT, related_name="hotline_orders"
    )
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices, default=Source.API)
    # A number the desk generated (DESK-…) is unknown to the 12345 system: nothing goes back.
    reply_expected = models.BooleanField(_("需回传热线"), default=True)
    first_seen_at = models.DateTimeField(_("首次接收"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("最近接收"), auto_now=True)
    deliveries_count = models.PositiveIntegerField(_("接收次数"), default=1)

    objects: ClassVar[models.Manager["HotlineOrder"]]

    class Meta:
        verbose_name = _("12345工单")
        verbose_name_plural = _("12345工单")
        ordering = ("-first_seen_at", "-id")

    def __str__(self) -> str:
        return self.order_no


class PlatformCategory(models.Model):
    """The 12345 platform's own category (its 3-level classification), mapped by the operator
    onto a leaf of our catalogue. A mapped code decides an order's category; an unmapped one
    is kept on the case and the category model suggests."""

    class Source(models.TextChoices):
        OPERATOR = "operator", _("人工维护")
        CATALOGUE = "catalogue", _("目录外部编码")
        HISTORY = "history", _("历史工单推荐")

    code = models.CharField(_("平台分类编码"), max_length=60, unique=True)
    name = models.CharField(_("平台分类名称"), max_length=120, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("对应分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platform_categories",
        limit_choices_to={"children__isnull": True, "is_active": True},
    )
    # What history suggests (the leaf most of the platform's orders of this code ended under,
    # and its share), for the operator to accept; it decides nothing by itself.
    suggested = models.ForeignKey(
        Category,
        verbose_name=_("推荐分类"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_share = models.FloatField(_("推荐依据占比"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    seen = models.PositiveIntegerField(_("出现次数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects: ClassVar[models.Manager["PlatformCategory"]]

    class Meta:
        verbose_name = _("平台分类映射")
        verbose_name_plural = _("平台分类映射")
        ordering = ("code",)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Delivery(models.Model):
    """One result sent back to the hotline (回传), with its attempts. Sent in order per case."""

    class Kind(models.TextChoices):
        ACCEPTED = "accepted", _("受理")
        RESOLVED = "resolved", _("办结")
        RETURNED = "returned", _("退单")
        CLOSED = "closed", _("结案")

    class State(models.TextChoices):
        PENDING = "pending", _("待推送")
        SENT = "sent", _("已推送")
        FAILED = "failed", _("推送失败")
        DISABLED = "disabled", _("未启用回传")

    case = models.ForeignKey(
        Case, verbose_name=_("事件"), on_delete=models.CASCADE, related_name="hotline_deliveries"
    )
    order_no = models.CharField(_("工单编号"), max_length=64)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    payload = models.JSONField(_("回传内容"), default=dict)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("最近响应码"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("推送成功时间"), null=True, blank=True)

    objects: ClassVar[models.Manager["Delivery"]]

    class Meta:
        verbose_name = _("热线回传")
        verbose_name_plural = _("热线回传")
        ordering = ("id",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "sent", "failed", "disabled"]),
                name="hotline_delivery_state_known",
            ),
        ]
        indexes = [
            # The sweep: pending rows whose next attempt is due.
            models.Index(fields=["state", "next_attempt_at"], name="hotline_delivery_due"),
            # "Is an earlier delivery of this case still outstanding?" on every claim.
            models.Index(fields=["case", "state"], name="hotline_delivery_case_state"),
        ]

    def __str__(self) -> str:
        return f"{self.order_no} {self.get_kind_display()} {self.get_state_display()}"

    @property
    def is_waiting(self) -> bool:
        """Still to be pushed (again) by the worker."""
        return self.state == self.State.PENDING

    @property
    def can_retry(self) -> bool:
        """Only a failed push is pushed again by hand (delivery_retry refuses the rest)."""
        return self.state == self.State.FAILED
