"""Registering later links: whichever comes first — the register's person or the resident's
account — the two are linked by the ID number's keyed hash once both exist, and the grid
worker of the person's grid is told when the account comes second."""

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.residents.conftest import make_id
from wangge.accounts.models import User
from wangge.accounts.services import user_set_real_name
from wangge.grids.models import Building
from wangge.notifications.models import Notification
from wangge.residents.models import Person, ResidenceKind
from wangge.residents.services import household_create, person_register

LINKED = "已注册并完成实名认证"


def verify_in_app(user: User, name: str, id_number: str) -> Client:
    c = Client()
    c.force_login(user)
    resp = c.post("/m/verify/", {"agree": "1", "name": name, "id_number": id_number})
    assert resp.status_code == 302, resp.content.decode()[:1000]
    return c


def notices(user: User) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=user, title__contains=LINKED).values_list(
            "title", "link"
        )
    )


def test_person_on_the_register_first_then_the_account(
    people: dict[str, Any], register: dict[str, Any], make_user: Callable[..., User]
) -> None:
    elder = register["elder"]  # 张桂芳, on the register in grid A
    newcomer = make_user(name="", phone="13911112222")
    verify_in_app(newcomer, "张桂芳", make_id("19400312", "002"))
    elder.refresh_from_db()
    assert elder.account == newcomer
    # Grid A's worker is told, once; grid B's is not.
    assert notices(people["worker_a"]) == [
        ("张*芳已注册并完成实名认证", f"/residents/persons/{elder.pk}/")
    ]
    assert notices(people["worker_b"]) == []
    # Saying it again (verifying once more) links nothing new and tells no one twice.
    user_set_real_name(user=newcomer, name="张桂芳", id_number=make_id("19400312", "002"))
    assert len(notices(people["worker_a"])) == 1
    # The worker's notice opens the person's page.
    worker = Client()
    worker.force_login(people["worker_a"])
    assert worker.get(f"/residents/persons/{elder.pk}/").status_code == 200


def test_account_first_then_the_person_on_the_register(
    people: dict[str, Any], make_user: Callable[..., User]
) -> None:
    resident = make_user(name="", phone="13911113333")
    verify_in_app(resident, "李淑珍", make_id("19550101", "044"))
    home = household_create(
        actor=people["worker_a"],
        building=Building.objects.get(code="BH3"),
        room="3-201",
        kind=ResidenceKind.CHANGZHU,
    )
    p = person_register(
        actor=people["worker_a"],
        household=home,
        name="李淑珍",
        id_number=make_id("19550101", "044"),
    )
    assert p.account == resident
    assert Person.objects.get(pk=p.pk).account == resident


def test_a_different_id_number_links_nothing(
    people: dict[str, Any], register: dict[str, Any], make_user: Callable[..., User]
) -> None:
    newcomer = make_user(name="", phone="13911114444")
    # Same name and birth date as the person on the register, another sequence number.
    verify_in_app(newcomer, "张桂芳", make_id("19400312", "004"))
    assert not Person.objects.filter(account=newcomer).exists()
    assert Person.objects.filter(account__isnull=False).count() == 0
    assert notices(people["worker_a"]) == []
