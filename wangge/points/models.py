"""The 活力值 ledger (DOMAIN.md §6): treated like money.

Every movement is a Transfer whose Entries sum to zero (double entry); entries are never changed
or deleted, mistakes are reversed by a new transfer. `Account.balance` and `Account.held` are
caches of the entries kept in the same transaction, under a row lock, and guarded by database
CHECKs: a wallet can never go below zero, and what is held never exceeds what is there.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
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


def _account_for(kind: str, name: str) -> Account:
    return Account.objects.create(kind=kind, name=name[:80])


class Cabinet(models.Model):
    """An exchange cabinet (兑换柜): goods kept at a place, usually a community service centre,
    and handed over by its keepers."""

    name = models.CharField(_("名称"), max_length=80)
    place = models.CharField(
        _("位置"), max_length=120, help_text=_("如 碧沙岗社区党群服务中心一楼")
    )
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="+"
    )
    keepers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("管理员"), blank=True, related_name="cabinets"
    )
    opening_hours = models.CharField(_("开放时间"), max_length=60, blank=True)
    # Captured points land here: what the cabinet has handed over, in 活力值.
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="cabinet", editable=False
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Cabinet"]]

    class Meta:
        verbose_name = _("兑换柜")
        verbose_name_plural = _("兑换柜")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.account_id is None:
            self.account = _account_for(Account.Kind.MALL, f"兑换柜·{self.name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Merchant(models.Model):
    """A shop in the merchant alliance (商家联盟) offering free or discounted services."""

    name = models.CharField(_("商户名称"), max_length=80)
    address = models.CharField(_("地址"), max_length=120)
    node = models.ForeignKey(
        "grids.GridNode", verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("店员"), blank=True, related_name="merchants"
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="merchant", editable=False
    )
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Merchant"]]

    class Meta:
        verbose_name = _("联盟商户")
        verbose_name_plural = _("联盟商户")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.account_id is None:
            self.account = _account_for(Account.Kind.MERCHANT, f"商户·{self.name}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Item(models.Model):
    """One thing that can be redeemed: goods in one cabinet, or one offer of one merchant.

    The same goods in two cabinets are two items, each with its own stock, so an item id alone
    says where the voucher is redeemed. `stock` is what can still be redeemed; `reserved` is
    what vouchers have set aside and not yet collected. Both change only with a StockMovement,
    in the same transaction."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("兑换柜物品")
        OFFER = "offer", _("商户优惠")

    class OfferType(models.TextChoices):
        FREE = "free", _("免费服务")
        DISCOUNT = "discount", _("折扣服务")

    kind = models.CharField(_("类型"), max_length=8, choices=Kind.choices)
    cabinet = models.ForeignKey(
        Cabinet,
        verbose_name=_("兑换柜"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    merchant = models.ForeignKey(
        Merchant,
        verbose_name=_("商户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    name = models.CharField(_("名称"), max_length=60)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    points = models.PositiveIntegerField(_("所需活力值"))
    offer_type = models.CharField(
        _("优惠方式"), max_length=8, choices=OfferType.choices, blank=True
    )
    terms = models.CharField(_("使用条件"), max_length=300, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)
    stock = models.IntegerField(_("可兑数量"), default=0, editable=False)
    reserved = models.IntegerField(_("已预留"), default=0, editable=False)
    active = models.BooleanField(_("上架"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[models.Manager["Item"]]

    class Meta:
        verbose_name = _("兑换品")
        verbose_name_plural = _("兑换品")
        ordering = ("points", "id")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="goods", cabinet__isnull=False, merchant__isnull=True)
                    | models.Q(kind="offer", merchant__isnull=False, cabinet__isnull=True)
                ),
                name="item_goods_in_cabinet_offer_of_merchant",
            ),
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="item_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(reserved__gte=0), name="item_reserved_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(points__gt=0), name="item_points_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.place_name}）"

    @property
    def is_goods(self) -> bool:
        """Goods are collected at a cabinet; an offer is a merchant's service."""
        return self.kind == self.Kind.GOODS

    @property
    def place_name(self) -> str:
        place = self.cabinet if self.is_goods else self.merchant
        return place.name if place is not None else ""


class StockMovement(models.Model):
    """Append-only: every change of an item's stock or reservations, and why."""

    class Kind(models.TextChoices):
        RESTOCK = "restock", _("补货")
        ADJUST = "adjust", _("盘点调整")
        RESERVE = "reserve", _("兑换预留")
        RETURN = "return", _("取消退回")
        HANDOVER = "handover", _("核销交付")

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    stock_delta = models.IntegerField(_("可兑数量变化"), default=0)
    reserved_delta = models.IntegerField(_("预留变化"), default=0)
    voucher = models.ForeignKey(
        "Voucher", null=True, blank=True, on_delete=models.PROTECT, related_name="movements"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("库存变动")
        verbose_name_plural = _("库存变动")
        ordering = ("-created_at", "-id")
        constraints = [
            # One movement of each kind per voucher: a retried capture or release cannot move
            # stock twice.
            models.UniqueConstraint(
                fields=["voucher", "kind"],
                condition=models.Q(voucher__isnull=False),
                name="one_movement_per_voucher_step",
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.stock_delta:+d}/{self.reserved_delta:+d}"


class Voucher(models.Model):
    """What a redemption gives the resident: a code (and QR) that holds the points until the
    cabinet keeper or merchant captures it, or it is cancelled or times out."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("待使用")
        USED = "used", _("已使用")
        CANCELLED = "cancelled", _("已取消")
        EXPIRED = "expired", _("已过期")

    code = models.CharField(_("兑换码"), max_length=12, unique=True)
    item = models.ForeignKey(
        Item, verbose_name=_("兑换品"), on_delete=models.PROTECT, related_name="vouchers"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("兑换人"),
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    points = models.PositiveIntegerField(_("活力值"))
    hold = models.OneToOneField(Hold, on_delete=models.PROTECT, related_name="voucher")
    # The client's key for this redemption, unique per person: a repeated request gets this
    # voucher back instead of a second one.
    idempotency_key = models.CharField(max_length=64)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ISSUED
    )
    expires_at = models.DateTimeField(_("有效期至"))
    created_at = models.DateTimeField(_("兑换时间"), auto_now_add=True)
    settled_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: ClassVar[models.Manager["Voucher"]]

    class Meta:
        verbose_name = _("兑换券")
        verbose_name_plural = _("兑换券")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"], name="one_voucher_per_owner_key"
            )
        ]
        # The timeout sweeper reads issued vouchers by expiry.
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.display_code

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def is_open(self) -> bool:
        """Issued and not yet settled: the points are still held for it."""
        return self.status == self.Status.ISSUED

    @property
    def is_used(self) -> bool:
        return self.status == self.Status.USED

    @property
    def is_past_expiry(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def can_capture(self) -> bool:
        """What the counter may still capture (mall.voucher_capture also checks the place)."""
        return self.is_open and not self.is_past_expiry


class ReconciliationReport(models.Model):
    """The nightly check of the ledger's invariants and the cabinets' stock."""

    ran_at = models.DateTimeField(_("核对时间"), auto_now_add=True, db_index=True)
    ok = models.BooleanField(_("无差异"))
    problems = models.JSONField(_("差异"), default=list)
    totals = models.JSONField(_("汇总"), default=dict)

    class Meta:
        verbose_name = _("对账报告")
        verbose_name_plural = _("对账报告")
        ordering = ("-ran_at",)

    def __str__(self) -> str:
        return f"{self.ran_at:%Y-%m-%d %H:%M} {'OK' if self.ok else len(self.problems)}"
