"""微心愿: raised at a visit → published without the person → claimed once → fulfilled with
evidence → thanked, which pays the claimer 活力值 once; the board shows volunteers of the
community only the public title."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.conftest import COMMUNITY, MICRO_A2, MICRO_B1
from wangge.accounts.models import Role, User
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.core.images import clean_images
from wangge.grids.models import GridNode
from wangge.notifications.models import Notification
from wangge.points.models import Account, Earning, EarningRule, Transfer
from wangge.points.rules import default_rules_load
from wangge.points.services import community_issuer, points_budget, wallet_for
from wangge.residents.models import Wish
from wangge.residents.selectors import wish_board, wish_points, wishes_visible
from wangge.residents.services import (
    WishThanked,
    wish_claim,
    wish_fulfil,
    wish_points_pay,
    wish_publish,
    wish_raise,
    wish_thank,
)

# Every test pays by the seeded rules (微心愿完成: 20 points, at most 40 a day).
pytestmark = pytest.mark.usefixtures("earning_rules")


def jpeg(name: str = "done.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 60)).save(out, format="JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def volunteers(make_user: Any, tree: Any) -> dict[str, Any]:
    return {
        # A party member living in A2: same community as the elder (A1).
        "member": make_user(Role.PARTY_MEMBER, tree[MICRO_A2], name="党员老韩"),
        "member_b": make_user(Role.PARTY_MEMBER, tree[MICRO_B1], name="党员小许"),
        # A party member of another community sees nothing of this one's wishes.
        "elsewhere": make_user(Role.PARTY_MEMBER, tree[COMMUNITY].parent, name="街道党员"),
    }


def issuer() -> Account:
    """The 碧沙岗社区's issuing account, which pays for its wishes."""
    return community_issuer(GridNode.objects.get(code=COMMUNITY))


@pytest.fixture
def budget(db: Any) -> Account:
    account = issuer()
    points_budget(issuer=account, amount=1_000, key="wish-test-budget")
    account.refresh_from_db()
    return account


def fulfilled(people: Any, claimer: User, wish: Wish) -> Wish:
    wish_publish(actor=people["worker_a"], wish=wish)
    wish_claim(actor=claimer, wish=wish)
    return wish_fulfil(actor=claimer, wish=wish, note="送到", photos=clean_images([jpeg()]))


def balance(user: User) -> int:
    return wallet_for(user).balance


@pytest.fixture
def wish(people: Any, register: dict[str, Any]) -> Wish:
    return wish_raise(
        actor=people["worker_a"],
        person=register["elder"],
        title="想要一台收音机听戏",
        detail="老人独居，耳背，住2-301",
    )


