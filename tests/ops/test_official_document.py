"""The circular and the assessment as 公文: 发文单位 and 文号 at the head, 落款 and date at the
end, "— 1 —" on every page; case numbers never split, long text wrapped whole."""

import copy
import io
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.conftest import STREET
from wangge.core import pdf
from wangge.grids.models import GridNode
from wangge.ops import assessment, render
from wangge.ops.models import Circular
from wangge.ops.services import assessment_generate, circular_generate

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=TZ)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def circular(cast: dict[str, Any], week_cases: Any) -> Circular:
    street = GridNode.objects.get(code=STREET)
    return circular_generate(node=street, kind="weekly", start=date(2026, 11, 12), now=NOW)


def test_the_circular_is_a_document_with_head_and_signature(circular: Circular) -> None:
    with circular.pdf.open("rb") as fh:
        pages = pages_text(fh.read())
    first = pages[0].replace(" ", "")
    # 红头 as the default settings word it, the unit's first document of the year.
    assert first.startswith("林山寨街道城市运行管理中心\n林山寨街道城运通〔2026〕1号")
    assert "林山寨街道周通报（2026-11-09至2026-11-15）" in first
    last = pages[-1].replace(" ", "")
    assert re.search(r"林山寨街道城市运行管理中心\n2026年11月16日", last), last[-200:]
    assert circular.figures["document"]["number"] == "林山寨街道城运通〔2026〕1号"


def test_the_document_number_comes_from_the_settings_and_counts_the_year(
    cast: dict[str, Any], week_cases: Any, settings: Any
) -> None:
    settings.CIRCULAR_ISSUER = "{unit}综合行政执法和城市运行中心"
    settings.CIRCULAR_NUMBER = "城运〔{year}〕第{seq}号"
    street = GridNode.objects.get(code=STREET)
    first = circular_generate(node=street, kind="weekly", start=date(2026, 11, 2), now=NOW)
    second = circular_generate(node=street, kind="weekly", start=date(2026, 11, 9), now=NOW)
    again = circular_generate(node=street, kind="weekly", start=date(2026, 11, 2), now=NOW)
    assert [c.figures["document"]["number"] for c in (first, second, again)] == [
        "城运〔2026〕第1号",
        "城运〔2026〕第2号",
        "城运〔2026〕第1号",  # run again for the same week: the same document, the same number
    ]
    with second.pdf.open("rb") as fh:
        head = pages_text(fh.read())[0].replace(" ", "")
    assert head.startswith("林山寨街道综合行政执法和城市运行中心\n城运〔2026〕第2号")


def test_every_page_is_numbered_and_case_numbers_are_never_split(circular: Circular) -> None:
    """A circular long enough for several pages: 40 overdue cases with long titles."""
    fig = copy.deepcopy(circular.figures)
    long_title = (
        "小区东门外人行道长期被占用堆放建筑垃圾和废旧家具影响老人和儿童通行且夜间无照明存在安全隐患"
    )
    fig["overdue"] = [
        {
            "id": i,
            # Date and row id: past ten million cases the number is 16 digits, wider than the
            # 24 mm the column used to be given (it wrapped mid-number there), in either face.
            "number": f"2026111{i % 10}{10_000_000 + i}",
            "title": f"{long_title}（第{i}件）",
            "unit": "碧沙岗第1网格",
            "community": "碧沙岗社区",
            "status": "处理中",
            "due_at": "2026-11-10 17:30",
            "working_days_over": 12.5,
            "serious": i % 2 == 0,
        }
        for i in range(1, 41)
    ]
    fig["overdue_count"] = 40
    from reportlab.pdfbase.pdfmetrics import stringWidth

    needs = stringWidth(fig["overdue"][0]["number"], pdf.cjk_font(), pdf.CELL_FONT_SIZE)
    assert needs + pdf.CELL_PADDING > 24 * 72 / 25.4
    pages = pages_text(render.circular_pdf(fig))
    assert len(pages) >= 3
    for n, text in enumerate(pages, 1):
        assert text.rstrip().endswith(f"— {n} —"), text[-80:]
    everything = "\n".join(pages)
    for row in fig["overdue"]:
        # The number and the deadline are printed whole, on one line.
        assert row["number"] in everything, row["number"]
        assert row["due_at"] in everything
        # The title is wrapped, never cut: every character is there, with no ellipsis added.
        assert row["title"] in re.sub(r"\s+", "", everything)
    assert "…" not in everything


def test_the_case_number_column_is_as_wide_as_the_numbers(circular: Circular) -> None:
    header = render.case_header()
    rows = [["20261116000001", "标题", "社区", "网格", "2026-11-10 17:30", "处理中"]]
    table = pdf.pdf_table(header, rows, [24, 44, 24, 24, 26, 16], nowrap=render.CASE_NOWRAP)
    font = pdf.cjk_font()
    from reportlab.pdfbase.pdfmetrics import stringWidth

    widths = table._colWidths
    assert widths[0] >= stringWidth("20261116000001", font, pdf.CELL_FONT_SIZE) + 6
    assert widths[4] >= stringWidth("2026-11-10 17:30", font, pdf.CELL_FONT_SIZE) + 6
    # The page width stays what the columns were given.
    assert sum(widths) == pytest.approx(sum([24, 44, 24, 24, 26, 16]) * 72 / 25.4)


def test_a_year_without_data_names_no_first_place(cast: dict[str, Any]) -> None:
    street = GridNode.objects.get(code=STREET)
    fig = assessment.assessment_figures(user=cast["dispatcher"], node=street, year=2026, now=NOW)
    assert fig["rows"], "the street's communities are listed"
    assert all(r["rank"] is None for r in fig["rows"])
    line = assessment.summary_line(fig)
    assert "第一名" not in line and "暂无数据" in line
    doc = assessment_generate(node=street, year=2026, now=NOW)
    with doc.pdf.open("rb") as fh:
        text = "".join(pages_text(fh.read())).replace(" ", "")
    assert "第一名" not in text and "暂无数据" in text
    assert text.rstrip().endswith("—1—")


def test_a_circular_without_data_ranks_no_one(cast: dict[str, Any]) -> None:
    street = GridNode.objects.get(code=STREET)
    quiet = circular_generate(node=street, kind="weekly", start=date(2026, 3, 2), now=NOW)
    assert all(r["rank"] is None for r in quiet.figures["rows"])
    with quiet.pdf.open("rb") as fh:
        text = "".join(pages_text(fh.read())).replace(" ", "")
    assert "暂无数据" in text
