"""乐享闲置: posting, reserving with a queue, 48-hour holds that pass on, handover, ratings."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.concurrency import POSTGRES_ONLY, run_parallel
from tests.conftest import MICRO_A1
from wangge.accounts.models import Role
from wangge.core.errors import Conflict, PermissionDenied, ValidationFailed
from wangge.market.models import Listing, Reservation
from wangge.market.services import (
    handover_confirm,
    listing_post,
    rating_give,
    reservation_cancel,
    reservation_request,
    reservations_expire,
)


@pytest.fixture
def neighbours(cast: dict[str, Any], make_user: Any, tree: dict[str, Any]) -> dict[str, Any]:
    from wangge.market.models import ProhibitedItem

    # Shipped as a data migration, but flushed by transactional tests: make sure it is here.
    for word in ("处方药", "烟花爆竹"):
        ProhibitedItem.objects.get_or_create(word=word)
    return {
        "owner": cast["resident"],
        "first": make_user(Role.RESIDENT, tree[MICRO_A1], name="张阿姨"),
        "second": make_user(Role.RESIDENT, tree[MICRO_A1], name="刘大爷"),
    }


def offer(owner: Any, **kw: Any) -> Listing:
    return listing_post(
        owner=owner,
        kind="offer",
        title=kw.pop("title", "儿童自行车"),
        description="九成新，孩子长大了",
        price=Decimal(0),
        **kw,
    )


def test_prohibited_items_cannot_be_posted(neighbours: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed, match="含有禁止交易的物品：处方药"):
        offer(neighbours["owner"], title="家里多余的处方药")
    assert not Listing.objects.exists()


def test_reserve_queue_and_handover(neighbours: dict[str, Any]) -> None:
    listing = offer(neighbours["owner"])
    first = reservation_request(listing_id=listing.pk, requester=neighbours["first"])
    second = reservation_request(listing_id=listing.pk, requester=neighbours["second"])
    assert (first.status, second.status) == ("active", "queued")
    assert reservation_request(listing_id=listing.pk, requester=neighbours["first"]).pk == first.pk
    with pytest.raises(ValidationFailed):
        reservation_request(listing_id=listing.pk, requester=neighbours["owner"])
    handover_confirm(reservation_id=first.pk, user=neighbours["owner"])
    done = handover_confirm(reservation_id=first.pk, user=neighbours["first"])
    assert done.status == "completed"
    listing.refresh_from_db()
    assert listing.status == "handed_over"
    assert Reservation.objects.get(pk=second.pk).status == "cancelled"
    rating_give(reservation_id=first.pk, rater=neighbours["first"], stars=5, comment="很新")
    with pytest.raises(Conflict):
        rating_give(reservation_id=first.pk, rater=neighbours["first"], stars=4)
    with pytest.raises(PermissionDenied):
        rating_give(reservation_id=first.pk, rater=neighbours["second"], stars=1)


def test_hold_expires_after_48_hours_and_passes_on(neighbours: dict[str, Any]) -> None:
    listing = offer(neighbours["owner"])
    first = reservation_request(listing_id=listing.pk, requester=neighbours["first"])
    second = reservation_request(listing_id=listing.pk, requester=neighbours["second"])
    with time_machine.travel(timezone.now() + timedelta(hours=47)):
        assert reservations_expire() == 0
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        assert reservations_expire() == 1
        assert reservations_expire() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("expired", "active")
    assert neighbours["second"].notifications.filter(title__startswith="轮到您了").exists()


def test_cancelling_the_last_hold_reopens_the_item(neighbours: dict[str, Any]) -> None:
    listing = offer(neighbours["owner"])
    r = reservation_request(listing_id=listing.pk, requester=neighbours["first"])
    reservation_cancel(reservation_id=r.pk, user=neighbours["first"])
    listing.refresh_from_db()
    assert listing.status == "open"


@pytest.mark.django_db(transaction=True)
@POSTGRES_ONLY
def test_two_neighbours_at_once_get_one_hold(neighbours: dict[str, Any]) -> None:
    listing = offer(neighbours["owner"])
    who = [neighbours["first"], neighbours["second"]]
    results = run_parallel(
        2, lambda i: reservation_request(listing_id=listing.pk, requester=who[i])
    )
    assert sorted(r.status for r in results) == ["active", "queued"]


def test_pages(neighbours: dict[str, Any]) -> None:
    owner, first = Client(), Client()
    owner.force_login(neighbours["owner"])
    first.force_login(neighbours["first"])
    bad = owner.post("/market/new/", {"kind": "offer", "title": "旧书一箱", "price": "五元"})
    assert "价格请填写数字" in bad.content.decode() and "旧书一箱" in bad.content.decode()
    bad = owner.post("/market/new/", {"kind": "offer", "title": "烟花爆竹一箱", "price": "0"})
    assert "含有禁止交易的物品" in bad.content.decode() and "烟花爆竹一箱" in bad.content.decode()
    resp = owner.post(
        "/market/new/", {"kind": "offer", "title": "旧书一箱", "price": "5", "category": "books"}
    )
    listing = Listing.objects.get()
    assert resp["Location"] == f"/market/{listing.pk}/"
    assert "旧书一箱" in first.get("/market/").content.decode()
    first.post(f"/market/{listing.pk}/reserve/")
    assert "已为您保留到" in first.get(f"/market/{listing.pk}/").content.decode()
    assert "已预约，保留到" in owner.get(f"/market/{listing.pk}/").content.decode()


def test_browsing_says_a_filter_it_cannot_read(neighbours: dict[str, Any]) -> None:
    listing_post(owner=neighbours["owner"], kind="offer", title="儿童自行车", price=Decimal(50))
    c = Client()
    c.force_login(neighbours["first"])
    assert "儿童自行车" in c.get("/market/?kind=offer&q=自行车").content.decode()
    assert "儿童自行车" not in c.get("/market/?kind=wanted").content.decode()
    for query, said in (
        ("kind=swap", "没有“swap”这类闲置，已显示全部"),
        ("scope=street", "范围只能是本网格或本社区，已显示全区"),
    ):
        resp = c.get(f"/market/?{query}")
        assert resp.status_code == 422
        assert said in resp.content.decode() and "儿童自行车" in resp.content.decode()
