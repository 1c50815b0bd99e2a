"""Benchmark cleaning uploaded photos (`wangge.core.images.clean_image`).

    python bench/bench_images.py [--repeat 3] [--src DIR]

Three uploads people really send, made here so the run needs no files:

* a 12 MP phone JPEG (4000×3000, quality 90, about 4.7 MB),
* a 48 MP phone JPEG (8000×6000, quality 85, under the 10 MB upload limit),
* a 7000×7000 PNG of flat colour and boxes (about 0.3 MB on the wire, 49 MP once decoded),
* the same at 4000×4000, just under the cap for formats that cannot be decoded at reduced scale.

Each is cleaned ``--repeat`` times; the best and the median wall time are printed, with the
outcome (stored size, or the refusal). ``--src`` imports `wangge` from another checkout, so an
earlier commit can be measured with the same inputs. The last line is a JSON summary.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def phone_jpeg(width: int, height: int, quality: int, grain: float) -> bytes:
    """A photo-like JPEG: smooth gradients with sensor-like grain, which compresses like a real
    scene (pure noise would be far larger than any camera's output, a flat image far smaller)."""
    from PIL import Image

    size = (width, height)
    gx = Image.linear_gradient("L").rotate(90).resize(size)
    gy = Image.linear_gradient("L").resize(size)
    gr = Image.radial_gradient("L").resize(size)
    img = Image.merge("RGB", (gx, gy, gr))
    img = Image.blend(img, Image.effect_noise(size, 60).convert("RGB"), grain)
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def flat_png(side: int) -> bytes:
    """A screenshot-like PNG: flat background and coloured boxes, so it deflates very well."""
    from PIL import Image, ImageDraw

    rnd = random.Random(7)
    img = Image.new("RGB", (side, side), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    for _ in range(12_000):
        x, y = rnd.randrange(side), rnd.randrange(side)
        box = (x, y, x + rnd.randrange(20, 300), y + rnd.randrange(20, 300))
        draw.rectangle(box, fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wangge.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wangge.core.errors import ValidationFailed
    from wangge.core.images import clean_image

    inputs = {
        "12 MP JPEG (4000×3000)": ("p.jpg", phone_jpeg(4000, 3000, 90, 0.2)),
        "48 MP JPEG (8000×6000)": ("p.jpg", phone_jpeg(8000, 6000, 85, 0.1)),
        "7000×7000 PNG": ("p.png", flat_png(7000)),
        "4000×4000 PNG": ("p.png", flat_png(4000)),
    }
    summary: dict[str, Any] = {}
    for label, (name, data) in inputs.items():
        times: list[float] = []
        outcome = ""
        for _ in range(args.repeat):
            upload = SimpleUploadedFile(name, data)
            t0 = time.perf_counter()
            try:
                cleaned = clean_image(upload)
                outcome = f"stored {cleaned.width}×{cleaned.height}"
            except ValidationFailed as exc:
                outcome = f"refused: {exc.message}"
            times.append(time.perf_counter() - t0)
        best, median = min(times), statistics.median(times)
        print(
            f"{label:24} upload {len(data) / 1e6:5.2f} MB  best {best * 1000:7.0f} ms  "
            f"median {median * 1000:7.0f} ms  {outcome}"
        )
        summary[label] = {"bytes": len(data), "best_ms": round(best * 1000), "outcome": outcome}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
