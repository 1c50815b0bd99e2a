"""Server-rendered QR codes: vouchers and the rotating volunteer check-in code (qrcode is already
a dependency; its SVG path image needs no Pillow and no JavaScript)."""

import re

import qrcode
import qrcode.image.svg


def qr_svg(data: str, *, fill: bool = False) -> str:
    """Inline SVG markup for `data`. With `fill`, the image fills whatever box the page gives
    it, rather than a fixed size in millimetres."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    text = svg if isinstance(svg, str) else svg.decode()
    # Drop the XML declaration so the markup can sit inline in the page.
    text = text[text.index("<svg") :]
    if fill:
        text = re.sub(r'width="[^"]*" height="[^"]*"', 'width="100%" height="100%"', text, count=1)
    return text