def test_the_whole_loop(people: Any, volunteers: Any, wish: Wish, budget: Account) -> None:
    member = volunteers["member"]
    assert not wish_board(member).exists()  # not yet published
    with pytest.raises(PermissionDenied):
        wish_claim(actor=member, wish=wish)
    wish_publish(actor=people["worker_a"], wish=wish)
    # Everyone of the community may see it (the street-level member's grant covers it too);
    # people of other streets would not.
    assert list(wish_board(member)) == [wish]
    assert list(wish_board(volunteers["member_b"])) == [wish]
    assert list(wish_board(volunteers["elsewhere"])) == [wish]
    assert not wish_board(people["outsider"]).exists()
    assert not wish_board(people["worker_b"]).exists()  # staff read their own ledger
    with pytest.raises(PermissionDenied):
        wish_claim(actor=people["worker_b"], wish=wish)  # staff, not a volunteer
    wish_claim(actor=member, wish=wish)
    with pytest.raises(PermissionDenied):
        wish_claim(actor=volunteers["member_b"], wish=wish)  # gone from the board
    with pytest.raises(PermissionDenied):
        wish_fulfil(
            actor=volunteers["member_b"], wish=wish, note="送到了", photos=clean_images([jpeg()])
        )
    with pytest.raises(ValidationFailed, match="照片"):
        wish_fulfil(actor=member, wish=wish, note="送到了", photos=[])
    wish_fulfil(actor=member, wish=wish, note="送去收音机一台", photos=clean_images([jpeg()]))
    with pytest.raises(PermissionDenied):
        wish_thank(actor=people["worker_b"], wish=wish, thanks="谢谢")
    thanked = wish_thank(actor=people["worker_a"], wish=wish, thanks="张奶奶说谢谢老韩")
    wish.refresh_from_db()
    assert wish.status == "thanked" and wish.photos.count() == 1
    assert list(wish_board(member)) == [wish]  # still theirs to look back on
    # The thanks paid the claimer by the 微心愿完成 rule, from the community's budget.
    assert thanked.unpaid == "" and thanked.earning is not None
    earning = Earning.objects.get()
    assert (earning.owner, earning.rule.code, earning.granted) == (member, "wish_fulfilled", 20)
    assert earning.issuer == budget and earning.issuer.name == "碧沙岗社区志愿服务"
    assert balance(member) == 20
    budget.refresh_from_db()
    assert budget.balance == 980
    told = Notification.objects.get(recipient=member)
    assert "已致谢" in told.title and "获得活力值 20" in told.body


def test_a_wish_is_claimed_once(people: Any, volunteers: Any, wish: Wish) -> None:
    wish_publish(actor=people["worker_a"], wish=wish)
    stale = Wish.objects.get(pk=wish.pk)
    wish_claim(actor=volunteers["member"], wish=wish)
    with pytest.raises(Conflict):
        wish_publish(actor=people["worker_a"], wish=stale)


def test_staff_scope_of_the_ledger(people: Any, volunteers: Any, wish: Wish) -> None:
    assert list(wishes_visible(people["worker_a"])) == [wish]
    assert list(wishes_visible(people["community"])) == [wish]
    for role in ("worker_b", "resident", "outsider", "cgj"):
        assert not wishes_visible(people[role]).exists(), role
    with pytest.raises(PermissionDenied):
        wish_raise(actor=people["worker_b"], person=wish.person, title="越界")
    with pytest.raises(PermissionDenied):
        wish_publish(actor=people["worker_b"], wish=wish)


@pytest.mark.parametrize(
    "who", ["resident", "worker_a", "worker_b", "community", "outsider", "cgj", "member"]
)
def test_pages_by_role(people: Any, volunteers: Any, wish: Wish, who: str) -> None:
    wish_publish(actor=people["worker_a"], wish=wish)
    user = volunteers.get(who) or people[who]
    c = Client()
    c.force_login(user)
    board = c.get("/residents/wishes/").content.decode()
    page = c.get(f"/residents/wishes/{wish.pk}/")
    staff_sees = who in ("worker_a", "community")
    public_sees = who in ("member", "resident")  # the cast's resident lives in A1
    assert ("想要一台收音机听戏" in board) == (staff_sees or public_sees)
    assert page.status_code == (200 if staff_sees or public_sees else 404)
    body = page.content.decode()
    # The person, their address and the private detail are for the grid's staff only.
    for private in ("张桂芳", "2-301", "耳背"):
        if staff_sees:
            assert private in body
        else:
            assert private not in body and private not in board


def test_pages_walk_the_loop(people: Any, volunteers: Any, wish: Wish, budget: Account) -> None:
    worker, member = Client(), Client()
    worker.force_login(people["worker_a"])
    member.force_login(volunteers["member"])
    url = f"/residents/wishes/{wish.pk}/"
    assert worker.post(url, {"action": "publish"}).status_code == 302
    assert member.post(url, {"action": "claim"}).status_code == 302
    assert member.post(url, {"action": "fulfil", "note": "送到"}).status_code == 422
    resp = member.post(url, {"action": "fulfil", "note": "送到", "photos": [jpeg()]})
    assert resp.status_code == 302
    resp = worker.post(url, {"action": "thank", "thanks": "谢谢"}, follow=True)
    assert "已致谢，党员老韩 获得活力值 20" in resp.content.decode()
    assert Wish.objects.get().status == "thanked"
    assert member.post(url, {"action": "thank", "thanks": "x"}).status_code == 422
    assert member.post(url, {"action": "pay"}).status_code == 422  # staff pay, not volunteers
    assert balance(volunteers["member"]) == 20


