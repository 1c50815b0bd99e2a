"""五星支部: criteria as data measured from the branch's year, the reasons in Chinese, the stars
from the bands; the rating follows its evidence while the year is open and is frozen once the
党工委 confirms it; staff see the branches of their subtree only."""

import json
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY, GRID_B, MICRO_A1, STREET
from tests.party.conftest import shanghai
from wangge.accounts.models import Role, User
from wangge.cases.models import Case, Status
from wangge.core.errors import Conflict, NotFound, PermissionDenied
from wangge.grids.models import GridNode
from wangge.party import services
from wangge.party.models import (
    EvidenceKind,
    PartyMember,
    PartyOrg,
    StarAssessment,
    StarBand,
    StarCriterion,
    StarEvidence,
)
from wangge.party.stars import default_criteria_load, stars_for
from wangge.party.tasks import recompute_star_ratings
from wangge.volunteering.models import Task

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def criteria(db: Any) -> dict[str, StarCriterion]:
    """The standards of these tests, set as the 党工委 would in the admin: one point each, a
    star per point."""
    StarCriterion.objects.all().delete()
    StarBand.objects.all().delete()
    default_criteria_load()  # the bands 1→1 … 5→5
    StarCriterion.objects.all().delete()
    rows = {
        "org": ("组织建设", EvidenceKind.MATERIALS, 1),
        "activities": ("党员教育与活动开展", EvidenceKind.ACTIVITIES, 2),
        "hours": ("双报到服务", EvidenceKind.SERVICE_HOURS, 10),
        "cases": ("为民办事", EvidenceKind.CASES_CLOSED, 2),
        "role": ("作用发挥", EvidenceKind.MATERIALS, 1),
    }
    return {
        key: StarCriterion.objects.create(
            name=name, kind=kind, target=Decimal(target), points=1, order=i
        )
        for i, (key, (name, kind, target)) in enumerate(rows.items())
    }


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def attach(
    actor: User, org: PartyOrg, criterion: StarCriterion, note: str, year: int = THIS_YEAR
) -> StarEvidence:
    return services.star_evidence_attach(
        actor=actor, org_id=org.pk, year=year, criterion_id=criterion.pk, note=note
    )


def rating(org: PartyOrg, year: int = THIS_YEAR) -> StarAssessment:
    return StarAssessment.objects.get(org=org, year=year)


def closed_case(tree: dict[str, GridNode], title: str, node: str = MICRO_A1) -> Case:
    now = timezone.now()
    return Case.objects.create(
        title=title,
        description="楼道堆物",
        channel="resident",
        grid_path=tree[node].path,
        micro_grid=tree[node],
        community=tree[COMMUNITY],
        street=tree[STREET],
        status=Status.CLOSED,
        resolved_at=now,
        closed_at=now,
    )


def test_default_criteria_and_bands_are_data() -> None:
    """A fresh database holds the five standards and a star per point (the migration)."""
    StarCriterion.objects.all().delete()
    StarBand.objects.all().delete()
    assert default_criteria_load() == 5
    assert default_criteria_load() == 0  # never twice, never changed
    assert set(StarCriterion.objects.values_list("kind", flat=True)) >= {
        EvidenceKind.MATERIALS,
        EvidenceKind.ACTIVITIES,
        EvidenceKind.MEMBER_HOURS,
        EvidenceKind.CASES_CLOSED,
    }
    assert stars_for(0) == 0 and stars_for(3) == 3 and stars_for(7) == 5
    StarBand.objects.all().delete()
    StarBand.objects.create(stars=5, min_points=8)
    StarBand.objects.create(stars=3, min_points=4)
    assert stars_for(3) == 0 and stars_for(4) == 3 and stars_for(9) == 5


