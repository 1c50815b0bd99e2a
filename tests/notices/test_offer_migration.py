"""The 八可 stored before they were values (the words, 可就餐 and 可洗漱 among them) come out as
values once migrated, on SQLite and PostgreSQL alike, and go back to the words."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import COMMUNITY

BEFORE = [("notices", "0002_serviceplace")]
AFTER = [("notices", "0003_service_place_offers")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_words_become_the_eight_offers_and_back(tree: dict[str, Any]) -> None:
    old = migrate(BEFORE)
    Place = old.get_model("notices", "ServicePlace")
    node_id = tree[COMMUNITY].pk
    home = Place.objects.create(
        kind="grid_home",
        name="网格家园",
        address="伊河路",
        lon=113.6,
        lat=34.75,
        node_id=node_id,
        services=["可学习", "可就餐", "可洗漱", "可娱乐", "可就餐"],
    )
    station = Place.objects.create(
        kind="care_station",
        name="爱心驿站",
        address="桐柏路",
        lon=113.6,
        lat=34.75,
        node_id=node_id,
        services=["可饮水", "可打印"],
    )
    new = migrate(AFTER)
    Place = new.get_model("notices", "ServicePlace")
    assert Place.objects.get(pk=home.pk).services == ["study", "meals", "wash", "play"]
    assert Place.objects.get(pk=station.pk).services == ["water"]
    old = migrate(BEFORE)
    Place = old.get_model("notices", "ServicePlace")
    assert Place.objects.get(pk=home.pk).services == ["可学习", "可就餐", "可洗漱", "可娱乐"]
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
