"""Every write about households and people: registering, moving, tagging, visiting, importing."""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from simple_history.utils import bulk_create_with_history
from stdnum.cn import ric

from wangge.accounts.identity import normalize_contact_phone, normalize_id_number
from wangge.accounts.models import (
    ID_REVEAL_ROLES,
    PHONE_REVEAL_ROLES,
    PersonalDataAccess,
    Role,
    User,
)
from wangge.accounts.selectors import may_reveal
from wangge.accounts.services import audit_reveal
from wangge.cases.models import Channel
from wangge.cases.services import CaseInput, case_intake
from wangge.core import pii
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import CleanImage, store_image
from wangge.core.masking import mask_name_recognisable
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building, GridNode, path_prefixes
from wangge.notifications.services import notify
from wangge.points.models import Account, Earning
from wangge.points.services import BudgetExhausted, community_issuer, earn
from wangge.residents.models import (
    Dispute,
    DisputeKind,
    DisputeStatus,
    EscalationUnit,
    Gender,
    GroupTag,
    Household,
    Mediation,
    Move,
    Person,
    Relation,
    ResidenceKind,
    RiskLevel,
    SecurityCategory,
    SecurityTag,
    SpecialGroup,
    Visit,
    VisitPhoto,
    Wish,
    WishPhoto,
    WishStatus,
)
from wangge.residents.selectors import (
    VOLUNTEER_ROLES,
    may_see_security,
    wish_board,
    wish_points,
)


def _label(person: Person) -> str:
    # Most people on the register have no account: the audit row names the record instead.
    return _("%(name)s（居民档案 %(pk)d）") % {"name": person.name, "pk": person.pk}


def _check_building(actor: User, building: Building) -> None:
    if not path_in_scope(actor, building.micro_grid.path):
        raise PermissionDenied(_("该楼栋不在您负责的网格内"))


@transaction.atomic
def household_create(
    *,
    actor: User,
    building: Building,
    room: str,
    kind: str,
    is_owner: bool = True,
    is_rental: bool = False,
) -> Household:
    _check_building(actor, building)
    room = room.strip()
    if not room:
        raise ValidationFailed(_("请填写房号"))
    if kind not in ResidenceKind.values:
        raise ValidationFailed(_("未知户类型“%(k)s”") % {"k": kind})
    if Household.objects.filter(building=building, room=room).exists():
        raise ValidationFailed(_("该房号已登记"))
    return Household.objects.create(
        building=building,
        room=room,
        kind=kind,
        is_owner=is_owner,
        is_rental=is_rental,
        grid_path=building.micro_grid.path,
    )


def _person_fields(id_number: str, phone: str) -> tuple[str, str]:
    try:
        clean_id = normalize_id_number(id_number)
    except ValidationError as exc:
        raise ValidationFailed(exc.messages[0]) from exc
    clean_phone = ""
    if phone.strip():
        try:
            clean_phone = normalize_contact_phone(phone)
        except ValidationError as exc:
            raise ValidationFailed(exc.messages[0]) from exc
    return clean_id, clean_phone


def _new_person(
    *,
    household: Household,
    name: str,
    id_number: str,
    phone: str,
    relation: str,
    residence: str,
) -> Person:
    """An unsaved Person; `id_number` and `phone` already normalised."""
    person = Person(
        household=household,
        name=name.strip(),
        relation=relation,
        residence=residence,
        # The ID number says both: the 17th digit is odd for men (GB 11643).
        gender=Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE,
        birth_date=ric.get_birth_date(id_number),
        grid_path=household.grid_path,
    )
    person.set_id_number(id_number)
    person.phone = phone  # encrypted, hashed and masked by the model
    # A resident who registered with the same ID number is linked to their record at once.
    person.account = User.objects.filter(
        id_number_hash=person.id_number_hash, resident_record__isnull=True
    ).first()
    return person


@transaction.atomic
def person_link_account(*, user: User) -> Person | None:
    """Registering later: a resident who completes real-name verification is the register's
    person with the same ID number (matched by its keyed hash, never decrypted). Link the two,
    and tell the grid workers of the person's grid, who now reach them in the app. A person
    already linked (to this account or another) is left as it is, so nothing is said twice."""
    if not user.id_number_hash or Person.objects.filter(account=user).exists():
        return None
    person = (
        Person.objects.select_for_update()
        .filter(id_number_hash=user.id_number_hash, account__isnull=True)
        .first()
    )
    if person is None:
        return None
    person.account = user
    person.save(update_fields=["account", "updated_at"])
    workers = User.objects.filter(
        is_active=True,
        grants__role=Role.GRID_WORKER,
        grants__node__path__in=path_prefixes(person.grid_path),
    ).distinct()
    notify(
        recipients=workers,
        title=_("%(n)s已注册并完成实名认证") % {"n": mask_name_recognisable(person.name)},
        body=_("已与实有人口登记关联，可在应用中联系该居民。"),
        link=reverse("residents:person", args=[person.pk]),
        topic=f"person:{person.pk}",
    )
    return person


