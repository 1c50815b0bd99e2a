"""What the grids' import commands share: reading the operator's file, and saying every
problem of a refused import before refusing it."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from wangge.grids.services import ImportRejected

Report = TypeVar("Report")


def read_utf8(file: Path) -> str:
    """The file's text (a BOM, as spreadsheet programs write, is dropped), or a CommandError
    that says why it cannot be read."""
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("无法读取文件 %(file)s（须为 UTF-8 编码）：%(err)s") % {"file": file, "err": exc}
        ) from exc


def imported(command: BaseCommand, load: Callable[[], Report]) -> Report:
    """`load()`'s report; when the import is refused, each problem on stderr, then the
    refusal as a CommandError."""
    try:
        return load()
    except ImportRejected as exc:
        for problem in exc.problems:
            command.stderr.write(problem)
        raise CommandError(exc.message) from exc
