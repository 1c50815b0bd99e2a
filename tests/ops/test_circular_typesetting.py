"""The weekly circular as a reader takes it: no ranking where the scores do not separate the
units, the basis of the ranking printed, lines broken by the rules of Chinese typesetting
(no line starts with "，"; unit names whole), a serif face, and "— 1 —" page numbers."""

import copy
import dataclasses
import io
import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle

from tests.cases.test_kpis import d
from tests.conftest import STREET
from wangge.cases.selectors import (
    DEFAULT_WEIGHTS,
    kpi_from,
    kpi_places,
    kpi_unranked_reason,
    period_counts,
)
from wangge.core import pdf
from wangge.grids.models import GridNode
from wangge.ops import render
from wangge.ops.models import Circular
from wangge.ops.services import circular_generate

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=TZ)
# Marks a line may not start with, and may not end with (the 禁则 a reader notices first).
NOT_AT_START = "，。、；：？！）」』】〕〉》”’"
NOT_AT_END = "（「『【〔〈《“‘"


@pytest.fixture
def circular(cast: dict[str, Any], week_cases: Any) -> Circular:
    street = GridNode.objects.get(code=STREET)
    return circular_generate(node=street, kind="weekly", start=date(2026, 11, 12), now=NOW)


def lines_of(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Each page's lines as the PDF sets them: (text, x, y) of every line of text drawn."""
    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        found: list[tuple[str, float, float]] = []

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, found: Any = found) -> None:
            if text.strip():
                found.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def kpi(code: str, composite_of: float | None) -> Any:
    counts = dict.fromkeys(period_counts(d(1, 1), d(2, 1)), 0)
    row = {**counts, "due": 1, "open_cases": 0, "overdue_open": 0}
    k = kpi_from(code, f"第{code}社区", row, DEFAULT_WEIGHTS)
    return dataclasses.replace(k, composite=composite_of)


# --- the ranking ---------------------------------------------------------------------------


def test_seven_communities_all_at_0_00_are_not_ranked_1_to_7() -> None:
    rows = [kpi(str(i), 0.0) for i in range(1, 8)]
    assert kpi_places(rows) == [None] * 7
    assert kpi_unranked_reason(rows) == (
        "本期各单位综合成绩相同（均为 0.00），成绩没有拉开差距，不排名次。"
    )


def test_equal_scores_share_a_place_and_the_next_place_counts_them() -> None:
    rows = [kpi("A", 0.9), kpi("B", 0.9), kpi("C", 0.5), kpi("D", None)]
    assert kpi_places(rows) == [1, 1, 3, None]
    assert kpi_unranked_reason(rows) == ""
    assert kpi_places([kpi("A", 0.9), kpi("B", None)]) == [None, None]
    assert kpi_unranked_reason([kpi("A", None)]).startswith("暂无数据")


def test_the_circular_states_the_basis_and_why_no_one_is_ranked(circular: Circular) -> None:
    fig = copy.deepcopy(circular.figures)
    rows = [kpi(str(i), 0.0) for i in range(1, 8)]
    fig["rows"] = [
        {"rank": place, **k.as_dict()} for k, place in zip(rows, kpi_places(rows), strict=True)
    ]
    fig["unranked_reason"] = kpi_unranked_reason(rows)
    text = "".join(line for page in lines_of(render.circular_pdf(fig)) for line, _x, _y in page)
    text = text.replace(" ", "")
    assert "排名依据：综合成绩=（响应率×10%+解决率×50%+满意率×40%）×办结率" in text
    assert "统计期2026-11-09至2026-11-15" in text and "名次并列" in text
    assert "本期各单位综合成绩相同（均为0.00），成绩没有拉开差距，不排名次。" in text
    # Every unit is listed with "—" for its place.
    for i in range(1, 8):
        assert f"—第{i}社区" in text


# --- the type ------------------------------------------------------------------------------

UNITS = ["百花里社区", "建设路第三社区", "碧沙岗社区第1网格", "林山寨街道城市管理科"]
# A name as wide as a column takes: wider ones are broken, at the end of a name they hold
# ("碧沙岗社区" | "第1网格") when there is one.
LONG = "碧沙岗社区第1网格"


def crowded(fig: dict[str, Any]) -> dict[str, Any]:
    """A circular of many overdue cases whose titles have a comma every few characters and
    name units, in narrow columns: where the old breaking put "，" at the start of lines and
    cut names in two."""
    fig = copy.deepcopy(fig)
    fig["overdue"] = [
        {
            "id": i,
            "number": f"20261110{i:06d}",
            "title": "，".join(
                ["路灯不亮" + "很" * (i % 5), UNITS[i % 4] + "门口", "夜间无照明" + "啊" * (i % 3)]
            )
            + "。",
            "unit": UNITS[(i + 1) % 4],
            "community": UNITS[i % 2],
            "status": "处理中",
            "due_at": "2026-11-10 17:30",
            "working_days_over": 7.5,
            "serious": i % 2 == 0,
        }
        for i in range(1, 41)
    ]
    fig["overdue_count"] = 40
    return fig


