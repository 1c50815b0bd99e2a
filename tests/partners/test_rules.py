"""共建单位 and 民生服务项目's rules: a project's shares add up to its cost with at least two
parties, refused in Chinese when they do not and nothing half-saved, checked again by the
database; a need from each source, once; the way 立项 → 实施中 → 已完成."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from tests.conftest import COMMUNITY, OTHER_COMMUNITY
from tests.partners.conftest import make_unit, node, two_party_project, wish_need
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.partners.models import Need, NeedSource, ProgressNote, Project, ProjectShare
from wangge.partners.services import (
    NeedInput,
    ShareInput,
    need_create,
    project_advance,
    project_fund,
)

pytestmark = pytest.mark.django_db


def shares_of(project: Project) -> int:
    return ProjectShare.objects.filter(project=project).aggregate(s=Sum("amount_fen"))["s"] or 0


# ---------------------------------------------------------------- shares add up


def test_a_two_party_project_adds_up(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    assert project.total_fen == project.funded_fen == shares_of(project) == 300_000
    assert project.total_yuan == "3000.00"
    assert {s.funder_name: s.amount_yuan for s in project.shares.all()} == {
        "伊河路小学": "1000.00",
        "郑州华信科技有限公司": "2000.00",
    }
    assert project.status == "planned"
    assert list(project.notes.values_list("note", flat=True)) == ["立项"]


def test_shares_that_do_not_add_up_are_refused_and_nothing_is_saved(
    world: dict[str, Any],
) -> None:
    need = wish_need(world)
    with pytest.raises(ValidationFailed) as refused:
        two_party_project(world, total=350_000, need=need)
    assert refused.value.message == "各方出资合计 3000.00 元，与项目总额 3500.00 元不一致"
    assert refused.value.field == "shares"
    assert not Project.objects.exists() and not ProjectShare.objects.exists()


def test_two_parties_at_least(world: dict[str, Any]) -> None:
    need = wish_need(world)
    with pytest.raises(ValidationFailed) as refused:
        two_party_project(
            world,
            need=need,
            total=100_000,
            shares=(ShareInput(amount_fen=100_000, unit_id=world["school"].pk),),
        )
    assert "两方筹资：至少需要 2 个出资方" in refused.value.message
    # The same party twice is one party.
    with pytest.raises(ValidationFailed) as twice:
        two_party_project(
            world,
            need=need,
            total=200_000,
            shares=(
                ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
                ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
            ),
        )
    assert twice.value.message == "同一出资方只能填写一次"
    assert not Project.objects.exists()


def test_the_community_itself_may_be_a_party(world: dict[str, Any]) -> None:
    project = two_party_project(
        world,
        total=150_050,
        shares=(
            ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
            ShareInput(amount_fen=50_050, node_id=node(COMMUNITY).pk),
        ),
    )
    assert {s.funder_name for s in project.shares.all()} == {"伊河路小学", "碧沙岗社区"}
    assert shares_of(project) == project.total_fen == 150_050


def test_a_party_from_elsewhere_is_refused(world: dict[str, Any]) -> None:
    stranger = make_unit(world["other_staff"], "互助路中学", "school", OTHER_COMMUNITY)
    with pytest.raises(ValidationFailed) as refused:
        two_party_project(
            world,
            shares=(
                ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
                ShareInput(amount_fen=200_000, unit_id=stranger.pk),
            ),
        )
    assert refused.value.message == "出资单位须是本社区或本街道的共建单位"


def test_changing_the_funding_replaces_the_shares_whole_and_still_adds_up(
    world: dict[str, Any],
) -> None:
    project = two_party_project(world)
    with pytest.raises(ValidationFailed):
        project_fund(
            actor=world["community"],
            project_id=project.pk,
            total_fen=400_000,
            shares=(
                ShareInput(amount_fen=100_000, unit_id=world["school"].pk),
                ShareInput(amount_fen=200_000, unit_id=world["company"].pk),
            ),
        )
    project.refresh_from_db()
    assert project.total_fen == shares_of(project) == 300_000  # as before the refusal
    project_fund(
        actor=world["community"],
        project_id=project.pk,
        total_fen=400_000,
        shares=(
            ShareInput(amount_fen=150_000, unit_id=world["school"].pk),
            ShareInput(amount_fen=200_000, unit_id=world["company"].pk),
            ShareInput(amount_fen=50_000, node_id=node(COMMUNITY).pk),
        ),
    )
    project.refresh_from_db()
    assert project.total_fen == project.funded_fen == shares_of(project) == 400_000
    assert project.shares.count() == 3


def test_the_database_refuses_a_total_its_shares_do_not_make(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(total_fen=999)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectShare.objects.create(project=project, amount_fen=0, unit=world["estate"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectShare.objects.create(project=project, amount_fen=5, unit=world["school"])


def test_a_share_slipped_in_behind_the_service_stops_the_next_change_of_state(
    world: dict[str, Any],
) -> None:
    project = two_party_project(world)
    # A write that went around the service: the shares no longer make the total.
    ProjectShare.objects.create(project=project, amount_fen=1, unit=world["estate"])
    with pytest.raises(ValidationFailed) as refused:
        project_advance(
            actor=world["community"], project_id=project.pk, to_status="in_progress", note="开工"
        )
    assert refused.value.message == "各方出资合计 3000.01 元，与项目总额 3000.00 元不一致"
    project.refresh_from_db()
    assert project.status == "planned"


# ---------------------------------------------------------------- progress


def test_planned_then_in_progress_then_completed_with_dated_notes(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(Conflict) as skipped:
        project_advance(
            actor=world["community"], project_id=project.pk, to_status="completed", note="完成"
        )
    assert skipped.value.message == "项目当前为“立项”，不能改为“已完成”"
    project_advance(
        actor=world["community"],
        project_id=project.pk,
        to_status="in_progress",
        note="学校志愿者和公司工程队进场",
        on=yesterday,
    )
    done = project_advance(
        actor=world["community"],
        project_id=project.pk,
        to_status="completed",
        note="6 栋楼道扶手全部安装",
        residents_served=86,
        households_served=40,
    )
    assert (done.status, done.started_on, done.completed_on) == (
        "completed",
        yesterday,
        timezone.localdate(),
    )
    assert (done.residents_served, done.households_served) == (86, 40)
    assert [n.to_status for n in ProgressNote.objects.filter(project=project).order_by("pk")] == [
        "planned",
        "in_progress",
        "completed",
    ]
    with pytest.raises(Conflict) as closed:
        project_fund(actor=world["community"], project_id=project.pk, total_fen=1, shares=())
    assert closed.value.message == "项目已完成，出资不能再修改"


def test_a_grid_leader_reads_but_does_not_run_projects(world: dict[str, Any]) -> None:
    project = two_party_project(world)
    with pytest.raises(PermissionDenied):
        project_advance(
            actor=world["grid_leader"], project_id=project.pk, to_status="in_progress", note="x"
        )


# ---------------------------------------------------------------- needs


def test_a_need_from_each_source_linked_not_copied(world: dict[str, Any]) -> None:
    community = world["community"]
    from_wish = wish_need(world)
    assert (from_wish.wish, from_wish.title, from_wish.detail) == (
        world["wish"],
        "希望楼道装上扶手",
        "",
    )
    from_topic = need_create(
        actor=community, data=NeedInput(source=NeedSource.TOPIC, source_id=world["topic"].pk)
    )
    assert from_topic.topic == world["topic"] and from_topic.node.code == world["topic"].node.code
    from_case = need_create(
        actor=community,
        data=NeedInput(source=NeedSource.CASE, source_id=world["case"].pk, title="更换健身器材"),
    )
    assert from_case.case == world["case"] and from_case.title == "更换健身器材"
    entered = need_create(
        actor=community,
        data=NeedInput(source=NeedSource.STAFF, node_id=node(COMMUNITY).pk, title="四点半课堂"),
    )
    assert entered.wish is None and entered.topic is None and entered.case is None
    assert {n.source for n in Need.objects.all()} == {"wish", "topic", "case", "staff"}
    # One need per record.
    with pytest.raises(Conflict):
        wish_need(world)
    with pytest.raises(ValidationFailed) as untitled:
        need_create(
            actor=community, data=NeedInput(source=NeedSource.STAFF, node_id=node(COMMUNITY).pk)
        )
    assert untitled.value.message == "请填写需求"


def test_a_need_names_its_link_in_the_database(world: dict[str, Any]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Need.objects.create(
            source="wish",
            node=node(COMMUNITY),
            title="没有来源的心愿",
            raised_by=world["community"],
            grid_path=node(COMMUNITY).path,
        )


def test_sources_of_another_community_cannot_be_picked(world: dict[str, Any]) -> None:
    other = world["other_staff"]
    for source, record in (("wish", "wish"), ("topic", "topic"), ("case", "case")):
        with pytest.raises(ValidationFailed) as refused:
            need_create(actor=other, data=NeedInput(source=source, source_id=world[record].pk))
        assert refused.value.field == "source_id"
    assert not Need.objects.exists()
