"""Reading a knowledge-base file: JSONL (one object per line) or an Excel sheet whose first row
names the same columns. Yields (line number, object) so problems are reported where they are."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from wangge.core import xlsx
from wangge.core.errors import ValidationFailed

# The seed base shipped with the project (the demo loads it; `import_kb` takes the same file).
SEED_KB = Path(__file__).resolve().parent / "data" / "kb.jsonl"

COLUMNS = (
    "id",
    "question",
    "similar",
    "answer",
    "category",
    "tags",
    "conditions",
    "materials",
    "place",
    "hours",
    "fees",
    "time_limit",
    "online_link",
    "valid_from",
    "valid_to",
)


class _Unparsable:
    """A line that is not JSON: kb_import reports it as "not an object" by its number."""


def read_rows(path: Path) -> list[tuple[int, Any]]:
    if path.suffix.lower() == ".xlsx":
        return list(_xlsx_rows(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            _("无法读取文件 %(file)s（须为 UTF-8 编码）：%(err)s") % {"file": path, "err": exc}
        ) from exc
    return list(jsonl_rows(text))


def jsonl_rows(text: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError:
            yield number, _Unparsable()


def _xlsx_rows(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        book = xlsx.load(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationFailed(_("无法读取 Excel 文件：%(err)s") % {"err": exc}) from exc
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    for number, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        yield number, {h: v for h, v in zip(header, values, strict=False) if h}
    book.close()


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> None:
    """An Excel sheet with the import's columns (lists joined by line breaks)."""
    book = xlsx.workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(COLUMNS))
    for row in rows:
        values = []
        for col in COLUMNS:
            value = row.get(col)
            values.append("\n".join(value) if isinstance(value, list) else value)
        sheet.append(values)
    book.save(path)