def test_no_line_starts_with_a_closing_mark_and_unit_names_are_whole(circular: Circular) -> None:
    pages = lines_of(render.circular_pdf(crowded(circular.figures)))
    lines = [text for page in pages for text, _x, _y in page]
    assert len(lines) > 200
    starts = [line for line in lines if line[0] in NOT_AT_START]
    assert starts == []
    ends = [line for line in lines if line[-1] in NOT_AT_END]
    assert ends == []
    # Each name that fits its column is printed on one line wherever it appears; one that
    # does not is broken after the name of the community it holds.
    everything = "".join(lines)
    fits = [
        name
        for name in UNITS
        if pdf.pdfmetrics.stringWidth(name, pdf.cjk_font(), pdf.CELL_FONT_SIZE)
        <= unit_column_width(circular.figures) - pdf.CELL_PADDING
    ]
    assert "百花里社区" in fits and LONG not in fits
    for name in fits:
        assert everything.count(name) == sum(line.count(name) for line in lines), name
    assert "碧沙岗社区" in lines and "第1网格" in lines


def unit_column_width(fig: dict[str, Any]) -> float:
    """The width the 承办单位 column of the case tables gets, in points."""
    rows = [[*render.case_cells(r), r["working_days_over"]] for r in crowded(fig)["overdue"]]
    header = [*render.case_header(), "超期工作日"]
    widths = [24, 44, 24, 24, 26, 16, 18]
    return pdf.pdf_table(header, rows, widths, nowrap=render.CASE_NOWRAP)._colWidths[3]


def test_the_paragraph_keeps_the_rules_at_every_width() -> None:
    style = ParagraphStyle("p", fontName=pdf.cjk_font(), fontSize=10, leading=14, wordWrap="CJK")
    text = (
        "本期百花里社区、建设路第三社区和碧沙岗社区第1网格综合成绩均为0.00，较上期下降12.5个"
        "百分点（见附表）；“路灯不亮”由林山寨街道城市管理科承办，已督办……请各单位注意！"
    )
    for width in range(60, 400, 7):
        para = pdf.ChineseParagraph(text, style, keep=UNITS)
        para.wrap(width, 10_000)
        lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
        assert "".join(lines) == text, width  # nothing lost, nothing added
        for line in lines:
            assert line[0] not in NOT_AT_START and line[-1] not in NOT_AT_END, (width, lines)
            assert "……" in line or "…" not in line, (width, lines)  # never split
        for name in UNITS:
            if 10 * len(name) <= width:
                assert any(name in line for line in lines), (width, name, lines)


def test_the_serif_face_is_embedded(circular: Circular) -> None:
    with circular.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    fonts = {
        str(f.get_object()["/BaseFont"])
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
    }
    # AR PL UMing CN (fonts-arphic-uming), subset and embedded as TrueType.
    assert any(f.endswith("+UMingCN-0") for f in fonts), fonts
    descriptor = next(
        f.get_object()["/FontDescriptor"].get_object()
        for page in reader.pages
        for f in page["/Resources"]["/Font"].values()
        if "UMing" in str(f.get_object()["/BaseFont"])
    )
    assert "/FontFile2" in descriptor


def test_without_the_serif_face_the_sans_one_is_used_and_said(
    settings: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PDF_FONT_PATH = ""
    monkeypatch.setattr(pdf, "SYSTEM_FONTS", ("/nonexistent/uming.ttc", *pdf.SANS_FONTS))
    if not any(Path(p).is_file() for p in pdf.SANS_FONTS):
        pytest.skip("no sans CJK face either")
    pdf.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="wangge.core.pdf"):
            assert pdf.cjk_font() == pdf.EMBEDDED_NAME
        assert "fonts-arphic-uming" in caplog.text
    finally:
        pdf.cjk_font.cache_clear()


def test_pages_are_numbered_as_in_official_documents(circular: Circular) -> None:
    pages = lines_of(render.circular_pdf(crowded(circular.figures)))
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        text, x, _y = min(page, key=lambda line: line[2])  # the lowest line of the page
        assert text == f"— {number} —"
        # Odd pages at the right, even pages at the left.
        assert (x > 300) if number % 2 else (x < 100), (number, x)