@transaction.atomic
def person_register(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    phone: str = "",
    relation: str = Relation.OTHER,
    residence: str = ResidenceKind.CHANGZHU,
    moved_in_on: date | None = None,
) -> Person:
    """Register a person into a household (迁入), with the first history row."""
    _check_building(actor, household.building)
    if not name.strip():
        raise ValidationFailed(_("请填写姓名"))
    if relation not in Relation.values:
        raise ValidationFailed(_("未知关系“%(r)s”") % {"r": relation})
    if residence not in ResidenceKind.values:
        raise ValidationFailed(_("未知居住类型“%(r)s”") % {"r": residence})
    clean_id, clean_phone = _person_fields(id_number, phone)
    if Person.objects.filter(id_number_hash=pii.lookup_hash(clean_id)).exists():
        raise ValidationFailed(_("该身份证号码已登记"))
    person = _new_person(
        household=household,
        name=name,
        id_number=clean_id,
        phone=clean_phone,
        relation=relation,
        residence=residence,
    )
    person.save()
    Move.objects.create(
        person=person,
        household=household,
        kind=Move.Kind.IN,
        on=moved_in_on or timezone.localdate(),
        recorded_by=actor,
    )
    return person


@transaction.atomic
def person_register_at(
    *,
    actor: User,
    building_code: str,
    room: str,
    household_kind: str,
    is_rental: bool,
    name: str,
    id_number: str,
    phone: str = "",
    relation: str,
    residence: str,
) -> Person:
    """Register a person by building code and room, creating the household on first use."""
    building = Building.objects.select_related("micro_grid").filter(code=building_code).first()
    if building is None or not path_in_scope(actor, building.micro_grid.path):
        raise ValidationFailed(_("楼栋“%(b)s”不存在或不在您的网格内") % {"b": building_code})
    household = Household.objects.filter(building=building, room=room.strip()).first()
    if household is None:
        household = household_create(
            actor=actor,
            building=building,
            room=room,
            kind=household_kind,
            is_owner=not is_rental,
            is_rental=is_rental,
        )
    return person_register(
        actor=actor,
        household=household,
        name=name,
        id_number=id_number,
        phone=phone,
        relation=relation,
        residence=residence,
    )


