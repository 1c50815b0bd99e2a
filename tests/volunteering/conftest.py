"""A volunteer task on the test tree: A1 micro-grid, tomorrow 09:00–11:00 Asia/Shanghai."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import MICRO_A1
from wangge.accounts.models import User
from wangge.grids.models import GridNode
from wangge.volunteering.models import Task

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Inside micro-grid A1 (lon 113.600–113.602, lat 34.750–34.754).
PLACE_LON, PLACE_LAT = 113.601, 34.752


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def make_task(tree: dict[str, GridNode]) -> Callable[..., Task]:
    def make(organiser: User, **fields: Any) -> Task:
        starts_at = fields.pop("starts_at", at(25, 9))
        values: dict[str, Any] = {
            "kind": Task.Kind.TASK,
            "publisher_kind": Task.PublisherKind.SOCIAL_ORG,
            "publisher_name": "碧沙岗社区志愿者协会",
            "organiser": organiser,
            "grid": tree[MICRO_A1],
            "grid_path": tree[MICRO_A1].path,
            "title": "碧沙岗公园周边环境整治",
            "category": "environment",
            "place": "碧沙岗公园北门",
            "lon": PLACE_LON,
            "lat": PLACE_LAT,
            "starts_at": starts_at,
            "ends_at": fields.pop("ends_at", starts_at + timedelta(hours=2)),
            "slots": 10,
            "status": Task.Status.PUBLISHED,
            "qr_secret": "test-secret",
        }
        values.update(fields)
        return Task.objects.create(**values)

    return make


@pytest.fixture(autouse=True)
def earning_rules(db: Any) -> None:
    """The earning rules come from a data migration; a transactional test that ran earlier on
    the same worker flushed them, so put them back (the migration's own seed is idempotent)."""
    import importlib

    from django.apps import apps

    from wangge.points.models import EarningRule

    if not EarningRule.objects.exists():
        seed = importlib.import_module("wangge.points.migrations.0003_seed_earning_rules").seed
        seed(apps, None)