def test_each_criterion_met_gives_its_star_with_the_reason(
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
    make_member: Callable[..., PartyMember],
    make_task: Callable[..., Task],
    serve: Callable[..., Any],
) -> None:
    branch = orgs["branch_a"]
    staff = cast["community"]
    member = make_member("李卫红", branch, tree[MICRO_A1])
    now = timezone.now()
    serve(member.user, "12.5", now - timedelta(days=1))
    for i in range(2):
        make_task(
            staff,
            title=f"主题党日{i}",
            publisher_kind=Task.PublisherKind.PARTY_ORG,
            publisher_name=branch.name,
            status=Task.Status.FINISHED,
            starts_at=now - timedelta(days=3 + i),
            ends_at=now - timedelta(days=3 + i, hours=-2),
        )
    closed_case(tree, "楼道堆物清理")
    closed_case(tree, "路灯不亮")
    closed_case(tree, "另一网格的事件", node=GRID_B)  # not this branch's grids

    rated = services.stars_recompute(actor=staff, org_id=branch.pk, year=THIS_YEAR)
    reasons = {r.name: r for r in rated.results.all()}
    assert rated.stars == 3 and rated.points == 3
    assert reasons["双报到服务"].met
    assert (
        reasons["双报到服务"].reason == "双报到服务时长 12.5 小时（1 名党员），达到 10 小时的标准"
    )
    assert reasons["党员教育与活动开展"].reason == "开展活动 2 场，达到 2 场的标准"
    assert reasons["为民办事"].reason == "所在网格结案事件 2 件，达到 2 件的标准"
    assert not reasons["组织建设"].met
    assert reasons["组织建设"].reason == "佐证材料 0 份，未达到 1 份的标准（差 1 份）"

    # Another branch of the same community has nothing of its own.
    other = services.stars_recompute(actor=staff, org_id=orgs["branch_b"].pk, year=THIS_YEAR)
    assert other.stars == 0
    assert other.results.get(name="为民办事").reason == (
        "所在网格结案事件 1 件，未达到 2 件的标准（差 1 件）"
    )


def test_attaching_and_removing_a_material_moves_the_stars_at_once(
    cast: dict[str, User], orgs: dict[str, PartyOrg], criteria: dict[str, StarCriterion]
) -> None:
    branch, staff = orgs["branch_a"], cast["community"]
    services.stars_recompute(actor=staff, org_id=branch.pk, year=THIS_YEAR)
    assert rating(branch).stars == 0
    minutes = attach(staff, branch, criteria["org"], "全年三会一课记录 12 次")
    assert rating(branch).stars == 1
    attach(staff, branch, criteria["role"], "获评区级先进基层党组织")
    assert rating(branch).stars == 2
    line = rating(branch).results.get(criterion=criteria["role"])
    assert line.met and line.reason == "佐证材料 1 份，达到 1 份的标准"
    services.star_evidence_remove(
        actor=staff, org_id=branch.pk, year=THIS_YEAR, evidence_id=minutes.pk
    )
    assert rating(branch).stars == 1


def test_certified_hours_move_the_stars_at_the_next_periodic_run(
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., Any],
) -> None:
    branch = orgs["branch_a"]
    member = make_member("李卫红", branch, tree[MICRO_A1])
    recompute_star_ratings.call_local()
    assert rating(branch).stars == 0
    assert rating(orgs["branch_b"]).stars == 0  # every rated branch gets its year
    assert not StarAssessment.objects.filter(org=orgs["unit_branch"]).exists()
    serve(member.user, "6", timezone.now() - timedelta(days=2))
    serve(member.user, "5", timezone.now() - timedelta(days=1))
    assert rating(branch).stars == 0  # not until the rating is computed again
    recompute_star_ratings.call_local()
    assert rating(branch).stars == 1
    hours = rating(branch).results.get(criterion=criteria["hours"])
    assert hours.value == Decimal("11.0") and hours.met


def test_a_confirmed_year_is_frozen(
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., Any],
) -> None:
    branch, staff, admin = orgs["branch_a"], cast["community"], cast["admin"]
    last_year = THIS_YEAR - 1
    attach(staff, branch, criteria["org"], "换届选举材料", year=last_year)
    assert rating(branch, last_year).stars == 1
    # The community's staff look after the branch; the 党工委 (street and above) confirms.
    with pytest.raises(PermissionDenied):
        services.stars_confirm(actor=staff, org_id=branch.pk, year=last_year)
    with pytest.raises(Conflict):
        services.stars_confirm(actor=admin, org_id=branch.pk, year=THIS_YEAR)
    confirmed = services.stars_confirm(actor=admin, org_id=branch.pk, year=last_year)
    assert confirmed.is_confirmed and confirmed.stars == 1

    # Evidence of that year can no longer change, and nothing recomputes it.
    member = make_member("李卫红", branch, tree[MICRO_A1])
    serve(member.user, "40", shanghai(last_year, 6, 1, 9))
    with pytest.raises(Conflict):
        attach(staff, branch, criteria["role"], "补交的表彰", year=last_year)
    with pytest.raises(Conflict):
        services.stars_recompute(actor=staff, org_id=branch.pk, year=last_year)
    with pytest.raises(Conflict):
        services.star_evidence_remove(
            actor=staff,
            org_id=branch.pk,
            year=last_year,
            evidence_id=StarEvidence.objects.get().pk,
        )
    recompute_star_ratings.call_local()
    services.stars_assess(org=branch, year=last_year)
    frozen = rating(branch, last_year)
    assert frozen.stars == 1 and frozen.computed_at == confirmed.computed_at
    assert not frozen.results.get(criterion=criteria["hours"]).met
    # A standard changed later does not rewrite the confirmed year's reasons.
    StarCriterion.objects.filter(pk=criteria["org"].pk).update(target=5)
    recompute_star_ratings.call_local()
    assert rating(branch, last_year).results.get(name="组织建设").met


