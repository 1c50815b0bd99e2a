"""Cleaning uploaded photos: sizes capped, thumbnails made, oversize and bomb images refused from
their header with a Chinese reason, before anything is decoded or stored."""

import io
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageFile

from wangge.cases.models import Case, CaseAttachment
from wangge.core import images
from wangge.core.errors import ValidationFailed
from wangge.core.images import clean_image


def upload(img: Image.Image, fmt: str, **save: Any) -> SimpleUploadedFile:
    out = io.BytesIO()
    img.save(out, format=fmt, **save)
    return SimpleUploadedFile(f"p.{fmt.lower()}", out.getvalue())


def stored(content: Any) -> Image.Image:
    img = Image.open(io.BytesIO(content.read()))
    img.load()
    return img


def test_a_phone_photo_is_stored_at_2000_px_with_a_480_px_thumbnail() -> None:
    clean = clean_image(upload(Image.new("RGB", (4032, 3024), (90, 140, 200)), "JPEG"))
    assert (clean.width, clean.height) == (2000, 1500)
    original, thumb = stored(clean.content), stored(clean.thumb)
    assert original.format == "JPEG" and original.size == (2000, 1500)
    assert thumb.format == "JPEG" and thumb.size == (480, 360)
    assert clean.content.name == f"{clean.token}.jpg"
    assert clean.thumb.name == f"{clean.token}.thumb.jpg"


def test_a_48_megapixel_jpeg_decodes_at_reduced_scale() -> None:
    # 8000×6000 is accepted; drafting decodes it at a quarter, so it is quick and lands at the cap.
    img = Image.linear_gradient("L").resize((8000, 6000)).convert("RGB")
    started = time.perf_counter()
    clean = clean_image(upload(img, "JPEG", quality=80))
    assert (clean.width, clean.height) == (2000, 1500)
    # Decoding in full and resampling took over a second on the 2-core reference machine.
    assert time.perf_counter() - started < 5


def decoded_sizes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The size of every picture Pillow decodes from here on (its size when it loads)."""
    sizes: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def recording(self: ImageFile.ImageFile) -> Any:
        if self._im is None:  # not yet decoded
            sizes.append(self.size)
        return load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", recording)
    return sizes


def test_a_49_megapixel_phone_jpeg_is_decoded_at_a_quarter(monkeypatch: pytest.MonkeyPatch) -> None:
    # What a 48 MP sensor writes at full resolution: baseline, 8064×6048. The decoder reads it at
    # 1/4 scale, the smallest that still covers the stored 2000 px: about 3 MP, not 49.
    img = Image.linear_gradient("L").resize((8064, 6048)).convert("RGB")
    data = upload(img, "JPEG", quality=85)
    sizes = decoded_sizes(monkeypatch)
    clean = clean_image(data)
    assert sizes == [(2016, 1512)]
    assert (clean.width, clean.height) == (2000, 1500)


def test_a_large_progressive_jpeg_is_refused_before_decoding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A progressive JPEG must be read in full whatever the draft scale (every scan of every
    # coefficient): the nine 49 MP ones of 575 KB cost 6.6 s. It gets the cap of the
    # formats that decode in full, checked from its header.
    data = upload(Image.new("L", (8064, 6048), 128), "JPEG", quality=20, progressive=True)
    sizes = decoded_sizes(monkeypatch)
    with pytest.raises(ValidationFailed) as err:
        clean_image(data)
    assert err.value.message == "图片像素过多（8064×6048），请上传不超过 1600 万像素的图片"
    assert sizes == []


def test_a_progressive_jpeg_of_a_re_saved_photo_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a chat app re-saves (progressive, a few megapixels) is under that cap: drafted to
    # half, like a baseline one.
    data = upload(Image.new("RGB", (4000, 3000), (90, 140, 200)), "JPEG", progressive=True)
    sizes = decoded_sizes(monkeypatch)
    clean = clean_image(data)
    assert sizes == [(2000, 1500)]
    assert (clean.width, clean.height) == (2000, 1500)


def test_orientation_is_applied_before_storing() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # the camera was held upright: rotate 90° on display
    clean = clean_image(upload(Image.new("RGB", (4000, 3000), (1, 2, 3)), "JPEG", exif=exif))
    original = stored(clean.content)
    assert original.size == (1500, 2000) and not original.getexif()


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_jpeg_past_the_cap_is_refused_from_its_header() -> None:
    # 10000×6000 = 60 MP; a flat picture compresses to a few hundred kilobytes.
    with pytest.raises(ValidationFailed) as err:
        clean_image(upload(Image.new("L", (10000, 6000)), "JPEG", quality=20))
    assert err.value.message == "图片像素过多（10000×6000），请上传不超过 5200 万像素的图片"


def test_a_7000_square_png_is_refused_cheaply() -> None:
    # Small on the wire, 49 MP once decoded: what used to cost seconds of CPU per photo.
    data = upload(Image.new("RGB", (7000, 7000), (240, 240, 240)), "PNG")
    assert data.size is not None and data.size < 300_000
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as err:
        clean_image(data)
    assert time.perf_counter() - started < 0.5
    assert err.value.message == "图片像素过多（7000×7000），请上传不超过 1600 万像素的图片"


def test_a_decompression_bomb_is_refused_with_the_chinese_reason() -> None:
    # 11000×11000 one-bit pixels deflate to some 20 KB: 121 MP promised by a small file, past
    # twice Pillow's project-wide limit, so Pillow itself refuses it while reading the header.
    bomb = upload(Image.new("1", (11_000, 11_000)), "PNG", optimize=True)
    assert bomb.size is not None and bomb.size < 1_000_000
    assert Image.MAX_IMAGE_PIXELS == images.MAX_JPEG_PIXELS
    with pytest.raises(ValidationFailed) as err:
        clean_image(bomb)
    assert err.value.message == "图片像素过多，请上传不超过 5200 万像素的图片"


def test_a_palette_gif_is_stored_as_rgb_jpeg() -> None:
    clean = clean_image(upload(Image.new("P", (300, 200), 3), "GIF"))
    original = stored(clean.content)
    assert original.format == "JPEG" and original.mode == "RGB" and original.size == (300, 200)


def test_the_bomb_through_the_report_page_stores_nothing(
    people: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = Client()
    c.force_login(people["resident"])
    bomb = upload(Image.new("1", (11_000, 11_000)), "PNG", optimize=True)
    resp = c.post(
        "/api/v1/cases",
        {"description": "路灯不亮", "category": "CSGL-01",
         "location": '{"lon": 113.6005, "lat": 34.7505}', "photos": [bomb]},
    )  # fmt: skip
    assert resp.status_code == 422
    assert resp.json() == {"detail": "图片像素过多，请上传不超过 5200 万像素的图片"}
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))
