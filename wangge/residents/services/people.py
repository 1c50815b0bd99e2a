"""Households and people on the register: registering, linking an account, moving in and out,
revealing an ID number or phone (audited)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

from wangge.accounts.identity import normalize_contact_phone, normalize_id_number
from wangge.accounts.models import (
    PersonalDataAccess,
    Role,
    User,
)
from wangge.accounts.services import personal_data_reveal
from wangge.core import pii
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.core.masking import mask_name_recognisable
from wangge.core.scope import path_in_scope
from wangge.grids.models import Building, path_prefixes
from wangge.notifications.services import notify
from wangge.residents.models import (
    Gender,
    GroupTag,
    Household,
    Move,
    Person,
    Relation,
    ResidenceKind,
    SecurityTag,
)
from wangge.residents.services._shared import _check_building, _label


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


def _person_reveal(
    *, actor: User, person: Person, field: str, value: str, purpose: str, ip: str | None
) -> str:
    """Refuse a person outside the actor's grids; otherwise the audited reveal."""
    if not path_in_scope(actor, person.grid_path):
        raise PermissionDenied(_("该人员不在您负责的网格内"))
    return personal_data_reveal(
        actor=actor,
        field=field,
        value=value,
        subject=person.account,
        label=_label(person),
        purpose=purpose,
        ip=ip,
    )


def person_reveal_id_number(
    *, actor: User, person: Person, purpose: str, ip: str | None = None
) -> str:
    """The full ID number of a person on the register, for a role that may; always audited."""
    field = PersonalDataAccess.Field.ID_NUMBER
    return _person_reveal(
        actor=actor, person=person, field=field, value=person.id_number, purpose=purpose, ip=ip
    )


def person_reveal_phone(*, actor: User, person: Person, purpose: str, ip: str | None = None) -> str:
    """The full phone number of a person on the register, for a role that may; always audited."""
    field = PersonalDataAccess.Field.PHONE
    return _person_reveal(
        actor=actor, person=person, field=field, value=person.phone, purpose=purpose, ip=ip
    )
