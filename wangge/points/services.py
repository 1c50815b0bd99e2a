"""Every movement of 活力值. Each function takes an idempotency key and is one transaction:
repeating a key returns the transfer it made the first time; under any concurrency the
balances stay non-negative because accounts are locked (in id order, so two transfers between
the same accounts never deadlock) and re-checked before anything is written."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.calendar import local_date
from wangge.core.errors import Conflict, ValidationFailed
from wangge.grids.indexes import node_table
from wangge.grids.models import GridLevel, GridNode
from wangge.grids.selectors import ancestor
from wangge.points.models import Account, Earning, EarningRule, Entry, Hold, Transfer

HOLD_TTL = timedelta(minutes=30)


class InsufficientPoints(Conflict):
    pass


class BudgetExhausted(Conflict):
    """The issuing organisation's budget cannot cover an award."""


@dataclass(frozen=True)
class Leg:
    account_id: int
    amount: int = 0
    held_delta: int = 0


def wallet_for(user: User) -> Account:
    account = Account.objects.filter(kind=Account.Kind.WALLET, owner=user).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            # A resident who has not given a name yet: the masked number labels the wallet in
            # the admin and the ledger; the account row never holds the number itself.
            return Account.objects.create(
                kind=Account.Kind.WALLET, owner=user, name=user.name or user.masked_phone
            )
    except IntegrityError:
        return Account.objects.get(kind=Account.Kind.WALLET, owner=user)


def system_account(kind: str, name: str) -> Account:
    account, _created = Account.objects.get_or_create(kind=kind, owner=None, name=name)
    return account


def community_issuer(node: GridNode) -> Account:
    """The issuing account of the community `node` lies in (the node itself when it is above
    the community level). It pays for service the community itself stands behind: a resident's
    own volunteer task that the community approved, a 微心愿 the grid confirmed as fulfilled."""
    community = ancestor(node, GridLevel.COMMUNITY) or node
    return system_account(Account.Kind.ISSUER, _("%(c)s志愿服务") % {"c": community.name})


def _post(
    *,
    kind: str,
    key: str,
    reason: str,
    legs: Iterable[Leg],
    hold: Hold | None = None,
    reverses: Transfer | None = None,
) -> Transfer:
    """Write one balanced transfer, or return the one already written under `key`."""
    legs = [leg for leg in legs if leg.amount or leg.held_delta]
    if sum(leg.amount for leg in legs) != 0:
        raise ValueError("a transfer's entries must sum to zero")
    existing = Transfer.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            ids = sorted({leg.account_id for leg in legs})
            accounts = {
                a.pk: a
                for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
            }
            for leg in legs:
                a = accounts[leg.account_id]
                balance, held = a.balance + leg.amount, a.held + leg.held_delta
                if a.kind != Account.Kind.SOURCE and (balance < 0 or held > balance):
                    raise InsufficientPoints(_("活力值不足"))
                if held < 0:
                    raise Conflict(_("冻结金额有误"))
                a.balance, a.held = balance, held
            transfer = Transfer.objects.create(
                kind=kind, idempotency_key=key, reason=reason[:200], hold=hold, reverses=reverses
            )
            Entry.objects.bulk_create(
                Entry(
                    transfer=transfer,
                    account_id=leg.account_id,
                    amount=leg.amount,
                    held_delta=leg.held_delta,
                )
                for leg in legs
            )
            for leg in legs:
                Account.objects.filter(pk=leg.account_id).update(
                    balance=F("balance") + leg.amount, held=F("held") + leg.held_delta
                )
            return transfer
    except IntegrityError:
        # The same key raced in from another request: answer as it was answered.
        existing = Transfer.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return existing


def _positive(amount: int) -> int:
    if not isinstance(amount, int) or amount <= 0:
        raise ValidationFailed(_("数量须为正整数"))
    return amount


def source_name() -> str:
    """The name of the account budgets are issued from, from the data: the imported tree's top
    (中原区活力值 for a district alone), a neutral name when several districts share the
    instance, or POINTS_SOURCE_NAME where the operator names it."""
    if settings.POINTS_SOURCE_NAME:
        return str(settings.POINTS_SOURCE_NAME)
    roots = node_table().roots
    if len(roots) == 1:
        return _("%(unit)s活力值") % {"unit": roots[0].name}
    return _("活力值总账")


