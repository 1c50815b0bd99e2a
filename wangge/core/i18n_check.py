"""`python -m wangge.core.i18n_check`: the committed .mo matches its .po.

A fresh machine may lack gettext, so compiled catalogues are committed; this catches a .po that
was edited without recompiling.
"""

import ast
import gettext
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def po_entries(po: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (plain entries; plural and context forms are not used here)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = "".join(msgid)
            if key:
                entries[key] = "".join(msgstr)

    for raw in po.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        elif line.startswith("#~"):
            current = None
    flush()
    return entries


def _unquote(text: str) -> str:
    # PO strings use C escapes (\n, \", \\), which a Python literal reads the same way.
    value = ast.literal_eval(text)
    return value if isinstance(value, str) else ""


def main() -> int:
    failures = 0
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists():
            print(f"{mo} is missing: run `make messages`")
            failures += 1
            continue
        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in po_entries(po).items():
            if msgstr and catalog.get(msgid) != msgstr:
                print(f"{mo} is out of date for {msgid!r}: run `make messages`")
                failures += 1
                break
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
