"""A resident's report whose photo is still waiting for the job worker (production cleans photos
in a job, core.images), on a phone in both modes: the case page shows the placeholder as a real
picture, passes axe-core, and shows the cleaned photo once the job has run."""

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser.axe import axe_serious
from tests.browser.conftest import shot, sign_in
from tests.cases.conftest import IN_A1
from tests.conftest import PASSWORD
from wangge.cases.models import Case, CaseAttachment
from wangge.core import images
from wangge.core.media import PENDING_FOLDER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PICTURES = "[...document.querySelectorAll('.photos img')]"


@pytest.mark.parametrize("mode", ["standard", "elderly"])
def test_a_photo_waiting_for_its_job_shows_a_placeholder_then_the_photo(
    live_server: Any,
    people: dict[str, Any],
    new_page: Any,
    tmp_path: Path,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    mode: str,
) -> None:
    settings.PHOTOS_CLEANED_BY_JOB = True
    queued: list[tuple[str, int, str, str]] = []
    clean = images.photo_clean
    # The worker has not reached it yet: the job is only noted.
    monkeypatch.setattr(images, "photo_clean", lambda *job: queued.append(job))
    resident = people["resident"]
    resident.elderly_mode = mode == "elderly"
    resident.save(update_fields=["elderly_mode"])
    photo = tmp_path / "door.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (150, 60, 40)).save(out, format="JPEG")
    photo.write_bytes(out.getvalue())

    base = live_server.url
    page = new_page(phone=True, geolocation={"longitude": IN_A1[0], "latitude": IN_A1[1]})
    sign_in(page, base, resident.phone, PASSWORD)
    page.goto(f"{base}/cases/new/")
    page.get_by_label("问题描述").fill("单元门坏了关不上，晚上有陌生人进出")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_function("document.getElementById('id_lon').value !== ''")
    page.locator("input[type=file]").set_input_files(str(photo))
    page.get_by_role("button", name="提交").click()
    page.wait_for_selector("#case-status")

    attachment = CaseAttachment.objects.get()
    assert attachment.image.name.startswith(f"{PENDING_FOLDER}/") and len(queued) == 1
    page.wait_for_function(f"{PICTURES}.length > 0 && {PICTURES}.every(i => i.complete)")
    shown = page.evaluate(f"{PICTURES}.map(i => [i.getAttribute('src'), i.naturalWidth])")
    assert all(src.endswith("/img/photo_pending.svg") and width > 0 for src, width in shown)
    assert axe_serious(page) == []
    shot(page, f"photo-pending-{mode}")

    clean.call_local(*queued[0])  # the worker's turn
    page.reload()
    page.wait_for_function(f"{PICTURES}.length > 0 && {PICTURES}.every(i => i.complete)")
    shown = page.evaluate(f"{PICTURES}.map(i => [i.getAttribute('src'), i.naturalWidth])")
    case = Case.objects.get()
    assert all(src.startswith(f"/media/cases/{case.pk}/") and width > 0 for src, width in shown)
