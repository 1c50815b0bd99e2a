"""Listing photos through /media/: every signed-in neighbour sees those of a listing they may
open (thumbnail in the list, original from the page); a withdrawn listing's only its owner."""

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import MICRO_B1
from tests.moderation.support import pass_held
from wangge.accounts.models import Role, User
from wangge.core.images import clean_images
from wangge.market.models import Listing
from wangge.market.services import listing_post
from wangge.moderation.models import Kind


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def client_for(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def test_listing_photos_follow_the_listing(
    cast: dict[str, User], make_user: Any, tree: Any
) -> None:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 180, 20)).save(out, format="JPEG")
    listing = listing_post(
        owner=cast["resident"], kind="offer", title="儿童自行车", description="九成新",
        price=Decimal(0), photos=clean_images([SimpleUploadedFile("b.jpg", out.getvalue())]),
    )  # fmt: skip
    photo = listing.photos.get()
    original, thumb = f"/media/{photo.image.name}", f"/media/{photo.thumb.name}"
    neighbour = make_user(Role.RESIDENT, tree[MICRO_B1], name="张阿姨")
    # A photo from the web pages waits for a person's review before neighbours see it.
    assert client_for(neighbour).get(f"/market/{listing.pk}/").status_code == 404
    assert client_for(neighbour).get(original).status_code == 404
    pass_held(cast["worker_a"], Kind.LISTING, listing.pk)

    browse = client_for(neighbour).get("/market/").content.decode()
    assert f'<img src="{thumb}"' in browse
    page = client_for(neighbour).get(f"/market/{listing.pk}/").content.decode()
    assert re.search(rf'<a href="{original}"><img src="{thumb}"', page)
    assert client_for(neighbour).get(original).status_code == 200
    assert client_for(None).get(original).status_code == 404

    Listing.objects.filter(pk=listing.pk).update(status=Listing.Status.CLOSED)
    assert client_for(neighbour).get(original).status_code == 404
    assert client_for(cast["resident"]).get(original).status_code == 200
