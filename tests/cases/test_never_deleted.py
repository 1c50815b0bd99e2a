"""Cases are never hard-deleted: not by the model, a queryset, a cascade, the admin or (on
PostgreSQL) raw SQL. 作废 is the way out, and the case keeps its timeline. Only the generated
demo district's cases can be purged, when the demo is rebuilt."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.db.models.deletion import Collector
from django.test import Client

from tests.cases.test_loop import act
from wangge.cases.models import Case, CaseEvent, Status
from wangge.cases.retention import CaseNotDeletable, case_purge_sample
from wangge.grids.models import GridNode


@pytest.fixture
def case(report: Callable[..., Case]) -> Case:
    return report()


def still_there(case: Case) -> None:
    assert Case.objects.filter(pk=case.pk).exists()
    assert CaseEvent.objects.filter(case_id=case.pk).exists()


def test_the_model_and_querysets_refuse(case: Case) -> None:
    with pytest.raises(CaseNotDeletable) as refused:
        case.delete()
    assert "不能删除" in refused.value.message and "作废" in refused.value.message
    with pytest.raises(CaseNotDeletable):
        Case.objects.filter(pk=case.pk).delete()
    with pytest.raises(CaseNotDeletable):
        Case.objects.all().delete()
    still_there(case)


def test_deletions_django_makes_itself_are_refused(case: Case) -> None:
    # What a cascade from another row or the admin's bulk action runs: the collector, which
    # calls neither Case.delete() nor the queryset's delete().
    collector = Collector(using="default")
    collector.collect([case])
    with pytest.raises(CaseNotDeletable), transaction.atomic():
        collector.delete()
    still_there(case)


def test_no_foreign_key_on_a_case_cascades() -> None:
    """Deleting what a case points to (a category, a grid, a person's account) never takes
    the case along: every foreign key on it protects or lets go."""
    for field in Case._meta.get_fields():
        if field.many_to_one and field.concrete:
            on_delete = field.remote_field.on_delete  # type: ignore[union-attr]
            assert on_delete in (models.PROTECT, models.SET_NULL), field.name


def test_the_admin_shows_cases_but_cannot_delete_them(case: Case, superuser_client: Client) -> None:
    listing = superuser_client.get("/admin/cases/case/")
    assert listing.status_code == 200 and case.number in listing.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert superuser_client.get(f"/admin/cases/case/{case.pk}/delete/").status_code == 403
    assert (
        superuser_client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    refused = superuser_client.post(
        "/admin/cases/case/", {"action": "delete_selected", "_selected_action": [case.pk]}
    )
    assert refused.status_code in (200, 302)
    still_there(case)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_raw_sql_is_refused_on_postgresql(case: Case) -> None:
    with (
        pytest.raises(DatabaseError, match="事件不能删除"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_case WHERE id = %s", [case.pk])
    still_there(case)


def test_void_keeps_the_case_and_its_timeline(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    case = report(at=None, address="火星路1号")
    events = case.events.count()
    voided = act(case, people["admin"], "void", "重复来电")
    assert voided.status == Status.VOIDED
    kept = Case.objects.get(pk=case.pk)
    assert kept.status == Status.VOIDED and kept.number == case.number
    assert kept.events.count() == events + 1
    assert kept.events.order_by("-pk").first().note == "重复来电"  # type: ignore[union-attr]


def test_only_sample_grids_cases_are_purged(
    people: dict[str, Any], report: Callable[..., Case]
) -> None:
    real = report()
    sample_case = report("示例：路灯不亮")
    # The demo district's grids are marked 示例数据: make grid B one, with a case filed there.
    GridNode.objects.filter(code__endswith="002002").update(is_sample=True)  # grid B
    sample_case.grid_path = GridNode.objects.get(code__endswith="002002").path + "x/"
    Case.objects.filter(pk=sample_case.pk).update(grid_path=sample_case.grid_path)
    assert case_purge_sample() == 1
    assert not Case.objects.filter(pk=sample_case.pk).exists()
    assert not CaseEvent.objects.filter(case_id=sample_case.pk).exists()
    still_there(real)
    # And the guard is back on afterwards.
    with pytest.raises(CaseNotDeletable):
        real.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_case WHERE id = %s", [real.pk])