def test_an_unconfirmed_last_year_still_follows_late_certified_hours(
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
    make_member: Callable[..., PartyMember],
    serve: Callable[..., Any],
) -> None:
    branch = orgs["branch_a"]
    last_year = THIS_YEAR - 1
    services.stars_assess(org=branch, year=last_year)
    member = make_member("李卫红", branch, tree[MICRO_A1])
    serve(member.user, "10", shanghai(last_year, 12, 20, 9))
    recompute_star_ratings.call_local()
    assert rating(branch, last_year).stars == 1


def test_staff_see_only_the_branches_of_their_subtree(
    cast: dict[str, User],
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
) -> None:
    leader_b = make_user(Role.GRID_LEADER, tree[GRID_B], name="吴支书")
    branch_a = orgs["branch_a"]
    attach(cast["community"], branch_a, criteria["org"], "三会一课记录")
    with pytest.raises(NotFound):
        attach(leader_b, branch_a, criteria["role"], "越权")
    with pytest.raises(NotFound):
        services.stars_recompute(actor=leader_b, org_id=branch_a.pk, year=THIS_YEAR)
    c = client(leader_b)
    listing = c.get("/party/staff/stars/").content.decode()
    assert "碧沙岗第2网格党支部" in listing and "碧沙岗第1网格党支部" not in listing
    base = f"/party/staff/stars/{branch_a.pk}/{THIS_YEAR}/"
    assert c.get(base).status_code == 404
    for path in ("evidence/", "recompute/", "confirm/"):
        assert (
            c.post(base + path, {"criterion": criteria["role"].pk, "note": "x"}).status_code == 404
        )
    evidence = StarEvidence.objects.get()
    assert c.post(f"{base}evidence/{evidence.pk}/remove/").status_code == 404
    assert StarEvidence.objects.count() == 1
    assert c.get(f"/api/v1/party/stars/{branch_a.pk}/{THIS_YEAR}").status_code == 404
    api = c.get("/api/v1/party/stars").json()
    assert [r["name"] for r in api["results"]] == ["碧沙岗第2网格党支部"]
    # A unit's branch and the community's 党委 are not rated: not found either.
    admin = client(cast["admin"])
    assert admin.get(f"/party/staff/stars/{orgs['unit_branch'].pk}/{THIS_YEAR}/").status_code == 404
    assert admin.get(f"/party/staff/stars/{orgs['community'].pk}/{THIS_YEAR}/").status_code == 404
    # Residents are not party staff.
    assert client(cast["resident"]).get("/party/staff/stars/").status_code == 403
    assert client(cast["resident"]).get("/api/v1/party/stars").status_code == 403


def test_pages_show_the_stars_and_reasons_and_take_materials(
    cast: dict[str, User], orgs: dict[str, PartyOrg], criteria: dict[str, StarCriterion]
) -> None:
    branch = orgs["branch_a"]
    c = client(cast["community"])
    base = f"/party/staff/stars/{branch.pk}/{THIS_YEAR}/"
    assert "尚未评定" in c.get(base).content.decode()
    resp = c.post(f"{base}evidence/", {"criterion": criteria["org"].pk, "note": "  "})
    assert resp.status_code == 302
    assert "请填写材料说明" in c.get(base).content.decode()
    c.post(f"{base}evidence/", {"criterion": "abc", "note": "记录"})
    assert "请选择评定标准" in c.get(base).content.decode()
    c.post(f"{base}evidence/", {"criterion": criteria["org"].pk, "note": "全年三会一课记录"})
    page = c.get(base).content.decode()
    assert "★☆☆☆☆" in page and "全年三会一课记录" in page
    assert "佐证材料 1 份，达到 1 份的标准" in page
    assert "确认年度评定" not in page  # the current year, and the community's staff
    branch_page = c.get(f"/party/staff/orgs/{branch.pk}/").content.decode()
    assert "五星支部" in branch_page and "佐证材料 1 份，达到 1 份的标准" in branch_page
    listing = c.get("/party/staff/stars/").content.decode()
    assert "★☆☆☆☆" in listing
    assert "年度须在 2000 到 2100 之间" in c.get("/party/staff/stars/?year=1999").content.decode()
    assert c.get(f"/party/staff/stars/{branch.pk}/{THIS_YEAR + 1}/").status_code == 404
    c.post(f"{base}recompute/")
    assert rating(branch).stars == 1
    # The 党工委's staff confirm last year from the page.
    admin = client(cast["admin"])
    last = f"/party/staff/stars/{branch.pk}/{THIS_YEAR - 1}/"
    admin.post(f"{last}recompute/")
    assert "确认年度评定" in admin.get(last).content.decode()
    admin.post(f"{last}confirm/")
    assert rating(branch, THIS_YEAR - 1).is_confirmed
    page = admin.get(last).content.decode()
    assert "已由街道党工委确认" in page and "添加材料" not in page


