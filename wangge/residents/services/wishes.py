"""微心愿: a wish raised at a visit, published, claimed by a volunteer, fulfilled, thanked and
paid in points."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.accounts.models import (
    User,
)
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.core.scope import path_in_scope
from wangge.grids.models import GridNode
from wangge.notifications.services import notify
from wangge.points.models import Account, Earning
from wangge.points.services import BudgetExhausted, community_issuer, earn
from wangge.residents.models import (
    Person,
    Visit,
    Wish,
    WishPhoto,
    WishStatus,
)
from wangge.residents.selectors import (
    VOLUNTEER_ROLES,
    wish_board,
    wish_points,
)
from wangge.residents.services.visits import visit_record


def _staff_for(actor: User, wish: Wish) -> None:
    if not actor.is_grid_staff or not path_in_scope(actor, wish.grid_path):
        raise PermissionDenied(_("该心愿不在您负责的网格内"))


def _move_wish(wish: Wish, expected: str, **changes: object) -> Wish:
    """Change a wish only if it is still in `expected`: two volunteers tapping 认领 at once
    cannot both get it."""
    done = Wish.objects.filter(pk=wish.pk, status=expected).update(
        updated_at=timezone.now(), **changes
    )
    if not done:
        raise Conflict(_("该心愿的状态已变化，请刷新后再试"))
    wish.refresh_from_db()
    return wish


@transaction.atomic
def wish_raise(
    *, actor: User, person: Person, title: str, detail: str = "", visit: Visit | None = None
) -> Wish:
    """Record a wish of (or for) a person; it waits for staff to publish it."""
    if not actor.is_grid_staff or not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    title = title.strip()
    if not title:
        raise ValidationFailed(_("请填写心愿"))
    if len(title) > 100:
        raise ValidationFailed(_("心愿不能超过 100 字"))
    return Wish.objects.create(
        person=person,
        visit=visit,
        title=title,
        detail=detail.strip(),
        raised_by=actor,
        grid_path=person.grid_path,
    )


@transaction.atomic
def visit_record_with_wish(
    *, actor: User, person: Person, wish: str = "", wish_detail: str = "", **visit: Any
) -> Visit:
    """A visit, and the wish it raised if any, in one transaction: a refused wish leaves no
    half-recorded visit behind."""
    recorded = visit_record(actor=actor, person=person, **visit)
    if wish.strip():
        wish_raise(actor=actor, person=person, title=wish, detail=wish_detail, visit=recorded)
    return recorded


@transaction.atomic
def wish_publish(*, actor: User, wish: Wish) -> Wish:
    _staff_for(actor, wish)
    return _move_wish(
        wish, WishStatus.RAISED, status=WishStatus.PUBLISHED, published_at=timezone.now()
    )


@transaction.atomic
def wish_claim(*, actor: User, wish: Wish) -> Wish:
    """A party member or volunteer of the wish's community takes it on."""
    if not actor.has_role(*VOLUNTEER_ROLES) or not wish_board(actor).filter(pk=wish.pk).exists():
        raise PermissionDenied(_("只有本社区的党员和志愿者可以认领心愿"))
    return _move_wish(
        wish,
        WishStatus.PUBLISHED,
        status=WishStatus.CLAIMED,
        claimed_by=actor,
        claimed_at=timezone.now(),
    )


@transaction.atomic
def wish_fulfil(*, actor: User, wish: Wish, note: str, photos: Sequence[CleanImage]) -> Wish:
    """The claimer closes the wish with evidence: what was done, and at least one photo."""
    if wish.claimed_by_id != actor.pk:
        raise PermissionDenied(_("只有认领人可以登记心愿实现"))
    note = note.strip()
    if not note:
        raise ValidationFailed(_("请填写实现情况"))
    if not photos:
        raise ValidationFailed(_("请上传至少一张照片作为凭证"))
    wish = _move_wish(
        wish,
        WishStatus.CLAIMED,
        status=WishStatus.FULFILLED,
        fulfil_note=note,
        fulfilled_at=timezone.now(),
    )
    for p in photos:
        store_image(WishPhoto(wish=wish), p)
    return wish


WISH_RULE = "wish_fulfilled"


@dataclass(frozen=True)
class WishThanked:
    wish: Wish
    earning: Earning | None  # what the earning rule granted, or None when nothing was paid
    unpaid: str = ""  # why the points could not be paid, for the staff member


