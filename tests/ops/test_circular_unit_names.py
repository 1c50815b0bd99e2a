"""The circular's tables break a unit's name between words, never inside one: the demo
district's real community names (河南工大社区居民委员会…) were cut "河南工大社区居民委 / 员会"
in the ranking's 单位 column. Read back from the PDF with pypdf: a name printed over lines of
its cell is broken only where one of its words ends."""

import copy
import csv
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.conftest import STREET
from wangge.core import pdf
from wangge.grids.models import GridNode
from wangge.ops import render
from wangge.ops.models import Circular
from wangge.ops.services import circular_generate

DIVISIONS = Path(__file__).resolve().parents[2] / "wangge/demo/data/zhongyuan_410102_divisions.csv"
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def real_names() -> list[str]:
    """The district's communities and streets as the civil-affairs list names them."""
    with DIVISIONS.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    names = {row[1] for row in rows[1:]} | {row[3] for row in rows[1:]}
    return sorted(n for n in names if n)


@pytest.fixture
def circular(cast: dict[str, Any], week_cases: Any) -> Circular:
    street = GridNode.objects.get(code=STREET)
    return circular_generate(node=street, kind="weekly", start=date(2026, 11, 12), now=NOW)


def printed_lines(data: bytes) -> list[str]:
    """The lines of text the PDF sets, in order. A line is drawn in several runs where its
    glyphs fall in different subsets of the embedded face (past a subset's 256 glyphs);
    pypdf ends the last run of a line with a newline, so runs are joined until one does."""
    lines: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        current: list[str] = []

        def visit(text: str, *_args: Any, current: list[str] = current) -> None:
            current.append(text)
            if text.endswith("\n"):
                lines.append("".join(current).strip())
                current.clear()

        page.extract_text(visitor_text=visit)
        lines.append("".join(current).strip())
    return [line for line in lines if line]


def word_ends(name: str) -> set[int]:
    """Where a line may end inside `name`: between two of its words, never inside one."""
    inside = {i for a, b in pdf.word_spans(name) for i in range(a + 1, b)}
    return set(range(1, len(name))) - inside


def test_no_unit_name_is_split_inside_a_word(circular: Circular) -> None:
    names = real_names()
    assert "河南工大社区居民委员会" in names and len(names) > 100
    fig = copy.deepcopy(circular.figures)
    template = fig["rows"][0]
    fig["rows"] = [{**template, "code": str(i), "name": n} for i, n in enumerate(names)]
    lines = printed_lines(render.circular_pdf(fig))
    text = "".join(lines)
    assert all(name in text for name in names)

    cut_badly, missing = [], []
    for name in names:
        if any(name in line for line in lines):
            continue
        # Printed over lines of its cell: consecutive lines that put together give the name.
        split = next(
            (
                lines[i : i + n]
                for n in (2, 3)
                for i in range(len(lines) - n + 1)
                if "".join(lines[i : i + n]) == name
            ),
            None,
        )
        if split is None:
            missing.append(name)
            continue
        ends = word_ends(name)
        at = 0
        for part in split[:-1]:
            at += len(part)
            if at not in ends:
                cut_badly.append(" / ".join(split))
    assert missing == []
    assert cut_badly == []
    # The name of the report, read as a reader reads it: the community, then its committee.
    assert "河南工大社区居民委" not in lines
    assert "河南工大社区" in lines and "居民委员会" in lines


def test_a_cell_keeps_a_name_that_fits_whole_and_breaks_a_long_one_between_words() -> None:
    font = pdf.cjk_font()
    size = pdf.CELL_FONT_SIZE
    name = "河南工大社区居民委员会"
    widths = [pdf.pdfmetrics.stringWidth(ch, font, size) for ch in name]
    wide = sum(widths) + 1
    assert pdf.break_lines(name, widths, [wide], [name], words=True) == [(0, len(name))]
    narrow = pdf.pdfmetrics.stringWidth("河南工大社区居民", font, size)
    lines = pdf.break_lines(name, widths, [narrow], [name], words=True)
    assert [name[a:b] for a, b in lines] == ["河南工大社区", "居民委员会"]
