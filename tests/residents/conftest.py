"""A small register on the test tree: one household in A1 (building BH3), one in B1 (TB5)."""

from typing import Any

import pytest
from stdnum.cn import ric

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from wangge.accounts.models import User
from wangge.grids.models import Building
from wangge.residents.models import Household, Person, ResidenceKind, SpecialGroup
from wangge.residents.services import group_tag_set, household_create, person_register


def make_id(birth: str, seq: str = "002") -> str:
    """A valid 中原区 ID number for a birth date (YYYYMMDD); an even 17th digit is a woman."""
    body = f"410102{birth}{seq}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def register(people: dict[str, User]) -> dict[str, Any]:  # noqa: F811  (the fixture)
    community = people["community"]
    bh3 = Building.objects.get(code="BH3")
    tb5 = Building.objects.get(code="TB5")
    home_a = household_create(actor=community, building=bh3, room="2-301", kind=ResidenceKind.HUJI)
    home_b = household_create(actor=community, building=tb5, room="1-101", kind=ResidenceKind.HUJI)
    elder = person_register(
        actor=community,
        household=home_a,
        name="张桂芳",
        id_number=make_id("19400312", "002"),
        phone="13612345678",
        relation="head",
        residence=ResidenceKind.HUJI,
    )
    group_tag_set(
        actor=community,
        person=elder,
        group=SpecialGroup.LIVING_ALONE,
        care_plan="每周电话问候，每月入户一次",
        visit_every_days=30,
    )
    person_b = person_register(
        actor=community,
        household=home_b,
        name="刘德胜",
        id_number=make_id("19800515", "013"),
        phone="13787654321",
        relation="head",
        residence=ResidenceKind.HUJI,
    )
    return {"home_a": home_a, "home_b": home_b, "elder": elder, "person_b": person_b}


def household(building: str, room: str) -> Household:
    return Household.objects.get(building__code=building, room=room)


def person(name: str) -> Person:
    return Person.objects.get(name=name)