def test_a_visit_can_raise_a_wish(people: Any, register: Any) -> None:
    c = Client()
    c.force_login(people["worker_a"])
    resp = c.post(
        f"/residents/persons/{register['elder'].pk}/visit/",
        {"findings": "精神好", "wish": "想要一副老花镜", "wish_detail": "度数 300"},
    )
    assert resp.status_code == 302
    wish = Wish.objects.get()
    assert wish.visit is not None and wish.status == "raised" and wish.detail == "度数 300"


def test_thanks_pay_once(people: Any, volunteers: Any, wish: Wish, budget: Account) -> None:
    member = volunteers["member"]
    fulfilled(people, member, wish)
    first = wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢老韩")
    # The same thanks again — a double tap, a retried request — answers as the first did.
    again = wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢老韩")
    assert again.earning == first.earning and again.unpaid == ""
    with pytest.raises(Conflict):
        wish_thank(actor=people["worker_a"], wish=wish, thanks="换一句话再谢一次")
    with pytest.raises(Conflict):  # nor does another staff member thanking it again
        wish_thank(actor=people["community"], wish=Wish.objects.get(pk=wish.pk), thanks="再谢")
    with pytest.raises(Conflict, match="此前已发放"):  # nor does paying later
        wish_points_pay(actor=people["community"], wish=wish)
    assert balance(member) == 20
    assert Earning.objects.count() == 1
    assert Transfer.objects.filter(kind="award").count() == 1
    assert Notification.objects.filter(recipient=member, topic=f"wish:{wish.pk}").count() == 1
    wish.refresh_from_db()
    assert wish.thanks == "谢谢老韩"


def test_an_empty_budget_records_the_thanks_and_pays_later(
    people: Any, volunteers: Any, wish: Wish
) -> None:
    member = volunteers["member"]
    fulfilled(people, member, wish)
    worker = Client()
    worker.force_login(people["worker_a"])
    url = f"/residents/wishes/{wish.pk}/"
    resp = worker.post(url, {"action": "thank", "thanks": "谢谢老韩"}, follow=True)
    page = resp.content.decode()
    # The thanks stands; the worker is told plainly that no points went out, and why.
    assert "已致谢，但活力值未能发放：“碧沙岗社区志愿服务”的活力值预算不足" in page
    assert 'class="warning"' in page
    assert "未发放" in page and "补发活力值" in page
    wish.refresh_from_db()
    assert (wish.status, wish.thanks) == ("thanked", "谢谢老韩")
    # Nothing of the payment was written: no earning, no transfer, no points.
    assert not Earning.objects.exists() and not Transfer.objects.filter(kind="award").exists()
    assert balance(member) == 0 and issuer().balance == 0
    told = Notification.objects.get(recipient=member)
    assert "补发" in told.body
    # The same thanks retried says the same again and writes nothing.
    again = wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢老韩")
    assert again.earning is None and "预算不足" in again.unpaid
    assert (
        not Earning.objects.exists() and Notification.objects.filter(recipient=member).count() == 1
    )

    # Still no budget: paying later is refused with the reason and writes nothing.
    resp = worker.post(url, {"action": "pay"})
    assert resp.status_code == 422 and "预算不足" in resp.content.decode()
    assert not Earning.objects.exists()

    points_budget(issuer=issuer(), amount=100, key="wish-test-topup")
    resp = worker.post(url, {"action": "pay"}, follow=True)
    page = resp.content.decode()
    assert "已补发，党员老韩 获得活力值 20" in page and "补发活力值" not in page
    assert "党员老韩 获得活力值 20" in page.split('id="wish-points"')[1]
    assert balance(member) == 20
    # Paying again (a second tap, or another staff member) pays nothing more.
    again = worker.post(url, {"action": "pay"})
    assert again.status_code == 422
    assert "该心愿的活力值此前已发放，未重复发放" in again.content.decode()
    with pytest.raises(PermissionDenied):
        wish_points_pay(actor=people["worker_b"], wish=wish)
    assert balance(member) == 20 and Earning.objects.count() == 1
    assert Notification.objects.filter(recipient=member).count() == 2


