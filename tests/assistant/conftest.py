"""The seed knowledge base loaded into the test database, and a fresh index for every test."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from wangge.assistant import index
from wangge.assistant.kbfile import read_rows
from wangge.assistant.services import kb_import

SEED = Path(__file__).resolve().parents[2] / "wangge" / "assistant" / "data" / "kb.jsonl"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    # The index is per process and rechecks its signature every two seconds; a test's
    # rolled-back rows must not be answered from the previous test's index.
    index.invalidate()
    yield
    index.invalidate()


@pytest.fixture
def kb(db: Any, django_capture_on_commit_callbacks: Any) -> int:
    import json

    from wangge.assistant.models import Synonym

    # The synonym table ships as a data migration, which a transactional test elsewhere in the
    # same worker may have flushed: load the shipped table as the index expects it.
    synonyms = json.loads((SEED.parent / "synonyms.json").read_text(encoding="utf-8"))
    for term, canonical in synonyms.items():
        Synonym.objects.get_or_create(term=term, defaults={"canonical": canonical})
    # The bars are learnt by a job after the import commits: run it as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        result = kb_import(rows=read_rows(SEED))
    return result.created
