"""The register: encrypted ID numbers, what the ID says, moves as history, audited reveals."""

from typing import Any

import pytest
from django.db import connection

from tests.residents.conftest import make_id
from wangge.accounts.models import PersonalDataAccess
from wangge.accounts.services import user_set_real_name
from wangge.core import pii
from wangge.core.errors import PermissionDenied, ValidationFailed
from wangge.residents.models import Move, Person, ResidenceKind
from wangge.residents.services import (
    person_move_in,
    person_move_out,
    person_register,
    person_reveal_id_number,
    person_reveal_phone,
)


def test_id_number_is_encrypted_at_rest(register: dict[str, Any]) -> None:
    elder = register["elder"]
    clear = make_id("19400312", "002")
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id_number_encrypted, id_number_hash, id_number_masked "
            "FROM residents_person WHERE id = %s",
            [elder.pk],
        )
        encrypted, digest, masked = cur.fetchone()
    assert clear not in encrypted and clear != digest
    assert pii.decrypt(encrypted) == clear
    assert digest == pii.lookup_hash(clear)
    assert masked == "410102********0028"


def test_gender_and_birth_come_from_the_id(register: dict[str, Any]) -> None:
    elder, man = register["elder"], register["person_b"]
    assert (elder.gender, elder.birth_date.isoformat()) == ("F", "1940-03-12")
    assert (man.gender, man.birth_date.isoformat()) == ("M", "1980-05-15")
    assert elder.grid_path.endswith("410102001002001001/")


def test_bad_and_duplicate_numbers_are_refused(people: Any, register: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match="校验位"):
        person_register(
            actor=people["community"],
            household=register["home_a"],
            name="错号",
            id_number="410102194003120027",
        )
    with pytest.raises(ValidationFailed, match="已登记"):
        person_register(
            actor=people["community"],
            household=register["home_a"],
            name="重复",
            id_number=make_id("19400312", "002"),
        )
    with pytest.raises(ValidationFailed, match="手机或固定电话"):
        person_register(
            actor=people["community"],
            household=register["home_a"],
            name="错电话",
            id_number=make_id("19900101", "022"),
            phone="12345",
        )


def test_a_worker_cannot_register_into_another_grid(people: Any, register: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        person_register(
            actor=people["worker_a"],
            household=register["home_b"],
            name="越界",
            id_number=make_id("19900101", "022"),
        )


def test_a_registered_resident_is_linked_to_their_record(people: Any) -> None:
    from wangge.grids.models import Building
    from wangge.residents.services import household_create

    user_set_real_name(user=people["resident"], name="王秀兰", id_number=make_id("19550101", "044"))
    home = household_create(
        actor=people["worker_a"],
        building=Building.objects.get(code="BH3"),
        room="3-201",
        kind=ResidenceKind.CHANGZHU,
    )
    p = person_register(
        actor=people["worker_a"],
        household=home,
        name="王秀兰",
        id_number=make_id("19550101", "044"),
    )
    assert p.account == people["resident"]


def test_moves_are_history_rows_never_deleted(people: Any, register: dict[str, Any]) -> None:
    elder = register["elder"]
    worker = people["worker_a"]
    person_move_out(actor=worker, person=elder, note="随子女居住")
    elder.refresh_from_db()
    assert not elder.is_present
    with pytest.raises(ValidationFailed, match="已迁出"):
        person_move_out(actor=worker, person=elder)
    # Back into a grid B household: only someone holding both grids may do it.
    with pytest.raises(PermissionDenied):
        person_move_in(actor=worker, person=elder, household=register["home_b"])
    person_move_in(actor=people["community"], person=elder, household=register["home_b"])
    elder.refresh_from_db()
    assert elder.is_present and elder.grid_path == register["home_b"].grid_path
    kinds = list(Move.objects.filter(person=elder).values_list("kind", flat=True))
    assert kinds == ["in", "out", "in"]
    assert Person.objects.filter(pk=elder.pk).exists()


def test_every_reveal_is_audited_and_role_checked(people: Any, register: dict[str, Any]) -> None:
    elder = register["elder"]
    # A grid worker may call people (phone) but not read ID numbers in clear.
    assert person_reveal_phone(actor=people["worker_a"], person=elder, purpose="回访") == (
        "13612345678"
    )
    with pytest.raises(PermissionDenied):
        person_reveal_id_number(actor=people["worker_a"], person=elder, purpose="核实")
    assert person_reveal_id_number(
        actor=people["community"], person=elder, purpose="核实"
    ) == make_id("19400312", "002")
    rows = list(PersonalDataAccess.objects.order_by("pk"))
    assert [(r.actor, r.field, r.subject) for r in rows] == [
        (people["worker_a"], "phone", None),
        (people["community"], "id_number", None),
    ]
    assert "张桂芳" in rows[0].subject_label and str(elder.pk) in rows[0].subject_label
    # Out of scope: grid B's worker gets nothing, and nothing is logged.
    with pytest.raises(PermissionDenied):
        person_reveal_phone(actor=people["worker_b"], person=elder, purpose="回访")
    assert PersonalDataAccess.objects.count() == 2
