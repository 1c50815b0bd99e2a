"""Reading a 12345 platform's export of past orders (`history.py` imports them): a workbook's
first sheet, or CSV as the platforms write it — UTF-8 with or without the BOM spreadsheet
programs add, or GBK from a Chinese Windows — with each row's line as the operator sees it
(the header is line 1), and times as the platforms write them."""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from wangge.core import xlsx
from wangge.core.dates import check_datetime
from wangge.grids.services import ImportRejected

# As platforms write times: 2020-1-6 7:13:58, 2020/01/06 07:13, 2020-01-06, 2020年1月6日 7:13,
# 2020-01-06T07:13:58.000.
_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T)(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.\d{1,6})?)?)?$"
)


@dataclass
class Table:
    header: list[str]
    records: list[tuple[int, list[Any]]]  # (line as the operator sees it, cells)
    encoding: str
    digest: str = ""  # sha256 of the file: which file a case came from, on its timeline


def _is_xlsx(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in (".xlsx", ".xlsm") or head.startswith(b"PK\x03\x04")


def read_table(path: Path) -> Table:
    """The file's header and rows: a workbook's first sheet, or CSV in UTF-8 (with or without
    the BOM spreadsheet programs write) or GBK, as the platforms' Windows exports are."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ImportRejected(
            [_("无法读取文件 %(file)s：%(err)s") % {"file": path, "err": exc.strerror or exc}]
        ) from exc
    digest = hashlib.sha256(content).hexdigest()
    if _is_xlsx(path, content[:4]):
        return replace(_read_xlsx(content), digest=digest)
    try:
        text, encoding = content.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        # GB18030 is a superset of GBK (and of GB2312): whatever a Chinese Windows wrote.
        try:
            text, encoding = content.decode("gb18030"), "GBK"
        except UnicodeDecodeError as exc:
            raise ImportRejected([_("无法识别文件编码（须为 UTF-8 或 GBK）")]) from exc
    return replace(_read_csv(text, encoding), digest=digest)


def _read_csv(text: str, encoding: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[Any]]] = []
    header: list[str] | None = None
    last = 0
    try:
        for cells in reader:
            # A record starts on the line after the last one ended: a 诉求内容 with line breaks
            # spans several lines, and the operator looks for where it begins.
            line, last = last + 1, reader.line_num
            if header is None:
                header = [str(c) for c in cells]
                continue
            records.append((line, list(cells)))
    except csv.Error as exc:
        raise ImportRejected(
            [_("第 %(line)d 行：CSV 格式有误：%(err)s") % {"line": last + 1, "err": exc}]
        ) from exc
    return Table(header or [], records, encoding)


def _read_xlsx(content: bytes) -> Table:
    try:
        book = xlsx.load(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a file that is no workbook
        raise ImportRejected([_("无法读取 Excel 文件：%(err)s") % {"err": exc}]) from exc
    try:
        sheet = book.worksheets[0]
        header: list[str] = []
        records: list[tuple[int, list[Any]]] = []
        # Cells, not values: a row's number is the one Excel shows, blank rows above included.
        for row in sheet.iter_rows(min_row=1):
            cells = [c for c in row if getattr(c, "row", None) is not None]
            if not cells:
                continue
            line = cells[0].row
            values = [None] * (max(c.column for c in cells))
            for c in cells:
                values[c.column - 1] = c.value
            if line == 1:
                header = ["" if v is None else str(v) for v in values]
            else:
                records.append((line, values))
    finally:
        book.close()
    return Table(header, records, "XLSX")


def text(value: Any) -> str:
    """A cell as text: spreadsheet numbers lose the .0 they gain (an order number, a phone)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\u3000", " ").strip()


def header_name(name: str) -> str:
    return name.replace("\ufeff", "").replace("\u3000", " ").strip()


def parse_time(value: Any) -> tuple[datetime, bool] | None:
    """(the moment, whether a time of day was given) of a time as platforms write it, in the
    district's zone (settings.TIME_ZONE); None when it cannot be read, OutOfWindow outside the
    years the platform accepts."""
    if isinstance(value, datetime):
        # A workbook keeps days as a binary fraction: 07:13:58 can come back 07:13:57.999999.
        naive, timed = value + timedelta(microseconds=500_000), True
    elif isinstance(value, date):
        naive, timed = datetime.combine(value, time.min), False
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # An Excel serial date in a cell not formatted as one (days since 1899-12-30).
        if not 1 <= value < 2958466:
            return None
        naive = datetime(1899, 12, 30) + timedelta(seconds=round(float(value) * 86400))
        timed = not float(value).is_integer()
    else:
        m = _TIME.match(text(value))
        if m is None:
            return None
        y, mo, d, h, mi, s = (int(g) if g else 0 for g in m.groups())
        try:
            naive = datetime(y, mo, d, h, mi, s)
        except ValueError:
            return None
        timed = m.group(4) is not None
    if timezone.is_aware(naive):
        naive = timezone.make_naive(naive, timezone.get_default_timezone())
    # Raises OutOfWindow for a year before 2000 or after 2100: readable, but no real order.
    return check_datetime(naive.replace(microsecond=0)), timed
