"""The 活力值 ledger (DOMAIN.md §6): treated like money.

Every movement is a Transfer whose Entries sum to zero (double entry); entries are never changed
or deleted, mistakes are reversed by a new transfer. `Account.balance` and `Account.held` are
caches of the entries kept in the same transaction, under a row lock, and guarded by database
CHECKs: a wallet can never go below zero, and what is held never exceeds what is there.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    class Kind(models.TextChoices):
        WALLET = "wallet", _("居民钱包")
        ISSUER = "issuer", _("发放账户")  # an organisation's budget
        MALL = "mall", _("积分商城")
        MERCHANT = "merchant", _("联盟商户")
        EXPIRED = "expired", _("过期回收")
        SOURCE = (
            "source",
            _("活力值来源"),
        )  # the district's mint: the only account that may go negative

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_accounts",
    )
    name = models.CharField(_("名称"), max_length=80)
    balance = models.BigIntegerField(_("余额"), default=0)
    held = models.BigIntegerField(_("冻结"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Account"]]

    class Meta:
        verbose_name = _("活力值账户")
        verbose_name_plural = _("活力值账户")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="source") | models.Q(balance__gte=0),
                name="no_negative_balance",
            ),
            models.CheckConstraint(condition=models.Q(held__gte=0), name="held_not_negative"),
            models.CheckConstraint(
                condition=models.Q(kind="source") | models.Q(held__lte=models.F("balance")),
                name="held_within_balance",
            ),
            models.UniqueConstraint(
                fields=["owner"], condition=models.Q(kind="wallet"), name="one_wallet_per_person"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def available(self) -> int:
        return self.balance - self.held


class Transfer(models.Model):
    class Kind(models.TextChoices):
        BUDGET = "budget", _("预算下拨")
        AWARD = "award", _("奖励")
        HOLD = "hold", _("冻结")
        RELEASE = "release", _("解冻")
        CAPTURE = "capture", _("兑换")
        EXPIRE = "expire", _("过期")
        REVERSE = "reverse", _("冲正")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    # Every write carries one; repeating it returns the first result instead of a second entry.
    idempotency_key = models.CharField(max_length=100, unique=True)
    reason = models.CharField(_("事由"), max_length=200)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    hold = models.ForeignKey(
        "Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("活力值流水")
        verbose_name_plural = _("活力值流水")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reason}"


class Entry(models.Model):
    """One leg of a transfer. `amount` moves the balance; `held_delta` moves what is held."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    amount = models.BigIntegerField(default=0)
    held_delta = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+d}"


class Hold(models.Model):
    """Points set aside for a voucher until the item is handed over (captured) or not (released)."""

    class Status(models.TextChoices):
        HELD = "held", _("冻结中")
        CAPTURED = "captured", _("已兑换")
        RELEASED = "released", _("已释放")

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holds")
    amount = models.BigIntegerField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.HELD, db_index=True
    )
    expires_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="hold_positive")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount} {self.status}"


class EarningRule(models.Model):
    """How many 活力值 a kind of good work earns (DOMAIN.md §6: earning rules are data).

    Callers name a rule by `code` and say how much was done (hours or a count); the rule says
    what that is worth and how much one person may earn by it in one day. Administrators change
    points and caps here without a release; a rule switched off earns nothing."""

    class Kind(models.TextChoices):
        PER_HOUR = "per_hour", _("按认证时长")
        PER_TASK = "per_task", _("按任务固定")
        PER_EVENT = "per_event", _("按事件")

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    kind = models.CharField(_("计分方式"), max_length=10, choices=Kind.choices)
    category = models.CharField(
        _("服务类别"),
        max_length=30,
        blank=True,
        help_text=_("按时长计分的规则所对应的服务类别，如 环境整治、关爱帮扶"),
    )
    points = models.PositiveIntegerField(
        _("活力值"), help_text=_("每小时、每次任务或每件事的活力值")
    )
    daily_cap = models.PositiveIntegerField(
        _("每人每日上限"),
        null=True,
        blank=True,
        help_text=_("同一人一天（北京时间）按此规则最多获得的活力值；留空为不限"),
    )
    active = models.BooleanField(_("启用"), default=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects: ClassVar[models.Manager["EarningRule"]]

    class Meta:
        verbose_name = _("活力值获取规则")
        verbose_name_plural = _("活力值获取规则")
        ordering = ("kind", "code")
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gt=0), name="rule_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Earning(models.Model):
    """One application of an earning rule to a person: what was asked, what the cap let through,
    and the award transfer (none when nothing was granted). The daily cap is counted from these
    rows, and a repeated idempotency key finds its first answer here."""

    class Outcome(models.TextChoices):
        AWARDED = "awarded", _("已发放")
        CAPPED = "capped", _("已达每日上限")
        INACTIVE = "inactive", _("规则已停用")

    rule = models.ForeignKey(
        EarningRule, verbose_name=_("规则"), on_delete=models.PROTECT, related_name="earnings"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("获得人"),
        on_delete=models.PROTECT,
        related_name="points_earnings",
    )
    issuer = models.ForeignKey(
        Account, verbose_name=_("发放账户"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2)
    requested = models.PositiveIntegerField(_("按规则应得"))
    granted = models.PositiveIntegerField(_("实得"))
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices)
    day = models.DateField(_("日期"), help_text=_("发生日（北京时间），每日上限按此计"))
    occurred_at = models.DateTimeField(_("发生时间"))
    idempotency_key = models.CharField(max_length=90, unique=True)
    reason = models.CharField(_("事由"), max_length=200)
    transfer = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="earning"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Earning"]]

    class Meta:
        verbose_name = _("活力值获得记录")
        verbose_name_plural = _("活力值获得记录")
        ordering = ("-created_at", "-id")
        # The cap sums one person's earnings under one rule on one day.
        indexes = [models.Index(fields=["owner", "rule", "day"])]

    def __str__(self) -> str:
        return f"{self.rule.code} {self.owner_id} {self.granted}"
