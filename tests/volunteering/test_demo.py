"""The demo tasks: a believable week around a community, and gone again on a demo reset."""

from collections.abc import Callable

from tests.conftest import COMMUNITY, STREET
from wangge.accounts.models import Role, User
from wangge.demo.volunteering import reset_volunteering, seed_volunteering
from wangge.grids.models import GridNode
from wangge.volunteering.models import SignUp, Task


def test_demo_tasks_cover_every_state_an_organiser_meets(
    cast: dict[str, User], tree: dict[str, GridNode], make_user: Callable[..., User]
) -> None:
    org_admin = make_user(Role.ORG_ADMIN, tree[STREET], name="卫红梅")
    made = seed_volunteering(
        community=tree[COMMUNITY],
        organiser=org_admin,
        staff=cast["community"],
        residents=[cast["resident"], make_user(name="蒋文博")],
    )
    assert made == Task.objects.count() == 9
    states = sorted(Task.objects.values_list("status", flat=True))
    assert states == ["finished", "pending"] + ["published"] * 7
    assert set(Task.objects.values_list("kind", flat=True)) == {"task", "activity"}
    assert {t.publisher_kind for t in Task.objects.all()} == {
        "party_org",
        "mass_org",
        "social_org",
        "individual",
    }
    finished = Task.objects.get(status="finished")
    assert finished.signups.filter(checkins__auto_closed=True).count() == 1
    assert SignUp.objects.filter(user=cast["resident"], status="signed").count() == 3

    GridNode.objects.filter(path__startswith=tree[COMMUNITY].path).update(is_sample=True)
    reset_volunteering()
    assert not Task.objects.exists()
