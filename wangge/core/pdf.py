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
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
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
            index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path), **index))
            return EMBEDDED_NAME

    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK_NAME


CELL_FONT_SIZE = 8
CELL_PADDING = 6  # points, left plus right (reportlab's default of 3 each side)


def pdf_table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    *,
    nowrap: tuple[int, ...] = (),
) -> Table:
    """A table of the project's PDFs (circulars, assessments, party statements, patrol
    reports): a red header row repeated on every page, cells wrapping Chinese text whole,
    widths in millimetres.

    The `nowrap` columns (case numbers, times) are never broken: each is printed on one line
    and made as wide as its longest value needs, the width taken from the wrapping columns."""
    font = cjk_font()
    cell = ParagraphStyle(
        "cell", fontName=font, fontSize=CELL_FONT_SIZE, leading=10, wordWrap="CJK"
    )
    data = [header] + [
        [str(c) if i in nowrap else Paragraph(str(c), cell) for i, c in enumerate(row)]
        for row in rows
    ]
    t = Table(data, colWidths=_fit_widths(header, rows, widths, nowrap, font), repeatRows=1)
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


def _fit_widths(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    nowrap: tuple[int, ...],
    font: str,
) -> list[float]:
    """Column widths in points: the given ones, except that each `nowrap` column is as wide
    as its longest value (or heading) needs, and the wrapping columns share what is left."""
    given = [w * mm for w in widths]
    if not nowrap:
        return given
    need = {
        i: max(
            pdfmetrics.stringWidth(str(v), font, CELL_FONT_SIZE)
            for v in [header[i], *(row[i] for row in rows)]
        )
        + CELL_PADDING
        + 1
        for i in nowrap
    }
    fixed = {i: max(given[i], need[i]) for i in nowrap}
    wrapping = [i for i in range(len(given)) if i not in fixed]
    room = sum(given) - sum(fixed.values())
    share = sum(given[i] for i in wrapping) or 1.0
    return [fixed[i] if i in fixed else given[i] * room / share for i in range(len(given))]
