"""The demo district's party organisations (seeded on the small test tree's shape of levels)."""

from typing import Any

from wangge.accounts.models import Role, User
from wangge.demo.party import seed_party
from wangge.grids.models import GridNode
from wangge.party.models import MemberStatus, OrgKind, PartyMember, PartyOrg, PostClaim


def test_demo_party_data(tree: dict[str, GridNode], cast: dict[str, Any]) -> None:
    jiang = User.objects.create_user("13800000013", name="蒋文博")
    made = seed_party(password="x")
    assert made == PartyOrg.objects.count()
    assert PartyOrg.objects.get(kind=OrgKind.WORKING_COMMITTEE).name == "林山寨街道党工委"
    assert PartyOrg.objects.filter(kind=OrgKind.BRANCH, is_unit=False).count() == 2
    assert PartyMember.objects.filter(status=MemberStatus.PENDING).count() == 1
    member = PartyMember.objects.get(user=jiang)
    assert member.status == MemberStatus.VERIFIED and member.registrations.count() == 1
    assert PostClaim.objects.filter(member=member).exists()
    verified = PartyMember.objects.filter(status=MemberStatus.VERIFIED)
    assert all(m.user.has_role(Role.PARTY_MEMBER) for m in verified if m.user != jiang)
