"""The CJK face every PDF of the project embeds (circulars, assessments, patrol reports, party
statements), and Chinese line breaking for its paragraphs.

The faces are the operating system's, not a Python package's: a font's licence travels with the
distribution that ships it. Documents are set in a serif (宋体/明体) face, as 公文 are: Debian's
`fonts-arphic-uming` (AR PL UMing, TrueType, under the Arphic Public License, which allows
embedding); the Makefile's `browser-deps`, CI and docs/deploy.md install it beside
`fonts-wqy-microhei` (文泉驿微米黑, the sans face the browser tests need). Without the serif face
the sans one is used, with a warning in the log. `PDF_FONT_PATH` names another TrueType
file/collection (.ttf/.ttc) to use instead; reportlab cannot embed CFF-flavoured OpenType such as
Noto's CJK .otf files. With none found, reportlab's STSong-Light is referenced by name and not
embedded: the reader's PDF viewer then supplies the glyphs, so the text is still there, only its
look differs by viewer.
"""

import itertools
import logging
import re
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

from wangge.core import segmentation

logger = logging.getLogger(__name__)

# Where Debian and its derivatives put the font packages that carry TrueType CJK faces: the
# serif face first (face 0 of uming.ttc is "AR PL UMing CN", the simplified forms), then the
# sans ones.
SERIF_FONTS = ("/usr/share/fonts/truetype/arphic/uming.ttc",)
SANS_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
SYSTEM_FONTS = (*SERIF_FONTS, *SANS_FONTS)

EMBEDDED_NAME = "WangGeCJK"
FALLBACK_NAME = "STSong-Light"


def font_candidates() -> list[Path]:
    configured = getattr(settings, "PDF_FONT_PATH", "")
    paths = [configured] if configured else []
    return [Path(p) for p in (*paths, *SYSTEM_FONTS)]


@cache
def cjk_font() -> str:
    """Register the CJK font once per process and return the name to draw with."""
    configured = getattr(settings, "PDF_FONT_PATH", "")
    for path in font_candidates():
        if path.is_file():
            if str(path) in SANS_FONTS and str(path) != configured:
                logger.warning(
                    "PDF serif face missing (%s): documents are set in the sans face %s; "
                    "install fonts-arphic-uming (make browser-deps)",
                    ", ".join(SERIF_FONTS),
                    path,
                )
            index = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path), **index))
            return EMBEDDED_NAME

    logger.warning(
        "No TrueType CJK font found (%s): PDFs name %s and the viewer supplies the glyphs",
        ", ".join(str(p) for p in font_candidates()),
        FALLBACK_NAME,
    )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK_NAME


# --- Chinese line breaking ---------------------------------------------------------------
# The 禁则 of Chinese typesetting (W3C "Requirements for Chinese Text Layout" §3.1.7, after
# GB/T 15834): no line starts with a pause or stop mark, a closing quote, bracket or book-title
# mark, a connector or interpunct; no line ends with an opening one. reportlab's own CJK
# wrapping knows only some of the first kind (not "，；：！？》”") and none of the second.
CANNOT_START = frozenset("，。、；：？！）」』】〕〗〙〉》”’·～–%‰℃,.;:?!)]}")
CANNOT_END = frozenset("（「『【〔〖〘〈《“‘([{")
# Marks never split between two lines: "——" and "……".
_DOUBLED = frozenset("—…")


# The parts a unit's name is made of that a reader takes as one word: a name too wide for its
# cell breaks before them ("河南工大社区" | "居民委员会"), never inside ("居民委" | "员会").
# Generic words of Chinese administration, not any district's names.
UNIT_WORDS = (
    "居民委员会",
    "村民委员会",
    "街道办事处",
    "办事处",
    "党群服务中心",
    "服务中心",
    "委员会",
    "管理科",
)


