"""Visit photos and wish evidence through /media/: staff in scope, and for a wish the volunteer
who fulfilled it; nobody else, not even another volunteer or a resident."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import MICRO_A2, MICRO_B1
from wangge.accounts.models import Role, User
from wangge.core.images import clean_images
from wangge.residents.services import (
    visit_record,
    wish_claim,
    wish_fulfil,
    wish_publish,
    wish_raise,
)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 120, 60)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def status(user: User | None, url: str) -> int:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c.get(url).status_code


def test_a_visit_photo_is_for_the_staff_of_its_grid(
    people: dict[str, User], register: dict[str, Any]
) -> None:
    visit = visit_record(
        actor=people["worker_a"], person=register["elder"], findings="身体尚好，独自在家",
        photos=clean_images([jpeg()]),
    )  # fmt: skip
    photo = visit.photos.get()
    assert photo.thumb.name.endswith(".thumb.jpg")
    for url in (f"/media/{photo.image.name}", f"/media/{photo.thumb.name}"):
        assert status(people["worker_a"], url) == 200
        assert status(people["community"], url) == 200
        for other in (people["worker_b"], people["resident"], people["outsider"], None):
            assert status(other, url) == 404


def test_wish_evidence_is_for_staff_and_the_volunteer_who_fulfilled_it(
    people: dict[str, User], register: dict[str, Any], make_user: Any, tree: Any
) -> None:
    claimer = make_user(Role.PARTY_MEMBER, tree[MICRO_A2], name="党员老韩")
    another = make_user(Role.PARTY_MEMBER, tree[MICRO_B1], name="党员小许")
    wish = wish_raise(
        actor=people["worker_a"], person=register["elder"], title="想要一台收音机听戏", detail=""
    )
    wish_publish(actor=people["worker_a"], wish=wish)
    wish_claim(actor=claimer, wish=wish)
    wish_fulfil(actor=claimer, wish=wish, note="送到", photos=clean_images([jpeg()]))
    photo = wish.photos.get()
    c = Client()
    c.force_login(claimer)
    page = c.get(f"/residents/wishes/{wish.pk}/").content.decode()
    assert re.search(
        rf'<a href="/media/{photo.image.name}"><img src="/media/{photo.thumb.name}"', page
    )
    url = f"/media/{photo.image.name}"
    for allowed in (claimer, people["worker_a"], people["community"]):
        assert status(allowed, url) == 200
    for other in (another, people["worker_b"], people["resident"], None):
        assert status(other, url) == 404