def source_account() -> Account:
    """The instance's one source account, under today's name. The tree's top can change under
    it (a city imported above a district that already issued points, a second district beside
    the first): the account keeps its ledger and takes the new name, rather than a second
    source opening beside it. Where two exist already, the oldest goes on."""
    name = source_name()
    account = Account.objects.filter(kind=Account.Kind.SOURCE, owner=None).order_by("pk").first()
    if account is None:
        return system_account(Account.Kind.SOURCE, name)
    if account.name != name:
        Account.objects.filter(pk=account.pk).update(name=name)
        account.name = name
    return account


def points_budget(*, issuer: Account, amount: int, key: str, reason: str = "") -> Transfer:
    source = source_account()
    return _post(
        kind=Transfer.Kind.BUDGET,
        key=key,
        reason=reason or _("预算下拨"),
        legs=[Leg(source.pk, -_positive(amount)), Leg(issuer.pk, amount)],
    )


def points_award(
    *, issuer: Account, wallet: Account, amount: int, key: str, reason: str
) -> Transfer:
    return _post(
        kind=Transfer.Kind.AWARD,
        key=key,
        reason=reason,
        legs=[Leg(issuer.pk, -_positive(amount)), Leg(wallet.pk, amount)],
    )


@transaction.atomic
def points_hold(
    *, wallet: Account, amount: int, key: str, reason: str, expires_at: datetime | None = None
) -> Hold:
    existing = Transfer.objects.filter(idempotency_key=key).select_related("hold").first()
    if existing is not None and existing.hold is not None:
        return existing.hold
    hold = Hold.objects.create(
        account=wallet, amount=_positive(amount), expires_at=expires_at or timezone.now() + HOLD_TTL
    )
    transfer = _post(
        kind=Transfer.Kind.HOLD, key=key, reason=reason, hold=hold, legs=[Leg(wallet.pk, 0, amount)]
    )
    if transfer.hold_id != hold.pk:
        # The same key won a race elsewhere: this request's hold row was never booked.
        hold.delete()
        assert transfer.hold is not None
        return transfer.hold
    return hold


@transaction.atomic
def _hold_end(*, hold: Hold, to: Account | None, key: str, reason: str) -> Transfer:
    """The one way a hold ends, under its lock and once per key: captured, the held points
    leaving the wallet for `to`, or released back to the wallet's balance (no `to`); refused
    once the hold has ended either way."""
    locked = Hold.objects.select_for_update().get(pk=hold.pk)
    done = Transfer.objects.filter(idempotency_key=key).first()
    if done is not None:
        return done
    if locked.status != Hold.Status.HELD:
        raise Conflict(_("该兑换券已使用或已失效"))
    if to is None:
        locked.status, kind = Hold.Status.RELEASED, Transfer.Kind.RELEASE
        legs = [Leg(locked.account_id, 0, -locked.amount)]
    else:
        locked.status, kind = Hold.Status.CAPTURED, Transfer.Kind.CAPTURE
        legs = [Leg(locked.account_id, -locked.amount, -locked.amount), Leg(to.pk, locked.amount)]
    locked.save(update_fields=["status"])
    return _post(kind=kind, key=key, reason=reason, hold=locked, legs=legs)


def points_capture(*, hold: Hold, to: Account, key: str, reason: str) -> Transfer:
    """The voucher is used: the held points leave the wallet for the merchant or the mall."""
    return _hold_end(hold=hold, to=to, key=key, reason=reason)


def points_release(*, hold: Hold, key: str, reason: str) -> Transfer:
    """The voucher is cancelled or expired: the held points are free to spend again."""
    return _hold_end(hold=hold, to=None, key=key, reason=reason)


def points_expire(*, wallet: Account, amount: int, key: str, reason: str) -> Transfer:
    sink = system_account(Account.Kind.EXPIRED, "过期活力值")
    return _post(
        kind=Transfer.Kind.EXPIRE,
        key=key,
        reason=reason,
        legs=[Leg(wallet.pk, -_positive(amount)), Leg(sink.pk, amount)],
    )


