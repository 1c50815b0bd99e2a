"""Members a department had before membership rows existed are carried over, on SQLite and
PostgreSQL alike."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from wangge.cases.models import DepartmentMember

BEFORE = [("cases", "0007_merge_protected_reporter_phones")]
AFTER = [("cases", "0008_department_members_with_role_grants")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; the models as they stand then: every migration still applied (other
    apps' newest that do not stand on a later migration of the targets' apps)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    applied = [
        key for key in executor.loader.applied_migrations if key in executor.loader.graph.nodes
    ]
    return executor.loader.project_state(applied).apps


@pytest.fixture
def newest_after() -> Any:
    """The database back at the newest migrations afterwards, whatever the test did: the
    tests after this one on the same worker use the schema as it stands."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_members_become_membership_rows(newest_after: None) -> None:
    old = migrate(BEFORE)
    Department = old.get_model("cases", "Department")
    User = old.get_model("accounts", "User")
    a = User.objects.create(phone="13900001111", password="x", name="王海涛")
    b = User.objects.create(phone="13900002222", password="x", name="刘建")
    cgj = Department.objects.create(code="CGJ", name="城管局")
    zjj = Department.objects.create(code="ZJJ", name="住建局")
    cgj.members.add(a, b)
    zjj.members.add(b)

    migrate(AFTER)
    rows = set(DepartmentMember.objects.values_list("department__code", "user__name"))
    assert rows == {("CGJ", "王海涛"), ("CGJ", "刘建"), ("ZJJ", "刘建")}
    assert set(
        DepartmentMember.objects.filter(user__name="刘建").values_list("grant", flat=True)
    ) == {None}
