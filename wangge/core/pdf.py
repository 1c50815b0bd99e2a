"""The CJK font every PDF of the project embeds (circulars, assessments, patrol reports).

The font is the operating system's, not a Python package's: a font's licence travels with the
distribution that ships it, and Debian's `fonts-wqy-microhei` (文泉驿微米黑, Apache-2.0 or GPLv3
with a font-embedding exception) is what docs/deploy.md installs and what the browser tests already
need. `PDF_FONT_PATH` names another TrueType file/collection (.ttf/.ttc; reportlab cannot embed
CFF-flavoured OpenType such as Noto Sans CJK's .otf). With none found, reportlab's STSong-Light is
referenced by name and not embedded: the reader's PDF viewer then supplies the glyphs, so the text
is still there, only its look differs by viewer.
"""

from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Table, TableStyle

# Where Debian and its derivatives put the font packages that carry TrueType CJK faces.
SYSTEM_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)

EMBEDDED_NAME = "WangGeCJK"
FALLBACK_NAME = "STSong-Light"


def font_candidates() -> list[Path]:
    configured = getattr(settings, "PDF_FONT_PATH", "")
    paths = [configured] if configured else []
    return [Path(p) for p in (*paths, *SYSTEM_FONTS)]


@cache
def cjk_font() -> str:
    """Register the CJK font once per process and return the name to draw with."""
    for path in font_candidates():
        if path.is_file():
            from reportlab.pdfbase.ttfonts import TTFont

            index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path), **index))
            return EMBEDDED_NAME
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK_NAME


def pdf_table(header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
    """A table of the project's PDFs (circulars, assessments, party statements, patrol
    reports): a red header row repeated on every page, cells wrapping Chinese text, widths in
    millimetres."""
    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    data = [header] + [[Paragraph(str(c), cell) for c in row] for row in rows]
    t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#b71c1c")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return t
