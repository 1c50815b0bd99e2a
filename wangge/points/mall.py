"""积分兑换: redeeming 活力值 for goods from an exchange cabinet or an alliance merchant's offer.

Two steps, like a card payment: redeeming issues a voucher that holds the points and reserves
one unit of stock, in one transaction; the cabinet keeper or merchant captures the voucher when
the goods or service are handed over; a cancel or a timeout releases the hold and returns the
unit.

Locks are always taken in the same order — voucher, item, then ledger accounts (which the
ledger locks in id order) — so a redemption, a capture and a release never wait on each other
in a cycle."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import User
from wangge.core.calendar import local_date, midnight
from wangge.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wangge.points.models import Item, StockMovement, Voucher
from wangge.points.services import (
    points_capture,
    points_hold,
    points_release,
    wallet_for,
)

# How long a voucher stays valid for collection (never past the offer's last day).
VOUCHER_TTL = timedelta(days=3)
# No 0/O, 1/I/L: codes are read aloud and typed at the counter.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def normalize_code(raw: str) -> str:
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _move(
    item: Item,
    *,
    kind: str,
    stock: int = 0,
    reserved: int = 0,
    voucher: Voucher | None = None,
    actor: User | None = None,
    note: str = "",
) -> None:
    """Change the (locked) item's counts and write the movement that explains it."""
    StockMovement.objects.create(
        item=item,
        kind=kind,
        stock_delta=stock,
        reserved_delta=reserved,
        voucher=voucher,
        actor=actor,
        note=note[:200],
    )
    Item.objects.filter(pk=item.pk).update(
        stock=F("stock") + stock, reserved=F("reserved") + reserved
    )
    item.stock += stock
    item.reserved += reserved


@transaction.atomic
def item_restock(*, item: Item, quantity: int, actor: User | None, note: str = "") -> Item:
    """Put goods into the cabinet (or add to an offer's quantity); a negative quantity is a
    stock-take correction and may not take the stock below zero."""
    if not isinstance(quantity, int) or quantity == 0:
        raise ValidationFailed(_("数量须为非零整数"))
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if locked.stock + quantity < 0:
        raise ValidationFailed(
            _("可兑数量只有 %(stock)d，不能减少 %(n)d") % {"stock": locked.stock, "n": -quantity}
        )
    kind = StockMovement.Kind.RESTOCK if quantity > 0 else StockMovement.Kind.ADJUST
    _move(locked, kind=kind, stock=quantity, actor=actor, note=note)
    return locked


def _redeemable(item: Item, now: datetime) -> None:
    today = local_date(now)
    place = item.cabinet if item.kind == Item.Kind.GOODS else item.merchant
    if not item.active or place is None or not place.active:
        raise Conflict(_("该兑换品已下架"))
    if item.valid_from and today < item.valid_from:
        raise Conflict(_("该优惠 %(day)s 起才能兑换") % {"day": item.valid_from})
    if item.valid_until and today > item.valid_until:
        raise Conflict(_("该优惠已过有效期"))
    if item.stock <= 0:
        raise Conflict(_("该兑换品已兑完"))


@dataclass(frozen=True)
class Redemption:
    voucher: Voucher
    created: bool


def redemption_create(*, owner: User, item_id: int, idempotency_key: str) -> Redemption:
    """Redeem one unit of an item: a voucher that holds its points and reserves one unit.
    The same key from the same person returns the same voucher (created=False)."""
    key = idempotency_key.strip()
    if not key or len(key) > 64:
        raise ValidationFailed(_("幂等键须为 1–64 个字符"))
    try:
        with transaction.atomic():
            item = (
                Item.objects.select_for_update(of=("self",))
                .select_related("cabinet", "merchant")
                .filter(pk=item_id)
                .first()
            )
            if item is None:
                raise NotFound(_("没有这个兑换品"))
            # Checked under the item's lock: a repeat that raced in behind the first request
            # now sees the voucher it made.
            done = Voucher.objects.filter(owner=owner, idempotency_key=key).first()
            if done is not None:
                if done.item_id != item.pk:
                    raise Conflict(_("这个幂等键已用于另一次兑换"))
                return Redemption(done, created=False)
            now = timezone.now()
            _redeemable(item, now)
            expires_at = now + VOUCHER_TTL
            if item.valid_until:
                last = midnight(item.valid_until + timedelta(days=1))
                expires_at = min(expires_at, last)
            hold = points_hold(
                wallet=wallet_for(owner),
                amount=item.points,
                key=f"voucher:{owner.pk}:{key}",
                reason=_("兑换 %(item)s") % {"item": item.name},
                expires_at=expires_at,
            )
            voucher = Voucher.objects.create(
                code=_unique_code(),
                item=item,
                owner=owner,
                points=item.points,
                hold=hold,
                idempotency_key=key,
                expires_at=expires_at,
            )
            _move(item, kind=StockMovement.Kind.RESERVE, stock=-1, reserved=1, voucher=voucher)
            return Redemption(voucher, created=True)
    except IntegrityError:
        done = Voucher.objects.filter(owner=owner, idempotency_key=key).first()
        if done is None:
            raise
        return Redemption(done, created=False)