def test_the_api_answers_the_year_and_refuses_bad_input_in_chinese(
    cast: dict[str, User], orgs: dict[str, PartyOrg], criteria: dict[str, StarCriterion]
) -> None:
    branch = orgs["branch_a"]
    c = client(cast["community"])
    base = f"/api/v1/party/stars/{branch.pk}/{THIS_YEAR}"

    def post(path: str, body: Any) -> Any:
        return c.post(path, json.dumps(body), content_type="application/json")

    made = post(f"{base}/evidence", {"criterion_id": criteria["org"].pk, "note": "组织生活会记录"})
    assert made.status_code == 200, made.content
    answer = made.json()
    assert answer["stars"] == 1 and answer["assessed"] and not answer["confirmed"]
    org_line = next(r for r in answer["results"] if r["name"] == "组织建设")
    assert org_line["met"] and org_line["reason"] == "佐证材料 1 份，达到 1 份的标准"
    assert [e["note"] for e in org_line["evidence"]] == ["组织生活会记录"]

    assert c.get(base).json()["stars"] == 1
    listing = c.get(f"/api/v1/party/stars?year={THIS_YEAR}").json()
    assert {r["name"]: r["stars"] for r in listing["results"]} == {
        "碧沙岗第1网格党支部": 1,
        "碧沙岗第2网格党支部": 0,
    }
    kinds = c.get("/api/v1/party/star-criteria").json()
    assert next(k["name"] for k in kinds["criteria"]) == "组织建设" and kinds["bands"]

    bad = post(f"{base}/evidence", {"criterion_id": criteria["org"].pk, "note": " "})
    assert bad.status_code == 422 and bad.json()["detail"] == "请填写材料说明"
    bad = post(f"{base}/evidence", {"criterion_id": 999999, "note": "记录"})
    assert bad.status_code == 422 and bad.json()["detail"] == "请选择评定标准"
    bad = post(f"{base}/evidence", {"note": "记录"})
    assert bad.status_code == 422, bad.content
    assert bad.json()["detail"] == "请求参数不正确"
    bad = c.get("/api/v1/party/stars?year=1999")
    assert bad.status_code == 422 and "年度须在" in bad.json()["detail"]
    assert c.get(f"/api/v1/party/stars/{branch.pk}/{THIS_YEAR + 1}").status_code == 404
    confirm = post(f"{base}/confirm", {})
    assert confirm.status_code == 403 and confirm.json()["detail"] == "年度评定由街道党工委确认"

    admin = client(cast["admin"])
    last = f"/api/v1/party/stars/{branch.pk}/{THIS_YEAR - 1}"
    done = admin.post(f"{last}/confirm", "{}", content_type="application/json")
    assert done.status_code == 200 and done.json()["confirmed"]
    again = admin.post(f"{last}/recompute", "{}", content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"] == "该年度评定已确认，不再重新计算"
    evidence_id = StarEvidence.objects.get().pk
    removed = c.delete(f"{base}/evidence/{evidence_id}")
    assert removed.status_code == 200 and removed.json()["stars"] == 0


def test_the_nav_links_the_stars_page_for_party_staff(cast: dict[str, User]) -> None:
    page = client(cast["community"]).get("/party/staff/stars/").content.decode()
    assert 'href="/party/staff/stars/"' in page
    resident = client(cast["resident"]).get("/party/").content.decode()
    assert "/party/staff/stars/" not in resident


def test_a_member_sees_the_stars_of_their_branch(
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
    criteria: dict[str, StarCriterion],
    make_member: Callable[..., PartyMember],
) -> None:
    """A member of a 党小组 sees the stars of the branch above it on their own page."""
    member = make_member("李卫红", orgs["group_a1"], tree[MICRO_A1])
    home = client(member.user).get("/party/").content.decode()
    assert "五星支部评定" not in home  # not rated yet
    attach(cast["community"], orgs["branch_a"], criteria["org"], "三会一课记录")
    home = client(member.user).get("/party/").content.decode()
    assert f"碧沙岗第1网格党支部 {THIS_YEAR} 年五星支部评定" in home
    assert "★☆☆☆☆" in home and "佐证材料 1 份，达到 1 份的标准" in home