@cache
def _word_tokenizer() -> Any:
    """jieba over the shared dictionary (core.segmentation), with UNIT_WORDS added; read on the
    first table cell that wraps, once per process."""
    return segmentation.with_words(UNIT_WORDS)


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where the words of `text` lie, as jieba segments it: (start, end) of each word of two
    or more characters, which a table cell does not break inside."""
    spans, at = [], 0
    for word in _word_tokenizer().lcut(text, HMM=False):
        if len(word) > 1 and not word.isspace():
            spans.append((at, at + len(word)))
        at += len(word)
    return spans


def _is_word_char(ch: str) -> bool:
    """Latin letters and digits, with what binds them into one number (12.5%, 2026-11-10)."""
    return ch.isascii() and (ch.isalnum() or ch in ".-:/%+")


def line_segments(
    text: str, keep: Iterable[str] = (), *, fits: Any = None, words: bool = False
) -> list[str]:
    """`text` cut into the pieces a line may not break inside: a Latin word or a number, a
    phrase of `keep` (unit names) when `fits(phrase)` says it fits on a line, with `words` a
    Chinese word (word_spans: a table cell's narrow lines break between words), every other
    character alone; then each piece that may not start a line is joined to the one before
    it, and each that may not end one to the one after. The pieces put together give `text`."""
    bound = [True] * (len(text) + 1)  # bound[i]: a line may break before text[i]
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if _is_word_char(a) and _is_word_char(b):
            bound[i] = False
        if a == b and a in _DOUBLED:
            bound[i] = False
    if words:
        for start, end in word_spans(text):
            for i in range(start + 1, end):
                bound[i] = False
    phrases = sorted({p for p in keep if p}, key=len, reverse=True)
    for phrase in phrases:
        parts = [phrase]
        if fits is not None and not fits(phrase):
            # Too wide for a line: broken where a shorter name inside it ends or begins
            # ("碧沙岗社区" | "第1网格"), each part kept whole if it fits.
            # Or, holding none, after each level word ("河南工大社区" | "居民委员会").
            cut = _cut_at_names(phrase, phrases) or _cut_at_levels(phrase)
            parts = [p for p in cut if fits(p)]
        for part in parts:
            start = text.find(part)
            while start >= 0:
                end = start + len(part)
                for i in range(start + 1, end):
                    bound[i] = False
                start = text.find(part, end)
    for i in range(1, len(text)):
        if text[i] in CANNOT_START or text[i - 1] in CANNOT_END:
            bound[i] = False
    pieces, last = [], 0
    for i in range(1, len(text)):
        if bound[i]:
            pieces.append(text[last:i])
            last = i
    if text:
        pieces.append(text[last:])
    return pieces


def _cut_at_names(phrase: str, names: Sequence[str]) -> list[str]:
    """`phrase` cut where a shorter name it holds begins or ends; [] when it holds none."""
    found: set[int] = set()
    for name in names:
        if name != phrase and name in phrase:
            at = phrase.find(name)
            found.update((at, at + len(name)))
    cuts = sorted(c for c in found if 0 < c < len(phrase))
    if not cuts:
        return []
    edges = [0, *cuts, len(phrase)]
    return [phrase[a:b] for a, b in itertools.pairwise(edges)]


# The words that end a unit's own name inside a longer one: 中原区 | 林山寨街道 | 城市管理科.
_LEVEL_WORDS = re.compile(r"(?<=.)(?:社区|街道|网格|区|县|镇|乡|村)")


def _cut_at_levels(phrase: str) -> list[str]:
    """`phrase` cut after each level word that ends a name inside it; [] when none does."""
    cuts = [m.end() for m in _LEVEL_WORDS.finditer(phrase) if m.end() < len(phrase)]
    if not cuts:
        return []
    edges = [0, *cuts, len(phrase)]
    return [phrase[a:b] for a, b in itertools.pairwise(edges) if a < b]


def break_lines(
    text: str,
    widths: Sequence[float],
    max_widths: Sequence[float],
    keep: Iterable[str] = (),
    *,
    words: bool = False,
) -> list[tuple[int, int]]:
    """Where `text` (one width per character) breaks into lines no wider than `max_widths`
    (one per line, the last repeated): (start, end) per line. Whole pieces of `line_segments`
    go on a line while they fit; a piece wider than a whole line is cut by characters, and
    still no line starts with a mark that may not start one, when the line allows."""
    offsets = [0.0]
    for w in widths:
        offsets.append(offsets[-1] + w)

    def width(a: int, b: int) -> float:
        return offsets[b] - offsets[a]

    narrowest = min(max_widths) if max_widths else 0.0
    pieces = line_segments(
        text, keep, fits=lambda p: _phrase_width(p, text, widths) <= narrowest + 1e-6, words=words
    )
    lines: list[tuple[int, int]] = []
    start = pos = 0
    for piece in pieces:
        end = pos + len(piece)
        room = max_widths[min(len(lines), len(max_widths) - 1)] + 1e-6
        if width(start, end) > room and pos > start:
            lines.append((start, pos))
            start = pos
            while start < end and text[start].isspace():
                start += 1
            room = max_widths[min(len(lines), len(max_widths) - 1)] + 1e-6
        # A piece wider than the line: cut it by characters, never before a closing mark.
        while width(start, end) > room and end - start > 1:
            cut = start + 1
            while cut < end and width(start, cut + 1) <= room:
                cut += 1
            while cut - 1 > start and text[cut] in CANNOT_START:
                cut -= 1
            lines.append((start, cut))
            start = cut
            room = max_widths[min(len(lines), len(max_widths) - 1)] + 1e-6
        pos = end
    if start < len(text):
        lines.append((start, len(text)))
    return lines


def _phrase_width(phrase: str, text: str, widths: Sequence[float]) -> float:
    """The width of `phrase` as it is set in `text` (its first occurrence), else 0."""
    at = text.find(phrase)
    return sum(widths[at : at + len(phrase)]) if at >= 0 else 0.0


class ChineseParagraph(Paragraph):
    """A paragraph of Chinese text broken by the 禁则 above, keeping the phrases of `keep`
    (unit names) whole on one line wherever they fit, and with `words` every word (a table
    cell's few characters a line: "河南工大社区居民委" | "员会" read as nonsense). Needs
    `wordWrap="CJK"` in its style; markup with images, bullets or forced line breaks goes to
    reportlab's own CJK breaking."""

    def __init__(
        self,
        text: Any,
        style: Any = None,
        *args: Any,
        keep: Iterable[str] = (),
        words: bool = False,
        **kw: Any,
    ):
        self.keep = tuple(keep)
        self.words = words
        super().__init__(text, style, *args, **kw)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.keep = self.keep
            part.words = self.words
        return parts

    def breakLinesCJK(self, maxWidths: Any) -> Any:  # reportlab's names
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return self.blPara
        frags = self.frags
        special = any(hasattr(f, "cbDefn") or hasattr(f, "lineBreak") for f in frags)
        if not frags or special or self.style.endDots or self.bulletText:
            return super().breakLinesCJK(maxWidths)
        units = [
            cjkU(ch, f, "utf8")
            for f in frags
            for ch in (f.text.decode("utf8") if isinstance(f.text, bytes) else f.text or "")
        ]
        text = "".join(units)
        widths = [u.width for u in units]
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        bounds = auto not in ("", "off")
        lines = []
        breaks = break_lines(text, widths, maxWidths, self.keep, words=self.words)
        for n, (a, b) in enumerate(breaks):
            room = maxWidths[min(n, len(maxWidths) - 1)]
            used = sum(widths[a:b])
            lines.append(makeCJKParaLine(units[a:b], room, used, room - used, False, bounds))
        return ParaLines(kind=1, lines=lines)


CELL_FONT_SIZE = 8
CELL_PADDING = 6  # points, left plus right (reportlab's default of 3 each side)


def pdf_table(
    header: list[str],
    rows: list[list[Any]],
    widths: list[float],
    *,
    nowrap: tuple[int, ...] = (),
    keep: Iterable[str] = (),
) -> Table:
    """A table of the project's PDFs (circulars, assessments, party statements, patrol
    reports): a red header row repeated on every page, cells wrapping Chinese text whole,
    widths in millimetres.

    The `nowrap` columns (case numbers, times) are never broken: each is printed on one line
    and made as wide as its longest value needs, the width taken from the wrapping columns.
    The others break by the rules of Chinese typesetting (ChineseParagraph) and between words,
    keeping the phrases of `keep` (unit names) whole where they fit."""
    font = cjk_font()
    kept = tuple(keep)
    cell = ParagraphStyle(
        "cell", fontName=font, fontSize=CELL_FONT_SIZE, leading=10, wordWrap="CJK"
    )
    data = [header] + [
        [
            str(c) if i in nowrap else ChineseParagraph(escape(str(c)), cell, keep=kept, words=True)
            for i, c in enumerate(row)
        ]
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