def _wish_issuer(wish: Wish) -> Account:
    # As for a resident's own volunteer task: the wish's community pays from its budget.
    node = GridNode.objects.get(path=wish.grid_path)
    return community_issuer(node)


def _wish_pay(wish: Wish) -> Earning:
    """Pay the claimer by the `wish_fulfilled` rule (its points and daily cap are data) from the
    community's budget. BudgetExhausted writes nothing."""
    assert wish.claimed_by is not None and wish.fulfilled_at is not None
    earn(
        rule_code=WISH_RULE,
        owner=wish.claimed_by,
        issuer_account=_wish_issuer(wish),
        idempotency_key=wish.points_key,
        reason=_("微心愿：%(t)s") % {"t": wish.title},
        occurred_at=wish.fulfilled_at,
    )
    return Earning.objects.get(idempotency_key=wish.points_key)


def _budget_short(wish: Wish) -> str:
    return _("“%(a)s”的活力值预算不足") % {"a": _wish_issuer(wish).name}


def _locked_wish(actor: User, wish: Wish) -> Wish:
    _staff_for(actor, wish)
    return Wish.objects.select_for_update().get(pk=wish.pk)


@transaction.atomic
def wish_thank(*, actor: User, wish: Wish, thanks: str) -> WishThanked:
    """The grid says thank you (on the person's behalf) once the wish is fulfilled, and the
    claimer earns 活力值 in the same transaction. An empty budget does not hold up the thanks:
    it is recorded, nothing is paid, and the answer says why (staff may pay later with
    `wish_points_pay`). Thanking again with the same words (a retried request) changes nothing
    and pays nothing more."""
    thanks = thanks.strip()
    if not thanks:
        raise ValidationFailed(_("请填写致谢内容"))
    locked = _locked_wish(actor, wish)
    if locked.status == WishStatus.THANKED and locked.thanks == thanks:
        wish.refresh_from_db()
        earning = wish_points(wish)
        return WishThanked(wish, earning, "" if earning else _budget_short(wish))
    if locked.status != WishStatus.FULFILLED:
        raise Conflict(_("该心愿的状态已变化，请刷新后再试"))
    wish = _move_wish(
        wish,
        WishStatus.FULFILLED,
        status=WishStatus.THANKED,
        thanks=thanks,
        thanked_at=timezone.now(),
    )
    try:
        thanked = WishThanked(wish, _wish_pay(wish))
    except BudgetExhausted:
        thanked = WishThanked(wish, None, _budget_short(wish))
    _tell_claimer(wish, _("您认领的心愿已致谢：%(t)s") % {"t": wish.title}, thanked.earning)
    return thanked


def _tell_claimer(wish: Wish, title: str, earning: Earning | None) -> None:
    assert wish.claimed_by is not None
    if earning is not None and earning.granted:
        body = _("获得活力值 %(n)d") % {"n": earning.granted}
    elif earning is not None:
        body = _("未获得活力值：%(why)s") % {"why": earning.get_outcome_display()}
    else:
        body = _("活力值将在社区下拨预算后补发")
    notify(
        recipients=[wish.claimed_by],
        title=title,
        body=f"{wish.thanks}\n{body}",
        link=f"/residents/wishes/{wish.pk}/",
        topic=f"wish:{wish.pk}",
    )


@transaction.atomic
def wish_points_pay(*, actor: User, wish: Wish) -> Earning:
    """Pay a thanked wish's points that could not be paid at the thanks (the budget was empty
    then). Paid already (a second tap, another staff member): a Conflict saying so, and nothing
    more is paid."""
    locked = _locked_wish(actor, wish)
    if locked.status != WishStatus.THANKED:
        raise Conflict(_("心愿致谢后才能发放活力值"))
    if wish_points(locked) is not None:
        raise Conflict(_("该心愿的活力值此前已发放，未重复发放"))
    try:
        earning = _wish_pay(locked)
    except BudgetExhausted:
        raise Conflict(
            _("%(why)s，请联系管理员下拨预算后再补发") % {"why": _budget_short(locked)}
        ) from None
    _tell_claimer(locked, _("心愿活力值已补发：%(t)s") % {"t": locked.title}, earning)
    return earning
