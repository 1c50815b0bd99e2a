"""Concurrent edits of one project's funding cannot leave shares that do not add up: each
edit locks the project row, so they run one after the other and the last one's shares stand
whole (PostgreSQL; SQLite's test database locks whole tables)."""

from typing import Any

import pytest
from django.db.models import Sum

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.partners.conftest import two_party_project
from wangge.partners.models import Project, ProjectShare
from wangge.partners.services import ShareInput, project_advance, project_fund

pytestmark = [POSTGRES_ONLY, pytest.mark.django_db(transaction=True)]


def test_parallel_funding_edits_leave_a_project_that_adds_up(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    school, company = world["school"].pk, world["company"].pk

    def edit(i: int) -> Any:
        if i == 4:
            return project_advance(
                actor=world["community"],
                project_id=project.pk,
                to_status="in_progress",
                note="开工",
            )
        total = 300_000 + 10_000 * i
        return project_fund(
            actor=world["community"],
            project_id=project.pk,
            total_fen=total,
            shares=(
                ShareInput(amount_fen=100_000 + 10_000 * i, unit_id=school),
                ShareInput(amount_fen=200_000, unit_id=company),
            ),
        )

    results = run_parallel(5, edit)
    assert not [r for r in results if isinstance(r, Exception)], results
    project = Project.objects.get(pk=project.pk)
    shares = ProjectShare.objects.filter(project=project)
    assert shares.count() == 2
    assert shares.aggregate(s=Sum("amount_fen"))["s"] == project.total_fen == project.funded_fen
    assert project.status == "in_progress"