@transaction.atomic
def points_reverse(*, transfer: Transfer, key: str, reason: str) -> Transfer:
    """Undo a transfer with its mirror image; refused if that would take a wallet below zero
    (the points were already spent) or if it was already reversed."""
    if transfer.kind in (Transfer.Kind.HOLD, Transfer.Kind.RELEASE, Transfer.Kind.REVERSE):
        raise ValidationFailed(_("冻结、解冻和冲正不能再冲正"))
    done = Transfer.objects.filter(idempotency_key=key).first()
    if done is not None:
        return done
    if Transfer.objects.filter(reverses=transfer).exists():
        raise Conflict(_("该笔流水已冲正"))
    legs = [Leg(e.account_id, -e.amount, -e.held_delta) for e in transfer.entries.all()]
    return _post(kind=Transfer.Kind.REVERSE, key=key, reason=reason, legs=legs, reverses=transfer)


def _quantity(value: int | Decimal | float | str) -> Decimal:
    try:
        q = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("数量须为正数")) from None
    if not q.is_finite() or q <= 0 or q >= 1_000_000:
        raise ValidationFailed(_("数量须为正数"))
    return q.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def earn(
    *,
    rule_code: str,
    owner: User,
    issuer_account: Account,
    quantity: int | Decimal = 1,
    idempotency_key: str,
    reason: str,
    occurred_at: datetime,
) -> Transfer | None:
    """Award `owner` what the rule `rule_code` says `quantity` (hours for a per-hour rule, a
    count otherwise) is worth, paid from `issuer_account`'s budget.

    The rule's daily cap counts the person's earnings under that rule on the Asia/Shanghai day
    of `occurred_at`; what exceeds it is not granted. Returns the award transfer, or None when
    nothing was granted (cap reached, or the rule is switched off). Repeating an
    idempotency key returns the first answer and writes nothing. An empty budget is a
    BudgetExhausted (409) and writes nothing."""
    if not idempotency_key or len(idempotency_key) > 90:
        raise ValidationFailed(_("幂等键须为 1–90 个字符"))
    rule = EarningRule.objects.filter(code=rule_code).first()
    if rule is None:
        raise ValidationFailed(_("没有代码为 %(code)s 的活力值规则") % {"code": rule_code})
    if issuer_account.kind != Account.Kind.ISSUER:
        raise ValidationFailed(_("活力值只能从发放账户发放"))
    amount = _quantity(quantity)
    wallet = wallet_for(owner)
    try:
        with transaction.atomic():
            # Lock both accounts in id order, as _post does, so an earning and a plain award
            # between the same accounts never wait on each other in a cycle; the wallet lock
            # serialises one person's earnings, which makes the cap check below exact.
            list(
                Account.objects.select_for_update()
                .filter(pk__in=[wallet.pk, issuer_account.pk])
                .order_by("pk")
            )
            done = Earning.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return done.transfer
            day = local_date(occurred_at)
            requested = int((rule.points * amount).to_integral_value(rounding=ROUND_HALF_UP))
            granted, outcome = requested, Earning.Outcome.AWARDED
            if not rule.active:
                granted, outcome = 0, Earning.Outcome.INACTIVE
            elif rule.daily_cap is not None:
                so_far = (
                    Earning.objects.filter(owner=owner, rule=rule, day=day).aggregate(
                        s=Sum("granted")
                    )["s"]
                    or 0
                )
                granted = max(0, min(requested, rule.daily_cap - so_far))
                if granted < requested:
                    outcome = Earning.Outcome.CAPPED
            text = (reason or rule.name)[:200]
            transfer = None
            if granted > 0:
                try:
                    transfer = points_award(
                        issuer=issuer_account,
                        wallet=wallet,
                        amount=granted,
                        key=f"earn:{idempotency_key}",
                        reason=text,
                    )
                except InsufficientPoints:
                    raise BudgetExhausted(
                        _("%(issuer)s 的活力值预算不足") % {"issuer": issuer_account.name}
                    ) from None
            Earning.objects.create(
                rule=rule,
                owner=owner,
                issuer=issuer_account,
                quantity=amount,
                requested=requested,
                granted=granted,
                outcome=outcome,
                day=day,
                occurred_at=occurred_at,
                idempotency_key=idempotency_key,
                reason=text,
                transfer=transfer,
            )
            return transfer
    except IntegrityError:
        # The same key raced in for another person's wallet: answer as it was answered.
        done = Earning.objects.filter(idempotency_key=idempotency_key).first()
        if done is None:
            raise
        return done.transfer
