"""Membership, 双报到 and posts: what a member and their branch can and cannot do."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import COMMUNITY, GRID_A, MICRO_A1, MICRO_B1
from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, NotFound, ValidationFailed
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification
from wangge.party.models import MemberStatus, OrgKind, PartyMember, PartyOrg, Post, PostClaim
from wangge.party.services import (
    member_decide,
    member_declare,
    org_create,
    post_claim,
    post_create,
    post_release,
    registration_register,
)


def test_org_tree_follows_the_party_hierarchy(
    tree: dict[str, GridNode], orgs: dict[str, PartyOrg]
) -> None:
    assert orgs["group_a1"].path.startswith(orgs["branch_a"].path)
    assert orgs["branch_a"].path.startswith(orgs["street"].path)
    with pytest.raises(ValidationFailed, match="党小组不能隶属于党委"):
        org_create(
            name="错挂小组", kind=OrgKind.GROUP, grid_node=tree[GRID_A], parent=orgs["community"]
        )
    with pytest.raises(ValidationFailed, match="须有上级组织"):
        org_create(name="孤立支部", kind=OrgKind.BRANCH, grid_node=tree[GRID_A])


def test_a_declared_member_is_verified_by_their_branch(
    cast: dict[str, User],
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    secretary = make_user(Role.GRID_LEADER, tree[GRID_A], name="李志强")
    other = make_user(Role.GRID_LEADER, tree["410102001002002"], name="吴支书")
    resident = cast["resident"]
    member = member_declare(
        user=resident, org_id=orgs["group_a1"].pk, joined_on=date(2001, 7, 1), commitment="楼道常清"
    )
    assert member.status == MemberStatus.PENDING
    # The branch's secretary is told; the secretary of another grid may not decide it.
    assert Notification.objects.filter(recipient=secretary, title__contains="王秀兰").exists()
    with pytest.raises(NotFound):
        member_decide(actor=other, member_id=member.pk, approve=True)
    with pytest.raises(ValidationFailed, match="请填写原因"):
        member_decide(actor=secretary, member_id=member.pk, approve=False)
    member = member_decide(actor=secretary, member_id=member.pk, approve=True)
    assert member.status == MemberStatus.VERIFIED and member.decided_by == secretary
    resident = User.objects.get(pk=resident.pk)
    assert resident.has_role(Role.PARTY_MEMBER)
    assert resident.grants.get(role=Role.PARTY_MEMBER).node.code == MICRO_A1  # where they live
    with pytest.raises(Conflict, match="已处理"):
        member_decide(actor=secretary, member_id=member.pk, approve=False, note="重复")
    with pytest.raises(Conflict, match="无需重复登记"):
        member_declare(user=resident, org_id=orgs["branch_a"].pk, joined_on=date(2001, 7, 1))


def test_a_rejected_member_can_declare_again_and_bad_input_is_refused(
    cast: dict[str, User], orgs: dict[str, PartyOrg]
) -> None:
    resident = cast["resident"]
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        member_declare(
            user=resident,
            org_id=orgs["branch_a"].pk,
            joined_on=timezone.localdate() + timedelta(days=1),
        )
    with pytest.raises(ValidationFailed, match="党支部或党小组"):
        member_declare(user=resident, org_id=orgs["community"].pk, joined_on=date(2001, 7, 1))
    m = member_declare(user=resident, org_id=orgs["branch_a"].pk, joined_on=date(2001, 7, 1))
    member_decide(
        actor=cast["community"], member_id=m.pk, approve=False, note="查无此人，请联系支部"
    )
    again = member_declare(user=resident, org_id=orgs["group_a1"].pk, joined_on=date(2002, 7, 1))
    assert again.pk == m.pk and again.status == MemberStatus.PENDING and again.decision_note == ""


def test_dual_registration(
    make_member: Callable[..., PartyMember], tree: dict[str, GridNode], orgs: dict[str, PartyOrg]
) -> None:
    member = make_member("张建华", orgs["unit_branch"], tree[MICRO_A1], register=False)
    user = member.user
    with pytest.raises(ValidationFailed, match="居住地所在社区"):
        registration_register(user=user, kind="residence", community_code=GRID_A)
    with pytest.raises(ValidationFailed, match="工作单位党组织"):
        registration_register(user=user, kind="workplace", unit_id=orgs["branch_a"].pk)
    home = registration_register(user=user, kind="residence", community_code=COMMUNITY)
    work = registration_register(user=user, kind="workplace", unit_id=orgs["unit"].pk)
    assert (home.target_name, work.target_name) == ("碧沙岗社区", "中原区市场监管局机关党委")
    assert member.registrations.count() == 2


def test_only_a_verified_member_registers(cast: dict[str, User], orgs: dict[str, PartyOrg]) -> None:
    member_declare(user=cast["resident"], org_id=orgs["branch_a"].pk, joined_on=date(2001, 7, 1))
    with pytest.raises(Conflict, match="核实后"):
        registration_register(user=cast["resident"], kind="residence", community_code=COMMUNITY)
    with pytest.raises(NotFound):
        registration_register(user=cast["outsider"], kind="residence", community_code=COMMUNITY)


def test_claiming_posts_within_slots(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    post = post_create(
        actor=cast["community"],
        community=tree[COMMUNITY],
        category="policy",
        title="政策宣传员",
        slots=1,
    )
    first = make_member("张建华", orgs["unit_branch"], tree[MICRO_A1])
    second = make_member("刘芳", orgs["branch_b"], tree[MICRO_B1])
    unregistered = make_member("陈刚", orgs["branch_a"], tree[MICRO_A1], register=False)
    claim, created = post_claim(user=first.user, post_id=post.pk)
    assert created
    assert post_claim(user=first.user, post_id=post.pk) == (claim, False)  # a repeat, not a second
    with pytest.raises(Conflict, match="名额已满"):
        post_claim(user=second.user, post_id=post.pk)
    with pytest.raises(Conflict, match="先向该岗位所在社区报到"):
        post_claim(user=unregistered.user, post_id=post.pk)
    post_release(user=first.user, claim_id=claim.pk)
    _claim, created = post_claim(user=second.user, post_id=post.pk)
    assert created
    assert PostClaim.objects.filter(post=post, released_at__isnull=True).count() == 1


def test_posts_are_set_by_staff_of_the_community(
    cast: dict[str, User], tree: dict[str, GridNode]
) -> None:
    with pytest.raises(Exception, match="只能在本人负责的社区设岗"):
        post_create(actor=cast["resident"], community=tree[COMMUNITY], category="care", title="x")
    with pytest.raises(ValidationFailed, match="名额"):
        post_create(
            actor=cast["community"],
            community=tree[COMMUNITY],
            category="care",
            title="探望",
            slots=0,
        )


def test_moving_ends_posts_in_the_old_community(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    from wangge.grids.services import grids_import

    grids_import(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {
                        "code": "410102001003",
                        "name": "锦艺社区",
                        "level": "community",
                        "parent_code": "410102001",
                    },
                    "geometry": None,
                }
            ],
        }
    )
    member = make_member("张建华", orgs["branch_a"], tree[MICRO_A1])
    post = post_create(
        actor=cast["community"], community=tree[COMMUNITY], category="care", title="探望"
    )
    post_claim(user=member.user, post_id=post.pk)
    registration_register(user=member.user, kind="residence", community_code="410102001003")
    assert not PostClaim.objects.filter(member=member, released_at__isnull=True).exists()


# Pages --------------------------------------------------------------------------------------


def test_resident_declares_on_the_app_and_the_branch_verifies_on_its_page(
    cast: dict[str, User], tree: dict[str, GridNode], orgs: dict[str, PartyOrg]
) -> None:
    resident = Client()
    resident.force_login(cast["resident"])
    page = resident.get("/party/").content.decode()
    assert "登记党员身份" in page and "1号楼党小组" in page
    resp = resident.post(
        "/party/declare/",
        {"org": orgs["group_a1"].pk, "joined_on": "", "commitment": "x"},
        follow=True,
    )
    assert "请填写入党日期" in resp.content.decode()
    # A member who joined in 1985 declares like anyone else: an 入党日期 is history, not a
    # date of the platform's own events, and only the party's founding and today bound it.
    resp = resident.post(
        "/party/declare/",
        {"org": orgs["group_a1"].pk, "joined_on": "1985-07-01", "commitment": "楼道常清"},
        follow=True,
    )
    assert "等待1号楼党小组核实" in resp.content.decode()
    assert PartyMember.objects.get(user=cast["resident"]).joined_on.year == 1985
    resp = resident.post(
        "/party/declare/",
        {"org": orgs["group_a1"].pk, "joined_on": "1899-07-01", "commitment": "楼道常清"},
        follow=True,
    )
    assert "入党日期不正确" in resp.content.decode()

    worker_b = Client()
    worker_b.force_login(cast["worker_b"])
    assert worker_b.get("/party/staff/members/").status_code == 403  # not a party role
    staff = Client()
    staff.force_login(cast["community"])
    listing = staff.get("/party/staff/members/").content.decode()
    assert "王秀兰" in listing and cast["resident"].phone not in listing  # phone masked
    member = PartyMember.objects.get(user=cast["resident"])
    staff.post(f"/party/staff/members/{member.pk}/decide/", {"decision": "approve"})
    page = resident.get("/party/").content.decode()
    assert "我的报到" in page and "碧沙岗社区" in page
    assert resident.get("/party/me/").status_code == 200


def test_member_registers_and_claims_on_the_app(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    post = post_create(
        actor=cast["community"],
        community=tree[COMMUNITY],
        category="environment",
        title="楼道清洁岗",
    )
    member = make_member("张建华", orgs["unit_branch"], tree[MICRO_A1], register=False)
    c = Client()
    c.force_login(member.user)
    assert "向居住地社区报到后" in c.get("/party/").content.decode()
    c.post("/party/register/", {"kind": "residence", "community": COMMUNITY})
    c.post("/party/register/", {"kind": "workplace", "unit": orgs["unit"].pk})
    page = c.get("/party/").content.decode()
    assert "楼道清洁岗" in page and "中原区市场监管局机关党委" in page
    resp = c.post(f"/party/posts/{post.pk}/claim/", follow=True).content.decode()
    assert "认领成功" in resp and "退出岗位" in resp
    profile = c.get("/party/me/").content.decode()
    assert (
        "亮身份" in profile
        and "亮承诺" in profile
        and "亮行动" in profile
        and "楼道清洁岗" in profile
    )
    c.post("/party/me/", {"commitment": "每周清扫一次楼道"})
    assert "每周清扫一次楼道" in c.get("/party/me/").content.decode()


def test_staff_pages_stay_inside_the_subtree(
    cast: dict[str, User],
    make_user: Callable[..., User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    leader_b = make_user(Role.GRID_LEADER, tree["410102001002002"], name="吴支书")
    c = Client()
    c.force_login(leader_b)
    index = c.get("/party/staff/").content.decode()
    assert "碧沙岗第2网格党支部" in index and "碧沙岗第1网格党支部" not in index
    assert c.get(f"/party/staff/orgs/{orgs['branch_a'].pk}/").status_code == 404
    assert c.get(f"/party/staff/orgs/{orgs['unit'].pk}/statement/2026Q3.xlsx").status_code == 404
    assert c.get(f"/party/staff/orgs/{orgs['branch_b'].pk}/").status_code == 200
    outsider = Client()
    outsider.force_login(cast["outsider"])
    assert outsider.get("/party/staff/").status_code == 403


def test_staff_sets_posts_on_the_page(cast: dict[str, User], tree: dict[str, GridNode]) -> None:
    c = Client()
    c.force_login(cast["community"])
    resp = c.post(
        "/party/staff/posts/",
        {"community": COMMUNITY, "category": "health", "title": "", "slots": "3"},
    )
    assert "请填写岗位名称" in resp.content.decode()
    c.post(
        "/party/staff/posts/",
        {"community": COMMUNITY, "category": "health", "title": "健康讲座岗", "slots": "3"},
    )
    assert Post.objects.get().title == "健康讲座岗"
    assert "健康讲座岗" in c.get("/party/staff/posts/").content.decode()


def test_the_party_and_honours_tiles_are_live(cast: dict[str, Any]) -> None:
    c = Client()
    c.force_login(cast["resident"])
    home = c.get("/m/").content.decode()
    assert 'href="/party/"' in home and 'href="/rankings/"' in home


def test_a_registration_notice_links_to_a_page_its_recipient_can_open(
    make_member: Callable[..., PartyMember],
    cast: dict[str, User],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    member = make_member("刘卫东", orgs["unit_branch"], tree[MICRO_A1], register=False)
    registration_register(user=member.user, kind="residence", community_code=COMMUNITY)
    registration_register(user=member.user, kind="workplace", unit_id=orgs["unit"].pk)
    for officer, expected in ((cast["community"], "碧沙岗社区党委"), (cast["admin"], "刘卫东")):
        notice = Notification.objects.filter(recipient=officer, title="党员报到：刘卫东").latest(
            "pk"
        )
        c = Client()
        c.force_login(officer)
        page = c.get(notice.link)
        assert page.status_code == 200, notice.link
        assert expected in page.content.decode()


def test_a_post_with_slots_not_a_number_is_refused_at_the_form_as_typed(
    cast: dict[str, User], tree: dict[str, GridNode]
) -> None:
    c = Client()
    c.force_login(cast["community"])
    resp = c.post(
        "/party/staff/posts/",
        {"community": COMMUNITY, "category": "health", "title": "义诊岗", "slots": "三个"},
    )
    page = resp.content.decode()
    assert resp.status_code == 422
    assert "名额请填写数字" in page and 'value="义诊岗"' in page
    assert not Post.objects.exists()