@transaction.atomic
def person_move_out(*, actor: User, person: Person, on: date | None = None, note: str = "") -> Move:
    """迁出: the person stays on record, no longer present, with a history row."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    if not person.is_present:
        raise ValidationFailed(_("该人员已迁出"))
    person.is_present = False
    person.save(update_fields=["is_present", "updated_at"])
    return Move.objects.create(
        person=person,
        household=person.household,
        kind=Move.Kind.OUT,
        on=on or timezone.localdate(),
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def person_move_in(
    *, actor: User, person: Person, household: Household, on: date | None = None, note: str = ""
) -> Move:
    """迁入 another household (or back): moves out of the current one first if still present."""
    _check_building(actor, household.building)
    if person.is_present:
        person_move_out(actor=actor, person=person, on=on, note=note)
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.household = household
    person.grid_path = household.grid_path
    person.is_present = True
    person.save(update_fields=["household", "grid_path", "is_present", "updated_at"])
    GroupTag.objects.filter(person=person).update(grid_path=household.grid_path)
    SecurityTag.objects.filter(person=person).update(grid_path=household.grid_path)
    return Move.objects.create(
        person=person,
        household=household,
        kind=Move.Kind.IN,
        on=on or timezone.localdate(),
        note=note.strip(),
        recorded_by=actor,
    )


@transaction.atomic
def person_reveal_id_number(
    *, actor: User, person: Person, purpose: str, ip: str | None = None
) -> str:
    """The full ID number of a person on the register, for a role that may; always audited."""
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    audit_reveal(
        actor=actor,
        subject=person.account,
        field=PersonalDataAccess.Field.ID_NUMBER,
        roles=ID_REVEAL_ROLES,
        purpose=purpose,
        ip=ip,
        label=_label(person),
    )
    return person.id_number


@transaction.atomic
def person_reveal_phone(*, actor: User, person: Person, purpose: str, ip: str | None = None) -> str:
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    audit_reveal(
        actor=actor,
        subject=person.account,
        field=PersonalDataAccess.Field.PHONE,
        roles=PHONE_REVEAL_ROLES,
        purpose=purpose,
        ip=ip,
        label=_label(person),
    )
    return person.phone


@transaction.atomic
def group_tag_set(
    *,
    actor: User,
    person: Person,
    group: str,
    care_plan: str = "",
    visit_every_days: int = 30,
    is_active: bool = True,
) -> GroupTag:
    """Put a person in a special group (or update the plan and frequency of one they are in)."""
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    if group not in SpecialGroup.values:
        raise ValidationFailed(_("未知特殊人群类别“%(g)s”") % {"g": group})
    if not 1 <= visit_every_days <= 366:
        raise ValidationFailed(_("走访周期应在 1 到 366 天之间"))
    tag, _created = GroupTag.objects.update_or_create(
        person=person,
        group=group,
        defaults={
            "care_plan": care_plan.strip(),
            "visit_every_days": visit_every_days,
            "is_active": is_active,
            "grid_path": person.grid_path,
        },
    )
    return tag


@transaction.atomic
def visit_record(
    *,
    actor: User,
    person: Person,
    findings: str,
    visited_at: datetime | None = None,
    lon: float | None = None,
    lat: float | None = None,
    follow_up: str = "",
    follow_up_as_case: bool = False,
    photos: Sequence[CleanImage] = (),
) -> Visit:
    """入户走访. A follow-up the worker cannot settle becomes a case (channel 巡查上报)."""
    if not path_in_scope(actor, person.grid_path) or not actor.is_grid_staff:
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    findings = findings.strip()
    if not findings:
        raise ValidationFailed(_("请填写走访情况"))
    if (lon is None) != (lat is None):
        raise ValidationFailed(_("位置不完整"))
    if lon is not None and lat is not None and not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationFailed(_("位置无效"))
    follow_up = follow_up.strip()
    if follow_up_as_case and not follow_up:
        raise ValidationFailed(_("转为事件时请填写需跟进事项"))
    case = None
    if follow_up_as_case:
        building = person.household.building
        # The building's point routes the case to the person's own micro-grid; the visitor is
        # the reporter, so the person's name and number stay out of the case.
        case, _created = case_intake(
            data=CaseInput(
                description=follow_up,
                lon=building.lon,
                lat=building.lat,
                address=f"{building.address} {person.household.room}",
                channel=Channel.PATROL,
                extra={"visit_of": "resident"},
            ),
            actor=actor,
        )
    visit = Visit.objects.create(
        person=person,
        visitor=actor,
        visited_at=visited_at or timezone.now(),
        lon=lon,
        lat=lat,
        findings=findings,
        follow_up=follow_up,
        case=case,
        grid_path=person.grid_path,
    )
    for p in photos:
        store_image(VisitPhoto(visit=visit), p)
    return visit


@transaction.atomic
def security_access_set(*, user: User, allowed: bool) -> None:
    """Grant or withdraw the GB/T 31000 categories for one person (an administrator's act, by
    the `residents_security_access` command). Their grid scope still limits what they see."""
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(content_type__app_label="residents", codename="view_securitytag")
    if allowed:
        user.user_permissions.add(perm)
    else:
        user.user_permissions.remove(perm)


@transaction.atomic
def security_tag_set(
    *,
    actor: User,
    person: Person,
    category: str,
    measures: str = "",
    visit_every_days: int = 30,
    is_active: bool = True,
) -> SecurityTag:
    if not may_see_security(actor) or not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("您无权登记综治重点人员"))
    if category not in SecurityCategory.values:
        raise ValidationFailed(_("未知类别“%(c)s”") % {"c": category})
    if not 1 <= visit_every_days <= 366:
        raise ValidationFailed(_("走访周期应在 1 到 366 天之间"))
    tag, _created = SecurityTag.objects.update_or_create(
        person=person,
        category=category,
        defaults={
            "measures": measures.strip(),
            "visit_every_days": visit_every_days,
            "is_active": is_active,
            "grid_path": person.grid_path,
        },
    )
    return tag


# --- 微心愿 -----------------------------------------------------------------------------


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


# --- 矛盾纠纷 ---------------------------------------------------------------------------


def _dispute_for(actor: User, dispute: Dispute) -> Dispute:
    dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if not actor.is_grid_staff or not path_in_scope(actor, dispute.grid_path):
        raise PermissionDenied(_("该纠纷不在您负责的网格内"))
    return dispute


def _next_step(next_step: str, next_step_on: date | None) -> tuple[str, date]:
    # 逐件梳理: an open dispute without a next step and a date is what the screening flags.
    next_step = next_step.strip()
    if not next_step or next_step_on is None:
        raise ValidationFailed(_("请填写下一步工作及日期"))
    return next_step, next_step_on


@transaction.atomic
def dispute_register(
    *,
    actor: User,
    building: Building,
    kind: str,
    risk: str,
    summary: str,
    parties: str,
    next_step: str,
    next_step_on: date | None,
) -> Dispute:
    if not actor.is_grid_staff:
        raise PermissionDenied(_("只有网格工作人员可以登记纠纷"))
    _check_building(actor, building)
    if kind not in DisputeKind.values:
        raise ValidationFailed(_("未知纠纷类型“%(k)s”") % {"k": kind})
    if risk not in RiskLevel.values:
        raise ValidationFailed(_("未知风险等级“%(r)s”") % {"r": risk})
    if not summary.strip() or not parties.strip():
        raise ValidationFailed(_("请填写纠纷概况和当事人"))
    step, step_on = _next_step(next_step, next_step_on)
    return Dispute.objects.create(
        building=building,
        kind=kind,
        risk=risk,
        summary=summary.strip(),
        parties=parties.strip(),
        next_step=step,
        next_step_on=step_on,
        registered_by=actor,
        grid_path=building.micro_grid.path,
    )


@transaction.atomic
def dispute_mediate(
    *,
    actor: User,
    dispute: Dispute,
    notes: str,
    agreement: str = "",
    held_on: date | None = None,
    resolved: bool = False,
    next_step: str = "",
    next_step_on: date | None = None,
) -> Mediation:
    """One session. With `resolved` the agreement settles it (调解成功); otherwise the next
    step and its date must be given."""
    dispute = _dispute_for(actor, dispute)
    if dispute.status not in (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING):
        raise ValidationFailed(_("该纠纷已不在调解阶段"))
    if not notes.strip():
        raise ValidationFailed(_("请填写调解情况"))
    if resolved and not agreement.strip():
        raise ValidationFailed(_("调解成功请填写达成的协议"))
    session = Mediation.objects.create(
        dispute=dispute,
        mediator=actor,
        held_on=held_on or timezone.localdate(),
        notes=notes.strip(),
        agreement=agreement.strip(),
    )
    if resolved:
        dispute.status = DisputeStatus.RESOLVED
        dispute.outcome = agreement.strip()
        # A settled dispute is followed up once before it is cleared.
        dispute.next_step = next_step.strip() or str(_("回访协议履行情况"))
        dispute.next_step_on = next_step_on or timezone.localdate() + timedelta(days=7)
    else:
        dispute.status = DisputeStatus.MEDIATING
        dispute.next_step, dispute.next_step_on = _next_step(next_step, next_step_on)
    dispute.save()
    return session


@transaction.atomic
def dispute_escalate(*, actor: User, dispute: Dispute, unit: str, reason: str) -> Dispute:
    """Beyond the grid: a case for the 司法所, 派出所 or 信访, routed like any other patrol case.
    The parties' names stay in the ledger; the case carries the kind, unit and reason."""
    dispute = _dispute_for(actor, dispute)
    if dispute.status not in (DisputeStatus.REGISTERED, DisputeStatus.MEDIATING):
        raise ValidationFailed(_("该纠纷已不在调解阶段"))
    if unit not in EscalationUnit.values:
        raise ValidationFailed(_("请选择移交单位"))
    if not reason.strip():
        raise ValidationFailed(_("请填写移交原因"))
    unit_label = str(EscalationUnit(unit).label)
    b = dispute.building
    case, _created = case_intake(
        data=CaseInput(
            title=_("矛盾纠纷移交%(unit)s") % {"unit": unit_label},
            description=_("【%(kind)s，风险%(risk)s】%(reason)s（移交%(unit)s）")
            % {
                "kind": dispute.get_kind_display(),
                "risk": dispute.get_risk_display(),
                "reason": reason.strip(),
                "unit": unit_label,
            },
            lon=b.lon,
            lat=b.lat,
            address=b.address,
            channel=Channel.PATROL,
            extra={"dispute_id": dispute.pk, "escalated_to": unit},
        ),
        actor=actor,
    )
    dispute.status = DisputeStatus.ESCALATED
    dispute.escalated_to = unit
    dispute.case = case
    dispute.next_step = str(_("跟踪移交事件办理"))
    dispute.next_step_on = timezone.localdate() + timedelta(days=7)
    dispute.save()
    return dispute


