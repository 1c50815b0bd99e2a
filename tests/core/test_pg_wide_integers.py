"""A number wider than the type Django gives its parameter is sent in a type that holds it
(wangge.core.postgresql): exact where the column holds it, refused where it does not, never
wrapped around to another number."""

from typing import Any

import pytest
from django.db import DataError, connection, transaction
from django.db.models import F

from wangge.points.models import Account, Cabinet, Item

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="tests the PostgreSQL backend"
)


def test_a_wide_number_added_to_a_bigint_column_is_exact(db: Any) -> None:
    # The source: the one account whose balance may go below zero.
    account = Account.objects.create(kind="source", name="试算来源")
    for amount in (2**31, 3_000_000_000, -(2**40), 2**63 - 1 - 2**31):
        Account.objects.filter(pk=account.pk).update(balance=0)
        Account.objects.filter(pk=account.pk).update(balance=F("balance") + amount)
        account.refresh_from_db()
        assert account.balance == amount


def test_a_wide_number_for_an_integer_column_is_refused_not_wrapped(db: Any, tree: Any) -> None:
    cabinet = Cabinet.objects.create(name="兑换柜", place="一楼", node=next(iter(tree.values())))
    item = Item.objects.create(kind="goods", cabinet=cabinet, name="洗衣液", points=100)
    with pytest.raises(DataError, match="out of range"), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(stock=F("stock") + 3_000_000_000)
    item.refresh_from_db()
    assert item.stock == 0
