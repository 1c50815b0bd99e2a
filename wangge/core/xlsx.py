"""Excel workbooks (openpyxl), imported on first use.

openpyxl costs several MB at import, in every web worker that imports a module with an export
in it — which, through the URLconf, is every worker — although only the few requests that
export or read a spreadsheet use it. The modules that do go through these functions instead,
and openpyxl is imported by the first of them a process calls (docs/benchmarks.md, "Memory of
a warm worker").
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font


def workbook(*, write_only: bool = False) -> Workbook:
    """`openpyxl.Workbook(write_only=…)`."""
    import openpyxl  # heavy: see the module docstring

    return openpyxl.Workbook(write_only=write_only)


def load(source: str | os.PathLike[str] | IO[bytes], **options: Any) -> Workbook:
    """`openpyxl.load_workbook(source, **options)`; raises what it raises on a file that is
    not a workbook."""
    import openpyxl  # heavy: see the module docstring

    return openpyxl.load_workbook(source, **options)


def font(**options: Any) -> Font:
    """`openpyxl.styles.Font(**options)`."""
    from openpyxl.styles import Font  # heavy: see the module docstring

    return Font(**options)


def write_only_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    """`openpyxl.cell.WriteOnlyCell(sheet, value=value)`: a cell of a write-only workbook's
    sheet that can be styled."""
    from openpyxl.cell import WriteOnlyCell  # heavy: see the module docstring

    return WriteOnlyCell(sheet, value=value)