def _unique_code() -> str:
    for _attempt in range(5):
        code = _new_code()
        if not Voucher.objects.filter(code=code).exists():
            return code
    raise Conflict(_("兑换码生成失败，请重试"))


def places_of(user: User) -> tuple[list[int], list[int]]:
    """(cabinet ids the user keeps, merchant ids the user serves)."""
    return (
        list(user.cabinets.filter(active=True).values_list("pk", flat=True)),
        list(user.merchants.filter(active=True).values_list("pk", flat=True)),
    )


def may_capture(user: User, item: Item) -> bool:
    cabinets, merchants = places_of(user)
    if item.kind == Item.Kind.GOODS:
        return item.cabinet_id in cabinets
    return item.merchant_id in merchants


_SETTLED = {
    Voucher.Status.USED: _("该兑换券已使用"),
    Voucher.Status.CANCELLED: _("该兑换券已取消"),
    Voucher.Status.EXPIRED: _("该兑换券已过期"),
}


def _settled_message(voucher: Voucher) -> str:
    return str(_SETTLED[voucher.status])  # type: ignore[index]


@transaction.atomic
def voucher_capture(*, code: str, actor: User) -> Voucher:
    """The keeper or merchant hands the goods or service over: the held points go to the
    cabinet's or merchant's account and the reserved unit leaves the stock."""
    cabinets, merchants = places_of(actor)
    if not cabinets and not merchants:
        raise PermissionDenied(_("只有兑换柜管理员或联盟商户可以核销"))
    voucher = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(code=normalize_code(code))
        .first()
    )
    if voucher is None:
        raise NotFound(_("兑换码不存在，请核对后重新输入"))
    if not may_capture(actor, voucher.item):
        raise Conflict(
            _("该兑换券属于%(place)s，不能在这里核销") % {"place": voucher.item.place_name}
        )
    if voucher.status != Voucher.Status.ISSUED:
        raise Conflict(_settled_message(voucher))
    if voucher.expires_at <= timezone.now():
        raise Conflict(_("该兑换券已过期"))
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("cabinet", "merchant")
        .get(pk=voucher.item_id)
    )
    place = item.cabinet if item.kind == Item.Kind.GOODS else item.merchant
    assert place is not None
    points_capture(
        hold=voucher.hold,
        to=place.account,
        key=f"capture:voucher:{voucher.pk}",
        reason=_("核销 %(item)s（%(code)s）") % {"item": item.name, "code": voucher.display_code},
    )
    _move(
        item,
        kind=StockMovement.Kind.HANDOVER,
        reserved=-1,
        voucher=voucher,
        actor=actor,
    )
    voucher.status = Voucher.Status.USED
    voucher.settled_at = timezone.now()
    voucher.captured_by = actor
    voucher.save(update_fields=["status", "settled_at", "captured_by"])
    return voucher


def _release(voucher: Voucher, *, status: str, actor: User | None, note: str) -> None:
    """Within the caller's transaction, with the voucher locked and still issued."""
    item = Item.objects.select_for_update().get(pk=voucher.item_id)
    points_release(hold=voucher.hold, key=f"release:voucher:{voucher.pk}", reason=note)
    _move(
        item,
        kind=StockMovement.Kind.RETURN,
        stock=1,
        reserved=-1,
        voucher=voucher,
        actor=actor,
        note=note,
    )
    voucher.status = status
    voucher.settled_at = timezone.now()
    voucher.save(update_fields=["status", "settled_at"])


@transaction.atomic
def voucher_cancel(*, code: str, owner: User) -> Voucher:
    voucher = (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("item")
        .filter(code=normalize_code(code), owner=owner)
        .first()
    )
    if voucher is None:
        raise NotFound(_("没有这张兑换券"))
    if voucher.status != Voucher.Status.ISSUED:
        raise Conflict(_settled_message(voucher))
    _release(
        voucher,
        status=Voucher.Status.CANCELLED,
        actor=owner,
        note=_("取消兑换 %(item)s") % {"item": voucher.item.name},
    )
    return voucher


def vouchers_timeout(*, now: datetime | None = None) -> int:
    """Release every voucher past its time; each in its own transaction, re-checked under the
    lock, so a capture that got there first wins and two sweepers never release twice."""
    now = now or timezone.now()
    due = list(
        Voucher.objects.filter(status=Voucher.Status.ISSUED, expires_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    released = 0
    for pk in due:
        with transaction.atomic():
            voucher = (
                Voucher.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("item")
                .filter(pk=pk, status=Voucher.Status.ISSUED, expires_at__lte=now)
                .first()
            )
            if voucher is None:
                continue
            _release(
                voucher,
                status=Voucher.Status.EXPIRED,
                actor=None,
                note=_("兑换券过期未使用：%(item)s") % {"item": voucher.item.name},
            )
            released += 1
    return released