def test_the_claimer_sees_the_points(
    people: Any, volunteers: Any, wish: Wish, budget: Account
) -> None:
    member = volunteers["member"]
    fulfilled(people, member, wish)
    wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢老韩")
    c = Client()
    c.force_login(member)
    history = c.get("/points/history/").content.decode()
    assert "微心愿：想要一台收音机听戏" in history and "+20" in history
    page = c.get(f"/residents/wishes/{wish.pk}/").content.decode()
    points = page.split('id="wish-points"')[1].split("</dd>")[0]
    assert "党员老韩 获得活力值 20" in points and "/points/history/" in points
    assert "补发活力值" not in page  # a volunteer never pays
    assert c.get("/api/v1/points/me").json()["balance"] == 20


def test_the_rules_daily_cap_holds(
    people: Any, volunteers: Any, register: dict[str, Any], budget: Account
) -> None:
    member = volunteers["member"]
    results: list[WishThanked] = []
    for title in ("收音机", "老花镜", "拐杖"):
        wish = wish_raise(actor=people["worker_a"], person=register["elder"], title=title)
        fulfilled(people, member, wish)
        results.append(wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢"))
    # 20 points a wish, at most 40 a day: the third wish of the day earns nothing.
    assert [r.earning.granted for r in results if r.earning] == [20, 20, 0]
    assert results[2].earning is not None and results[2].earning.outcome == "capped"
    assert balance(member) == 40
    c = Client()
    c.force_login(people["worker_a"])
    page = c.get(f"/residents/wishes/{results[2].wish.pk}/").content.decode()
    assert "未发放：已达每日上限" in page and "补发活力值" not in page
    # Points and cap are data: switched off, a thanks pays nothing and says so.
    EarningRule.objects.filter(code="wish_fulfilled").update(active=False)
    wish = wish_raise(actor=people["worker_a"], person=register["elder"], title="台灯")
    fulfilled(people, volunteers["member_b"], wish)
    off = wish_thank(actor=people["worker_a"], wish=wish, thanks="谢谢")
    assert off.earning is not None and off.earning.outcome == "inactive"
    assert wish_points(wish) == off.earning and balance(volunteers["member_b"]) == 0


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_parallel_thanks_pay_once(people: Any, volunteers: Any, register: dict[str, Any]) -> None:
    default_rules_load()  # a transactional test starts from a flushed database
    points_budget(issuer=issuer(), amount=1_000, key="wish-test-budget")
    wish = wish_raise(actor=people["worker_a"], person=register["elder"], title="收音机")
    fulfilled(people, volunteers["member"], wish)
    staff = [people["worker_a"], people["community"]]
    results = run_parallel(
        8,
        lambda n: wish_thank(
            actor=staff[n % 2], wish=Wish.objects.get(pk=wish.pk), thanks=f"谢谢{n % 2}"
        ),
    )
    done = [r for r in results if isinstance(r, WishThanked)]
    assert done and all(isinstance(r, (WishThanked, Conflict)) for r in results)
    assert len({r.wish.thanks for r in done}) == 1  # one thanks won; only its repeats agree
    assert balance(volunteers["member"]) == 20 and Earning.objects.count() == 1