@transaction.atomic
def dispute_clear(*, actor: User, dispute: Dispute, outcome: str = "") -> Dispute:
    """逐个清零: a settled dispute once followed up, or an escalated one whose case is closed."""
    from wangge.cases.models import Status

    dispute = _dispute_for(actor, dispute)
    if dispute.status == DisputeStatus.ESCALATED:
        assert dispute.case is not None
        if dispute.case.status != Status.CLOSED:
            raise ValidationFailed(_("移交的事件尚未结案，不能清零"))
    elif dispute.status != DisputeStatus.RESOLVED:
        raise ValidationFailed(_("调解成功或移交事件结案后才能清零"))
    dispute.status = DisputeStatus.CLEARED
    if outcome.strip():
        dispute.outcome = (dispute.outcome + "\n" + outcome.strip()).strip()
    dispute.next_step, dispute.next_step_on = "", None
    dispute.cleared_at = timezone.now()
    dispute.save()
    return dispute


# --- Excel import and export -------------------------------------------------------------

IMPORT_COLUMNS = (
    ("building", _("楼栋编码")),
    ("room", _("房号")),
    ("household_kind", _("户类型")),
    ("is_rental", _("出租房")),
    ("name", _("姓名")),
    ("id_number", _("身份证号")),
    ("phone", _("联系电话")),
    ("relation", _("与户主关系")),
    ("residence", _("居住类型")),
)


