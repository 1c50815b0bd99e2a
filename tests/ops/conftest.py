"""The cases fixtures, a media directory per test, and a week with hand-computed answers."""

from pathlib import Path
from typing import Any

import pytest

from tests.cases.conftest import catalogue, people, report  # noqa: F401  (shared fixtures)
from tests.cases.test_kpis import d, fixture_cases  # noqa: F401  (the KPI fixture)
from tests.conftest import COMMUNITY, STREET
from wangge.cases.models import Case, CaseEvent
from wangge.grids.models import GridNode


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The dashboard caches last month's KPIs per user id; ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def week_cases(fixture_cases: None) -> dict[str, Case]:  # noqa: F811
    """tests/cases/test_kpis.py's cases plus, in the week of Monday 2026-11-09:
    a 12345 order still open since its deadline on Monday 2026-10-26 12:00 (14.6 working days
    late at the week's end: 4 h that afternoon + 14 days × 7 h = 102 h ÷ 7), and a 重办 of the
    signed case due 11-20."""
    bsg = GridNode.objects.get(code=COMMUNITY)
    street = GridNode.objects.get(code=STREET)
    hot = Case.objects.create(
        title="噪音扰民",
        description="夜间施工噪音",
        channel="hotline",
        grid_path=bsg.path,
        community=bsg,
        street=street,
        handling_node=bsg,
        due_at=d(10, 26),
        status="signed",
    )
    Case.objects.filter(pk=hot.pk).update(created_at=d(11, 10))
    signed = Case.objects.get(due_at=d(11, 20), community=bsg)
    Case.objects.filter(pk=signed.pk).update(title="楼道堆物", reopen_count=1)
    ev = CaseEvent.objects.create(case=signed, action="reopen", from_status="verified")
    CaseEvent.objects.filter(pk=ev.pk).update(created_at=d(11, 11))
    return {"hotline": hot, "reopened": signed}
