"""/media/<name> on local disk: a case's photos reach those who may open the case and nobody else,
streamed by Django or handed to nginx with X-Accel-Redirect; names never stored are 404."""

import io
import re
from typing import Any

import pytest
from django.apps import apps
from django.db.models import FileField
from django.test import Client
from PIL import Image

from tests.cases.conftest import IN_A1
from tests.conftest import MICRO_A2
from tests.core.test_images import upload
from wangge.accounts.models import Role, User
from wangge.accounts.services import api_token_create
from wangge.cases.models import Case, CaseAttachment
from wangge.core import media


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    return tmp_path


def client_for(user: User | None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def body(resp: Any) -> bytes:
    return b"".join(resp.streaming_content) if resp.streaming else resp.content


@pytest.fixture
def reported(people: dict[str, User]) -> tuple[Case, list[str]]:
    """The resident reports through the normal page with a phone photo; returns the case and
    the photo links the case page shows its reporter (thumbnail src, original href)."""
    c = client_for(people["resident"])
    photo = upload(Image.new("RGB", (3000, 2000), (200, 60, 20)), "JPEG")
    resp = c.post(
        "/cases/new/",
        {"description": "楼下有人摆摊占道", "category": "CSGL-01", "lon": IN_A1[0], "lat": IN_A1[1],
         "urgency": "normal", "photos": [photo]},
    )  # fmt: skip
    assert resp.status_code == 302, resp.content.decode()
    case = Case.objects.get()
    page = c.get(resp["Location"]).content.decode()
    links = re.findall(r'<a href="(/media/[^"]+)"><img src="(/media/[^"]+)"', page)
    assert links, page
    return case, list(links[0])


def test_the_case_page_links_the_original_and_shows_the_thumbnail(
    reported: tuple[Case, list[str]],
) -> None:
    case, (original, thumb) = reported
    att = CaseAttachment.objects.get(case=case)
    assert (
        original == f"/media/{att.image.name}" == f"/media/cases/{case.pk}/report-{att.token}.jpg"
    )
    assert thumb == f"/media/{att.thumb.name}" and thumb.endswith(".thumb.jpg")


def test_reporter_and_handler_get_the_photo(
    reported: tuple[Case, list[str]], people: dict[str, User]
) -> None:
    case, (original, thumb) = reported
    assert case.assignee == people["worker_a"]
    for who in ("resident", "worker_a", "dispatcher"):
        resp = client_for(people[who]).get(original)
        assert resp.status_code == 200, who
        assert resp["Content-Type"] == "image/jpeg"
        assert resp["Cache-Control"] == "private, max-age=3600"
        with Image.open(io.BytesIO(body(resp))) as img:
            assert img.format == "JPEG" and img.size == (2000, 1333)
    resp = client_for(people["worker_a"]).get(thumb)
    with Image.open(io.BytesIO(body(resp))) as img:
        assert img.size == (480, 320)


def test_anyone_else_gets_404(
    reported: tuple[Case, list[str]], people: dict[str, User], make_user: Any, tree: Any
) -> None:
    _case, (original, thumb) = reported
    neighbour = make_user(Role.RESIDENT, tree[MICRO_A2], name="邻居甲")
    for who in (neighbour, people["worker_b"], people["outsider"], people["cgj"], None):
        for url in (original, thumb):
            resp = client_for(who).get(url)
            assert resp.status_code == 404, (who, url)
            assert not resp.has_header("X-Accel-Redirect")


def test_a_department_summoned_to_the_case_gets_it(
    reported: tuple[Case, list[str]], people: dict[str, User]
) -> None:
    case, (original, _thumb) = reported
    assert client_for(people["cgj"]).get(original).status_code == 404
    case.assistances.create(department=people["cgj"].departments.get(), role="lead")
    assert client_for(people["cgj"]).get(original).status_code == 200


def test_nginx_sends_the_file_when_accel_redirect_is_set(
    reported: tuple[Case, list[str]], people: dict[str, User], settings: Any
) -> None:
    settings.MEDIA_ACCEL_REDIRECT = "/_protected_media/"
    _case, (original, _thumb) = reported
    resp = client_for(people["resident"]).get(original)
    assert resp.status_code == 200 and resp.content == b""
    assert resp["X-Accel-Redirect"] == "/_protected_media/" + original.removeprefix("/media/")
    assert resp["Content-Type"] == "image/jpeg"
    assert resp["Cache-Control"] == "private, max-age=3600"
    refused = client_for(people["worker_b"]).get(original)
    assert refused.status_code == 404 and not refused.has_header("X-Accel-Redirect")


def test_api_photos_go_through_the_view_and_open_with_a_bearer_key(
    reported: tuple[Case, list[str]], people: dict[str, User]
) -> None:
    case, (original, thumb) = reported
    detail = client_for(people["resident"]).get(f"/api/v1/cases/{case.pk}").json()
    [photo] = detail["photos"]
    assert (photo["url"], photo["thumb_url"]) == (original, thumb)
    key = api_token_create(user=people["worker_a"], name="手机端")[1]
    resp = Client().get(original, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert resp.status_code == 200 and body(resp)[:2] == b"\xff\xd8"
    other = api_token_create(user=people["worker_b"], name="手机端")[1]
    assert Client().get(original, HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404


def test_names_that_were_never_stored_are_404(
    reported: tuple[Case, list[str]], people: dict[str, User], media_root: Any
) -> None:
    case, _links = reported
    (media_root / "loose.jpg").write_bytes(b"\xff\xd8 not anyone's")
    c = client_for(people["resident"])
    for url in (
        "/media/loose.jpg",  # on disk, but no row owns it
        f"/media/cases/{case.pk}/../../loose.jpg",
        "/media/../wangge/settings.py",
        f"/media/cases/{case.pk}/report-0000000000000000.jpg",
        "/media/cases/x/report.jpg",
        "/media/elsewhere/a.jpg",
        "/media/",
    ):
        assert c.get(url).status_code == 404, url
    assert c.post(f"/media/cases/{case.pk}/x.jpg").status_code in (404, 405)


def test_a_row_whose_file_was_lost_is_404_not_500(
    reported: tuple[Case, list[str]], people: dict[str, User], media_root: Any
) -> None:
    _case, (original, _thumb) = reported
    (media_root / original.removeprefix("/media/")).unlink()
    assert client_for(people["resident"]).get(original).status_code == 404


def test_every_stored_file_has_an_owner_that_checks_access() -> None:
    """A model with a file field whose folder no app answers for would serve nobody; one added
    later must register its folder (media.register in its AppConfig.ready)."""
    folders = set()
    for model in apps.get_models():
        if not model.__module__.startswith("wangge."):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                upload_to = field.upload_to
                name = upload_to(model(), "x.jpg") if callable(upload_to) else str(upload_to)
                folders.add(name.split("/", 1)[0])
    assert folders == {
        "cases",
        "visits",
        "wishes",
        "market",
        "circles",
        "circulars",
        "staff",
        "hotline",
        "video",
    }
    assert folders <= media.registered_folders()
