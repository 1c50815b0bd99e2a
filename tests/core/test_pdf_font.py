"""The PDFs embed a CJK font found on the system or named by PDF_FONT_PATH."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from wangge.core import pdf


def _render(font: str, text: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4)
    doc.build([Paragraph(text, ParagraphStyle("p", fontName=font, fontSize=12))])
    return buf.getvalue()


@pytest.fixture
def fresh_font():
    pdf.cjk_font.cache_clear()
    yield
    pdf.cjk_font.cache_clear()


def test_named_font_file_is_embedded(fresh_font, settings):
    found = [p for p in pdf.SYSTEM_FONTS if Path(p).is_file()]
    if not found:
        pytest.skip("no TrueType CJK font on this machine (make test installs fonts-wqy-microhei)")
    settings.PDF_FONT_PATH = found[0]
    font = pdf.cjk_font()
    assert font == pdf.EMBEDDED_NAME
    data = _render(font, "中原区网格周通报")
    # A TrueType program inside the file: the glyphs travel with the PDF.
    assert b"/FontFile2" in data
    assert "中原区网格周通报" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_without_any_font_file_the_viewer_font_is_used(fresh_font, settings, monkeypatch, tmp_path):
    settings.PDF_FONT_PATH = str(tmp_path / "missing.ttc")
    monkeypatch.setattr(pdf, "SYSTEM_FONTS", ())
    assert pdf.cjk_font() == pdf.FALLBACK_NAME
    data = _render(pdf.FALLBACK_NAME, "通报")
    assert b"/FontFile2" not in data
    assert b"STSong-Light" in data
