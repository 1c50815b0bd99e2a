"""Post photos through /media/: whoever the post reaches, and the moderators of its community,
who see a held post's photos in their queue; nobody outside the community."""

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.conftest import MICRO_B1, add_other_community
from tests.moderation.support import pass_held
from wangge.accounts.models import Role, User
from wangge.circles.models import SensitiveWord
from wangge.circles.services import post_create
from wangge.core.images import clean_images
from wangge.moderation.models import Kind


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def client_for(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def photo() -> list[Any]:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 60, 200)).save(out, format="JPEG")
    return clean_images([SimpleUploadedFile("p.jpg", out.getvalue())])


def test_a_published_posts_photos_reach_its_community_only(
    cast: dict[str, User], make_user: Any, tree: Any
) -> None:
    post = post_create(
        author=cast["resident"], circle="residents", text="小区花开了", photos=photo()
    )
    ph = post.photos.get()
    original, thumb = f"/media/{ph.image.name}", f"/media/{ph.thumb.name}"
    neighbour = make_user(Role.RESIDENT, tree[MICRO_B1], name="邻居乙")
    # A photo from the web pages waits for a person's review before neighbours see it.
    assert client_for(neighbour).get(original).status_code == 404
    pass_held(cast["community"], Kind.POST, post.pk)
    feed = client_for(neighbour).get("/circles/").content.decode()
    assert f'<img src="{thumb}"' in feed
    page = client_for(neighbour).get(f"/circles/{post.pk}/").content.decode()
    assert re.search(rf'<a href="{original}"><img src="{thumb}"', page)
    assert client_for(neighbour).get(original).status_code == 200
    elsewhere = make_user(Role.RESIDENT, add_other_community(), name="互助路居民")
    for other in (elsewhere, cast["outsider"], None):
        assert client_for(other).get(original).status_code == 404


def test_a_held_posts_photos_are_for_its_author_and_moderators(
    cast: dict[str, User], make_user: Any, tree: Any
) -> None:
    SensitiveWord.objects.get_or_create(word="贷款", defaults={"action": "hold"})
    post = post_create(
        author=cast["resident"], circle="residents", text="低息贷款找我", photos=photo()
    )
    assert post.visibility == "held"
    ph = post.photos.get()
    original, thumb = f"/media/{ph.image.name}", f"/media/{ph.thumb.name}"
    queue = client_for(cast["community"]).get("/circles/moderation/").content.decode()
    assert re.search(rf'<a href="{original}"><img src="{thumb}"', queue)
    for allowed in (cast["resident"], cast["community"], cast["dispatcher"]):
        assert client_for(allowed).get(original).status_code == 200
    # A grid worker holds a grid, not the community the post is shown in.
    neighbour = make_user(Role.RESIDENT, tree[MICRO_B1], name="邻居乙")
    for other in (neighbour, cast["worker_a"]):
        assert client_for(other).get(original).status_code == 404
