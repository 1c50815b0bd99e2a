"""Server-rendered QR codes for vouchers (qrcode is already a dependency; its SVG path image
needs no Pillow and no JavaScript)."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    text = svg if isinstance(svg, str) else svg.decode()
    # Drop the XML declaration so the markup can sit inline in the page.
    return text[text.index("<svg") :]
