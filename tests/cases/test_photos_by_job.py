"""Photos cleaned by the job worker, as production does (settings.PHOTOS_CLEANED_BY_JOB): the
request only checks the header and keeps the bytes as sent where /media/ never serves them; the
job, queued when the row is committed, stores the clean JPEG and its thumbnail."""

import io
import os
import time
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.cases.test_api import URL, client_for, jpeg_with_gps
from wangge.cases.models import Case, CaseAttachment
from wangge.core import images, tasks
from wangge.core.media import PENDING_FOLDER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _by_job(settings: Any) -> None:
    settings.PHOTOS_CLEANED_BY_JOB = True


def report_with(client: Client, photo: bytes) -> Any:
    return client.post(
        URL,
        {
            "description": "楼道里堆满了杂物",
            "category": "CSGL-01",
            "location": '{"lon": 113.6005, "lat": 34.7505}',
            "photos": [SimpleUploadedFile("IMG_0001.jpg", photo, content_type="image/jpeg")],
        },
    )


def test_the_report_is_answered_before_its_photo_is_cleaned_and_shows_it_after(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    resident = client_for(people["resident"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        resp = report_with(resident, jpeg_with_gps((1600, 1200)))
    assert resp.status_code == 201, resp.content
    att = CaseAttachment.objects.get()
    kept = att.image.name
    assert kept.startswith(f"{PENDING_FOLDER}/") and not att.thumb
    with default_storage.open(kept, "rb") as raw:
        assert Image.open(raw).getexif()  # still as sent: GPS and all
    # Nobody is served the bytes as sent, not even the reporter; the page shows a placeholder.
    assert resident.get(f"/media/{kept}").status_code == 404
    case = Case.objects.get()
    page = resident.get(f"/cases/{case.pk}/").content.decode()
    assert "/static/img/photo_pending.svg" in page and kept not in page
    detail = resident.get(f"{URL}/{case.pk}").json()
    assert detail["photos"][0]["url"].endswith("/static/img/photo_pending.svg")

    for job in queued:  # the row is committed: the worker cleans it
        job()

    att.refresh_from_db()
    assert att.image.name.startswith(f"cases/{case.pk}/") and att.image.name.endswith(".jpg")
    assert att.thumb.name.endswith(".thumb.jpg")
    assert not default_storage.exists(kept)
    shown = resident.get(f"/media/{att.image.name}")
    assert shown.status_code == 200
    with Image.open(io.BytesIO(b"".join(shown.streaming_content))) as clean:
        assert not clean.getexif() and clean.size == (1600, 1200)
    page = resident.get(f"/cases/{case.pk}/").content.decode()
    assert "photo_pending.svg" not in page and f"/media/{att.thumb.name}" in page


def test_too_many_pixels_is_still_refused_in_the_request_from_the_header(
    people: dict[str, Any],
) -> None:
    out = io.BytesIO()
    Image.new("L", (9000, 9000)).save(out, format="PNG")
    resp = report_with(client_for(people["resident"]), out.getvalue())
    assert resp.status_code == 422
    assert "图片像素过多" in resp.json()["detail"]
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_a_photo_cut_off_after_its_header_is_dropped_by_the_job_and_the_case_kept(
    people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    whole = jpeg_with_gps((1600, 1200))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        resp = report_with(client_for(people["resident"]), whole[: len(whole) // 3])
    assert resp.status_code == 201, resp.content  # its header was a picture's
    kept = CaseAttachment.objects.get().image.name
    for job in queued:
        job()
    case = Case.objects.get()
    assert not CaseAttachment.objects.filter(case=case).exists()
    assert not default_storage.exists(kept)


def test_a_report_stored_while_the_queue_is_away_is_answered_and_its_photo_rescued(
    people: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    def away(*args: Any) -> None:
        raise ConnectionError("Redis is restarting")

    monkeypatch.setattr(images, "photo_clean", away)
    with django_capture_on_commit_callbacks(execute=True):
        resp = report_with(client_for(people["resident"]), jpeg_with_gps((800, 600)))
    assert resp.status_code == 201, resp.content  # the resident's report is not lost to it
    kept = CaseAttachment.objects.get().image.name
    assert kept.startswith(f"{PENDING_FOLDER}/")
    monkeypatch.undo()

    # Not yet: a photo that has waited less than the setting is its job's still.
    settings.PHOTO_PENDING_RESCUE_SECONDS = 600
    assert tasks.photos_pending_rescue.call_local() == 0
    aged = time.time() - 601
    os.utime(default_storage.path(kept), (aged, aged))
    assert tasks.photos_pending_rescue.call_local() == 1
    att = CaseAttachment.objects.get()
    assert att.image.name.startswith("cases/") and att.thumb.name
    assert not default_storage.exists(kept)
    assert tasks.photos_pending_rescue.call_local() == 0
