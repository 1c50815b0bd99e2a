from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from wangge.ledgers.checklists import checklists_load
from wangge.ledgers.models import ChecklistTemplate


@pytest.fixture
def checklist(db: Any) -> ChecklistTemplate:
    checklists_load()  # present after migrations; loaded again for transactional tests
    return ChecklistTemplate.objects.get(code="ebike")
