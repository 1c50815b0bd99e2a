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
