"""`python -m wangge.core.i18n_fill`: complete the zh-Hans catalogue after makemessages.

Our source strings are already Chinese, so an entry with no translation takes its msgid. An entry
msgmerge marked fuzzy (a guess from a similar old string, which gettext will not compile) is
treated as new the same way. Translations a person has edited are kept.
"""

from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def fill_block(block: str) -> str:
    lines = block.split("\n")
    if not any(line.startswith("msgid ") for line in lines):
        return block
    fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
    kept: list[str] = []
    for line in lines:
        if line.startswith("#|"):
            continue  # msgmerge's note of the old msgid
        if line.startswith("#,") and fuzzy:
            flags = [f.strip() for f in line[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if flags:
                kept.append("#, " + ", ".join(flags))
            continue
        kept.append(line)
    start = next(i for i, line in enumerate(kept) if line.startswith("msgid "))
    if any(line.startswith("msgid_plural ") for line in kept):
        # Chinese has one plural form: msgstr[0] takes the singular msgid.
        plural_at = next(i for i, line in enumerate(kept) if line.startswith("msgid_plural "))
        first_str = next(i for i, line in enumerate(kept) if line.startswith("msgstr["))
        if fuzzy or kept[first_str] == 'msgstr[0] ""':
            singular = kept[start:plural_at]
            filled = ["msgstr[0] " + singular[0][len("msgid ") :], *singular[1:]]
            return "\n".join(kept[:first_str] + filled)
        return "\n".join(kept)
    msgstr_at = next(i for i, line in enumerate(kept) if line.startswith("msgstr "))
    msgid_lines = kept[start:msgstr_at]
    msgstr_lines = kept[msgstr_at:]
    empty = msgstr_lines == ['msgstr ""'] or (
        msgstr_lines[0] == 'msgstr ""' and all(line == '""' for line in msgstr_lines[1:])
    )
    if fuzzy or empty:
        msgstr_lines = ["msgstr " + msgid_lines[0][len("msgid ") :], *msgid_lines[1:]]
    return "\n".join(kept[:start] + msgid_lines + msgstr_lines)


def main() -> None:
    text = PO.read_text(encoding="utf-8")
    header, sep, body = text.partition("\n\n")
    # A fuzzy header is left out by msgfmt, and with it the charset.
    header = header.replace("charset=CHARSET", "charset=UTF-8").replace("#, fuzzy\n", "")
    blocks = [fill_block(b) for b in body.split("\n\n")]
    PO.write_text(header + sep + "\n\n".join(blocks), encoding="utf-8")


if __name__ == "__main__":
    main()
