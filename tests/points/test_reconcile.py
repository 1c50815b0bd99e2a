"""The nightly reconciliation finds what was written around the services, and only that."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from wangge.notifications.models import Notification
from wangge.points.mall import redemption_create, voucher_capture
from wangge.points.models import Account, Entry, Item, ReconciliationReport
from wangge.points.services import points_expire, wallet_for
from wangge.points.tasks import points_reconcile

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_mall(mall: dict[str, Any]) -> dict[str, Any]:
    """A day's business: two redemptions, one captured, an expiry."""
    resident = mall["resident"]
    v1 = redemption_create(owner=resident, item_id=mall["soap"].pk, idempotency_key="r1").voucher
    redemption_create(owner=resident, item_id=mall["haircut"].pk, idempotency_key="r2")
    voucher_capture(code=v1.code, actor=mall["keeper"])
    points_expire(wallet=wallet_for(resident), amount=20, key="exp", reason="到期")
    return mall


def test_a_clean_ledger_reports_no_difference(busy_mall: dict[str, Any], cast: Any) -> None:
    out = StringIO()
    call_command("reconcile_points", stdout=out)
    assert "no differences" in out.getvalue()
    report = ReconciliationReport.objects.get()
    assert report.ok and report.problems == []
    assert report.totals["issued"] == 300 and report.totals["spent"] == 100
    assert report.totals["expired"] == 20 and report.totals["wallets"] == 180
    assert not Notification.objects.filter(topic="points-reconcile").exists()


def test_planted_differences_are_found_and_reported_to_the_admins(
    busy_mall: dict[str, Any], cast: dict[str, Any]
) -> None:
    wallet = wallet_for(busy_mall["resident"])
    # a balance edited by hand, an unbalanced entry, a cabinet's stock edited by hand
    Account.objects.filter(pk=wallet.pk).update(balance=F("balance") + 50)
    Entry.objects.create(
        transfer=Entry.objects.filter(account=wallet).first().transfer,  # type: ignore[union-attr]
        account=busy_mall["barber"].account,
        amount=7,
    )
    Item.objects.filter(pk=busy_mall["soap"].pk).update(stock=F("stock") + 2)

    points_reconcile()
    report = ReconciliationReport.objects.get()
    checks = {p["check"] for p in report.problems}
    assert not report.ok
    assert {
        "entries_sum",
        "transfer_unbalanced",
        "cache_mismatch",
        "issued_spent_expired",
        "stock_mismatch",
    } <= checks
    details = " ".join(p["detail"] for p in report.problems)
    assert "全部流水合计为 7，应为 0" in details
    assert "账户“王秀兰”记录余额 230、冻结 50，按流水应为 180、50" in details
    assert "碧沙岗社区兑换柜·洗衣液 1 升 记录可兑 11、预留 0，按库存变动应为 9、0" in details
    note = Notification.objects.get(topic="points-reconcile")
    assert note.recipient == cast["admin"]
    assert note.title == f"活力值对账发现 {len(report.problems)} 处差异"
    assert note.link == f"/admin/points/reconciliationreport/{report.pk}/change/"
    with pytest.raises(CommandError, match="difference"):
        call_command("reconcile_points", stdout=StringIO())
