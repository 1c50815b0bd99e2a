"""微心愿: raised at a visit → published without the person → claimed once → fulfilled with
evidence → thanked; the board shows volunteers of the community only the public title."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import COMMUNITY, MICRO_A2, MICRO_B1
from wangge.accounts.models import Role
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import clean_images
from wangge.residents.models import Wish
from wangge.residents.selectors import wish_board, wishes_visible
from wangge.residents.services import (
    wish_claim,
    wish_fulfil,
    wish_publish,
    wish_raise,
    wish_thank,
)


def jpeg(name: str = "done.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 60)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def volunteers(make_user: Any, tree: Any) -> dict[str, Any]:
    return {
        # A party member living in A2: same community as the elder (A1).
        "member": make_user(Role.PARTY_MEMBER, tree[MICRO_A2], name="党员老韩"),
        "member_b": make_user(Role.PARTY_MEMBER, tree[MICRO_B1], name="党员小许"),
        # A party member of another community sees nothing of this one's wishes.
        "elsewhere": make_user(Role.PARTY_MEMBER, tree[COMMUNITY].parent, name="街道党员"),
    }


@pytest.fixture
def wish(people: Any, register: dict[str, Any]) -> Wish:
    return wish_raise(
        actor=people["worker_a"],
        person=register["elder"],
        title="想要一台收音机听戏",
        detail="老人独居，耳背，住2-301",
    )


def test_the_whole_loop(people: Any, volunteers: Any, wish: Wish) -> None:
    member = volunteers["member"]
    assert not wish_board(member).exists()  # not yet published
    with pytest.raises(PermissionDenied):
        wish_claim(actor=member, wish=wish)
    wish_publish(actor=people["worker_a"], wish=wish)
    # Everyone of the community may see it (the street-level member's grant covers it too);
    # people of other streets would not.
    assert list(wish_board(member)) == [wish]
    assert list(wish_board(volunteers["member_b"])) == [wish]
    assert list(wish_board(volunteers["elsewhere"])) == [wish]
    assert not wish_board(people["outsider"]).exists()
    assert not wish_board(people["worker_b"]).exists()  # staff read their own ledger
    with pytest.raises(PermissionDenied):
        wish_claim(actor=people["worker_b"], wish=wish)  # staff, not a volunteer
    wish_claim(actor=member, wish=wish)
    with pytest.raises(PermissionDenied):
        wish_claim(actor=volunteers["member_b"], wish=wish)  # gone from the board
    with pytest.raises(PermissionDenied):
        wish_fulfil(
            actor=volunteers["member_b"], wish=wish, note="送到了", photos=clean_images([jpeg()])
        )
    with pytest.raises(ValidationFailed, match="照片"):
        wish_fulfil(actor=member, wish=wish, note="送到了", photos=[])
    wish_fulfil(actor=member, wish=wish, note="送去收音机一台", photos=clean_images([jpeg()]))
    with pytest.raises(PermissionDenied):
        wish_thank(actor=people["worker_b"], wish=wish, thanks="谢谢")
    wish_thank(actor=people["worker_a"], wish=wish, thanks="张奶奶说谢谢老韩")
    wish.refresh_from_db()
    assert wish.status == "thanked" and wish.photos.count() == 1
    assert list(wish_board(member)) == [wish]  # still theirs to look back on


def test_a_wish_is_claimed_once(people: Any, volunteers: Any, wish: Wish) -> None:
    wish_publish(actor=people["worker_a"], wish=wish)
    stale = Wish.objects.get(pk=wish.pk)
    wish_claim(actor=volunteers["member"], wish=wish)
    with pytest.raises(Conflict):
        wish_publish(actor=people["worker_a"], wish=stale)


def test_staff_scope_of_the_ledger(people: Any, volunteers: Any, wish: Wish) -> None:
    assert list(wishes_visible(people["worker_a"])) == [wish]
    assert list(wishes_visible(people["community"])) == [wish]
    for role in ("worker_b", "resident", "outsider", "cgj"):
        assert not wishes_visible(people[role]).exists(), role
    with pytest.raises(PermissionDenied):
        wish_raise(actor=people["worker_b"], person=wish.person, title="越界")
    with pytest.raises(PermissionDenied):
        wish_publish(actor=people["worker_b"], wish=wish)


@pytest.mark.parametrize(
    "who", ["resident", "worker_a", "worker_b", "community", "outsider", "cgj", "member"]
)
def test_pages_by_role(people: Any, volunteers: Any, wish: Wish, who: str) -> None:
    wish_publish(actor=people["worker_a"], wish=wish)
    user = volunteers.get(who) or people[who]
    c = Client()
    c.force_login(user)
    board = c.get("/residents/wishes/").content.decode()
    page = c.get(f"/residents/wishes/{wish.pk}/")
    staff_sees = who in ("worker_a", "community")
    public_sees = who in ("member", "resident")  # the cast's resident lives in A1
    assert ("想要一台收音机听戏" in board) == (staff_sees or public_sees)
    assert page.status_code == (200 if staff_sees or public_sees else 404)
    body = page.content.decode()
    # The person, their address and the private detail are for the grid's staff only.
    for private in ("张桂芳", "2-301", "耳背"):
        if staff_sees:
            assert private in body
        else:
            assert private not in body and private not in board


def test_pages_walk_the_loop(people: Any, volunteers: Any, wish: Wish) -> None:
    worker, member = Client(), Client()
    worker.force_login(people["worker_a"])
    member.force_login(volunteers["member"])
    url = f"/residents/wishes/{wish.pk}/"
    assert worker.post(url, {"action": "publish"}).status_code == 302
    assert member.post(url, {"action": "claim"}).status_code == 302
    assert member.post(url, {"action": "fulfil", "note": "送到"}).status_code == 422
    resp = member.post(url, {"action": "fulfil", "note": "送到", "photos": [jpeg()]})
    assert resp.status_code == 302
    assert worker.post(url, {"action": "thank", "thanks": "谢谢"}).status_code == 302
    assert Wish.objects.get().status == "thanked"
    assert member.post(url, {"action": "thank", "thanks": "x"}).status_code == 422


def test_a_visit_can_raise_a_wish(people: Any, register: Any) -> None:
    c = Client()
    c.force_login(people["worker_a"])
    resp = c.post(
        f"/residents/persons/{register['elder'].pk}/visit/",
        {"findings": "精神好", "wish": "想要一副老花镜", "wish_detail": "度数 300"},
    )
    assert resp.status_code == 302
    wish = Wish.objects.get()
    assert wish.visit is not None and wish.status == "raised" and wish.detail == "度数 300"