def _by_label(choices: type[ResidenceKind] | type[Relation]) -> dict[str, str]:
    # Cells carry the Chinese label (户籍, 户主…); the code name is accepted too.
    out = {str(label): value for value, label in choices.choices}
    out.update({value: value for value in choices.values})
    return out


@dataclass
class ImportReport:
    rows: int = 0
    households_created: int = 0
    persons_created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def persons_import(*, actor: User, data: bytes) -> ImportReport:
    """Households and persons from an .xlsx sheet, one person per row. Every row is checked
    first; if any row is wrong the report lists them by row number and nothing is written."""
    report = ImportReport()
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ValidationFailed(_("无法读取该文件，请上传 .xlsx 格式的 Excel 文件")) from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [_cell(c) for c in next(rows, ())]
    wanted = [str(label) for _key, label in IMPORT_COLUMNS]
    missing = [w for w in wanted if w not in header]
    if missing:
        raise ValidationFailed(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
    index = {key: header.index(str(label)) for key, label in IMPORT_COLUMNS}
    kinds, relations = _by_label(ResidenceKind), _by_label(Relation)
    sheet_rows = [
        (number, {k: _cell(raw[i]) if i < len(raw) else "" for k, i in index.items()})
        for number, raw in enumerate(rows, start=2)
    ]
    wb.close()
    sheet_rows = [(n, cells) for n, cells in sheet_rows if any(cells.values())]
    # Only the buildings the sheet names: the district has tens of thousands.
    buildings = {
        b.code: b
        for b in Building.objects.select_related("micro_grid").filter(
            code__in={cells["building"] for _n, cells in sheet_rows}
        )
    }
    parsed: list[dict[str, object]] = []
    seen_ids: dict[str, int] = {}
    for number, cells in sheet_rows:
        report.rows += 1
        errs: list[str] = []
        building = buildings.get(cells["building"])
        if building is None or not path_in_scope(actor, building.micro_grid.path):
            errs.append(_("楼栋“%(b)s”不存在或不在您的网格内") % {"b": cells["building"]})
        if not cells["room"]:
            errs.append(_("缺少房号"))
        if not cells["name"]:
            errs.append(_("缺少姓名"))
        if cells["household_kind"] not in kinds:
            errs.append(_("户类型“%(v)s”无效") % {"v": cells["household_kind"]})
        if cells["residence"] not in kinds:
            errs.append(_("居住类型“%(v)s”无效") % {"v": cells["residence"]})
        if cells["relation"] not in relations:
            errs.append(_("与户主关系“%(v)s”无效") % {"v": cells["relation"]})
        clean_id = clean_phone = ""
        try:
            clean_id = normalize_id_number(cells["id_number"])
        except ValidationError as exc:
            errs.append(exc.messages[0])
        if cells["phone"]:
            try:
                clean_phone = normalize_contact_phone(cells["phone"])
            except ValidationError as exc:
                errs.append(exc.messages[0])
        if clean_id:
            if clean_id in seen_ids:
                errs.append(_("身份证号码与第 %(n)d 行重复") % {"n": seen_ids[clean_id]})
            seen_ids.setdefault(clean_id, number)
        for e in errs:
            report.errors.append((number, e))
        parsed.append(
            {
                **cells,
                "building_obj": building,
                "id_number": clean_id,
                "phone": clean_phone,
                "household_kind": kinds.get(cells["household_kind"], ""),
                "residence": kinds.get(cells["residence"], ""),
                "relation": relations.get(cells["relation"], ""),
                "is_rental": cells["is_rental"] in ("是", "Y", "y", "1", "true", "True"),
                "row": number,
            }
        )
    if report.rows == 0:
        raise ValidationFailed(_("文件中没有数据行"))
    if seen_ids:
        hashes = {pii.lookup_hash(i): i for i in seen_ids}
        for h in Person.objects.filter(id_number_hash__in=hashes).values_list(
            "id_number_hash", flat=True
        ):
            report.errors.append((seen_ids[hashes[h]], _("身份证号码已登记")))
    if report.errors:
        report.errors.sort()
        return report
    _import_write(actor, parsed, report)
    return report


@transaction.atomic
def _import_write(actor: User, parsed: list[dict[str, object]], report: ImportReport) -> None:
    households: dict[tuple[int, str], Household] = {}
    today = timezone.localdate()
    persons: list[Person] = []
    for row in parsed:
        building = row["building_obj"]
        assert isinstance(building, Building)
        key = (building.pk, str(row["room"]))
        household = households.get(key)
        if household is None:
            household, created = Household.objects.get_or_create(
                building=building,
                room=str(row["room"]),
                defaults={
                    "kind": str(row["household_kind"]),
                    "is_owner": not row["is_rental"],
                    "is_rental": bool(row["is_rental"]),
                    "grid_path": building.micro_grid.path,
                },
            )
            households[key] = household
            report.households_created += int(created)
        persons.append(
            _new_person(
                household=household,
                name=str(row["name"]),
                id_number=str(row["id_number"]),
                phone=str(row["phone"]),
                relation=str(row["relation"]),
                residence=str(row["residence"]),
            )
        )
    # With history: a bulk insert sends no signals, so the rows are written here, with the
    # importing person as who.
    created_persons = bulk_create_with_history(
        persons, Person, default_user=actor, default_change_reason=_("Excel 导入")
    )
    Move.objects.bulk_create(
        Move(
            person=p,
            household=p.household,
            kind=Move.Kind.IN,
            on=today,
            note=_("Excel 导入"),
            recorded_by=actor,
        )
        for p in created_persons
    )
    report.persons_created = len(created_persons)


EXPORT_HEADER = (
    _("楼栋"),
    _("房号"),
    _("姓名"),
    _("性别"),
    _("出生日期"),
    _("身份证号"),
    _("联系电话"),
    _("与户主关系"),
    _("居住类型"),
    _("特殊人群"),
)


@transaction.atomic
def persons_export(
    *, actor: User, persons: Sequence[Person], unmasked: bool, ip: str | None = None
) -> bytes:
    """An .xlsx of the given (already scoped) persons: masked, or in clear for a role that may
    see ID numbers, in which case every person exported gets an audit row per field."""
    if unmasked:
        if not may_reveal(actor, ID_REVEAL_ROLES):
            raise PermissionDenied(_("您的角色无权导出完整身份证号"))
        purpose = _("导出人员名单")
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                actor=actor,
                subject_id=p.account_id,
                subject_label=_label(p),
                field=f,
                purpose=purpose,
                ip_address=ip,
            )
            for p in persons
            for f in (PersonalDataAccess.Field.ID_NUMBER, PersonalDataAccess.Field.PHONE)
        )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(str(_("人员")))
    ws.append([str(h) for h in EXPORT_HEADER])
    for p in persons:
        groups = "、".join(str(t.get_group_display()) for t in p.tags.all() if t.is_active)
        ws.append(
            [
                p.household.building.address,
                p.household.room,
                p.name,
                p.get_gender_display(),
                p.birth_date.isoformat(),
                p.id_number if unmasked else p.id_number_masked,
                p.phone if unmasked else p.masked_phone,
                p.get_relation_display(),
                p.get_residence_display(),
                groups,
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
