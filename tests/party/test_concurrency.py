"""Members racing for the last places of a post: the post row is locked, so never more claims
than places (PostgreSQL, real parallel calls)."""

from collections.abc import Callable

import pytest

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.conftest import COMMUNITY, MICRO_A1
from wangge.accounts.models import User
from wangge.core.errors import Conflict
from wangge.grids.models import GridNode
from wangge.party.models import PartyMember, PartyOrg, PostClaim
from wangge.party.services import post_claim, post_create


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_twelve_members_race_for_three_places(
    cast: dict[str, User],
    make_member: Callable[..., PartyMember],
    tree: dict[str, GridNode],
    orgs: dict[str, PartyOrg],
) -> None:
    post = post_create(
        actor=cast["community"],
        community=tree[COMMUNITY],
        category="safety",
        title="夜间巡防",
        slots=3,
    )
    members = [make_member(f"党员{i}", orgs["branch_a"], tree[MICRO_A1]) for i in range(12)]
    results = run_parallel(12, lambda i: post_claim(user=members[i].user, post_id=post.pk))
    claimed = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert (len(claimed), len(refused)) == (3, 9)
    assert all("名额已满" in r.message for r in refused)
    assert PostClaim.objects.filter(post=post, released_at__isnull=True).count() == 3
