"""`{% querystring %}` (Django 5.1+) gives its own leading "?": a template that writes one more
makes "??page=2", which the browser reads as a parameter named "?page"."""

import re
from pathlib import Path

import pytest

import wangge

pytestmark = pytest.mark.no_database

DOUBLED = re.compile(r"\?\s*\{%\s*querystring")


def test_no_template_puts_a_question_mark_before_querystring() -> None:
    root = Path(wangge.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.html")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DOUBLED.search(line)
    ]
    assert offenders == []
